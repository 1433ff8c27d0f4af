"""What the auditors' trail (``runtime.trail``) follows through this service's records (R5.1).

Plain data, served as it is by the ``trail_links`` query, so the runtime learns how
nominations, dossiers and awards link, where the events the awards were judged by are kept
and at which stage of the chain each step sits without importing this package.
"""

from __future__ import annotations

from typing import Any

TRAIL: dict[str, Any] = {
    # record kind -> path in its state -> the service holding the records named there
    # (a ``*`` walks every item of a list)
    "links": {
        "Nomination": {"initiative_ids.*": "initiatives", "carries": "awards",
                       "relies_on.*": "awards"},
        "Submission": {"nomination_ids.*": "awards"},
        "Award": {"submission_id": "awards", "awardees.*.nomination_id": "awards",
                  "awardees.*.relies_on.*": "awards"},
        "Achievement": {"award_id": "awards"},
    },
    # the records that name one of this kind, found by a query of this service: a
    # nomination's selection meetings and dossiers
    "named_by": {
        "Nomination": {"query": "proceedings", "argument": "nomination_id",
                       "lists": ["meetings", "submissions"]},
    },
    # the query that says which record each cited event of another service was about
    "cited_events": "cited_events",
    # record kind -> event -> the stage of the chain the step belongs to (``*``: every event)
    "steps": {
        "Attestation": {"*": "evaluation"},
        # R1.5: taken over by a successor, or closed, when a union was merged, split or
        # dissolved
        "Nomination": {"Nominated": "proposal", "Withdrawn": "proposal", "Awarded": "decision",
                       "CarriedOver": "handover", "Discontinued": "handover"},
        "SelectionMeeting": {"*": "proposal"},
        "Submission": {"*": "dossier", "CarriedOver": "handover", "Discontinued": "handover"},
        "Document": {"*": "dossier"},
        "Award": {"Decided": "decision", "Revoked": "revocation"},
        "Achievement": {"Rewarded": "decision", "RewardRevoked": "revocation"},
    },
    # the stages these records go through, in the chain's order, with their titles
    "stages": [("evaluation", "Đánh giá"), ("proposal", "Đề nghị"), ("dossier", "Hồ sơ"),
               ("decision", "Quyết định"), ("revocation", "Thu hồi"),
               ("handover", "Chuyển giao khi sắp xếp tổ chức")],
}
