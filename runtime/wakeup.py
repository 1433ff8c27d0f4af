"""Between a service's store and its relay: the wake-up that a commit sends, and the lease
that lets one relay of a service publish at a time.

The relay used to read its store every 10 ms to find new events; idle, the four relays of
``make run`` kept a quarter of a core busy. Now a commit wakes it:

- PostgreSQL: the transaction that stores events sends ``NOTIFY <events table>``
  (``runtime.store``); the notification is delivered only once the transaction commits. The
  relay ``LISTEN``s on a connection of its own, which also holds the lease as a session
  advisory lock: a relay that dies drops the connection, and with it the lease.
- SQLite (one file on one machine): after a commit the service sends an empty datagram to a
  Unix socket beside the store's file (``<file>.wake``), which the relay binds; the lease is
  an exclusive ``flock`` on ``<file>.relay``, released by the kernel when the relay dies.
- An in-memory store has neither: the relay reads at its interval.

A wake-up may be lost (a relay restarting, a full socket buffer); the relay still reads at
``EMU_RELAY_POLL_INTERVAL`` (5 s by default), so a lost wake-up delays an event by one
interval at most and never loses it. This module must never import a service.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

log = logging.getLogger("emulation.relay")

# A Unix socket's path is limited to 108 bytes on Linux (sun_path, NUL included).
MAX_SOCKET_PATH = 107


def sqlite_file(engine: sa.Engine) -> Path | None:
    """The store's file, or None for a store in memory or not on SQLite."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def doorbell_path(database: Path) -> Path | None:
    path = database.with_name(database.name + ".wake")
    return path if len(os.fsencode(path)) <= MAX_SOCKET_PATH else None


class Doorbell:
    """The service's side on SQLite: rings the relay after a commit, never blocks, never
    fails the command (the relay's interval covers a ring that is not heard)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._socket: socket.socket | None = None

    @classmethod
    def for_engine(cls, engine: sa.Engine) -> Doorbell:
        database = sqlite_file(engine)
        return cls(doorbell_path(database) if database else None)

    def ring(self) -> None:
        if self.path is None:
            return
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)
            self._socket.sendto(b"", str(self.path))
        except OSError:  # no relay listening, or its buffer full: it reads at its interval
            pass


class Wakeups(Protocol):
    """The relay's side: one lease, and the commits of its store."""

    def acquire(self) -> bool:
        """Takes the lease if no other relay of the service holds it; True once held."""

    def wait(self, timeout: float) -> None:
        """Returns when the store committed events, or after ``timeout`` seconds."""

    def close(self) -> None:
        """Gives the lease up and stops listening."""


class PostgresWakeups:
    """LISTEN on the events table's channel and a session advisory lock, on one connection
    of the relay's own (not the pool's: it lives as long as the lease)."""

    def __init__(self, engine: sa.Engine, channel: str, lease: str) -> None:
        self.url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.channel = channel
        # Advisory locks are keyed by a 64-bit integer: one per service and database.
        self.key = int.from_bytes(hashlib.sha256(lease.encode()).digest()[:8], "big", signed=True)
        self._connection: Any = None

    def _connect(self) -> Any:
        if self._connection is None or self._connection.closed:
            import psycopg

            self._connection = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        return self._connection

    def acquire(self) -> bool:
        connection = self._connect()
        held = connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
        if held:
            connection.execute(f'LISTEN "{self.channel}"')
        return bool(held)

    def wait(self, timeout: float) -> None:
        for _ in self._connect().notifies(timeout=timeout, stop_after=1):
            pass

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
        self._connection = None


class SqliteWakeups:
    """A datagram socket the services ring, and an exclusive lock on a file beside the store."""

    def __init__(self, database: Path) -> None:
        self.lock_path = database.with_name(database.name + ".relay")
        self.socket_path = doorbell_path(database)
        self._lock: Any = None
        self._socket: socket.socket | None = None

    def acquire(self) -> bool:
        if self._lock is None:
            self._lock = open(self.lock_path, "a+b")  # noqa: SIM115 (held as long as the lease)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if self.socket_path is not None:
            # The lease is ours: a socket file left here is a dead relay's.
            with contextlib.suppress(FileNotFoundError):
                self.socket_path.unlink()
            self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._socket.bind(str(self.socket_path))
        else:
            log.warning("the store's path is too long for a wake-up socket: reading at the interval")
        return True

    def wait(self, timeout: float) -> None:
        if self._socket is None:
            threading.Event().wait(timeout)
            return
        self._socket.settimeout(timeout)
        try:
            self._socket.recv(1)
            self._socket.setblocking(False)
            while True:  # every ring that came meanwhile: one read serves them all
                self._socket.recv(1)
        except (TimeoutError, BlockingIOError):
            pass

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            if self.socket_path is not None:
                with contextlib.suppress(FileNotFoundError):
                    self.socket_path.unlink()
            self._socket = None
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None


class TimerWakeups:
    """A store in memory: one process, one relay; nothing to hear but the interval."""

    def acquire(self) -> bool:
        return True

    def wait(self, timeout: float) -> None:
        threading.Event().wait(timeout)

    def close(self) -> None:
        pass


def wakeups_for(engine: sa.Engine, channel: str, service: str) -> Wakeups:
    if engine.dialect.name == "postgresql":
        return PostgresWakeups(engine, channel, f"{service}-relay")
    database = sqlite_file(engine)
    return SqliteWakeups(database) if database else TimerWakeups()
