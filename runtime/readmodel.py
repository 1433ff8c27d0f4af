"""Read models: SQL tables a service keeps from its own events, for lists, search and reports.

A read model is written in the same transaction as the events it reflects
(``ServiceApplication._record``), so a query never sees a half-applied command and a command
that the read model refuses (for example a broken database constraint) stores nothing. It is
derived data: ``rebuild`` drops the tables and replays the whole notification log.

Handlers are methods marked ``@handles(SomeAggregate.SomeEvent)`` that write through a
``Writer``. Inserts are buffered and sent as one executemany per table, which is what makes
bulk imports fast; any other statement sends the buffers first, so it sees every earlier row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from runtime.store import create_tables, schema_lock

Handler = Callable[[Any, Any, "Writer"], None]


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    def mark(method: Handler) -> Handler:
        method._handles = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class Writer:
    """Buffers inserts per table (sent as one executemany each); any other statement sends
    them first, so it sees every row written before it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._rows: dict[sa.Table, list[dict[str, Any]]] = {}

    def insert(self, table: sa.Table, **row: Any) -> None:
        self._rows.setdefault(table, []).append(row)

    def execute(self, statement: Any, parameters: Any = None) -> Any:
        self.flush()
        return self.connection.execute(statement, parameters)

    def flush(self) -> None:
        rows, self._rows = self._rows, {}
        for table, batch in rows.items():
            self.connection.execute(table.insert(), batch)


class ReadModel:
    metadata: ClassVar[sa.MetaData]

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._handlers: dict[type, Handler] = {}
        for klass in reversed(type(self).__mro__):
            for attribute in vars(klass).values():
                for event_class in getattr(attribute, "_handles", ()):
                    self._handlers[event_class] = attribute

    def key(self, domain_event: Any) -> Any:
        """What a handler is registered under for this event (its class, by default)."""
        return type(domain_event)

    def create(self) -> None:
        create_tables(self.engine, lambda: self.metadata.create_all(self.engine))

    def apply(self, connection: Connection, events: Iterable[Any]) -> None:
        writer = Writer(connection)
        for domain_event in events:
            handler = self._handlers.get(self.key(domain_event))
            if handler is not None:
                handler(self, domain_event, writer)
        writer.flush()

    def rebuild(self, notifications: Callable[[int | None], Sequence[Any]],
                to_event: Callable[[Any], Any]) -> int:
        """Drops the tables and replays the log; returns how many notifications were read."""
        with schema_lock(self.engine):
            self.metadata.drop_all(self.engine)
            self.metadata.create_all(self.engine)
        position, count = None, 0
        while True:
            page = notifications(position)
            if not page:
                return count
            with self.engine.begin() as connection:
                self.apply(connection, (to_event(n) for n in page))
            position, count = page[-1].id, count + len(page)


class UpstreamView(ReadModel):
    """A consumer's view of an upstream service's published envelopes (for example the
    registry's facts), under the consumer's own table names, so services that share one
    database keep separate views. Written in the same transaction as the tracking record of
    the notifications that brought the envelopes (``ServiceApplication.upstream_views``).

    The live path hands every view every upstream envelope and the view keeps those it knows;
    ``sources`` may name the upstreams a view keeps (None: any), which only tells a replay
    which views an upstream it cannot read leaves unchecked."""

    sources: ClassVar[tuple[str, ...] | None] = None

    def __init__(self, engine: Any, consumer: str) -> None:
        super().__init__(engine)
        self.consumer = consumer

    def fed_by(self, source: str) -> bool:
        return self.sources is None or source in self.sources


class ReplayError(Exception):
    """An upstream's published pages could not be replayed (unreadable, or not a log)."""


def replay_upstream(engine: Any, views: Sequence[UpstreamView], source: str,
                    read: Callable[..., Mapping[str, Any]], upcast: Callable[[Any], Any],
                    stop: int | None, page_size: int = 1000) -> int:
    """R5.1: feeds ``views`` (empty tables on ``engine``) one upstream's published envelopes
    up to ``stop``, the position the consumer has processed, as the inbox feeds them: each
    envelope decoded and upcast by the consumer's catalog, every view given every envelope
    in log order. ``read(after=, stop=, limit=)`` is the upstream's ``notifications`` page
    (``ServiceApplication.published_page`` or its RPC). Returns how many envelopes it fed."""
    from runtime.contracts import Envelope

    count, after = 0, None
    if stop is None:
        return 0
    while True:
        page = read(after=after, stop=stop, limit=page_size)
        try:
            raw, scanned, complete = page["envelopes"], page["scanned_to"], page["complete"]
            envelopes = [Envelope.from_dict(item) for item in raw]
        except Exception as exc:
            raise ReplayError(f"{source} returned a page that is not one: {exc}") from exc
        last = after
        for envelope in envelopes:
            if envelope.source != source:
                raise ReplayError(f"{source}'s log holds an event from {envelope.source}")
            if (last is not None and envelope.notification_id <= last) \
                    or envelope.notification_id > stop:
                raise ReplayError(f"{source}'s page went out of order at "
                                  f"{envelope.notification_id}")
            last = envelope.notification_id
        if envelopes:
            upcast_ = [upcast(envelope) for envelope in envelopes]
            with engine.begin() as connection:
                for view in views:
                    view.apply(connection, upcast_)
            count += len(envelopes)
        if complete or scanned is None or scanned == after or scanned >= stop:
            return count
        after = scanned


def _comparable(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns that say what a row holds: not a surrogate key a sequence numbered."""
    return [c for c in table.columns
            if not (c.primary_key and c.autoincrement is True and isinstance(c.type, sa.Integer))
            and not (c.primary_key and c.autoincrement == "auto" and len(table.primary_key) == 1
                     and isinstance(c.type, sa.Integer))]


def table_rows(connection: Connection, table: sa.Table) -> list[tuple[str, ...]]:
    columns = _comparable(table)
    return sorted(tuple("" if v is None else str(v) for v in row)
                  for row in connection.execute(sa.select(*columns)))


def snapshot(connection: Connection, metadata: sa.MetaData) -> dict[str, list[tuple[str, ...]]]:
    """Every table of a read model as comparable rows (surrogate keys left out)."""
    return {table.name: table_rows(connection, table) for table in metadata.sorted_tables}


def compare_rows(live: Mapping[str, list[tuple[str, ...]]],
                 rebuilt: Mapping[str, list[tuple[str, ...]]], shown: int = 3) -> dict[str, Any]:
    """Rows missing from the live tables, rows they have that the log does not explain."""
    differences: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for name, theirs in rebuilt.items():
        mine = live.get(name, [])
        counts[name] = len(theirs)
        if mine != theirs:
            have, want = set(mine), set(theirs)
            differences[name] = {
                "live": len(mine), "rebuilt": len(theirs),
                "missing": [list(r) for r in sorted(want - have)[:shown]],
                "unexplained": [list(r) for r in sorted(have - want)[:shown]]}
    return {"ok": not differences, "rows": counts, "differences": differences}


def compare(live: Any, rebuilt: Any, metadata: sa.MetaData, shown: int = 3) -> dict[str, Any]:
    """Every table of a read model, live against rebuilt from the log: rows missing from
    the live one, rows it has that the log does not explain (R5.1: reported, not hidden)."""
    with live.connect() as a, rebuilt.connect() as b:
        return compare_rows(snapshot(a, metadata), snapshot(b, metadata), shown)
