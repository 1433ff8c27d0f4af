"""The inbox: how a service receives one upstream's published events.

A message on the bus is a prompt; the upstream's log is the truth. For each envelope:
- already tracked (its position is at or below the last processed one): a duplicate, no
  second effect;
- its ``previous_id`` was never processed: a gap; the missing range is pulled from the
  upstream's log (over RPC) and processed first, in order;
- otherwise it is upcast to the newest contract version and processed, and the tracking
  record is written in the same transaction as the events it causes.
A catch-up (on start and periodically) pulls whatever the bus did not bring at all, e.g. a
last message lost with nothing after it.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any, Callable, Protocol

from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

from runtime.context import Actor, CommandContext, use_context
from runtime.contracts import Catalog, Envelope
from runtime.errors import MalformedMessage

log = logging.getLogger("emulation.inbox")

CATCH_UP = "catch-up"  # the message an inbox receives when asked to pull what it missed

Pull = Callable[..., dict[str, Any]]  # the upstream's ``notifications(after, stop, limit)`` RPC


class Processor(Protocol):
    service: str

    def last_processed(self, upstream: str) -> int | None: ...

    def process_event(self, domain_event: Any, tracking: Tracking) -> None: ...


def context_for(envelope: Envelope, service: str) -> CommandContext:
    """Events caused by an upstream event are the system acting for that event's actor."""
    meta = envelope.meta
    return CommandContext(
        actor=Actor.system(service, on_behalf_of=Actor(**meta["actor"])),
        correlation_id=meta["correlation_id"],
        causation_id=envelope.event_id,
        effective_at=datetime.fromisoformat(meta["effective_at"]),
    )


class Inbox:
    def __init__(self, processor: Processor, source: str, catalog: Catalog,
                 page_size: int = 100) -> None:
        self.processor = processor
        self.source = source
        self.catalog = catalog
        self.page_size = page_size
        # One envelope of a source at a time in a process; across instances the queue has a
        # single active consumer and the tracking row is locked (runtime.store).
        self._lock = threading.Lock()

    def handle(self, message: Any, pull: Pull) -> str:
        if message == CATCH_UP:
            with self._lock:
                return f"caught up {self._pull(pull, after=self._last(), stop=None)}"
        envelope = Envelope.from_dict(message)
        if envelope.source != self.source:
            raise MalformedMessage(f"an event from {envelope.source} on the {self.source} inbox")
        with self._lock:
            last = self._last()
            if last is not None and envelope.notification_id <= last:
                return "duplicate"
            if envelope.previous_id is not None and (last is None or last < envelope.previous_id):
                pulled = self._pull(pull, after=last, stop=envelope.previous_id)
                log.warning("%s: gap before %s from %s, pulled %d from its log",
                            self.processor.service, envelope.notification_id, self.source, pulled)
            return self._process(envelope)

    def _last(self) -> int | None:
        return self.processor.last_processed(self.source)

    def _pull(self, pull: Pull, after: int | None, stop: int | None) -> int:
        count = 0
        while True:
            page = pull(after=after, stop=stop, limit=self.page_size)
            for raw in page["envelopes"]:
                if self._process(Envelope.from_dict(raw)) == "processed":
                    count += 1
            if page["complete"] or page["scanned_to"] is None or page["scanned_to"] == after:
                return count
            after = page["scanned_to"]
            if stop is not None and after >= stop:
                return count

    def _process(self, envelope: Envelope) -> str:
        last = self._last()
        if last is not None and envelope.notification_id <= last:
            return "duplicate"
        envelope = self.catalog.upcast(envelope)
        tracking = Tracking(self.source, envelope.notification_id)
        with use_context(context_for(envelope, self.processor.service)):
            try:
                self.processor.process_event(envelope, tracking)
            except (IntegrityError, SQLIntegrityError):
                # Another instance recorded this position first: its effect stands alone.
                last = self._last()
                if last is None or last < envelope.notification_id:
                    raise
                return "duplicate"
        return "processed"
