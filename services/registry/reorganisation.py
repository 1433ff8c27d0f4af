"""A reorganisation plan (R1.5): one document listing, for one effective date, any number of
foundings, moves, renames, merges, splits and dissolutions, checked whole and applied whole.

The plan is a list of changes (rows of an Excel sheet "Sắp xếp tổ chức", of a CSV file, or a
JSON list built on screen), each with its ``action``:

- ``found`` (thành lập): ``union_code`` the new code, ``name``, ``level``, ``parent_code``;
- ``rename`` (đổi tên): ``union_code``, ``name``;
- ``move`` (chuyển): ``union_code``, ``parent_code`` (its new direct superior);
- ``merge`` (hợp nhất, sáp nhập): ``union_code`` the merging unions' codes, separated by
  commas; ``successor_code`` the union they merge into (one existing, or a new one founded
  with ``name`` and ``parent_code``): their members and child unions go to it;
- ``split`` (chia tách): consecutive rows with the same ``union_code``, one per part:
  ``successor_code``, ``name``, ``parent_code`` (that of the split union if empty),
  ``members`` and ``children`` (codes separated by commas, or ``*`` for every one no other
  part names): every member and child union goes to exactly one part;
- ``dissolve`` (giải thể): ``union_code``, once no active union is left under it.

Each row is checked in its order by the registry's own commands (the same rules as one at a
time), against the tree as the earlier rows left it (``session.py``): found a union, move
grassroots unions under it, then dissolve the emptied federation. A plan with any bad row is
refused whole (``IMPORT_REFUSED``), each bad row named by its place in the file, and nothing
is stored; ``dry_run`` is the preview: the problems, or the parents of every union the plan
touches on the day before and on the day (and the successors of those it merges or splits:
the gateway asks the other services what each would carry over or close, R1.5). A good
plan is stored with one save: the unions', people's and bodies' events (the ones each
command publishes: ``registry.union_founded``, ``union_renamed``, ``union_moved``,
``union_merged``, ``union_split``, ``union_dissolved``, ``member_transferred``,
``member_left``, ``body_ended``) and the plan itself, a ``ReorganisationPlan`` decision with
its number, dates, legal basis, authority and the file's SHA-256, in one transaction. Every
event cites the plan (its decision's reason and evidence).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from contracts.registry import NoAuthority, UnionNotFound
from runtime.context import Decision, current_context, use_context
from runtime.errors import Conflict, DomainError, InvalidInput, NotFound
from runtime.text import clean_text, search_key
from services.registry import workbook
from services.registry.domain import Person, Union
from services.registry.session import PLAN, PlanSession

RULES = "registry-reorganisation/v1"
PLAN_MAX = 6_000_000  # characters of a file through the API, as for an import
CHANGES = "changes"
ACTIONS = {
    "found": ("found", "thanh lap", "thanh lap moi"),
    "rename": ("rename", "doi ten"),
    "move": ("move", "chuyen", "chuyen cap tren", "dieu chuyen"),
    "merge": ("merge", "hop nhat", "sap nhap", "sat nhap"),
    "split": ("split", "chia tach", "tach"),
    "dissolve": ("dissolve", "giai the"),
}
_ACTION = {search_key(word): action for action, words in ACTIONS.items() for word in words}


class PlanTaken(Conflict):
    """A plan with this number of this authority is recorded already."""

    code = "PLAN_EXISTS"


class PlanNotFound(NotFound):
    code = "PLAN_NOT_FOUND"


class ActionUnknown(InvalidInput):
    code = "PLAN_ACTION_UNKNOWN"


class ReorganisationPlan(Aggregate):
    """The decision that reorganises the tree on one date (R1.5): what was decided, by whom
    (the event's actor), on what legal basis, from which file."""

    @staticmethod
    def create_id(authority_id: UUID, number: str) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"emulation:reorganisation:{authority_id}:{number}")

    @event("Decided")
    def __init__(self, number: str, signed_on: date, effective_on: date, legal_basis: str,
                 authority_id: UUID, sha256: str, filename: str | None,
                 changes: list[dict[str, Any]], union_ids: list[str]) -> None:
        self.number = number
        self.signed_on = signed_on
        self.effective_on = effective_on
        self.legal_basis = legal_basis
        self.authority_id = authority_id
        self.sha256 = sha256
        self.filename = filename
        self.changes = changes
        self.union_ids = union_ids


# --- reading a plan ------------------------------------------------------------------------

def read(content: str, format: str, name: str) -> tuple[dict[str, Any], str]:
    """A plan's rows as import data (with where each row sits), and the file's SHA-256."""
    from services.registry import importer

    if format not in ("xlsx", "csv", "json"):
        raise InvalidInput("format is xlsx, csv or json",
                           {"field": "format", "allowed": ["xlsx", "csv", "json"]})
    if format == "xlsx":
        raw = importer._bytes(content, name)
        digest = hashlib.sha256(raw).hexdigest()
        return importer._workbook(raw, CHANGES, name), digest
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    if format == "csv":
        rows, lines = importer._csv_rows(content, name, CHANGES)
        return {CHANGES: rows, importer.CSV_LINES: {CHANGES: lines},
                importer.CSV_NAMES: {CHANGES: name}}, digest
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise importer.refusal([importer.ImportNotReadable(
            f"{name} is not JSON: {error}", {"file": name, "line": error.lineno})]) from None
    if isinstance(data, dict):
        data = data.get(CHANGES)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise importer.refusal([importer.ImportNotReadable(
            "a plan is a list of changes (objects)", {"record": CHANGES, "list": CHANGES})])
    return {CHANGES: data}, digest


