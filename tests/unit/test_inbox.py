"""The inbox, without a bus: duplicates, gaps and catch-up against a real upstream log."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from contracts.registry import UnknownUnion
from runtime.context import Actor, CommandContext, use_context
from runtime.inbox import CATCH_UP
from runtime.store import metadata_of
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from tests.support.tally import COUNTER_ID, Tally

ADMIN = CommandContext(actor=Actor("admin", "administrator"))


@pytest.fixture
def registry(store_url, settings_for) -> Registry:
    return Registry(settings_for(store_url))


@pytest.fixture
def tally(store_url, settings_for) -> Tally:
    return Tally(settings_for(store_url))


def found(registry: Registry, *codes: str) -> list[dict[str, Any]]:
    with use_context(ADMIN):
        vn = registry.found_union("VN", "Tổng Liên đoàn", "confederation", "1929-07-28")
        for code in codes:
            registry.found_union(code, f"LĐLĐ {code}", "provincial_federation", "2000-01-01", str(vn))
    return registry.published_page(None)["envelopes"]


class CountingPull:
    def __init__(self, registry: Registry) -> None:
        self.registry, self.calls = registry, 0

    def __call__(self, **kwargs: Any) -> dict[str, Any]:
        self.calls += 1
        return self.registry.published_page(**kwargs)


def test_r5_3_a_duplicate_has_no_second_effect(registry, tally) -> None:
    [first] = found(registry)
    pull = CountingPull(registry)
    assert tally.receive("registry", first, pull) == "processed"
    assert tally.receive("registry", first, pull) == "duplicate"
    assert tally.total() == 1 and pull.calls == 0


def test_a_gap_is_filled_from_the_upstream_log_in_order(registry, tally) -> None:
    envelopes = found(registry, "TV", "HN", "HCM")
    pull = CountingPull(registry)
    last = dict(envelopes[-1], previous_id=envelopes[-2]["notification_id"])
    assert tally.receive("registry", last, pull) == "processed"
    assert tally.seen() == [e["event_id"] for e in envelopes]  # all four, in log order
    assert pull.calls >= 1


def test_catch_up_pulls_what_the_bus_never_brought(registry, tally) -> None:
    envelopes = found(registry, "TV")
    assert tally.receive("registry", CATCH_UP, CountingPull(registry)).startswith("caught up")
    assert tally.seen() == [e["event_id"] for e in envelopes]


def test_r5_1_an_effect_records_its_cause(registry, tally) -> None:
    [first] = found(registry)
    tally.receive("registry", first, CountingPull(registry))
    *_, counted = tally.events.get(COUNTER_ID)
    recorded_by = metadata_of(counted)
    assert recorded_by["causation_id"] == first["event_id"]
    assert recorded_by["correlation_id"] == first["meta"]["correlation_id"]
    assert recorded_by["actor"] == {"user_id": "system:tally", "role": "system",
                                    "union_id": None, "on_behalf_of": "admin"}


def test_r1_5_another_service_keeps_the_registry_facts_once(registry, store_url, settings_for) -> None:
    initiatives = Initiatives(settings_for(store_url))
    envelopes = found(registry, "TV")
    for envelope in envelopes + envelopes:  # every one delivered twice
        initiatives.receive("registry", envelope, CountingPull(registry))
    tv = initiatives.known_union(envelopes[1]["payload"]["union_id"], as_of="2000-01-01")
    assert (tv["code"], tv["parent_id"]) == ("TV", envelopes[0]["payload"]["union_id"])
    assert len(initiatives.authority.descendants(UUID(tv["parent_id"]), date(2001, 1, 1))) == 1
    with pytest.raises(UnknownUnion):
        initiatives.known_union(tv["id"], as_of="1999-12-31")  # not founded yet


def handle_concurrently(tally: Tally, registry: Registry, envelopes: list[dict[str, Any]]) -> dict[int, Any]:
    """Every envelope handled by its own worker, all queued behind the inbox's lock first."""
    inbox = tally.inbox("registry")
    outcomes: dict[int, Any] = {}

    def work(envelope: dict[str, Any]) -> None:
        try:
            outcomes[envelope["notification_id"]] = inbox.handle(envelope, CountingPull(registry))
        except Exception as exc:
            outcomes[envelope["notification_id"]] = exc

    inbox._lock.acquire()
    workers = [threading.Thread(target=work, args=(e,)) for e in envelopes]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 30  # leaves as soon as every worker waits; slack for a loaded machine
    while len(inbox._waiting) < len(envelopes) and time.monotonic() < deadline:
        time.sleep(0.01)
    inbox._lock.release()
    for worker in workers:
        worker.join(10)
    return outcomes


def test_r5_3_envelopes_queued_behind_the_lock_commit_together_in_order(registry, tally) -> None:
    envelopes = found(registry, "TV", "HN", "HCM", "CT")
    transactions: list[int] = []
    record = tally.process_batch

    def counting(batch: Any, tracking: Any) -> None:
        transactions.append(len(batch))
        record(batch, tracking)

    tally.process_batch = counting  # type: ignore[method-assign]
    outcomes = handle_concurrently(tally, registry, envelopes)
    assert set(outcomes.values()) == {"processed"}
    assert transactions == [5]  # one transaction for all five
    assert tally.seen() == [e["event_id"] for e in envelopes]
    assert tally.last_processed("registry") == envelopes[-1]["notification_id"]


def test_a_failed_batch_goes_one_by_one_and_nothing_passes_the_failed_event(registry, tally) -> None:
    envelopes = found(registry, "TV", "HN", "HCM", "CT")
    failing = envelopes[2]
    # It fails in the batch, in the one-by-one fallback, and at its own worker's attempt.
    tally.fail_times = {failing["event_id"]: 3}
    outcomes = handle_concurrently(tally, registry, envelopes)
    # The lock is not fair: after the batch, the failed event's own worker and a later one
    # that pulls it from the log take the third attempt in either order, and a later worker
    # may find it failed. Whoever is refused (not acknowledged: the bus delivers it again) is
    # the failed event or one after it, and names the failed event; nothing before it is.
    refused = {n: o for n, o in outcomes.items() if isinstance(o, Exception)}
    assert refused and all(failing["event_id"] in str(o) for o in refused.values()), refused
    assert min(refused) >= failing["notification_id"]
    # the rest processed, or found done by a later worker whose attempt passed and pulled it
    assert all(o in {"processed", "duplicate"} for n, o in outcomes.items() if n not in refused), \
        outcomes
    in_order = [e["event_id"] for e in envelopes]
    assert tally.seen() == in_order[:len(tally.seen())]  # nothing recorded past a gap
    for envelope in envelopes:  # the bus delivers the refused one again: it passes now, or
        if envelope["notification_id"] in refused:  # a later one pulled it from the log already
            assert tally.receive("registry", envelope, CountingPull(registry)) in {"processed",
                                                                                   "duplicate"}
    assert tally.seen() == in_order
    assert tally.receive("registry", failing, CountingPull(registry)) == "duplicate"


@pytest.mark.parametrize("args", [{"after": "1; drop table"}, {"after": -1}, {"limit": 1.5},
                                  {"stop": True}])
def test_bad_positions_for_the_log_get_a_clear_error(registry, args) -> None:
    from runtime.errors import InvalidInput

    with pytest.raises(InvalidInput):
        registry.published_page(**{"after": None, **args})
