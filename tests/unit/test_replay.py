"""Replay (R5.1): a service's read model rebuilt from its log, aside, equals the live one; a
row changed, added or removed behind the log's back is reported, not hidden. SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

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
