"""The supply-chain figures of ``make reliability`` (``bench.supply``): what fails the report
and what is only listed (R5.2: the door people walk through is kept secure)."""

from __future__ import annotations

from typing import Any

import pytest

from bench import reliability, supply


def _finding(severity: str, line: int) -> dict[str, Any]:
    return {"filename": "runtime/x.py", "line_number": line, "test_id": "B000",
            "issue_text": "something", "issue_severity": severity}


def test_r5_2_a_medium_or_high_finding_fails_and_a_low_one_is_listed() -> None:
    report = {"results": [_finding("LOW", 1), _finding("MEDIUM", 2), _finding("HIGH", 3)],
              "metrics": {"_totals": {"loc": 10, "nosec": 1}, "runtime/x.py": {}},
              "errors": []}
    found = supply.bandit_figures(report)
    assert found["serious"] == ["runtime/x.py:2 B000 something", "runtime/x.py:3 B000 something"]
    assert found["low"] == ["runtime/x.py:1 B000 something"]
    assert (found["files"], found["justified_inline"]) == (1, 1)
    part = next(p for p in reliability.PARTS if p.part == "bandit")
    marks = {check.figure: check.judge(found)[2] for check in part.checks}
    assert marks["serious"] == reliability.NOT_OK and marks["files"] == reliability.OK


def test_r5_2_a_package_not_audited_or_vulnerable_fails_unless_justified(
        monkeypatch: pytest.MonkeyPatch) -> None:
    report = {"dependencies": [
        {"name": "a", "version": "1", "vulns": []},
        {"name": "b", "skip_reason": "Dependency not found on PyPI"},
        {"name": "c", "version": "2", "vulns": [{"id": "PYSEC-1"}, {"id": "GHSA-2"}]}]}
    monkeypatch.setattr(supply, "JUSTIFIED", {"GHSA-2": "not reachable from our code"})
    found = supply.pip_audit_figures(report)
    assert (found["packages"], found["audited"]) == (3, 2)
    assert found["not_audited"] == ["b: Dependency not found on PyPI"]
    assert (found["vulnerable"], found["justified"]) == (["c 2 PYSEC-1"], ["c 2 GHSA-2"])
    part = next(p for p in reliability.PARTS if p.part == "pip-audit")
    marks = {check.figure: check.judge(found)[2] for check in part.checks}
    assert marks["audited"] == marks["vulnerable"] == reliability.NOT_OK
    clean = supply.pip_audit_figures({"dependencies": [{"name": "a", "version": "1", "vulns": []}]})
    assert {check.figure: check.judge(clean)[2] for check in part.checks}["audited"] == reliability.OK
