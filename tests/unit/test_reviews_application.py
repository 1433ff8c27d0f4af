"""The reviews application on a real store (SQLite and PostgreSQL), judged by real registry
facts (R2.1–R2.8): a union's year, classification by its direct upper union as of the
date, difficulties, schedules and the overdue list with an injected clock, and bad input
that is refused with a stable code and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from runtime.clock import FixedClock
from runtime.context import use_context
from runtime.errors import DomainError
from services.registry.application import Registry
from services.reviews.application import Reviews
from services.reviews.domain import Launch
from services.reviews.readmodel import metadata
from tests.support.reviews_world import ADMIN, World, build, decided, deliver_awards, nominated

TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PLEDGE = ("Giao ước thi đua năm 2025 thực hiện phong trào \"Đổi mới, sáng tạo, hiệu quả trong "
          "hoạt động của tổ chức Công đoàn\": mỗi đoàn viên một sáng kiến.")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def world(store_url: str, settings_for: Any) -> World:
    return build(Registry(settings_for(store_url), clock=FixedClock(TODAY)))


@pytest.fixture
def reviews(world: World, store_url: str, settings_for: Any, clock: FixedClock) -> Iterator[Reviews]:
    app = Reviews(settings_for(store_url), clock=clock)
    world.feed(app)
    yield app
    app.close()


def snapshot(app: Reviews) -> tuple[int | None, dict[str, int]]:
    """The log's position and the size of every read-model table."""
    with app.engine.connect() as connection:
        sizes = {t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                 for t in metadata.sorted_tables}
    return app.recorder.max_notification_id(), sizes


