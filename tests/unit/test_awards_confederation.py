"""The Confederation as a level that decides (R4.3, R4.4, R4.5): its forms in the rule book
version in force from 1/6/2026 (``awards/2026-06``), the province's standing committee
proposing upward with a dossier, the Confederation's standing committee (its Presidium,
Đoàn Chủ tịch) deciding; one achievement rewarded once across all levels. Every test runs
on SQLite and on PostgreSQL, on the awards world (``tests.support.awards_world``) with the
Confederation's committees added by the registry's own commands."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from gateway.messages import detail
from runtime.context import use_context
from runtime.errors import DomainError
from services.awards.application import Awards
from services.awards.documents import text_of
from tests.support.awards_world import World, full_dossier, to_the_province, world
from tests.support.province import ADMIN, TERM, acting

YEAR = 2025
NEW = {"book": "awards", "version": "awards/2026-06", "in_force_from": "2026-06-01"}


@pytest.fixture
def w(store_url: str, settings_for: Any) -> World:
    made = world(settings_for(store_url))
    confederation_committees(made)
    return made


def confederation_committees(w: World) -> None:
    """VN's executive and standing committees, T (Phan Văn Trung) chairing both."""
    registry, province = w.registry, w.m.province
    with use_context(ADMIN):
        person = str(registry.register_person("P-T", "Phan Văn Trung", TERM, None,
                                              is_official=True, is_full_time=True))
        province.people["T"] = person
        for kind, name in (("executive_committee", "Ban Chấp hành Tổng Liên đoàn"),
                           ("standing_committee", "Đoàn Chủ tịch Tổng Liên đoàn")):
            body = str(registry.constitute_body(province.unions["VN"], kind, name, TERM))
            province.bodies[f"VN/{kind}"] = body
            registry.appoint(body, person, "chairman", TERM)
    w.sync()


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


def attest_d(w: World) -> None:
    w.call("awards", "attest", "A", w.u("CS-1"), "individual", w.p("D"), YEAR, "2026-02-15",
           "Nội bộ đoàn kết, chấp hành tốt chủ trương, pháp luật", ["xac-nhan-cua-dang-uy.pdf"])


def propose_to_confederation(w: World, form: str = "bang_khen_tld",
                             on: str = "2026-06-02") -> tuple[dict[str, Any], str]:
    """The province's standing committee (H) nominates D upward, selects the nomination, and
    drafts its submission (not yet submitted) to the Confederation."""
    sk01 = w.m.initiatives["SK-01"]
    nomination = dict(w.call("awards", "nominate", "H", w.u("TV"), "individual", w.p("D"), YEAR,
                             form, "Sáng kiến sổ theo dõi đoàn viên điện tử, nhân rộng toàn tỉnh",
                             on, initiative_ids=[sk01]))
    w.call("awards", "hold_selection", "H", w.u("TV"), "2026-06-03", [w.p("H")],
           {nomination["nomination_id"]: {"for": 1}}, "Họp Ban Thường vụ LĐLĐ tỉnh bình xét")
    submission = w.call("awards", "draft_submission", "H", w.u("TV"), YEAR,
                        [nomination["nomination_id"]], "2026-06-04")
    return nomination, str(submission)


def submit_with_dossier(w: World, nomination: dict[str, Any], submission: str) -> dict[str, Any]:
    full_dossier(w.call, "H", submission, {nomination["nomination_id"]: "individual"}, "2026-06-05")
    w.call("awards", "attach_document", "H", submission, "recognition_decision", "qd-99.pdf",
           "application/pdf", base64.b64encode(b"%PDF-1.4\n% QD\n").decode(), "2026-06-05",
           nomination["nomination_id"])
    return dict(w.call("awards", "submit", "H", submission, "2026-06-05", "45/TTr-LĐLĐ"))


# --- the rule book -------------------------------------------------------------------------------

def test_r4_3_the_confederations_forms_are_in_force_from_their_version_only(w: World) -> None:
    before = w.awards.forms("2026-05-31")
    assert before["rule_set"]["version"] == "awards/2024-05"
    assert not [f for f in before["forms"] if f["level"] == "confederation"]
    catalogue = w.awards.forms("2026-06-15")
    assert catalogue["rule_set"] == NEW
    confederation = {f["code"]: f for f in catalogue["forms"] if f["level"] == "confederation"}
    assert {code: (f["title"], f["subjects"], f["body"]) for code, f in confederation.items()} == {
        "bang_khen_tld": ("Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam",
                          ["collective", "individual"], "standing_committee"),
        "bang_lao_dong_sang_tao": ("Bằng Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam",
                                   ["individual"], "standing_committee"),
        "co_thi_dua_tld": ("Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam", ["collective"],
                           "standing_committee")}
    assert confederation["bang_lao_dong_sang_tao"]["min_value_saved_vnd"] == 100_000_000
    # the province's forms are unchanged; what is the federation's own reading is said
    assert {f["code"] for f in before["forms"]} < {f["code"] for f in catalogue["forms"]}
    assert any("999/QĐ-TLĐ ngày 29/5/2024" in b for b in catalogue["basis"])
    assert any("100.000.000 đ" in r and "cấu hình" in r for r in catalogue["reading"])


