"""``make run``: every service, relay and the gateway as real processes; Ctrl-C stops them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from runtime.client import services
from runtime.config import Settings
from runtime.errors import DomainError
from runtime.launcher import ensure_rabbitmq
from runtime.services import SERVICES, processes
from tests.support.processes import eventually, free_port

pytestmark = [pytest.mark.bus, pytest.mark.system]


def processes_with(marker: str) -> list[int]:
    """Live processes whose environment carries the marker (the launcher's children)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_make_run_starts_every_process_on_sqlite_and_ctrl_c_stops_them_all(tmp_path: Path,
                                                                           amqp_uri: str) -> None:
    port = free_port()
    data = tmp_path / "data"
    env = {**os.environ, "AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(data), "GATEWAY_PORT": str(port),
           "GATEWAY_GRPC_PORT": str(free_port()),
           "EMU_DEMO_ACTIVITY": "0"}  # the demo year has its own test (below)
    for service in SERVICES:
        env.pop(f"{service.upper()}_DATABASE_URL", None)  # the defaults: SQLite files
    # The launcher's output goes to a file, never to a pipe nobody reads while the test waits:
    # once a pipe's 64 KiB are full the launcher blocks copying its children's logs, then the
    # children block logging, and the services stop answering (/ready 503 until the timeout).
    log = tmp_path / "launcher.log"
    with open(log, "wb") as out:
        launcher = subprocess.Popen([sys.executable, "-m", "runtime.launcher"], env=env,
                                    stdout=out, stderr=subprocess.STDOUT)
    try:
        def ready() -> dict:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready",
                                            timeout=5) as response:
                    return json.load(response)
            except urllib.error.HTTPError as not_ready:  # which check fails, for the report
                raise AssertionError(not_ready.read().decode("utf-8", "replace")) from None

        # eleven processes start at once on the machine's cores: on two busy cores the last
        # is ready after about a minute (/ready itself answers within GATEWAY_READY_TIMEOUT)
        report = eventually(ready, timeout=150, interval=0.5, what="gateway /ready 200")
        assert report["status"] == "ready"
        assert set(report["checks"]) == {*SERVICES, "gateway_store"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert 'src="/js/app.js"' in response.read().decode()  # the web app (issue 11)
        children = [pid for pid in processes_with(str(data)) if pid != launcher.pid]
        assert len(children) == len(processes())
        assert sorted(p.name for p in data.glob("*.sqlite")) == sorted(
            f"{s}.sqlite" for s in (*SERVICES, "gateway"))
        # The demo province was loaded first, and its events reached the other services.
        settings = Settings(env)
        with services(settings, None) as rpc:
            found = rpc.registry.search_unions("lien doan lao dong tinh tra vinh")[0]
            assert found["code"] == "TV"
            assert rpc.registry.members(found["id"])["total"] == 0  # members are at grassroots
            assert sum(rpc.registry.members(u["id"])["total"]
                       for u in rpc.registry.descendants(found["id"])) > 300
        fact = eventually(lambda: _known_union(settings, found["id"]), timeout=30,
                          what="initiatives knows the demo province")
        assert fact is not None and fact["code"] == "TV"
        # R5.1: each relay published its store's head, signed, at start; the gateway serves it
        published = eventually(lambda: _published(port), timeout=30,
                               what="every store's checkpoint published")
        assert published is not None and published["registry"]["latest"]["position"] > 300
        assert (data / "checkpoints" / "public-key.pem").exists()
    finally:
        launcher.send_signal(signal.SIGINT)  # what Ctrl-C sends
        launcher.wait(timeout=60)
    output = log.read_text("utf-8", "replace")
    assert launcher.returncode == 0, output[-5000:]
    assert "all processes stopped" in output
    assert processes_with(str(data)) == []


def _published(port: int) -> dict | None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/public/api/checkpoints",
                                timeout=5) as response:
        stores = {s["service"]: s for s in json.load(response)["stores"]}
    return stores if all(s["lines"] for s in stores.values()) else None


def _known_union(settings: Settings, union_id: str) -> dict | None:
    with services(settings, None) as rpc:
        try:
            return rpc.initiatives.known_union(union_id)
        except DomainError:
            return None


def test_make_run_says_what_to_install_when_rabbitmq_is_missing(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        ensure_rabbitmq(f"amqp://guest:guest@127.0.0.1:{free_port()}/", search_path=str(tmp_path))
    assert "apt-get install rabbitmq-server" in str(exited.value.code)


def test_make_run_starts_a_stopped_rabbitmq(tmp_path: Path) -> None:
    """A stand-in ``rabbitmq-server`` that listens on the port once started with -detached."""
    port = free_port()
    fake = tmp_path / "rabbitmq-server"
    fake.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import os, socket, sys, time
        assert sys.argv[1:] == ["-detached"]
        if os.fork() == 0:
            s = socket.socket(); s.bind(("127.0.0.1", {port})); s.listen()
            deadline = time.time() + 10
            while time.time() < deadline:
                s.settimeout(0.5)
                try:
                    s.accept()[0].close()
                except OSError:
                    pass
            os._exit(0)
        """))
    fake.chmod(0o755)
    ensure_rabbitmq(f"amqp://guest:guest@127.0.0.1:{port}/", wait_seconds=10, search_path=str(tmp_path))
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
