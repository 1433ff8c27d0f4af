"""The nameko side of the runtime: the only runtime module that imports nameko.

Service classes are thin: a list of entrypoints that translate RPC arguments into
application calls. What every service needs comes from here:
- ``ApplicationProvider``: the service's application, built when the container starts;
- ``ActorContextProvider``: the actor context from the RPC headers, in force while the
  worker runs, so every event the command records carries it;
- ``rpc``: nameko's RPC entrypoint, sending domain errors as typed errors with their codes;
- ``consume_events``: an upstream's published events, with retries and a parking queue
  (nameko's own consumer acknowledges a failed message and it is gone);
- ``CommandMetrics``: every RPC call counted, timed and logged by outcome (issue 9);
- ``EventSourcedService``: the base class, with ``notifications`` (the log others pull gaps
  from) and ``health``;
- ``entrypoints``: the service's commands and queries, one entrypoint each, derived from the
  declarations its application handles (``runtime.commands``), and a consumer of each
  upstream it names in ``consumes``;
- ``every``: a timer whose interval a setting gives;
- ``JobsProvider``: the service's jobs (``runtime.jobs``), run in managed green threads of
  its container, for work that would outlast an RPC's timeout (``start_job``, ``job``,
  ``cancel_job``).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import logging
import time
import typing
from collections.abc import Callable
from functools import partial
from typing import Any, cast

import eventlet
import eventlet.event
import eventlet.hubs
from amqp.exceptions import AMQPError
from kombu import Connection
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko.containers import WorkerContext
from nameko.exceptions import ContainerBeingKilled, IncorrectSignature
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR, DependencyProvider
from nameko.messaging import Consumer, QueueConsumer
from nameko.rpc import ReplyListener, Rpc, RpcConsumer, RpcProxy, ServiceProxy
from nameko.timer import Timer

import runtime.client  # noqa: F401  (registers DomainError for calls made from services)
from runtime import observability
from runtime.bus import declare, inbox_queue, parked_queue, retry_queue, typed
from runtime.commands import declared, signature, wire
from runtime.config import Settings
from runtime.context import HEADER_KEY, CommandContext, current_context, reset_context, set_context
from runtime.errors import (
    DomainError,
    InvalidInput,
    MalformedMessage,
    StoreUnavailable,
    UnknownContract,
)
from runtime.inbox import CATCH_UP
from runtime.jobs import Jobs, checkpoint
from runtime.store import store_unavailable

log = logging.getLogger("emulation.adapter")

ATTEMPTS_HEADER = "x-emulation-attempts"
ERROR_HEADER = "x-emulation-error"


class ApplicationProvider(DependencyProvider):
    def __init__(self, application_class: type) -> None:
        self.application_class = application_class
        self.app: Any = None

    def setup(self) -> None:
        self.app = self.application_class(Settings.from_env())

    def stop(self) -> None:
        if self.app is not None:
            self.app.close()

    def get_dependency(self, worker_ctx: WorkerContext) -> Any:
        return self.app


class ActorContextProvider(DependencyProvider):
    """Puts the caller's ``CommandContext`` in force for the duration of each worker."""

    def __init__(self) -> None:
        self._tokens: dict[WorkerContext, Any] = {}

    def worker_setup(self, worker_ctx: WorkerContext) -> None:
        # Never raises: an exception here would leave the caller waiting for ever. A missing
        # or malformed context leaves none in force, and commands then fail ACTOR_REQUIRED.
        raw = worker_ctx.context_data.get(HEADER_KEY)
        context = None
        if raw:
            try:
                context = CommandContext.from_header(raw)
            except DomainError as exc:
                log.warning("ignoring a malformed actor context: %s", exc)
        self._tokens[worker_ctx] = set_context(context)

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        token = self._tokens.pop(worker_ctx, None)
        if token is not None:
            reset_context(token)

    def get_dependency(self, worker_ctx: WorkerContext) -> CommandContext | None:
        return current_context()


