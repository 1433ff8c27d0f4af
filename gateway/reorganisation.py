"""A reorganisation plan's preview with the open items it would hand over or close (R1.5).

The registry's preview (``apply_reorganisation`` with ``dry_run``) names every union the plan
touches, how it ends (merged, split, dissolved) and its successors; it knows nothing of the
records other services keep. The gateway asks each of them, on the administrator's behalf and
read-only, what that change would do to the open records those unions hold
(``open_items``, ``contracts/reorganisation.py``), and lists them under the tree: carried over
to whom, or closed and why. A service that does not answer is named, the rest still listed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from contracts.reorganisation import Reorganisation
from runtime.context import CommandContext
from runtime.errors import DomainError

log = logging.getLogger("emulation.gateway")

PREVIEW = "registry.apply_reorganisation"
HOLDERS = ("initiatives", "reviews", "awards")  # the services keeping records of unions
ENDINGS = {"merged": Reorganisation.MERGE, "split": Reorganisation.SPLIT,
           "dissolved": Reorganisation.DISSOLVE}


def changes(tree: Sequence[Mapping[str, Any]]) -> dict[tuple[Reorganisation, str | None], list[str]]:
    """The unions the plan ends, grouped by how (and, for a merge, into which union)."""
    found: dict[tuple[Reorganisation, str | None], list[str]] = {}
    for row in tree:
        action = ENDINGS.get(str(row.get("status_after")))
        if row.get("status_before") != "active" or action is None:
            continue
        successors = row.get("successors") or []
        successor = successors[0]["id"] if action == Reorganisation.MERGE and successors else None
        if action == Reorganisation.MERGE and successor is None:
            continue
        found.setdefault((action, successor), []).append(str(row["id"]))
    return found


def with_open_items(call: Callable[..., Any], context: CommandContext, args: Mapping[str, Any],
                    result: Any) -> Any:
    """The preview's answer with ``open_items`` (each named by its unions' codes and names)
    and ``open_items_unanswered`` (the services that did not answer, with their codes)."""
    if not args.get("dry_run") or not isinstance(result, dict):
        return result
    tree = result.get("tree") or []
    names: dict[str, dict[str, Any]] = {}
    for row in tree:
        names[str(row["id"])] = {"code": row.get("code"),
                                 "name": row.get("name_before") or row.get("name_after")}
        for successor in row.get("successors") or []:
            names.setdefault(str(successor["id"]), {"code": successor.get("code"),
                                                    "name": successor.get("name")})
    asking = replace(context, request_id=None, expected_versions=None)  # reads, not commands
    items: list[dict[str, Any]] = []
    unanswered: list[dict[str, Any]] = []
    for (action, successor), union_ids in changes(tree).items():
        for service in HOLDERS:
            try:
                found = call(service, "open_items", context=asking, union_ids=union_ids,
                             on=args["effective_on"], action=action.value,
                             successor_id=successor)
            except DomainError as error:  # the preview still shows the rest
                log.warning("%s.open_items did not answer: %s", service, error.code)
                unanswered.append({"service": service, "code": error.code})
                continue
            for item in found or []:
                items.append({**item, "service": service,
                              "from": names.get(str(item.get("from_union_id"))),
                              "to": names.get(str(item.get("to_union_id")))})
    return {**result, "open_items": items,
            "open_items_unanswered": list({u["service"]: u for u in unanswered}.values())}
