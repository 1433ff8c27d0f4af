"""The gateway's RPC client (R5.2): a call the caller stopped waiting for never runs later.
Requests carry an expiry equal to the caller's timeout, so a command sent while its service
is down is dropped by RabbitMQ instead of running when the service comes back (after the
client was told 503 and may have tried again)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from runtime.client import RpcPool, ServiceUnavailable
from runtime.context import Actor, CommandContext
from tests.support.processes import Processes

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

ACTOR = CommandContext(Actor("tester", "administrator"))


def test_r5_2_a_command_that_timed_out_is_never_executed_afterwards(
        tmp_path: Path, amqp_uri: str, pg_url: str) -> None:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "BENCH_DATABASE_URL": pg_url})
    try:
        processes.service("bench", "bench.subjects:BenchService")
        processes.wait_ready("bench")
        pool = RpcPool(processes.settings, timeout=1.0)
        assert pool.call("bench", "open_counter", "before", context=ACTOR)
        before = pool.call("bench", "health", context=ACTOR)["last_notification"]
        processes.kill("bench", signal.SIGKILL)  # its queue stays; nobody consumes it
        with pytest.raises(ServiceUnavailable):
            pool.call("bench", "open_counter", "while-down", context=ACTOR)
        time.sleep(1.5)  # past the request's expiry
        processes.service("bench", "bench.subjects:BenchService")
        processes.wait_ready("bench")
        time.sleep(1.0)  # time enough for a queued request to have run
        assert pool.call("bench", "health", context=ACTOR)["last_notification"] == before
        pool.close()
    finally:
        processes.stop_all()
