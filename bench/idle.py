"""``python -m bench.idle``: what the whole system costs when nobody uses it.

Starts the system as ``make run`` does (``python -m runtime.launcher``: every service, its
relay and the gateway, each a process), with the demo's year of activity off, waits for
``/ready`` and for the start-up work (loading the demo province, the relays' first publishing
and checkpoints) to settle, then reads every process's CPU time (user + system, from psutil)
over ``--seconds`` (60 by default) of no requests at all. Goal: the whole system under 1 % of
one core. Run once on the SQLite stores ``make run`` uses by default and once with every store
on PostgreSQL, where the relays are woken by the commit's NOTIFY instead of polling
(``runtime.wakeup``); each side gets its own data folder, database and vhost.

Writes ``bench/results/idle-<timestamp>.json`` and ``.md`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psutil

from bench.__main__ import about_the_run, write_results
from runtime.services import SERVICES
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import eventually, free_port

GOAL_PCT = 1.0  # of one core, the whole system


def _name(process: psutil.Process) -> str:
    """``registry``, ``registry-relay``, ``gateway``… from the command line."""
    argv = process.cmdline()
    if "runtime.serve" in argv:
        return argv[argv.index("runtime.serve") + 1]
    if "runtime.relay" in argv:
        return argv[argv.index("runtime.relay") + 1] + "-relay"
    if "gateway" in argv:
        return "gateway"
    return Path(argv[0]).name if argv else str(process.pid)


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _cpu(processes: list[psutil.Process]) -> dict[str, float]:
    spent: dict[str, float] = {}
    for process in processes:
        try:
            times = process.cpu_times()
            spent[_name(process)] = spent.get(_name(process), 0.0) + times.user + times.system
        except psutil.Error:
            continue
    return spent


def measure(store: str, seconds: float, settle: float) -> dict[str, Any]:
    """One side: the system up on ``store`` (sqlite or postgresql), idle for ``seconds``."""
    with ExitStack() as stack:
        data = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-idle-"))
        port = free_port()
        env = {**os.environ, "AMQP_URI": stack.enter_context(fresh_vhost()),
               "EMU_DATA_DIR": data, "GATEWAY_PORT": str(port),
               "GATEWAY_GRPC_PORT": str(free_port()), "EMU_DEMO_ACTIVITY": "0"}
        for service in SERVICES:
            env.pop(f"{service.upper()}_DATABASE_URL", None)
        if store == "postgresql":
            url = stack.enter_context(fresh_database())
            for service in SERVICES:
                env[f"{service.upper()}_DATABASE_URL"] = url
        log = open(Path(data) / "launcher.log", "wb")  # noqa: SIM115 (closed below)
        launcher = subprocess.Popen([sys.executable, "-m", "runtime.launcher"], env=env,
                                    stdout=log, stderr=subprocess.STDOUT)
        started = time.monotonic()
        try:
            eventually(lambda: _ready(port), timeout=300, interval=1.0,
                       what=f"the system on {store} ready")
            ready_after = time.monotonic() - started
            time.sleep(settle)  # start-up work: the demo province's events travel, checkpoints
            processes = psutil.Process(launcher.pid).children(recursive=True)
            before = _cpu(processes)
            t0 = time.monotonic()
            time.sleep(seconds)
            elapsed = time.monotonic() - t0
            after = _cpu(processes)
        finally:
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(60)
            except subprocess.TimeoutExpired:
                launcher.kill()
            log.close()
        per_process = {name: round(100 * (after.get(name, used) - used) / elapsed, 3)
                       for name, used in sorted(before.items())}
        total = round(sum(per_process.values()), 3)
        return {"store": store, "seconds": round(elapsed, 1), "settle_s": settle,
                "ready_after_s": round(ready_after, 1), "processes": len(per_process),
                "cpu_pct_of_one_core": total, "per_process_pct": per_process,
                "goal": f"< {GOAL_PCT:g} % of one core", "met": total < GOAL_PCT}


def markdown(result: dict[str, Any]) -> str:
    lines = [f"# The system idle, {result['when']}", "",
             f"Machine: {result['machine']}; load before {result['load_before']}. Every "
             "process of `make run` (demo activity off), no requests; CPU time from psutil.", "",
             "| stores | whole system, % of one core | goal | busiest processes |",
             "|---|---|---|---|"]
    for side in result["sides"]:
        top = sorted(side["per_process_pct"].items(), key=lambda kv: -kv[1])[:4]
        lines.append(f"| {side['store']} ({side['processes']} processes, {side['seconds']:g} s) | "
                     f"**{side['cpu_pct_of_one_core']:.2f}** | {side['goal']} "
                     f"{'✔' if side['met'] else '✘'} | "
                     + ", ".join(f"{name} {pct:.2f}" for name, pct in top) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=20.0,
                        help="seconds after /ready before measuring")
    parser.add_argument("--stores", default="sqlite,postgresql")
    args = parser.parse_args()
    result: dict[str, Any] = about_the_run()  # the load before the run
    result["sides"] = [measure(store, args.seconds, args.settle)
                       for store in args.stores.split(",") if store]
    write_results("idle", result, markdown(result))


if __name__ == "__main__":
    main()
