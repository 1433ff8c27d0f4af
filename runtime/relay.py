"""The relay: publishes a service's notification log to RabbitMQ, in order, at least once.

It reads published events from the store after the last confirmed position, publishes each
with publisher confirms, and only then records the new position, in the service's own
database. Killed at any moment, it resumes from what was confirmed: a notification may be
published twice (consumers ignore the copy), never lost. Nothing is published inline after
``save()``; a command's only job is to commit its events.

Run one per service: ``python -m runtime.relay <service>``; a second one started beside it
waits for the first one's lease and takes over within a second of its death
(``runtime.wakeup``). Idle, it sleeps until its store commits (``runtime.wakeup``), reading
at ``EMU_RELAY_POLL_INTERVAL`` in case a wake-up was lost. It logs JSON lines and, with
``EMU_METRICS_PORT`` set, serves ``/metrics`` (events published, position, lag) and
``/healthz`` (while its loop runs) on that port (issue 9).

The relay that holds the lease also publishes its store's checkpoints (R5.1): the chain's
head, signed, every ``EMU_CHECKPOINT_EVERY`` seconds when it moved (``runtime.checkpoints``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import threading
import time
from typing import Any

import psycopg
import sqlalchemy as sa
from amqp.exceptions import AMQPError, MessageNacked
from kombu import Connection, Producer
from kombu.exceptions import OperationalError

from runtime import faults, observability
from runtime.bus import events_exchange
from runtime.checkpoints import Publisher
from runtime.config import Settings
from runtime.observability import Heartbeat, serve_metrics, setup_logging
from runtime.publication import Publication
from runtime.store import STORE_FAILURES, ServiceApplication, schema_lock
from runtime.wakeup import TimerWakeups, Wakeups, wakeups_for

log = logging.getLogger("emulation.relay")

# Outages the relay waits out: the broker's, and the store's (PostgreSQL restarting). A
# publish the broker refuses (``MessageNacked``: a quorum queue with no leader for a moment,
# while a new one is elected after a node's death) is one too: the batch is published again
# from the last confirmed position, and consumers ignore what they already have (R5.3).
RETRYABLE: tuple[type[BaseException], ...] = (
    ConnectionError, OSError, AMQPError, MessageNacked, OperationalError,
    psycopg.OperationalError, *STORE_FAILURES)
LEASE_RETRY = 1.0  # seconds between a waiting relay's tries for the lease


class RelayPosition:
    """The last confirmed position, kept in a one-row table beside the service's events."""

    def __init__(self, engine: sa.Engine, service: str) -> None:
        self.engine = engine
        metadata = sa.MetaData()
        self.table = sa.Table(
            f"{service}_relay_position", metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("position", sa.BigInteger, nullable=True),
            sa.Column("last_published", sa.BigInteger, nullable=True),
        )
        with schema_lock(engine):
            metadata.create_all(engine, checkfirst=True)

    def load(self) -> tuple[int | None, int | None]:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(self.table).where(self.table.c.id == 1)).first()
        return (row.position, row.last_published) if row else (None, None)

    def save(self, position: int | None, last_published: int | None) -> None:
        try:
            self._save(position, last_published)
        except sa.exc.IntegrityError:
            # Another relay of the service made the row first (both found none): update it.
            # Two relays may run at once (duplicates are harmless, R5.3); neither dies here.
            self._save(position, last_published)

    def _save(self, position: int | None, last_published: int | None) -> None:
        with self.engine.begin() as connection:
            updated = connection.execute(
                self.table.update().where(self.table.c.id == 1)
                .values(position=position, last_published=last_published)).rowcount
            if not updated:
                connection.execute(self.table.insert().values(
                    id=1, position=position, last_published=last_published))


