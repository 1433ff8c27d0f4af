"""The gateway's authority matrix (R5.2): every command and query × every role × inside or
outside the role's subtree, against a table written out here independently of the policy
module, so a change of the policy (or a new command nobody classified) fails a test.

The union tree and the records the calls name are a small fixed registry answering the
gateway's two questions (which unions are above this one; which union owns this record); the
whole path over HTTP, with the real registry, is in tests/integration/test_gateway_http.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.catalogue import Operation, operations
from gateway.policy import RECORDS, Grant, Principal, Role, Scope, authorize
from runtime.errors import DomainError

PARENT = {"CS-1": "TV-CL", "CS-2": "TV-CL", "TV-CL": "TV", "CS-VP": "TV", "TV": "VN", "VN": None}

MEMBER = {"initiatives.raise_idea", "initiatives.withdraw_idea", "initiatives.register"}
OFFICIAL = {"initiatives.coach_idea", "initiatives.report_application",
            "initiatives.report_replication", "reviews.report_difficulty",
            "reviews.answer_difficulty", "reviews.follow_up_difficulty"}
COMMITTEE = {
    "initiatives.design_form", "initiatives.constitute_council", "initiatives.record_evaluation",
    "initiatives.accept_topic", "initiatives.recognise", "initiatives.refuse",
    "initiatives.propose", "initiatives.recognise_at_level", "initiatives.decline_at_level",
    "initiatives.adopt", "initiatives.revoke",
    "reviews.launch", "reviews.record_dissemination", "reviews.sign_pledge",
    "reviews.hold_half_year_review", "reviews.hold_annual_review", "reviews.classify",
    "reviews.correct_classification", "reviews.flag_overdue", "reviews.link_review_rewards",
    "reviews.close_annual_review",
    "awards.attest", "awards.nominate", "awards.hold_selection", "awards.draft_submission",
    "awards.attach_document", "awards.submit", "awards.return_submission",
    "awards.decide_award", "awards.revoke_award"}
ADMINISTRATION = {
    "registry.found_union", "registry.rename_union", "registry.move_union",
    "registry.merge_unions", "registry.split_union", "registry.dissolve_union",
    "registry.register_person", "registry.join_union", "registry.transfer_person",
    "registry.leave_union", "registry.set_official_status", "registry.constitute_body",
    "registry.appoint", "registry.relieve", "registry.end_body", "registry.import_records",
    "registry.apply_reorganisation"}
# R5.1: a check of a whole store started and stopped as a job: auditors and administrators,
# whatever their union (the check names none, as the check itself)
JOBS = {f"{service}.{method}" for service in
        ("registry", "initiatives", "reviews", "awards", "notifications")
        for method in ("start_job", "cancel_job")}
# a person's own notifications: every role that changes anything, whatever its union
OWN = {"notifications.mark_read", "notifications.mark_all_read", "notifications.set_email"}
MAY = {Role.MEMBER: MEMBER | OWN, Role.OFFICIAL: MEMBER | OFFICIAL | OWN,
       Role.EXECUTIVE: MEMBER | OFFICIAL | COMMITTEE | OWN,
       Role.STANDING: MEMBER | OFFICIAL | COMMITTEE | OWN,
       Role.AUDITOR: set(), Role.ADMINISTRATOR: ADMINISTRATION | OWN}


def registry(service: str, method: str, *args: Any) -> Any:
    """The two questions the gateway asks: the chain above a union, a record's union."""
    if (service, method) == ("registry", "ancestors"):
        chain, union = [], PARENT.get(args[0])
        while union:
            chain.append({"id": union})
            union = PARENT[union]
        return chain
    assert any((service, method) == record for record in RECORDS.values()), (service, method)
    return {"union_id": "CS-1"}


def arguments(op: Operation) -> dict[str, Any]:
    """A call acting on CS-1, whichever way the operation names its union."""
    args: dict[str, Any] = {}
    for param in op.params:
        if param.name == "union_ids":
            args[param.name] = ["CS-1"]
        elif param.name.endswith("_id"):
            args[param.name] = "CS-1"  # a union id, or a record the registry says is CS-1's
        elif param.required:
            args[param.name] = "x"
    return args


def names_a_union(op: Operation) -> bool:
    """A command names its union or a record of it; a query is judged by its union argument
    (a record read by id is checked on what it returns)."""
    unions = {"union_id", "upper_union_id", "to_union_id", "parent_id", "into_union_id",
              "union_ids"}
    names = {p.name for p in op.params}
    return bool(names & unions) or (op.command and bool(names & set(RECORDS)))


CASES = [(op, role, inside) for op in operations() for role in Role for inside in (True, False)]


def test_r5_2_every_command_is_classified_in_the_matrix() -> None:
    commands = {op.name for op in operations() if op.command}
    assert commands == MEMBER | OFFICIAL | COMMITTEE | ADMINISTRATION | OWN | JOBS


