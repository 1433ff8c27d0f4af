"""The notifications service on the application: deadlines learnt from published events,
reminders keyed by (deadline, person, stage), a person's own list, e-mail preferences, and mail
written to files when no SMTP server is configured (the SMTP side: tests/integration)."""

from __future__ import annotations

import email
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.clock import FixedClock
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from services.notifications.application import Notifications
from services.notifications.deadlines import due_dates
from services.notifications.domain import Reminder, Stage, message_id, stages_owed
from tests.support.notify_world import NotifyWorld, make_world
from tests.support.province import ADMIN, deliver


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 1, 10, 9, tzinfo=UTC))


@pytest.fixture
def world(store_url: str, settings_for: Any, clock: FixedClock) -> NotifyWorld:
    return make_world(settings_for(store_url), clock)


def mine(w: NotifyWorld, letter: str) -> dict[str, Any]:
    with w.as_(letter):
        return dict(w.notifications.my_notifications())


def test_r3_4_reminder_stages_a_week_before_and_at_the_deadline() -> None:
    due = date(2025, 4, 10)
    assert stages_owed(due, date(2025, 4, 2)) == []
    assert stages_owed(due, date(2025, 4, 3)) == [Stage.BEFORE]
    assert stages_owed(due, date(2025, 4, 9)) == [Stage.BEFORE]
    assert stages_owed(due, date(2025, 4, 10)) == [Stage.AT]
    # a clock moved far past the deadline: one reminder, not two
    assert stages_owed(due, date(2025, 9, 1)) == [Stage.AT]


def test_r2_4_review_due_dates_come_from_the_rule_book() -> None:
    assert due_dates(2025, date(2025, 2, 1)) == {
        "H1": date(2025, 7, 15), "H2": date(2026, 1, 15), "annual": date(2026, 1, 31)}


def test_reminder_ids_and_message_ids_are_derived_from_what_they_are_about() -> None:
    one = Reminder.create_id("initiative_decision/x", "p", "at")
    assert one == Reminder.create_id("initiative_decision/x", "p", "at")
    assert one != Reminder.create_id("initiative_decision/x", "p", "before")
    assert one != Reminder.create_id("initiative_decision/x", "q", "at")
    assert message_id(one, "thongbao.example") == message_id(one, "thongbao.example") == \
        f"<{one}@thongbao.example>"


def test_r3_4_the_3_month_limit_is_told_to_each_committee_member_once_per_stage(
        world: NotifyWorld) -> None:
    w = world
    w.register("SK-01", on="2025-01-10")  # to be decided by 10/04/2025
    w.feed()
    w.feed()  # the same events again: nothing twice
    assert w.notifications.scan() == 0  # nothing owed yet
    w.at(datetime(2025, 4, 3, 8, tzinfo=UTC))
    assert w.notifications.scan() == 3  # A, B and C sit on CS-1's executive committee
    assert w.notifications.scan() == 0  # a second scan (or another instance's) makes none
    first = mine(w, "A")
    assert first["unread"] == 1  # beside the page, {items, total, offset, limit} (R5.2)
    assert (first["total"], first["offset"], first["limit"]) == (1, 0, 50)
    (item,) = first["items"]
    assert (item["kind"], item["stage"], item["due_on"]) == \
        ("initiative_decision", "before", "2025-04-10")
    assert item["subject"]["reference"] == "SK-01"
    assert mine(w, "D")["items"] == []  # the author is not on the committee
    w.at(datetime(2025, 4, 10, 8, tzinfo=UTC))
    assert w.notifications.scan() == 3
    stages = [i["stage"] for i in mine(w, "B")["items"]]
    assert sorted(stages) == ["at", "before"]


def test_r3_4_a_clock_moved_past_the_deadline_tells_once_and_a_decided_one_not_at_all(
        world: NotifyWorld) -> None:
    w = world
    w.register("SK-01", on="2025-01-10")
    decided = w.register("SK-02", on="2025-01-10")
    with w.as_("A"):
        w.initiatives.refuse(decided, "2025-02-01", "Không đạt tính mới", "13/QĐ-CĐCS")
    w.feed()
    w.at(datetime(2025, 8, 1, tzinfo=UTC))
    assert w.notifications.scan() == 3
    items = mine(w, "C")["items"]
    assert [(i["subject"]["reference"], i["stage"]) for i in items] == [("SK-01", "at")]


