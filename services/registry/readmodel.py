"""The registry's read model: the tree, bodies and people as dated periods, and its queries.

Every fact that changes over time is a row valid over ``[valid_from, valid_to)`` (``valid_to``
null while it lasts), so "as of date D" is one indexed condition. Rows are only ever closed
and added, as the events are (R1.5). The tables are derived from the registry's events and
written in the same transaction (``runtime.readmodel``); drop them and they are rebuilt.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import cache, cached_property
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from runtime.readmodel import ReadModel, Writer, handles
from runtime.text import search_key
from services.registry.domain import Body, Person, Status, Union


def _period_columns() -> list[sa.Column[Any]]:
    return [sa.Column("valid_from", sa.Date, nullable=False), sa.Column("valid_to", sa.Date)]


class RegistryTables:
    """The read model's tables under a name prefix: ``registry`` in the registry's own store,
    ``<consumer>_registry_facts`` where another service keeps the registry's published facts
    (so the services may share one database without a clash)."""

    def __init__(self, prefix: str) -> None:
        self.metadata = metadata = sa.MetaData()
        self.unions = sa.Table(
            f"{prefix}_unions", metadata,
            sa.Column("union_id", sa.Uuid, primary_key=True),
            sa.Column("code", sa.String(64), nullable=False, unique=True),
            sa.Column("level", sa.String(32), nullable=False),
            sa.Column("founded_on", sa.Date, nullable=False),
        )
        self.union_periods = sa.Table(
            f"{prefix}_union_periods", metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("union_id", sa.Uuid, nullable=False),
            *_period_columns(),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("search_key", sa.Text, nullable=False),
            sa.Column("parent_id", sa.Uuid),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Index(f"{prefix}_union_periods_union", "union_id", "valid_from"),
            sa.Index(f"{prefix}_union_periods_parent", "parent_id", "valid_from"),
        )
        self.union_links = sa.Table(
            f"{prefix}_union_links", metadata,
            sa.Column("predecessor_id", sa.Uuid, primary_key=True),
            sa.Column("successor_id", sa.Uuid, primary_key=True),
            sa.Column("kind", sa.String(16), nullable=False),  # merge | split
            sa.Column("effective_on", sa.Date, nullable=False),
        )
        self.people = sa.Table(
            f"{prefix}_people", metadata,
            sa.Column("person_id", sa.Uuid, primary_key=True),
            sa.Column("code", sa.String(64), nullable=False, unique=True),
            sa.Column("full_name", sa.Text, nullable=False),
            sa.Column("search_key", sa.Text, nullable=False),
            sa.Column("birth_date", sa.Date),  # the registry's own (not published)
            sa.Column("gender", sa.String(8)),  # the registry's own (not published)
        )
        self.person_periods = sa.Table(
            f"{prefix}_person_periods", metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("person_id", sa.Uuid, nullable=False),
            *_period_columns(),
            sa.Column("is_official", sa.Boolean, nullable=False),
            sa.Column("is_full_time", sa.Boolean, nullable=False),
            sa.Index(f"{prefix}_person_periods_person", "person_id", "valid_from"),
        )
        self.memberships = sa.Table(
            f"{prefix}_memberships", metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("person_id", sa.Uuid, nullable=False),
            sa.Column("union_id", sa.Uuid, nullable=False),
            *_period_columns(),
            sa.Column("ended_by", sa.String(32)),
            sa.Index(f"{prefix}_memberships_union", "union_id", "valid_from"),
            sa.Index(f"{prefix}_memberships_person", "person_id", "valid_from"),
        )
        self.bodies = sa.Table(
            f"{prefix}_bodies", metadata,
            sa.Column("body_id", sa.Uuid, primary_key=True),
            sa.Column("union_id", sa.Uuid, nullable=False, index=True),
            sa.Column("kind", sa.String(32), nullable=False),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("department", sa.String(64)),
            sa.Column("term_start", sa.Date, nullable=False),
            sa.Column("term_end", sa.Date),
            sa.Column("ended_on", sa.Date),
            sa.Column("decision", sa.Text),
        )
        self.positions = sa.Table(
            f"{prefix}_positions", metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("body_id", sa.Uuid, nullable=False),
            sa.Column("person_id", sa.Uuid, nullable=False),
            sa.Column("position", sa.String(32), nullable=False),
            *_period_columns(),
            sa.Index(f"{prefix}_positions_body", "body_id", "valid_from"),
            sa.Index(f"{prefix}_positions_person", "person_id", "valid_from"),
        )


OWN = RegistryTables("registry")  # the registry's own read model
metadata = OWN.metadata


@cache
def facts_tables(consumer: str) -> RegistryTables:
    """The registry as another service knows it, in that service's own tables."""
    return RegistryTables(f"{consumer}_registry_facts")