# --- R4.3, R4.4: the province proposes with a dossier, the Confederation decides ---------------

def test_r4_3_r4_4_the_province_proposes_to_the_confederation_with_a_dossier_decided_there(
        w: World) -> None:
    attest_d(w)
    with refused(w, "ABOVE_AUTHORITY"):  # the province does not confer the Confederation's forms
        w.call("awards", "decide_award", "H", w.u("TV"), "bang_khen_tld", "2026-06-02",
               "50/QĐ-LĐLĐ", [w.p("D")], "Thành tích")
    nomination, submission = propose_to_confederation(w)
    assert nomination["to_union_id"] == w.u("VN") and nomination["union_id"] == w.u("TV")
    assert nomination["decision"]["rule_set"] == NEW
    with refused(w, "NOT_ON_SUBMISSION"):  # proposed, not yet submitted
        w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-20",
               "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc")
    with refused(w, "DOSSIER_INCOMPLETE") as caught:  # R4.4: to the Confederation, a dossier
        w.call("awards", "submit", "H", submission, "2026-06-05", "45/TTr-LĐLĐ")
    assert {m["item"] for m in caught.value.details["missing"]} == {
        "submission_letter", "initiative_summary", "minutes_extract"}
    submitted = submit_with_dossier(w, nomination, submission)
    assert submitted["status"] == "submitted" and submitted["to_union_id"] == w.u("VN")
    with refused(w, "NO_AUTHORITY"):  # the province's chairman does not sit on VN's committee
        w.call("awards", "decide_award", "H", w.u("VN"), "bang_khen_tld", "2026-06-20",
               "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc")
    award = w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-20",
                   "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc",
                   evidence=["bien-ban-hop-doan-chu-tich.pdf"])
    assert award["submission_id"] == submission and award["form"]["level"] == "confederation"
    assert award["decision"]["authority"]["union_id"] == w.u("VN")
    assert award["decision"]["authority"]["body_id"] == w.m.province.bodies["VN/standing_committee"]
    assert award["decision"]["rule_set"] == NEW
    assert award["signer"]["name"] == "Phan Văn Trung"
    assert w.awards.get_submission(submission)["status"] == "decided"
    steps = w.awards.proceedings(nomination["nomination_id"])["steps"]
    assert [(s["record"], s["event"]) for s in steps][-2:] == [
        ("Submission", "Submitted"), ("Award", "Decided")]
    # the Confederation decides on the province's submission, not on a nomination of its own
    own = w.call("awards", "nominate", "T", w.u("VN"), "individual", w.p("D"), YEAR,
                 "bang_khen_tld", "Sáng kiến", "2026-06-21")
    assert own["to_union_id"] == w.u("VN")
    with refused(w, "NOT_ON_SUBMISSION"):
        w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-22",
               "1235/QĐ-TLĐ", [own["nomination_id"]], "Thành tích")
    with refused(w, "NO_AUTHORITY"):  # the province does not revoke what is above it
        w.call("awards", "revoke_award", "H", award["award_id"], "2026-06-25",
               "false_declaration", "Kê khai sai", {"certificate": True})
    revoked = w.call("awards", "revoke_award", "T", award["award_id"], "2026-06-25",
                     "false_declaration", "Kê khai thành tích không trung thực",
                     {"certificate": True, "money_vnd": 0}, number="1300/QĐ-TLĐ")
    assert revoked["decision"]["authority"]["union_id"] == w.u("VN")


def test_r4_3_only_the_province_proposes_to_the_confederation(w: World) -> None:
    """Nominations go one level up: a direct-superior union proposes to the province, and a
    grassroots union directly under the province proposes to the province too; neither goes
    straight to the Confederation, which decides on the province's proposal (R4.3: nobody
    proposes or decides above their authority)."""
    attest_d(w)
    with refused(w, "ABOVE_AUTHORITY") as caught:
        w.call("awards", "nominate", "G", w.u("TV-CL"), "individual", w.p("D"), YEAR,
               "bang_khen_tld", "Sáng kiến", "2026-06-02")
    assert caught.value.details == {"form": "bang_khen_tld", "form_level": "confederation",
                                    "level_above": "provincial_federation"}
    with refused(w, "ABOVE_AUTHORITY"):
        w.call("awards", "nominate", "J", w.u("CS-VP"), "collective", w.u("CS-VP"), YEAR,
               "co_thi_dua_tld", "Dẫn đầu phong trào", "2026-06-02")
    # before the version in force from 1/6/2026, the Confederation's forms do not exist
    with refused(w, "FORM_UNKNOWN"):
        w.call("awards", "nominate", "H", w.u("TV"), "individual", w.p("D"), YEAR,
               "bang_khen_tld", "Sáng kiến", "2026-05-31")


