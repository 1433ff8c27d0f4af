"""R2.5: an annual review lists the rewards its union gave on its own authority and the
proposals it sent upward as links to the award decisions and nominations the awards service
published — chosen from them, never typed — and is not closed while a proposal it lists has
no nomination behind it. Reviews stored when rewards were typed are read after the change.
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
from services.registry.application import Registry
from services.reviews.application import Reviews
from services.reviews.domain import AnnualReview, Period
from tests.support.awards_world import to_the_province
from tests.support.awards_world import world as awards_world
from tests.support.province import acting
from tests.support.reviews_world import World, build, decided, deliver_awards, nominated
from tests.unit.test_reviews_application import refused

TODAY = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
OWN_AWARD, OTHER_AWARD, LAST_YEAR_AWARD = (str(UUID(int=n)) for n in (101, 102, 103))
UPWARD, OWN_DECISION, OTHERS_NOMINATION = (str(UUID(int=n)) for n in (201, 202, 203))


@pytest.fixture
def world(store_url: str, settings_for: Any) -> World:
    return build(Registry(settings_for(store_url), clock=FixedClock(TODAY)))


@pytest.fixture
def reviews(world: World, store_url: str, settings_for: Any) -> Iterator[Reviews]:
    """The reviews service with the school's and the clinic's award decisions and nominations
    of 2025 (and one decision of 2024), as the awards service published them."""
    app = Reviews(settings_for(store_url), clock=FixedClock(TODAY))
    world.feed(app)
    u, p = world.unions, world.people
    deliver_awards(
        app,
        decided(OWN_AWARD, u["school"], 2025, "05/QĐ-CĐCS", "2026-01-12",
                [(p["school_member"], "Phạm Văn Nam", "Sáng kiến sổ điểm điện tử")]),
        decided(OTHER_AWARD, u["clinic"], 2025, "02/QĐ-CĐCS", "2026-01-13",
                [(p["clinic"], "Lê Văn Y", "Sáng kiến sổ khám bệnh")]),
        decided(LAST_YEAR_AWARD, u["school"], 2024, "09/QĐ-CĐCS", "2025-01-10",
                [(p["school_member"], "Phạm Văn Nam", "Sáng kiến năm 2024")]),
        nominated(UPWARD, u["school"], u["cl"], 2025, p["school_member"], "2026-02-02",
                  number="07/TTr-CĐCS"),
        nominated(OWN_DECISION, u["school"], u["school"], 2025, p["school_member"],
                  "2026-01-05", form="giay_khen_cdcs"),
        nominated(OTHERS_NOMINATION, u["clinic"], u["cl"], 2025, p["clinic"], "2026-02-03"))
    yield app
    app.close()


def _hold(app: Reviews, world: World, awards: list[str] | None = None,
          nominations: list[str] | None = None) -> Any:
    with use_context(world.as_("school")):
        return app.hold_annual_review(world.unions["school"], 2025, "2026-01-20",
                                      "Tổng kết năm 2025", 90, awards, nominations)


@pytest.mark.parametrize(("awards", "nominations", "field", "reason"), [
    ([str(UUID(int=999))], None, "award_ids", "unknown"),
    ([OTHER_AWARD], None, "award_ids", "other_union"),
    ([LAST_YEAR_AWARD], None, "award_ids", "other_year"),
    (None, [str(UUID(int=998))], "nomination_ids", "unknown"),
    (None, [OTHERS_NOMINATION], "nomination_ids", "other_union"),
    (None, [OWN_DECISION], "nomination_ids", "not_upward"),
], ids=["unknown award", "another union's award", "last year's award", "unknown nomination",
        "another union's nomination", "a nomination for the union's own decision"])
def test_r2_5_a_review_links_only_its_unions_decisions_and_upward_nominations_of_the_year(
        reviews: Reviews, world: World, awards: list[str] | None, nominations: list[str] | None,
        field: str, reason: str) -> None:
    with use_context(world.as_("school")):
        error = refused(reviews, "REVIEW_LINK_UNKNOWN", reviews.hold_annual_review,
                        world.unions["school"], 2025, "2026-01-20", "Tổng kết", 90, awards,
                        nominations)
    assert (error.details["field"], error.details["reason"]) == (field, reason)


def test_r2_5_a_review_cannot_list_a_typed_reward_or_proposal(reviews: Reviews,
                                                              world: World) -> None:
    """Chosen, never typed: what was a reward's text is not an id of anything."""
    with use_context(world.as_("school")):
        for typed in ([{"recipient": "Phạm Văn Nam", "form": "Giấy khen", "reason": "x"}],
                      ["Phạm Văn Nam | Giấy khen | Sáng kiến"]):
            refused(reviews, "INVALID_INPUT", reviews.hold_annual_review, world.unions["school"],
                    2025, "2026-01-20", "Tổng kết", 90, None, typed)


