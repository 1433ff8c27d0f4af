"""Two instances of the busiest service on one store and one bus (R5.3, issue 9).

The whole system runs as processes on PostgreSQL and RabbitMQ (``tests.support.
gateway_system.running``), with a second instance of initiatives (``initiatives#2``: same
settings, same store, same queues) and a second initiatives relay (``initiatives-relay#2``)
beside the first ones. Client threads drive commands through the gateway's HTTP API, each
with its own ``Idempotency-Key`` and retried with the same key while the answer is ``503``;
an administrator keeps changing the registry meanwhile, so both initiatives instances take in
the registry's events (the active consumer from the bus, the standby by its periodic
catch-up, racing on one tracking row). In the middle, the instance that is the registry
inbox's active consumer is SIGKILLed.

Shown, each from a source the services do not write themselves where one exists:
(a) RPC work spread over both instances before the kill: RabbitMQ's own count of the frames
    it sent on each instance's ``rpc-initiatives`` consumer connection;
(b) every command answered (200) or refused with a code, none lost in the kill, and each one's
    record in the store exactly once (ideas by the unique tag in their title, straight from
    the events table; one published ``initiatives.registered`` per registration);
(c) every initiatives event published (twice: two relays; a tap queue on the exchange counts
    the copies) applied once by awards, none parked; the initiatives' registry facts and
    awards' movement facts identical to a replay of the upstream logs (``replay_check``);
(d) the survivor answers every command after the kill and takes over the registry's events.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy as sa
from kombu import Connection, Queue

from runtime.bus import events_exchange
from runtime.relay import RelayPosition
from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import eventually

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

THREADS = 6  # client threads sending commands
BEFORE_KILL = 90  # commands answered before the kill
AFTER_KILL = 90  # commands sent after the kill, every one answered
ATTEMPTS = 12  # tries of one command with its key (503 or still running: again)
RPC_QUEUE = "rpc-initiatives"
TAP = "test.tap.initiatives"


@dataclass
class Command:
    """One command a client sent, with every answer it got for its key."""

    kind: str  # raise_idea | register
    key: str
    tag: str
    sent_after_kill: bool
    answers: list[tuple[int, str | None]] = field(default_factory=list)  # (status, code)
    result: Any = None

    @property
    def final(self) -> tuple[int, str | None]:
        return self.answers[-1] if self.answers else (0, "NO_ANSWER")


@dataclass
class Scaled:
    system: System
    pg_url: str
    amqp_uri: str


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    env = {"EMU_CATCH_UP_INTERVAL": "1", "EMU_RELAY_POLL_INTERVAL": "0.02",
           "EMU_LOG_FORMAT": "text"}
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("scaling"), amqp, pg, env) as system:
        processes = system.processes
        processes.service("initiatives", instance=2)
        processes.relay("initiatives", instance=2)
        processes.wait_ready("initiatives#2")
        with_province(system)
        yield Scaled(system, pg, amqp)


def conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def idea_body(province: Any, tag: str) -> dict[str, Any]:
    return {"union_id": province.unions["CS-1"], "author_id": province.people["D"],
            "title": f"Ý tưởng {tag}", "description": "Sổ theo dõi dùng chung",
            "raised_on": "2026-06-01"}


def registration_body(province: Any, tag: str) -> dict[str, Any]:
    return {"union_id": province.unions["CS-1"], "reference": f"SC-{tag}", "kind": "initiative",
            "fields": {"name": f"Sáng kiến {tag}", "objective": "Nhanh hơn",
                       "implementation_steps": "Làm từng bước",
                       "scope_feasibility_time": "Toàn trường",
                       "expected_effectiveness": "Tiết kiệm"},
            "authors": [{"person_id": province.people["D"], "share": 100}],
            "registered_on": "2026-06-01"}


def send(client: httpx.Client, province: Any, command: Command) -> None:
    """Sends a command with its key until it gets an outcome: again (same key, same body)
    while the gateway says the service is unavailable or the key's first try still runs."""
    path, body = (("/v1/initiatives/raise-idea", idea_body(province, command.tag))
                  if command.kind == "raise_idea" else
                  ("/v1/initiatives/register", registration_body(province, command.tag)))
    for _ in range(ATTEMPTS):
        try:
            response = client.post(path, json=body, headers={"Idempotency-Key": command.key})
        except httpx.HTTPError as exc:  # a hang past the client's bound, or a broken answer
            command.answers.append((0, type(exc).__name__))
            return
        code = response.json().get("code") if response.status_code >= 300 else None
        command.answers.append((response.status_code, code))
        if response.status_code == 200:
            command.result = response.json()["result"]
            return
        if (response.status_code, code) not in {(503, "SERVICE_UNAVAILABLE"),
                                                (409, "IDEMPOTENCY_IN_PROGRESS")}:
            return
        time.sleep(0.3)


