"""Awards (R4.1–R4.5) on the application, judging by the registry's, the initiatives' and the
reviews' real published events; every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from docx import Document as Docx

from runtime.context import use_context
from runtime.errors import DomainError
from services.awards.application import Awards
from tests.support.awards_world import World, full_dossier, pdf, world
from tests.support.province import ADMIN, acting

YEAR = 2025


@pytest.fixture
def w(store_url: str, settings_for: Any) -> World:
    return world(settings_for(store_url))


def position(app: Awards) -> int:
    return app.recorder.max_notification_id() or 0


@contextmanager
def refused(w: World, code: str) -> Iterator[pytest.ExceptionInfo[DomainError]]:
    """The command is refused with the code, and nothing is recorded."""
    before = position(w.awards)
    with pytest.raises(DomainError) as caught:
        yield caught
    assert caught.value.code == code, caught.value
    assert position(w.awards) == before


def attest(w: World, subject: str, subject_id: str, letter: str = "G",
           union: str = "TV-CL", met: bool = True) -> str:
    return str(w.call("awards", "attest", letter, w.u(union), subject, subject_id, YEAR,
                      "2026-02-15", "Nội bộ đoàn kết, chấp hành tốt chủ trương, pháp luật",
                      ["xac-nhan-cua-dang-uy.pdf"], met))


def nominate(w: World, letter: str, union: str, subject: str, subject_id: str, form: str,
             on: str = "2026-03-01", **kwargs: Any) -> dict[str, Any]:
    return dict(w.call("awards", "nominate", letter, w.u(union), subject, subject_id, YEAR, form,
                       "Sáng kiến sổ theo dõi đoàn viên điện tử, áp dụng hiệu quả", on, **kwargs))


def criteria(evaluation: dict[str, Any]) -> dict[str, bool]:
    return {c["code"]: c["met"] for c in evaluation["criteria"]}


def published_ids(*apps: Any) -> set[str]:
    return {e["event_id"] for app in apps for e in app.published_page(None, limit=1000)["envelopes"]}


# --- R4.1, R4.2: eligibility from the other services' events ---------------------------------

def test_r4_1_a_collective_is_judged_on_all_five_criteria_from_the_other_services_events(
        w: World) -> None:
    before = w.awards.evaluate("collective", w.u("CS-1"), YEAR, "giay_khen_cap_tren",
                               as_of="2026-03-01")
    assert criteria(before) == {"launched_and_organised": True, "kept_alive_and_reviewed": True,
                                "effective_individuals": True, "unity_and_compliance": False,
                                "classified_strong_or_good": True}
    assert not before["eligible"] and before["failed"] == ["unity_and_compliance"]
    attest(w, "collective", w.u("CS-1"))
    after = w.awards.evaluate("collective", w.u("CS-1"), YEAR, "giay_khen_cap_tren",
                              as_of="2026-03-01")
    assert after["eligible"] and after["rule_set"]["version"] == "awards/2024-05"
    # every piece of evidence is an event another service published
    upstream = published_ids(w.initiatives, w.reviews)
    cited = [e["event_id"] for c in after["criteria"] for e in c["evidence"] if "event_id" in e]
    assert len(cited) >= 8 and set(cited) <= upstream
    # as of the day before the classification, criterion (e) was not met
    earlier = w.awards.evaluate("collective", w.u("CS-1"), YEAR, as_of="2026-02-09")
    assert criteria(earlier)["classified_strong_or_good"] is False


def test_r4_1_a_union_that_did_nothing_fails_every_criterion_and_is_told_what_is_missing(
        w: World) -> None:
    evaluation = w.awards.evaluate("collective", w.u("CS-2"), YEAR, as_of="2026-03-01")
    assert not any(criteria(evaluation).values())
    missing = {c["code"]: c["missing"] for c in evaluation["criteria"]}
    assert missing["launched_and_organised"] == ["launch", "dissemination", "registration", "pledge"]
    assert missing["classified_strong_or_good"] == ["classification"]
    with refused(w, "NOT_ELIGIBLE") as caught:
        nominate(w, "G", "TV-CL", "collective", w.u("CS-2"), "giay_khen_cap_tren")
    assert set(caught.value.details["failed"]) == set(criteria(evaluation))


def test_r4_2_an_individual_needs_an_effective_applied_initiative_and_attested_compliance(
        w: World) -> None:
    d = w.awards.evaluate("individual", w.p("D"), YEAR, as_of="2026-03-01")
    assert criteria(d) == {"initiative_applied_effective": True, "compliance": False}
    attest(w, "individual", w.p("D"), "A", "CS-1")
    assert w.awards.evaluate("individual", w.p("D"), YEAR, as_of="2026-03-01")["eligible"]
    k = w.awards.evaluate("individual", w.p("K"), YEAR, as_of="2026-03-01")
    assert criteria(k)["initiative_applied_effective"] is False
    # an attestation that compliance was not met is a failing criterion, with its evidence
    attest(w, "individual", w.p("E"), "A", "CS-1", met=False)
    e = w.awards.evaluate("individual", w.p("E"), YEAR, as_of="2026-03-01")
    assert criteria(e) == {"initiative_applied_effective": True, "compliance": False}
    with refused(w, "NOT_ELIGIBLE") as caught:
        nominate(w, "A", "CS-1", "individual", w.p("E"), "giay_khen_cdcs")
    assert caught.value.details["failed"] == ["compliance"]


def test_r4_2_a_revoked_initiative_no_longer_makes_its_author_eligible(w: World) -> None:
    attest(w, "individual", w.p("E"), "A", "CS-1")
    assert w.awards.evaluate("individual", w.p("E"), YEAR)["eligible"]
    w.call("initiatives", "revoke", "A", w.m.initiatives["SK-02"], "2026-04-01",
           "false_declaration", "Kê khai không trung thực", number="20/QĐ-CĐCS")
    w.sync()
    assert not w.awards.evaluate("individual", w.p("E"), YEAR)["eligible"]
    assert w.awards.evaluate("individual", w.p("E"), YEAR, as_of="2026-03-31")["eligible"]


# --- R4.3: who confers what, for whom ----------------------------------------------------------

def test_r4_3_the_grassroots_committee_rewards_individuals_of_its_own_union_only(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    attest(w, "individual", w.p("F"), "G", "TV-CL")
    with refused(w, "OUTSIDE_SCOPE"):  # F is a member of CS-2
        nominate(w, "A", "CS-1", "individual", w.p("F"), "giay_khen_cdcs")
    with refused(w, "FORM_NOT_FOR_SUBJECT"):
        nominate(w, "A", "CS-1", "collective", w.u("CS-1"), "giay_khen_cdcs")
    with refused(w, "NO_AUTHORITY"):  # G does not sit on CS-1's executive committee
        nominate(w, "G", "CS-1", "individual", w.p("D"), "giay_khen_cdcs")
    nomination = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs")
    assert nomination["to_union_id"] == w.u("CS-1") and nomination["evaluation"]["eligible"]
    with refused(w, "NO_AUTHORITY"):
        w.call("awards", "decide_award", "G", w.u("CS-1"), "giay_khen_cdcs", "2026-03-10",
               "05/QĐ-CĐCS", [nomination["nomination_id"]], "Thành tích năm 2025")
    with refused(w, "ABOVE_AUTHORITY"):  # the grassroots committee does not confer Bằng khen
        w.call("awards", "decide_award", "A", w.u("CS-1"), "bang_khen_tinh", "2026-03-10",
               "05/QĐ-CĐCS", [nomination["nomination_id"]], "Thành tích năm 2025")
    award = w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs", "2026-03-10",
                   "05/QĐ-CĐCS", [nomination["nomination_id"]], "Thành tích năm 2025")
    assert award["awardees"][0]["name"] == "Thạch Thị Sa Rai"
    assert award["signer"]["person_id"] == w.p("A") and award["signer"]["position"] == "chairman"
    assert award["decision"]["authority"]["body_id"] == w.m.province.bodies["CS-1/executive_committee"]


def test_r4_3_nominations_go_one_level_up_the_tree_and_no_further(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    with refused(w, "ABOVE_AUTHORITY") as caught:  # CS-1 proposes to Càng Long, not the province
        nominate(w, "A", "CS-1", "individual", w.p("D"), "bang_khen_tinh")
    assert caught.value.details["level_above"] == "direct_superior"
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren")
    assert up["to_union_id"] == w.u("TV-CL")
    # a grassroots union directly under the province proposes to the province itself
    person = w.p("J")
    attest(w, "individual", person, "J", "CS-VP")
    with refused(w, "NOT_ELIGIBLE"):  # J has no initiative: the criteria still apply
        nominate(w, "J", "CS-VP", "individual", person, "bang_khen_tinh")
    with refused(w, "OUTSIDE_SCOPE"):  # and CS-VP cannot propose someone of CS-1
        nominate(w, "J", "CS-VP", "individual", w.p("D"), "bang_khen_tinh")


def test_r4_3_the_province_decides_only_on_submission(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    own = nominate(w, "H", "TV", "individual", w.p("D"), "bang_khen_tinh")
    with refused(w, "NOT_ON_SUBMISSION"):  # the province's own nomination: not on submission
        w.call("awards", "decide_award", "H", w.u("TV"), "bang_khen_tinh", "2026-04-01",
               "99/QĐ-LĐLĐ", [own["nomination_id"]], "Thành tích xuất sắc")
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren")
    with refused(w, "NOT_ON_SUBMISSION"):  # proposed, but never submitted
        w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren", "2026-04-01",
               "40/QĐ-LĐLĐ", [up["nomination_id"]], "Thành tích")
    w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-07", [w.p(x) for x in "AB"],
           {up["nomination_id"]: {"for": 2}}, "Họp BCH")
    submission = w.call("awards", "draft_submission", "A", w.u("CS-1"), YEAR,
                        [up["nomination_id"]], "2026-03-08")
    w.call("awards", "submit", "A", submission, "2026-03-08")
    # the direct-superior standing committee rewards at its own level, on the submission
    award = w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren",
                   "2026-04-01", "40/QĐ-LĐLĐ", [up["nomination_id"]], "Thành tích")
    assert award["submission_id"] == submission and award["form"]["level"] == "direct_superior"


def test_r4_3_authority_is_judged_as_of_the_decision_date(w: World) -> None:
    """G leaves Càng Long's standing committee on 1 April 2026: a decision dated the day
    before is G's to make, one dated that day is not."""
    attest(w, "collective", w.u("CS-1"))
    with use_context(ADMIN):
        w.registry.relieve(w.m.province.bodies["TV-CL/standing_committee"], w.p("G"), "2026-04-01")
    w.sync()
    first = nominate(w, "G", "TV-CL", "collective", w.u("CS-1"), "giay_khen_cap_tren")
    second = nominate(w, "G", "TV-CL", "collective", w.u("CS-1"), "bieu_duong_cap_tren")
    with refused(w, "NO_AUTHORITY") as caught:  # the committee sits on, without G
        w.call("awards", "decide_award", "G", w.u("TV-CL"), "bieu_duong_cap_tren", "2026-04-01",
               "41/QĐ-LĐLĐ", [second["nomination_id"]], "Biểu dương")
    assert caught.value.details["on"] == "2026-04-01"
    award = w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren",
                   "2026-03-31", "40/QĐ-LĐLĐ", [first["nomination_id"]], "Thành tích")
    assert award["decision"]["authority"]["as_of"] == "2026-03-31"


