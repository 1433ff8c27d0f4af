"""The movement's yearly cycle at each union (R2.1–R2.8).

Pure Python: no I/O, no clock, no nameko. The application finds the registry's facts, the
rule book in force and today's date, and passes them to these aggregates and to ``Period``,
which judge them (a period's kind and dates, a pledge's content, a grade, who classifies):
- ``Launch``: a union launches the movement for a year, with its plan (R2.1);
- ``Dissemination``: one dissemination activity, by kind (R2.2);
- ``Pledge``: a grassroots executive committee's emulation pledge for a year (R2.3);
- ``HalfYearReview``: a half-year review with its self-inspection (R2.4);
- ``AnnualReview``: an annual review with its results, self-assessed score, and links to
  the award decisions it gave and the nominations it proposed upward (R2.5, R2.7);
- ``Classification``: the upper union's inspection and grade of a lower union for a year,
  corrections kept beside what they supersede (R2.6);
- ``Overdue``: a review that was not held by its due date (schedules);
- ``Difficulty``: a difficulty reported to the Policy–Law department and its thread (R2.8);
- ``Owed``: a pledge or review a reorganised union still owed, carried over or closed (R1.5).

Ids are derived from natural keys (union and period) where there is one, so a second launch,
pledge, review or classification of the same period conflicts instead of duplicating.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from runtime.errors import Conflict, Forbidden, InvalidInput, NotFound
from runtime.rules import ScoreOutOfScale
from runtime.text import clean_text, not_before, search_key

NAMESPACE = uuid.UUID("5b0a6b47-3a5e-4f7e-9d53-2f1c0e6e2a10")  # the reviews service's ids


# --- errors: each refusal has a stable code ------------------------------------------------

class InvalidPeriod(InvalidInput):
    code = "INVALID_PERIOD"


class PeriodNotStarted(Conflict):
    code = "PERIOD_NOT_STARTED"


class DateOutsidePeriod(InvalidInput):
    code = "DATE_OUTSIDE_PERIOD"


class InvalidNumber(InvalidInput):
    code = "INVALID_NUMBER"


class AlreadyLaunched(Conflict):
    code = "ALREADY_LAUNCHED"


class PledgeExists(Conflict):
    code = "PLEDGE_EXISTS"


class PledgeWithoutMovementContent(InvalidInput):
    """R2.3: a pledge that does not contain the movement's content."""

    code = "PLEDGE_WITHOUT_MOVEMENT_CONTENT"


class PledgeWithoutTargets(InvalidInput):
    """R2.3: a pledge commits to at least one target of a kind the rule book names."""

    code = "PLEDGE_WITHOUT_TARGETS"


class InvalidPledgeTarget(InvalidInput):
    """R2.3: a target of a kind the rule book does not name, not a positive whole number, or
    due outside the pledge's year."""

    code = "INVALID_PLEDGE_TARGET"


class InvalidSelfAssessment(InvalidInput):
    """R2.4, R2.5: a self-assessed figure for a target the union did not pledge, or not a
    non-negative whole number."""

    code = "INVALID_SELF_ASSESSMENT"


class ReviewExists(Conflict):
    code = "REVIEW_EXISTS"


class ClassificationExists(Conflict):
    code = "CLASSIFICATION_EXISTS"


class ClassificationNotFound(NotFound):
    code = "CLASSIFICATION_NOT_FOUND"


class NotDirectSuperior(Forbidden):
    """R2.6: only the direct upper union, as of the date, classifies a union."""

    code = "NOT_DIRECT_SUPERIOR"


class NoUpperUnion(Conflict):
    code = "NO_UPPER_UNION"


class DifficultyNotFound(NotFound):
    code = "DIFFICULTY_NOT_FOUND"


class NoProvincialFederation(Conflict):
    code = "NO_PROVINCIAL_FEDERATION"


class DifficultyClosed(Conflict):
    """R1.5: the reporting union was dissolved or split and no union took the thread over."""

    code = "DIFFICULTY_CLOSED"


class DatesOutOfOrderInThread(Conflict):
    code = "THREAD_DATES_OUT_OF_ORDER"


# --- periods -------------------------------------------------------------------------------

class ReviewKind(StrEnum):
    HALF_YEAR = "half_year"  # sơ kết 6 tháng, with the self-inspection (R2.4)
    ANNUAL = "annual"  # tổng kết năm (R2.5)


