"""``python -m bench.soak``: the whole system held at a steady request rate for a long while
(10 minutes by default), with each process's memory and CPU and the latency recorded over
time, to show that nothing grows (issue 10).

One run, on a fresh PostgreSQL database and RabbitMQ vhost, with every service, relay and
the gateway running as processes (``tests.support.gateway_system.running``) and the small
province of ``tests.support.province`` built through the API. The load is open-loop: request
``i`` is due at ``start + i / rate``; client threads (48 by default, each with its own
keep-alive ``httpx.Client`` per login) take the next due request, wait for its time and send
it, so a slow answer does not slow the schedule while a thread is free (a thread that is late
sends at once, and how late is recorded; 16 threads were too few on this shared machine: at
a second per answer they capped the rate themselves). The mix, repeated every ten requests,
is what a union's members and committee do through the HTTP API:

- commands (6 in 10, each with its own ``Idempotency-Key``): a member raises an idea (2);
  the executive committee registers an initiative with the member as author (2); it
  advances an earlier registration one step (2): constitutes its council, records the
  council's evaluation, recognises it (the recognition is published and consumed by awards);
- queries (4 in 10): the idea and the initiative just made (``get-idea``, ``get-initiative``,
  the second RPC for the ETag included), a page of the union's tracking book, a search of
  people without diacritics and the province's union tree.

Every ``--interval`` seconds a sampler reads, with psutil, each process's resident memory
(RSS) and CPU; latency percentiles are taken per ``--window``. Per process, the RSS slope is
the least-squares line over the samples after a warm-up (the first minute, or the first sixth
of a shorter run); a process is **flat** when the slope is under ``FLAT_MB_PER_MIN`` and the
line grows under ``FLAT_GROWTH_PCT`` over the measured span, otherwise **growing**.

Writes ``bench/results/soak-<stamp>.json``, ``.md`` and ``.png`` (memory per process over
time; latency p50/p99 and the rate held over time), keeps the processes' logs in
``bench/results/logs-soak-<stamp>/`` and prints the Markdown. Exits non-zero when a request
failed, the rate was not held, or a process's memory grows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.__main__ import RESULTS, percentile
from bench.gateway import begin_run
from tests.support.awards_world import FIELDS, MARKS
from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

FLAT_MB_PER_MIN = 1.0  # a process is flat under this RSS slope …
FLAT_GROWTH_PCT = 5.0  # … and under this growth of its fitted line over the measured span
LATE_S = 1.0  # a request sent this much after its due time counts as late
HELD_SHARE = 0.98  # the rate is held when every request was sent, at this share of the rate asked
GRACE = 0.1  # requests still unsent this long after the end (share of the duration) are dropped


# --- the memory verdict ----------------------------------------------------------------------

def warm_up_s(duration_s: float) -> float:
    """The first minute, or the first sixth of a run shorter than six minutes."""
    return min(60.0, duration_s / 6)


def rss_trend(times_s: Sequence[float], rss_mb: Sequence[float], warm_up: float) -> dict[str, Any]:
    """The least-squares line of RSS (MB) over time after ``warm_up`` seconds: its slope in MB
    per minute, how much it grows over the measured span (percent of where it starts), and
    whether that is flat (slope < ``FLAT_MB_PER_MIN`` and growth < ``FLAT_GROWTH_PCT``)."""
    points = [(t / 60, m) for t, m in zip(times_s, rss_mb, strict=True) if t >= warm_up]
    if len(points) < 3:
        return {"samples": len(points), "slope_mb_per_min": None, "growth_pct": None,
                "flat": None, "start_mb": None, "end_mb": None}
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    slope = sum((t - mean_t) * (m - mean_m) for t, m in points) / spread if spread else 0.0
    first, last = points[0][0], points[-1][0]
    start = mean_m + slope * (first - mean_t)
    end = mean_m + slope * (last - mean_t)
    growth = 100 * (end - start) / start if start > 0 else 0.0
    return {"samples": n, "slope_mb_per_min": round(slope, 3), "growth_pct": round(growth, 2),
            "flat": slope < FLAT_MB_PER_MIN and growth < FLAT_GROWTH_PCT,
            "start_mb": round(start, 1), "end_mb": round(end, 1)}


def last_half_slope(points: Sequence[tuple[float, float]], warm_up: float) -> float | None:
    """The RSS slope (MB/min) over the second half of the measured span: shown beside the
    verdict, to tell memory that stepped up once (a high-water mark) from memory that keeps
    growing. The verdict itself is the whole span's."""
    measured = [p for p in points if p[0] >= warm_up]
    if len(measured) < 6:
        return None
    middle = (measured[0][0] + measured[-1][0]) / 2
    half = [p for p in measured if p[0] >= middle]
    return rss_trend([t for t, _ in half], [m for _, m in half], 0.0)["slope_mb_per_min"]


