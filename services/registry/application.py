"""Registry commands and queries on the registry's event store (R1.1–R1.5).

Commands load the aggregates they touch, let the domain decide, and save every changed
aggregate in one transaction: a merge that moves fifty members is all or nothing. Queries
read the dated read model (``readmodel.py``), answering as of any date (today by default,
from the injected clock).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from contracts.registry import (
    BodyKind,
    NoAuthority,
    PersonNotFound,
    UnionCodeUnknown,
    UnionNotFound,
)
from contracts.registry.facts import RegistryQueries
from runtime.commands import handles
from runtime.context import current_context
from runtime.errors import DomainError, InvalidInput
from runtime.paging import Page, page
from runtime.publication import Publication
from runtime.store import ServiceApplication
from runtime.text import parse_date, parse_page, parse_uuid, search_terms
from services.registry import commands
from services.registry.domain import (
    AllocationIncomplete,
    Body,
    BodyExists,
    BodyNotFound,
    Person,
    PersonCodeTaken,
    Union,
    UnionCodeTaken,
)
from services.registry.published import RULES
from services.registry.readmodel import OWN, RegistryReadModel
from services.registry.session import PLAN


def _ids(values: object, field: str) -> list[UUID]:
    if not isinstance(values, list | tuple):
        raise InvalidInput(f"{field} must be a list of ids", {"field": field})
    return [parse_uuid(v, field) for v in values]


class Registry(ServiceApplication):
    service = "registry"
    read_model_class = RegistryReadModel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queries = RegistryQueries(self.engine, OWN)
        from services.registry.importer import create_progress_table  # it builds on this module

        create_progress_table(self.engine)

    def construct_publication(self) -> Publication:
        return Publication(self.service, RULES, self.catalog)

    # R1.5, R5.2: the registry's records are kept by administrators (and the importer run by
    # an operator). The gateway lets only them through; the registry checks again here, for
    # every change it saves: the actor's role, and, for an administrator of one union, that
    # every union the change touches lies in that union's subtree today.
    KEEPERS = frozenset({"administrator", "operator", "system"})

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        plan = PLAN.get()
        if plan is not None:  # a row of a reorganisation plan: kept until the plan is saved
            plan.keep(objs)
            return None
        self._authorise(objs)
        return super().save(*objs, **kwargs)

    def save_events(self, aggregates: Sequence[Aggregate], events: Sequence[Any]) -> Any:
        """Stores the events of many aggregates in one transaction, in the order given (a
        reorganisation plan's, in the order of its rows: a union is founded before another
        moves under it), once the actor may change every one of the aggregates."""
        self._authorise(aggregates)
        return super().save(*events)

    def _authorise(self, objs: Sequence[Any]) -> None:
        context = current_context()
        if context is not None:  # no context at all: refused when the events are stamped
            actor = context.actor
            if actor.role not in self.KEEPERS:
                raise NoAuthority("only an administrator changes the registry",
                                  {"role": actor.role})
            if actor.role == "administrator" and actor.union_id:
                for union_id in self._touched(objs):
                    if not self._administers(actor.union_id, union_id):
                        raise NoAuthority("this union is outside the unions you administer",
                                          {"union_id": str(union_id),
                                           "administers": actor.union_id})

    def _touched(self, objs: Any) -> set[UUID]:
        touched: set[UUID] = set()
        founded = {obj.id: obj for obj in objs if isinstance(obj, Union)
                   and obj.version == len(getattr(obj, "pending_events", ()) or ())}
        for obj in objs:
            if not getattr(obj, "pending_events", None):
                continue
            if isinstance(obj, Union):  # a union founded now is judged by its parent
                known = obj.id not in founded and \
                    self.queries.union(obj.id, self.today()) is not None
                above = obj
                while not known and above.parent_id in founded:  # founded under one founded now
                    above = founded[above.parent_id]
                touched.add(obj.id if known or above.parent_id is None else above.parent_id)
            elif isinstance(obj, Body | Person) and obj.union_id is not None:
                touched.add(obj.union_id)
        return touched

    def _administers(self, scope: str, union_id: UUID) -> bool:
        chain = self.queries.ancestors(union_id, self.today()) or []
        return str(union_id) == scope or any(u["id"] == scope for u in chain)

    # --- unions (R1.1, R1.5) --------------------------------------------------------------

    @handles(commands.FoundUnion)
    def found_union(self, command: commands.FoundUnion) -> UUID:
        """R1.1, R1.5: founds a union at its level under its parent (a grassroots union under a
        direct-superior union, and so on), with its code."""
        code = command.code
        union_id = Union.create_id(str(code).strip())
        if self._exists(union_id):
            raise UnionCodeTaken(f"a union with code {code} exists", {"code": code})
        parent = self.union(command.parent_id, "parent_id") if command.parent_id else None
        union = Union.found(code, command.name, command.level, parent, command.founded_on)
        self.save(union)
        return union.id

    @handles(commands.RenameUnion)
    def rename_union(self, command: commands.RenameUnion) -> None:
        """R1.5: renames a union from a date; the old name stays in its history and in earlier
        documents."""
        union = self.union(command.union_id)
        union.rename(command.name, command.effective_on)
        self.save(union)

    @handles(commands.MoveUnion)
    def move_union(self, command: commands.MoveUnion) -> None:
        """R1.5: moves a union under another parent from a date; decisions made before keep the
        tree as it was then."""
        union, parent = self.union(command.union_id), self.union(command.parent_id, "parent_id")
        self._move(union, parent, command.effective_on)
        self.save(union)

    def _move(self, union: Union, parent: Union, on: date) -> None:
        union.move(parent, on, self._ancestor_ids(parent.id, on))  # R1.1, no cycles

    # What the tree looked like on a date: from the read model, or, while a reorganisation
    # plan is checked, as its earlier rows left it (R1.5: rows are judged in their order).
    def _ancestor_ids(self, union_id: UUID, on: date) -> list[UUID]:
        plan = PLAN.get()
        if plan is not None:
            return plan.ancestor_ids(union_id, on)
        return [UUID(a["id"]) for a in self.queries.ancestors(union_id, on) or []]

    def _active_children(self, union_id: UUID, on: date) -> list[UUID]:
        plan = PLAN.get()
        found = self.queries.active_children(union_id, on)
        return plan.active_children(union_id, on, found) if plan is not None else found

    def _member_ids_from(self, union_id: UUID, on: date) -> list[UUID]:
        plan = PLAN.get()
        found = self.queries.member_ids_from(union_id, on)
        return plan.member_ids_from(union_id, found) if plan is not None else found

    def _body_ids_from(self, union_id: UUID, on: date) -> list[UUID]:
        plan = PLAN.get()
        found = self.queries.body_ids_from(union_id, on)
        return plan.body_ids_from(found) if plan is not None else found

    def _exists(self, aggregate_id: UUID) -> bool:
        plan = PLAN.get()
        return (plan is not None and aggregate_id in plan.loaded) or aggregate_id in self.repository

    @handles(commands.DissolveUnion)
    def dissolve_union(self, command: commands.DissolveUnion) -> None:
        """R1.5: dissolves a union from a date; refused while it still has active lower unions.
        Its history and its decisions stay."""
        union, on = self.union(command.union_id), command.effective_on
        union.dissolve(on, self._active_children(union.id, on))
        changed: list[Aggregate] = [union]
        for person in self._people(self._member_ids_from(union.id, on)):
            person.leave(on, reason="union_dissolved")
            changed.append(person)
        changed.extend(self._end_bodies(union.id, on, "union_dissolved"))
        self.save(*changed)

    @handles(commands.MergeUnions)
    def merge_unions(self, command: commands.MergeUnions) -> UUID:
        """Merges unions into an existing one or into a new one founded on the day (R1.5)."""
        on, new_union = command.effective_on, command.new_union
        merged = [self.union(u) for u in command.union_ids]
        if len({u.id for u in merged}) != len(merged) or not merged:
            raise InvalidInput("union_ids must name each merging union once",
                               {"field": "union_ids"})
        if (command.into_union_id is None) == (new_union is None):
            raise InvalidInput("give either into_union_id or new_union", {"field": "into_union_id"})
        if command.into_union_id is not None:
            successor = self.union(command.into_union_id, "into_union_id")
            successor.absorb([u.id for u in merged], on)
        else:
            if len(merged) < 2:
                raise InvalidInput("a new union needs at least two unions to merge",
                                   {"field": "union_ids"})
            successor = self._new_successor(new_union, merged, on)
        changed: list[Aggregate] = [successor]
        for union in merged:
            union.merge_into(successor, on)
            changed.append(union)
            changed.extend(self._hand_over(union, successor, on, "union_merged"))
        self.save(*changed)
        return successor.id

    @handles(commands.SplitUnion)
    def split_union(self, command: commands.SplitUnion) -> list[UUID]:
        """Splits a union into new ones; every member and child union goes to one part (R1.5)."""
        union, on, parts = self.union(command.union_id), command.effective_on, command.parts
        if not isinstance(parts, list | tuple) or not all(isinstance(p, dict) for p in parts):
            raise InvalidInput("parts must be a list of objects", {"field": "parts"})
        current_parent = union.as_of(on)
        default_parent = str(current_parent.parent_id) if current_parent and \
            current_parent.parent_id else None
        new_parts = [self._new_union(p, default_parent, on, [union.id]) for p in parts]
        union.split_into(new_parts, on)
        codes = [str(p.get("code", "")).strip() for p in parts]
        if len(set(codes)) != len(codes):
            raise UnionCodeTaken("each part of a split needs its own code", {"codes": codes})
        members = self._allocate(parts, "members", set(self._member_ids_from(union.id, on)))
        children = self._allocate(parts, "children", set(self._active_children(union.id, on)))
        changed: list[Aggregate] = [union, *new_parts]
        for part, part_members, part_children in zip(new_parts, members, children, strict=True):
            for person in self._people(part_members):
                person.transfer(part, on, reason="union_split")
                changed.append(person)
            for child in (self.union(str(c)) for c in part_children):
                self._move(child, part, on)
                changed.append(child)
        changed.extend(self._end_bodies(union.id, on, "union_split"))
        self.save(*changed)
        return [p.id for p in new_parts]

    def _hand_over(self, union: Union, successor: Union, on: date, reason: str) -> list[Aggregate]:
        """Members and child unions go to the successor; the union's bodies end."""
        changed: list[Aggregate] = []
        for person in self._people(self._member_ids_from(union.id, on)):
            person.transfer(successor, on, reason=reason)
            changed.append(person)
        for child_id in self._active_children(union.id, on):
            child = self.union(str(child_id))
            self._move(child, successor, on)
            changed.append(child)
        changed.extend(self._end_bodies(union.id, on, reason))
        return changed

    def _allocate(self, parts: Sequence[dict[str, Any]], key: str,
                  current: set[UUID]) -> list[list[UUID]]:
        allocation = [_ids(p.get(key, []), f"parts.{key}") for p in parts]
        given = Counter(i for ids in allocation for i in ids)
        missing = current - set(given)
        strangers = set(given) - current
        twice = {i for i, times in given.items() if times > 1}
        if missing or strangers or twice:
            raise AllocationIncomplete(
                f"every current {key[:-1]} must go to exactly one part",
                {"field": f"parts.{key}", "missing": sorted(map(str, missing))[:20],
                 "not_current": sorted(map(str, strangers))[:20],
                 "allocated_twice": sorted(map(str, twice))[:20]})
        return allocation

    def _new_successor(self, spec: object, merged: list[Union], on: date) -> Union:
        parents = {p.parent_id for p in (u.as_of(on) for u in merged) if p is not None}
        default_parent = str(parents.pop()) if len(parents) == 1 and None not in parents else None
        return self._new_union(spec, default_parent, on, [u.id for u in merged],
                               level=merged[0].level)

    def _new_union(self, spec: object, default_parent: str | None, on: date,
                   predecessors: list[UUID], level: str | None = None) -> Union:
        if not isinstance(spec, dict):
            raise InvalidInput("a new union is an object with code and name", {"field": "new_union"})
        code = str(spec.get("code", "")).strip()
        if self._exists(Union.create_id(code)):
            raise UnionCodeTaken(f"a union with code {code} exists", {"code": code})
        parent_id = spec.get("parent_id") or default_parent
        parent = self.union(parent_id, "parent_id") if parent_id else None
        if level is None:
            predecessor = self.union(str(predecessors[0]))
            level = predecessor.level
        return Union.found(code, spec.get("name", ""), level, parent, on, predecessors)

    # --- people (R1.3) --------------------------------------------------------------------

    @handles(commands.RegisterPerson)
    def register_person(self, command: commands.RegisterPerson) -> UUID:
        """R1.3: registers a person (member or official) with their code; they join a union
        separately."""
        code = command.code
        person_id = Person.create_id(str(code).strip())
        if person_id in self.repository:
            raise PersonCodeTaken(f"a person with code {code} exists", {"code": code})
        person = Person.register(
            code, command.full_name, command.birth_date, command.gender, command.is_official,
            command.is_full_time, command.registered_on,
            self.union(command.union_id) if command.union_id else None)
        self.save(person)
        return person.id

    @handles(commands.JoinUnion)
    def join_union(self, command: commands.JoinUnion) -> None:
        """R1.3: a person becomes a member of a union from a date."""
        person = self.person(command.person_id)
        person.join(self.union(command.union_id), command.effective_on)
        self.save(person)

    @handles(commands.TransferPerson)
    def transfer_person(self, command: commands.TransferPerson) -> None:
        """R1.3: moves a member to another union from a date."""
        person, on = self.person(command.person_id), command.effective_on
        left = person.union_id
        person.transfer(self.union(command.union_id), on)
        self.save(person, *self._relieve_everywhere(person.id, left, on))

    @handles(commands.LeaveUnion)
    def leave_union(self, command: commands.LeaveUnion) -> None:
        """R1.3: a person leaves their union on a date; their past records keep the union they
        were in."""
        person, on = self.person(command.person_id), command.effective_on
        left = person.union_id
        person.leave(on)
        self.save(person, *self._relieve_everywhere(person.id, left, on))

    def _relieve_everywhere(self, person_id: UUID, union_id: UUID | None, on: date) -> list[Body]:
        """A grassroots body is drawn from the union's members (R1.3): who leaves the union
        leaves its bodies on the same day."""
        if union_id is None:
            return []
        relieved = []
        for body_id in self.queries.position_body_ids_from(person_id, union_id, on):
            body = self.body(str(body_id))
            body.relieve(person_id, on)
            relieved.append(body)
        return relieved

    @handles(commands.SetOfficialStatus)
    def set_official_status(self, command: commands.SetOfficialStatus) -> None:
        """R1.3, R3.3: records from a date whether a person is a union official (cán bộ công
        đoàn), and whether full-time."""
        person = self.person(command.person_id)
        person.set_official_status(command.is_official, command.is_full_time,
                                   command.effective_on)
        self.save(person)

    # --- bodies and teams (R1.2, R1.4) -----------------------------------------------------

    @handles(commands.ConstituteBody)
    def constitute_body(self, command: commands.ConstituteBody) -> UUID:
        """R1.2, R1.4: a new committee term, department or team (the initiative support team
        among them); it succeeds the one of the same kind."""
        body = self.new_body(self.union(command.union_id), command.kind, command.name,
                             command.term_start, command.term_end, command.department,
                             command.decision)
        self.save(body, *self.succession(body))
        return body.id

    def succession(self, body: Body, pending: Sequence[Body] = ()) -> list[Body]:
        """Ends the bodies a new one succeeds, stored or ``pending`` (not yet stored): the one
        of the same kind in office on its first day and, for an executive committee, the
        standing committee too, since a new executive committee elects its own (R1.2). One
        already ended after that day is refused: two committees are never in office at once."""
        kinds = [(body.kind, body.department)]
        if body.kind == BodyKind.EXECUTIVE_COMMITTEE:
            kinds.append((BodyKind.STANDING_COMMITTEE.value, None))
        ended: list[Body] = []
        for kind, department in kinds:
            same = [b for b in pending if b.union_id == body.union_id and b.kind == kind
                    and b.department == department
                    and (b.ended_on is None or b.ended_on > body.term_start)]
            for predecessor in same + self._bodies_from(body.union_id, body.term_start, kind,
                                                        department):
                predecessor.end(body.term_start, "succeeded")
                ended.append(predecessor)
        return ended

    def new_body(self, union: Union, kind: str, name: str, term_start: date,
                 term_end: date | None, department: str | None,
                 decision: dict[str, Any] | None, established_by: Body | None = None) -> Body:
        department = department.lower() if isinstance(department, str) else department
        if str(kind) in (BodyKind.IDEA_INCUBATION_TEAM, BodyKind.INITIATIVE_SUPPORT_TEAM) \
                and established_by is None and isinstance(decision, dict):
            signed_on = parse_date(decision.get("signed_on"), "decision.signed_on")
            established_by = self._executive_committee(union.id, signed_on)
        body = Body.constitute(union, kind, name, term_start, term_end, department, decision,
                               established_by)
        if body.id in self.repository:
            raise BodyExists(f"this {kind} of {union.code} from {term_start} is recorded",
                             {"body_id": str(body.id)})
        return body

    @handles(commands.Appoint)
    def appoint(self, command: commands.Appoint) -> None:
        """R1.2: appoints a person to a committee, department or team from a date; an executive
        committee's members must belong to its union."""
        body, person = self.body(command.body_id), self.person(command.person_id)
        on = command.effective_on
        executive = (self._executive_committee(body.union_id, on)
                     if body.kind == BodyKind.STANDING_COMMITTEE else None)
        body.appoint(person, command.position, on, executive)
        self.save(body)

    @handles(commands.Relieve)
    def relieve(self, command: commands.Relieve) -> None:
        """R1.2: relieves a person of their position in a body from a date."""
        body, on, person = self.body(command.body_id), command.effective_on, command.person_id
        body.relieve(person, on)
        changed = [body]
        if body.kind == BodyKind.EXECUTIVE_COMMITTEE:  # R1.2: the BTV sits within the BCH
            for standing in self._bodies_from(body.union_id, on, BodyKind.STANDING_COMMITTEE):
                if standing.position_on(person, on) is not None:
                    standing.relieve(person, on)
                    changed.append(standing)
        self.save(*changed)

    @handles(commands.EndBody)
    def end_body(self, command: commands.EndBody) -> None:
        """R1.2: ends a body's term on a date, with the reason."""
        body = self.body(command.body_id)
        body.end(command.effective_on, command.reason)
        self.save(body)

    def _executive_committee(self, union_id: UUID, on: date) -> Body | None:
        ids = self.queries.body_ids(union_id, on, kind=BodyKind.EXECUTIVE_COMMITTEE)
        return self.body(str(ids[-1])) if ids else None

    def _end_bodies(self, union_id: UUID, on: date, reason: str, kind: str | None = None,
                    department: str | None = None) -> list[Body]:
        """Ends the union's bodies (of one kind) in office on the date; one already ended
        after it is refused rather than overlapped (two committees are never in office)."""
        ended = []
        for body in self._bodies_from(union_id, on, kind, department):
            body.end(on, reason)
            ended.append(body)
        return ended

    def _bodies_from(self, union_id: UUID, on: date, kind: str | None = None,
                     department: str | None = None) -> list[Body]:
        found = (self.body(str(b)) for b in self._body_ids_from(union_id, on))
        return [b for b in found
                if kind is None or (b.kind == kind and b.department == department)]

    # --- loading ------------------------------------------------------------------------

    def union(self, union_id: object, field: str = "union_id") -> Union:
        return self._get(parse_uuid(union_id, field), Union, UnionNotFound, "union")

    def person(self, person_id: object, field: str = "person_id") -> Person:
        return self._get(parse_uuid(person_id, field), Person, PersonNotFound, "person")

    @handles(commands.GetBody)
    def get_body(self, query: commands.GetBody) -> dict[str, Any]:
        """One body: its union, kind, name, term and members over time (R1.2, R1.4)."""
        body = self.body(query.body_id)
        return {"body_id": str(body.id), "union_id": str(body.union_id), "kind": body.kind,
                "name": body.name, "department": body.department,
                "term_start": body.term_start.isoformat(),
                "term_end": body.term_end.isoformat() if body.term_end else None,
                "ended_on": body.ended_on.isoformat() if body.ended_on else None,
                "decision": body.decision}

    def body(self, body_id: object, field: str = "body_id") -> Body:
        return self._get(parse_uuid(body_id, field), Body, BodyNotFound, "body")

    def _get(self, aggregate_id: UUID, kind: type[Any], missing: type[DomainError],
             noun: str) -> Any:
        plan = PLAN.get()
        aggregate: Any = plan.loaded.get(aggregate_id) if plan is not None else None
        if aggregate is None:
            try:
                aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                aggregate = None
            if plan is not None and aggregate is not None:
                plan.loaded[aggregate_id] = aggregate
        if not isinstance(aggregate, kind):
            raise missing(f"no {noun} {aggregate_id}", {f"{noun}_id": str(aggregate_id)})
        return aggregate

    def _people(self, ids: Iterable[UUID]) -> list[Person]:
        return [self.person(str(i)) for i in ids]

    # --- a file of unions or people (R1.1–R1.4) ---------------------------------------------

    @handles(commands.ImportRecords)
    def import_records(self, command: commands.ImportRecords) -> dict[str, Any]:
        """Imports a file of people or unions (CSV or JSON), or a province's JSON file, under
        the same rules as each command (R1.1–R1.4): checked whole first, refused with each bad
        row (IMPORT_REFUSED) and nothing stored; ``dry_run`` checks and stores nothing.

        Answers ``{dry_run, sha256, counts: {unions, people, bodies, appointments}, skipped,
        seconds}``. What is already in the registry (by code) is skipped, so a file may be
        loaded again. Every event is the caller's, with the file's SHA-256 as evidence."""
        from services.registry.importer import import_file  # it builds on this application

        return import_file(self, command.file_content, command.format, command.kind,
                           command.dry_run, command.filename,
                           str(command.upload_id) if command.upload_id else None)

    @handles(commands.ImportProgress)
    def import_progress(self, query: commands.ImportProgress) -> dict[str, Any]:
        """R1.1: how far an import sent with this ``upload_id`` has got, while it runs:
        ``{phase: checking|storing|done|refused|unknown, done, total}`` (rows checked of the
        file's, or records stored of those to add). Written by the importer in transactions
        of their own, so any instance of the registry answers."""
        from services.registry.importer import progress_of

        return progress_of(self.engine, str(query.upload_id))

    @handles(commands.ImportTemplate)
    def import_template(self, query: commands.ImportTemplate) -> dict[str, Any]:
        """R1.1, R1.3: an empty Excel workbook to fill in and import: a sheet of people and
        one of unions with their Vietnamese headers, and a sheet saying what each column
        takes (base64, to travel as JSON)."""
        import base64

        from services.registry.workbook import template

        if query.format != "xlsx":
            raise InvalidInput("format is xlsx", {"field": "format", "allowed": ["xlsx"]})
        return {"filename": "mau-nhap-doan-vien-cong-doan.xlsx",
                "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "content_base64": base64.b64encode(template()).decode("ascii")}

    # --- a reorganisation plan (R1.5) -----------------------------------------------------

    @handles(commands.ApplyReorganisation)
    def apply_reorganisation(self, command: commands.ApplyReorganisation) -> dict[str, Any]:
        """R1.5: a reorganisation plan for one date (foundings, moves, renames, merges, splits
        and dissolutions, as rows of an Excel sheet, a CSV file or a JSON list), checked whole
        in its order against the tree as the earlier rows leave it, then stored whole in one
        transaction, recorded as one decision (number, legal basis, authority, the file's
        SHA-256) that every event cites. A plan with a bad row is refused (IMPORT_REFUSED,
        each bad row named by its place) and nothing stored; ``dry_run`` is the preview:
        ``{changes, records, tree}``, ``tree`` the parent of every union the plan touches
        on the day before and on the day."""
        from services.registry.reorganisation import apply_plan

        return apply_plan(self, command.file_content, command.format, command.number,
                          command.signed_on, command.effective_on, command.legal_basis,
                          command.union_id, command.dry_run, command.filename,
                          self.save_events)

    @handles(commands.GetReorganisation)
    def get_reorganisation(self, query: commands.GetReorganisation) -> dict[str, Any]:
        """R1.5: a recorded reorganisation plan: its number, dates, legal basis, authority,
        the file's SHA-256 and its changes."""
        from services.registry.reorganisation import PlanNotFound, ReorganisationPlan

        plan = self.find(parse_uuid(query.plan_id, "plan_id"), ReorganisationPlan)
        if plan is None:
            raise PlanNotFound(f"no reorganisation plan {query.plan_id}",
                               {"plan_id": str(query.plan_id)})
        return {"plan_id": str(plan.id), "number": plan.number,
                "signed_on": plan.signed_on.isoformat(),
                "effective_on": plan.effective_on.isoformat(), "legal_basis": plan.legal_basis,
                "authority_id": str(plan.authority_id), "sha256": plan.sha256,
                "filename": plan.filename, "changes": plan.changes, "union_ids": plan.union_ids}

    @handles(commands.ReorganisationTemplate)
    def reorganisation_template(self, query: commands.ReorganisationTemplate) -> dict[str, Any]:
        """R1.5: an empty Excel workbook of a reorganisation plan to fill in, with a sheet
        saying what each action takes (base64, to travel as JSON)."""
        import base64

        from services.registry.workbook import plan_template

        if query.format != "xlsx":
            raise InvalidInput("format is xlsx", {"field": "format", "allowed": ["xlsx"]})
        return {"filename": "mau-phuong-an-sap-xep-to-chuc.xlsx",
                "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "content_base64": base64.b64encode(plan_template()).decode("ascii")}

    # --- queries (as of a date; today by default) ------------------------------------------

    @handles(commands.GetUnion)
    def get_union(self, query: commands.GetUnion) -> dict[str, Any]:
        """R1.1: one union as it stood on a date: name, code, level, parent."""
        on = self.as_of(query.as_of)
        found = self.queries.union(query.union_id, on)
        if found is None:
            self.union(query.union_id)  # raises if it never existed
            raise UnionNotFound(f"union {query.union_id} did not exist on {on}",
                                {"union_id": str(query.union_id), "as_of": on.isoformat()})
        return found

    @handles(commands.UnionByCode)
    def union_by_code(self, query: commands.UnionByCode) -> dict[str, Any]:
        """A union named by its code, which every office knows (``TV-CS-0001``): its id,
        code, level and founding date, whatever the date; the gateway resolves a code given
        where a union is asked for with it (R5.2)."""
        found = self.queries.union_by_code(query.code)
        if found is None:
            raise UnionCodeUnknown(f"no union has the code {query.code!r}",
                                   {"code": query.code, "field": "code"})
        return found

    @handles(commands.UnionHistory)
    def union_history(self, query: commands.UnionHistory) -> dict[str, Any]:
        """R1.5: every change of a union (founding, renaming, moves, merges, splits,
        dissolution) with its date."""
        union = self.union(query.union_id)
        return {"id": str(union.id), "code": union.code, "level": union.level,
                **self.queries.history(union.id)}

    @handles(commands.Tree)
    def tree(self, query: commands.Tree) -> list[dict[str, Any]]:
        """R1.1: the union tree on a date, from the Confederation or from one union down."""
        return self.queries.tree(self.as_of(query.as_of), query.root_id)

    @handles(commands.Ancestors)
    def ancestors(self, query: commands.Ancestors) -> list[dict[str, Any]]:
        """R1.1: the unions above a union on a date (today by default), nearest first, up to
        the Confederation."""
        on = self.as_of(query.as_of)
        chain = self.queries.ancestors(query.union_id, on)
        if chain is None:
            self.get_union(commands.GetUnion(query.union_id, on))
        return chain or []

    @handles(commands.Descendants)
    def descendants(self, query: commands.Descendants) -> list[dict[str, Any]]:
        """R1.1: every union below a union on a date, the whole subtree."""
        on = self.as_of(query.as_of)
        self.get_union(commands.GetUnion(query.union_id, on))
        return self.queries.descendants(query.union_id, on)

    @handles(commands.DirectSuperior)
    def direct_superior(self, query: commands.DirectSuperior) -> dict[str, Any] | None:
        """The union directly above on the date (R1.1; authority is judged by it, R1.5)."""
        chain = self.ancestors(commands.Ancestors(query.union_id, query.as_of))
        return chain[0] if chain else None

    @handles(commands.HeldPositions)
    def held_positions(self, query: commands.HeldPositions) -> list[dict[str, Any]]:
        """R1.2: the positions a person held on a date (in one union's bodies, of one kind)."""
        return self.queries.positions_held(query.person_id, self.as_of(query.as_of),
                                           query.union_id, query.kind)

    @handles(commands.Members)
    def members(self, query: commands.Members) -> Page:
        """R1.3: the members of a union on a date, a page at a time, by name."""
        on = self.as_of(query.as_of)
        self.get_union(commands.GetUnion(query.union_id, on))
        start, size = parse_page(query.offset, query.limit)
        found = self.queries.members(query.union_id, on, start, size)
        return page(found["members"], found["total"], start, size)

    @handles(commands.GetPerson)
    def get_person(self, query: commands.GetPerson) -> dict[str, Any]:
        """R1.3: one person as recorded on a date: name, union, whether an official and
        full-time."""
        found = self.queries.person(query.person_id, self.as_of(query.as_of))
        if found is None:
            raise PersonNotFound(f"no person {query.person_id}",
                                 {"person_id": str(query.person_id)})
        return found

    @handles(commands.Bodies)
    def bodies(self, query: commands.Bodies) -> list[dict[str, Any]]:
        """R1.2: a union's committees, departments and teams in office on a date, of one kind
        if asked."""
        on = self.as_of(query.as_of)
        self.get_union(commands.GetUnion(query.union_id, on))
        return self.queries.bodies(query.union_id, on, query.kind)

    @handles(commands.Department)
    def department(self, query: commands.Department) -> dict[str, Any] | None:
        """A federation's department on a date, e.g. ``policy_law`` (R1.2, R2.8)."""
        on = self.as_of(query.as_of)
        self.get_union(commands.GetUnion(query.union_id, on))
        found = self.queries.bodies(query.union_id, on, BodyKind.DEPARTMENT,
                                    str(query.department).lower())
        return found[-1] if found else None

    @handles(commands.SearchUnions)
    def search_unions(self, query: commands.SearchUnions) -> list[dict[str, Any]]:
        """R1.1: unions by name or code, diacritics and case ignored."""
        _, size = parse_page(0, query.limit, 100)
        return self.queries.search_unions(search_terms(query.q), self.as_of(query.as_of), size)

    @handles(commands.SearchPeople)
    def search_people(self, query: commands.SearchPeople) -> list[dict[str, Any]]:
        """R1.3: people by name or code, diacritics and case ignored ("nguyen van a" finds
        "Nguyễn Văn A"), in one union if asked."""
        _, size = parse_page(0, query.limit, 100)
        return self.queries.search_people(search_terms(query.q), query.union_id,
                                          self.as_of(query.as_of), size)

APPLICATION = Registry
