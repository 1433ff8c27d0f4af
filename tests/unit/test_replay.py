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
    assert set(report) == {"registry", "initiatives", "reviews", "awards", "notifications"}
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


# --- every read model: the views each consumer keeps of its upstreams' published events ------

def _upstream_world(store_url: str, settings_for: Any) -> dict[str, Any]:
    """The province's registry, initiatives and reviews with its facts, and a year of the
    movement (``tests.support.awards_world``) delivered to awards, as the inboxes would."""
    from datetime import UTC, datetime

    from runtime.clock import FixedClock
    from runtime.context import use_context
    from services.awards.application import Awards
    from services.initiatives.application import Initiatives
    from services.reviews.application import Reviews
    from tests.support.awards_world import movement_year
    from tests.support.province import acting, deliver

    settings = settings_for(store_url)
    clock = FixedClock(datetime(2026, 6, 30, tzinfo=UTC))
    registry = Registry(settings)
    province = build(registry)
    apps: dict[str, Any] = {"registry": registry, "initiatives": Initiatives(settings, clock=clock),
                            "reviews": Reviews(settings, clock=clock),
                            "awards": Awards(settings, clock=clock)}
    deliver(registry, apps["initiatives"], apps["reviews"])

    def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
        with use_context(acting(province.people[letter])):
            return getattr(apps[service], method)(*args, **kwargs)

    movement_year(call, province)
    for source in ("registry", "initiatives", "reviews"):
        apps["awards"].receive(source, "catch-up", apps[source].published_page)
    return {"settings": settings, "province": province, **apps}


def _readers(apps: dict[str, Any], consumer: str) -> dict[str, Any]:
    return {name: app.published_page for name, app in apps.items()
            if name in ("registry", "initiatives", "reviews") and name != consumer}


def _published(app: Any, up_to: int | None) -> int:
    return sum(1 for e in app.published_page(None, stop=up_to, limit=1000)["envelopes"])


def test_r5_1_every_consumers_registry_facts_are_replayed_from_the_registrys_published_events(
        store_url: str, settings_for: Any) -> None:
    from contracts.registry.facts import facts_tables
    from runtime.context import use_context
    from services.initiatives.application import Initiatives
    from services.reviews.application import Reviews
    from tests.support.province import ADMIN, deliver

    settings = settings_for(store_url)
    registry = Registry(settings)
    w = build(registry)
    initiatives, reviews = Initiatives(settings), Reviews(settings)
    deliver(registry, initiatives, reviews)
    with use_context(ADMIN):  # published after the consumers' last delivery: not theirs yet
        registry.rename_union(w.unions["CS-VP"], "Công đoàn Văn phòng Tỉnh ủy", "2024-09-01")
    upstreams = {"registry": registry.published_page}
    for app in (initiatives, reviews):
        report = app.replay_check(upstreams)
        assert report["ok"], (report["differences"], report["not_checked"])
        facts = report["read_models"]["RegistryFacts"]
        processed = app.last_processed("registry")
        assert processed is not None and processed < (registry.recorder.max_notification_id() or 0)
        assert facts["checked"] and facts["sources"]["registry"]["processed_to"] == processed
        assert facts["replayed"] == _published(registry, processed) > 0
        assert facts["rows"][facts_tables(app.service).unions.name] == 7
        assert report["rows"][facts_tables(app.service).unions.name] == 7
        assert report["read_models"]["own"]["checked"]

    t = facts_tables("initiatives")
    with initiatives.engine.begin() as c:  # one row of a consumer's facts changed by hand
        c.execute(t.union_periods.update().where(t.union_periods.c.name == "Công đoàn Văn phòng UBND tỉnh")
                  .values(name="Công đoàn Văn phòng (sửa tay)"))
    report = initiatives.replay_check(upstreams)
    assert not report["ok"]
    changed = report["read_models"]["RegistryFacts"]["differences"][t.union_periods.name]
    assert report["differences"][t.union_periods.name] == changed
    assert [changed["live"], changed["rebuilt"]] == [7, 7]
    assert any("Công đoàn Văn phòng (sửa tay)" in row for row in changed["unexplained"])
    assert any("Công đoàn Văn phòng UBND tỉnh" in row for row in changed["missing"])
    assert report["read_models"]["own"]["ok"]
    assert reviews.replay_check(upstreams)["ok"]  # the same database, its own view untouched


