"""``python -m bench.reliability``: the one command that regenerates the reliability report,
``docs/reliability.md`` (issue 10).

It runs the reliability suites with pytest (``tests/reliability``,
``tests/integration/test_gateway_properties.py`` and ``test_gateway_grpc.py``, those that
exist) with ``EMU_FIGURES_DIR`` set to a fresh ``bench/results/reliability-<stamp>/``, so
the figures the suites record (``tests.support.figures.record``) are exactly this run's; reads them back
(``tests.support.figures.load``); takes the latest soak (``bench/results/soak-*.json``, or
runs one first with ``--soak MINUTES``); and writes the report, with the soak's chart copied
to ``docs/reliability/soak.png``.

Each figure stands beside what it must be, with ✔ or ✘: faults injected and survived,
commands lost and duplicates (0), read models checked and their mismatches with a rebuild
(0), bad inputs tried per entry point and the 5xx among them (0), the authority matrix and
its failures (0), tokens, injection and auditor figures, the soak's memory slope per process
(flat) and its latency. A part no suite recorded is listed as not run (✘); a part that
tried nothing proves nothing (✘). The command exits non-zero when any check is ✘ or the
pytest run failed, so the report cannot pass quietly.

``--no-tests`` only re-renders: from ``--figures DIR``, else ``EMU_FIGURES_DIR`` if set,
else whichever of ``bench/results/reliability-*/`` and ``bench/results/reliability/`` (where
the suites record when run by themselves) holds the newest figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import supply
from bench.__main__ import RESULTS
from tests.support import figures as recorded

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SUITES = ("tests/reliability", "tests/integration/test_gateway_properties.py",
          "tests/integration/test_gateway_grpc.py", "tests/integration/test_gateway_grpc_fuzz.py")
# The random runs, bigger than in `make test` and under a seed recorded with the figures:
# about 23,000 HTTP requests (150 operations, 60 positive examples for each of two logins and
# 30 negative ones) and 15 gRPC calls per method (over 2,000).
FUZZ = {"EMU_FUZZ_HTTP_EXAMPLES": "60", "EMU_FUZZ_GRPC_PER_METHOD": "15"}
RUN_FILE = "pytest-run.json"  # beside the suites' folders in a figures directory
OK, NOT_OK = "✔", "✘"


# --- what each recorded part must show -----------------------------------------------------

@dataclass
class Check:
    """One figure of one part and what it must be: ``zero`` (must be 0), ``positive`` (the
    part must have tried something), ``equals`` (another figure of the part, or a sum), or
    none (shown for what it says)."""

    label: str
    figure: str
    must: str = ""  # "zero" | "positive" | "equals:<figure>" | ""
    optional: bool = False  # judged when recorded; a suite that does not count it is not failed

    def judge(self, part: dict[str, Any]) -> tuple[Any, str, str]:
        """The figure's value, what it must be (as text) and the mark ("" for none)."""
        value = part.get(self.figure)
        if self.must == "" or (value is None and self.optional):
            return value, self.must_text(part) if self.must else "", ""
        if value is None:
            return "missing", self.must_text(part), NOT_OK
        number = total(value)
        if self.must == "zero":
            return value, "0", OK if number == 0 else NOT_OK
        if self.must == "positive":
            return value, "> 0", OK if number > 0 else NOT_OK
        other = self.must.split(":", 1)[1]
        if part.get(other) is None and self.optional:
            return value, "", ""
        wanted = total(part.get(other))
        return value, f"{wanted} ({other.replace('_', ' ')})", OK if number == wanted else NOT_OK

    def must_text(self, part: dict[str, Any]) -> str:
        if self.must.startswith("equals:"):
            return self.must.split(":", 1)[1].replace("_", " ")
        return {"zero": "0", "positive": "> 0"}.get(self.must, "")


