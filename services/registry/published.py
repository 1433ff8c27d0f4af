"""What the registry publishes, under which contract (``contracts/events/registry.*``)."""

from __future__ import annotations

from typing import Any

from runtime.publication import Rule
from services.registry.domain import Union


def _union_founded(event: Any) -> dict[str, Any]:
    return {"union_id": str(event.originator_id), "code": event.code, "name": event.name,
            "level": event.level,
            "parent_id": str(event.parent_id) if event.parent_id else None,
            "founded_on": event.founded_on.isoformat()}


# Union.Founded is the event class that @event("Founded") made.
RULES = [Rule(Union.Founded, "registry.union_founded", 1, _union_founded)]  # type: ignore[attr-defined]