def test_r4_5_a_concurrent_decision_on_the_same_achievement_stores_nothing_and_says_why(
        w: World, store_url: str, settings_for: Any) -> None:
    """Two instances of the service check, then save: the second to save collides on the
    achievement's id and is refused with the code, not a raw database error (R5.3)."""
    attest(w, "individual", w.p("D"), "A", "CS-1")
    first = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs")
    second = nominate(w, "A", "CS-1", "individual", w.p("D"), "bieu_duong_cdcs")
    other = Awards(settings_for(store_url), clock=w.awards.clock)
    save = other.save

    def racing_save(*aggregates: Any, **kwargs: Any) -> Any:
        w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs", "2026-03-10",
               "05/QĐ-CĐCS", [first["nomination_id"]], "Thành tích năm 2025")
        return save(*aggregates, **kwargs)

    other.save = racing_save  # type: ignore[method-assign]
    with use_context(acting(w.p("A"))), pytest.raises(DomainError) as caught:
        other.decide_award(w.u("CS-1"), "bieu_duong_cdcs", "2026-03-10", "06/QĐ-CĐCS",
                           [second["nomination_id"]], "Biểu dương")
    assert caught.value.code == "ACHIEVEMENT_ALREADY_REWARDED"
    assert [a["number"] for a in w.awards.awards(w.u("CS-1"))] == ["05/QĐ-CĐCS"]
    assert w.awards.get_nomination(second["nomination_id"])["award_id"] is None


