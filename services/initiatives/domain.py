"""Ideas, registration forms, initiatives and their replication (R3.1–R3.8).

Pure Python: no I/O, no clock, no nameko. Who may decide is judged by the application from
the registry's facts as of the decision's date; what is stored here is the outcome, with the
decision record (``runtime.rules.decision_record``) inside each decision event. Invariants
that need only the aggregate's own history are enforced here, with stable codes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from runtime.errors import Conflict, InvalidInput
from runtime.rules import ScoreOutOfScale
from runtime.text import clean_code, clean_text, not_before

NAME_MAX = 300
TEXT_MAX = 20_000


class Kind(StrEnum):
    INITIATIVE = "initiative"  # sáng kiến
    TOPIC = "topic"  # đề tài


class Status(StrEnum):
    REGISTERED = "registered"
    EVALUATED = "evaluated"
    ACCEPTED = "accepted"  # a topic's results accepted (nghiệm thu)
    RECOGNISED = "recognised"
    REFUSED = "refused"
    REVOKED = "revoked"


class IdeaStatus(StrEnum):
    OPEN = "open"
    DEVELOPED = "developed"
    WITHDRAWN = "withdrawn"


class Scope(StrEnum):
    GRASSROOTS = "grassroots"
    DIRECT_SUPERIOR = "direct_superior"
    PROVINCE = "province"


SCOPE_ORDER = (Scope.GRASSROOTS, Scope.DIRECT_SUPERIOR, Scope.PROVINCE)


class Vote(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


# R3.2: the five fields every registration form has, whatever a union adds.
CORE_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Tên sáng kiến, đề tài"),
    ("objective", "Mục tiêu"),
    ("implementation_steps", "Các bước thực hiện"),
    ("scope_feasibility_time", "Phạm vi, tính khả thi và thời gian áp dụng"),
    ("expected_effectiveness", "Hiệu quả dự kiến"),
)
FIELD_TYPES = ("text", "number", "date", "choice")


# --- errors: each refusal has a stable code ------------------------------------------------

class IdeaNotOpen(Conflict):
    code = "IDEA_NOT_OPEN"


class FieldMissing(InvalidInput):
    code = "FIELD_MISSING"


class FieldNotOnForm(InvalidInput):
    code = "FIELD_NOT_ON_FORM"


class FieldInvalid(InvalidInput):
    code = "FIELD_INVALID"


class FormVersionUnknown(InvalidInput):
    code = "FORM_VERSION_UNKNOWN"


class FormInvalid(InvalidInput):
    code = "FORM_INVALID"


class SharesNot100(InvalidInput):
    code = "SHARES_NOT_100"


class AuthorsInvalid(InvalidInput):
    code = "AUTHORS_INVALID"


class InitiativeExists(Conflict):
    code = "INITIATIVE_EXISTS"


class CouncilInvalid(InvalidInput):
    code = "COUNCIL_INVALID"


class NoCouncil(Conflict):
    code = "NO_COUNCIL"


class EvaluationInvalid(InvalidInput):
    code = "EVALUATION_INVALID"


class NotEvaluated(Conflict):
    code = "NOT_EVALUATED"


class TwoThirdsNotReached(Conflict):
    code = "TWO_THIRDS_NOT_REACHED"


class CriteriaNotMet(Conflict):
    code = "CRITERIA_NOT_MET"


class TopicNotAccepted(Conflict):
    code = "TOPIC_NOT_ACCEPTED"


class NotATopic(Conflict):
    code = "NOT_A_TOPIC"


class AlreadyDecided(Conflict):
    """Recognising twice, or deciding an initiative that was refused or revoked."""

    code = "ALREADY_DECIDED"


class NotRecognised(Conflict):
    code = "NOT_RECOGNISED"


class NoApplicationReported(Conflict):
    code = "NO_APPLICATION_REPORTED"


class ProposalPending(Conflict):
    code = "PROPOSAL_PENDING"


class NoProposal(Conflict):
    code = "NO_PROPOSAL"


class ScopeNotAllowed(InvalidInput):
    code = "SCOPE_NOT_ALLOWED"


class AlreadyAdopted(Conflict):
    code = "ALREADY_ADOPTED"


class OwnInitiative(InvalidInput):
    code = "OWN_INITIATIVE"


class AmountInvalid(InvalidInput):
    code = "AMOUNT_INVALID"


class ClosedOnReorganisation(Conflict):
    """R1.5: the record's union was dissolved (or split) and no union took it over."""

    code = "CLOSED_ON_REORGANISATION"