def test_a_person_marks_their_own_read_and_never_sees_anothers(world: NotifyWorld) -> None:
    w = world
    w.register()
    w.feed()
    w.at(datetime(2025, 4, 10, tzinfo=UTC))
    w.notifications.scan()
    (item,) = mine(w, "A")["items"]
    with w.as_("B"), pytest.raises(DomainError) as refused:
        w.notifications.mark_read(item["reminder_id"])
    assert refused.value.code == "NOT_FOUND"
    with w.as_("A"):
        w.notifications.mark_read(item["reminder_id"])
        w.notifications.mark_read(item["reminder_id"])  # again: no change
    listed = mine(w, "A")
    assert listed["unread"] == 0 and listed["items"][0]["read"] is True
    assert mine(w, "B")["unread"] == 1
    with use_context(CommandContext(Actor("user:admin", "administrator"))), \
            pytest.raises(DomainError) as nobody:
        w.notifications.my_notifications()
    assert nobody.value.code == "FORBIDDEN"


def test_without_an_smtp_server_mail_is_written_to_files_with_a_stable_message_id(
        world: NotifyWorld, tmp_path: Any) -> None:
    w = world
    w.register()
    w.feed()
    with w.as_("A"):
        w.notifications.set_email(True, "an.nguyen@congdoan.example")
    with w.as_("B"):
        w.notifications.set_email(False, "binh.tran@congdoan.example")  # e-mail turned off
    # C has no address: told in the app only
    w.at(datetime(2025, 4, 10, tzinfo=UTC))
    result = w.notifications.tick()
    assert result == {"reminders": 3, "sent": 1, "skipped": 2, "failed": 0, "parked": 0}
    files = sorted((tmp_path / "data" / "mail").glob("*.eml"))
    assert len(files) == 1
    mail = email.message_from_bytes(files[0].read_bytes())
    (item,) = mine(w, "A")["items"]
    assert mail["Message-ID"] == f"<{item['reminder_id']}@thongbao.thidua.invalid>"
    assert mail["To"] == "an.nguyen@congdoan.example"
    assert "10/04/2025" in mail["Subject"]
    assert item["mail_status"] == "sent"
    assert {i["mail_status"] for i in mine(w, "B")["items"] + mine(w, "C")["items"]} == {"skipped"}
    assert w.notifications.tick() == {"reminders": 0, "sent": 0, "skipped": 0, "failed": 0,
                                      "parked": 0}


def test_an_address_is_checked(world: NotifyWorld) -> None:
    with world.as_("A"), pytest.raises(DomainError) as refused:
        world.notifications.set_email(True, "not an address")
    assert refused.value.code == "INVALID_INPUT"
    with world.as_("A"):
        assert world.notifications.my_email()["address"] is None


def reviews_world(settings: Any, clock: FixedClock) -> tuple[Any, Any, Notifications]:
    """The reviews' province (tests/support/reviews_world.py), its reviews application and a
    notifications application, both fed the registry's facts."""
    from services.registry.application import Registry
    from services.reviews.application import Reviews
    from tests.support.reviews_world import build

    world = build(Registry(settings))
    reviews, notifications = Reviews(settings, clock=clock), Notifications(settings, clock=clock)
    world.feed(reviews)
    world.feed(notifications)
    return world, reviews, notifications


def test_r2_4_r2_5_a_launch_makes_the_reviews_owed_and_a_review_held_closes_its_own(
        store_url: str, settings_for: Any) -> None:
    clock = FixedClock(datetime(2025, 7, 10, 9, tzinfo=UTC))
    world, reviews, notifications = reviews_world(settings_for(store_url), clock)
    school, clinic = world.unions["school"], world.unions["clinic"]
    with use_context(world.as_("school")):
        reviews.launch(school, 2025, "2025-01-10", "Phát động phong trào", "Kế hoạch năm 2025")
        reviews.hold_half_year_review(school, "2025-H1", "2025-07-05", "Sơ kết 6 tháng đầu năm",
                                      ["12 sáng kiến đăng ký"])
    with use_context(world.as_("clinic")):
        reviews.launch(clinic, 2025, "2025-01-12", "Phát động phong trào", "Kế hoạch năm 2025")
    notifications.receive("reviews", "catch-up", lambda **kw: reviews.published_page(**kw))
    # 10/07/2025: the H1 review (due 15/07) is owed within the week by the clinic only
    assert notifications.scan() == 1
    with use_context(world.as_("clinic")):
        (item,) = notifications.my_notifications()["items"]
    assert (item["kind"], item["stage"], item["due_on"], item["subject"]["period"]) == \
        ("half_year", "before", "2025-07-15", "2025-H1")
    with use_context(world.as_("school")):
        assert notifications.my_notifications()["items"] == []
    clock._at = datetime(2026, 2, 1, tzinfo=UTC)  # past H1, H2 (15/01) and the annual (31/01)
    assert notifications.scan() == 5  # the clinic: H1 at, H2, annual; the school: H2, annual
    with use_context(world.as_("clinic")):
        kinds = sorted((i["subject"]["period"], i["stage"])
                       for i in notifications.my_notifications()["items"])
    assert kinds == [("2025", "at"), ("2025-H1", "at"), ("2025-H1", "before"), ("2025-H2", "at")]


