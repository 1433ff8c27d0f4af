"""Replay over RPC (R5.1): a service's ``replay_check`` rebuilds the registry facts it keeps
from the registry's ``notifications`` RPC, up to what it has processed, and compares them with
its live tables; a row changed by hand is named; when the registry does not answer, the view
is reported not checked, within the pull timeout, and the service keeps answering. The
registry, its relay and the initiatives service as their own processes on PostgreSQL."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from contracts.registry.facts import facts_tables
from tests.support.processes import Processes, eventually
from tests.support.province import RpcRegistry, build

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "REGISTRY_DATABASE_URL": pg_url,
                                     "INITIATIVES_DATABASE_URL": pg_url,
                                     "EMU_PULL_TIMEOUT": "1"})
    processes.service("registry")
    processes.relay("registry")
    processes.service("initiatives")
    processes.wait_ready("registry", "initiatives")
    yield processes
    processes.stop_all()


def test_r5_1_replay_check_over_rpc_replays_the_registry_facts_from_the_registrys_log(
        system: Processes, pg_url: str) -> None:
    build(RpcRegistry(system))
    last = system.call("registry", "health")["last_notification"]
    eventually(lambda: system.call("initiatives", "processed", "registry") == last,
               what=f"initiatives has the registry's facts up to {last}")

    report = system.call("initiatives", "replay_check", timeout=30)
    assert report["ok"], (report["differences"], report["not_checked"])
    facts = report["read_models"]["RegistryFacts"]
    assert facts["checked"] and facts["sources"]["registry"]["processed_to"] == last
    assert facts["replayed"] > 30 and facts["rows"][facts_tables("initiatives").unions.name] == 7

    bodies = facts_tables("initiatives").bodies
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as c:  # a committee's end date written behind the log's back
            c.execute(bodies.update().values(term_end=sa.cast("2021-12-31", sa.Date)))
    finally:
        engine.dispose()
    report = system.call("initiatives", "replay_check", timeout=30)
    assert not report["ok"] and report["read_models"]["own"]["ok"]
    changed = report["read_models"]["RegistryFacts"]["differences"][bodies.name]
    assert report["differences"][bodies.name] == changed and changed["unexplained"]

    system.kill("registry", signal.SIGKILL)  # the upstream does not answer: not checked
    report = system.call("initiatives", "replay_check", timeout=30)
    assert not report["ok"]
    assert not report["read_models"]["RegistryFacts"]["checked"]
    assert "registry" in report["not_checked"]["RegistryFacts"]
    assert system.call("initiatives", "health")["service"] == "initiatives"
