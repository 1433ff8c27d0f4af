"""What the awards service does, declared once: its commands and queries as typed values
(R4.1–R4.5).

The application handles each (``Awards``, ``@handles``); its nameko entrypoint, the gateway's
routes, OpenAPI and ``.proto`` messages are derived from these declarations
(``runtime.commands``). The order of the fields is the order of the wire signature. A year
travels as a number or as text and is judged by the application (``_year``); reasons,
decision numbers of a decision record, forms, grounds, recoveries and votes stay as given
here: the rule book and the decision record clean them (``runtime.rules``, ``domain``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, TypedDict
from uuid import UUID

from contracts.reorganisation import Reorganisation
from runtime.commands import Bounds, Command, Query, Shape, Text
from services.awards.domain import NAME_MAX, TEXT_MAX, DocumentKind, Subject

LongText = Annotated[str, Text(TEXT_MAX)]
Count = Annotated[int, Bounds(0)]

# R4.4 (3): the votes cast on one nomination at a selection meeting (``domain.tally``).
VoteCount = TypedDict("VoteCount", {"for": Count, "against": Count, "abstain": Count},
                      total=False)
VoteCount.__doc__ = ("Số phiếu về một đề nghị: tán thành, không tán thành, không biểu quyết "
                     "(số nguyên từ 0) — The votes cast on one nomination: for, against, "
                     "abstain (whole numbers, 0 or more)")
Votes = Annotated[Mapping[str, Mapping[str, int]], Shape(
    dict[UUID, VoteCount], "Khóa là mã của từng đề nghị được bỏ phiếu — Keyed by the id of "
                           "each nomination voted on")]


class Recovery(TypedDict, total=False):
    """Những gì bị thu hồi khi hủy khen thưởng (Luật 06/2022/QH15) — What is recovered when
    an award is revoked"""

    certificate: Annotated[bool, "Thu hồi giấy khen, bằng khen (mặc định: có) — The "
                                 "certificate is recovered (default: true)"]
    money_vnd: Annotated[int, Bounds(0), "Số tiền thưởng thu hồi, đồng — Prize money "
                                         "recovered, in đồng"]
    note: Annotated[str, Text(2000)]


class DocumentFormat(StrEnum):
    PDF = "pdf"  # typeset, fonts embedded: what is printed, signed and filed
    DOCX = "docx"  # for an office that edits the text before it signs

# --- attestations and evaluation (R4.1, R4.2) ------------------------------------------------


class Attest(Command):
    union_id: UUID
    subject: Subject
    subject_id: UUID
    year: Any
    attested_on: date
    statement: LongText
    evidence: list[str]
    met: bool = True


class Evaluate(Query):
    subject: Subject
    subject_id: UUID
    year: Any
    form: str | None = None
    as_of: date | None = None
    initiative_ids: list[UUID] | None = None


class CitedEvents(Query):
    event_ids: list[UUID]


class Forms(Query):
    as_of: date | None = None


# --- nominations and selection meetings (R4.3, R4.4) -----------------------------------------


class Nominate(Command):
    union_id: UUID
    subject: Subject
    subject_id: UUID
    year: Any
    form: str
    achievement: LongText
    nominated_on: date
    initiative_ids: list[UUID] | None = None
    carries: UUID | None = None
    reason: str | None = None
    evidence: list[str] | None = None


class HoldSelection(Command):
    union_id: UUID
    held_on: date
    attendees: list[UUID]
    votes: Votes
    minutes: LongText
    evidence: list[str] | None = None


class GetNomination(Query):
    nomination_id: UUID


class Nominations(Query):
    union_id: UUID | None = None
    to_union_id: UUID | None = None
    year: Any = None
    status: str | None = None


class Proceedings(Query):
    nomination_id: UUID


# --- submissions and dossiers (R4.4) ---------------------------------------------------------


class DraftSubmission(Command):
    union_id: UUID
    year: Any
    nomination_ids: list[UUID]
    drafted_on: date


class AttachDocument(Command):
    submission_id: UUID
    kind: DocumentKind
    filename: Annotated[str, Text(255)]
    media_type: str
    content_base64: str
    attached_on: date
    nomination_id: UUID | None = None
    title: Annotated[str | None, Text(NAME_MAX)] = None


class Submit(Command):
    submission_id: UUID
    submitted_on: date
    number: str | None = None
    reason: str | None = None
    evidence: list[str] | None = None


class ReturnSubmission(Command):
    submission_id: UUID
    returned_on: date
    reason: str
    missing: list[Annotated[str, Text(500)]]
    evidence: list[str] | None = None


class GetSubmission(Query):
    submission_id: UUID


class Submissions(Query):
    to_union_id: UUID | None = None
    union_id: UUID | None = None
    status: str | None = None


class DossierCheck(Query):
    submission_id: UUID
    as_of: date | None = None


class GetDocument(Query):
    sha256: str


# --- decisions and revocation (R4.5) ---------------------------------------------------------


class DecideAward(Command):
    union_id: UUID
    form: str
    decided_on: date
    number: Annotated[str, Text(64)]
    nomination_ids: list[UUID]
    reason: str
    signer_id: UUID | None = None
    evidence: list[str] | None = None


class RevokeAward(Command):
    award_id: UUID
    revoked_on: date
    ground: str
    reason: str
    recovery: Annotated[Mapping[str, Any], Shape(Recovery)]
    subject_id: UUID | None = None
    number: str | None = None
    evidence: list[str] | None = None


class GetAward(Query):
    award_id: UUID


class Awards(Query):
    union_id: UUID | None = None
    year: Any = None
    subject_id: UUID | None = None
    status: str | None = None


# --- documents an office signs ---------------------------------------------------------------


# Each is a PDF typeset with its fonts embedded (the default), or a DOCX for an office that edits
# before it signs. The place in the heading is the issuing union's (from the registry's facts).


class RenderSubmissionLetter(Query):
    submission_id: UUID
    signer_id: UUID | None = None
    format: DocumentFormat = DocumentFormat.PDF


class RenderDecision(Query):
    award_id: UUID
    format: DocumentFormat = DocumentFormat.PDF


class RenderAwardList(Query):
    award_id: UUID
    format: DocumentFormat = DocumentFormat.PDF


class RenderMinutesExtract(Query):
    """The extract of a selection meeting's minutes with its results (R4.4 item 3), as PDF."""

    meeting_id: UUID


class RenderCertificates(Query):
    """The awardees' certificates (Giấy khen, Bằng khen), one landscape page each, as PDF."""

    award_id: UUID


# --- the public register (Law 06/2022/QH15: awards are published) ---------------------------
# Served to anyone, without signing in, by the gateway's public router only (``gateway.public``);
# each answers the records of ``contracts.public`` and nothing else.


class PublicAwards(Query):
    """R4.5, R5.2: the awards decided, one row per awardee, newest first, with revocations."""

    q: Annotated[str | None, Text(200)] = None
    year: Any = None
    union_id: UUID | None = None
    offset: int = 0
    limit: int = 50


class PublicAwardUnions(Query):
    """The unions that decided at least one award, for the register's filter."""


class PublicDecision(Query):
    """The signed PDF of an award decision, as published."""

    award_id: UUID


class PublicTrustRoot(Query):
    """The certificate the signed decisions are checked against (``ca.crt``)."""


class OpenItems(Query):
    """R1.5: what a reorganisation of the unions on the date would carry over to whom, or
    close and why (a plan's preview; read-only)."""

    union_ids: list[UUID]
    on: date
    action: Reorganisation
    successor_id: UUID | None = None
