"""What the initiatives service does, declared once: its commands and queries as typed values
(R3.1–R3.8).

The application handles each (``Initiatives``, ``@handles``); its nameko entrypoint, the
gateway's routes, OpenAPI and ``.proto`` messages are derived from these declarations
(``runtime.commands``). The order of the fields is the order of the wire signature. Reasons
and decision numbers stay text here: the decision record cleans them (``runtime.rules``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, NotRequired, TypedDict
from uuid import UUID

from contracts.reorganisation import Reorganisation
from runtime.commands import Bounds, Code, Command, Query, Shape, Text
from services.initiatives.domain import NAME_MAX, TEXT_MAX, IdeaStatus, Kind, Scope, Status, Vote

LongText = Annotated[str, Text(TEXT_MAX)]
Money = int | str  # whole đồng, as a number or as text (``domain.vnd``)


class FormField(TypedDict):
    """Một trường công đoàn tự thêm vào biểu mẫu đăng ký, sau năm trường bắt buộc của R3.2
    — A field the union adds to its registration form, after the five of R3.2"""

    code: Annotated[str, Code]
    label: Annotated[str, Text(NAME_MAX)]
    type: NotRequired[Annotated[Literal["text", "number", "date", "choice"],
                                "Kiểu giá trị (mặc định: text) — The kind of value (default: text)"]]
    required: NotRequired[bool]
    choices: NotRequired[Annotated[list[Annotated[str, Text(NAME_MAX)]],
                                   "Các lựa chọn, bắt buộc với kiểu choice — The choices, "
                                   "required for a choice field"]]


class Author(TypedDict):
    """Một tác giả và tỷ lệ đóng góp; các tỷ lệ cộng lại đúng 100 (R3.2) — An author and
    their contribution share; the shares add up to exactly 100"""

    person_id: UUID
    share: Annotated[float, Bounds(0, 100), "Tỷ lệ đóng góp, phần trăm, lớn hơn 0 — "
                                           "Contribution share, per cent, above 0"]


# R3.2: a value of the union's own form: text, a number or a date (YYYY-MM-DD) as text.
FieldValue = Annotated[str, Text(TEXT_MAX)] | float
FormValues = Annotated[dict[str, Any], Shape(
    dict[str, FieldValue],
    "Giá trị các trường của biểu mẫu đăng ký, khóa là mã trường của chính công đoàn (name, "
    "objective, implementation_steps, scope_feasibility_time, expected_effectiveness và các "
    "trường công đoàn tự thêm) — The registration form's values, keyed by the union's own "
    "field codes (the five of R3.2 and those the union added)")]
Scores = Annotated[dict[str, dict[str, float]], Shape(
    dict[UUID, Annotated[dict[str, float], "Điểm theo từng tiêu chí, khóa là mã tiêu chí của "
                                           "bộ quy tắc — Scores keyed by the rule set's "
                                           "criterion codes"]],
    "Điểm của từng thành viên hội đồng, khóa là mã thành viên — Each council member's scores, "
    "keyed by the member's id")]
CouncilVotes = Annotated[dict[str, str], Shape(
    dict[UUID, Vote], "Biểu quyết của từng thành viên hội đồng, khóa là mã thành viên — Each "
                      "council member's vote, keyed by the member's id")]

# --- ideas (R3.1) ----------------------------------------------------------------------------


class RaiseIdea(Command):
    union_id: UUID
    author_id: UUID
    title: Annotated[str, Text(NAME_MAX)]
    description: LongText
    raised_on: date


class CoachIdea(Command):
    idea_id: UUID
    text: LongText
    on: date


class WithdrawIdea(Command):
    idea_id: UUID
    reason: str
    on: date


class GetIdea(Query):
    idea_id: UUID


# --- registration forms and registration (R3.2, R3.3) ----------------------------------------


class DesignForm(Command):
    union_id: UUID
    fields: Annotated[list[dict[str, Any]], Shape(list[FormField])]
    effective_on: date
    reason: str
    number: str | None = None


class GetForm(Query):
    union_id: UUID
    version: int | None = None
    as_of: date | None = None


class Register(Command):
    union_id: UUID
    reference: Annotated[str, Code]
    kind: Kind
    fields: FormValues
    authors: Annotated[list[dict[str, Any]], Shape(list[Author])]
    registered_on: date
    form_version: int | None = None
    idea_id: UUID | None = None


# --- evaluation and recognition (R3.4, R3.7) -------------------------------------------------


class ConstituteCouncil(Command):
    initiative_id: UUID
    members: list[UUID]
    on: date
    reason: str
    number: str | None = None


class RecordEvaluation(Command):
    initiative_id: UUID
    on: date
    scores: Scores
    votes: CouncilVotes
    minutes: Annotated[str | None, Text(500)] = None


class AcceptTopic(Command):
    initiative_id: UUID
    on: date
    result: LongText
    reason: str
    number: str | None = None


class Recognise(Command):
    initiative_id: UUID
    decided_on: date
    reason: str
    number: str
    evidence: list[str] | None = None


class Refuse(Command):
    initiative_id: UUID
    decided_on: date
    reasons: str
    number: str | None = None
    evidence: list[str] | None = None


# --- application and the upward path (R3.6) --------------------------------------------------


class ReportApplication(Command):
    initiative_id: UUID
    applied_from: date
    benefit: LongText
    value_saved_vnd: Money
    reported_on: date
    applied_to: date | None = None


class Propose(Command):
    initiative_id: UUID
    proposed_on: date
    reason: str
    evidence: list[str] | None = None
    number: str | None = None


class RecogniseAtLevel(Command):
    initiative_id: UUID
    scope: Scope
    decided_on: date
    reason: str
    number: str
    evidence: list[str] | None = None


class DeclineAtLevel(Command):
    initiative_id: UUID
    scope: Scope
    decided_on: date
    reasons: str
    number: str | None = None


# --- replication (R3.8) and revocation -------------------------------------------------------


class Adopt(Command):
    initiative_id: UUID
    union_id: UUID
    adopted_on: date
    reason: str
    note: Annotated[str | None, Text(TEXT_MAX)] = None


class ReportReplication(Command):
    initiative_id: UUID
    union_id: UUID
    reported_on: date
    benefit: LongText
    value_saved_vnd: Money


class Revoke(Command):
    initiative_id: UUID
    decided_on: date
    ground: str
    reason: str
    evidence: list[str] | None = None
    number: str | None = None


# --- queries ---------------------------------------------------------------------------------


class GetInitiative(Query):
    initiative_id: UUID


class RenderRecognition(Query):
    """The decision recognising an initiative at a scope (grassroots by default), as PDF."""

    initiative_id: UUID
    scope: Scope = Scope.GRASSROOTS


class RenderRecognitionCertificates(Query):
    """Each author's certificate of the recognition at a scope, one landscape page each, PDF."""

    initiative_id: UUID
    scope: Scope = Scope.GRASSROOTS


