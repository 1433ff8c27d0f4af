"""Attestations, nominations, selection meetings, dossiers, award decisions and revocations
(R4.1–R4.5).

Pure Python: no I/O, no clock, no nameko. The application loads the aggregates and the
facts of the other services as of the decision's date (the registry's unions and seats, the
evaluation of the criteria, the rule book in force); the rules that judge them are here, in
the aggregates and in small functions that take those facts as arguments, each refusal with
a stable code. What is stored is the outcome, with the decision record
(``runtime.rules.decision_record``) inside each decision event.

An achievement is rewarded once, in one form ("thành tích đến đâu khen thưởng đến đó", Law
06/2022/QH15): ``Achievement`` is keyed by what was achieved (the subject, the year, the reach
of the award's level and, for an individual, the initiatives it rests on), so a second award
of the same achievement collides on the same id, in any process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from runtime.errors import Conflict, InvalidInput
from runtime.rules import clean_evidence
from runtime.text import clean_text, not_before

TEXT_MAX = 20_000
NAME_MAX = 300
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024  # a scanned, signed letter or minutes extract


class Subject(StrEnum):
    INDIVIDUAL = "individual"  # cá nhân
    COLLECTIVE = "collective"  # tập thể


class DocumentKind(StrEnum):
    """The items of a dossier (R4.4)."""

    SUBMISSION_LETTER = "submission_letter"  # (1) tờ trình, with the list
    ACHIEVEMENT_SUMMARY = "achievement_summary"  # (2) a collective's outstanding achievements
    INITIATIVE_SUMMARY = "initiative_summary"  # (2) an individual's initiative
    RECOGNITION_DECISION = "recognition_decision"  # (2) a copy of its recognition decision
    MINUTES_EXTRACT = "minutes_extract"  # (3) the meeting minutes and selection results
    OTHER = "other"


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # for supplements; the proposer attaches more and submits again
    DECIDED = "decided"


class AwardStatus(StrEnum):
    AWARDED = "awarded"
    REVOKED = "revoked"


# --- errors ----------------------------------------------------------------------------------

class NotEligible(Conflict):
    """R4.1, R4.2: the subject does not meet the form's criteria; the details say which."""

    code = "NOT_ELIGIBLE"


class FormUnknown(InvalidInput):
    code = "FORM_UNKNOWN"


class FormNotForSubject(InvalidInput):
    code = "FORM_NOT_FOR_SUBJECT"


class AboveAuthority(Conflict):
    """R4.3: a body decides only the forms of its own level, for those under it."""

    code = "ABOVE_AUTHORITY"


class OutsideScope(Conflict):
    """R4.3: the subject is not in the deciding or nominating union's own subtree."""

    code = "OUTSIDE_SCOPE"


class AlreadyRewarded(Conflict):
    """Law 06/2022: an achievement is rewarded once, in one form."""

    code = "ACHIEVEMENT_ALREADY_REWARDED"


class DecisionNumberTaken(Conflict):
    code = "DECISION_NUMBER_TAKEN"


class NotSubmitted(Conflict):
    """R4.3: the province decides on submission; the nomination is not before it."""

    code = "NOT_ON_SUBMISSION"


class DossierIncomplete(Conflict):
    """R4.4: a dossier missing an item cannot be submitted; the details list what is missing."""

    code = "DOSSIER_INCOMPLETE"


class SubmissionState(Conflict):
    code = "SUBMISSION_STATE"


class NominationClosed(Conflict):
    code = "NOMINATION_CLOSED"


class NotSelected(Conflict):
    """R4.4 (3): only nominations the proposing body selected in a meeting go up."""

    code = "NOT_SELECTED"


class MeetingInvalid(InvalidInput):
    code = "MEETING_INVALID"


class NoQuorum(Conflict):
    code = "NO_QUORUM"


class GroundInvalid(InvalidInput):
    """A revocation states one of the law's grounds (Law 06/2022, art. 8 and 79)."""

    code = "REVOCATION_GROUND_INVALID"


class RecoveryRequired(InvalidInput):
    code = "RECOVERY_REQUIRED"


class AlreadyRevoked(Conflict):
    code = "ALREADY_REVOKED"


class DocumentInvalid(InvalidInput):
    code = "DOCUMENT_INVALID"


class EvidenceRequired(InvalidInput):
    code = "EVIDENCE_REQUIRED"


class ClosedOnReorganisation(Conflict):
    """R1.5: the record's union was dissolved (or split) and no union took it over."""

    code = "CLOSED_ON_REORGANISATION"


# --- the rule book's forms and who confers them (R4.3) --------------------------------------------

