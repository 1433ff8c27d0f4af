"""A plan's preview through the gateway (R1.5): the unions the plan ends, grouped by how, are
asked of initiatives, reviews and awards; what they answer is listed with the unions' codes
and names, and a service that does not answer is named while the rest are still listed."""

from __future__ import annotations

from typing import Any

from gateway.reorganisation import changes, with_open_items
from runtime.client import ServiceUnavailable
from runtime.context import Actor, CommandContext

A, B, C, D, N = (f"00000000-0000-4000-8000-00000000000{i}" for i in range(1, 6))
TREE: list[dict[str, Any]] = [
    {"id": A, "code": "CS-1", "name_before": "CĐCS Trường", "status_before": "active",
     "status_after": "merged", "successors": [{"id": B, "code": "CS-2", "name": "CĐCS Bệnh viện"}]},
    {"id": B, "code": "CS-2", "name_before": "CĐCS Bệnh viện", "status_before": "active",
     "status_after": "active", "successors": []},
    {"id": C, "code": "TV-CL", "name_before": "LĐLĐ huyện", "status_before": "active",
     "status_after": "dissolved", "successors": []},
    {"id": D, "code": "CS-3", "name_before": "CĐCS Xã", "status_before": "active",
     "status_after": "split", "successors": [{"id": N, "code": "CS-3A", "name": "Phần A"}]},
    {"id": N, "code": "CS-3A", "name_before": None, "name_after": "Phần A",
     "status_before": None, "status_after": "active", "successors": []},
]


def test_r1_5_the_unions_a_plan_ends_are_grouped_by_how_and_into_which_union() -> None:
    assert {(a.value, s): ids for (a, s), ids in changes(TREE).items()} == {
        ("merge", B): [A], ("dissolve", None): [C], ("split", None): [D]}


def test_r1_5_the_preview_lists_each_services_open_items_and_names_one_that_did_not_answer(
        ) -> None:
    asked: list[tuple[str, str, Any]] = []

    def call(service: str, method: str, context: CommandContext, **kwargs: Any) -> Any:
        asked.append((service, kwargs["action"], kwargs["successor_id"]))
        assert context.request_id is None  # a read on the caller's behalf, not a command
        if service == "awards":
            raise ServiceUnavailable("awards did not answer")
        if service == "initiatives" and kwargs["action"] == "merge":
            return [{"union_id": A, "kind": "initiative", "from_union_id": A, "to_union_id": B,
                     "action": "carried"}]
        return []

    context = CommandContext(Actor("admin", "administrator"), request_id="r")
    answer = with_open_items(call, context, {"dry_run": True, "effective_on": "2026-07-01"},
                             {"tree": TREE})
    assert len(asked) == 9  # three kinds of change, three services
    (item,) = answer["open_items"]
    assert (item["service"], item["from"], item["to"]) == (
        "initiatives", {"code": "CS-1", "name": "CĐCS Trường"},
        {"code": "CS-2", "name": "CĐCS Bệnh viện"})
    assert answer["open_items_unanswered"] == [{"service": "awards",
                                                "code": ServiceUnavailable.code}]
    applied = {"tree": TREE}
    assert with_open_items(call, context, {"dry_run": False}, applied) is applied  # not asked
