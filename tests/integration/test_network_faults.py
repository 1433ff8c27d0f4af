"""Network faults between a relay and the broker (R5.3): a TCP proxy of the tests'
own (``tests.support.netproxy``) half-opens the connection, the way a network that vanishes
without a reset does, and the relay must notice within seconds and lose nothing.

A half-open connection sends no FIN and no RST: writes succeed, nothing comes back. Only
a timeout of the relay's own notices it: the publisher confirm timeout while it publishes,
the AMQP heartbeat while it is quiet. Each test fails with its mechanism removed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from runtime.config import Settings
from runtime.context import use_context
from runtime.relay import Relay
from services.registry.application import Registry
from tests.support.bus import drain, spy
from tests.support.netproxy import NetProxy
from tests.support.province import ADMIN, TERM

pytestmark = pytest.mark.bus


def through(proxy: NetProxy, uri: str) -> str:
    parts = urlsplit(uri)
    netloc = f"{parts.username}:{parts.password}@{proxy.host}:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def wait_until(condition: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until ``condition`` held, or None when it did not within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data")})
    app = Registry(settings)
    with use_context(ADMIN):
        app.found_union("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation",
                        founded_on=TERM)
    return app


@pytest.fixture
def proxy(amqp_uri: str) -> Iterator[NetProxy]:
    parts = urlsplit(amqp_uri)
    with NetProxy(parts.hostname or "127.0.0.1", parts.port or 5672) as running:
        yield running


class Running:
    """A relay publishing in a thread of the test, through the proxy."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self.stop = threading.Event()
        self.thread = threading.Thread(target=relay.run, args=(self.stop, 0.2), daemon=True)
        self.thread.start()

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(timeout=15)


def register(registry: Registry, count: int, start: int = 0) -> None:
    with use_context(ADMIN):
        for number in range(start, start + count):
            registry.register_person(f"P-{number}", f"Người thứ {number}", TERM, None)


def stored_event_ids(registry: Registry) -> set[str]:
    page = registry.publication.page(registry.recorder, registry.mapper, after=None,
                                     limit=100_000, previous_id=None)
    return {envelope.event_id for envelope in page.envelopes}


def published_ids(amqp_uri: str, queue: str, seen: set[str]) -> set[str]:
    seen.update(body["event_id"] for body in drain(amqp_uri, queue))
    return seen


def test_r5_3_a_half_open_broker_connection_while_publishing_is_noticed_by_the_confirm_timeout(
        registry: Registry, amqp_uri: str, proxy: NetProxy) -> None:
    """Events flow; the network drops every byte both ways without closing anything. The
    relay waiting for a confirm gives up after ``confirm_timeout``, drops the connection and
    opens a new one; once the network is back every event is published, none lost."""
    queue = spy(amqp_uri, "registry").name
    relay = Relay(registry, registry.publication, through(proxy, amqp_uri),
                  heartbeat=0, confirm_timeout=1.0)
    running = Running(relay)
    seen: set[str] = set()
    try:
        register(registry, 20)
        assert wait_until(lambda: len(published_ids(amqp_uri, queue, seen))
                          == len(stored_event_ids(registry)), 15) is not None
        proxy.blackhole()
        writer = threading.Thread(target=register, args=(registry, 30, 20))
        writer.start()
        # noticed: a new connection is tried within seconds (the confirm never comes)
        noticed = wait_until(lambda: proxy.accepted >= 2, 10)
        assert noticed is not None, "the relay hangs on a half-open connection"
        writer.join()
        time.sleep(1.0)  # a second fault while it recovers: still half-open
        proxy.pass_through()
        expected = stored_event_ids(registry)
        assert wait_until(lambda: published_ids(amqp_uri, queue, seen) >= expected, 30) \
            is not None, f"lost: {len(expected - seen)} of {len(expected)}"
    finally:
        running.halt()
    assert seen == expected and len(expected) == 51  # a union and 50 people, none lost


