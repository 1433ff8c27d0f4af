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
import io
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from contracts.registry import BodyKind, Level, NoAuthority
from contracts.registry.facts import Authority, RegistryFacts
from runtime.context import acting_user
from runtime.errors import InvalidInput, NotFound
from runtime.publication import Publication
from runtime.rules import RuleBook, RuleSet, clean_reason, decision_record
from runtime.store import ServiceApplication
from runtime.text import (
    clean_code,
    clean_text,
    not_before,
    parse_choice,
    parse_date,
    parse_page,
    parse_uuid,
    search_terms,
)
from services.initiatives.domain import (
    NAME_MAX,
    TEXT_MAX,
    AlreadyAdopted,
    CouncilInvalid,
    Idea,
    IdeaStatus,
    Initiative,
    InitiativeExists,
    Kind,
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
from services.initiatives.published import RULES
from services.initiatives.readmodel import BOOK_COLUMNS, InitiativesQueries, InitiativesReadModel
from services.initiatives.trail import TRAIL


class UnknownUnion(NotFound):
    code = "UNKNOWN_UNION"


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


class Initiatives(ServiceApplication):
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
        the actor on the committee in office on the date."""
        self.authority.active_union(initiative.union_id, day)
        seat = self._seat(initiative.union_id, BodyKind.EXECUTIVE_COMMITTEE, day)
        return self._decision(seat, day, reason, evidence, number)

    def _decision(self, seat: Mapping[str, Any], on: date, reason: object, evidence: object = None,
                  number: object = None) -> tuple[dict[str, Any], RuleSet]:
        rules = self.rules.in_force(on)
        return decision_record(seat, on, reason, rules, evidence, number), rules

    # --- ideas (R3.1) ---------------------------------------------------------------------

    def raise_idea(self, union_id: str, author_id: str, title: str, description: str,
                   raised_on: str) -> str:
        """R3.1: a member or official raises an idea in their grassroots union."""
        union, author, on = parse_uuid(union_id, "union_id"), parse_uuid(author_id, "author_id"), \
            parse_date(raised_on, "raised_on")
        self.authority.grassroots_union(union, on)
        self.authority.member(author, union, on)
        idea = Idea(union_id=union, author_id=author, title=clean_text(title, "title", NAME_MAX),
                    description=clean_text(description, "description", TEXT_MAX), raised_on=on)
        self.save(idea)
        return str(idea.id)

    def coach_idea(self, idea_id: str, text: str, on: str) -> None:
        """R1.4, R3.1: a member of the union's idea incubation team comments and coaches."""
        idea, day = self.idea(idea_id), parse_date(on, "on")
        idea.require_open()
        not_before(day, idea.raised_on, "coaching")
        seat = self._seat(idea.union_id, BodyKind.IDEA_INCUBATION_TEAM, day)
        idea.coach(by=acting_user(), team_id=UUID(seat["body_id"]),
                   text=clean_text(text, "text", TEXT_MAX), on=day)
        self.save(idea)

    def withdraw_idea(self, idea_id: str, reason: str, on: str) -> None:
        idea, day = self.idea(idea_id), parse_date(on, "on")
        idea.require_open()
        not_before(day, idea.raised_on, "the withdrawal")
        if acting_user() != str(idea.author_id):
            self._seat(idea.union_id, BodyKind.IDEA_INCUBATION_TEAM, day)
        idea.withdraw(reason=clean_reason(reason), on=day)
        self.save(idea)

    def get_idea(self, idea_id: str) -> dict[str, Any]:
        idea = self.idea(idea_id)
        return {"id": str(idea.id), "union_id": str(idea.union_id), "author_id": str(idea.author_id),
                "title": idea.title, "description": idea.description,
                "raised_on": idea.raised_on.isoformat(), "status": str(idea.status),
                "comments": idea.comments,
                "initiative_id": str(idea.initiative_id) if idea.initiative_id else None}

    # --- registration forms (R3.2) --------------------------------------------------------

    def form(self, union_id: UUID) -> RegistrationForm:
        try:
            form: RegistrationForm = self.repository.get(RegistrationForm.create_id(union_id))
        except AggregateNotFoundError:
            form = RegistrationForm(union_id=union_id)
        return form

    def design_form(self, union_id: str, fields: list[dict[str, Any]], effective_on: str,
                    reason: str, number: str | None = None) -> int:
        """R3.2: the grassroots executive committee designs its own form; a new version."""
        union, on = parse_uuid(union_id, "union_id"), parse_date(effective_on, "effective_on")
        self.authority.grassroots_union(union, on)
        decision, _ = self._decision(self._seat(union, BodyKind.EXECUTIVE_COMMITTEE, on), on,
                                     reason, number=number)
        form = self.form(union)
        last = form.versions[-1]["effective_on"]
        not_before(on, date.fromisoformat(last) if last else None, "a new form version")
        form.design(fields=clean_form_fields(fields), effective_on=on, decision=decision)
        self.save(form)
        return len(form.versions)

    def get_form(self, union_id: str, version: int | None = None,
                 as_of: str | None = None) -> dict[str, Any]:
        form = self.form(parse_uuid(union_id, "union_id"))
        return {"union_id": union_id, "latest": len(form.versions),
                **form.form_version(version, self.as_of(as_of))}

    # --- registration (R3.2, R3.3) --------------------------------------------------------

    def register(self, union_id: str, reference: str, kind: str, fields: dict[str, Any],
                 authors: list[dict[str, Any]], registered_on: str,
                 form_version: int | None = None, idea_id: str | None = None) -> str:
        """R3.2: registered with the executive committee of the authors' grassroots union,
        on the union's form (the version given, or the one in force), authors with shares
        adding up to 100 who are members of the union on the date. R3.3: whether each author
        is an official and full-time is taken from the registry, as of the date."""
        union, on = parse_uuid(union_id, "union_id"), parse_date(registered_on, "registered_on")
        reference = clean_code(reference, "reference")
        initiative_kind: Kind = parse_choice(Kind, kind, "kind")
        self.authority.grassroots_union(union, on)
        receiving = self.authority.body_in_office(union, BodyKind.EXECUTIVE_COMMITTEE, on)
        form = self.form(union)
        version = form.form_version(form_version, on)
        values = fill(version["fields"], fields)
        listed = []
        for person, share in clean_authors(authors):
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
        idea = self.idea(idea_id) if idea_id else None
        if idea is not None:
            idea.require_open()
            if idea.union_id != union:
                raise InvalidInput("the idea was raised in another union", {"field": "idea_id"})
        initiative_id = Initiative.create_id(union, reference)
        if self._exists(initiative_id):
            raise InitiativeExists(f"the union's book already has {reference}",
                                   {"reference": reference})
        rules = self.rules.in_force(on)
        initiative = Initiative(
            union_id=union, reference=reference, kind=initiative_kind.value,
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

    def constitute_council(self, initiative_id: str, members: list[str], on: str,
                           reason: str, number: str | None = None) -> None:
        """R3.7: the executive committee constitutes an evaluation council; a member of the
        union's executive committee sits on it as the union's representative."""
        initiative, day = self.initiative(initiative_id), parse_date(on, "on")
        initiative.check_council(day)
        decision, rules = self._committee_decision(initiative, day, reason, number=number)
        if not isinstance(members, list | tuple) or len(set(map(str, members))) != len(members):
            raise CouncilInvalid("members must be a list of different people", {"field": "members"})
        people = [parse_uuid(m, "members") for m in members]
        if len(people) < rules["council_min_members"]:
            raise CouncilInvalid(f"a council has at least {rules['council_min_members']} members",
                                 {"members": len(people)})
        committee = self.authority.body_in_office(initiative.union_id,
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

    def record_evaluation(self, initiative_id: str, on: str,
                          scores: Mapping[str, Mapping[str, float]], votes: dict[str, str],
                          minutes: str | None = None) -> dict[str, Any]:
        """R3.7: each member's score per criterion of the rules in force, and the vote."""
        initiative, day = self.initiative(initiative_id), parse_date(on, "on")
        if not isinstance(scores, Mapping) or not isinstance(votes, Mapping):
            raise InvalidInput("scores and votes are objects keyed by council member",
                               {"field": "scores"})
        rules = self.rules.in_force(day)
        criteria = rules["criteria"]
        initiative.check_evaluation(day, scores, votes, criteria)
        if initiative.council and acting_user() not in \
                {m["person_id"] for m in initiative.council["members"]}:
            raise NoAuthority("only a member of the evaluation council records its evaluation",
                              {"actor": acting_user()})
        cast_votes = {str(k): parse_choice(Vote, v, "vote").value for k, v in votes.items()}
        averages = {c["code"]: round(sum(s[c["code"]] for s in scores.values()) / len(scores), 2)
                    if scores else 0.0 for c in criteria}
        initiative.evaluate(on=day, scores={str(k): dict(v) for k, v in scores.items()},
                            votes=cast_votes, averages=averages,
                            minutes=clean_text(minutes, "minutes", 500) if minutes else None)
        self.save(initiative)
        return dict(initiative.evaluation or {})

    def accept_topic(self, initiative_id: str, on: str, result: str, reason: str,
                     number: str | None = None) -> None:
        """R3.7: a topic's results are accepted (nghiệm thu) by the executive committee."""
        initiative, day = self.initiative(initiative_id), parse_date(on, "on")
        initiative.check_acceptance(day)
        decision, _ = self._committee_decision(initiative, day, reason, number=number)
        initiative.accept_topic(on=day, result=clean_text(result, "result", TEXT_MAX),
                                decision=decision)
        self.save(initiative)

    def recognise(self, initiative_id: str, decided_on: str, reason: str, number: str,
                  evidence: list[str] | None = None) -> dict[str, Any]:
        """R3.4: only the executive committee of the initiative's union, in office on the
        decision's date, recognises at grassroots level; R3.7: two thirds of the council."""
        initiative, day = self.initiative(initiative_id), parse_date(decided_on, "decided_on")
        self.authority.active_union(initiative.union_id, day)
        seat = self._seat(initiative.union_id, BodyKind.EXECUTIVE_COMMITTEE, day)
        rules = self.rules.in_force(day)
        vote = initiative.check_recognition(day, rules["majority"], rules["criteria"])
        decision = decision_record({**seat, "vote": vote}, day, reason, rules, evidence, number)
        initiative.recognise(decision=decision)
        self.save(initiative)
        return decision

    def refuse(self, initiative_id: str, decided_on: str, reasons: str,
               number: str | None = None, evidence: list[str] | None = None) -> dict[str, Any]:
        """R3.7: a refusal states its reasons."""
        initiative, day = self.initiative(initiative_id), parse_date(decided_on, "decided_on")
        initiative.check_refusal(day)
        decision, _ = self._committee_decision(initiative, day, reasons, evidence, number)
        initiative.refuse(decision=decision)
        self.save(initiative)
        return decision

    # --- application and the upward path (R3.6) -------------------------------------------

    def report_application(self, initiative_id: str, applied_from: str, benefit: str,
                           value_saved_vnd: int | str, reported_on: str,
                           applied_to: str | None = None) -> dict[str, Any]:
        """R3.6: the initiative applied in practice, with its measured benefit in đồng."""
        initiative = self.initiative(initiative_id)
        start, day = parse_date(applied_from, "applied_from"), parse_date(reported_on, "reported_on")
        end = parse_date(applied_to, "applied_to") if applied_to else None
        not_before(day, initiative.registered_on, "an application report")
        if end is not None:
            not_before(end, start, "the end of the application")
        if initiative.status in (Status.REFUSED, Status.REVOKED):
            raise InvalidInput(f"the initiative was {initiative.status}",
                               {"status": str(initiative.status)})
        self.authority.active_union(initiative.union_id, day)
        report = {"applied_from": start.isoformat(), "applied_to": end.isoformat() if end else None,
                  "benefit": clean_text(benefit, "benefit", TEXT_MAX),
                  "value_saved_vnd": vnd(value_saved_vnd), "reported_on": day.isoformat(),
                  "reported_by": acting_user(),
                  "trial": initiative.status != Status.RECOGNISED}
        initiative.report_application(report=report)
        self.save(initiative)
        return report

    def _level_union(self, initiative: Initiative, scope: Scope, on: date) -> dict[str, Any]:
        """The union that decides at a scope for this initiative, as of the date: its direct
        superior (a direct-superior union) or the provincial federation above it (R3.6,
        R4.3); a grassroots union directly under the province goes straight to province."""
        chain = self.authority.ancestors(initiative.union_id, on) or []
        wanted = Level.DIRECT_SUPERIOR if scope == Scope.DIRECT_SUPERIOR \
            else Level.PROVINCIAL_FEDERATION
        found = next((u for u in chain if u["level"] == wanted), None)
        if found is None:
            raise InvalidInput(f"the union has no {wanted.value.replace('_', ' ')} above it on {on}",
                               {"scope": scope.value})
        return found

    def propose(self, initiative_id: str, proposed_on: str, reason: str,
                evidence: list[str] | None = None, number: str | None = None) -> dict[str, Any]:
        """R3.6: the body that recognised it at the highest scope proposes it one level up."""
        initiative, day = self.initiative(initiative_id), parse_date(proposed_on, "proposed_on")
        highest = initiative.check_proposal(day)
        if highest == Scope.GRASSROOTS:
            union_id, kind = initiative.union_id, BodyKind.EXECUTIVE_COMMITTEE
            parent = self.authority.direct_superior(union_id, day)
            scope = Scope.PROVINCE if parent and parent["level"] == \
                Level.PROVINCIAL_FEDERATION.value else Scope.DIRECT_SUPERIOR
        else:
            union_id = UUID(self._level_union(initiative, highest, day)["id"])
            kind, scope = BodyKind.STANDING_COMMITTEE, Scope.PROVINCE
        self.authority.active_union(union_id, day)
        seat = self._seat(union_id, kind, day)
        to_union = self._level_union(initiative, scope, day)
        decision, _ = self._decision(seat, day, reason, evidence, number)
        initiative.propose(scope=scope.value, to_union_id=UUID(to_union["id"]), decision=decision)
        self.save(initiative)
        return {"scope": scope.value, "to_union_id": to_union["id"], "decision": decision}

    def _level_seat(self, initiative: Initiative, scope: Scope, day: date) -> dict[str, Any]:
        initiative.require_proposal(scope, day)
        union = self._level_union(initiative, scope, day)
        self.authority.active_union(UUID(union["id"]), day)
        return self._seat(UUID(union["id"]), BodyKind.STANDING_COMMITTEE, day)

    def recognise_at_level(self, initiative_id: str, scope: str, decided_on: str, reason: str,
                           number: str, evidence: list[str] | None = None) -> dict[str, Any]:
        """R3.6, R4.3: the standing committee of the union at that level above the
        initiative's union, as of the decision's date, recognises it there."""
        initiative, day = self.initiative(initiative_id), parse_date(decided_on, "decided_on")
        level: Scope = parse_choice(Scope, scope, "scope")
        seat = self._level_seat(initiative, level, day)
        decision, _ = self._decision(seat, day, reason, evidence, number)
        initiative.recognise_at_level(scope=level.value, decision=decision)
        self.save(initiative)
        return decision

    def decline_at_level(self, initiative_id: str, scope: str, decided_on: str, reasons: str,
                         number: str | None = None) -> dict[str, Any]:
        initiative, day = self.initiative(initiative_id), parse_date(decided_on, "decided_on")
        level: Scope = parse_choice(Scope, scope, "scope")
        seat = self._level_seat(initiative, level, day)
        decision, _ = self._decision(seat, day, reasons, number=number)
        initiative.decline(scope=level.value, decision=decision)
        self.save(initiative)
        return decision

    # --- replication (R3.8) ---------------------------------------------------------------

    def adopt(self, initiative_id: str, union_id: str, adopted_on: str, reason: str,
              note: str | None = None) -> str:
        """R3.8: another union's executive committee adopts a recognised initiative."""
        initiative, day = self.initiative(initiative_id), parse_date(adopted_on, "adopted_on")
        union = parse_uuid(union_id, "union_id")
        initiative.require_recognised()
        if union == initiative.union_id:
            raise OwnInitiative("a union does not replicate its own initiative")
        self.authority.active_union(union, day)
        first = min(d["decided_on"] for d in initiative.recognitions.values())
        not_before(day, date.fromisoformat(first), "the adoption")
        decision, _ = self._decision(self._seat(union, BodyKind.EXECUTIVE_COMMITTEE, day), day,
                                     reason)
        replication_id = Replication.create_id(initiative.id, union)
        if self._exists(replication_id):
            raise AlreadyAdopted("the union has already adopted this initiative",
                                 {"union_id": str(union)})
        replication = Replication(initiative_id=initiative.id, union_id=union, adopted_on=day,
                                  note=clean_text(note, "note", TEXT_MAX) if note else None,
                                  decision=decision)
        initiative.adopted(union_id=union)
        self.save(replication, initiative)
        return str(replication.id)

    def report_replication(self, initiative_id: str, union_id: str, reported_on: str,
                           benefit: str, value_saved_vnd: int | str) -> dict[str, Any]:
        replication = self.replication(initiative_id, union_id)
        day = parse_date(reported_on, "reported_on")
        not_before(day, replication.adopted_on, "a result")
        result = {"reported_on": day.isoformat(), "benefit": clean_text(benefit, "benefit", TEXT_MAX),
                  "value_saved_vnd": vnd(value_saved_vnd), "reported_by": acting_user()}
        replication.report(result=result)
        self.save(replication)
        return result

    # --- revocation -----------------------------------------------------------------------

    def revoke(self, initiative_id: str, decided_on: str, ground: str, reason: str,
               evidence: list[str] | None = None, number: str | None = None) -> dict[str, Any]:
        """Law 06/2022, Decree 13/2012: a recognition obtained by a false declaration, or of
        an initiative that was not new or not applied, is revoked with its reasons, by the
        executive committee that recognised it or a standing committee that recognised it
        above; what depended on it (recognitions above, replications) is reported."""
        initiative, day = self.initiative(initiative_id), parse_date(decided_on, "decided_on")
        initiative.require_recognised()
        rules = self.rules.in_force(day)
        if ground not in rules["revocation_grounds"]:
            raise InvalidInput(f"unknown ground {ground!r}",
                               {"field": "ground", "allowed": rules["revocation_grounds"]})
        not_before(day, date.fromisoformat(max(d["decided_on"] for d in
                                               initiative.recognitions.values())), "the revocation")
        seat = self._revoking_seat(initiative, day)
        decision = decision_record(seat, day, reason, rules, evidence, number)
        dependents = {
            "recognitions": [{"scope": s, "number": d.get("number"), "decided_on": d["decided_on"]}
                             for s, d in initiative.recognitions.items()],
            "replications": list(initiative.adopted_by),
        }
        initiative.revoke(ground=ground, decision=decision, dependents=dependents)
        self.save(initiative)
        return {"decision": decision, "dependents": dependents}

    def _revoking_seat(self, initiative: Initiative, day: date) -> dict[str, Any]:
        candidates = [(initiative.union_id, BodyKind.EXECUTIVE_COMMITTEE)] + [
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

    # --- loading --------------------------------------------------------------------------

    def _exists(self, aggregate_id: UUID) -> bool:
        return bool(list(self.events.get(aggregate_id, lte=1)))

    def _load(self, raw: object, field: str, error: type[NotFound], what: str) -> Any:
        aggregate_id = parse_uuid(raw, field)
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise error(f"no {what} {raw}", {field: str(raw)}) from None

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
        key = Replication.create_id(parse_uuid(initiative_id, "initiative_id"),
                                    parse_uuid(union_id, "union_id"))
        try:
            found: Replication = self.repository.get(key)
        except AggregateNotFoundError:
            raise ReplicationNotFound("the union has not adopted this initiative",
                                      {"initiative_id": str(initiative_id),
                                       "union_id": str(union_id)}) from None
        return found

    # --- queries --------------------------------------------------------------------------

    def known_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any]:
        """A union as this service knows it from the registry's events, as of a date."""
        on = self.as_of(as_of)
        union = self.authority.union(parse_uuid(union_id, "union_id"), on)
        if union is None:
            raise UnknownUnion(f"no union {union_id} is known here on {on}",
                               {"union_id": union_id, "as_of": on.isoformat()})
        return union

    def get_initiative(self, initiative_id: str) -> dict[str, Any]:
        i = self.initiative(initiative_id)
        return {"id": str(i.id), "union_id": str(i.union_id), "reference": i.reference,
                "kind": i.kind, "name": i.name, "fields": i.fields, "form_version": i.form_version,
                "authors": i.authors, "registered_on": i.registered_on.isoformat(),
                "decide_by": i.decide_by.isoformat(), "status": str(i.status),
                "idea_id": str(i.idea_id) if i.idea_id else None, "council": i.council,
                "evaluation": i.evaluation, "acceptance": i.acceptance,
                "recognitions": i.recognitions, "proposal": i.proposal,
                "applications": i.applications, "adopted_by": i.adopted_by,
                "value_saved_vnd": sum(a["value_saved_vnd"] for a in i.applications)}

    def get_replication(self, initiative_id: str, union_id: str) -> dict[str, Any]:
        r = self.replication(initiative_id, union_id)
        return {"initiative_id": str(r.initiative_id), "union_id": str(r.union_id),
                "adopted_on": r.adopted_on.isoformat(), "note": r.note, "decision": r.decision,
                "results": r.results}

    def overdue(self, union_id: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
        """R3.7: registrations still undecided past the 3-month limit on the date."""
        return self.queries.overdue(parse_uuid(union_id, "union_id") if union_id else None,
                                    self.as_of(as_of))

    def tracking_book(self, union_id: str, period_from: str | None = None,
                      period_to: str | None = None, status: str | None = None,
                      offset: int = 0, limit: int = 100) -> dict[str, Any]:
        """R3.5: the union's initiative tracking book, by registration period and status."""
        union = parse_uuid(union_id, "union_id")
        start = parse_date(period_from, "period_from") if period_from else None
        end = parse_date(period_to, "period_to") if period_to else None
        wanted = parse_choice(Status, status, "status").value if status else None
        first, count = parse_page(offset, limit)
        return self.queries.book(union, start, end, wanted, first, count)

    def search_initiatives(self, q: str, union_id: str | None = None,
                           limit: int = 20) -> list[dict[str, Any]]:
        """R3.5: the book's entries whose name holds every word of ``q``, diacritics and
        case ignored ("so hoa" finds "Số hoá"), of one union or of all."""
        _, size = parse_page(0, limit, 100)
        return self.queries.search(search_terms(q), parse_uuid(union_id, "union_id")
                                   if union_id else None, size)

    def export_book(self, union_id: str, format: str = "csv", period_from: str | None = None,
                    period_to: str | None = None, status: str | None = None) -> dict[str, Any]:
        """R3.5: the tracking book as CSV or XLSX (base64, to travel as JSON)."""
        if format not in ("csv", "xlsx"):
            raise InvalidInput("format is csv or xlsx", {"field": "format", "allowed": ["csv", "xlsx"]})
        rows = []
        offset = 0
        while True:
            page = self.tracking_book(union_id, period_from, period_to, status, offset, 500)
            rows.extend(page["entries"])
            offset += len(page["entries"])
            if not page["entries"] or offset >= page["total"]:
                break
        table = [[title for _, title in BOOK_COLUMNS]] + [
            [_cell(row[key]) for key, _ in BOOK_COLUMNS] for row in rows]
        content = _csv(table) if format == "csv" else _xlsx(table)
        return {"filename": f"so-theo-doi-sang-kien.{format}", "rows": len(rows),
                "content_type": "text/csv; charset=utf-8" if format == "csv" else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "content_base64": base64.b64encode(content).decode("ascii")}

    def ideas(self, union_id: str, author_id: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
        """R3.1: a union's ideas, newest first, of one author or all, in one status or any: a
        member follows theirs, the incubation team sees what to coach."""
        return self.queries.ideas(
            parse_uuid(union_id, "union_id"),
            parse_uuid(author_id, "author_id") if author_id else None,
            parse_choice(IdeaStatus, status, "status").value if status else None)

    def statistics(self, union_ids: list[str], year: int) -> list[dict[str, Any]]:
        """R3.3–R3.8 for the dashboards: per union and quarter of the year, the initiatives
        registered, recognised, applied with a measured benefit and replicated elsewhere."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 3000:
            raise InvalidInput("year must be a year", {"field": "year"})
        if not isinstance(union_ids, list | tuple) or not union_ids:
            raise InvalidInput("name at least one union", {"field": "union_ids"})
        return self.queries.statistics([parse_uuid(u, "union_ids") for u in union_ids], year)

    def replications(self, union_id: str) -> list[dict[str, Any]]:
        """R3.8: the initiatives a union adopted from others, each with its results so far."""
        return self.queries.replications(parse_uuid(union_id, "union_id"))

    def registrants(self, union_id: str, year: int) -> dict[str, Any]:
        """R3.3: who registers: initiatives with an official, a full-time official, or
        members only among their authors, in a year."""
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 3000:
            raise InvalidInput("year must be a year", {"field": "year"})
        return self.queries.registrants(parse_uuid(union_id, "union_id"), year)


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
