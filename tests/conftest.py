"""The tiers every test belongs to, and the fixtures for real servers.

A test's tier comes from what it needs, so nobody has to remember to mark it:
- ``system``: it starts the system's processes, the browser or the fault suite (marked
  ``system``, ``e2e`` or ``faults``);
- ``integration``: it talks to PostgreSQL, RabbitMQ or a mail server (marked ``postgres``,
  ``bus`` or ``smtp``, uses
  ``pg_url`` or ``amqp_uri``, or runs on the PostgreSQL side of ``store_url``);
- ``unit``: everything else: domain and application logic on in-process stores (SQLite in a
  temporary folder). A unit test may open no network connection at all: one that tries fails
  at once, so ``make test-unit`` passes with every server stopped.

``make test`` runs every tier, unit first; ``make test-unit``, ``-integration`` and ``-system``
one each (``pytest -m unit`` ...).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
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
        for service in ("registry", "initiatives", "reviews", "awards", "notifications", "tally"):
            env[f"{service.upper()}_DATABASE_URL"] = url
        return Settings(env)

    return make


TIERS = ("unit", "integration", "system")
SYSTEM_MARKS = frozenset({"system", "e2e", "faults"})
SERVER_MARKS = frozenset({"postgres", "bus", "smtp"})
SERVER_FIXTURES = frozenset({"pg_url", "amqp_uri"})


def tier_of(item: pytest.Item) -> str:
    marks = {mark.name for mark in item.iter_markers()}
    if marks & SYSTEM_MARKS:
        return "system"
    callspec = getattr(item, "callspec", None)
    on_postgresql = callspec is not None and callspec.params.get("store_url") == "postgresql"
    if marks & SERVER_MARKS or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())) \
            or on_postgresql:
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(tier_of(item))
    items.sort(key=lambda item: TIERS.index(tier_of(item)))  # stable: modules stay together


class NetworkInUnitTest(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _unit_tests_open_no_connection(request: pytest.FixtureRequest,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit test that opens a network connection fails at once, naming where it tried."""
    if request.node.get_closest_marker("unit") is None:
        return
    original = socket.socket.connect

    def refuse(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkInUnitTest(
                f"a unit test connected to {address}: it needs a server, so it belongs to the "
                "integration tier (mark it postgres or bus, or use pg_url / amqp_uri)")
        original(sock, address)

    def refuse_postgresql(*args: Any, **kwargs: Any) -> None:  # libpq opens its own sockets
        raise NetworkInUnitTest("a unit test connected to PostgreSQL: it belongs to the "
                                "integration tier (mark it postgres, or use pg_url)")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(psycopg.Connection, "connect", refuse_postgresql)
    monkeypatch.setattr(psycopg, "connect", refuse_postgresql)  # bound at import: patched apart
