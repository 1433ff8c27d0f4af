"""Initiatives commands and queries (R3.1–R3.8).

Every decision is judged by the registry's facts as of its own date (``Authority``, kept from
the registry's published events): the actor must sit, on that date, on the body that may
decide, and the union must be active then. Each decision event stores its
``decision_record``: the authority (body and seat), the date, the reason, the evidence, the
decision's number and the version of the initiative rules in force (Decree 13/2012 as
restated in ``contracts/rules/initiatives.json``). Every command checks everything before it
saves, and saves every aggregate it changes in one transaction: a refused command changes
nothing.
"""

from __future__ import annotations

import base64
import calendar
import csv
import hashlib
import io
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from contracts.registry import BodyKind, Level, NoAuthority
from contracts.registry.facts import Authority, RegistryFacts
from contracts.registry.known import KnownUnions
from contracts.reorganisation import CARRIED, CLOSED, Reorganisation, open_item, require_change
from runtime.commands import handles
from runtime.context import acting_user
from runtime.contracts import Envelope
from runtime.documents import PDF_MEDIA_TYPE, place_of
from runtime.errors import InvalidInput, NotFound
from runtime.paging import Page, page
from runtime.publication import Publication
from runtime.rules import RuleBook, RuleSet, clean_reason, decision_record
from runtime.store import ServiceApplication
from runtime.text import not_before, parse_choice, parse_page, parse_uuid, search_terms
from services.initiatives import commands, documents
from services.initiatives.domain import (
    AlreadyAdopted,
    CouncilInvalid,
    Held,
    Idea,
    IdeaStatus,
    Initiative,
    InitiativeExists,
    NotRecognised,
    OwnInitiative,
    RegistrationForm,
    Replication,
    Scope,
    Status,
    Vote,
    clean_authors,
    clean_form_fields,
    fill,
    vnd,
)
from services.initiatives.public import PublicRegister
from services.initiatives.published import RULES
from services.initiatives.readmodel import BOOK_COLUMNS, InitiativesQueries, InitiativesReadModel
from services.initiatives.trail import TRAIL


class InitiativeNotFound(NotFound):
    code = "INITIATIVE_NOT_FOUND"


class IdeaNotFound(NotFound):
    code = "IDEA_NOT_FOUND"


class ReplicationNotFound(NotFound):
    code = "REPLICATION_NOT_FOUND"


