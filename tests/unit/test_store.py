"""The event store: attributed metadata on every event, and tracking (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from runtime.clock import FixedClock
from runtime.context import Actor, CommandContext, Decision, use_context
from runtime.errors import ActorRequired
from runtime.store import LockingProcessRecorder, metadata_of
from services.registry.application import Registry

ACTOR = Actor("u-1", "operator", "vn")
AT = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_r4_5_every_stored_event_carries_who_when_why_and_links(store_url, settings_for) -> None:
    registry = Registry(settings_for(store_url), clock=FixedClock(AT))
    context = CommandContext(
        actor=ACTOR, correlation_id="corr-9", causation_id="cmd-9",
        effective_at=datetime(2024, 12, 31, tzinfo=UTC),
        decision=Decision(reason="thành lập", rule_set_version="rules-2024", evidence=("qd-1",),
                          authority="vn/standing-committee"))
    with use_context(context):
        union_id = registry.found_union("VN", "Tổng Liên đoàn", "confederation", "1929-07-28")
    [stored] = list(registry.events.get(union_id))
    meta = metadata_of(stored)
    assert meta["actor"] == {"user_id": "u-1", "role": "operator", "union_id": "vn",
                             "on_behalf_of": None}
    assert meta["recorded_at"] == AT.isoformat()
    assert meta["effective_at"] == "2024-12-31T00:00:00+00:00"
    assert (meta["correlation_id"], meta["causation_id"]) == ("corr-9", "cmd-9")
    assert meta["decision"] == {"reason": "thành lập", "rule_set_version": "rules-2024",
                                "evidence": ["qd-1"], "authority": "vn/standing-committee"}


def test_r4_5_nothing_is_recorded_without_an_actor(store_url, settings_for) -> None:
    registry = Registry(settings_for(store_url))
    with pytest.raises(ActorRequired):
        registry.found_union("VN", "Tổng Liên đoàn", "confederation", "1929-07-28")
    assert registry.recorder.max_notification_id() is None


def test_r5_3_a_tracked_notification_cannot_be_recorded_twice(store_url, settings_for) -> None:
    registry = Registry(settings_for(store_url))
    registry.recorder.insert_events([], tracking=Tracking("upstream", 5))
    with pytest.raises(IntegrityError):
        registry.recorder.insert_events([], tracking=Tracking("upstream", 5))
    with pytest.raises(IntegrityError):
        registry.recorder.insert_events([], tracking=Tracking("upstream", 4))
    assert registry.recorder.max_tracking_id("upstream") == 5


@pytest.mark.postgres
def test_r5_3_two_instances_racing_on_one_notification_record_one_effect(pg_url, settings_for) -> None:
    """Two processors, one notification: the second waits for the first's lock and fails.

    Without the row lock in LockingProcessRecorder the second reads the old position,
    passes the library's check, and commits a second effect.
    """
    first, second = Registry(settings_for(pg_url)), Registry(settings_for(pg_url))
    first.recorder.insert_events([], tracking=Tracking("upstream", 4))
    first_holds_lock, release_first = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def run_first() -> None:
        recorder = cast(LockingProcessRecorder, first.recorder)
        with recorder.transaction(commit=True) as session:
            recorder._insert_tracking(session, Tracking("upstream", 5))
            session.flush()
            first_holds_lock.set()
            release_first.wait(10)

    def run_second() -> None:
        try:
            second.recorder.insert_events([], tracking=Tracking("upstream", 5))
            outcome["second"] = "recorded"
        except IntegrityError:
            outcome["second"] = "refused"

    a = threading.Thread(target=run_first)
    a.start()
    assert first_holds_lock.wait(10)
    b = threading.Thread(target=run_second)
    b.start()
    time.sleep(0.5)
    assert b.is_alive(), "the second processor must wait for the first's lock"
    release_first.set()
    a.join(10)
    b.join(10)
    assert outcome == {"second": "refused"}
    assert first.recorder.max_tracking_id("upstream") == 5


def _start_registry_and_relay(url: str, barrier: Any, errors: Any) -> None:
    from runtime.config import Settings
    from runtime.relay import RelayPosition

    barrier.wait()
    try:
        RelayPosition(Registry(Settings({"REGISTRY_DATABASE_URL": url})).engine, "registry")
    except Exception as exc:
        errors.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.postgres
def test_services_and_relays_starting_together_create_the_schema_once(pg_url) -> None:
    """Services and relays start at the same moment on an empty database; without the
    advisory lock PostgreSQL fails all but one CREATE TABLE on its catalog's unique index."""
    spawn = multiprocessing.get_context("spawn")
    barrier, errors = spawn.Barrier(6), spawn.Queue()
    processes = [spawn.Process(target=_start_registry_and_relay, args=(pg_url, barrier, errors))
                 for _ in range(6)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0] * 6
    assert errors.empty(), errors.get()
