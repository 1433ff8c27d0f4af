"""What the registry publishes, under which contract (``contracts/events/registry.*``).

Other services judge authority from these facts as of a decision's date (R1.5), so every
change of the tree, of membership and of bodies is published with its effective date.
Personal details (birth date, gender) stay in the registry.
"""

from __future__ import annotations

from runtime.publication import Rule, fields
from services.registry.domain import Body, Person, Union

UNION, PERSON, BODY = "union_id", "person_id", "body_id"

# The event classes are made by @event("...") on the aggregates.
RULES = [
    Rule(Union.Founded, "registry.union_founded", 1,  # type: ignore[attr-defined]
         fields("code", "name", "level", "parent_id", "founded_on", key=UNION)),
    Rule(Union.Renamed, "registry.union_renamed", 1,  # type: ignore[attr-defined]
         fields("name", "effective_on", key=UNION)),
    Rule(Union.Moved, "registry.union_moved", 1,  # type: ignore[attr-defined]
         fields("parent_id", "effective_on", key=UNION)),
    Rule(Union.MergedInto, "registry.union_merged", 1,  # type: ignore[attr-defined]
         fields("successor_id", "effective_on", key=UNION)),
    Rule(Union.SplitInto, "registry.union_split", 1,  # type: ignore[attr-defined]
         fields("successor_ids", "effective_on", key=UNION)),
    Rule(Union.Dissolved, "registry.union_dissolved", 1,  # type: ignore[attr-defined]
         fields("effective_on", key=UNION)),
    Rule(Person.Registered, "registry.person_registered", 1,  # type: ignore[attr-defined]
         fields("code", "full_name", "is_official", "is_full_time", "union_id", "effective_on",
                 key=PERSON)),
    Rule(Person.Joined, "registry.member_joined", 1,  # type: ignore[attr-defined]
         fields("union_id", "effective_on", key=PERSON)),
    Rule(Person.Transferred, "registry.member_transferred", 1,  # type: ignore[attr-defined]
         fields("from_union_id", "to_union_id", "effective_on", "reason", key=PERSON)),
    Rule(Person.Left, "registry.member_left", 1,  # type: ignore[attr-defined]
         fields("union_id", "effective_on", "reason", key=PERSON)),
    Rule(Person.OfficialStatusChanged, "registry.official_status_changed", 1,  # type: ignore[attr-defined]
         fields("is_official", "is_full_time", "effective_on", key=PERSON)),
    Rule(Body.Constituted, "registry.body_constituted", 1,  # type: ignore[attr-defined]
         fields("union_id", "kind", "name", "department", "term_start", "term_end", "decision",
                 key=BODY)),
    Rule(Body.Appointed, "registry.body_member_appointed", 1,  # type: ignore[attr-defined]
         fields("person_id", "position", "effective_on", key=BODY)),
    Rule(Body.Relieved, "registry.body_member_relieved", 1,  # type: ignore[attr-defined]
         fields("person_id", "effective_on", key=BODY)),
    Rule(Body.Ended, "registry.body_ended", 1,  # type: ignore[attr-defined]
         fields("effective_on", "reason", key=BODY)),
]