def _codes(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [c.strip() for c in str(value).replace(";", ",").replace("\n", ",").split(",")
            if c.strip()]


# --- checking and applying -----------------------------------------------------------------

class Planner:
    def __init__(self, app: Any, session: PlanSession, on: date) -> None:
        self.app = app
        self.session = session
        self.on = on

    def union_id(self, code: object, where: str, column: str) -> UUID:
        code = str(code or "").strip()
        if not code:
            from services.registry.importer import ImportValueMissing

            raise ImportValueMissing(f"{where}: {column} is missing",
                                     {"record": where, "field": column})
        union_id = Union.create_id(code)
        if not self.app._exists(union_id):
            raise UnionNotFound(f"{where}: no union with code {code} in the plan or the registry",
                                {"record": where, "field": column, "code": code})
        return union_id

    def field(self, record: dict[str, Any], name: str, where: str) -> Any:
        from services.registry.importer import _field

        return _field(record, name, where)

    def run(self, index: int, record: dict[str, Any], group: list[tuple[int, dict[str, Any]]]
            ) -> None:
        where, on = f"{CHANGES}[{index}]", self.on
        action = _ACTION.get(search_key(str(record.get("action") or "")))
        if action is None:
            raise ActionUnknown(f"{where}: action {record.get('action')!r} is not one of "
                                f"{sorted(ACTIONS)}", {"record": where, "field": "action",
                                                       "allowed": sorted(ACTIONS)})
        app = self.app
        if action == "found":
            parent = record.get("parent_code")
            app.found_union(str(self.field(record, "union_code", where)).strip(),
                            self.field(record, "name", where),
                            workbook._value(self.field(record, "level", where), "level"),
                            on, self.union_id(parent, where, "parent_code") if parent else None)
        elif action == "rename":
            app.rename_union(self.union_id(record.get("union_code"), where, "union_code"),
                             self.field(record, "name", where), on)
        elif action == "move":
            app.move_union(self.union_id(record.get("union_code"), where, "union_code"),
                           self.union_id(record.get("parent_code"), where, "parent_code"), on)
        elif action == "dissolve":
            app.dissolve_union(self.union_id(record.get("union_code"), where, "union_code"), on)
        elif action == "merge":
            merging = [self.union_id(c, where, "union_code")
                       for c in _codes(self.field(record, "union_code", where))]
            successor = str(self.field(record, "successor_code", where)).strip()
            if app._exists(Union.create_id(successor)):
                app.merge_unions(merging, on, Union.create_id(successor), None)
            else:
                parent = record.get("parent_code")
                new = {"code": successor, "name": self.field(record, "name", where)}
                if parent:
                    new["parent_id"] = str(self.union_id(parent, where, "parent_code"))
                app.merge_unions(merging, on, None, new)
        else:  # split: this row and the next ones of the same union are its parts
            self.split(where, record, group)

    def split(self, where: str, record: dict[str, Any],
              group: list[tuple[int, dict[str, Any]]]) -> None:
        union_id = self.union_id(record.get("union_code"), where, "union_code")
        members = set(self.app._member_ids_from(union_id, self.on))
        children = set(self.app._active_children(union_id, self.on))
        parts: list[dict[str, Any]] = []
        rest: dict[str, int] = {}
        for index, part in group:
            at = f"{CHANGES}[{index}]"
            spec: dict[str, Any] = {"code": str(self.field(part, "successor_code", at)).strip(),
                                    "name": self.field(part, "name", at)}
            if part.get("parent_code"):
                spec["parent_id"] = str(self.union_id(part["parent_code"], at, "parent_code"))
            for key in ("members", "children"):
                given = _codes(part.get(key))
                if given == ["*"]:  # every one no other part names
                    rest[key] = len(parts)
                    spec[key] = []
                elif key == "members":
                    spec[key] = [str(Person.create_id(c)) for c in given]
                else:
                    spec[key] = [str(self.union_id(c, at, key)) for c in given]
            parts.append(spec)
        for key, known in (("members", members), ("children", children)):
            if key in rest:
                named = {UUID(i) for p in parts for i in p[key]}
                parts[rest[key]][key] = [str(i) for i in sorted(known - named)]
        self.app.split_union(union_id, self.on, parts)


def _groups(records: list[dict[str, Any]]) -> Iterator[tuple[int, dict[str, Any],
                                                            list[tuple[int, dict[str, Any]]]]]:
    """Each change with its index; a split's rows (consecutive, the same union) as one."""
    index = 0
    while index < len(records):
        record = records[index]
        group = [(index, record)]
        if _ACTION.get(search_key(str(record.get("action") or ""))) == "split":
            while index + len(group) < len(records):
                following = records[index + len(group)]
                if _ACTION.get(search_key(str(following.get("action") or ""))) != "split" or \
                        str(following.get("union_code") or "").strip() != \
                        str(record.get("union_code") or "").strip():
                    break
                group.append((index + len(group), following))
        yield index, record, group
        index += len(group)


def _tree(app: Any, session: PlanSession, on: date) -> list[dict[str, Any]]:
    """Every union the plan touches: its parent on the day before and on the day."""
    before = on - timedelta(days=1)
    rows = []
    for union in session.unions():
        if not union.pending_events:
            continue
        then, now = union.as_of(before), union.as_of(on)

        def named(union_id: UUID | None, when: date) -> dict[str, Any] | None:
            if union_id is None:
                return None
            found = session.loaded.get(union_id)
            if isinstance(found, Union):
                period = found.as_of(when)
                return {"id": str(found.id), "code": found.code,
                        "name": period.name if period else found.name}
            row = app.queries.union(union_id, when)
            return {"id": str(union_id), "code": row["code"], "name": row["name"]} if row else None

        rows.append({
            "id": str(union.id), "code": union.code, "level": union.level,
            "name_before": then.name if then else None, "name_after": now.name if now else None,
            "parent_before": named(then.parent_id, before) if then else None,
            "parent_after": named(now.parent_id, on) if now else None,
            "status_before": then.status.value if then else None,
            "status_after": now.status.value if now else None,
            # R1.5: the unions a merged or split union's members and records go to
            "successors": [named(s, on) for s in union.successor_ids]
            if now and now.status.value in ("merged", "split") else []})
    rows.sort(key=lambda r: (r["level"], r["code"]))
    return rows


def apply_plan(app: Any, file_content: str, format: str, number: str, signed_on: date,
               effective_on: date, legal_basis: str, authority_id: UUID, dry_run: bool,
               filename: str | None, saver: Callable[..., Any]) -> dict[str, Any]:
    from services.registry import importer

    if not isinstance(file_content, str) or len(file_content) > PLAN_MAX:
        raise InvalidInput(f"file_content is text of at most {PLAN_MAX} characters",
                           {"field": "file_content", "max_length": PLAN_MAX})
    context = current_context()
    if context is None or context.actor.role not in app.KEEPERS:
        raise NoAuthority("only an administrator reorganises the registry",
                          {"role": context.actor.role if context else None})
    number = clean_text(number, "number", 64)
    legal_basis = clean_text(legal_basis, "legal_basis", 500)
    if signed_on > effective_on:
        from services.registry.domain import DatesOutOfOrder

        raise DatesOutOfOrder("a plan cannot take effect before it is signed",
                              {"field": "signed_on"})
    authority = app.union(authority_id, "union_id")
    plan_id = ReorganisationPlan.create_id(authority.id, number)
    if plan_id in app.repository:
        raise PlanTaken(f"plan {number} of {authority.code} is recorded already",
                        {"plan_id": str(plan_id), "number": number})
    name = filename.strip()[:200] if isinstance(filename, str) and filename.strip() \
        else f"{CHANGES}.{format}"
    data, digest = read(file_content, format, name)
    records = data[CHANGES]
    if not records:
        raise importer.refusal([importer.ImportValueMissing("the plan has no changes",
                                                            {"record": CHANGES, "list": CHANGES})])
    decision = Decision(reason=f"reorganisation plan {number} ({legal_basis})",
                        rule_set_version=RULES,
                        evidence=(f"sha256:{digest}", f"reorganisation:{plan_id}"),
                        authority=str(authority.id))
    session = PlanSession(app.queries)
    errors: list[DomainError] = []
    token = PLAN.set(session)
    try:
        with use_context(replace(context, decision=decision)):
            planner = Planner(app, session, effective_on)
            for index, record, group in _groups(records):
                try:
                    with importer.located(f"{CHANGES}[{index}]"):
                        planner.run(index, record, group)
                except DomainError as error:  # kept, with its row; the next row is checked
                    errors.append(error)
    finally:
        PLAN.reset(token)
    tree = _tree(app, session, effective_on)
    if errors:
        refused = importer._on_lines(importer.refusal(errors), data)
        raise importer.ImportRefused(refused.message, {**refused.details, "tree": tree})
    changed = list(session.changed.values())
    answer = {"dry_run": dry_run, "sha256": digest, "plan_id": str(plan_id),
              "changes": len(records), "records": len(changed), "tree": tree}
    if dry_run:
        return answer
    plan = ReorganisationPlan(
        number=number, signed_on=signed_on, effective_on=effective_on, legal_basis=legal_basis,
        authority_id=authority.id, sha256=digest, filename=name,
        changes=[{k: v for k, v in r.items() if not str(k).startswith("_")} for r in records],
        union_ids=[row["id"] for row in tree])
    with use_context(replace(context, decision=decision)):
        # one save: one transaction, all of the plan or nothing, its events in row order
        saver([*changed, plan], [*session.events, *plan.pending_events])
    return answer
