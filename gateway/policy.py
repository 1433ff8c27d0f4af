"""Who may call what, and where: roles scoped to a union and its subtree (R5.2).

A user holds grants, each a role over one union's subtree (or over the whole system). The
gateway lets a call through when a grant's role may make it and the union the call acts on
lies in that grant's subtree today. This is the first guard only: each service judges the
actor's authority again by the registry's facts as of the decision's date (DESIGN
"Authority and time"), so a committee member who passes here but sat on no committee that
day is still refused there.

- Queries: every role. Auditors only ever query (R5.1), so do administrators outside the
  registry.
- A person's own notifications (``OWN``): marked read, e-mail on or off, by whoever holds
  any role that changes things; the service takes the person from the actor, so no one
  reaches another's, and no union is named.
- Commands, by tier: what any member does (raise an idea, register an initiative); what an
  official does (coach an idea, report an application, answer a difficulty); the decisions
  of an executive or standing committee; the registry's records, kept by administrators.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gateway.catalogue import Operation
from runtime.errors import Forbidden, NotFound


class Role(StrEnum):
    MEMBER = "member"
    OFFICIAL = "official"
    EXECUTIVE = "executive"  # a member of an executive committee (BCH)
    STANDING = "standing"  # a member of a standing committee (BTV)
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


# Each role as a union says it, as the web application labels it (gateway/web/js/i18n.js).
ROLE_TITLES = {Role.MEMBER: "Đoàn viên", Role.OFFICIAL: "Cán bộ công đoàn",
               Role.EXECUTIVE: "Ban Chấp hành", Role.STANDING: "Ban Thường vụ",
               Role.AUDITOR: "Ủy ban Kiểm tra", Role.ADMINISTRATOR: "Quản trị"}


class OutsideYourScope(Forbidden):
    code = "OUTSIDE_YOUR_SCOPE"


class RoleNotAllowed(Forbidden):
    code = "ROLE_NOT_ALLOWED"


class ReadOnlyRole(Forbidden):
    code = "READ_ONLY_ROLE"


@dataclass(frozen=True)
class Grant:
    role: Role
    union_id: str | None  # None: the whole system

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role.value, "union_id": self.union_id}


@dataclass(frozen=True)
class Principal:
    username: str
    person_id: str | None
    grants: tuple[Grant, ...]

    @property
    def user_id(self) -> str:
        """Who acts, as the services record it: the registry's person, else the login."""
        return self.person_id or f"user:{self.username}"


MEMBER_TIER = {"initiatives.raise_idea", "initiatives.withdraw_idea", "initiatives.register"}
OFFICIAL_TIER = {"initiatives.coach_idea", "initiatives.report_application",
                 "initiatives.report_replication", "reviews.answer_difficulty",
                 "reviews.follow_up_difficulty", "reviews.report_difficulty"}
OWN = {"notifications.mark_read", "notifications.mark_all_read", "notifications.set_email"}
COMMITTEE = frozenset({Role.EXECUTIVE, Role.STANDING})
# R5.1: every store's proofs and any record's history: auditors' and administrators' reads
AUDIT = {"verify_chain", "chain_checkpoint", "replay_check", "history", "state_as_of",
         "decision_trail", "audit_report", "start_job", "job", "cancel_job"}
READ_ONLY = frozenset({Role.AUDITOR})


def roles_for(op: Operation) -> frozenset[Role]:
    """The roles that may make a call (R5.2); the services check the rest."""
    if op.method in AUDIT:
        return frozenset({Role.AUDITOR, Role.ADMINISTRATOR})
    if not op.command:
        return frozenset(Role)
    if op.name in OWN:
        return frozenset(Role) - READ_ONLY
    if op.service == "registry":
        return frozenset({Role.ADMINISTRATOR})
    if op.name in MEMBER_TIER:
        return frozenset({Role.MEMBER, Role.OFFICIAL}) | COMMITTEE
    if op.name in OFFICIAL_TIER:
        return frozenset({Role.OFFICIAL}) | COMMITTEE
    return COMMITTEE


# The union a call acts on: named by an argument, or found from the record it acts on.
UNION_ARGUMENTS = ("union_id", "upper_union_id", "to_union_id", "parent_id", "into_union_id")
# Every argument that names a union (by its id, or by its code: ``Gateway.unions_named``).
UNION_NAMES = (*UNION_ARGUMENTS, "root_id", "federation_id")
UNION_LISTS = ("union_ids",)
RECORDS: dict[str, tuple[str, str]] = {  # argument -> (service, query returning union_id)
    "initiative_id": ("initiatives", "get_initiative"),
    "idea_id": ("initiatives", "get_idea"),
    "award_id": ("awards", "get_award"),
    "nomination_id": ("awards", "get_nomination"),
    "submission_id": ("awards", "get_submission"),
    "difficulty_id": ("reviews", "get_difficulty"),
    "body_id": ("registry", "get_body"),
    "person_id": ("registry", "get_person"),
}