# --- the public register (Law 06/2022/QH15: recognitions are published) ---------------------
# Served to anyone, without signing in, by the gateway's public router only (``gateway.public``);
# each answers the records of ``contracts.public`` and nothing else.


class PublicInitiatives(Query):
    """R4.5, R5.2: the decisions recognising initiatives, one row per decision, newest first."""

    q: Annotated[str | None, Text(200)] = None
    year: Any = None
    union_id: UUID | None = None
    offset: int = 0
    limit: int = 50


class PublicInitiativeUnions(Query):
    """The unions that recognised at least one initiative, for the register's filter."""


class PublicRecognitionDecision(Query):
    """The signed PDF of a decision recognising an initiative, as published."""

    initiative_id: UUID
    scope: Scope = Scope.GRASSROOTS


class GetReplication(Query):
    initiative_id: UUID
    union_id: UUID


class Overdue(Query):
    union_id: UUID | None = None
    as_of: date | None = None


class TrackingBook(Query):
    union_id: UUID
    period_from: date | None = None
    period_to: date | None = None
    status: Status | None = None
    offset: int = 0
    limit: int = 100


class SearchInitiatives(Query):
    q: str
    union_id: UUID | None = None
    limit: int = 20


class SimilarRecognised(Query):
    """R3.8: while registering, the initiatives recognised anywhere that look like this one."""

    name: Annotated[str, Text(NAME_MAX)]
    description: LongText | None = None
    union_id: UUID | None = None  # the registering union: its own and adopted ones are marked
    offset: int = 0
    limit: int = 5


class ExportBook(Query):
    union_id: UUID
    format: str = "csv"
    period_from: date | None = None
    period_to: date | None = None
    status: Status | None = None


class Ideas(Query):
    union_id: UUID
    author_id: UUID | None = None
    status: IdeaStatus | None = None


class Statistics(Query):
    year: int
    union_id: UUID | None = None  # one union, or
    union_ids: list[UUID] | None = None  # several


class Replications(Query):
    union_id: UUID


class Registrants(Query):
    union_id: UUID
    year: int


class OpenItems(Query):
    """R1.5: what a reorganisation of the unions on the date would carry over to whom, or
    close and why (a plan's preview; read-only)."""

    union_ids: list[UUID]
    on: date
    action: Reorganisation
    successor_id: UUID | None = None
