"""A pledge's targets (R2.3) and the reviews that show them (R2.4, R2.5).

A pledge commits to targets — a kind the rule book names, a number, a due date — and is
refused without one, whatever its text says (under the rule set in force from 01/01/2026;
before it, the movement's words were looked for in the text). A half-year or annual review
shows each target beside what the reviews service counted from the initiatives' published
events and the union's own figure. Pledges and reviews stored before targets existed are
read with their text kept and no targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from runtime.clock import FixedClock
from runtime.context import use_context
from runtime.contracts import Envelope
from runtime.rules import RuleBook
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from services.reviews.application import Reviews
from services.reviews.domain import AnnualReview, Period, Pledge
from tests.support.awards_world import _initiative
from tests.support.province import acting, build, deliver
from tests.support.reviews_world import World
from tests.support.reviews_world import build as build_world
from tests.unit.test_reviews_application import refused

AFTER_TARGETS = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # the rule set with targets in force
NEGATED = ("Ban Chấp hành không theo đuổi đổi mới, sáng tạo, hiệu quả trong năm 2026 và không "
           "đăng ký chỉ tiêu nào.")
TARGETS = [{"kind": "initiatives_registered", "number": 5, "due_on": "2026-12-31"},
           {"kind": "members_trained", "number": 40, "due_on": "2026-12-31"}]


@pytest.fixture
def world(store_url: str, settings_for: Any) -> World:
    return build_world(Registry(settings_for(store_url), clock=FixedClock(AFTER_TARGETS)))


@pytest.fixture
def reviews(world: World, store_url: str, settings_for: Any) -> Iterator[Reviews]:
    app = Reviews(settings_for(store_url), clock=FixedClock(AFTER_TARGETS))
    world.feed(app)
    yield app
    app.close()


def test_r2_3_the_rule_book_names_the_kinds_of_target_from_a_dated_version() -> None:
    book = RuleBook.load("reviews")
    before, after = book.in_force(date(2025, 12, 31)), book.in_force(date(2026, 1, 1))
    assert before.version == "reviews/2020-01" and "pledge_target_kinds" not in before.values
    kinds = {k["code"]: k for k in after["pledge_target_kinds"]}
    assert set(kinds) == {"initiatives_registered", "topics_registered", "initiatives_recognised",
                          "models_replicated", "members_trained"}
    assert kinds["members_trained"]["counted"] is None  # self-assessed only


def test_r2_3_a_negated_pledge_without_targets_is_refused(reviews: Reviews, world: World) -> None:
    """The text names the movement's words yet commits to nothing: refused, with the reason."""
    with use_context(world.as_("school")):
        error = refused(reviews, "PLEDGE_WITHOUT_TARGETS", reviews.sign_pledge,
                        world.unions["school"], 2026, "2026-12-05", NEGATED)
    assert error.details["field"] == "items"
    assert "Đổi mới, sáng tạo, hiệu quả" in error.message


def test_r2_3_a_pledge_without_targets_is_refused_whatever_its_text(reviews: Reviews,
                                                                   world: World) -> None:
    with use_context(world.as_("school")):
        for items in (None, list[dict[str, Any]]()):
            refused(reviews, "PLEDGE_WITHOUT_TARGETS", reviews.sign_pledge,
                    world.unions["school"], 2027, "2026-12-05",
                    "Thực hiện phong trào Đổi mới, sáng tạo, hiệu quả", items=items)


def test_r2_3_a_pledge_with_targets_is_signed_without_the_movements_words(
        reviews: Reviews, world: World) -> None:
    """Committing to register five initiatives is the movement's content, in any words."""
    school = world.unions["school"]
    with use_context(world.as_("school")):
        pledge_id = reviews.sign_pledge(school, 2026, "2026-12-05", items=TARGETS)
    pledge: Pledge = reviews.repository.get(UUID(pledge_id))
    assert pledge.items == TARGETS and pledge.content == ""
    assert pledge.decision["rule_set"]["version"] == "reviews/2026-01"
    [envelope] = reviews.published_page(None)["envelopes"]
    assert envelope["name"] == "reviews.pledge_signed"
    assert reviews.schedule(school, 2026)["pledge_signed_on"] == "2026-12-05"


@pytest.mark.parametrize(("item", "field", "reason"), [
    ({"kind": "trees_planted", "number": 5, "due_on": "2026-12-31"}, "items.0.kind",
     "unknown_kind"),
    ({"kind": "initiatives_registered", "number": 0, "due_on": "2026-12-31"}, "items.0.number",
     "not_positive"),
    ({"kind": "initiatives_registered", "number": -2, "due_on": "2026-12-31"},
     "items.0.number", "not_positive"),
    ({"kind": "initiatives_registered", "number": 2.5, "due_on": "2026-12-31"},
     "items.0.number", "not_positive"),
    ({"kind": "initiatives_registered", "number": 5, "due_on": "2027-01-15"}, "items.0.due_on",
     "due_outside_year"),
    ({"kind": "initiatives_registered", "number": 5, "due_on": "31/12/2026"}, "items.0.due_on",
     "due_outside_year"),
])
def test_r2_3_a_bad_target_is_refused_naming_the_item(reviews: Reviews, world: World,
                                                      item: dict[str, Any], field: str,
                                                      reason: str) -> None:
    with use_context(world.as_("school")):
        error = refused(reviews, "INVALID_PLEDGE_TARGET", reviews.sign_pledge,
                        world.unions["school"], 2026, "2026-12-05", items=[item])
    assert (error.details["field"], error.details["reason"]) == (field, reason)