class DisseminationKind(StrEnum):
    """R2.2: the kinds of dissemination the guide names."""

    CONFERENCE = "conference"  # hội nghị quán triệt
    SEMINAR = "seminar"  # tọa đàm
    UNION_MEDIA = "union_media"  # phương tiện thông tin của công đoàn
    AGENCY_MEDIA = "agency_media"  # phương tiện thông tin của cơ quan, đơn vị
    LEAFLET = "leaflet"  # tờ rơi
    BANNER = "banner"  # băng rôn
    SLOGAN = "slogan"  # khẩu hiệu
    OTHER = "other"


_PERIOD = re.compile(r"^(?P<year>[0-9]{4})(-H(?P<half>[12]))?$")


@dataclass(frozen=True)
class Period:
    """A year (``2025``) or a half of it (``2025-H1``, ``2025-H2``)."""

    year: int
    half: int | None = None

    @classmethod
    def parse(cls, value: object, field: str = "period") -> Period:
        match = _PERIOD.match(str(value).strip()) if isinstance(value, str | int) else None
        if match is None or not 1900 <= int(match["year"]) <= 2999:
            raise InvalidPeriod(f"{field} must be a year (2025) or a half-year (2025-H1, 2025-H2)",
                                {"field": field, "value": str(value)})
        return cls(int(match["year"]), int(match["half"]) if match["half"] else None)

    @classmethod
    def of_year(cls, value: object, what: str, on: date, field: str) -> Period:
        """R2.1, R2.3: a launch or a pledge is for a whole year, made from the year before."""
        period = cls.parse(value, "year")
        if period.half is not None:
            raise InvalidPeriod(f"{what} is for a year (2025)", {"field": "year"})
        period.require_holds(on, field, earliest=date(period.year - 1, 1, 1))
        return period

    @classmethod
    def of_review(cls, value: object, kind: ReviewKind, today: date) -> Period:
        """R2.4–R2.6: a half-year review is of a half, an annual one of a year, started."""
        period = cls.parse(value)
        if period.kind != kind:
            expected = "a half-year (2025-H1)" if kind == ReviewKind.HALF_YEAR else "a year (2025)"
            raise InvalidPeriod(f"a {kind.value.replace('_', '-')} review is for {expected}",
                                {"field": "period", "value": str(period)})
        if period.start > today:
            raise PeriodNotStarted(f"the period {period} starts on {period.start}",
                                   {"period": str(period), "starts_on": period.start.isoformat(),
                                    "today": today.isoformat()})
        return period

    def require_holds(self, on: date, field: str, earliest: date | None = None) -> None:
        """Done after the period starts (or ``earliest``) and within the next year."""
        if not (earliest or self.start) <= on <= date(self.year + 1, 12, 31):
            raise DateOutsidePeriod(f"{field} {on} does not fall in the time of {self}",
                                    {"field": field, "value": on.isoformat(),
                                     "period": str(self)})

    @property
    def start(self) -> date:
        return date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    @property
    def kind(self) -> ReviewKind:
        return ReviewKind.ANNUAL if self.half is None else ReviewKind.HALF_YEAR

    def __str__(self) -> str:
        return f"{self.year}" if self.half is None else f"{self.year}-H{self.half}"