# --- the load ------------------------------------------------------------------------------

@dataclass
class Outcome:
    due: float  # seconds from the start when it was due
    sent: float  # … when it was sent
    latency: float  # seconds from sending to the whole answer
    kind: str
    status: str


@dataclass
class Pipeline:
    """Ids made so far, for the queries to read and the committee to advance: registrations
    waiting for a council, councils waiting for an evaluation, evaluations waiting for a
    recognition. Shared by the client threads."""

    ideas: list[str] = field(default_factory=list)
    initiatives: list[str] = field(default_factory=list)
    stages: list[list[str]] = field(default_factory=lambda: [[], [], []])
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, record_id: str) -> None:
        with self.lock:
            if kind == "idea":
                self.ideas = [*self.ideas[-99:], record_id]
            else:
                self.initiatives = [*self.initiatives[-99:], record_id]
                self.stages[0].append(record_id)

    def next_step(self) -> tuple[int, str] | None:
        """The furthest-along registration waiting for its next step, taken off its stage."""
        with self.lock:
            for stage in (2, 1, 0):
                if self.stages[stage]:
                    return stage, self.stages[stage].pop(0)
        return None

    def done(self, stage: int, initiative: str) -> None:
        with self.lock:
            if stage < 2:
                self.stages[stage + 1].append(initiative)

    def latest(self, kind: str) -> str | None:
        with self.lock:
            pool = self.ideas if kind == "idea" else self.initiatives
            return pool[-1] if pool else None


MIX = ("raise-idea", "get-idea", "register", "advance", "tracking-book", "raise-idea",
       "get-initiative", "register", "advance", "search")
COMMANDS = {"raise-idea", "register", "advance"}


