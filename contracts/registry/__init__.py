"""The registry as other services know it (R5.3): the values its published events carry and
the refusals its facts give. Initiatives, reviews and awards import this package (and the
facts they keep, ``facts.py``), never the registry's; the registry's domain takes the same
definitions from here, so each has one definition on both sides. Imports no service.
"""

from __future__ import annotations

from enum import StrEnum

from runtime.errors import Conflict, Forbidden, NotFound


class Level(StrEnum):
    CONFEDERATION = "confederation"
    PROVINCIAL_FEDERATION = "provincial_federation"
    DIRECT_SUPERIOR = "direct_superior"
    GRASSROOTS = "grassroots"


class Status(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    SPLIT = "split"
    DISSOLVED = "dissolved"


class BodyKind(StrEnum):
    EXECUTIVE_COMMITTEE = "executive_committee"
    STANDING_COMMITTEE = "standing_committee"
    DEPARTMENT = "department"
    IDEA_INCUBATION_TEAM = "idea_incubation_team"
    INITIATIVE_SUPPORT_TEAM = "initiative_support_team"


POLICY_LAW = "policy_law"  # the department that receives difficulties reported from below (R2.8)


class UnionNotFound(NotFound):
    code = "UNION_NOT_FOUND"


class UnionCodeUnknown(NotFound):
    """No union was ever founded under this code (a union is named by its id or its code)."""

    code = "UNION_CODE_UNKNOWN"


class UnknownUnion(NotFound):
    """A union another service's facts do not know (yet) on a date: not founded then, or its
    founding not yet received from the registry."""

    code = "UNKNOWN_UNION"


class UnionNotActive(Conflict):
    code = "UNION_NOT_ACTIVE"


class PersonNotFound(NotFound):
    code = "PERSON_NOT_FOUND"


class NotMember(Conflict):
    code = "PERSON_NOT_MEMBER"


class NoAuthority(Forbidden):
    """The actor did not sit, on the decision's date, on the body that may decide."""

    code = "NO_AUTHORITY"


class NoBodyInOffice(Forbidden):
    code = "NO_BODY_IN_OFFICE"


class NotGrassroots(Forbidden):
    code = "NOT_GRASSROOTS"