def total(value: Any) -> int:
    """A count, the sum of a count per kind (``{kind: count}``), or how many a list names."""
    if isinstance(value, dict):
        return sum(total(v) for v in value.values())
    if isinstance(value, list):
        return len(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return -1  # not a number: never equal to what it must be
    return int(value)


@dataclass
class Part:
    suite: str
    part: str
    title: str
    checks: list[Check] = field(default_factory=list)


PARTS = [
    Part("faults", "ledger", "Faults injected while commands flow", [
        Check("faults injected (by kind)", "faults_injected", "positive"),
        Check("faults survived", "faults_survived", "equals:faults_injected"),
        Check("processes that died unexpectedly", "unexpected_deaths", "zero", optional=True),
        Check("commands sent", "commands_sent"),
        Check("commands acknowledged", "commands_acknowledged", "positive"),
        Check("commands refused (4xx, not applied)", "commands_refused"),
        Check("answers lost but the command applied (REQUEST_ALREADY_APPLIED)",
              "answers_lost_but_applied"),
        Check("commands lost", "commands_lost", "zero"),
        Check("duplicates", "duplicates", "zero"),
        Check("read models checked against a rebuild", "read_models_checked", "positive"),
        Check("read-model mismatches with the rebuild", "read_model_mismatches", "zero"),
        Check("hash chains broken", "chains_broken", "zero", optional=True)]),
    Part("faults", "cluster", "Broker nodes killed under quorum queues (three-node cluster)", [
        Check("broker nodes killed", "nodes_killed", "positive"),
        Check("nodes back and the system answering", "nodes_recovered", "equals:nodes_killed"),
        Check("commands acknowledged", "commands_acknowledged", "positive"),
        Check("commands lost", "commands_lost", "zero"),
        Check("duplicates", "duplicates", "zero"),
        Check("read-model mismatches with the rebuild", "read_model_mismatches", "zero")]),
    Part("bad-input", "http", "Bad input: HTTP API", [
        Check("requests tried", "tried", "positive"),
        Check("answered 5xx", "server_errors", "zero"),
        Check("answers outside the OpenAPI document", "schema_violations", "zero"),
        Check("examples per operation and login; seed (none: derandomized)", "examples",
              optional=True),
        Check("seed (EMU_FUZZ_SEED makes the run again)", "seed", optional=True)]),
    Part("bad-input", "grpc", "Bad input: gRPC API", [
        Check("calls tried", "tried", "positive"),
        Check("answered INTERNAL / UNKNOWN", "server_errors", "zero")]),
    Part("bad-input", "grpc-random", "Random gRPC calls to every method (seeded)", [
        Check("calls tried", "tried", "positive"),
        Check("answered INTERNAL / UNKNOWN / no answer", "server_errors", "zero"),
        Check("answers by status", "statuses"),
        Check("seed (EMU_FUZZ_SEED makes the run again)", "seed")]),
    Part("bad-input", "bus", "Bad input: messages on the bus", [
        Check("messages tried", "tried", "positive"),
        Check("deliveries (with redeliveries)", "deliveries"),
        Check("parked", "parked", "equals:deliveries", optional=True),
        Check("consumer crashes", "consumer_crashes", "zero"),
        Check("forged events applied", "forged_applied", "zero", optional=True)]),
    Part("bad-input", "import", "Bad input: registry import files", [
        Check("files tried", "files", "positive"),
        Check("rows rejected", "rows_rejected"),
        Check("files half imported", "half_imported", "zero")]),
    Part("security", "matrix", "Authority matrix (role × scope × operation)", [
        Check("cases", "cases", "positive"),
        Check("failures", "failures", "zero")]),
    Part("security", "tokens", "Forged, expired and altered tokens", [
        Check("tokens tried", "tried", "positive"),
        Check("accepted wrongly", "accepted_wrongly", "zero"),
        Check("anything stored meanwhile", "stored", "zero", optional=True)]),
    Part("security", "injection", "Injection (SQL, markup, path) in every text field", [
        Check("inputs tried", "tried", "positive"),
        Check("accepted (and read back as sent)", "accepted"),
        Check("answered 5xx", "server_errors", "zero"),
        Check("refused without a stable code", "unstable_codes", "zero", optional=True),
        Check("stored other than sent", "stored_wrongly", "zero")]),
    Part("supply-chain", "bandit", "Static analysis of the code (bandit)", [
        Check("files scanned", "files", "positive"),
        Check("findings of medium or high severity (each listed in the figures)", "serious",
              "zero"),
        Check("low-severity findings (assert, subprocess with fixed arguments)", "low"),
        Check("findings judged safe on their line (# nosec, with the reason)",
              "justified_inline")]),
    Part("supply-chain", "pip-audit", "Known vulnerabilities of the pinned packages (pip-audit)", [
        Check("packages in requirements.lock", "packages", "positive"),
        Check("packages audited", "audited", "equals:packages"),
        Check("known vulnerabilities not justified", "vulnerable", "zero"),
        Check("known vulnerabilities justified (bench/supply.py JUSTIFIED)", "justified",
              optional=True)]),
    Part("security", "auditor", "An auditor cannot change anything", [
        Check("commands tried", "commands_tried", "positive"),
        Check("not refused", "not_refused", "zero", optional=True),
        Check("records changed", "changed", "zero")]),
]


# --- reading what was recorded -------------------------------------------------------------

def latest(pattern: str, base: Path = RESULTS) -> Path | None:
    """The newest match by name (names carry a UTC time stamp, so name order is time order)."""
    found = sorted(p for p in base.glob(pattern) if not p.name.startswith("logs-"))
    return found[-1] if found else None


def newest_figures() -> Path | None:
    """Of the figures directories of ``make reliability`` runs (``reliability-<stamp>``) and
    the one the suites write to when run by themselves (``reliability``, e.g. by ``make
    test``), the one holding the most recently recorded figures."""
    def recorded_at(directory: Path) -> float:
        return max((p.stat().st_mtime for p in directory.glob("*/*.json")), default=0.0)

    candidates = [p for p in RESULTS.glob("reliability*") if p.is_dir() and recorded_at(p)]
    return max(candidates, key=recorded_at, default=None)


def load_figures(directory: Path) -> dict[tuple[str, str], dict[str, Any]]:
    previous = os.environ.get("EMU_FIGURES_DIR")
    os.environ["EMU_FIGURES_DIR"] = str(directory)
    try:
        return {(d["suite"], d["part"]): d for d in recorded.load()}
    finally:
        if previous is None:
            del os.environ["EMU_FIGURES_DIR"]
        else:
            os.environ["EMU_FIGURES_DIR"] = previous


def run_suites(directory: Path) -> dict[str, Any]:
    """pytest over the suites that exist, recording into ``directory``; what ran and how it
    ended is kept in ``directory/pytest-run.json`` for a later ``--no-tests``."""
    paths = [p for p in SUITES if (ROOT / p).is_file() or any((ROOT / p).glob("test_*.py"))]
    directory.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {"paths": paths, "missing_paths": [p for p in SUITES if p not in paths]}
    if not paths:
        run.update(returncode=None, outcome="no suite exists yet", seconds=0)
    else:
        command = [sys.executable, "-m", "pytest", "-q", *paths]
        began = time.monotonic()
        log = directory / "pytest.log"
        fuzz = {**FUZZ, "EMU_FUZZ_SEED": os.environ.get("EMU_FUZZ_SEED")
                or str(random.SystemRandom().randrange(1, 2**31))}
        run["fuzz"] = fuzz
        with open(log, "wb") as out:
            done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, **fuzz, "EMU_FIGURES_DIR": str(directory)})
        lines = log.read_text("utf-8", "replace").strip().splitlines()
        run.update(command=" ".join(["python", *command[1:]]), returncode=done.returncode,
                   seconds=round(time.monotonic() - began),
                   outcome=lines[-1].strip("= ") if lines else "no output", log=str(log))
    (directory / RUN_FILE).write_text(json.dumps(run, indent=2), "utf-8")
    return run