def valid_on(table: sa.Table, on: date | sa.BindParameter[date]) -> sa.ColumnElement[bool]:
    """The row was in force on the date: valid_from <= on < valid_to (``on`` a date, or a
    parameter bound at each run of a statement built once)."""
    return sa.and_(table.c.valid_from <= on,
                   sa.or_(table.c.valid_to.is_(None), table.c.valid_to > on))


def _close(writer: Writer, table: sa.Table, on: date, *where: Any, **values: Any) -> None:
    writer.execute(table.update().where(*where, table.c.valid_to.is_(None))
                   .values(valid_to=on, **values))


class RegistryReadModel(ReadModel):
    t = OWN
    metadata = OWN.metadata

    # --- unions -----------------------------------------------------------------------------

    @handles(Union.Founded)  # type: ignore[attr-defined]
    def _union_founded(self, e: Any, w: Writer) -> None:
        t = self.t
        w.insert(t.unions, union_id=e.originator_id, code=e.code, level=e.level,
                 founded_on=e.founded_on)
        w.insert(t.union_periods, union_id=e.originator_id, valid_from=e.founded_on, valid_to=None,
                 name=e.name, search_key=search_key(e.name), parent_id=e.parent_id,
                 status=Status.ACTIVE.value)

    @handles(Union.Renamed)  # type: ignore[attr-defined]
    def _union_renamed(self, e: Any, w: Writer) -> None:
        self._next_period(w, e, name=e.name, search_key=search_key(e.name))

    @handles(Union.Moved)  # type: ignore[attr-defined]
    def _union_moved(self, e: Any, w: Writer) -> None:
        self._next_period(w, e, parent_id=e.parent_id)

    @handles(Union.Dissolved)  # type: ignore[attr-defined]
    def _union_dissolved(self, e: Any, w: Writer) -> None:
        self._next_period(w, e, status=Status.DISSOLVED.value)

    @handles(Union.MergedInto)  # type: ignore[attr-defined]
    def _union_merged(self, e: Any, w: Writer) -> None:
        t = self.t
        self._next_period(w, e, status=Status.MERGED.value)
        w.insert(t.union_links, predecessor_id=e.originator_id, successor_id=e.successor_id,
                 kind="merge", effective_on=e.effective_on)

    @handles(Union.SplitInto)  # type: ignore[attr-defined]
    def _union_split(self, e: Any, w: Writer) -> None:
        t = self.t
        self._next_period(w, e, status=Status.SPLIT.value)
        for successor_id in e.successor_ids:
            w.insert(t.union_links, predecessor_id=e.originator_id, successor_id=successor_id,
                     kind="split", effective_on=e.effective_on)

    def _next_period(self, w: Writer, e: Any, **changes: Any) -> None:
        t = self.t
        current = w.execute(sa.select(t.union_periods).where(
            t.union_periods.c.union_id == e.originator_id,
            t.union_periods.c.valid_to.is_(None))).mappings().one()
        _close(w, t.union_periods, e.effective_on, t.union_periods.c.union_id == e.originator_id)
        row = {k: current[k] for k in ("name", "search_key", "parent_id", "status")}
        row.update(changes)
        w.insert(t.union_periods, union_id=e.originator_id, valid_from=e.effective_on,
                 valid_to=None, **row)

    # --- people -----------------------------------------------------------------------------

    @handles(Person.Registered)  # type: ignore[attr-defined]
    def _person_registered(self, e: Any, w: Writer) -> None:
        t = self.t
        w.insert(t.people, person_id=e.originator_id, code=e.code, full_name=e.full_name,
                 search_key=search_key(e.full_name), birth_date=e.birth_date, gender=e.gender)
        w.insert(t.person_periods, person_id=e.originator_id, valid_from=e.effective_on,
                 valid_to=None, is_official=e.is_official, is_full_time=e.is_full_time)
        if e.union_id is not None:
            w.insert(t.memberships, person_id=e.originator_id, union_id=e.union_id,
                     valid_from=e.effective_on, valid_to=None, ended_by=None)

    @handles(Person.Joined)  # type: ignore[attr-defined]
    def _person_joined(self, e: Any, w: Writer) -> None:
        t = self.t
        w.insert(t.memberships, person_id=e.originator_id, union_id=e.union_id,
                 valid_from=e.effective_on, valid_to=None, ended_by=None)

    @handles(Person.Transferred)  # type: ignore[attr-defined]
    def _person_transferred(self, e: Any, w: Writer) -> None:
        t = self.t
        _close(w, t.memberships, e.effective_on, t.memberships.c.person_id == e.originator_id,
               ended_by=e.reason)
        w.insert(t.memberships, person_id=e.originator_id, union_id=e.to_union_id,
                 valid_from=e.effective_on, valid_to=None, ended_by=None)

    @handles(Person.Left)  # type: ignore[attr-defined]
    def _person_left(self, e: Any, w: Writer) -> None:
        t = self.t
        _close(w, t.memberships, e.effective_on, t.memberships.c.person_id == e.originator_id,
               ended_by=e.reason)

    @handles(Person.OfficialStatusChanged)  # type: ignore[attr-defined]
    def _person_status(self, e: Any, w: Writer) -> None:
        t = self.t
        _close(w, t.person_periods, e.effective_on, t.person_periods.c.person_id == e.originator_id)
        w.insert(t.person_periods, person_id=e.originator_id, valid_from=e.effective_on,
                 valid_to=None, is_official=e.is_official, is_full_time=e.is_full_time)

    # --- bodies -----------------------------------------------------------------------------

    @handles(Body.Constituted)  # type: ignore[attr-defined]
    def _body_constituted(self, e: Any, w: Writer) -> None:
        t = self.t
        w.insert(t.bodies, body_id=e.originator_id, union_id=e.union_id, kind=e.kind, name=e.name,
                 department=e.department, term_start=e.term_start, term_end=e.term_end,
                 ended_on=None,
                 decision=json.dumps(e.decision, ensure_ascii=False) if e.decision else None)

    @handles(Body.Appointed)  # type: ignore[attr-defined]
    def _body_appointed(self, e: Any, w: Writer) -> None:
        t = self.t
        w.insert(t.positions, body_id=e.originator_id, person_id=e.person_id, position=e.position,
                 valid_from=e.effective_on, valid_to=None)

    @handles(Body.Relieved)  # type: ignore[attr-defined]
    def _body_relieved(self, e: Any, w: Writer) -> None:
        t = self.t
        _close(w, t.positions, e.effective_on, t.positions.c.body_id == e.originator_id,
               t.positions.c.person_id == e.person_id)

    @handles(Body.Ended)  # type: ignore[attr-defined]
    def _body_ended(self, e: Any, w: Writer) -> None:
        t = self.t
        w.update(t.bodies, (e.originator_id,), ended_on=e.effective_on)
        _close(w, t.positions, e.effective_on, t.positions.c.body_id == e.originator_id)