class Load:
    """Sends one request of the mix as the right person; returns its kind and status."""

    def __init__(self, system: System, pipeline: Pipeline) -> None:
        w = system.province
        assert w is not None
        self.w, self.system, self.pipeline = w, system, pipeline
        self.council = [w.people[x] for x in "ABC"]

    def clients(self) -> dict[str, httpx.Client]:
        """One keep-alive client per login, for one thread (opened at its first request)."""
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        return {login: httpx.Client(base_url=self.system.base_url, timeout=30, limits=limits,
                                    headers={"Authorization": f"Bearer {self.system.tokens[login]}"})
                for login in ("a", "d", "h")}

    def send(self, clients: dict[str, httpx.Client], kind: str) -> tuple[str, str]:
        w, key = self.w, {"Idempotency-Key": uuid.uuid4().hex}
        cs1 = w.unions["CS-1"]
        if kind == "raise-idea":
            r = clients["d"].post("/v1/initiatives/raise-idea", headers=key, json={
                "union_id": cs1, "author_id": w.people["D"],
                "title": f"Sổ theo dõi điện tử {key['Idempotency-Key'][:8]}",
                "description": "Thay sổ giấy bằng một bảng tính dùng chung cho cả tổ công đoàn.",
                "raised_on": "2026-06-01"})
            return kind, self._made(r, "idea")
        if kind == "register":
            reference = f"SK-{key['Idempotency-Key'][:12]}"
            r = clients["a"].post("/v1/initiatives/register", headers=key, json={
                "union_id": cs1, "reference": reference, "kind": "initiative",
                "fields": {"name": f"Sổ theo dõi đoàn viên điện tử {reference}", **FIELDS},
                "authors": [{"person_id": w.people["D"], "share": 60},
                            {"person_id": w.people["A"], "share": 40}],
                "registered_on": "2026-06-10"})
            return kind, self._made(r, "initiative")
        if kind == "advance":
            step = self.pipeline.next_step()
            if step is None:  # nothing registered yet: register instead
                return self.send(clients, "register")
            stage, initiative = step
            if stage == 0:
                kind = "constitute-council"
                r = clients["a"].post("/v1/initiatives/constitute-council", headers=key, json={
                    "initiative_id": initiative, "members": self.council, "on": "2026-06-12",
                    "reason": "Thành lập hội đồng xét sáng kiến",
                    "number": f"HD-{initiative[:8]}"})
            elif stage == 1:
                kind = "record-evaluation"
                r = clients["a"].post("/v1/initiatives/record-evaluation", headers=key, json={
                    "initiative_id": initiative, "on": "2026-06-15",
                    "scores": dict.fromkeys(self.council, MARKS),
                    "votes": dict.fromkeys(self.council, "for"),
                    "minutes": f"BB-{initiative[:8]}"})
            else:
                kind = "recognise"
                r = clients["a"].post("/v1/initiatives/recognise", headers=key, json={
                    "initiative_id": initiative, "decided_on": "2026-06-20",
                    "reason": "Hội đồng tán thành", "number": f"QĐ-{initiative[:8]}",
                    "evidence": ["bien-ban-hoi-dong.pdf"]})
            if r.status_code == 200:
                self.pipeline.done(stage, initiative)
            return kind, str(r.status_code)
        if kind in ("get-idea", "get-initiative"):
            record = "idea" if kind == "get-idea" else "initiative"
            made = self.pipeline.latest(record)
            if made is None:
                return self.send(clients, "search")
            r = clients["d"].get(f"/v1/initiatives/{kind}", params={f"{record}_id": made})
            return kind, str(r.status_code)
        if kind == "tracking-book":
            r = clients["a"].get("/v1/initiatives/tracking-book",
                                 params={"union_id": cs1, "limit": 50})
            return kind, str(r.status_code)
        if kind == "search":
            r = clients["h"].get("/v1/registry/search-people", params={"q": "nguyen van an"})
            tree = clients["h"].get("/v1/registry/descendants", params={"union_id": w.unions["TV"]})
            return kind, str(max(r.status_code, tree.status_code))
        raise ValueError(kind)

    def _made(self, response: httpx.Response, record: str) -> str:
        if response.status_code == 200:
            self.pipeline.add(record, str(response.json()["result"]))
        return str(response.status_code)


