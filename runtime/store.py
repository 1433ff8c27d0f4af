"""The event store of a service: eventsourcing + SQLAlchemy, with attributed metadata.

Every service application subclasses ``ServiceApplication``. It owns:
- the store, chosen by one URL (``<SERVICE>_DATABASE_URL``; SQLite file by default);
- the metadata stamped on every stored event (actor, times, correlation, causation and, on
  decisions, reason, evidence, rule-set version), taken from the ``CommandContext`` in force;
  an event recorded with no context is refused (R4.5: nothing is recorded anonymously);
- tracking records, written in the same transaction as the events a processed upstream
  notification causes, so a notification has one effect however often it arrives.

It never talks to the bus: publishing is the relay's job (``runtime.relay``).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.domain import DomainEventProtocol, Snapshot
from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    JSONTranscoder,
    Mapper,
    OperationalError,
    StoredEvent,
    Tracking,
    Transcoding,
)
from eventsourcing.projection import EventSourcedProjection
from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyProcessRecorder
from sqlalchemy import text
from sqlalchemy.orm import Session

from runtime.chain import Chain
from runtime.clock import Clock, SystemClock
from runtime.config import Settings
from runtime.context import CommandContext, current_context, use_context
from runtime.contracts import Catalog, Envelope
from runtime.errors import ActorRequired, Conflict, InvalidInput, StoreUnavailable
from runtime.pools import check_server
from runtime.requests import RequestLedger
from runtime.wakeup import Doorbell

if TYPE_CHECKING:
    from runtime.publication import Publication
    from runtime.readmodel import ReadModel, UpstreamView

log = logging.getLogger("emulation.store")

AggregateT = TypeVar("AggregateT")
META = "_meta"  # the key under which the metadata sits in each stored event's state


class VersionConflict(Conflict):
    """The caller expected another version of the record (a stale If-Match)."""

    code = "VERSION_CONFLICT"


# The store's connection failing, as SQLAlchemy and as the eventsourcing library say it.
STORE_FAILURES: tuple[type[Exception], ...] = (
    sa.exc.OperationalError, sa.exc.InterfaceError, OperationalError, InterfaceError)


def store_unavailable(error: BaseException) -> StoreUnavailable | None:
    """The refusal to answer with when ``error`` is the store's connection failing (not a
    mistake in a statement, which stays an internal error)."""
    if isinstance(error, STORE_FAILURES) or getattr(error, "connection_invalidated", False):
        return StoreUnavailable("the store did not answer; try again", {})
    return None


class AttributedMapper(Mapper[UUID]):
    """Stamps the command context on each aggregate event as it is stored."""

    clock: Clock = SystemClock()

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        self.stamp(domain_event)
        return super().to_stored_event(domain_event)

    def stamp(self, domain_event: object) -> None:
        """Attaches the context in force, once: an event keeps the cause it was made under."""
        if not isinstance(domain_event, Snapshot) and META not in vars(domain_event):
            object.__setattr__(domain_event, META, self._metadata())

    _last: tuple[CommandContext, dict[str, Any]] | None = None

    def _metadata(self) -> dict[str, Any]:
        context = current_context()
        if context is None:
            raise ActorRequired("an event cannot be recorded without an actor context")
        recorded_at = self.clock.now()
        last = self._last  # a command's events share its context: convert it once
        if last is None or last[0] is not context:
            last = self._last = (context, context.to_dict())
        data = dict(last[1])
        data["recorded_at"] = recorded_at.isoformat()
        data["effective_at"] = data["effective_at"] or data["recorded_at"]
        return data


def metadata_of(domain_event: object) -> dict[str, Any]:
    """The metadata stored with an event (empty for one not yet stored)."""
    return dict(vars(domain_event).get(META) or {})


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


_SCHEMA_LOCK = 0x656D7531  # one advisory lock key for every schema change of the platform


@contextmanager
def schema_lock(engine: Any) -> Iterator[None]:
    """Serialises table creation across processes (a service and its relay start together).

    PostgreSQL's ``CREATE TABLE IF NOT EXISTS`` is not safe against a concurrent one: the
    loser fails on the catalog's unique index. SQLite serialises writers by itself.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SCHEMA_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SCHEMA_LOCK})
            connection.commit()