def test_r5_3_a_quiet_relay_notices_a_half_open_broker_connection_by_heartbeats(
        registry: Registry, amqp_uri: str, proxy: NetProxy) -> None:
    """Nothing to publish, so no confirm is awaited: only the AMQP heartbeat notices that
    the broker stopped answering; the relay drops the connection within two intervals and
    publishes what comes later on a new one."""
    queue = spy(amqp_uri, "registry").name
    relay = Relay(registry, registry.publication, through(proxy, amqp_uri),
                  heartbeat=1.0, confirm_timeout=0)
    running = Running(relay)
    seen: set[str] = set()
    try:
        assert wait_until(lambda: len(published_ids(amqp_uri, queue, seen)) == 1, 15) \
            is not None
        time.sleep(3.5)  # quiet and healthy for three intervals: the connection is kept
        assert relay.connected and proxy.accepted == 1
        proxy.blackhole()
        noticed = wait_until(lambda: not relay.connected, 8)
        assert noticed is not None, "a quiet relay keeps a half-open connection"
        assert noticed < 4  # two intervals missed, and a little
        proxy.pass_through()
        register(registry, 3)
        expected = stored_event_ids(registry)
        assert wait_until(lambda: published_ids(amqp_uri, queue, seen) >= expected, 30) \
            is not None
    finally:
        running.halt()
    assert seen == expected


@pytest.mark.postgres
def test_r5_3_a_command_fails_fast_with_store_unavailable_when_the_database_hears_nothing(
        pg_url: str, tmp_path: Path) -> None:
    """The network to PostgreSQL drops everything without closing anything: a command that
    needs a new connection gives up after ``EMU_DB_CONNECT_TIMEOUT`` with the stable
    STORE_UNAVAILABLE refusal (503 at the gateway) instead of hanging, and the service
    works again once the network is back."""
    from runtime.store import store_unavailable

    parts = urlsplit(pg_url)
    with NetProxy(parts.hostname or "127.0.0.1", parts.port or 5432) as database:
        proxied = urlunsplit(parts._replace(
            netloc=f"{parts.username}@{database.host}:{database.port}"))
        settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data"),
                             "REGISTRY_DATABASE_URL": proxied, "EMU_DB_CONNECT_TIMEOUT": "2"})
        app = Registry(settings)
        register(app, 1)
        database.blackhole()
        app.engine.dispose()  # the pooled connections are gone: the next one is made now
        outcome: dict[str, object] = {}

        def command() -> None:
            started = time.monotonic()
            try:
                register(app, 1, start=1)
            except Exception as exc:  # what it is is asserted below
                outcome["error"] = exc
            outcome["seconds"] = time.monotonic() - started

        worker = threading.Thread(target=command, daemon=True)
        worker.start()
        worker.join(timeout=20)
        assert not worker.is_alive(), "the command hangs on a database that hears nothing"
        error = outcome.get("error")
        assert isinstance(error, Exception) and store_unavailable(error) is not None, error
        assert store_unavailable(error).code == "STORE_UNAVAILABLE"  # type: ignore[union-attr]
        assert float(outcome["seconds"]) < 8  # type: ignore[arg-type]
        database.pass_through()
        register(app, 1, start=2)  # back by itself
        app.engine.dispose()


@pytest.mark.postgres
def test_r5_3_overlapping_faults_a_broker_cut_while_the_database_is_slow_then_half_open(
        pg_url: str, amqp_uri: str, proxy: NetProxy, tmp_path: Path) -> None:
    """Two faults at once, and one during the recovery from another: the store answers
    slowly, the broker connection is cut while events flow, and while the relay reconnects
    the broker's network goes half-open. Once both are healed every event is published."""
    parts = urlsplit(pg_url)
    with NetProxy(parts.hostname or "127.0.0.1", parts.port or 5432) as database:
        settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data"),
                             "REGISTRY_DATABASE_URL": urlunsplit(parts._replace(
                                 netloc=f"{parts.username}@{database.host}:{database.port}"))})
        app = Registry(settings)
        queue = spy(amqp_uri, "registry").name
        relay = Relay(app, app.publication, through(proxy, amqp_uri),
                      heartbeat=1.0, confirm_timeout=1.0)
        running = Running(relay)
        seen: set[str] = set()
        try:
            register(app, 10)
            assert wait_until(lambda: len(published_ids(amqp_uri, queue, seen)) == 10, 20) \
                is not None
            database.delay(0.05)  # every round trip to the store 50 ms late
            writer = threading.Thread(target=register, args=(app, 20, 10))
            writer.start()
            time.sleep(0.5)
            proxy.cut()  # the broker connection reset while the store is slow
            time.sleep(0.3)
            proxy.blackhole()  # and while the relay reconnects, the network goes silent
            assert wait_until(lambda: proxy.accepted >= 2, 10) is not None
            time.sleep(3.0)
            writer.join()
            proxy.pass_through()
            database.pass_through()
            expected = stored_event_ids(app)
            assert wait_until(lambda: published_ids(amqp_uri, queue, seen) >= expected, 40) \
                is not None, f"lost: {len(expected - seen)} of {len(expected)}"
        finally:
            running.halt()
            app.engine.dispose()
    assert seen == expected and len(expected) == 30


