"""The read model's Writer: inserts and updates by key are buffered and sent in batches, and
what reaches the tables is what the statements one by one would have left (SQLite and
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.readmodel import Add, Writer

metadata = sa.MetaData()
items = sa.Table(
    "writer_items", metadata,
    sa.Column("item_id", sa.String(16), primary_key=True),
    sa.Column("code", sa.String(16), unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("total", sa.BigInteger),
    sa.Column("note", sa.Text, server_default="none"),
)
pairs = sa.Table(
    "writer_pairs", metadata,
    sa.Column("a", sa.String(16), primary_key=True),
    sa.Column("b", sa.Integer, primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)


@pytest.fixture
def engine(store_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(store_url)
    metadata.create_all(engine)
    try:
        yield engine
    finally:
        engine.dispose()


class Counting:
    """The connection, counting the statements sent (an executemany counts once)."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.sent: list[tuple[str, int]] = []

    def execute(self, statement: Any, parameters: Any = None) -> Any:
        kind = str(statement).split()[0]
        self.sent.append((kind, len(parameters) if isinstance(parameters, list) else 1))
        return self.connection.execute(statement, parameters)


def rows(connection: sa.Connection, table: sa.Table = items) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in connection.execute(sa.select(table).order_by(*table.primary_key))]


def item(item_id: str, **values: Any) -> dict[str, Any]:
    return {"item_id": item_id, "code": None, "status": "new", "count": 0, "total": 0,
            **values}


def test_insert_then_update_changes_the_pending_row(engine: sa.Engine) -> None:
    with engine.begin() as c:
        sent = Counting(c)
        w = Writer(sent)  # type: ignore[arg-type]
        for i in range(3):
            w.insert(items, **item(f"i{i}"))
            w.update(items, (f"i{i}",), status="done", count=Add(2))
            w.update(items, (f"i{i}",), count=Add(3), total=Add(10))
        w.flush()
        assert sent.sent == [("INSERT", 3)]  # no UPDATE at all: the rows went in changed
        assert rows(c) == [(f"i{i}", None, "done", 5, 10, "none") for i in range(3)]


def test_updates_of_one_row_are_folded_and_rows_batched(engine: sa.Engine) -> None:
    with engine.begin() as c:
        Writer(c).execute(items.insert(), [item(f"i{i}", count=i) for i in range(4)])
        sent = Counting(c)
        w = Writer(sent)  # type: ignore[arg-type]
        for i in range(4):
            w.update(items, (f"i{i}",), status="first")
            w.update(items, (f"i{i}",), count=Add(1))
            w.update(items, (f"i{i}",), status="second", count=Add(1))
        w.update(items, ("i3",), total=Add(7))  # another set of columns
        w.update(items, ("missing",), status="x")  # no such row: nothing, as before
        assert sent.sent == []
        w.flush()
        # i0-i2: status and count; i3: with total too; "missing": status only
        assert sorted(sent.sent) == [("UPDATE", 1), ("UPDATE", 1), ("UPDATE", 3)]
        assert rows(c) == [("i0", None, "second", 2, 0, "none"), ("i1", None, "second", 3, 0, "none"),
                           ("i2", None, "second", 4, 0, "none"), ("i3", None, "second", 5, 7, "none")]


