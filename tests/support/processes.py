"""Starts the system's processes as an operator would, for tests that kill and restart them.

A service or relay may run as several instances, each its own process with the same
settings, store and queues (R5.3): the first is named after the service (``initiatives``,
``initiatives-relay``), the n-th ``initiatives#2``, ``initiatives-relay#2``; each keeps its
own log (``<name>.log``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from runtime.client import services
from runtime.config import Settings
from runtime.context import CommandContext

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def eventually(probe: Callable[[], T], timeout: float = 20.0, interval: float = 0.1,
               what: str = "condition") -> T:
    """Polls until ``probe`` returns something truthy without raising; fails after timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            result = probe()
            if result:
                return result
            last = result
        except Exception as exc:  # the system is still starting; try again
            last = exc
        time.sleep(interval)
    raise AssertionError(f"{what} not reached in {timeout}s; last: {last!r}")


def instance_name(name: str, instance: int) -> str:
    return name if instance == 1 else f"{name}#{instance}"


def rabbitmqctl(*args: str) -> list[dict[str, Any]]:
    """``rabbitmqctl <args> --formatter json``, parsed."""
    done = subprocess.run(["rabbitmqctl", "-q", *args, "--formatter", "json"], check=True,
                          capture_output=True, timeout=60, text=True)
    found: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    return found


class Processes:
    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = {**os.environ, **env}
        self.settings = Settings(self.env)
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[tuple[str, ...], dict[str, str] | None]] = {}

    def start(self, name: str, *argv: str, env: dict[str, str] | None = None) -> None:
        self.commands[name] = (argv, env)
        with open(self.logs / f"{name}.log", "ab") as log:  # the child keeps its own copy
            self.children[name] = subprocess.Popen(
                [sys.executable, *argv], env={**self.env, **(env or {})}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def service(self, name: str, target: str | None = None, env: dict[str, str] | None = None,
                instance: int = 1) -> str:
        """Starts an instance of a service (``instance`` > 1: one more beside the first, as
        its own process on the same store and queues); returns its process name."""
        process = instance_name(name, instance)
        self.start(process, "-m", "runtime.serve", target or name, env=env)
        return process

    def relay(self, service: str, env: dict[str, str] | None = None, instance: int = 1) -> str:
        process = instance_name(f"{service}-relay", instance)
        self.start(process, "-m", "runtime.relay", service, env=env)
        return process

    def instances(self, service: str) -> list[str]:
        """The running instances of a service (not its relays), by process name."""
        return [name for name, child in self.children.items()
                if name.split("#")[0] == service and child.poll() is None]

    def wait_ready(self, *names: str, timeout: float = 30.0) -> None:
        """Each named service answers its ``health`` query. A second instance (``name#n``)
        cannot be addressed alone over RPC (the instances share one queue): it is ready when
        its own log says so (``runtime.serve`` logs "<service> ready" once it consumes), and
        the service answers."""
        for name in names:
            service, _, instance = name.partition("#")
            if instance:
                self.wait_for_log(name, f"{service} ready", timeout)
            eventually(partial(self.call, service, "health", timeout=2), timeout, 0.2,
                       f"{name} ready")

    def call(self, service: str, method: str, *args: Any, context: CommandContext | None = None,
             timeout: float = 10.0, **kwargs: Any) -> Any:
        with services(self.settings, context, timeout=timeout) as proxy:
            return getattr(getattr(proxy, service), method)(*args, **kwargs)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        self.children[name].send_signal(sig)
        self.children[name].wait(10)

    def restart(self, name: str) -> None:
        """Starts a process that has stopped again, as it was started first."""
        assert not self.alive(name), f"{name} is still running"
        argv, env = self.commands[name]
        self.start(name, *argv, env=env)

    def wait_exit(self, name: str, timeout: float = 20.0) -> int:
        return self.children[name].wait(timeout)

    def wait_for_log(self, name: str, text: str, timeout: float = 30.0) -> None:
        eventually(lambda: text in self.log(name), timeout, 0.1, f"{text!r} in {name}'s log")

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text("utf-8", "replace")

    def pid(self, name: str) -> int:
        return self.children[name].pid

    def alive(self, name: str) -> bool:
        return self.children[name].poll() is None

    def cpu_seconds(self, name: str) -> float:
        """CPU time (user + system) the process has used so far (Linux: from /proc)."""
        fields = Path(f"/proc/{self.pid(name)}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tcp_ports(self, name: str) -> set[int]:
        """The local TCP ports of the sockets the process holds (Linux: its descriptors
        matched with /proc/net/tcp by inode): how the broker's and the database's view of a
        connection (its peer port) is tied to a process."""
        inodes = set()
        fds = Path(f"/proc/{self.pid(name)}/fd")
        for fd in fds.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        ports = set()
        for table in ("tcp", "tcp6"):
            path = Path(f"/proc/{self.pid(name)}/net/{table}")
            if not path.exists():
                continue
            for line in path.read_text().splitlines()[1:]:
                columns = line.split()
                if len(columns) > 9 and columns[9] in inodes:
                    ports.add(int(columns[1].rsplit(":", 1)[1], 16))
        return ports

    @property
    def vhost(self) -> str:
        path = urlsplit(self.settings.amqp_uri).path
        return unquote(path[1:]) if len(path) > 1 else "/"

    def broker_frames(self, queue: str) -> dict[str, int]:
        """For each process consuming ``queue``: how many frames the broker has sent on the
        connection its consumer uses (RabbitMQ's own count, ``rabbitmqctl list_connections
        send_cnt``; a delivered message is three frames: deliver, header, body). Several
        instances consuming one queue each get their share; one that gets none did no work
        from it."""
        consumers = rabbitmqctl("list_consumers", "-p", self.vhost, "queue_name", "channel_pid")
        channels = {c["pid"]: c["connection"] for c in rabbitmqctl(
            "list_channels", "pid", "connection")}
        connections = {c["pid"]: c for c in rabbitmqctl(
            "list_connections", "pid", "vhost", "peer_port", "send_cnt")
            if c["vhost"] == self.vhost}
        ports = {name: self.tcp_ports(name) for name, child in self.children.items()
                 if child.poll() is None}
        frames: dict[str, int] = {}
        for consumer in consumers:
            if consumer["queue_name"] != queue:
                continue
            connection = connections.get(channels.get(consumer["channel_pid"], ""))
            if connection is None:
                continue
            for name, held in ports.items():
                if connection["peer_port"] in held:
                    frames[name] = frames.get(name, 0) + int(connection["send_cnt"])
        return frames

    def queue_depths(self) -> dict[str, int]:
        """Messages waiting in each queue of this vhost."""
        return {q["name"]: int(q["messages"]) for q in rabbitmqctl(
            "list_queues", "-p", self.vhost, "name", "messages")}

    def stop_all(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
