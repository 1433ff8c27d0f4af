"""Real PostgreSQL and RabbitMQ for tests: a fresh database and a fresh vhost per test.

When either does not answer, the test fails with what to do; it never skips (CI=true or
not): a test that silently does not run proves nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_ADMIN_URL = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=test"
AMQP_HOST = os.environ.get("TEST_AMQP_HOST", "127.0.0.1")
AMQP_PORT = int(os.environ.get("TEST_AMQP_PORT", "5672"))


def _require(host: str, port: int, what: str, how: str) -> None:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        pytest.fail(f"{what} does not answer on {host}:{port}. Start it: {how}", pytrace=False)


@contextmanager
def fresh_database() -> Iterator[str]:
    _require(PG_HOST, PG_PORT, "PostgreSQL",
             "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@contextmanager
def fresh_vhost() -> Iterator[str]:
    _require(AMQP_HOST, AMQP_PORT, "RabbitMQ", "rabbitmq-server -detached")
    name = f"t_{uuid.uuid4().hex[:16]}"
    _rabbitmqctl("add_vhost", name)
    _rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
    try:
        yield f"amqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}/{name}"
    finally:
        _rabbitmqctl("delete_vhost", name)
