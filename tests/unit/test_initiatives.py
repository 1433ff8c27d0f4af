"""Initiatives (R3.1–R3.8) on the application, with the registry's real events as the facts
authority is judged by; every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook

from runtime.clock import FixedClock
from runtime.context import use_context
from runtime.errors import DomainError
from runtime.store import metadata_of
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from tests.support.province import ADMIN, Province, acting, build, deliver

FIELDS = {"name": "Ứng dụng mã QR quản lý hồ sơ đoàn viên", "objective": "Giảm thời gian tra cứu",
          "implementation_steps": "Khảo sát; xây dựng; áp dụng thử",
          "scope_feasibility_time": "Toàn trường, từ quý II/2025",
          "expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 1, tzinfo=UTC))


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Registry:
    return Registry(settings_for(store_url))


@pytest.fixture
def world(registry: Registry) -> Province:
    return build(registry)


@pytest.fixture
def app(store_url: str, settings_for: Any, registry: Registry, world: Province,
        clock: FixedClock) -> Initiatives:
    initiatives = Initiatives(settings_for(store_url), clock=clock)
    deliver(registry, initiatives)
    return initiatives


def position(app: Initiatives) -> int:
    return app.recorder.max_notification_id() or 0


@contextmanager
def refused(app: Initiatives, code: str) -> Iterator[None]:
    """The command is refused with the code and nothing is recorded."""
    before = position(app)
    with pytest.raises(DomainError) as caught:
        yield
    assert caught.value.code == code, caught.value
    assert position(app) == before


def as_(w: Province, letter: str) -> Any:
    return use_context(acting(w.people[letter]))


def register(app: Initiatives, w: Province, reference: str = "SK-01", kind: str = "initiative",
             on: str = "2025-01-10", **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "union_id": w.unions["CS-1"], "reference": reference, "kind": kind, "fields": FIELDS,
        "authors": [{"person_id": w.people["D"], "share": 60},
                    {"person_id": w.people["A"], "share": 40}],
        "registered_on": on}
    arguments.update(changes)
    with as_(w, "D"):
        return app.register(**arguments)


def evaluate(app: Initiatives, w: Province, initiative: str, votes_for: str = "ABC",
             on: str = "2025-02-01") -> None:
    with as_(w, "A"):
        app.constitute_council(initiative, [w.people[x] for x in "ABC"], "2025-01-20",
                               "Thành lập hội đồng", "05/QĐ-CĐCS")
        scores = {w.people[x]: {"new_within_unit": 8, "applied_with_benefit": 7, "effectiveness": 9}
                  for x in "ABC"}
        votes = {w.people[x]: "for" if x in votes_for else "against" for x in "ABC"}
        app.record_evaluation(initiative, on, scores, votes, "Biên bản họp hội đồng số 1")


def recognise(app: Initiatives, w: Province, initiative: str, on: str = "2025-02-10") -> dict:
    with as_(w, "A"):
        return app.recognise(initiative, on, "Đạt các tiêu chí", "12/QĐ-CĐCS", ["bien-ban-1.pdf"])


def test_r3_1_an_idea_is_raised_coached_then_developed_or_withdrawn(app: Initiatives,
                                                                    world: Province) -> None:
    w = world
    with as_(w, "D"):
        idea = app.raise_idea(w.unions["CS-1"], w.people["D"], "Sổ tay điện tử", "Ý tưởng ban đầu",
                              "2025-01-02")
    with as_(w, "E"), refused(app, "NO_AUTHORITY"):  # not on the incubation team
        app.coach_idea(idea, "Góp ý", "2025-01-03")
    with as_(w, "B"):
        app.coach_idea(idea, "Nên làm rõ mục tiêu và đối tượng áp dụng", "2025-01-03")
    initiative = register(app, w, idea_id=idea)
    assert app.get_idea(idea)["status"] == "developed"
    assert app.get_idea(idea)["initiative_id"] == initiative
    assert app.get_idea(idea)["comments"][0]["by"] == w.people["B"]
    with as_(w, "D"), refused(app, "IDEA_NOT_OPEN"):
        app.withdraw_idea(idea, "Không theo đuổi nữa", "2025-01-11")
    with as_(w, "K"), refused(app, "PERSON_NOT_MEMBER"):  # K belongs to CS-2
        app.raise_idea(w.unions["CS-1"], w.people["K"], "Ý tưởng", "Mô tả", "2025-01-02")
    with as_(w, "E"):
        other = app.raise_idea(w.unions["CS-1"], w.people["E"], "Ý tưởng khác", "Mô tả", "2025-01-05")
        app.withdraw_idea(other, "Trùng với sáng kiến đã có", "2025-01-06")
    assert app.get_idea(other)["status"] == "withdrawn"


def test_r3_2_a_union_designs_its_own_versioned_form_and_registrations_follow_it(
        app: Initiatives, world: Province) -> None:
    w = world
    union = w.unions["CS-1"]
    assert [f["code"] for f in app.get_form(union)["fields"]] == [
        "name", "objective", "implementation_steps", "scope_feasibility_time",
        "expected_effectiveness"]  # the five fields of R3.2, before any design
    with as_(w, "D"), refused(app, "NO_AUTHORITY"):  # only the executive committee designs it
        app.design_form(union, [{"code": "budget", "label": "Kinh phí", "type": "number"}],
                        "2025-01-01", "Mẫu mới")
    with as_(w, "A"):
        version = app.design_form(union, [
            {"code": "budget", "label": "Kinh phí dự kiến (đồng)", "type": "number", "required": True},
            {"code": "field", "label": "Lĩnh vực", "type": "choice",
             "choices": ["Giáo dục", "Hành chính"]}], "2025-01-01", "Theo Nghị quyết BCH", "03/NQ")
    assert version == 2
    with refused(app, "FIELD_MISSING"):  # the union's own required field
        try:
            register(app, w)
        except DomainError as missing:  # named by its path in the request, as a form shows it
            assert missing.details["field"] == "fields.budget"
            raise
    with refused(app, "FIELD_NOT_ON_FORM"):
        register(app, w, fields={**FIELDS, "budget": 5_000_000, "colour": "xanh"})
    with refused(app, "FIELD_MISSING"):  # one of the five can never be dropped
        register(app, w, fields={k: v for k, v in FIELDS.items() if k != "objective"} | {"budget": 1})
    with refused(app, "FIELD_INVALID"):
        register(app, w, fields={**FIELDS, "budget": 1, "field": "Y tế"})
    with refused(app, "FORM_VERSION_UNKNOWN"):
        register(app, w, fields={**FIELDS, "budget": 1}, form_version=7)
    with as_(w, "A"), refused(app, "FORM_INVALID"):  # a union cannot redefine the five
        app.design_form(union, [{"code": "name", "label": "Tên"}], "2025-02-01", "Sửa")
    first = register(app, w, fields={**FIELDS, "budget": 5_000_000, "field": "Giáo dục"})
    on_v1 = register(app, w, "SK-02", fields=FIELDS, form_version=1)  # filled on the old form
    assert app.get_initiative(first)["form_version"] == 2
    assert app.get_initiative(first)["fields"]["budget"] == 5_000_000
    assert app.get_initiative(on_v1)["form_version"] == 1
    with refused(app, "INITIATIVE_EXISTS"):  # the same book number twice
        register(app, w, fields=FIELDS, form_version=1)


def test_r3_2_r3_3_authors_shares_membership_and_official_status_come_from_the_registry(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    with refused(app, "SHARES_NOT_100"):
        register(app, w, authors=[{"person_id": w.people["D"], "share": 60},
                                  {"person_id": w.people["A"], "share": 30}])
    with refused(app, "PERSON_NOT_MEMBER"):  # F is a member of CS-2, not CS-1
        register(app, w, authors=[{"person_id": w.people["D"], "share": 50},
                                  {"person_id": w.people["F"], "share": 50}])
    with refused(app, "AUTHORS_INVALID"):
        register(app, w, authors=[{"person_id": w.people["D"], "share": 100},
                                  {"person_id": w.people["D"], "share": 0}])
    with as_(w, "E"), refused(app, "NOT_AN_AUTHOR"):  # neither an author nor on the committee
        app.register(w.unions["CS-1"], "SK-09", "initiative", FIELDS,
                     [{"person_id": w.people["D"], "share": 100}], "2025-01-10")
    with use_context(ADMIN):
        newcomer = str(registry.register_person("P-N", "Triệu Văn Mới", "2025-01-15", w.unions["CS-1"]))
    deliver(registry, app)
    with refused(app, "PERSON_NOT_MEMBER"):  # before the newcomer's membership began
        register(app, w, authors=[{"person_id": newcomer, "share": 100}], on="2025-01-14")
    initiative = register(app, w, kind="topic")
    authors = app.get_initiative(initiative)["authors"]
    assert [(a["share"], a["is_official"], a["is_full_time"]) for a in authors] == [
        ("60", False, False), ("40", True, True)]
    assert app.get_initiative(initiative)["decide_by"] == "2025-04-10"  # R3.7: 3 months
    assert app.registrants(w.unions["CS-1"], 2025) == {
        "union_id": w.unions["CS-1"], "year": 2025, "registered": 1, "with_official": 1,
        "with_full_time_official": 1, "topics": 1}


def test_r3_4_only_the_executive_committee_of_the_union_recognises_once(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    initiative = register(app, w)
    evaluate(app, w, initiative)
    for letter in "DFG":  # a member, another union's chairman, the superior's standing committee
        with as_(w, letter), refused(app, "NO_AUTHORITY"):
            app.recognise(initiative, "2025-02-10", "Đạt", "12/QĐ")
    with use_context(ADMIN):
        registry.relieve(w.bodies["CS-1/executive_committee"], w.people["C"], "2025-02-05")
    deliver(registry, app)
    with as_(w, "C"), refused(app, "NO_AUTHORITY"):  # C left the committee on 5 February
        app.recognise(initiative, "2025-02-10", "Đạt", "12/QĐ")
    decision = recognise(app, w, initiative)
    assert decision["authority"]["body_id"] == w.bodies["CS-1/executive_committee"]
    assert decision["authority"]["position"] == "chairman"
    with as_(w, "B"), refused(app, "ALREADY_DECIDED"):
        app.recognise(initiative, "2025-02-11", "Lần hai", "13/QĐ")


def test_r3_7_recognition_needs_two_thirds_of_the_council_with_a_union_representative(
        app: Initiatives, world: Province) -> None:
    w = world
    initiative = register(app, w)
    with as_(w, "A"), refused(app, "NOT_EVALUATED"):
        app.recognise(initiative, "2025-02-10", "Đạt", "12/QĐ")
    with as_(w, "A"), refused(app, "COUNCIL_INVALID"):  # no member of the committee on it
        app.constitute_council(initiative, [w.people[x] for x in "DEK"], "2025-01-20", "Hội đồng")
    with as_(w, "A"), refused(app, "COUNCIL_INVALID"):  # too small
        app.constitute_council(initiative, [w.people["A"]], "2025-01-20", "Hội đồng")
    with as_(w, "A"):
        app.constitute_council(initiative, [w.people[x] for x in "ABE"], "2025-01-20", "Hội đồng")
    members = [w.people[x] for x in "ABE"]
    good = {"new_within_unit": 8, "applied_with_benefit": 7, "effectiveness": 6}
    with as_(w, "A"), refused(app, "SCORE_OUT_OF_SCALE"):
        app.record_evaluation(initiative, "2025-02-01", {m: {**good, "effectiveness": 11}
                                                         for m in members}, {})
    with as_(w, "A"), refused(app, "EVALUATION_INVALID"):  # F is not on the council
        app.record_evaluation(initiative, "2025-02-01", {}, {w.people["F"]: "for"})
    with as_(w, "D"), refused(app, "NO_AUTHORITY"):  # only a council member records it
        app.record_evaluation(initiative, "2025-02-01", {m: good for m in members}, {})
    with as_(w, "A"):
        evaluation = app.record_evaluation(
            initiative, "2025-02-01", {m: good for m in members},
            {members[0]: "for", members[1]: "against", members[2]: "abstain"})
    assert evaluation["tally"] == {"for": 1, "against": 1, "abstain": 1}
    with as_(w, "A"), refused(app, "TWO_THIRDS_NOT_REACHED"):
        app.recognise(initiative, "2025-02-10", "Đạt", "12/QĐ")
    with as_(w, "A"), refused(app, "REASON_REQUIRED"):  # a refusal states its reasons
        app.refuse(initiative, "2025-02-10", "  ")
    with as_(w, "A"):
        app.refuse(initiative, "2025-02-10", "Chưa có tính mới trong phạm vi cơ sở", "14/QĐ")
    assert app.get_initiative(initiative)["status"] == "refused"
    with as_(w, "A"), refused(app, "ALREADY_DECIDED"):
        app.record_evaluation(initiative, "2025-02-11", {m: good for m in members},
                              dict.fromkeys(members, "for"))


def test_r3_7_a_topic_is_accepted_before_it_is_recognised(app: Initiatives, world: Province) -> None:
    w = world
    topic = register(app, w, kind="topic")
    evaluate(app, w, topic)
    with as_(w, "A"), refused(app, "TOPIC_NOT_ACCEPTED"):
        app.recognise(topic, "2025-02-10", "Đạt", "12/QĐ")
    with as_(w, "A"):
        app.accept_topic(topic, "2025-02-05", "Đạt yêu cầu nghiệm thu", "Biên bản nghiệm thu", "07/BB")
    recognise(app, w, topic)
    assert app.get_initiative(topic)["acceptance"]["result"] == "Đạt yêu cầu nghiệm thu"
    initiative = register(app, w, "SK-02")
    with as_(w, "A"), refused(app, "NOT_A_TOPIC"):
        app.accept_topic(initiative, "2025-02-05", "Đạt", "Nghiệm thu")


def test_r3_7_undecided_registrations_past_three_months_are_listed_as_overdue(
        app: Initiatives, world: Province, clock: FixedClock) -> None:
    w = world
    late = register(app, w, "SK-01", on="2025-01-10")
    decided = register(app, w, "SK-02", on="2025-01-10")
    evaluate(app, w, decided)
    recognise(app, w, decided)
    register(app, w, "SK-03", on="2025-03-01")
    assert app.overdue(w.unions["CS-1"]) == []  # the clock says 2025-03-01
    clock.advance(timedelta(days=41))  # 2025-04-11: past 10 April
    overdue = app.overdue(w.unions["CS-1"])
    assert [(o["initiative_id"], o["days_overdue"]) for o in overdue] == [(late, 1)]
    assert [o["reference"] for o in app.overdue(None, "2025-06-02")] == ["SK-01", "SK-03"]


def full_path(app: Initiatives, w: Province) -> str:
    initiative = register(app, w)
    evaluate(app, w, initiative)
    recognise(app, w, initiative)
    with as_(w, "A"):
        app.report_application(initiative, "2025-02-15", "Giảm 60% thời gian tra cứu hồ sơ",
                               "12500000", "2025-05-01", "2025-04-30")
    return initiative


def test_r3_6_r3_8_from_idea_to_province_recognition_and_replication(
        app: Initiatives, world: Province) -> None:
    w = world
    initiative = register(app, w)
    with as_(w, "A"), refused(app, "NOT_RECOGNISED"):  # R3.8: only a recognised one
        app.adopt(initiative, w.unions["CS-2"], "2025-06-01", "Nhân rộng")
    evaluate(app, w, initiative)
    recognise(app, w, initiative)
    with as_(w, "A"), refused(app, "NO_APPLICATION_REPORTED"):  # R3.6: effective first
        app.propose(initiative, "2025-05-02", "Đề nghị công nhận")
    with as_(w, "A"), refused(app, "AMOUNT_INVALID"):
        app.report_application(initiative, "2025-02-15", "Lợi ích", -5, "2025-05-01")
    with as_(w, "A"):
        app.report_application(initiative, "2025-02-15", "Giảm 60% thời gian tra cứu hồ sơ",
                               "12500000", "2025-05-01", "2025-04-30")
        proposal = app.propose(initiative, "2025-05-02", "Hiệu quả cao, đề nghị công nhận",
                               ["bao-cao-ap-dung.pdf"], "20/TTr")
    assert (proposal["scope"], proposal["to_union_id"]) == ("direct_superior", w.unions["TV-CL"])
    with as_(w, "A"), refused(app, "PROPOSAL_PENDING"):
        app.propose(initiative, "2025-05-03", "Lần nữa")
    with as_(w, "I"), refused(app, "NO_AUTHORITY"):  # another district's standing committee
        app.recognise_at_level(initiative, "direct_superior", "2025-05-20", "Đạt", "30/QĐ-LĐLĐ")
    with as_(w, "G"), refused(app, "NO_PROPOSAL"):  # nothing was proposed to the province
        app.recognise_at_level(initiative, "province", "2025-05-20", "Đạt", "30/QĐ-LĐLĐ")
    with as_(w, "G"):
        app.recognise_at_level(initiative, "direct_superior", "2025-05-20", "Hiệu quả", "30/QĐ-LĐLĐ")
        upward = app.propose(initiative, "2025-06-01", "Đề nghị LĐLĐ tỉnh công nhận", None, "40/TTr")
    assert (upward["scope"], upward["to_union_id"]) == ("province", w.unions["TV"])
    assert upward["decision"]["authority"]["kind"] == "standing_committee"
    with as_(w, "H"):
        province = app.recognise_at_level(initiative, "province", "2025-06-20",
                                          "Phạm vi ảnh hưởng toàn tỉnh", "99/QĐ-LĐLĐ")
    assert province["authority"]["union_id"] == w.unions["TV"]
    with as_(w, "F"):
        replication = app.adopt(initiative, w.unions["CS-2"], "2025-07-01", "Áp dụng tại bệnh viện")
        app.report_replication(initiative, w.unions["CS-2"], "2025-12-01", "Giảm thời gian", 3_000_000)
    with as_(w, "F"), refused(app, "ALREADY_ADOPTED"):
        app.adopt(initiative, w.unions["CS-2"], "2025-07-02", "Lần nữa")
    with as_(w, "A"), refused(app, "OWN_INITIATIVE"):
        app.adopt(initiative, w.unions["CS-1"], "2025-07-02", "Tự nhân rộng")
    record = app.get_initiative(initiative)
    assert set(record["recognitions"]) == {"grassroots", "direct_superior", "province"}
    assert record["adopted_by"] == [w.unions["CS-2"]]
    assert record["value_saved_vnd"] == 12_500_000
    assert app.get_replication(initiative, w.unions["CS-2"])["results"][0]["value_saved_vnd"] == 3_000_000
    assert replication
    # R3.8: the adopting union lists what it adopted, with what its replication brought.
    adopted = app.replications(w.unions["CS-2"])
    assert [(r["initiative_id"], r["adopted_on"], r["results"], r["value_saved_vnd"]) for r in adopted] == [
        (initiative, "2025-07-01", 1, 3_000_000)]
    assert adopted[0]["reference"] and adopted[0]["union_id"] == w.unions["CS-2"]
    assert app.replications(w.unions["CS-1"]) == []
    published = [e["name"] for e in app.published_page(None)["envelopes"]]
    assert published == ["initiatives.registered", "initiatives.recognised", "initiatives.applied",
                         "initiatives.proposed", "initiatives.recognised_at_level",
                         "initiatives.proposed", "initiatives.recognised_at_level",
                         "initiatives.replicated", "initiatives.replication_result"]


def test_r3_6_a_grassroots_union_under_the_province_proposes_straight_to_it(
        app: Initiatives, world: Province) -> None:
    w = world
    with as_(w, "J"):
        initiative = app.register(w.unions["CS-VP"], "SK-01", "initiative", FIELDS,
                                  [{"person_id": w.people["J"], "share": 100}], "2025-01-10")
    # J alone cannot make a council of three with a representative: the committee is J
    with as_(w, "J"):
        app.constitute_council(initiative, [w.people[x] for x in "JHP"], "2025-01-20", "Hội đồng")
        scores = {w.people[x]: {"new_within_unit": 9, "applied_with_benefit": 9, "effectiveness": 9}
                  for x in "JHP"}
        app.record_evaluation(initiative, "2025-02-01", scores, dict.fromkeys(scores, "for"))
        app.recognise(initiative, "2025-02-10", "Đạt", "01/QĐ")
        app.report_application(initiative, "2025-02-11", "Hiệu quả", 1_000_000, "2025-03-01")
        assert app.propose(initiative, "2025-03-02", "Đề nghị")["scope"] == "province"


def test_r1_5_r3_6_a_union_moved_under_a_new_parent_changes_who_decides_after_not_before(
        app: Initiatives, registry: Registry, world: Province) -> None:
    w = world
    initiative = full_path(app, w)
    with as_(w, "A"):
        app.propose(initiative, "2025-05-02", "Đề nghị công nhận")
    with use_context(ADMIN):
        registry.move_union(w.unions["CS-1"], w.unions["TV-CK"], "2025-06-01")
    deliver(registry, app)
    with as_(w, "I"), refused(app, "NO_AUTHORITY"):  # before the move, Cầu Kè had no say
        app.recognise_at_level(initiative, "direct_superior", "2025-05-31", "Đạt", "31/QĐ")
    with as_(w, "G"), refused(app, "NO_AUTHORITY"):  # after it, Càng Long has none
        app.recognise_at_level(initiative, "direct_superior", "2025-06-01", "Đạt", "31/QĐ")
    with as_(w, "I"):
        decision = app.recognise_at_level(initiative, "direct_superior", "2025-06-02", "Đạt", "31/QĐ")
    assert decision["authority"]["union_id"] == w.unions["TV-CK"]
    assert app.known_union(w.unions["CS-1"], "2025-05-31")["parent_id"] == w.unions["TV-CL"]


def test_r3_4_nothing_is_decided_for_a_dissolved_union(app: Initiatives, registry: Registry,
                                                       world: Province) -> None:
    w = world
    initiative = register(app, w)
    evaluate(app, w, initiative)
    with use_context(ADMIN):
        registry.dissolve_union(w.unions["CS-1"], "2025-02-05")
    deliver(registry, app)
    with as_(w, "A"), refused(app, "UNION_NOT_ACTIVE"):
        app.recognise(initiative, "2025-02-10", "Đạt", "12/QĐ")


def test_r4_5_a_revocation_states_its_ground_and_reports_what_depended_on_it(
        app: Initiatives, world: Province) -> None:
    w = world
    initiative = full_path(app, w)
    with as_(w, "A"):
        app.propose(initiative, "2025-05-02", "Đề nghị")
    with as_(w, "G"):
        app.recognise_at_level(initiative, "direct_superior", "2025-05-20", "Đạt", "30/QĐ")
    with as_(w, "F"):
        app.adopt(initiative, w.unions["CS-2"], "2025-07-01", "Áp dụng")
    with as_(w, "A"), refused(app, "INVALID_INPUT"):
        app.revoke(initiative, "2025-08-01", "bad_luck", "Không rõ")
    with as_(w, "D"), refused(app, "NO_AUTHORITY"):
        app.revoke(initiative, "2025-08-01", "false_declaration", "Kê khai không trung thực")
    with as_(w, "G"):  # the standing committee that recognised it above may revoke it too
        revoked = app.revoke(initiative, "2025-08-01", "false_declaration",
                             "Kê khai không trung thực về hiệu quả", ["ket-luan-thanh-tra.pdf"], "50/QĐ")
    assert [r["scope"] for r in revoked["dependents"]["recognitions"]] == ["grassroots",
                                                                          "direct_superior"]
    assert revoked["dependents"]["replications"] == [w.unions["CS-2"]]
    assert app.get_initiative(initiative)["status"] == "revoked"
    with as_(w, "F"), refused(app, "NOT_RECOGNISED"):
        app.adopt(initiative, w.unions["CS-VP"], "2025-09-01", "Nhân rộng")


def test_r3_5_the_tracking_book_filters_by_period_and_status_and_exports(
        app: Initiatives, world: Province) -> None:
    w = world
    recognised = full_path(app, w)
    register(app, w, "SK-02", on="2025-02-20")
    register(app, w, "SK-03", kind="topic", on="2024-11-02")
    book = app.tracking_book(w.unions["CS-1"], "2025-01-01", "2025-12-31")
    assert [e["reference"] for e in book["items"]] == ["SK-01", "SK-02"]
    assert app.tracking_book(w.unions["CS-1"], status="recognised")["items"][0]["initiative_id"] \
        == recognised
    first = book["items"][0]
    assert (first["status"], first["decision_number"], first["value_saved_vnd"]) == (
        "recognised", "12/QĐ-CĐCS", 12_500_000)
    assert first["authors"] == ["Thạch Thị Sa Rai (60%)", "Nguyễn Văn An (40%)"]
    with refused(app, "INVALID_INPUT"):
        app.tracking_book(w.unions["CS-1"], status="lost")
    exported = app.export_book(w.unions["CS-1"], "csv")
    rows = list(csv.reader(io.StringIO(base64.b64decode(exported["content_base64"]).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Số đăng ký", "Tên sáng kiến, đề tài"]
    assert [r[0] for r in rows[1:]] == ["SK-03", "SK-01", "SK-02"]
    assert rows[2][3] == "Thạch Thị Sa Rai (60%); Nguyễn Văn An (40%)"
    xlsx = app.export_book(w.unions["CS-1"], "xlsx", status="recognised")
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx["content_base64"]))).active
    values = list(sheet.values)
    assert values[1][1] == FIELDS["name"] and values[1][10] == 12_500_000 and len(values) == 2


def test_r3_5_the_book_is_searched_without_diacritics_or_case(app: Initiatives,
                                                             world: Province) -> None:
    w = world
    first = register(app, w, "SK-01")
    register(app, w, "SK-02", fields={**FIELDS, "name": "Sổ tay an toàn lao động điện tử"})
    assert [e["initiative_id"] for e in app.search_initiatives("MA qr HO SO")] == [first]
    assert [e["reference"] for e in app.search_initiatives("so tay an toan lao dong",
                                                           w.unions["CS-1"])] == ["SK-02"]
    assert app.search_initiatives("an toàn", w.unions["CS-2"]) == []
    assert app.search_initiatives("100%_") == []  # LIKE's wildcards are plain text
    with refused(app, "INVALID_TEXT"):
        app.search_initiatives("  ?! ")


def test_r4_5_every_decision_carries_actor_authority_time_reason_evidence_and_rules(
        app: Initiatives, world: Province) -> None:
    w = world
    initiative = register(app, w)
    evaluate(app, w, initiative)
    recognise(app, w, initiative)
    *_, event = app.events.get(app.initiative(initiative).id)
    meta = metadata_of(event)
    assert meta["actor"]["user_id"] == w.people["A"] and meta["recorded_at"]
    decision = event.decision  # type: ignore[attr-defined]
    assert decision["authority"]["kind"] == "executive_committee"
    assert decision["authority"]["vote"] == {"for": 3, "council_size": 3}
    assert (decision["decided_on"], decision["reason"], decision["evidence"], decision["number"]) == (
        "2025-02-10", "Đạt các tiêu chí", ["bien-ban-1.pdf"], "12/QĐ-CĐCS")
    assert decision["rule_set"] == {"book": "initiatives", "version": "initiatives/2013-09",
                                    "in_force_from": "2013-09-15"}
    with pytest.raises(DomainError) as caught:  # a date before any rules were in force
        app.rules.in_force(date(2013, 9, 14))
    assert caught.value.code == "NO_RULE_SET_IN_FORCE"


def test_bad_input_is_refused_with_a_code(app: Initiatives, world: Province) -> None:
    w = world
    with refused(app, "INVALID_DATE"):
        register(app, w, on="10/01/2025")
    with refused(app, "INVALID_INPUT"):
        register(app, w, kind="patent")
    with refused(app, "INVALID_INPUT"):
        register(app, w, union_id="not-an-id")
    with refused(app, "UNION_NOT_FOUND"):  # not founded yet on that date
        register(app, w, on="2019-01-01")
    with refused(app, "NOT_GRASSROOTS"):
        register(app, w, union_id=w.unions["TV-CL"])
    with refused(app, "INITIATIVE_NOT_FOUND"):
        app.get_initiative("0b7e1a3c-7f4f-4c1a-9d5e-2b1f9b0f6a11")
    with refused(app, "ACTOR_REQUIRED"):
        app.register(w.unions["CS-1"], "SK-01", "initiative", FIELDS,
                     [{"person_id": w.people["D"], "share": 100}], "2025-01-10")


def test_r3_1_a_unions_ideas_are_listed_for_their_author_and_the_incubation_team(
        app: Initiatives, world: Province) -> None:
    w = world
    with as_(w, "D"):
        first = app.raise_idea(w.unions["CS-1"], w.people["D"], "Sổ điện tử", "Thay sổ giấy",
                               "2025-01-03")
    with as_(w, "E"):
        app.raise_idea(w.unions["CS-1"], w.people["E"], "Hộp thư góp ý", "Trực tuyến", "2025-01-04")
    with as_(w, "B"):
        app.coach_idea(first, "Nên làm thử ở một tổ trước", "2025-01-05")
    register(app, w, idea_id=first)
    mine = app.ideas(w.unions["CS-1"], author_id=w.people["D"])
    assert [(i["title"], i["status"], i["comments"]) for i in mine] == [
        ("Sổ điện tử", "developed", 1)]
    assert mine[0]["initiative_id"] is not None
    assert [i["title"] for i in app.ideas(w.unions["CS-1"])] == ["Hộp thư góp ý", "Sổ điện tử"]
    assert [i["title"] for i in app.ideas(w.unions["CS-1"], status="open")] == ["Hộp thư góp ý"]
    assert app.ideas(w.unions["CS-2"]) == []
    with refused(app, "INVALID_INPUT"):
        app.ideas(w.unions["CS-1"], status="lost")


def test_r3_5_the_statistics_count_per_union_and_quarter_what_was_registered_recognised_applied(
        app: Initiatives, world: Province) -> None:
    w = world
    full_path(app, w)  # registered 10/1, recognised 10/2 2025, applied
    register(app, w, "SK-02", on="2025-04-20")
    register(app, w, "SK-03", on="2024-11-02")
    rows = app.statistics(2025, union_ids=[w.unions["CS-1"], w.unions["CS-2"]])
    assert rows == [
        {"union_id": w.unions["CS-1"], "period": "2025-Q1", "registered": 1, "recognised": 1,
         "applied": 1, "replicated": 0},
        {"union_id": w.unions["CS-1"], "period": "2025-Q2", "registered": 1, "recognised": 0,
         "applied": 0, "replicated": 0}]
    assert app.statistics(2025, union_ids=[w.unions["CS-2"]]) == []
    assert [r["registered"] for r in app.statistics(2024, union_ids=[w.unions["CS-1"]])] == [1]
    # one union is named as union_id, several as union_ids, or both
    assert app.statistics(2024, union_id=w.unions["CS-1"]) == \
        app.statistics(2024, union_ids=[w.unions["CS-1"]])
    assert app.statistics(2025, w.unions["CS-2"], [w.unions["CS-1"]]) == rows
    nothing: dict[str, Any]
    for nothing in ({}, {"union_ids": []}):
        with refused(app, "INVALID_INPUT"):
            app.statistics(2025, **nothing)


def test_r5_1_the_council_and_its_evaluation_read_back_as_plain_records(
        app: Initiatives, world: Province) -> None:
    """The council and the evaluation are value objects in the aggregate; the record, its
    state on a date and the evaluation's answer give them as the same plain JSON."""
    w = world
    initiative = register(app, w)
    evaluate(app, w, initiative, votes_for="AB")
    record = app.get_initiative(initiative)
    assert sorted(m["person_id"] for m in record["council"]["members"]) == sorted(
        w.people[x] for x in "ABC")
    assert record["council"]["on"] == "2025-01-20"
    assert record["evaluation"]["tally"] == {"for": 2, "against": 1, "abstain": 0}
    assert record["evaluation"]["council_size"] == 3 and record["evaluation"]["on"] == "2025-02-01"
    state = app.state_as_of(initiative)["state"]
    assert state["evaluation"] == record["evaluation"] and state["council"] == record["council"]


