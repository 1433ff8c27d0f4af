"""On the real PostgreSQL: the engines the project builds have the configured pools, a pooled
connection killed under them (a PostgreSQL restart) is replaced before a request uses it, and
a process whose replicas' pools cannot fit in the server's ``max_connections`` does not start
(R5.3, ``runtime.pools``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from gateway.accounts import Accounts
from runtime.config import Settings
from runtime.errors import PoolBudgetExceeded
from runtime.services import SERVICES

pytestmark = pytest.mark.postgres


@pytest.fixture
def registry(pg_url: str, settings_for: Callable[..., Settings]) -> Iterator[Any]:
    app = SERVICES["registry"].application_class()(
        settings_for(pg_url, EMU_DB_POOL_SIZE="2", EMU_DB_MAX_OVERFLOW="1"))
    yield app
    app.engine.dispose()


def _terminate_every_other_backend(pg_url: str) -> int:
    """What a PostgreSQL restart does to the pool: every connection to the database dies."""
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"),
                         autocommit=True) as admin:
        return len(admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall())


def test_r5_3_a_service_store_has_the_configured_pool(registry: Any) -> None:
    pool = registry.engine.pool
    assert (pool.size(), pool._max_overflow, pool._pre_ping) == (2, 1, True)


def test_r5_3_a_pooled_connection_killed_under_the_store_is_replaced_not_failed(
        registry: Any, pg_url: str) -> None:
    engine = registry.engine
    with engine.connect() as connection:
        before = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert engine.pool.checkedin() >= 1  # the connection waits in the pool
    assert _terminate_every_other_backend(pg_url) >= 1
    with engine.connect() as connection:  # pre-ping finds it dead and opens another
        after = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    assert after != before
    _terminate_every_other_backend(pg_url)
    assert isinstance(registry.published_page(None), dict)  # a request: answered, no failure


def test_r5_3_the_gateway_accounts_store_has_the_configured_pool(
        pg_url: str, settings_for: Callable[..., Settings]) -> None:
    accounts = Accounts(settings_for(pg_url, GATEWAY_DATABASE_URL=pg_url,
                                     GATEWAY_DB_POOL_SIZE="3", EMU_DB_MAX_OVERFLOW="2"))
    try:
        pool: Any = accounts.engine.pool
        assert (pool.size(), pool._max_overflow, pool._pre_ping) == (3, 2, True)
    finally:
        accounts.close()


def test_r5_3_a_process_whose_replicas_cannot_fit_the_server_does_not_start(
        pg_url: str, settings_for: Callable[..., Settings]) -> None:
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql")) as admin:
        server = int(admin.execute("SHOW max_connections").fetchall()[0][0])
    too_many = str(server // 10 + 1)  # x (5 + 5) each: more than the server less the reserve
    with pytest.raises(PoolBudgetExceeded, match=f"max_connections {server} - reserved 10"):
        SERVICES["registry"].application_class()(settings_for(pg_url, EMU_DB_REPLICAS=too_many))
    SERVICES["registry"].application_class()(settings_for(pg_url)).engine.dispose()  # 1 x 10 fits