def test_r4_4_a_returned_dossier_is_told_at_once_each_round_until_it_is_submitted_again(
        world: NotifyWorld) -> None:
    from runtime.contracts import Envelope
    from services.notifications.deadlines import DeadlineBook

    w = world
    w.feed()
    book = next(v for v in w.notifications.views if isinstance(v, DeadlineBook))
    submission = "5d0c8f0e-8a1e-4a43-9a57-0b6a1f2c3d4e"
    cs1, upper = w.province.unions["CS-1"], w.province.unions["TV-CL"]

    def event(position: int, name: str, payload: dict[str, Any]) -> Envelope:
        return Envelope("awards", position, position - 1 if position > 1 else None,
                        f"00000000-0000-4000-8000-{position:012d}", name, 1, submission, position,
                        {"effective_at": "2025-03-01T00:00:00+00:00"}, payload)

    def returned(position: int, round_: int, on: str) -> Envelope:
        return event(position, "awards.dossier_returned", {
            "submission_id": submission, "union_id": cs1, "to_union_id": upper, "round": round_,
            "on": on, "missing": ["Biên bản họp xét chọn"], "decision": {}})

    with w.notifications.engine.begin() as connection:
        book.apply(connection, [returned(1, 1, "2025-03-01")])
    w.at(datetime(2025, 3, 2, tzinfo=UTC))
    assert w.notifications.scan() == 3  # CS-1 has no standing committee: its executive one
    (item,) = mine(w, "A")["items"]
    assert (item["kind"], item["stage"], item["subject"]["round"]) == ("dossier_returned", "at", 1)
    with w.notifications.engine.begin() as connection:
        book.apply(connection, [event(2, "awards.dossier_submitted", {
            "submission_id": submission, "union_id": cs1, "to_union_id": upper, "round": 2,
            "on": "2025-03-05"})])
    assert w.notifications.scan() == 0
    with w.notifications.engine.begin() as connection:
        book.apply(connection, [returned(3, 2, "2025-03-10")])
    w.at(datetime(2025, 3, 10, tzinfo=UTC))
    assert w.notifications.scan() == 3  # the second round is told again
    assert sorted(i["subject"]["round"] for i in mine(w, "B")["items"]) == [1, 2]


def test_r4_3_a_nomination_awaiting_a_decision_is_told_to_the_body_that_decides_it(
        world: NotifyWorld) -> None:
    from runtime.contracts import Envelope
    from services.notifications.deadlines import DeadlineBook

    w = world
    w.feed()
    book = next(v for v in w.notifications.views if isinstance(v, DeadlineBook))
    u = w.province.unions
    first, carried = "6a1b2c3d-0000-4000-8000-000000000001", "6a1b2c3d-0000-4000-8000-000000000002"

    def feed(position: int, name: str, payload: dict[str, Any]) -> None:
        envelope = Envelope("awards", position, None, f"00000000-0000-4000-8000-{position:012d}",
                            name, 1, first, position,
                            {"effective_at": "2025-03-01T00:00:00+00:00"}, payload)
        with w.notifications.engine.begin() as connection:
            book.apply(connection, [envelope])

    def nominated(position: int, nomination: str, union: str, to: str, carries: str | None) -> None:
        feed(position, "awards.nominated", {
            "nomination_id": nomination, "union_id": u[union], "to_union_id": u[to], "year": 2025,
            "subject": "individual", "subject_id": w.person("D"), "form": "giay_khen",
            "initiative_ids": [], "carries": carries, "relies_on": [],
            "nominated_on": "2025-03-01", "evaluation": {}, "decision": {}})

    nominated(1, first, "CS-1", "TV-CL", None)
    w.at(datetime(2025, 3, 2, tzinfo=UTC))
    assert w.notifications.scan() == 1  # G, TV-CL's standing committee
    (item,) = mine(w, "G")["items"]
    assert (item["kind"], item["stage"]) == ("nomination_pending", "at")
    nominated(2, carried, "TV-CL", "TV", first)  # carried one level up: TV decides now
    assert w.notifications.scan() == 1  # H, TV's standing committee; none again for G
    feed(3, "awards.award_decided", {"awardees": [{"nomination_id": carried}],
                                     "decision": {"decided_on": "2025-03-20"}})
    w.at(datetime(2025, 3, 21, tzinfo=UTC))
    assert w.notifications.scan() == 0
    with w.notifications.engine.connect() as connection:
        from services.notifications.deadlines import DEADLINES, open_deadlines

        assert [d.deadline_key for d in open_deadlines(connection, date(2026, 1, 1))
                if d.kind == "nomination_pending"] == []
        assert connection.execute(DEADLINES.select()).all()  # kept, closed