# --- R4.3, R4.4, R4.5: the full path ---------------------------------------------------------

def test_r4_3_r4_4_r4_5_an_individual_from_grassroots_to_province_and_revoked(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    sk01 = w.m.initiatives["SK-01"]
    # 1. the grassroots committee rewards D, and proposes D to Càng Long
    own = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs", initiative_ids=[sk01])
    grassroots = w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs",
                        "2026-03-05", "05/QĐ-CĐCS", [own["nomination_id"]], "Thành tích năm 2025")
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren", "2026-03-06",
                  initiative_ids=[sk01])
    assert up["relies_on"] == [grassroots["award_id"]]
    with refused(w, "NO_QUORUM"):
        w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-07", [w.p("A")],
               {up["nomination_id"]: {"for": 1}}, "Họp BCH")
    w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-03-07", [w.p(x) for x in "ABC"],
           {up["nomination_id"]: {"for": 3}}, "Họp BCH bình xét: 3/3 tán thành")
    to_cl = w.call("awards", "draft_submission", "A", w.u("CS-1"), YEAR, [up["nomination_id"]],
                   "2026-03-08")
    w.call("awards", "submit", "A", to_cl, "2026-03-08", "03/TTr-CĐCS")
    # 2. Càng Long's standing committee takes D up to the province, with the dossier
    to_tv = nominate(w, "G", "TV-CL", "individual", w.p("D"), "bang_khen_tinh", "2026-03-15",
                     carries=up["nomination_id"])
    assert to_tv["to_union_id"] == w.u("TV") and to_tv["initiative_ids"] == [sk01]
    assert to_tv["relies_on"] == [grassroots["award_id"]]
    w.call("awards", "hold_selection", "G", w.u("TV-CL"), "2026-03-16", [w.p("G")],
           {to_tv["nomination_id"]: {"for": 1}}, "Họp BTV bình xét")
    submission = w.call("awards", "draft_submission", "G", w.u("TV-CL"), YEAR,
                        [to_tv["nomination_id"]], "2026-03-17")
    with refused(w, "DOSSIER_INCOMPLETE") as caught:
        w.call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    assert {m["item"] for m in caught.value.details["missing"]} == {
        "submission_letter", "initiative_summary", "minutes_extract"}
    w.call("awards", "attach_document", "G", submission, "submission_letter", "to-trinh.pdf",
           "application/pdf", pdf("Tờ trình 15/TTr-LĐLĐ"), "2026-03-18")
    w.call("awards", "attach_document", "G", submission, "minutes_extract", "bien-ban.pdf",
           "application/pdf", pdf("Trích biên bản"), "2026-03-18")
    with refused(w, "DOSSIER_INCOMPLETE") as caught:
        w.call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    assert caught.value.details["missing"] == [
        {"item": "initiative_summary", "nomination_id": to_tv["nomination_id"]}]
    w.call("awards", "attach_document", "G", submission, "initiative_summary", "tom-tat.pdf",
           "application/pdf", pdf("Tóm tắt sáng kiến"), "2026-03-18", to_tv["nomination_id"])
    w.call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    # 3. the province returns it for a supplement, Càng Long adds it and submits again
    with refused(w, "NO_AUTHORITY"):  # only the receiver's standing committee returns it
        w.call("awards", "return_submission", "G", submission, "2026-03-25", "Thiếu", ["x"])
    w.call("awards", "return_submission", "H", submission, "2026-03-25",
           "Bổ sung bản sao quyết định công nhận sáng kiến", ["recognition_decision"])
    w.call("awards", "attach_document", "G", submission, "recognition_decision", "qd-12.pdf",
           "application/pdf", pdf("QĐ 12/QĐ-CĐCS"), "2026-03-26", to_tv["nomination_id"])
    resubmitted = w.call("awards", "submit", "G", submission, "2026-03-26", "15/TTr-LĐLĐ")
    assert [r["round"] for r in resubmitted["rounds"]] == [1, 2]
    assert resubmitted["rounds"][0]["returned"]["missing"] == ["recognition_decision"]
    # 4. the province's standing committee decides, with number, date, signer, achievement
    award = w.call("awards", "decide_award", "H", w.u("TV"), "bang_khen_tinh", "2026-04-10",
                   "99/QĐ-LĐLĐ", [to_tv["nomination_id"]], "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh",
                   evidence=["bien-ban-hop-btv.pdf"])
    decision = award["decision"]
    assert (award["number"], award["decided_on"], award["signer"]["name"]) == (
        "99/QĐ-LĐLĐ", "2026-04-10", "Lâm Thị Hạnh")
    assert decision["authority"]["union_id"] == w.u("TV")
    assert decision["rule_set"] == {"book": "awards", "version": "awards/2024-05",
                                    "in_force_from": "2024-05-29"}
    assert award["awardees"][0]["relies_on"] == [grassroots["award_id"]]
    assert w.awards.get_submission(submission)["status"] == "decided"
    # the proceedings of the nomination the province decided on, step by step (R4.4, R4.5)
    steps = w.awards.proceedings(to_tv["nomination_id"])["steps"]
    assert [(s["record"], s["event"], s["on"]) for s in steps] == [
        ("Attestation", "Attested", "2026-02-15"), ("Nomination", "Nominated", "2026-03-15"),
        ("SelectionMeeting", "Held", "2026-03-16"), ("Submission", "Drafted", "2026-03-17"),
        ("Submission", "Submitted", "2026-03-18"), ("Submission", "Returned", "2026-03-25"),
        ("Submission", "Submitted", "2026-03-26"), ("Award", "Decided", "2026-04-10")]
    assert steps[2]["votes"] == {"for": 1} and steps[2]["selected"] is True
    assert steps[4]["round"]["returned"]["missing"] == ["recognition_decision"]
    assert steps[5]["round"] == steps[4]["round"] and steps[6]["round"]["returned"] is None
    assert steps[5]["decision"]["reason"].startswith("Bổ sung bản sao")
    assert steps[-1]["number"] == "99/QĐ-LĐLĐ" and steps[-1]["actor"]["user_id"] == w.p("H")
    assert steps[-1]["decision"]["authority"]["union_id"] == w.u("TV")
    # 5. the grassroots award is revoked later: the province's award that relied on it is listed
    with refused(w, "REVOCATION_GROUND_INVALID"):
        w.call("awards", "revoke_award", "A", grassroots["award_id"], "2026-05-01", "changed_mind",
               "Không còn phù hợp", {"certificate": True, "money_vnd": 500_000})
    with refused(w, "REASON_REQUIRED"):
        w.call("awards", "revoke_award", "A", grassroots["award_id"], "2026-05-01",
               "false_declaration", " ", {"certificate": True, "money_vnd": 500_000})
    with refused(w, "NO_AUTHORITY"):  # another union's committee
        w.call("awards", "revoke_award", "J", grassroots["award_id"], "2026-05-01",
               "false_declaration", "Kê khai sai", {"certificate": True, "money_vnd": 500_000})
    revoked = w.call("awards", "revoke_award", "A", grassroots["award_id"], "2026-05-01",
                     "false_declaration", "Kê khai thành tích không trung thực",
                     {"certificate": True, "money_vnd": 500_000}, number="21/QĐ-CĐCS")
    assert [d["award_id"] for d in revoked["dependents"]] == [award["award_id"]]
    assert revoked["recovery"] == {"certificate": True, "money_vnd": 500_000, "note": None}
    assert w.awards.get_award(grassroots["award_id"])["awardees"][0]["status"] == "revoked"
    with refused(w, "ALREADY_REVOKED"):
        w.call("awards", "revoke_award", "A", grassroots["award_id"], "2026-05-02",
               "false_declaration", "Lần nữa", {"certificate": True})
    # what was published, each decision with its record (R4.5)
    names = [e["name"] for e in w.awards.published_page(None, limit=1000)["envelopes"]]
    assert names.count("awards.award_decided") == 2 and names.count("awards.dossier_submitted") == 3
    assert "awards.dossier_returned" in names and "awards.award_revoked" in names
    assert names.count("awards.nominated") == 3


