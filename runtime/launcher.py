"""``make run``: starts every service, its relay and the gateway as separate processes.

Before they start, the demo province is loaded into the registry (``EMU_DEMO_DATA``; set it
to ``none`` to start empty); a refused file stops the launch. Once the gateway answers
``/ready``, a year of the province's activity is made through its HTTP API in the background
(``python -m demo.activity``; each step skipped if done on an earlier start);
``EMU_DEMO_ACTIVITY=0`` turns it off.

RabbitMQ must answer first: if it is installed but stopped it is started; if it is not
installed, the launcher says what to install and exits non-zero. Ctrl-C (or SIGTERM) stops
every process: SIGTERM first, SIGKILL after a grace period. If any process dies, the others
are stopped too, and the exit code says so: a half-running system is worse than none.

Each service and relay gets its own metrics port (``/metrics``, ``/healthz``), consecutive
from ``EMU_METRICS_PORT_BASE`` (9100) in the order of ``processes()``; 0 turns them off. The
gateway serves ``/metrics`` on its HTTP port. Every child logs JSON lines (issue 9).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from typing import IO
from urllib.parse import urlsplit

from runtime.checkpoints import PUBLIC_KEY, CheckpointKey
from runtime.config import Settings
from runtime.documents.signing import Keys
from runtime.services import Process, processes, setup_steps

GRACE_SECONDS = 10.0


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


SBIN = "/usr/local/sbin:/usr/sbin:/sbin"  # where Debian puts rabbitmq-server, often off PATH


def ensure_rabbitmq(amqp_uri: str, wait_seconds: float = 60.0,
                    search_path: str | None = None) -> None:
    url = urlsplit(amqp_uri)
    host, port = url.hostname or "127.0.0.1", url.port or 5672
    if _answers(host, port):
        return
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"RabbitMQ does not answer at {host}:{port} (AMQP_URI); start it there.")
    path = search_path if search_path is not None else f"{os.environ.get('PATH', '')}:{SBIN}"
    server = shutil.which("rabbitmq-server", path=path)
    if server is None:
        sys.exit("RabbitMQ is not installed. Install it with:\n"
                 "    sudo apt-get install rabbitmq-server\n"
                 "or point AMQP_URI at a running broker, then run `make run` again.")
    print(f"RabbitMQ is stopped; starting it ({server} -detached)", flush=True)
    subprocess.run([server, "-detached"], check=False)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if _answers(host, port):
            return
        time.sleep(0.5)
    sys.exit(f"RabbitMQ was started but does not answer on {host}:{port} after {wait_seconds:.0f}s")


def _copy_output(name: str, stream: IO[bytes]) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:>18} | {line.decode('utf-8', 'replace')}")
        sys.stdout.flush()


def metrics_ports(plan: list[Process], base: int) -> dict[str, int]:
    """Each service's and relay's metrics port: consecutive from ``base``, in the plan's
    order; the gateway has ``/metrics`` on its HTTP port. ``base`` 0: none."""
    if base <= 0:
        return {}
    served = [p.name for p in plan if p.name != "gateway"]
    return {name: base + i for i, name in enumerate(served)}


class Supervisor:
    def __init__(self, plan: list[Process], metrics: dict[str, int] | None = None) -> None:
        self.plan = plan
        self.metrics = metrics or {}
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()

    def start(self) -> None:
        for process in self.plan:
            # Never one port for all: each child its own, or none.
            env = {k: v for k, v in os.environ.items() if k != "EMU_METRICS_PORT"}
            if process.name in self.metrics:
                env["EMU_METRICS_PORT"] = str(self.metrics[process.name])
            # Own session: Ctrl-C reaches the launcher only, which stops children in order.
            child = subprocess.Popen(process.argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True, env=env)
            self.children[process.name] = child
            threading.Thread(target=_copy_output, args=(process.name, child.stdout),
                             daemon=True).start()

    def watch(self) -> int:
        while not self.stopping.is_set():
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    print(f"{name} exited with code {code}; stopping the others", flush=True)
                    self.stop()
                    return 1
            self.stopping.wait(0.5)
        return 0

    def stop(self) -> None:
        self.stopping.set()
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop in {GRACE_SECONDS:.0f}s; killing it", flush=True)
                child.kill()
                child.wait()


class DemoActivity:
    """The demo year (``demo.activity``), run once the gateway is ready, beside the processes
    and not among them: a demo that fails says so and leaves the system running."""

    def __init__(self, base_url: str, stopping: threading.Event) -> None:
        self.base_url = base_url
        self.stopping = stopping
        self.child: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._run, name="demo-activity", daemon=True).start()

    def _ready(self) -> bool:
        try:
            # bandit B310 (urlopen of any scheme): the gateway's own http:// address
            with urllib.request.urlopen(f"{self.base_url}/ready", timeout=5) as response:  # nosec B310
                return bool(response.status == 200)
        except OSError:
            return False

    def _run(self) -> None:
        while not self.stopping.is_set() and not self._ready():
            self.stopping.wait(0.5)
        with self.lock:
            if self.stopping.is_set():
                return
            self.child = subprocess.Popen(
                [sys.executable, "-m", "demo.activity", "--base-url", self.base_url],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        assert self.child.stdout is not None
        _copy_output("demo-activity", self.child.stdout)

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
            if self.child is not None and self.child.poll() is None:
                self.child.terminate()
                try:
                    self.child.wait(timeout=GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    self.child.kill()
                    self.child.wait()


def local_secret(settings: Settings, name: str) -> str:
    """A secret for a one-machine run, made once and kept under the data folder (mode 0600),
    never in the repository. Operators set the variable instead (compose, Kubernetes)."""
    given = os.environ.get(name)
    if given:
        return given
    path = settings.data_dir / ".secrets" / name.lower()
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24 if "PASSWORD" in name else 48))
        path.chmod(0o600)
    os.environ[name] = path.read_text().strip()  # the children inherit it
    return os.environ[name]


def main() -> int:
    settings = Settings.from_env()
    ensure_rabbitmq(settings.amqp_uri)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    local_secret(settings, "GATEWAY_TOKEN_SECRET")
    password = local_secret(settings, "GATEWAY_ADMIN_PASSWORD")
    if Keys(settings).ensure_development_authority():  # R4.5: decisions are signed
        print(f"made a development signing authority: {Keys(settings).trust_path} is the trust "
              f"root that `python -m runtime.documents.verify` checks decisions against",
              flush=True)
    CheckpointKey(settings).load()  # R5.1: made once here in development, not by five relays
    print(f"checkpoints of every store, signed, published in {settings.checkpoint_dir} and at "
          f"/public/api/checkpoints (public key: {settings.checkpoint_dir / PUBLIC_KEY})",
          flush=True)
    for step in setup_steps(settings.demo_data):
        print(f"{step.name}: {' '.join(step.argv[1:])}", flush=True)
        if subprocess.run(step.argv, check=False).returncode != 0:
            print(f"{step.name} failed; nothing was started", flush=True)
            return 1
    demo = settings.demo_data is not None and settings.get("EMU_DEMO_ACTIVITY", "1") != "0"
    if demo:
        local_secret(settings, "EMU_DEMO_PASSWORD")  # the demo users' password
    plan = processes()
    ports = metrics_ports(plan, settings.metrics_port_base)
    supervisor = Supervisor(plan, ports)
    supervisor.start()
    base = f"http://{settings.gateway_host}:{settings.gateway_port}"
    activity = DemoActivity(base, supervisor.stopping)
    if demo:
        activity.start()
    for name, port in ports.items():
        print(f"{name:>18} metrics on http://127.0.0.1:{port}/metrics (health: /healthz)",
              flush=True)
    print(f"{'gateway':>18} metrics on {base}/metrics", flush=True)
    print(f"started {len(supervisor.children)} processes; stores under {settings.data_dir}; "
          f"API on {base} (documentation: {base}/docs; sign in as admin with password "
          f"{password}, or set GATEWAY_ADMIN_PASSWORD); Ctrl-C stops them all", flush=True)

    def request_stop(signum: int, _frame: object) -> None:
        print("\nstopping every process...", flush=True)
        supervisor.stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    code = supervisor.watch()
    activity.stop()
    if supervisor.stopping.is_set() and code == 0:
        supervisor.stop()
        print("all processes stopped", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
