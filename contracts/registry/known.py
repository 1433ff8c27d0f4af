"""The question every service that keeps the registry's facts answers the same way: does it
know a union, as of a date (R1.5, R5.3)? The declaration (``KnownUnion``) and its handler
(``KnownUnions``, mixed into the service's application) are defined once here, so the
consumers of the registry's events answer it alike: the union as their facts know it, or
``UNKNOWN_UNION``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from contracts.registry import UnknownUnion
from contracts.registry.facts import Authority
from runtime.commands import Query, handles


class KnownUnion(Query):
    union_id: UUID
    as_of: date | None = None


class KnownUnions:
    """Mixed into an application that keeps the registry's facts (``Authority``)."""

    authority: Authority

    if TYPE_CHECKING:  # given by ``ServiceApplication``
        def as_of(self, value: object, field: str = "as_of") -> date: ...

    @handles(KnownUnion)
    def known_union(self, query: KnownUnion) -> dict[str, Any]:
        """A union as this service knows it from the registry's events, as of a date."""
        on = self.as_of(query.as_of)
        union = self.authority.union(query.union_id, on)
        if union is None:
            raise UnknownUnion(f"no union {query.union_id} is known here on {on}",
                               {"union_id": str(query.union_id), "as_of": on.isoformat()})
        return union