def form_in(forms: Sequence[Mapping[str, Any]], code: object, version: str,
            subject: Subject | None = None) -> dict[str, Any]:
    """A form of the catalogue in force (``version``), conferred on the subject if named."""
    form = next((f for f in forms if f["code"] == code), None)
    if form is None:
        raise FormUnknown(f"no award form {code!r} in {version}",
                          {"field": "form", "forms": [f["code"] for f in forms]})
    if subject is not None and subject.value not in form["subjects"]:
        raise FormNotForSubject(f"{form['title']} is not conferred on a {subject.value}",
                                {"field": "form", "subjects": form["subjects"]})
    return dict(form)


def proposed_to(union: Mapping[str, Any], form: Mapping[str, Any],
                above: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """R4.3: a nomination goes to its own union (a form of its level) or to the one directly
    above it (``above``), which must confer the form: grassroots → superior → province."""
    if form["level"] == union["level"]:
        return union
    if above is None or above["level"] != form["level"]:
        level_above = above["level"] if above else None
        raise AboveAuthority(
            f"{union['name']} proposes only to the union directly above it "
            f"({level_above or 'none'}); {form['title']} is conferred at {form['level']} level",
            {"form": form["code"], "form_level": form["level"], "level_above": level_above})
    return above


@dataclass(frozen=True)
class Scope:
    """R4.3: a union and the ids of the unions under it (its own among them) on a date."""

    union: Mapping[str, Any]
    units: frozenset[str]
    on: date

    def require_member(self, subject_id: UUID, member_of: str | None) -> None:
        if member_of not in self.units:
            raise OutsideScope(f"the person was not a member of {self.union['name']} or a "
                               f"union under it on {self.on}",
                               {"subject_id": str(subject_id), "member_of": member_of})

    def require_under(self, target: Mapping[str, Any], subject_id: UUID, itself: bool) -> None:
        """A union under this one; this one itself only when it proposes itself upward."""
        if target["id"] not in self.units or (target["id"] == self.union["id"] and not itself):
            raise OutsideScope(f"{target['name']} is not a union under {self.union['name']} "
                               f"on {self.on}", {"subject_id": str(subject_id)})


def require_confers(union: Mapping[str, Any], form: Mapping[str, Any]) -> None:
    """R4.3: a union decides only the forms of its own level."""
    if form["level"] != union["level"]:
        raise AboveAuthority(
            f"{form['title']} is conferred at {form['level']} level, not by "
            f"{union['name']} ({union['level']})",
            {"form": form["code"], "form_level": form["level"], "level": union["level"]})


def signer_position(body: Mapping[str, Any], person_id: str) -> str:
    """R4.5: the person who signs for the deciding body sits on it on the date."""
    position = next((m["position"] for m in body["members"] if m["person_id"] == person_id),
                    None)
    if position is None:
        raise InvalidInput("the signer must sit on the deciding body on the date",
                           {"field": "signer_id"})
    return str(position)


def require_eligible(evaluation: Mapping[str, Any]) -> None:
    """R4.1, R4.2: the subject meets every criterion; the refusal says which fail, and why."""
    if not evaluation["eligible"]:
        details: dict[str, Any] = {"failed": evaluation["failed"], "evaluation": evaluation}
        short = next((c for c in evaluation["criteria"]
                      if not c["met"] and "threshold_vnd" in c), None)
        if short is not None:  # the form's threshold of value created, for the refusal's words
            details |= {"min_value_saved_vnd": short["threshold_vnd"],
                        "value_saved_vnd": short["value_saved_vnd"]}
        raise NotEligible(
            "not eligible: " + "; ".join(f"{c['code']} ({c['explanation']})"
                                         for c in evaluation["criteria"] if not c["met"]),
            details)


def _id(*parts: object) -> UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "emulation:awards:" + ":".join(str(p) for p in parts))


# --- attestations (R4.1 d, R4.2 b) -------------------------------------------------------------