def test_r4_5_the_same_achievement_is_rewarded_once_in_one_form(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    first = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs")
    second = nominate(w, "A", "CS-1", "individual", w.p("D"), "bieu_duong_cdcs")
    w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs", "2026-03-10",
           "05/QĐ-CĐCS", [first["nomination_id"]], "Thành tích năm 2025")
    with refused(w, "DECISION_NUMBER_TAKEN"):
        w.call("awards", "decide_award", "A", w.u("CS-1"), "bieu_duong_cdcs", "2026-03-11",
               "05/qđ-cđcs", [second["nomination_id"]], "Biểu dương")
    with refused(w, "ACHIEVEMENT_ALREADY_REWARDED") as caught:
        w.call("awards", "decide_award", "A", w.u("CS-1"), "bieu_duong_cdcs", "2026-03-11",
               "06/QĐ-CĐCS", [second["nomination_id"]], "Biểu dương")
    assert caught.value.details["revoked"] is False


def test_r4_5_a_decision_applies_the_rule_set_in_force_on_its_date(w: World) -> None:
    assert w.awards.forms("2024-05-28")["rule_set"]["version"] == "awards/2019-10"
    catalogue = w.awards.forms("2026-01-01")
    assert catalogue["rule_set"]["version"] == "awards/2024-05"
    by_code = {f["code"]: f for f in catalogue["forms"]}
    assert by_code["giay_khen_cdcs"]["level"] == "grassroots"
    assert by_code["giay_khen_cdcs"]["subjects"] == ["individual"]
    assert by_code["bang_khen_tinh"]["body"] == "standing_committee"
    with pytest.raises(DomainError) as caught:
        w.awards.forms("2019-01-01")
    assert caught.value.code == "NO_RULE_SET_IN_FORCE"


