"""What the initiatives service publishes, under which contract (``contracts/events/
initiatives.*``): what awards and reviews need to judge collectives and individuals (R4.1,
R4.2) and what auditors replay (R5.1). Every decision carries its decision record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.publication import Rule, fields
from services.initiatives.domain import Initiative, Replication


def _fields(*names: str, key: str = "initiative_id") -> Callable[[Any], dict[str, Any]]:
    return fields(*names, key=key)


def _registered(event: Any) -> dict[str, Any]:
    data = _fields("union_id", "reference", "kind", "registered_on", "decide_by", "form_version",
                   "idea_id", "received_by")(event)
    data["name"] = event.fields["name"]
    data["authors"] = [{k: a[k] for k in ("person_id", "share", "is_official", "is_full_time")}
                       for a in event.authors]
    return data


def _replicated(event: Any) -> dict[str, Any]:
    return _fields("initiative_id", "union_id", "adopted_on", "decision", key="replication_id")(event)


RULES = [
    Rule(Initiative.Registered, "initiatives.registered", 1, _registered),  # type: ignore[attr-defined]
    Rule(Initiative.Recognised, "initiatives.recognised", 1,  # type: ignore[attr-defined]
         _fields("decision")),
    Rule(Initiative.Refused, "initiatives.refused", 1, _fields("decision")),  # type: ignore[attr-defined]
    Rule(Initiative.TopicAccepted, "initiatives.topic_accepted", 1,  # type: ignore[attr-defined]
         _fields("on", "decision")),
    Rule(Initiative.ApplicationReported, "initiatives.applied", 1,  # type: ignore[attr-defined]
         _fields("report")),
    Rule(Initiative.Proposed, "initiatives.proposed", 1,  # type: ignore[attr-defined]
         _fields("scope", "to_union_id", "decision")),
    Rule(Initiative.RecognisedAtLevel, "initiatives.recognised_at_level", 1,  # type: ignore[attr-defined]
         _fields("scope", "decision")),
    Rule(Initiative.DeclinedAtLevel, "initiatives.declined_at_level", 1,  # type: ignore[attr-defined]
         _fields("scope", "decision")),
    Rule(Replication.Adopted, "initiatives.replicated", 1, _replicated),  # type: ignore[attr-defined]
    Rule(Replication.ResultReported, "initiatives.replication_result", 1,  # type: ignore[attr-defined]
         _fields("result", key="replication_id")),
    Rule(Initiative.Revoked, "initiatives.revoked", 1,  # type: ignore[attr-defined]
         _fields("ground", "decision", "dependents")),
    # R1.5: the reminders of its 3-month limit follow it to the successor's committee
    Rule(Initiative.CarriedOver, "initiatives.carried_over", 1,  # type: ignore[attr-defined]
         _fields("from_union_id", "to_union_id", "effective_on")),
    Rule(Initiative.Closed, "initiatives.closed", 1,  # type: ignore[attr-defined]
         _fields("union_id", "effective_on", "reason")),
]
