"""The deadlines the notifications service learns from the other services' published events,
kept as rows in its own store, written in the same transaction as the tracking record of the
notification that brought them (``ServiceApplication.upstream_views``): a deadline is kept
once however often its event arrives, and closed by the event that meets it.

What it keeps, each under a key derived from what it is about:
- ``initiative_decision``: a registered initiative must be decided by its ``decide_by`` date,
  3 months after it was received (R3.4); closed when it is recognised or refused. Told to the
  executive committee of the union that received it.
- ``review``: a union that launched the movement for a year owes the half-year reviews and the
  annual review by the dates of the rule book in force (``contracts/rules/reviews.json``);
  closed when the review is held. Told to the union's executive committee (R1.5: its
  successor's, from the date a merge carried the review over; closed when a dissolution or
  split closed it).
- ``nomination_pending``: a nomination awaits the decision of the union it was made to; told at
  once to that union's standing committee (its executive committee at the grassroots); closed
  when an award decision names it, or when a nomination carries it one level up (the level
  above then has its own).
- ``dossier_returned``: a dossier returned to its proposer must be supplemented and submitted
  again; told at once; closed by the next submission of that dossier. Told to the proposing
  union's standing committee (its executive committee at the grassroots, which has none).
- ``difficulty_answer``: a difficulty a union reported to the provincial federation (R2.8)
  awaits the answer of its Policy–Law department, within the rule book's
  ``difficulty_answer_days`` of the report (15 days in the 2020 book: the federation's own
  time limit, no law sets one); closed by the first answer. Told to that department.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from runtime.contracts import Envelope
from runtime.readmodel import UpstreamView, Writer
from runtime.rules import RuleBook

metadata = sa.MetaData()

DEADLINES = sa.Table(
    "notifications_deadlines", metadata,
    sa.Column("deadline_key", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("audience", sa.String(32), nullable=False),  # the body told
    sa.Column("due_on", sa.Date, nullable=False, index=True),
    sa.Column("subject", sa.JSON, nullable=False),  # what the reminder names, for its text
    sa.Column("learnt_from", sa.String(36), nullable=False),  # the event id
    sa.Column("closed_on", sa.Date),
    sa.Column("closed_by", sa.String(36)),
)

EXECUTIVE = "executive_committee"
DECIDING = "deciding_body"  # the standing committee, or the executive one where there is none
POLICY_LAW_DEPARTMENT = "policy_law"  # the federation's department that answers difficulties

# The review periods a launch makes owed, as the rule book names their due dates.
REVIEWS = (("H1", "half_year"), ("H2", "half_year"), ("annual", "annual"))


def initiative_key(initiative_id: str) -> str:
    return f"initiative_decision/{initiative_id}"


def review_key(union_id: str, period: str) -> str:
    return f"review/{union_id}/{period}"


def nomination_key(nomination_id: str) -> str:
    return f"nomination/{nomination_id}"


def dossier_key(submission_id: str, round_: int | None = None) -> str:
    """A returned dossier's deadline, one per round it was returned in (``None``: the prefix
    of every round's)."""
    return f"dossier_returned/{submission_id}/" + ("" if round_ is None else str(round_))


def difficulty_key(difficulty_id: str) -> str:
    return f"difficulty/{difficulty_id}"


def review_period(year: int, which: str) -> str:
    """The period a review is held for, as the reviews service names it."""
    return str(year) if which == "annual" else f"{year}-{which}"


def due_dates(year: int, launched_on: date, book: RuleBook | None = None) -> dict[str, date]:
    """The due date of each review of a year, by the rule book in force on the launch."""
    rules = (book or RuleBook.load("reviews")).in_force(launched_on)["due"]
    return {which: date(year + int(rule["year_offset"]), int(rule["month"]), int(rule["day"]))
            for which, rule in rules.items()}


def _day(value: Any, envelope: Envelope) -> date:
    return date.fromisoformat(str(value)[:10]) if value else \
        date.fromisoformat(envelope.meta["effective_at"][:10])