# --- R4.4: documents and dossiers --------------------------------------------------------------

def test_r4_4_documents_are_stored_once_by_their_hash_and_verified(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren")
    submission = w.call("awards", "draft_submission", "A", w.u("CS-1"), YEAR,
                        [up["nomination_id"]], "2026-03-08")
    content = pdf("Tờ trình của Công đoàn cơ sở")
    first = w.call("awards", "attach_document", "A", submission, "submission_letter", "a.pdf",
                   "application/pdf", content, "2026-03-08")
    again = w.call("awards", "attach_document", "A", submission, "other", "b.pdf",
                   "application/pdf", content, "2026-03-08")
    assert first["sha256"] == again["sha256"]
    stored = w.awards.get_document(first["sha256"])
    assert stored["verified"] and base64.b64decode(stored["content_base64"]) == base64.b64decode(content)
    with refused(w, "DOCUMENT_INVALID"):
        w.call("awards", "attach_document", "A", submission, "other", "c.pdf", "application/pdf",
               "not base64!", "2026-03-08")
    with refused(w, "INVALID_INPUT"):
        w.call("awards", "attach_document", "A", submission, "selfie", "c.pdf", "application/pdf",
               content, "2026-03-08")
    # to a direct-superior union no dossier is required, but the selection is
    with refused(w, "NOT_SELECTED"):
        w.call("awards", "submit", "A", submission, "2026-03-09")


def test_r4_4_a_collective_dossier_to_the_province_is_complete_only_with_every_item(
        w: World) -> None:
    attest(w, "collective", w.u("CS-1"))
    nomination = nominate(w, "G", "TV-CL", "collective", w.u("CS-1"), "bang_khen_tinh")
    submission = w.call("awards", "draft_submission", "G", w.u("TV-CL"), YEAR,
                        [nomination["nomination_id"]], "2026-03-10")
    assert {m["item"] for m in w.awards.dossier_check(submission)["missing"]} == {
        "submission_letter", "achievement_summary", "minutes_extract", "selection_result"}
    w.call("awards", "hold_selection", "G", w.u("TV-CL"), "2026-03-10", [w.p("G")],
           {nomination["nomination_id"]: {"for": 0, "against": 1}}, "Không tán thành")

    def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
        return w.call(service, method, letter, *args, **kwargs)

    full_dossier(call, "G", submission, {nomination["nomination_id"]: "collective"}, "2026-03-11")
    with refused(w, "DOSSIER_INCOMPLETE") as caught:  # the meeting did not select it
        w.call("awards", "submit", "G", submission, "2026-03-11")
    assert caught.value.details["missing"] == [
        {"item": "selection_result", "nomination_id": nomination["nomination_id"]}]
    w.call("awards", "hold_selection", "G", w.u("TV-CL"), "2026-03-12", [w.p("G")],
           {nomination["nomination_id"]: {"for": 1}}, "Bình xét lại: tán thành")
    assert w.call("awards", "submit", "G", submission, "2026-03-12")["status"] == "submitted"
    award = w.call("awards", "decide_award", "H", w.u("TV"), "bang_khen_tinh", "2026-04-01",
                   "100/QĐ-LĐLĐ", [nomination["nomination_id"]], "Tập thể xuất sắc")
    assert award["awardees"][0]["subject"] == "collective"


def test_r4_4_r4_5_the_office_prints_the_letter_the_decision_and_the_list(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    own = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs",
                   initiative_ids=[w.m.initiatives["SK-01"]])
    award = w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs", "2026-03-05",
                   "05/QĐ-CĐCS", [own["nomination_id"]], "Thành tích năm 2025")

    def text(file: dict[str, Any]) -> str:
        document = Docx(io.BytesIO(base64.b64decode(file["content_base64"])))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)

    file = w.awards.render_decision(award["award_id"], "docx")
    assert file["filename"] == "quyet-dinh-05-QĐ-CĐCS.docx"
    decision = text(file)
    for expected in ("QUYẾT ĐỊNH", "05/QĐ-CĐCS", "Giấy khen của Ban Chấp hành công đoàn cơ sở",
                     "Nguyễn Văn An", "Càng Long, ngày 05 tháng 3 năm 2026",
                     "Quyết định 999/QĐ-TLĐ"):
        assert expected in decision, expected
    assert "awards/2024-05" not in decision  # the rule book's version stays in the record
    listing = text(w.awards.render_award_list(award["award_id"], "docx"))
    assert "Thạch Thị Sa Rai" in listing and "Công đoàn cơ sở Trường Tiểu học Càng Long" in listing
    up = nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cap_tren",
                  initiative_ids=[w.m.initiatives["SK-01"]])
    submission = w.call("awards", "draft_submission", "A", w.u("CS-1"), YEAR,
                        [up["nomination_id"]], "2026-03-08")
    letter = text(w.awards.render_submission_letter(submission, w.p("A"), "docx"))
    for expected in ("TỜ TRÌNH", "Thạch Thị Sa Rai", "Liên đoàn Lao động huyện Càng Long",
                     "12/QĐ-CĐCS-SK-01"):
        assert expected in letter, expected