def score_on_scale(value: object, field: str, scale: int) -> float:
    """A score on the rule set's scale (0..scale); anything else is refused (R2.6)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidNumber(f"{field} must be a number", {"field": field})
    if not 0 <= value <= scale:
        raise ScoreOutOfScale(f"{field} {value} is outside the scale 0–{scale}",
                              {"field": field, "value": value, "scale": scale})
    return float(value)


def key(*parts: object) -> UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


# --- aggregates ------------------------------------------------------------------------------

class Launch(Aggregate):
    """R2.1: a union launches (phát động) the movement for a year, with its plan."""

    @staticmethod
    def create_id(union_id: UUID, year: int) -> UUID:
        return key("launch", union_id, year)

    @event("Launched")
    def __init__(self, union_id: UUID, year: int, launched_on: date, title: str, plan: str,
                 decision: dict[str, Any]) -> None:
        self.union_id, self.year, self.launched_on = union_id, year, launched_on
        self.title, self.plan, self.decision = title, plan, decision


class Dissemination(Aggregate):
    """R2.2: one dissemination activity of the movement, by kind, with audience and reach."""

    @event("Recorded")
    def __init__(self, union_id: UUID, year: int, kind: str, held_on: date, title: str,
                 audience: str, reach: int, recorded_by: dict[str, Any]) -> None:
        self.union_id, self.year, self.kind, self.held_on = union_id, year, kind, held_on
        self.title, self.audience, self.reach = title, audience, reach
        self.recorded_by = recorded_by


def target_kinds(rules: Any) -> dict[str, dict[str, Any]]:
    """R2.3: the kinds of target a pledge may commit to, by code, as the rule set names them
    (``pledge_target_kinds``; empty under a version that named none)."""
    return {k["code"]: dict(k) for k in rules.values.get("pledge_target_kinds", ())}


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else None


def pledge_targets(values: object, year: int, kinds: Mapping[str, Mapping[str, Any]],
                   limit: int) -> list[dict[str, Any]]:
    """R2.3: the pledge's targets, each ``{kind, number, due_on}``: a kind the rule book
    names, a whole number above zero, a due date within the pledge's year. Refused with
    ``INVALID_PLEDGE_TARGET`` naming the item and what is wrong."""
    if values is None:
        return []
    if not isinstance(values, list | tuple) or len(values) > limit:
        raise InvalidPledgeTarget(f"items must be a list of at most {limit} targets",
                                  {"field": "items", "reason": "not_a_list", "max": limit})
    found, seen = [], set()
    for index, item in enumerate(values):
        where = f"items.{index}"
        if not isinstance(item, Mapping):
            raise InvalidPledgeTarget(f"{where} must be an object with kind, number and due_on",
                                      {"field": where, "reason": "not_an_object"})
        kind = item.get("kind")
        if not isinstance(kind, str) or kind not in kinds:
            raise InvalidPledgeTarget(
                f"{where}.kind {kind!r} is not a kind of target the rule book names",
                {"field": f"{where}.kind", "reason": "unknown_kind", "value": str(kind),
                 "kinds": sorted(kinds)})
        if kind in seen:
            raise InvalidPledgeTarget(f"{where}.kind {kind} is pledged twice",
                                      {"field": f"{where}.kind", "reason": "duplicate_kind",
                                       "value": kind})
        seen.add(kind)
        number = _whole(item.get("number"))
        if number is None or number <= 0:
            raise InvalidPledgeTarget(f"{where}.number must be a whole number above zero",
                                      {"field": f"{where}.number", "reason": "not_positive",
                                       "value": str(item.get("number"))})
        raw = item.get("due_on")
        try:
            due = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            due = None
        if due is None or due.year != year:
            raise InvalidPledgeTarget(
                f"{where}.due_on must be a date in {year}",
                {"field": f"{where}.due_on", "reason": "due_outside_year",
                 "value": str(raw), "year": year})
        found.append({"kind": kind, "number": number, "due_on": due.isoformat()})
    return found


def self_assessment(values: object, pledged: list[dict[str, Any]],
                    limit: int = 50) -> list[dict[str, Any]]:
    """R2.4, R2.5: the union's own figure for each target it pledged, ``{kind, achieved,
    note}``; a figure for a kind it did not pledge, or not a whole number ≥ 0, is refused."""
    if values is None:
        return []
    if not isinstance(values, list | tuple) or len(values) > limit:
        raise InvalidSelfAssessment(f"self_assessment must be a list of at most {limit} items",
                                    {"field": "self_assessment"})
    kinds, found = {t["kind"] for t in pledged}, []
    for index, item in enumerate(values):
        where = f"self_assessment.{index}"
        kind = item.get("kind") if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping) or kind not in kinds:
            raise InvalidSelfAssessment(f"{where} is not for a target of the pledge",
                                        {"field": f"{where}.kind", "reason": "not_pledged",
                                         "value": str(kind)})
        achieved = _whole(item.get("achieved"))
        if achieved is None or achieved < 0:
            raise InvalidSelfAssessment(f"{where}.achieved must be a whole number, 0 or more",
                                        {"field": f"{where}.achieved", "reason": "negative"})
        note = item.get("note")
        found.append({"kind": item["kind"], "achieved": achieved,
                      "note": clean_text(note, f"{where}.note", 1000) if note else None})
    return found


class Pledge(Aggregate):
    """R2.3: a grassroots executive committee's emulation pledge (giao ước thi đua): its
    targets (``items``: a kind the rule book names, a number, a due date) and its text."""

    class Signed(Aggregate.Created):
        """Version 2 carries the targets; a version-1 event (text only, stored before there
        were targets) is read with its text kept and no targets."""

        union_id: UUID
        year: int
        signed_on: date
        content: str
        commitments: list[str]
        decision: dict[str, Any]
        items: list[dict[str, Any]]
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("items", [])

    @staticmethod
    def create_id(union_id: UUID, year: int) -> UUID:
        return key("pledge", union_id, year)

    @staticmethod
    def missing_content(content: str, required: list[str], folded: str) -> list[str]:
        """R2.3: which of the movement's required terms the pledge text does not contain
        (``folded`` is the text folded for diacritics-insensitive comparison)."""
        return [term for term in required if term not in folded]

    @staticmethod
    def require_targets(items: list[dict[str, Any]], movement: str) -> None:
        """R2.3: the movement's content of a pledge is its commitments to the movement's
        work, as targets; a pledge without one is refused, whatever its text says."""
        if not items:
            raise PledgeWithoutTargets(
                f"the pledge commits to no target of the movement (\"{movement}\"): add at "
                "least one item with a kind, a number and a due date",
                {"field": "items", "movement": movement})

    @staticmethod
    def require_content(content: str, commitments: list[str], required: list[str],
                        movement: str) -> None:
        """R2.3: the pledge contains the movement's content; the refusal says what is not."""
        missing = Pledge.missing_content(content, required,
                                         search_key(" ".join([content, *commitments])))
        if missing:
            raise PledgeWithoutMovementContent(
                f"the pledge does not contain the movement's content (\"{movement}\"): "
                f"missing {', '.join(missing)}", {"missing": missing, "movement": movement})

    @event(Signed)
    def __init__(self, union_id: UUID, year: int, signed_on: date, content: str,
                 commitments: list[str], decision: dict[str, Any],
                 items: list[dict[str, Any]]) -> None:
        self.union_id, self.year, self.signed_on = union_id, year, signed_on
        self.content, self.commitments, self.decision = content, commitments, decision
        self.items = items


