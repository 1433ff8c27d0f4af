"""``python -m bench.scaling``: commands per second through the gateway with one and with two
instances of the busiest service, initiatives (R5.3, issue 9).

One run, on a fresh PostgreSQL database and RabbitMQ vhost, with the whole system running as
processes (``tests.support.gateway_system.running``: every service and relay, the gateway,
the province of ``tests.support.province`` built through the API). The load is the one of
``bench.gateway``: ``POST /v1/initiatives/raise-idea`` as a member of CS-1 (login ``d``), a
distinct title each time, from C client threads with a keep-alive ``httpx.Client`` each,
N requests per pass (``bench.gateway.measure``). The two sides alternate over several rounds
— one instance (``initiatives``), then two (``initiatives`` and ``initiatives#2``, same
settings, store and queue; the second started before and stopped with SIGTERM after its
pass) — and each side's best round is kept.

Everything shares this machine's cores: a second instance can only add throughput if the one
instance was the bottleneck and cores are left. The report gives, from /proc, the CPU
milliseconds each process spent per request and how busy all cores were, so what bounds the
ratio (the gateway, PostgreSQL, the instances, the cores) can be read off.

Writes ``bench/results/scaling-<stamp>.md`` and ``.json``, keeps the processes' logs in
``bench/results/logs-scaling-<stamp>/`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from dataclasses import asdict
from typing import Any

from bench.__main__ import RESULTS
from bench.gateway import Pass, begin_run, idea, measure
from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

SIDES = {1: "one instance", 2: "two instances"}


def scale_to(system: System, instances: int) -> None:
    """Runs exactly ``instances`` instances of initiatives (1 or 2)."""
    processes = system.processes
    running_now = processes.instances("initiatives")
    if instances == 2 and "initiatives#2" not in running_now:
        processes.service("initiatives", instance=2)
        processes.wait_ready("initiatives#2")
    elif instances == 1 and "initiatives#2" in running_now:
        processes.kill("initiatives#2", signal.SIGTERM)  # a clean stop: it finishes its work
    assert len(processes.instances("initiatives")) == instances


def bench(system: System, settings: dict[str, Any]) -> dict[str, Any]:
    w = system.province
    assert w is not None
    union, author = w.unions["CS-1"], w.people["D"]
    clients = [system.http(system.tokens["d"]) for _ in range(settings["concurrency"])]
    passes: dict[int, list[Pass]] = {1: [], 2: []}
    try:
        for _round in range(settings["rounds"]):
            for instances in (1, 2):
                scale_to(system, instances)
                names = {child.pid: name for name, child in system.processes.children.items()
                         if child.poll() is None}
                passes[instances].append(measure(
                    clients, lambda c, tag: c.post("/v1/initiatives/raise-idea",
                                                   json=idea(union, author, tag)),
                    settings["requests"], names))
    finally:
        for client in clients:
            client.close()
    out: dict[str, Any] = {}
    for instances, measured in passes.items():
        best = max(measured, key=lambda p: p.per_s)
        out[str(instances)] = {**asdict(best), "rounds_per_s": [round(p.per_s, 1) for p in measured],
                               "errors_all_rounds": sum(p.errors for p in measured)}
    out["ratio_two_vs_one"] = out["2"]["per_s"] / out["1"]["per_s"]
    return out


COLUMNS = ("client", "gateway", "initiatives", "initiatives#2", "postgresql", "rabbitmq",
           "relays", "other services", "other")


def cpu_row(cpu: dict[str, float]) -> list[float]:
    columns = dict.fromkeys(COLUMNS, 0.0)
    for name, ms in cpu.items():
        if "-relay" in name:
            columns["relays"] += ms
        elif name in columns:
            columns[name] += ms
        else:
            columns["other services"] += ms
    return list(columns.values())


def report(results: dict[str, Any]) -> str:
    r, s = results["figures"], results["settings"]
    lines = [
        f"# Scaling benchmark: initiatives with one and two instances, {results['when']}",
        "",
        f"Machine: {results['machine']}. Python {results['python']}. PostgreSQL (fresh "
        "database) and RabbitMQ (fresh vhost) on the same machine, as are every service, relay, "
        "the gateway and the client threads. Load average before the run: "
        f"{results['load_before']}.",
        "",
        f"Load: `POST /v1/initiatives/raise-idea` through the gateway, C = {s['concurrency']} "
        f"client threads (one keep-alive httpx.Client each), N = {s['requests']} requests per "
        f"pass, {s['rounds']} rounds alternating one and two instances, each side's best round "
        f"kept; uvicorn workers = 1; nameko max_workers per instance {s['nameko_max_workers']}; "
        f"RPC timeout {s['rpc_timeout_s']:g} s.",
        "",
        "| instances of initiatives | commands/s | p50 ms | p99 ms | errors (all rounds) "
        "| every round, commands/s |",
        "|---|---|---|---|---|---|",
    ]
    for instances, name in SIDES.items():
        f = r[str(instances)]
        lines.append(f"| {name} | {f['per_s']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | "
                     f"{f['errors_all_rounds']} | {', '.join(f'{x:.0f}' for x in f['rounds_per_s'])} |")
    lines += ["", f"- two / one: **{r['ratio_two_vs_one']:.2f}**", "",
              "CPU milliseconds per command, by process, over each side's best round (from "
              "/proc; `other` is the rest of the machine):", "",
              "| side | busy % of all cores | " + " | ".join(COLUMNS) + " | total |",
              "|---|---|" + "---|" * (len(COLUMNS) + 1)]
    for instances, name in SIDES.items():
        f = r[str(instances)]
        row = cpu_row(f["cpu_ms_per_request"])
        lines.append(f"| {name} | {f['cpu_busy_pct']:.0f} | " + " | ".join(f"{x:.2f}" for x in row)
                     + f" | {sum(row):.1f} |")
    if results.get("notes"):
        lines += ["", results["notes"]]
    lines += ["", "Phases (s): " + ", ".join(f"{k} {v:.0f}" for k, v in results["phases_s"].items())]
    return "\n".join(lines) + "\n"


def bound(figures: dict[str, Any]) -> str:
    """What the numbers say bounds the ratio, in one sentence."""
    two = figures["2"]
    cpu = two["cpu_ms_per_request"]
    per_s = two["per_s"]
    cores = os.cpu_count() or 1
    # CPU seconds each process needs per second of wall time at the two-instance rate
    load = {name: ms * per_s / 1000 for name, ms in cpu.items()}
    top = sorted(load.items(), key=lambda kv: -kv[1])[:4]
    busy = two["cpu_busy_pct"]
    return (f"With two instances the machine's {cores} cores were {busy:.0f}% busy; the "
            "processes using most CPU per second of wall time were "
            + ", ".join(f"{name} {cores_used:.2f} cores" for name, cores_used in top)
            + ". A process near 1.00 core is single-threaded-bound (the gateway's event loop, "
            "an instance's eventlet hub); cores near 100% busy mean the machine itself bounds "
            "the ratio, whatever the number of instances.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per pass (N)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (C)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (one, two) instances")
    args = parser.parse_args()
    began = time.monotonic()
    stamp, logs, results = begin_run("scaling")
    with fresh_database() as pg, fresh_vhost() as amqp, \
            running(logs, amqp, pg, {"EMU_LOG_FORMAT": "text"}) as system:
        with_province(system)
        results["phases_s"]["start-up and province"] = time.monotonic() - began
        processes = system.processes
        results["settings"] = {
            "requests": args.requests, "concurrency": args.concurrency, "rounds": args.rounds,
            "rpc_timeout_s": processes.settings.number("GATEWAY_RPC_TIMEOUT", 10.0),
            "nameko_max_workers": processes.settings.nameko_config()["max_workers"]}
        results["figures"] = bench(system, results["settings"])
        results["phases_s"]["measures"] = time.monotonic() - began - \
            results["phases_s"]["start-up and province"]
    results["phases_s"]["total"] = time.monotonic() - began
    results["notes"] = bound(results["figures"])
    text = report(results)
    (RESULTS / f"scaling-{stamp}.md").write_text(text, "utf-8")
    (RESULTS / f"scaling-{stamp}.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(text)
    print(f"written to {RESULTS}/scaling-{stamp}.md and .json; process logs in {logs}")
    errors = sum(results["figures"][str(n)]["errors_all_rounds"] for n in SIDES)
    if errors:
        sys.exit(f"{errors} requests did not answer 200: see the statuses in the .json and the logs")


if __name__ == "__main__":
    main()