def test_r2_3_a_kind_pledged_twice_is_refused(reviews: Reviews, world: World) -> None:
    with use_context(world.as_("school")):
        error = refused(reviews, "INVALID_PLEDGE_TARGET", reviews.sign_pledge,
                        world.unions["school"], 2026, "2026-12-05", items=TARGETS + TARGETS[:1])
    assert error.details["reason"] == "duplicate_kind"


# --- the reviews show targets against what was achieved -----------------------------------------

@pytest.fixture
def movement(store_url: str, settings_for: Any) -> Iterator[tuple[Any, Initiatives, Reviews]]:
    """The province of the awards tests, on a clock of 30/06/2026: registry, initiatives and
    reviews on one store."""
    settings = settings_for(store_url)
    clock = FixedClock(datetime(2026, 6, 30, tzinfo=UTC))
    registry = Registry(settings)
    province = build(registry)
    initiatives, reviews = Initiatives(settings, clock=clock), Reviews(settings, clock=clock)
    deliver(registry, initiatives, reviews)
    yield province, initiatives, reviews
    initiatives.close()
    reviews.close()


def test_r2_5_an_annual_review_shows_targets_against_achieved_figures_from_real_events(
        movement: tuple[Any, Initiatives, Reviews]) -> None:
    """CS-1 pledges 3 initiatives, 2 recognised, 1 model replicated and 40 members trained for
    2025; it registers and its committee recognises two initiatives (real commands of the
    initiatives service, whose published events the reviews service receives as its inbox
    would); its annual review gives its own figures. Each target shows its number, the count
    and the union's figure; members trained cannot be counted, so only the union's figure."""
    province, initiatives, reviews = movement
    cs1 = province.unions["CS-1"]
    services = {"initiatives": initiatives, "reviews": reviews}

    def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
        with use_context(acting(province.people[letter])):
            return getattr(services[service], method)(*args, **kwargs)

    items = [{"kind": "initiatives_registered", "number": 3, "due_on": "2025-12-31"},
             {"kind": "initiatives_recognised", "number": 2, "due_on": "2025-12-31"},
             {"kind": "models_replicated", "number": 1, "due_on": "2025-12-31"},
             {"kind": "members_trained", "number": 40, "due_on": "2025-06-30"}]
    call("reviews", "sign_pledge", "A", cs1, 2025, "2025-01-04",
         "Giao ước thực hiện phong trào Đổi mới, sáng tạo, hiệu quả", items=items)
    _initiative(call, province, "SK-01", "Sổ theo dõi đoàn viên điện tử", [("D", 100)], 1_000_000)
    _initiative(call, province, "SK-02", "Quy trình tiếp nhận ý kiến", [("E", 100)], 2_000_000)
    reviews.receive("initiatives", "catch-up", initiatives.published_page)
    reviews.receive("initiatives", "catch-up", initiatives.published_page)  # counted once
    call("reviews", "hold_half_year_review", "A", cs1, "2025-H1", "2025-07-05", "Sơ kết",
         ["Hai sáng kiến được công nhận"])
    call("reviews", "hold_annual_review", "A", cs1, 2025, "2026-01-20", "Tổng kết năm 2025", 90,
         self_assessment=[{"kind": "initiatives_registered", "achieved": 3},
                          {"kind": "members_trained", "achieved": 42, "note": "Hai lớp tập huấn"}])

    annual = reviews.pledge_targets(cs1, "2025")
    shown = {t["kind"]: (t["number"], t["achieved"], t["self_assessed"]) for t in annual["targets"]}
    assert shown == {"initiatives_registered": (3, 2, 3), "initiatives_recognised": (2, 2, None),
                     "models_replicated": (1, 0, None), "members_trained": (40, None, 42)}
    trained = next(t for t in annual["targets"] if t["kind"] == "members_trained")
    assert (trained["counted"], trained["title"], trained["note"]) == (
        False, "Đoàn viên được tập huấn", "Hai lớp tập huấn")
    assert annual["review_held_on"] == "2026-01-20"
    # The half-year counts its own half; its review gave no figures.
    half = reviews.pledge_targets(cs1, "2025-H2")
    assert [(t["achieved"], t["self_assessed"]) for t in half["targets"]][:2] == [(0, None),
                                                                                  (0, None)]
    assert reviews.pledge_targets(cs1, "2025-H1")["targets"][0]["achieved"] == 2
    # A figure for a target the union did not pledge is refused.
    with use_context(acting(province.people["A"])), pytest.raises(Exception) as caught:
        reviews.hold_half_year_review(cs1, "2025-H2", "2026-01-08", "Sơ kết", ["x"],
                                      self_assessment=[{"kind": "topics_registered",
                                                        "achieved": 1}])
    assert getattr(caught.value, "code", None) == "INVALID_SELF_ASSESSMENT"


