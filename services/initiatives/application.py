"""Initiatives commands, queries and the policy for upstream events."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent

from runtime.contracts import Envelope
from runtime.errors import InvalidInput, NotFound
from runtime.store import ServiceApplication
from services.initiatives.domain import UnionFact


class UnknownUnion(NotFound):
    code = "UNKNOWN_UNION"


class Initiatives(ServiceApplication):
    service = "initiatives"

    def policy(self, domain_event: Any, processing_event: ProcessingEvent[UUID]) -> None:
        if isinstance(domain_event, Envelope) and domain_event.name == "registry.union_founded":
            p = domain_event.payload
            processing_event.collect_events(UnionFact(
                union_id=UUID(p["union_id"]), code=p["code"], name=p["name"], level=p["level"],
                parent_id=UUID(p["parent_id"]) if p["parent_id"] else None,
                founded_on=date.fromisoformat(p["founded_on"])))

    def known_union(self, union_id: str) -> dict[str, Any]:
        try:
            fact: UnionFact = self.repository.get(UUID(str(union_id)))
        except ValueError:
            raise InvalidInput("union_id is not a valid id", {"field": "union_id"}) from None
        except AggregateNotFoundError:
            raise UnknownUnion(f"no union {union_id} is known here", {"union_id": union_id}) from None
        return {"id": str(fact.id), "code": fact.code, "name": fact.name, "level": fact.level,
                "recorded_by": dict(vars(self._first_event(fact.id)).get("_meta") or {})}

    def _first_event(self, aggregate_id: UUID) -> Any:
        return next(iter(self.events.get(aggregate_id, lte=1)))


APPLICATION = Initiatives