class Attestation(Aggregate):
    """What no event shows (internal unity, compliance with Party, State and union rules),
    attested by a union body with its evidence; a later attestation supersedes it."""

    @staticmethod
    def create_id(subject: str, subject_id: UUID, year: int, criterion: str) -> UUID:
        return _id("attestation", str(subject), subject_id, year, criterion)

    @event("Attested")
    def __init__(self, subject: str, subject_id: UUID, year: int, criterion: str,
                 attested_on: date, met: bool, statement: str, decision: dict[str, Any]) -> None:
        self.subject = subject
        self.subject_id = subject_id
        self.year = year
        self.criterion = criterion
        self.history: list[dict[str, Any]] = []
        self._take(attested_on, met, statement, decision)

    def _take(self, on: date, met: bool, statement: str, decision: dict[str, Any]) -> None:
        self.attested_on, self.met, self.statement, self.decision = on, met, statement, decision
        self.history.append({"on": on.isoformat(), "met": met, "statement": statement,
                             "decision": decision})

    @staticmethod
    def require_evidence(evidence: object) -> None:
        """R4.1 d, R4.2 b: what no event shows is attested with its evidence."""
        if not clean_evidence(evidence):
            raise EvidenceRequired("an attestation names its evidence", {"field": "evidence"})

    def supersede(self, on: date, met: bool, statement: str, decision: dict[str, Any]) -> None:
        """A later attestation supersedes the standing one, and is not dated before it."""
        not_before(on, self.attested_on, "an attestation")
        self.reattest(attested_on=on, met=met, statement=statement, decision=decision)

    @event("Reattested")
    def reattest(self, attested_on: date, met: bool, statement: str,
                 decision: dict[str, Any]) -> None:
        self._take(attested_on, met, statement, decision)

    def standing_on(self, on: date) -> dict[str, Any] | None:
        """The attestation standing on the date: the latest made by then."""
        last = next((h for h in reversed(self.history) if h["on"] <= on.isoformat()), None)
        return None if last is None else {
            "attestation_id": str(self.id), "attested_on": last["on"], "met": last["met"],
            "statement": last["statement"], "evidence": last["decision"]["evidence"]}


# --- reorganisation (R1.5) ---------------------------------------------------------------------

SIDES = ("union", "to_union")  # the proposing union (``union_id``), the receiving one (``to_union_id``)


class Held:
    """R1.5: a nomination or a dossier between two unions the registry may merge, split or
    dissolve. It keeps its original ``union_id`` and ``to_union_id`` for good; each hand-over
    is dated and names the side it hands over (the proposer, the receiver or both), so who
    may act on it is judged as of the act's date (``holder_on``): before the effective date
    the predecessor, from it the successor. A record no union takes over is closed with its
    reason. Both are events citing the registry's event (``cause``)."""

    union_id: UUID
    to_union_id: UUID
    handovers: tuple[dict[str, Any], ...] = ()  # class defaults: records made before R1.5
    closed: dict[str, Any] | None = None

    def holder_on(self, on: date | None = None, side: str = "union") -> UUID:
        """The union that held the side on the date (R1.5: authority as of the date); now,
        when no date is given."""
        holder: UUID = getattr(self, f"{side}_id")
        for handover in self.handovers:
            if side in handover["sides"] and (on is None or handover["effective_on"] <= on.isoformat()):
                holder = UUID(handover["to_union_id"])
        return holder

    def holders(self, side: str = "union") -> list[str]:
        """Every union that held the side, the original first."""
        return [str(getattr(self, f"{side}_id"))] + [
            h["to_union_id"] for h in self.handovers if side in h["sides"]]

    def sides_held_by(self, union_id: UUID) -> list[str]:
        return [side for side in SIDES if self.holder_on(None, side) == union_id]

    def require_not_closed(self) -> None:
        if self.closed is not None:
            raise ClosedOnReorganisation(
                f"the record was closed on {self.closed['effective_on']}: {self.closed['reason']}",
                {"effective_on": self.closed["effective_on"], "reason": self.closed["reason"]})

    def _carry(self, sides: list[str], from_union_id: UUID, to_union_id: UUID,
               effective_on: date, cause: dict[str, Any]) -> None:
        self.handovers = (*self.handovers, {
            "sides": list(sides), "from_union_id": str(from_union_id),
            "to_union_id": str(to_union_id), "effective_on": effective_on.isoformat(),
            "cause": cause})

    def _close(self, sides: list[str], union_id: UUID, effective_on: date, reason: str,
               cause: dict[str, Any]) -> None:
        self.closed = {"sides": list(sides), "union_id": str(union_id),
                       "effective_on": effective_on.isoformat(), "reason": reason,
                       "cause": cause}


# --- nominations (R4.3) -----------------------------------------------------------------------