def test_r2_5_the_linked_decision_and_nomination_show_on_the_review(reviews: Reviews,
                                                                    world: World) -> None:
    school = world.unions["school"]
    _hold(reviews, world, [OWN_AWARD], [UPWARD])
    review = reviews.get_annual_review(school, 2025)
    assert review["rewards_given"] == [{
        "award_id": OWN_AWARD, "number": "05/QĐ-CĐCS", "decided_on": "2026-01-12",
        "recipient": "Phạm Văn Nam", "form": "Giấy khen của Ban Chấp hành công đoàn cơ sở",
        "reason": "Sáng kiến sổ điểm điện tử"}]
    assert review["rewards_proposed"] == [{
        "nomination_id": UPWARD, "number": "07/TTr-CĐCS", "nominated_on": "2026-02-02",
        "to_union_id": world.unions["cl"], "recipient": "Phạm Văn Nam",
        "form": "Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở",
        "reason": None, "nominated": True}]
    assert review["closed_on"] is None


def test_r2_5_the_candidates_are_the_unions_own_decisions_and_upward_nominations(
        reviews: Reviews, world: World) -> None:
    """What the review form offers: only the school's, of 2025; a nomination for its own
    decision is not a proposal upward; what the review lists is marked."""
    school = world.unions["school"]
    found = reviews.review_award_links(school, 2025)
    assert [a["award_id"] for a in found["awards"]] == [OWN_AWARD]
    assert [n["nomination_id"] for n in found["nominations"]] == [UPWARD]
    assert not found["awards"][0]["listed"] and not found["awards"][0]["revoked"]
    _hold(reviews, world, [OWN_AWARD])
    found = reviews.review_award_links(school, 2025)
    assert found["awards"][0]["listed"] and not found["nominations"][0]["listed"]
    assert reviews.review_award_links(world.unions["clinic"], 2025)["awards"][0][
        "number"] == "02/QĐ-CĐCS"


def test_r2_5_a_review_links_proposals_as_they_are_made_and_then_closes(
        reviews: Reviews, world: World) -> None:
    school = world.unions["school"]
    _hold(reviews, world)
    with use_context(world.as_("school")):
        refused(reviews, "DATE_BEFORE_RECORD", reviews.link_review_rewards, school, 2025,
                "2026-01-19", [OWN_AWARD])
        refused(reviews, "REVIEW_LINK_UNKNOWN", reviews.link_review_rewards, school, 2025,
                "2026-02-05", None, [OTHERS_NOMINATION])
        shown = reviews.link_review_rewards(school, 2025, "2026-02-05", [OWN_AWARD], [UPWARD])
        assert [p["nomination_id"] for p in shown["rewards_proposed"]] == [UPWARD]
        closed = reviews.close_annual_review(school, 2025, "2026-02-06")
        assert closed["closed_on"] == "2026-02-06"
        assert closed["closing"]["authority"]["union_id"] == school
        refused(reviews, "REVIEW_CLOSED", reviews.link_review_rewards, school, 2025,
                "2026-02-07", [], [])
        refused(reviews, "REVIEW_CLOSED", reviews.close_annual_review, school, 2025,
                "2026-02-07")
        refused(reviews, "REVIEW_NOT_FOUND", reviews.close_annual_review,
                world.unions["clinic"], 2025, "2026-02-07")


# --- reviews stored when rewards were typed -------------------------------------------------------

TYPED_GIVEN = {"recipient": "Trần Thị Hồng", "form": "Giấy khen BCH CĐCS",
               "reason": "Sáng kiến sổ điểm điện tử"}
TYPED_PROPOSED = {"recipient": "Tổ Toán", "form": "Giấy khen LĐLĐ huyện",
                  "reason": "Áp dụng hiệu quả"}


def _store_typed_review(app: Reviews, world: World) -> None:
    """An annual review stored as version 2 of its event: rewards and proposals typed."""
    decision: dict[str, Any] = {
        "authority": {}, "decided_on": "2026-01-20", "reason": "Tổng kết năm 2025",
        "evidence": [], "rule_set": {"book": "reviews", "version": "reviews/2020-01",
                                     "in_force_from": "2020-01-01"}, "number": None}
    with use_context(world.as_("school")):
        review = AnnualReview(UUID(world.unions["school"]), "2025", date(2026, 1, 20),
                              "Tổng kết", 90.0, [], [], decision, [])
        [event] = review.collect_events()
        stored = app.mapper.to_stored_event(event)
        state = dict(app.mapper.transcoder.decode(stored.state))
        state.update(class_version=2, rewards_given=[TYPED_GIVEN],
                     rewards_proposed=[TYPED_PROPOSED])
        app.recorder.insert_events([StoredEvent(
            originator_id=stored.originator_id, originator_version=stored.originator_version,
            topic=stored.topic, state=app.mapper.transcoder.encode(state))])


