"""The supply chain, for ``make reliability``: bandit over the project's own code and pip-audit
over the pinned packages (``requirements.lock``), each recorded as figures for the report
(``bench.reliability``).

Both tools live in an environment of their own (``.venv-audit``, from
``requirements-audit.lock``), so neither is installed where the services run.

- bandit: a finding of medium or high severity fails the report unless its line says why it
  is safe (``# nosec B310: <reason>``, which bandit then skips and counts); low-severity
  findings (``assert`` used, ``subprocess`` with a fixed argument list) are listed, not failed.
- pip-audit: every pinned package must be audited (a package the vulnerability service does
  not know is "not audited" and fails the report: a check that could not run is not a pass),
  and a known vulnerability fails it unless it is named in ``JUSTIFIED`` with the reason.

Run alone: ``python -m bench.supply [--figures DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support import figures as recorded

ROOT = Path(__file__).resolve().parents[1]
AUDIT_BIN = ROOT / ".venv-audit" / "bin"
CODE = ("runtime", "services", "gateway", "contracts", "demo", "deploy")
EXCLUDED = ("gateway/grpc_generated",)  # written by grpcio-tools, not by us
SERIOUS = frozenset({"MEDIUM", "HIGH"})
# Known vulnerabilities accepted for now, each with the reason: {"PYSEC-…": "why"}.
JUSTIFIED: dict[str, str] = {}


def bandit_figures(report: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a bandit JSON report: findings by severity, the serious ones listed."""
    results = report.get("results", [])
    severities = Counter(str(r["issue_severity"]).upper() for r in results)

    def where(r: Mapping[str, Any]) -> str:
        return f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
    totals = report.get("metrics", {}).get("_totals", {})
    return {"files": len([k for k in report.get("metrics", {}) if k != "_totals"]),
            "lines": totals.get("loc", 0),
            "by_severity": dict(sorted(severities.items())),
            "serious": [where(r) for r in results if str(r["issue_severity"]).upper() in SERIOUS],
            "low": [where(r) for r in results if str(r["issue_severity"]).upper() not in SERIOUS],
            "justified_inline": totals.get("nosec", 0),
            "errors": [e.get("filename", "") for e in report.get("errors", [])]}


def pip_audit_figures(report: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a pip-audit JSON report: what was audited, what could not be, and every
    known vulnerability not justified in ``JUSTIFIED``."""
    dependencies = report.get("dependencies", [])
    skipped = [f"{d['name']}: {d['skip_reason']}" for d in dependencies if d.get("skip_reason")]
    vulnerable: list[str] = []
    justified: list[str] = []
    for dependency in dependencies:
        for vulnerability in dependency.get("vulns", []):
            named = f"{dependency['name']} {dependency.get('version', '')} {vulnerability['id']}"
            (justified if vulnerability["id"] in JUSTIFIED else vulnerable).append(named)
    return {"packages": len(dependencies), "audited": len(dependencies) - len(skipped),
            "not_audited": skipped, "vulnerable": vulnerable, "justified": justified}


def _tool(name: str, *args: str, timeout: float = 600) -> tuple[dict[str, Any] | None, str]:
    """Runs one of the tools; its JSON report, or None and why there is none."""
    binary = AUDIT_BIN / name
    if not binary.exists():
        return None, f"{binary} is missing: `make reliability` installs it"
    try:
        done = subprocess.run([str(binary), *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"{name} ran past {timeout:.0f} s"
    try:
        return json.loads(done.stdout), ""
    except json.JSONDecodeError:
        return None, (done.stderr or done.stdout).strip()[-500:] or f"{name} wrote no report"


def run(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """Runs both checks and records their figures (into ``directory`` if given)."""
    previous = os.environ.get("EMU_FIGURES_DIR")
    if directory is not None:
        os.environ["EMU_FIGURES_DIR"] = str(directory)
    try:
        return {"bandit": _bandit(), "pip-audit": _pip_audit()}
    finally:
        if previous is None:
            os.environ.pop("EMU_FIGURES_DIR", None)
        else:
            os.environ["EMU_FIGURES_DIR"] = previous


def _bandit() -> dict[str, Any]:
    began = time.monotonic()
    report, problem = _tool("bandit", "-q", "-r", *CODE, "-x", ",".join(EXCLUDED), "-f", "json")
    found = bandit_figures(report) if report else {"files": 0, "serious": [problem]}
    found["seconds"] = round(time.monotonic() - began, 1)
    recorded.record("supply-chain", "bandit", **found)
    return found


def _pip_audit() -> dict[str, Any]:
    began = time.monotonic()
    report, problem = _tool("pip-audit", "-r", "requirements.lock", "--no-deps", "--disable-pip",
                            "-f", "json", "--progress-spinner", "off")
    found = pip_audit_figures(report) if report else {"packages": 0, "audited": 0,
                                                       "not_audited": [problem], "vulnerable": []}
    found["seconds"] = round(time.monotonic() - began, 1)
    recorded.record("supply-chain", "pip-audit", **found)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figures", type=Path, help="the figures directory to record into")
    args = parser.parse_args(argv)
    for name, found in run(args.figures).items():
        print(name, json.dumps({k: (len(v) if isinstance(v, list) else v)
                                for k, v in found.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
