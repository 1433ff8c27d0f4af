"""Compose runs exactly the processes ``make run`` starts: one definition, no drift."""

from __future__ import annotations

from pathlib import Path

import yaml

from runtime.services import SERVICES, processes

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_the_processes_make_run_starts() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]
    app = {name: spec["command"] for name, spec in compose.items() if "command" in spec}
    expected = {p.name: list(p.argv) for p in processes(python="python")}
    assert app == expected


def test_compose_gives_every_service_its_own_database() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]
    for name in SERVICES:
        url = compose[name]["environment"][f"{name.upper()}_DATABASE_URL"]
        assert url.startswith("postgresql+psycopg://") and url.endswith(f"/{name}")