def refused(app: Reviews, code: str, command: Any, *args: Any, **kwargs: Any) -> DomainError:
    """Runs a command that must be refused with ``code`` and must change nothing."""
    before = snapshot(app)
    with pytest.raises(DomainError) as caught:
        command(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert snapshot(app) == before
    return caught.value


def school_year(app: Reviews, world: World, year: int = 2025, self_score: float = 95) -> None:
    """A year of the school: launch, dissemination, pledge, two half-year reviews, annual."""
    school = world.unions["school"]
    with use_context(world.as_("school")):
        app.launch(school, year, f"{year}-01-10", "Phát động phong trào",
                   "Kế hoạch: mỗi tổ công đoàn đăng ký ít nhất một sáng kiến")
        app.record_dissemination(school, year, "conference", f"{year}-01-15",
                                 "Hội nghị quán triệt", "Toàn thể đoàn viên", 48)
        app.sign_pledge(school, year, f"{year}-01-20", PLEDGE, ["Mỗi đoàn viên một sáng kiến"])
        app.hold_half_year_review(school, f"{year}-H1", f"{year}-07-05", "Sơ kết 6 tháng đầu năm",
                                  ["12 sáng kiến đăng ký", "Tổ Văn chưa đăng ký"])
        app.hold_half_year_review(school, f"{year}-H2", f"{year + 1}-01-08", "Sơ kết 6 tháng cuối năm",
                                  ["20 sáng kiến đăng ký"])
    # R2.5: the school's award decision and its nomination upward, as the awards service
    # published them; the annual review links to them.
    award, nomination = str(UUID(int=year * 10 + 1)), str(UUID(int=year * 10 + 2))
    deliver_awards(app, decided(award, school, year, f"05/QĐ-CĐCS-{year}", f"{year + 1}-01-12",
                                [(world.people["school_member"], "Phạm Văn Nam",
                                  "Sáng kiến sổ điểm điện tử")]),
                   nominated(nomination, school, world.unions["cl"], year,
                             world.people["school_member"], f"{year + 1}-01-14"))
    with use_context(world.as_("school")):
        app.hold_annual_review(school, year, f"{year + 1}-01-20", "Tổng kết: 20 sáng kiến", self_score,
                               [award], [nomination])


# --- R2.1 launch, R2.2 dissemination --------------------------------------------------------

def test_r2_1_every_level_launches_the_movement_for_a_year(reviews: Reviews, world: World) -> None:
    for key in ("tv", "cl", "school"):
        with use_context(world.as_(key)):
            reviews.launch(world.unions[key], 2025, "2025-01-05", "Phát động", "Kế hoạch năm 2025")
    assert reviews.schedule(world.unions["cl"], 2025)["launched_on"] == "2025-01-05"
    with use_context(world.as_("school")):
        refused(reviews, "ALREADY_LAUNCHED", reviews.launch, world.unions["school"], 2025,
                "2025-02-01", "Phát động lại", "Kế hoạch")
    with use_context(world.as_("school_member")):  # not on the executive committee
        refused(reviews, "NO_AUTHORITY", reviews.launch, world.unions["school"], 2026,
                "2026-01-05", "Phát động", "Kế hoạch")
    with use_context(world.as_("school")):  # on neither committee of the district federation
        refused(reviews, "NO_AUTHORITY", reviews.launch, world.unions["ck"], 2025,
                "2025-01-05", "Phát động", "Kế hoạch")
    published = reviews.published_page(None)["envelopes"]
    assert [e["name"] for e in published] == ["reviews.movement_launched"] * 3
    assert published[0]["payload"]["decision"]["rule_set"]["book"] == "reviews"


def test_r2_2_dissemination_is_recorded_by_kind(reviews: Reviews, world: World) -> None:
    school = world.unions["school"]
    with use_context(world.as_("school")):
        for kind in ("seminar", "union_media", "banner"):
            reviews.record_dissemination(school, 2025, kind, "2025-03-01", f"Tuyên truyền {kind}",
                                         "Đoàn viên", 40)
        error = refused(reviews, "INVALID_INPUT", reviews.record_dissemination, school, 2025,
                        "poster", "2025-03-01", "Áp phích", "Đoàn viên", 40)
        assert "leaflet" in error.details["allowed"]
        refused(reviews, "INVALID_NUMBER", reviews.record_dissemination, school, 2025, "leaflet",
                "2025-03-01", "Tờ rơi", "Đoàn viên", -3)
    payloads = [e["payload"] for e in reviews.published_page(None)["envelopes"]]
    assert [(p["kind"], p["reach"]) for p in payloads] == [("seminar", 40), ("union_media", 40),
                                                          ("banner", 40)]
    assert reviews.schedule(school, 2025)["disseminations"] == 3


# --- R2.3 pledge ------------------------------------------------------------------------------

def test_r2_3_a_pledge_with_the_movements_content_is_signed(reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        reviews.sign_pledge(world.unions["school"], 2025, "2025-01-20", PLEDGE)
    [envelope] = reviews.published_page(None)["envelopes"]
    assert envelope["name"] == "reviews.pledge_signed"
    assert envelope["payload"]["decision"]["authority"]["kind"] == "executive_committee"


def test_r2_3_a_pledge_without_the_movements_content_is_refused(reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        error = refused(reviews, "PLEDGE_WITHOUT_MOVEMENT_CONTENT", reviews.sign_pledge,
                        world.unions["school"], 2025, "2025-01-20",
                        "Giao ước thi đua lao động giỏi, đổi mới phương pháp dạy học")
    assert error.details["missing"] == ["sang tao", "hieu qua"]
    assert "Đổi mới, sáng tạo, hiệu quả" in error.message


def test_r2_3_only_a_grassroots_executive_committee_signs(reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school_member")):
        refused(reviews, "NO_AUTHORITY", reviews.sign_pledge, world.unions["school"], 2025,
                "2025-01-20", PLEDGE)
    with use_context(world.as_("cl")):
        refused(reviews, "NOT_GRASSROOTS", reviews.sign_pledge, world.unions["cl"], 2025,
                "2025-01-20", PLEDGE)
    with use_context(world.as_("school")):
        reviews.sign_pledge(world.unions["school"], 2025, "2025-01-20", PLEDGE)
        refused(reviews, "PLEDGE_EXISTS", reviews.sign_pledge, world.unions["school"], 2025,
                "2025-02-20", PLEDGE)


# --- R2.4 half-year reviews, R2.5 / R2.7 annual reviews ----------------------------------------

def test_r2_4_the_half_year_review_records_the_self_inspection(reviews: Reviews, world: World) -> None:
    school = world.unions["school"]
    with use_context(world.as_("school")):
        reviews.hold_half_year_review(school, "2025-H1", "2025-07-05", "Sơ kết", ["Tổ Văn chậm"])
        refused(reviews, "REVIEW_EXISTS", reviews.hold_half_year_review, school, "2025-H1",
                "2025-07-06", "Sơ kết lại", ["x"])
        refused(reviews, "FINDINGS_REQUIRED", reviews.hold_half_year_review, school, "2025-H2",
                "2026-01-05", "Sơ kết", [])
        refused(reviews, "INVALID_PERIOD", reviews.hold_half_year_review, school, "2025",
                "2026-01-05", "Sơ kết", ["x"])
    [envelope] = reviews.published_page(None)["envelopes"]
    assert (envelope["name"], envelope["payload"]["findings"]) == ("reviews.half_year_review_held",
                                                                    ["Tổ Văn chậm"])


def test_r2_4_a_review_for_a_period_that_has_not_started_is_refused(reviews: Reviews,
                                                                   world: World) -> None:
    with use_context(world.as_("school")):
        error = refused(reviews, "PERIOD_NOT_STARTED", reviews.hold_half_year_review,
                        world.unions["school"], "2027-H1", "2026-11-20", "Sơ kết", ["x"])
        assert error.details["starts_on"] == "2027-01-01"
        refused(reviews, "DATE_IN_FUTURE", reviews.hold_half_year_review, world.unions["school"],
                "2026-H2", "2026-12-20", "Sơ kết", ["x"])
        refused(reviews, "DATE_OUTSIDE_PERIOD", reviews.hold_half_year_review,
                world.unions["school"], "2025-H2", "2025-06-30", "Sơ kết", ["x"])


def test_r2_4_a_review_by_a_union_that_did_not_exist_then_is_refused(reviews: Reviews,
                                                                    world: World) -> None:
    with use_context(ADMIN):
        new = str(world.registry.found_union("CS-9", "Công đoàn cơ sở Công ty mới", "grassroots",
                                             "2026-03-01", world.unions["cl"]))
    world.feed(reviews)
    with use_context(world.as_("school")):
        error = refused(reviews, "UNION_NOT_FOUND", reviews.hold_half_year_review, new,
                        "2025-H2", "2026-01-05", "Sơ kết", ["x"])
    assert error.details["on"] == "2026-01-05"


def test_r2_5_r2_7_the_annual_review_keeps_results_score_and_rewards(reviews: Reviews,
                                                                    world: World) -> None:
    school_year(reviews, world)
    annual = [e for e in reviews.published_page(None)["envelopes"]
              if e["name"] == "reviews.annual_review_held"]
    assert annual[0]["payload"]["self_score"] == 95
    proposed = annual[0]["payload"]["rewards_proposed"][0]
    assert proposed == {"recipient": "Phạm Văn Nam",
                        "form": "Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở",
                        "reason": "Đề nghị khen thưởng ngày 14/01/2026"}
    assert annual[0]["payload"]["rewards_given"][0]["reason"] == "Sáng kiến sổ điểm điện tử"
    with use_context(world.as_("clinic")):
        refused(reviews, "SCORE_OUT_OF_SCALE", reviews.hold_annual_review, world.unions["clinic"],
                2025, "2026-01-20", "Tổng kết", 120)
        refused(reviews, "INVALID_INPUT", reviews.hold_annual_review, world.unions["clinic"],
                2025, "2026-01-20", "Tổng kết", 80, [{"recipient": "", "form": "x", "reason": "y"}])


def test_r2_7_a_union_year_shows_in_its_schedule(reviews: Reviews, world: World) -> None:
    school_year(reviews, world)
    schedule = reviews.schedule(world.unions["school"], 2025)
    assert (schedule["launched_on"], schedule["pledge_signed_on"]) == ("2025-01-10", "2025-01-20")
    assert [(r["period"], r["status"], r["due_on"]) for r in schedule["reviews"]] == [
        ("2025-H1", "held", "2025-07-15"), ("2025-H2", "held", "2026-01-15"),
        ("2025", "held", "2026-01-31")]
    clinic = reviews.schedule(world.unions["clinic"], 2026)["reviews"]
    assert [(r["period"], r["status"]) for r in clinic] == [
        ("2026-H1", "overdue"), ("2026-H2", "due"), ("2026", "due")]
    early = reviews.schedule(world.unions["clinic"], 2026, as_of="2026-03-01")["reviews"]
    assert [r["status"] for r in early] == ["due", "not_started", "due"]


# --- R2.6 classification --------------------------------------------------------------------

def test_r2_6_the_direct_upper_union_classifies_by_the_rules_in_force(reviews: Reviews,
                                                                    world: World) -> None:
    school_year(reviews, world)
    with use_context(world.as_("cl")):
        result = reviews.classify(world.unions["school"], 2025, world.unions["cl"], "2026-02-10",
                                  92, ["Hồ sơ đầy đủ"], evidence=["BB-KT-2026-03"])
    assert (result["grade"], result["self_score"], result["appraised_score"]) == ("vung_manh", 95, 92)
    assert result["decision"]["rule_set"]["version"] == "classification/2020-01"
    assert result["decision"]["authority"]["kind"] == "standing_committee"
    assert result["decision"]["evidence"] == ["BB-KT-2026-03"]
    with use_context(world.as_("cl")):
        clinic = reviews.classify(world.unions["clinic"], 2025, world.unions["cl"], "2026-02-10", 55)
    assert (clinic["grade"], clinic["self_score"]) == ("trung_binh", None)  # no annual review


def test_r2_6_a_second_classification_without_a_correction_is_refused(reviews: Reviews,
                                                                      world: World) -> None:
    school, cl = world.unions["school"], world.unions["cl"]
    with use_context(world.as_("cl")):
        reviews.classify(school, 2025, cl, "2026-02-10", 92)
        refused(reviews, "CLASSIFICATION_EXISTS", reviews.classify, school, 2025, cl,
                "2026-02-11", 70)
        refused(reviews, "REASON_REQUIRED", reviews.correct_classification, school, 2025, cl,
                "2026-02-11", 70, "  ")
        corrected = reviews.correct_classification(school, 2025, cl, "2026-02-12", 78,
                                                   "Phúc tra: hồ sơ sáng kiến chưa đủ")
    assert (corrected["grade"], corrected["appraised_score"]) == ("kha", 78)
    assert corrected["superseded"] == [{"appraised_score": 92, "grade": "vung_manh",
                                        "classified_on": "2026-02-10", "upper_union_id": cl}]
    names = [e["name"] for e in reviews.published_page(None)["envelopes"]]
    assert names == ["reviews.union_classified", "reviews.classification_corrected"]


def test_r2_6_only_the_direct_upper_union_classifies(reviews: Reviews, world: World) -> None:
    school = world.unions["school"]
    for key in ("ck", "tv"):
        with use_context(world.as_(key)):
            error = refused(reviews, "NOT_DIRECT_SUPERIOR", reviews.classify, school, 2025,
                            world.unions[key], "2026-02-10", 80)
    assert error.details["direct_superior_id"] == world.unions["cl"]
    with use_context(world.as_("school")):  # the right union, but not its standing committee
        refused(reviews, "NO_AUTHORITY", reviews.classify, school, 2025, world.unions["cl"],
                "2026-02-10", 80)


def test_r2_6_a_move_changes_who_classifies_after_it_not_before(reviews: Reviews,
                                                               world: World) -> None:
    school, cl, ck = world.unions["school"], world.unions["cl"], world.unions["ck"]
    with use_context(ADMIN):
        world.registry.move_union(school, ck, "2026-03-01")
    world.feed(reviews)
    with use_context(world.as_("ck")):
        refused(reviews, "NOT_DIRECT_SUPERIOR", reviews.classify, school, 2025, ck,
                "2026-02-28", 80)
    with use_context(world.as_("cl")):
        refused(reviews, "NOT_DIRECT_SUPERIOR", reviews.classify, school, 2025, cl,
                "2026-03-01", 80)
        assert reviews.classify(school, 2024, cl, "2025-02-01", 81)["grade"] == "tot"
    with use_context(world.as_("ck")):
        assert reviews.classify(school, 2025, ck, "2026-03-01", 80)["upper_union_id"] == ck


def test_r2_6_a_score_outside_the_scale_is_refused(reviews: Reviews, world: World) -> None:
    with use_context(world.as_("cl")):
        for score in (100.5, -1):
            error = refused(reviews, "SCORE_OUT_OF_SCALE", reviews.classify, world.unions["school"],
                            2025, world.unions["cl"], "2026-02-10", score)
            assert error.details["scale"] == 100
        refused(reviews, "INVALID_NUMBER", reviews.classify, world.unions["school"], 2025,
                world.unions["cl"], "2026-02-10", "90")
        refused(reviews, "PERIOD_NOT_STARTED", reviews.classify, world.unions["school"], 2027,
                world.unions["cl"], "2026-02-10", 90)


def test_r2_6_the_score_gap_shows_lenient_self_assessment(reviews: Reviews, world: World) -> None:
    school_year(reviews, world, self_score=98)
    with use_context(world.as_("clinic")):
        reviews.hold_annual_review(world.unions["clinic"], 2025, "2026-01-25", "Tổng kết", 70)
    with use_context(world.as_("cl")):
        reviews.classify(world.unions["school"], 2025, world.unions["cl"], "2026-02-10", 81)
        reviews.classify(world.unions["clinic"], 2025, world.unions["cl"], "2026-02-10", 68)
    gap = reviews.score_gap(2025, upper_union_id=world.unions["cl"])
    by_union = {u["union_id"]: (u["gap"], u["lenient"]) for u in gap["unions"]}
    assert by_union == {world.unions["school"]: (17, True), world.unions["clinic"]: (2, False)}
    assert (gap["lenient"], gap["mean_gap"]) == (1, 9.5)
    assert reviews.score_gap(2025, union_id=world.unions["school"])["unions"][0]["gap"] == 17
    with pytest.raises(DomainError):
        reviews.score_gap(2025)


# --- schedules and the overdue list (R2.4, R2.7) ------------------------------------------------

def test_r2_7_overdue_reviews_are_flagged_once_and_listed_for_the_upper_union(
        reviews: Reviews, world: World, clock: FixedClock) -> None:
    school_year(reviews, world)
    with use_context(world.as_("school")):
        reviews.hold_half_year_review(world.unions["school"], "2026-H1", "2026-07-10", "Sơ kết",
                                      ["ok"])
    listed = reviews.overdue(world.unions["cl"])
    assert [(u["code"], u["period"]) for u in listed] == [
        ("CS-2", "2025-H1"), ("CS-2", "2025-H2"), ("CS-2", "2025"), ("CS-2", "2026-H1")]

    def periods_of_2025(as_of: str) -> list[str]:
        return [u["period"] for u in reviews.overdue(world.unions["cl"], as_of=as_of)
                if u["period"].startswith("2025")]

    assert periods_of_2025("2025-07-15") == []  # due that day
    assert periods_of_2025("2025-07-16") == ["2025-H1"]  # the clinic's; the school held its
    before_held = reviews.schedule(world.unions["school"], 2025, as_of="2025-07-01")["reviews"]
    assert before_held[0]["status"] == "due"  # held on 07-05: not yet, as of 07-01
    assert reviews.flag_overdue() > 4  # the upper unions have not held theirs either
    assert reviews.flag_overdue() == 0  # once per union and review
    flagged = [e["payload"] for e in reviews.published_page(None, limit=1000)["envelopes"]
               if e["name"] == "reviews.review_overdue"]
    clinic = [(p["period"], p["upper_union_id"]) for p in flagged
              if p["union_id"] == world.unions["clinic"]]
    assert clinic == [(p, world.unions["cl"]) for p in ("2025-H1", "2025-H2", "2025", "2026-H1")]
    assert all(entry["flagged"] for entry in reviews.overdue(world.unions["cl"]))
    clock.advance(timedelta(days=70))  # 2027-02-02: the 2026 H2 and annual reviews are late
    assert reviews.flag_overdue() > 0
    periods = [u["period"] for u in reviews.overdue(world.unions["cl"]) if u["code"] == "CS-1"]
    assert periods == ["2026-H2", "2026"]


# --- R2.8 difficulties ------------------------------------------------------------------------

def test_r2_8_a_difficulty_goes_to_the_policy_law_department_and_keeps_its_thread(
        reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        difficulty = reviews.report_difficulty(world.unions["school"], "2025-09-01",
                                               "Kinh phí khen thưởng sáng kiến",
                                               "Đơn vị chưa có quy chế chi thưởng sáng kiến")
    with use_context(world.as_("cl")):  # not a member of the department
        refused(reviews, "NO_AUTHORITY", reviews.answer_difficulty, difficulty, "2025-09-10", "x")
    with use_context(world.as_("policy_law")):
        refused(reviews, "THREAD_DATES_OUT_OF_ORDER", reviews.answer_difficulty, difficulty,
                "2025-08-10", "Trả lời")
        reviews.answer_difficulty(difficulty, "2025-09-10", "Áp dụng Nghị định 13/2012/NĐ-CP")
    with use_context(world.as_("school")):
        reviews.follow_up_difficulty(difficulty, "2025-09-12", "Xin mẫu quy chế")
    with use_context(world.as_("policy_law")):
        reviews.answer_difficulty(difficulty, "2025-09-15", "Gửi kèm mẫu quy chế")
    thread = reviews.get_difficulty(difficulty)
    assert thread["federation_id"] == world.unions["tv"]
    assert [m["kind"] for m in thread["thread"]] == ["report", "answer", "follow_up", "answer"]
    assert thread["thread"][1]["by"]["department"] == "policy_law"


def test_r2_8_each_side_lists_its_difficulties_and_sees_which_are_answered(
        reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        first = reviews.report_difficulty(world.unions["school"], "2025-09-01", "Kinh phí",
                                          "Chưa có quy chế chi thưởng")
        second = reviews.report_difficulty(world.unions["school"], "2025-09-03", "Hồ sơ",
                                           "Chưa rõ mẫu hồ sơ")
    with use_context(world.as_("clinic")):
        other = reviews.report_difficulty(world.unions["clinic"], "2025-09-02", "Thời hạn",
                                          "Hạn sơ kết")
    with use_context(world.as_("policy_law")):
        reviews.answer_difficulty(first, "2025-09-10", "Áp dụng Nghị định 13/2012/NĐ-CP")
    mine = reviews.difficulties(union_id=world.unions["school"])
    assert [(d["id"], d["answered"], d["last_on"]) for d in mine] == [
        (first, True, "2025-09-10"), (second, False, "2025-09-03")]
    received = reviews.difficulties(federation_id=world.unions["tv"])
    assert {d["id"] for d in received} == {first, second, other}
    assert reviews.difficulties(federation_id=world.unions["cl"]) == []
    refused(reviews, "INVALID_INPUT", reviews.difficulties)
    reviews.rebuild_read_model()
    assert reviews.difficulties(union_id=world.unions["school"]) == mine


# --- the read model is derived ------------------------------------------------------------------

def test_the_read_model_is_rebuilt_from_the_log(reviews: Reviews, world: World) -> None:
    school_year(reviews, world)
    with use_context(world.as_("cl")):
        reviews.classify(world.unions["school"], 2025, world.unions["cl"], "2026-02-10", 80)
        reviews.correct_classification(world.unions["school"], 2025, world.unions["cl"],
                                       "2026-02-11", 85, "Phúc tra")
    reviews.flag_overdue()
    before = (reviews.schedule(world.unions["school"], 2025), reviews.overdue(world.unions["cl"]),
              reviews.score_gap(2025, upper_union_id=world.unions["cl"]))
    reviews.rebuild_read_model()
    after = (reviews.schedule(world.unions["school"], 2025), reviews.overdue(world.unions["cl"]),
             reviews.score_gap(2025, upper_union_id=world.unions["cl"]))
    assert after == before and before[2]["unions"][0]["appraised_score"] == 85


def test_r1_5_reviews_knows_a_union_as_initiatives_does(reviews: Reviews, world: World) -> None:
    """The registry's facts as reviews keeps them answer ``known_union`` as initiatives'
    do (``contracts.registry.known``): the union as of the date, or UNKNOWN_UNION."""
    school = reviews.known_union(world.unions["school"], "2000-01-01")
    assert (school["code"], school["parent_id"]) == ("CS-1", world.unions["cl"])
    error = refused(reviews, "UNKNOWN_UNION", reviews.known_union, world.unions["school"],
                    as_of="1999-12-31")  # founded on 2000-01-01
    assert error.details == {"union_id": world.unions["school"], "as_of": "1999-12-31"}


def test_r2_1_input_is_parsed_and_cleaned_before_the_command_runs(reviews: Reviews,
                                                                   world: World) -> None:
    """Ids, dates and text limits are checked by the declaration (``commands.Launch``),
    naming the field; text arrives trimmed and normalised."""
    school = world.unions["school"]
    with use_context(world.as_("school")):
        assert refused(reviews, "INVALID_INPUT", reviews.launch, "not-an-id", 2025, "2025-01-10",
                       "Phát động", "Kế hoạch").details == {"field": "union_id"}
        assert refused(reviews, "INVALID_DATE", reviews.launch, school, 2025, "10/01/2025",
                       "Phát động", "Kế hoạch").details == {"field": "launched_on"}
        assert refused(reviews, "INVALID_TEXT", reviews.launch, school, 2025, "2025-01-10",
                       "x" * 501, "Kế hoạch").details["field"] == "title"
        launch_id = reviews.launch(school, 2025, "2025-01-10", "  Phát   động\tphong trào ",
                                   "Kế hoạch")
    launch = reviews.find(UUID(launch_id), Launch)
    assert launch is not None and launch.title == "Phát động phong trào"


# --- R1.5 nothing left behind: a merged union's difficulties awaiting an answer ----------------

def test_r1_5_r2_8_a_difficulty_awaiting_an_answer_is_taken_over_by_the_successor(
        reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        waiting = reviews.report_difficulty(world.unions["school"], "2025-09-01", "Kinh phí",
                                            "Đơn vị chưa có quy chế chi thưởng sáng kiến")
        answered = reviews.report_difficulty(world.unions["school"], "2025-09-02", "Hồ sơ",
                                             "Mẫu hồ sơ")
    with use_context(world.as_("policy_law")):
        reviews.answer_difficulty(answered, "2025-09-10", "Theo mẫu số 1")
    with use_context(ADMIN):
        world.registry.merge_unions([world.unions["school"]], "2025-10-01",
                                    into_union_id=world.unions["clinic"])
    world.feed(reviews)
    mine = reviews.difficulties(union_id=world.unions["clinic"])
    assert [(d["id"], d["union_id"], d["held_by"], d["carried_from"], d["carried_on"])
            for d in mine] == [(waiting, world.unions["school"], world.unions["clinic"],
                                world.unions["school"], "2025-10-01")]
    carried = reviews.get_difficulty(waiting)["handovers"]
    assert carried[0]["cause"]["event"] == "registry.union_merged"
    assert reviews.get_difficulty(answered)["held_by"] == world.unions["school"]  # answered: stays
    with use_context(world.as_("clinic")):  # the successor's committee continues the thread
        reviews.follow_up_difficulty(waiting, "2025-10-05", "Xin hướng dẫn thêm")
    with use_context(world.as_("school")):  # the old committee ended with the merge
        refused(reviews, "NO_AUTHORITY", reviews.follow_up_difficulty, waiting, "2025-10-06", "x")
    world.feed(reviews)  # delivered again: no second hand-over
    assert len(reviews.get_difficulty(waiting)["handovers"]) == 1


def test_r1_5_r2_8_a_dissolved_unions_waiting_difficulty_is_closed_with_its_reason(
        reviews: Reviews, world: World) -> None:
    with use_context(world.as_("clinic")):
        waiting = reviews.report_difficulty(world.unions["clinic"], "2025-09-01", "Kinh phí", "x")
    with use_context(ADMIN):
        world.registry.dissolve_union(world.unions["clinic"], "2025-10-01")
    world.feed(reviews)
    closed = reviews.get_difficulty(waiting)["closed"]
    assert closed["reason"] == "Công đoàn giải thể từ ngày 01/10/2025, không có đơn vị tiếp nhận"
    assert closed["cause"]["event"] == "registry.union_dissolved"


# --- R1.5 nothing left behind: a merged union's pledge and the reviews it still owes ----------

def carried(reviews: Reviews, union: str, year: int) -> list[tuple[Any, ...]]:
    return [(c["record"], c["period"], c["carried_from"], c["carried_on"], c.get("status"))
            for c in reviews.schedule(union, year)["carried_over"]]


def test_r1_5_r2_5_a_merged_unions_owed_reviews_and_pledge_are_taken_over_by_the_successor(
        reviews: Reviews, world: World) -> None:
    from services.reviews.domain import Owed

    school, clinic = world.unions["school"], world.unions["clinic"]
    with use_context(world.as_("school")):
        reviews.launch(school, 2025, "2025-01-10", "Phát động phong trào", "Kế hoạch")
        reviews.sign_pledge(school, 2025, "2025-01-20", PLEDGE, ["Mỗi đoàn viên một sáng kiến"])
        reviews.hold_half_year_review(school, "2025-H1", "2025-07-05", "Sơ kết", ["12 sáng kiến"])
    with use_context(ADMIN):
        world.registry.merge_unions([school], "2025-10-01", into_union_id=clinic)
    world.feed(reviews)
    # the half-year review held before the date stays the school's; the rest goes to the clinic
    assert carried(reviews, clinic, 2025) == [
        ("annual", "2025", school, "2025-10-01", "overdue"),
        ("pledge", "2025", school, "2025-10-01", None),
        ("half_year", "2025-H2", school, "2025-10-01", "overdue")]
    assert {c["carried_from_name"] for c in reviews.schedule(clinic, 2025)["carried_over"]} == {
        "Công đoàn cơ sở Trường THCS Càng Long"}  # where they came from, by its name then
    owed = reviews.find(Owed.create_id(UUID(school), "half_year", "2025-H2"), Owed)
    assert owed is not None and owed.carried is not None
    assert owed.carried["cause"]["event"] == "registry.union_merged"
    published = [e["payload"] for e in reviews.published_page(None, limit=1000)["envelopes"]
                 if e["name"] == "reviews.carried_over" and e["payload"]["period"] == "2025-H2"]
    assert [(p["union_id"], p["to_union_id"], p["effective_on"]) for p in published] == [
        (school, clinic, "2025-10-01")]
    with use_context(world.as_("school")):  # the old committee, before the date
        reviews.hold_annual_review(school, 2024, "2025-09-15", "Tổng kết năm 2024", 80)
    with use_context(world.as_("clinic")):  # the successor's, not before it
        refused(reviews, "NO_AUTHORITY", reviews.hold_half_year_review, school, "2025-H2",
                "2025-09-20", "Sơ kết", ["x"])
    with use_context(world.as_("clinic")):  # the successor's committee, from the date
        reviews.hold_half_year_review(school, "2025-H2", "2026-01-08", "Sơ kết 6 tháng cuối năm",
                                      ["Trường đã sáp nhập vào Trạm Y tế"])
    with use_context(world.as_("school")):  # the old committee ended with the merge
        refused(reviews, "NO_AUTHORITY", reviews.hold_annual_review, school, 2025,
                "2026-01-09", "Tổng kết", 80)
    assert carried(reviews, clinic, 2025)[2][4] == "held"
    overdue = reviews.overdue(world.unions["cl"])
    assert [(o["union_id"], o["period"], o["name"], o.get("carried_from")) for o in overdue
            if o["union_id"] == school] == [(school, "2025", "Công đoàn cơ sở Trạm Y tế Càng Long",
                                             school)]
    before = len(reviews.published_page(None, limit=1000)["envelopes"])
    world.feed(reviews)  # delivered again: no second hand-over
    assert len(reviews.published_page(None, limit=1000)["envelopes"]) == before


def test_r1_5_r2_5_a_dissolved_or_split_unions_owed_reviews_are_closed_with_their_reason(
        reviews: Reviews, world: World) -> None:
    from services.reviews.domain import Owed

    with use_context(ADMIN):
        world.registry.dissolve_union(world.unions["clinic"], "2025-10-01")
        world.registry.split_union(world.unions["school"], "2025-11-01", [
            {"code": "CS-1A", "name": "Công đoàn cơ sở Điểm trường A",
             "members": [world.people["school"]]},
            {"code": "CS-1B", "name": "Công đoàn cơ sở Điểm trường B",
             "members": [world.people["school_member"]]}])
    world.feed(reviews)
    closed = reviews.find(Owed.create_id(UUID(world.unions["clinic"]), "annual", "2025"), Owed)
    assert closed is not None and closed.closed is not None
    assert closed.closed["reason"] == ("Công đoàn giải thể từ ngày 01/10/2025, không có đơn vị "
                                       "tiếp nhận")
    split = reviews.find(Owed.create_id(UUID(world.unions["school"]), "half_year", "2025-H2"),
                         Owed)
    assert split is not None and split.closed is not None
    assert split.closed["reason"] == (
        "Công đoàn được chia, tách thành 2 đơn vị mới từ ngày 01/11/2025; mỗi đơn vị mới sơ "
        "kết, tổng kết phần việc của mình")
    assert split.closed["cause"]["event"] == "registry.union_split"
    assert len(split.closed["cause"]["parts"]) == 2  # which new unions, by id
    names = [(e["name"], e["payload"]["union_id"], e["payload"]["period"])
             for e in reviews.published_page(None, limit=1000)["envelopes"]
             if e["name"] == "reviews.closed" and e["payload"]["period"] == "2025"]
    assert names == [("reviews.closed", world.unions["clinic"], "2025"),
                     ("reviews.closed", world.unions["school"], "2025")]


def test_r1_5_r2_5_a_plans_preview_lists_the_owed_reviews_and_waiting_difficulties(
        reviews: Reviews, world: World) -> None:
    school, clinic = world.unions["school"], world.unions["clinic"]
    with use_context(world.as_("school")):
        reviews.sign_pledge(school, 2025, "2025-01-20", PLEDGE, ["Mỗi đoàn viên một sáng kiến"])
        reviews.hold_half_year_review(school, "2024-H1", "2024-07-05", "Sơ kết", ["x"])
        reviews.hold_half_year_review(school, "2024-H2", "2025-01-05", "Sơ kết", ["x"])
        reviews.hold_annual_review(school, 2024, "2025-01-20", "Tổng kết", 80)
        reviews.hold_half_year_review(school, "2025-H1", "2025-07-05", "Sơ kết", ["x"])
        waiting = reviews.report_difficulty(school, "2025-09-01", "Kinh phí", "Chưa có quy chế")
    merged = reviews.open_items([school], "2025-10-01", "merge", clinic)
    assert [(i["kind"], i["title"], i["number"], i["to_union_id"], i["action"])
            for i in merged] == [
        ("half_year", "Sơ kết 6 tháng cuối năm 2025", "2025-H2", clinic, "carried"),
        ("pledge", "Giao ước thi đua năm 2025", "2025", clinic, "carried"),
        ("annual", "Tổng kết năm 2025", "2025", clinic, "carried"),
        ("difficulty", "Kinh phí", None, clinic, "carried")]
    assert merged[-1]["record_id"] == waiting
    dissolved = reviews.open_items([school], "2025-10-01", "dissolve")
    assert {(i["action"], i["to_union_id"], i["reason"]) for i in dissolved} == {
        ("closed", None, "Công đoàn giải thể từ ngày 01/10/2025, không có đơn vị tiếp nhận")}
    refused(reviews, "INVALID_INPUT", reviews.open_items, [school], "2025-10-01", "dissolve",
            clinic)  # only a merge names a successor
    with use_context(ADMIN):  # what the registry's event then does is what was listed
        world.registry.merge_unions([school], "2025-10-01", into_union_id=clinic)
    world.feed(reviews)
    assert sorted((c["record"], c["period"]) for c in reviews.schedule(clinic, 2025)["carried_over"]) \
        == sorted((i["kind"], i["number"]) for i in merged[:3])
    assert reviews.open_items([school], "2025-10-01", "merge", clinic) == []
