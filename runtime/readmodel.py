"""Read models: SQL tables a service keeps from its own events, for lists, search and reports.

A read model is written in the same transaction as the events it reflects
(``ServiceApplication._record``), so a query never sees a half-applied command and a command
that the read model refuses (for example a broken database constraint) stores nothing. It is
derived data: ``rebuild`` drops the tables and replays the whole notification log.

Handlers are methods marked ``@handles(SomeAggregate.SomeEvent)`` that write through a
``Writer``. Inserts are buffered and sent as one executemany per table, and updates of one row
by its key are folded and sent as one executemany per table and set of columns, which is what
makes bulk imports and rebuilds fast; any other statement sends the buffers first, so it sees
every earlier write.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from runtime.store import create_tables, schema_lock

Handler = Callable[[Any, Any, "Writer"], None]


def handles(*keys: object) -> Callable[[Handler], Handler]:
    """Marks a handler of the events with these keys (``ReadModel.key``: their class, by default)."""
    def mark(method: Handler) -> Handler:
        method._handles = keys  # type: ignore[attr-defined]
        return method

    return mark


@dataclass(frozen=True)
class Add:
    """A value for ``Writer.update``: the column plus ``n`` (``SET col = col + n``)."""

    n: Any


def _number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _folded(old: Any, new: Any) -> tuple[bool, Any]:
    """``new`` written over ``old`` as one value, as SQL would leave it: (False, None) when it
    cannot be worked out here (then the earlier change is sent first)."""
    if not isinstance(new, Add):
        return True, new
    if old is None:
        return True, None  # NULL + n is NULL
    if not (_number(old) or isinstance(old, Add)):
        return False, None
    try:
        return True, Add(old.n + new.n) if isinstance(old, Add) else old + new.n
    except TypeError:  # for example a float and a Decimal
        return False, None


@functools.lru_cache(maxsize=1024)
def _keyed(table: sa.Table) -> tuple[tuple[str, ...], frozenset[str]]:
    """The table's primary key columns, and the columns ``Writer.update`` may not change (the
    key and every column of a unique constraint or index: rows sent out of their order could
    then clash where the statements in order would not)."""
    key = tuple(c.name for c in table.primary_key.columns)
    fixed = set(key)
    fixed.update(c.name for c in table.columns if c.unique)
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            fixed.update(c.name for c in constraint.columns)
    for index in table.indexes:
        if index.unique:
            fixed.update(c.name for c in index.columns if isinstance(c, sa.Column))
    return key, frozenset(fixed)


@functools.lru_cache(maxsize=1024)
def _update_statement(table: sa.Table, shape: tuple[tuple[str, bool], ...]) -> Any:
    """``UPDATE table SET col = :v0, other = other + :v1 ... WHERE pk = :k0 ...``."""
    key, _ = _keyed(table)
    values: dict[str, Any] = {}
    for i, (name, add) in enumerate(shape):
        column = table.c[name]
        parameter = sa.bindparam(f"_v{i}", type_=column.type)
        values[name] = column + parameter if add else parameter
    return table.update().where(*[
        table.c[name] == sa.bindparam(f"_k{i}", type_=table.c[name].type)
        for i, name in enumerate(key)]).values(values)


class Writer:
    """Buffers a transaction's writes to the read model and sends them in batches.

    ``insert`` buffers a row per table (sent as one executemany each). ``update`` changes one
    row by its primary key: a row still waiting to be inserted is changed in place; otherwise
    every change to that row is folded into one pending change (a later value overrides an
    earlier one, ``Add`` amounts add up), sent after the inserts as one executemany per table
    and set of columns. ``execute`` sends everything pending first, so a statement (a read, a
    delete, an update by any other condition) sees every write made before it, in order.

    What is sent is what the statements one by one would have left: an update only ever
    reaches a row already in the table or one of the pending inserts (an insert of a row with
    a change pending sends that change first, as it would have been), and ``update`` refuses
    the key and unique columns, so sending different rows' writes grouped cannot clash where
    the statements in order would not. Key values must be given as the inserts give them
    (the same Python types), so a pending row is recognised; a change of a row not recognised
    is sent after the inserts, as it would have been had the row been flushed."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._rows: dict[sa.Table, list[dict[str, Any]]] = {}
        # The pending inserts of the tables updated since the last flush, by key.
        self._index: dict[sa.Table, dict[tuple[Any, ...], dict[str, Any]]] = {}
        # The pending changes of rows not among the pending inserts, by table and key.
        self._changes: dict[sa.Table, dict[tuple[Any, ...], dict[str, Any]]] = {}

    @staticmethod
    def _key(table: sa.Table, row: Mapping[str, Any]) -> tuple[Any, ...] | None:
        names, _ = _keyed(table)
        try:
            return tuple(row[name] for name in names)
        except KeyError:
            return None  # a key the database will number: no update by key can name it yet

    def insert(self, table: sa.Table, **row: Any) -> None:
        changes, index = self._changes.get(table), self._index.get(table)
        if changes is not None or index is not None:
            key = self._key(table, row)
            if key is not None and changes is not None and key in changes:
                self.flush()  # that change came first: it must not reach this row
                index = None
            if key is not None and index is not None:
                index[key] = row
        self._rows.setdefault(table, []).append(row)

    def update(self, table: sa.Table, key: Sequence[Any], **values: Any) -> None:
        """``UPDATE table SET col = value, other = other + n ... WHERE pk = key`` (``key``: the
        primary key's values in its columns' order; ``Add(n)`` for ``other + n``), folded
        with the other pending writes of the row and sent at the next flush."""
        names, fixed = _keyed(table)
        key = tuple(key)
        if len(key) != len(names):
            raise ValueError(f"{table.name}'s key is {names}, not {key!r}")
        if not values:
            raise ValueError("an update must set at least one column")
        for name, value in values.items():
            if name not in table.c:
                raise ValueError(f"{table.name} has no column {name!r}")
            if name in fixed:
                raise ValueError(f"{table.name}.{name} is a key or unique column: change it "
                                 "with execute")
            if isinstance(value, sa.ClauseElement) or (
                    isinstance(value, Add) and not _number(value.n)):
                raise TypeError(f"{table.name}.{name}: a value or Add(number), not {value!r} "
                                "(send a statement with execute)")
        index = self._index.get(table)
        if index is None:
            index = self._index[table] = {}
            for pending in self._rows.get(table, ()):
                pending_key = self._key(table, pending)
                if pending_key is not None:
                    index[pending_key] = pending
        row = index.get(key)
        if row is not None:
            folded = {}
            for name, value in values.items():
                if name not in row:
                    break  # the insert leaves it to a default: change it once inserted
                ok, folded[name] = _folded(row[name], value)
                if not ok:
                    break
            else:
                row.update(folded)
                return
            self.flush()
        changes = self._changes.setdefault(table, {})
        change = changes.get(key)
        if change is None:
            changes[key] = dict(values)
            return
        folded = {}
        for name, value in values.items():
            ok, folded[name] = _folded(change[name], value) if name in change else (True, value)
            if not ok:
                self.flush()
                self._changes.setdefault(table, {})[key] = dict(values)
                return
        change.update(folded)

    def execute(self, statement: Any, parameters: Any = None) -> Any:
        self.flush()
        return self.connection.execute(statement, parameters)

    def flush(self) -> None:
        """Sends the pending inserts (one executemany per table), then the pending changes
        (one executemany per table and set of columns)."""
        rows, self._rows = self._rows, {}
        changes, self._changes = self._changes, {}
        self._index = {}
        for table, batch in rows.items():
            self.connection.execute(table.insert(), batch)
        for table, by_key in changes.items():
            groups: dict[tuple[tuple[str, bool], ...], list[dict[str, Any]]] = {}
            for key, change in by_key.items():
                shape = tuple(sorted((name, isinstance(value, Add))
                                     for name, value in change.items()))
                parameters = {f"_k{i}": value for i, value in enumerate(key)}
                for i, (name, add) in enumerate(shape):
                    value = change[name]
                    parameters[f"_v{i}"] = value.n if add else value
                groups.setdefault(shape, []).append(parameters)
            for shape, batch in groups.items():
                self.connection.execute(_update_statement(table, shape), batch)


class ReadModel:
    metadata: ClassVar[sa.MetaData]

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._handlers: dict[object, Handler] = {}
        for klass in reversed(type(self).__mro__):
            for attribute in vars(klass).values():
                for key in getattr(attribute, "_handles", ()):
                    self._handlers[key] = attribute

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
                to_event: Callable[[Any], Any],
                progress: Callable[[int], None] | None = None) -> int:
        """Drops the tables and replays the log; returns how many notifications were read.
        ``progress`` is told that count after each page (a job's heartbeat, ``runtime.jobs``)."""
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
            if progress is not None:
                progress(count)


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
                    stop: int | None, page_size: int = 1000,
                    progress: Callable[[int], None] | None = None) -> int:
    """R5.1: feeds ``views`` (empty tables on ``engine``) one upstream's published envelopes
    up to ``stop``, the position the consumer has processed, as the inbox feeds them: each
    envelope decoded and upcast by the consumer's catalog, every view given every envelope
    in log order. ``read(after=, stop=, limit=)`` is the upstream's ``notifications`` page
    (``ServiceApplication.published_page`` or its RPC). Returns how many envelopes it fed;
    ``progress`` is told the upstream position scanned to after each page."""
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
        if progress is not None:
            progress(min(scanned, stop))


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