# --- one achievement, rewarded once across all levels ------------------------------------------

def test_r4_5_an_achievement_the_province_rewarded_is_not_rewarded_again_by_the_confederation(
        w: World) -> None:
    """D's 2025 work on SK-01, of province-wide reach, got the province's Bằng khen on
    10/4/2026 (under ``awards/2024-05``): the Confederation's Bằng khen for the same
    achievement is refused, and nothing is stored."""
    province = to_the_province(w.call, w.m)
    nomination, submission = propose_to_confederation(w)
    assert nomination["relies_on"] == sorted([province["grassroots_award"], province["award"]])
    submit_with_dossier(w, nomination, submission)
    with refused(w, "ACHIEVEMENT_ALREADY_REWARDED") as caught:
        w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-20",
               "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc")
    assert caught.value.details["award_id"] == province["award"]
    assert w.awards.awards(w.u("VN")) == []
    assert w.awards.get_nomination(nomination["nomination_id"])["award_id"] is None


def test_r4_5_an_achievement_the_confederation_rewarded_is_not_rewarded_again_by_the_province(
        w: World) -> None:
    attest_d(w)
    nomination, submission = propose_to_confederation(w)
    submit_with_dossier(w, nomination, submission)
    w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-20",
           "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc")
    # the province's own nomination for the same achievement goes before it on submission
    # from Càng Long: it is refused there too
    up = w.call("awards", "nominate", "A", w.u("CS-1"), "individual", w.p("D"), YEAR,
                "giay_khen_cap_tren", "Sáng kiến", "2026-06-06",
                initiative_ids=[w.m.initiatives["SK-01"]])
    w.call("awards", "hold_selection", "A", w.u("CS-1"), "2026-06-07", [w.p(x) for x in "ABC"],
           {up["nomination_id"]: {"for": 3}}, "Họp BCH")
    to_cl = w.call("awards", "draft_submission", "A", w.u("CS-1"), YEAR, [up["nomination_id"]],
                   "2026-06-08")
    w.call("awards", "submit", "A", to_cl, "2026-06-08", "07/TTr-CĐCS")
    to_tv = w.call("awards", "nominate", "G", w.u("TV-CL"), "individual", w.p("D"), YEAR,
                   "bang_khen_tinh", "Sáng kiến", "2026-06-09", carries=up["nomination_id"])
    w.call("awards", "hold_selection", "G", w.u("TV-CL"), "2026-06-10", [w.p("G")],
           {to_tv["nomination_id"]: {"for": 1}}, "Họp BTV")
    to_province = w.call("awards", "draft_submission", "G", w.u("TV-CL"), YEAR,
                         [to_tv["nomination_id"]], "2026-06-11")
    full_dossier(w.call, "G", to_province, {to_tv["nomination_id"]: "individual"}, "2026-06-11")
    w.call("awards", "submit", "G", to_province, "2026-06-11", "20/TTr-LĐLĐ")
    with refused(w, "ACHIEVEMENT_ALREADY_REWARDED"):
        w.call("awards", "decide_award", "H", w.u("TV"), "bang_khen_tinh", "2026-06-25",
               "120/QĐ-LĐLĐ", [to_tv["nomination_id"]], "Thành tích")
    # a lower reach of the same work is another achievement, rewarded at its own level
    award = w.call("awards", "decide_award", "G", w.u("TV-CL"), "giay_khen_cap_tren",
                   "2026-06-25", "60/QĐ-LĐLĐ", [up["nomination_id"]], "Thành tích")
    assert award["form"]["level"] == "direct_superior"


# --- Bằng Lao động sáng tạo: its threshold of value created ------------------------------------

