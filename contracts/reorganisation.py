"""What a reorganisation would do to the records other services keep (R1.5): the shape of the
``open_items`` query that initiatives, reviews and awards each answer, read-only, for a
reorganisation plan's preview (the gateway collects them; the registry knows none of them).

A query names the unions one kind of change touches (``Reorganisation``), the effective date,
and for a merge the union they merge into; each service answers, for each open record those
unions hold, whether it would be carried over to whom, or closed and why — exactly what its
policy does when the registry's event arrives. Imports no service.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from runtime.errors import InvalidInput


class Reorganisation(StrEnum):
    MERGE = "merge"  # registry.union_merged: the successor takes over
    SPLIT = "split"  # registry.union_split
    DISSOLVE = "dissolve"  # registry.union_dissolved: no union takes over


# The registry's published events, by the change they record.
EVENTS = {Reorganisation.MERGE: "registry.union_merged",
          Reorganisation.SPLIT: "registry.union_split",
          Reorganisation.DISSOLVE: "registry.union_dissolved"}

CARRIED, CLOSED = "carried", "closed"
UNION_IDS_MAX = 200


def require_change(union_ids: list[UUID], action: Reorganisation,
                   successor_id: UUID | None) -> None:
    """A merge names its successor; the others name none; at most ``UNION_IDS_MAX`` unions."""
    if not union_ids or len(union_ids) > UNION_IDS_MAX:
        raise InvalidInput(f"union_ids names from 1 to {UNION_IDS_MAX} unions",
                           {"field": "union_ids"})
    if (action == Reorganisation.MERGE) != (successor_id is not None):
        raise InvalidInput("a merge names the successor_id, and only a merge",
                           {"field": "successor_id"})


def open_item(union_id: UUID, kind: str, record_id: Any, title: str, number: str | None,
              on: date, to_union_id: UUID | None, action: str,
              reason: str | None = None) -> dict[str, Any]:
    """One open record and what the change would do to it (``to_union_id`` None for a
    closing, or for a split that hands it to a part the plan decides by its members)."""
    return {"union_id": str(union_id), "kind": kind, "record_id": str(record_id),
            "title": title, "number": number, "from_union_id": str(union_id),
            "to_union_id": str(to_union_id) if to_union_id is not None else None,
            "effective_on": on.isoformat(), "action": action, "reason": reason}


def vn_day(on: date) -> str:
    return f"{on.day:02d}/{on.month:02d}/{on.year}"
