"""The reviews read model: what each union did in each period, for schedules, the overdue
list and the score analytics (which would otherwise scan every aggregate).

Written in the same transaction as the events (``runtime.readmodel``) and rebuilt from the
log when dropped. It never holds a rule: due dates and grades come from the rule books.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from runtime.readmodel import Add, ReadModel, Writer, handles
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

metadata = sa.MetaData()

activities = sa.Table(
    "reviews_activities", metadata,  # launches, disseminations, pledges and reviews held
    sa.Column("activity_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("self_score", sa.Float),
    sa.Index("reviews_activities_union", "union_id", "year"),
)

classifications = sa.Table(
    "reviews_classifications", metadata,
    sa.Column("classification_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("upper_union_id", sa.Uuid, nullable=False),
    sa.Column("classified_on", sa.Date, nullable=False),
    sa.Column("self_score", sa.Float),
    sa.Column("appraised_score", sa.Float, nullable=False),
    sa.Column("grade", sa.String(32), nullable=False),
    sa.Column("corrections", sa.Integer, nullable=False),
    sa.Index("reviews_classifications_upper", "upper_union_id", "year"),
)

overdue = sa.Table(
    "reviews_overdue", metadata,
    sa.Column("overdue_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("flagged_on", sa.Date, nullable=False),
)

difficulties = sa.Table(
    "reviews_difficulties", metadata,  # R2.8: the list each side of a thread follows
    sa.Column("difficulty_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("federation_id", sa.Uuid, nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("reported_on", sa.Date, nullable=False),
    sa.Column("last_on", sa.Date, nullable=False),
    sa.Column("answers", sa.Integer, nullable=False),
    sa.Column("messages", sa.Integer, nullable=False),
    sa.Index("reviews_difficulties_union", "union_id"),
    sa.Index("reviews_difficulties_federation", "federation_id"),
)

# R1.5: the union following a difficulty's thread now, when its own was merged into another
# (a table of its own: the stores made before it get it empty, as their history has it).
difficulty_holders = sa.Table(
    "reviews_difficulty_holders", metadata,
    sa.Column("difficulty_id", sa.Uuid, primary_key=True),
    sa.Column("held_by", sa.Uuid, nullable=False, index=True),
    sa.Column("carried_from", sa.Uuid, nullable=False),
    sa.Column("carried_on", sa.Date, nullable=False),
)

# R1.5: a pledge or review a reorganised union still owed, and the union holding it now (the
# successor from ``carried_on``) or why it was closed.
owed = sa.Table(
    "reviews_owed", metadata,
    sa.Column("owed_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False, index=True),
    sa.Column("record", sa.String(16), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("record_id", sa.Uuid, nullable=False),
    sa.Column("due_on", sa.Date),
    sa.Column("held_by", sa.Uuid, nullable=False, index=True),
    sa.Column("carried_on", sa.Date),
    sa.Column("closed_on", sa.Date),
    sa.Column("reason", sa.String(1000)),
)


class ReviewsReadModel(ReadModel):
    metadata = metadata

    @handles(Launch.Launched)  # type: ignore[attr-defined]
    def _launched(self, e: Any, w: Writer) -> None:
        w.insert(activities, activity_id=e.originator_id, union_id=e.union_id, year=e.year,
                 period=str(e.year), kind="launch", on=e.launched_on, self_score=None)

    @handles(Dissemination.Recorded)  # type: ignore[attr-defined]
    def _disseminated(self, e: Any, w: Writer) -> None:
        w.insert(activities, activity_id=e.originator_id, union_id=e.union_id, year=e.year,
                 period=str(e.year), kind=f"dissemination:{e.kind}", on=e.held_on,
                 self_score=None)

    @handles(Pledge.Signed)  # type: ignore[attr-defined]
    def _pledged(self, e: Any, w: Writer) -> None:
        w.insert(activities, activity_id=e.originator_id, union_id=e.union_id, year=e.year,
                 period=str(e.year), kind="pledge", on=e.signed_on, self_score=None)

    @handles(HalfYearReview.Held)  # type: ignore[attr-defined]
    def _half_year(self, e: Any, w: Writer) -> None:
        w.insert(activities, activity_id=e.originator_id, union_id=e.union_id,
                 year=int(e.period[:4]), period=e.period, kind="half_year", on=e.held_on,
                 self_score=None)

    @handles(AnnualReview.Held)  # type: ignore[attr-defined]
    def _annual(self, e: Any, w: Writer) -> None:
        w.insert(activities, activity_id=e.originator_id, union_id=e.union_id,
                 year=int(e.period), period=e.period, kind="annual", on=e.held_on,
                 self_score=e.self_score)

    @handles(Classification.Classified)  # type: ignore[attr-defined]
    def _classified(self, e: Any, w: Writer) -> None:
        w.insert(classifications, classification_id=e.originator_id, union_id=e.union_id,
                 year=e.year, upper_union_id=e.upper_union_id, classified_on=e.classified_on,
                 self_score=e.self_score, appraised_score=e.appraised_score, grade=e.grade,
                 corrections=0)

    @handles(Classification.Corrected)  # type: ignore[attr-defined]
    def _corrected(self, e: Any, w: Writer) -> None:
        w.update(classifications, (e.originator_id,), upper_union_id=e.upper_union_id,
                 classified_on=e.corrected_on, appraised_score=e.appraised_score,
                 grade=e.grade, corrections=Add(1))

    @handles(Overdue.ReviewOverdue)  # type: ignore[attr-defined]
    def _overdue(self, e: Any, w: Writer) -> None:
        w.insert(overdue, overdue_id=e.originator_id, union_id=e.union_id, period=e.period,
                 kind=e.kind, due_on=e.due_on, flagged_on=e.flagged_on)

    @handles(Difficulty.Reported)  # type: ignore[attr-defined]
    def _reported(self, e: Any, w: Writer) -> None:
        w.insert(difficulties, difficulty_id=e.originator_id, union_id=e.union_id,
                 federation_id=e.federation_id, subject=e.subject, reported_on=e.reported_on,
                 last_on=e.reported_on, answers=0, messages=1)

    @handles(Difficulty.Answered)  # type: ignore[attr-defined]
    def _answered(self, e: Any, w: Writer) -> None:
        w.update(difficulties, (e.originator_id,), last_on=e.answered_on, answers=Add(1),
                 messages=Add(1))

    @handles(Difficulty.FollowedUp)  # type: ignore[attr-defined]
    def _followed_up(self, e: Any, w: Writer) -> None:
        w.update(difficulties, (e.originator_id,), last_on=e.on, messages=Add(1))

    @handles(Difficulty.CarriedOver)  # type: ignore[attr-defined]
    def _difficulty_carried(self, e: Any, w: Writer) -> None:
        w.execute(difficulty_holders.delete().where(
            difficulty_holders.c.difficulty_id == e.originator_id))
        w.insert(difficulty_holders, difficulty_id=e.originator_id, held_by=e.to_union_id,
                 carried_from=e.from_union_id, carried_on=e.effective_on)

    @handles(Owed.Owed)  # type: ignore[attr-defined]
    def _owed(self, e: Any, w: Writer) -> None:
        w.insert(owed, owed_id=e.originator_id, union_id=e.union_id, record=e.record,
                 period=e.period, record_id=e.record_id, due_on=e.due_on, held_by=e.union_id,
                 carried_on=None, closed_on=None, reason=None)

    @handles(Owed.CarriedOver)  # type: ignore[attr-defined]
    def _owed_carried(self, e: Any, w: Writer) -> None:
        w.update(owed, (e.originator_id,), held_by=e.to_union_id, carried_on=e.effective_on)

    @handles(Owed.Closed)  # type: ignore[attr-defined]
    def _owed_closed(self, e: Any, w: Writer) -> None:
        w.update(owed, (e.originator_id,), closed_on=e.effective_on, reason=e.reason)

    # --- queries ----------------------------------------------------------------------------

    def owed_held_by(self, union_ids: Iterable[UUID]) -> list[dict[str, Any]]:
        """R1.5: what the unions took over from the unions merged into them."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(owed).where(
                owed.c.held_by.in_(list(union_ids)), owed.c.carried_on.is_not(None))
                .order_by(owed.c.period, owed.c.record, owed.c.union_id))
            return [dict(r._mapping) for r in rows]

    def difficulties_of(self, union_id: UUID | None = None,
                        federation_id: UUID | None = None) -> list[dict[str, Any]]:
        query = (sa.select(difficulties, difficulty_holders.c.held_by,
                           difficulty_holders.c.carried_from, difficulty_holders.c.carried_on)
                 .outerjoin(difficulty_holders,
                            difficulty_holders.c.difficulty_id == difficulties.c.difficulty_id)
                 .order_by(difficulties.c.last_on.desc(), difficulties.c.difficulty_id))
        if union_id is not None:  # R1.5: its own, and those it took over
            query = query.where(sa.or_(difficulties.c.union_id == union_id,
                                       difficulty_holders.c.held_by == union_id))
        if federation_id is not None:
            query = query.where(difficulties.c.federation_id == federation_id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]

    def activities_of(self, union_ids: Iterable[UUID], years: Iterable[int]) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(activities).where(
                activities.c.union_id.in_(list(union_ids)), activities.c.year.in_(list(years)))
                .order_by(activities.c.on))
            return [dict(r._mapping) for r in rows]

    def flagged(self, union_ids: Iterable[UUID]) -> set[tuple[UUID, str]]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(overdue.c.union_id, overdue.c.period)
                             .where(overdue.c.union_id.in_(list(union_ids))))
            return {(r.union_id, r.period) for r in rows}

    def classifications_of(self, year: int, union_id: UUID | None = None,
                           upper_union_id: UUID | None = None) -> list[dict[str, Any]]:
        query = sa.select(classifications).where(classifications.c.year == year)
        if union_id is not None:
            query = query.where(classifications.c.union_id == union_id)
        if upper_union_id is not None:
            query = query.where(classifications.c.upper_union_id == upper_union_id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]
