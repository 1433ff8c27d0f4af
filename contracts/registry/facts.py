"""The registry's facts as dated rows, kept from its published events, and the questions
every service asks of them as of a date (R1.5, DESIGN "Authority and time").

A fact that changes over time is a row valid over ``[valid_from, valid_to)`` (``valid_to``
null while it lasts), so "as of date D" is one indexed condition; rows are only closed and
added, as the events are. One projection, keyed by contract name and reading the payload keys
the contracts name (``contracts/events/registry.*``), so renaming an attribute in the
registry's domain cannot change what its readers keep: initiatives, reviews and awards keep
it from the envelopes they receive (``RegistryFacts``), the registry from its own events
(``services/registry/readmodel.py``). ``Authority`` answers the questions decisions ask.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache, cached_property
from typing import Any, NamedTuple
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from contracts.registry import (
    BodyKind,
    Level,
    NoAuthority,
    NoBodyInOffice,
    NotGrassroots,
    NotMember,
    PersonNotFound,
    Status,
    UnionNotActive,
    UnionNotFound,
)
from runtime.contracts import Envelope
from runtime.readmodel import ReadModel, UpstreamView, Writer, handles
from runtime.reads import plain_reads
from runtime.text import search_key


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


@cache
def facts_tables(consumer: str) -> RegistryTables:
    """The registry as another service knows it, in that service's own tables."""
    return RegistryTables(f"{consumer}_registry_facts")


def valid_on(table: sa.FromClause,
             on: date | sa.BindParameter[date]) -> sa.ColumnElement[bool]:
    """The row was in force on the date: valid_from <= on < valid_to (``on`` a date, or a
    parameter bound at each run of a statement built once)."""
    return sa.and_(table.c.valid_from <= on,
                   sa.or_(table.c.valid_to.is_(None), table.c.valid_to > on))


def _close(writer: Writer, table: sa.Table, on: date, *where: Any, **values: Any) -> None:
    writer.execute(table.update().where(*where, table.c.valid_to.is_(None))
                   .values(valid_to=on, **values))


class Fact(NamedTuple):
    """A registry event as it is published: its contract's name and its payload (an
    ``Envelope`` from the registry is read the same way)."""

    name: str
    payload: Mapping[str, Any]


def _uuid(value: str | None) -> UUID | None:
    return UUID(value) if value is not None else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _on(p: Mapping[str, Any]) -> date:
    """The date a change took effect (every change's payload names it)."""
    return date.fromisoformat(p["effective_on"])