class Relay:
    def __init__(self, app: ServiceApplication, publication: Publication, amqp_uri: str,
                 batch_size: int = 200, save_every: float = 0.2,
                 checkpoints: Publisher | None = None, heartbeat: float = 10.0,
                 confirm_timeout: float = 5.0) -> None:
        self.app = app
        self.checkpoints = checkpoints
        self.publication = publication
        self.amqp_uri = amqp_uri
        self.amqp_heartbeat = heartbeat
        self.confirm_timeout = confirm_timeout
        self.batch_size = batch_size
        self.position = RelayPosition(app.engine, app.service)
        self.exchange = events_exchange(publication.source)
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._published_at = 0.0  # monotonic time of the last confirmed batch
        self._after, self._last_published = self.position.load()
        self._saved = (self._after, self._last_published)
        self._saved_at = time.monotonic()
        self.save_every = save_every
        self.heartbeat = Heartbeat()
        self.lag_every = 0.5
        self._lag_at: float | None = None

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            # Heartbeats and the confirm timeout: a half-open connection (no reset, no end of
            # stream) is noticed within seconds, dropped and opened again (R5.3).
            connection = Connection(self.amqp_uri, transport_options={"confirm_publish": True},
                                    heartbeat=self.amqp_heartbeat,
                                    connect_timeout=self.confirm_timeout or 4.0)
            # AMQP_URI may list a cluster's nodes ("amqp://…:5681;amqp://…:5682"): each
            # is tried once, in turn, before this attempt fails (R5.3).
            connection.ensure_connection(max_retries=max(1, len(connection.alt)))
            channel = connection.channel()
            self.exchange(channel).declare()
            self._connection, self._producer = connection, Producer(channel, exchange=self.exchange)
        return self._producer

    def close(self, broken: bool = False) -> None:
        """Closes the broker connection; a ``broken`` one is dropped without a word to the
        broker (a goodbye on a half-open connection would wait for an answer forever)."""
        if self._connection is not None:
            try:
                if broken:
                    self._connection.collect()
                else:
                    self._connection.release()
            except RETRYABLE:
                log.debug("closing a broken broker connection", exc_info=True)
        self._connection = self._producer = None

    @property
    def connected(self) -> bool:
        """Whether the relay holds a broker connection (it opens one when it has something
        to publish, and keeps it while quiet)."""
        return self._connection is not None

    def keep_alive(self) -> None:
        """Reads what the broker sent (its heartbeats) and sends ours when due; raises once
        two heartbeats were missed, so an idle relay notices a dead connection too."""
        if self._connection is None or not self.amqp_heartbeat:
            return
        if time.monotonic() - self._published_at > self.amqp_heartbeat / 4:
            # quiet: read what came (publishing reads it while awaiting confirms)
            with contextlib.suppress(TimeoutError):  # nothing came: the usual case
                self._connection.drain_events(timeout=0.01)
        self._connection.heartbeat_check()

    def idle_wait(self, poll_interval: float) -> float:
        """How long a quiet relay sleeps: its poll interval, but short enough that it hears
        and sends heartbeats in time while it holds a connection."""
        if self._connection is None or not self.amqp_heartbeat:
            return poll_interval
        return min(poll_interval, self.amqp_heartbeat / 3)

    def run_once(self) -> int:
        """Publishes what is pending (one batch); returns how many envelopes went out."""
        after, last_published = self._after, self._last_published
        page = self.publication.page(self.app.recorder, self.app.mapper, after=after,
                                     limit=self.batch_size, previous_id=last_published)
        if page.scanned_to == after:
            self._save_position(force=True)  # quiet: record what the last batches confirmed
            return 0
        faults.point("relay.before_publish")
        producer = self._ensure_producer()
        for envelope in page.envelopes:
            # With confirm_publish each publish returns only once the broker has the message.
            producer.publish(
                envelope.to_dict(), routing_key=envelope.name, serializer="json",
                delivery_mode=2, message_id=envelope.event_id,
                confirm_timeout=self.confirm_timeout or None,
                headers={"source": envelope.source, "notification_id": envelope.notification_id},
            )
        self._published_at = time.monotonic()
        observability.relay_published(self.app.service, len(page.envelopes))
        if page.envelopes:
            last_published = page.envelopes[-1].notification_id
        self._after, self._last_published = page.scanned_to, last_published
        self._save_position()
        return len(page.envelopes)

    def observe_lag(self, force: bool = False) -> int | None:
        """Relay lag (issue 9): notifications stored but not yet confirmed published, i.e.
        the log's highest notification id - the relay's position; read at most every
        ``lag_every`` seconds (one cheap ``max`` query)."""
        now = time.monotonic()
        if not force and self._lag_at is not None and now - self._lag_at < self.lag_every:
            return None
        self._lag_at = now
        return observability.relay_lag(self.app.service, self._after,
                                       self.app.recorder.max_notification_id())

    def publish_checkpoint(self) -> None:
        """R5.1: the store's head, signed and published, when the interval has passed and it
        moved. A checkpoint directory that cannot be written is said in the log, and the
        events are still published (it is tried again at the next interval)."""
        if self.checkpoints is None:
            return
        try:
            self.checkpoints.tick(self.app.chain_checkpoint)
        except OSError as exc:
            log.error("checkpoint of %s not published: %s", self.app.service, exc)

    def _save_position(self, force: bool = False) -> None:
        """Records what was confirmed, at most every ``save_every`` seconds under load.

        Everything up to the recorded position was confirmed by the broker; what was
        confirmed after it is published again after a crash, and consumers ignore the copies.
        """
        now = time.monotonic()
        if self._saved == (self._after, self._last_published):
            return
        if force or now - self._saved_at >= self.save_every:
            self.position.save(self._after, self._last_published)
            self._saved, self._saved_at = (self._after, self._last_published), now

    def run(self, stop: threading.Event, poll_interval: float,
            wakeups: Wakeups | None = None) -> None:
        """Publishes until ``stop`` is set: holds the service's lease first (one relay
        publishes at a time), then reads what is pending, and sleeps until the store commits
        again or ``poll_interval`` passes."""
        wakeups = wakeups or TimerWakeups()
        backoff, leased, waiting_told = 0.1, False, False
        while not stop.is_set():
            self.heartbeat.beat()  # /healthz: the loop is alive (a relay on standby too)
            try:
                if not leased:
                    leased = wakeups.acquire()
                    if not leased:
                        if not waiting_told:
                            log.info("the lease of %s is held by another relay: standing by",
                                     self.app.service)
                            waiting_told = True
                        stop.wait(LEASE_RETRY)
                        continue
                    log.info("relay of %s took the lease", self.app.service)
                    # Start from where the last holder stopped.
                    self._after, self._last_published = self.position.load()
                    self._saved = (self._after, self._last_published)
                self.keep_alive()
                published = self.run_once()
                self.observe_lag()
                self.publish_checkpoint()
                backoff = 0.1
                if not published:
                    wakeups.wait(self.idle_wait(poll_interval))
            except RETRYABLE as exc:
                log.warning("broker or store unavailable, retrying in %.1fs: %s", backoff, exc)
                self.close(broken=True)
                wakeups.close()
                leased = waiting_told = False
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self.heartbeat.stopped()
        if leased:
            self._save_position(force=True)
        self.close()
        wakeups.close()


