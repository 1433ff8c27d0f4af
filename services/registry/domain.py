"""The union tree, its bodies and its people, over time (R1.1–R1.5).

Pure Python: no I/O, no clock, no nameko. Three aggregates:
- ``Union``: code, name, level, parent and status, with its whole history of periods so it
  can say what it was on any date (R1.5);
- ``Person``: a member or official, the official/full-time flags and union membership over
  time (R1.3);
- ``Body``: an executive or standing committee for a term, a federation department, or a
  grassroots team, with who held which position when (R1.2, R1.4).

Every change carries the date it takes effect. Within one aggregate those dates never go
backwards: history is appended to, never rewritten, so "what was true on date D" has one
answer however late it is asked.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.registry import BodyKind, Level, NotMember, Status, UnionNotActive
from runtime.errors import Conflict, InvalidInput, NotFound
from runtime.text import clean_code, clean_text, parse_choice

NAME_MAX = 500


# R1.1: which level may sit under which. A grassroots union sits under a direct-superior
# union or directly under the provincial federation.
ALLOWED_PARENTS: dict[Level, frozenset[Level | None]] = {
    Level.CONFEDERATION: frozenset({None}),
    Level.PROVINCIAL_FEDERATION: frozenset({Level.CONFEDERATION}),
    Level.DIRECT_SUPERIOR: frozenset({Level.PROVINCIAL_FEDERATION}),
    Level.GRASSROOTS: frozenset({Level.DIRECT_SUPERIOR, Level.PROVINCIAL_FEDERATION}),
}


UPPER_LEVELS = frozenset({Level.CONFEDERATION, Level.PROVINCIAL_FEDERATION, Level.DIRECT_SUPERIOR})
TEAMS = frozenset({BodyKind.IDEA_INCUBATION_TEAM, BodyKind.INITIATIVE_SUPPORT_TEAM})

# R1.2: every union has an executive committee; upper levels act through a standing
# committee; the federations have departments (the Policy–Law department among them).
# R1.4: the two teams are established by a grassroots executive committee.
BODY_LEVELS: dict[BodyKind, frozenset[Level]] = {
    BodyKind.EXECUTIVE_COMMITTEE: frozenset(Level),
    BodyKind.STANDING_COMMITTEE: UPPER_LEVELS,
    BodyKind.DEPARTMENT: frozenset({Level.CONFEDERATION, Level.PROVINCIAL_FEDERATION}),
    BodyKind.IDEA_INCUBATION_TEAM: frozenset({Level.GRASSROOTS}),
    BodyKind.INITIATIVE_SUPPORT_TEAM: frozenset({Level.GRASSROOTS}),
}

# R1.3: positions held in each kind of body; the first of each list is held by one person.
POSITIONS: dict[BodyKind, tuple[str, ...]] = {
    BodyKind.EXECUTIVE_COMMITTEE: ("chairman", "vice_chairman", "member"),
    BodyKind.STANDING_COMMITTEE: ("chairman", "vice_chairman", "member"),
    BodyKind.DEPARTMENT: ("head", "deputy_head", "member"),
    BodyKind.IDEA_INCUBATION_TEAM: ("leader", "member"),
    BodyKind.INITIATIVE_SUPPORT_TEAM: ("leader", "member"),
}
SINGLE_HOLDER = frozenset(positions[0] for positions in POSITIONS.values())


# --- errors: each refusal has a stable code ------------------------------------------------

class UnionCodeTaken(Conflict):
    code = "UNION_CODE_TAKEN"


class ParentLevelMismatch(InvalidInput):
    code = "PARENT_LEVEL_MISMATCH"


class UnionCycle(InvalidInput):
    code = "UNION_CYCLE"


class UnionHasChildren(Conflict):
    code = "UNION_HAS_CHILDREN"


class DatesOutOfOrder(InvalidInput):
    code = "DATES_OUT_OF_ORDER"


class PersonCodeTaken(Conflict):
    code = "PERSON_CODE_TAKEN"


class AlreadyMember(Conflict):
    code = "PERSON_ALREADY_MEMBER"


class MembershipNotGrassroots(InvalidInput):
    code = "MEMBERSHIP_NOT_GRASSROOTS"


class FullTimeNeedsOfficial(InvalidInput):
    code = "FULL_TIME_REQUIRES_OFFICIAL"


class BodyNotFound(NotFound):
    code = "BODY_NOT_FOUND"


class BodyExists(Conflict):
    code = "BODY_EXISTS"


class BodyNotAllowed(InvalidInput):
    code = "BODY_NOT_ALLOWED"


class BodyNotActive(Conflict):
    code = "BODY_NOT_ACTIVE"


class PositionNotAllowed(InvalidInput):
    code = "POSITION_NOT_ALLOWED"


class PositionTaken(Conflict):
    code = "POSITION_TAKEN"


class AlreadyInBody(Conflict):
    code = "PERSON_ALREADY_IN_BODY"


class NotInBody(Conflict):
    code = "PERSON_NOT_IN_BODY"


class NotInExecutiveCommittee(Conflict):
    code = "NOT_IN_EXECUTIVE_COMMITTEE"


class NoExecutiveCommittee(Conflict):
    code = "NO_EXECUTIVE_COMMITTEE"


class AllocationIncomplete(InvalidInput):
    code = "ALLOCATION_INCOMPLETE"


def _check_order(last: date, on: date, what: str) -> None:
    """R1.5: history is appended to, never rewritten: no change may predate the last one."""
    if on < last:
        raise DatesOutOfOrder(f"{what} on {on} would predate the last recorded change ({last})",
                              {"effective_on": on.isoformat(), "last_change_on": last.isoformat()})


@dataclass(frozen=True)
class Period:
    """What a union was from ``since`` until its next period."""

    since: date
    name: str
    parent_id: UUID | None
    status: Status


class Union(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:union:{code}")

    @classmethod
    def found(cls, code: str, name: str, level: str, parent: Union | None, founded_on: date,
              predecessor_ids: Sequence[UUID] = ()) -> Union:
        code = clean_code(code)
        name = clean_text(name, "name", NAME_MAX)
        union_level: Level = parse_choice(Level, level, "level")
        check_nesting(union_level, parent)
        if parent is not None:
            parent.require_active(founded_on, "found a union under")
        return cls(code=code, name=name, level=union_level.value,
                   parent_id=parent.id if parent else None, founded_on=founded_on,
                   predecessor_ids=list(predecessor_ids))

    @event("Founded")
    def __init__(self, code: str, name: str, level: str, parent_id: UUID | None,
                 founded_on: date, predecessor_ids: list[UUID] | None = None) -> None:
        self.code = code
        self.name = name
        self.level = level
        self.parent_id = parent_id
        self.founded_on = founded_on
        self.status = Status.ACTIVE
        self.predecessor_ids = list(predecessor_ids or [])
        self.successor_ids: list[UUID] = []
        self.last_change_on = founded_on
        self.periods = [Period(founded_on, name, parent_id, Status.ACTIVE)]

    # --- queries on the aggregate's own history (R1.5) --------------------------------------

    def as_of(self, on: date) -> Period | None:
        """The union on a date, or None before it was founded."""
        found = None
        for period in self.periods:
            if period.since > on:
                break
            found = period
        return found

    def is_active_on(self, on: date) -> bool:
        period = self.as_of(on)
        return period is not None and period.status is Status.ACTIVE

    def require_active(self, on: date, doing: str) -> None:
        """Active on the date and still active now: nothing is hung on a union that has ended."""
        if self.status is not Status.ACTIVE or not self.is_active_on(on):
            raise UnionNotActive(
                f"cannot {doing} {self.code}: it is not active on {on}",
                {"union_id": str(self.id), "code": self.code, "status": self.status.value,
                 "effective_on": on.isoformat()})

    # --- life over time (R1.5) ------------------------------------------------------------

    def rename(self, name: str, effective_on: date) -> None:
        name = clean_text(name, "name", NAME_MAX)
        self._changeable(effective_on, "rename")
        self._renamed(name=name, effective_on=effective_on)

    def move(self, parent: Union, effective_on: date, parent_ancestor_ids: Sequence[UUID]) -> None:
        """Moves the union under ``parent`` (whose ancestors on that date are given)."""
        self._changeable(effective_on, "move")
        if parent.id == self.id or self.id in parent_ancestor_ids:
            raise UnionCycle(f"{self.code} cannot sit under itself or its own descendant",
                             {"union_id": str(self.id), "parent_id": str(parent.id)})
        check_nesting(Level(self.level), parent)
        parent.require_active(effective_on, "move a union under")
        if parent.id == self.parent_id:
            raise InvalidInput(f"{self.code} already sits under {parent.code}",
                               {"union_id": str(self.id), "parent_id": str(parent.id)})
        self._moved(parent_id=parent.id, effective_on=effective_on)

    def dissolve(self, effective_on: date, active_child_ids: Sequence[UUID]) -> None:
        self._changeable(effective_on, "dissolve")
        if active_child_ids:
            raise UnionHasChildren(
                f"{self.code} still has {len(active_child_ids)} active union(s) under it: "
                "move them first", {"union_id": str(self.id),
                                    "child_ids": [str(c) for c in active_child_ids[:20]]})
        self._dissolved(effective_on=effective_on)

    def merge_into(self, successor: Union, effective_on: date) -> None:
        self._changeable(effective_on, "merge")
        if successor.id == self.id:
            raise InvalidInput(f"{self.code} cannot merge into itself", {"union_id": str(self.id)})
        if successor.level != self.level:
            raise ParentLevelMismatch(
                f"a {self.level} union can only merge into another {self.level} union",
                {"level": self.level, "successor_level": successor.level})
        self._merged_into(successor_id=successor.id, effective_on=effective_on)

    def absorb(self, predecessor_ids: Sequence[UUID], effective_on: date) -> None:
        self._changeable(effective_on, "merge into")
        self._absorbed(predecessor_ids=list(predecessor_ids), effective_on=effective_on)

    def split_into(self, parts: Sequence[Union], effective_on: date) -> None:
        self._changeable(effective_on, "split")
        if len(parts) < 2:
            raise InvalidInput("a split needs at least two parts", {"parts": len(parts)})
        for part in parts:
            if part.level != self.level:
                raise ParentLevelMismatch(
                    f"a {self.level} union splits into {self.level} unions",
                    {"level": self.level, "part_level": part.level})
        self._split_into(successor_ids=[p.id for p in parts], effective_on=effective_on)

    def _changeable(self, effective_on: date, doing: str) -> None:
        self.require_active(effective_on, doing)
        _check_order(self.last_change_on, effective_on, doing.capitalize())

    def _period(self, effective_on: date, **changes: Any) -> None:
        self.periods.append(replace(self.periods[-1], since=effective_on, **changes))
        self.last_change_on = effective_on

    @event("Renamed")
    def _renamed(self, name: str, effective_on: date) -> None:
        self.name = name
        self._period(effective_on, name=name)

    @event("Moved")
    def _moved(self, parent_id: UUID, effective_on: date) -> None:
        self.parent_id = parent_id
        self._period(effective_on, parent_id=parent_id)

    @event("Dissolved")
    def _dissolved(self, effective_on: date) -> None:
        self.status = Status.DISSOLVED
        self._period(effective_on, status=Status.DISSOLVED)

    @event("MergedInto")
    def _merged_into(self, successor_id: UUID, effective_on: date) -> None:
        self.status = Status.MERGED
        self.successor_ids = [successor_id]
        self._period(effective_on, status=Status.MERGED)

    @event("Absorbed")
    def _absorbed(self, predecessor_ids: list[UUID], effective_on: date) -> None:
        self.predecessor_ids = [*self.predecessor_ids, *predecessor_ids]
        self.last_change_on = effective_on

    @event("SplitInto")
    def _split_into(self, successor_ids: list[UUID], effective_on: date) -> None:
        self.status = Status.SPLIT
        self.successor_ids = list(successor_ids)
        self._period(effective_on, status=Status.SPLIT)


def check_nesting(level: Level, parent: Union | None) -> None:
    parent_level = Level(parent.level) if parent else None
    if parent_level not in ALLOWED_PARENTS[level]:  # R1.1
        raise ParentLevelMismatch(
            f"a {level.value} union cannot sit under "
            f"{parent_level.value if parent_level else 'no parent'}",
            {"level": level.value, "parent_level": parent_level.value if parent_level else None})


@dataclass(frozen=True)
class Membership:
    union_id: UUID
    since: date
    until: date | None = None  # the day it ended (exclusive), if it has


class Person(Aggregate):
    """A union member or official (R1.3)."""

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:person:{code}")

    @classmethod
    def register(cls, code: str, full_name: str, birth_date: date | None, gender: str | None,
                 is_official: bool, is_full_time: bool, registered_on: date,
                 union: Union | None) -> Person:
        code = clean_code(code)
        full_name = clean_text(full_name, "full_name", 200)
        if gender is not None and gender not in ("male", "female", "other"):
            raise InvalidInput("gender is male, female or other", {"field": "gender"})
        if birth_date is not None and birth_date >= registered_on:
            raise DatesOutOfOrder("birth_date must be before the date of registration",
                                  {"field": "birth_date"})
        _check_flags(is_official, is_full_time)
        if union is not None:
            _check_can_join(union, registered_on)
        return cls(code=code, full_name=full_name, birth_date=birth_date, gender=gender,
                   is_official=bool(is_official), is_full_time=bool(is_full_time),
                   effective_on=registered_on, union_id=union.id if union else None)

    @event("Registered")
    def __init__(self, code: str, full_name: str, birth_date: date | None, gender: str | None,
                 is_official: bool, is_full_time: bool, effective_on: date,
                 union_id: UUID | None) -> None:
        self.code = code
        self.full_name = full_name
        self.birth_date = birth_date
        self.gender = gender
        self.is_official = is_official
        self.is_full_time = is_full_time
        self.last_change_on = effective_on
        self.memberships: list[Membership] = []
        if union_id is not None:
            self.memberships.append(Membership(union_id, effective_on))

    @property
    def union_id(self) -> UUID | None:
        """The union the person belongs to now (after every recorded change)."""
        last = self.memberships[-1] if self.memberships else None
        return last.union_id if last and last.until is None else None

    def union_on(self, on: date) -> UUID | None:
        for membership in self.memberships:
            if membership.since <= on and (membership.until is None or on < membership.until):
                return membership.union_id
        return None

    def join(self, union: Union, effective_on: date) -> None:
        if self.union_id is not None:  # R1.3: one union at a time; a move is a transfer
            raise AlreadyMember(
                f"{self.code} is already a member of another union: record a transfer",
                {"person_id": str(self.id), "union_id": str(self.union_id)})
        _check_order(self.last_change_on, effective_on, "Joining")
        _check_can_join(union, effective_on)
        self._joined(union_id=union.id, effective_on=effective_on)

    def transfer(self, to: Union, effective_on: date, reason: str = "transfer") -> None:
        current = self._require_member(effective_on, "transfer")
        if current == to.id:
            raise InvalidInput(f"{self.code} is already a member of that union",
                               {"person_id": str(self.id), "union_id": str(to.id)})
        _check_can_join(to, effective_on)
        self._transferred(from_union_id=current, to_union_id=to.id, effective_on=effective_on,
                          reason=reason)

    def leave(self, effective_on: date, reason: str = "left") -> None:
        current = self._require_member(effective_on, "leave")
        self._left(union_id=current, effective_on=effective_on, reason=reason)

    def set_official_status(self, is_official: bool, is_full_time: bool, effective_on: date) -> None:
        _check_flags(is_official, is_full_time)
        _check_order(self.last_change_on, effective_on, "A change of official status")
        self._official_status_changed(is_official=bool(is_official),
                                      is_full_time=bool(is_full_time), effective_on=effective_on)

    def _require_member(self, effective_on: date, doing: str) -> UUID:
        current = self.union_id
        if current is None:
            raise NotMember(f"{self.code} is not a member of any union, so cannot {doing}",
                            {"person_id": str(self.id)})
        _check_order(self.last_change_on, effective_on, doing.capitalize())
        return current

    def _end_membership(self, effective_on: date) -> None:
        last = self.memberships[-1]
        self.memberships[-1] = Membership(last.union_id, last.since, effective_on)
        self.last_change_on = effective_on

    @event("Joined")
    def _joined(self, union_id: UUID, effective_on: date) -> None:
        self.memberships.append(Membership(union_id, effective_on))
        self.last_change_on = effective_on

    @event("Transferred")
    def _transferred(self, from_union_id: UUID, to_union_id: UUID, effective_on: date,
                     reason: str) -> None:
        self._end_membership(effective_on)
        self.memberships.append(Membership(to_union_id, effective_on))

    @event("Left")
    def _left(self, union_id: UUID, effective_on: date, reason: str) -> None:
        self._end_membership(effective_on)

    @event("OfficialStatusChanged")
    def _official_status_changed(self, is_official: bool, is_full_time: bool,
                                 effective_on: date) -> None:
        self.is_official = is_official
        self.is_full_time = is_full_time
        self.last_change_on = effective_on


def _check_flags(is_official: bool, is_full_time: bool) -> None:
    if is_full_time and not is_official:  # R1.3: full-time (chuyên trách) is a kind of official
        raise FullTimeNeedsOfficial("only an official can be full-time",
                                    {"is_official": is_official, "is_full_time": is_full_time})


def _check_can_join(union: Union, on: date) -> None:
    if union.level != Level.GRASSROOTS:  # members belong to a grassroots union (R1.1, R1.3)
        raise MembershipNotGrassroots(
            f"members belong to a grassroots union; {union.code} is {union.level}",
            {"union_id": str(union.id), "level": union.level})
    union.require_active(on, "add a member to")


@dataclass(frozen=True)
class Holding:
    person_id: UUID
    position: str
    since: date
    until: date | None = None


class Body(Aggregate):
    """A committee for a term, a department, or a team, with its members over time."""

    @staticmethod
    def create_id(union_id: UUID, kind: str, department: str | None, term_start: date) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL,
                          f"emulation:body:{union_id}:{kind}:{department or ''}:{term_start}")

    @classmethod
    def constitute(cls, union: Union, kind: str, name: str, term_start: date,
                   term_end: date | None, department: str | None = None,
                   decision: dict[str, Any] | None = None,
                   established_by: Body | None = None) -> Body:
        body_kind: BodyKind = parse_choice(BodyKind, kind, "kind")
        level = Level(union.level)
        if level not in BODY_LEVELS[body_kind]:  # R1.2, R1.4
            raise BodyNotAllowed(
                f"a {level.value} union has no {body_kind.value}",
                {"kind": body_kind.value, "level": level.value,
                 "allowed_levels": sorted(lv.value for lv in BODY_LEVELS[body_kind])})
        name = clean_text(name, "name", NAME_MAX)
        if term_end is not None and term_end <= term_start:
            raise DatesOutOfOrder("term_end must be after term_start", {"field": "term_end"})
        if body_kind is BodyKind.DEPARTMENT:
            department = clean_code(department, "department").lower()
        elif department is not None:
            raise InvalidInput("only a department has a department code", {"field": "department"})
        if body_kind in TEAMS:  # R1.4: a team exists by a decision of the executive committee
            decision = _team_decision(decision, term_start)
            signed_on = date.fromisoformat(decision["signed_on"])
            if (established_by is None or established_by.union_id != union.id
                    or established_by.kind != BodyKind.EXECUTIVE_COMMITTEE
                    or not established_by.is_active_on(signed_on)):
                raise NoExecutiveCommittee(
                    f"{union.code} has no executive committee in office on {signed_on} "
                    "to establish the team", {"union_id": str(union.id)})
            decision["established_by"] = str(established_by.id)
        elif decision is not None:
            decision = _decision(decision, term_start)
        union.require_active(term_start, f"constitute a {body_kind.value} of")
        return cls(union_id=union.id, union_level=level.value, kind=body_kind.value, name=name,
                   term_start=term_start, term_end=term_end, department=department,
                   decision=decision)

    @event("Constituted")
    def __init__(self, union_id: UUID, union_level: str, kind: str, name: str, term_start: date,
                 term_end: date | None, department: str | None,
                 decision: dict[str, Any] | None) -> None:
        self.union_id = union_id
        self.union_level = union_level
        self.kind = kind
        self.name = name
        self.term_start = term_start
        self.term_end = term_end  # planned: a committee serves until it is ended or succeeded
        self.department = department
        self.decision = decision
        self.ended_on: date | None = None
        self.holdings: list[Holding] = []
        self.last_change_on = term_start

    def is_active_on(self, on: date) -> bool:
        return self.term_start <= on and (self.ended_on is None or on < self.ended_on)

    def position_on(self, person_id: UUID, on: date) -> str | None:
        for holding in self.holdings:
            if (holding.person_id == person_id and holding.since <= on
                    and (holding.until is None or on < holding.until)):
                return holding.position
        return None

    def current_holdings(self) -> list[Holding]:
        return [h for h in self.holdings if h.until is None]

    def appoint(self, person: Person, position: str, effective_on: date,
                executive_committee: Body | None = None) -> None:
        kind = BodyKind(self.kind)
        if position not in POSITIONS[kind]:
            raise PositionNotAllowed(f"a {kind.value} has no position {position!r}",
                                     {"position": position, "allowed": list(POSITIONS[kind])})
        self._require_active(effective_on, "appoint to")
        current = {h.person_id: h for h in self.current_holdings()}
        if person.id in current:
            raise AlreadyInBody(f"{person.code} already holds {current[person.id].position} here",
                                {"person_id": str(person.id), "body_id": str(self.id)})
        if position in SINGLE_HOLDER:
            holder = next((h for h in current.values() if h.position == position), None)
            if holder is not None:
                raise PositionTaken(f"the {position} of this body is held: relieve them first",
                                    {"position": position, "holder_id": str(holder.person_id)})
        if self.union_level == Level.GRASSROOTS and person.union_on(effective_on) != self.union_id:
            # A grassroots body is drawn from the union's own members (R1.3, R1.4).
            raise NotMember(f"{person.code} is not a member of this union on {effective_on}",
                            {"person_id": str(person.id), "union_id": str(self.union_id)})
        if kind is BodyKind.STANDING_COMMITTEE and (
                executive_committee is None
                or executive_committee.position_on(person.id, effective_on) is None):
            # R1.2: the standing committee is elected from the executive committee.
            raise NotInExecutiveCommittee(
                f"{person.code} is not on the executive committee on {effective_on}",
                {"person_id": str(person.id)})
        self._appointed(person_id=person.id, position=position, effective_on=effective_on)

    def relieve(self, person_id: UUID, effective_on: date) -> None:
        if not any(h.person_id == person_id for h in self.current_holdings()):
            raise NotInBody("that person holds no position in this body",
                            {"person_id": str(person_id), "body_id": str(self.id)})
        self._require_active(effective_on, "relieve from")
        self._relieved(person_id=person_id, effective_on=effective_on)

    def end(self, effective_on: date, reason: str) -> None:
        self._require_active(effective_on, "end")
        self._ended(effective_on=effective_on, reason=reason)

    def _require_active(self, on: date, doing: str) -> None:
        if not self.is_active_on(on) or self.ended_on is not None:
            raise BodyNotActive(f"cannot {doing} a body that is not in office on {on}",
                                {"body_id": str(self.id), "effective_on": on.isoformat()})
        _check_order(self.last_change_on, on, doing.capitalize())

    @event("Appointed")
    def _appointed(self, person_id: UUID, position: str, effective_on: date) -> None:
        self.holdings.append(Holding(person_id, position, effective_on))
        self.last_change_on = effective_on

    @event("Relieved")
    def _relieved(self, person_id: UUID, effective_on: date) -> None:
        self.holdings = [Holding(h.person_id, h.position, h.since, effective_on)
                         if h.person_id == person_id and h.until is None else h
                         for h in self.holdings]
        self.last_change_on = effective_on

    @event("Ended")
    def _ended(self, effective_on: date, reason: str) -> None:
        self.ended_on = effective_on
        self.holdings = [Holding(h.person_id, h.position, h.since, effective_on)
                         if h.until is None else h for h in self.holdings]
        self.last_change_on = effective_on


def _decision(decision: object, term_start: date) -> dict[str, Any]:
    if not isinstance(decision, dict):
        raise InvalidInput("decision must be an object with number and signed_on",
                           {"field": "decision"})
    number = clean_text(decision.get("number"), "decision.number", 64)
    try:
        signed_on = date.fromisoformat(str(decision.get("signed_on")))
    except ValueError:
        raise InvalidInput("decision.signed_on is not a date", {"field": "decision.signed_on"}) from None
    if signed_on > term_start:
        raise DatesOutOfOrder("a body cannot start before the decision that establishes it",
                              {"field": "decision.signed_on"})
    return {"number": number, "signed_on": signed_on.isoformat()}


def _team_decision(decision: object, term_start: date) -> dict[str, Any]:
    if decision is None:
        raise InvalidInput("a team is established by a decision of the executive committee "
                           "(number and signed_on)", {"field": "decision"})
    return _decision(decision, term_start)