class HalfYearReview(Aggregate):
    """R2.4: a union's half-year review (sơ kết), into which its inspection and supervision
    of its own implementation is folded, with the findings."""

    @staticmethod
    def create_id(union_id: UUID, period: Period) -> UUID:
        return key("review", union_id, period)

    @staticmethod
    def require_findings(findings: list[str]) -> None:
        """R2.4: the self-inspection states what it found."""
        if not findings:
            raise FindingsRequired("the self-inspection states its findings",
                                   {"field": "findings"})

    class Held(Aggregate.Created):
        """Version 2 carries the self-assessed figure of each pledged target; a version-1
        event is read with none."""

        union_id: UUID
        period: str
        held_on: date
        summary: str
        findings: list[str]
        decision: dict[str, Any]
        self_assessment: list[dict[str, Any]]
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("self_assessment", [])

    @event(Held)
    def __init__(self, union_id: UUID, period: str, held_on: date, summary: str,
                 findings: list[str], decision: dict[str, Any],
                 self_assessment: list[dict[str, Any]]) -> None:
        self.union_id, self.period, self.held_on = union_id, period, held_on
        self.summary, self.findings, self.decision = summary, findings, decision
        self.self_assessment = self_assessment


class ReviewNotFound(NotFound):
    code = "REVIEW_NOT_FOUND"


class ReviewClosed(Conflict):
    """R2.5: a closed annual review lists its rewards and proposals as they were closed."""

    code = "REVIEW_CLOSED"


class ReviewLinkUnknown(InvalidInput):
    """R2.5: a review links only to the award decisions its union made on its own authority
    and the nominations it proposed upward, for the review's year, as the awards service
    published them."""

    code = "REVIEW_LINK_UNKNOWN"


class ProposalWithoutNomination(Conflict):
    """R2.5: an annual review is not closed while a proposal upward it lists has no
    nomination behind it (a proposal typed before proposals were links, or one whose
    nomination the awards service does not know)."""

    code = "PROPOSAL_WITHOUT_NOMINATION"