class Nomination(Held, Aggregate):
    """A body's nomination of a collective or an individual for a form, for a year: for its
    own decision (``to_union_id`` is its own union) or proposed one level up the tree."""

    @event("Nominated")
    def __init__(self, union_id: UUID, to_union_id: UUID, year: int, subject: str,
                 subject_id: UUID, subject_name: str, form: str, achievement: str,
                 initiative_ids: list[str], carries: UUID | None, relies_on: list[str],
                 evaluation: dict[str, Any], nominated_on: date,
                 decision: dict[str, Any]) -> None:
        self.union_id = union_id
        self.to_union_id = to_union_id
        self.year = year
        self.subject = subject
        self.subject_id = subject_id
        self.subject_name = subject_name
        self.form = form
        self.achievement = achievement
        self.initiative_ids = initiative_ids
        self.carries = carries  # the lower union's nomination this one takes up the tree
        self.relies_on = relies_on  # awards already given for lower reaches of the same work
        self.evaluation = evaluation  # R4.1/R4.2: criterion by criterion, with the evidence
        self.nominated_on = nominated_on
        self.decision = decision
        self.award_id: UUID | None = None
        self.withdrawn = False

    @property
    def upward(self) -> bool:
        return self.to_union_id != self.union_id

    @property
    def is_open(self) -> bool:
        return self.award_id is None and not self.withdrawn and self.closed is None

    def require_open(self) -> None:
        self.require_not_closed()
        if self.award_id is not None or self.withdrawn:
            raise NominationClosed("the nomination was already decided or withdrawn",
                                   {"nomination_id": str(self.id)})

    def require_carried_to(self, union_id: str, subject: str, subject_id: UUID,
                           year: int, on: date) -> None:
        """R4.3: the union above takes up an open nomination proposed to it (R1.5: to the
        union that held the receiving side on the date), same subject and year."""
        if str(self.holder_on(on, "to_union")) != union_id or self.subject != subject \
                or self.subject_id != subject_id or self.year != year:
            raise InvalidInput("the nomination carried must be proposed to this union, for the "
                               "same subject and year", {"field": "carries"})
        self.require_open()

    def require_votable(self, union_id: str, on: date, voted_as: str) -> None:
        """R4.4 (3): a body votes only on its own union's open nominations, after them
        (``voted_as``: the id as the votes name it, said back in the refusal). R1.5: its own
        is the union that held the nomination on the meeting's date."""
        if str(self.holder_on(on)) != union_id:
            raise InvalidInput("a body votes only on its own union's nominations",
                               {"nomination_id": voted_as})
        self.require_open()
        not_before(on, self.nominated_on, "the selection")

    def require_decidable(self, union: Mapping[str, Any], form: Mapping[str, Any], on: date,
                          on_submission_levels: Collection[str]) -> None:
        """R4.3, R4.5: open, before this union, for a form conferred on its subject; a union
        that decides on submission decides only what came up (on a dossier: the caller's)."""
        self.require_open()
        not_before(on, self.nominated_on, "the decision")
        if str(self.holder_on(on, "to_union")) != union["id"]:  # R1.5: held on the date
            raise NotSubmitted(f"the nomination is not before {union['name']}",
                               {"nomination_id": str(self.id)})
        if self.subject not in form["subjects"]:
            raise FormNotForSubject(f"{form['title']} is not conferred on a {self.subject}",
                                    {"nomination_id": str(self.id)})
        if not self.upward and union["level"] in on_submission_levels:
            raise NotSubmitted(f"{union['name']} decides on submission from the unions below it",
                               {"nomination_id": str(self.id)})

    @event("Awarded")
    def awarded(self, award_id: UUID) -> None:
        self.award_id = award_id

    @event("Withdrawn")
    def withdraw(self, on: date, reason: str) -> None:
        self.withdrawn = True

    @event("CarriedOver")
    def carry_over(self, sides: list[str], from_union_id: UUID, to_union_id: UUID,
                   effective_on: date, cause: dict[str, Any]) -> None:
        """R1.5: the successor takes over the side(s) the merged union held, from the date."""
        self._carry(sides, from_union_id, to_union_id, effective_on, cause)

    @event("Discontinued")
    def discontinue(self, sides: list[str], union_id: UUID, effective_on: date, reason: str,
                    cause: dict[str, Any]) -> None:
        """R1.5: closed, with its reason, when no union takes the side(s) over."""
        self._close(sides, union_id, effective_on, reason, cause)


# --- selection meetings (R4.4 item 3) ----------------------------------------------------------

@dataclass(frozen=True)
class Ratio:
    """A share of a body's members (a quorum of 2/3), in whole numbers: no rounding."""

    numerator: int
    denominator: int

    def reached(self, count: int, of: int, strictly: bool = False) -> bool:
        left, right = count * self.denominator, of * self.numerator
        return left > right if strictly else left >= right

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