def test_r1_5_a_nomination_carried_to_a_successor_is_told_to_its_body_until_closed(
        world: NotifyWorld) -> None:
    from runtime.contracts import Envelope
    from services.notifications.deadlines import DeadlineBook

    w = world
    w.feed()
    book = next(v for v in w.notifications.views if isinstance(v, DeadlineBook))
    u = w.province.unions
    nomination = "6a1b2c3d-0000-4000-8000-000000000003"

    def feed(position: int, name: str, payload: dict[str, Any]) -> None:
        envelope = Envelope("awards", position, None, f"00000000-0000-4000-8000-{position:012d}",
                            name, 1, nomination, position,
                            {"effective_at": "2025-03-01T00:00:00+00:00"}, payload)
        with w.notifications.engine.begin() as connection:
            book.apply(connection, [envelope])

    feed(1, "awards.nominated", {
        "nomination_id": nomination, "union_id": u["CS-1"], "to_union_id": u["TV-CL"],
        "year": 2025, "subject": "individual", "subject_id": w.person("D"), "form": "giay_khen",
        "initiative_ids": [], "carries": None, "relies_on": [], "nominated_on": "2025-03-01",
        "evaluation": {}, "decision": {}})
    w.at(datetime(2025, 3, 2, tzinfo=UTC))
    assert w.notifications.scan() == 1  # G, TV-CL's standing committee
    feed(2, "awards.carried_over", {
        "record": "nomination", "record_id": nomination, "sides": ["to_union"],
        "from_union_id": u["TV-CL"], "to_union_id": u["TV-CK"], "effective_on": "2025-03-10"})
    w.at(datetime(2025, 3, 11, tzinfo=UTC))
    assert w.notifications.scan() == 1  # I, TV-CK's standing committee, decides it now
    assert [i["kind"] for i in mine(w, "I")["items"]] == ["nomination_pending"]
    feed(3, "awards.closed", {
        "record": "nomination", "record_id": nomination, "sides": ["to_union"],
        "union_id": u["TV-CK"], "effective_on": "2025-03-12", "reason": "Công đoàn giải thể"})
    with w.notifications.engine.connect() as connection:
        from services.notifications.deadlines import open_deadlines

        assert [d for d in open_deadlines(connection, date(2026, 1, 1))
                if d.kind == "nomination_pending"] == []