class CommandMetrics(DependencyProvider):
    """Counts, times and logs every RPC call a service handles (issue 9): commands and
    queries by method and outcome (ok, or the error's stable code). The log line is written
    while the caller's context is still in force, so it carries the correlation id."""

    def __init__(self) -> None:
        self._started: dict[WorkerContext, float] = {}

    def worker_setup(self, worker_ctx: WorkerContext) -> None:
        if isinstance(worker_ctx.entrypoint, Rpc):
            self._started[worker_ctx] = time.perf_counter()

    def worker_result(self, worker_ctx: WorkerContext, result: Any = None,
                      exc_info: Any = None) -> None:
        started = self._started.pop(worker_ctx, None)
        if started is None:
            return
        seconds = time.perf_counter() - started
        entrypoint = worker_ctx.entrypoint
        kind = "query" if getattr(entrypoint, "changes_nothing", False) else "command"
        error = exc_info[1] if exc_info is not None else None
        outcome = _wire_code(error) or observability.outcome_of(error)
        service, method = self.container.service_name, entrypoint.method_name
        observability.command_handled(service, method, kind, outcome, seconds)
        extra = {"service": service, "method": method, "kind": kind, "outcome": outcome,
                 "duration_ms": round(seconds * 1000, 3)}
        if outcome == "INTERNAL_ERROR":
            log.error("%s %s.%s failed", kind, service, method, extra=extra, exc_info=exc_info)
        elif kind == "command" or outcome != "ok":
            log.info("%s %s.%s %s", kind, service, method, outcome, extra=extra)
        else:  # the gateway's scope checks and readiness probes: many, and dull
            log.debug("%s %s.%s %s", kind, service, method, outcome, extra=extra)

    def worker_teardown(self, worker_ctx: WorkerContext) -> None:
        self._started.pop(worker_ctx, None)

    def get_dependency(self, worker_ctx: WorkerContext) -> None:
        return None


def _wire_code(error: BaseException | None) -> str | None:
    """The stable code a domain error in its wire form (``_wire``: the base class, the code
    as its last argument) carries; what worker_result sees after ``DomainRpc``."""
    if type(error) is DomainError and len(error.args) == 3 and isinstance(error.args[2], str):
        return error.args[2]
    return None


def _wire(error: DomainError) -> DomainError:
    """The form a domain error travels in: the base class, carrying the subclass's code."""
    wire = Exception.__new__(DomainError)
    Exception.__init__(wire, *error.wire_args())
    return wire


# What a reply, an ack or a requeue raises when the broker went away under it (a restart).
BROKER_GONE = (KombuOperationalError, AMQPError, OSError)


def queue_type(config: dict[str, Any]) -> str:
    """The queue type a service's nameko config gives (``Settings.nameko_config``)."""
    return str(config.get("EMU_QUEUE_TYPE", "classic"))


class TypedRpcConsumer(RpcConsumer):
    """nameko's consumer of ``rpc-<service>``, the service's request queue, declared with the
    configured type (a quorum queue on a cluster, R5.3; ``runtime.bus``). It is declared here
    first, so a queue left with another type stops the service with ``BUS_QUEUE_MISMATCH``."""

    def setup(self) -> None:
        declared = self.queue is not None
        super().setup()
        if not declared:
            config = self.container.config
            typed(self.queue, queue_type(config))
            declare(config["AMQP_URI"], [self.queue])


class TypedReplyListener(ReplyListener):
    """The reply queue of a service's RPC proxies, with the configured type: kombu declares
    it durable, and a classic durable queue whose node died cannot be declared again on
    another until that node is back, so on a cluster it is a quorum queue too."""

    def setup(self) -> None:
        super().setup()
        typed(self.queue, queue_type(self.container.config))


class TypedRpcProxy(RpcProxy):
    rpc_reply_listener = TypedReplyListener()


class DomainRpc(Rpc):
    rpc_consumer = TypedRpcConsumer()

    def __init__(self, expected_exceptions: Any = DomainError, **kwargs: Any) -> None:
        super().__init__(expected_exceptions=expected_exceptions, **kwargs)

    def handle_result(self, message: Any, worker_ctx: WorkerContext, result: Any,
                      exc_info: Any) -> Any:
        if exc_info is not None and not isinstance(exc_info[1], DomainError):
            unavailable = store_unavailable(exc_info[1])  # a 503 to ask again, not a 500
            if unavailable is not None:
                exc_info = (StoreUnavailable, unavailable, exc_info[2])
        if exc_info is not None and isinstance(exc_info[1], DomainError):
            exc_info = (DomainError, _wire(exc_info[1]), exc_info[2])
        try:
            return super().handle_result(message, worker_ctx, result, exc_info)
        except BROKER_GONE as error:
            # R5.3: the broker went away before the reply could be sent (RabbitMQ restarting).
            # nameko would kill the whole service for it; instead the reply is given up and
            # the request left unacknowledged on the dead connection, so the broker delivers
            # it again and the request ledger answers it with this run's outcome.
            log.warning("the reply to %s could not be sent (%s); the request will be delivered "
                        "again", worker_ctx.entrypoint.method_name, error)
            return result, exc_info