class RegistryProjection(ReadModel):
    """The registry's published events as dated rows in ``t``; a handler per contract, reading
    the keys its schema names."""

    t: RegistryTables

    def key(self, fact: Any) -> Any:
        return fact.name

    # --- unions -----------------------------------------------------------------------------

    @handles("registry.union_founded")
    def _union_founded(self, f: Fact, w: Writer) -> None:
        t, p = self.t, f.payload
        union_id, founded_on = UUID(p["union_id"]), date.fromisoformat(p["founded_on"])
        w.insert(t.unions, union_id=union_id, code=p["code"], level=p["level"],
                 founded_on=founded_on)
        w.insert(t.union_periods, union_id=union_id, valid_from=founded_on, valid_to=None,
                 name=p["name"], search_key=search_key(p["name"]),
                 parent_id=_uuid(p["parent_id"]), status=Status.ACTIVE.value)

    @handles("registry.union_renamed")
    def _union_renamed(self, f: Fact, w: Writer) -> None:
        name = f.payload["name"]
        self._next_period(w, f.payload, name=name, search_key=search_key(name))

    @handles("registry.union_moved")
    def _union_moved(self, f: Fact, w: Writer) -> None:
        self._next_period(w, f.payload, parent_id=_uuid(f.payload["parent_id"]))

    @handles("registry.union_dissolved")
    def _union_dissolved(self, f: Fact, w: Writer) -> None:
        self._next_period(w, f.payload, status=Status.DISSOLVED.value)

    @handles("registry.union_merged")
    def _union_merged(self, f: Fact, w: Writer) -> None:
        self._next_period(w, f.payload, status=Status.MERGED.value)
        self._link(w, f.payload, "merge", [f.payload["successor_id"]])

    @handles("registry.union_split")
    def _union_split(self, f: Fact, w: Writer) -> None:
        self._next_period(w, f.payload, status=Status.SPLIT.value)
        self._link(w, f.payload, "split", f.payload["successor_ids"])

    def _link(self, w: Writer, p: Mapping[str, Any], kind: str, successor_ids: list[str]) -> None:
        for successor_id in successor_ids:
            w.insert(self.t.union_links, predecessor_id=UUID(p["union_id"]),
                     successor_id=UUID(successor_id), kind=kind, effective_on=_on(p))

    def _next_period(self, w: Writer, p: Mapping[str, Any], **changes: Any) -> None:
        t, union_id, on = self.t, UUID(p["union_id"]), _on(p)
        current = w.execute(sa.select(t.union_periods).where(
            t.union_periods.c.union_id == union_id,
            t.union_periods.c.valid_to.is_(None))).mappings().one()
        _close(w, t.union_periods, on, t.union_periods.c.union_id == union_id)
        row = {k: current[k] for k in ("name", "search_key", "parent_id", "status")}
        row.update(changes)
        w.insert(t.union_periods, union_id=union_id, valid_from=on, valid_to=None, **row)

    # --- people -----------------------------------------------------------------------------

    @handles("registry.person_registered")
    def _person_registered(self, f: Fact, w: Writer) -> None:
        p = f.payload
        # Birth date and gender are the registry's own: it alone gives them (not published).
        w.insert(self.t.people, person_id=UUID(p["person_id"]), code=p["code"],
                 full_name=p["full_name"], search_key=search_key(p["full_name"]),
                 birth_date=_day(p.get("birth_date")), gender=p.get("gender"))
        self._status(w, p)
        if p["union_id"] is not None:
            self._person_joined(f, w)

    @handles("registry.member_joined")
    def _person_joined(self, f: Fact, w: Writer) -> None:
        p = f.payload
        w.insert(self.t.memberships, person_id=UUID(p["person_id"]), union_id=UUID(p["union_id"]),
                 valid_from=_on(p), valid_to=None, ended_by=None)

    @handles("registry.member_transferred")
    def _person_transferred(self, f: Fact, w: Writer) -> None:
        """Leaving one union (for the transfer's reason) and joining the other, on one day."""
        self._person_left(f, w)
        self._person_joined(Fact(f.name, {**f.payload, "union_id": f.payload["to_union_id"]}), w)

    @handles("registry.member_left")
    def _person_left(self, f: Fact, w: Writer) -> None:
        t, p = self.t, f.payload
        _close(w, t.memberships, _on(p), t.memberships.c.person_id == UUID(p["person_id"]),
               ended_by=p["reason"])

    @handles("registry.official_status_changed")
    def _person_status(self, f: Fact, w: Writer) -> None:
        t, p = self.t, f.payload
        _close(w, t.person_periods, _on(p), t.person_periods.c.person_id == UUID(p["person_id"]))
        self._status(w, p)

    def _status(self, w: Writer, p: Mapping[str, Any]) -> None:
        w.insert(self.t.person_periods, person_id=UUID(p["person_id"]), valid_from=_on(p),
                 valid_to=None, is_official=p["is_official"], is_full_time=p["is_full_time"])

    # --- bodies -----------------------------------------------------------------------------

    @handles("registry.body_constituted")
    def _body_constituted(self, f: Fact, w: Writer) -> None:
        p = f.payload
        w.insert(self.t.bodies, body_id=UUID(p["body_id"]), union_id=UUID(p["union_id"]),
                 kind=p["kind"], name=p["name"], department=p["department"],
                 term_start=date.fromisoformat(p["term_start"]), term_end=_day(p["term_end"]),
                 ended_on=None,
                 decision=json.dumps(p["decision"], ensure_ascii=False) if p["decision"] else None)

    @handles("registry.body_member_appointed")
    def _body_appointed(self, f: Fact, w: Writer) -> None:
        p = f.payload
        w.insert(self.t.positions, body_id=UUID(p["body_id"]), person_id=UUID(p["person_id"]),
                 position=p["position"], valid_from=_on(p), valid_to=None)

    @handles("registry.body_member_relieved")
    def _body_relieved(self, f: Fact, w: Writer) -> None:
        t, p = self.t, f.payload
        _close(w, t.positions, _on(p), t.positions.c.body_id == UUID(p["body_id"]),
               t.positions.c.person_id == UUID(p["person_id"]))

    @handles("registry.body_ended")
    def _body_ended(self, f: Fact, w: Writer) -> None:
        t, p = self.t, f.payload
        body_id, on = UUID(p["body_id"]), _on(p)
        w.update(t.bodies, (body_id,), ended_on=on)
        _close(w, t.positions, on, t.positions.c.body_id == body_id)


