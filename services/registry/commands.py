"""What the registry does, declared once: its commands and queries as typed values (R1.1–R1.5).

The application handles each (``Registry``, ``@handles``); its nameko entrypoint, the
gateway's routes, OpenAPI and ``.proto`` messages are derived from these declarations
(``runtime.commands``). The order of the fields is the order of the wire signature.

Ids, dates (YYYY-MM-DD) and flags travel as JSON values; queries take ``as_of`` (today when
omitted) so callers ask about the past the same way they ask about the present (R1.5).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, NotRequired, TypedDict
from uuid import UUID

from contracts.registry import BodyKind, Level
from runtime.commands import Code, Command, Given, Query, Shape, Text


class NewUnion(TypedDict):
    """Công đoàn mới thành lập khi hợp nhất (R1.5); cấp trên mặc định là cấp trên chung của
    các công đoàn hợp nhất — The union a merger founds; its parent defaults to the merged
    unions' common parent"""

    code: Annotated[str, Code]
    name: Annotated[str, Text(300)]
    parent_id: NotRequired[UUID]


class Part(NewUnion):
    """Một công đoàn mới khi chia tách (R1.5): đoàn viên và công đoàn cấp dưới chuyển sang
    — A union a split founds, with the members and child unions it takes over"""

    members: NotRequired[list[UUID]]
    children: NotRequired[list[UUID]]


class Decision(TypedDict):
    """Quyết định thành lập: số và ngày ký, không sau ngày bắt đầu nhiệm kỳ — The decision
    that establishes the body: its number and signing date, not after the term starts"""

    number: Annotated[str, Text(64)]
    signed_on: date

# --- the union tree (R1.1, R1.5) -------------------------------------------------------------


class FoundUnion(Command):
    code: str
    name: str
    level: Level
    founded_on: date
    parent_id: UUID | None = None


class RenameUnion(Command):
    union_id: UUID
    name: str
    effective_on: date


class MoveUnion(Command):
    union_id: UUID
    parent_id: UUID
    effective_on: date


class MergeUnions(Command):
    union_ids: list[UUID]
    effective_on: date
    into_union_id: Annotated[UUID | None, Given] = None
    new_union: Annotated[dict[str, Any] | None, Shape(NewUnion)] = None


class SplitUnion(Command):
    union_id: UUID
    effective_on: date
    parts: Annotated[list[dict[str, Any]], Shape(list[Part])]


class DissolveUnion(Command):
    union_id: UUID
    effective_on: date


class GetUnion(Query):
    union_id: UUID
    as_of: date | None = None


class UnionByCode(Query):
    code: Annotated[str, Code]


class UnionHistory(Query):
    union_id: UUID


class Tree(Query):
    as_of: date | None = None
    root_id: UUID | None = None


class Ancestors(Query):
    union_id: UUID
    as_of: date | None = None


class Descendants(Query):
    union_id: UUID
    as_of: date | None = None


class DirectSuperior(Query):
    union_id: UUID
    as_of: date | None = None


class SearchUnions(Query):
    q: str
    as_of: date | None = None
    limit: int = 20


# --- people (R1.3) ---------------------------------------------------------------------------


class RegisterPerson(Command):
    code: str
    full_name: str
    registered_on: date
    union_id: UUID | None = None
    birth_date: date | None = None
    gender: str | None = None
    is_official: bool = False
    is_full_time: bool = False


class JoinUnion(Command):
    person_id: UUID
    union_id: UUID
    effective_on: date


class TransferPerson(Command):
    person_id: UUID
    union_id: UUID
    effective_on: date


class LeaveUnion(Command):
    person_id: UUID
    effective_on: date


class SetOfficialStatus(Command):
    person_id: UUID
    is_official: bool
    is_full_time: bool
    effective_on: date


class GetPerson(Query):
    person_id: UUID
    as_of: date | None = None


class Members(Query):
    union_id: UUID
    as_of: date | None = None
    offset: int = 0
    limit: int = 100


class SearchPeople(Query):
    q: str
    union_id: UUID | None = None
    as_of: date | None = None
    limit: int = 20


# --- files of people or unions (R1.1–R1.4) ---------------------------------------------------


class ImportRecords(Command):
    file_content: str
    format: str = "csv"
    kind: str = "people"
    dry_run: bool = False
    filename: str | None = None
    upload_id: UUID | None = None  # the caller's id for it, to ask import_progress


class ImportProgress(Query):
    upload_id: UUID


class ImportTemplate(Query):
    format: str = "xlsx"


# --- a reorganisation plan (R1.5) ------------------------------------------------------------


class ApplyReorganisation(Command):
    number: str  # the decision's number, e.g. "125/QĐ-LĐLĐ"
    signed_on: date
    effective_on: date
    legal_basis: str
    union_id: UUID  # the union whose decision it is (its administrators make it)
    file_content: str
    format: str = "xlsx"
    dry_run: bool = False
    filename: str | None = None


class GetReorganisation(Query):
    plan_id: UUID


class ReorganisationTemplate(Query):
    format: str = "xlsx"


# --- bodies and teams (R1.2, R1.4) -----------------------------------------------------------


class ConstituteBody(Command):
    union_id: UUID
    kind: BodyKind
    name: str
    term_start: date
    term_end: date | None = None
    department: str | None = None
    decision: Annotated[dict[str, Any] | None, Shape(Decision)] = None


class Appoint(Command):
    body_id: UUID
    person_id: UUID
    position: str
    effective_on: date


class Relieve(Command):
    body_id: UUID
    person_id: UUID
    effective_on: date


class EndBody(Command):
    body_id: UUID
    effective_on: date
    # Text like any other (R4.5: the reason is kept with the decision): NFC, no control
    # characters, refused when too long rather than silently cut.
    reason: Annotated[str, Text(64)] = "term_ended"


class GetBody(Query):
    body_id: UUID


class Bodies(Query):
    union_id: UUID
    as_of: date | None = None
    kind: Annotated[BodyKind | None, Given] = None


class HeldPositions(Query):
    person_id: UUID
    union_id: UUID | None = None
    as_of: date | None = None
    kind: Annotated[BodyKind | None, Given] = None


class Department(Query):
    union_id: UUID
    department: str
    as_of: date | None = None