class QueryRpc(DomainRpc):
    """An RPC that changes nothing: the gateway serves it as a GET, read-only roles may call
    it, and it is never retried for its effect (R5.2)."""

    changes_nothing = True


def rpc(function: Callable[..., Any]) -> Callable[..., Any]:
    """A command: nameko's RPC entrypoint, run once per request (R5.3): the service's
    application records the request with the command's events, and a request delivered again
    (its instance died before replying) or repeated after the caller gave up answers with the
    first run's outcome (``ServiceApplication.run_command``, ``runtime.requests``)."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def command(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:  # nameko checks the wrapper's (*args, **kwargs): check the command's own
            signature.bind(self, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc)) from None
        return self.app.run_command(partial(function, self, *args, **kwargs))

    return cast(Callable[..., Any], DomainRpc.decorator(command))


query = QueryRpc.decorator


def entrypoints(service_class: type) -> type:
    """Gives a service class one entrypoint per command and query its application handles
    (``runtime.commands.handles``): ``rpc`` for a command, ``query`` for a query, named as
    the method, with the declaration's fields as its signature, so nameko refuses a call that
    does not fit it and the gateway's catalogue reads it. Its answer travels in wire form
    (ids as text). An entrypoint the class writes itself is kept.

    For each upstream named in the class's ``consumes``, it also gives the class an RPC proxy
    of that service (named as it) and the consumer ``on_<upstream>_event`` of its published
    events, which hands each message to the application's inbox (``receive``)."""
    application_class = service_class.app.application_class  # type: ignore[attr-defined]
    for method, declaration in declared(application_class).items():
        if method not in vars(service_class):
            handler = getattr(application_class, method)
            setattr(service_class, method, _entrypoint(method, declaration, handler))
    for source in getattr(service_class, "consumes", ()):
        setattr(service_class, source, TypedRpcProxy(source))
        setattr(service_class, f"on_{source}_event", _consumer(source))
    return service_class


def _consumer(source: str) -> Any:
    def consumer(self: Any, message: Any) -> str:
        return receive(self.app, source, getattr(self, source), message)

    consumer.__name__ = consumer.__qualname__ = f"on_{source}_event"
    return consume_events(source)(consumer)


def _entrypoint(method: str, declaration: type, handler: Callable[..., Any]) -> Any:
    def entrypoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        return wire(getattr(self.app, method)(*args, **kwargs))

    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    fields = signature(declaration)
    entrypoint.__name__ = entrypoint.__qualname__ = method
    entrypoint.__doc__ = handler.__doc__
    entrypoint.__signature__ = fields.replace(  # type: ignore[attr-defined]
        parameters=[self_parameter, *fields.parameters.values()])
    entrypoint.__annotations__ = {
        **{name: parameter.annotation for name, parameter in fields.parameters.items()},
        "return": typing.get_type_hints(handler).get("return", Any)}
    return (query if getattr(declaration, "changes_nothing", False) else rpc)(entrypoint)


class EventsQueueConsumer(QueueConsumer):
    """nameko's queue consumer, except that an undecodable message is parked, not dropped.

    kombu's default acknowledges a body it cannot decode (invalid JSON, a foreign content
    type) after logging it: the message would be gone.
    """

    def on_decode_error(self, message: Any, exc: Exception) -> None:
        tag = message.delivery_info.get("consumer_tag")
        for provider, consumer in self._consumers.items():
            if tag in getattr(consumer, "_active_tags", {}).values():
                provider.handle_result(message, None, None,
                                       (MalformedMessage, MalformedMessage(
                                           f"the body cannot be decoded: {exc}"), None))
                return
        log.error("an undecodable message for no known consumer was requeued: %s", exc)
        self.requeue_message(message)