def published(system: System) -> list[dict[str, Any]]:
    envelopes: list[dict[str, Any]] = []
    after = None
    while True:
        page = system.processes.call("initiatives", "notifications", after=after, limit=500)
        envelopes += page["envelopes"]
        if page["complete"] or page["scanned_to"] in (None, after):
            return envelopes
        after = page["scanned_to"]


def ideas_in_store(pg_url: str) -> dict[str, list[str]]:
    """The ideas the initiatives' events table holds, their ids by title, read with SQL."""
    with psycopg.connect(conninfo(pg_url)) as conn:
        rows = conn.execute("SELECT originator_id::text, convert_from(state, 'UTF8') "
                            "FROM initiatives_events WHERE topic LIKE '%:Idea.Raised'").fetchall()
    found: dict[str, list[str]] = {}
    for originator, state in rows:
        found.setdefault(json.loads(state)["title"], []).append(str(originator))
    return found


def test_r5_3_two_instances_share_the_work_and_one_killed_mid_load_loses_nothing(
        scaled: Scaled) -> None:
    system, processes = scaled.system, scaled.system.processes
    province = system.province
    assert province is not None
    assert processes.instances("initiatives") == ["initiatives", "initiatives#2"]
    with Connection(scaled.amqp_uri) as connection:  # every copy the relays publish
        Queue(TAP, exchange=events_exchange("initiatives"), routing_key="#",
              durable=True)(connection.default_channel).declare()
    frames_at_start = processes.broker_frames(RPC_QUEUE)
    assert set(frames_at_start) == {"initiatives", "initiatives#2"}, frames_at_start

    commands: list[Command] = []
    lock = threading.Lock()
    stop, killed = threading.Event(), threading.Event()
    token = system.tokens["d"]

    def client_thread(number: int) -> None:
        with httpx.Client(base_url=system.base_url, timeout=20,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            sent = 0
            while not stop.is_set():
                key = uuid.uuid4().hex
                command = Command("raise_idea" if sent % 2 == 0 else "register", key,
                                  f"T{number}-{sent}-{key[:6]}".upper(), killed.is_set())
                sent += 1
                send(client, province, command)
                with lock:
                    commands.append(command)

    def registry_thread() -> None:  # the registry changes while initiatives is busy
        n = 0
        while not stop.is_set():
            system.call("admin", "registry", "register_person", f"P-SC-{n}", f"Đoàn viên {n}",
                        "2026-01-01", province.unions["CS-2"])
            n += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client_thread, args=(n,)) for n in range(THREADS)]
    threads.append(threading.Thread(target=registry_thread))
    for thread in threads:
        thread.start()
    try:
        eventually(lambda: len(commands) >= BEFORE_KILL, timeout=60, what="load before the kill")
        frames_before_kill = processes.broker_frames(RPC_QUEUE)
        processes.kill("initiatives")  # SIGKILL: also the registry inbox's active consumer
        killed.set()
        eventually(lambda: sum(c.sent_after_kill for c in commands) >= AFTER_KILL, timeout=60,
                   what="commands answered after the kill")
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    assert processes.instances("initiatives") == ["initiatives#2"]

    # (d) the survivor carries on: one more command, and the registry's latest facts.
    after = system.call("d", "initiatives", "raise_idea", province.unions["CS-1"],
                        province.people["D"], "Ý tưởng SURVIVOR", "Sau khi dừng", "2026-06-02")
    last_registry = processes.call("registry", "health")["last_notification"]
    eventually(lambda: processes.call("initiatives", "processed", "registry") >= last_registry,
               timeout=30, what="the survivor has the registry's latest events")

    # Every command answered or refused with a code; never a hang, never a 5xx but 503.
    finals = Counter(c.final for c in commands)
    retried = [c for c in commands if len(c.answers) > 1]
    summary = (f"{len(commands)} commands, finals {dict(finals)}, {len(retried)} retried, "
               f"answers {Counter(a for c in commands for a in c.answers)}")
    print(summary)
    for command in commands:
        assert all(status in (200, 409, 503) for status, _ in command.answers), (command, summary)
        # REQUEST_ALREADY_APPLIED: the killed instance committed the command but died before
        # its answer; the redelivered request is not run again (runtime.requests); checked
        # against the store below.
        assert command.final in ((200, None), (409, "REQUEST_ALREADY_APPLIED")), \
            (command, summary)
    assert sum(c.sent_after_kill and c.final == (200, None) for c in commands) >= AFTER_KILL

    # (a) both instances took RPC requests before the kill (the broker's count, not theirs).
    share = {name: frames_before_kill[name] - frames_at_start[name]
             for name in ("initiatives", "initiatives#2")}
    print("frames the broker sent per instance before the kill:", share)
    assert all(frames >= 0.2 * sum(share.values()) for frames in share.values()), share

    # (b) each command's record in the store exactly once, the one the client was given
    # (an idea's id is new at each run, so a second run would show as a second idea).
    ideas = ideas_in_store(scaled.pg_url)
    for command in commands:
        if command.kind == "raise_idea":
            stored = ideas.get(f"Ý tưởng {command.tag}", [])
            assert len(stored) == 1, (command, stored)
            assert command.final != (200, None) or command.result == stored[0], (command, stored)
    assert ideas["Ý tưởng SURVIVOR"] == [after]
    envelopes = published(system)
    registered = {e["payload"]["reference"]: e for e in envelopes
                  if e["name"] == "initiatives.registered"}
    assert len(registered) == sum(e["name"] == "initiatives.registered" for e in envelopes)
    for command in commands:
        if command.kind == "register":
            event = registered[f"SC-{command.tag}"]  # this command's, once
            if command.final == (200, None):
                assert command.result == event["payload"]["initiative_id"], command
    assert len({e["event_id"] for e in envelopes}) == len(envelopes)

    # (c) each published event applied once by awards, though the two relays sent copies.
    last_published = envelopes[-1]["notification_id"]
    eventually(lambda: processes.call("awards", "processed", "initiatives") >= last_published,
               timeout=30, what="awards has every initiatives event")
    with psycopg.connect(conninfo(scaled.pg_url)) as conn:
        facts = Counter(event_id for (event_id,) in conn.execute(
            "SELECT event_id FROM awards_movement_facts WHERE name LIKE 'initiatives.%'"))
    assert facts == Counter(e["event_id"] for e in envelopes)
    tapped: Counter[str] = Counter()
    with Connection(scaled.amqp_uri) as connection:
        queue = Queue(TAP)(connection.default_channel)
        while (message := queue.get(no_ack=True)) is not None:
            tapped[json.loads(message.body)["event_id"]] += 1
    assert set(tapped) == set(facts)  # every copy on the bus is of a published event
    print(f"{len(facts)} initiatives events published, {sum(tapped.values())} copies on the bus; "
          f"relays alive: {[n for n in processes.children if '-relay' in n and processes.alive(n)]}")
    parked = {q: n for q, n in processes.queue_depths().items() if q.endswith(".parked") and n}
    assert parked == {}
    for name in ("initiatives#2", "awards"):
        assert "PARKED" not in processes.log(name)

    # The registry facts the two initiatives instances wrote, and awards' movement facts,
    # are what a replay of the upstreams' logs gives.
    for service in ("initiatives", "awards"):
        replay = processes.call(service, "replay_check", timeout=60)
        assert replay["ok"] and replay["not_checked"] == {}, (service, replay["differences"])


