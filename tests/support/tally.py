"""A test-only downstream service: it counts every registry event it processes.

Its effect is not idempotent by nature (each processing appends a ``Counted`` event), so a
duplicate that slipped through would show as a second count. With
``TALLY_FAIL_FIRST_ATTEMPT=1`` its handler raises the first time it sees each event;
tests in the same process set ``fail_times`` instead.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from nameko.rpc import RpcProxy

from runtime.adapter import ApplicationProvider, EventSourcedService, consume_events, receive, rpc
from runtime.contracts import Envelope
from runtime.store import ServiceApplication

COUNTER_ID = uuid.uuid5(uuid.NAMESPACE_URL, "emulation:test:tally")


class Counter(Aggregate):
    @event("Started")
    def __init__(self) -> None:
        self.event_ids: list[str] = []

    @event("Counted")
    def count(self, event_id: str) -> None:
        self.event_ids.append(event_id)

    @staticmethod
    def create_id() -> uuid.UUID:
        return COUNTER_ID


class Tally(ServiceApplication):
    service = "tally"

    failures: dict[str, int]  # event id -> attempts that have failed so far
    fail_times: dict[str, int] | None = None  # event id -> how many attempts fail; None: env

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures = {}

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        assert isinstance(domain_event, Envelope)
        if self.fail_times is None:
            times = 1 if os.environ.get("TALLY_FAIL_FIRST_ATTEMPT") == "1" else 0
        else:
            times = self.fail_times.get(domain_event.event_id, 0)
        failed = self.failures.get(domain_event.event_id, 0)
        if failed < times:
            self.failures[domain_event.event_id] = failed + 1
            raise RuntimeError(f"attempt {failed + 1} at {domain_event.event_id} fails on purpose")
        try:
            counter = self.aggregate_in(processing_event, COUNTER_ID)
        except AggregateNotFoundError:
            counter = Counter()
        counter.count(domain_event.event_id)
        processing_event.collect_events(counter)

    def seen(self) -> list[str]:
        try:
            return list(self.repository.get(COUNTER_ID).event_ids)
        except AggregateNotFoundError:
            return []

    def total(self) -> int:
        return len(self.seen())


class TallyService(EventSourcedService):
    name = "tally"
    app = ApplicationProvider(Tally)
    registry = RpcProxy("registry")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @rpc
    def seen(self) -> list[str]:
        return self.app.seen()
