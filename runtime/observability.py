"""Logs and metrics, the same on every process (issue 9): each service, each relay, the gateway.

Logs: ``setup_logging(process)`` makes the root logger write one JSON object per line to
stderr, with ``ts`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``process``,
``correlation_id`` (of the command context in force, or of the gateway's request; null when
there is none), ``exc`` for an exception and the record's ``extra`` fields.
``EMU_LOG_FORMAT=text`` gives the human format instead; ``EMU_LOG_LEVEL`` sets the level.

Metrics (Prometheus, prefix ``emulation_``, each labelled with ``service``): the functions
below are what the runtime calls where things happen; ``serve_metrics`` answers
``GET /metrics`` and ``GET /healthz`` on ``EMU_METRICS_PORT`` for services and relays (the
gateway serves ``/metrics`` on its own HTTP port). Every process has its own registry of
counters: Prometheus scrapes each one, so instances of a service add up there.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import IO, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from prometheus_client.registry import REGISTRY

from runtime.config import Settings
from runtime.context import current_context

log = logging.getLogger("emulation.observability")

# --- logs ---------------------------------------------------------------------------------

# The gateway's request correlation id, for what it logs while no command context is in force.
_request_correlation: ContextVar[str | None] = ContextVar("emulation_request_correlation",
                                                          default=None)

# What every LogRecord has; anything else on a record came from ``extra=`` and is logged too.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                          "taskName"}


def correlation_id() -> str | None:
    """The correlation id of what this process is doing now: the command context's (set by
    the adapter around each RPC worker and by the inbox around each upstream event), else the
    gateway's request's, else None."""
    context = current_context()
    if context is not None:
        return context.correlation_id
    return _request_correlation.get()


@contextmanager
def correlated(correlation: str | None) -> Iterator[None]:
    """The gateway's request correlation id in force for the logs written inside."""
    token: Token[str | None] = _request_correlation.set(correlation)
    try:
        yield
    finally:
        _request_correlation.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; non-ASCII text (Vietnamese) written as itself, not escaped."""

    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": self.process,
            "correlation_id": getattr(record, "correlation_id", None) or correlation_id(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        # One line whatever the message holds: json escapes newlines inside strings.
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(process_name)s %(name)s %(levelname)s %(message)s"


class _TextFormatter(logging.Formatter):
    def __init__(self, process: str) -> None:
        super().__init__(TEXT_FORMAT)
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        record.process_name = self.process
        text = super().format(record)
        correlation = correlation_id()
        return f"{text} [{correlation}]" if correlation else text


# nameko stands on eventlet, which announces on import that it is deprecated: a known choice
# (DESIGN.md), so at every start of every process the notice is expected, and not repeated.
EXPECTED_WARNING = re.compile(r"\s*Eventlet is deprecated")


class _RefusalTracebacks(logging.Filter):
    """nameko logs every call its entrypoint expected to refuse (a ``DomainError``: bad input,
    no authority) at WARNING with a traceback. ``CommandMetrics`` already logs each refusal as
    one INFO line with its stable code, so this drops nameko's copy: a traceback in the log
    then always means a fault someone must look at."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("(expected) error handling worker")


def setup_logging(process: str, settings: Settings | None = None,
                  stream: IO[str] | None = None,
                  early: Iterable[warnings.WarningMessage] = ()) -> logging.Handler:
    """The one logging set-up of every process (serve, relay, gateway): the root logger's
    only handler, JSON lines unless ``EMU_LOG_FORMAT=text``, at ``EMU_LOG_LEVEL``. Python
    warnings are logged too, so stderr stays one JSON object per line; ``early`` are those
    caught while the process imported its libraries, logged now unless expected."""
    settings = settings or Settings.from_env()
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(_TextFormatter(process) if settings.log_format == "text"
                         else JsonFormatter(process))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    logging.captureWarnings(True)
    warnings.filterwarnings("ignore", message=EXPECTED_WARNING.pattern)
    nameko_workers = logging.getLogger("nameko.containers")
    if not any(isinstance(f, _RefusalTracebacks) for f in nameko_workers.filters):
        nameko_workers.addFilter(_RefusalTracebacks())
    for caught in early:
        if not EXPECTED_WARNING.match(str(caught.message)):
            warnings.showwarning(caught.message, caught.category, caught.filename, caught.lineno)
    return handler


# --- metrics ------------------------------------------------------------------------------