class EventsConsumer(Consumer):
    """Consumes one upstream's published events; a failure is retried, then parked."""

    queue_consumer = EventsQueueConsumer()

    def __init__(self, source: str, **kwargs: Any) -> None:
        self.source = source
        super().__init__(queue=None, **kwargs)

    def setup(self) -> None:
        settings = Settings.from_env()
        consumer = self.container.service_name
        config = self.container.config
        self.amqp_uri = config["AMQP_URI"]
        self.delays_ms = settings.retry_delays_ms
        self.catch_up_interval = settings.catch_up_interval
        self.catch_up_max_interval = settings.catch_up_max_interval
        kind = queue_type(config)
        self.queue = inbox_queue(consumer, self.source, kind,
                                 int(config.get("EMU_DELIVERY_LIMIT", settings.delivery_limit)))
        self.retry = retry_queue(consumer, self.source, kind)
        self.parked = parked_queue(consumer, self.source, kind)
        declare(self.amqp_uri, [self.queue, self.retry, self.parked])
        super().setup()

    def start(self) -> None:
        self._running = True
        self._stopping = eventlet.event.Event()
        self._delivered = False
        self._caught_up_once = False
        self.container.spawn_managed_thread(self._catch_up_loop)

    def stop(self) -> None:
        self._running = False
        stopping = getattr(self, "_stopping", None)  # None: stopped before it started
        if stopping is not None and not stopping.ready():
            stopping.send(None)
        super().stop()

    def _catch_up_loop(self) -> None:
        # Extensions start concurrently: pull only once RPC replies are being consumed, or the
        # reply is lost and the pull waits out its timeout. A failed catch-up is retried with
        # backoff until it succeeds once; then one follows catch_up_interval after the last
        # delivery, and while nothing is delivered each waits twice as long as the one before,
        # up to catch_up_max_interval (R5.3's safety net stays close to where events flowed; a
        # system at rest is left at rest).
        self._wait_for_queue_consumers()
        delay = 0.5
        while self._running:
            done = eventlet.event.Event()
            try:
                self.container.spawn_worker(self, (CATCH_UP,), {},
                                            handle_result=partial(self._caught_up, done))
            except ContainerBeingKilled:
                return
            succeeded = done.wait()
            delay = self._next_catch_up(delay, succeeded)
            with eventlet.Timeout(delay, False):
                self._stopping.wait()  # stop() ends the wait at once

    def _next_catch_up(self, delay: float, succeeded: bool) -> float:
        """Seconds to the next catch-up after one that ``succeeded`` or not."""
        delivered, self._delivered = self._delivered, False
        if not succeeded:
            return min(delay * 2, self.catch_up_interval)
        if delivered or delay < self.catch_up_interval:
            return self.catch_up_interval
        return min(delay * 2, self.catch_up_max_interval)

    def _wait_for_queue_consumers(self, timeout: float = 30.0) -> None:
        consumers = [ext for ext in self.container.subextensions if isinstance(ext, QueueConsumer)]
        with eventlet.Timeout(timeout, False):
            for consumer in consumers:
                consumer._consumers_ready.wait()  # nameko 2.14's readiness event

    def _caught_up(self, done: Any, worker_ctx: WorkerContext, result: Any, exc_info: Any) -> Any:
        if exc_info is not None:
            observability.error(self.container.service_name, observability.outcome_of(exc_info[1]))
            log.warning("catching up with %s failed (will retry): %s", self.source, exc_info[1])
        elif not self._caught_up_once:
            self._caught_up_once = True
            log.info("first catch-up with %s done: %s", self.source, result)
        done.send(exc_info is None)
        return result, exc_info

    def handle_result(self, message: Any, worker_ctx: WorkerContext, result: Any = None,
                      exc_info: Any = None) -> Any:
        self._delivered = True  # the next catch-up comes catch_up_interval after this
        if exc_info is not None:
            try:
                self._divert(message, exc_info[1])
            except Exception:
                # Could not move it aside: give it back to the queue rather than lose it.
                log.exception("could not divert a failed %s event; requeued", self.source)
                self._settle(self.queue_consumer.requeue_message, message)
                return result, exc_info
        self._settle(self.queue_consumer.ack_message, message)
        return result, exc_info

    def _settle(self, settle: Callable[[Any], None], message: Any) -> None:
        """Acknowledges or requeues a message. When the broker went away first (RabbitMQ
        restarting), nameko's own guard misses the socket's error (it catches amqp's
        ``ConnectionError``, not the built-in one) and the whole service would die: instead
        the message is left to the broker, which delivers it again, and the inbox's tracking
        record makes that delivery a duplicate (R5.3: no loss, no double effect)."""
        try:
            settle(message)
        except BROKER_GONE as error:
            log.warning("the broker went away before a %s event was settled (%s); it will be "
                        "delivered again", self.source, error)

    def _divert(self, message: Any, error: BaseException) -> None:
        headers = dict(message.headers or {})
        attempts = int(headers.get(ATTEMPTS_HEADER, 0)) + 1
        headers.update({ATTEMPTS_HEADER: attempts, ERROR_HEADER: f"{type(error).__name__}: {error}"[:1000]})
        hopeless = isinstance(error, (MalformedMessage, UnknownContract))
        service = self.container.service_name
        observability.error(service, observability.outcome_of(error))
        if hopeless or attempts > len(self.delays_ms):
            target, expiration = self.parked, None
            log.error("PARKED %s event after %d attempt(s) in %s: %s", self.source, attempts,
                      self.parked.name, error)
        else:
            target, expiration = self.retry, self.delays_ms[attempts - 1] / 1000
            log.warning("retrying %s event in %.1fs (attempt %d): %s", self.source,
                        expiration, attempts, error)
        with Connection(self.amqp_uri, transport_options={"confirm_publish": True}) as connection:
            connection.Producer().publish(
                message.body, exchange="", routing_key=target.name, headers=headers,
                content_type=message.content_type, content_encoding=message.content_encoding,
                delivery_mode=2, expiration=expiration)
        if expiration is None:  # counted once the broker has it (R5.3: parked, not lost)
            observability.parked(service, self.source)
        else:
            observability.retried(service, self.source)