def checkpoint_publisher(service: str, settings: Settings) -> Publisher | None:
    """The store's checkpoint publisher; None (said in the log) without a usable key, so the
    events are still published."""
    try:
        return Publisher.from_settings(service, settings)
    except (OSError, ValueError) as exc:
        log.error("checkpoints of %s are not published: %s", service, exc)
        return None


def main(argv: list[str] | None = None) -> None:
    from runtime.services import SERVICES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service", choices=sorted(SERVICES))
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    setup_logging(f"{args.service}-relay", settings)
    spec = SERVICES[args.service]
    app = spec.application_class()(settings)
    relay = Relay(app, app.publication, settings.amqp_uri,
                  checkpoints=checkpoint_publisher(args.service, settings),
                  heartbeat=settings.amqp_heartbeat, confirm_timeout=settings.confirm_timeout)
    metrics = serve_metrics(settings.metrics_port, relay.heartbeat, settings.metrics_host)
    stop = threading.Event()

    def request_stop(signum: int, _frame: Any) -> None:
        log.info("relay %s stopping (signal %d)", args.service, signum)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    log.info("relay %s publishing to %s", args.service, relay.exchange.name)
    started = time.monotonic()
    try:
        relay.run(stop, settings.relay_poll_interval,
                  wakeups_for(app.engine, app.recorder.channel_name, args.service))
    finally:
        if metrics is not None:
            metrics.stop()
    log.info("relay %s stopped after %.0fs", args.service, time.monotonic() - started)


if __name__ == "__main__":
    main()