def recognised(app: Initiatives, w: Province, reference: str, name: str) -> str:
    initiative = register(app, w, reference, fields={**FIELDS, "name": name})
    evaluate(app, w, initiative)
    recognise(app, w, initiative)
    return initiative


def test_r3_8_similar_recognised_initiatives_are_found_without_diacritics(
        app: Initiatives, world: Province) -> None:
    w = world
    process = recognised(app, w, "SK-01", "Cải tiến quy trình tiếp nhận hồ sơ đoàn viên")
    recognised(app, w, "SK-02", "Sổ tay an toàn lao động điện tử")
    revoked = recognised(app, w, "SK-03", "Cải tiến quy trình trả hồ sơ đoàn viên")
    with as_(w, "A"):
        app.revoke(revoked, "2025-02-20", "false_declaration", "Kê khai không trung thực")
    register(app, w, "SK-04", fields={**FIELDS, "name": "Cải tiến quy trình tiếp nhận hồ sơ"})

    found = app.similar_recognised("Cai tien quy trinh", union_id=w.unions["CS-2"])
    # only the recognised one: not the unrelated, the revoked, nor the one still registered
    assert [i["initiative_id"] for i in found["items"]] == [process]
    assert (found["total"], found["offset"], found["limit"]) == (1, 0, 5)
    first = found["items"][0]
    assert first["union_name"] == "Công đoàn cơ sở Trường Tiểu học Càng Long"
    assert (first["year"], first["recognised_on"], first["scope"]) == (2025, "2025-02-10",
                                                                       "grassroots")
    assert 0.3 <= first["score"] < 1 and first["own"] is False and first["adopted"] is False
    assert "union_id" not in first and "authors" not in first  # public within the system
    # the same name scores 1 and ranks first; case and tone marks do not matter
    exact = app.similar_recognised("CẢI TIẾN QUY TRÌNH TIẾP NHẬN HỒ SƠ ĐOÀN VIÊN")["items"]
    assert exact[0]["initiative_id"] == process and exact[0]["score"] == 1.0
    assert app.similar_recognised("Quản lý thiết bị phòng thí nghiệm")["items"] == []
    # a description naming the same thing finds it when the name is worded otherwise
    assert app.similar_recognised("Số hoá thủ tục kết nạp")["items"] == []
    described = app.similar_recognised(
        "Số hoá thủ tục kết nạp",
        "Áp dụng cải tiến quy trình tiếp nhận hồ sơ đoàn viên qua mạng")["items"]
    assert [i["initiative_id"] for i in described] == [process]
    # the registering union's own is marked: it does not adopt its own
    assert app.similar_recognised("Cai tien quy trinh", union_id=w.unions["CS-1"])[
        "items"][0]["own"] is True
    with refused(app, "INVALID_TEXT"):
        app.similar_recognised(" ?! ")


def test_r3_8_a_union_adopts_a_shown_match_in_one_step_instead_of_registering(
        app: Initiatives, world: Province) -> None:
    w = world
    recognised(app, w, "SK-01", "Cải tiến quy trình tiếp nhận hồ sơ đoàn viên")
    match = app.similar_recognised("cai tien quy trinh tiep nhan ho so",
                                   union_id=w.unions["CS-2"])["items"][0]
    with as_(w, "K"), refused(app, "NO_AUTHORITY"):  # adopting is the committee's decision
        app.adopt(match["initiative_id"], w.unions["CS-2"], "2025-03-01", "Áp dụng")
    with as_(w, "F"):
        replication = app.adopt(match["initiative_id"], w.unions["CS-2"], "2025-03-01",
                                "Áp dụng sáng kiến đã được công nhận thay vì đăng ký mới")
    assert app.get_replication(match["initiative_id"], w.unions["CS-2"])["adopted_on"] == \
        "2025-03-01" and replication
    again = app.similar_recognised("cai tien quy trinh tiep nhan ho so",
                                   union_id=w.unions["CS-2"])["items"][0]
    assert again["adopted"] is True and again["replications"] == 1