@pytest.mark.system
@pytest.mark.postgres
def test_r5_2_a_gateway_call_on_a_half_open_broker_connection_is_refused_not_hung(
        amqp_uri: str, pg_url: str, tmp_path: Path, proxy: NetProxy) -> None:
    """The gateway's pooled RPC client holds an idle connection; the network goes half-open.
    The next call is refused with SERVICE_UNAVAILABLE in bounded time (the request's confirm
    is awaited at most the call's timeout, the broken client is dropped aside), and the pool
    works again once the network is back. Measured: 12 s with a 2 s timeout (a confirm
    timeout and one reconnect attempt); without either mechanism it hung past 40 s."""
    from runtime.client import RpcPool, ServiceUnavailable
    from runtime.context import Actor, CommandContext
    from tests.support.processes import Processes

    actor = CommandContext(Actor("tester", "administrator"))
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "BENCH_DATABASE_URL": pg_url})
    try:
        processes.service("bench", "bench.subjects:BenchService")
        processes.wait_ready("bench")
        pool = RpcPool(Settings({"AMQP_URI": through(proxy, amqp_uri)}), timeout=2.0)
        pool.call("bench", "health", context=actor)
        proxy.blackhole()
        outcome: dict[str, object] = {}

        def call() -> None:
            started = time.monotonic()
            try:
                pool.call("bench", "health", context=actor)
            except ServiceUnavailable as exc:
                outcome["error"] = exc
            outcome["seconds"] = time.monotonic() - started

        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "a call hangs on a half-open broker connection"
        assert isinstance(outcome.get("error"), ServiceUnavailable)
        assert float(outcome["seconds"]) < 20  # type: ignore[arg-type]
        proxy.pass_through()
        assert pool.call("bench", "health", context=actor)
    finally:
        processes.stop_all()


# --- the proxy itself (an echo server behind it; no broker needed) ---------------------------

@pytest.fixture
def echo() -> Iterator[tuple[str, int]]:
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[:2]
    stop.set()
    thread.join()
    server.close()


def test_the_proxy_passes_delays_half_opens_and_cuts(echo: tuple[str, int]) -> None:
    import socket

    with NetProxy(*echo) as proxy:
        client = socket.create_connection((proxy.host, proxy.port), timeout=2)
        client.sendall(b"a")
        assert client.recv(10) == b"a"
        proxy.delay(0.5)
        started = time.monotonic()
        client.sendall(b"b")
        assert client.recv(10) == b"b" and time.monotonic() - started >= 0.5
        proxy.pass_through()
        proxy.blackhole()
        client.sendall(b"c")  # the write succeeds; nothing comes back, nothing closes
        client.settimeout(1.0)
        with pytest.raises(TimeoutError):
            client.recv(10)
        proxy.pass_through()
        client.sendall(b"d")
        assert client.recv(10) == b"d"  # "c" went nowhere
        proxy.cut()
        client.settimeout(2.0)
        assert client.recv(10) == b""  # the end of stream, at once
        client.close()
        again = socket.create_connection((proxy.host, proxy.port), timeout=2)
        again.sendall(b"e")
        assert again.recv(10) == b"e"
        again.close()
