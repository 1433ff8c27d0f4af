"""Nothing left behind (R1.5, R3.5): when the registry merges, splits or dissolves a union,
each record the initiatives service keeps of it is taken over by the successor from the
effective date, or closed with its reason, each by an event citing the registry's event;
decisions dated before the date keep the authority they were made under."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from runtime.clock import FixedClock
from runtime.context import use_context
from runtime.store import metadata_of
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from tests.support.province import ADMIN, Province, build, deliver
from tests.unit.test_initiatives import FIELDS, as_, evaluate, recognise, refused, register

MERGED_ON = "2025-03-01"


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Registry:
    return Registry(settings_for(store_url))


@pytest.fixture
def world(registry: Registry) -> Province:
    return build(registry)


@pytest.fixture
def app(store_url: str, settings_for: Any, registry: Registry, world: Province) -> Initiatives:
    initiatives = Initiatives(settings_for(store_url), clock=FixedClock(datetime(2025, 6, 1, tzinfo=UTC)))
    deliver(registry, initiatives)
    return initiatives


def events_of(app: Initiatives, record_id: str | UUID) -> list[Any]:
    return [app.mapper.to_domain_event(s) for s in app.recorder.select_events(UUID(str(record_id)))]


def kinds(app: Initiatives, record_id: str) -> list[str]:
    return [type(e).__qualname__.split(".")[-1] for e in events_of(app, record_id)]


def adopted_from_province_office(app: Initiatives, w: Province) -> str:
    """An initiative of CS-VP, recognised there, adopted by CS-1 (R3.8)."""
    with as_(w, "J"):
        initiative = app.register(w.unions["CS-VP"], "VP-01", "initiative",
                                  {**FIELDS, "name": "Số hoá công văn đến"},
                                  [{"person_id": w.people["J"], "share": 100}], "2025-01-05")
        app.constitute_council(initiative, [w.people[x] for x in "JGH"], "2025-01-06",
                               "Thành lập hội đồng", "01/QĐ-VP")
    scores = {w.people[x]: {"new_within_unit": 8, "applied_with_benefit": 7, "effectiveness": 9}
              for x in "JGH"}
    with as_(w, "J"):
        app.record_evaluation(initiative, "2025-01-07", scores,
                              {w.people[x]: "for" for x in "JGH"}, "Biên bản")
        app.recognise(initiative, "2025-01-08", "Đạt", "02/QĐ-VP")
    with as_(w, "A"):
        app.adopt(initiative, w.unions["CS-1"], "2025-01-15", "Áp dụng tại trường")
    return initiative


def merged_world(app: Initiatives, registry: Registry, w: Province) -> dict[str, str]:
    """CS-1 holds an open registration (evaluated, its council constituted), a recognised
    one, an open idea and an adoption; then it is merged into CS-2 from 01/03/2025."""
    records = {"open": register(app, w, "SK-01"), "recognised": register(app, w, "SK-02")}
    evaluate(app, w, records["open"])
    evaluate(app, w, records["recognised"])
    recognise(app, w, records["recognised"])
    with as_(w, "E"):
        records["idea"] = app.raise_idea(w.unions["CS-1"], w.people["E"], "Sổ tay điện tử",
                                         "Ý tưởng ban đầu", "2025-01-02")
    records["adopted"] = adopted_from_province_office(app, w)
    with use_context(ADMIN):
        registry.merge_unions([w.unions["CS-1"]], MERGED_ON, into_union_id=w.unions["CS-2"])
    deliver(registry, app)
    return records


def test_r1_5_r3_5_the_successors_book_lists_the_predecessors_entries_as_they_were(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    records = merged_world(app, registry, w)
    book = app.tracking_book(w.unions["CS-2"])["items"]
    assert {e["reference"] for e in book} == {"SK-01", "SK-02"}
    for entry in book:  # each keeps its original union and authors, shown as taken over
        assert entry["union_id"] == w.unions["CS-1"]
        assert entry["held_by"] == w.unions["CS-2"]
        assert entry["carried_from"] == w.unions["CS-1"] and entry["carried_on"] == MERGED_ON
        assert entry["carried_from_name"] == "Công đoàn cơ sở Trường Tiểu học Càng Long"
        assert entry["authors"] == ["Thạch Thị Sa Rai (60%)", "Nguyễn Văn An (40%)"]
    assert {e["status"] for e in book} == {"evaluated", "recognised"}
    # the predecessor's own book still shows its history
    assert {e["reference"] for e in app.tracking_book(w.unions["CS-1"])["items"]} == {
        "SK-01", "SK-02"}
    opened = app.get_initiative(records["open"])
    assert opened["decide_by"] == "2025-04-10"  # R3.4: the 3-month limit is kept
    assert opened["council"]["members"][0]["full_name"] == "Nguyễn Văn An"  # the council too
    assert [i["idea_id"] for i in app.ideas(w.unions["CS-2"], None, None)] == [records["idea"]]
    assert [r["initiative_id"] for r in app.replications(w.unions["CS-2"])] == [records["adopted"]]
    assert app.overdue(w.unions["CS-2"], "2025-05-01")[0]["reference"] == "SK-01"


def test_r1_5_every_open_item_has_its_carried_over_event_citing_the_registry(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    records = merged_world(app, registry, w)
    replication = app.get_replication(records["adopted"], w.unions["CS-1"])
    for record_id in (records["open"], records["recognised"], records["idea"],
                      app.queries.replications_held(UUID(records["adopted"]), UUID(w.unions["CS-2"]))[0]):
        carried = [e for e in events_of(app, record_id)
                   if type(e).__qualname__.endswith("CarriedOver")]
        assert len(carried) == 1, record_id
        event = carried[0]
        assert (str(event.from_union_id), str(event.to_union_id)) == (
            w.unions["CS-1"], w.unions["CS-2"])
        assert event.effective_on.isoformat() == MERGED_ON
        assert event.cause["event"] == "registry.union_merged"
        assert metadata_of(event)["causation_id"] == event.cause["event_id"]  # R4.5
    assert replication["held_by"] == w.unions["CS-2"]
    deliver(registry, app)  # delivered again: no second hand-over
    assert kinds(app, records["open"]).count("CarriedOver") == 1


def test_r1_5_r3_4_the_successors_committee_continues_an_open_registration(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    records = merged_world(app, registry, w)
    with as_(w, "A"), refused(app, "NO_AUTHORITY"):  # CS-1's committee ended with the merge
        app.recognise(records["open"], "2025-03-05", "Đạt", "15/QĐ-CĐCS")
    with as_(w, "F"):  # CS-2's executive committee, in office after the date
        decision = app.recognise(records["open"], "2025-03-05", "Đạt các tiêu chí", "07/QĐ-CĐCS")
    assert decision["authority"]["union_id"] == w.unions["CS-2"]
    entry = next(e for e in app.tracking_book(w.unions["CS-2"])["items"]
                 if e["reference"] == "SK-01")
    assert (entry["status"], entry["decision_number"]) == ("recognised", "07/QĐ-CĐCS")
    with as_(w, "F"):  # and reports the results of the adoption it took over (R3.8)
        app.report_replication(records["adopted"], w.unions["CS-2"], "2025-03-10",
                               "Giảm 30% thời gian", 5_000_000)
    assert app.replications(w.unions["CS-2"])[0]["value_saved_vnd"] == 5_000_000


def test_r1_5_a_decision_dated_before_the_merge_is_judged_by_the_old_tree(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    records = merged_world(app, registry, w)
    with as_(w, "F"), refused(app, "NO_AUTHORITY"):  # before the date CS-2 had no say on it
        app.recognise(records["open"], "2025-02-20", "Đạt", "03/QĐ-CĐCS")
    with as_(w, "A"):  # recorded after the merge, dated before it: CS-1's committee then
        decision = app.recognise(records["open"], "2025-02-20", "Đạt", "14/QĐ-CĐCS")
    assert decision["authority"]["union_id"] == w.unions["CS-1"]
    # the audit trail shows both: the hand-over, and the decision under the old authority
    assert kinds(app, records["open"])[-2:] == ["CarriedOver", "Recognised"]
    history = app.get_initiative(records["open"])
    assert history["handovers"][0]["effective_on"] == MERGED_ON
    assert history["recognitions"]["grassroots"]["authority"]["union_id"] == w.unions["CS-1"]


def test_r1_5_a_dissolved_unions_records_are_closed_with_their_reason(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    initiative = register(app, w)
    with as_(w, "E"):
        idea = app.raise_idea(w.unions["CS-1"], w.people["E"], "Ý tưởng", "Mô tả", "2025-01-02")
    with use_context(ADMIN):
        registry.dissolve_union(w.unions["CS-1"], "2025-02-05")
    deliver(registry, app)
    for record_id in (initiative, idea):
        assert kinds(app, record_id)[-1] == "Closed"
    closed = app.get_initiative(initiative)["closed"]
    assert closed["reason"] == "Công đoàn giải thể từ ngày 05/02/2025, không có đơn vị tiếp nhận"
    assert closed["cause"]["event"] == "registry.union_dissolved"
    entry = app.tracking_book(w.unions["CS-1"])["items"][0]
    assert entry["closed_on"] == "2025-02-05" and entry["closed_reason"] == closed["reason"]
    assert app.overdue(w.unions["CS-1"], "2025-05-01") == []  # closed: no longer overdue
    with as_(w, "B"), refused(app, "CLOSED_ON_REORGANISATION"):
        app.coach_idea(idea, "Góp ý", "2025-02-06")


def test_r1_5_a_split_hands_each_record_to_the_part_its_authors_go_to(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    initiative = register(app, w)  # authors D and A
    with as_(w, "E"):
        idea = app.raise_idea(w.unions["CS-1"], w.people["E"], "Ý tưởng", "Mô tả", "2025-01-02")
    with use_context(ADMIN):
        first, second = registry.split_union(w.unions["CS-1"], "2025-03-01", [
            {"code": "CS-1A", "name": "Công đoàn cơ sở Điểm trường A",
             "members": [w.people[x] for x in "ABD"]},
            {"code": "CS-1B", "name": "Công đoàn cơ sở Điểm trường B",
             "members": [w.people[x] for x in "CE"]}])
    deliver(registry, app)
    assert app.get_initiative(initiative)["held_by"] == str(first)
    assert app.get_idea(idea)["held_by"] == str(second)
    assert [e["reference"] for e in app.tracking_book(first)["items"]] == ["SK-01"]
    assert kinds(app, initiative).count("CarriedOver") == 1


def test_r1_5_a_reorganisation_plan_applied_as_one_decision_carries_the_records_too(
        app: Initiatives, registry: Registry, world: Province) -> None:
    """The plan's merge, stored with its other rows in one transaction, reaches the
    initiatives service as one batch: each record is carried over all the same."""
    w = world
    initiative = register(app, w)
    rows = [{"action": "found", "union_code": "CS-3", "name": "Công đoàn cơ sở Trường THCS mới",
             "level": "grassroots", "parent_code": "TV-CL"},
            {"action": "merge", "union_code": "CS-1", "successor_code": "CS-2"}]
    with use_context(ADMIN):
        registry.apply_reorganisation("125/QĐ-LĐLĐ", "2025-02-20", MERGED_ON,
                                      "Nghị quyết số 01/NQ-BCH", w.unions["TV"],
                                      json.dumps(rows, ensure_ascii=False), "json")
    deliver(registry, app)
    assert app.get_initiative(initiative)["held_by"] == w.unions["CS-2"]
    assert [e["reference"] for e in app.tracking_book(w.unions["CS-2"])["items"]] == ["SK-01"]


def test_r1_5_a_plans_preview_lists_what_would_be_carried_over_or_closed(
        app: Initiatives, registry: Registry, world: Province) -> None:
    from services.initiatives.domain import Replication

    w = world
    cs1, cs2 = w.unions["CS-1"], w.unions["CS-2"]
    open_ = register(app, w, "SK-01")
    evaluate(app, w, open_)
    with as_(w, "E"):
        idea = str(app.raise_idea(cs1, w.people["E"], "Sổ tay điện tử", "Ý tưởng ban đầu",
                                  "2025-01-02"))
    adoption = str(Replication.create_id(UUID(adopted_from_province_office(app, w)), UUID(cs1)))
    merged = app.open_items([cs1], MERGED_ON, "merge", cs2)
    assert sorted((i["kind"], i["record_id"], i["number"], i["from_union_id"], i["to_union_id"],
                   i["action"]) for i in merged) == [
        ("idea", idea, None, cs1, cs2, "carried"),
        ("initiative", str(open_), "SK-01", cs1, cs2, "carried"),
        ("replication", adoption, None, cs1, cs2, "carried")]
    dissolved = app.open_items([cs1], MERGED_ON, "dissolve")
    assert {(i["action"], i["reason"]) for i in dissolved} == {
        ("closed", "Công đoàn giải thể từ ngày 01/03/2025, không có đơn vị tiếp nhận")}
    split = {i["kind"]: i for i in app.open_items([cs1], MERGED_ON, "split")}
    assert split["initiative"]["action"] == "carried" and split["initiative"]["to_union_id"] is None
    assert split["replication"]["action"] == "closed"
    with refused(app, "INVALID_INPUT"):  # a merge names its successor
        app.open_items([cs1], MERGED_ON, "merge")
    with use_context(ADMIN):  # what the registry's event then does is what was listed
        registry.merge_unions([cs1], MERGED_ON, into_union_id=cs2)
    deliver(registry, app)
    assert all(app.repository.get(UUID(i["record_id"])).held_by == UUID(cs2) for i in merged)
    assert app.open_items([cs1], MERGED_ON, "merge", cs2) == []  # nothing left behind
