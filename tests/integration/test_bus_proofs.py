"""The runtime's guarantees, proven with real processes, RabbitMQ and PostgreSQL (R5.3).

Each test starts the processes it needs as an operator would (``runtime.serve``,
``runtime.relay``), in a fresh RabbitMQ vhost and a fresh database, and attacks one
mechanism. Catch-up runs only at start here (``EMU_CATCH_UP_INTERVAL`` is an hour), so what
arrives, arrives through the bus or the gap-filling the test is about.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.bus import inbox_queue_name
from runtime.context import Actor, CommandContext
from runtime.errors import ActorRequired, DomainError
from services.registry.domain import ParentLevelMismatch
from tests.support import bus
from tests.support.processes import Processes, eventually

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

ADMIN = CommandContext(actor=Actor("admin-1", "administrator", None))
TALLY = "tests.support.tally:TallyService"
TALLY_INBOX = inbox_queue_name("tally", "registry")


def settled(system: Processes, consumer: str = "tally") -> None:
    """The consumer's start-up catch-up is over: from now on only the bus brings events."""
    system.wait_for_log(consumer, "first catch-up with registry done")


def start_system(tmp_path: Path, amqp_uri: str, database_url: str | None) -> Processes:
    env = {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
           "EMU_CATCH_UP_INTERVAL": "3600", "EMU_RETRY_DELAYS_MS": "300,600",
           "EMU_RELAY_POLL_INTERVAL": "0.02"}
    if database_url:  # otherwise each service keeps its default SQLite file under EMU_DATA_DIR
        for service in ("registry", "initiatives", "tally"):
            env[f"{service.upper()}_DATABASE_URL"] = database_url
    return Processes(tmp_path, env)


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    processes = start_system(tmp_path, amqp_uri, pg_url)
    yield processes
    processes.stop_all()


@pytest.fixture
def sqlite_system(tmp_path: Path, amqp_uri: str) -> Iterator[Processes]:
    processes = start_system(tmp_path, amqp_uri, None)
    yield processes
    processes.stop_all()


def found_provinces(system: Processes, *codes: str) -> list[str]:
    vn = system.call("registry", "found_union", "VN", "Tổng Liên đoàn Lao động Việt Nam",
                     "confederation", "1929-07-28", context=ADMIN)
    return [vn] + [system.call("registry", "found_union", code, f"Liên đoàn Lao động tỉnh {code}",
                               "provincial_federation", "2000-01-01", parent_id=vn, context=ADMIN)
                   for code in codes]


def published(system: Processes) -> list[dict]:
    return system.call("registry", "notifications")["envelopes"]


@pytest.mark.parametrize("stores", ["postgresql", "sqlite"])
def test_r5_3_a_command_in_one_service_causes_an_effect_in_another(stores: str, request) -> None:
    system: Processes = request.getfixturevalue("system" if stores == "postgresql" else "sqlite_system")
    system.service("registry")
    system.relay("registry")
    system.service("initiatives")
    system.wait_ready("registry", "initiatives")
    [vn] = found_provinces(system)
    fact = eventually(lambda: system.call("initiatives", "known_union", vn), what="the fact")
    assert fact["name"] == "Tổng Liên đoàn Lao động Việt Nam"
    assert fact["founded_on"] == published(system)[0]["payload"]["founded_on"]


def test_domain_errors_cross_rpc_typed_and_commands_need_an_actor(system: Processes) -> None:
    system.service("registry")
    system.wait_ready("registry")
    with pytest.raises(ParentLevelMismatch) as caught:
        system.call("registry", "found_union", "CS", "Công đoàn cơ sở", "grassroots", "2020-01-01",
                    context=ADMIN)
    assert caught.value.details == {"level": "grassroots", "parent_level": None}
    with pytest.raises(ActorRequired):
        system.call("registry", "found_union", "VN", "Tổng Liên đoàn", "confederation", "1929-07-28")
    with pytest.raises(DomainError) as unknown:
        system.call("registry", "get_union", "not-a-uuid")
    assert unknown.value.code == "INVALID_INPUT"
    assert system.call("registry", "notifications")["envelopes"] == []  # nothing was recorded


def test_r5_3_relay_killed_after_commit_before_publish_delivers_once_after_restart(system: Processes) -> None:
    system.service("registry")
    system.service("tally", TALLY)
    system.wait_ready("registry", "tally")
    settled(system)
    bus.spy(system.settings.amqp_uri, "registry")
    system.relay("registry", env={"EMU_FAULTS": "relay.before_publish"})
    found_provinces(system)
    assert system.wait_exit("registry-relay") == -signal.SIGKILL  # died with the event unpublished
    time.sleep(1)
    assert system.call("tally", "seen") == []
    system.relay("registry")
    [event_id] = [e["event_id"] for e in published(system)]
    eventually(lambda: system.call("tally", "seen") == [event_id], what="the event after restart")
    time.sleep(1)
    assert [m["event_id"] for m in bus.drain(system.settings.amqp_uri, "spy")] == [event_id]
    assert system.call("tally", "seen") == [event_id]


