"""Published contracts: the envelope, payload schemas, and upcasting of old versions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from runtime.contracts import Catalog, Contract, Envelope
from runtime.errors import MalformedMessage, UnknownContract

V1 = {"type": "object", "required": ["name"], "additionalProperties": False,
      "properties": {"name": {"type": "string"}}}
V2 = {"type": "object", "required": ["name", "name_folded"], "additionalProperties": False,
      "properties": {"name": {"type": "string"}, "name_folded": {"type": "string"}}}


def envelope(**overrides: Any) -> dict[str, Any]:
    data = {
        "source": "registry", "notification_id": 3, "previous_id": 1,
        "event_id": "0b7e1a3c-7f4f-4c1a-9d5e-2b1f9b0f6a11", "name": "registry.thing_named",
        "version": 1, "originator_id": "x", "originator_version": 1,
        "meta": {"actor": {"user_id": "u", "role": "r"}, "correlation_id": "c",
                 "recorded_at": "2025-01-01T00:00:00+00:00", "effective_at": "2025-01-01T00:00:00+00:00"},
        "payload": {"name": "Công đoàn"},
    }
    data.update(overrides)
    return data


def catalog_with_upcaster() -> Catalog:
    return Catalog(
        [Contract("registry.thing_named", 1, V1), Contract("registry.thing_named", 2, V2)],
        {("registry.thing_named", 1): lambda p: {**p, "name_folded": p["name"].lower()}},
    )


def test_a_reader_upcasts_an_old_version_to_the_newest() -> None:
    upcast = catalog_with_upcaster().upcast(Envelope.from_dict(envelope()))
    assert (upcast.version, upcast.payload) == (2, {"name": "Công đoàn", "name_folded": "công đoàn"})


def test_a_current_version_passes_unchanged() -> None:
    current = Envelope.from_dict(envelope(version=2, payload={"name": "a", "name_folded": "a"}))
    assert catalog_with_upcaster().upcast(current) == current


def test_a_new_version_without_an_upcaster_cannot_be_read_from_the_old_one() -> None:
    catalog = Catalog([Contract("registry.thing_named", 1, V1), Contract("registry.thing_named", 2, V2)])
    with pytest.raises(UnknownContract):
        catalog.upcast(Envelope.from_dict(envelope()))


def test_a_payload_that_breaks_its_contract_is_refused() -> None:
    with pytest.raises(MalformedMessage) as caught:
        catalog_with_upcaster().upcast(Envelope.from_dict(envelope(payload={"name": 7})))
    assert caught.value.code == "MALFORMED_MESSAGE"


@pytest.mark.parametrize("raw", [b"\xff\xfe", "null", json.dumps({"hello": "world"}),
                                 json.dumps(envelope(notification_id=0)),
                                 json.dumps(envelope(meta={"actor": {}}))])
def test_foreign_or_broken_messages_are_not_envelopes(raw: Any) -> None:
    with pytest.raises(MalformedMessage):
        Envelope.from_dict(raw)


def test_the_shipped_catalog_loads_and_every_published_rule_has_its_contract() -> None:
    from services.registry.published import RULES

    catalog = Catalog.load()
    for rule in RULES:
        assert catalog.contract(rule.name, rule.version).schema["type"] == "object"


def test_formats_in_contracts_are_enforced() -> None:
    catalog = Catalog.load()
    good = {"union_id": "0b7e1a3c-7f4f-4c1a-9d5e-2b1f9b0f6a11", "code": "VN", "name": "Tổng Liên đoàn",
            "level": "confederation", "parent_id": None, "founded_on": "1929-07-28"}
    catalog.check("registry.union_founded", 1, good)
    for bad in ({"union_id": "not-a-uuid"}, {"founded_on": "28/07/1929"}, {"level": "village"}):
        with pytest.raises(MalformedMessage):
            catalog.check("registry.union_founded", 1, {**good, **bad})
