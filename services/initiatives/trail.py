"""What the auditors' trail (``runtime.trail``) follows through this service's records (R5.1).

Plain data, served as it is by the ``trail_links`` query, so the runtime learns how ideas,
initiatives and replications link and at which stage of the chain each step sits without
importing this package.
"""

from __future__ import annotations

from typing import Any

TRAIL: dict[str, Any] = {
    # record kind -> path in its state -> the service holding the records named there
    # (a ``*`` walks every item of a list)
    "links": {
        "Idea": {"initiative_id": "initiatives"},
        "Initiative": {"idea_id": "initiatives"},
        "Replication": {"initiative_id": "initiatives"},
    },
    # record kind -> event -> the stage of the chain the step belongs to (``*``: every event)
    "steps": {
        "Idea": {"*": "idea"},
        "Initiative": {"Registered": "registration", "CouncilConstituted": "evaluation",
                       "Evaluated": "evaluation", "TopicAccepted": "evaluation",
                       "Recognised": "recognition", "RecognisedAtLevel": "recognition",
                       "Refused": "recognition", "DeclinedAtLevel": "recognition",
                       "ApplicationReported": "application", "Adopted": "application",
                       "Proposed": "proposal", "Revoked": "revocation",
                       # R1.5: taken over by a successor, or closed, when the union was
                       # merged, split or dissolved
                       "CarriedOver": "handover", "Closed": "handover"},
        "Replication": {"*": "application"},
    },
    # the stages these records go through, in the chain's order, with their titles
    "stages": [("idea", "Ý tưởng"), ("registration", "Đăng ký"), ("evaluation", "Đánh giá"),
               ("recognition", "Công nhận"), ("application", "Áp dụng"),
               ("proposal", "Đề nghị"), ("revocation", "Thu hồi"),
               ("handover", "Chuyển giao khi sắp xếp tổ chức")],
}
