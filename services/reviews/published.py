"""What the reviews service publishes, under which contract (``contracts/events/reviews.*``).

Awards judges a collective by these facts (R4.1 a, b, e): it launched the movement,
disseminated it, signed its pledge, held its reviews, and how its upper union classified it.
The texts of plans, pledges and findings stay here; a published event carries what a
criterion needs and the decision record of decisions (R4.5).
"""

from __future__ import annotations

from typing import Any

from runtime.publication import Rule
from services.reviews.domain import (
    AnnualReview,
    Classification,
    Difficulty,
    Dissemination,
    HalfYearReview,
    Launch,
    Overdue,
    Owed,
    Pledge,
)


def _day(value: Any) -> str:
    return str(value.isoformat())


def _id(value: Any) -> str | None:
    return str(value) if value is not None else None


def _launched(e: Any) -> dict[str, Any]:
    return {"launch_id": str(e.originator_id), "union_id": str(e.union_id), "year": e.year,
            "launched_on": _day(e.launched_on), "title": e.title, "decision": e.decision}


def _disseminated(e: Any) -> dict[str, Any]:
    return {"dissemination_id": str(e.originator_id), "union_id": str(e.union_id),
            "year": e.year, "kind": e.kind, "held_on": _day(e.held_on), "title": e.title,
            "audience": e.audience, "reach": e.reach}


def _pledged(e: Any) -> dict[str, Any]:
    return {"pledge_id": str(e.originator_id), "union_id": str(e.union_id), "year": e.year,
            "signed_on": _day(e.signed_on), "decision": e.decision}


def _half_year(e: Any) -> dict[str, Any]:
    return {"review_id": str(e.originator_id), "union_id": str(e.union_id), "period": e.period,
            "held_on": _day(e.held_on), "findings": list(e.findings), "decision": e.decision}


def _vn_day(value: str | None) -> str:
    return "" if not value else "/".join(reversed(value.split("-")))


def _reward(entry: dict[str, Any], dated: str, what: str) -> dict[str, str]:
    """R2.5: a reward or proposal as the contract carries it (recipient, form, reason): a
    link says which decision or nomination it is, a typed one of an old review as typed."""
    number = f" số {entry['number']}" if entry.get("number") else ""
    reason = entry.get("reason") or (f"{what}{number} ngày {_vn_day(entry.get(dated))}"
                                     if entry.get(dated) else what)
    return {"recipient": entry.get("recipient") or "—", "form": entry.get("form") or "—",
            "reason": reason[:1000]}


def _annual(e: Any) -> dict[str, Any]:
    return {"review_id": str(e.originator_id), "union_id": str(e.union_id),
            "year": int(e.period), "held_on": _day(e.held_on), "self_score": e.self_score,
            "rewards_given": [_reward(r, "decided_on", "Quyết định khen thưởng")
                              for r in e.rewards_given],
            "rewards_proposed": [_reward(r, "nominated_on", "Đề nghị khen thưởng")
                                 for r in e.rewards_proposed],
            "decision": e.decision}


def _classified(e: Any) -> dict[str, Any]:
    return {"classification_id": str(e.originator_id), "union_id": str(e.union_id),
            "year": e.year, "upper_union_id": str(e.upper_union_id),
            "classified_on": _day(e.classified_on), "self_score": e.self_score,
            "appraised_score": e.appraised_score, "grade": e.grade, "decision": e.decision}


def _corrected(e: Any) -> dict[str, Any]:
    return {"classification_id": str(e.originator_id), "union_id": str(e.union_id),
            "year": e.year, "upper_union_id": str(e.upper_union_id),
            "corrected_on": _day(e.corrected_on), "appraised_score": e.appraised_score,
            "grade": e.grade, "superseded": e.superseded, "decision": e.decision}


def _overdue(e: Any) -> dict[str, Any]:
    return {"overdue_id": str(e.originator_id), "union_id": str(e.union_id),
            "upper_union_id": _id(e.upper_union_id), "period": e.period, "kind": e.kind,
            "due_on": _day(e.due_on), "flagged_on": _day(e.flagged_on)}


def _difficulty(e: Any) -> dict[str, Any]:
    return {"difficulty_id": str(e.originator_id), "union_id": str(e.union_id),
            "federation_id": str(e.federation_id), "reported_on": _day(e.reported_on),
            "subject": e.subject}


def _answered(e: Any) -> dict[str, Any]:
    return {"difficulty_id": str(e.originator_id), "answered_on": _day(e.answered_on)}


def _owed(e: Any, *names: str) -> dict[str, Any]:
    return {"record": e.record, "record_id": str(e.record_id), "union_id": str(e.union_id),
            "period": e.period, **{n: str(getattr(e, n)) if n.endswith("_id")
                                   else _day(getattr(e, n)) if n == "effective_on"
                                   else getattr(e, n) for n in names}}


def _owed_carried(e: Any) -> dict[str, Any]:
    return _owed(e, "from_union_id", "to_union_id", "effective_on")


def _owed_closed(e: Any) -> dict[str, Any]:
    return _owed(e, "effective_on", "reason")


# The event classes are made by @event("...") on the aggregates.
RULES = [
    Rule(Launch.Launched, "reviews.movement_launched", 1, _launched),  # type: ignore[attr-defined]
    Rule(Dissemination.Recorded, "reviews.dissemination_recorded", 1,  # type: ignore[attr-defined]
         _disseminated),
    Rule(Pledge.Signed, "reviews.pledge_signed", 1, _pledged),  # type: ignore[attr-defined]
    Rule(HalfYearReview.Held, "reviews.half_year_review_held", 1,  # type: ignore[attr-defined]
         _half_year),
    Rule(AnnualReview.Held, "reviews.annual_review_held", 1, _annual),  # type: ignore[attr-defined]
    Rule(Classification.Classified, "reviews.union_classified", 1,  # type: ignore[attr-defined]
         _classified),
    Rule(Classification.Corrected, "reviews.classification_corrected", 1,  # type: ignore[attr-defined]
         _corrected),
    Rule(Overdue.ReviewOverdue, "reviews.review_overdue", 1, _overdue),  # type: ignore[attr-defined]
    # R2.8: what the notifications service needs to tell the department an answer is owed.
    Rule(Difficulty.Reported, "reviews.difficulty_reported", 1,  # type: ignore[attr-defined]
         _difficulty),
    Rule(Difficulty.Answered, "reviews.difficulty_answered", 1,  # type: ignore[attr-defined]
         _answered),
    # R1.5: a reorganised union's owed pledge or review, taken over or closed (notifications
    # tell the successor's committee of the review's deadline, or stop telling).
    Rule(Owed.CarriedOver, "reviews.carried_over", 1, _owed_carried),  # type: ignore[attr-defined]
    Rule(Owed.Closed, "reviews.closed", 1, _owed_closed),  # type: ignore[attr-defined]
]