def award_link(award: Mapping[str, Any] | None, award_id: str, union_id: UUID,
               year: int) -> dict[str, Any]:
    """R2.5: a reward given on the union's own authority, as a link to its award decision
    (``award``, as published; None when the awards service published none by that id),
    with what the review shows of it: number, date, form, awardees and their achievements."""
    reason = ("unknown" if award is None else "other_union" if award["union_id"] != str(union_id)
              else "other_year" if award["year"] != year else None)
    if award is None or reason is not None:
        raise ReviewLinkUnknown(
            f"{award_id} is not an award decision of the union for {year}",
            {"field": "award_ids", "value": award_id, "reason": reason, "year": year})
    return {"award_id": award_id, "number": award["number"], "decided_on": award["decided_on"],
            "recipient": ", ".join(a["name"] for a in award["awardees"]),
            "form": award["form"],
            "reason": "; ".join(dict.fromkeys(a["achievement"] for a in award["awardees"]))}


def nomination_link(nomination: Mapping[str, Any] | None, nomination_id: str, union_id: UUID,
                    year: int, recipient: str, form: str) -> dict[str, Any]:
    """R2.5: a reward proposed upward, as a link to the union's nomination to the union above
    (``nomination``, as published; None when the awards service published none by that id)."""
    reason = ("unknown" if nomination is None
              else "other_union" if nomination["union_id"] != str(union_id)
              else "other_year" if nomination["year"] != year
              else "not_upward" if nomination["to_union_id"] == nomination["union_id"] else None)
    if nomination is None or reason is not None:
        raise ReviewLinkUnknown(
            f"{nomination_id} is not a nomination the union proposed upward for {year}",
            {"field": "nomination_ids", "value": nomination_id, "reason": reason, "year": year})
    return {"nomination_id": nomination_id, "number": nomination["number"],
            "nominated_on": nomination["nominated_on"], "to_union_id": nomination["to_union_id"],
            "recipient": recipient, "form": form, "reason": None}


def unique_ids(values: list[UUID] | None, field: str, limit: int) -> list[str]:
    ids = [str(v) for v in values or ()]
    if len(ids) > limit:
        raise InvalidInput(f"{field} must be a list of at most {limit} ids", {"field": field})
    return list(dict.fromkeys(ids))


