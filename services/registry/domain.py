"""The union tree. Pure Python: no I/O, no clock, no nameko."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from runtime.errors import Conflict, InvalidInput, NotFound


class Level(StrEnum):
    CONFEDERATION = "confederation"
    PROVINCIAL_FEDERATION = "provincial_federation"
    DIRECT_SUPERIOR = "direct_superior"
    GRASSROOTS = "grassroots"


# R1.1: which level may sit under which. A grassroots union sits under a direct-superior
# union or directly under the provincial federation.
ALLOWED_PARENTS: dict[Level, frozenset[Level | None]] = {
    Level.CONFEDERATION: frozenset({None}),
    Level.PROVINCIAL_FEDERATION: frozenset({Level.CONFEDERATION}),
    Level.DIRECT_SUPERIOR: frozenset({Level.PROVINCIAL_FEDERATION}),
    Level.GRASSROOTS: frozenset({Level.DIRECT_SUPERIOR, Level.PROVINCIAL_FEDERATION}),
}


class UnionNotFound(NotFound):
    code = "UNION_NOT_FOUND"


class UnionCodeTaken(Conflict):
    code = "UNION_CODE_TAKEN"


class ParentLevelMismatch(InvalidInput):
    code = "PARENT_LEVEL_MISMATCH"


def clean_text(value: object, field: str, max_length: int) -> str:
    """Vietnamese text is stored NFC-normalised and trimmed."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field} is required", {"field": field})
    text = unicodedata.normalize("NFC", value.strip())
    if len(text) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters",
                           {"field": field, "max_length": max_length})
    return text


class Union(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:union:{code}")

    @classmethod
    def found(cls, code: str, name: str, level: str, parent: Union | None,
              founded_on: date) -> Union:
        code = clean_text(code, "code", 64)
        name = clean_text(name, "name", 500)
        try:
            union_level = Level(level)
        except ValueError:
            raise InvalidInput(f"unknown level {level!r}",
                               {"field": "level", "allowed": [lv.value for lv in Level]}) from None
        parent_level = Level(parent.level) if parent else None
        if parent_level not in ALLOWED_PARENTS[union_level]:  # R1.1
            raise ParentLevelMismatch(
                f"a {union_level.value} union cannot sit under "
                f"{parent_level.value if parent_level else 'no parent'}",
                {"level": union_level.value,
                 "parent_level": parent_level.value if parent_level else None})
        return cls(code=code, name=name, level=union_level.value,
                   parent_id=parent.id if parent else None, founded_on=founded_on)

    @event("Founded")
    def __init__(self, code: str, name: str, level: str, parent_id: UUID | None,
                 founded_on: date) -> None:
        self.code = code
        self.name = name
        self.level = level
        self.parent_id = parent_id
        self.founded_on = founded_on
