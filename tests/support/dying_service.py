"""A nameko service whose container dies a moment after it starts (a managed thread fails),
for the test that ``runtime.serve`` then ends its process instead of lingering."""

from __future__ import annotations

import eventlet
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc


class _DiesSoon(DependencyProvider):
    def start(self) -> None:
        self.container.spawn_managed_thread(self._die)

    def _die(self) -> None:
        eventlet.sleep(0.5)
        raise RuntimeError("a managed thread fails on purpose")


class DyingService:
    name = "dying"
    dies = _DiesSoon()

    @rpc
    def ping(self) -> str:
        return "pong"