class AnnualReview(Aggregate):
    """R2.5, R2.7: a union's annual review (tổng kết): its results, its self-assessed score,
    the rewards it gave on its own authority and those it proposes upward.

    R2.5: the rewards are links to the union's award decisions, the proposals links to its
    nominations to the union above (``award_link``, ``nomination_link``), each kept with what
    it showed when linked; the review stays open to link them as they are made, and is closed
    only when every proposal it lists has a nomination behind it."""

    @staticmethod
    def create_id(union_id: UUID, period: Period) -> UUID:
        return key("review", union_id, period)

    class Held(Aggregate.Created):
        """Version 2 carries the self-assessed figure of each pledged target; a version-1
        event is read with none. Version 3's rewards and proposals are links (``award_id``,
        ``nomination_id``); a version-2 event's typed ones are read as they were typed, with
        no link (None), so a proposal of them has no nomination behind it."""

        union_id: UUID
        period: str
        held_on: date
        results: str
        self_score: float
        rewards_given: list[dict[str, Any]]
        rewards_proposed: list[dict[str, Any]]
        decision: dict[str, Any]
        self_assessment: list[dict[str, Any]]
        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("self_assessment", [])

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["rewards_given"] = [typed_reward(r, "award_id", "decided_on")
                                      for r in state.get("rewards_given") or []]
            state["rewards_proposed"] = [
                {**typed_reward(r, "nomination_id", "nominated_on"), "to_union_id": None}
                for r in state.get("rewards_proposed") or []]

    @event(Held)
    def __init__(self, union_id: UUID, period: str, held_on: date, results: str,
                 self_score: float, rewards_given: list[dict[str, Any]],
                 rewards_proposed: list[dict[str, Any]], decision: dict[str, Any],
                 self_assessment: list[dict[str, Any]]) -> None:
        self.self_assessment = self_assessment
        self.union_id, self.period, self.held_on = union_id, period, held_on
        self.results, self.self_score, self.decision = results, self_score, decision
        self.rewards_given, self.rewards_proposed = rewards_given, rewards_proposed
        self.closed_on: date | None = None
        self.closing: dict[str, Any] | None = None

    def require_open(self) -> None:
        if self.closed_on is not None:
            raise ReviewClosed(f"the annual review of {self.period} was closed on "
                               f"{self.closed_on}", {"period": self.period,
                                                      "closed_on": self.closed_on.isoformat()})

    def link(self, linked_on: date, rewards_given: list[dict[str, Any]],
             rewards_proposed: list[dict[str, Any]]) -> None:
        """R2.5: the rewards and proposals the review lists, as links, replacing those listed
        before (a typed one of an old review goes when it is left out)."""
        self.require_open()
        not_before(linked_on, self.held_on, "the review's links")
        self._linked(linked_on=linked_on, rewards_given=rewards_given,
                     rewards_proposed=rewards_proposed)

    @event("RewardsLinked")
    def _linked(self, linked_on: date, rewards_given: list[dict[str, Any]],
                rewards_proposed: list[dict[str, Any]]) -> None:
        self.rewards_given, self.rewards_proposed = rewards_given, rewards_proposed

    def unbacked(self, known: Mapping[str, Any]) -> list[dict[str, Any]]:
        """R2.5: the proposals listed with no nomination behind them (``known``: the
        nominations the union proposed upward for the year, by id)."""
        return [p for p in self.rewards_proposed
                if p.get("nomination_id") is None or p["nomination_id"] not in known]

    def close(self, closed_on: date, known: Mapping[str, Any], decision: dict[str, Any]) -> None:
        """R2.5: closed only when every proposal it lists has a nomination behind it."""
        self.require_open()
        not_before(closed_on, self.held_on, "the review's closing")
        unbacked = self.unbacked(known)
        if unbacked:
            raise ProposalWithoutNomination(
                f"{len(unbacked)} proposal(s) upward of the review have no nomination behind "
                f"them: {'; '.join(p['recipient'] for p in unbacked)}",
                {"field": "nomination_ids", "count": len(unbacked),
                 "proposals": [p["recipient"] for p in unbacked]})
        self._closed(closed_on=closed_on, decision=decision)

    @event("Closed")
    def _closed(self, closed_on: date, decision: dict[str, Any]) -> None:
        self.closed_on, self.closing = closed_on, decision


def typed_reward(entry: Mapping[str, Any], link: str, dated: str) -> dict[str, Any]:
    """A reward or proposal typed before they were links (recipient, form, reason), in the
    shape of a link with none (version 2 to 3 of ``AnnualReview.Held``)."""
    return {link: entry.get(link), "number": entry.get("number"), dated: entry.get(dated),
            "recipient": entry.get("recipient", ""), "form": entry.get("form", ""),
            "reason": entry.get("reason")}