def test_r5_3_a_command_answered_503_has_one_effect_when_retried_with_its_key(
        scaled: Scaled) -> None:
    """The gateway's promise (503: nothing took effect; the key is released so the client
    may retry) where a request already delivered cannot commit within GATEWAY_RPC_TIMEOUT
    (its events table is locked here, as a long lock or a slow disk would hold it): past the
    deadline the gateway gave it, the late run records nothing, and the retry with the same
    key has the one effect."""
    system = scaled.system
    province = system.province
    assert province is not None
    tag, key = f"LATE-{uuid.uuid4().hex[:8]}".upper(), uuid.uuid4().hex
    command = Command("raise_idea", key, tag, sent_after_kill=False)
    with httpx.Client(base_url=system.base_url, timeout=20,
                      headers={"Authorization": f"Bearer {system.tokens['d']}"}) as client:
        with psycopg.connect(conninfo(scaled.pg_url)) as blocker:
            blocker.execute("LOCK TABLE initiatives_events IN EXCLUSIVE MODE")
            response = client.post("/v1/initiatives/raise-idea", json=idea_body(province, tag),
                                   headers={"Idempotency-Key": key})
            assert (response.status_code, response.json()["code"]) == (503, "SERVICE_UNAVAILABLE")
        # the lock is gone (the blocker's transaction ended): the late run reaches its commit
        # first (it waited on the lock), past its deadline, and records nothing
        send(client, province, command)  # the client retries with the same key, as told
    assert command.final == (200, None)
    assert ideas_in_store(scaled.pg_url)[f"Ý tưởng {tag}"] == [command.result]


