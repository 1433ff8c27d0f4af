"""Initiatives commands, queries and the registry facts they are judged by."""

from __future__ import annotations

from typing import Any

from runtime.errors import NotFound
from runtime.store import ServiceApplication
from runtime.text import parse_uuid
from services.registry.facts import Authority, RegistryFacts


class UnknownUnion(NotFound):
    code = "UNKNOWN_UNION"


class Initiatives(ServiceApplication):
    service = "initiatives"
    upstream_views = (RegistryFacts,)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = Authority(self.engine)

    def known_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any]:
        """A union as this service knows it from the registry's events, as of a date."""
        on = self.as_of(as_of)
        union = self.authority.union(parse_uuid(union_id, "union_id"), on)
        if union is None:
            raise UnknownUnion(f"no union {union_id} is known here on {on}",
                               {"union_id": union_id, "as_of": on.isoformat()})
        return union


APPLICATION = Initiatives