class NotAnAuthor(NoAuthority):
    """Only an author, or the executive committee, registers an initiative."""

    code = "NOT_AN_AUTHOR"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Initiatives(PublicRegister, KnownUnions, ServiceApplication):
    service = "initiatives"
    trail = TRAIL
    read_model_class = InitiativesReadModel
    upstream_views = (RegistryFacts,)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = Authority(self.engine, self.service)
        self.queries = InitiativesQueries(self.engine)
        self.rules = RuleBook.load("initiatives")

    def construct_publication(self) -> Publication:
        return Publication(self.service, RULES, self.catalog)

    # --- who acts -------------------------------------------------------------------------

    def _seat(self, union_id: UUID, kind: BodyKind, on: date) -> dict[str, Any]:
        return self.authority.seat(acting_user(), union_id, kind, on)

    def _committee_decision(self, initiative: Initiative, day: date, reason: object,
                            evidence: object = None, number: object = None,
                            ) -> tuple[dict[str, Any], RuleSet]:
        """A decision of the initiative's own executive committee (R3.4): the union active and
        the actor on the committee in office on the date; R1.5: the union that held the
        initiative on that date (its own, or the successor that took it over)."""
        holder = initiative.holder_on(day)
        self.authority.active_union(holder, day)
        initiative.require_not_closed(day)
        seat = self._seat(holder, BodyKind.EXECUTIVE_COMMITTEE, day)
        return self._decision(seat, day, reason, evidence, number)

    def _decision(self, seat: Mapping[str, Any], on: date, reason: object, evidence: object = None,
                  number: object = None) -> tuple[dict[str, Any], RuleSet]:
        rules = self.rules.in_force(on)
        return decision_record(seat, on, reason, rules, evidence, number), rules

    # --- ideas (R3.1) ---------------------------------------------------------------------

    @handles(commands.RaiseIdea)
    def raise_idea(self, command: commands.RaiseIdea) -> str:
        """R3.1: a member or official raises an idea in their grassroots union."""
        union, author, on = command.union_id, command.author_id, command.raised_on
        self.authority.grassroots_union(union, on)
        self.authority.member(author, union, on)
        idea = Idea(union_id=union, author_id=author, title=command.title,
                    description=command.description, raised_on=on)
        self.save(idea)
        return str(idea.id)

    @handles(commands.CoachIdea)
    def coach_idea(self, command: commands.CoachIdea) -> None:
        """R1.4, R3.1: a member of the union's idea incubation team comments and coaches."""
        idea, day = self.idea(command.idea_id), command.on
        idea.require_open()
        not_before(day, idea.raised_on, "coaching")
        idea.require_not_closed(day)
        seat = self._seat(idea.holder_on(day), BodyKind.IDEA_INCUBATION_TEAM, day)
        idea.coach(by=acting_user(), team_id=UUID(seat["body_id"]), text=command.text, on=day)
        self.save(idea)

    @handles(commands.WithdrawIdea)
    def withdraw_idea(self, command: commands.WithdrawIdea) -> None:
        """R3.1: the author withdraws their own idea while it is still open; only its author
        may."""
        idea, day = self.idea(command.idea_id), command.on
        idea.require_open()
        not_before(day, idea.raised_on, "the withdrawal")
        if acting_user() != str(idea.author_id):
            self._seat(idea.holder_on(day), BodyKind.IDEA_INCUBATION_TEAM, day)
        idea.withdraw(reason=clean_reason(command.reason), on=day)
        self.save(idea)

    @handles(commands.GetIdea)
    def get_idea(self, query: commands.GetIdea) -> dict[str, Any]:
        """R3.1: one idea: its author, union, text, date raised and where it stands."""
        idea = self.idea(query.idea_id)
        return {"id": str(idea.id), "union_id": str(idea.union_id), "author_id": str(idea.author_id),
                "title": idea.title, "description": idea.description,
                "raised_on": idea.raised_on.isoformat(), "status": str(idea.status),
                "comments": idea.comments, **_holding(idea),
                "initiative_id": str(idea.initiative_id) if idea.initiative_id else None}

    # --- registration forms (R3.2) --------------------------------------------------------

    def form(self, union_id: UUID) -> RegistrationForm:
        try:
            form: RegistrationForm = self.repository.get(RegistrationForm.create_id(union_id))
        except AggregateNotFoundError:
            form = RegistrationForm(union_id=union_id)
        return form

    @handles(commands.DesignForm)
    def design_form(self, command: commands.DesignForm) -> int:
        """R3.2: the grassroots executive committee designs its own form; a new version."""
        union, on = command.union_id, command.effective_on
        self.authority.grassroots_union(union, on)
        decision, _ = self._decision(self._seat(union, BodyKind.EXECUTIVE_COMMITTEE, on), on,
                                     command.reason, number=command.number)
        form = self.form(union)
        last = form.versions[-1]["effective_on"]
        not_before(on, date.fromisoformat(last) if last else None, "a new form version")
        form.design(fields=clean_form_fields(command.fields), effective_on=on, decision=decision)
        self.save(form)
        return len(form.versions)

    @handles(commands.GetForm)
    def get_form(self, query: commands.GetForm) -> dict[str, Any]:
        """R3.2: a union's registration form (the fields it asks beyond the law's), as in force
        on a date or at a version."""
        form = self.form(query.union_id)
        return {"union_id": str(query.union_id), "latest": len(form.versions),
                **form.form_version(query.version, self.as_of(query.as_of))}

    # --- registration (R3.2, R3.3) --------------------------------------------------------

    @handles(commands.Register)
    def register(self, command: commands.Register) -> str:
        """R3.2: registered with the executive committee of the authors' grassroots union,
        on the union's form (the version given, or the one in force), authors with shares
        adding up to 100 who are members of the union on the date. R3.3: whether each author
        is an official and full-time is taken from the registry, as of the date."""
        union, on, reference = command.union_id, command.registered_on, command.reference
        self.authority.grassroots_union(union, on)
        receiving = self.authority.body_in_office(union, BodyKind.EXECUTIVE_COMMITTEE, on)
        form = self.form(union)
        version = form.form_version(command.form_version, on)
        values = fill(version["fields"], command.fields)
        listed = []
        for person, share in clean_authors(command.authors):
            member = self.authority.member(person, union, on)
            listed.append({"person_id": str(person), "full_name": member["full_name"],
                           "share": str(share), "is_official": member["is_official"],
                           "is_full_time": member["is_full_time"]})
        actor = acting_user()
        if actor not in {a["person_id"] for a in listed}:
            try:
                self._seat(union, BodyKind.EXECUTIVE_COMMITTEE, on)
            except NoAuthority:
                raise NotAnAuthor("an initiative is registered by one of its authors or by the "
                                  "union's executive committee", {"actor": actor}) from None
        idea = self.idea(command.idea_id) if command.idea_id else None
        if idea is not None:
            idea.require_open()
            if idea.holder_on(on) != union:
                raise InvalidInput("the idea was raised in another union", {"field": "idea_id"})
        initiative_id = Initiative.create_id(union, reference)
        if self._exists(initiative_id):
            raise InitiativeExists(f"the union's book already has {reference}",
                                   {"reference": reference})
        rules = self.rules.in_force(on)
        initiative = Initiative(
            union_id=union, reference=reference, kind=command.kind.value,
            form_version=version["version"], fields=values, authors=listed, registered_on=on,
            idea_id=idea.id if idea else None, rule_set=rules.ref(),
            decide_by=add_months(on, rules["decision_deadline_months"]),
            received_by=UUID(receiving["id"]))
        if idea is not None:
            idea.develop(initiative_id=initiative.id, on=on)
            self.save(initiative, idea)
        else:
            self.save(initiative)
        return str(initiative.id)

    # --- evaluation and recognition (R3.4, R3.7) ------------------------------------------

    @handles(commands.ConstituteCouncil)
    def constitute_council(self, command: commands.ConstituteCouncil) -> None:
        """R3.7: the executive committee constitutes an evaluation council; a member of the
        union's executive committee sits on it as the union's representative."""
        initiative, day = self.initiative(command.initiative_id), command.on
        initiative.check_council(day)
        decision, rules = self._committee_decision(initiative, day, command.reason,
                                                   number=command.number)
        people = command.members
        if len(set(people)) != len(people):
            raise CouncilInvalid("members must be a list of different people", {"field": "members"})
        if len(people) < rules["council_min_members"]:
            raise CouncilInvalid(f"a council has at least {rules['council_min_members']} members",
                                 {"members": len(people)})
        committee = self.authority.body_in_office(initiative.holder_on(day),
                                                  BodyKind.EXECUTIVE_COMMITTEE, day)
        on_committee = {m["person_id"] for m in committee["members"]}
        listed = []
        for person in people:
            record = self.authority.person(person, day)
            if record is None:
                raise CouncilInvalid(f"no person {person} is known", {"person_id": str(person)})
            listed.append({"person_id": str(person), "full_name": record["full_name"],
                           "union_representative": str(person) in on_committee})
        if rules["union_representative_required"] and \
                not any(m["union_representative"] for m in listed):
            raise CouncilInvalid("the council needs a representative of the union (a member of "
                                 "its executive committee)", {"field": "members"})
        initiative.constitute_council(members=listed, on=day, decision=decision)
        self.save(initiative)

    @handles(commands.RecordEvaluation)
    def record_evaluation(self, command: commands.RecordEvaluation) -> dict[str, Any]:
        """R3.7: each member's score per criterion of the rules in force, and the vote."""
        initiative, day = self.initiative(command.initiative_id), command.on
        scores, votes = command.scores, command.votes
        if not isinstance(scores, Mapping) or not isinstance(votes, Mapping):
            raise InvalidInput("scores and votes are objects keyed by council member",
                               {"field": "scores"})
        rules = self.rules.in_force(day)
        criteria = rules["criteria"]
        initiative.check_evaluation(day, scores, votes, criteria)
        if initiative.council and acting_user() not in initiative.council.member_ids:
            raise NoAuthority("only a member of the evaluation council records its evaluation",
                              {"actor": acting_user()})
        cast_votes = {str(k): parse_choice(Vote, v, "vote").value for k, v in votes.items()}
        averages = {c["code"]: round(sum(s[c["code"]] for s in scores.values()) / len(scores), 2)
                    if scores else 0.0 for c in criteria}
        initiative.evaluate(on=day, scores={str(k): dict(v) for k, v in scores.items()},
                            votes=cast_votes, averages=averages,
                            minutes=command.minutes)
        self.save(initiative)
        return initiative.evaluation.to_dict() if initiative.evaluation else {}

    @handles(commands.AcceptTopic)
    def accept_topic(self, command: commands.AcceptTopic) -> None:
        """R3.7: a topic's results are accepted (nghiệm thu) by the executive committee."""
        initiative, day = self.initiative(command.initiative_id), command.on
        initiative.check_acceptance(day)
        decision, _ = self._committee_decision(initiative, day, command.reason,
                                               number=command.number)
        initiative.accept_topic(on=day, result=command.result, decision=decision)
        self.save(initiative)

    @handles(commands.Recognise)
    def recognise(self, command: commands.Recognise) -> dict[str, Any]:
        """R3.4: only the executive committee of the initiative's union, in office on the
        decision's date, recognises at grassroots level; R3.7: two thirds of the council."""
        initiative, day = self.initiative(command.initiative_id), command.decided_on
        holder = initiative.holder_on(day)  # R1.5: the union that held it on the date
        self.authority.active_union(holder, day)
        initiative.require_not_closed(day)
        seat = self._seat(holder, BodyKind.EXECUTIVE_COMMITTEE, day)
        rules = self.rules.in_force(day)
        vote = initiative.check_recognition(day, rules["majority"], rules["criteria"])
        decision = decision_record({**seat, "vote": vote}, day, command.reason, rules,
                                   command.evidence, command.number)
        initiative.recognise(decision=decision)
        self.save(initiative)
        return decision

    @handles(commands.Refuse)
    def refuse(self, command: commands.Refuse) -> dict[str, Any]:
        """R3.7: a refusal states its reasons."""
        initiative, day = self.initiative(command.initiative_id), command.decided_on
        initiative.check_refusal(day)
        decision, _ = self._committee_decision(initiative, day, command.reasons, command.evidence,
                                               command.number)
        initiative.refuse(decision=decision)
        self.save(initiative)
        return decision

    # --- application and the upward path (R3.6) -------------------------------------------

    @handles(commands.ReportApplication)
    def report_application(self, command: commands.ReportApplication) -> dict[str, Any]:
        """R3.6: the initiative applied in practice, with its measured benefit in đồng."""
        initiative = self.initiative(command.initiative_id)
        start, day, end = command.applied_from, command.reported_on, command.applied_to
        not_before(day, initiative.registered_on, "an application report")
        if end is not None:
            not_before(end, start, "the end of the application")
        if initiative.status in (Status.REFUSED, Status.REVOKED):
            raise InvalidInput(f"the initiative was {initiative.status}",
                               {"status": str(initiative.status)})
        self.authority.active_union(initiative.holder_on(day), day)
        initiative.require_not_closed(day)
        report = {"applied_from": start.isoformat(), "applied_to": end.isoformat() if end else None,
                  "benefit": command.benefit,
                  "value_saved_vnd": vnd(command.value_saved_vnd), "reported_on": day.isoformat(),
                  "reported_by": acting_user(),
                  "trial": initiative.status != Status.RECOGNISED}
        initiative.report_application(report=report)
        self.save(initiative)
        return report

    def _level_union(self, initiative: Initiative, scope: Scope, on: date) -> dict[str, Any]:
        """The union that decides at a scope for this initiative, as of the date: its direct
        superior (a direct-superior union) or the provincial federation above it (R3.6,
        R4.3); a grassroots union directly under the province goes straight to province."""
        chain = self.authority.ancestors(initiative.holder_on(on), on) or []
        wanted = Level.DIRECT_SUPERIOR if scope == Scope.DIRECT_SUPERIOR \
            else Level.PROVINCIAL_FEDERATION
        found = next((u for u in chain if u["level"] == wanted), None)
        if found is None:
            raise InvalidInput(f"the union has no {wanted.value.replace('_', ' ')} above it on {on}",
                               {"scope": scope.value})
        return found

    @handles(commands.Propose)
    def propose(self, command: commands.Propose) -> dict[str, Any]:
        """R3.6: the body that recognised it at the highest scope proposes it one level up."""
        initiative, day = self.initiative(command.initiative_id), command.proposed_on
        highest = initiative.check_proposal(day)
        initiative.require_not_closed(day)
        if highest == Scope.GRASSROOTS:
            union_id, kind = initiative.holder_on(day), BodyKind.EXECUTIVE_COMMITTEE
            parent = self.authority.direct_superior(union_id, day)
            scope = Scope.PROVINCE if parent and parent["level"] == \
                Level.PROVINCIAL_FEDERATION.value else Scope.DIRECT_SUPERIOR
        else:
            union_id = UUID(self._level_union(initiative, highest, day)["id"])
            kind, scope = BodyKind.STANDING_COMMITTEE, Scope.PROVINCE
        self.authority.active_union(union_id, day)
        seat = self._seat(union_id, kind, day)
        to_union = self._level_union(initiative, scope, day)
        decision, _ = self._decision(seat, day, command.reason, command.evidence, command.number)
        initiative.propose(scope=scope.value, to_union_id=UUID(to_union["id"]), decision=decision)
        self.save(initiative)
        return {"scope": scope.value, "to_union_id": to_union["id"], "decision": decision}

    def _level_seat(self, initiative: Initiative, scope: Scope, day: date) -> dict[str, Any]:
        initiative.require_proposal(scope, day)
        union = self._level_union(initiative, scope, day)
        self.authority.active_union(UUID(union["id"]), day)
        return self._seat(UUID(union["id"]), BodyKind.STANDING_COMMITTEE, day)

    @handles(commands.RecogniseAtLevel)
    def recognise_at_level(self, command: commands.RecogniseAtLevel) -> dict[str, Any]:
        """R3.6, R4.3: the standing committee of the union at that level above the
        initiative's union, as of the decision's date, recognises it there."""
        initiative, day = self.initiative(command.initiative_id), command.decided_on
        level = command.scope
        seat = self._level_seat(initiative, level, day)
        decision, _ = self._decision(seat, day, command.reason, command.evidence, command.number)
        initiative.recognise_at_level(scope=level.value, decision=decision)
        self.save(initiative)
        return decision

    @handles(commands.DeclineAtLevel)
    def decline_at_level(self, command: commands.DeclineAtLevel) -> dict[str, Any]:
        """R3.4, R4.3: the body of a level declines to recognise an initiative at its level,
        with its reasons and decision number; the recognitions below stand."""
        initiative, day = self.initiative(command.initiative_id), command.decided_on
        level = command.scope
        seat = self._level_seat(initiative, level, day)
        decision, _ = self._decision(seat, day, command.reasons, number=command.number)
        initiative.decline(scope=level.value, decision=decision)
        self.save(initiative)
        return decision

    # --- replication (R3.8) ---------------------------------------------------------------

    @handles(commands.Adopt)
    def adopt(self, command: commands.Adopt) -> str:
        """R3.8: another union's executive committee adopts a recognised initiative."""
        initiative, day = self.initiative(command.initiative_id), command.adopted_on
        union = command.union_id
        initiative.require_recognised()
        if union == initiative.union_id:
            raise OwnInitiative("a union does not replicate its own initiative")
        self.authority.active_union(union, day)
        first = min(d["decided_on"] for d in initiative.recognitions.values())
        not_before(day, date.fromisoformat(first), "the adoption")
        decision, _ = self._decision(self._seat(union, BodyKind.EXECUTIVE_COMMITTEE, day), day,
                                     command.reason)
        replication_id = Replication.create_id(initiative.id, union)
        if self._exists(replication_id):
            raise AlreadyAdopted("the union has already adopted this initiative",
                                 {"union_id": str(union)})
        replication = Replication(initiative_id=initiative.id, union_id=union, adopted_on=day,
                                  note=command.note,
                                  decision=decision)
        initiative.adopted(union_id=union)
        self.save(replication, initiative)
        return str(replication.id)

    @handles(commands.ReportReplication)
    def report_replication(self, command: commands.ReportReplication) -> dict[str, Any]:
        """R3.8: a union that adopted an initiative reports a result of applying it (the
        benefit, the date)."""
        replication = self.replication(command.initiative_id, command.union_id)
        day = command.reported_on
        not_before(day, replication.adopted_on, "a result")
        replication.require_not_closed(day)
        result = {"reported_on": day.isoformat(), "benefit": command.benefit,
                  "value_saved_vnd": vnd(command.value_saved_vnd), "reported_by": acting_user()}
        replication.report(result=result)
        self.save(replication)
        return result

    # --- revocation -----------------------------------------------------------------------

    @handles(commands.Revoke)
    def revoke(self, command: commands.Revoke) -> dict[str, Any]:
        """R4.5; Law 06/2022, Decree 13/2012: a recognition obtained by a false declaration, or of
        an initiative that was not new or not applied, is revoked with its reasons, by the
        executive committee that recognised it or a standing committee that recognised it
        above; what depended on it (recognitions above, replications) is reported."""
        initiative, day = self.initiative(command.initiative_id), command.decided_on
        ground = command.ground
        initiative.require_recognised()
        rules = self.rules.in_force(day)
        if ground not in rules["revocation_grounds"]:
            raise InvalidInput(f"unknown ground {ground!r}",
                               {"field": "ground", "allowed": rules["revocation_grounds"]})
        not_before(day, date.fromisoformat(max(d["decided_on"] for d in
                                               initiative.recognitions.values())), "the revocation")
        seat = self._revoking_seat(initiative, day)
        decision = decision_record(seat, day, command.reason, rules, command.evidence,
                                   command.number)
        dependents = {
            "recognitions": [{"scope": s, "number": d.get("number"), "decided_on": d["decided_on"]}
                             for s, d in initiative.recognitions.items()],
            "replications": list(initiative.adopted_by),
        }
        initiative.revoke(ground=ground, decision=decision, dependents=dependents)
        self.save(initiative)
        return {"decision": decision, "dependents": dependents}

    def _revoking_seat(self, initiative: Initiative, day: date) -> dict[str, Any]:
        candidates = [(initiative.holder_on(day), BodyKind.EXECUTIVE_COMMITTEE)] + [
            (UUID(d["authority"]["union_id"]), BodyKind.STANDING_COMMITTEE)
            for s, d in initiative.recognitions.items() if s != Scope.GRASSROOTS.value]
        refusal: NoAuthority | None = None
        for union_id, kind in candidates:
            try:
                return self._seat(union_id, kind, day)
            except NoAuthority as exc:
                refusal = refusal or exc
        assert refusal is not None
        raise refusal

    # --- reorganisation: nothing left behind (R1.5) ----------------------------------------

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """R1.5: when the registry merges, splits or dissolves a union, each record the union
        holds (initiatives not refused or revoked with their councils and 3-month limits,
        open ideas, adoptions of R3.8) is either taken over by the successor from the
        effective date (``CarriedOver``) or closed with its reason (``Closed``), citing the
        registry's event. What was decided before the date keeps the authority it was
        decided under: ``holder_on`` judges each act by the union that held it on its date.

        A merge hands everything to the successor. A split hands each record to the part the
        first of its authors the registry transfers goes to (``registry.member_transferred``
        with the reason ``union_split``, published after the split itself); a record none of whose authors
        is a member any more, and every adoption, is closed at the split. A dissolution
        names no successor: every record is closed."""
        if not isinstance(domain_event, Envelope) or domain_event.source != "registry":
            return
        p, name = domain_event.payload, domain_event.name
        cause = {"source": "registry", "event": name, "event_id": domain_event.event_id,
                 "position": domain_event.notification_id}
        if name == "registry.union_merged":
            union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
            for record in self._held(processing_event, union):
                record.carry_over(from_union_id=union, to_union_id=UUID(p["successor_id"]),
                                  effective_on=on, cause=cause)
                processing_event.collect_events(record)
        elif name == "registry.union_dissolved":
            union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
            for record in self._held(processing_event, union):
                record.close(union_id=union, effective_on=on, cause=cause,
                             reason=f"Công đoàn giải thể từ ngày {_dmy(on)}, không có đơn vị "
                                    f"tiếp nhận")
                processing_event.collect_events(record)
        elif name == "registry.union_split":
            union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
            members = {str(m) for m in self.authority.member_ids_from(union, on)}
            for record in self._held(processing_event, union):
                if not members & _authors(record):
                    record.close(union_id=union, effective_on=on, cause=cause,
                                 reason=f"Công đoàn được chia, tách từ ngày {_dmy(on)}; "
                                        + ("bản đăng ký nhân rộng không chuyển cho đơn vị mới, "
                                           "đơn vị mới đăng ký lại nếu áp dụng"
                                           if isinstance(record, Replication) else
                                           "không còn tác giả nào là đoàn viên để chuyển theo"))
                    processing_event.collect_events(record)
        elif name == "registry.member_transferred" and p["reason"] == "union_split":
            union, person = UUID(p["from_union_id"]), p["person_id"]
            on = date.fromisoformat(p["effective_on"])
            for record in self._held(processing_event, union):
                if person in _authors(record):
                    record.carry_over(from_union_id=union, to_union_id=UUID(p["to_union_id"]),
                                      effective_on=on, cause=cause)
                    processing_event.collect_events(record)

    @handles(commands.OpenItems)
    def open_items(self, query: commands.OpenItems) -> list[dict[str, Any]]:
        """R1.5: for a reorganisation plan's preview, what the unions' change on the date
        would do, as the policy does it when the registry's events come: each initiative
        (with its council and 3-month limit), open idea and adoption carried over to the
        successor of a merge, or, in a split, to the part its first author goes to (the
        plan's members decide which), or closed with its reason. Stores nothing."""
        action, on, successor = query.action, query.on, query.successor_id
        require_change(query.union_ids, action, successor)
        found = []
        for union in dict.fromkeys(query.union_ids):
            members = {str(m) for m in self.authority.member_ids_from(union, on)} \
                if action == Reorganisation.SPLIT else set()
            for record in self._held(SimpleNamespace(aggregates={}), union):
                kind, title, number = _open_title(record)
                if action == Reorganisation.MERGE:
                    item = open_item(union, kind, record.id, title, number, on, successor,
                                     CARRIED)
                elif action == Reorganisation.SPLIT and members & _authors(record):
                    item = open_item(union, kind, record.id, title, number, on, None, CARRIED,
                                     "Chuyển cho đơn vị mới mà tác giả đầu tiên chuyển đến "
                                     "theo phương án")
                elif action == Reorganisation.SPLIT:
                    item = open_item(union, kind, record.id, title, number, on, None, CLOSED,
                                     f"Công đoàn được chia, tách từ ngày {_dmy(on)}; " + (
                                         "bản đăng ký nhân rộng không chuyển cho đơn vị mới, "
                                         "đơn vị mới đăng ký lại nếu áp dụng"
                                         if isinstance(record, Replication) else
                                         "không còn tác giả nào là đoàn viên để chuyển theo"))
                else:
                    item = open_item(union, kind, record.id, title, number, on, None, CLOSED,
                                     f"Công đoàn giải thể từ ngày {_dmy(on)}, không có đơn vị "
                                     f"tiếp nhận")
                found.append(item)
        return found

    def _held(self, processing_event: Any, union_id: UUID) -> list[Any]:
        """The records the union holds, as the events being processed left them."""
        ids = {record_id for _, record_id in self.queries.held_by(union_id)}
        ids |= {key for key, held in processing_event.aggregates.items() if isinstance(held, Held)}
        found = []
        for record_id in sorted(ids, key=str):
            record = self.aggregate_in(processing_event, record_id)
            if not isinstance(record, Held) or record.held_by != union_id \
                    or record.closed is not None:
                continue
            if isinstance(record, Initiative) and record.status in (Status.REFUSED, Status.REVOKED):
                continue
            if isinstance(record, Idea) and record.status != IdeaStatus.OPEN:
                continue
            found.append(record)
        return found

    # --- loading --------------------------------------------------------------------------

    def _exists(self, aggregate_id: UUID) -> bool:
        return bool(list(self.events.get(aggregate_id, lte=1)))

    def _load(self, raw: object, field: str, error: type[NotFound], what: str) -> Any:
        aggregate_id = parse_uuid(raw, field)
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise error(f"no {what} {raw}", {field: str(raw)}) from None

    # --- the recognition's documents, as PDF ---------------------------------------------------

    @handles(commands.RenderRecognition)
    def render_recognition(self, query: commands.RenderRecognition) -> dict[str, Any]:
        """R3.4, R3.7: the decision recognising the initiative at a scope, in Decree 30 form."""
        data = self._recognition_data(query.initiative_id, query.scope)
        return _pdf(f"quyet-dinh-cong-nhan-{data['number_slug']}.pdf",
                    self._signed(query.initiative_id, query.scope, documents.recognition_decision,
                                 data))

    @handles(commands.RenderRecognitionCertificates)
    def render_recognition_certificates(self, query: commands.RenderRecognitionCertificates,
                                        ) -> dict[str, Any]:
        """R3.4, R4.5: each author's certificate of the recognition at a scope, as a signed
        PDF."""
        data = self._recognition_data(query.initiative_id, query.scope)
        return _pdf(f"giay-chung-nhan-sang-kien-{data['number_slug']}.pdf",
                    self._signed(query.initiative_id, query.scope,
                                 documents.recognition_certificates, data))

    def _signed(self, initiative_id: UUID, scope: Scope, render: Callable[[Mapping[str, Any]], bytes],
                data: Mapping[str, Any]) -> bytes:
        """R4.5, R5.1: the recognition's document with its verification code (the event that
        recognised the initiative at this scope), signed with the deciding union's key."""
        version = next(
            stored.originator_version
            for stored in reversed(list(self.recorder.select_events(initiative_id)))
            if _recognises(self.mapper.to_domain_event(stored), scope))
        authority = self.initiative(initiative_id).recognitions[scope.value]["authority"]
        return self.signed_decision(render, data, record_id=initiative_id, version=version,
                                    union_id=UUID(authority["union_id"]),
                                    union_name=data["issuer"], place=data["place"])

    def _recognition_data(self, initiative_id: UUID, scope: Scope) -> dict[str, Any]:
        initiative = self.initiative(initiative_id)
        decision = initiative.recognitions.get(scope.value)
        if decision is None:
            raise NotRecognised(f"the initiative is not recognised at {scope.value} level",
                                {"status": str(initiative.status), "scope": scope.value})
        authority = decision["authority"]
        union_id, on = UUID(authority["union_id"]), date.fromisoformat(decision["decided_on"])
        union = self.authority.union(union_id, on)
        chain = [union] if union else []
        chain += self.authority.ancestors(union_id, on) or []
        name = union["name"] if union else ""
        body = "Ban Chấp hành" if authority["kind"] == "executive_committee" else "Ban Thường vụ"
        signer = next((m for b in self.authority.bodies(union_id, on, authority["kind"])
                       if b["id"] == authority["body_id"] for m in b["members"]
                       if m["position"] == authority["position"]), None)
        own = self.authority.union(initiative.union_id, on)
        basis = list(self.rules.version(decision["rule_set"]["version"]).basis)
        data: dict[str, Any] = {
            "issuer": name, "superior": chain[1]["name"] if len(chain) > 1 else None,
            "place": place_of([u["name"] for u in chain]), "number": decision.get("number"),
            "number_slug": (decision.get("number") or initiative.reference).replace("/", "-"),
            "decided_on": decision["decided_on"], "deciding_body": f"{body} {name}",
            "basis": basis, "title": initiative.name, "scope": scope.value,
            "unit": own["name"] if own else "",
            "authors": [{"full_name": a["full_name"], "share": a.get("share")}
                        for a in initiative.authors],
            "signer": {"on_behalf": f"TM. {body}",
                       "position": POSITIONS.get(authority["position"], authority["position"]),
                       "name": signer["full_name"] if signer else ""}}
        if scope == Scope.GRASSROOTS and initiative.council:
            council = initiative.council
            data["council"] = (f"Căn cứ Quyết định số {council.decision.get('number') or '…'} "
                               f"ngày {_dmy(council.on)} về việc thành lập Hội đồng xét công nhận "
                               f"sáng kiến;")
        if scope == Scope.GRASSROOTS and initiative.evaluation:
            evaluation = initiative.evaluation
            data["evaluation"] = (f"Xét kết quả đánh giá của Hội đồng xét công nhận sáng kiến "
                                  f"ngày {_dmy(evaluation.on)} "
                                  f"({evaluation.votes_for}/{evaluation.council_size} "
                                  f"thành viên tán thành),")
        return data

    def initiative(self, initiative_id: object) -> Initiative:
        found = self._load(initiative_id, "initiative_id", InitiativeNotFound, "initiative")
        if not isinstance(found, Initiative):
            raise InitiativeNotFound(f"no initiative {initiative_id}",
                                     {"initiative_id": str(initiative_id)})
        return found

    def idea(self, idea_id: object) -> Idea:
        found = self._load(idea_id, "idea_id", IdeaNotFound, "idea")
        if not isinstance(found, Idea):
            raise IdeaNotFound(f"no idea {idea_id}", {"idea_id": str(idea_id)})
        return found

    def replication(self, initiative_id: object, union_id: object) -> Replication:
        initiative, union = parse_uuid(initiative_id, "initiative_id"), parse_uuid(union_id, "union_id")
        # R1.5: the union's own adoption, else one it took over from a predecessor
        keys = [Replication.create_id(initiative, union),
                *self.queries.replications_held(initiative, union)]
        for key in keys:
            try:
                found: Replication = self.repository.get(key)
                return found
            except AggregateNotFoundError:
                continue
        else:
            raise ReplicationNotFound("the union has not adopted this initiative",
                                      {"initiative_id": str(initiative_id),
                                       "union_id": str(union_id)})

    # --- queries --------------------------------------------------------------------------

    @handles(commands.GetInitiative)
    def get_initiative(self, query: commands.GetInitiative) -> dict[str, Any]:
        """R3.2, R3.5: one initiative or topic as its tracking-book entry holds it: authors and
        shares, fields, stage, recognitions and applications."""
        i = self.initiative(query.initiative_id)
        return {"id": str(i.id), "union_id": str(i.union_id), "reference": i.reference,
                "kind": i.kind, "name": i.name, "fields": i.fields, "form_version": i.form_version,
                "authors": i.authors, "registered_on": i.registered_on.isoformat(),
                "decide_by": i.decide_by.isoformat(), "status": str(i.status),
                "idea_id": str(i.idea_id) if i.idea_id else None,
                "council": i.council.to_dict() if i.council else None,
                "evaluation": i.evaluation.to_dict() if i.evaluation else None,
                "acceptance": i.acceptance,
                "recognitions": i.recognitions, "proposal": i.proposal,
                "applications": i.applications, "adopted_by": i.adopted_by, **_holding(i),
                "value_saved_vnd": sum(a["value_saved_vnd"] for a in i.applications)}

    @handles(commands.GetReplication)
    def get_replication(self, query: commands.GetReplication) -> dict[str, Any]:
        """R3.8: one union's adoption of a recognised initiative: when, by what decision, and
        the results it reported."""
        r = self.replication(query.initiative_id, query.union_id)
        return {"initiative_id": str(r.initiative_id), "union_id": str(r.union_id),
                "adopted_on": r.adopted_on.isoformat(), "note": r.note, "decision": r.decision,
                "results": r.results, **_holding(r)}

    @handles(commands.Overdue)
    def overdue(self, query: commands.Overdue) -> list[dict[str, Any]]:
        """R3.7: registrations still undecided past the 3-month limit on the date."""
        return self.queries.overdue(query.union_id, self.as_of(query.as_of))

    @handles(commands.TrackingBook)
    def tracking_book(self, query: commands.TrackingBook) -> Page:
        """R3.5: the union's initiative tracking book, by registration period and status."""
        first, count = parse_page(query.offset, query.limit)
        found = self.queries.book(query.union_id, query.period_from, query.period_to,
                                  query.status.value if query.status else None, first, count)
        for entry in found["entries"]:  # R1.5: "Tiếp nhận từ <the predecessor> ngày …"
            if entry["carried_from"]:
                before = date.fromisoformat(entry["carried_on"]) - timedelta(days=1)
                union = self.authority.union(UUID(entry["carried_from"]), before)
                entry["carried_from_name"] = union["name"] if union else None
        return page(found["entries"], found["total"], first, count)

    @handles(commands.SearchInitiatives)
    def search_initiatives(self, query: commands.SearchInitiatives) -> list[dict[str, Any]]:
        """R3.5: the book's entries whose name holds every word of ``q``, diacritics and
        case ignored ("so hoa" finds "Số hoá"), of one union or of all (the gateway leaves
        out the rows of unions outside the caller's roles)."""
        _, size = parse_page(0, query.limit, 100)
        return self.queries.search(search_terms(query.q), query.union_id, size)

    @handles(commands.SimilarRecognised)
    def similar_recognised(self, query: commands.SimilarRecognised) -> Page:
        """R3.8: replication made easy. While a union registers an initiative, the ones
        already recognised in any union (not revoked) whose name, or the description typed,
        looks like it, diacritics and case ignored, the best first with a score from 0 to 1
        (the measure: ``InitiativesQueries.similar_recognised``); each with its union's name,
        the year and the highest level it is recognised at, so that the union may adopt one
        (``Adopt``) instead of registering it anew. Recognised initiatives are meant to be
        replicated across the system: a row names its union as ``origin_union_id`` and
        carries no author or field of the registration."""
        search_terms(query.name, "name")  # letters or digits to compare, else INVALID_TEXT
        first, size = parse_page(query.offset, query.limit, 50)
        page = self.queries.similar_recognised(query.name, query.description, query.union_id,
                                               first, size)
        today = self.today()
        for item in page["items"]:
            origin = UUID(item["origin_union_id"])
            union = self.authority.union(origin, today) or (
                self.authority.union(origin, date.fromisoformat(item["recognised_on"]))
                if item["recognised_on"] else None)
            item["union_name"] = union["name"] if union else None
        found: dict[str, Any] = {"union_id": str(query.union_id) if query.union_id else None,
                                 **page}
        return cast(Page, found)  # the page, {items, total, offset, limit}, with the union

    @handles(commands.ExportBook)
    def export_book(self, query: commands.ExportBook) -> dict[str, Any]:
        """R3.5: the tracking book as CSV or XLSX (base64, to travel as JSON)."""
        format = query.format
        if format not in ("csv", "xlsx"):
            raise InvalidInput("format is csv or xlsx", {"field": "format", "allowed": ["csv", "xlsx"]})
        rows = []
        offset = 0
        while True:
            found = self.tracking_book(commands.TrackingBook(
                query.union_id, query.period_from, query.period_to, query.status, offset, 500))
            rows.extend(found["items"])
            offset += len(found["items"])
            if not found["items"] or offset >= found["total"]:
                break
        table = [[title for _, title in BOOK_COLUMNS]] + [
            [_cell(row[key]) for key, _ in BOOK_COLUMNS] for row in rows]
        content = _csv(table) if format == "csv" else _xlsx(table)
        return {"filename": f"so-theo-doi-sang-kien.{format}", "rows": len(rows),
                "content_type": "text/csv; charset=utf-8" if format == "csv" else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "content_base64": base64.b64encode(content).decode("ascii")}

    @handles(commands.Ideas)
    def ideas(self, query: commands.Ideas) -> list[dict[str, Any]]:
        """R3.1: a union's ideas, newest first, of one author or all, in one status or any: a
        member follows theirs, the incubation team sees what to coach."""
        return self.queries.ideas(query.union_id, query.author_id,
                                  query.status.value if query.status else None)

    @handles(commands.Statistics)
    def statistics(self, query: commands.Statistics) -> list[dict[str, Any]]:
        """R3.3–R3.8 for the dashboards: per union and quarter of the year, the initiatives
        registered, recognised, applied with a measured benefit and replicated elsewhere."""
        _year(query.year)
        unions = [*(query.union_ids or ()), *([query.union_id] if query.union_id else [])]
        if not unions:
            raise InvalidInput("name a union (union_id) or several (union_ids)",
                               {"field": "union_id"})
        return self.queries.statistics(list(dict.fromkeys(unions)), query.year)

    @handles(commands.Replications)
    def replications(self, query: commands.Replications) -> list[dict[str, Any]]:
        """R3.8: the initiatives a union adopted from others, each with its results so far."""
        return self.queries.replications(query.union_id)

    @handles(commands.Registrants)
    def registrants(self, query: commands.Registrants) -> dict[str, Any]:
        """R3.3: who registers: initiatives with an official, a full-time official, or
        members only among their authors, in a year."""
        return self.queries.registrants(query.union_id, _year(query.year))


