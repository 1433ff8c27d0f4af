"""The set-up both `make run` and `make test` rely on (deploy/prerequisites.sh): the newest
Python it can use, and a stop at once, naming the command, when something is missing that it
may not install."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "prerequisites.sh"


def run(what: str, path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), what], capture_output=True, text=True, timeout=60,
                          env={"PATH": f"{path}:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/"),
                               **env})


def fake(folder: Path, name: str, body: str) -> Path:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n{body}\n")
    tool.chmod(0o755)
    return tool


def test_the_newest_python_that_runs_is_taken_and_a_shim_that_does_not_is_passed_over(
        tmp_path: Path) -> None:
    # python3.13 answers like a pyenv shim of a version not selected; python3.12 is too old
    fake(tmp_path, "python3.13", 'echo "pyenv: python3.13: command not found" >&2; exit 127')
    fake(tmp_path, "python3.12", "exit 1")
    chosen = fake(tmp_path, "python3.11", "exit 0")
    answer = run("python", tmp_path, PYENV_ROOT=str(tmp_path / "no-pyenv"))
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == str(chosen)


def test_a_missing_browser_stops_at_once_with_the_command_that_installs_it(tmp_path: Path) -> None:
    # no apt-get on this PATH (and none in /usr/bin for a non-Debian test host): nothing can be
    # installed, so the script names the command and exits at once, before any test runs
    fake(tmp_path, "apt-get", "exit 100")
    fake(tmp_path, "id", 'echo 1000')
    fake(tmp_path, "sudo", "exit 1")
    started = time.monotonic()
    answer = run("chromium", tmp_path, EMU_CHROMIUM=str(tmp_path / "no-chromium"))
    assert answer.returncode == 2
    assert "sudo apt-get install -y chromium" in answer.stderr
    assert time.monotonic() - started < 10


def test_a_unit_test_that_opens_a_connection_fails_at_once() -> None:
    # the unit tier runs with every server stopped: tests/conftest.py refuses any connection
    import socket

    import psycopg
    import pytest

    from tests.conftest import NetworkInUnitTest

    with pytest.raises(NetworkInUnitTest):
        socket.create_connection(("127.0.0.1", 5672), timeout=1)
    with pytest.raises(NetworkInUnitTest):
        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=1)