# --- queries --------------------------------------------------------------------------------

def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _id(value: UUID | None) -> str | None:
    return str(value) if value else None


def _union_row(row: Any) -> dict[str, Any]:
    return {"id": str(row.union_id), "code": row.code, "name": row.name, "level": row.level,
            "parent_id": _id(row.parent_id), "status": row.status,
            "founded_on": _iso(row.founded_on), "since": _iso(row.valid_from)}


class RegistryQueries:
    """Read-only questions about the tree, bodies and people, each as of a date."""

    def __init__(self, engine: Any, tables: RegistryTables = OWN) -> None:
        self.engine = engine
        self.t = tables

    def _unions_on(self, on: date | sa.BindParameter[date]) -> sa.Select[Any]:
        t = self.t
        return (sa.select(t.unions.c.union_id, t.unions.c.code, t.unions.c.level,
                          t.unions.c.founded_on, t.union_periods.c.name,
                          t.union_periods.c.parent_id, t.union_periods.c.status,
                          t.union_periods.c.valid_from)
                .join(t.union_periods, t.union_periods.c.union_id == t.unions.c.union_id)
                .where(valid_on(t.union_periods, on)))

    def union(self, union_id: UUID, on: date) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            return self._union(c, union_id, on)

    def _union(self, c: Connection, union_id: UUID, on: date) -> dict[str, Any] | None:
        row = c.execute(self._union_statement, {"union_id": union_id, "on": on}).first()
        return _union_row(row) if row else None

    @cached_property
    def _union_statement(self) -> sa.Select[Any]:
        """One union as of a date, built once with its parameters bound at each call: every
        decision asks it (authority), and building the statement anew cost more Python than
        running it (profile of the initiatives service, issue 12)."""
        t = self.t
        return (self._unions_on(sa.bindparam("on", type_=sa.Date))
                .where(t.unions.c.union_id == sa.bindparam("union_id", type_=sa.Uuid))
                .order_by(t.union_periods.c.valid_from.desc()).limit(1))

    def ancestors(self, union_id: UUID, on: date) -> list[dict[str, Any]] | None:
        """The chain above a union on a date, nearest first (None if it did not exist)."""
        with self.engine.connect() as c:
            current = self._union(c, union_id, on)
            if current is None:
                return None
            chain: list[dict[str, Any]] = []
            while current["parent_id"] is not None and len(chain) < 8:
                parent = self._union(c, UUID(current["parent_id"]), on)
                if parent is None:
                    break
                chain.append(parent)
                current = parent
            return chain

    def children(self, c: Connection, parent_ids: list[UUID], on: date) -> list[dict[str, Any]]:
        t = self.t
        found: list[dict[str, Any]] = []
        for start in range(0, len(parent_ids), 500):
            rows = c.execute(self._unions_on(on).where(
                t.union_periods.c.parent_id.in_(parent_ids[start:start + 500]),
                t.union_periods.c.status == Status.ACTIVE.value).order_by(t.unions.c.code))
            found.extend(_union_row(r) for r in rows)
        return found

    def descendants(self, union_id: UUID, on: date) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            result: list[dict[str, Any]] = []
            frontier = [union_id]
            while frontier:
                level = self.children(c, frontier, on)
                result.extend(level)
                frontier = [UUID(u["id"]) for u in level]
            return result

    def active_children(self, union_id: UUID, on: date) -> list[UUID]:
        """Active unions under this one on the date or at any time after it."""
        t = self.t
        with self.engine.connect() as c:
            return list(c.execute(sa.select(t.union_periods.c.union_id.distinct()).where(
                t.union_periods.c.parent_id == union_id,
                t.union_periods.c.status == Status.ACTIVE.value,
                sa.or_(t.union_periods.c.valid_to.is_(None), t.union_periods.c.valid_to > on))
                .order_by(t.union_periods.c.union_id)).scalars())

    def tree(self, on: date, root_id: UUID | None = None) -> list[dict[str, Any]]:
        """The active unions on a date as nested nodes, from the roots or from one union."""
        t = self.t
        with self.engine.connect() as c:
            rows = [_union_row(r) for r in c.execute(self._unions_on(on).where(
                t.union_periods.c.status == Status.ACTIVE.value).order_by(t.unions.c.code))]
        by_parent: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        by_id = {}
        for row in rows:
            node = {**row, "children": by_parent[row["id"]]}
            by_parent[row["parent_id"]].append(node)
            by_id[row["id"]] = node
        if root_id is None:
            return [n for n in by_id.values() if n["parent_id"] not in by_id]
        root = by_id.get(str(root_id))
        return [root] if root else []

    def history(self, union_id: UUID) -> dict[str, Any]:
        t = self.t
        with self.engine.connect() as c:
            periods = c.execute(sa.select(t.union_periods).where(
                t.union_periods.c.union_id == union_id).order_by(t.union_periods.c.id)).mappings()
            links = c.execute(sa.select(t.union_links).where(sa.or_(
                t.union_links.c.predecessor_id == union_id,
                t.union_links.c.successor_id == union_id))).mappings()
            return {
                "periods": [{"valid_from": _iso(p["valid_from"]), "valid_to": _iso(p["valid_to"]),
                             "name": p["name"], "parent_id": _id(p["parent_id"]),
                             "status": p["status"]} for p in periods],
                "links": [{"predecessor_id": str(k["predecessor_id"]),
                           "successor_id": str(k["successor_id"]), "kind": k["kind"],
                           "effective_on": _iso(k["effective_on"])} for k in links],
            }

    def search_unions(self, terms: Iterable[str], on: date, limit: int) -> list[dict[str, Any]]:
        t = self.t
        query = self._unions_on(on)
        for term in terms:
            query = query.where(t.union_periods.c.search_key.contains(term, autoescape=True))
        with self.engine.connect() as c:
            rows = c.execute(query.order_by(sa.func.length(t.union_periods.c.name), t.unions.c.code)
                             .limit(limit))
            return [_union_row(r) for r in rows]

    # --- people -----------------------------------------------------------------------------

    def _people_on(self, on: date | sa.BindParameter[date]) -> sa.Select[Any]:
        t = self.t
        return (sa.select(t.people, t.person_periods.c.is_official, t.person_periods.c.is_full_time)
                .join(t.person_periods, sa.and_(t.person_periods.c.person_id == t.people.c.person_id,
                                              valid_on(t.person_periods, on)), isouter=True))

    @staticmethod
    def _person_row(row: Any) -> dict[str, Any]:
        return {"id": str(row.person_id), "code": row.code, "full_name": row.full_name,
                "birth_date": _iso(row.birth_date), "gender": row.gender,
                "is_official": bool(row.is_official), "is_full_time": bool(row.is_full_time)}

    def members(self, union_id: UUID, on: date, offset: int, limit: int) -> dict[str, Any]:
        t = self.t
        member_on = sa.and_(t.memberships.c.union_id == union_id, valid_on(t.memberships, on))
        with self.engine.connect() as c:
            total = c.execute(sa.select(sa.func.count()).select_from(t.memberships)
                              .where(member_on)).scalar_one()
            rows = c.execute(self._people_on(on).add_columns(t.memberships.c.valid_from.label("since"))
                             .join(t.memberships, t.memberships.c.person_id == t.people.c.person_id)
                             .where(member_on).order_by(t.people.c.search_key, t.people.c.code)
                             .offset(offset).limit(limit))
            return {"total": total, "offset": offset,
                    "members": [{**self._person_row(r), "member_since": _iso(r.since)}
                                for r in rows]}

    def person(self, person_id: UUID, on: date) -> dict[str, Any] | None:
        t = self.t
        with self.engine.connect() as c:
            row = c.execute(self._people_on(on).where(t.people.c.person_id == person_id)).first()
            if row is None:
                return None
            history = c.execute(sa.select(t.memberships).where(
                t.memberships.c.person_id == person_id).order_by(t.memberships.c.id)).mappings()
            record = self._person_row(row)
            record["memberships"] = [
                {"union_id": str(m["union_id"]), "valid_from": _iso(m["valid_from"]),
                 "valid_to": _iso(m["valid_to"]), "ended_by": m["ended_by"]} for m in history]
            record["union_id"] = next(
                (m["union_id"] for m in record["memberships"]
                 if m["valid_from"] <= on.isoformat()
                 and (m["valid_to"] is None or on.isoformat() < m["valid_to"])), None)
            record["positions"] = self._positions(c, person_id, on)
            return record

    def search_people(self, terms: Iterable[str], union_id: UUID | None, on: date,
                      limit: int) -> list[dict[str, Any]]:
        t = self.t
        query = self._people_on(on)
        for term in terms:
            query = query.where(t.people.c.search_key.contains(term, autoescape=True))
        if union_id is not None:
            query = query.join(t.memberships, sa.and_(
                t.memberships.c.person_id == t.people.c.person_id, t.memberships.c.union_id == union_id,
                valid_on(t.memberships, on)))
        with self.engine.connect() as c:
            rows = c.execute(query.order_by(t.people.c.search_key, t.people.c.code).limit(limit))
            return [self._person_row(r) for r in rows]

    # --- bodies and positions ---------------------------------------------------------------

    @staticmethod
    def _body_row(row: Any) -> dict[str, Any]:
        return {"id": str(row.body_id), "union_id": str(row.union_id), "kind": row.kind,
                "name": row.name, "department": row.department,
                "term_start": _iso(row.term_start), "term_end": _iso(row.term_end),
                "ended_on": _iso(row.ended_on),
                "decision": json.loads(row.decision) if row.decision else None}

    def _body_on(self, on: date) -> sa.ColumnElement[bool]:
        t = self.t
        return sa.and_(t.bodies.c.term_start <= on,
                       sa.or_(t.bodies.c.ended_on.is_(None), t.bodies.c.ended_on > on))

    def _positions(self, c: Connection, person_id: UUID, on: date,
                   union_id: UUID | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        t = self.t
        query = (sa.select(t.positions.c.position, t.positions.c.valid_from, t.bodies)
                 .join(t.bodies, t.bodies.c.body_id == t.positions.c.body_id)
                 .where(t.positions.c.person_id == person_id, valid_on(t.positions, on)))
        if union_id is not None:
            query = query.where(t.bodies.c.union_id == union_id)
        if kind is not None:
            query = query.where(t.bodies.c.kind == kind)
        return [{"position": r.position, "since": _iso(r.valid_from),
                 "body": self._body_row(r)} for r in c.execute(query.order_by(t.bodies.c.kind))]

    def positions_held(self, person_id: UUID, on: date, union_id: UUID | None,
                       kind: str | None) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return self._positions(c, person_id, on, union_id, kind)

    def bodies(self, union_id: UUID, on: date, kind: str | None = None,
               department: str | None = None) -> list[dict[str, Any]]:
        t = self.t
        query = sa.select(t.bodies).where(t.bodies.c.union_id == union_id, self._body_on(on))
        if kind is not None:
            query = query.where(t.bodies.c.kind == kind)
        if department is not None:
            query = query.where(t.bodies.c.department == department)
        with self.engine.connect() as c:
            found = [self._body_row(r) for r in c.execute(query.order_by(t.bodies.c.kind,
                                                                          t.bodies.c.term_start))]
            for body in found:
                rows = c.execute(
                    sa.select(t.positions.c.position, t.positions.c.valid_from, t.people.c.person_id,
                              t.people.c.code, t.people.c.full_name)
                    .join(t.people, t.people.c.person_id == t.positions.c.person_id)
                    .where(t.positions.c.body_id == UUID(body["id"]), valid_on(t.positions, on))
                    .order_by(t.positions.c.id))
                body["members"] = [{"person_id": str(r.person_id), "code": r.code,
                                    "full_name": r.full_name, "position": r.position,
                                    "since": _iso(r.valid_from)} for r in rows]
            return found

    def body_ids(self, union_id: UUID, on: date, kind: str | None = None,
                 department: str | None = None) -> list[UUID]:
        t = self.t
        query = sa.select(t.bodies.c.body_id).where(t.bodies.c.union_id == union_id,
                                                  self._body_on(on))
        if kind is not None:
            query = query.where(t.bodies.c.kind == kind)
        if department is not None:
            query = query.where(t.bodies.c.department == department)
        with self.engine.connect() as c:
            return list(c.execute(query.order_by(t.bodies.c.term_start)).scalars())

    def member_ids_from(self, union_id: UUID, on: date) -> list[UUID]:
        """People who are members of the union on the date or at any time after it."""
        t = self.t
        with self.engine.connect() as c:
            return list(c.execute(sa.select(t.memberships.c.person_id.distinct()).where(
                t.memberships.c.union_id == union_id,
                sa.or_(t.memberships.c.valid_to.is_(None), t.memberships.c.valid_to > on))
                .order_by(t.memberships.c.person_id)).scalars())

    def body_ids_from(self, union_id: UUID, on: date) -> list[UUID]:
        """The union's bodies in office on the date or at any time after it."""
        t = self.t
        with self.engine.connect() as c:
            return list(c.execute(sa.select(t.bodies.c.body_id).where(
                t.bodies.c.union_id == union_id,
                sa.or_(t.bodies.c.ended_on.is_(None), t.bodies.c.ended_on > on))
                .order_by(t.bodies.c.term_start)).scalars())

    def position_body_ids_from(self, person_id: UUID, union_id: UUID, on: date) -> list[UUID]:
        """The union's bodies in which the person holds a position on or after the date."""
        t = self.t
        with self.engine.connect() as c:
            return list(c.execute(sa.select(t.positions.c.body_id.distinct())
                                  .join(t.bodies, t.bodies.c.body_id == t.positions.c.body_id)
                                  .where(t.positions.c.person_id == person_id,
                                         t.bodies.c.union_id == union_id,
                                         sa.or_(t.positions.c.valid_to.is_(None),
                                                t.positions.c.valid_to > on))).scalars())