# --- helpers ---------------------------------------------------------------------------------

def vnd(value: object, field: str = "value_saved_vnd") -> int:
    """An amount of Vietnamese đồng: a whole, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise AmountInvalid(f"{field} must be a whole number of đồng", {"field": field})
    try:
        amount = Decimal(str(value).replace(" ", ""))
    except InvalidOperation:
        raise AmountInvalid(f"{field} must be a whole number of đồng", {"field": field}) from None
    if amount != amount.to_integral_value() or amount < 0 or amount > Decimal(10) ** 15:
        raise AmountInvalid(f"{field} must be a whole, non-negative number of đồng",
                            {"field": field})
    return int(amount)


# --- reorganisation (R1.5) ---------------------------------------------------------------------

class Held:
    """R1.5: a record of a union that the registry may merge, split or dissolve. It keeps its
    original ``union_id`` for good; ``held_by`` is the union that holds it now, and each
    hand-over is dated, so who may act on it is judged as of the act's date (``holder_on``):
    before the effective date the predecessor, from it the successor. A record no union takes
    over is closed with its reason. Both are events citing the registry's event (``cause``)."""

    union_id: UUID
    held_by: UUID
    handovers: list[dict[str, Any]]
    closed: dict[str, Any] | None

    def _start_holding(self, union_id: UUID) -> None:
        self.held_by = union_id
        self.handovers = []
        self.closed = None

    def holder_on(self, on: date) -> UUID:
        """The union that held the record on the date (R1.5: authority as of the date)."""
        holder = self.union_id
        for handover in self.handovers:
            if handover["effective_on"] <= on.isoformat():
                holder = UUID(handover["to_union_id"])
        return holder

    def require_not_closed(self, on: date) -> None:
        if self.closed is not None and self.closed["effective_on"] <= on.isoformat():
            raise ClosedOnReorganisation(
                f"the record was closed on {self.closed['effective_on']}: {self.closed['reason']}",
                {"effective_on": self.closed["effective_on"], "reason": self.closed["reason"]})

    def _carry(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
               cause: dict[str, Any]) -> None:
        self.handovers.append({"from_union_id": str(from_union_id),
                               "to_union_id": str(to_union_id),
                               "effective_on": effective_on.isoformat(), "cause": cause})
        self.held_by = to_union_id

    def _close(self, union_id: UUID, effective_on: date, reason: str,
               cause: dict[str, Any]) -> None:
        self.closed = {"union_id": str(union_id), "effective_on": effective_on.isoformat(),
                       "reason": reason, "cause": cause}


# --- ideas (R3.1) ----------------------------------------------------------------------------

class Idea(Held, Aggregate):
    @event("Raised")
    def __init__(self, union_id: UUID, author_id: UUID, title: str, description: str,
                 raised_on: date) -> None:
        self.union_id = union_id
        self.author_id = author_id
        self.title = title
        self.description = description
        self.raised_on = raised_on
        self.status = IdeaStatus.OPEN
        self.comments: list[dict[str, Any]] = []
        self.initiative_id: UUID | None = None
        self._start_holding(union_id)

    def require_open(self) -> None:
        if self.status != IdeaStatus.OPEN:
            raise IdeaNotOpen(f"the idea is {self.status}", {"status": str(self.status)})

    @event("Coached")
    def coach(self, by: str, team_id: UUID, text: str, on: date) -> None:
        """R3.1: the idea incubation team comments and coaches."""
        self.comments.append({"by": by, "team_id": str(team_id), "text": text,
                              "on": on.isoformat()})

    @event("Developed")
    def develop(self, initiative_id: UUID, on: date) -> None:
        self.status = IdeaStatus.DEVELOPED
        self.initiative_id = initiative_id

    @event("Withdrawn")
    def withdraw(self, reason: str, on: date) -> None:
        self.status = IdeaStatus.WITHDRAWN

    @event("CarriedOver")
    def carry_over(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                   cause: dict[str, Any]) -> None:
        """R1.5: an open idea goes to the union that took its union over."""
        self._carry(from_union_id, to_union_id, effective_on, cause)

    @event("Closed")
    def close(self, union_id: UUID, effective_on: date, reason: str,
              cause: dict[str, Any]) -> None:
        """R1.5: an open idea of a union dissolved with no successor."""
        self._close(union_id, effective_on, reason, cause)


