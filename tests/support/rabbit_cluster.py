"""A three-node RabbitMQ cluster of this machine's RabbitMQ, for the quorum-queue fault suite.

Each node is a ``rabbitmq-server`` of its own: its own node name (``emuq<pid>a@localhost``),
AMQP and distribution ports (free ones), data and log directories under one temporary
directory, its own configuration file (the machine's ``/etc/rabbitmq`` is not read, so the
broker on 5672 that everyone uses is neither touched nor shadowed) and one Erlang cookie, in
``$HOME/.erlang.cookie`` of a home inside that directory. The second and third nodes join
the first. ``kill`` SIGKILLs a node's Erlang VM; ``start`` brings it back with its data.
``close`` kills every node and removes the directory.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import free_port

LIBEXEC = Path("/usr/lib/rabbitmq/bin")  # the scripts themselves, not the sbin wrappers that
# switch to the rabbitmq user


def _tool(name: str) -> str:
    found = LIBEXEC / name
    if found.exists():
        return str(found)
    which = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/usr/local/sbin")
    if which is None:
        raise RuntimeError(f"{name} is not installed: apt-get install rabbitmq-server")
    return which


@dataclass
class Node:
    name: str
    port: int
    dist_port: int
    base: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"


class RabbitCluster:
    def __init__(self, size: int = 3, root: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="emu-rabbit-", dir=root))
        self.home = self.root / "home"
        self.home.mkdir()
        cookie = self.home / ".erlang.cookie"
        cookie.write_text(uuid.uuid4().hex.upper())
        cookie.chmod(0o400)
        tag = f"emuq{os.getpid()}"
        self.nodes = [Node(f"{tag}{chr(ord('a') + i)}@localhost", free_port(), free_port(),
                           self.root / f"node{i + 1}") for i in range(size)]

    # -- environment ------------------------------------------------------------------------

    def _env(self, node: Node) -> dict[str, str]:
        node.base.mkdir(exist_ok=True)
        config = node.base / "rabbitmq.conf"
        config.write_text(f"listeners.tcp.default = 127.0.0.1:{node.port}\n"
                          "loopback_users = none\n"
                          "cluster_partition_handling = pause_minority\n")
        env_file = node.base / "rabbitmq-env.conf"
        env_file.write_text("")
        return {**os.environ, "HOME": str(self.home),
                "RABBITMQ_NODENAME": node.name, "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
                "RABBITMQ_NODE_PORT": str(node.port), "RABBITMQ_DIST_PORT": str(node.dist_port),
                "RABBITMQ_CONFIG_FILE": str(config), "RABBITMQ_CONF_ENV_FILE": str(env_file),
                "RABBITMQ_MNESIA_BASE": str(node.base / "mnesia"),
                "RABBITMQ_LOG_BASE": str(node.base / "log"),
                "RABBITMQ_ENABLED_PLUGINS_FILE": str(node.base / "enabled_plugins"),
                "RABBITMQ_PLUGINS_EXPAND_DIR": str(node.base / "plugins-expand"),
                "ERL_EPMD_ADDRESS": "127.0.0.1"}

    def ctl(self, node: Node, *args: str, timeout: float = 60.0) -> str:
        result = subprocess.run([_tool("rabbitmqctl"), "-n", node.name, "-q", *args],
                                env=self._env(node), capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"rabbitmqctl -n {node.name} {' '.join(args)}: "
                               f"{result.stdout}{result.stderr}")
        return result.stdout

    # -- life cycle ---------------------------------------------------------------------------

    def start(self, node: Node, timeout: float = 120.0) -> None:
        with open(node.base.parent / f"{node.base.name}.out", "ab") as log:
            node.process = subprocess.Popen([_tool("rabbitmq-server")], env=self._env(node),
                                            stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        # await_startup refuses a node not yet known to epmd: ask again until it is
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ctl(node, "await_startup", "--timeout", "30", timeout=60)
                return
            except RuntimeError:
                if node.process.poll() is not None or time.monotonic() > deadline:
                    out = (node.base.parent / f"{node.base.name}.out").read_text()[-3000:]
                    raise RuntimeError(
                        f"RabbitMQ node {node.name} did not start:\n{out}") from None
                time.sleep(1)

    def start_all(self) -> None:
        first, *others = self.nodes
        self.start(first)
        for node in others:
            self.start(node)
            self.ctl(node, "stop_app")
            self.ctl(node, "join_cluster", first.name)
            self.ctl(node, "start_app")
        self.ctl(first, "await_online_nodes", str(len(self.nodes)))

    def kill(self, node: Node) -> None:
        """SIGKILL: the node's Erlang VM (and the shell script above it) die at once."""
        if node.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait(timeout=30)
        node.process = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self._answers(node):
            time.sleep(0.2)

    @staticmethod
    def _answers(node: Node) -> bool:
        try:
            socket.create_connection(("127.0.0.1", node.port), timeout=1).close()
            return True
        except OSError:
            return False

    def close(self) -> None:
        for node in self.nodes:
            self.kill(node)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- what the cluster says ----------------------------------------------------------------

    @property
    def uri(self) -> str:
        """Every node, for kombu's failover (``;``): a client goes on with the next one."""
        return ";".join(node.uri for node in self.nodes)

    def running(self) -> list[Node]:
        return [node for node in self.nodes if node.process is not None]

    def node(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)

    def queues(self, vhost: str = "/") -> list[dict[str, str]]:
        """Each queue's name, type, durability and leader (a classic queue's: the node its
        process runs on), asked of a running node."""
        out = self.ctl(self.running()[0], "list_queues", "-p", vhost, "--no-table-headers",
                       "name", "type", "durable", "leader", "pid")
        rows = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) < 5:
                continue
            name, kind, durable, leader, pid = parts[:5]
            if not leader.strip() and pid.startswith("<"):  # <node@host.1.2.3>
                leader = pid[1:].rsplit(".", 3)[0]
            rows.append({"name": name, "type": kind, "durable": durable, "leader": leader})
        return rows

    def leader(self, queue: str, vhost: str = "/") -> Node:
        row = next(row for row in self.queues(vhost) if row["name"] == queue)
        return self.node(row["leader"])


@contextmanager
def rabbit_cluster(size: int = 3) -> Iterator[RabbitCluster]:
    cluster = RabbitCluster(size)
    try:
        cluster.start_all()
        yield cluster
    finally:
        cluster.close()
