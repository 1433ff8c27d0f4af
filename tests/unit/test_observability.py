"""Logs and metrics of every process (issue 9): the JSON formatter, the metric functions the
runtime calls, the metrics/health WSGI app, the consumer's lag from the inbox and the
relay's lag from a real store, and the launcher's ports."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from prometheus_client import REGISTRY

from runtime import observability
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import NotFound
from runtime.launcher import metrics_ports
from runtime.observability import JsonFormatter, correlated, setup_logging, wsgi_app
from runtime.relay import Relay
from runtime.services import processes
from services.registry.application import Registry
from tests.support.tally import Tally

ADMIN = CommandContext(actor=Actor("admin", "administrator"), correlation_id="corr-42")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def record(message: str, *args: Any, exc_info: Any = None, **extra: Any) -> logging.LogRecord:
    rec = logging.getLogger("emulation.test").makeRecord(
        "emulation.test", logging.INFO, __file__, 1, message, args, exc_info, extra=extra or None)
    return rec


def formatted(rec: logging.LogRecord, process: str = "initiatives") -> dict[str, Any]:
    line = JsonFormatter(process).format(rec)
    assert "\n" not in line  # one object per line, whatever the message holds
    parsed: dict[str, Any] = json.loads(line)
    return parsed


# --- logs -----------------------------------------------------------------------------------

def test_r5_3_a_log_line_is_one_json_object_with_the_command_context_correlation_id() -> None:
    with use_context(ADMIN):
        entry = formatted(record("registered %s", "SK-1"))
    assert entry["correlation_id"] == "corr-42"
    assert entry["message"] == "registered SK-1"
    assert entry["level"] == "INFO" and entry["logger"] == "emulation.test"
    assert entry["process"] == "initiatives"
    assert entry["ts"].endswith("Z") and "T" in entry["ts"]
    assert formatted(record("no command"))["correlation_id"] is None


def test_r5_3_the_gateway_request_correlation_id_is_logged_when_no_command_is_in_force() -> None:
    with correlated("req-7"):
        assert formatted(record("answering"))["correlation_id"] == "req-7"
        with use_context(ADMIN):  # a command's own context wins
            assert formatted(record("calling"))["correlation_id"] == "corr-42"
    assert formatted(record("after"))["correlation_id"] is None


def test_r5_3_an_exception_is_logged_with_its_traceback_on_one_line() -> None:
    try:
        raise NotFound("không tìm thấy sáng kiến", {"id": "x"})
    except NotFound:
        entry = formatted(record("failed", exc_info=sys.exc_info()))
    assert "Traceback" in entry["exc"] and "không tìm thấy sáng kiến" in entry["exc"]


def test_r5_3_vietnamese_text_stays_readable_utf8_and_extra_fields_are_kept() -> None:
    line = JsonFormatter("registry").format(record("Liên đoàn Lao động tỉnh %s", "Trà Vinh",
                                                   union="Công đoàn cơ sở", attempts=2))
    assert "Liên đoàn Lao động tỉnh Trà Vinh" in line  # not \\u escapes
    assert "\\u" not in line
    line.encode("utf-8")
    entry = json.loads(line)
    assert entry["union"] == "Công đoàn cơ sở" and entry["attempts"] == 2


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(False)


def test_r5_3_setup_logging_makes_every_logger_write_json_at_the_configured_level(
        root_logging: None) -> None:
    stream = io.StringIO()
    setup_logging("awards-relay", Settings({"EMU_LOG_LEVEL": "warning"}), stream)
    logging.getLogger("nameko.whatever").info("not shown at WARNING")
    with use_context(ADMIN):
        logging.getLogger("kombu").warning("broker gone: %s", "mất kết nối")
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["process"] == "awards-relay" and entry["correlation_id"] == "corr-42"
    assert entry["message"] == "broker gone: mất kết nối" and entry["level"] == "WARNING"


def test_setup_logging_text_format_is_for_people(root_logging: None) -> None:
    stream = io.StringIO()
    setup_logging("gateway", Settings({"EMU_LOG_FORMAT": "text"}), stream)
    with correlated("req-1"):
        logging.getLogger("emulation.gateway").info("listening")
    text = stream.getvalue()
    assert "gateway emulation.gateway INFO listening [req-1]" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(ValueError):
        assert Settings({"EMU_LOG_FORMAT": "xml"}).log_format


# --- metric functions -----------------------------------------------------------------------

def test_r5_3_commands_are_counted_by_method_and_outcome_and_errors_by_code() -> None:
    labels = {"service": "unit-svc", "method": "recognise", "kind": "command"}
    ok_before = sample("emulation_commands_total", **labels, outcome="ok")
    refused_before = sample("emulation_commands_total", **labels, outcome="NO_AUTHORITY")
    errors_before = sample("emulation_errors_total", service="unit-svc", code="NO_AUTHORITY")
    observability.command_handled("unit-svc", "recognise", "command", "ok", 0.01)
    observability.command_handled("unit-svc", "recognise", "command", "NO_AUTHORITY", 0.02)
    observability.command_handled("unit-svc", "recognise", "command", "NO_AUTHORITY", 0.02)
    assert sample("emulation_commands_total", **labels, outcome="ok") == ok_before + 1
    assert sample("emulation_commands_total", **labels, outcome="NO_AUTHORITY") == refused_before + 2
    assert sample("emulation_errors_total", service="unit-svc", code="NO_AUTHORITY") == \
        errors_before + 2
    assert sample("emulation_command_duration_seconds_count", **labels) >= 3


def test_outcome_is_ok_a_stable_code_or_internal_error() -> None:
    assert observability.outcome_of(None) == "ok"
    assert observability.outcome_of(NotFound("x")) == "NOT_FOUND"
    assert observability.outcome_of(RuntimeError("boom")) == "INTERNAL_ERROR"


def test_a_refusal_is_counted_by_its_own_code_though_it_travels_as_the_base_class() -> None:
    from runtime.adapter import _wire, _wire_code

    wire = _wire(NotFound("không có", {"id": "x"}))
    assert type(wire) is not NotFound and _wire_code(wire) == "NOT_FOUND"
    assert _wire_code(RuntimeError("boom")) is None and _wire_code(None) is None


def test_r5_3_relay_lag_is_the_log_head_minus_the_relay_position() -> None:
    assert observability.relay_lag("unit-relay", 7, 10) == 3
    assert sample("emulation_relay_lag", service="unit-relay") == 3
    assert sample("emulation_relay_position", service="unit-relay") == 7
    assert observability.relay_lag("unit-relay", 10, 10) == 0
    assert sample("emulation_relay_lag", service="unit-relay") == 0
    assert observability.relay_lag("unit-relay", None, None) == 0


def test_r5_3_consumer_lag_is_the_upstream_position_seen_minus_the_position_processed() -> None:
    assert observability.consumer_position("unit-c", "registry", 12, 9) == 3
    assert sample("emulation_consumer_lag", service="unit-c", upstream="registry") == 3
    assert observability.consumer_position("unit-c", "registry", None, 9) == 0  # restarted
    assert sample("emulation_consumer_upstream_position", service="unit-c", upstream="registry") == 9


def test_gateway_requests_rpc_calls_parked_and_retried_are_counted() -> None:
    before = sample("emulation_http_requests_total", service="gateway", route="/v1/x",
                    method="POST", status="201")
    observability.http_request("/v1/x", "POST", 201, 0.003)
    assert sample("emulation_http_requests_total", service="gateway", route="/v1/x",
                  method="POST", status="201") == before + 1

    class Pool:
        def call(self, service: str, method: str, *args: Any, **kwargs: Any) -> Any:
            if method == "missing":
                raise NotFound("no such record")
            return "ok"

    pool = observability.observe_rpc_pool(Pool())
    ok = sample("emulation_rpc_calls_total", service="unit-rpc", method="get", outcome="ok")
    missing = sample("emulation_rpc_calls_total", service="unit-rpc", method="missing",
                     outcome="NOT_FOUND")
    assert pool.call("unit-rpc", "get", 1) == "ok"
    with pytest.raises(NotFound):
        pool.call("unit-rpc", "missing")
    assert sample("emulation_rpc_calls_total", service="unit-rpc", method="get", outcome="ok") == ok + 1
    assert sample("emulation_rpc_calls_total", service="unit-rpc", method="missing",
                  outcome="NOT_FOUND") == missing + 1
    parked = sample("emulation_parked_messages_total", service="unit-c", upstream="registry")
    observability.parked("unit-c", "registry")
    observability.retried("unit-c", "registry")
    assert sample("emulation_parked_messages_total", service="unit-c", upstream="registry") == parked + 1
    assert sample("emulation_retried_messages_total", service="unit-c", upstream="registry") >= 1


# --- the listener's WSGI app ----------------------------------------------------------------

def call_app(app: Any, path: str, method: str = "GET") -> tuple[str, bytes]:
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method}, start_response))
    return seen["status"], body


def test_r5_3_metrics_and_healthz_answer_and_healthz_is_503_when_the_process_is_not_alive() -> None:
    alive = {"ok": True}
    app = wsgi_app(lambda: (alive["ok"], {"what": "unit"}))
    status, body = call_app(app, "/metrics")
    assert status.startswith("200") and b"# TYPE emulation_commands_total counter" in body
    status, body = call_app(app, "/healthz")
    assert status.startswith("200") and json.loads(body) == {"ok": True, "what": "unit"}
    alive["ok"] = False
    status, body = call_app(app, "/healthz")
    assert status.startswith("503") and json.loads(body)["ok"] is False
    assert call_app(app, "/other")[0].startswith("404")
    assert call_app(app, "/metrics", "POST")[0].startswith("405")


def test_r5_3_metrics_listen_where_the_gateway_does_unless_told_otherwise() -> None:
    assert Settings({}).metrics_host == "127.0.0.1"
    assert Settings({"GATEWAY_HOST": "10.1.2.3"}).metrics_host == "10.1.2.3"
    assert Settings({"GATEWAY_HOST": "10.1.2.3", "EMU_METRICS_HOST": "0.0.0.0"}).metrics_host == "0.0.0.0"


def test_a_heartbeat_is_healthy_only_while_its_loop_runs() -> None:
    beat = observability.Heartbeat()
    assert beat()[0] is False
    beat.beat()
    assert beat()[0] is True
    beat.stopped()
    assert beat()[0] is False


# --- where the runtime records them ---------------------------------------------------------

def found(registry: Registry, *codes: str) -> list[dict[str, Any]]:
    with use_context(ADMIN):
        vn = registry.found_union("VN", "Tổng Liên đoàn", "confederation", "1929-07-28")
        for code in codes:
            registry.found_union(code, f"LĐLĐ {code}", "provincial_federation", "2000-01-01", str(vn))
    return list(registry.published_page(None)["envelopes"])


def test_r5_3_the_inbox_records_events_processed_and_its_consumer_lag(
        store_url: str, settings_for: Any) -> None:
    registry, tally = Registry(settings_for(store_url)), Tally(settings_for(store_url))
    first, second, third = found(registry, "TV", "HN")
    labels = {"service": "tally", "upstream": "registry"}
    processed = sample("emulation_inbox_events_total", **labels, outcome="processed")
    duplicates = sample("emulation_inbox_events_total", **labels, outcome="duplicate")

    def refuse(**kwargs: Any) -> dict[str, Any]:
        raise ConnectionError("the upstream does not answer")

    assert tally.receive("registry", first, refuse) == "processed"
    # The third arrives, the second is missing and its upstream does not answer: the third
    # was seen, nothing after the first processed: a lag of two positions.
    with pytest.raises(ConnectionError):
        tally.receive("registry", third, refuse)
    lag = third["notification_id"] - first["notification_id"]
    assert sample("emulation_consumer_lag", **labels) == lag > 0
    assert sample("emulation_consumer_upstream_position", **labels) == third["notification_id"]
    assert sample("emulation_consumer_processed_position", **labels) == first["notification_id"]
    assert tally.receive("registry", second, refuse) == "processed"
    assert tally.receive("registry", third, refuse) == "processed"
    assert tally.receive("registry", third, refuse) == "duplicate"
    assert sample("emulation_consumer_lag", **labels) == 0
    assert sample("emulation_inbox_events_total", **labels, outcome="processed") == processed + 3
    assert sample("emulation_inbox_events_total", **labels, outcome="duplicate") == duplicates + 1


class Producer:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def publish(self, body: Any, **kwargs: Any) -> None:
        self.sent.append(body)


def test_r5_3_the_relay_counts_what_it_published_and_its_lag_falls_to_zero(
        store_url: str, settings_for: Any) -> None:
    registry = Registry(settings_for(store_url))
    found(registry, "TV", "HN")
    relay = Relay(registry, registry.publication, "amqp://unused", batch_size=2)
    producer = Producer()
    setattr(relay, "_ensure_producer", lambda: producer)  # noqa: B010  (no broker here)
    published = sample("emulation_relay_events_published_total", service="registry")
    head = registry.recorder.max_notification_id()
    assert head is not None
    assert relay.observe_lag(force=True) == head > 0  # nothing published yet
    assert relay.run_once() == 2
    assert relay._after is not None
    assert relay.observe_lag(force=True) == head - relay._after > 0
    while relay.run_once():
        pass
    assert relay.observe_lag(force=True) == 0
    assert sample("emulation_relay_lag", service="registry") == 0
    assert sample("emulation_relay_head_position", service="registry") == head
    assert sample("emulation_relay_events_published_total", service="registry") == \
        published + len(producer.sent) == published + 3


def test_make_run_gives_each_service_and_relay_its_own_metrics_port() -> None:
    plan = processes()
    ports = metrics_ports(plan, 9100)
    assert list(ports) == [p.name for p in plan if p.name != "gateway"]
    assert sorted(ports.values()) == list(range(9100, 9100 + len(ports)))
    assert ports["registry"] == 9100 and ports["registry-relay"] == 9101
    assert metrics_ports(plan, 0) == {}
    assert Settings({}).metrics_port == 0 and Settings({}).metrics_port_base == 9100