class SelectionMeeting(Aggregate):
    """A meeting of the nominating body: who attended, the votes on each nomination, the
    results, the minutes (R4.4 item 3: the extract of the minutes and the selection results)."""

    @event("Held")
    def __init__(self, union_id: UUID, body_id: UUID, held_on: date, members: list[str],
                 attendees: list[str], votes: dict[str, dict[str, int]],
                 results: dict[str, bool], minutes: str, decision: dict[str, Any]) -> None:
        self.union_id = union_id
        self.body_id = body_id
        self.held_on = held_on
        self.members = members
        self.attendees = attendees
        self.votes = votes
        self.results = results
        self.minutes = minutes
        self.decision = decision

    def selected(self, nomination_id: UUID) -> bool:
        return bool(self.results.get(str(nomination_id)))


def tally(members: Sequence[str], attendees: Sequence[str], votes: Mapping[str, Mapping[str, Any]],
          quorum: Ratio, majority: Ratio) -> dict[str, bool]:
    """R4.4 (3): the meeting has its quorum of the body's members, and a nomination is
    selected when the votes for it are more than the majority of all the body's members."""
    if set(attendees) - set(members):
        raise MeetingInvalid("only the body's members attend its selection meeting",
                             {"not_members": sorted(set(attendees) - set(members))})
    if len(set(attendees)) != len(attendees):
        raise MeetingInvalid("an attendee is listed twice", {"field": "attendees"})
    if not quorum.reached(len(attendees), len(members)):
        raise NoQuorum(f"{len(attendees)} of {len(members)} members attended; the quorum is "
                       f"{quorum}", {"attended": len(attendees), "members": len(members)})
    results = {}
    for nomination, count in votes.items():
        cast = [count.get(k, 0) for k in ("for", "against", "abstain")]
        if set(count) - {"for", "against", "abstain"} or any(
                isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in cast):
            raise MeetingInvalid("votes are whole numbers for, against and abstain",
                                 {"nomination_id": nomination})
        if sum(cast) > len(attendees):
            raise MeetingInvalid("more votes than attendees", {"nomination_id": nomination})
        results[nomination] = majority.reached(cast[0], len(members), strictly=True)
    return results


# --- documents and dossiers (R4.4) ---------------------------------------------------------------

def document_content(content_base64: object) -> bytes:
    if not isinstance(content_base64, str) or not content_base64:
        raise DocumentInvalid("a document's content is base64 text", {"field": "content_base64"})
    try:
        content = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentInvalid("a document's content is not valid base64",
                              {"field": "content_base64"}) from None
    if not content or len(content) > DOCUMENT_MAX_BYTES:
        raise DocumentInvalid(f"a document holds 1 byte to {DOCUMENT_MAX_BYTES} bytes",
                              {"field": "content_base64", "size": len(content)})
    return content


_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")


def media_type(value: object) -> str:
    """A document's media type (``application/pdf``), as its recipient will open it."""
    if not isinstance(value, str) or not _MEDIA_TYPE.fullmatch(value.strip().lower()):
        raise DocumentInvalid("media_type is a type such as application/pdf",
                              {"field": "media_type"})
    return value.strip().lower()


