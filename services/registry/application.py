"""Registry commands and queries on the registry's event store."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from runtime.errors import InvalidInput
from runtime.publication import Publication
from runtime.store import ServiceApplication
from services.registry.domain import Union, UnionCodeTaken, UnionNotFound, clean_text
from services.registry.published import RULES


def parse_uuid(value: object, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidInput(f"{field} is not a valid id", {"field": field}) from None


def parse_date(value: object, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{field} is not a date (YYYY-MM-DD)", {"field": field}) from None


class Registry(ServiceApplication):
    service = "registry"

    def construct_publication(self) -> Publication:
        return Publication(self.service, RULES, self.catalog)

    def found_union(self, code: str, name: str, level: str, parent_id: str | None,
                    founded_on: str) -> UUID:
        union_id = Union.create_id(clean_text(code, "code", 64))
        if union_id in self.repository:
            raise UnionCodeTaken(f"a union with code {code} exists", {"code": code})
        parent = self._union(parse_uuid(parent_id, "parent_id")) if parent_id else None
        union = Union.found(code, name, level, parent, parse_date(founded_on, "founded_on"))
        self.save(union)
        return union.id

    def get_union(self, union_id: str) -> dict[str, Any]:
        union = self._union(parse_uuid(union_id, "union_id"))
        return {"id": str(union.id), "code": union.code, "name": union.name,
                "level": union.level, "parent_id": str(union.parent_id) if union.parent_id else None,
                "founded_on": union.founded_on.isoformat(), "version": union.version}

    def _union(self, union_id: UUID) -> Union:
        try:
            union: Union = self.repository.get(union_id)
        except AggregateNotFoundError:
            raise UnionNotFound(f"no union {union_id}", {"union_id": str(union_id)}) from None
        assert isinstance(union, Union)
        return union


APPLICATION = Registry
