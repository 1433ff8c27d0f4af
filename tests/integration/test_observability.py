"""Logs and metrics on every process (issue 9), seen from outside as an operator sees them:
every service and relay as its own process with its own metrics port, the gateway, on
PostgreSQL and RabbitMQ. One command through the gateway with a correlation id shows up in
the service's JSON log, in the service's, relay's, consumer's and gateway's metrics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.gateway_system import SERVICES, ApiError, System, running
from tests.support.processes import Processes, eventually, free_port

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

CORRELATION = "obs-7f3a-9c1e-42"  # what a front end sends as X-Correlation-Id


def metrics(port: int) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """The samples of ``GET /metrics`` by name and labels."""
    response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str,
          **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def json_lines(processes: Processes, name: str) -> list[dict[str, Any]]:
    """Every line of a process's stderr (its log file), each required to be a JSON object."""
    entries = []
    for line in processes.log(name).splitlines():
        if line.strip():
            entry = json.loads(line)  # fails on any line that is not one JSON object
            assert isinstance(entry, dict), line
            entries.append(entry)
    return entries


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[tuple[System, dict[str, int]]]:
    # each service and relay its own metrics port, as make run does
    ports = {name: free_port() for s in SERVICES for name in (s, f"{s}-relay")}
    with running(tmp_path, amqp_uri, pg_url, {"EMU_LOG_FORMAT": "json", "EMU_LOG_LEVEL": "INFO"},
                 {name: {"EMU_METRICS_PORT": str(p)} for name, p in ports.items()}) as started:
        yield started, ports


def test_r5_3_every_process_logs_json_with_the_correlation_id_and_serves_its_metrics(
        system: tuple[System, dict[str, int]]) -> None:
    sys_, ports = system
    headers = {"X-Correlation-Id": CORRELATION}
    vn = sys_.call("admin", "registry", "found_union", "VN", "Tổng Liên đoàn Lao động Việt Nam",
                   "confederation", parent_id=None, founded_on="2020-01-01", headers=headers)
    with pytest.raises(ApiError) as refused:  # the same code again: refused with its code
        sys_.call("admin", "registry", "found_union", "VN", "Tổng Liên đoàn", "confederation",
                  parent_id=None, founded_on="2020-01-01", headers=headers)
    code = refused.value.code
    assert isinstance(vn, str) and isinstance(code, str)
    last = sys_.processes.call("registry", "health")["last_notification"]
    assert last >= 1

    # The service's log: one JSON object per line; the command's line carries the caller's
    # correlation id, the process name and the outcome.
    # (The reply goes out before the worker's result is logged: wait for both lines.)
    def correlated() -> list[dict[str, Any]] | None:
        entries = [e for e in json_lines(sys_.processes, "registry")
                   if e.get("correlation_id") == CORRELATION]
        outcomes = {(e.get("method"), e.get("outcome")) for e in entries}
        return entries if {("found_union", "ok"), ("found_union", code)} <= outcomes else None

    entries = eventually(correlated, what="registry log lines with the correlation id")
    assert entries is not None
    assert {"ts", "level", "logger", "message", "process", "correlation_id"} <= set(entries[0])
    assert {e["process"] for e in entries} == {"registry"}
    for name in (*SERVICES, *(f"{s}-relay" for s in SERVICES), "gateway"):
        assert json_lines(sys_.processes, name), f"{name} logged nothing"
    # An expected refusal is one INFO line with its code and no traceback (nameko's own
    # WARNING with the traceback is dropped): a traceback in the log means a fault.
    refusals = [e for e in entries if e.get("outcome") == code]
    assert [e["level"] for e in refusals] == ["INFO"], refusals
    assert not [e for e in json_lines(sys_.processes, "registry")
                if "exc" in e or "error handling worker" in e["message"]]
    # eventlet's notice of its deprecation is expected at every start: no process repeats it
    for name in (*SERVICES, "gateway"):
        assert not [e for e in json_lines(sys_.processes, name)
                    if "Eventlet is deprecated" in e["message"]], name

    # The service counts the command by outcome, and the refusal by its code.
    service = metrics(ports["registry"])
    command = {"service": "registry", "method": "found_union", "kind": "command"}
    assert value(service, "emulation_commands_total", **command, outcome="ok") == 1
    assert value(service, "emulation_commands_total", **command, outcome=code) == 1
    assert value(service, "emulation_errors_total", service="registry", code=code) == 1
    assert (value(service, "emulation_command_duration_seconds_count", **command) or 0) == 2

    # The relay published the event and its lag falls to zero.
    def relay_caught_up() -> dict[tuple[str, frozenset[tuple[str, str]]], float] | None:
        relay = metrics(ports["registry-relay"])
        done = value(relay, "emulation_relay_position", service="registry") == last and \
            value(relay, "emulation_relay_lag", service="registry") == 0
        return relay if done else None

    relay = eventually(relay_caught_up, what="the registry relay has published everything")
    assert relay is not None
    assert (value(relay, "emulation_relay_events_published_total", service="registry") or 0) >= 1
    assert value(relay, "emulation_relay_head_position", service="registry") == last

    # Each consumer of the registry shows how far it has come: upstream seen, processed, lag.
    for consumer in ("initiatives", "reviews", "awards"):
        def caught_up(consumer: str = consumer) -> Any:
            seen = metrics(ports[consumer])
            labels = {"service": consumer, "upstream": "registry"}
            return seen if value(seen, "emulation_consumer_processed_position", **labels) == last \
                else None

        seen = eventually(caught_up, what=f"{consumer}'s consumer metrics")
        labels = {"service": consumer, "upstream": "registry"}
        assert value(seen, "emulation_consumer_upstream_position", **labels) == last
        assert value(seen, "emulation_consumer_lag", **labels) == 0
        assert (value(seen, "emulation_inbox_events_total", **labels, outcome="processed")
                or 0) >= 1

    # Every service and relay answers /healthz.
    for name, port in ports.items():
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert response.status_code == 200, name
        assert response.json()["ok"] is True, name

    # The gateway counts the requests by route and status, and its RPC calls by outcome.
    gateway = metrics(int(sys_.base_url.rsplit(":", 1)[1]))
    route = {"service": "gateway", "route": "/v1/registry/found-union", "method": "POST"}
    assert value(gateway, "emulation_http_requests_total", **route, status="200") == 1
    assert value(gateway, "emulation_http_requests_total", **route,
                 status=str(refused.value.status)) == 1
    rpc = {"service": "registry", "method": "found_union"}
    assert value(gateway, "emulation_rpc_calls_total", **rpc, outcome="ok") == 1
    assert value(gateway, "emulation_rpc_calls_total", **rpc, outcome=code) == 1