class Document(Aggregate):
    """A stored file, addressed by the SHA-256 of its content: the same bytes are one document,
    and the hash an auditor recomputes from the content proves it was not altered."""

    @staticmethod
    def create_id(sha256: str) -> UUID:
        return _id("document", sha256)

    @event("Stored")
    def __init__(self, sha256: str, size: int, media_type: str, content_base64: str) -> None:
        self.sha256 = sha256
        self.size = size
        self.media_type = media_type
        self.content_base64 = content_base64

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class Submission(Held, Aggregate):
    """The proposing body's submission (tờ trình) of its nominations to the union above, with
    its dossier; returned for supplements and submitted again, every round kept (R4.4)."""

    @event("Drafted")
    def __init__(self, union_id: UUID, to_union_id: UUID, year: int, nomination_ids: list[str],
                 drafted_on: date) -> None:
        self.union_id = union_id
        self.to_union_id = to_union_id
        self.year = year
        self.nomination_ids = nomination_ids
        self.drafted_on = drafted_on
        self.documents: list[dict[str, Any]] = []
        self.rounds: list[dict[str, Any]] = []  # each submission and what became of it
        self.status = SubmissionStatus.DRAFT
        self.last_on = drafted_on

    @staticmethod
    def target_of(union_id: str, year: int, nominations: Sequence[Nomination], on: date) -> UUID:
        """R4.4: a submission lists its union's open upward nominations of the year, to one
        union (R1.5: the unions that hold them on the date)."""
        for n in nominations:
            n.require_open()
            if str(n.holder_on(on)) != union_id or not n.upward or n.year != year:
                raise InvalidInput("a submission lists the union's own upward nominations for "
                                   "the year", {"nomination_id": str(n.id)})
        targets = {n.holder_on(on, "to_union") for n in nominations}
        if len(targets) != 1:
            raise InvalidInput("a submission goes to one union", {"field": "nomination_ids"})
        return targets.pop()

    @property
    def is_open(self) -> bool:
        return self.status != SubmissionStatus.DECIDED and self.closed is None

    def require_editable(self) -> None:
        self.require_not_closed()
        if self.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            raise SubmissionState(f"a {self.status} submission cannot be changed",
                                  {"status": str(self.status)})

    def require_attachable(self, on: date) -> None:
        """R4.4: documents go into a draft or a returned submission, dated from its draft."""
        self.require_editable()
        not_before(on, self.drafted_on, "a document")

    def require_about(self, kind: DocumentKind, nomination_id: str | None) -> None:
        """R4.4 (2): a nominee's document names a nomination of this submission."""
        if nomination_id is not None and nomination_id not in self.nomination_ids:
            raise InvalidInput("that nomination is not on this submission",
                               {"field": "nomination_id"})
        if kind in (DocumentKind.ACHIEVEMENT_SUMMARY, DocumentKind.INITIATIVE_SUMMARY,
                    DocumentKind.RECOGNITION_DECISION) and nomination_id is None:
            raise InvalidInput(f"a {kind.value} is about one nominee: name its nomination",
                               {"field": "nomination_id"})

    @event("DocumentAttached")
    def attach(self, document: dict[str, Any]) -> None:
        self.documents.append(document)

    def documents_of(self, kind: DocumentKind, nomination_id: str | None = None) -> list[dict[str, Any]]:
        return [d for d in self.documents if d["kind"] == kind.value
                and (nomination_id is None or d.get("nomination_id") == nomination_id)]

    def missing(self, nominations: Iterable[Nomination], recognised: Collection[str],
                selected: Collection[str]) -> list[dict[str, Any]]:
        """R4.4's items: (1) the submission letter with the list; (2) each collective's
        achievement summary, each individual's initiative summary and the recognition
        decision of each initiative (``recognised``: those with one on the date); (3) the
        minutes extract with the selection results of the proposing body, which selected
        every nominee (``selected``)."""
        missing: list[dict[str, Any]] = []
        if not self.documents_of(DocumentKind.SUBMISSION_LETTER):
            missing.append({"item": DocumentKind.SUBMISSION_LETTER.value})
        for n in nominations:
            summary = DocumentKind.ACHIEVEMENT_SUMMARY if n.subject == Subject.COLLECTIVE \
                else DocumentKind.INITIATIVE_SUMMARY
            if not self.documents_of(summary, str(n.id)):
                missing.append({"item": summary.value, "nomination_id": str(n.id)})
            if n.subject == Subject.INDIVIDUAL:
                missing.extend({"item": DocumentKind.RECOGNITION_DECISION.value,
                                "nomination_id": str(n.id), "initiative_id": initiative_id}
                               for initiative_id in n.initiative_ids or ["(none named)"]
                               if initiative_id not in recognised)
        if not self.documents_of(DocumentKind.MINUTES_EXTRACT):
            missing.append({"item": DocumentKind.MINUTES_EXTRACT.value})
        missing.extend({"item": "selection_result", "nomination_id": n}
                       for n in self.nomination_ids if n not in selected)
        return missing

    def require_submittable(self, on: date) -> None:
        """R4.4: a draft or a returned submission goes up, not before its last date."""
        self.require_editable()
        not_before(on, self.last_on, "the submission")

    def require_ready(self, missing: list[dict[str, Any]] | None,
                      selected: Collection[str]) -> None:
        """R4.4: complete to a union that requires the dossier (``missing``: what it lacks),
        else every nomination selected by a meeting of the proposing body."""
        if missing:
            raise DossierIncomplete(
                f"the dossier misses {len(missing)} item(s): "
                + ", ".join(sorted({m['item'] for m in missing})), {"missing": missing})
        if missing is None and len(selected) != len(self.nomination_ids):
            raise NotSelected("every nomination submitted must be selected by a meeting of the "
                              "proposing body", {"not_selected": [
                                  n for n in self.nomination_ids if n not in selected]})

    def submit(self, on: date, number: str | None, meeting_ids: list[str],
               decision: dict[str, Any]) -> None:
        self._submitted(on=on, number=number, meeting_ids=meeting_ids, decision=decision,
                        union_id=self.holder_on(on), to_union_id=self.holder_on(on, "to_union"),
                        year=self.year,
                        nomination_ids=self.nomination_ids, round=len(self.rounds) + 1,
                        documents=[{k: d[k] for k in ("kind", "sha256", "nomination_id")}
                                   for d in self.documents])

    @event("Submitted")
    def _submitted(self, on: date, number: str | None, meeting_ids: list[str],
                   decision: dict[str, Any], union_id: UUID, to_union_id: UUID, year: int,
                   nomination_ids: list[str], round: int, documents: list[dict[str, Any]]) -> None:
        self.rounds.append({"round": round, "submitted_on": on.isoformat(), "number": number,
                            "meeting_ids": meeting_ids, "documents": [d["sha256"] for d in documents],
                            "decision": decision, "returned": None})
        self.status = SubmissionStatus.SUBMITTED
        self.last_on = on

    def require_returnable(self, on: date, missing: object) -> None:
        """R4.4: returned from before the receiver, not before it came, saying what to add."""
        self.require_not_closed()
        if self.status != SubmissionStatus.SUBMITTED:
            raise SubmissionState(f"the submission is {self.status}, not before the receiver",
                                  {"status": str(self.status)})
        not_before(on, self.last_on, "the return")
        if not isinstance(missing, list | tuple) or not missing:
            raise InvalidInput("say what the dossier must be supplemented with",
                               {"field": "missing"})

    def return_for_supplements(self, on: date, missing: list[str],
                               decision: dict[str, Any]) -> None:
        self._returned(on=on, missing=missing, decision=decision, union_id=self.holder_on(on),
                       to_union_id=self.holder_on(on, "to_union"), round=len(self.rounds))

    @event("Returned")
    def _returned(self, on: date, missing: list[str], decision: dict[str, Any], union_id: UUID,
                  to_union_id: UUID, round: int) -> None:
        self.rounds[-1]["returned"] = {"on": on.isoformat(), "missing": missing,
                                       "decision": decision}
        self.status = SubmissionStatus.RETURNED
        self.last_on = on

    @event("Closed")
    def close(self, award_id: UUID) -> None:
        self.status = SubmissionStatus.DECIDED

    @event("CarriedOver")
    def carry_over(self, sides: list[str], from_union_id: UUID, to_union_id: UUID,
                   effective_on: date, cause: dict[str, Any]) -> None:
        """R1.5: the successor takes over the side(s) the merged union held, from the date."""
        self._carry(sides, from_union_id, to_union_id, effective_on, cause)

    @event("Discontinued")
    def discontinue(self, sides: list[str], union_id: UUID, effective_on: date, reason: str,
                    cause: dict[str, Any]) -> None:
        """R1.5: closed, with its reason, when no union takes the side(s) over."""
        self._close(sides, union_id, effective_on, reason, cause)


