"""What the runtime benchmark measures: a one-event command, raw and through the runtime."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from runtime.adapter import ApplicationProvider, EventSourcedService, rpc
from runtime.store import ServiceApplication


class Counter(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name


class OpensCounters:
    """The one-event command both sides run, so they differ only in what stores it."""

    def open(self, name: str) -> Any:
        counter = Counter(name=name)
        self.save(counter)  # type: ignore[attr-defined]
        return counter.id


class RawCounters(OpensCounters, Application):
    """eventsourcing as it comes: no metadata, the library's recorder."""

    name = "rawbench"


class Counters(OpensCounters, ServiceApplication):
    """The same command on the runtime: attributed metadata, the locking recorder."""

    service = "bench"


class BenchService(EventSourcedService):
    name = "bench"
    app = ApplicationProvider(Counters)

    @rpc
    def echo(self, value: Any) -> Any:
        return value

    @rpc
    def open_counter(self, name: str) -> str:
        return str(self.app.open(name))
