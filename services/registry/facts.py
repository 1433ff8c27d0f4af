"""The registry as other services know it: its published facts, kept in their own store.

Initiatives, reviews and awards judge authority by the registry's facts as of a decision's
date (R1.5, DESIGN "Authority and time"): which union was under which parent, who was a
member where, which committee was in office and who sat on it. They do not ask the registry
at decision time; they keep the registry's published events (``contracts/events/registry.*``)
as dated rows in their own database, written in the same transaction as the tracking record
of the notification that brought them, so a fact is kept once however often it arrives.

The rows and the queries are the registry's own read model (``readmodel.py``) under the
``<consumer>_registry_facts`` prefix, fed from envelope payloads instead of domain events: one
implementation of "as of date D" for every service. A service names this view in its
application's ``upstream_views``.

``Authority`` answers the questions decisions ask and refuses with stable codes.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from runtime.contracts import Envelope
from runtime.errors import Forbidden
from runtime.readmodel import UpstreamView
from services.registry.domain import (
    BodyKind,
    Level,
    NotMember,
    PersonNotFound,
    Status,
    UnionNotActive,
    UnionNotFound,
)
from services.registry.published import RULES
from services.registry.readmodel import RegistryQueries, RegistryReadModel, facts_tables, valid_on

# Which domain event each published contract mirrors, and which payload key names the
# aggregate it happened to (the payload's other keys are the event's own attribute names).
_CONTRACTS: dict[str, tuple[type, str]] = {
    rule.name: (rule.event_class, rule.event_class.__qualname__.split(".")[0].lower() + "_id")
    for rule in RULES
}
_DATE_SUFFIXES = ("_on", "_start", "_end", "_date")


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name.endswith("_ids"):
        return [UUID(v) for v in value]
    if name.endswith("_id"):
        return UUID(value)
    if name.endswith(_DATE_SUFFIXES):
        return date.fromisoformat(value)
    return value


def fact(envelope: Envelope) -> SimpleNamespace | None:
    """A published registry event in the shape of the domain event it mirrors."""
    known = _CONTRACTS.get(envelope.name)
    if envelope.source != "registry" or known is None:
        return None
    event_class, key = known
    attributes = {name: _value(name, value) for name, value in envelope.payload.items()
                  if name != key}
    attributes.setdefault("birth_date", None)  # personal details stay in the registry
    attributes.setdefault("gender", None)
    return SimpleNamespace(event_class=event_class, originator_id=UUID(envelope.originator_id),
                           **attributes)


class RegistryFacts(RegistryReadModel, UpstreamView):
    """The registry's read model, kept by another service from the registry's envelopes."""

    sources = ("registry",)

    def __init__(self, engine: Any, consumer: str) -> None:
        self.t = facts_tables(consumer)
        self.metadata = self.t.metadata  # type: ignore[misc]
        super().__init__(engine, consumer)

    def key(self, domain_event: Any) -> Any:
        return domain_event.event_class

    def apply(self, connection: Any, events: Any) -> None:
        facts = (fact(e) for e in events if isinstance(e, Envelope))
        super().apply(connection, (f for f in facts if f is not None))


class NoAuthority(Forbidden):
    """The actor did not sit, on the decision's date, on the body that may decide."""

    code = "NO_AUTHORITY"


class NoBodyInOffice(Forbidden):
    code = "NO_BODY_IN_OFFICE"


class NotGrassroots(Forbidden):
    code = "NOT_GRASSROOTS"


