"""``make bench``: the runtime's figures on PostgreSQL and RabbitMQ, in one run.

1. Raw eventsourcing ``save()`` of a one-event command vs the runtime's command path
   (attributed metadata, locking recorder), in process. Goal: runtime >= 0.8 of raw.
2. A bare nameko echo RPC vs a runtime command over RPC, same client, same concurrency.
3. Propagation: a registry command committed -> its effect committed in initiatives (through
   the relay, RabbitMQ and the inbox), p50/p99, at a steady 200 commands per second.
   Goal: p99 < 100 ms.
Writes ``bench/results/runtime-<timestamp>.md`` and ``.json`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.subjects import Counters, RawCounters
from runtime.client import services
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from runtime.store import metadata_of
from services.initiatives.application import Initiatives
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import Processes

RESULTS = Path(__file__).resolve().parent / "results"
ACTOR = CommandContext(actor=Actor("bench", "administrator"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rate(fn: Callable[[int], Any], n: int) -> tuple[float, list[float]]:
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        latencies.append(time.perf_counter() - t0)
    return n / (time.perf_counter() - started), latencies


def bench_save(url: str, n: int) -> dict[str, Any]:
    raw = RawCounters(env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url})
    runtime = Counters(Settings({"BENCH_DATABASE_URL": url}))
    for app in (raw, runtime):  # warm up connections and caches
        with use_context(ACTOR):
            for i in range(50):
                app.open(f"warm-{i}")
    results: dict[str, float] = {}
    for _round in range(3):  # interleave, keep each side's best, to damp noise
        raw_rate, _ = rate(lambda i: raw.open(f"r-{uuid.uuid4()}"), n)
        with use_context(ACTOR):
            runtime_rate, _ = rate(lambda i: runtime.open(f"c-{uuid.uuid4()}"), n)
        results["raw"] = max(results.get("raw", 0), raw_rate)
        results["runtime"] = max(results.get("runtime", 0), runtime_rate)
    return {"raw_save_per_s": results["raw"], "runtime_command_per_s": results["runtime"],
            "ratio": results["runtime"] / results["raw"], "goal": ">= 0.8", "n": n}


def bench_rpc(processes: Processes, n: int, threads: int) -> dict[str, Any]:
    def measure(call: Callable[[Any, int], Any]) -> dict[str, float]:
        latencies: list[float] = []
        lock = threading.Lock()

        def worker() -> None:
            with services(processes.settings, ACTOR) as proxy:
                for i in range(20):
                    call(proxy, i)  # warm-up
                mine = []
                for i in range(n // threads):
                    t0 = time.perf_counter()
                    call(proxy, i)
                    mine.append(time.perf_counter() - t0)
                with lock:
                    latencies.extend(mine)

        started = time.perf_counter()
        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - started
        return {"per_s": len(latencies) / elapsed, "p50_ms": percentile(latencies, 50) * 1000,
                "p99_ms": percentile(latencies, 99) * 1000}

    out: dict[str, Any] = {
        "echo": measure(lambda s, i: s.bench.echo(i)),
        "command": measure(lambda s, i: s.bench.open_counter(f"rpc-{uuid.uuid4()}")),
    }
    out["ratio_command_vs_echo"] = out["command"]["per_s"] / out["echo"]["per_s"]
    out["threads"], out["n"] = threads, n
    return out


def bench_propagation(url: str, per_second: int, seconds: float) -> dict[str, Any]:
    """Commits registry commands at a steady rate straight into the registry's store (the
    commit is where propagation starts), and reads each effect's commit time back from the
    initiatives store: both times are the runtime's own ``recorded_at`` metadata."""
    from services.registry.application import Registry

    registry = Registry(Settings({"REGISTRY_DATABASE_URL": url}))
    initiatives = Initiatives(Settings({"INITIATIVES_DATABASE_URL": url}))
    total = int(per_second * seconds)
    interval = 1.0 / per_second
    late = 0
    started = time.perf_counter()
    with use_context(ACTOR):
        for i in range(total):
            delay = started + i * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                late += 1
            registry.found_union(f"B{i}-{uuid.uuid4().hex[:6]}", f"Công đoàn {i}", "confederation",
                                 None, "2020-01-01")
    achieved = total / (time.perf_counter() - started)
    deadline = time.monotonic() + 60
    while (initiatives.recorder.max_tracking_id("registry") or 0) < \
            (registry.recorder.max_notification_id() or 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    committed = {n.originator_id: n for n in registry.recorder.select_notifications(None, total + 10)}
    latencies = []
    by_second: dict[int, list[float]] = {}
    first_cause = None
    for notification in initiatives.recorder.select_notifications(None, total + 10):
        effect = initiatives.mapper.to_domain_event(notification)
        cause = registry.mapper.to_domain_event(committed[notification.originator_id])
        t_cause = datetime.fromisoformat(metadata_of(cause)["recorded_at"])
        t_effect = datetime.fromisoformat(metadata_of(effect)["recorded_at"])
        latencies.append((t_effect - t_cause).total_seconds())
        first_cause = first_cause or t_cause
        by_second.setdefault(int((t_cause - first_cause).total_seconds()), []).append(latencies[-1])
    return {"p99_ms_by_second": {k: round(percentile(v, 99) * 1000, 1)
                                 for k, v in sorted(by_second.items())},
            "target_per_s": per_second, "achieved_per_s": achieved, "commands": total,
            "late_commands": late, "effects": len(latencies),
            "p50_ms": percentile(latencies, 50) * 1000 if latencies else None,
            "p99_ms": percentile(latencies, 99) * 1000 if latencies else None,
            "max_ms": max(latencies) * 1000 if latencies else None, "goal": "p99 < 100 ms"}


def report(results: dict[str, Any]) -> str:
    s, r, p = results["save"], results["rpc"], results["propagation"]
    lines = [
        f"# Runtime benchmark, {results['when']}",
        "",
        f"Machine: {results['machine']}. Python {results['python']}. PostgreSQL (fresh database), "
        "RabbitMQ (fresh vhost), all on this machine.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| raw eventsourcing save() of a one-event command | {s['raw_save_per_s']:.0f}/s | |",
        f"| runtime command path (metadata, locking recorder) | {s['runtime_command_per_s']:.0f}/s | |",
        f"| runtime / raw | {s['ratio']:.2f} | {s['goal']} |",
        f"| bare nameko echo RPC ({r['threads']} client threads) | {r['echo']['per_s']:.0f}/s, "
        f"p50 {r['echo']['p50_ms']:.1f} ms, p99 {r['echo']['p99_ms']:.1f} ms | |",
        f"| runtime command over RPC (same) | {r['command']['per_s']:.0f}/s, "
        f"p50 {r['command']['p50_ms']:.1f} ms, p99 {r['command']['p99_ms']:.1f} ms | |",
        f"| command RPC / echo RPC | {r['ratio_command_vs_echo']:.2f} | |",
        f"| propagation registry → initiatives at {p['target_per_s']}/s "
        f"(achieved {p['achieved_per_s']:.0f}/s, {p['effects']}/{p['commands']} effects) | "
        f"p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms, max {p['max_ms']:.1f} ms "
        f"| {p['goal']} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--rpcs", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
    }
    with fresh_database() as url:
        results["save"] = bench_save(url, args.saves)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    logs = RESULTS / f"logs-{stamp}"
    logs.mkdir(parents=True)
    with fresh_database() as url, fresh_vhost() as amqp, tempfile.TemporaryDirectory() as tmp:
        env = {"AMQP_URI": amqp, "EMU_DATA_DIR": tmp}
        for service in ("registry", "initiatives", "bench"):
            env[f"{service.upper()}_DATABASE_URL"] = url
        processes = Processes(logs, env)
        try:
            processes.service("bench", "bench.subjects:BenchService")
            processes.service("registry")
            processes.relay("registry")
            processes.service("initiatives")
            processes.wait_ready("bench", "registry", "initiatives")
            results["rpc"] = bench_rpc(processes, args.rpcs, threads=4)
            processes.kill("bench", signal.SIGTERM)  # idle from here on; keep the cores for the rest
            results["propagation"] = bench_propagation(url, args.rate, args.seconds)
        finally:
            processes.stop_all()
    text = report(results)
    (RESULTS / f"runtime-{stamp}.md").write_text(text, "utf-8")
    (RESULTS / f"runtime-{stamp}.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(text)
    print(f"written to {RESULTS}/runtime-{stamp}.md and .json; process logs in {logs}")


if __name__ == "__main__":
    main()
