"""The connections a deployment may open to PostgreSQL, and the check that they fit (R5.3).

A process opens at most ``pool_size + max_overflow`` connections to its store
(``Settings.engine_options``); a relay one more, the session that LISTENs and holds its lease
(``runtime.wakeup``). A deployment runs each process as some replicas, and PostgreSQL accepts
``max_connections``, of which some are kept for people and tools (an administrator's psql, a
backup, the one-off import). So a deployment fits when

    sum over what connects to PostgreSQL of replicas x connections each
        <= max_connections - reserved

and, at a peak, one that does not would see its last connections refused ("too many
clients"). ``deploy/render.py --check`` refuses such a configuration with
``DB_POOL_BUDGET_EXCEEDED`` before it runs; ``check_server`` is the same arithmetic for one
process at its start, against the server it reached.

What goes through PgBouncer counts as PgBouncer's own server connections, not the clients'
pools: that is what PgBouncer is for (deploy/README.md).

This module never opens a connection but in ``check_server``, and never reads the environment:
the numbers come from ``Settings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runtime.config import Settings
from runtime.errors import PoolBudgetExceeded


@dataclass(frozen=True)
class Demand:
    """What one deployed thing may open to PostgreSQL: ``replicas`` x ``each``."""

    name: str
    replicas: int
    each: int

    @property
    def connections(self) -> int:
        return self.replicas * self.each

    def __str__(self) -> str:
        return f"{self.name} {self.replicas} x {self.each}"


def per_process(settings: Settings, store: str, relay: bool = False) -> int:
    """The most connections one process of ``store`` opens: its pool and overflow, and for a
    relay its LISTEN/lease session."""
    return settings.db_pool_size(store) + settings.db_max_overflow(store) + (1 if relay else 0)


def check_budget(demands: Sequence[Demand], max_connections: int, reserved: int,
                 server: str = "PostgreSQL", limit: str = "max_connections") -> int:
    """The connections ``demands`` may open together; ``PoolBudgetExceeded`` (naming the sum
    and each term) when more than ``max_connections - reserved``. ``server`` and ``limit``
    name what is counted against (PgBouncer's ``max_client_conn`` for its clients)."""
    total = sum(demand.connections for demand in demands)
    allowed = max_connections - reserved
    if total > allowed:
        terms = " + ".join(str(demand) for demand in demands)
        raise PoolBudgetExceeded(
            f"the processes may open {total} connections to {server} ({terms} = {total}), "
            f"more than {limit} {max_connections} - reserved {reserved} = {allowed}",
            {"connections": total, "allowed": allowed, "server": server,
             limit: max_connections, "reserved": reserved,
             "demands": {demand.name: demand.connections for demand in demands}})
    return total


def check_server(engine: Any, settings: Settings, store: str) -> int | None:
    """At a process's start: ``EMU_DB_REPLICAS`` processes like this one must fit in the
    server's ``max_connections`` less the reserve. Only this process's replicas are counted,
    not the other processes sharing the server (the deployment's budget counts those,
    ``deploy/render.py --check``), so the many processes of ``make run`` and of the tests on
    one PostgreSQL with its defaults pass. Nothing on SQLite; None then."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        server = int(connection.exec_driver_sql("SHOW max_connections").scalar_one())
    replicas = settings.db_replicas
    return check_budget([Demand(store, replicas, per_process(settings, store))],
                        server, settings.db_reserved_connections)