class Classification(Aggregate):
    """R2.6: the direct upper union's inspection and grade of a lower union for a year.

    Both scores are kept: the lower union's own (from its annual review) and the upper
    union's appraisal. A correction supersedes the grade and keeps what it corrected."""

    @staticmethod
    def create_id(union_id: UUID, year: int) -> UUID:
        return key("classification", union_id, year)

    @staticmethod
    def grade_of(grades: list[dict[str, Any]], score: float) -> str:
        """R2.6: the highest grade whose minimum the score reaches (the grades run down)."""
        return str(next(g["code"] for g in grades if score >= g["min"]))

    @staticmethod
    def require_classifier(lower: UUID, upper: UUID, superior: dict[str, Any] | None,
                           on: date) -> None:
        """R2.6: only the direct upper union as of the date (``superior``) classifies."""
        if superior is None:
            raise NoUpperUnion("the union has no upper union", {"union_id": str(lower)})
        if superior["id"] != str(upper):
            raise NotDirectSuperior(
                f"only {superior['name']}, the direct upper union on {on}, may classify this "
                f"union", {"union_id": str(lower), "upper_union_id": str(upper),
                           "direct_superior_id": superior["id"], "on": on.isoformat()})

    @event("Classified")
    def __init__(self, union_id: UUID, year: int, upper_union_id: UUID, classified_on: date,
                 self_score: float | None, appraised_score: float, grade: str,
                 findings: list[str], decision: dict[str, Any]) -> None:
        self.union_id, self.year, self.upper_union_id = union_id, year, upper_union_id
        self.classified_on, self.self_score = classified_on, self_score
        self.appraised_score, self.grade = appraised_score, grade
        self.findings, self.decision = findings, decision
        self.history: list[dict[str, Any]] = []

    def correct(self, upper_union_id: UUID, corrected_on: date, appraised_score: float,
                grade: str, findings: list[str], decision: dict[str, Any]) -> None:
        if corrected_on < self.classified_on:
            raise DatesOutOfOrderInThread(
                f"a correction on {corrected_on} cannot precede the classification it corrects "
                f"({self.classified_on})",
                {"classified_on": self.classified_on.isoformat(),
                 "corrected_on": corrected_on.isoformat()})
        self._corrected(union_id=self.union_id, year=self.year, upper_union_id=upper_union_id,
                        corrected_on=corrected_on,
                        appraised_score=appraised_score, grade=grade, findings=findings,
                        decision=decision, superseded={
                            "appraised_score": self.appraised_score, "grade": self.grade,
                            "classified_on": self.classified_on.isoformat(),
                            "upper_union_id": str(self.upper_union_id)})

    @event("Corrected")
    def _corrected(self, union_id: UUID, year: int, upper_union_id: UUID, corrected_on: date,
                   appraised_score: float, grade: str, findings: list[str], decision: dict[str, Any],
                   superseded: dict[str, Any]) -> None:
        self.history.append(superseded)
        self.upper_union_id, self.classified_on = upper_union_id, corrected_on
        self.appraised_score, self.grade = appraised_score, grade
        self.findings, self.decision = findings, decision


class Overdue(Aggregate):
    """A review not held by its due date; recorded once per union and period."""

    @staticmethod
    def create_id(union_id: UUID, period: Period) -> UUID:
        return key("overdue", union_id, period)

    @event("ReviewOverdue")
    def __init__(self, union_id: UUID, period: str, kind: str, due_on: date,
                 flagged_on: date, upper_union_id: UUID | None) -> None:
        self.union_id, self.period, self.kind = union_id, period, kind
        self.due_on, self.flagged_on, self.upper_union_id = due_on, flagged_on, upper_union_id


class OwedRecord(StrEnum):
    """R1.5: what a union still owed of its yearly cycle when it was reorganised."""

    PLEDGE = "pledge"  # its pledge of a year whose annual review is still owed
    HALF_YEAR = "half_year"
    ANNUAL = "annual"


class Owed(Aggregate):
    """R1.5: a pledge or a review a union still owed on the date it was merged, dissolved or
    split, and what became of it: taken over by the successor from the date
    (``CarriedOver``) or closed with its reason (``Closed``). The review itself keeps the
    union it is of; ``holder_on`` says whose committee holds it on a date (the old one
    before the date, the successor's from it)."""

    @staticmethod
    def create_id(union_id: UUID, record: str, period: str) -> UUID:
        return key("owed", union_id, record, period)

    @event("Owed")
    def __init__(self, union_id: UUID, record: str, period: str, record_id: UUID,
                 due_on: date | None) -> None:
        self.union_id, self.record, self.period = union_id, record, period
        self.record_id, self.due_on = record_id, due_on
        self.held_by = union_id
        self.carried: dict[str, Any] | None = None
        self.closed: dict[str, Any] | None = None

    def holder_on(self, on: date) -> UUID:
        """R1.5: the union whose committee answers for it on the date."""
        if self.carried is not None and self.carried["effective_on"] <= on.isoformat():
            return UUID(self.carried["to_union_id"])
        return self.union_id

    def _what(self) -> dict[str, Any]:
        """What the record is, carried by its hand-over or closing (published as such)."""
        return {"record": self.record, "record_id": self.record_id, "union_id": self.union_id,
                "period": self.period}

    def carry_over(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                   cause: dict[str, Any]) -> None:
        self._carried(**self._what(), from_union_id=from_union_id, to_union_id=to_union_id,
                      effective_on=effective_on, cause=cause)

    @event("CarriedOver")
    def _carried(self, record: str, record_id: UUID, union_id: UUID, period: str,
                 from_union_id: UUID, to_union_id: UUID, effective_on: date,
                 cause: dict[str, Any]) -> None:
        self.carried = {"from_union_id": str(from_union_id), "to_union_id": str(to_union_id),
                        "effective_on": effective_on.isoformat(), "cause": cause}
        self.held_by = to_union_id

    def close(self, effective_on: date, reason: str, cause: dict[str, Any]) -> None:
        self._closed(**self._what(), effective_on=effective_on, reason=reason, cause=cause)

    @event("Closed")
    def _closed(self, record: str, record_id: UUID, union_id: UUID, period: str,
                effective_on: date, reason: str, cause: dict[str, Any]) -> None:
        self.closed = {"union_id": str(union_id), "effective_on": effective_on.isoformat(),
                       "reason": reason, "cause": cause}