consume_events = EventsConsumer.decorator


class ConfiguredTimer(Timer):
    """nameko's timer with its interval (seconds) read from the setting ``setting`` when the
    service starts, ``default`` when unset, rather than fixed at import."""

    def __init__(self, setting: str, default: float, **kwargs: Any) -> None:
        self.setting, self.default = setting, default
        super().__init__(interval=default, **kwargs)

    def setup(self) -> None:
        self.interval = Settings.from_env().number(self.setting, self.default)
        super().setup()


every = ConfiguredTimer.decorator


class JobsProvider(DependencyProvider):
    """The service's jobs (``runtime.jobs``): each runs in a managed green thread of the
    container (killed with it), and yields to the hub between batches, so the service keeps
    answering RPCs while it runs."""

    def setup(self) -> None:
        self.jobs = Jobs(spawn=self.container.spawn_managed_thread, pause=eventlet.sleep,
                         explain=store_unavailable)

    def get_dependency(self, worker_ctx: WorkerContext) -> Jobs:
        return self.jobs


# A job is started and cancelled by a POST (it is not a query), but records no event: it is
# not run through the request ledger (``rpc``); a repeated start answers the running job.
job_command = DomainRpc.decorator


def _actor() -> dict[str, Any] | None:
    context = current_context()
    return dataclasses.asdict(context.actor) if context is not None else None


