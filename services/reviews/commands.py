"""What the reviews service does, declared once: its commands and queries as typed values
(R2.1–R2.8).

The application handles each (``Reviews``, ``@handles``); its nameko entrypoint, the
gateway's routes, OpenAPI and ``.proto`` messages are derived from these declarations
(``runtime.commands``). The order of the fields is the order of the wire signature. A year or
a period stays as given: the domain reads it (``Period``) against the review it is for; scores
are judged against the scale of the rules in force, reasons and decision numbers by the
decision record (``runtime.rules``), rewards by the application.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, NotRequired, TypedDict
from uuid import UUID

from contracts.reorganisation import Reorganisation
from runtime.commands import Bounds, Code, Command, Query, Shape, Text
from services.reviews.domain import DisseminationKind

TEXT_MAX = 4000
Title = Annotated[str, Text(500)]
LongText = Annotated[str, Text(TEXT_MAX)]
Findings = list[LongText]
# R2.5: the rewards given on the union's own authority are links to its award decisions,
# the proposals upward links to its nominations to the union above (chosen, never typed).
AwardIds = list[UUID]
NominationIds = list[UUID]


class Target(TypedDict):
    """Một chỉ tiêu của giao ước thi đua (R2.3) — A target of the emulation pledge"""

    kind: Annotated[str, Code, "Loại chỉ tiêu, một mã trong pledge_target_kinds của bộ quy "
                               "tắc — The kind of target, a code of the rule book's "
                               "pledge_target_kinds"]
    number: Annotated[int, Bounds(1), "Chỉ tiêu, số nguyên lớn hơn 0 — The figure pledged, "
                                      "a whole number above 0"]
    due_on: Annotated[date, "Hạn hoàn thành, trong năm của giao ước — Due date, within the "
                            "pledge's year"]


class Assessment(TypedDict):
    """Kết quả tự đánh giá một chỉ tiêu đã giao ước (R2.4, R2.5) — The union's own figure for
    a target it pledged"""

    kind: Annotated[str, Code, "Loại chỉ tiêu đã giao ước — The kind of a pledged target"]
    achieved: Annotated[int, Bounds(0), "Kết quả đạt được, số nguyên từ 0 — What was "
                                        "achieved, a whole number, 0 or more"]
    note: NotRequired[Annotated[str, Text(1000)]]


Targets = Annotated[list[dict[str, Any]], Shape(list[Target])]
SelfAssessment = Annotated[list[dict[str, Any]], Shape(list[Assessment])]

# --- R2.1 launch, R2.2 dissemination, R2.3 pledge --------------------------------------------


class Launch(Command):
    union_id: UUID
    year: Any
    launched_on: date
    title: Title
    plan: LongText
    evidence: list[str] | None = None
    number: str | None = None


class RecordDissemination(Command):
    union_id: UUID
    year: Any
    kind: DisseminationKind
    held_on: date
    title: Title
    audience: Annotated[str, Text(1000)]
    reach: int


class SignPledge(Command):
    """R2.3: the pledge's targets are ``items``; ``content`` is its free text (the only part
    of a pledge stored before targets existed) and ``commitments`` further lines of text."""

    union_id: UUID
    year: Any
    signed_on: date
    content: Annotated[str | None, Text(TEXT_MAX * 4)] = None
    commitments: Findings | None = None
    evidence: list[str] | None = None
    items: Targets | None = None


# --- R2.4, R2.5, R2.7 reviews ----------------------------------------------------------------


class HoldHalfYearReview(Command):
    union_id: UUID
    period: str
    held_on: date
    summary: LongText
    findings: Findings
    evidence: list[str] | None = None
    self_assessment: SelfAssessment | None = None


class HoldAnnualReview(Command):
    union_id: UUID
    year: Any
    held_on: date
    results: LongText
    self_score: float
    award_ids: AwardIds | None = None
    nomination_ids: NominationIds | None = None
    evidence: list[str] | None = None
    self_assessment: SelfAssessment | None = None


class LinkReviewRewards(Command):
    """R2.5: the award decisions and nominations an open annual review lists, replacing those
    it listed before."""

    union_id: UUID
    year: Any
    linked_on: date
    award_ids: AwardIds | None = None
    nomination_ids: NominationIds | None = None


class CloseAnnualReview(Command):
    """R2.5: closes an annual review; refused while a proposal it lists has no nomination."""

    union_id: UUID
    year: Any
    closed_on: date


# --- R2.6 inspection and classification ------------------------------------------------------


class Classify(Command):
    union_id: UUID
    year: Any
    upper_union_id: UUID
    classified_on: date
    appraised_score: float
    findings: Findings | None = None
    reason: str | None = None
    evidence: list[str] | None = None
    number: str | None = None


class CorrectClassification(Command):
    union_id: UUID
    year: Any
    upper_union_id: UUID
    corrected_on: date
    appraised_score: float
    reason: str
    findings: Findings | None = None
    evidence: list[str] | None = None
    number: str | None = None


# --- R2.8 difficulties -----------------------------------------------------------------------


class ReportDifficulty(Command):
    union_id: UUID
    reported_on: date
    subject: Title
    description: LongText


class AnswerDifficulty(Command):
    difficulty_id: UUID
    answered_on: date
    answer: LongText


class FollowUpDifficulty(Command):
    difficulty_id: UUID
    on: date
    text: LongText


# --- the overdue sweep -----------------------------------------------------------------------


class FlagOverdue(Command):
    pass


# --- queries ---------------------------------------------------------------------------------


class GetClassification(Query):
    union_id: UUID
    year: Any


class GetDifficulty(Query):
    difficulty_id: UUID


class Difficulties(Query):
    union_id: UUID | None = None
    federation_id: UUID | None = None


class Schedule(Query):
    union_id: UUID
    year: Any
    as_of: date | None = None


class Overdue(Query):
    upper_union_id: UUID
    as_of: date | None = None


class PledgeTargets(Query):
    """R2.3–R2.5: a union's pledged targets for a period (a year or a half) beside what the
    system counted and what the union assessed itself."""

    union_id: UUID
    period: str


class PledgeTargetKinds(Query):
    """R2.3: the kinds of target a pledge signed on a date (today by default) may commit to."""

    on: date | None = None


class GetAnnualReview(Query):
    """R2.5: a union's annual review of a year, with the rewards and proposals it links to."""

    union_id: UUID
    year: Any


class ReviewAwardLinks(Query):
    """R2.5: what an annual review may link to: the union's award decisions of the year (its
    own authority) and its nominations of the year proposed upward."""

    union_id: UUID
    year: Any


class ScoreGap(Query):
    year: Any
    union_id: UUID | None = None
    upper_union_id: UUID | None = None


class OpenItems(Query):
    """R1.5: what a reorganisation of the unions on the date would carry over to whom, or
    close and why (a plan's preview; read-only)."""

    union_ids: list[UUID]
    on: date
    action: Reorganisation
    successor_id: UUID | None = None
