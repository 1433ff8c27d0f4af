"""``python -m bench.gateway``: what the gateway costs per call, against a bare echo behind
the same HTTP server, at the same concurrency.

Compared, in one run on a fresh PostgreSQL database and RabbitMQ vhost, with the whole system
running as processes (``tests.support.gateway_system.running``, every service and relay, the
gateway, the province of ``tests.support.province`` built through the API):

(a) a real command through the gateway: ``POST /v1/initiatives/raise-idea`` as a member of
    the grassroots union CS-1 (login ``d``), a distinct title each time; every answer 200;
(b) the baseline: ``POST /echo`` of ``bench.echo_http`` with a body of the same size, which
    hands the body to the bare ``bench.echo`` RPC (``bench.subjects.BenchService``);
(c) a query through the gateway: ``GET /v1/initiatives/get-idea`` of one idea, the read path.

Why the comparison is fair: both sides run on the same HTTP server configured the same way
(uvicorn, one worker process, one asyncio loop, ``access_log=False``), the same framework
(FastAPI, a sync route in the same anyio worker thread pool), the same RPC client
(``runtime.client.RpcPool`` with the same timeout) to a nameko service on the same broker,
and are driven by the same client: C threads, each with its own keep-alive ``httpx.Client``,
N requests in all, the sides interleaved over several rounds and each side's best round
kept (as ``bench/__main__.py`` does) to damp noise. The ratio command / echo is therefore
what the gateway and the service add on top of one HTTP request and one RPC round trip:

- in the gateway: the correlation-id middleware and the body limits; the bearer token's
  signature and expiry and the user and roles read again from the gateway's store
  (PostgreSQL) at each request, in a sync dependency (its own hop to a worker thread, on
  top of the route's); pydantic validation of the body against the model made from the
  service's signature; the scope check (is union CS-1 inside the caller's grants: a
  registry lookup, cached); the actor context the service records;
- in the initiatives service: the registry facts it keeps (is CS-1 a grassroots union on
  that day, is D a member of it), the new idea's event written to its event store in
  PostgreSQL with the runtime's metadata and the read model's rows, in one transaction;
- for the query, the gateway's second RPC for the record's version (the ETag) and the
  scope check of the record read.

The echo answers the body back, so its answer is larger than the command's (an id): the
baseline is not flattered. Everything shares this machine's cores, so requests per second
follow the CPU each request costs the whole system; the report also gives, from /proc, the
CPU milliseconds each process spent per request in each side's best round (``other`` is
the rest of the machine: another workload there shows up as noise).

Goal (the issue): command / echo >= 0.5. Writes ``bench/results/gateway-<stamp>.md`` and
``.json``, keeps the processes' logs in ``bench/results/logs-gateway-<stamp>/`` and prints
the Markdown. ``--profile`` also samples the gateway process with py-spy (when on PATH or in
the virtualenv) during one more, unmeasured pass of commands, and summarises where its
CPU time went; the raw stacks stay in the logs folder.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.__main__ import RESULTS, percentile
from tests.support.gateway_system import System, free_port, running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import eventually

Request = Callable[[httpx.Client, str], httpx.Response]
WARM_UP = 10  # requests per thread before each measured pass: connections open, caches full


@dataclass
class Pass:
    """One measured pass of one side: N requests over C threads."""

    per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    statuses: dict[str, int] = field(default_factory=dict)
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)
    cpu_busy_pct: float = 0.0


def cpu_seconds(names: dict[int, str]) -> dict[int, tuple[str, float]]:
    """CPU seconds used so far by every process on the machine, with its group: the system's
    processes by name, PostgreSQL, RabbitMQ, this process (the client threads), and the rest
    of the machine (``other``: whatever else runs here, the noise). Linux only; empty
    elsewhere."""
    found: dict[int, tuple[str, float]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    tick = os.sysconf("SC_CLK_TCK")
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()[:200]
        except OSError:  # gone meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        if pid in names:
            group = names[pid]
        elif pid == os.getpid():
            group = "client"
        elif b"postgres" in command:
            group = "postgresql"
        elif b"rabbit" in command or b"beam" in command:
            group = "rabbitmq"
        else:
            group = "other"
        found[pid] = (group, (int(fields[11]) + int(fields[12])) / tick)  # utime + stime
    return found


def cpu_spent(before: dict[int, tuple[str, float]],
              after: dict[int, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds per group between two readings, process by process (a process that ended
    meanwhile is not counted: what it spent is gone with it)."""
    spent: dict[str, float] = defaultdict(float)
    for pid, (group, seconds) in after.items():
        earlier = before.get(pid)
        spent[group] += seconds - (earlier[1] if earlier and earlier[0] == group else 0.0)
    return spent


