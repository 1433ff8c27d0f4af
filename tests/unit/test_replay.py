"""Replay (R5.1): a service's read model rebuilt from its log, aside, equals the live one; a
row changed, added or removed behind the log's back is reported, not hidden. SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from runtime.errors import DomainError
from services.registry.application import Registry
from services.registry.readmodel import OWN
from tests.support.province import build


def test_r5_1_a_replay_of_the_log_matches_the_live_read_model_and_shows_a_difference(
        store_url: str, settings_for: Any) -> None:
    registry = Registry(settings_for(store_url))
    build(registry)
    report = registry.replay_check()
    assert report["ok"], report["differences"]
    assert report["replayed"] == registry.recorder.max_notification_id()
    assert report["rows"][OWN.unions.name] == 7
    unions = OWN.union_periods
    with registry.engine.begin() as c:  # a name changed in the read model only
        c.execute(unions.update().where(unions.c.name == "Công đoàn Văn phòng UBND tỉnh")
                  .values(name="Công đoàn Văn phòng (sửa tay)"))
        c.execute(OWN.positions.delete())
    report = registry.replay_check()
    assert not report["ok"]
    changed = report["differences"][unions.name]
    assert any("Công đoàn Văn phòng (sửa tay)" in row for row in changed["unexplained"])
    assert any("Công đoàn Văn phòng UBND tỉnh" in row for row in changed["missing"])
    assert report["differences"][OWN.positions.name]["live"] == 0
    registry.rebuild_read_model()
    assert registry.replay_check()["ok"]
    with registry.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(OWN.positions)).scalar()


def test_r5_1_the_auditors_command_line_replays_every_store(
        store_url: str, settings_for: Any, monkeypatch: Any, capsys: Any) -> None:
    import json

    from runtime import audit

    settings = settings_for(store_url)
    build(Registry(settings))
    for key, value in settings.env.items():
        monkeypatch.setenv(key, value)
    assert audit.main(["replay"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"registry", "initiatives", "reviews", "awards"}
    assert report["registry"]["rows"][OWN.unions.name] == 7


def test_r5_1_a_records_history_and_its_state_at_a_version_or_on_a_date(
        store_url: str, settings_for: Any) -> None:
    from runtime.context import use_context
    from tests.support.province import ADMIN

    registry = Registry(settings_for(store_url))
    w = build(registry)
    union = w.unions["CS-1"]
    with use_context(ADMIN):
        registry.rename_union(union, "Công đoàn cơ sở Trường Tiểu học thị trấn Càng Long",
                              "2024-09-01")
    events = registry.history(union)
    assert [e["event"] for e in events] == ["Founded", "Renamed"]
    assert events[1]["actor"]["role"] == "administrator" and events[1]["correlation_id"]
    assert registry.state_as_of(union, version=1)["state"]["name"] == \
        "Công đoàn cơ sở Trường Tiểu học Càng Long"
    latest = registry.state_as_of(union)
    assert latest["version"] == 2 and latest["state"]["name"].endswith("thị trấn Càng Long")
    recorded_on = events[1]["effective_at"][:10]
    assert registry.state_as_of(union, on=recorded_on)["version"] == 2
    try:
        registry.state_as_of(union, on="1999-01-01")
    except DomainError as refused:
        assert refused.details["field"] == "on"
    else:
        raise AssertionError("a date before the record was accepted")
