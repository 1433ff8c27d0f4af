"""R5.3: a command request has one effect however often it reaches a service (redelivered
after its instance died, repeated after its caller gave up), and none once its caller stopped
waiting; on SQLite and PostgreSQL, with the initiatives application."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.clock import FixedClock
from runtime.context import use_context
from runtime.errors import Conflict, DomainError
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from tests.support.province import Province, acting, build, deliver


@pytest.fixture
def world(store_url: str, settings_for: Any) -> tuple[Initiatives, Initiatives, Province]:
    """Two instances of the initiatives service on one store, the province delivered."""
    settings = settings_for(store_url)
    registry = Registry(settings)
    province = build(registry)
    clock = FixedClock(datetime(2026, 3, 1, tzinfo=UTC))
    one, two = Initiatives(settings, clock=clock), Initiatives(settings, clock=clock)
    deliver(registry, one)
    return one, two, province


def ideas(app: Initiatives) -> int:
    table = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    with app.engine.connect() as c:
        return int(c.execute(sa.select(sa.func.count()).select_from(table)
                             .where(table.c.topic.like("%:Idea.Raised"))).scalar_one())


def raise_idea(app: Initiatives, w: Province, title: str = "Sổ theo dõi điện tử") -> Any:
    return lambda: app.raise_idea(w.unions["CS-1"], w.people["D"], title, "Thay sổ giấy",
                                  "2026-02-01")


def request(w: Province, request_id: str | None, deadline: datetime | None = None) -> Any:
    return replace(acting(w.people["D"]), request_id=request_id, deadline=deadline)


def test_r5_3_a_request_delivered_again_answers_as_the_first_and_records_nothing_more(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    one, two, w = world
    with use_context(request(w, "req-1")):
        first = one.run_command(raise_idea(one, w))
        again = two.run_command(raise_idea(two, w))  # the other instance, the same request
    assert again == first and ideas(one) == 1
    with use_context(request(w, None)):  # no request id: every call is its own request
        one.run_command(raise_idea(one, w))
        one.run_command(raise_idea(one, w))
    assert ideas(one) == 3


def test_r5_3_two_runs_of_one_request_at_once_commit_once_and_answer_alike(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    """The first run is slow; meanwhile the request, repeated, runs on the other instance and
    commits. The first run's commit collides on the request and answers as the second did."""
    one, two, w = world
    answers = []

    def slow() -> Any:
        answers.append(two.run_command(raise_idea(two, w, "Lần gửi lại")))
        return one.raise_idea(w.unions["CS-1"], w.people["D"], "Lần đầu", "Chậm", "2026-02-01")

    with use_context(request(w, "req-2")):
        answers.append(one.run_command(slow))
    assert answers[0] == answers[1] and ideas(one) == 1
    assert one.get_idea(answers[0])["title"] == "Lần gửi lại"


def test_r5_3_a_run_refused_because_its_twin_committed_meanwhile_answers_as_the_twin(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    """Two deliveries of one request at once: the other commits while this one runs, and
    this one's checks then fail on what the other did (as ``recognise_at_level`` is refused
    NO_PROPOSAL once the proposal was decided). The caller is told what the other run did,
    not a refusal of a command that was carried out."""
    one, two, w = world
    answers = []

    def refused_after_twin() -> Any:
        answers.append(two.run_command(raise_idea(two, w, "Lần gửi lại")))
        raise Conflict("the twin's effect makes this run's check fail")

    with use_context(request(w, "req-twin")):
        answers.append(one.run_command(refused_after_twin))
    assert answers[0] == answers[1] and ideas(one) == 1


def test_r5_3_a_command_past_its_callers_deadline_records_nothing_and_may_be_sent_again(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    one, _, w = world
    with use_context(request(w, "req-3", datetime.now(UTC) - timedelta(seconds=1))), \
            pytest.raises(DomainError) as late:
        one.run_command(raise_idea(one, w))
    assert (late.value.code, late.value.kind) == ("DEADLINE_PASSED", "unavailable")
    assert ideas(one) == 0
    with use_context(request(w, "req-3", datetime.now(UTC) + timedelta(seconds=30))):
        assert one.run_command(raise_idea(one, w))
    assert ideas(one) == 1


def test_r5_3_a_request_whose_answer_was_lost_is_said_to_be_done(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    """The instance died between the commit and storing the answer."""
    one, two, w = world
    ledger = one.recorder.requests  # type: ignore[attr-defined]
    with use_context(request(w, "req-4")):
        one.run_command(raise_idea(one, w))
    with one.engine.begin() as c:
        c.execute(ledger.table.update().values(outcome=None))
    with use_context(request(w, "req-4")), pytest.raises(DomainError) as done:
        two.run_command(raise_idea(two, w))
    assert done.value.code == "REQUEST_ALREADY_APPLIED" and ideas(one) == 1


def test_r5_3_a_refused_command_records_no_request_and_is_refused_again(
        world: tuple[Initiatives, Initiatives, Province]) -> None:
    one, _, w = world
    for _ in range(2):
        with use_context(request(w, "req-5")), pytest.raises(DomainError) as refused:
            one.run_command(lambda: one.raise_idea(w.unions["CS-1"], w.people["D"], " ", "x",
                                                   "2026-02-01"))
        assert refused.value.kind == "invalid"
    with one.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(
            one.recorder.requests.table)).scalar_one() == 0  # type: ignore[attr-defined]