def create_tables(engine: Any, create: Callable[[], None]) -> None:
    """Runs table creation once across processes that start together (a service and its
    relay). PostgreSQL serialises it with the advisory lock; SQLite has none, so two
    processes may both find a table missing and one loses the race to create it: it then
    looks again and finds it there."""
    with schema_lock(engine):
        attempts = 10  # each attempt creates at least one more table, or finds it made
        for attempt in range(attempts):
            try:
                create()
                return
            except (sa.exc.OperationalError, OperationalError) as error:
                if "already exists" not in str(error) or attempt == attempts - 1:
                    raise


class LockingProcessRecorder(SQLAlchemyProcessRecorder):
    """Advances the tracking position with one guarded UPDATE, and NOTIFYs only when events
    were stored.

    The library reads the position and then updates it: two instances of a service on
    PostgreSQL can both pass that check and both record an effect (R5.3: no double effect).
    ``UPDATE ... WHERE notification_id < :new`` takes the row lock, and PostgreSQL evaluates
    the condition again once a concurrent transaction commits, so the second instance updates
    nothing and fails with ``IntegrityError``; its transaction rolls back. One round trip
    instead of two, too.
    """

    def create_table(self) -> None:
        create_tables(self.datastore.engine, super().create_table)
        engine = cast(sa.Engine, self.datastore.engine)
        create_tables(engine, lambda: self._create_chain(engine))
        try:
            with schema_lock(engine), engine.begin() as connection:
                linked = self.chain.backfill(connection)
        except sa.exc.IntegrityError:  # a process started alongside (SQLite) linked it first
            linked = 0
        if linked:
            log.warning("linked %d events stored before the hash chain existed", linked)

    def _create_chain(self, engine: sa.Engine) -> None:
        with engine.begin() as connection:
            self.chain.create(connection)
            self.requests.create(connection)

    @cached_property
    def chain(self) -> Chain:
        """R5.1: the hash chain over this store's log (``runtime.chain``)."""
        return Chain(self.events_record_cls.__table__)

    @cached_property
    def requests(self) -> RequestLedger:
        """R5.3: the command requests this store carried out (``runtime.requests``)."""
        return RequestLedger(self.events_record_cls.__table__)

    def _insert_stored_events(self, session: Session, stored_events: Sequence[StoredEvent],
                              **kwargs: Any) -> Sequence[int]:
        """Inserts the events and their links in one transaction, under the events table's
        lock (PostgreSQL) or the single writer (SQLite), so the links follow the log; and the
        command request they carry out, once (R5.3) — last, once the lock is held, so a
        command that waited for it past its caller's deadline is refused then."""
        positions = super()._insert_stored_events(session, stored_events, **kwargs)
        self.chain.append(session, positions, stored_events)
        if stored_events:
            self.requests.record(session)
            if session.get_bind().dialect.name == "postgresql":
                # Delivered once this transaction commits: wakes the relay (runtime.wakeup).
                session.execute(sa.text(f'NOTIFY "{self.channel_name}"'))
        return positions

    def _insert_tracking(self, session: Session, tracking: Tracking) -> None:
        table = self.tracking_table
        advanced = cast(Any, session.execute(
            table.update()
            .where(table.c.application_name == tracking.application_name,
                   table.c.notification_id < tracking.notification_id)
            .values(notification_id=tracking.notification_id))).rowcount
        if advanced:
            return
        exists = session.execute(sa.select(table.c.notification_id).where(
            table.c.application_name == tracking.application_name)).first()
        if exists is not None:
            raise IntegrityError(f"{tracking} is already recorded")
        # First position from this upstream: a concurrent first insert fails on the key.
        session.execute(table.insert().values(application_name=tracking.application_name,
                                              notification_id=tracking.notification_id))

    def _notify_channel(self, session: Session) -> None:
        """The library NOTIFYs on every insert, a tracking record alone too; this recorder
        does so only when events were stored (``_insert_stored_events``)."""


ENGINE_OPTIONS = "SQLALCHEMY_ENGINE_OPTIONS"  # JSON: what create_engine is given


