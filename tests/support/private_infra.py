"""A PostgreSQL server and a RabbitMQ node of a test's own, for the fault suite: it restarts
them (a crash of PostgreSQL, a stop and start of the broker) while the system runs, which it
must not do to the machine's shared servers that every other test uses.

Each is started from the machine's installed binaries (Debian's ``postgresql`` and
``rabbitmq-server``) on a free port with its data under the test's directory; the database
runs as the ``postgres`` user and the broker as ``rabbitmq`` when the test runs as root, as
both refuse or expect. When the binaries are missing the test fails with what to install; it
never skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.processes import eventually, free_port


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not versions:
        pytest.fail("PostgreSQL's server binaries are missing: apt-get install postgresql",
                    pytrace=False)
    return versions[-1].parent


def _as(user: str, argv: list[str]) -> list[str]:
    """The command run as ``user`` when we are root (PostgreSQL refuses to run as root)."""
    return ["runuser", "-u", user, "--", *argv] if os.geteuid() == 0 else argv


def _give(path: Path, user: str) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user, user)
        for child in path.rglob("*"):
            shutil.chown(child, user, user)


@dataclass
class PrivatePostgres:
    base: Path
    port: int

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/system"

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=system"

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as("postgres", [str(_postgres_bin() / "pg_ctl"), "-D", str(self.data),
                                        *args]), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._ctl("-o", f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                        "-c max_connections=300", "-l", str(self.base / "server.log"), "-w", "start")

    def crash(self) -> None:
        """Stops the server the way a crash does (``-m immediate``: no checkpoint, every
        connection cut); the next start recovers from the write-ahead log."""
        self._ctl("-m", "immediate", "stop")

    def restart(self) -> None:
        self.crash()
        self.start()

    def answers(self) -> bool:
        with psycopg.connect(self.dsn, connect_timeout=2) as conn:
            return conn.execute("select 1").fetchone() == (1,)


@contextmanager
def _own_directory(prefix: str, user: str) -> Iterator[Path]:
    """A directory under the system's temporary directory (a test's own ``tmp_path`` is
    private to its user, which the servers do not run as), owned by the server's user."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o755)
    _give(base, user)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    with _own_directory("emu-faults-pg-", "postgres") as base:
        yield from _postgres_in(base)


def _postgres_in(base: Path) -> Iterator[PrivatePostgres]:
    server = PrivatePostgres(base, free_port())
    subprocess.run(_as("postgres", [str(_postgres_bin() / "initdb"), "-D", str(server.data),
                                    "-A", "trust", "-U", "postgres", "-E", "UTF8",
                                    "--locale", "C.UTF-8"]),
                   check=True, capture_output=True, timeout=120)
    server.start()
    try:
        with psycopg.connect(server.dsn.replace("dbname=system", "dbname=postgres"),
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE system")
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            server.crash()


@dataclass
class PrivateRabbitMQ:
    base: Path
    port: int
    node: str
    dist_port: int  # the node's Erlang distribution port, the same across restarts

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def _env(self) -> dict[str, str]:
        return {**os.environ, "RABBITMQ_NODENAME": self.node,
                "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
                "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
                "RABBITMQ_LOG_BASE": str(self.base / "log"),
                "RABBITMQ_PID_FILE": str(self.base / "pid"),
                "RABBITMQ_DIST_PORT": str(self.dist_port)}

    def ctl(self, *args: str, timeout: float = 60) -> str:
        return subprocess.run(["rabbitmqctl", "-n", self.node, "-q", *args], check=True,
                              capture_output=True, text=True, timeout=timeout,
                              env=self._env()).stdout

    def start(self) -> None:
        subprocess.run(["rabbitmq-server", "-detached"], env=self._env(), check=True,
                       capture_output=True, timeout=60)
        self.ctl("wait", str(self.base / "pid"), "--timeout", "60", timeout=90)
        eventually(self.answers, timeout=60, what=f"RabbitMQ {self.node} accepts connections")

    def stop(self) -> None:
        self.ctl("stop", timeout=90)

    def restart(self) -> None:
        """The broker node stopped and started: every connection is closed, durable queues
        and their persistent messages come back."""
        self.stop()
        self.start()

    def answers(self) -> bool:
        socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        return True


@contextmanager
def private_rabbitmq() -> Iterator[PrivateRabbitMQ]:
    if shutil.which("rabbitmq-server") is None:
        pytest.fail("RabbitMQ's server is missing: apt-get install rabbitmq-server", pytrace=False)
    with _own_directory("emu-faults-mq-", "rabbitmq") as base:
        yield from _rabbitmq_in(base)


def _rabbitmq_in(base: Path) -> Iterator[PrivateRabbitMQ]:
    port = free_port()
    (base / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{port}\n")
    (base / "enabled_plugins").write_text("[].\n")
    _give(base, "rabbitmq")
    broker = PrivateRabbitMQ(base, port, f"faults{port}@localhost", free_port())
    broker.start()
    try:
        yield broker
    finally:
        try:
            broker.stop()
        except subprocess.SubprocessError:
            pid = (base / "pid").read_text().strip() if (base / "pid").exists() else ""
            if pid.isdigit():
                subprocess.run(["kill", "-9", pid], check=False)
