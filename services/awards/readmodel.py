"""The awards read model: nominations, submissions before each union, awards and what relies
on them, attestations. Derived from the awards events; rebuilt from them at will."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from runtime.readmodel import Add, ReadModel, Writer, handles
from services.awards.domain import (
    Attestation,
    Award,
    AwardStatus,
    Nomination,
    SelectionMeeting,
    Submission,
    SubmissionStatus,
)

metadata = sa.MetaData()

NOMINATIONS = sa.Table(
    "awards_nominations", metadata,
    sa.Column("nomination_id", sa.String(36), primary_key=True),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("to_union_id", sa.String(36), nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("subject", sa.String(16), nullable=False),
    sa.Column("subject_id", sa.String(36), nullable=False, index=True),
    sa.Column("subject_name", sa.Text, nullable=False),
    sa.Column("form", sa.String(64), nullable=False),
    sa.Column("nominated_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("award_id", sa.String(36)),
)
AWARDEES = sa.Table(
    "awards_awardees", metadata,
    sa.Column("award_id", sa.String(36), primary_key=True),
    sa.Column("subject_id", sa.String(36), primary_key=True, index=True),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("form", sa.String(64), nullable=False),
    sa.Column("level", sa.String(32), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("subject", sa.String(16), nullable=False),
    sa.Column("subject_name", sa.Text, nullable=False),
    sa.Column("achievement", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("ground", sa.String(32)),
)
RELIES = sa.Table(
    "awards_relies_on", metadata,
    sa.Column("award_id", sa.String(36), primary_key=True),
    sa.Column("subject_id", sa.String(36), primary_key=True),
    sa.Column("relies_on", sa.String(36), primary_key=True, index=True),
)
SUBMISSIONS = sa.Table(
    "awards_submissions", metadata,
    sa.Column("submission_id", sa.String(36), primary_key=True),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("to_union_id", sa.String(36), nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("rounds", sa.Integer, nullable=False),
    sa.Column("last_on", sa.Date, nullable=False),
)
SELECTIONS = sa.Table(
    "awards_selections", metadata,
    sa.Column("meeting_id", sa.String(36), primary_key=True),
    sa.Column("nomination_id", sa.String(36), primary_key=True, index=True),
    sa.Column("union_id", sa.String(36), nullable=False),
    sa.Column("held_on", sa.Date, nullable=False),
    sa.Column("selected", sa.Boolean, nullable=False),
)
ATTESTATIONS = sa.Table(
    "awards_attestations", metadata,
    sa.Column("attestation_id", sa.String(36), primary_key=True),
    sa.Column("subject", sa.String(16), nullable=False),
    sa.Column("subject_id", sa.String(36), nullable=False, index=True),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("criterion", sa.String(64), nullable=False),
    sa.Column("met", sa.Boolean, nullable=False),
    sa.Column("attested_on", sa.Date, nullable=False),
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("evidence", sa.JSON, nullable=False),
)


class AwardsReadModel(ReadModel):
    metadata = metadata

    @handles(Nomination.Nominated)  # type: ignore[attr-defined]
    def nominated(self, e: Any, w: Writer) -> None:
        w.insert(NOMINATIONS, nomination_id=str(e.originator_id), union_id=str(e.union_id),
                 to_union_id=str(e.to_union_id), year=e.year, subject=e.subject,
                 subject_id=str(e.subject_id), subject_name=e.subject_name, form=e.form,
                 nominated_on=e.nominated_on, status="nominated", award_id=None)

    def _nomination(self, w: Writer, nomination_id: Any, **values: Any) -> None:
        w.update(NOMINATIONS, (str(nomination_id),), **values)

    @handles(Nomination.Awarded)  # type: ignore[attr-defined]
    def nomination_awarded(self, e: Any, w: Writer) -> None:
        self._nomination(w, e.originator_id, status="awarded", award_id=str(e.award_id))

    @handles(Nomination.Withdrawn)  # type: ignore[attr-defined]
    def nomination_withdrawn(self, e: Any, w: Writer) -> None:
        self._nomination(w, e.originator_id, status="withdrawn")

    @handles(Nomination.CarriedOver)  # type: ignore[attr-defined]
    def nomination_carried(self, e: Any, w: Writer) -> None:
        """R1.5: listed from the date under the union that took it over (the aggregate keeps
        the original unions and every hand-over)."""
        w.update(NOMINATIONS, (str(e.originator_id),), **_sides(e))

    @handles(Nomination.Discontinued)  # type: ignore[attr-defined]
    def nomination_discontinued(self, e: Any, w: Writer) -> None:
        self._nomination(w, e.originator_id, status="closed")

    @handles(SelectionMeeting.Held)  # type: ignore[attr-defined]
    def selection_held(self, e: Any, w: Writer) -> None:
        for nomination_id, selected in e.results.items():
            w.insert(SELECTIONS, meeting_id=str(e.originator_id), nomination_id=nomination_id,
                     union_id=str(e.union_id), held_on=e.held_on, selected=selected)

    @handles(Submission.Drafted)  # type: ignore[attr-defined]
    def drafted(self, e: Any, w: Writer) -> None:
        w.insert(SUBMISSIONS, submission_id=str(e.originator_id), union_id=str(e.union_id),
                 to_union_id=str(e.to_union_id), year=e.year, status=SubmissionStatus.DRAFT.value,
                 rounds=0, last_on=e.drafted_on)

    def _submission(self, w: Writer, e: Any, **values: Any) -> None:
        w.update(SUBMISSIONS, (str(e.originator_id),), **values)

    @handles(Submission.Submitted)  # type: ignore[attr-defined]
    def submitted(self, e: Any, w: Writer) -> None:
        self._submission(w, e, status=SubmissionStatus.SUBMITTED.value,
                         rounds=Add(1), last_on=e.on)

    @handles(Submission.Returned)  # type: ignore[attr-defined]
    def returned(self, e: Any, w: Writer) -> None:
        self._submission(w, e, status=SubmissionStatus.RETURNED.value, last_on=e.on)

    @handles(Submission.Closed)  # type: ignore[attr-defined]
    def closed(self, e: Any, w: Writer) -> None:
        self._submission(w, e, status=SubmissionStatus.DECIDED.value)

    @handles(Submission.CarriedOver)  # type: ignore[attr-defined]
    def submission_carried(self, e: Any, w: Writer) -> None:
        self._submission(w, e, **_sides(e))

    @handles(Submission.Discontinued)  # type: ignore[attr-defined]
    def submission_discontinued(self, e: Any, w: Writer) -> None:
        self._submission(w, e, status="closed")

    @handles(Award.Decided)  # type: ignore[attr-defined]
    def decided(self, e: Any, w: Writer) -> None:
        for a in e.awardees:
            w.insert(AWARDEES, award_id=str(e.originator_id), subject_id=a["subject_id"],
                     union_id=str(e.union_id), number=e.number, form=e.form["code"],
                     level=e.form["level"], year=e.year, decided_on=e.decided_on,
                     subject=a["subject"], subject_name=a["name"], achievement=a["achievement"],
                     status=AwardStatus.AWARDED.value, ground=None)
            for other in a["relies_on"]:
                w.insert(RELIES, award_id=str(e.originator_id), subject_id=a["subject_id"],
                         relies_on=other)

    @handles(Award.Revoked)  # type: ignore[attr-defined]
    def revoked(self, e: Any, w: Writer) -> None:
        w.update(AWARDEES, (str(e.originator_id), e.subject_id),
                 status=AwardStatus.REVOKED.value, ground=e.ground)

    @handles(Attestation.Attested)  # type: ignore[attr-defined]
    def attested(self, e: Any, w: Writer) -> None:
        w.insert(ATTESTATIONS, attestation_id=str(e.originator_id), subject=e.subject,
                 subject_id=str(e.subject_id), year=e.year, criterion=e.criterion, met=e.met,
                 attested_on=e.attested_on, statement=e.statement,
                 evidence=e.decision["evidence"])

    @handles(Attestation.Reattested)  # type: ignore[attr-defined]
    def reattested(self, e: Any, w: Writer) -> None:
        w.update(ATTESTATIONS, (str(e.originator_id),), met=e.met, attested_on=e.attested_on,
                 statement=e.statement, evidence=e.decision["evidence"])


def _sides(e: Any) -> dict[str, str]:
    return {f"{side}_id": str(e.to_union_id) for side in e.sides}


def _row(row: Any) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


class AwardsQueries:
    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def _all(self, query: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [_row(r) for r in c.execute(query).mappings()]

    def awards(self, union_id: UUID | None = None, year: int | None = None,
               subject_id: UUID | None = None, status: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(AWARDEES)
        for column, value in ((AWARDEES.c.union_id, union_id), (AWARDEES.c.year, year),
                              (AWARDEES.c.subject_id, subject_id), (AWARDEES.c.status, status)):
            if value is not None:
                query = query.where(column == (str(value) if isinstance(value, UUID) else value))
        return self._all(query.order_by(AWARDEES.c.decided_on, AWARDEES.c.number))

    def relying_on(self, award_id: UUID, subject_id: str) -> list[dict[str, Any]]:
        """Awards in force that rested on this one (a higher award of the same work)."""
        query = sa.select(AWARDEES).join(RELIES, sa.and_(
            RELIES.c.award_id == AWARDEES.c.award_id, RELIES.c.subject_id == AWARDEES.c.subject_id)
        ).where(RELIES.c.relies_on == str(award_id), AWARDEES.c.subject_id == subject_id,
                AWARDEES.c.status == AwardStatus.AWARDED.value)
        return self._all(query.order_by(AWARDEES.c.decided_on))

    def nominations(self, union_id: UUID | None = None, to_union_id: UUID | None = None,
                    year: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(NOMINATIONS)
        for column, value in ((NOMINATIONS.c.union_id, union_id),
                              (NOMINATIONS.c.to_union_id, to_union_id),
                              (NOMINATIONS.c.year, year), (NOMINATIONS.c.status, status)):
            if value is not None:
                query = query.where(column == (str(value) if isinstance(value, UUID) else value))
        return self._all(query.order_by(NOMINATIONS.c.nominated_on, NOMINATIONS.c.subject_name))

    def selections(self, nomination_ids: list[str], union_ids: Collection[str],
                   on: Any) -> dict[str, tuple[str, str, date]]:
        """The nominations a meeting of one of the unions selected by the date: nomination ->
        (meeting, its union, its date) (the latest meeting's result counts)."""
        query = sa.select(SELECTIONS).where(SELECTIONS.c.nomination_id.in_(nomination_ids),
                                            SELECTIONS.c.union_id.in_(sorted(union_ids)),
                                            SELECTIONS.c.held_on <= on)
        latest: dict[str, Any] = {}
        with self.engine.connect() as c:
            for row in c.execute(query.order_by(SELECTIONS.c.held_on)).mappings():
                latest[row["nomination_id"]] = row
        return {n: (r["meeting_id"], r["union_id"], r["held_on"])
                for n, r in latest.items() if r["selected"]}

    def submissions(self, to_union_id: UUID | None = None, union_id: UUID | None = None,
                    status: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(SUBMISSIONS)
        for column, value in ((SUBMISSIONS.c.to_union_id, to_union_id),
                              (SUBMISSIONS.c.union_id, union_id), (SUBMISSIONS.c.status, status)):
            if value is not None:
                query = query.where(column == (str(value) if isinstance(value, UUID) else value))
        return self._all(query.order_by(SUBMISSIONS.c.last_on))