class Factory(SQLAlchemyFactory):
    """The library's factory, with the engine made as the settings say: the library builds
    the engine itself and takes no pool options from its environment, so they come as JSON
    under ``SQLALCHEMY_ENGINE_OPTIONS`` (``Settings.engine_options``: pool size, overflow,
    pre-ping) and are handed to its datastore."""

    process_recorder_class = LockingProcessRecorder

    def __init__(self, env: Any) -> None:
        options = json.loads(env.get(ENGINE_OPTIONS) or "{}")
        if options:
            self.datastore_class = cast(  # type: ignore[misc]
                Any, functools.partial(SQLAlchemyDatastore, **options))
        super().__init__(env)


class ServiceApplication(EventSourcedProjection[UUID]):
    """Base of every service's application: one method per command and per query.

    Subclasses set ``service`` (the name used for the store, the bus and the RPC service)
    and implement ``policy(message, processing_event)`` if they consume upstream events.
    """

    service: ClassVar[str]
    read_model_class: ClassVar[type[ReadModel] | None] = None
    # Views of upstream services' published events (e.g. the registry's facts), written in
    # the same transaction as the tracking record of the notifications that brought them.
    upstream_views: ClassVar[tuple[type[UpstreamView], ...]] = ()
    # What the auditors' trail follows through this service's records (``runtime.trail``):
    # the plain data of the service's own ``trail.py``; none for a service whose records
    # are no step of a decision's chain.
    trail: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, settings: Settings | None = None, clock: Clock | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        settings = settings or Settings.from_env()
        self.clock: Clock = clock or settings.clock()
        self.settings = settings
        config = {
            "PERSISTENCE_MODULE": f"{Factory.__module__}:{Factory.__qualname__}",
            "SQLALCHEMY_URL": settings.connection_url(self.service),
            ENGINE_OPTIONS: json.dumps(settings.engine_options(self.service)),
        }
        config.update(env or {})
        super().__init__(config)
        self.catalog = Catalog.load()
        self.publication = self.construct_publication()
        self._inboxes: dict[str, Any] = {}
        self.read_model = self.read_model_class(self.engine) if self.read_model_class else None
        self.views = [view(self.engine, self.service) for view in self.upstream_views]
        check_server(self.engine, settings, self.service)  # R5.3: its pools fit the server
        self.doorbell = Doorbell.for_engine(self.engine)  # SQLite: wakes the relay (PostgreSQL: NOTIFY)
        for model in [self.read_model, *self.views]:
            if model is not None:
                model.create()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "service" in cls.__dict__:
            cls.name = cls.service  # table names and tracking names follow the service

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_mapper(self) -> Mapper[UUID]:
        mapper = cast(AttributedMapper, self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=AttributedMapper))
        mapper.clock = self.clock
        return mapper

    def construct_publication(self) -> Publication:
        """What this service publishes (its rules map internal events to contracts)."""
        from runtime.publication import Publication

        return Publication(self.service, [], self.catalog)

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """Upstream events this service does not react to are tracked and have no effect."""

    def process_batch(self, batch: Sequence[tuple[Any, CommandContext]], tracking: Tracking) -> None:
        """Processes consecutive upstream events (one or more) in one transaction, tracked at
        the last one.

        Each event's effects are stamped with that event's own context as they are made.
        Policies load aggregates with ``aggregate_in`` so they see what earlier events of the
        same batch changed; a policy that does not would conflict on save, the batch would
        roll back whole, and the inbox would process the events one by one instead.
        """
        processing_event: ProcessingEvent[UUID] = ProcessingEvent(tracking=tracking)
        processing_event.upstream = [event for event, _ in batch]  # type: ignore[attr-defined]
        for domain_event, context in batch:
            start = len(processing_event.events)
            with use_context(context):
                self.policy(domain_event, processing_event)
                for new_event in processing_event.events[start:]:
                    self.mapper.stamp(new_event)  # type: ignore[attr-defined]
        with self.processing_lock:
            recordings = self._record(processing_event)
            self._take_snapshots(processing_event)
            self._notify(recordings)

    def _record(self, processing_event: ProcessingEvent[UUID]) -> Any:
        """Stores the events, their tracking record, the read model's rows and the upstream
        views' rows in one transaction. (No aggregate cache: a second instance would leave it
        stale.)"""
        upstream = getattr(processing_event, "upstream", ())
        if self.read_model is None and not (self.views and upstream):
            return super()._record(processing_event)
        with cast(Any, self.recorder).transaction(commit=True) as session:
            recordings = self.events.put(processing_event.events, tracking=processing_event.tracking,
                                         session=session, **processing_event.saved_kwargs)
            connection = session.connection()
            if self.read_model is not None:
                self.read_model.apply(connection, processing_event.events)
            for view in self.views:
                view.apply(connection, upstream)
        return recordings

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Saves, after checking the versions the caller said it expects (R5.2, If-Match):
        a record changed since the caller read it is refused with its current version."""
        context = current_context()
        expected = context.expected_versions if context else None
        if expected:
            for obj in objs:
                pending = len(getattr(obj, "pending_events", ()) or ())
                wanted = expected.get(str(getattr(obj, "id", "")))
                if pending and wanted is not None and obj.version - pending != wanted:
                    raise VersionConflict(
                        "the record changed since it was read; read it again",
                        {"id": str(obj.id), "expected": wanted, "current": obj.version - pending})
        return super().save(*objs, **kwargs)

    def _notify(self, recordings: Any) -> None:
        """After a commit: wakes the relay on SQLite (on PostgreSQL, the commit's NOTIFY did)."""
        super()._notify(recordings)
        if recordings:
            self.doorbell.ring()

    def run_command(self, command: Callable[[], Any]) -> Any:
        """R5.3: runs a command once per request (the context's ``request_id``): a request
        delivered again, or repeated after its caller gave up, answers with the first run's
        outcome and records nothing more; a command past its caller's deadline records
        nothing (``runtime.requests``)."""
        context = current_context()
        if context is None or not context.request_id:
            return command()
        recorder = cast(LockingProcessRecorder, self.recorder)
        deadline = context.deadline.timestamp() if context.deadline else None
        return recorder.requests.run(self.engine, context.request_id, deadline, command)

    def version_of(self, aggregate_id: object) -> int | None:
        """The current version of one of this service's records, or None."""
        from runtime.text import parse_uuid

        uid = parse_uuid(aggregate_id, "aggregate_id")
        events = self.recorder.select_events(uid, desc=True, limit=1)
        return events[0].originator_version if events else None

    def trail_links(self) -> dict[str, Any]:
        """R5.1: what the auditors' trail follows through this service's records: which
        records each names, the stage of each step, its stages in order with their titles."""
        return dict(self.trail)

    def find(self, aggregate_id: UUID, kind: type[AggregateT]) -> AggregateT | None:
        """One of this service's records, of that class, or None if there is none."""
        try:
            found: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, kind) else None

    def verify_chain(self, checkpoints: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
        """R5.1: recomputes this store's hash chain; the first break, if any, by position,
        and whether the log still leads to each checkpoint an auditor kept."""
        with self.engine.connect() as connection:
            return cast(LockingProcessRecorder, self.recorder).chain.verify(connection, checkpoints)

    def chain_checkpoint(self) -> dict[str, Any]:
        """R5.1: the chain's head (position and link), for an auditor to keep outside the system."""
        with self.engine.connect() as connection:
            return cast(LockingProcessRecorder, self.recorder).chain.checkpoint(connection)

    def chain_position(self, aggregate_id: UUID, version: int) -> dict[str, Any]:
        """Where one event of a record stands in this store's chain (position, link): what a
        signed decision's verification code names (``runtime.documents.signing``)."""
        with self.engine.connect() as connection:
            found = cast(LockingProcessRecorder, self.recorder).chain.position_of(
                connection, aggregate_id, version)
        if found is None:
            raise InvalidInput("no such event in this store", {"field": "aggregate_id"})
        return found

    def chain_proof(self, position: int, to: int | None = None) -> dict[str, Any]:
        """R5.1: the chain from one position to a later one, events included, for an
        auditor to check a signed decision offline (``runtime.documents.verify``)."""
        with self.engine.connect() as connection:
            proof = cast(LockingProcessRecorder, self.recorder).chain.proof(connection, position, to)
        return {"service": self.service, **proof}

    def signed_decision(self, render: Callable[[Mapping[str, Any]], bytes],
                        data: Mapping[str, Any], *, record_id: UUID, version: int,
                        union_id: UUID, union_name: str, place: str = "") -> bytes:
        """R4.5, R5.1: a decision's PDF rendered with its verification code (the event
        ``version`` of ``record_id`` in this store's chain) and signed with the deciding
        union's key (``runtime.documents.signing``)."""
        from runtime.documents import signing, verification_line

        code = self.verification_code(record_id, version)
        pdf = render({**data, "verification": verification_line(union_name, code)})
        return signing.sign(pdf, self.signing_keys, union_id, union_name, code, place)

    def verification_code(self, record_id: UUID, version: int) -> Any:
        """The code a decision's PDF prints and its signature carries: this store, the
        record, the position of its decision's event in the chain and the link there."""
        from runtime.documents.signing import VerificationCode

        found = self.chain_position(record_id, version)
        return VerificationCode(self.service, record_id, found["position"], found["link"])

    @cached_property
    def signing_keys(self) -> Any:
        """The unions' signing keys (``runtime.documents.signing.Keys``)."""
        from runtime.documents.signing import Keys

        return Keys(self.settings)

    def history(self, aggregate_id: object) -> list[dict[str, Any]]:
        """R4.5, R5.1: every event of one record, oldest first: what happened, when (recorded
        and effective), who acted under which role and union, the correlation and causation
        ids that link it to what led to it, and the decision record when it is a decision."""
        from runtime.text import parse_uuid

        found = []
        for stored in self.recorder.select_events(parse_uuid(aggregate_id, "aggregate_id")):
            event = self.mapper.to_domain_event(stored)
            meta = metadata_of(event)
            record, _, name = stored.topic.rpartition(":")[2].rpartition(".")
            found.append(_plain({
                "version": stored.originator_version, "record": record, "event": name,
                # the id the event is published under, as evidence elsewhere cites it
                "event_id": Envelope.event_id_for(stored.originator_id, stored.originator_version),
                "on": business_date(event),
                "recorded_at": meta.get("recorded_at"), "effective_at": meta.get("effective_at"),
                "actor": meta.get("actor"), "correlation_id": meta.get("correlation_id"),
                "causation_id": meta.get("causation_id"),
                "decision": getattr(event, "decision", None) or meta.get("decision")}))
        return found

    def state_as_of(self, aggregate_id: object, version: object = None,
                    on: object = None) -> dict[str, Any]:
        """R5.1: one record as it stood at a version, or on a date (its last event effective
        by the end of that day)."""
        from runtime.text import parse_date, parse_uuid

        uid = parse_uuid(aggregate_id, "aggregate_id")
        if on is not None:
            day = parse_date(on, "on").isoformat()
            versions = [e["version"] for e in self.history(uid)
                        if str(e["effective_at"] or "")[:10] <= day]
            if not versions:
                raise InvalidInput("the record did not exist on that date", {"field": "on"})
            version = versions[-1]
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                    or version < 1):
            raise InvalidInput("version is a whole number from 1", {"field": "version"})
        try:
            aggregate: Any = self.repository.get(uid, version=version)
        except AggregateNotFoundError:
            raise InvalidInput("no such record, or not at that version",
                               {"field": "aggregate_id"}) from None
        state = {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}
        return _plain({"id": str(uid), "version": aggregate.version, "state": state})

    def replay_check(self, upstreams: Mapping[str, Callable[..., Mapping[str, Any]]] | None = None,
                     page_size: int = 1000) -> dict[str, Any]:
        """R5.1: rebuilds every read model of this service aside (in memory) and compares it
        with the live one, table by table; a difference is reported, not hidden.

        - ``own``: the service's read model, from its own log up to its last position;
        - each upstream view (``upstream_views``, by class name): from the published envelopes
          of each upstream this service processes, up to the position it has processed
          (its tracking record), fed as the inbox feeds them. ``upstreams`` maps a source to
          a reader of its published pages, ``read(after=, stop=, limit=)`` (the upstream's
          ``published_page``, or its ``notifications`` RPC). A view whose upstream cannot be
          read is reported not checked, with the reason, and is not ok.

        The live tables are read with the positions they reflect, in one snapshot, so events
        processed while the check runs are not reported as differences.

        ``ok``, ``rows``, ``differences`` and ``replayed`` keep their meaning for the own read
        model, with every view's tables added to ``rows`` and ``differences`` (table names
        are the consumer's own); ``read_models`` has each read model's report and
        ``not_checked`` each view that could not be checked, with why.
        """
        reports: dict[str, dict[str, Any]] = {}
        if self.read_model is not None:
            reports["own"] = self._replay_own(page_size)
        if self.views:
            reports.update(self._replay_views(dict(upstreams or {}), page_size))
        rows: dict[str, int] = {}
        differences: dict[str, Any] = {}
        for report in reports.values():
            rows.update(report.get("rows", {}))
            differences.update(report.get("differences", {}))
        return {"ok": all(r["ok"] for r in reports.values()), "rows": rows,
                "differences": differences,
                "replayed": reports["own"]["replayed"] if "own" in reports else 0,
                "read_models": reports,
                "not_checked": {name: r["reason"] for name, r in reports.items()
                                if not r["checked"]}}

    def _live(self, metadata: Sequence[sa.MetaData],
              positions: Callable[[Any], Any]) -> tuple[Any, dict[str, Any]]:
        """The live tables of a read model and the log positions they reflect, read together:
        in one REPEATABLE READ transaction on PostgreSQL; on SQLite, read again until the
        positions did not move while the tables were read."""
        from runtime.readmodel import snapshot

        engine = self.engine
        options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" \
            else {}
        for _ in range(20):
            with engine.connect().execution_options(**options) as connection:
                before = positions(connection)
                tables = {name: rows for m in metadata
                          for name, rows in snapshot(connection, m).items()}
                if positions(connection) == before:
                    return before, tables
        raise _Moving("the read model kept changing while it was read; check again")

    def _replay_own(self, page_size: int) -> dict[str, Any]:
        from runtime.readmodel import compare_rows, snapshot

        assert self.read_model is not None
        log_table = cast(Any, self.recorder).events_record_cls.__table__
        try:
            head, live = self._live([self.read_model.metadata], lambda c: c.execute(
                sa.select(sa.func.max(log_table.c.id))).scalar())
        except _Moving as busy:
            return {"ok": False, "checked": False, "reason": str(busy), "rows": {},
                    "differences": {}, "replayed": 0}
        aside = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        try:
            shadow = type(self.read_model)(aside)
            replayed = shadow.rebuild(
                lambda after: [] if head is None else self.recorder.select_notifications(
                    start=after, limit=page_size, stop=head, inclusive_of_start=False),
                self.mapper.to_domain_event)
            with aside.connect() as connection:
                rebuilt = snapshot(connection, self.read_model.metadata)
        finally:
            aside.dispose()
        return {**compare_rows(live, rebuilt), "checked": True, "replayed": replayed,
                "position": head}

    def _replay_views(self, upstreams: dict[str, Callable[..., Mapping[str, Any]]],
                      page_size: int) -> dict[str, dict[str, Any]]:
        """Every upstream view rebuilt aside from its upstreams' published pages (see
        ``replay_check``)."""
        from runtime.readmodel import compare_rows, replay_upstream, snapshot

        tracking = cast(Any, self.recorder).tracking_table

        def processed(connection: Any) -> dict[str, int]:
            return {name: position for name, position in connection.execute(
                sa.select(tracking.c.application_name, sa.func.max(tracking.c.notification_id))
                .group_by(tracking.c.application_name))}

        names = [type(view).__name__ for view in self.views]
        try:
            positions, live = self._live([view.metadata for view in self.views], processed)
        except _Moving as busy:
            return {name: {"ok": False, "checked": False, "reason": str(busy), "rows": {},
                           "differences": {}, "replayed": 0, "sources": {}} for name in names}
        aside = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
        try:
            shadows = [type(view)(aside, self.service) for view in self.views]
            for shadow in shadows:
                shadow.create()
            sources: dict[str, dict[str, Any]] = {}
            for source in sorted(set(upstreams) | set(positions)):
                stop = positions.get(source)
                entry: dict[str, Any] = {"processed_to": stop, "replayed": 0}
                sources[source] = entry
                read = upstreams.get(source)
                if read is None:
                    if stop is not None:
                        entry["error"] = f"no way to read {source}'s published events was given"
                    continue
                try:
                    entry["replayed"] = replay_upstream(aside, shadows, source, read,
                                                        self.catalog.upcast, stop, page_size)
                except Exception as exc:  # reported, never raised: the others are still checked
                    log.warning("replay of %s's views from %s failed: %s", self.service, source, exc)
                    entry["error"] = f"{source} could not be replayed: {type(exc).__name__}: {exc}"
            reports: dict[str, dict[str, Any]] = {}
            with aside.connect() as connection:
                for name, view in zip(names, self.views, strict=True):
                    fed = {s: e for s, e in sources.items() if view.fed_by(s)}
                    failed = [e["error"] for e in fed.values() if "error" in e]
                    report: dict[str, Any] = {
                        "replayed": sum(e["replayed"] for e in fed.values()), "sources": fed}
                    if failed:
                        reports[name] = {"ok": False, "checked": False, "reason": "; ".join(failed),
                                         "rows": {}, "differences": {}, **report}
                        continue
                    rebuilt = snapshot(connection, view.metadata)
                    reports[name] = {**compare_rows(
                        {t: live[t] for t in rebuilt}, rebuilt), "checked": True, **report}
        finally:
            aside.dispose()
        return reports

    def rebuild_read_model(self, page_size: int = 1000) -> int:
        """Drops the read model and replays it from the whole log (it is derived data)."""
        if self.read_model is None:
            return 0
        return self.read_model.rebuild(
            lambda after: self.recorder.select_notifications(
                start=after, limit=page_size, inclusive_of_start=False),
            self.mapper.to_domain_event)

    def aggregate_in(self, processing_event: ProcessingEvent[UUID], aggregate_id: UUID) -> Any:
        """An aggregate as the events being processed left it (raises if it does not exist)."""
        aggregate = processing_event.aggregates.get(aggregate_id)
        return aggregate if aggregate is not None else self.repository.get(aggregate_id)

    def receive(self, source: str, message: Any, pull: Any) -> str:
        """Handles one message (or a catch-up) from an upstream service's published events."""
        return self.inbox(source).handle(message, pull)

    def inbox(self, source: str) -> Any:
        """The inbox for one upstream service (made on first use)."""
        from runtime.inbox import Inbox

        inbox = self._inboxes.get(source)
        if inbox is None:
            inbox = self._inboxes.setdefault(source, Inbox(self, source, self.catalog))
        return inbox

    def published_page(self, after: int | None, stop: int | None = None,
                       limit: int = 100) -> dict[str, Any]:
        """This service's published events after a position, from its log (gap filling)."""
        positions = {"after": after, "stop": stop, "limit": limit}
        for key, value in positions.items():
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or value < 0):
                raise InvalidInput(f"{key} must be a non-negative whole number", {"field": key})
        return self.publication.page(self.recorder, self.mapper, after=after, stop=stop,
                                     limit=max(1, min(limit, 1000))).to_dict()

    def today(self) -> date:
        """The date now, by the injected clock (deadlines and "as of" default to it)."""
        return self.clock.now().date()

    def as_of(self, value: object, field: str = "as_of") -> date:
        """A date argument of a query or command; today when none is given."""
        from runtime.text import parse_date

        return parse_date(value, field) if value else self.today()

    def past(self, value: object, field: str) -> date:
        """The date a thing happened on (a decision, a meeting): not after today."""
        from runtime.text import DateInFuture, parse_date

        on = parse_date(value, field)
        if on > self.today():
            raise DateInFuture(f"{field} {on} is after today ({self.today()})",
                               {"field": field, "value": on.isoformat(),
                                "today": self.today().isoformat()})
        return on

    @property
    def engine(self) -> Any:
        return cast(Factory, self.factory).datastore.engine

    def last_processed(self, upstream: str) -> int | None:
        return self.recorder.max_tracking_id(upstream)


class _Moving(Exception):
    """A read model changed under every attempt to read it with its position."""


def business_date(event: object) -> str | None:
    """The date an event says it happened on (a decision's date, ``registered_on``, a
    document's ``attached_on``…), which can precede the day it was recorded."""
    decision = getattr(event, "decision", None)
    if isinstance(decision, Mapping) and decision.get("decided_on"):
        return str(decision["decided_on"])
    for name, value in vars(event).items():
        if type(value) is date and (name == "on" or name.endswith("_on")):
            return value.isoformat()
    for value in vars(event).values():
        if isinstance(value, Mapping):
            found = next((str(v) for k, v in value.items() if k.endswith("_on") and v), None)
            if found:
                return found[:10]
    return None


def _plain(value: Any) -> Any:
    """A record's state or history as JSON carries it (ids, dates, enums as text; a value
    object as its ``to_dict()``)."""
    def plain(item: Any) -> Any:
        return item.to_dict() if hasattr(item, "to_dict") else str(item)

    return json.loads(json.dumps(value, default=plain, ensure_ascii=False))