def measure(clients: list[httpx.Client], request: Request, n: int,
            names: dict[int, str] | None = None) -> Pass:
    """``n`` requests, ``n / len(clients)`` per thread, each thread on its own client; the
    clock runs from the moment every thread is warm until the last answer. With ``names``
    (pid -> process name), the CPU each process spent per request over the pass too."""
    per_thread = n // len(clients)
    warm, start = threading.Barrier(len(clients) + 1), threading.Barrier(len(clients) + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[str] = Counter()

    def worker(client: httpx.Client) -> None:
        mine, seen = [], Counter[str]()
        for _ in range(WARM_UP):
            with contextlib.suppress(httpx.HTTPError):  # a failure here must not strand the barrier
                request(client, uuid.uuid4().hex)
        warm.wait()
        start.wait()
        for _ in range(per_thread):
            tag = uuid.uuid4().hex
            t0 = time.perf_counter()
            try:
                status = str(request(client, tag).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            mine.append(time.perf_counter() - t0)
            seen[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    warm.wait()
    cpu_before = cpu_seconds(names or {})
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = cpu_spent(cpu_before, cpu_seconds(names or {}))
    measured = Pass(per_s=len(latencies) / elapsed, p50_ms=percentile(latencies, 50) * 1000,
                    p99_ms=percentile(latencies, 99) * 1000,
                    errors=sum(v for k, v in statuses.items() if k != "200"),
                    statuses=dict(statuses))
    if names:
        measured.cpu_ms_per_request = {k: round(v * 1000 / len(latencies), 2)
                                       for k, v in sorted(cpu.items(), key=lambda kv: -kv[1])
                                       if v > 0}
        measured.cpu_busy_pct = round(100 * sum(cpu.values()) / (elapsed * (os.cpu_count() or 1)), 1)
    return measured


def idea(union_id: str, author_id: str, tag: str) -> dict[str, str]:
    """A raise-idea body; ``tag`` is a uuid4 hex, so every body has the same size."""
    return {"union_id": union_id, "author_id": author_id,
            "title": f"Sổ theo dõi điện tử {tag}",
            "description": "Thay sổ giấy bằng một bảng tính dùng chung cho cả tổ công đoàn, "
                           "để mọi đoàn viên cùng xem và cập nhật.",
            "raised_on": "2026-06-01"}


def begin_run(name: str) -> tuple[str, Path, dict[str, Any]]:
    """A run's time stamp, the folder for its processes' logs, and its results so far: when,
    on what machine, under what load."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    logs = RESULTS / f"logs-{name}-{stamp}"
    logs.mkdir(parents=True)
    return stamp, logs, {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
        "python": platform.python_version(),
        "load_before": ", ".join(f"{x:.2f}" for x in os.getloadavg()), "phases_s": {},
    }


def machine() -> str:
    model = ""
    with contextlib.suppress(OSError):  # not Linux: the model goes unnamed
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "")
    return f"{platform.platform()}, {platform.machine()}, {os.cpu_count()} cores" + \
        (f" ({model})" if model else "")


def py_spy() -> str | None:
    return shutil.which("py-spy") or next(
        (str(p) for p in [Path(sys.executable).parent / "py-spy"] if p.exists()), None)


def profile(system: System, run: Callable[[], Pass], out: Path) -> dict[str, Any]:
    """Samples the gateway and the initiatives service with py-spy while ``run`` drives them;
    the collapsed stacks go to ``out`` (and ``<out>-initiatives``); the share of samples under
    the gateway's main steps is summarised, and the service's own code by inclusive share."""
    spy = py_spy()
    if spy is None:
        return {"error": "py-spy is not installed (pip install py-spy in a throwaway venv)"}
    targets = {"gateway": out, "initiatives": out.with_name(f"{out.stem}-initiatives{out.suffix}")}
    samplers = {}
    for name, stacks in targets.items():
        pid = system.processes.children[name].pid
        said = stacks.with_suffix(".log")
        # --gil: only the thread holding the GIL, i.e. the process's Python CPU, not its waits
        with open(said, "wb") as log:  # the child keeps its own copy
            samplers[name] = subprocess.Popen(
                [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "100", "--gil",
                 "--nonblocking", "--output", str(stacks)], stdout=log, stderr=subprocess.STDOUT)
    time.sleep(1.0)  # let them attach
    if samplers["gateway"].poll() is not None:
        return {"error": out.with_suffix(".log").read_text("utf-8", "replace")[-500:]}
    run()
    for sampler in samplers.values():
        sampler.send_signal(signal.SIGINT)  # py-spy writes its output when interrupted
        sampler.wait(30)
    return {**summarise(out), "service": summarise_own_code(targets["initiatives"])}


def summarise_own_code(stacks: Path) -> dict[str, Any]:
    """Inclusive share of samples of each function of this repository (runtime/, services/)
    in a process's stacks: where a service's Python CPU goes, by the project's own steps."""
    if not stacks.exists():
        return {"error": f"no profile written to {stacks}"}
    total, inclusive = 0, Counter[str]()
    for line in stacks.read_text("utf-8", "replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        ours = {f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0] + ")"
                for f in stack.split(";") if " (runtime/" in f or " (services/" in f}
        for frame in ours:
            inclusive[frame] += int(count)
    if not total:
        return {"error": "no samples"}
    return {"samples": total, "file": str(stacks),
            "top_inclusive_pct": {k: round(100 * v / total, 1) for k, v in inclusive.most_common(25)}}


STEPS = {  # the step -> the start of its frame, as py-spy names frames (inclusive shares)
    "the event loop thread: uvicorn, h11, middlewares, routing": "BaseEventLoop.run_forever (",
    "  of which FastAPI dependencies and pydantic validation": "solve_dependencies (",
    "  of which hand-offs to the worker threads (run_in_threadpool)": "run_in_threadpool (",
    "the worker threads: the sync dependency and the sync route": "WorkerThread.run (",
    "  the caller: token and user lookup (Gateway.principal)": "Gateway.principal (gateway/core.py",
    "    of which the SELECT of the user in the gateway store": "Accounts.principal (gateway/",
    "    of which the token's signature and expiry": "Tokens.subject (gateway/accounts.py",
    "  the call (Gateway.execute)": "Gateway.execute (gateway/core.py",
    "    of which the scope check (authorize)": "authorize (gateway/policy.py",
    "    of which the RPC to the service (RpcPool.call)": "RpcPool.call (runtime/client.py",
}


def summarise(stacks: Path) -> dict[str, Any]:
    """Share of samples (inclusive) per step, and the functions with most samples of their own."""
    if not stacks.exists():
        return {"error": f"no profile written to {stacks}"}
    total, inclusive, own = 0, Counter[str](), Counter[str]()
    for line in stacks.read_text("utf-8", "replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = stack.split(";")
        for step, frame in STEPS.items():
            if any(f.startswith(frame) for f in frames):
                inclusive[step] += samples
        own[frames[-1]] += samples
    if not total:
        return {"error": "no samples"}
    return {"samples": total, "file": str(stacks),
            "steps_pct": {k: round(100 * inclusive[k] / total, 1) for k in STEPS},
            "top_own_pct": {k: round(100 * v / total, 1) for k, v in own.most_common(15)}}


def bench(system: System, echo_url: str, settings: dict[str, Any],
          profile_to: Path | None) -> dict[str, Any]:
    w = system.province
    assert w is not None
    union, author = w.unions["CS-1"], w.people["D"]
    one = system.call("d", "initiatives", "raise_idea", union, author, "Ý tưởng để đọc",
                      "Một ý tưởng cho phép đo đường đọc", "2026-06-01")
    names = {child.pid: name for name, child in system.processes.children.items()}
    concurrency = settings["concurrency"]
    gateway = [system.http(system.tokens["d"]) for _ in range(concurrency)]
    echo = [httpx.Client(base_url=echo_url, timeout=30) for _ in range(concurrency)]
    sides: dict[str, tuple[list[httpx.Client], Request, int]] = {
        "echo": (echo, lambda c, tag: c.post("/echo", json=idea(union, author, tag)),
                 settings["requests"]),
        "command": (gateway, lambda c, tag: c.post("/v1/initiatives/raise-idea",
                                                   json=idea(union, author, tag)),
                    settings["requests"]),
        "query": (gateway, lambda c, tag: c.get("/v1/initiatives/get-idea",
                                                params={"idea_id": one}),
                  settings["queries"]),
    }
    passes: dict[str, list[Pass]] = {side: [] for side in sides}
    try:
        for _round in range(settings["rounds"]):  # interleaved; each side's best round is kept
            for side, (clients, request, n) in sides.items():
                passes[side].append(measure(clients, request, n, names))
        out: dict[str, Any] = {}
        for side, measured in passes.items():
            best = max(measured, key=lambda p: p.per_s)
            out[side] = {**asdict(best), "rounds_per_s": [round(p.per_s, 1) for p in measured],
                         "errors_all_rounds": sum(p.errors for p in measured)}
        out["ratio_command_vs_echo"] = out["command"]["per_s"] / out["echo"]["per_s"]
        out["ratio_query_vs_echo"] = out["query"]["per_s"] / out["echo"]["per_s"]
        if profile_to is not None:
            clients, request, n = sides["command"]
            out["profile"] = profile(system, lambda: measure(clients, request, n), profile_to)
        return out
    finally:
        for client in (*gateway, *echo):
            client.close()


CPU_COLUMNS = ("client", "gateway", "echo-http", "initiatives", "bench", "postgresql", "rabbitmq",
               "relays", "other services", "other")


def cpu_row(cpu: dict[str, float]) -> list[float]:
    """A pass's CPU per request in the report's columns (the four relays together, the
    services the pass does not call together)."""
    columns = dict.fromkeys(CPU_COLUMNS, 0.0)
    for name, ms in cpu.items():
        if name.endswith("-relay"):
            columns["relays"] += ms
        elif name in columns:
            columns[name] += ms
        else:
            columns["other services"] += ms
    return list(columns.values())


def report(results: dict[str, Any]) -> str:
    r, s = results["figures"], results["settings"]
    sides = (("(b) bare echo: POST /echo → bench.echo RPC", "echo", s["requests"]),
             ("(a) command: POST /v1/initiatives/raise-idea", "command", s["requests"]),
             ("(c) query: GET /v1/initiatives/get-idea", "query", s["queries"]))
    lines = [
        f"# Gateway benchmark, {results['when']}",
        "",
        f"Machine: {results['machine']}. Python {results['python']}. PostgreSQL (fresh "
        "database) and RabbitMQ (fresh vhost) on the same machine, as are every service, relay, "
        "the gateway, the echo server and the client threads. Load average before the run: "
        f"{results['load_before']}.",
        "",
        f"Settings: C = {s['concurrency']} client threads (one keep-alive httpx.Client each); "
        f"N = {s['requests']} requests per pass of echo and of commands, {s['queries']} per "
        f"pass of queries; {s['rounds']} interleaved rounds (echo, command, query), each side's "
        f"best round kept; uvicorn workers = {s['uvicorn_workers']} on both servers; RPC timeout "
        f"{s['rpc_timeout_s']:g} s; nameko max_workers per service {s['nameko_max_workers']}.",
        "",
        "| side | N | requests/s | p50 ms | p99 ms | errors (all rounds) | every round, requests/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, side, n in sides:
        f = r[side]
        lines.append(f"| {name} | {n} | {f['per_s']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} "
                     f"| {f['errors_all_rounds']} | {', '.join(f'{x:.0f}' for x in f['rounds_per_s'])} |")
    lines += [
        "",
        f"- command / echo: **{r['ratio_command_vs_echo']:.2f}** (goal >= 0.5: "
        f"{'met' if r['ratio_command_vs_echo'] >= 0.5 else 'not met'})",
        f"- query / echo: **{r['ratio_query_vs_echo']:.2f}**",
    ]
    if r["echo"]["cpu_ms_per_request"]:
        lines += ["", "CPU milliseconds per request, by process, over each side's best round "
                  "(from /proc; `other` is everything else on the machine, i.e. noise; the "
                  "relays poll whether or not anything happens):", "",
                  "| side | busy % of all cores | " + " | ".join(CPU_COLUMNS) + " | total |",
                  "|---|---|" + "---|" * (len(CPU_COLUMNS) + 1)]
        for name, side, _n in sides:
            row = cpu_row(r[side]["cpu_ms_per_request"])
            lines.append(f"| {name.split(':')[0]} | {r[side]['cpu_busy_pct']:.0f} | "
                         + " | ".join(f"{x:.2f}" for x in row) + f" | {sum(row):.1f} |")
    prof = r.get("profile")
    if prof:
        lines += ["", "## The gateway process's Python CPU (py-spy --gil, one more pass of "
                  "commands)", ""]
        if "error" in prof:
            lines.append(f"No profile: {prof['error']}")
        else:
            lines += [f"{prof['samples']} samples; stacks in `{prof['file']}`.", "",
                      "| step (inclusive) | % of samples |", "|---|---|"]
            lines += [f"| {k} | {v} |" for k, v in prof["steps_pct"].items()]
            lines += ["", "| function (own time) | % of samples |", "|---|---|"]
            lines += [f"| `{k}` | {v} |" for k, v in prof["top_own_pct"].items()]
            service = prof.get("service") or {}
            if "top_inclusive_pct" in service:
                lines += ["", f"The initiatives service's Python CPU in the same pass "
                          f"({service['samples']} samples; the project's own functions, inclusive; "
                          f"stacks in `{service['file']}`):", "",
                          "| function (inclusive) | % of samples |", "|---|---|"]
                lines += [f"| `{k}` | {v} |" for k, v in service["top_inclusive_pct"].items()]
    lines += ["", "Phases (s): " + ", ".join(f"{k} {v:.0f}" for k, v in results["phases_s"].items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000,
                        help="requests per pass of echo and of commands (N)")
    parser.add_argument("--queries", type=int, default=None,
                        help="requests per pass of queries (default N / 4)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (C)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="interleaved rounds (2 keeps a run near 3 minutes on 2 busy cores)")
    parser.add_argument("--profile", action="store_true",
                        help="sample the gateway with py-spy during one more pass of commands")
    args = parser.parse_args()
    began = time.monotonic()
    stamp, logs, results = begin_run("gateway")
    with fresh_database() as pg, fresh_vhost() as amqp, \
            running(logs, amqp, pg, {"BENCH_DATABASE_URL": pg}) as system:
        processes = system.processes
        echo_port = free_port()
        processes.service("bench", "bench.subjects:BenchService")
        processes.start("echo-http", "-m", "bench.echo_http", env={"ECHO_HTTP_PORT": str(echo_port)})
        with_province(system)
        processes.wait_ready("bench")
        echo_url = f"http://127.0.0.1:{echo_port}"
        eventually(lambda: httpx.post(f"{echo_url}/echo", json={}, timeout=5).status_code == 200,
                   timeout=30, what="the echo server answers")
        results["phases_s"]["start-up and province"] = time.monotonic() - began
        results["settings"] = {
            "requests": args.requests, "queries": args.queries or max(args.requests // 4, 1),
            "concurrency": args.concurrency, "rounds": args.rounds, "uvicorn_workers": 1,
            "rpc_timeout_s": processes.settings.number("GATEWAY_RPC_TIMEOUT", 10.0),
            "nameko_max_workers": processes.settings.nameko_config()["max_workers"]}
        results["figures"] = bench(system, echo_url, results["settings"],
                                   logs / "gateway-profile.txt" if args.profile else None)
        results["phases_s"]["measures"] = time.monotonic() - began - \
            results["phases_s"]["start-up and province"]
    results["phases_s"]["total"] = time.monotonic() - began
    text = report(results)
    (RESULTS / f"gateway-{stamp}.md").write_text(text, "utf-8")
    (RESULTS / f"gateway-{stamp}.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(text)
    print(f"written to {RESULTS}/gateway-{stamp}.md and .json; process logs in {logs}")
    errors = sum(results["figures"][side]["errors_all_rounds"] for side in ("echo", "command", "query"))
    if errors:
        sys.exit(f"{errors} requests did not answer 200: see the statuses in the .json and the logs")


if __name__ == "__main__":
    main()