class EventSourcedService:
    """Base of every nameko service class."""

    name: str
    app: Any
    consumes: tuple[str, ...] = ()  # the upstreams whose published events it keeps (entrypoints)
    context = ActorContextProvider()
    observed = CommandMetrics()
    jobs = JobsProvider()

    @query
    def notifications(self, after: int | None = None, stop: int | None = None,
                      limit: int = 100) -> dict[str, Any]:
        return self.app.published_page(after, stop, limit)

    @query
    def processed(self, source: str) -> int | None:
        """The last log position of an upstream service this one has processed (None if
        nothing yet): how far its view of that service's facts has come."""
        if not isinstance(source, str) or source == self.name:
            raise InvalidInput("source names an upstream service", {"field": "source"})
        return self.app.last_processed(source)

    @query
    def verify_chain(self, position: int | None = None, link: str | None = None) -> dict[str, Any]:
        """R5.1: recomputes this service's hash chain over its whole log: the first position
        where it breaks, if any, and, given the auditor's checkpoint (position and link),
        whether the log still leads to it."""
        return self.app.verify_chain(checkpoint(position, link))

    @query
    def history(self, aggregate_id: str) -> list[dict[str, Any]]:
        """R5.1: every event of one record, with who, when, why and what led to it."""
        return self.app.history(aggregate_id)

    @query
    def state_as_of(self, aggregate_id: str, version: int | None = None,
                    on: str | None = None) -> dict[str, Any]:
        """R5.1: one record as it stood at a version or on a date."""
        return self.app.state_as_of(aggregate_id, version, on)

    @query
    def replay_check(self) -> dict[str, Any]:
        """R5.1: every read model of this service rebuilt aside against the live one: its own
        from its log, and each view of an upstream from that upstream's published events
        (its ``notifications``, over RPC with the pull timeout), up to where this service
        has processed them. A view whose upstream does not answer is reported not checked."""
        return self.app.replay_check(self._readers())

    def _readers(self) -> dict[str, Callable[..., Any]]:
        readers: dict[str, Callable[..., Any]] = {}
        for source in upstream_sources(type(self)):
            proxy = getattr(self, source, None)
            if isinstance(proxy, ServiceProxy):
                readers[source] = partial(_pull, proxy, source, self.app.settings.pull_timeout)
        return readers

    @job_command
    def start_job(self, kind: str, position: int | None = None,
                  link: str | None = None) -> dict[str, Any]:
        """R5.1: starts a check of this whole store as a job and answers it at once:
        ``verify_chain`` (given a kept checkpoint, its ``position`` and ``link``) or
        ``replay_check``.

        Follow it with ``job`` (its state, ``progress.done`` of ``progress.total`` events,
        its result once ``done``) and stop it with ``cancel_job``. While a job of the kind
        runs, starting it again answers that job (with another checkpoint:
        ``JOB_ALREADY_RUNNING``). A job lives in the service's process: after
        a restart of the service its id is ``JOB_NOT_FOUND`` and it is started again."""
        Jobs.check_kind(kind)
        if kind == "verify_chain":
            checkpoints = checkpoint(position, link)
            return self.jobs.start(kind, partial(self.app.verify_chain, checkpoints), _actor(),
                                   checkpoints[0] if checkpoints else None)
        if position is not None or link is not None:
            raise InvalidInput("only a chain verification takes a checkpoint",
                               {"field": "position" if position is not None else "link"})
        readers = self._readers()
        return self.jobs.start(
            kind, lambda progress: self.app.replay_check(readers, progress=progress), _actor())

    @query
    def job(self, job_id: str) -> dict[str, Any]:
        """R5.1: a job of this service as it stands: ``running``, ``done`` (with its
        result), ``failed`` (with its error's code) or ``cancelled``, and how many events it
        has checked of how many."""
        return self.jobs.get(job_id)

    @job_command
    def cancel_job(self, job_id: str) -> dict[str, Any]:
        """R5.1: stops a running job at its next batch (a finished one is answered as it
        is); who stopped it is kept with it."""
        return self.jobs.cancel(job_id, _actor())

    @query
    def chain_checkpoint(self) -> dict[str, Any]:
        """R5.1: the head of this service's hash chain, for an auditor to keep outside."""
        return self.app.chain_checkpoint()

    @query
    def trail_links(self) -> dict[str, Any]:
        """R5.1: what the auditors' trail follows through this service's records (its
        ``trail.py``, read by ``runtime.trail`` without importing the service)."""
        return self.app.trail_links()

    @query
    def version(self, aggregate_id: str) -> int | None:
        """The version of one of this service's records (None if there is none): what an
        ETag carries, so an update can say which version it expects."""
        return self.app.version_of(aggregate_id)

    @query
    def health(self) -> dict[str, Any]:
        return {"service": self.name, "last_notification": self.app.recorder.max_notification_id()}


def upstream_sources(service_class: type) -> list[str]:
    """The upstreams a service class consumes (its ``consume_events`` entrypoints)."""
    sources = set()
    for klass in service_class.__mro__:
        for attribute in vars(klass).values():
            for entrypoint in getattr(attribute, ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, EventsConsumer):
                    sources.add(entrypoint.source)
    return sorted(sources)


class UpstreamTimeout(Exception):
    """The upstream did not answer a pull in time; the delivery is retried later."""


def receive(app: Any, source: str, proxy: Any, message: Any) -> str:
    """The body of every consumer method: hand the message to the application's inbox."""
    return app.receive(source, message, pull=partial(_pull, proxy, source,
                                                         app.settings.pull_timeout))


def _pull(proxy: Any, source: str, timeout: float, **kwargs: Any) -> dict[str, Any]:
    # nameko 2's RpcProxy waits for ever; a lost reply must not hold the inbox for ever.
    with eventlet.Timeout(timeout, UpstreamTimeout(f"{source} did not answer in {timeout}s")):
        return proxy.notifications(**kwargs)