def drive(load: Load, rate: float, duration_s: float, threads: int, began: float,
          outcomes: list[Outcome], stop: threading.Event) -> None:
    """Open-loop: request ``i`` is due at ``began + i / rate``; ``threads`` threads share the
    schedule, each sending the next due request when its time comes. A system that cannot
    keep up is not waited for past ``GRACE`` of the duration: what was not sent by then is
    left unsent (and the rate not held)."""
    schedule: Iterator[int] = itertools.count()
    lock = threading.Lock()
    total = int(rate * duration_s)
    give_up = began + duration_s * (1 + GRACE)

    def worker() -> None:
        clients = load.clients()
        mine: list[Outcome] = []
        try:
            while not stop.is_set():
                with lock:
                    i = next(schedule)
                if i >= total or time.monotonic() > give_up:
                    break
                due = i / rate
                wait = began + due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                sent = time.monotonic()
                try:
                    kind, status = load.send(clients, MIX[i % len(MIX)])
                except httpx.HTTPError as exc:
                    kind, status = MIX[i % len(MIX)], type(exc).__name__
                mine.append(Outcome(due, sent - began, time.monotonic() - sent, kind, status))
        finally:
            for client in clients.values():
                client.close()
            with lock:
                outcomes.extend(mine)

    workers = [threading.Thread(target=worker, name=f"soak-client-{n}") for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()


# --- the sampler ---------------------------------------------------------------------------

def sample(system: System, began: float, interval: float, stop: threading.Event,
           into: list[dict[str, Any]]) -> None:
    """Every ``interval`` seconds, each process's RSS (MB) and CPU (% of one core since the
    last sample), this process's (the client threads) too; and how busy the whole machine
    was (% of all its cores), ours and the rest (PostgreSQL, RabbitMQ and whatever else runs
    here), so a latency excursion can be read against the machine's load."""
    watched = {name: psutil.Process(child.pid) for name, child in system.processes.children.items()}
    watched[CLIENT] = psutil.Process(os.getpid())
    cores = psutil.cpu_count() or 1
    last: dict[str, tuple[float, float]] = {}
    machine_before = psutil.cpu_times()
    while True:
        now = time.monotonic()
        row: dict[str, Any] = {"t": round(now - began, 2), "rss_mb": {}, "cpu_pct": {}}
        ours = 0.0
        for name, process in watched.items():
            try:
                rss = process.memory_info().rss / 2**20
                times = process.cpu_times()
            except psutil.Error:  # ended: nothing more to say about it
                continue
            cpu = times.user + times.system
            row["rss_mb"][name] = round(rss, 2)
            if name in last:
                before_t, before_cpu = last[name]
                row["cpu_pct"][name] = round(100 * (cpu - before_cpu) / max(now - before_t, 1e-6), 1)
                ours += row["cpu_pct"][name]
            last[name] = (now, cpu)
        machine = psutil.cpu_times()
        spent = sum(machine) - sum(machine_before)
        idle = (machine.idle + getattr(machine, "iowait", 0.0)) - \
            (machine_before.idle + getattr(machine_before, "iowait", 0.0))
        if spent > 0 and row["cpu_pct"]:
            busy = 100 * (spent - idle) / spent
            row["machine_busy_pct"] = round(busy, 1)
            row["ours_pct"] = round(min(ours / cores, busy), 1)
        machine_before = machine
        into.append(row)
        if stop.wait(interval):
            return


# --- the figures ---------------------------------------------------------------------------

def windows(outcomes: list[Outcome], duration_s: float, width: float) -> list[dict[str, Any]]:
    """Per window of ``width`` seconds, the requests sent in it: how many per second, their
    p50 and p99 latency (ms), errors, and the latest of them after its due time (s). The
    windows run to the last send: a system that fell behind is still sent to after the
    duration."""
    out = []
    end = max(duration_s, max((o.sent for o in outcomes), default=0.0) + 1e-6)
    edges = [i * width for i in range(int(end // width) + 1)]
    if edges[-1] < end:
        edges.append(end)
    for lo, hi in itertools.pairwise(edges):
        inside = [o for o in outcomes if lo <= o.sent < hi]
        if not inside:
            continue
        latencies = [o.latency for o in inside]
        out.append({"t_end": round(hi, 1), "requests": len(inside),
                    "per_s": round(len(inside) / (hi - lo), 2),
                    "p50_ms": round(percentile(latencies, 50) * 1000, 1),
                    "p99_ms": round(percentile(latencies, 99) * 1000, 1),
                    "errors": sum(o.status != "200" for o in inside),
                    "max_late_s": round(max(o.sent - o.due for o in inside), 3)})
    return out


def figures(outcomes: list[Outcome], samples: list[dict[str, Any]], duration_s: float,
            rate: float, window: float) -> dict[str, Any]:
    latencies = [o.latency for o in outcomes]
    late = sum(o.sent - o.due > LATE_S for o in outcomes)
    by_kind: dict[str, list[float]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o.latency)
    warm = warm_up_s(duration_s)
    names = sorted({n for s in samples for n in s["rss_mb"]})
    processes = {}
    for name in names:
        points = [(s["t"], s["rss_mb"][name]) for s in samples if name in s["rss_mb"]]
        cpu = [s["cpu_pct"][name] for s in samples if name in s["cpu_pct"] and s["t"] >= warm]
        processes[name] = {**rss_trend([t for t, _ in points], [m for _, m in points], warm),
                           "last_half_slope_mb_per_min": last_half_slope(points, warm),
                           "rss_first_mb": points[0][1], "rss_last_mb": points[-1][1],
                           "rss_max_mb": max(m for _, m in points),
                           "cpu_mean_pct": round(sum(cpu) / len(cpu), 1) if cpu else None}
    sent = len(outcomes)
    # every request is sent in the end: the rate held is how many over how long that took
    held = sent / max(duration_s, max((o.sent for o in outcomes), default=0.0))
    busy = [s["machine_busy_pct"] for s in samples if "machine_busy_pct" in s and s["t"] >= warm]
    ours = [s["ours_pct"] for s in samples if "ours_pct" in s and s["t"] >= warm]
    return {
        "requests": sent, "commands": sum(o.kind not in QUERY_KINDS for o in outcomes),
        "rate_asked_per_s": rate, "rate_held_per_s": round(held, 2),
        "unsent": max(int(rate * duration_s) - sent, 0),
        "rate_held": sent >= int(rate * duration_s) and held >= HELD_SHARE * rate,
        "late_requests": late,
        "machine_busy_pct": round(sum(busy) / len(busy), 1) if busy else None,
        "ours_pct": round(sum(ours) / len(ours), 1) if ours else None,
        "max_late_s": round(max((o.sent - o.due for o in outcomes), default=0.0), 3),
        "errors": sum(o.status != "200" for o in outcomes),
        "statuses": dict(Counter(o.status for o in outcomes)),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "by_kind": {k: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                        "p99_ms": round(percentile(v, 99) * 1000, 1)}
                    for k, v in sorted(by_kind.items())},
        "warm_up_s": warm, "windows": windows(outcomes, duration_s, window),
        "processes": processes,
        # the client keeps every answer's timing by design: shown, not judged
        "growing": [n for n, p in processes.items() if p["flat"] is False and n != CLIENT],
    }


QUERY_KINDS = {"get-idea", "get-initiative", "tracking-book", "search"}
CLIENT = "client"  # this process, in the samples


def chart(results: dict[str, Any], samples: list[dict[str, Any]], out: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = results["figures"]
    fig, (memory, latency, cpu) = plt.subplots(3, 1, figsize=(10, 10), sharex=True,
                                               gridspec_kw={"height_ratios": [3, 2, 1.2]})
    names = sorted(f["processes"], key=lambda n: -f["processes"][n]["rss_max_mb"])
    for name in names:
        points = [(s["t"] / 60, s["rss_mb"][name]) for s in samples if name in s["rss_mb"]]
        memory.plot([t for t, _ in points], [m for _, m in points], label=name, linewidth=1.2)
    memory.axvline(f["warm_up_s"] / 60, color="grey", linestyle=":", linewidth=1)
    memory.set_ylabel("RSS (MB)")
    memory.set_title(f"Soak {results['when']}: {f['rate_held_per_s']:.1f} requests/s "
                     f"({results['settings']['minutes']:g} min); memory per process")
    memory.legend(fontsize=7, ncol=3, loc="upper left")
    memory.grid(alpha=0.3)
    w = f["windows"]
    t = [x["t_end"] / 60 for x in w]
    latency.plot(t, [x["p50_ms"] for x in w], label="p50", linewidth=1.2)
    latency.plot(t, [x["p99_ms"] for x in w], label="p99", linewidth=1.2)
    latency.set_ylabel(f"latency (ms) per {results['settings']['window_s']:g} s")
    latency.grid(alpha=0.3)
    rate = latency.twinx()
    rate.plot(t, [x["per_s"] for x in w], color="grey", linestyle="--", linewidth=1,
              label="requests/s")
    rate.set_ylabel("requests/s")
    rate.set_ylim(0, max([x["per_s"] for x in w] + [1]) * 1.5)
    lines = latency.get_legend_handles_labels()
    more = rate.get_legend_handles_labels()
    latency.legend(lines[0] + more[0], lines[1] + more[1], fontsize=8, loc="upper left")
    busy = [(x["t"] / 60, x["machine_busy_pct"], x["ours_pct"]) for x in samples
            if "machine_busy_pct" in x]
    cpu.fill_between([b[0] for b in busy], [b[2] for b in busy], label="the system's processes",
                     alpha=0.6)
    cpu.fill_between([b[0] for b in busy], [b[2] for b in busy], [b[1] for b in busy],
                     label="the rest (PostgreSQL, RabbitMQ, other work)", alpha=0.4)
    cpu.set_ylim(0, 100)
    cpu.set_ylabel("machine CPU %")
    cpu.set_xlabel("minutes")
    cpu.legend(fontsize=7, loc="upper left")
    cpu.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)


def show(value: Any) -> str:
    return "—" if value is None else str(value)


def verdict(name: str, p: dict[str, Any]) -> str:
    if name == CLIENT:
        return "not judged"
    return "not measured" if p["flat"] is None else "flat" if p["flat"] else "**growing**"


def report(results: dict[str, Any], png: str) -> str:
    f, s = results["figures"], results["settings"]
    lines = [
        f"# Soak: the whole system at a steady rate, {results['when']}",
        "",
        f"Machine: {results['machine']}. Python {results['python']}. Revision "
        f"{results['revision']}. PostgreSQL (fresh database) and RabbitMQ (fresh vhost) on the "
        "same machine, as are every service, relay, the gateway and the client threads. Load "
        f"average before the run: {results['load_before']}.",
        "",
        f"Load: {s['minutes']:g} minutes, open-loop at {s['rate']:g} requests/s from "
        f"{s['threads']} client threads through the gateway's HTTP API; the mix of ten: "
        "raise-idea ×2, register ×2, advance a registration ×2 (council, evaluation, "
        "recognition), get-idea, get-initiative, a tracking-book page, a people search with "
        f"the union tree. Samples every {s['interval_s']:g} s; latency per "
        f"{s['window_s']:g} s of sending.",
        "",
        f"- requests: {f['requests']} ({f['commands']} commands), **{f['rate_held_per_s']:.2f}/s** "
        f"held against {f['rate_asked_per_s']:g}/s asked — "
        f"{'held' if f['rate_held'] else '**not held**'} (≥ {HELD_SHARE:.0%} of the rate asked, "
        f"every request sent; not sent by {1 + GRACE:g} × the duration: {f.get('unsent', 0)}); "
        f"sent more than {LATE_S:g} s after due: {f['late_requests']} (latest "
        f"{f['max_late_s']:.2f} s)",
        f"- the machine's CPU after the warm-up: {show(f.get('machine_busy_pct'))} % busy on "
        f"average, of which the system's processes {show(f.get('ours_pct'))} % (the rest: "
        "PostgreSQL, RabbitMQ and whatever else ran on the machine)",
        f"- errors (not 200): **{f['errors']}**; statuses {f['statuses']}",
        f"- latency over the run: p50 **{f['p50_ms']} ms**, p99 **{f['p99_ms']} ms**, "
        f"max {f['max_ms']} ms",
        "",
        "## Memory and CPU per process",
        "",
        f"RSS slope: least squares over the samples after the warm-up ({f['warm_up_s']:.0f} s). "
        f"Flat: slope < {FLAT_MB_PER_MIN:g} MB/min and growth of the fitted line < "
        f"{FLAT_GROWTH_PCT:g} % over the measured span.",
        "",
        "| process | RSS first MB | RSS last MB | fitted start → end MB | slope MB/min | growth % "
        "| last half: slope MB/min | mean CPU % of a core | verdict |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, p in sorted(f["processes"].items()):
        fitted = "—" if p["start_mb"] is None else f"{p['start_mb']} → {p['end_mb']}"
        lines.append(f"| {name} | {p['rss_first_mb']:.1f} | {p['rss_last_mb']:.1f} | {fitted} | "
                     f"{p['slope_mb_per_min'] if p['slope_mb_per_min'] is not None else '—'} | "
                     f"{p['growth_pct'] if p['growth_pct'] is not None else '—'} | "
                     f"{show(p.get('last_half_slope_mb_per_min'))} | "
                     f"{p['cpu_mean_pct'] if p['cpu_mean_pct'] is not None else '—'} | "
                     f"{verdict(name, p)} |")
    lines += ["", f"`{CLIENT}` is this benchmark's own process (the client threads); it keeps "
              "every answer's timing until the end, so it is shown but not judged.", "",
              "## Latency by request", "", "| request | n | p50 ms | p99 ms |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['n']} | {v['p50_ms']} | {v['p99_ms']} |" for k, v in f["by_kind"].items()]
    lines += ["", "## Over time", "", f"![memory and latency over time]({png})", "",
              "| sent until s | sent/s | p50 ms | p99 ms | errors | latest after due s |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {w['t_end']:.0f} | {w['per_s']:.1f} | {w['p50_ms']} | {w['p99_ms']} | "
              f"{w['errors']} | {w['max_late_s']:.2f} |" for w in f["windows"]]
    if results.get("notes"):
        lines += ["", results["notes"]]
    lines += ["", "Phases (s): " + ", ".join(f"{k} {v:.0f}" for k, v in results["phases_s"].items())]
    return "\n".join(lines) + "\n"


def revision() -> str:
    """The commit, and ``+ uncommitted changes to N files`` when the working tree's code
    (what the processes run) differs from it: several people work in this tree."""
    import subprocess

    from tests.support.figures import ROOT, _revision
    try:
        changed = subprocess.run(["git", "diff", "--name-only", "HEAD", "--", "runtime", "services",
                                  "gateway", "contracts"], cwd=ROOT, text=True,
                                 capture_output=True, timeout=10).stdout.split()
    except OSError:
        changed = []
    return _revision() + (f" + uncommitted changes to {len(changed)} files of runtime, services, "
                          "gateway and contracts" if changed else "")


def soak(system: System, settings: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    duration = settings["minutes"] * 60
    load = Load(system, Pipeline())
    outcomes: list[Outcome] = []
    samples: list[dict[str, Any]] = []
    stop = threading.Event()
    began = time.monotonic()
    sampler = threading.Thread(target=sample, args=(system, began, settings["interval_s"], stop,
                                                    samples), name="soak-sampler")
    sampler.start()
    try:
        drive(load, settings["rate"], duration, settings["threads"], began, outcomes, stop)
    finally:
        stop.set()
        sampler.join()
    outcomes.sort(key=lambda o: o.due)
    return figures(outcomes, samples, duration, settings["rate"], settings["window_s"]), samples


def run(minutes: float, rate: float, threads: int = 48, interval: float = 5.0,
        window: float = 30.0, notes: str = "") -> tuple[dict[str, Any], Path]:
    """One soak; returns its results and the path of its JSON."""
    began = time.monotonic()
    stamp, logs, results = begin_run("soak")
    results["revision"] = revision()
    results["settings"] = {"minutes": minutes, "rate": rate, "threads": threads,
                           "interval_s": interval, "window_s": window}
    with ExitStack() as stack:
        pg = stack.enter_context(fresh_database())
        amqp = stack.enter_context(fresh_vhost())
        system = stack.enter_context(running(logs, amqp, pg, {"EMU_LOG_LEVEL": "WARNING"}))
        with_province(system)
        results["phases_s"]["start-up and province"] = time.monotonic() - began
        results["figures"], samples = soak(system, results["settings"])
        results["phases_s"]["soak"] = time.monotonic() - began - \
            results["phases_s"]["start-up and province"]
        exits = {name: child.poll() for name, child in system.processes.children.items()
                 if child.poll() is not None}
        results["figures"]["processes_exited"] = exits
    results["phases_s"]["total"] = time.monotonic() - began
    results["samples"] = samples
    if notes:
        results["notes"] = notes
    png = RESULTS / f"soak-{stamp}.png"
    chart(results, samples, png)
    text = report(results, png.name)
    (RESULTS / f"soak-{stamp}.md").write_text(text, "utf-8")
    path = RESULTS / f"soak-{stamp}.json"
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")
    print(text)
    print(f"written to {RESULTS}/soak-{stamp}.md, .json and .png; process logs in {logs}")
    return results, path


def failures(results: dict[str, Any]) -> list[str]:
    f = results["figures"]
    found = []
    if f["errors"]:
        found.append(f"{f['errors']} requests did not answer 200")
    if not f["rate_held"]:
        found.append("the rate was not held")
    if f["growing"]:
        found.append("memory grows in " + ", ".join(f["growing"]))
    if f.get("processes_exited"):
        found.append(f"processes exited during the soak: {f['processes_exited']}")
    return found


def main(argv: Sequence[str] | None = None, exit_with: Callable[[str], Any] = sys.exit) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to hold the rate")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (6 in 10 commands)")
    parser.add_argument("--threads", type=int, default=48,
                        help="client threads: at most this many requests in flight, so enough "
                             "that slow answers on a busy machine do not hold up the schedule")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--window", type=float, default=30.0, help="seconds per latency window")
    args = parser.parse_args(argv)
    results, _ = run(args.minutes, args.rate, args.threads, args.interval, args.window)
    found = failures(results)
    if found:
        exit_with("; ".join(found))


if __name__ == "__main__":
    main()