Call = Callable[..., Any]  # call(service, method, *args, **kwargs) as the system

# A union a call acts on, or the unions any one of which will do: a record taken over by a
# successor (R1.5) names the union holding it now and its original union.
Target = str | tuple[str, ...]


def record_unions(record: Mapping[str, Any] | None) -> tuple[str, ...]:
    """R1.5: the unions a record belongs to: the union holding it now (``held_by``, the
    successor of a merged or split union), and the union it was made in (``union_id``)."""
    found = [(record or {}).get(key) for key in ("held_by", "union_id")]
    return tuple(dict.fromkeys(u for u in found if isinstance(u, str)))


class Scope:
    """Whether a union lies in a grant's subtree today, from the registry (cached briefly:
    a reorganisation reaches the gateway within ``ttl`` seconds; the services judge by the
    decision's own date in any case)."""

    def __init__(self, call: Call, ttl: float = 30.0) -> None:
        self.call = call
        self.ttl = ttl
        self._chains: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def chain(self, union_id: str) -> frozenset[str]:
        """The union and every union above it."""
        now = time.monotonic()
        with self._lock:
            cached = self._chains.get(union_id)
        if cached and cached[0] > now:
            return cached[1]
        try:
            above = self.call("registry", "ancestors", union_id) or []
        except NotFound:
            above = []
        chain = frozenset([union_id, *(u["id"] for u in above)])
        with self._lock:
            self._chains[union_id] = (now + self.ttl, chain)
        return chain

    def targets(self, op: Operation, args: Mapping[str, Any]) -> list[Target] | None:
        """The unions a call acts on (None: it names none, e.g. a catalogue query). A query
        of one record by its id is not looked up first: what it returns is checked instead
        (``within``), which spares a round trip."""
        named = next(([args[name]] for name in UNION_ARGUMENTS if isinstance(args.get(name), str)),
                     [])
        if isinstance(args.get("union_ids"), list):  # one union and several, all checked
            return list(dict.fromkeys([*named, *(u for u in args["union_ids"]
                                                 if isinstance(u, str))]))
        if named:
            return named
        for name, (service, query) in RECORDS.items() if op.command else ():
            if isinstance(args.get(name), str):
                try:
                    record = self.call(service, query, args[name])
                except NotFound:
                    return None  # the service answers "not found" itself
                unions = record_unions(record)  # R1.5: its successor's officers reach it too
                return [unions] if unions else None
        return None

    def covers(self, grant: Grant, target: Target) -> bool:
        """Whether the grant's subtree holds the union (one of them, for a record's unions)."""
        unions = (target,) if isinstance(target, str) else target
        return any(grant.union_id in self.chain(u) for u in unions)

    def grant_for(self, principal: Principal, roles: frozenset[Role],
                  targets: list[Target] | None) -> Grant | None:
        """The first of the principal's grants with one of the roles over every target.
        ``targets`` None: the call names no union (a query of the catalogue, say), and any
        grant with the role will do; empty: only a system-wide grant."""
        for grant in principal.grants:
            if grant.role not in roles:
                continue
            if grant.union_id is None or targets is None:
                return grant
            if targets and all(self.covers(grant, t) for t in targets):
                return grant
        return None


def authorize(scope: Scope, op: Operation, args: Mapping[str, Any],
              principal: Principal) -> Grant:
    """The grant a call is made under, or the refusal (R5.2)."""
    allowed = roles_for(op)
    held = {g.role for g in principal.grants}
    if not held & allowed:
        if op.command and held <= READ_ONLY:
            raise ReadOnlyRole("an auditor reads; it changes nothing", {"operation": op.name})
        raise RoleNotAllowed(f"{op.name} needs one of the roles "
                             f"{', '.join(sorted(r.value for r in allowed))}",
                             {"operation": op.name, "roles": sorted(r.value for r in allowed)})
    if op.name in OWN:  # the caller's own records: the service finds them by the actor
        return next(g for g in principal.grants if g.role in allowed)
    targets = scope.targets(op, args)
    if targets is None and op.command and op.method not in AUDIT:
        # a command that names no union: only a system-wide grant may make it (a check of a
        # whole store run as a job is an auditor's read, like the check itself)
        targets = []
    grant = scope.grant_for(principal, allowed, targets)
    if grant is None:
        raise OutsideYourScope("the union this acts on is outside the unions of your roles",
                               {"operation": op.name, "unions": [
                                   u for t in targets or [] for u in ((t,) if isinstance(t, str)
                                                                       else t)]})
    return grant


def within(scope: Scope, principal: Principal, union_id: str) -> bool:
    """Whether a union a query returned lies inside one of the principal's grants."""
    return any(g.union_id is None or g.union_id in scope.chain(union_id)
               for g in principal.grants)