def test_r4_3_bang_lao_dong_sang_tao_needs_the_value_created_its_rule_sets(w: World) -> None:
    attest_d(w)
    with refused(w, "NOT_ELIGIBLE") as caught:  # SK-01 saved 12.500.000 đ in 2025
        w.call("awards", "nominate", "H", w.u("TV"), "individual", w.p("D"), YEAR,
               "bang_lao_dong_sang_tao", "Sáng kiến", "2026-06-02",
               initiative_ids=[w.m.initiatives["SK-01"]])
    details = caught.value.details
    assert details["failed"] == ["value_created"]
    assert (details["min_value_saved_vnd"], details["value_saved_vnd"]) == (100_000_000, 12_500_000)
    assert detail("NOT_ELIGIBLE", details, "vi") == (
        "Giá trị làm lợi của sáng kiến áp dụng trong năm mới đạt 12.500.000 đồng, chưa đạt mức "
        "100.000.000 đồng mà hình thức khen thưởng này yêu cầu.")
    # the province's Bằng khen asks for no such value: the same work is eligible for it
    assert w.awards.evaluate("individual", w.p("D"), YEAR, "bang_khen_tld", "2026-06-02",
                             [w.m.initiatives["SK-01"]])["eligible"]
    # SK-01 applied again in 2025, across the district, saving 150.000.000 đ
    w.call("initiatives", "report_application", "A", w.m.initiatives["SK-01"], "2025-06-01",
           "Nhân rộng toàn huyện", 150_000_000, "2025-11-30")
    w.sync()
    nomination, submission = propose_to_confederation(w, "bang_lao_dong_sang_tao")
    value = next(c for c in nomination["evaluation"]["criteria"] if c["code"] == "value_created")
    assert value["met"] and value["value_saved_vnd"] == 150_000_000 and value["evidence"]
    submit_with_dossier(w, nomination, submission)
    award = w.call("awards", "decide_award", "T", w.u("VN"), "bang_lao_dong_sang_tao",
                   "2026-06-20", "1300/QĐ-TLĐ", [nomination["nomination_id"]],
                   "Sáng kiến làm lợi 150.000.000 đồng")
    assert award["form"]["code"] == "bang_lao_dong_sang_tao"


# --- old stores: a decision keeps the rule version it was made under ---------------------------

def test_r4_5_a_decision_made_before_the_new_version_keeps_its_rule_set(
        w: World, store_url: str, settings_for: Any) -> None:
    province = to_the_province(w.call, w.m)
    reopened = Awards(settings_for(store_url), clock=w.awards.clock)  # the store, read afresh
    award = reopened.get_award(province["award"])
    assert award["decided_on"] == "2026-04-10"
    assert award["decision"]["rule_set"] == {"book": "awards", "version": "awards/2024-05",
                                             "in_force_from": "2024-05-29"}
    assert reopened.forms("2026-06-30")["rule_set"] == NEW
    # its decision still cites the basis of 2024-05, not the new version's
    with use_context(acting(w.p("H"))):
        rendered = reopened.render_decision(province["award"], "docx")
    text = text_of(base64.b64decode(rendered["content_base64"]))
    assert "Căn cứ Quyết định 999/QĐ-TLĐ" in text and "05/KH-TLĐ" not in text


# --- the Confederation's decision, as printed (Decree 30/2020) ---------------------------------

def test_r4_5_the_confederations_decision_is_issued_in_its_own_name(w: World, tmp_path: Any) -> None:
    attest_d(w)
    nomination, submission = propose_to_confederation(w)
    submit_with_dossier(w, nomination, submission)
    award = w.call("awards", "decide_award", "T", w.u("VN"), "bang_khen_tld", "2026-06-20",
                   "1234/QĐ-TLĐ", [nomination["nomination_id"]], "Thành tích xuất sắc")
    letter = w.call("awards", "render_submission_letter", "H", submission, w.p("H"), "pdf")
    decision = w.call("awards", "render_decision", "T", award["award_id"], "pdf")
    texts = {}
    for name, file in (("letter", letter), ("decision", decision)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(base64.b64decode(file["content_base64"]))
        texts[name] = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                              capture_output=True, text=True,
                                              check=True).stdout.split())
    text = texts["decision"]
    assert text.count("TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM") >= 1
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH" not in text  # no superior line above the Confederation
    assert "ĐOÀN CHỦ TỊCH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM" in text
    assert "TM. ĐOÀN CHỦ TỊCH" in text and "Phan Văn Trung" in text
    assert "Hà Nội, ngày 20 tháng 6 năm 2026" in text
    assert "Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam" in text
    assert "Căn cứ Kế hoạch số 05/KH-TLĐ" in text
    assert "Căn cứ Hướng dẫn" not in text  # the province's guide binds no Confederation decision
    assert "Liên đoàn Lao động tỉnh Trà Vinh tại Tờ trình số 45/TTr-LĐLĐ" in text
    assert "Đoàn Chủ tịch Tổng Liên đoàn Lao động Việt Nam" in texts["letter"]