def test_add_increments_the_stored_value(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(items.insert(), [item("a", count=40, total=None), item("b", count=1)])
        w = Writer(c)
        w.update(items, ("a",), count=Add(1), total=Add(5))  # NULL + 5 stays NULL
        w.update(items, ("a",), count=Add(1))
        w.update(items, ("b",), count=10)
        w.update(items, ("b",), count=Add(1))  # a value then an increment: the sum
        w.flush()
        assert rows(c) == [("a", None, "new", 42, None, "none"), ("b", None, "new", 11, 0, "none")]


def test_add_on_a_pending_row_with_null(engine: sa.Engine) -> None:
    with engine.begin() as c:
        w = Writer(c)
        w.insert(items, **item("a", total=None))
        w.update(items, ("a",), total=Add(5), count=Add(1))
        w.flush()
        assert rows(c) == [("a", None, "new", 1, None, "none")]


def test_reads_see_every_pending_write(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(items.insert(), [item("old", count=1)])
        w = Writer(c)
        w.insert(items, **item("new"))
        w.update(items, ("new",), count=Add(5))
        w.update(items, ("old",), status="read", count=Add(1))
        found = w.execute(sa.select(items.c.item_id, items.c.status, items.c.count)
                          .order_by(items.c.item_id)).all()
        assert [tuple(r) for r in found] == [("new", "new", 5), ("old", "read", 2)]
        w.update(items, ("old",), count=Add(1))  # after the read: pending again
        w.flush()
        assert c.execute(sa.select(items.c.count).where(items.c.item_id == "old")).scalar() == 3


def test_delete_after_update(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(items.insert(), [item("a"), item("b")])
        w = Writer(c)
        w.update(items, ("a",), status="changed")
        w.update(items, ("b",), status="changed")
        w.execute(items.delete().where(items.c.status == "changed", items.c.item_id == "a"))
        w.flush()
        assert rows(c) == [("b", None, "changed", 0, 0, "none")]


def test_pending_insert_deleted_then_updated(engine: sa.Engine) -> None:
    with engine.begin() as c:
        w = Writer(c)
        w.insert(items, **item("a"))
        w.execute(items.delete().where(items.c.item_id == "a"))
        w.update(items, ("a",), status="gone")  # the row is no more: nothing
        w.flush()
        assert rows(c) == []


def test_update_before_insert_of_the_same_row_does_not_reach_it(engine: sa.Engine) -> None:
    with engine.begin() as c:
        w = Writer(c)
        w.update(items, ("a",), status="too early", count=Add(1))  # no row yet: nothing
        w.insert(items, **item("a"))
        w.update(items, ("a",), count=Add(2))
        w.flush()
        assert rows(c) == [("a", None, "new", 2, 0, "none")]


def test_update_of_a_column_the_insert_leaves_to_its_default(engine: sa.Engine) -> None:
    with engine.begin() as c:
        w = Writer(c)
        w.insert(items, **item("a"))
        w.insert(items, **item("b"))
        w.update(items, ("a",), note="set", count=Add(1))
        w.flush()
        assert rows(c) == [("a", None, "new", 1, 0, "set"), ("b", None, "new", 0, 0, "none")]


def test_composite_key(engine: sa.Engine) -> None:
    with engine.begin() as c:
        c.execute(pairs.insert(), [{"a": "x", "b": 1, "value": 1}, {"a": "x", "b": 2, "value": 1}])
        w = Writer(c)
        w.insert(pairs, a="y", b=1, value=0)
        w.update(pairs, ("y", 1), value=Add(4))
        w.update(pairs, ("x", 2), value=Add(4))
        w.flush()
        assert rows(c, pairs) == [("x", 1, 1), ("x", 2, 5), ("y", 1, 4)]


def test_same_rows_as_statements_one_by_one(engine: sa.Engine) -> None:
    """A mixed sequence, once through update and once as plain statements."""
    script: list[tuple[str, Any]] = []
    for i in range(30):
        script.append(("insert", item(f"r{i}", count=i)))
        script.append(("update", (f"r{(i * 7) % (i + 1)}", {"count": Add(i), "status": f"s{i}"})))
        script.append(("update", (f"r{i // 2}", {"total": Add(3)})))
        if i % 9 == 4:
            script.append(("delete", f"r{i - 2}"))
        if i % 11 == 5:
            script.append(("update", (f"r{i}", {"count": 100})))

    def run(w: Writer, folded: bool) -> list[tuple[Any, ...]]:
        for op, arg in script:
            if op == "insert":
                w.insert(items, **arg)
            elif op == "delete":
                w.execute(items.delete().where(items.c.item_id == arg))
            elif folded:
                w.update(items, (arg[0],), **arg[1])
            else:
                w.execute(items.update().where(items.c.item_id == arg[0]).values(
                    {k: items.c[k] + v.n if isinstance(v, Add) else v
                     for k, v in arg[1].items()}))
        w.flush()
        return rows(w.connection)

    with engine.connect() as c:
        with c.begin() as t:
            folded = run(Writer(c), True)
            t.rollback()
        with c.begin() as t:
            plain = run(Writer(c), False)
            t.rollback()
    assert folded == plain
    assert len(folded) == 27


def test_refuses_what_it_cannot_fold(engine: sa.Engine) -> None:
    with engine.begin() as c:
        w = Writer(c)
        with pytest.raises(ValueError):
            w.update(items, ("a",), item_id="b")  # the key
        with pytest.raises(ValueError):
            w.update(items, ("a",), code="b")  # a unique column
        with pytest.raises(ValueError):
            w.update(items, ("a", 1), status="x")  # not the key
        with pytest.raises(ValueError):
            w.update(items, ("a",), colour="x")
        with pytest.raises(TypeError):
            w.update(items, ("a",), count=items.c.count + 1)
        with pytest.raises(TypeError):
            w.update(items, ("a",), count=Add("1"))