class DeadlineBook(UpstreamView):
    """The deadlines of the initiatives', reviews' and awards' published events."""

    metadata = metadata
    sources = ("initiatives", "reviews", "awards")

    def __init__(self, engine: Any, consumer: str) -> None:
        super().__init__(engine, consumer)
        self.book = RuleBook.load("reviews")

    def apply(self, connection: Any, events: Iterable[Any]) -> None:
        writer = Writer(connection)
        for envelope in events:
            if isinstance(envelope, Envelope) and envelope.source in self.sources:
                self._learn(envelope, writer)
        writer.flush()

    def _open(self, w: Writer, key: str, kind: str, union_id: str, audience: str, due_on: date,
              subject: dict[str, Any], e: Envelope) -> None:
        known = w.execute(sa.select(DEADLINES.c.deadline_key).where(
            DEADLINES.c.deadline_key == key)).first()
        if known is None:  # learnt once (a launch recorded again cannot move its dates)
            w.insert(DEADLINES, deadline_key=key, kind=kind, union_id=union_id, audience=audience,
                     due_on=due_on, subject=subject, learnt_from=e.event_id)

    def _close(self, w: Writer, key: str, on: date, e: Envelope) -> None:
        w.execute(DEADLINES.update().where(DEADLINES.c.deadline_key == key,
                                           DEADLINES.c.closed_on.is_(None))
                  .values(closed_on=on, closed_by=e.event_id))

    def _learn(self, e: Envelope, w: Writer) -> None:
        p = e.payload
        decided_on = _day((p.get("decision") or {}).get("decided_on"), e)
        if e.name == "initiatives.registered":
            self._open(w, initiative_key(p["initiative_id"]), "initiative_decision",
                       p["union_id"], EXECUTIVE, date.fromisoformat(p["decide_by"]),
                       {"initiative_id": p["initiative_id"], "reference": p["reference"],
                        "name": p["name"], "registered_on": p["registered_on"]}, e)
        elif e.name in ("initiatives.recognised", "initiatives.refused"):
            self._close(w, initiative_key(p["initiative_id"]), decided_on, e)
        elif e.name == "initiatives.carried_over":  # R1.5: the successor's committee decides
            w.execute(DEADLINES.update().where(
                DEADLINES.c.deadline_key == initiative_key(p["initiative_id"]),
                DEADLINES.c.closed_on.is_(None)).values(union_id=p["to_union_id"]))
        elif e.name == "initiatives.closed":  # R1.5: no union took it over
            self._close(w, initiative_key(p["initiative_id"]), _day(p["effective_on"], e), e)
        elif e.name == "reviews.movement_launched":
            year = int(p["year"])
            dates = due_dates(year, date.fromisoformat(p["launched_on"]), self.book)
            for which, kind in REVIEWS:
                period = review_period(year, which)
                self._open(w, review_key(p["union_id"], period), kind, p["union_id"], EXECUTIVE,
                           dates[which], {"period": period, "year": year}, e)
        elif e.name == "reviews.half_year_review_held":
            self._close(w, review_key(p["union_id"], p["period"]), _day(p["held_on"], e), e)
        elif e.name == "reviews.annual_review_held":
            self._close(w, review_key(p["union_id"], str(p["year"])), _day(p["held_on"], e), e)
        elif e.name == "reviews.carried_over" and p["record"] != "pledge":
            # R1.5: the successor's committee holds the merged union's owed review from now
            w.execute(DEADLINES.update().where(
                DEADLINES.c.deadline_key == review_key(p["union_id"], p["period"]),
                DEADLINES.c.closed_on.is_(None)).values(union_id=p["to_union_id"]))
        elif e.name == "reviews.closed" and p["record"] != "pledge":  # R1.5: nobody holds it
            self._close(w, review_key(p["union_id"], p["period"]), _day(p["effective_on"], e), e)
        elif e.name == "reviews.difficulty_reported":
            reported_on = date.fromisoformat(p["reported_on"])
            days = int(self.book.in_force(reported_on)["difficulty_answer_days"])
            self._open(w, difficulty_key(p["difficulty_id"]), "difficulty_answer",
                       p["federation_id"], POLICY_LAW_DEPARTMENT, reported_on + timedelta(days=days),
                       {"difficulty_id": p["difficulty_id"], "subject": p["subject"],
                        "union_id": p["union_id"], "reported_on": p["reported_on"]}, e)
        elif e.name == "reviews.difficulty_answered":
            self._close(w, difficulty_key(p["difficulty_id"]), _day(p["answered_on"], e), e)
        elif e.name == "awards.dossier_returned":
            self._open(w, dossier_key(p["submission_id"], p["round"]), "dossier_returned", p["union_id"],
                       DECIDING, _day(p["on"], e),
                       {"submission_id": p["submission_id"], "round": p["round"],
                        "to_union_id": p["to_union_id"], "missing": p.get("missing") or []}, e)
        elif e.name == "awards.nominated":
            if p.get("carries"):
                self._close(w, nomination_key(p["carries"]), _day(p["nominated_on"], e), e)
            self._open(w, nomination_key(p["nomination_id"]), "nomination_pending",
                       p["to_union_id"], DECIDING, _day(p["nominated_on"], e),
                       {"nomination_id": p["nomination_id"], "subject": p["subject"],
                        "form": p["form"], "year": p["year"], "from_union_id": p["union_id"]}, e)
        elif e.name == "awards.award_decided":
            for awardee in p.get("awardees") or []:
                self._close(w, nomination_key(awardee["nomination_id"]), decided_on, e)
        elif e.name == "awards.carried_over":  # R1.5: the successor's body is told from now
            if p["record"] == "nomination" and "to_union" in p["sides"]:
                where = DEADLINES.c.deadline_key == nomination_key(p["record_id"])
            elif p["record"] == "submission" and "union" in p["sides"]:
                where = DEADLINES.c.deadline_key.startswith(dossier_key(p["record_id"]))
            else:
                return
            w.execute(DEADLINES.update().where(where, DEADLINES.c.closed_on.is_(None))
                      .values(union_id=p["to_union_id"]))
        elif e.name == "awards.closed":  # R1.5: no union took it over
            key = (nomination_key if p["record"] == "nomination" else dossier_key)(p["record_id"])
            w.execute(DEADLINES.update().where(DEADLINES.c.deadline_key.startswith(key),
                                               DEADLINES.c.closed_on.is_(None))
                      .values(closed_on=_day(p["effective_on"], e), closed_by=e.event_id))
        elif e.name == "awards.dossier_submitted":
            w.execute(DEADLINES.update().where(
                DEADLINES.c.deadline_key.startswith(dossier_key(p["submission_id"])),
                DEADLINES.c.closed_on.is_(None)).values(closed_on=_day(p["on"], e),
                                                        closed_by=e.event_id))


def open_deadlines(connection: Any, until: date) -> list[Any]:
    """The deadlines not met yet whose first reminder is owed by ``until``."""
    return list(connection.execute(
        sa.select(DEADLINES).where(DEADLINES.c.closed_on.is_(None), DEADLINES.c.due_on <= until)
        .order_by(DEADLINES.c.due_on, DEADLINES.c.deadline_key)))
