"""What the awards service publishes, under which contract (``contracts/events/awards.*``):
nominations, dossiers submitted and returned, award decisions and revocations, each decision
with its decision record, for auditors (R4.5, R5.1) and for any service that reacts; and the
hand-overs and closings of open nominations and dossiers on a reorganisation (R1.5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.publication import Rule, fields
from services.awards.domain import Award, Nomination, Submission


def _fields(*names: str, key: str) -> Callable[[Any], dict[str, Any]]:
    return fields(*names, key=key)


def _nominated(event: Any) -> dict[str, Any]:
    data = _fields("union_id", "to_union_id", "year", "subject", "subject_id", "form",
                   "initiative_ids", "carries", "relies_on", "nominated_on", "decision",
                   key="nomination_id")(event)
    data["evaluation"] = {
        "eligible": event.evaluation["eligible"], "as_of": event.evaluation["as_of"],
        "rule_set": event.evaluation["rule_set"],
        "criteria": [{"code": c["code"], "met": c["met"],
                      "evidence": [e["event_id"] for e in c["evidence"] if "event_id" in e]}
                     for c in event.evaluation["criteria"]]}
    return data


def _decided(event: Any) -> dict[str, Any]:
    data = _fields("union_id", "year", "number", "decided_on", "signer", "submission_id",
                   "decision", key="award_id")(event)
    data["form"] = {k: event.form[k] for k in ("code", "title", "kind", "level")}
    data["awardees"] = [{k: a[k] for k in ("subject", "subject_id", "name", "achievement",
                                           "initiative_ids", "nomination_id", "relies_on")}
                        for a in event.awardees]
    return data


def _reorganised(record: str, *names: str) -> Callable[[Any], dict[str, Any]]:
    """R1.5: a hand-over or a closing, naming which record it is about."""
    def payload(event: Any) -> dict[str, Any]:
        return {"record": record, **_fields(*names, key="record_id")(event)}

    return payload


CARRIED = ("sides", "from_union_id", "to_union_id", "effective_on")
CLOSED = ("sides", "union_id", "effective_on", "reason")

RULES = [
    Rule(Nomination.Nominated, "awards.nominated", 1, _nominated),  # type: ignore[attr-defined]
    Rule(Submission.Submitted, "awards.dossier_submitted", 1,  # type: ignore[attr-defined]
         _fields("union_id", "to_union_id", "year", "nomination_ids", "round", "on", "number",
                 "meeting_ids", "documents", "decision", key="submission_id")),
    Rule(Submission.Returned, "awards.dossier_returned", 1,  # type: ignore[attr-defined]
         _fields("union_id", "to_union_id", "round", "on", "missing", "decision",
                 key="submission_id")),
    Rule(Award.Decided, "awards.award_decided", 1, _decided),  # type: ignore[attr-defined]
    Rule(Award.Revoked, "awards.award_revoked", 1,  # type: ignore[attr-defined]
         _fields("subject_id", "ground", "recovery", "dependents", "decision", key="award_id")),
    # R1.5: who proposes and who receives from the date, or why the record was closed
    Rule(Nomination.CarriedOver, "awards.carried_over", 1,  # type: ignore[attr-defined]
         _reorganised("nomination", *CARRIED)),
    Rule(Submission.CarriedOver, "awards.carried_over", 1,  # type: ignore[attr-defined]
         _reorganised("submission", *CARRIED)),
    Rule(Nomination.Discontinued, "awards.closed", 1,  # type: ignore[attr-defined]
         _reorganised("nomination", *CLOSED)),
    Rule(Submission.Discontinued, "awards.closed", 1,  # type: ignore[attr-defined]
         _reorganised("submission", *CLOSED)),
]
