"""Nothing left behind (R1.5) in the awards: when the registry merges, splits or dissolves a
union, each open nomination and each dossier in progress it proposes or receives is taken
over by the successor from the effective date, or closed with its reason, each by an event
citing the registry's event; what was done before the date keeps the authority it was done
under (R4.3, R4.4). Every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from runtime.context import use_context
from runtime.store import metadata_of
from tests.support.awards_world import World, world
from tests.support.province import ADMIN
from tests.unit.test_awards import attest, nominate, refused
from tests.unit.test_trail import audit

MERGED_ON = "2026-03-10"


@pytest.fixture
def w(store_url: str, settings_for: Any) -> World:
    return world(settings_for(store_url))


def events_of(w: World, record_id: str) -> list[Any]:
    return [w.awards.mapper.to_domain_event(s)
            for s in w.awards.recorder.select_events(UUID(record_id))]


def kinds(w: World, record_id: str) -> list[str]:
    return [type(e).__qualname__.split(".")[-1] for e in events_of(w, record_id)]


def proposed_up(w: World) -> dict[str, str]:
    """CS-1's committee (A) proposes D to Càng Long on 01/03/2026, selects D on 02/03 and
    drafts its submission (tờ trình) on 03/03: a nomination and a dossier in progress."""
    attest(w, "individual", w.p("D"))
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren",
                  initiative_ids=[w.m.initiatives["SK-01"]])
    w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-02",
           [w.p(x) for x in "ABC"], {up["nomination_id"]: {"for": 3}}, "Họp BCH: 3/3 tán thành")
    draft = w.call("awards", "draft_submission", "A", w.u("CS-1"), 2025, [up["nomination_id"]],
                   "2026-03-03")
    return {"nomination": up["nomination_id"], "submission": str(draft)}


def published(w: World, name: str) -> list[dict[str, Any]]:
    return [e for e in w.awards.published_page(None, limit=1000)["envelopes"] if e["name"] == name]


def merge(w: World, union: str, into: str) -> None:
    with use_context(ADMIN):
        w.registry.merge_unions([w.u(union)], MERGED_ON, into_union_id=w.u(into))
    w.sync()


def carried(w: World, record_id: str) -> list[Any]:
    return [e for e in events_of(w, record_id) if type(e).__qualname__.endswith("CarriedOver")]


def test_r1_5_a_merged_unions_open_nomination_and_dossier_are_carried_over(w: World) -> None:
    records = proposed_up(w)
    merge(w, "CS-1", "CS-2")
    for record_id in records.values():
        events = carried(w, record_id)
        assert len(events) == 1, record_id
        event = events[0]
        assert event.sides == ["union"]  # CS-1 proposed; Càng Long still receives
        assert (str(event.from_union_id), str(event.to_union_id)) == (w.u("CS-1"), w.u("CS-2"))
        assert event.effective_on.isoformat() == MERGED_ON
        assert event.cause["event"] == "registry.union_merged"
        assert metadata_of(event)["causation_id"] == event.cause["event_id"]  # R4.5
    nomination = w.awards.get_nomination(records["nomination"])
    assert nomination["union_id"] == w.u("CS-1")  # the record keeps who made it
    assert nomination["held_by"] == w.u("CS-2") and nomination["to_held_by"] == w.u("TV-CL")
    assert w.awards.get_submission(records["submission"])["held_by"] == w.u("CS-2")
    # the successor's lists show them
    assert [n["nomination_id"] for n in w.awards.nominations(union_id=w.u("CS-2"))] == [
        records["nomination"]]
    assert [s["submission_id"] for s in w.awards.submissions(union_id=w.u("CS-2"))] == [
        records["submission"]]
    # published for any service that follows who proposes and receives (contract awards.carried_over)
    assert sorted((e["payload"]["record"], e["payload"]["record_id"], e["payload"]["to_union_id"])
                  for e in published(w, "awards.carried_over")) == sorted(
        [("nomination", records["nomination"], w.u("CS-2")),
         ("submission", records["submission"], w.u("CS-2"))])
    w.sync()  # delivered again: no second hand-over
    for record_id in records.values():
        assert kinds(w, record_id).count("CarriedOver") == 1


def test_r1_5_r4_4_the_successors_committee_submits_and_the_upper_union_decides(
        w: World) -> None:
    records = proposed_up(w)
    merge(w, "CS-1", "CS-2")
    with refused(w, "NO_AUTHORITY"):  # CS-1's committee ended with the merge
        w.call("awards", "submit", "A", records["submission"], "2026-03-12", "05/TTr-CĐCS")
    # F, CS-2's executive committee, submits; CS-1's selection of 02/03 stands (R4.4 (3))
    submitted = w.call("awards", "submit", "F", records["submission"], "2026-03-12",
                       "07/TTr-CĐCS")
    assert submitted["status"] == "submitted"
    round_ = submitted["rounds"][0]
    assert round_["decision"]["authority"]["union_id"] == w.u("CS-2")
    assert round_["meeting_ids"]  # the old body's selection meeting is the one cited
    award = w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren",
                   "2026-03-20", "40/QĐ-LĐLĐ", [records["nomination"]], "Thành tích năm 2025")
    assert award["submission_id"] == records["submission"]
    assert w.awards.get_submission(records["submission"])["status"] == "decided"
    # the audit trail shows both: the old body's meeting, the hand-over, the new body's act
    steps = [(s["record"], s["event"])
             for s in w.awards.proceedings(records["nomination"])["steps"]]
    assert ("SelectionMeeting", "Held") in steps
    assert ("Nomination", "CarriedOver") in steps and ("Submission", "CarriedOver") in steps
    assert steps.index(("SelectionMeeting", "Held")) < steps.index(("Nomination", "CarriedOver"))


def test_r1_5_r4_3_a_vote_is_judged_by_the_union_that_held_the_nomination_on_its_date(
        w: World) -> None:
    attest(w, "individual", w.p("D"))
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren",
                  initiative_ids=[w.m.initiatives["SK-01"]])["nomination_id"]
    merge(w, "CS-1", "CS-2")
    with refused(w, "INVALID_INPUT"):  # before the date CS-2 had no say on it
        w.call("awards", "hold_selection", "F", w.u("CS-2"), "2026-03-05", [w.p("F")],
               {up: {"for": 1}}, "Họp BCH")
    with refused(w, "UNION_NOT_ACTIVE"):  # after it, CS-1 is no more
        w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-12",
               [w.p(x) for x in "ABC"], {up: {"for": 3}}, "Họp BCH")
    # recorded after the merge, dated before it: CS-1's committee then; it stands
    old = w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-05",
                 [w.p(x) for x in "ABC"], {up: {"for": 3}}, "Họp BCH: 3/3 tán thành")
    assert old["results"] == {up: True}
    # and after the date, the successor's committee holds the selection
    new = w.call("awards", "hold_selection", "F", w.u("CS-2"), "2026-03-12", [w.p("F")],
                 {up: {"for": 1}}, "Họp BCH")
    assert new["results"] == {up: True}
    assert kinds(w, up) == ["Nominated", "CarriedOver"]


def test_r1_5_a_dossier_sent_to_a_merged_superior_goes_to_its_successor(w: World) -> None:
    records = proposed_up(w)
    w.call("awards", "submit", "A", records["submission"], "2026-03-04", "03/TTr-CĐCS")
    merge(w, "TV-CL", "TV-CK")  # Càng Long, with CS-1 and CS-2, into TV-CK from 10/03
    for record_id in records.values():
        assert [e.sides for e in carried(w, record_id)] == [["to_union"]]
    assert w.awards.get_submission(records["submission"])["to_held_by"] == w.u("TV-CK")
    assert [s["submission_id"] for s in w.awards.submissions(to_union_id=w.u("TV-CK"))] == [
        records["submission"]]
    # Càng Long's standing committee returns it, dated before the merge: its authority then
    returned = w.call("awards", "return_submission", "G", records["submission"], "2026-03-08",
                      "Bổ sung báo cáo thành tích", ["initiative_summary"])
    assert returned["rounds"][0]["returned"]["decision"]["authority"]["union_id"] == w.u("TV-CL")
    w.call("awards", "submit", "A", records["submission"], "2026-03-12", "04/TTr-CĐCS")
    with refused(w, "UNION_NOT_ACTIVE"):  # Càng Long decides no more after the date
        w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren", "2026-03-20",
               "40/QĐ-LĐLĐ", [records["nomination"]], "Thành tích năm 2025")
    award = w.call("awards", "decide_award", "I", w.u("TV-CK"), "giay_khen_cap_tren",
                   "2026-03-20", "41/QĐ-LĐLĐ", [records["nomination"]], "Thành tích năm 2025")
    assert award["union_id"] == w.u("TV-CK")
    assert award["submission_id"] == records["submission"]


def test_r1_5_a_dissolved_unions_nomination_and_dossier_are_closed_with_their_reason(
        w: World) -> None:
    records = proposed_up(w)
    with use_context(ADMIN):
        w.registry.dissolve_union(w.u("CS-1"), "2026-03-10")
    w.sync()
    reason = "Công đoàn giải thể từ ngày 10/03/2026, không có đơn vị tiếp nhận"
    for record_id in records.values():
        assert kinds(w, record_id)[-1] == "Discontinued"
    nomination = w.awards.get_nomination(records["nomination"])
    assert nomination["closed"]["reason"] == reason
    assert nomination["closed"]["cause"]["event"] == "registry.union_dissolved"
    assert w.awards.get_submission(records["submission"])["closed"]["reason"] == reason
    assert [n["status"] for n in w.awards.nominations(union_id=w.u("CS-1"))] == ["closed"]
    with refused(w, "CLOSED_ON_REORGANISATION"):
        w.call("awards", "submit", "A", records["submission"], "2026-03-05", "03/TTr-CĐCS")
    assert {e["payload"]["reason"] for e in published(w, "awards.closed")} == {reason}
    w.sync()  # delivered again: closed once
    assert kinds(w, records["nomination"]).count("Discontinued") == 1


def test_r1_5_a_split_unions_nominations_are_closed_and_nominated_again_by_the_parts(
        w: World) -> None:
    records = proposed_up(w)
    with use_context(ADMIN):
        w.registry.split_union(w.u("CS-1"), "2026-03-10", [
            {"code": "CS-1A", "name": "Công đoàn cơ sở Điểm trường A",
             "members": [w.p(x) for x in "ABD"]},
            {"code": "CS-1B", "name": "Công đoàn cơ sở Điểm trường B",
             "members": [w.p(x) for x in "CE"]}])
    w.sync()
    closed = w.awards.get_nomination(records["nomination"])["closed"]
    assert closed["reason"] == ("Công đoàn được chia, tách từ ngày 10/03/2026; đơn vị mới xét, "
                                "đề nghị lại nếu đủ tiêu chuẩn")
    assert closed["cause"]["event"] == "registry.union_split"
    assert kinds(w, records["submission"])[-1] == "Discontinued"


def test_r1_5_r4_3_a_nomination_for_the_unions_own_decision_is_decided_by_its_successor(
        w: World) -> None:
    attest(w, "individual", w.p("D"), letter="A", union="CS-1")
    own = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs",
                   initiative_ids=[w.m.initiatives["SK-01"]])["nomination_id"]
    merge(w, "CS-1", "CS-2")
    assert [e.sides for e in carried(w, own)] == [["union", "to_union"]]  # both: CS-1's own
    with refused(w, "NOT_ON_SUBMISSION"):  # before the date it was not before CS-2
        w.call("awards", "decide_award", "F", w.u("CS-2"), "giay_khen_cdcs", "2026-03-05",
               "02/QĐ-CĐCS", [own], "Thành tích năm 2025")
    award = w.call("awards", "decide_award", "F", w.u("CS-2"), "giay_khen_cdcs", "2026-03-12",
                   "03/QĐ-CĐCS", [own], "Thành tích năm 2025")
    assert award["decision"]["authority"]["union_id"] == w.u("CS-2")


def test_r1_5_r5_1_the_decisions_trail_shows_the_old_bodys_vote_and_the_hand_over(
        w: World) -> None:
    records = proposed_up(w)
    merge(w, "CS-1", "CS-2")
    w.call("awards", "submit", "F", records["submission"], "2026-03-12", "07/TTr-CĐCS")
    award = w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren",
                   "2026-03-20", "40/QĐ-LĐLĐ", [records["nomination"]], "Thành tích năm 2025")
    trail = audit(w).decision_trail(award["award_id"])
    stages = {(s["record"], s["event"]): s["stage"] for s in trail["timeline"]}
    assert stages[("Nomination", "CarriedOver")] == "handover"
    assert stages[("Submission", "CarriedOver")] == "handover"
    authority = {(a["step"]["record"], a["step"]["event"]): a for a in trail["authority"]}
    assert authority[("SelectionMeeting", "Held")]["union_id"] == w.u("CS-1")  # the old body
    assert authority[("Submission", "Submitted")]["union_id"] == w.u("CS-2")  # the successor


def test_r1_5_a_plans_preview_lists_the_open_nominations_and_dossiers(w: World) -> None:
    records = proposed_up(w)
    preview = w.awards.open_items([w.u("CS-1")], MERGED_ON, "merge", w.u("CS-2"))
    assert sorted((i["kind"], i["record_id"], i["number"], i["to_union_id"], i["action"])
                  for i in preview) == [
        ("nomination", records["nomination"], "2025", w.u("CS-2"), "carried"),
        ("submission", records["submission"], "2025", w.u("CS-2"), "carried")]
    assert next(i["title"] for i in preview if i["kind"] == "submission") == \
        "Hồ sơ đề nghị khen thưởng năm 2025 (1 đề nghị)"
    split = w.awards.open_items([w.u("CS-1")], MERGED_ON, "split")
    assert {(i["action"], i["to_union_id"], i["reason"]) for i in split} == {
        ("closed", None, "Công đoàn được chia, tách từ ngày 10/03/2026; đơn vị mới xét, đề nghị "
                         "lại nếu đủ tiêu chuẩn")}
    merge(w, "CS-1", "CS-2")  # what the registry's event then does is what was listed
    assert all(len(carried(w, i["record_id"])) == 1 for i in preview)
    assert w.awards.open_items([w.u("CS-1")], MERGED_ON, "merge", w.u("CS-2")) == []
