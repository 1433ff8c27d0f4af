"""The registry's nameko service: entrypoints only; the work is in ``application.py``.

Ids, dates (YYYY-MM-DD) and flags travel as JSON values; queries take ``as_of`` (today when
omitted) so callers ask about the past the same way they ask about the present (R1.5).
"""

from __future__ import annotations

from typing import Any

from runtime.adapter import ApplicationProvider, EventSourcedService, query, rpc
from services.registry.application import Registry


class RegistryService(EventSourcedService):
    name = "registry"
    app = ApplicationProvider(Registry)

    # --- the union tree (R1.1, R1.5) -------------------------------------------------------

    @rpc
    def found_union(self, code: str, name: str, level: str, founded_on: str,
                    parent_id: str | None = None) -> str:
        return str(self.app.found_union(code, name, level, parent_id, founded_on))

    @rpc
    def rename_union(self, union_id: str, name: str, effective_on: str) -> None:
        self.app.rename_union(union_id, name, effective_on)

    @rpc
    def move_union(self, union_id: str, parent_id: str, effective_on: str) -> None:
        self.app.move_union(union_id, parent_id, effective_on)

    @rpc
    def merge_unions(self, union_ids: list[str], effective_on: str,
                     into_union_id: str | None = None,
                     new_union: dict[str, Any] | None = None) -> str:
        return str(self.app.merge_unions(union_ids, effective_on, into_union_id, new_union))

    @rpc
    def split_union(self, union_id: str, effective_on: str, parts: list[dict[str, Any]]) -> list[str]:
        return [str(i) for i in self.app.split_union(union_id, effective_on, parts)]

    @rpc
    def dissolve_union(self, union_id: str, effective_on: str) -> None:
        self.app.dissolve_union(union_id, effective_on)

    @query
    def get_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any]:
        return self.app.get_union(union_id, as_of)

    @query
    def union_history(self, union_id: str) -> dict[str, Any]:
        return self.app.union_history(union_id)

    @query
    def tree(self, as_of: str | None = None, root_id: str | None = None) -> list[dict[str, Any]]:
        return self.app.tree(as_of, root_id)

    @query
    def ancestors(self, union_id: str, as_of: str | None = None) -> list[dict[str, Any]]:
        return self.app.ancestors(union_id, as_of)

    @query
    def descendants(self, union_id: str, as_of: str | None = None) -> list[dict[str, Any]]:
        return self.app.descendants(union_id, as_of)

    @query
    def direct_superior(self, union_id: str, as_of: str | None = None) -> dict[str, Any] | None:
        return self.app.direct_superior(union_id, as_of)

    @query
    def search_unions(self, q: str, as_of: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        return self.app.search_unions(q, as_of, limit)

    # --- people (R1.3) ---------------------------------------------------------------------

    @rpc
    def register_person(self, code: str, full_name: str, registered_on: str,
                        union_id: str | None = None, birth_date: str | None = None,
                        gender: str | None = None, is_official: bool = False,
                        is_full_time: bool = False) -> str:
        return str(self.app.register_person(code, full_name, registered_on, union_id, birth_date,
                                            gender, is_official, is_full_time))

    @rpc
    def join_union(self, person_id: str, union_id: str, effective_on: str) -> None:
        self.app.join_union(person_id, union_id, effective_on)

    @rpc
    def transfer_person(self, person_id: str, union_id: str, effective_on: str) -> None:
        self.app.transfer_person(person_id, union_id, effective_on)

    @rpc
    def leave_union(self, person_id: str, effective_on: str) -> None:
        self.app.leave_union(person_id, effective_on)

    @rpc
    def set_official_status(self, person_id: str, is_official: bool, is_full_time: bool,
                            effective_on: str) -> None:
        self.app.set_official_status(person_id, is_official, is_full_time, effective_on)

    @query
    def get_person(self, person_id: str, as_of: str | None = None) -> dict[str, Any]:
        return self.app.get_person(person_id, as_of)

    @query
    def members(self, union_id: str, as_of: str | None = None, offset: int = 0,
                limit: int = 100) -> dict[str, Any]:
        return self.app.members(union_id, as_of, offset, limit)

    @query
    def search_people(self, q: str, union_id: str | None = None, as_of: str | None = None,
                      limit: int = 20) -> list[dict[str, Any]]:
        return self.app.search_people(q, union_id, as_of, limit)

    # --- files of people or unions (R1.1–R1.4) ---------------------------------------------

    @rpc
    def import_records(self, file_content: str, format: str = "csv", kind: str = "people",
                       dry_run: bool = False, filename: str | None = None) -> dict[str, Any]:
        return self.app.import_records(file_content, format, kind, dry_run, filename)

    # --- bodies and teams (R1.2, R1.4) ------------------------------------------------------

    @rpc
    def constitute_body(self, union_id: str, kind: str, name: str, term_start: str,
                        term_end: str | None = None, department: str | None = None,
                        decision: dict[str, Any] | None = None) -> str:
        return str(self.app.constitute_body(union_id, kind, name, term_start, term_end,
                                            department, decision))

    @rpc
    def appoint(self, body_id: str, person_id: str, position: str, effective_on: str) -> None:
        self.app.appoint(body_id, person_id, position, effective_on)

    @rpc
    def relieve(self, body_id: str, person_id: str, effective_on: str) -> None:
        self.app.relieve(body_id, person_id, effective_on)

    @rpc
    def end_body(self, body_id: str, effective_on: str, reason: str = "term_ended") -> None:
        self.app.end_body(body_id, effective_on, reason)

    @query
    def get_body(self, body_id: str) -> dict[str, Any]:
        return self.app.get_body(body_id)

    @query
    def bodies(self, union_id: str, as_of: str | None = None,
               kind: str | None = None) -> list[dict[str, Any]]:
        return self.app.bodies(union_id, as_of, kind)

    @query
    def held_positions(self, person_id: str, union_id: str | None = None,
                       as_of: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        return self.app.held_positions(person_id, union_id, as_of, kind)

    @query
    def department(self, union_id: str, department: str,
                   as_of: str | None = None) -> dict[str, Any] | None:
        return self.app.department(union_id, department, as_of)


SERVICE = RegistryService