class Authority(RegistryQueries):
    """Questions a decision asks of the registry's facts, each as of the decision's date."""

    def __init__(self, engine: Any, consumer: str) -> None:
        super().__init__(engine, facts_tables(consumer))

    def active_union(self, union_id: UUID, on: date) -> dict[str, Any]:
        """The union as it stood on the date; refused if it was not there or not active."""
        union = self.union(union_id, on)
        if union is None:
            raise UnionNotFound(f"no union {union_id} existed on {on}",
                                {"union_id": str(union_id), "on": on.isoformat()})
        if union["status"] != Status.ACTIVE.value:
            raise UnionNotActive(f"{union['name']} was {union['status']} on {on}",
                                 {"union_id": str(union_id), "status": union["status"],
                                  "on": on.isoformat()})
        return union

    def grassroots_union(self, union_id: UUID, on: date) -> dict[str, Any]:
        union = self.active_union(union_id, on)
        if union["level"] != Level.GRASSROOTS.value:
            raise NotGrassroots(f"{union['name']} is not a grassroots union",
                                {"union_id": str(union_id), "level": union["level"]})
        return union

    def direct_superior(self, union_id: UUID, on: date) -> dict[str, Any] | None:
        union = self.active_union(union_id, on)
        return self.union(UUID(union["parent_id"]), on) if union["parent_id"] else None

    def member(self, person_id: UUID, union_id: UUID, on: date) -> dict[str, Any]:
        """The person as of the date (name, official and full-time flags, ``union_id``: the
        union they were a member of then), refused unless a member of this union then (R1.3).
        One query: the person with the membership in force on the date (``person`` also reads
        every membership and position, which a command checking a member does not need)."""
        with self.engine.connect() as c:
            row = c.execute(self._member_statement, {"person_id": person_id, "on": on}).first()
        if row is None:
            raise PersonNotFound(f"no person {person_id} is known",
                                 {"person_id": str(person_id)})
        person = {**self._person_row(row),
                  "union_id": str(row.member_of) if row.member_of is not None else None}
        if person["union_id"] != str(union_id):
            raise NotMember(
                f"{person['full_name']} was not a member of this union on {on}",
                {"person_id": str(person_id), "union_id": str(union_id), "on": on.isoformat(),
                 "member_of": person["union_id"]})
        return person

    @cached_property
    def _member_statement(self) -> sa.Select[Any]:
        """Built once, parameters bound at each call (as ``RegistryQueries._union_statement``)."""
        t, on = self.t, sa.bindparam("on", type_=sa.Date)
        return (self._people_on(on).add_columns(t.memberships.c.union_id.label("member_of"))
                .join(t.memberships, sa.and_(t.memberships.c.person_id == t.people.c.person_id,
                                             valid_on(t.memberships, on)), isouter=True)
                .where(t.people.c.person_id == sa.bindparam("person_id", type_=sa.Uuid))
                .order_by(t.memberships.c.id))

    def body_in_office(self, union_id: UUID, kind: BodyKind, on: date,
                       department: str | None = None) -> dict[str, Any]:
        found = self.bodies(union_id, on, kind.value, department)
        if not found:
            raise NoBodyInOffice(f"the union had no {kind.value.replace('_', ' ')} in office on {on}",
                                 {"union_id": str(union_id), "kind": kind.value,
                                  "department": department, "on": on.isoformat()})
        return found[-1]

    def seat(self, person_id: str | UUID, union_id: UUID, kind: BodyKind, on: date,
             department: str | None = None) -> dict[str, Any]:
        """The authority a decision records: the body in office on the date, and the actor's
        position on it; refused unless the actor sat on it then (R3.4, R4.3)."""
        body = self.body_in_office(union_id, kind, on, department)
        position = next((m["position"] for m in body["members"]
                         if m["person_id"] == str(person_id)), None)
        if position is None:
            union = self.union(union_id, on)
            raise NoAuthority(
                f"only the {kind.value.replace('_', ' ')} of {union['name'] if union else union_id} "
                f"in office on {on} may decide this",
                {"union_id": str(union_id), "kind": kind.value, "on": on.isoformat(),
                 "actor": str(person_id)})
        return {"union_id": str(union_id), "body_id": body["id"], "kind": kind.value,
                "department": department, "position": position, "as_of": on.isoformat()}
