"""Awards commands and queries (R4.1–R4.5).

Every decision is judged by the registry's facts as of its own date (``Authority``): the
actor must sit, on that date, on the body that confers the form (the grassroots executive
committee, or the standing committee of a direct-superior union or of the provincial
federation, R4.3), and the subject must be in that union's subtree then. Eligibility is
judged from the initiatives' and reviews' published events as of the date (``Criteria``,
R4.1, R4.2). The forms, who confers them, the criteria, the dossier and the revocation
grounds are the awards rule book (``contracts/rules/awards.json``) in force on the date, and
each decision records which version it applied (R4.5). Every command checks everything
before it saves, and saves every aggregate it changes in one transaction: a refused command
changes nothing.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any, ClassVar
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from contracts.registry import BodyKind
from contracts.registry.facts import Authority, RegistryFacts
from contracts.registry.known import KnownUnions
from contracts.reorganisation import CARRIED, CLOSED, Reorganisation, open_item, require_change
from runtime.commands import handles
from runtime.context import acting_user
from runtime.contracts import Envelope
from runtime.documents import counted, place_of
from runtime.errors import Forbidden, InvalidInput, NotFound
from runtime.publication import Publication
from runtime.rules import NoRuleSetInForce, RuleBook, RuleSet, clean_reason, decision_record
from runtime.store import ServiceApplication
from runtime.text import parse_date, parse_uuid
from services.awards import commands, documents
from services.awards.domain import (
    Achievement,
    AlreadyRewarded,
    Attestation,
    Award,
    Document,
    DocumentKind,
    Held,
    Nomination,
    NotSubmitted,
    Ratio,
    Scope,
    SelectionMeeting,
    Subject,
    Submission,
    SubmissionStatus,
    achievement_key,
    clean_recovery,
    document_content,
    form_in,
    ground_in,
    media_type,
    proposed_to,
    reach_of,
    require_confers,
    require_eligible,
    signer_position,
    tally,
)
from services.awards.facts import FACTS, Criteria, MovementFacts
from services.awards.public import PublicRegister
from services.awards.published import RULES
from services.awards.readmodel import (
    NOMINATIONS,
    SELECTIONS,
    SUBMISSIONS,
    AwardsQueries,
    AwardsReadModel,
)
from services.awards.trail import TRAIL

Render = Callable[[Mapping[str, Any]], bytes]  # a document's data -> its bytes


class AwardNotFound(NotFound):
    code = "AWARD_NOT_FOUND"


class NominationNotFound(NotFound):
    code = "NOMINATION_NOT_FOUND"


class SubmissionNotFound(NotFound):
    code = "SUBMISSION_NOT_FOUND"


class DocumentNotFound(NotFound):
    code = "DOCUMENT_NOT_FOUND"


class MeetingNotFound(NotFound):
    code = "MEETING_NOT_FOUND"


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("year must be a year such as 2025", {"field": "year"})
    try:
        year = int(value)
    except ValueError:
        raise InvalidInput("year must be a year such as 2025", {"field": "year"}) from None
    if not 1900 <= year <= 2999:
        raise InvalidInput("year must be a year such as 2025", {"field": "year"})
    return year


def _ids(values: list[UUID] | None, field: str) -> list[str]:
    """Ids as the aggregates keep them (text), each once."""
    found = [str(v) for v in values or ()]
    if len(set(found)) != len(found):
        raise InvalidInput(f"{field} lists an id twice", {"field": field})
    return found


class Awards(PublicRegister, KnownUnions, ServiceApplication):
    service = "awards"
    trail = TRAIL
    read_model_class = AwardsReadModel
    upstream_views = (RegistryFacts, MovementFacts)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = Authority(self.engine, self.service)
        self.queries = AwardsQueries(self.engine)
        self.rules = RuleBook.load("awards")
        self.criteria = Criteria(self.engine, self.authority, self._attested)

    def construct_publication(self) -> Publication:
        return Publication(self.service, RULES, self.catalog)

    # --- rules and authority ----------------------------------------------------------------

    def _seat(self, union: Mapping[str, Any], on: date, rules: RuleSet) -> dict[str, Any]:
        """R4.3: the actor sits, on the date, on the union's deciding body (the executive
        committee of a grassroots union, the standing committee above)."""
        kind = BodyKind(rules["deciding_bodies"][union["level"]])
        return self.authority.seat(acting_user(), UUID(union["id"]), kind, on)

    def _decision(self, union: Mapping[str, Any], on: date, reason: object, evidence: object = None,
                  number: object = None) -> tuple[dict[str, Any], RuleSet]:
        rules = self.rules.in_force(on)
        return decision_record(self._seat(union, on, rules), on, reason, rules, evidence,
                               number), rules

    def _within(self, union: Mapping[str, Any], subject: Subject, subject_id: UUID, on: date,
                itself: bool) -> dict[str, Any]:
        """R4.3: the subject is in the union's subtree on the date (the union itself only when
        it proposes itself upward); returns who or what the subject is."""
        scope = Scope(union, frozenset({union["id"]} | {
            u["id"] for u in self.authority.descendants(UUID(union["id"]), on)}), on)
        if subject == Subject.INDIVIDUAL:
            person = self.authority.person(subject_id, on)
            where = person["union_id"] if person else None
            scope.require_member(subject_id, where)
            unit = self.authority.union(UUID(where), on) if where else None
            return {"name": person["full_name"] if person else "", "unit": unit["name"] if unit else ""}
        target = self.authority.active_union(subject_id, on)
        scope.require_under(target, subject_id, itself)
        return {"name": target["name"], "unit": target["name"]}

    def _attested(self, subject: Subject, subject_id: UUID, year: int, criterion: str,
                  on: date) -> dict[str, Any] | None:
        """The attestation standing on the date (the latest made by then)."""
        attestation = self.find(Attestation.create_id(subject, subject_id, year, criterion),
                                Attestation)
        return attestation.standing_on(on) if attestation else None

    def _evaluate(self, subject: Subject, subject_id: UUID, year: int, on: date, rules: RuleSet,
                  form: Mapping[str, Any] | None, initiative_ids: list[str] | None) -> dict[str, Any]:
        result = self.criteria.evaluate(subject, subject_id, year, on, rules.values,
                                        form.get("reach") if form else None, initiative_ids,
                                        form.get("min_value_saved_vnd") if form else None)
        result["rule_set"] = rules.ref()
        result["form"] = form["code"] if form else None
        return result

    def _eligible(self, *args: Any) -> dict[str, Any]:
        evaluation = self._evaluate(*args)
        require_eligible(evaluation)
        return evaluation

    # --- attestations (R4.1 d, R4.2 b) ------------------------------------------------------

    @handles(commands.Attest)
    def attest(self, command: commands.Attest) -> str:
        """What no event shows (internal unity; compliance with Party, State and union rules)
        is attested by the deciding body of the subject's union or a union above it, with
        its evidence (R4.1 d, R4.2 b)."""
        kind, sid, y = command.subject, command.subject_id, _year(command.year)
        on, met, text = self.past(command.attested_on, "attested_on"), command.met, command.statement
        union = self.authority.active_union(command.union_id, on)
        self._within(union, kind, sid, on, itself=kind == Subject.INDIVIDUAL)
        Attestation.require_evidence(command.evidence)
        decision, rules = self._decision(union, on, text, command.evidence)
        criterion = rules["attestations"][kind.value]
        attestation = self.find(Attestation.create_id(kind, sid, y, criterion), Attestation)
        if attestation is None:
            attestation = Attestation(kind.value, sid, y, criterion, on, met, text, decision)
        else:
            attestation.supersede(on, met, text, decision)
        self.save(attestation)
        return str(attestation.id)

    @handles(commands.CitedEvents)
    def cited_events(self, query: commands.CitedEvents) -> list[dict[str, Any]]:
        """R4.5, R5.1: the initiatives' and reviews' published events this service judged by,
        found by the ids its evaluations and decisions cite as evidence: which service, which
        event, which record it is about, and its date."""
        ids = _ids(query.event_ids, "event_ids")
        if len(ids) > 500:
            raise InvalidInput("ask for at most 500 events at a time", {"field": "event_ids"})
        with self.engine.connect() as c:
            rows = c.execute(sa.select(FACTS.c.event_id, FACTS.c.name, FACTS.c.subject_id,
                                       FACTS.c.union_id, FACTS.c.on)
                             .where(FACTS.c.event_id.in_(ids))).all()
        return [{"event_id": r.event_id, "source": r.name.split(".", 1)[0], "name": r.name,
                 "record_id": r.subject_id, "union_id": r.union_id, "on": r.on.isoformat()}
                for r in rows]

    @handles(commands.Evaluate)
    def evaluate(self, query: commands.Evaluate) -> dict[str, Any]:
        """R4.1, R4.2 (and R4.3's province-wide reach for a provincial form): criterion by
        criterion, met or not, why, and the events that are the evidence."""
        kind, on = query.subject, self.as_of(query.as_of)
        rules = self.rules.in_force(on)
        chosen = form_in(rules["forms"], query.form, rules.version, kind) if query.form else None
        return self._evaluate(kind, query.subject_id, _year(query.year), on, rules, chosen,
                              _ids(query.initiative_ids, "initiative_ids") or None)

    # --- nominations (R4.3) -----------------------------------------------------------------

    @handles(commands.Nominate)
    def nominate(self, command: commands.Nominate) -> dict[str, Any]:
        """R4.3: a union's deciding body nominates a collective or an individual of its
        subtree for a form, for its own decision or proposed one level up; the nominee must
        meet the form's criteria on the date (R4.1, R4.2), and the refusal says which fails."""
        kind, uid, sid, y = command.subject, command.union_id, command.subject_id, _year(command.year)
        on = self.past(command.nominated_on, "nominated_on")
        initiatives = _ids(command.initiative_ids, "initiative_ids")
        union = self.authority.active_union(uid, on)
        rules = self.rules.in_force(on)
        chosen = form_in(rules["forms"], command.form, rules.version, kind)
        to_union = proposed_to(union, chosen, self.authority.direct_superior(uid, on))
        upward = to_union["id"] != union["id"]
        who = self._within(union, kind, sid, on, itself=upward)
        decision = decision_record(self._seat(union, on, rules), on,
                                   command.reason or f"Đề nghị {chosen['title']} năm {y}", rules,
                                   command.evidence)
        lower = self._carried(command.carries, union, kind, sid, y, on) if command.carries else None
        evaluation = self._eligible(kind, sid, y, on, rules, chosen,
                                    initiatives or (lower.initiative_ids if lower else None) or None)
        relies_on = sorted({a["award_id"] for a in self.queries.awards(
            subject_id=sid, year=y, status="awarded")} | set(lower.relies_on if lower else ()))
        nomination = Nomination(UUID(union["id"]), UUID(to_union["id"]), y, kind.value, sid,
                                who["name"], chosen["code"], command.achievement,
                                initiatives or (lower.initiative_ids if lower else []),
                                lower.id if lower else None, relies_on, evaluation, on, decision)
        self.save(nomination)
        return self.get_nomination(commands.GetNomination(nomination.id))

    def _carried(self, carries: UUID, union: Mapping[str, Any], subject: Subject, subject_id: UUID,
                 year: int, on: date) -> Nomination:
        """The lower union's nomination this one takes up: proposed to this union, for the
        same subject and year, and before it on a submission."""
        lower = self.nomination(carries)
        lower.require_carried_to(union["id"], subject.value, subject_id, year, on)
        self._on_submission(lower)
        return lower

    def nomination(self, nomination_id: object) -> Nomination:
        found = self.find(parse_uuid(nomination_id, "nomination_id"), Nomination)
        if found is None:
            raise NominationNotFound("no such nomination", {"nomination_id": str(nomination_id)})
        return found

    @handles(commands.GetNomination)
    def get_nomination(self, query: commands.GetNomination) -> dict[str, Any]:
        """R4.3: one nomination: who proposes whom, for which form, to which union, and where
        it stands."""
        n = self.nomination(query.nomination_id)
        return {"nomination_id": str(n.id), "union_id": str(n.union_id),
                "to_union_id": str(n.to_union_id), "year": n.year, "subject": n.subject,
                "subject_id": str(n.subject_id), "subject_name": n.subject_name, "form": n.form,
                "achievement": n.achievement, "initiative_ids": n.initiative_ids,
                "carries": str(n.carries) if n.carries else None, "relies_on": n.relies_on,
                "evaluation": n.evaluation, "nominated_on": n.nominated_on.isoformat(),
                "decision": n.decision, "award_id": str(n.award_id) if n.award_id else None,
                "withdrawn": n.withdrawn, **_held(n)}

    # --- selection meetings (R4.4 item 3) ---------------------------------------------------

    @handles(commands.Proceedings)
    def proceedings(self, query: commands.Proceedings) -> dict[str, Any]:
        """R4.4, R5.1: what a nomination went through: the selection meetings that voted on
        it and the submissions (dossiers) that carried it, oldest first."""
        n = self.nomination(query.nomination_id)
        with self.engine.connect() as c:
            meetings = c.execute(sa.select(SELECTIONS.c.meeting_id)
                                 .where(SELECTIONS.c.nomination_id == str(n.id))
                                 .order_by(SELECTIONS.c.held_on)).scalars().all()
            drafted = c.execute(sa.select(SUBMISSIONS.c.submission_id)
                                .where(SUBMISSIONS.c.union_id.in_(n.holders()),
                                       SUBMISSIONS.c.year == n.year)
                                .order_by(SUBMISSIONS.c.last_on)).scalars().all()
        carried_on = [s for s in drafted if str(n.id) in self.submission(s).nomination_ids]
        return {"nomination_id": str(n.id), "union_id": str(n.union_id),
                "meetings": list(meetings), "submissions": carried_on,
                "steps": self._steps(n, list(meetings), carried_on)}

    # the events of a nomination's proceedings a person follows (documents attached are the
    # dossier's contents, shown on its own page)
    STEPS: ClassVar[dict[str, set[str]]] = {
        "Attestation": {"Attested", "Reattested"},
        "Nomination": {"Nominated", "Withdrawn", "CarriedOver", "Discontinued"},
        "SelectionMeeting": {"Held"},
        "Submission": {"Drafted", "Submitted", "Returned", "CarriedOver", "Discontinued"},
        "Award": {"Decided", "Revoked"}}

    def _steps(self, n: Nomination, meetings: list[str], submissions: list[str]) -> list[dict[str, Any]]:
        """R4.4, R4.5: every step of the nomination from its records' own events, oldest
        first: what was done, the date, who acted with which role, the decision record (the
        authority, the reason, the number) and what the step held for this nomination (its
        votes, the missing documents a dossier was returned for, the decision's number)."""
        rules = self.rules.in_force(n.nominated_on)
        criterion = rules["attestations"].get(n.subject)
        records: list[tuple[str, Any]] = []
        if criterion:
            records.append(("attestation", Attestation.create_id(n.subject, n.subject_id, n.year,
                                                                  criterion)))
        records.append(("nomination", n.id))
        records += [("meeting", m) for m in meetings] + [("submission", s) for s in submissions]
        if n.award_id:
            records.append(("award", n.award_id))
        steps: list[dict[str, Any]] = []
        for kind, record_id in records:
            if kind == "attestation" and self.find(record_id, Attestation) is None:
                continue
            detail = self._step_detail(kind, str(record_id), str(n.id))
            rounds, current = iter(detail.pop("rounds", [])), None
            for event in self.history(record_id):
                if event["event"] not in self.STEPS.get(event["record"], ()):
                    continue
                step = {"record": event["record"], "event": event["event"], "record_id": str(record_id),
                        "on": event["on"], "actor": event["actor"], "decision": event["decision"],
                        **detail}
                if event["event"] == "Submitted":
                    current = next(rounds, None)
                if event["event"] in ("Submitted", "Returned"):
                    step["round"] = current  # a return answers the round submitted before it
                steps.append(step)
        return sorted(steps, key=lambda s: str(s["on"] or ""))

    def _step_detail(self, kind: str, record_id: str, nomination_id: str) -> dict[str, Any]:
        if kind == "meeting":
            meeting = self.find(UUID(record_id), SelectionMeeting)
            if meeting is None:
                return {}
            return {"votes": meeting.votes.get(nomination_id, {}),
                    "selected": meeting.selected(UUID(nomination_id)),
                    "attended": len(meeting.attendees), "members": len(meeting.members),
                    "minutes": meeting.minutes}
        if kind == "submission":
            s = self.submission(record_id)
            return {"union_id": str(s.union_id), "to_union_id": str(s.to_union_id),
                    "rounds": [{"number": r["number"], "submitted_on": r["submitted_on"],
                                "returned": r["returned"]} for r in s.rounds]}
        if kind == "award":
            a = self.award(UUID(record_id))
            return {"number": a.number, "form": a.form, "union_id": str(a.union_id)}
        return {}

    @handles(commands.HoldSelection)
    def hold_selection(self, command: commands.HoldSelection) -> dict[str, Any]:
        """R4.3: the nominating body meets: attendance against its members in office on the date,
        votes on its open nominations, results by the rule set's quorum and majority."""
        uid, on, votes = command.union_id, self.past(command.held_on, "held_on"), command.votes
        present = _ids(command.attendees, "attendees")
        if not isinstance(votes, Mapping) or not votes:
            raise InvalidInput("votes name each nomination voted on", {"field": "votes"})
        union = self.authority.active_union(uid, on)
        decision, rules = self._decision(union, on, f"Họp bình xét khen thưởng ngày {_vn(on.isoformat())}",
                                         command.evidence)
        for nomination_id in votes:
            self.nomination(nomination_id).require_votable(union["id"], on, nomination_id)
        body = self.authority.body_in_office(uid, BodyKind(rules["deciding_bodies"][union["level"]]), on)
        members = [m["person_id"] for m in body["members"]]
        selection = rules["selection"]
        results = tally(members, present, votes, Ratio(**selection["quorum"]),
                        Ratio(**selection["majority_of_members"]))
        meeting = SelectionMeeting(uid, UUID(body["id"]), on, members, present,
                                   {k: dict(v) for k, v in votes.items()}, results,
                                   command.minutes, decision)
        self.save(meeting)
        return {"meeting_id": str(meeting.id), "results": results,
                "attended": len(present), "members": len(members)}

    # --- submissions and dossiers (R4.4) ----------------------------------------------------

    @handles(commands.DraftSubmission)
    def draft_submission(self, command: commands.DraftSubmission) -> str:
        """R4.4: the proposing body lists its nominations going to the union above (tờ trình)."""
        uid, y, on = command.union_id, _year(command.year), self.past(command.drafted_on, "drafted_on")
        listed = _ids(command.nomination_ids, "nomination_ids")
        if not listed:
            raise InvalidInput("a submission lists at least one nomination",
                               {"field": "nomination_ids"})
        union = self.authority.active_union(uid, on)
        self._seat(union, on, self.rules.in_force(on))
        to_union_id = Submission.target_of(union["id"], y, [self.nomination(n) for n in listed], on)
        submission = Submission(uid, to_union_id, y, listed, on)
        self.save(submission)
        return str(submission.id)

    def submission(self, submission_id: object) -> Submission:
        found = self.find(parse_uuid(submission_id, "submission_id"), Submission)
        if found is None:
            raise SubmissionNotFound("no such submission", {"submission_id": str(submission_id)})
        return found

    @handles(commands.AttachDocument)
    def attach_document(self, command: commands.AttachDocument) -> dict[str, Any]:
        """R4.4: a document of the dossier, stored once by its SHA-256 (the hash is kept with
        the dossier, so any later change of the bytes shows)."""
        submission = self.submission(command.submission_id)
        on, document_kind = self.past(command.attached_on, "attached_on"), command.kind
        submission.require_attachable(on)
        union = self.authority.active_union(submission.holder_on(on), on)  # R1.5
        self._seat(union, on, self.rules.in_force(on))
        about = str(command.nomination_id) if command.nomination_id else None
        submission.require_about(document_kind, about)
        content = document_content(command.content_base64)
        digest = Document.digest(content)
        kind_of_file = media_type(command.media_type)
        changed: list[Aggregate] = [submission]
        if Document.create_id(digest) not in self.repository:
            changed.append(Document(digest, len(content), kind_of_file,
                                    base64.b64encode(content).decode("ascii")))
        record = {"kind": document_kind.value, "sha256": digest, "size": len(content),
                  "filename": command.filename, "media_type": kind_of_file,
                  "title": command.title or None,
                  "nomination_id": about, "attached_on": on.isoformat(),
                  "attached_by": acting_user()}
        submission.attach(document=record)
        self.save(*changed)
        return record

    @handles(commands.GetDocument)
    def get_document(self, query: commands.GetDocument) -> dict[str, Any]:
        """R4.4, R5.1: a stored document's bytes, and their hash recomputed (an auditor's check)."""
        sha256 = query.sha256
        digest = sha256.strip().lower() if isinstance(sha256, str) else ""
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise InvalidInput("sha256 is 64 hexadecimal digits", {"field": "sha256"})
        document = self.find(Document.create_id(digest), Document)
        if document is None:
            raise DocumentNotFound("no such document", {"sha256": digest})
        content = base64.b64decode(document.content_base64)
        return {"sha256": document.sha256, "size": document.size,
                "media_type": document.media_type, "content_base64": document.content_base64,
                "verified": Document.digest(content) == document.sha256}

    @handles(commands.DossierCheck)
    def dossier_check(self, query: commands.DossierCheck) -> dict[str, Any]:
        """R4.4: what the dossier holds and what it is missing, item by item."""
        submission = self.submission(query.submission_id)
        on = self.as_of(query.as_of)
        return {"submission_id": str(query.submission_id), "missing": self._missing(submission, on)}

    def _missing(self, submission: Submission, on: date) -> list[dict[str, Any]]:
        """R4.4: what the dossier lacks, judged from the recognitions and the selections
        known on the date."""
        nominations = [self.nomination(n) for n in submission.nomination_ids]
        recognised = {i for n in nominations for i in n.initiative_ids
                      if n.subject == Subject.INDIVIDUAL
                      and self.criteria.recognition(i, on) is not None}
        return submission.missing(nominations, recognised, self._selected(nominations, on))

    def _selected(self, nominations: list[Nomination], on: date) -> dict[str, str]:
        """R4.4 (3), R1.5: the nominations selected by a meeting of the union that held each
        on the meeting's date (a vote of the old body before a merge stands)."""
        selected = self.queries.selections([str(n.id) for n in nominations],
                                           {u for n in nominations for u in n.holders()}, on)
        by_id = {str(n.id): n for n in nominations}
        return {n: meeting for n, (meeting, union_id, held_on) in selected.items()
                if str(by_id[n].holder_on(held_on)) == union_id}

    @handles(commands.Submit)
    def submit(self, command: commands.Submit) -> dict[str, Any]:
        """R4.4: the proposing body submits; to the province, an incomplete dossier is
        refused with the list of what is missing. Each round is kept."""
        submission = self.submission(command.submission_id)
        on = self.past(command.submitted_on, "submitted_on")
        submission.require_submittable(on)
        union = self.authority.active_union(submission.holder_on(on), on)  # R1.5: held on the date
        receiver = self.authority.active_union(submission.holder_on(on, "to_union"), on)
        decision, rules = self._decision(union, on, command.reason or "Tờ trình đề nghị khen thưởng",
                                         command.evidence, command.number)
        nominations = [self.nomination(n) for n in submission.nomination_ids]
        for nomination in nominations:
            nomination.require_open()
        selected = self._selected(nominations, on)
        submission.require_ready(self._missing(submission, on) if receiver["level"]
                                 in rules["dossier_required_levels"] else None, selected)
        submission.submit(on=on, number=decision["number"],
                          meeting_ids=sorted(set(selected.values())), decision=decision)
        self.save(submission)
        return self.get_submission(commands.GetSubmission(submission.id))

    @handles(commands.ReturnSubmission)
    def return_submission(self, command: commands.ReturnSubmission) -> dict[str, Any]:
        """R4.4: the receiving body returns a submission for supplements, saying what to add;
        the proposer attaches it and submits again."""
        submission = self.submission(command.submission_id)
        on = self.past(command.returned_on, "returned_on")
        submission.require_returnable(on, command.missing)
        receiver = self.authority.active_union(submission.holder_on(on, "to_union"), on)  # R1.5
        decision, _ = self._decision(receiver, on, clean_reason(command.reason), command.evidence)
        submission.return_for_supplements(on=on, missing=list(command.missing), decision=decision)
        self.save(submission)
        return self.get_submission(commands.GetSubmission(submission.id))

    @handles(commands.GetSubmission)
    def get_submission(self, query: commands.GetSubmission) -> dict[str, Any]:
        """R4.4: one submission (tờ trình) to the union above, with its nominations and the
        dossier attached."""
        s = self.submission(query.submission_id)
        return {"submission_id": str(s.id), "union_id": str(s.union_id),
                "to_union_id": str(s.to_union_id), "year": s.year,
                "nomination_ids": s.nomination_ids, "status": str(s.status),
                "drafted_on": s.drafted_on.isoformat(), "documents": s.documents,
                "rounds": s.rounds, **_held(s)}

    def _on_submission(self, nomination: Nomination) -> Submission:
        """R4.3: an upward nomination is decided on a submission before the receiver (R1.5:
        the union that holds the receiving side now)."""
        for row in self.queries.submissions(to_union_id=nomination.holder_on(None, "to_union"),
                                            status=SubmissionStatus.SUBMITTED.value):
            submission = self.submission(row["submission_id"])
            if str(nomination.id) in submission.nomination_ids:
                return submission
        raise NotSubmitted("the nomination is not before this union on a submitted dossier",
                           {"nomination_id": str(nomination.id)})

    # --- reorganisation: nothing left behind (R1.5) ----------------------------------------

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """R1.5: when the registry merges, splits or dissolves a union, each open nomination
        (not decided, not withdrawn) and each dossier in progress (not decided) it proposes or
        receives is either taken over by the successor from the effective date
        (``CarriedOver``, naming the side: proposer, receiver or both) or closed with its
        reason (``Discontinued``), citing the registry's event. What was done before the date
        keeps the authority it was done under: ``holder_on`` judges each act (a selection
        vote, a submission, a return, a decision) by the union that held the side on its
        date.

        A merge hands everything to the successor. A dissolution names no successor: all is
        closed. A split closes them too: a nomination is one body's judgement of one
        collective or person within its own tree, and the new unions' bodies did not make
        it; each new union nominates again if it finds the subject worthy (its members'
        initiatives and reviews follow them in the other services, so the criteria are
        judged afresh)."""
        if not isinstance(domain_event, Envelope) or domain_event.source != "registry":
            return
        p, name = domain_event.payload, domain_event.name
        if name not in ("registry.union_merged", "registry.union_dissolved",
                        "registry.union_split"):
            return
        cause = {"source": "registry", "event": name, "event_id": domain_event.event_id,
                 "position": domain_event.notification_id}
        union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
        reason = {
            "registry.union_dissolved": f"Công đoàn giải thể từ ngày {_vn(on.isoformat())}, "
                                        f"không có đơn vị tiếp nhận",
            "registry.union_split": f"Công đoàn được chia, tách từ ngày {_vn(on.isoformat())}; "
                                    f"đơn vị mới xét, đề nghị lại nếu đủ tiêu chuẩn"}.get(name)
        for record, sides in self._held(processing_event, union):
            if name == "registry.union_merged":
                record.carry_over(sides=sides, from_union_id=union,
                                  to_union_id=UUID(p["successor_id"]), effective_on=on,
                                  cause=cause)
            else:
                record.discontinue(sides=sides, union_id=union, effective_on=on,
                                   reason=reason, cause=cause)
            processing_event.collect_events(record)

    @handles(commands.OpenItems)
    def open_items(self, query: commands.OpenItems) -> list[dict[str, Any]]:
        """R1.5: for a reorganisation plan's preview, what the unions' change on the date
        would do, as the policy does it when the registry's event comes: each open
        nomination and dossier in progress they propose or receive carried over to the
        successor of a merge, or closed with its reason. Stores nothing."""
        action, on, successor = query.action, query.on, query.successor_id
        require_change(query.union_ids, action, successor)
        reason = {Reorganisation.DISSOLVE: f"Công đoàn giải thể từ ngày {_vn(on.isoformat())}, "
                                           f"không có đơn vị tiếp nhận",
                  Reorganisation.SPLIT: f"Công đoàn được chia, tách từ ngày "
                                        f"{_vn(on.isoformat())}; đơn vị mới xét, đề nghị lại "
                                        f"nếu đủ tiêu chuẩn"}.get(action)
        try:
            titles = {f["code"]: f["title"] for f in self.rules.in_force(on)["forms"]}
        except NoRuleSetInForce:  # none in force on the date: the forms' codes will do
            titles = {}
        found = []
        for union in dict.fromkeys(query.union_ids):
            for record, _sides in self._held(SimpleNamespace(aggregates={}), union):
                if isinstance(record, Nomination):
                    kind, title = "nomination", (f"Đề nghị {titles.get(record.form, record.form)}"
                                                 f" cho {record.subject_name}, năm {record.year}")
                else:
                    kind, title = "submission", (f"Hồ sơ đề nghị khen thưởng năm {record.year} "
                                                 f"({len(record.nomination_ids)} đề nghị)")
                found.append(open_item(union, kind, record.id, title, str(record.year), on,
                                       successor, CARRIED if successor else CLOSED, reason))
        return found

    def _held(self, processing_event: Any, union_id: UUID) -> list[tuple[Any, list[str]]]:
        """The open nominations and dossiers the union proposes or receives now, as the events
        being processed left them, with the sides it holds."""
        key = str(union_id)
        with self.engine.connect() as c:
            ids = set(c.execute(sa.select(NOMINATIONS.c.nomination_id).where(
                sa.or_(NOMINATIONS.c.union_id == key, NOMINATIONS.c.to_union_id == key),
                NOMINATIONS.c.status == "nominated")).scalars())
            ids |= set(c.execute(sa.select(SUBMISSIONS.c.submission_id).where(
                sa.or_(SUBMISSIONS.c.union_id == key, SUBMISSIONS.c.to_union_id == key),
                SUBMISSIONS.c.status.in_([s.value for s in SubmissionStatus
                                          if s != SubmissionStatus.DECIDED]))).scalars())
        found: list[tuple[Any, list[str]]] = []
        for record_id in sorted({UUID(i) for i in ids} | {
                k for k, a in processing_event.aggregates.items() if isinstance(a, Held)}, key=str):
            record = self.aggregate_in(processing_event, record_id)
            if not isinstance(record, Held) or not record.is_open:  # type: ignore[attr-defined]
                continue
            sides = record.sides_held_by(union_id)
            if sides:
                found.append((record, sides))
        return found

    # --- decisions (R4.3, R4.5) -------------------------------------------------------------

    @handles(commands.DecideAward)
    def decide_award(self, command: commands.DecideAward) -> dict[str, Any]:
        """R4.5: the body entitled to the form (R4.3), as of the decision's date, confers it
        on nominees before it, each for the achievement nominated, once; the decision stores
        its number, date, signer, awardees, authority, reason, evidence and rule set."""
        uid, on, code = command.union_id, self.past(command.decided_on, "decided_on"), command.number
        listed = _ids(command.nomination_ids, "nomination_ids")
        if not listed:
            raise InvalidInput("a decision names at least one nominee", {"field": "nomination_ids"})
        union = self.authority.active_union(uid, on)
        rules = self.rules.in_force(on)
        chosen = form_in(rules["forms"], command.form, rules.version)
        require_confers(union, chosen)
        seat = self._seat(union, on, rules)
        signer = self._signer(command.signer_id, seat, on)
        award_id = Award.create_id(uid, code)
        if award_id in self.repository:
            raise Award.number_taken(union, code)
        nominations = [self.nomination(n) for n in listed]
        year = Award.year_of(nominations)
        awardees: list[dict[str, Any]] = []
        achievements: list[Achievement] = []
        submissions: dict[UUID, Submission] = {}
        for nomination in nominations:
            awardee, submission = self._awardee(nomination, union, chosen, rules, on)
            awardees.append(awardee)
            if submission is not None:
                submissions[submission.id] = submission
            Achievement.require_once(awardee, achievements, self.find(
                Achievement.create_id(awardee["achievement_key"]), Achievement))
            achievements.append(Achievement(awardee["achievement_key"], award_id, chosen["code"]))
        decision = decision_record({**seat, "signer": signer}, on, command.reason, rules,
                                   command.evidence, code)
        award = Award(uid, year, chosen, code, on, signer, awardees,
                      next(iter(submissions), None), decision)
        for nomination in nominations:
            nomination.awarded(award_id=award_id)
        for submission in submissions.values():
            if all(n in listed or self.nomination(n).award_id for n in submission.nomination_ids):
                submission.close(award_id=award_id)
        try:
            self.save(award, *nominations, *achievements, *submissions.values())
        except IntegrityError:
            # Another decision was saved first (another request, another instance): the ids
            # derived from the number and the achievements collide, and nothing of this one
            # is stored. Say which.
            if award_id in self.repository:
                raise Award.number_taken(union, code) from None
            raise AlreadyRewarded("an achievement of this decision was rewarded meanwhile",
                                  {"nomination_ids": listed}) from None
        return self.get_award(commands.GetAward(award_id))

    def _signer(self, signer_id: UUID | None, seat: Mapping[str, Any], on: date) -> dict[str, Any]:
        """The person who signs for the body: a member of it in office on the date."""
        person_id = str(signer_id) if signer_id else acting_user()
        body = self.authority.body_in_office(UUID(seat["union_id"]), BodyKind(seat["kind"]), on)
        position = signer_position(body, person_id)
        person = self.authority.person(UUID(person_id), on)
        return {"person_id": person_id, "name": person["full_name"] if person else person_id,
                "position": position}

    def _awardee(self, nomination: Nomination, union: Mapping[str, Any], form: Mapping[str, Any],
                 rules: RuleSet, on: date) -> tuple[dict[str, Any], Submission | None]:
        nomination.require_decidable(union, form, on, rules["on_submission_levels"])
        submission = self._on_submission(nomination) if nomination.upward else None
        subject, nomination_id = Subject(nomination.subject), str(nomination.id)
        who = self._within(union, subject, nomination.subject_id, on, itself=False)
        evaluation = self._eligible(subject, nomination.subject_id, nomination.year, on, rules,
                                    form, nomination.initiative_ids or None)
        key = achievement_key(subject, nomination.subject_id, nomination.year,
                              reach_of(form, rules.values), nomination.initiative_ids)
        return ({"subject": subject.value, "subject_id": str(nomination.subject_id),
                 "name": who["name"], "unit": who["unit"], "achievement": nomination.achievement,
                 "initiative_ids": nomination.initiative_ids, "nomination_id": nomination_id,
                 "achievement_key": key, "relies_on": nomination.relies_on,
                 "evidence": [e for c in evaluation["criteria"] for e in c["evidence"]]},
                submission)

    def award(self, award_id: UUID) -> Award:
        found = self.find(award_id, Award)
        if found is None:
            raise AwardNotFound("no such award", {"award_id": str(award_id)})
        return found

    @handles(commands.GetAward)
    def get_award(self, query: commands.GetAward) -> dict[str, Any]:
        """R4.5: one award decision as recorded: form, number, date, the body that decided, its
        awardees, reasons and rule version."""
        a = self.award(query.award_id)
        return {"award_id": str(a.id), "union_id": str(a.union_id), "year": a.year,
                "form": a.form, "number": a.number, "decided_on": a.decided_on.isoformat(),
                "signer": a.signer, "submission_id": str(a.submission_id) if a.submission_id else None,
                "awardees": [{**x, "status": str(a.status_of(x["subject_id"]))} for x in a.awardees],
                "decision": a.decision, "revocations": a.revocations}

    # --- revocation -------------------------------------------------------------------------

    @handles(commands.RevokeAward)
    def revoke_award(self, command: commands.RevokeAward) -> dict[str, Any]:
        """An award obtained by false declaration, forged documents, an unlawful procedure or
        without meeting the standards is revoked by the body that conferred it or one above
        it, with what is to be recovered; the awards in force that relied on it are listed
        (Law 06/2022/QH15; R4.5)."""
        award, on = self.award(command.award_id), self.past(command.revoked_on, "revoked_on")
        awardee = award.awardee(str(command.subject_id) if command.subject_id else None)
        award.check_revocation(awardee["subject_id"], on)
        rules = self.rules.in_force(on)
        ground = command.ground
        stated = ground_in(rules["revocation_grounds"], ground)
        recovered = clean_recovery(command.recovery)
        decider = self._revoker(award, on, rules)
        decision = decision_record(self._seat(decider, on, rules), on, command.reason, rules,
                                   command.evidence, command.number)
        dependents = [{"award_id": d["award_id"], "number": d["number"], "form": d["form"],
                       "union_id": d["union_id"], "decided_on": d["decided_on"]}
                      for d in self.queries.relying_on(award.id, awardee["subject_id"])]
        award.revoke(subject_id=awardee["subject_id"], ground=ground, recovery=recovered,
                     dependents=dependents, decision=decision)
        achievement: Achievement = self.repository.get(Achievement.create_id(awardee["achievement_key"]))
        achievement.revoke(award_id=award.id)
        self.save(award, achievement)
        return {"award_id": str(award.id), "subject_id": awardee["subject_id"], "ground": ground,
                "ground_title": stated["title"], "recovery": recovered,
                "dependents": dependents, "decision": decision}

    def _revoker(self, award: Award, on: date, rules: RuleSet) -> dict[str, Any]:
        """The union that conferred the award, or the one above it whose body the actor sits
        on (a superior revokes what was wrongly given below it)."""
        union = self.authority.active_union(award.union_id, on)
        chain = [union] + (self.authority.ancestors(award.union_id, on) or [])
        for candidate in (u for u in chain if u["level"] in rules["deciding_bodies"]):
            try:
                self._seat(candidate, on, rules)
            except Forbidden:  # not on this body: try the one above
                continue
            return candidate
        self._seat(union, on, rules)  # raises NO_AUTHORITY naming the conferring body
        return union

    # --- lists and documents ----------------------------------------------------------------

    @handles(commands.Awards)
    def awards(self, query: commands.Awards) -> list[dict[str, Any]]:
        """R4.3, R4.5: a union's award decisions, of a year, a subject or a status if asked
        (decided, revoked)."""
        return self.queries.awards(query.union_id,
                                   _year(query.year) if query.year is not None else None,
                                   query.subject_id, query.status)

    @handles(commands.Nominations)
    def nominations(self, query: commands.Nominations) -> list[dict[str, Any]]:
        """R4.3: nominations made by a union or sent to one, of a year and status if asked."""
        return self.queries.nominations(query.union_id, query.to_union_id,
                                        _year(query.year) if query.year is not None else None,
                                        query.status)

    @handles(commands.Submissions)
    def submissions(self, query: commands.Submissions) -> list[dict[str, Any]]:
        """R4.4: the submissions sent to a union, or by one, of a status if asked."""
        return self.queries.submissions(query.to_union_id, query.union_id, query.status)

    @handles(commands.Forms)
    def forms(self, query: commands.Forms) -> dict[str, Any]:
        """The catalogue of forms in force on a date (R4.3), with the rule set's version."""
        rules = self.rules.in_force(self.as_of(query.as_of))
        return {"rule_set": rules.ref(), "basis": list(rules.basis),
                "reading": list(rules.values.get("reading", ())), "forms": rules["forms"],
                "criteria": rules["criteria"], "revocation_grounds": rules["revocation_grounds"]}

    def _issuer(self, union_id: UUID, on: date) -> dict[str, Any]:
        union = self.authority.union(union_id, on) or {"name": "", "parent_id": None}
        parent = self.authority.union(UUID(union["parent_id"]), on) if union.get("parent_id") else None
        return {"parent_name": parent["name"] if parent else None, "name": union["name"]}

    def _place(self, union_id: UUID, on: date) -> str:
        """The place name the union's documents carry: the district or province its registry
        name, or the nearest name above it, is of ("Liên đoàn Lao động huyện Càng Long" →
        "Càng Long"); the registry keeps no address of a union."""
        union = self.authority.union(union_id, on)
        if union and union["level"] == CONFEDERATION:
            return CONFEDERATION_SEAT
        above = self.authority.ancestors(union_id, on) or []
        return place_of([u["name"] for u in ([union] if union else []) + above])

    def _file(self, stem: str, data: Mapping[str, Any], fmt: commands.DocumentFormat,
              pdf: Render, docx: Render | None, decided: Award | None = None) -> dict[str, Any]:
        """The document as the render queries answer it: name, media type, digest, bytes.
        The PDF of a decision (``decided``: the decision itself, its list, its certificates)
        carries its verification code and is signed with the deciding union's key (R4.5);
        the DOCX is a draft for an office that edits, unsigned."""
        if fmt == commands.DocumentFormat.DOCX and docx is not None:
            content, media = docx(data), documents.DOCX_MEDIA_TYPE
        elif decided is not None:
            union = self.authority.union(decided.union_id, decided.decided_on)
            content = self.signed_decision(
                pdf, data, record_id=decided.id, version=1, union_id=decided.union_id,
                union_name=union["name"] if union else str(decided.union_id),
                place=self._place(decided.union_id, decided.decided_on))
            media = documents.PDF_MEDIA_TYPE
        else:
            content, media = pdf(data), documents.PDF_MEDIA_TYPE
        return {"filename": f"{stem}.{fmt.value}", "media_type": media,
                "sha256": Document.digest(content),
                "content_base64": base64.b64encode(content).decode("ascii")}

    @handles(commands.RenderSubmissionLetter)
    def render_submission_letter(self, query: commands.RenderSubmissionLetter) -> dict[str, Any]:
        """R4.4 (1): the submission letter with the list, as a PDF (or DOCX) the office signs."""
        s = self.submission(query.submission_id)
        on = s.last_on
        receiver = self.authority.union(s.holder_on(on, "to_union"), on)
        nominations = [self.nomination(n) for n in s.nomination_ids]
        rules = self.rules.in_force(on)
        titles = {f["code"]: f["title"] for f in rules["forms"]}
        rows = []
        for n in nominations:
            recognised = [self.criteria.recognition(i, on) for i in n.initiative_ids]
            rows.append({"kind": n.subject, "name": n.subject_name,
                         "unit": self._unit(n, on), "form_title": titles.get(n.form, n.form),
                         "achievement": n.achievement,
                         "recognition": "; ".join(
                             f"Quyết định số {r['number']} ngày {_vn(r['decided_on'])}"
                             for r in recognised if r) or None})
        union = self.authority.union(s.holder_on(on), on)
        signer = self._signature(union, query.signer_id, on, rules)
        last_number = s.rounds[-1]["number"] if s.rounds else None
        to_name = receiver["name"] if receiver else ""
        collectives = sum(1 for n in nominations if n.subject == "collective")
        individuals = len(nominations) - collectives
        data = {
            "issuer": self._issuer(s.holder_on(on), on), "number": last_number,
            "number_suffix": "TTr-CĐ", "place": self._place(s.holder_on(on), on),
            "date": s.rounds[-1]["submitted_on"] if s.rounds else None, "year": s.year,
            "recipient": f"{_standing(receiver)} {to_name}",
            "subject": f"Về việc đề nghị khen thưởng phong trào thi đua “Đổi mới, sáng tạo, "
                       f"hiệu quả” năm {s.year}",
            "body": [f"Căn cứ kết quả thực hiện phong trào thi đua “Đổi mới, sáng tạo, hiệu "
                     f"quả trong hoạt động Công đoàn” năm {s.year}; căn cứ kết quả bình xét "
                     f"của {union['name'] if union else ''},",
                     f"{union['name'] if union else ''} kính đề nghị {to_name} xem xét, khen "
                     f"thưởng cho {counted([(collectives, 'tập thể'), (individuals, 'cá nhân')])}"
                     f" có thành tích xuất sắc như sau:"],
            "nominees": rows,
            "attachments": [d["title"] or d["filename"] for d in s.documents
                            if d["kind"] != DocumentKind.SUBMISSION_LETTER.value],
            "signer": signer, "recipients": ["Như trên;", "Lưu: VT."]}
        return self._file(f"to-trinh-{s.year}", data, query.format,
                          documents.submission_letter_pdf, documents.submission_letter)

    def _unit(self, nomination: Nomination, on: date) -> str:
        if nomination.subject == Subject.COLLECTIVE:
            return nomination.subject_name
        person = self.authority.person(nomination.subject_id, on)
        unit = self.authority.union(UUID(person["union_id"]), on) if person and person["union_id"] else None
        return unit["name"] if unit else ""

    def _signature(self, union: Mapping[str, Any] | None, signer_id: UUID | None, on: date,
                   rules: RuleSet) -> dict[str, Any]:
        kind = rules["deciding_bodies"][union["level"]] if union else "executive_committee"
        on_behalf = "TM. Ban Chấp hành" if kind == "executive_committee" else f"TM. {_standing(union)}"
        person = self.authority.person(signer_id, on) if signer_id else None
        return {"name": person["full_name"] if person else "", "position": "Chủ tịch",
                "on_behalf": on_behalf}

    @handles(commands.RenderDecision)
    def render_decision(self, query: commands.RenderDecision) -> dict[str, Any]:
        """R4.5: the award decision, as a PDF (or DOCX) in administrative form."""
        a = self.award(query.award_id)
        return self._file(f"quyet-dinh-{a.number.replace('/', '-')}", self._decision_data(a),
                          query.format, documents.award_decision_pdf, documents.award_decision,
                          decided=a)

    def _decision_data(self, a: Award) -> dict[str, Any]:
        union = self.authority.union(a.union_id, a.decided_on)
        name = union["name"] if union else ""
        proposal = None
        if a.submission_id:
            s = self.submission(a.submission_id)
            proposer = self.authority.union(s.union_id, a.decided_on)
            last = s.rounds[-1] if s.rounds else {}
            proposal = (f"Xét đề nghị của {proposer['name'] if proposer else ''} tại Tờ trình số "
                        f"{last.get('number') or '…'} ngày {_vn(last.get('submitted_on'))},")
        position = {"chairman": "Chủ tịch", "vice_chairman": "Phó Chủ tịch"}.get(
            a.signer["position"], a.signer["position"])
        return {
            "issuer": self._issuer(a.union_id, a.decided_on), "number": a.number,
            "number_suffix": "QĐ-CĐ", "place": self._place(a.union_id, a.decided_on),
            "date": a.decided_on.isoformat(), "year": a.year, "form_title": a.form["title"],
            "subject": f"Về việc tặng {a.form['title']}",
            "deciding_body": (("Ban Chấp hành" if a.decision["authority"]["kind"] ==
                               "executive_committee" else _standing(union)) + " " + name).upper(),
            "legal_basis": [f"Căn cứ {basis};" for basis in _basis_of(
                self.rules.version(a.decision["rule_set"]["version"]), a.form["level"])],
            "proposal": proposal,
            "awardees": [{"kind": x["subject"], "name": x["name"], "unit": x["unit"],
                          "achievement": x["achievement"]} for x in a.awardees],
            "article_2": "Kèm theo quyết định là hiện vật và tiền thưởng theo quy định.",
            "article_3": "Các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
                         "Quyết định này.",
            "signer": {"name": a.signer["name"], "position": position,
                       "on_behalf": "TM. Ban Chấp hành" if a.decision["authority"]["kind"] ==
                       "executive_committee" else f"TM. {_standing(union)}"},
            "recipients": ["Như Điều 3;", "Lưu: VT."]}

    @handles(commands.RenderAwardList)
    def render_award_list(self, query: commands.RenderAwardList) -> dict[str, Any]:
        """R4.5: the list of awardees attached to a decision, as a PDF (or DOCX)."""
        a = self.award(query.award_id)
        union = self.authority.union(a.union_id, a.decided_on)
        data = {
            "issuer": self._issuer(a.union_id, a.decided_on), "number": None,
            "number_suffix": "DS", "place": "", "date": a.decided_on.isoformat(), "year": a.year,
            "title": f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG {a.form['title'].upper()}",
            "reference": f"(Kèm theo Quyết định số {a.number} ngày {_vn(a.decided_on.isoformat())}"
                         f" của {union['name'] if union else ''})",
            "rows": [{"kind": x["subject"], "name": x["name"], "unit": x["unit"],
                      "achievement": x["achievement"]} for x in a.awardees]}
        return self._file(f"danh-sach-{a.number.replace('/', '-')}", data, query.format,
                          documents.award_list_pdf, documents.award_list, decided=a)

    @handles(commands.RenderMinutesExtract)
    def render_minutes_extract(self, query: commands.RenderMinutesExtract) -> dict[str, Any]:
        """R4.4 (3): the extract of a selection meeting's minutes and its results, as PDF, for
        the dossier: who attended of the body's members, the votes on each nomination and
        whether it was selected; the chair is the body's chairman on the day (the secretary is
        written in by hand)."""
        meeting = self.find(query.meeting_id, SelectionMeeting)
        if meeting is None:
            raise MeetingNotFound(f"no selection meeting {query.meeting_id}",
                                  {"meeting_id": str(query.meeting_id)})
        on = meeting.held_on
        body = next((b for b in self.authority.bodies(meeting.union_id, on)
                     if b["id"] == str(meeting.body_id)), None)
        chair = next((m["full_name"] for position in ("chairman", "vice_chairman")
                      for m in (body["members"] if body else []) if m["position"] == position), "")
        rules = self.rules.in_force(on)
        titles = {f["code"]: f["title"] for f in rules["forms"]}
        nominations = [self.nomination(n) for n in meeting.votes]
        year = max((n.year for n in nominations), default=on.year - 1)
        body_name = _body_name(body["kind"] if body else "", self.authority.union(meeting.union_id, on))
        rows = [{"kind": n.subject, "name": n.subject_name, "form_title": titles.get(n.form, n.form),
                 **{k: meeting.votes[str(n.id)].get(k, 0) for k in ("for", "against", "abstain")},
                 "selected": meeting.selected(n.id)} for n in nominations]
        data = {"issuer": self._issuer(meeting.union_id, on), "number_suffix": "TrBB",
                "place": self._place(meeting.union_id, on), "date": on.isoformat(), "year": year,
                "subject": f"Họp {body_name} bình xét khen thưởng phong trào thi đua “Đổi mới, "
                           f"sáng tạo, hiệu quả” năm {year}",
                "body": body_name, "members": len(meeting.members),
                "attended": len(meeting.attendees), "chair": chair, "minutes": meeting.minutes,
                "rows": rows}
        return self._file(f"trich-bien-ban-{on.isoformat()}", data, commands.DocumentFormat.PDF,
                          documents.minutes_extract_pdf, None)

    @handles(commands.RenderCertificates)
    def render_certificates(self, query: commands.RenderCertificates) -> dict[str, Any]:
        """R4.5: the awardees' certificates, one page each, as a PDF to print on certificate paper:
        the kind the form names (Giấy khen, Bằng khen), conferred in the name of the body
        its title names, signed as the decision is."""
        a = self.award(query.award_id)
        data = self._decision_data(a)
        union = self.authority.union(a.union_id, a.decided_on)
        kind, _, by = a.form["title"].partition(" của ")
        body = _standing(union) if by.startswith("Ban Thường vụ") else "Ban Chấp hành"
        data |= {"kind": "Giấy biểu dương" if kind == "Biểu dương" else kind,
                 "conferred_by": f"{body} {union['name'] if union else ''}"}
        return self._file(f"giay-chung-nhan-{a.number.replace('/', '-')}", data,
                          commands.DocumentFormat.PDF, documents.certificates_pdf, None,
                          decided=a)


def _held(record: Held) -> dict[str, Any]:
    """R1.5: who holds the record now, every hand-over, and its closing if it was closed."""
    return {"held_by": str(record.holder_on()), "to_held_by": str(record.holder_on(None, "to_union")),
            "handovers": list(record.handovers), "closed": record.closed}


def _body_name(kind: str, union: Mapping[str, Any] | None) -> str:
    """"Ban Chấp hành Công đoàn cơ sở …", "Ban Thường vụ Liên đoàn Lao động huyện …"."""
    body = _standing(union) if kind == "standing_committee" else "Ban Chấp hành"
    return f"{body} {union['name']}" if union else body


CONFEDERATION = "confederation"
# Where the Confederation's documents are dated (its seat; the registry keeps no address).
CONFEDERATION_SEAT = "Hà Nội"


def _standing(union: Mapping[str, Any] | None) -> str:
    """What a union's standing committee is called on its papers: the Confederation's is
    its Presidium (Đoàn Chủ tịch Tổng Liên đoàn), every other one a Ban Thường vụ."""
    return "Đoàn Chủ tịch" if union and union.get("level") == CONFEDERATION else "Ban Thường vụ"


def _basis_of(rules: RuleSet, level: str) -> list[str]:
    """The texts a decision of the level cites: the version's own, unless it names fewer for
    the level (the Confederation does not decide under a province's guide)."""
    return list(rules.values.get("basis_by_level", {}).get(level, rules.basis))


def _vn(day: str | None) -> str:
    """A date as Vietnamese documents write it: 20/11/2025."""
    if not day:
        return "…"
    parsed = parse_date(day, "date")
    return f"{parsed.day:02d}/{parsed.month:02d}/{parsed.year}"


APPLICATION = Awards