def _holding(record: Held) -> dict[str, Any]:
    """R1.5: who holds a record now, the hand-overs that brought it there, its closing."""
    return {"held_by": str(record.held_by), "handovers": list(record.handovers),
            "closed": record.closed}


def _year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 3000:
        raise InvalidInput("year must be a year", {"field": "year"})
    return year


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, Decimal):
        return int(value)
    return value


def _csv(table: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads the diacritics


def _xlsx(table: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi sáng kiến"
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


APPLICATION = Initiatives


POSITIONS = {"chairman": "Chủ tịch", "vice_chairman": "Phó Chủ tịch"}


def _recognises(event: object, scope: Scope) -> bool:
    """The event that recognised an initiative at a scope: at grassroots level its own
    union's ``Recognised``, above it ``RecognisedAtLevel`` naming the scope."""
    kind = type(event).__qualname__
    if kind == "Initiative.Recognised":
        return scope == Scope.GRASSROOTS
    return kind == "Initiative.RecognisedAtLevel" and str(getattr(event, "scope", "")) == scope.value


def _authors(record: Any) -> set[str]:
    """The people a record follows in a split: its authors (an adoption has none)."""
    if isinstance(record, Initiative):
        return {a["person_id"] for a in record.authors}
    if isinstance(record, Idea):
        return {str(record.author_id)}
    return set()


def _open_title(record: Any) -> tuple[str, str, str | None]:
    """R1.5: an open record's kind, title and number, as a plan's preview lists it."""
    if isinstance(record, Initiative):
        return "initiative", record.name, record.reference
    if isinstance(record, Idea):
        return "idea", record.title, None
    return "replication", "Áp dụng nhân rộng sáng kiến", None


def _dmy(on: date) -> str:
    return f"{on.day:02d}/{on.month:02d}/{on.year}"


def _pdf(name: str, content: bytes) -> dict[str, Any]:
    return {"filename": name, "media_type": PDF_MEDIA_TYPE,
            "sha256": hashlib.sha256(content).hexdigest(),
            "content_base64": base64.b64encode(content).decode("ascii")}
