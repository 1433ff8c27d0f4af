"""Figures the reliability suites record as they run, for the report ``bench.reliability``
writes (faults injected and survived, commands lost, duplicates, bad inputs tried and the
5xx among them, the authority matrix's size and failures).

A test calls ``record(suite, part, **figures)`` once it has its counts; each call writes one
JSON file ``<suite>/<part>.json`` under ``EMU_FIGURES_DIR`` (``bench/results/reliability`` by
default), so a run of the suites leaves exactly the figures of that run. Recording is a side
effect for the report only: the tests assert on the same counts themselves.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def figures_dir() -> Path:
    return Path(os.environ.get("EMU_FIGURES_DIR") or ROOT / "bench" / "results" / "reliability")


def _revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def record(suite: str, part: str, **figures: Any) -> Path:
    path = figures_dir() / suite / f"{part}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"suite": suite, "part": part, "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "revision": _revision(), **figures}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


def load(suite: str | None = None) -> list[dict[str, Any]]:
    """Every recorded part (of one suite, or all), in name order."""
    base = figures_dir()
    pattern = f"{suite}/*.json" if suite else "*/*.json"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(base.glob(pattern))]
