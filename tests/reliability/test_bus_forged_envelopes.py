"""Issue 10, bad input on the bus, without a bus (R5.3): a well-formed envelope that claims to
come from the registry but holds a position its log does not have (a forged or foreign
message) is refused as malformed — which the consumer parks — and does not move the tracking
position, so the real events after it are still processed. Before the fix the inbox recorded
it, its position became the high-water mark, and every real event up to it was taken for a
duplicate and dropped. The whole path with RabbitMQ and parking is in
``test_bad_input_and_security.py``."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from runtime.context import Actor, CommandContext, use_context
from runtime.errors import MalformedMessage
from services.registry.application import Registry
from tests.support.tally import Tally

ADMIN = CommandContext(actor=Actor("admin", "administrator"))


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Registry:
    return Registry(settings_for(store_url))


@pytest.fixture
def tally(store_url: str, settings_for: Any) -> Tally:
    return Tally(settings_for(store_url))


def found(registry: Registry, code: str, parent: str | None) -> None:
    with use_context(ADMIN):
        registry.found_union(code, f"Liên đoàn {code}", "provincial_federation" if parent
                             else "confederation", "2000-01-01", parent)


def forged(like: dict[str, Any], position: int, previous: int | None) -> dict[str, Any]:
    union = str(uuid.uuid4())
    return {**like, "notification_id": position, "previous_id": previous,
            "event_id": str(uuid.uuid4()), "originator_id": union,
            "payload": {**like["payload"], "union_id": union, "code": "GIA-MAO"}}


def test_r5_3_an_envelope_its_source_log_does_not_hold_is_refused_and_blocks_nothing(
        registry: Registry, tally: Tally) -> None:
    found(registry, "VN", None)
    pull = registry.published_page
    [vn] = registry.published_page(None)["envelopes"]
    assert tally.receive("registry", vn, pull) == "processed"
    head = vn["notification_id"]
    for fake in (forged(vn, head + 1000, head + 999),  # far ahead, with a gap before it
                 forged(vn, head + 5, None)):  # "the first event", after others were processed
        with pytest.raises(MalformedMessage) as refused:
            tally.receive("registry", fake, pull)
        assert refused.value.details["notification_id"] == fake["notification_id"]
        assert tally.last_processed("registry") == head  # the tracking did not move
    vn_id = vn["payload"]["union_id"]
    found(registry, "TV", vn_id)
    found(registry, "HN", vn_id)
    tv, hn = registry.published_page(head)["envelopes"]
    assert tally.receive("registry", tv, pull) == "processed"
    assert tally.receive("registry", hn, pull) == "processed"
    assert tally.seen() == [vn["event_id"], tv["event_id"], hn["event_id"]]  # nothing forged