# --- registration forms (R3.2) ---------------------------------------------------------------

def core_form() -> list[dict[str, Any]]:
    return [{"code": code, "label": label, "type": "text", "required": True, "choices": None}
            for code, label in CORE_FIELDS]


def clean_form_fields(fields: object) -> list[dict[str, Any]]:
    """A union's own fields, after the five of R3.2 (which it cannot drop or redefine)."""
    if not isinstance(fields, list | tuple):
        raise FormInvalid("fields must be a list", {"field": "fields"})
    core = {code for code, _ in CORE_FIELDS}
    cleaned: list[dict[str, Any]] = []
    for number, item in enumerate(fields):
        if not isinstance(item, Mapping):
            raise FormInvalid(f"field {number} must be an object", {"index": number})
        code = clean_code(item.get("code"), "code")
        if code in core or code in {f["code"] for f in cleaned}:
            raise FormInvalid(f"field {code} is already on the form", {"code": code})
        kind = item.get("type", "text")
        if kind not in FIELD_TYPES:
            raise FormInvalid(f"field {code} has an unknown type {kind!r}",
                              {"code": code, "allowed": list(FIELD_TYPES)})
        choices = item.get("choices")
        if kind == "choice":
            if not isinstance(choices, list | tuple) or not choices:
                raise FormInvalid(f"field {code} needs its choices", {"code": code})
            choices = [clean_text(c, f"{code}.choices", NAME_MAX) for c in choices]
        else:
            choices = None
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise FormInvalid(f"field {code}: required must be true or false", {"code": code})
        cleaned.append({"code": code, "label": clean_text(item.get("label"), f"{code}.label", NAME_MAX),
                        "type": kind, "required": required, "choices": choices})
    return core_form() + cleaned


def fill(form: Sequence[Mapping[str, Any]], values: object) -> dict[str, Any]:
    """The registration's values, validated against the form version it was filled on."""
    if not isinstance(values, Mapping):
        raise FieldInvalid("fields must be an object of field codes to values", {"field": "fields"})
    known = {f["code"]: f for f in form}
    extra = sorted(set(values) - set(known))
    if extra:
        raise FieldNotOnForm(f"the union's form has no field {', '.join(map(str, extra))}",
                             {"fields": extra})
    filled: dict[str, Any] = {}
    for code, spec in known.items():
        value = values.get(code)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec["required"]:
                raise FieldMissing(f"{spec['label']} ({code}) is required",
                                   {"field": f"fields.{code}", "label": spec["label"]})
            continue
        filled[code] = _field_value(spec, value)
    return filled


def _field_value(spec: Mapping[str, Any], value: object) -> Any:
    code = spec["code"]
    where = {"field": f"fields.{code}", "label": spec["label"]}  # the form's own label
    if spec["type"] == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FieldInvalid(f"{code} must be a number", where)
        return value
    if spec["type"] == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise FieldInvalid(f"{code} must be a date (YYYY-MM-DD)", where) from None
    text = clean_text(value, f"fields.{code}", TEXT_MAX)
    if spec["type"] == "choice" and text not in spec["choices"]:
        raise FieldInvalid(f"{code} must be one of its choices",
                           {**where, "allowed": spec["choices"]})
    return text


class RegistrationForm(Aggregate):
    """A grassroots union's registration form, versioned: version 1 is the five fields of
    R3.2 alone until the executive committee designs its own (version 2 onwards)."""

    @staticmethod
    def create_id(union_id: UUID) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:form:{union_id}")

    @event("Started")
    def __init__(self, union_id: UUID) -> None:
        self.union_id = union_id
        self.versions: list[dict[str, Any]] = [
            {"version": 1, "fields": core_form(), "effective_on": None, "decision": None}]

    @event("VersionDesigned")
    def design(self, fields: list[dict[str, Any]], effective_on: date,
               decision: dict[str, Any]) -> None:
        self.versions.append({"version": len(self.versions) + 1, "fields": fields,
                              "effective_on": effective_on.isoformat(), "decision": decision})

    def form_version(self, number: int | None, on: date) -> dict[str, Any]:
        """The version asked for, or the one in force on the date."""
        if number is None:
            in_force = [v for v in self.versions
                        if v["effective_on"] is None or v["effective_on"] <= on.isoformat()]
            return in_force[-1]
        if isinstance(number, bool) or not isinstance(number, int) \
                or not 1 <= number <= len(self.versions):
            raise FormVersionUnknown(f"the union's form has no version {number}",
                                     {"form_version": number, "latest": len(self.versions)})
        return self.versions[number - 1]


