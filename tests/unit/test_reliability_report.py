"""The reliability report (``bench.reliability``, issue 10) states the figures the suites
recorded and fails when one that must be zero is not, when a part was not run, or when the
soak's memory grows; and the soak's slope tells a growing process from a flat one."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from bench import reliability
from bench.soak import Outcome, figures, last_half_slope, rss_trend
from tests.support.figures import record

GOOD: dict[tuple[str, str], dict[str, Any]] = {
    ("faults", "ledger"): {"faults_injected": {"kill_service": 3, "kill_relay": 2, "broker_restart": 1},
                           "faults_survived": 6, "commands_acknowledged": 480, "commands_lost": 0,
                           "duplicates": 0, "read_models_checked": 7, "read_model_mismatches": 0,
                           "chains_broken": 0, "unexpected_deaths": [],
                           "faults": [{"kind": "kill_service", "at": 12.5}] * 6},
    ("faults", "cluster"): {"nodes_killed": 3, "nodes_recovered": 3, "commands_acknowledged": 690,
                            "commands_lost": 0, "duplicates": 0, "read_model_mismatches": 0},
    ("bad-input", "http"): {"tried": 1500, "server_errors": 0, "schema_violations": 0},
    ("bad-input", "grpc"): {"tried": 300, "server_errors": 0},
    ("bad-input", "grpc-random"): {"tried": 2250, "server_errors": 0, "seed": 7,
                                   "statuses": {"INVALID_ARGUMENT": 2000, "OK": 250}},
    ("bad-input", "bus"): {"tried": 40, "deliveries": 44, "parked": 44, "consumer_crashes": 0,
                           "forged_applied": 0},
    ("bad-input", "import"): {"files": 12, "rows_rejected": 12, "half_imported": 0},
    ("security", "matrix"): {"cases": 2304, "failures": 0},
    ("security", "tokens"): {"tried": 9, "accepted_wrongly": 0, "stored": 0},
    ("security", "injection"): {"tried": 120, "server_errors": 0, "stored_wrongly": 0},
    ("security", "auditor"): {"commands_tried": 95, "changed": 0},
    ("supply-chain", "bandit"): {"files": 104, "serious": [], "low": ["runtime/x.py:1 B101"],
                                 "justified_inline": 2},
    ("supply-chain", "pip-audit"): {"packages": 118, "audited": 118, "not_audited": [],
                                    "vulnerable": [], "justified": []},
}


def soak_result(growing: str | None = None) -> dict[str, Any]:
    """A 10-minute soak at 20/s through ``bench.soak.figures``: every process flat, or one
    (``growing``) gaining 3 MB a minute."""
    outcomes = [Outcome(i / 20, i / 20, 0.05, "raise-idea", "200") for i in range(12_000)]
    samples = []
    for step in range(121):
        t = step * 5.0
        rss = {name: 80.0 + 0.3 * math.sin(step) for name in ("gateway", "initiatives", "registry")}
        if growing:
            rss[growing] = 80.0 + 3.0 * t / 60
        samples.append({"t": t, "rss_mb": rss, "cpu_pct": dict.fromkeys(rss, 5.0)})
    return {"when": "2026-06-30 05:00 UTC", "revision": "abc1234",
            "settings": {"minutes": 10, "rate": 20, "threads": 16, "interval_s": 5, "window_s": 30},
            "figures": {**figures(outcomes, samples, 600.0, 20.0, 30.0), "processes_exited": {}}}


def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          parts: dict[tuple[str, str], dict[str, Any]], soak: dict[str, Any]) -> list[str]:
    """The figures recorded as the suites record them, the soak as bench.soak writes it; the
    command line of a re-render into ``tmp_path``."""
    monkeypatch.setenv("EMU_FIGURES_DIR", str(tmp_path / "figures"))
    for (suite, part), values in parts.items():
        record(suite, part, **values)
    (tmp_path / "soak.json").write_text(json.dumps(soak), "utf-8")
    return ["--no-tests", "--soak-json", str(tmp_path / "soak.json"),
            "--out", str(tmp_path / "docs" / "reliability.md")]


def test_every_figure_is_stated_and_a_clean_run_passes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    argv = write(tmp_path, monkeypatch, GOOD, soak_result())
    reliability.main(argv)  # no SystemExit: every check holds
    text = (tmp_path / "docs" / "reliability.md").read_text("utf-8")
    assert "every check holds" in text and "✘" not in text
    assert "| commands lost | 0 | 0 | ✔ |" in text
    assert "| faults survived | 6 | 6 (faults injected) | ✔ |" in text
    assert "broker_restart 1, kill_relay 2, kill_service 3 (total 6)" in text
    assert "| requests tried | 1500 | > 0 | ✔ |" in text
    assert "| cases | 2304 | > 0 | ✔ |" in text
    assert "| records changed | 0 | 0 | ✔ |" in text
    assert "| gateway | " in text and "20.00" in text


def test_a_lost_command_is_marked_and_the_command_exits_non_zero(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lost = {**GOOD, ("faults", "ledger"): {**GOOD[("faults", "ledger")], "commands_lost": 2}}
    argv = write(tmp_path, monkeypatch, lost, soak_result())
    with pytest.raises(SystemExit) as exit_:
        reliability.main(argv)
    assert exit_.value.code not in (0, None)
    assert "commands lost" in str(exit_.value.code)
    text = (tmp_path / "docs" / "reliability.md").read_text("utf-8")
    assert "| commands lost | 2 | 0 | ✘ |" in text
    assert "1 checks fail" in text


def test_a_fault_not_survived_a_death_a_5xx_or_a_message_not_parked_fails_too(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    parts = {**GOOD, ("faults", "ledger"): {**GOOD[("faults", "ledger")], "faults_survived": 5,
                                            "unexpected_deaths": ["awards-relay"]},
             ("bad-input", "grpc"): {"tried": 300, "server_errors": 1},
             ("bad-input", "bus"): {**GOOD[("bad-input", "bus")], "parked": 43}}
    argv = write(tmp_path, monkeypatch, parts, soak_result())
    with pytest.raises(SystemExit):
        reliability.main(argv)
    text = (tmp_path / "docs" / "reliability.md").read_text("utf-8")
    assert "| faults survived | 5 | 6 (faults injected) | ✘ |" in text
    assert "| processes that died unexpectedly | awards-relay | 0 | ✘ |" in text
    assert "| answered INTERNAL / UNKNOWN | 1 | 0 | ✘ |" in text
    assert "| parked | 43 | 44 (deliveries) | ✘ |" in text
    assert "4 checks fail" in text


def test_missing_parts_are_not_run_and_nothing_tried_proves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = {("bad-input", "http"): {"tried": 0, "server_errors": 0, "schema_violations": 0}}
    argv = write(tmp_path, monkeypatch, parts, soak_result())
    with pytest.raises(SystemExit):
        reliability.main(argv)
    text = (tmp_path / "docs" / "reliability.md").read_text("utf-8")
    assert "| requests tried | 0 | > 0 | ✘ |" in text
    assert text.count("**not run**") == len(reliability.PARTS) - 1
    assert "| Authority matrix (role × scope × operation) | not run | | ✘ |" in text


def test_a_growing_process_in_the_soak_fails_the_report(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    argv = write(tmp_path, monkeypatch, GOOD, soak_result(growing="gateway"))
    with pytest.raises(SystemExit) as exit_:
        reliability.main(argv)
    assert "soak: gateway memory flat" in str(exit_.value.code)
    text = (tmp_path / "docs" / "reliability.md").read_text("utf-8")
    gateway = next(line for line in text.splitlines() if line.startswith("| gateway |"))
    assert gateway.endswith("| ✘ |") and "| 3.0 |" in gateway


def test_a_failed_pytest_run_fails_the_report(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    argv = write(tmp_path, monkeypatch, GOOD, soak_result())
    (tmp_path / "figures" / reliability.RUN_FILE).write_text(json.dumps(
        {"paths": ["tests/reliability"], "command": "python -m pytest -q tests/reliability",
         "returncode": 1, "outcome": "1 failed, 20 passed in 300s", "seconds": 300}), "utf-8")
    with pytest.raises(SystemExit) as exit_:
        reliability.main(argv)
    assert "the pytest run failed" in str(exit_.value.code)


def test_the_slope_flags_a_growing_series_and_not_a_flat_one() -> None:
    times = [5.0 * i for i in range(121)]  # 10 minutes, a sample every 5 s
    flat = [100 + 0.5 * math.sin(i) + (8 if i < 6 else 0) for i in range(121)]  # a warm-up bump
    creeping = [100 + 2.0 * t / 60 for t in times]  # 2 MB a minute
    slow = [100 + 0.6 * t / 60 for t in times]  # under 1 MB/min, but 5.4 % over 9 minutes
    slower = [100 + 0.3 * t / 60 for t in times]  # 0.3 MB/min: 2.7 %
    assert rss_trend(times, flat, 60)["flat"] is True
    grows = rss_trend(times, creeping, 60)
    assert grows["flat"] is False and grows["slope_mb_per_min"] == pytest.approx(2.0)
    assert grows["growth_pct"] == pytest.approx(100 * 18 / 102, rel=1e-3)
    assert rss_trend(times, slow, 60)["flat"] is False
    assert rss_trend(times, slower, 60)["flat"] is True
    # the warm-up is left out: a process that fills its caches in the first minute and then
    # holds is flat after it, and would not be judged from its start
    filling = [70 + min(t, 60) / 2 for t in times]
    assert rss_trend(times, filling, 0)["flat"] is False
    assert rss_trend(times, filling, 60)["flat"] is True
    assert rss_trend(times[:2], flat[:2], 0)["flat"] is None  # too few samples to say
    # a step up at a load peak in minute 3, then holding: growing over the run (the verdict),
    # flat over its last half (shown beside it); a creeping series is not flat in either
    stepped = [(t, 180.0 if t < 180 else 208.0) for t in times]
    assert rss_trend(times, [m for _, m in stepped], 60)["flat"] is False
    assert last_half_slope(stepped, 60) == pytest.approx(0.0)
    assert last_half_slope(list(zip(times, creeping, strict=True)), 60) == pytest.approx(2.0)