COMMANDS = Counter("emulation_commands", "RPC entrypoint calls a service handled (commands "
                   "and queries), by outcome: ok or the error code",
                   ["service", "method", "kind", "outcome"])
COMMAND_SECONDS = Histogram("emulation_command_duration_seconds",
                            "Time a service took to handle an RPC call", ["service", "method", "kind"])
ERRORS = Counter("emulation_errors", "Errors by stable code: refused or failed RPC calls and "
                 "failed upstream events", ["service", "code"])
RELAY_PUBLISHED = Counter("emulation_relay_events_published",
                          "Envelopes the relay published with the broker's confirmation", ["service"])
RELAY_POSITION = Gauge("emulation_relay_position",
                       "The last notification id the relay has scanned and had confirmed", ["service"])
RELAY_HEAD = Gauge("emulation_relay_head_position",
                   "The highest notification id in the service's log, as the relay last read it",
                   ["service"])
RELAY_LAG = Gauge("emulation_relay_lag", "Notifications stored but not yet confirmed published: "
                  "highest notification id - the relay's position", ["service"])
CONSUMER_UPSTREAM = Gauge("emulation_consumer_upstream_position",
                          "The highest upstream position seen on the bus or pulled from its log",
                          ["service", "upstream"])
CONSUMER_PROCESSED = Gauge("emulation_consumer_processed_position",
                           "The upstream position this service has processed (its tracking record)",
                           ["service", "upstream"])
CONSUMER_LAG = Gauge("emulation_consumer_lag", "Upstream position seen - position processed",
                     ["service", "upstream"])
INBOX_EVENTS = Counter("emulation_inbox_events", "Upstream events the inbox handled, by outcome "
                       "(processed, duplicate)", ["service", "upstream", "outcome"])
RETRIED = Counter("emulation_retried_messages", "Upstream events sent to the retry queue",
                  ["service", "upstream"])
PARKED = Counter("emulation_parked_messages", "Upstream events parked after their last retry, or "
                 "at once when malformed", ["service", "upstream"])
HTTP_REQUESTS = Counter("emulation_http_requests", "HTTP requests the gateway answered",
                        ["service", "route", "method", "status"])
HTTP_SECONDS = Histogram("emulation_http_request_duration_seconds",
                         "Time the gateway took to answer an HTTP request", ["service", "route", "method"])
RPC_CALLS = Counter("emulation_rpc_calls", "RPC calls the gateway made, by the service called and "
                    "outcome: ok or the error code", ["service", "method", "outcome"])


def outcome_of(error: BaseException | None) -> str:
    """``ok``, a domain error's stable code, or ``INTERNAL_ERROR`` for anything else."""
    if error is None:
        return "ok"
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and code else "INTERNAL_ERROR"


def command_handled(service: str, method: str, kind: str, outcome: str, seconds: float) -> None:
    COMMANDS.labels(service, method, kind, outcome).inc()
    COMMAND_SECONDS.labels(service, method, kind).observe(seconds)
    if outcome != "ok":
        ERRORS.labels(service, outcome).inc()


def error(service: str, code: str) -> None:
    ERRORS.labels(service, code).inc()


def relay_published(service: str, count: int) -> None:
    if count:
        RELAY_PUBLISHED.labels(service).inc(count)


def relay_lag(service: str, position: int | None, head: int | None) -> int:
    """Records the relay's position against its log's head; returns the lag."""
    lag = max(0, (head or 0) - (position or 0))
    RELAY_POSITION.labels(service).set(position or 0)
    RELAY_HEAD.labels(service).set(head or 0)
    RELAY_LAG.labels(service).set(lag)
    return lag


def consumer_position(service: str, upstream: str, seen: int | None,
                      processed: int | None) -> int:
    """Records a consumer's view of one upstream; returns its lag (seen - processed)."""
    seen = max(seen or 0, processed or 0)  # after a restart, the tracking record is a floor
    lag = seen - (processed or 0)
    CONSUMER_UPSTREAM.labels(service, upstream).set(seen)
    CONSUMER_PROCESSED.labels(service, upstream).set(processed or 0)
    CONSUMER_LAG.labels(service, upstream).set(lag)
    return lag


def inbox_events(service: str, upstream: str, outcome: str, count: int = 1) -> None:
    if count:
        INBOX_EVENTS.labels(service, upstream, outcome).inc(count)


def retried(service: str, upstream: str) -> None:
    RETRIED.labels(service, upstream).inc()