class Difficulty(Aggregate):
    """R2.8: a difficulty a union reports to the provincial federation's Policy–Law
    department, and the thread of answers and follow-ups that it keeps."""

    @event("Reported")
    def __init__(self, union_id: UUID, federation_id: UUID, reported_on: date, subject: str,
                 description: str, reported_by: dict[str, Any]) -> None:
        self.union_id, self.federation_id = union_id, federation_id
        self.subject, self.reported_on = subject, reported_on
        self.thread: list[dict[str, Any]] = [{
            "kind": "report", "on": reported_on.isoformat(), "text": description,
            "by": reported_by}]
        self.last_on = reported_on
        self.held_by = union_id  # R1.5: the union following the thread now
        self.handovers: list[dict[str, Any]] = []
        self.closed: dict[str, Any] | None = None

    @property
    def awaiting_answer(self) -> bool:
        """R2.8: its last message is the union's, not yet answered."""
        return self.thread[-1]["kind"] != "answer"

    def holder_on(self, on: date) -> UUID:
        """R1.5: the union that followed the thread on the date (its own, or the successor
        that took it over from the effective date)."""
        holder = self.union_id
        for handover in self.handovers:
            if handover["effective_on"] <= on.isoformat():
                holder = UUID(handover["to_union_id"])
        return holder

    @event("CarriedOver")
    def carry_over(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                   cause: dict[str, Any]) -> None:
        """R1.5: a difficulty awaiting an answer goes to the union that took its union over."""
        self.handovers.append({"from_union_id": str(from_union_id),
                               "to_union_id": str(to_union_id),
                               "effective_on": effective_on.isoformat(), "cause": cause})
        self.held_by = to_union_id

    @event("Closed")
    def close(self, union_id: UUID, effective_on: date, reason: str,
              cause: dict[str, Any]) -> None:
        """R1.5: no union takes the thread over; the federation's answer may still come."""
        self.closed = {"union_id": str(union_id), "effective_on": effective_on.isoformat(),
                       "reason": reason, "cause": cause}

    def _after_last(self, on: date) -> None:
        if on < self.last_on:
            raise DatesOutOfOrderInThread(
                f"a message on {on} cannot precede the thread's last one ({self.last_on})",
                {"on": on.isoformat(), "last_on": self.last_on.isoformat()})

    def answer(self, answered_on: date, text: str, answered_by: dict[str, Any]) -> None:
        self._after_last(answered_on)
        self._answered(answered_on=answered_on, text=text, answered_by=answered_by)

    @event("Answered")
    def _answered(self, answered_on: date, text: str, answered_by: dict[str, Any]) -> None:
        self.thread.append({"kind": "answer", "on": answered_on.isoformat(), "text": text,
                            "by": answered_by})
        self.last_on = answered_on

    def follow_up(self, on: date, text: str, by: dict[str, Any]) -> None:
        if self.closed is not None and self.closed["effective_on"] <= on.isoformat():
            raise DifficultyClosed(f"the thread was closed on {self.closed['effective_on']}: "
                                   f"{self.closed['reason']}", dict(self.closed))
        self._after_last(on)
        self._followed_up(on=on, text=text, by=by)

    @event("FollowedUp")
    def _followed_up(self, on: date, text: str, by: dict[str, Any]) -> None:
        self.thread.append({"kind": "follow_up", "on": on.isoformat(), "text": text, "by": by})
        self.last_on = on


class FindingsRequired(InvalidInput):
    """R2.4: a self-inspection states what it found."""

    code = "FINDINGS_REQUIRED"
