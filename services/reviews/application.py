"""Reviews commands and queries: the movement's yearly cycle at every union (R2.1–R2.8).

Each command validates all of its input, judges authority from the registry's facts as of
its own date (``Authority``), takes the rule set in force on that date, and only then makes
and saves its aggregates in one ``save``: a refused command changes nothing. Every decision
stores ``decision_record`` (who, on what authority, when, why, under which rules).

Dates: a review or classification may not be for a period that has not started, or dated
after today (the injected clock), or for a union that did not exist on its date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from contracts.registry import POLICY_LAW, BodyKind, Level
from contracts.registry.facts import Authority, RegistryFacts
from contracts.registry.known import KnownUnions
from contracts.reorganisation import CARRIED, CLOSED, EVENTS, open_item, require_change
from runtime.clock import Clock
from runtime.commands import handles
from runtime.config import Settings
from runtime.context import Actor, CommandContext, acting_user, current_context, use_context
from runtime.contracts import Envelope
from runtime.errors import DomainError, InvalidInput
from runtime.publication import Publication
from runtime.rules import NoRuleSetInForce, RuleBook, RuleSet, decision_record
from runtime.store import ServiceApplication
from services.reviews import commands
from services.reviews.domain import (
    AlreadyLaunched,
    AnnualReview,
    Classification,
    ClassificationExists,
    ClassificationNotFound,
    Difficulty,
    DifficultyNotFound,
    Dissemination,
    HalfYearReview,
    InvalidNumber,
    Launch,
    NoProvincialFederation,
    Overdue,
    Owed,
    OwedRecord,
    Period,
    Pledge,
    PledgeExists,
    ReviewExists,
    ReviewKind,
    ReviewNotFound,
    award_link,
    nomination_link,
    pledge_targets,
    score_on_scale,
    self_assessment,
    target_kinds,
    unique_ids,
)
from services.reviews.facts import AwardFacts, InitiativeFacts
from services.reviews.published import RULES
from services.reviews.readmodel import ReviewsReadModel
from services.reviews.trail import TRAIL

ITEMS_MAX = 200
# Upper levels act through their standing committee or their executive committee (R1.2).
ACTING_BODIES = (BodyKind.STANDING_COMMITTEE, BodyKind.EXECUTIVE_COMMITTEE)
SWEEP_BATCH = 500


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _texts(values: list[str] | None, field: str) -> list[str]:
    """Texts already cleaned (``commands.Findings``), at most ``ITEMS_MAX`` of them."""
    if values is None:
        return []
    if len(values) > ITEMS_MAX:
        raise InvalidInput(f"{field} must be a list of at most {ITEMS_MAX} texts", {"field": field})
    return list(values)


def _reach(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidNumber("reach must be a non-negative whole number", {"field": "reach"})
    return value


class Reviews(KnownUnions, ServiceApplication):
    service = "reviews"
    trail = TRAIL
    read_model_class = ReviewsReadModel
    upstream_views = (RegistryFacts, InitiativeFacts, AwardFacts)

    def __init__(self, settings: Settings | None = None, clock: Clock | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(settings, clock, env)
        self.authority = Authority(self.engine, self.service)
        self.rules = RuleBook.load("reviews")
        self.grading = RuleBook.load("classification")
        self.award_forms = RuleBook.load("awards")  # the forms' titles (R2.5)

    @property
    def achievements(self) -> InitiativeFacts:
        return next(v for v in self.views if isinstance(v, InitiativeFacts))

    @property
    def award_facts(self) -> AwardFacts:
        return next(v for v in self.views if isinstance(v, AwardFacts))

    @property
    def reviews_model(self) -> ReviewsReadModel:
        assert isinstance(self.read_model, ReviewsReadModel)
        return self.read_model

    def construct_publication(self) -> Publication:
        return Publication(self.service, RULES, self.catalog)

    # --- shared checks --------------------------------------------------------------------

    def _seat(self, union: dict[str, Any], on: date) -> dict[str, Any]:
        """The actor's seat on the first of the union's acting bodies they sat on that day: a
        grassroots union acts through its executive committee, an upper level through its
        standing committee or its executive committee (R1.2)."""
        actor, refusals = acting_user(), []
        grassroots = union["level"] == Level.GRASSROOTS.value
        for kind in (BodyKind.EXECUTIVE_COMMITTEE,) if grassroots else ACTING_BODIES:
            try:
                return self.authority.seat(actor, UUID(union["id"]), kind, on)
            except DomainError as exc:
                refusals.append(exc)
        # "Not on the body" says more than "no such body" when one of them was in office.
        raise next((r for r in refusals if r.code == "NO_AUTHORITY"), refusals[0])

    def _rules(self, on: date) -> RuleSet:
        return self.rules.in_force(on)

    # --- R2.1 launch --------------------------------------------------------------------------

    @handles(commands.Launch)
    def launch(self, command: commands.Launch) -> str:
        """R2.1: every level launches the movement for a year, with its plan."""
        uid, on = command.union_id, self.past(command.launched_on, "launched_on")
        period = Period.of_year(command.year, "a launch", on, "launched_on")
        union = self.authority.active_union(uid, on)
        launch_id = Launch.create_id(uid, period.year)
        if launch_id in self.repository:
            raise AlreadyLaunched(f"{union['name']} has launched the movement for {period}",
                                  {"union_id": str(uid), "year": period.year})
        decision = decision_record(self._seat(union, on), on,
                                   f"Phát động phong trào năm {period.year}: {command.title}",
                                   self._rules(on), command.evidence, command.number)
        launch = Launch(uid, period.year, on, command.title, command.plan, decision)
        self.save(launch)
        return str(launch.id)

    # --- R2.2 dissemination -------------------------------------------------------------------

    @handles(commands.RecordDissemination)
    def record_dissemination(self, command: commands.RecordDissemination) -> str:
        """R2.2: one dissemination activity, by kind, with its date, audience and reach."""
        uid, on = command.union_id, self.past(command.held_on, "held_on")
        period = Period.of_review(command.year, ReviewKind.ANNUAL, self.today())
        count = _reach(command.reach)
        period.require_holds(on, "held_on")
        union = self.authority.active_union(uid, on)
        seat = self._seat(union, on)
        activity = Dissemination(uid, period.year, command.kind.value, on, command.title,
                                 command.audience, count, seat)
        self.save(activity)
        return str(activity.id)

    # --- R2.3 pledge --------------------------------------------------------------------------

    @handles(commands.SignPledge)
    def sign_pledge(self, command: commands.SignPledge) -> str:
        """R2.3: a grassroots executive committee signs an emulation pledge for a year: its
        commitments to the movement are targets (a kind the rule book names, a number, a due
        date in the year), and a pledge without one is refused, whatever its text says."""
        uid, on = command.union_id, self.past(command.signed_on, "signed_on")
        period = Period.of_year(command.year, "a pledge", on, "signed_on")
        text, lines = command.content or "", _texts(command.commitments, "commitments")
        rules = self._rules(on)
        items = pledge_targets(command.items, period.year, self._target_kinds(rules),
                               int(rules.values.get("pledge_items_max", ITEMS_MAX)))
        if "pledge_target_kinds" in rules.values:
            Pledge.require_targets(items, rules["movement_title"])
        else:  # R2.3 as the rule set before targets read it: the movement's words in the text
            Pledge.require_content(text, lines, list(rules["pledge_required_terms"]),
                                   rules["movement_title"])
        union = self.authority.grassroots_union(uid, on)
        pledge_id = Pledge.create_id(uid, period.year)
        if pledge_id in self.repository:
            raise PledgeExists(f"{union['name']} has signed its pledge for {period}",
                               {"union_id": str(uid), "year": period.year})
        seat = self.authority.seat(acting_user(), uid, BodyKind.EXECUTIVE_COMMITTEE, on)
        decision = decision_record(seat, on, f"Ký giao ước thi đua năm {period.year}", rules,
                                   command.evidence)
        pledge = Pledge(uid, period.year, on, text, lines, decision, items)
        self.save(pledge)
        return str(pledge.id)

    def _target_kinds(self, rules: RuleSet) -> dict[str, dict[str, Any]]:
        """R2.3: the kinds of target of the rule set in force; under a version from before
        targets, the first version's that named them (so a target given then is read)."""
        kinds = target_kinds(rules)
        if kinds:
            return kinds
        return next((found for found in map(target_kinds, self.rules.versions) if found), {})

    @handles(commands.PledgeTargetKinds)
    def pledge_target_kinds(self, query: commands.PledgeTargetKinds) -> list[dict[str, Any]]:
        """R2.3: the kinds of target a pledge signed on a date may commit to, each with its
        title, its unit and whether the system counts it (or only the union assesses it)."""
        on = self.as_of(query.on)
        return [{"code": k["code"], "title": k["title"], "unit": k.get("unit"),
                 "counted": bool(k.get("counted"))}
                for k in self._target_kinds(self._rules(on)).values()]

    def _pledged(self, union_id: UUID, year: int) -> list[dict[str, Any]]:
        pledge = self.find(Pledge.create_id(union_id, year), Pledge)
        return list(pledge.items) if pledge is not None else []

    @handles(commands.PledgeTargets)
    def pledge_targets(self, query: commands.PledgeTargets) -> dict[str, Any]:
        """R2.3–R2.5: each target of the union's pledge for the year, for a period (the year,
        or a half), with its number, what the system counted from the initiatives' published
        events in the period (None for a kind it cannot count: self-assessed only), and the
        figure the union gave in its review of the period (None until it holds it)."""
        uid, period = query.union_id, Period.parse(query.period)
        pledge = self.find(Pledge.create_id(uid, period.year), Pledge)
        review: AnnualReview | HalfYearReview | None = (
            self.find(AnnualReview.create_id(uid, period), AnnualReview) if period.half is None
            else self.find(HalfYearReview.create_id(uid, period), HalfYearReview))
        assessed = {a["kind"]: a for a in (review.self_assessment if review else [])}
        kinds = self._target_kinds(self._rules(pledge.signed_on) if pledge else
                                   self.rules.versions[-1])
        counts = self.achievements.counts(uid, period.start, period.end)
        targets = []
        for item in (pledge.items if pledge else []):
            kind = kinds.get(item["kind"], {"code": item["kind"], "title": item["kind"]})
            counted = kind.get("counted")
            own = assessed.get(item["kind"])
            targets.append({**item, "title": kind["title"], "unit": kind.get("unit"),
                            "counted": bool(counted),
                            "achieved": counts.get(counted, 0) if counted else None,
                            "self_assessed": own["achieved"] if own else None,
                            "note": own["note"] if own else None})
        return {"union_id": str(uid), "period": str(period), "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "pledge_id": str(pledge.id) if pledge else None,
                "signed_on": _iso(pledge.signed_on) if pledge else None,
                "content": pledge.content if pledge else None,
                "review_held_on": _iso(review.held_on) if review else None,
                "targets": targets}

    # --- R2.4 half-year review with self-inspection -------------------------------------------

    @handles(commands.HoldHalfYearReview)
    def hold_half_year_review(self, command: commands.HoldHalfYearReview) -> str:
        """R2.4: each level inspects and supervises its own implementation every six months,
        folded into its half-year review, and records what it found."""
        uid, on = command.union_id, self.past(command.held_on, "held_on")
        half = Period.of_review(command.period, ReviewKind.HALF_YEAR, self.today())
        half.require_holds(on, "held_on")
        summary, found = command.summary, _texts(command.findings, "findings")
        HalfYearReview.require_findings(found)
        assessed = self_assessment(command.self_assessment, self._pledged(uid, half.year))
        union = self.authority.active_union(self._holder(uid, OwedRecord.HALF_YEAR, half, on), on)
        review_id = HalfYearReview.create_id(uid, half)
        self._no_review(review_id, union, half)
        decision = decision_record(self._seat(union, on), on,
                                   f"Sơ kết {half}: {summary}", self._rules(half.start),
                                   command.evidence)
        review = HalfYearReview(uid, str(half), on, summary, found, decision, assessed)
        self.save(review)
        return str(review.id)

    def _holder(self, union_id: UUID, record: OwedRecord, period: Period, on: date) -> UUID:
        """R1.5: the union whose committee holds the union's review on the date: its own, or
        from the effective date the successor it was merged into."""
        owed = self.find(Owed.create_id(union_id, record.value, str(period)), Owed)
        return owed.holder_on(on) if owed is not None else union_id

    def _no_review(self, review_id: UUID, union: dict[str, Any], period: Period) -> None:
        if review_id in self.repository:
            raise ReviewExists(f"{union['name']} has held its review of {period}",
                               {"union_id": union["id"], "period": str(period)})

    # --- R2.5, R2.7 annual review -------------------------------------------------------------

    @handles(commands.HoldAnnualReview)
    def hold_annual_review(self, command: commands.HoldAnnualReview) -> str:
        """R2.5, R2.7: each level evaluates the movement for the year, with its results, its
        self-assessed score, the rewards it gave on its own authority and those it proposes
        upward: links to its award decisions and nominations of the year, never typed."""
        uid, on = command.union_id, self.past(command.held_on, "held_on")
        period = Period.of_review(command.year, ReviewKind.ANNUAL, self.today())
        period.require_holds(on, "held_on")
        results = command.results
        score = score_on_scale(command.self_score, "self_score",
                               self.grading.in_force(on)["scale"])
        given, proposed = self._links(uid, period.year, command.award_ids,
                                      command.nomination_ids)
        assessed = self_assessment(command.self_assessment, self._pledged(uid, period.year))
        union = self.authority.active_union(self._holder(uid, OwedRecord.ANNUAL, period, on), on)
        review_id = AnnualReview.create_id(uid, period)
        self._no_review(review_id, union, period)
        decision = decision_record(self._seat(union, on), on,
                                   f"Tổng kết năm {period.year}: {results}",
                                   self._rules(period.start), command.evidence)
        review = AnnualReview(uid, str(period), on, results, score, given, proposed, decision,
                              assessed)
        self.save(review)
        return str(review.id)

    def _links(self, union_id: UUID, year: int, award_ids: list[UUID] | None,
               nomination_ids: list[UUID] | None) -> tuple[list[dict[str, Any]],
                                                           list[dict[str, Any]]]:
        """R2.5: the award decisions and nominations named, each the union's own for the
        year as the awards service published them, with what the review shows of them."""
        facts = self.award_facts
        given = [award_link(facts.award(a), a, union_id, year)
                 for a in unique_ids(award_ids, "award_ids", ITEMS_MAX)]
        proposed = []
        for n in unique_ids(nomination_ids, "nomination_ids", ITEMS_MAX):
            found = facts.nomination(n)
            recipient, form = (self._subject_name(found), self._form_title(found["form"])) \
                if found else ("", "")
            proposed.append(nomination_link(found, n, union_id, year, recipient, form))
        return given, proposed

    def _subject_name(self, nomination: dict[str, Any]) -> str:
        """Whom a nomination is for, by the registry's facts on its date."""
        on = date.fromisoformat(nomination["nominated_on"])
        subject_id = UUID(nomination["subject_id"])
        if nomination["subject"] == "collective":
            union = self.authority.union(subject_id, on)
            return str(union["name"]) if union else nomination["subject_id"]
        person = self.authority.person(subject_id, on)
        return str(person["full_name"]) if person else nomination["subject_id"]

    def _form_title(self, code: str) -> str:
        """The title of an award form by its code, from the newest rule set naming it."""
        for rules in reversed(self.award_forms.versions):
            for form in rules.values.get("forms", ()):
                if form["code"] == code:
                    return str(form["title"])
        return code

    def _held_annual_review(self, union_id: UUID, year: object) -> tuple[AnnualReview, Period]:
        period = Period.parse(year, "year")
        review = self._annual_review(union_id, Period(period.year))
        if review is None or period.half is not None:
            raise ReviewNotFound(f"the union has held no annual review of {period}",
                                 {"union_id": str(union_id), "year": period.year})
        return review, Period(period.year)

    @handles(commands.LinkReviewRewards)
    def link_review_rewards(self, command: commands.LinkReviewRewards) -> dict[str, Any]:
        """R2.5: an open annual review lists the rewards given and the proposals sent upward
        as they are decided and nominated: links to them, replacing those listed before."""
        uid, on = command.union_id, self.past(command.linked_on, "linked_on")
        review, period = self._held_annual_review(uid, command.year)
        review.require_open()
        given, proposed = self._links(uid, period.year, command.award_ids,
                                      command.nomination_ids)
        union = self.authority.active_union(uid, on)
        self._seat(union, on)
        review.link(on, given, proposed)
        self.save(review)
        return self._annual_view(review)

    @handles(commands.CloseAnnualReview)
    def close_annual_review(self, command: commands.CloseAnnualReview) -> dict[str, Any]:
        """R2.5: an annual review is closed only when every proposal upward it lists has a
        nomination of the union behind it, as the awards service published it."""
        uid, on = command.union_id, self.past(command.closed_on, "closed_on")
        review, period = self._held_annual_review(uid, command.year)
        review.require_open()
        union = self.authority.active_union(uid, on)
        known = {n["nomination_id"]: n for n in self.award_facts.proposed_by(uid, period.year)}
        decision = decision_record(self._seat(union, on), on,
                                   f"Kết thúc tổng kết năm {period.year}",
                                   self._rules(period.start), None)
        review.close(on, known, decision)
        self.save(review)
        return self._annual_view(review)

    @handles(commands.GetAnnualReview)
    def get_annual_review(self, query: commands.GetAnnualReview) -> dict[str, Any]:
        """R2.5: the annual review with the rewards and proposals it lists (each a link with
        what it showed when linked; a typed one of an old review has no link) and, for each
        proposal, whether a nomination stands behind it."""
        review, _ = self._held_annual_review(query.union_id, query.year)
        return self._annual_view(review)

    def _annual_view(self, r: AnnualReview) -> dict[str, Any]:
        known = {n["nomination_id"]
                 for n in self.award_facts.proposed_by(r.union_id, int(r.period))}
        return {"id": str(r.id), "union_id": str(r.union_id), "year": int(r.period),
                "held_on": _iso(r.held_on), "results": r.results, "self_score": r.self_score,
                "rewards_given": [dict(g) for g in r.rewards_given],
                "rewards_proposed": [{**p, "nominated": p.get("nomination_id") in known}
                                     for p in r.rewards_proposed],
                "self_assessment": list(r.self_assessment), "decision": r.decision,
                "closed_on": _iso(r.closed_on), "closing": r.closing}

    @handles(commands.ReviewAwardLinks)
    def review_award_links(self, query: commands.ReviewAwardLinks) -> dict[str, Any]:
        """R2.5: what the union's annual review of a year may link to: its award decisions
        of the year (its own authority) and its nominations of the year proposed upward,
        each with what the review would show and whether the review lists it."""
        uid, period = query.union_id, Period.parse(query.year, "year")
        review = self._annual_review(uid, Period(period.year))
        listed = {e.get("award_id") for e in review.rewards_given} | {
            e.get("nomination_id") for e in review.rewards_proposed} if review else set()
        awards = [{**award_link(a, a["award_id"], uid, period.year), "revoked": a["revoked"],
                   "listed": a["award_id"] in listed}
                  for a in self.award_facts.decided_by(uid, period.year)]
        nominations = [{**nomination_link(n, n["nomination_id"], uid, period.year,
                                          self._subject_name(n), self._form_title(n["form"])),
                        "listed": n["nomination_id"] in listed}
                       for n in self.award_facts.proposed_by(uid, period.year)]
        return {"union_id": str(uid), "year": period.year, "awards": awards,
                "nominations": nominations}

    # --- R2.6 inspection and classification ---------------------------------------------------

    def _classifier(self, lower: UUID, upper: UUID, on: date) -> dict[str, Any]:
        """R2.6: only the direct upper union as of the date classifies, through a member of
        its standing committee in office that day."""
        Classification.require_classifier(lower, upper, self.authority.direct_superior(lower, on), on)
        return self.authority.seat(acting_user(), upper, BodyKind.STANDING_COMMITTEE, on)

    @handles(commands.Classify)
    def classify(self, command: commands.Classify) -> dict[str, Any]:
        """R2.6: the upper union inspects a lower union at the annual inspection and grades it
        by the rule set in force on the date; the lower union's own score is kept beside."""
        lower, upper = command.union_id, command.upper_union_id
        on = self.past(command.classified_on, "classified_on")
        period = Period.of_review(command.year, ReviewKind.ANNUAL, self.today())
        period.require_holds(on, "classified_on")
        rules = self.grading.in_force(on)
        score = score_on_scale(command.appraised_score, "appraised_score", rules["scale"])
        found = _texts(command.findings, "findings")
        self.authority.active_union(lower, on)
        classification_id = Classification.create_id(lower, period.year)
        if classification_id in self.repository:
            raise ClassificationExists(
                f"the union is classified for {period}; a change is a correction with a reason",
                {"union_id": str(lower), "year": period.year})
        grade = Classification.grade_of(rules["grades"], score)
        decision = decision_record(self._classifier(lower, upper, on), on,
                                   command.reason or f"Kiểm tra, xếp loại năm {period.year}",
                                   rules, command.evidence, command.number)
        review = self._annual_review(lower, period)
        classification = Classification(lower, period.year, upper, on,
                                        review.self_score if review else None, score, grade,
                                        found, decision)
        self.save(classification)
        return self._classification_view(classification)

    @handles(commands.CorrectClassification)
    def correct_classification(self, command: commands.CorrectClassification) -> dict[str, Any]:
        """R2.6: a classification changes only by an explicit correction stating its reason;
        it supersedes the grade and keeps what it corrected."""
        lower, upper = command.union_id, command.upper_union_id
        on = self.past(command.corrected_on, "corrected_on")
        period = Period.of_review(command.year, ReviewKind.ANNUAL, self.today())
        rules = self.grading.in_force(on)
        score = score_on_scale(command.appraised_score, "appraised_score", rules["scale"])
        found = _texts(command.findings, "findings")
        classification = self._classification(lower, period.year)
        decision = decision_record(self._classifier(lower, upper, on), on, command.reason, rules,
                                   command.evidence, command.number)
        classification.correct(upper, on, score, Classification.grade_of(rules["grades"], score),
                               found, decision)
        self.save(classification)
        return self._classification_view(classification)

    def _annual_review(self, union_id: UUID, period: Period) -> AnnualReview | None:
        return self.find(AnnualReview.create_id(union_id, period), AnnualReview)

    def _classification(self, union_id: UUID, year: int) -> Classification:
        found = self.find(Classification.create_id(union_id, year), Classification)
        if found is None:
            raise ClassificationNotFound(f"the union is not classified for {year}",
                                         {"union_id": str(union_id), "year": year})
        return found

    @handles(commands.GetClassification)
    def get_classification(self, query: commands.GetClassification) -> dict[str, Any]:
        """R2.6, R4.1(e): a union's classification for a year (vững mạnh, hoàn thành tốt nhiệm
        vụ…), who classified it, and any correction."""
        period = Period.parse(query.year, "year")
        return self._classification_view(self._classification(query.union_id, period.year))

    @staticmethod
    def _classification_view(c: Classification) -> dict[str, Any]:
        return {"id": str(c.id), "union_id": str(c.union_id), "year": c.year,
                "upper_union_id": str(c.upper_union_id), "classified_on": _iso(c.classified_on),
                "self_score": c.self_score, "appraised_score": c.appraised_score,
                "grade": c.grade, "findings": list(c.findings), "decision": c.decision,
                "superseded": list(c.history)}

    # --- R2.8 difficulties --------------------------------------------------------------------

    def _federation(self, union_id: UUID, on: date) -> dict[str, Any]:
        union = self.authority.active_union(union_id, on)
        if union["level"] == Level.PROVINCIAL_FEDERATION.value:
            return union
        for ancestor in self.authority.ancestors(union_id, on) or []:
            if ancestor["level"] == Level.PROVINCIAL_FEDERATION.value:
                return ancestor
        raise NoProvincialFederation("the union is under no provincial federation",
                                     {"union_id": str(union_id)})

    @handles(commands.ReportDifficulty)
    def report_difficulty(self, command: commands.ReportDifficulty) -> str:
        """R2.8: a union reports a difficulty upward to its provincial federation's
        Policy–Law department (which must be in office to receive it)."""
        uid, on = command.union_id, self.past(command.reported_on, "reported_on")
        union = self.authority.active_union(uid, on)
        federation = self._federation(uid, on)
        self.authority.body_in_office(UUID(federation["id"]), BodyKind.DEPARTMENT, on, POLICY_LAW)
        seat = self._seat(union, on)
        difficulty = Difficulty(uid, UUID(federation["id"]), on, command.subject,
                                command.description, seat)
        self.save(difficulty)
        return str(difficulty.id)

    def _difficulty(self, difficulty_id: UUID) -> Difficulty:
        found = self.find(difficulty_id, Difficulty)
        if found is None:
            raise DifficultyNotFound(f"no difficulty {difficulty_id}",
                                     {"difficulty_id": str(difficulty_id)})
        return found

    @handles(commands.AnswerDifficulty)
    def answer_difficulty(self, command: commands.AnswerDifficulty) -> None:
        """R2.8: a member of the federation's Policy–Law department in office answers."""
        difficulty = self._difficulty(command.difficulty_id)
        on = self.past(command.answered_on, "answered_on")
        seat = self.authority.seat(acting_user(), difficulty.federation_id, BodyKind.DEPARTMENT,
                                   on, POLICY_LAW)
        difficulty.answer(on, command.answer, seat)
        self.save(difficulty)

    @handles(commands.FollowUpDifficulty)
    def follow_up_difficulty(self, command: commands.FollowUpDifficulty) -> None:
        """R2.8: the reporting union continues the thread."""
        difficulty = self._difficulty(command.difficulty_id)
        day = self.past(command.on, "on")
        # R1.5: the union following the thread on that date (a successor after a merge)
        union = self.authority.active_union(difficulty.holder_on(day), day)
        seat = self._seat(union, day)
        difficulty.follow_up(day, command.text, seat)
        self.save(difficulty)

    @handles(commands.GetDifficulty)
    def get_difficulty(self, query: commands.GetDifficulty) -> dict[str, Any]:
        """R2.8: one difficulty reported upward: its subject, the federation's Policy–Law
        department it went to, the answers and follow-ups."""
        d = self._difficulty(query.difficulty_id)
        return {"id": str(d.id), "union_id": str(d.union_id), "federation_id": str(d.federation_id),
                "subject": d.subject, "reported_on": _iso(d.reported_on),
                "thread": list(d.thread), "held_by": str(d.held_by),
                "handovers": list(d.handovers), "closed": d.closed}

    @handles(commands.Difficulties)
    def difficulties(self, query: commands.Difficulties) -> list[dict[str, Any]]:
        """R2.8: the difficulties a union reported, or those its federation's Policy–Law
        department received, the latest first, each answered or still waiting."""
        if query.union_id is None and query.federation_id is None:
            raise InvalidInput("give union_id or federation_id", {"field": "union_id"})
        rows = self.reviews_model.difficulties_of(query.union_id, query.federation_id)
        return [{"id": str(r["difficulty_id"]), "union_id": str(r["union_id"]),
                 "federation_id": str(r["federation_id"]), "subject": r["subject"],
                 "reported_on": _iso(r["reported_on"]), "last_on": _iso(r["last_on"]),
                 "answered": r["answers"] > 0, "messages": r["messages"],
                 "held_by": str(r["held_by"] or r["union_id"]),
                 "carried_from": str(r["carried_from"]) if r["carried_from"] else None,
                 "carried_on": _iso(r["carried_on"])} for r in rows]

    # --- reorganisation: nothing left behind (R1.5) -------------------------------------------

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """R1.5: when the registry merges a union into another, each difficulty it reported
        that awaits an answer is taken over by the successor from the effective date
        (``CarriedOver``, citing the registry's event); when it dissolves or splits one, the
        thread is closed with its reason (a part of a split reports anew if the difficulty is
        still its own). The federation's answer may still come either way."""
        if not isinstance(domain_event, Envelope) or domain_event.source != "registry" \
                or domain_event.name not in _REORGANISATIONS:
            return
        p = domain_event.payload
        union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
        cause = {"source": "registry", "event": domain_event.name,
                 "event_id": domain_event.event_id, "position": domain_event.notification_id}
        self._hand_over_owed(processing_event, domain_event.name, p, cause)
        ids = {UUID(r["difficulty_id"]) if not isinstance(r["difficulty_id"], UUID)
               else r["difficulty_id"] for r in self.reviews_model.difficulties_of(union)}
        ids |= {k for k, a in processing_event.aggregates.items() if isinstance(a, Difficulty)}
        for difficulty_id in sorted(ids, key=str):
            difficulty = self.aggregate_in(processing_event, difficulty_id)
            if not isinstance(difficulty, Difficulty) or difficulty.held_by != union \
                    or difficulty.closed is not None or not difficulty.awaiting_answer:
                continue
            if domain_event.name == "registry.union_merged":
                difficulty.carry_over(from_union_id=union, to_union_id=UUID(p["successor_id"]),
                                      effective_on=on, cause=cause)
            else:
                difficulty.close(union_id=union, effective_on=on, cause=cause,
                                 reason=_REORGANISATIONS[domain_event.name].format(
                                     on=f"{on.day:02d}/{on.month:02d}/{on.year}"))
            processing_event.collect_events(difficulty)

    def owed_on(self, union_id: UUID, on: date) -> list[dict[str, Any]]:
        """R1.5: what the union still owes of its yearly cycle on the eve of a reorganisation
        effective on ``on``: each review of the followed years whose period started before the
        date and that it has not held (due or overdue, as its schedule has it), and the pledge
        of each year whose annual review is among them."""
        eve = on - timedelta(days=1)
        years = self._years(eve)
        _, held = self._held([union_id], years)
        owed: list[dict[str, Any]] = []
        for entry in self._entries(union_id, years, eve, held, set()):
            if entry["status"] not in ("due", "overdue"):
                continue
            period = Period.parse(entry["period"])
            if period.half is None:
                pledge = self.find(Pledge.create_id(union_id, period.year), Pledge)
                if pledge is not None:
                    owed.append({"record": OwedRecord.PLEDGE.value, "period": str(period),
                                 "record_id": pledge.id, "due_on": None})
            kind = OwedRecord.ANNUAL if period.half is None else OwedRecord.HALF_YEAR
            review_id = (AnnualReview.create_id(union_id, period) if period.half is None
                         else HalfYearReview.create_id(union_id, period))
            owed.append({"record": kind.value, "period": str(period), "record_id": review_id,
                         "due_on": date.fromisoformat(entry["due_on"])})
        return owed

    def _hand_over_owed(self, processing_event: Any, name: str, p: dict[str, Any],
                        cause: dict[str, Any]) -> None:
        """R1.5, R2.3–R2.5: the pledge and the reviews a merged union still owed are taken over
        by its successor from the effective date (its committee holds them from then, the old
        one before); a dissolution closes them; a split closes them too, naming the new
        unions: the registry names no successor of the whole, and each new union reviews its
        own part of the year in its own reviews."""
        union, on = UUID(p["union_id"]), date.fromisoformat(p["effective_on"])
        reason = self._owed_reason(name, p, on)
        if name == "registry.union_split":
            cause = {**cause, "parts": list(p.get("successor_ids") or [])}
        for item in self.owed_on(union, on):
            owed_id = Owed.create_id(union, item["record"], item["period"])
            if owed_id in processing_event.aggregates or owed_id in self.repository:
                continue  # delivered again: handed over once
            owed = Owed(union, item["record"], item["period"], item["record_id"], item["due_on"])
            if name == "registry.union_merged":
                owed.carry_over(from_union_id=union, to_union_id=UUID(p["successor_id"]),
                                effective_on=on, cause=cause)
            else:
                owed.close(effective_on=on, reason=reason, cause=cause)
            processing_event.collect_events(owed)

    @handles(commands.OpenItems)
    def open_items(self, query: commands.OpenItems) -> list[dict[str, Any]]:
        """R1.5: for a reorganisation plan's preview, what the unions' change on the date
        would do, as the policy does it when the registry's event comes: each pledge and
        review they still owe and each difficulty awaiting an answer, carried over to the
        successor of a merge, or closed with its reason. Stores nothing."""
        action, on, successor = query.action, query.on, query.successor_id
        require_change(query.union_ids, action, successor)
        name = EVENTS[action]
        found = []
        for union in dict.fromkeys(query.union_ids):
            reason = self._owed_reason(name, {}, on) or None
            for item in self.owed_on(union, on):
                if Owed.create_id(union, item["record"], item["period"]) in self.repository:
                    continue  # handed over already
                found.append(open_item(
                    union, item["record"], item["record_id"],
                    _owed_title(item["record"], Period.parse(item["period"])), item["period"],
                    on, successor, CARRIED if successor else CLOSED, reason))
            for row in self.reviews_model.difficulties_of(union):
                difficulty = self.find(UUID(str(row["difficulty_id"])), Difficulty)
                if difficulty is None or difficulty.held_by != union \
                        or difficulty.closed is not None or not difficulty.awaiting_answer:
                    continue
                found.append(open_item(
                    union, "difficulty", difficulty.id, difficulty.subject, None, on, successor,
                    CARRIED if successor else CLOSED,
                    _REORGANISATIONS[name].format(on=f"{on.day:02d}/{on.month:02d}/{on.year}")
                    or None))
        return found

    def _owed_reason(self, name: str, p: dict[str, Any], on: date) -> str:
        day = f"{on.day:02d}/{on.month:02d}/{on.year}"
        if name == "registry.union_dissolved":
            return f"Công đoàn giải thể từ ngày {day}, không có đơn vị tiếp nhận"
        if name != "registry.union_split":
            return ""
        # The parts are founded in the same registry save as the split, after it: their ids
        # (in the cause) name them, their names are not known yet.
        parts = len(p.get("successor_ids") or [])
        into = f" thành {parts} đơn vị mới" if parts else ""
        return (f"Công đoàn được chia, tách{into} từ ngày {day}; mỗi đơn vị mới sơ kết, tổng "
                f"kết phần việc của mình")

    # --- schedules and the overdue list --------------------------------------------------------

    def _due_on(self, period: Period) -> date | None:
        """The review's due date from the rule set in force when the period starts."""
        try:
            rules = self._rules(period.start)
        except NoRuleSetInForce:
            return None
        due = rules["due"]["annual" if period.half is None else f"H{period.half}"]
        return date(period.year + due["year_offset"], due["month"], due["day"])

    @staticmethod
    def _periods(year: int) -> list[Period]:
        return [Period(year, 1), Period(year, 2), Period(year)]

    def _entries(self, union_id: UUID, years: Iterable[int], on: date,
                 held: dict[tuple[UUID, str], date], flagged: set[tuple[UUID, str]],
                 founded_on: date | None = None) -> list[dict[str, Any]]:
        """Each review of the years: due, held (on time or late), overdue or not started.
        ``founded_on``, for a union known to be active on ``on``, spares a query per period."""
        entries = []
        for year in years:
            for period in self._periods(year):
                due = self._due_on(period)
                if due is None:
                    continue
                held_on = held.get((union_id, str(period)))
                if held_on is not None and held_on > on:
                    held_on = None  # as of the date, it had not been held yet
                if held_on is not None:
                    status = "held"
                elif on < period.start:
                    status = "not_started"
                elif not self._existed(union_id, min(period.end, on), founded_on):
                    status = "not_expected"  # the union did not exist then
                else:
                    status = "overdue" if on > due else "due"
                entries.append({"union_id": str(union_id), "period": str(period),
                                "kind": period.kind.value, "due_on": due.isoformat(),
                                "status": status, "held_on": _iso(held_on),
                                "late": bool(held_on and held_on > due),
                                "flagged": (union_id, str(period)) in flagged})
        return entries

    def _existed(self, union_id: UUID, on: date, founded_on: date | None) -> bool:
        if founded_on is not None:
            return founded_on <= on
        return self.authority.union(union_id, on) is not None

    def _held(self, union_ids: list[UUID], years: list[int]) -> tuple[
            list[dict[str, Any]], dict[tuple[UUID, str], date]]:
        rows = self.reviews_model.activities_of(union_ids, years)
        held = {(r["union_id"], r["period"]): r["on"] for r in rows
                if r["kind"] in (ReviewKind.HALF_YEAR.value, ReviewKind.ANNUAL.value)}
        return rows, held

    @handles(commands.Schedule)
    def schedule(self, query: commands.Schedule) -> dict[str, Any]:
        """R2.4, R2.5, R2.7: which reviews of a union's year are due, held or overdue as of a date (today by
        default), with the launch, pledge and dissemination of that year."""
        uid, on = query.union_id, self.as_of(query.as_of)
        period = Period.parse(query.year, "year")
        rows, held = self._held([uid], [period.year])
        reviews = self._entries(uid, [period.year], on, held, self.reviews_model.flagged([uid]))
        first = {kind: next((r["on"] for r in rows if r["kind"] == kind), None)
                 for kind in ("launch", "pledge")}
        return {"union_id": str(uid), "year": period.year, "as_of": on.isoformat(),
                "launched_on": _iso(first["launch"]), "pledge_signed_on": _iso(first["pledge"]),
                "disseminations": sum(1 for r in rows if r["kind"].startswith("dissemination")),
                "reviews": reviews, "carried_over": self._carried([uid], [period.year], on)}

    def _carried(self, holders: list[UUID], years: list[int], on: date) -> list[dict[str, Any]]:
        """R1.5: the pledges and reviews of the years the unions took over from unions merged
        into them, each with where it came from and, for a review, where it stands."""
        rows = [r for r in self.reviews_model.owed_held_by(holders) if int(r["period"][:4]) in years]
        from_ids = sorted({r["union_id"] for r in rows}, key=str)
        _, held = self._held(from_ids, years)
        flagged = self.reviews_model.flagged(from_ids)
        found = []
        for r in rows:
            was = self.authority.union(r["union_id"], r["carried_on"] - timedelta(days=1))
            item = {"record": r["record"], "union_id": str(r["union_id"]), "period": r["period"],
                    "record_id": str(r["record_id"]), "held_by": str(r["held_by"]),
                    "carried_from": str(r["union_id"]), "carried_on": _iso(r["carried_on"]),
                    "carried_from_name": was["name"] if was else None,
                    "due_on": _iso(r["due_on"])}
            if r["record"] != OwedRecord.PLEDGE.value:
                period = Period.parse(r["period"])
                entry = next(e for e in self._entries(r["union_id"], [period.year], on, held,
                                                      flagged, founded_on=date.min)
                             if e["period"] == r["period"])
                item.update(status=entry["status"], held_on=entry["held_on"],
                            late=entry["late"], kind=entry["kind"])
            found.append(item)
        return found

    def _years(self, on: date) -> list[int]:
        """The years whose reviews are followed up on a date: this year and as many before it
        as the rule book says (annual reviews fall due in the next January)."""
        try:
            lookback = int(self._rules(on)["overdue_lookback_years"])
        except NoRuleSetInForce:
            lookback = 1
        return list(range(on.year - lookback, on.year + 1))

    @handles(commands.Overdue)
    def overdue(self, query: commands.Overdue) -> list[dict[str, Any]]:
        """R2.6, R2.7: the direct lower unions (as of the date) with overdue reviews, for the
        upper union."""
        upper, on = query.upper_union_id, self.as_of(query.as_of)
        self.authority.active_union(upper, on)
        with self.engine.connect() as connection:
            children = self.authority.children(connection, [upper], on)
        ids = [UUID(c["id"]) for c in children]
        years = self._years(on)
        _, held = self._held(ids, years)
        flagged = self.reviews_model.flagged(ids)
        found = []
        for child in children:
            for entry in self._entries(UUID(child["id"]), years, on, held, flagged,
                                       date.fromisoformat(child["founded_on"])):
                if entry["status"] == "overdue":
                    found.append({**entry, "code": child["code"], "name": child["name"]})
        by_id = {c["id"]: c for c in children}
        for item in self._carried(ids, years, on):  # R1.5: owed by a union merged into a child
            if item.get("status") == "overdue":
                child = by_id[item["held_by"]]
                found.append({k: item[k] for k in ("union_id", "period", "kind", "due_on",
                                                   "status", "held_on", "late")}
                             | {"flagged": False, "code": child["code"], "name": child["name"],
                                "carried_from": item["carried_from"],
                                "carried_on": item["carried_on"]})
        return found

    def _active_unions(self, on: date) -> list[dict[str, Any]]:
        found, stack = [], list(self.authority.tree(on))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node["children"])
        return found

    @handles(commands.FlagOverdue)
    def flag_overdue(self, command: commands.FlagOverdue) -> int:
        """R2.7: records one ``ReviewOverdue`` event per union and review not held by its due date
        (run periodically by the service, and over RPC); idempotent by its derived id."""
        on = self.today()
        context = current_context() or CommandContext(Actor.system(self.service))
        unions = self._active_unions(on)
        years = self._years(on)
        count = 0
        with use_context(context):
            for start in range(0, len(unions), SWEEP_BATCH):
                batch = unions[start:start + SWEEP_BATCH]
                ids = [UUID(u["id"]) for u in batch]
                _, held = self._held(ids, years)
                flagged = self.reviews_model.flagged(ids)
                new = [Overdue(UUID(u["id"]), e["period"], e["kind"],
                               date.fromisoformat(e["due_on"]), on,
                               UUID(u["parent_id"]) if u["parent_id"] else None)
                       for u in batch
                       for e in self._entries(UUID(u["id"]), years, on, held, flagged,
                                              date.fromisoformat(u["founded_on"]))
                       if e["status"] == "overdue" and not e["flagged"]]
                new = [o for o in new if o.id not in self.repository]
                if new:
                    self.save(*new)
                    count += len(new)
        return count

    # --- analytics ----------------------------------------------------------------------------

    @handles(commands.ScoreGap)
    def score_gap(self, query: commands.ScoreGap) -> dict[str, Any]:
        """R2.6: per union and year, the self-assessed score against the appraised one, so that a
        lenient self-assessment shows (gap at or above the rule book's ``lenient_gap``)."""
        period = Period.parse(query.year, "year")
        if (query.union_id is None) == (query.upper_union_id is None):
            raise InvalidInput("give either union_id or upper_union_id", {"field": "union_id"})
        rows = self.reviews_model.classifications_of(period.year, query.union_id,
                                                     query.upper_union_id)
        lenient_gap = self.grading.in_force(period.end)["lenient_gap"]
        unions = []
        for row in sorted(rows, key=lambda r: str(r["union_id"])):
            gap = (row["self_score"] - row["appraised_score"]
                   if row["self_score"] is not None else None)
            unions.append({"union_id": str(row["union_id"]), "grade": row["grade"],
                           "self_score": row["self_score"],
                           "appraised_score": row["appraised_score"], "gap": gap,
                           "lenient": gap is not None and gap >= lenient_gap})
        gaps = [u["gap"] for u in unions if u["gap"] is not None]
        return {"year": period.year, "lenient_gap": lenient_gap, "unions": unions,
                "mean_gap": sum(gaps) / len(gaps) if gaps else None,
                "lenient": sum(1 for u in unions if u["lenient"])}


APPLICATION = Reviews


def _owed_title(record: str, period: Period) -> str:
    """R1.5: an owed pledge or review as a union office names it."""
    if record == OwedRecord.PLEDGE.value:
        return f"Giao ước thi đua năm {period.year}"
    if record == OwedRecord.ANNUAL.value:
        return f"Tổng kết năm {period.year}"
    half = "đầu" if period.half == 1 else "cuối"
    return f"Sơ kết 6 tháng {half} năm {period.year}"


# R1.5: the registry's reorganisations a difficulty's thread follows, and why one closes it.
_REORGANISATIONS = {
    "registry.union_merged": "",
    "registry.union_dissolved": "Công đoàn giải thể từ ngày {on}, không có đơn vị tiếp nhận",
    "registry.union_split": "Công đoàn được chia, tách từ ngày {on}; đơn vị mới báo cáo lại "
                            "nếu vướng mắc còn là của mình",
}