def test_r2_5_an_annual_review_stored_with_typed_rewards_is_read_after_the_change(
        reviews: Reviews, world: World) -> None:
    school = world.unions["school"]
    _store_typed_review(reviews, world)
    review: AnnualReview = reviews.repository.get(AnnualReview.create_id(UUID(school),
                                                                         Period(2025)))
    assert review.rewards_given == [{"award_id": None, "number": None, "decided_on": None,
                                     **TYPED_GIVEN}]
    assert review.rewards_proposed == [{"nomination_id": None, "number": None,
                                        "nominated_on": None, **TYPED_PROPOSED,
                                        "to_union_id": None}]
    shown = reviews.get_annual_review(school, 2025)
    assert shown["rewards_proposed"][0]["nominated"] is False
    assert shown["rewards_given"][0]["recipient"] == "Trần Thị Hồng"
    # Its published event still meets the contract, with the text as it was typed.
    [envelope] = [e for e in reviews.published_page(None)["envelopes"]
                  if e["name"] == "reviews.annual_review_held"]
    assert envelope["payload"]["rewards_proposed"] == [TYPED_PROPOSED]
    assert envelope["payload"]["rewards_given"] == [TYPED_GIVEN]


def test_r2_5_a_review_cannot_be_closed_while_a_proposal_it_lists_has_no_nomination(
        reviews: Reviews, world: World) -> None:
    """A review stored when proposals were typed lists one with no nomination behind it:
    closing it is refused, naming it, until the union links the nomination it made."""
    school = world.unions["school"]
    _store_typed_review(reviews, world)
    with use_context(world.as_("school")):
        error = refused(reviews, "PROPOSAL_WITHOUT_NOMINATION", reviews.close_annual_review,
                        school, 2025, "2026-02-06")
        assert error.details["proposals"] == ["Tổ Toán"]
        reviews.link_review_rewards(school, 2025, "2026-02-06", [OWN_AWARD], [UPWARD])
        assert reviews.close_annual_review(school, 2025, "2026-02-06")["closed_on"] == \
            "2026-02-06"


# --- from the awards service's own commands, through the reviews' inbox --------------------------

def test_r2_5_the_review_links_what_the_awards_service_decided_and_nominated(
        store_url: str, settings_for: Any) -> None:
    """D's year (``to_the_province``): CS-1's committee gives D its Giấy khen and proposes D to
    Càng Long; Càng Long carries D to the province. The awards' published events reach the
    reviews service as its inbox brings them; CS-1's annual review lists its decision and its
    nomination upward (not the one for its own decision) and closes; Càng Long's lists its
    proposal to the province."""
    w = awards_world(settings_for(store_url))
    made = to_the_province(w.call, w.m)
    w.reviews.receive("awards", "catch-up", w.awards.published_page)
    cs1, cl = w.u("CS-1"), w.u("TV-CL")
    own, up, to_tv = made["nominations"]
    found = w.reviews.review_award_links(cs1, 2025)
    assert [(a["award_id"], a["number"], a["decided_on"], a["recipient"]) for a in found["awards"]] \
        == [(made["grassroots_award"], "05/QĐ-CĐCS", "2026-03-05", "Thạch Thị Sa Rai")]
    assert [(n["nomination_id"], n["nominated_on"], n["recipient"], n["form"])
            for n in found["nominations"]] == [
        (up, "2026-03-06", "Thạch Thị Sa Rai",
         "Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở")]
    w.call("reviews", "link_review_rewards", "A", cs1, 2025, "2026-03-09",
           [made["grassroots_award"]], [up])
    w.call("reviews", "close_annual_review", "A", cs1, 2025, "2026-03-09")
    assert w.reviews.get_annual_review(cs1, 2025)["rewards_proposed"][0]["nominated"] is True
    assert [n["nomination_id"] for n in w.reviews.review_award_links(cl, 2025)["nominations"]] \
        == [to_tv]
    with use_context(acting(w.p("G"))):  # Càng Long cannot list CS-1's nomination as its own
        error = refused(w.reviews, "REVIEW_LINK_UNKNOWN", w.reviews.hold_annual_review, cl, 2025,
                        "2026-03-20", "Tổng kết", 90, None, [own])
    assert error.details["reason"] == "other_union"
    w.reviews.close()
    w.awards.close()
    w.initiatives.close()