def test_r5_1_a_view_whose_upstream_cannot_be_read_is_reported_not_checked(
        store_url: str, settings_for: Any) -> None:
    from services.reviews.application import Reviews
    from tests.support.province import deliver

    settings = settings_for(store_url)
    registry = Registry(settings)
    build(registry)
    reviews = Reviews(settings)
    deliver(registry, reviews)

    def down(**page: Any) -> dict[str, Any]:
        raise TimeoutError("registry did not answer in 5s")

    for upstreams, reason in (({"registry": down}, "registry did not answer in 5s"),
                              ({}, "no way to read registry's published events"),
                              ({"registry": lambda **page: {"envelopes": "?"}}, "not one")):
        report = reviews.replay_check(upstreams)
        assert not report["ok"]
        facts = report["read_models"]["RegistryFacts"]
        assert not facts["ok"] and not facts["checked"] and reason in facts["reason"]
        assert reason in report["not_checked"]["RegistryFacts"]
        assert report["read_models"]["own"]["ok"]


def test_r5_1_awards_movement_facts_are_replayed_from_the_initiatives_and_reviews_events(
        store_url: str, settings_for: Any) -> None:
    from contracts.registry.facts import facts_tables
    from services.awards.facts import FACTS

    apps = _upstream_world(store_url, settings_for)
    awards = apps["awards"]
    report = awards.replay_check(_readers(apps, "awards"))
    assert report["ok"], (report["differences"], report["not_checked"])
    movement = report["read_models"]["MovementFacts"]
    for source in ("initiatives", "reviews"):
        processed = awards.last_processed(source)
        assert movement["sources"][source] == {
            "processed_to": processed, "replayed": _published(apps[source], processed)}
    facts = movement["rows"][FACTS.name]
    assert facts == _published(apps["initiatives"], None) + _published(apps["reviews"], None) > 10
    assert report["read_models"]["RegistryFacts"]["rows"][facts_tables("awards").bodies.name] > 0

    with awards.engine.begin() as c:  # one fact's date moved by hand
        event_id = c.execute(sa.select(FACTS.c.event_id).where(
            FACTS.c.name == "reviews.union_classified")).scalar_one()
        c.execute(FACTS.update().where(FACTS.c.event_id == event_id)
                  .values(on=sa.func.date("2024-12-31") if c.dialect.name == "sqlite"
                          else sa.cast("2024-12-31", sa.Date)))
    report = awards.replay_check(_readers(apps, "awards"))
    assert not report["ok"] and report["read_models"]["RegistryFacts"]["ok"]
    changed = report["read_models"]["MovementFacts"]["differences"][FACTS.name]
    assert report["differences"][FACTS.name] == changed
    assert [changed["live"], changed["rebuilt"]] == [facts, facts]
    assert any(event_id in row and "2024-12-31" in row for row in changed["unexplained"])
    assert any(event_id in row and "2024-12-31" not in row for row in changed["missing"])


def test_r5_1_the_auditors_command_line_fails_on_a_changed_view(
        store_url: str, settings_for: Any, monkeypatch: Any, capsys: Any) -> None:
    import json

    from contracts.registry.facts import facts_tables
    from runtime import audit
    from services.awards.facts import FACTS

    apps = _upstream_world(store_url, settings_for)
    for key, value in apps["settings"].env.items():
        monkeypatch.setenv(key, value)
    assert audit.main(["replay"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["awards"]["read_models"]["MovementFacts"]["rows"][FACTS.name] > 10
    assert report["reviews"]["read_models"]["RegistryFacts"]["replayed"] > 0

    people = facts_tables("reviews").people
    with apps["reviews"].engine.begin() as c:  # the people of reviews' facts deleted by hand
        c.execute(people.delete())
    assert audit.main(["replay", "reviews", "awards"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"reviews", "awards"} and report["awards"]["ok"]
    assert report["reviews"]["differences"][people.name]["live"] == 0
    assert not report["reviews"]["read_models"]["RegistryFacts"]["ok"]
