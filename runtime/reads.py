"""Plain reads: the engine a service's queries and pre-command checks read through."""

from __future__ import annotations

from typing import Any

# Where an engine keeps its autocommit view, made on first use (about 26 µs: not per read). On
# the engine itself: a view holds its engine, so a weak map keyed by the engine would keep both.
_VIEW = "_emulation_plain_reads"


def plain_reads(engine: Any) -> Any:
    """The engine for reads that run one statement at a time (a query, a check before a
    command): on PostgreSQL in autocommit, so a read is one round trip to the database instead
    of three (BEGIN, the statement, ROLLBACK when the pooled connection is returned). PostgreSQL
    runs every statement under READ COMMITTED with a snapshot of its own even inside a
    transaction, so a reader sees exactly what it saw before. It shares the engine's pool.
    Other databases: the engine itself."""
    if engine.dialect.name != "postgresql":
        return engine
    view = getattr(engine, _VIEW, None)
    if view is None:
        view = engine.execution_options(isolation_level="AUTOCOMMIT")
        setattr(engine, _VIEW, view)
    return view
