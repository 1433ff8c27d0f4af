from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.config import Settings
from tests.support.infra import fresh_database, fresh_vhost


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_database() as url:
        yield url


@pytest.fixture
def amqp_uri() -> Iterator[str]:
    with fresh_vhost() as uri:
        yield uri


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each store test runs on the default (SQLite file) and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        with fresh_database() as url:
            yield url


@pytest.fixture
def settings_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Settings whose every service store is the given URL."""

    def make(url: str, **extra: str) -> Settings:
        env = {"EMU_DATA_DIR": str(tmp_path / "data"), **extra}
        for service in ("registry", "initiatives", "reviews", "awards", "tally"):
            env[f"{service.upper()}_DATABASE_URL"] = url
        return Settings(env)

    return make