@pytest.mark.parametrize(("op", "role", "inside"), CASES,
                         ids=[f"{op.name}-{role.value}-{'in' if inside else 'out'}"
                              for op, role, inside in CASES])
def test_r5_2_authority_matrix_each_call_each_role_inside_and_outside_the_scope(
        op: Operation, role: Role, inside: bool) -> None:
    grant = Grant(role, "TV-CL" if inside else "CS-VP")  # CS-1 is under TV-CL, not CS-VP
    principal = Principal("someone", "person-1", (grant,))
    audit = op.method in {"verify_chain", "chain_checkpoint", "replay_check", "history",
                          "state_as_of", "decision_trail", "audit_report", "job",
                          "start_job", "cancel_job"}  # auditors' reads, and their jobs
    allowed_role = (role in (Role.AUDITOR, Role.ADMINISTRATOR)) if audit else \
        not op.command or op.name in MAY[role]
    expected_ok = allowed_role and (inside or (not op.command and not names_a_union(op)))
    if op.command and not names_a_union(op):
        expected_ok = False  # naming no union, a command needs a system-wide grant
    if op.name in JOBS:
        expected_ok = allowed_role  # a job over the whole store, as the check it runs
    if op.name in OWN:
        expected_ok = allowed_role  # the caller's own, wherever their role's union is
    try:
        made = authorize(Scope(registry), op, arguments(op), principal)
    except DomainError as refused:
        assert not expected_ok, f"{op.name} refused for {role.value}: {refused.code}"
        if not allowed_role:
            expected = "READ_ONLY_ROLE" if role == Role.AUDITOR and op.command \
                else "ROLE_NOT_ALLOWED"
        else:
            expected = "OUTSIDE_YOUR_SCOPE"
        assert refused.code == expected
        return
    assert expected_ok, f"{op.name} let through for {role.value} {'in' if inside else 'out'}"
    assert made == grant


def test_r5_2_a_system_wide_grant_reaches_every_union_and_a_command_naming_none() -> None:
    flag = next(op for op in operations() if op.name == "reviews.flag_overdue")
    everywhere = Principal("chair", "p", (Grant(Role.STANDING, None),))
    assert authorize(Scope(registry), flag, {}, everywhere).union_id is None
    with pytest.raises(DomainError) as refused:
        authorize(Scope(registry), flag, {}, Principal("c", "p", (Grant(Role.STANDING, "TV"),)))
    assert refused.value.code == "OUTSIDE_YOUR_SCOPE"


def test_r5_2_a_grant_on_a_union_covers_its_subtree_not_its_parent() -> None:
    launch = next(op for op in operations() if op.name == "reviews.launch")
    district = Principal("g", "p", (Grant(Role.STANDING, "TV-CL"),))
    scope = Scope(registry)
    assert authorize(scope, launch, {"union_id": "CS-2"}, district).union_id == "TV-CL"
    assert authorize(scope, launch, {"union_id": "TV-CL"}, district).union_id == "TV-CL"
    with pytest.raises(DomainError) as refused:
        authorize(scope, launch, {"union_id": "TV"}, district)
    assert refused.value.code == "OUTSIDE_YOUR_SCOPE"


def test_r1_5_r5_2_a_record_taken_over_by_a_successor_is_reached_by_its_officers() -> None:
    """A merged union's initiative names the successor holding it now (``held_by``) beside
    its original union: the successor's committee acts on it, and the predecessor's grant
    still reaches it (a decision dated before the merge is judged by the service)."""
    def taken_over(service: str, method: str, *args: Any) -> Any:
        if (service, method) == ("registry", "ancestors"):
            return registry(service, method, *args)
        return {"union_id": "CS-1", "held_by": "CS-2"}

    op = next(o for o in operations() if o.name == "initiatives.recognise")
    args = {"initiative_id": "i-1", "decided_on": "2025-03-05", "reason": "x", "number": "1"}
    for union in ("CS-2", "CS-1"):
        who = Principal(union, None, (Grant(Role.EXECUTIVE, union),))
        assert authorize(Scope(taken_over), op, args, who).union_id == union
    outsider = Principal("vp", None, (Grant(Role.EXECUTIVE, "CS-VP"),))
    with pytest.raises(DomainError) as refused:
        authorize(Scope(taken_over), op, args, outsider)
    assert refused.value.code == "OUTSIDE_YOUR_SCOPE"
    assert refused.value.details["unions"] == ["CS-2", "CS-1"]
    # without the successor named, CS-2's committee is outside, as before the merge
    before = Principal("CS-2", None, (Grant(Role.EXECUTIVE, "CS-2"),))
    with pytest.raises(DomainError):
        authorize(Scope(registry), op, args, before)