def test_r2_8_a_difficulty_awaiting_an_answer_is_told_to_the_policy_law_department(
        store_url: str, settings_for: Any) -> None:
    clock = FixedClock(datetime(2025, 9, 3, 9, tzinfo=UTC))
    world, reviews, notifications = reviews_world(settings_for(store_url), clock)
    with use_context(world.as_("school")):
        first = reviews.report_difficulty(world.unions["school"], "2025-09-01", "Kinh phí",
                                          "Đơn vị chưa có quy chế chi thưởng sáng kiến")
        second = reviews.report_difficulty(world.unions["school"], "2025-09-03", "Hồ sơ",
                                           "Chưa rõ mẫu hồ sơ đề nghị công nhận")

    def catch_up() -> None:
        notifications.receive("reviews", "catch-up", lambda **kw: reviews.published_page(**kw))

    catch_up()
    clock._at = datetime(2025, 9, 9, tzinfo=UTC)  # a week before 16/09, the rule book's 15 days
    assert notifications.scan() == 1  # the head of the department, for the first only
    with use_context(world.as_("policy_law")):
        (item,) = notifications.my_notifications()["items"]
    assert (item["kind"], item["stage"], item["due_on"]) == ("difficulty_answer", "before",
                                                               "2025-09-16")
    assert item["subject"]["difficulty_id"] == str(first)
    with use_context(world.as_("school")):  # the union that reported it is not told
        assert notifications.my_notifications()["items"] == []
    with use_context(world.as_("policy_law")):
        reviews.answer_difficulty(first, "2025-09-09", "Áp dụng Nghị định 13/2012/NĐ-CP")
    catch_up()
    clock._at = datetime(2025, 9, 20, tzinfo=UTC)
    assert notifications.scan() == 1  # the second, at its deadline (18/09); the first answered
    with use_context(world.as_("policy_law")):
        items = notifications.my_notifications()["items"]
    assert sorted((i["subject"]["difficulty_id"], i["stage"]) for i in items) == sorted(
        [(str(first), "before"), (str(second), "at")])


def test_r1_5_r3_4_the_3_month_limit_of_a_merged_unions_initiative_reminds_the_successor(
        world: NotifyWorld) -> None:
    w = world
    w.register("SK-01", on="2025-01-10")  # to be decided by 10/04/2025
    with use_context(ADMIN):
        w.registry.merge_unions([w.province.unions["CS-1"]], "2025-03-01",
                                into_union_id=w.province.unions["CS-2"])
    deliver(w.registry, w.initiatives)  # the initiative is carried over to CS-2
    w.feed()
    w.at(datetime(2025, 4, 3, 8, tzinfo=UTC))
    assert w.notifications.scan() == 1  # F, CS-2's executive committee; no longer A, B, C
    assert [i["subject"]["reference"] for i in mine(w, "F")["items"]] == ["SK-01"]
    assert mine(w, "A")["items"] == []


def test_r1_5_r2_5_an_owed_review_carried_to_a_successor_is_told_to_its_committee(
        world: NotifyWorld) -> None:
    from runtime.contracts import Envelope
    from services.notifications.deadlines import DEADLINES, DeadlineBook, review_key

    w = world
    w.feed()
    book = next(v for v in w.notifications.views if isinstance(v, DeadlineBook))
    u = w.province.unions

    def feed(position: int, name: str, payload: dict[str, Any]) -> None:
        envelope = Envelope("reviews", position, None, f"00000000-0000-4000-9000-{position:012d}",
                            name, 1, u["CS-1"], position,
                            {"effective_at": "2025-01-10T00:00:00+00:00"}, payload)
        with w.notifications.engine.begin() as connection:
            book.apply(connection, [envelope])

    def holders() -> dict[str, tuple[str, Any]]:
        with w.notifications.engine.connect() as connection:
            return {r.deadline_key: (r.union_id, r.closed_on)
                    for r in connection.execute(sa.select(DEADLINES))}

    feed(1, "reviews.movement_launched", {
        "launch_id": "6a1b2c3d-0000-4000-8000-000000000010", "union_id": u["CS-1"],
        "year": 2025, "launched_on": "2025-01-10", "title": "Phát động", "decision": {}})
    feed(2, "reviews.carried_over", {
        "record": "half_year", "record_id": "6a1b2c3d-0000-4000-8000-000000000011",
        "union_id": u["CS-1"], "period": "2025-H2", "from_union_id": u["CS-1"],
        "to_union_id": u["CS-2"], "effective_on": "2025-10-01"})
    feed(3, "reviews.closed", {
        "record": "annual", "record_id": "6a1b2c3d-0000-4000-8000-000000000012",
        "union_id": u["CS-1"], "period": "2025", "effective_on": "2025-10-01",
        "reason": "Công đoàn giải thể từ ngày 01/10/2025, không có đơn vị tiếp nhận"})
    found = holders()
    assert found[review_key(u["CS-1"], "2025-H2")] == (u["CS-2"], None)  # the successor's now
    assert found[review_key(u["CS-1"], "2025-H1")] == (u["CS-1"], None)  # held before: stays
    assert found[review_key(u["CS-1"], "2025")] == (u["CS-1"], date(2025, 10, 1))  # closed
