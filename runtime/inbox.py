"""The inbox: how a service receives one upstream's published events.

A message on the bus is a prompt; the upstream's log is the truth. For each envelope:
- already tracked (its position is at or below the last processed one): a duplicate, no
  second effect;
- its ``previous_id`` was never processed: a gap; the missing range is pulled from the
  upstream's log (over RPC) and processed first, in order;
- otherwise it is upcast to the newest contract version and processed, and the tracking
  record is written in the same transaction as the events it causes.
Envelopes that queue up behind the one being committed are committed together in the
next transaction (group commit), tracked at the last one: one commit for many under load.
A catch-up (on start, then periodically while the bus is quiet) pulls whatever the bus did
not bring at all, e.g. a last message lost with nothing after it. While messages flow, any
loss shows as a gap in the next one, so a catch-up then would only race the bus.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

from runtime import observability
from runtime.context import Actor, CommandContext
from runtime.contracts import Catalog, Envelope
from runtime.errors import MalformedMessage

log = logging.getLogger("emulation.inbox")

CATCH_UP = "catch-up"  # the message an inbox receives when asked to pull what it missed

Pull = Callable[..., dict[str, Any]]  # the upstream's ``notifications(after, stop, limit)`` RPC


class Processor(Protocol):
    @property
    def service(self) -> str: ...

    def last_processed(self, upstream: str) -> int | None: ...

    def process_batch(self, batch: Sequence[tuple[Any, CommandContext]], tracking: Tracking) -> None: ...


class Blocked(Exception):
    """An earlier event of the same source failed; this one must wait (it is retried)."""


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
                 page_size: int = 100, quiet_after: float = 1.0, batch_size: int = 100) -> None:
        self.processor = processor
        self.source = source
        self.catalog = catalog
        self.page_size = page_size
        # One envelope of a source at a time in a process; across instances the queue has a
        # single active consumer and the tracking row is locked (runtime.store).
        self._lock = threading.Lock()
        # The last position this process saw recorded, to spare a read per message. It can
        # only lag the store (another instance went further): the locked tracking row then
        # refuses the duplicate, and the position is read again.
        self._position: int | None = None
        self._position_known = False
        self.quiet_after = quiet_after
        self._last_message_at: float | None = None
        # Group commit: envelopes waiting for the lock, and what became of those another
        # worker committed in its batch, for their own workers to report.
        self.batch_size = batch_size
        self._waiting: dict[int, Envelope] = {}
        self._outcomes: dict[int, str] = {}
        # Consumer lag (issue 9): the highest upstream position seen on the bus or pulled.
        self._seen: int | None = None

    def _see(self, position: int) -> None:
        if self._seen is None or position > self._seen:
            self._seen = position

    def _observe(self) -> None:
        observability.consumer_position(self.processor.service, self.source, self._seen,
                                        self._position)

    def handle(self, message: Any, pull: Pull) -> str:
        try:
            return self._handle_message(message, pull)
        finally:
            self._observe()

    def _handle_message(self, message: Any, pull: Pull) -> str:
        if message == CATCH_UP:
            if self._last_message_at is not None and \
                    time.monotonic() - self._last_message_at < self.quiet_after:
                return "not needed: the bus is flowing"
            with self._lock:
                return f"caught up {self._pull(pull, after=self._last(), stop=None)}"
        envelope = Envelope.from_dict(message)
        if envelope.source != self.source:
            raise MalformedMessage(f"an event from {envelope.source} on the {self.source} inbox")
        self._last_message_at = time.monotonic()
        own = envelope.notification_id
        self._see(own)
        self._waiting.setdefault(own, envelope)
        try:
            with self._lock:
                return self._handle(envelope, pull)
        except BaseException:
            self._waiting.pop(own, None)  # only envelopes whose workers wait stay here
            raise

    def _handle(self, envelope: Envelope, pull: Pull) -> str:
        own = envelope.notification_id
        done = self._outcomes.pop(own, None)
        if done is not None:  # an earlier holder of the lock committed it in its batch
            return done
        last = self._last()
        if last is not None and own <= last:
            self._waiting.pop(own, None)
            observability.inbox_events(self.processor.service, self.source, "duplicate")
            return "duplicate"
        # A gap: the envelope names a previous position not processed yet, or none at all when
        # positions were processed already (no real first event comes after others).
        gap = (last is None or last < envelope.previous_id) if envelope.previous_id is not None \
            else last is not None
        if gap and not self._chain(last, own):
            stop = own if envelope.previous_id is None else envelope.previous_id
            pulled = self._pull(pull, after=last, stop=stop)
            log.warning("%s: gap before %s from %s, pulled %d from its log",
                        self.processor.service, own, self.source, pulled)
            now = self._last()
            if envelope.previous_id is None and now is not None and own <= now:
                self._waiting.pop(own, None)
                return "processed"  # from the log, which is the truth
            if now is None or now < stop:
                # Issue 10: the log does not hold what the message names: it came from no
                # relay (a forged or foreign message). Recorded, its position would become the
                # high-water mark and the real events below it would be dropped as duplicates.
                raise MalformedMessage(f"{self.source}'s log has no event at {stop}, which this "
                                       f"message names: it did not come from its relay",
                                       {"notification_id": own, "previous_id": envelope.previous_id,
                                        "log_position": now})
        chain = self._chain(self._last(), own) or [envelope]
        return self._commit(chain, own)

    def _chain(self, last: int | None, own: int) -> list[Envelope]:
        """Waiting envelopes that continue the log from ``last`` without a gap, up to and
        including ``own`` and beyond it (group commit); empty if ``own`` is not reached."""
        chain: list[Envelope] = []
        end = last
        for position in sorted(self._waiting):
            envelope = self._waiting[position]
            if end is not None and position <= end:
                continue
            if envelope.previous_id is not None and (end is None or envelope.previous_id > end):
                break
            if envelope.previous_id is None and end is not None:
                break  # a "first event" after others: not a continuation (see _handle)
            chain.append(envelope)
            end = position
            if len(chain) >= self.batch_size and position >= own:
                break
        return chain if end is not None and end >= own else []

    def _commit(self, chain: list[Envelope], own: int) -> str:
        if len(chain) > 1:
            try:
                self._record(chain)
            except Exception as exc:
                # Nothing of the batch was recorded. One by one, in order, and stop at the first
                # failure: the position is a high-water mark, nothing may pass a failed event.
                log.info("%s: a batch of %d failed (%s); processing one by one",
                         self.processor.service, len(chain), exc)
            else:
                for envelope in chain:
                    self._waiting.pop(envelope.notification_id, None)
                    if envelope.notification_id != own:
                        self._outcomes[envelope.notification_id] = "processed"
                return "processed"
        outcome = None
        for envelope in chain:
            try:
                result = self._record([envelope])
            except Exception as exc:
                self._waiting.pop(envelope.notification_id, None)  # its redelivery brings it back
                if envelope.notification_id == own:
                    raise
                if outcome is not None:
                    return outcome  # own is committed; the later ones wait for their turn
                raise Blocked(f"{self.source} {own} waits for {envelope.notification_id}, "
                              f"which failed: {exc}") from exc
            self._waiting.pop(envelope.notification_id, None)
            if envelope.notification_id == own:
                outcome = result
            else:
                self._outcomes[envelope.notification_id] = result
        assert outcome is not None  # the chain always reaches own
        return outcome

    def _last(self) -> int | None:
        if not self._position_known:
            self._refresh()
        return self._position

    def _refresh(self) -> int | None:
        self._position = self.processor.last_processed(self.source)
        self._position_known = True
        return self._position

    def _pull(self, pull: Pull, after: int | None, stop: int | None) -> int:
        count = 0
        while True:
            page = pull(after=after, stop=stop, limit=self.page_size)
            for raw in page["envelopes"]:
                pulled = Envelope.from_dict(raw)
                self._see(pulled.notification_id)
                if self._record([pulled]) == "processed":
                    count += 1
            if page["complete"] or page["scanned_to"] is None or page["scanned_to"] == after:
                return count
            after = page["scanned_to"]
            if stop is not None and after >= stop:
                return count

    def _record(self, chain: list[Envelope]) -> str:
        """Processes consecutive envelopes in one transaction, tracked at the last one."""
        last = self._last()
        service = self.processor.service
        if last is not None and chain[-1].notification_id <= last:
            observability.inbox_events(service, self.source, "duplicate", len(chain))
            return "duplicate"
        upcast = [self.catalog.upcast(envelope) for envelope in chain]
        tracking = Tracking(self.source, chain[-1].notification_id)
        try:
            self.processor.process_batch(
                [(envelope, context_for(envelope, self.processor.service)) for envelope in upcast],
                tracking)
        except (IntegrityError, SQLIntegrityError):
            # Another instance recorded this position first: its effect stands alone.
            last = self._refresh()
            if last is None or last < tracking.notification_id:
                raise
            observability.inbox_events(service, self.source, "duplicate", len(chain))
            return "duplicate"
        except BaseException:
            self._position_known = False  # whatever happened, read it again next time
            raise
        self._position = tracking.notification_id
        observability.inbox_events(service, self.source, "processed", len(chain))
        return "processed"