def test_r4_1_r4_5_bad_input_is_refused_with_a_code_and_changes_nothing(w: World) -> None:
    attest(w, "individual", w.p("D"), "A", "CS-1")
    with refused(w, "EVIDENCE_REQUIRED"):
        w.call("awards", "attest", "A", w.u("CS-1"), "individual", w.p("E"), YEAR, "2026-02-15",
               "Chấp hành tốt", [])
    with refused(w, "FORM_UNKNOWN"):
        nominate(w, "A", "CS-1", "individual", w.p("D"), "huan_chuong")
    with refused(w, "INVALID_INPUT"):
        nominate(w, "A", "CS-1", "robot", w.p("D"), "giay_khen_cdcs")
    with refused(w, "DATE_IN_FUTURE"):
        nominate(w, "A", "CS-1", "individual", w.p("D"), "giay_khen_cdcs", on="2027-01-01")
    with refused(w, "INVALID_INPUT"):
        nominate(w, "A", "CS-1", "individual", "not-an-id", "giay_khen_cdcs")
    with refused(w, "NOMINATION_NOT_FOUND"):
        w.call("awards", "decide_award", "A", w.u("CS-1"), "giay_khen_cdcs", "2026-03-10",
               "05/QĐ-CĐCS", [w.p("D")], "Thành tích")
    with refused(w, "ACTOR_REQUIRED"):
        w.awards.attest(w.u("CS-1"), "individual", w.p("E"), YEAR, "2026-02-15", "Chấp hành tốt",
                        ["x.pdf"])