def parked(service: str, upstream: str) -> None:
    PARKED.labels(service, upstream).inc()


def http_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels("gateway", route, method, str(status)).inc()
    HTTP_SECONDS.labels("gateway", route, method).observe(seconds)


def rpc_call(service: str, method: str, outcome: str) -> None:
    RPC_CALLS.labels(service, method, outcome).inc()


def observe_rpc_pool(pool: Any) -> Any:
    """Counts every call a pool makes (``pool.call(service, method, ...)``), by the service
    called and its outcome: the gateway's calls, from its HTTP and gRPC fronts alike."""
    call = pool.call

    def observed(service: str, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            result = call(service, method, *args, **kwargs)
        except BaseException as exc:
            rpc_call(service, method, outcome_of(exc))
            raise
        rpc_call(service, method, "ok")
        return result

    setattr(pool, "call", observed)  # noqa: B010  (runtime.client stays unaware of metrics)
    return pool


def metrics_text() -> tuple[bytes, str]:
    """This process's metrics in the Prometheus text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


# --- the metrics listener of services and relays -------------------------------------------

Health = Callable[[], tuple[bool, dict[str, Any]]]


def wsgi_app(health: Health) -> Callable[..., Iterable[bytes]]:
    """``GET /metrics`` (Prometheus text) and ``GET /healthz`` (200 while ``health`` says
    so, 503 otherwise, with its report as JSON)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain")])
            return [b"GET only\n"]
        if path == "/metrics":
            body, content_type = metrics_text()
            start_response("200 OK", [("Content-Type", content_type),
                                      ("Content-Length", str(len(body)))])
            return [body]
        if path == "/healthz":
            try:
                ok, report = health()
            except Exception as exc:  # a health check that fails says so; it does not crash
                ok, report = False, {"error": f"{type(exc).__name__}: {exc}"}
            body = json.dumps({"ok": ok, **report}, ensure_ascii=False, default=str).encode()
            start_response("200 OK" if ok else "503 Service Unavailable",
                           [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"GET /metrics or /healthz\n"]

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # scrapes every few seconds: quiet
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a scrape in progress never holds the process open


class MetricsServer:
    def __init__(self, port: int, stop: Callable[[], None]) -> None:
        self.port = port
        self._stop = stop

    def stop(self) -> None:
        self._stop()


def serve_metrics(port: int, health: Health, host: str) -> MetricsServer | None:
    """Serves ``/metrics`` and ``/healthz`` on ``host:port`` in the background: a green
    thread with eventlet's WSGI server in a monkey-patched process (the services), a plain
    thread otherwise (the relays). Port 0: nothing. A port already taken is logged and the
    process goes on without a listener: metrics are not worth stopping the work for."""
    if port <= 0:
        return None
    app = wsgi_app(health)
    try:
        if _green():
            import eventlet
            import eventlet.wsgi

            sock = eventlet.listen((host, port))
            thread = eventlet.spawn(eventlet.wsgi.server, sock, app, log_output=False,
                                    socket_timeout=30)

            def stop_green() -> None:
                thread.kill()
                sock.close()

            log.info("metrics on http://%s:%d/metrics, health on /healthz", host, port)
            return MetricsServer(port, stop_green)
        server = make_server(host, port, app, server_class=_ThreadingServer,
                             handler_class=_QuietHandler)
    except OSError as exc:
        log.error("cannot serve metrics on %s:%d (%s); running without them", host, port, exc)
        return None
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("metrics on http://%s:%d/metrics, health on /healthz", host, port)

    def stop_plain() -> None:
        server.shutdown()
        server.server_close()

    return MetricsServer(port, stop_plain)


def _green() -> bool:
    if "eventlet" not in sys.modules:
        return False
    from eventlet import patcher

    return bool(patcher.is_monkey_patched("socket"))


class Heartbeat:
    """A loop's liveness for ``/healthz``: alive while it runs and has beaten recently."""

    def __init__(self, stale_after: float = 60.0) -> None:
        self.stale_after = stale_after
        self.running = False
        self.last: float | None = None

    def beat(self) -> None:
        self.running = True
        self.last = time.monotonic()

    def stopped(self) -> None:
        self.running = False

    def __call__(self) -> tuple[bool, dict[str, Any]]:
        age = None if self.last is None else time.monotonic() - self.last
        ok = self.running and age is not None and age <= self.stale_after
        return ok, {"running": self.running,
                    "seconds_since_beat": None if age is None else round(age, 3)}