# --- stores written before targets ----------------------------------------------------------------

def _store_as_v1(app: Reviews, aggregate: Any, drop: str) -> None:
    """Stores the aggregate's created event as it was stored before targets: without
    ``drop`` and without a class version."""
    [event] = aggregate.collect_events()
    stored = app.mapper.to_stored_event(event)
    state = _plain(app, stored.state, drop)
    app.recorder.insert_events([StoredEvent(
        originator_id=stored.originator_id, originator_version=stored.originator_version,
        topic=stored.topic, state=app.mapper.transcoder.encode(state))])


def _plain(app: Reviews, data: bytes, drop: str) -> dict[str, Any]:
    state = dict(app.mapper.transcoder.decode(data))
    state.pop(drop)
    state.pop("class_version")
    return state


def test_r2_3_a_pledge_and_a_review_stored_before_targets_are_read_with_their_text(
        reviews: Reviews, world: World) -> None:
    school = UUID(world.unions["school"])
    decision: dict[str, Any] = {"authority": {}, "decided_on": "2025-01-20", "reason": "Ký giao ước",
                "evidence": [], "rule_set": {"book": "reviews", "version": "reviews/2020-01",
                                             "in_force_from": "2020-01-01"}, "number": None}
    with use_context(world.as_("school")):
        _store_as_v1(reviews, Pledge(school, 2025, date(2025, 1, 20), "Giao ước cũ: đổi mới, "
                                     "sáng tạo, hiệu quả", ["Mỗi đoàn viên một sáng kiến"],
                                     decision, []), "items")
        _store_as_v1(reviews, AnnualReview(school, "2025", date(2026, 1, 20), "Tổng kết", 90.0,
                                           [], [], decision, []), "self_assessment")
    pledge: Pledge = reviews.repository.get(Pledge.create_id(school, 2025))
    assert (pledge.content, pledge.commitments, pledge.items) == (
        "Giao ước cũ: đổi mới, sáng tạo, hiệu quả", ["Mỗi đoàn viên một sáng kiến"], [])
    review: AnnualReview = reviews.repository.get(AnnualReview.create_id(school, Period(2025)))
    assert review.self_assessment == [] and review.results == "Tổng kết"
    shown = reviews.pledge_targets(school, "2025")
    assert shown["content"] == pledge.content and shown["targets"] == []
    assert shown["review_held_on"] == "2026-01-20"



# --- what is counted from which event ------------------------------------------------------------

def _envelope(position: int, name: str, payload: dict[str, Any]) -> Envelope:
    return Envelope(source="initiatives", notification_id=position, previous_id=position - 1 or None,
                    event_id=f"00000000-0000-4000-8000-{position:012d}", name=name, version=1,
                    originator_id=payload["initiative_id"], originator_version=1,
                    payload=payload)


def test_r2_5_topics_and_adopted_models_are_counted_for_the_union_that_did_them(
        store_url: str, settings_for: Any) -> None:
    """A topic counts for the union it was registered with; a replication (R3.8) for the
    union that adopted the initiative, on its adoption date, not for the author's union; an
    event of another service, or one that counts nothing, is not kept."""
    app = Reviews(settings_for(store_url), clock=FixedClock(AFTER_TARGETS))
    author, adopter, initiative = (str(UUID(int=n)) for n in (1, 2, 3))
    registered = {"initiative_id": initiative, "union_id": author, "kind": "topic",
                  "registered_on": "2026-02-01"}
    adopted = {"initiative_id": initiative, "union_id": adopter, "adopted_on": "2026-08-10",
               "replication_id": str(UUID(int=4))}
    other = Envelope(source="awards", notification_id=9, previous_id=None,
                     event_id=str(UUID(int=9)), name="awards.award_decided", version=1,
                     originator_id=initiative, originator_version=1,
                     payload={"union_id": author})
    with app.engine.begin() as connection:
        app.achievements.apply(connection, [
            _envelope(1, "initiatives.registered", registered),
            _envelope(2, "initiatives.replicated", adopted),
            _envelope(3, "initiatives.applied", {"initiative_id": initiative}), other])
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert app.achievements.counts(UUID(author), *year) == {"initiatives.registered/topic": 1}
    assert app.achievements.counts(UUID(adopter), *year) == {"initiatives.replicated": 1}
    assert app.achievements.counts(UUID(adopter), date(2026, 1, 1), date(2026, 6, 30)) == {}
    app.close()