# --- awards (R4.5) and what they reward --------------------------------------------------------

def achievement_key(subject: str, subject_id: UUID, year: int, level: str,
                    initiative_ids: Iterable[str]) -> str:
    """What was achieved: by whom, in which year, at which reach and, for an individual, on
    which initiatives. The same key is the same achievement, rewarded once."""
    basis = ",".join(sorted(initiative_ids)) if subject == Subject.INDIVIDUAL else "-"
    return f"{subject}:{subject_id}:{year}:{level}:{basis}"


def reach_of(form: Mapping[str, Any], rules: Mapping[str, Any]) -> str:
    """The reach of the achievement a form rewards, as its key names it: the form's level,
    unless the rule book says a level rewards the achievements of another's reach (the
    Confederation's forms, on the province's proposal, reward achievements of province-wide
    reach: the same achievement as the province's own forms, so it is rewarded once across
    both levels). Old rule versions say nothing, and their keys stay as they were."""
    return str(rules.get("achievement_reaches", {}).get(form["level"], form["level"]))


class Achievement(Aggregate):
    @staticmethod
    def create_id(key: str) -> UUID:
        return _id("achievement", key)

    @staticmethod
    def require_once(awardee: Mapping[str, Any], listed: Iterable[Achievement],
                     rewarded: Achievement | None) -> None:
        """Law 06/2022: rewarded once: not twice in a decision (``listed``), nor again."""
        if any(a.key == awardee["achievement_key"] for a in listed):
            raise AlreadyRewarded(f"{awardee['name']} is listed twice for one achievement",
                                  {"subject_id": awardee["subject_id"]})
        if rewarded is not None:
            raise AlreadyRewarded(
                f"{awardee['name']}'s achievement was already rewarded ({rewarded.form})",
                {"subject_id": awardee["subject_id"], "award_id": str(rewarded.award_id),
                 "revoked": rewarded.revoked})

    @event("Rewarded")
    def __init__(self, key: str, award_id: UUID, form: str) -> None:
        self.key = key
        self.award_id = award_id
        self.form = form
        self.revoked = False

    @event("RewardRevoked")
    def revoke(self, award_id: UUID) -> None:
        self.revoked = True


