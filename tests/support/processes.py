"""Starts the system's processes as an operator would, for tests that kill and restart them."""

from __future__ import annotations

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


class Processes:
    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = {**os.environ, **env}
        self.settings = Settings(self.env)
        self.children: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *argv: str, env: dict[str, str] | None = None) -> None:
        with open(self.logs / f"{name}.log", "ab") as log:  # the child keeps its own copy
            self.children[name] = subprocess.Popen(
                [sys.executable, *argv], env={**self.env, **(env or {})}, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def service(self, name: str, target: str | None = None, env: dict[str, str] | None = None) -> None:
        self.start(name, "-m", "runtime.serve", target or name, env=env)

    def relay(self, service: str, env: dict[str, str] | None = None) -> None:
        self.start(f"{service}-relay", "-m", "runtime.relay", service, env=env)

    def wait_ready(self, *names: str, timeout: float = 30.0) -> None:
        for name in names:
            eventually(partial(self.call, name, "health", timeout=2), timeout, 0.2, f"{name} ready")

    def call(self, service: str, method: str, *args: Any, context: CommandContext | None = None,
             timeout: float = 10.0, **kwargs: Any) -> Any:
        with services(self.settings, context, timeout=timeout) as proxy:
            return getattr(getattr(proxy, service), method)(*args, **kwargs)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        self.children[name].send_signal(sig)
        self.children[name].wait(10)

    def wait_exit(self, name: str, timeout: float = 20.0) -> int:
        return self.children[name].wait(timeout)

    def wait_for_log(self, name: str, text: str, timeout: float = 30.0) -> None:
        eventually(lambda: text in self.log(name), timeout, 0.1, f"{text!r} in {name}'s log")

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text("utf-8", "replace")

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