def clean_authors(authors: object) -> list[tuple[UUID, Decimal]]:
    """(person, share) pairs; shares are percentages adding up to exactly 100 (R3.2)."""
    if not isinstance(authors, list | tuple) or not authors:
        raise AuthorsInvalid("an initiative has at least one author", {"field": "authors"})
    cleaned: list[tuple[UUID, Decimal]] = []
    for number, author in enumerate(authors):
        if not isinstance(author, Mapping):
            raise AuthorsInvalid(f"author {number} must be an object", {"index": number})
        try:
            person = UUID(str(author.get("person_id")))
            share = Decimal(str(author.get("share")))
        except (ValueError, InvalidOperation):
            raise AuthorsInvalid(f"author {number} needs a person_id and a share",
                                 {"index": number}) from None
        if isinstance(author.get("share"), bool) or not share.is_finite() or share <= 0:
            raise AuthorsInvalid(f"author {number}'s share must be above 0", {"index": number})
        cleaned.append((person, share))
    if len({p for p, _ in cleaned}) != len(cleaned):
        raise AuthorsInvalid("an author is listed twice", {"field": "authors"})
    total = sum((s for _, s in cleaned), Decimal(0))
    if total != 100:
        raise SharesNot100(f"contribution shares add up to {total}%, not 100%",
                           {"total": str(total)})
    return cleaned


# --- initiatives and topics (R3.2–R3.8) ------------------------------------------------------

@dataclass(frozen=True)
class Council:
    """R3.7: the evaluation council as constituted: its members (a union representative among
    them), the day, and the decision that constituted it."""

    members: tuple[Mapping[str, Any], ...]
    on: date
    decision: Mapping[str, Any]

    @property
    def member_ids(self) -> frozenset[str]:
        return frozenset(str(m["person_id"]) for m in self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"members": [dict(m) for m in self.members], "on": self.on.isoformat(),
                "decision": dict(self.decision)}


@dataclass(frozen=True)
class Evaluation:
    """R3.7: the council's marks by member and criterion, its vote, and the averages."""

    on: date
    scores: Mapping[str, Mapping[str, float]]
    votes: Mapping[str, str]
    averages: Mapping[str, float]
    council_size: int
    minutes: str | None

    @property
    def tally(self) -> dict[str, int]:
        return {v.value: sum(1 for x in self.votes.values() if x == v.value) for v in Vote}

    @property
    def votes_for(self) -> int:
        return self.tally[Vote.FOR.value]

    def reaches(self, majority: Mapping[str, int]) -> bool:
        """R3.4: at least ``numerator/denominator`` of the whole council voted for."""
        return self.votes_for * majority["denominator"] >= self.council_size * majority["numerator"]

    def failed(self, criteria: Sequence[Mapping[str, Any]]) -> list[str]:
        """The criteria whose average mark is below their pass mark."""
        return [c["code"] for c in criteria if self.averages.get(c["code"], 0) < c["pass"]]

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "scores": {k: dict(v) for k, v in self.scores.items()},
                "votes": dict(self.votes), "tally": self.tally, "averages": dict(self.averages),
                "council_size": self.council_size, "minutes": self.minutes}


