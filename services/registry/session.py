"""A reorganisation plan being checked (R1.5): the registry's commands run row by row against
the tree as the earlier rows left it, and nothing is stored until the whole plan is checked.

While a ``PlanSession`` is current (``PLAN``), the application keeps every aggregate it loads
here, so a union moved by row 3 is the same object row 40 dissolves; its ``save`` keeps the
changed aggregates here instead of storing them; and its questions about the tree (ancestors,
active children, members, bodies) are answered by the read model corrected by what the plan
has changed so far. The plan is then stored with one save of every changed aggregate: one
transaction, all of it or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from datetime import date
from typing import Any
from uuid import UUID

from contracts.registry import Status
from services.registry.domain import Body, Person, Union

PLAN: ContextVar[PlanSession | None] = ContextVar("registry_reorganisation_plan", default=None)


class PlanSession:
    def __init__(self, queries: Any) -> None:
        self.queries = queries
        self.loaded: dict[UUID, Any] = {}  # every aggregate the plan has loaded or made
        self.changed: dict[UUID, Any] = {}  # those with events to store
        self.events: list[Any] = []  # their events, in the order the rows made them
        self._seen: set[int] = set()

    def keep(self, objs: Iterable[Any]) -> None:
        for obj in objs:
            self.loaded[obj.id] = obj
            for pending in getattr(obj, "pending_events", None) or ():
                self.changed[obj.id] = obj
                if id(pending) not in self._seen:
                    self._seen.add(id(pending))
                    self.events.append(pending)

    def unions(self) -> list[Union]:
        return [a for a in self.loaded.values() if isinstance(a, Union)]

    def parent_on(self, union_id: UUID, on: date) -> UUID | None:
        union = self.loaded.get(union_id)
        if isinstance(union, Union):
            period = union.as_of(on)
            return period.parent_id if period else None
        row = self.queries.union(union_id, on)
        return UUID(row["parent_id"]) if row and row.get("parent_id") else None

    def ancestor_ids(self, union_id: UUID, on: date) -> list[UUID]:
        chain: list[UUID] = []
        above = self.parent_on(union_id, on)
        while above is not None and len(chain) < 8:
            chain.append(above)
            above = self.parent_on(above, on)
        return chain

    def active_children(self, union_id: UUID, on: date, stored: Sequence[UUID]) -> list[UUID]:
        children = list(stored)
        for union in self.unions():
            period = union.as_of(on)
            under = period is not None and period.parent_id == union_id \
                and period.status is Status.ACTIVE and union.status is Status.ACTIVE
            if under and union.id not in children:
                children.append(union.id)
            elif not under and union.id in children:
                children.remove(union.id)
        return children

    def member_ids_from(self, union_id: UUID, stored: Sequence[UUID]) -> list[UUID]:
        members = list(stored)
        for person in (a for a in self.loaded.values() if isinstance(a, Person)):
            if person.union_id == union_id and person.id not in members:
                members.append(person.id)
            elif person.union_id != union_id and person.id in members:
                members.remove(person.id)
        return members

    def body_ids_from(self, stored: Sequence[UUID]) -> list[UUID]:
        ended = {a.id for a in self.loaded.values() if isinstance(a, Body) and a.ended_on}
        return [b for b in stored if b not in ended]