def test_r5_3_the_same_notification_delivered_twice_has_one_effect(system: Processes) -> None:
    system.service("registry")
    system.service("tally", TALLY)
    system.wait_ready("registry", "tally")
    settled(system)
    found_provinces(system)
    [envelope] = published(system)
    for _ in range(2):
        bus.publish(system.settings.amqp_uri, "registry", envelope, routing_key=envelope["name"])
    eventually(lambda: system.call("tally", "seen") == [envelope["event_id"]], what="one effect")
    # Again after a crash: nothing in memory remembers it, only the stored tracking record.
    system.kill("tally")
    system.service("tally", TALLY)
    system.wait_ready("tally")
    bus.publish(system.settings.amqp_uri, "registry", envelope, routing_key=envelope["name"])
    system.wait_for_log("tally", "first catch-up with registry done")
    time.sleep(1)
    assert system.call("tally", "seen") == [envelope["event_id"]]
    assert bus.message_count(system.settings.amqp_uri, TALLY_INBOX) == 0  # consumed, not stuck
    assert bus.message_count(system.settings.amqp_uri, f"{TALLY_INBOX}.parked") == 0
    assert "retrying" not in system.log("tally")


def test_r5_3_a_dropped_notification_is_pulled_from_the_upstream_log(system: Processes) -> None:
    system.service("registry")
    system.service("tally", TALLY)
    system.wait_ready("registry", "tally")
    settled(system)
    found_provinces(system, "TV", "HN")
    first, dropped, last = published(system)
    assert last["previous_id"] == dropped["notification_id"]
    for envelope in (first, last):  # the relay's second message never arrives
        bus.publish(system.settings.amqp_uri, "registry", envelope, routing_key=envelope["name"])
    expected = [first["event_id"], dropped["event_id"], last["event_id"]]
    eventually(lambda: system.call("tally", "seen") == expected, what="the gap filled in order")
    assert "gap before" in system.log("tally")


def test_r5_3_a_handler_that_fails_once_processes_the_event_on_retry(system: Processes) -> None:
    system.service("registry")
    system.relay("registry")
    system.service("tally", TALLY, env={"TALLY_FAIL_FIRST_ATTEMPT": "1"})
    system.wait_ready("registry", "tally")
    settled(system)
    found_provinces(system)
    [envelope] = published(system)
    eventually(lambda: system.call("tally", "seen") == [envelope["event_id"]], what="the retry")
    assert "retrying registry event" in system.log("tally")
    assert bus.message_count(system.settings.amqp_uri, f"{TALLY_INBOX}.parked") == 0


def test_a_malformed_message_is_parked_and_the_inbox_keeps_going(system: Processes) -> None:
    system.service("registry")
    system.relay("registry")
    system.service("tally", TALLY)
    system.wait_ready("registry", "tally")
    bus.publish(system.settings.amqp_uri, "registry", {"hello": "not an envelope"})
    bus.publish(system.settings.amqp_uri, "registry", "plain text", content_type="text/plain")
    eventually(lambda: bus.message_count(system.settings.amqp_uri, f"{TALLY_INBOX}.parked") == 2,
               what="two parked messages")
    found_provinces(system)
    eventually(lambda: len(system.call("tally", "seen")) == 1, what="the next valid event")


POLL_AN_HOUR = {"EMU_RELAY_POLL_INTERVAL": "3600"}


def received(system: Processes, count: int, timeout: float = 5.0) -> list[str]:
    """The event ids the spy queue got, once it has ``count`` of them (``timeout`` at most)."""
    got: list[str] = []

    def enough() -> bool:
        got.extend(message["event_id"] for message in bus.drain(system.settings.amqp_uri, "spy"))
        return len(got) >= count

    eventually(enough, timeout, 0.05, f"{count} events published")
    return got


@pytest.mark.parametrize("stores", ["postgresql", "sqlite"])
def test_r5_3_a_commit_wakes_the_relay_whose_poll_interval_is_an_hour(stores: str, request) -> None:
    """The relay sleeps until its store commits (NOTIFY on PostgreSQL, a datagram on
    SQLite), not on a timer: with an hour between reads, the event still goes out at once."""
    system: Processes = request.getfixturevalue("system" if stores == "postgresql" else "sqlite_system")
    system.service("registry")
    system.wait_ready("registry")
    bus.spy(system.settings.amqp_uri, "registry")
    system.relay("registry", env=POLL_AN_HOUR)
    system.wait_for_log("registry-relay", "took the lease")
    time.sleep(1)  # its first read found nothing: it sleeps now
    committed = time.monotonic()
    found_provinces(system)
    assert received(system, 1) == [e["event_id"] for e in published(system)]
    print(f"published {time.monotonic() - committed:.3f}s after the command returned")


def test_r5_3_one_relay_publishes_at_a_time_and_the_next_takes_over_when_it_dies(
        system: Processes) -> None:
    system.service("registry")
    system.wait_ready("registry")
    bus.spy(system.settings.amqp_uri, "registry")
    first = system.relay("registry", env=POLL_AN_HOUR)
    system.wait_for_log(first, "took the lease")
    second = system.relay("registry", env=POLL_AN_HOUR, instance=2)
    system.wait_for_log(second, "standing by")
    vn, _ = found_provinces(system, "TV")
    before = received(system, 2)
    assert "took the lease" not in system.log(second)
    time.sleep(0.5)  # the first relay records its position once it is quiet
    system.kill(first)
    system.wait_for_log(second, "took the lease", timeout=5)
    system.call("registry", "found_union", "HN", "Liên đoàn Lao động thành phố Hà Nội",
                "provincial_federation", "2000-01-01", parent_id=vn, context=ADMIN)
    after = received(system, 1)
    time.sleep(1)
    after += [m["event_id"] for m in bus.drain(system.settings.amqp_uri, "spy")]
    assert before + after == [e["event_id"] for e in published(system)]  # each once, in order
