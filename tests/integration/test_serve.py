"""``runtime.serve``: a service whose nameko container dies ends its process (R5.3), so its
supervisor (``make run``, Compose, Kubernetes) starts it again instead of it lingering alive
and serving nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import Processes

pytestmark = [pytest.mark.bus, pytest.mark.system]


def test_r5_3_a_service_whose_container_dies_exits_for_its_supervisor(
        tmp_path: Path, amqp_uri: str) -> None:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data")})
    processes.service("dying", target="tests.support.dying_service:DyingService")
    try:
        assert processes.wait_exit("dying", timeout=60) == 70
    finally:
        processes.stop_all()
    assert "stopped working; exiting so that it is started again" in processes.log("dying")