class Award(Aggregate):
    """A decision conferring one form on one or more awardees: number, date, signer, the
    achievement each is for, and the decision record (authority, reason, evidence, rules)."""

    @staticmethod
    def create_id(union_id: UUID, number: str) -> UUID:
        return _id("award", union_id, number.casefold())

    @staticmethod
    def number_taken(union: Mapping[str, Any], number: str) -> DecisionNumberTaken:
        """A union numbers its decisions once each (the id is derived from the number)."""
        return DecisionNumberTaken(f"{union['name']} already has decision {number}",
                                   {"number": number})

    @staticmethod
    def year_of(nominations: Iterable[Nomination]) -> int:
        """A decision rewards the achievements of one year."""
        years = {n.year for n in nominations}
        if len(years) != 1:
            raise InvalidInput("a decision rewards the achievements of one year",
                               {"field": "nomination_ids"})
        return years.pop()

    @event("Decided")
    def __init__(self, union_id: UUID, year: int, form: dict[str, Any], number: str,
                 decided_on: date, signer: dict[str, Any], awardees: list[dict[str, Any]],
                 submission_id: UUID | None, decision: dict[str, Any]) -> None:
        self.union_id = union_id
        self.year = year
        self.form = form
        self.number = number
        self.decided_on = decided_on
        self.signer = signer
        self.awardees = awardees
        self.submission_id = submission_id
        self.decision = decision
        self.revocations: dict[str, dict[str, Any]] = {}  # subject_id -> revocation

    def awardee(self, subject_id: str | None) -> dict[str, Any]:
        if subject_id is None:
            if len(self.awardees) != 1:
                raise InvalidInput("name the awardee whose award is revoked",
                                   {"field": "subject_id"})
            return self.awardees[0]
        for awardee in self.awardees:
            if awardee["subject_id"] == subject_id:
                return awardee
        raise InvalidInput("that subject is not an awardee of this decision",
                           {"field": "subject_id", "subject_id": subject_id})

    def check_revocation(self, subject_id: str, on: date) -> None:
        if subject_id in self.revocations:
            raise AlreadyRevoked("this award was already revoked",
                                 {"award_id": str(self.id), "subject_id": subject_id})
        not_before(on, self.decided_on, "a revocation")

    @event("Revoked")
    def revoke(self, subject_id: str, ground: str, recovery: dict[str, Any],
               dependents: list[dict[str, Any]], decision: dict[str, Any]) -> None:
        self.revocations[subject_id] = {"ground": ground, "recovery": recovery,
                                        "dependents": dependents, "decision": decision}

    def status_of(self, subject_id: str) -> AwardStatus:
        return AwardStatus.REVOKED if subject_id in self.revocations else AwardStatus.AWARDED


def ground_in(grounds: Iterable[Mapping[str, Any]], ground: object) -> dict[str, Any]:
    """A revocation states one of the law's grounds (Law 06/2022, art. 8 and 79)."""
    by_code = {g["code"]: g for g in grounds}
    if ground not in by_code:
        raise GroundInvalid("a revocation states one of the law's grounds",
                            {"field": "ground", "grounds": sorted(by_code)})
    return dict(by_code[ground])


def clean_recovery(recovery: object) -> dict[str, Any]:
    """What is to be recovered on revocation (Law 06/2022): the certificate or insignia and
    the money given, in đồng, and any other note."""
    if not isinstance(recovery, Mapping):
        raise RecoveryRequired("a revocation states what is recovered", {"field": "recovery"})
    unknown = set(recovery) - {"certificate", "money_vnd", "note"}
    if unknown:
        raise InvalidInput("unknown recovery items", {"field": "recovery",
                                                      "unknown": sorted(unknown)})
    money = recovery.get("money_vnd", 0)
    if isinstance(money, bool) or not isinstance(money, int) or not 0 <= money <= 10 ** 15:
        raise InvalidInput("money_vnd is a whole number of đồng", {"field": "recovery.money_vnd"})
    certificate = recovery.get("certificate", True)
    if not isinstance(certificate, bool):
        raise InvalidInput("certificate is true or false", {"field": "recovery.certificate"})
    note = recovery.get("note")
    return {"certificate": certificate, "money_vnd": money,
            "note": clean_text(note, "recovery.note", 2000) if note is not None else None}
