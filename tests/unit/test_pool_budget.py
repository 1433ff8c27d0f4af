"""Connection pools sized from the configuration, and the budget that refuses a deployment
whose pools cannot fit in PostgreSQL's ``max_connections`` (R5.3, ``runtime.pools``).

No connection is opened here: SQLAlchemy builds an engine and its pool without connecting.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eventsourcing.utils import Environment

from runtime.config import Settings
from runtime.errors import PoolBudgetExceeded
from runtime.pools import Demand, check_budget, per_process
from runtime.store import ENGINE_OPTIONS, Factory

PG = "postgresql+psycopg://postgres@db:5432/registry"


def _engine(settings: Settings, store: str = "registry"):  # type: ignore[no-untyped-def]
    """The engine the service store's factory builds from these settings (not connected)."""
    env = Environment(store, {"SQLALCHEMY_URL": settings.connection_url(store),
                              ENGINE_OPTIONS: json.dumps(settings.engine_options(store))})
    return Factory(env).datastore.engine


def test_r5_3_a_service_store_engine_has_the_configured_pool_and_pre_ping() -> None:
    engine = _engine(Settings({"REGISTRY_DATABASE_URL": PG, "EMU_DB_POOL_SIZE": "3",
                               "EMU_DB_MAX_OVERFLOW": "2"}))
    assert engine.pool.size() == 3
    assert engine.pool._max_overflow == 2
    assert engine.pool._pre_ping is True


def test_r5_3_the_defaults_are_five_and_five_with_pre_ping() -> None:
    engine = _engine(Settings({"REGISTRY_DATABASE_URL": PG}))
    assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._pre_ping) == (5, 5, True)


def test_r5_3_one_process_overrides_the_pool_for_its_own_store() -> None:
    settings = Settings({"REGISTRY_DATABASE_URL": PG, "AWARDS_DATABASE_URL": PG,
                         "EMU_DB_POOL_SIZE": "4", "REGISTRY_DB_POOL_SIZE": "2",
                         "REGISTRY_DB_MAX_OVERFLOW": "0"})
    registry, awards = _engine(settings, "registry"), _engine(settings, "awards")
    assert (registry.pool.size(), registry.pool._max_overflow) == (2, 0)
    assert (awards.pool.size(), awards.pool._max_overflow) == (4, 5)


def test_prepared_statements_can_be_turned_off_for_an_old_pgbouncer() -> None:
    settings = Settings({"REGISTRY_DATABASE_URL": PG, "REGISTRY_DB_PREPARE_THRESHOLD": "none"})
    assert settings.engine_options("registry")["connect_args"] == {"prepare_threshold": None}
    assert "connect_args" not in Settings({"REGISTRY_DATABASE_URL": PG}).engine_options("registry")


def test_sqlite_keeps_its_own_pool(tmp_path: Path) -> None:
    settings = Settings({"EMU_DATA_DIR": str(tmp_path), "EMU_DB_POOL_SIZE": "3"})
    assert settings.engine_options("registry") == {}
    assert _engine(settings).dialect.name == "sqlite"


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_a_pool_size_that_is_no_whole_number_from_one_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="EMU_DB_POOL_SIZE"):
        Settings({"REGISTRY_DATABASE_URL": PG, "EMU_DB_POOL_SIZE": value}).engine_options("registry")


def test_r5_3_the_budget_refuses_pools_that_cannot_fit_naming_the_sum() -> None:
    # Ten replicas of four services with SQLAlchemy's default 5 + 10: 600 connections.
    demands = [Demand(name, 10, 15) for name in ("registry", "initiatives", "reviews", "awards")]
    with pytest.raises(PoolBudgetExceeded) as refused:
        check_budget(demands, max_connections=100, reserved=10)
    assert refused.value.code == "DB_POOL_BUDGET_EXCEEDED"
    assert "600 connections" in refused.value.message
    assert "registry 10 x 15 + initiatives 10 x 15" in refused.value.message
    assert "100 - reserved 10 = 90" in refused.value.message
    assert refused.value.details["connections"] == 600 and refused.value.details["allowed"] == 90


def test_r5_3_the_budget_accepts_pools_that_fit_and_counts_the_reserve() -> None:
    assert check_budget([Demand("pgbouncer", 1, 60), Demand("relays", 5, 6)], 100, 10) == 90
    with pytest.raises(PoolBudgetExceeded, match="91 connections"):
        check_budget([Demand("pgbouncer", 1, 60), Demand("relays", 1, 31)], 100, 10)


def test_a_relay_counts_its_listen_session_too() -> None:
    settings = Settings({"EMU_DB_POOL_SIZE": "2", "EMU_DB_MAX_OVERFLOW": "1"})
    assert per_process(settings, "registry") == 3
    assert per_process(settings, "registry", relay=True) == 4


def test_the_budget_numbers_come_from_the_settings() -> None:
    assert (Settings({}).db_max_connections, Settings({}).db_reserved_connections) == (100, 10)
    settings = Settings({"EMU_DB_MAX_CONNECTIONS": "300", "EMU_DB_RESERVED_CONNECTIONS": "20",
                         "EMU_DB_REPLICAS": "4"})
    assert (settings.db_max_connections, settings.db_reserved_connections,
            settings.db_replicas) == (300, 20, 4)