# An instance of initiatives that dies (SIGKILL, by itself) right after committing an idea
# whose title carries MARK: after the commit, before its reply and its acknowledgement, as a
# power cut or the OOM killer would stop it. Injected by the test, as runtime.faults does for
# the relay; nothing else differs from ``python -m runtime.serve initiatives``.
MARK = "DIES-AFTER-COMMIT"
DIES_AFTER_COMMIT = f"""
import runtime.serve  # eventlet's monkey-patching first, as the service's own entry point
import os, signal
from services.initiatives.application import Initiatives

_save = Initiatives.save

def save(self, *objects, **kwargs):
    recordings = _save(self, *objects, **kwargs)
    if any({MARK!r} in str(getattr(o, "title", "")) for o in objects):
        os.kill(os.getpid(), signal.SIGKILL)
    return recordings

Initiatives.save = save
runtime.serve.main(["initiatives"])
"""


def test_r5_3_an_instance_killed_after_its_commit_leaves_one_effect(scaled: Scaled) -> None:
    """nameko acknowledges an RPC request after its reply: the request of an instance that
    dies after its commit is redelivered to another instance, which finds it carried out
    (runtime.requests) and says so instead of running it again."""
    system, processes = scaled.system, scaled.system.processes
    province = system.province
    assert province is not None
    processes.start("initiatives#3", "-c", DIES_AFTER_COMMIT)
    processes.wait_ready("initiatives#3")
    commands = []
    with httpx.Client(base_url=system.base_url, timeout=20,
                      headers={"Authorization": f"Bearer {system.tokens['d']}"}) as client:
        # The instances share one queue, round robin: send until the one that dies got one.
        for n in range(30):
            if not processes.alive("initiatives#3"):
                break
            command = Command("raise_idea", uuid.uuid4().hex, f"{MARK}-{n}", False)
            send(client, province, command)
            commands.append(command)
    assert not processes.alive("initiatives#3"), "the dying instance never got a request"
    ideas = ideas_in_store(scaled.pg_url)
    for command in commands:
        assert command.final in ((200, None), (409, "REQUEST_ALREADY_APPLIED")), command
        assert len(ideas[f"Ý tưởng {command.tag}"]) == 1, command
        assert command.final != (200, None) or ideas[f"Ý tưởng {command.tag}"] == [command.result]
    assert any(c.final == (409, "REQUEST_ALREADY_APPLIED") for c in commands), commands


def test_r5_3_two_relays_saving_their_first_position_together_both_carry_on(
        pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        first, second = RelayPosition(engine, "initiatives"), RelayPosition(engine, "initiatives")
        errors: list[BaseException] = []
        with engine.connect() as other:  # the first relay's INSERT, not yet committed
            other.execute(first.table.insert().values(id=1, position=3, last_published=3))

            def save() -> None:
                try:
                    second.save(4, 4)  # its UPDATE sees no row; its INSERT waits on the key
                except BaseException as exc:
                    errors.append(exc)

            saver = threading.Thread(target=save)
            saver.start()
            eventually(lambda: blocked_on_a_key(pg_url), timeout=10,
                       what="the second relay's INSERT waiting")
            other.commit()
        saver.join(10)
        if errors:
            raise errors[0]
        assert first.load() == (4, 4)
    finally:
        engine.dispose()


def blocked_on_a_key(pg_url: str) -> bool:
    with psycopg.connect(conninfo(pg_url)) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND query LIKE 'INSERT INTO initiatives_relay_position%'").fetchone()
    return bool(row and row[0])
