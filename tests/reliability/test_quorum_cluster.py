"""Quorum queues on a three-node RabbitMQ cluster (R5.3): the whole system with
``EMU_QUEUE_TYPE=quorum`` and ``AMQP_URI`` naming every node (kombu's failover), on a
cluster of this machine's RabbitMQ started for the test (``tests.support.rabbit_cluster``:
its own node names, ports and data; the machine's broker is not touched) and a PostgreSQL
server of its own. While the fault suite's workload flows through the gateway, broker
nodes are SIGKILLed one after another and started again: first the leader of the busiest
queue (``rpc-initiatives``, where most commands arrive), then the leader of an inbox queue
that events flow into, then whichever node has not died yet, so each node dies once and
each time a leader dies with messages in flight. While a node is down, commands go on being
carried out (for the leader of ``rpc-initiatives``: initiatives' commands), which classic
queues do not give: a classic queue is gone with its node until the node is back.

Afterwards the fault suite's ledger check: every command a client was told was carried out
is in its service's ledger and store once, nothing was done twice, and every read model
equals a rebuild from the events it consumed (every event reached its consumers, once).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.reliability.test_faults import ledger_check
from tests.support.figures import record
from tests.support.gateway_system import SERVICES, System, running, wait_caught_up, with_province
from tests.support.private_infra import PrivatePostgres, private_postgres
from tests.support.rabbit_cluster import Node, RabbitCluster, rabbit_cluster
from tests.support.workload import Workload

# long: 3–4 minutes of its own three-node cluster; run by `make reliability`, not `make test`
pytestmark = [pytest.mark.faults, pytest.mark.long, pytest.mark.bus, pytest.mark.postgres,
              pytest.mark.system]

BUSY_QUEUES = ("rpc-initiatives", "awards.from.initiatives")
SERVICE_OF = {"leader of rpc-initiatives": "initiatives"}  # whose commands its death stops
DOWN_SETTLE, DOWN_FOR = 3.0, 5.0  # seconds after the kill; then how long it stays down


@dataclass
class NodeKills:
    """Kills a broker node, the leader of a busy queue first, waits, starts it again, and
    waits for the system to answer through the cluster before the next."""
    system: System
    cluster: RabbitCluster
    workload: Workload
    rng: random.Random
    kills: list[dict[str, object]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)

    def victims(self) -> Iterator[tuple[str, Node]]:
        killed: set[str] = set()
        for queue in BUSY_QUEUES:
            node = self.cluster.leader(queue)
            if node.name in killed:  # its leader moved to a node that died already
                node = next(n for n in self.cluster.nodes if n.name not in killed)
            killed.add(node.name)
            yield f"leader of {queue}", node
        for node in self.cluster.nodes:
            if node.name not in killed:
                yield "the last node not killed yet", node

    def acknowledged(self, service: str | None) -> int:
        return sum(1 for e in list(self.workload.ledger.entries)
                   if e.acknowledged and service in (None, e.service))

    def run(self) -> None:
        started = time.monotonic()
        try:
            time.sleep(3.0)  # the workload under way first
            for why, node in self.victims():
                time.sleep(self.rng.uniform(1.0, 3.0))
                t0 = time.monotonic()
                kill = {"node": node.name, "why": why, "at": round(t0 - started, 1)}
                self.kills.append(kill)
                self.cluster.kill(node)
                # Down while commands flow. After a moment (a new leader elected, the clients
                # on the dead node reconnected to another), commands go on being carried out:
                # a classic queue would be gone with its node until the node came back.
                time.sleep(DOWN_SETTLE)
                before = self.acknowledged(SERVICE_OF.get(why))
                time.sleep(self.rng.uniform(DOWN_FOR, DOWN_FOR + 2.0))
                kill["acknowledged_while_down"] = \
                    self.acknowledged(SERVICE_OF.get(why)) - before
                self.cluster.start(node)
                self.cluster.ctl(node, "await_online_nodes", str(len(self.cluster.nodes)))
                self.system.processes.wait_ready(*SERVICES, timeout=120)
                kill["recovered_in"] = round(time.monotonic() - t0, 1)
        except Exception as error:  # reported by the test
            self.errors.append(f"{type(error).__name__}: {error}")
        finally:
            self.finished.set()


@pytest.fixture
def cluster_infra() -> Iterator[tuple[PrivatePostgres, RabbitCluster]]:
    with private_postgres() as pg, rabbit_cluster(3) as cluster:
        yield pg, cluster


def test_r5_3_killing_broker_nodes_of_a_quorum_cluster_loses_and_repeats_nothing(
        tmp_path: Path, cluster_infra: tuple[PrivatePostgres, RabbitCluster]) -> None:
    pg, cluster = cluster_infra
    seed = int(os.environ.get("EMU_FAULT_SEED") or random.SystemRandom().randrange(10**6))
    print(f"fault seed {seed} (EMU_FAULT_SEED={seed} repeats this run)")
    env = {"EMU_QUEUE_TYPE": "quorum", "GATEWAY_RPC_TIMEOUT": "5"}
    with running(tmp_path, cluster.uri, pg.url, env=env) as system:
        with_province(system)
        queues = cluster.queues()
        durable = {q["name"]: q["type"] for q in queues if q["durable"] == "true"}
        assert durable and set(durable.values()) == {"quorum"}, durable
        assert set(BUSY_QUEUES) <= set(durable)
        workload = Workload(system)
        kills = NodeKills(system, cluster, workload, random.Random(seed))
        faults = threading.Thread(target=kills.run, name="node-kills")
        started = time.monotonic()
        faults.start()
        workload.run(until=kills.finished.is_set, timeout=600)
        faults.join(timeout=300)
        elapsed = time.monotonic() - started
        assert not workload.failures, workload.failures
        assert not kills.errors, kills.errors
        system.processes.wait_ready(*SERVICES, timeout=60)
        wait_caught_up(system)
        check = ledger_check(system, workload)
        deaths = [name for name, child in system.processes.children.items()
                  if child.poll() is not None]

    mismatched = {s: r["differences"] for s, r in check["replays"].items() if not r["ok"]}
    broken = {s: c for s, c in check["chains"].items() if not c.get("ok")}
    entries = workload.ledger.entries
    record("faults", "cluster", seed=seed, seconds=round(elapsed, 1),
           nodes=len(cluster.nodes), node_kills=kills.kills,
           nodes_killed=len(kills.kills),
           nodes_recovered=sum(1 for k in kills.kills if "recovered_in" in k),
           processes_exited=deaths, commands_sent=len(entries),
           commands_acknowledged=len(workload.ledger.acknowledged),
           retried_answers=dict(workload.ledger.seen()),
           commands_lost=len(check["lost"]), duplicates=len(check["duplicates"]),
           read_model_mismatches=len(mismatched), chains_broken=len(broken))
    print(f"{len(entries)} commands, {len(kills.kills)} node kills in {elapsed:.0f}s: "
          f"{kills.kills}; retried answers: {dict(workload.ledger.seen())}")
    assert len(kills.kills) == len(cluster.nodes)
    assert all("recovered_in" in k for k in kills.kills), kills.kills
    assert Counter(str(k["node"]) for k in kills.kills) == {n.name: 1 for n in cluster.nodes}
    # the request queue's leader dead, initiatives' commands still carried out (quorum)
    assert all(int(str(k["acknowledged_while_down"])) > 0 for k in kills.kills), kills.kills
    assert check["lost"] == [], check["lost"]
    assert check["duplicates"] == [], check["duplicates"]
    assert mismatched == {}, mismatched
    assert broken == {}, broken
    assert deaths == [], f"processes that exited under the node kills: {deaths}"
    assert len(workload.ledger.acknowledged) > 100
