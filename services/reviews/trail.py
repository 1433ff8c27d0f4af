"""What the auditors' trail (``runtime.trail``) follows through this service's records (R5.1).

Plain data, served as it is by the ``trail_links`` query. A classification names no other
record; its steps are part of the chain's evaluation.
"""

from __future__ import annotations

from typing import Any

TRAIL: dict[str, Any] = {
    # record kind -> event -> the stage of the chain the step belongs to (``*``: every event)
    "steps": {"Classification": {"*": "evaluation"}},
    # the stages these records go through, in the chain's order, with their titles
    "stages": [("evaluation", "Đánh giá")],
}