class Initiative(Held, Aggregate):
    @staticmethod
    def create_id(union_id: UUID, reference: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:initiative:{union_id}:{reference}")

    @event("Registered")
    def __init__(self, union_id: UUID, reference: str, kind: str, form_version: int,
                 fields: dict[str, Any], authors: list[dict[str, Any]], registered_on: date,
                 idea_id: UUID | None, rule_set: dict[str, str], decide_by: date,
                 received_by: UUID) -> None:
        self.union_id = union_id
        self.received_by = received_by  # R3.2: the executive committee it was registered with
        self.rule_set = rule_set
        self.reference = reference
        self.kind = kind
        self.form_version = form_version
        self.fields = fields
        self.authors = authors
        self.registered_on = registered_on
        self.idea_id = idea_id
        self.decide_by = decide_by  # R3.7: a decision within 3 months of accepting it
        self.status = Status.REGISTERED
        self.council: Council | None = None
        self.evaluation: Evaluation | None = None
        self.acceptance: dict[str, Any] | None = None
        self.recognitions: dict[str, dict[str, Any]] = {}  # scope -> decision
        self.proposal: dict[str, Any] | None = None  # pending, to the next scope up
        self.applications: list[dict[str, Any]] = []
        self.adopted_by: list[str] = []
        self.last_on = registered_on
        self._start_holding(union_id)

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    def _undecided(self) -> None:
        if self.status in (Status.RECOGNISED, Status.REFUSED, Status.REVOKED):
            raise AlreadyDecided(f"the initiative is already {self.status}",
                                 {"status": str(self.status)})

    # R3.7: the council, its members (a union representative among them), scores and vote.
    @event("CouncilConstituted")
    def constitute_council(self, members: list[dict[str, Any]], on: date,
                           decision: dict[str, Any]) -> None:
        self.council = Council(tuple(members), on, decision)

    def check_council(self, on: date) -> None:
        self._undecided()
        not_before(on, self.registered_on, "the council")

    def check_evaluation(self, on: date, scores: Mapping[str, Mapping[str, float]],
                         votes: Mapping[str, str], criteria: Sequence[Mapping[str, Any]]) -> None:
        self._undecided()
        if self.council is None:
            raise NoCouncil("an evaluation council must be constituted first")
        not_before(on, self.council.on, "the evaluation")
        outsiders = sorted((set(scores) | set(votes)) - self.council.member_ids)
        if outsiders:
            raise EvaluationInvalid("only the council's members score and vote",
                                    {"not_members": outsiders})
        codes = {c["code"]: c for c in criteria}
        for member, marks in scores.items():
            if set(marks) != set(codes):
                raise EvaluationInvalid(f"member {member} must score every criterion",
                                        {"member": member, "criteria": sorted(codes)})
            for code, mark in marks.items():
                if isinstance(mark, bool) or not isinstance(mark, int | float) \
                        or not 0 <= mark <= codes[code]["max"]:
                    raise ScoreOutOfScale(f"{code} is scored from 0 to {codes[code]['max']}",
                                          {"member": member, "criterion": code,
                                           "max": codes[code]["max"]})

    @event("Evaluated")
    def evaluate(self, on: date, scores: dict[str, dict[str, float]], votes: dict[str, str],
                 averages: dict[str, float], minutes: str | None) -> None:
        self.evaluation = Evaluation(on, scores, votes, averages,
                                     len(self.council.members) if self.council else 0, minutes)
        self.status = Status.EVALUATED

    def check_acceptance(self, on: date) -> None:
        if self.kind != Kind.TOPIC:
            raise NotATopic("acceptance (nghiệm thu) is for topics")
        self._undecided()
        if self.evaluation is None:
            raise NotEvaluated("the council has not evaluated the topic")
        not_before(on, self.evaluation.on, "the acceptance")

    @event("TopicAccepted")
    def accept_topic(self, on: date, result: str, decision: dict[str, Any]) -> None:
        self.acceptance = {"on": on.isoformat(), "result": result, "decision": decision}
        self.status = Status.ACCEPTED

    def check_recognition(self, on: date, majority: Mapping[str, int],
                          criteria: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """R3.4, R3.7: evaluated, two thirds of the council for, criteria met; once."""
        self._undecided()
        if self.evaluation is None:
            raise NotEvaluated("the council has not evaluated the initiative")
        if self.kind == Kind.TOPIC and self.acceptance is None:
            raise TopicNotAccepted("a topic is recognised after its results are accepted")
        not_before(on, self.evaluation.on, "the recognition")
        size, votes_for = self.evaluation.council_size, self.evaluation.votes_for
        if not self.evaluation.reaches(majority):
            raise TwoThirdsNotReached(
                f"{votes_for} of {size} council members voted for; at least "
                f"{majority['numerator']}/{majority['denominator']} are needed",
                {"for": votes_for, "council_size": size})
        failed = self.evaluation.failed(criteria)
        if failed:
            raise CriteriaNotMet(f"criteria not met: {', '.join(failed)}", {"criteria": failed})
        return {"for": votes_for, "council_size": size}

    @event("Recognised")
    def recognise(self, decision: dict[str, Any]) -> None:
        """R3.4: recognised at grassroots level by the union's executive committee."""
        self.recognitions[Scope.GRASSROOTS.value] = decision
        self.status = Status.RECOGNISED

    @event("RecognisedAtLevel")
    def recognise_at_level(self, scope: str, decision: dict[str, Any]) -> None:
        """R3.6: recognised by an upper union's standing committee, at its level."""
        self.recognitions[scope] = decision
        self.proposal = None

    @event("Refused")
    def refuse(self, decision: dict[str, Any]) -> None:
        self.status = Status.REFUSED

    def check_refusal(self, on: date) -> None:
        self._undecided()
        not_before(on, self.registered_on, "the refusal")

    def require_recognised(self) -> None:
        if self.status != Status.RECOGNISED:
            raise NotRecognised(f"the initiative is {self.status}, not recognised",
                                {"status": str(self.status)})

    # R3.6: applying it in practice, with measured benefit.
    @event("ApplicationReported")
    def report_application(self, report: dict[str, Any]) -> None:
        self.applications.append(report)

    def highest_scope(self) -> Scope:
        return max((Scope(s) for s in self.recognitions), key=SCOPE_ORDER.index)

    def check_proposal(self, on: date) -> Scope:
        """R3.6: an effective (applied) recognised initiative goes one level up."""
        self.require_recognised()
        if not self.applications:
            raise NoApplicationReported("report its application and benefit before proposing it")
        if self.proposal is not None:
            raise ProposalPending("a proposal is already waiting for a decision",
                                  {"to_union_id": self.proposal["to_union_id"]})
        highest = self.highest_scope()
        if highest == Scope.PROVINCE:
            raise ScopeNotAllowed("the initiative is already recognised province-wide")
        not_before(on, date.fromisoformat(self.recognitions[highest.value]["decided_on"]),
                   "the proposal")
        return highest

    @event("Proposed")
    def propose(self, scope: str, to_union_id: UUID, decision: dict[str, Any]) -> None:
        self.proposal = {"scope": scope, "to_union_id": str(to_union_id), "decision": decision}

    def require_proposal(self, scope: Scope, on: date) -> dict[str, Any]:
        self.require_recognised()
        if self.proposal is None or self.proposal["scope"] != scope.value:
            raise NoProposal(f"nothing was proposed for recognition at {scope.value} level",
                             {"scope": scope.value})
        not_before(on, date.fromisoformat(self.proposal["decision"]["decided_on"]), "the decision")
        return self.proposal

    @event("DeclinedAtLevel")
    def decline(self, scope: str, decision: dict[str, Any]) -> None:
        self.proposal = None

    @event("Adopted")
    def adopted(self, union_id: UUID) -> None:
        self.adopted_by.append(str(union_id))

    @event("Revoked")
    def revoke(self, ground: str, decision: dict[str, Any], dependents: dict[str, Any]) -> None:
        """Law 06/2022: a recognition obtained falsely, or not meeting the standard, is revoked;
        every recognition above it falls with it."""
        self.status = Status.REVOKED
        self.proposal = None

    @event("CarriedOver")
    def carry_over(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                   cause: dict[str, Any]) -> None:
        """R1.5, R3.5: the entry goes to the successor's tracking book, with its original union,
        authors, council and 3-month limit unchanged; its committee decides from the date."""
        self._carry(from_union_id, to_union_id, effective_on, cause)

    @event("Closed")
    def close(self, union_id: UUID, effective_on: date, reason: str,
              cause: dict[str, Any]) -> None:
        """R1.5: no union took it over; a recognition it had stands as it was decided."""
        self._close(union_id, effective_on, reason, cause)


# --- replication (R3.8) ----------------------------------------------------------------------

class Replication(Held, Aggregate):
    @staticmethod
    def create_id(initiative_id: UUID, union_id: UUID) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:replication:{initiative_id}:{union_id}")

    @event("Adopted")
    def __init__(self, initiative_id: UUID, union_id: UUID, adopted_on: date, note: str | None,
                 decision: dict[str, Any]) -> None:
        self.initiative_id = initiative_id
        self.union_id = union_id
        self.adopted_on = adopted_on
        self.note = note
        self.decision = decision
        self.results: list[dict[str, Any]] = []
        self._start_holding(union_id)

    @event("ResultReported")
    def report(self, result: dict[str, Any]) -> None:
        self.results.append(result)

    @event("CarriedOver")
    def carry_over(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                   cause: dict[str, Any]) -> None:
        """R1.5, R3.8: the adoption record goes to the successor, which reports its results."""
        self._carry(from_union_id, to_union_id, effective_on, cause)

    @event("Closed")
    def close(self, union_id: UUID, effective_on: date, reason: str,
              cause: dict[str, Any]) -> None:
        self._close(union_id, effective_on, reason, cause)