class RegistryFacts(RegistryProjection, UpstreamView):
    """The registry's facts as another service keeps them, from the registry's envelopes, in
    that service's own tables (a service names this view in its ``upstream_views``)."""

    sources = ("registry",)

    def __init__(self, engine: Any, consumer: str) -> None:
        self.t = facts_tables(consumer)
        self.metadata = self.t.metadata  # type: ignore[misc]
        super().__init__(engine, consumer)

    def apply(self, connection: Connection, events: Iterable[Any]) -> None:
        super().apply(connection, (e for e in events
                                   if isinstance(e, Envelope) and e.source == "registry"))


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
    """Read-only questions about the tree, bodies and people, each as of a date: the registry
    asks them of its own rows, every other service of the copy it keeps."""

    def __init__(self, engine: Any, tables: RegistryTables) -> None:
        self.engine = plain_reads(engine)  # each question reads in one round trip
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

    def union_by_code(self, code: str) -> dict[str, Any] | None:
        """A union's identity by its code, whatever the date: a code names one union for
        good (unique, never given to another)."""
        t = self.t
        with self.engine.connect() as c:
            row = c.execute(sa.select(t.unions.c.union_id, t.unions.c.code, t.unions.c.level,
                                      t.unions.c.founded_on)
                            .where(t.unions.c.code == code)).first()
        return None if row is None else {"id": str(row.union_id), "code": row.code,
                                         "level": row.level, "founded_on": _iso(row.founded_on)}

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
        """The active unions on a date as nested nodes, from the roots or from one union (only
        its subtree is read: a recursive walk down the periods in force on the date, so a
        province's tree does not read the country's)."""
        t = self.t
        query = self._unions_on(on).where(t.union_periods.c.status == Status.ACTIVE.value)
        if root_id is not None:
            below = t.union_periods.alias("below")
            subtree = sa.select(sa.literal(root_id, sa.Uuid).label("union_id")).cte(
                "subtree", recursive=True)
            subtree = subtree.union_all(
                sa.select(below.c.union_id).join(subtree, below.c.parent_id == subtree.c.union_id)
                .where(valid_on(below, on), below.c.status == Status.ACTIVE.value))
            query = query.where(t.unions.c.union_id.in_(sa.select(subtree.c.union_id)))
        with self.engine.connect() as c:
            rows = [_union_row(r) for r in c.execute(query.order_by(t.unions.c.code))]
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

    def _bodies_on(self, columns: Iterable[Any], union_id: UUID, on: date, kind: str | None,
                   department: str | None) -> sa.Select[Any]:
        """The union's bodies in office on the date, of the kind and department if given."""
        t = self.t
        query = sa.select(*columns).where(
            t.bodies.c.union_id == union_id, t.bodies.c.term_start <= on,
            sa.or_(t.bodies.c.ended_on.is_(None), t.bodies.c.ended_on > on))
        if kind is not None:
            query = query.where(t.bodies.c.kind == kind)
        if department is not None:
            query = query.where(t.bodies.c.department == department)
        return query

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
        query = self._bodies_on([t.bodies], union_id, on, kind, department)
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
        query = self._bodies_on([t.bodies.c.body_id], union_id, on, kind, department)
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
