"""The inbox, without a bus: duplicates, gaps and catch-up against a real upstream log."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.context import Actor, CommandContext, use_context
from runtime.inbox import CATCH_UP
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from tests.support.tally import Tally

ADMIN = CommandContext(actor=Actor("admin", "administrator"))


@pytest.fixture
def registry(store_url, settings_for) -> Registry:
    return Registry(settings_for(store_url))


@pytest.fixture
def tally(store_url, settings_for) -> Tally:
    return Tally(settings_for(store_url))


def found(registry: Registry, *codes: str) -> list[dict[str, Any]]:
    with use_context(ADMIN):
        vn = registry.found_union("VN", "Tổng Liên đoàn", "confederation", None, "1929-07-28")
        for code in codes:
            registry.found_union(code, f"LĐLĐ {code}", "provincial_federation", str(vn), "2000-01-01")
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


def test_r5_1_an_effect_records_its_cause(registry, store_url, settings_for) -> None:
    initiatives = Initiatives(settings_for(store_url))
    [first] = found(registry)
    initiatives.receive("registry", first, CountingPull(registry))
    recorded_by = initiatives.known_union(first["payload"]["union_id"])["recorded_by"]
    assert recorded_by["causation_id"] == first["event_id"]
    assert recorded_by["correlation_id"] == first["meta"]["correlation_id"]
    assert recorded_by["actor"] == {"user_id": "system:initiatives", "role": "system",
                                    "union_id": None, "on_behalf_of": "admin"}