def pytest_failed(run: dict[str, Any] | None) -> bool:
    """A run that ended other than 0; none at all is not a failure of pytest (the parts it
    would have recorded are marked not run)."""
    return run is not None and run.get("returncode") not in (0, None)


# --- the report ----------------------------------------------------------------------------

def show(value: Any) -> str:
    if isinstance(value, dict):
        if all(isinstance(v, int | float) for v in value.values()):
            return ", ".join(f"{k} {v}" for k, v in sorted(value.items())) + \
                f" (total {total(value)})"
        return "; ".join(f"{k}: {show(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list):
        short = all(isinstance(v, str | int | float) for v in value) and len(value) <= 5
        if not value:
            return "none"
        return ", ".join(map(str, value)) if short else f"{len(value)} listed"
    return "—" if value is None else str(value)


def soak_section(soak: dict[str, Any] | None, chart: str | None,
                 marks: list[tuple[str, str]]) -> list[str]:
    lines = ["## Soak: memory and latency at a steady rate", ""]
    if soak is None:
        marks.append(("soak", NOT_OK))
        return [*lines, f"{NOT_OK} **not run**: no `bench/results/soak-*.json` (run `make soak`).", ""]
    f, s = soak["figures"], soak["settings"]
    from bench.soak import CLIENT, FLAT_GROWTH_PCT, FLAT_MB_PER_MIN, HELD_SHARE, last_half_slope
    lines += [f"`make soak` on {soak['when']} (revision {soak.get('revision', '?')}), "
              f"{s['minutes']:g} minutes at {s['rate']:g} requests/s asked "
              f"({f['commands']} of {f['requests']} requests commands), every service, relay and "
              "the gateway as processes on PostgreSQL and RabbitMQ.", "",
              "| figure | value | must be | |", "|---|---|---|---|"]

    def row(label: str, value: Any, must: str, good: bool | None) -> None:
        mark = "" if good is None else OK if good else NOT_OK
        if mark:
            marks.append((f"soak: {label}", mark))
        lines.append(f"| {label} | {value} | {must} | {mark} |")

    row("rate held (requests/s)", f"{f['rate_held_per_s']:.2f}",
        f"≥ {HELD_SHARE:.0%} of {f['rate_asked_per_s']:g}", bool(f["rate_held"]))
    row("requests not sent by 1.1 × the duration", f.get("unsent", 0), "0", not f.get("unsent"))
    row(f"requests sent over 1 s after due (of {f['requests']}; {s['threads']} client threads)",
        f"{f['late_requests']} (latest {f['max_late_s']:.0f} s)", "", None)
    row("requests not answered 200", f["errors"], "0", f["errors"] == 0)
    row("processes that exited", len(f.get("processes_exited") or {}), "0",
        not f.get("processes_exited"))
    row("latency p50 / p99 (ms)", f"{f['p50_ms']} / {f['p99_ms']}", "", None)
    if f.get("machine_busy_pct") is not None:
        row("machine CPU busy: all / the system's processes (% of all cores)",
            f"{f['machine_busy_pct']} / {f['ours_pct']}", "", None)
    if f.get("machine_busy_pct") is not None:
        lines += ["", f"The machine's cores were {f['machine_busy_pct']:.0f} % busy on average "
                  f"after the warm-up; the system's own processes (services, relays, gateway, "
                  f"client) used {f['ours_pct']:.0f} % of them, PostgreSQL, RabbitMQ and "
                  "everything else on the machine the rest. Latency and the rate held are "
                  "those of the system on that share of the machine."]
    lines += ["", f"Memory per process: the RSS slope is the least-squares line after a warm-up of "
              f"{f['warm_up_s']:.0f} s; flat means under {FLAT_MB_PER_MIN:g} MB/min and under "
              f"{FLAT_GROWTH_PCT:g} % growth over the run (the verdict); the slope over the last half "
              "of the run is shown beside it, to tell a step up at a load peak that then holds "
              "(a high-water mark) from memory that keeps growing.", "",
              "| process | RSS first → last sample MB | fitted start → end MB | slope MB/min "
              "| growth % | last half: slope MB/min | mean CPU % | flat |",
              "|---|---|---|---|---|---|---|---|"]
    for name, p in sorted(f["processes"].items()):
        if name == CLIENT:
            continue
        flat = p.get("flat")
        mark = NOT_OK if flat is not True else OK
        marks.append((f"soak: {name} memory flat", mark))
        fitted = "—" if p.get("start_mb") is None else f"{p['start_mb']} → {p['end_mb']}"
        half = p.get("last_half_slope_mb_per_min")
        if half is None and soak.get("samples"):  # a result written before this figure existed
            points = [(x["t"], x["rss_mb"][name]) for x in soak["samples"] if name in x["rss_mb"]]
            half = last_half_slope(points, f["warm_up_s"])
        lines.append(f"| {name} | {show(p.get('rss_first_mb'))} → {show(p.get('rss_last_mb'))} | "
                     f"{fitted} | {show(p.get('slope_mb_per_min'))} | {show(p.get('growth_pct'))} | "
                     f"{show(half)} | {show(p.get('cpu_mean_pct'))} | {mark} |")
    if chart:
        lines += ["", f"![soak: memory per process and latency over time]({chart})"]
    return [*lines, ""]


def render(figures: dict[tuple[str, str], dict[str, Any]], run: dict[str, Any] | None,
           soak: dict[str, Any] | None, chart: str | None, source: str,
           machine: str, revision: str) -> tuple[str, list[str]]:
    """The report, and what is ✘ in it (empty: every check holds)."""
    marks: list[tuple[str, str]] = []
    body: list[str] = []
    summary: list[str] = []
    for spec in PARTS:
        part = figures.get((spec.suite, spec.part))
        body += [f"### {spec.title} (`{spec.suite}/{spec.part}`)", ""]
        if part is None:
            marks.append((f"{spec.suite}/{spec.part}", NOT_OK))
            body += [f"{NOT_OK} **not run**: no figures recorded.", ""]
            summary.append(f"| {spec.title} | not run | | {NOT_OK} |")
            continue
        body += ["| figure | value | must be | |", "|---|---|---|---|"]
        part_marks = []
        for check in spec.checks:
            value, must, mark = check.judge(part)
            if mark:
                part_marks.append(mark)
                marks.append((f"{spec.suite}/{spec.part}: {check.label}", mark))
            body.append(f"| {check.label} | {show(value)} | {must} | {mark} |")
        known = {c.figure for c in spec.checks} | {"suite", "part", "at", "revision"}
        extra = {k: v for k, v in part.items() if k not in known}
        if extra:
            body.append(f"| other figures | {show(extra)} | | |")
        body += ["", f"Recorded {part.get('at', '?')} at revision {part.get('revision', '?')}.", ""]
        headline = ", ".join(f"{c.label} {show(part.get(c.figure))}" for c in spec.checks
                             if c.must in ("zero", "positive"))
        summary.append(f"| {spec.title} | {headline} | | "
                       f"{NOT_OK if NOT_OK in part_marks else OK} |")
    for key in sorted(set(figures) - {(p.suite, p.part) for p in PARTS}):
        part = figures[key]
        extra = {k: v for k, v in part.items() if k not in ("suite", "part", "at", "revision")}
        body += [f"### `{key[0]}/{key[1]}` (no checks defined)", "", show(extra), ""]
    soak_lines = soak_section(soak, chart, marks)
    if soak is not None:
        f = soak["figures"]
        slopes = ", ".join(f"{n} {p['slope_mb_per_min']}" for n, p in sorted(f["processes"].items())
                           if n != "client" and p.get("slope_mb_per_min") is not None)
        soak_ok = not any(label.startswith("soak") and m == NOT_OK for label, m in marks)
        summary.append(f"| Soak, {soak['settings']['minutes']:g} min at {f['rate_held_per_s']:.1f}/s "
                       f"| errors {f['errors']}, p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms; "
                       f"RSS slope MB/min: {slopes} | | {OK if soak_ok else NOT_OK} |")
    else:
        summary.append(f"| Soak | not run | | {NOT_OK} |")
    failed = [label for label, mark in marks if mark == NOT_OK]
    if pytest_failed(run):
        failed.insert(0, f"the pytest run failed ({run and run.get('outcome')})")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if run is None:
        ran = "the suites were not run for this report (figures re-rendered)"
    elif not run.get("paths"):
        ran = "no suite exists yet"
    else:
        mark = NOT_OK if pytest_failed(run) else OK
        ran = (f"`{run.get('command')}` — {run.get('outcome')} in {run.get('seconds')} s {mark}")
        if run.get("missing_paths"):
            ran += f"; not present: {', '.join(run['missing_paths'])}"
    head = [
        "# Reliability report (issue 10)",
        "",
        "Regenerated by `make reliability` (`python -m bench.reliability`; `--no-tests` re-renders "
        "the latest figures, `--soak MINUTES` runs a soak first). Do not edit by hand.",
        "",
        f"- date: {when}; revision: {revision}",
        f"- machine: {machine}",
        f"- suites: {ran}",
        f"- figures: `{source}`",
        f"- verdict: **{'every check holds' if not failed else f'{len(failed)} checks fail'}** "
        f"{OK if not failed else NOT_OK}",
        "",
        "## Summary",
        "",
        "| what | figures | | |",
        "|---|---|---|---|",
        *summary,
        "",
    ]
    if failed:
        head += ["Failing:", "", *[f"- {NOT_OK} {label}" for label in failed], ""]
    text = "\n".join([*head, "## The suites' figures", "", *body, *soak_lines]).rstrip() + "\n"
    return text, failed


def machine() -> str:
    from bench.gateway import machine as described
    return described()


def revision() -> str:
    from bench.soak import revision as described
    return described()


def main(argv: Sequence[str] | None = None, exit_with: Callable[[str], Any] = sys.exit) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tests", action="store_true",
                        help="do not run the suites: re-render from the latest figures")
    parser.add_argument("--figures", type=Path, help="the figures directory to render")
    parser.add_argument("--soak", type=float, metavar="MINUTES", help="run a soak of MINUTES first")
    parser.add_argument("--soak-rate", type=float, default=20.0, help="the soak's requests/s")
    parser.add_argument("--soak-json", type=Path, help="the soak result to report (default: latest)")
    parser.add_argument("--out", type=Path, default=DOCS / "reliability.md", help="the report")
    args = parser.parse_args(argv)
    if args.soak:
        from bench import soak as soaking
        _results, just_run = soaking.run(args.soak, args.soak_rate)
        args.soak_json = args.soak_json or just_run
    run: dict[str, Any] | None = None
    directory: Path | None
    if args.no_tests:
        env = os.environ.get("EMU_FIGURES_DIR")
        directory = args.figures or (Path(env) if env else newest_figures())
        if directory is not None and (directory / RUN_FILE).exists():
            run = json.loads((directory / RUN_FILE).read_text("utf-8"))
    else:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        directory = args.figures or RESULTS / f"reliability-{stamp}"
        print(f"running the suites, figures into {directory} …", flush=True)
        run = run_suites(directory)
        print(f"pytest: {run.get('outcome')} ({run.get('seconds')} s)", flush=True)
        print("supply chain: bandit and pip-audit …", flush=True)
        supply.run(directory)
    figures = load_figures(directory) if directory is not None else {}
    soak_path: Path | None = args.soak_json or latest("soak-*.json")
    soak = json.loads(soak_path.read_text("utf-8")) if soak_path else None
    chart = None
    if soak_path is not None and soak_path.with_suffix(".png").exists():
        images = args.out.parent / "reliability"
        images.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(soak_path.with_suffix(".png"), images / "soak.png")
        chart = f"{images.name}/soak.png"
    text, failed = render(figures, run, soak, chart, relative(directory) if directory else "none",
                          machine(), revision())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(text)
    print(f"written to {args.out}")
    if failed:
        exit_with(f"{len(failed)} checks fail: " + "; ".join(failed))


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    main()
