"""Loads a province's union tree, people and bodies from a JSON file (or CSV files).

The file format (``emulation.registry.import/v1``) is written out in ``deploy/demo/README``;
``deploy/demo/tra-vinh.json`` is the demo province ``make run`` starts with.

- Every record goes through the same domain rules as the RPC commands (R1.1–R1.4), and the
  whole file is checked before anything is stored: a file with bad records is refused with
  ``IMPORT_REFUSED`` and nothing is written. Its ``details.errors`` name each bad record
  (up to ``MAX_ERRORS``): ``row`` (the line a CSV row starts on, the header being line 1;
  in a JSON file the record's position in its list, from 1), ``record`` (``people[17]``),
  ``list``, ``column`` (the field at fault, when one is), ``code`` (the stable code of what
  is wrong) and ``details``; the gateway adds each one's text in the caller's language, the
  command line prints it in Vietnamese and English (``gateway.messages``).
- The registry's ``import_records`` command takes a file's text through the API
  (administrators, R1.1, R5.2): ``parse`` reads it, ``dry_run`` checks it and stores
  nothing.
- Loading is idempotent: records whose code (or body) is already in the registry are skipped,
  so ``make run`` can load the demo on every start.
- Aggregates are saved in batches, one transaction per batch, and the read model's rows go in
  with one multi-row insert per table: that is what makes 200,000 members load in minutes.
- Every event is attributed to the importing actor, with the file's SHA-256 as evidence.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import csv
import hashlib
import io
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.domain import Aggregate

from contracts.registry import BodyKind, NoAuthority, PersonNotFound, UnionNotFound
from runtime.config import Settings
from runtime.context import Actor, CommandContext, Decision, current_context, use_context
from runtime.errors import DomainError, InvalidInput
from runtime.store import create_tables
from runtime.text import parse_date
from services.registry import workbook
from services.registry.application import Registry
from services.registry.domain import Body, Person, Union
from services.registry.readmodel import OWN

FORMAT = "emulation.registry.import/v1"
MAX_ERRORS = 100  # bad records named in one refusal; the count says how many there were
KINDS = ("people", "unions", "bodies", "province")  # what a file through the API holds
FORMATS = ("csv", "json", "xlsx")  # xlsx: an Excel workbook, base64 through the API
CSV_LINES = "csv_lines"  # in data read from CSV files: each record list's file lines
CSV_NAMES = "csv_names"  # and each list's file name, when it is not <list>.csv
XLSX_PLACES = "xlsx_places"  # in data read from a workbook: each list's sheet, rows, columns
XLSX_NAME = "xlsx_name"  # and the workbook's file name
BODY_ROWS = "body_rows"  # bodies read from a sheet or CSV file: one row per member (R1.2)
IMPORT_MAX = 6_000_000  # characters of a file through the API (the gateway's body limit: 8 MiB)
RULES = "registry-import/v1"
BODY_ORDER = [BodyKind.EXECUTIVE_COMMITTEE, BodyKind.STANDING_COMMITTEE, BodyKind.DEPARTMENT,
              BodyKind.IDEA_INCUBATION_TEAM, BodyKind.INITIATIVE_SUPPORT_TEAM]

T = TypeVar("T")

# R1.1: how far each import sent with an upload id has got (the import screen's progress bar).
PROGRESS = sa.Table("registry_import_progress", sa.MetaData(),
                    sa.Column("upload_id", sa.String(36), primary_key=True),
                    sa.Column("phase", sa.String(16), nullable=False),
                    sa.Column("done", sa.Integer, nullable=False),
                    sa.Column("total", sa.Integer, nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))
PROGRESS_EVERY = 1000  # rows checked between two reports (people are stored in batches)


def create_progress_table(engine: Any) -> None:
    """At the registry's start, under the schema lock: an import and a question about its
    progress arrive together, and must not both try to create the table."""
    create_tables(engine, lambda: PROGRESS.create(engine, checkfirst=True))


def _progress_table(engine: Any) -> sa.Table:
    return PROGRESS


class Progress:
    """Reports an import's phase and rows, each report in a transaction of its own (so it is
    seen while the import runs, by any instance); without an upload id, reports nothing."""

    def __init__(self, engine: Any = None, upload_id: str | None = None) -> None:
        self.engine = engine
        self.upload_id = upload_id

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.engine is None or self.upload_id is None:
            return
        table = _progress_table(self.engine)
        with self.engine.begin() as connection:
            connection.execute(table.delete().where(table.c.upload_id == self.upload_id))
            connection.execute(table.insert().values(
                upload_id=self.upload_id, phase=phase, done=done, total=total,
                updated_at=datetime.now(UTC)))


def progress_of(engine: Any, upload_id: str) -> dict[str, Any]:
    table = _progress_table(engine)
    with engine.connect() as connection:
        row = connection.execute(sa.select(table).where(table.c.upload_id == upload_id)).first()
    if row is None:
        return {"upload_id": upload_id, "phase": "unknown", "done": 0, "total": 0}
    return {"upload_id": upload_id, "phase": row.phase, "done": row.done, "total": row.total}


class ImportRefused(InvalidInput):
    """A file with bad records: nothing of it is stored; ``details.errors`` names each one."""

    code = "IMPORT_REFUSED"


class ImportNotText(InvalidInput):
    code = "IMPORT_NOT_TEXT"


class ImportNotReadable(InvalidInput):
    """Not a registry import file: not JSON, not the format, lists that are not of records,
    a file kind that does not fit the format."""

    code = "IMPORT_NOT_READABLE"


class ImportNotWorkbook(InvalidInput):
    """Not an Excel workbook (.xlsx), or none of its sheets is the list asked for."""

    code = "IMPORT_NOT_WORKBOOK"


class ImportColumnMissing(InvalidInput):
    """A workbook's sheet without a column every record needs (R1.1, R1.3)."""

    code = "IMPORT_COLUMN_MISSING"


class ImportRowInvalid(InvalidInput):
    """A CSV row that cannot be read: more cells than columns, an unclosed quote."""

    code = "IMPORT_ROW_INVALID"


class ImportDuplicate(InvalidInput):
    code = "IMPORT_DUPLICATE"


class ImportValueMissing(InvalidInput):
    code = "IMPORT_VALUE_MISSING"


class ImportFlagInvalid(InvalidInput):
    code = "IMPORT_FLAG_INVALID"


# The column a rule's refusal is about, when its details do not name one.
COLUMN_OF = {"PARENT_LEVEL_MISMATCH": "parent_code", "MEMBERSHIP_NOT_GRASSROOTS": "union_code",
             "FULL_TIME_REQUIRES_OFFICIAL": "is_full_time", "UNION_NOT_ACTIVE": "union_code",
             "PERSON_ALREADY_IN_BODY": "members", "POSITION_TAKEN": "members",
             "POSITION_NOT_ALLOWED": "members", "BODY_NOT_ALLOWED": "kind"}


@dataclass
class Report:
    unions: int = 0
    people: int = 0
    bodies: int = 0
    appointments: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: {"unions": 0, "people": 0, "bodies": 0})
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@contextmanager
def located(where: str, keep: bool = False) -> Iterator[None]:
    """A refusal while checking one record names the record it came from (``keep``: unless
    it names one already, the row of a body's member)."""
    try:
        yield
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {"details": error.details}
        if keep and details.get("record"):
            where = str(details["record"])
        message = error.message if error.message.startswith(where) else f"{where}: {error.message}"
        raise type(error)(message, {**details, "record": where}) from error


def _records(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    records = data.get(key, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ImportNotReadable(f"{key} must be a list of objects", {"record": key, "list": key})
    return records


def _field(record: dict[str, Any], name: str, where: str) -> Any:
    if record.get(name) is None or (isinstance(record[name], str) and not record[name].strip()):
        raise ImportValueMissing(f"{where}: {name} is missing", {"record": where, "field": name})
    return record[name]


_TRUE = ("true", "1", "yes", "x", "có", "co")
_FALSE = ("false", "0", "no", "không", "khong", "")


def _flag(value: object, name: str, where: str) -> bool:
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE  # CSV cells
    if not isinstance(value, bool):
        raise ImportFlagInvalid(f"{where}: {name} must be true or false",
                                {"record": where, "field": name})
    return value


def _entry(error: DomainError) -> dict[str, Any]:
    """One bad record of a refused file, as ``details.errors`` names it."""
    details = dict(error.details) if isinstance(error.details, dict) else {}
    where = details.pop("record", None)
    line = details.pop("line", None)
    file = details.pop("file", None)
    found = re.fullmatch(r"(\w+)\[(\d+)\]", where) if isinstance(where, str) else None
    listed = found[1] if found else details.get("list") or where
    row = line if line is not None else int(found[2]) + 1 if found else None
    column = details.get("field") or COLUMN_OF.get(error.code)
    entry = {"row": row, "record": where, "list": listed, "column": column,
             "code": error.code, "details": details}
    return {**entry, "file": file} if file else entry


def refusal(errors: Sequence[DomainError], total: int | None = None) -> ImportRefused:
    """The refusal of a file: its bad records (the first ``MAX_ERRORS``), nothing stored."""
    entries = [_entry(e) for e in errors[:MAX_ERRORS]]
    first = errors[0]
    return ImportRefused(
        first.message + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
        {"errors": entries, "total": total if total is not None else len(errors)})


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Importer:
    def __init__(self, app: Registry, batch_size: int = 2000,
                 progress: Progress | None = None) -> None:
        self.app = app
        self.batch_size = batch_size
        self.progress = progress or Progress()
        self._checked_rows = 0
        self._rows = 0
        self._stored: dict[str, Union] = {}
        self._errors: list[DomainError] = []
        self._refused = 0

    def run(self, data: object, source: str, digest: str,
            actor: Actor | None = None, dry_run: bool = False,
            context: CommandContext | None = None) -> Report:
        """Checks the whole file, then stores it (or, ``dry_run``, only counts what it would
        store). Every event is attributed to ``actor`` (or the context's), with the file's
        SHA-256 as evidence; a file with bad records raises ``ImportRefused``."""
        started = time.perf_counter()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise refusal([ImportNotReadable(
                f"not a registry import file: format must be {FORMAT!r}", {"record": "format"})])
        decision = Decision(reason=f"import of {source}", rule_set_version=RULES,
                            evidence=(f"sha256:{digest}",))
        if context is not None:  # through the API: the caller's context, with the evidence
            context = replace(context, decision=decision)
        else:
            context = CommandContext(actor or Actor.system("registry-importer"), decision=decision)
        report = Report()
        with use_context(context):
            lists = {}
            for key in ("unions", "people", "bodies"):
                with self._checked(key):
                    lists[key] = _records(data, key)
            if data.get(BODY_ROWS):
                lists["bodies"] = grouped(lists["bodies"])
            self._give_up_if_refused()
            self._rows = sum(len(records) for records in lists.values())
            self.progress("checking", 0, self._rows)
            unions = self._unions(lists["unions"], report)
            people = self._people(lists["people"], unions, report)
            bodies = self._bodies(lists["bodies"], unions, people, report)
            self._give_up_if_refused()
            if dry_run:  # checked: say what would be stored, store nothing
                report.unions, report.people, report.bodies = len(unions), len(people), len(bodies)
            else:  # the whole file is checked: now store it
                self._save(list(unions.values()), "unions", report)
                self._save_people(people, unions, report)
                self._save(bodies, "bodies", report)
                self._analyse()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _analyse(self) -> None:
        """After a bulk load on PostgreSQL, the planner's statistics of the registry's tables
        are read again: a tree walked down from a province (a recursive query) is planned from
        them, and planned from the empty tables' it took 3 s where it takes 11 ms."""
        engine = self.app.engine
        if engine.dialect.name != "postgresql":
            return
        tables = ", ".join(f'"{table.name}"' for table in OWN.metadata.sorted_tables)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"ANALYZE {tables}")

    @contextmanager
    def _checked(self, where: str, keep: bool = False) -> Iterator[None]:
        """Checks one record: a refusal is kept, with its place, and the next record checked."""
        try:
            with located(where, keep):
                yield
        except DomainError as error:
            self._refused += 1
            if len(self._errors) < MAX_ERRORS:
                self._errors.append(error)

    def _give_up_if_refused(self) -> None:
        if self._errors:
            raise refusal(self._errors, self._refused)

    def _existing(self, table: sa.Table, column: str) -> set[Any]:
        with self.app.engine.connect() as connection:
            return set(connection.execute(sa.select(table.c[column])).scalars())

    # --- unions -----------------------------------------------------------------------------

    def _unions(self, records: list[dict[str, Any]], report: Report) -> dict[str, Union]:
        """The file's new unions by code (parents before children), each checked (R1.1)."""
        new: dict[str, Union] = {}
        for where, code, record in self._new_records(records, "unions", OWN.unions, report):
            with self._checked(where):
                parent_code = record.get("parent_code")
                parent = self._union(parent_code, new, where, "parent_code") if parent_code else None
                new[code] = Union.found(code, _field(record, "name", where),
                                        _field(record, "level", where), parent,
                                        parse_date(_field(record, "founded_on", where), "founded_on"))
        return new

    def _new_records(self, records: list[dict[str, Any]], key: str, table: sa.Table,
                     report: Report) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(place, code, record) of each record not yet in the registry; a code may appear
        once in a file."""
        existing = self._existing(table, "code")
        seen: set[str] = set()
        for index, record in enumerate(records):
            where = f"{key}[{index}]"
            code = ""
            with self._checked(where):
                code = str(_field(record, "code", where)).strip()
                if code in seen:
                    raise ImportDuplicate(f"{where}: code {code} appears twice in the file",
                                          {"record": where, "code": code, "field": "code"})
            if not code or code in seen:
                continue
            seen.add(code)
            if code in existing:
                report.skipped[key] += 1
            else:
                yield where, code, record

    def _union(self, code: object, unions: dict[str, Union], where: str,
               column: str = "union_code") -> Union:
        """A union of the file, or one already in the registry (loaded once per import)."""
        found = unions.get(str(code)) or self._stored.get(str(code))
        if found is None:
            try:
                found = self.app.union(Union.create_id(str(code)), column)
            except UnionNotFound:
                raise UnionNotFound(f"{where}: no union with code {code} in the file or the "
                                    "registry", {"record": where, "field": column,
                                                 "code": str(code)}) from None
            self._stored[str(code)] = found
        return found

    # --- people -----------------------------------------------------------------------------

    def _people(self, records: list[dict[str, Any]], unions: dict[str, Union],
                report: Report) -> list[dict[str, Any]]:
        """Checks every person (R1.3); returns the new ones' records, not aggregates, to keep
        memory flat: they are rebuilt batch by batch when saved."""
        new: list[dict[str, Any]] = []
        for where, _, record in self._new_records(records, "people", OWN.people, report):
            self._checked_rows += 1
            if self._checked_rows % PROGRESS_EVERY == 0:
                self.progress("checking", self._checked_rows, self._rows)
            with self._checked(where):
                self._person(record, unions, where)
                new.append({**record, "_where": where})
        return new

    def _person(self, record: dict[str, Any], unions: dict[str, Union], where: str) -> Person:
        union_code = record.get("union_code")
        union = self._union(union_code, unions, where) if union_code else None
        joined = record.get("joined_on") or _field(
            record, "registered_on" if "registered_on" in record else "joined_on", where)
        birth = record.get("birth_date")
        with located(where):
            return Person.register(
                record["code"], _field(record, "full_name", where),
                parse_date(birth, "birth_date") if birth else None, record.get("gender") or None,
                _flag(record.get("is_official", False), "is_official", where),
                _flag(record.get("is_full_time", False), "is_full_time", where),
                parse_date(joined, "joined_on"), union)

    def _save_people(self, records: list[dict[str, Any]], unions: dict[str, Union],
                     report: Report) -> None:
        for chunk in _chunks(records, self.batch_size):
            self.progress("storing", report.people, len(records))
            people = [self._person(r, unions, r["_where"]) for r in chunk]
            self._save(people, "people", report)

    # --- bodies -----------------------------------------------------------------------------

    def _bodies(self, records: list[dict[str, Any]], unions: dict[str, Union],
                people: list[dict[str, Any]], report: Report) -> list[Body]:
        """Builds and checks every body and appointment (R1.2, R1.4) before anything is
        stored: committees first, so a standing committee finds its executive committee and a
        team the committee that established it."""
        existing = self._existing(OWN.bodies, "body_id")
        new_people = {str(p["code"]): p for p in people}
        executives: dict[UUID, list[Body]] = defaultdict(list)
        built: list[Body] = []
        succeeded: list[Body] = []  # bodies already stored that a term in the file succeeds
        seen: set[UUID] = set()
        order = {kind.value: rank for rank, kind in enumerate(BODY_ORDER)}
        for index, record in sorted(enumerate(records), key=lambda item: (
                order.get(str(item[1].get("kind")), -1), str(item[1].get("term_start")))):
            where = f"bodies[{record.get('_row', index)}]"  # a sheet's: the body's first row
            body: Body | None = None
            with self._checked(where, keep=True):
                union = self._union(_field(record, "union_code", where), unions, where)
                start = parse_date(_field(record, "term_start", where), "term_start")
                department = record.get("department")
                body_id = Body.create_id(union.id, str(record.get("kind")),
                                         department.strip().lower()
                                         if isinstance(department, str) else None, start)
                if body_id in existing:  # before any rule: the union may have ended since
                    report.skipped["bodies"] += 1
                    continue
                if body_id in seen:
                    raise ImportDuplicate(f"{where}: this body appears twice in the file",
                                          {"record": where})
                seen.add(body_id)
                body = self._body(record, where, union, start, executives, new_people, unions,
                                  report)
                succeeded += [b for b in self.app.succession(body, built) if b not in built]
            if body is None:
                continue
            if body.kind == BodyKind.EXECUTIVE_COMMITTEE:
                executives[union.id].append(body)
            built.append(body)
        return built + succeeded

    def _body(self, record: dict[str, Any], where: str, union: Union, start: date,
              executives: dict[UUID, list[Body]], new_people: dict[str, dict[str, Any]],
              unions: dict[str, Union], report: Report) -> Body:
        decision = record.get("decision")
        signed = parse_date(decision.get("signed_on"), "decision.signed_on") \
            if isinstance(decision, dict) else start
        body = Body.constitute(
            union, _field(record, "kind", where), _field(record, "name", where), start,
            parse_date(record["term_end"], "term_end") if record.get("term_end") else None,
            record.get("department"), decision, self._executive(executives, union, signed))
        members = record.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            raise ImportNotReadable("members must be a list of objects", {"field": "members"})
        for member in members:
            at = f"bodies[{member['_row']}]" if "_row" in member else where
            with located(at), _about(ROW_FIELDS if "_row" in member else {}):
                person = self._member(member.get("person_code"), new_people, unions, at)
                on = parse_date(member.get("from") or start, "from")
                executive = (self._executive(executives, union, on)
                             if body.kind == BodyKind.STANDING_COMMITTEE else None)
                body.appoint(person, member.get("position") or "member", on, executive)
            report.appointments += 1
        return body

    def _executive(self, executives: dict[UUID, list[Body]], union: Union, on: date) -> Body | None:
        for body in reversed(executives.get(union.id, [])):
            if body.is_active_on(on):
                return body
        return self.app._executive_committee(union.id, on)

    def _member(self, code: object, new_people: dict[str, dict[str, Any]],
                unions: dict[str, Union], where: str) -> Person:
        record = new_people.get(str(code))
        if record is not None:
            return self._person(record, unions, record["_where"])
        try:
            return self.app.person(Person.create_id(str(code)), "person_code")
        except PersonNotFound:
            raise PersonNotFound(f"{where}: no person with code {code} in the file or the "
                                 "registry", {"record": where, "field": "person_code",
                                              "code": str(code)}) from None

    def _save(self, aggregates: Sequence[Aggregate], counter: str, report: Report) -> None:
        for chunk in _chunks(aggregates, self.batch_size):
            self.app.save(*chunk)
        setattr(report, counter, getattr(report, counter) + len(aggregates))


# R1.2: the column a member's refusal is about, in a sheet of one row per member.
ROW_FIELDS = {"POSITION_NOT_ALLOWED": "position", "POSITION_TAKEN": "position",
              "PERSON_ALREADY_IN_BODY": "person_code"}


@contextmanager
def _about(fields: dict[str, str]) -> Iterator[None]:
    """A refusal that names no field names the one its code is about."""
    try:
        yield
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {}
        if error.code not in fields or details.get("field"):
            raise
        raise type(error)(error.message, {**details, "field": fields[error.code]}) from error


def grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """R1.2, R1.4: a sheet's (or CSV file's) rows, one per member, as bodies: the rows of one
    union, kind, department and term start are one body, named, ended and decided as its first
    row says. Kinds and positions may be in Vietnamese ("Ban Chấp hành", "Phó Chủ tịch"),
    dates dd/mm/yyyy. Each body keeps its first row, each member its own (``_row``: the row's
    place in the list), so a refusal names the row at fault."""
    bodies: dict[tuple[Any, ...], dict[str, Any]] = {}
    for index, row in enumerate(rows):
        row = {k: (workbook.iso_date(v) if k in workbook.DATES and isinstance(v, str)
                   else workbook.choice(k, v)) for k, v in row.items()}
        department = row.get("department")
        key = (row.get("union_code"), row.get("kind"),
               department.strip().lower() if isinstance(department, str) else None,
               row.get("term_start"))
        body = bodies.get(key)
        if body is None:
            number, signed = row.get("decision_number"), row.get("decision_signed_on")
            body = bodies[key] = {
                "union_code": row.get("union_code"), "kind": row.get("kind"),
                "name": row.get("name"), "term_start": row.get("term_start"),
                "term_end": row.get("term_end"), "department": department,
                "decision": {"number": number, "signed_on": signed or row.get("term_start")}
                if number or signed else None, "members": [], "_row": index}
        if row.get("person_code") is not None:  # a row without one: a body, no member yet
            body["members"].append({"person_code": row.get("person_code"),
                                    "position": row.get("position"), "_row": index})
    return list(bodies.values())


def read(paths: Sequence[Path]) -> tuple[dict[str, Any], str]:
    """One JSON file, or CSV files named unions.csv, people.csv (columns as in the JSON)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    if len(paths) == 1 and paths[0].suffix.lower() == ".json":
        return parse(paths[0].read_bytes(), "json", "province", paths[0].name), digest.hexdigest()
    if len(paths) == 1 and paths[0].suffix.lower() == ".xlsx":
        return parse(paths[0].read_bytes(), "xlsx", "province", paths[0].name), digest.hexdigest()
    data: dict[str, Any] = {"format": FORMAT, CSV_LINES: {}}
    for path in paths:
        if path.suffix.lower() != ".csv" or path.stem not in ("unions", "people", "bodies"):
            raise refusal([ImportNotReadable(
                f"{path}: give one .json or .xlsx file or unions.csv / people.csv",
                {"file": path.name})])
        data[path.stem], data[CSV_LINES][path.stem] = _csv_rows(_text(path.read_bytes(), path.name),
                                                                path.name, path.stem)
    if "bodies" in data:
        data[BODY_ROWS] = True
    return data, digest.hexdigest()


def parse(content: str | bytes, format: str, kind: str, name: str | None = None) -> dict[str, Any]:
    """A file's text as import data: ``format`` csv, json or xlsx (the workbook's bytes, or
    base64 text of them); ``kind`` people, unions or bodies (a CSV file of those, or a JSON
    list of them, or a JSON import file or a workbook of which only that list is read; bodies
    from CSV or a sheet come one row per member, ``grouped``) or province (a JSON import
    file: unions, people and bodies; a workbook: its sheets of unions, people and bodies).
    Refused with ``IMPORT_REFUSED`` if it cannot be read."""
    if format not in FORMATS:
        raise InvalidInput(f"format must be one of {FORMATS}", {"field": "format",
                                                                 "allowed": list(FORMATS)})
    if kind not in KINDS or (format == "csv" and kind == "province"):
        allowed = list(KINDS) if format != "csv" else ["people", "unions", "bodies"]
        raise InvalidInput(f"kind must be one of {allowed} for a {format} file",
                           {"field": "kind", "allowed": allowed})
    name = name or f"{kind}.{format}"
    if format == "xlsx":
        return _workbook(content, kind, name)
    text = _text(content, name) if isinstance(content, bytes) else content
    if format == "csv":
        rows, lines = _csv_rows(text, name, kind)
        return {"format": FORMAT, kind: rows, CSV_LINES: {kind: lines}, CSV_NAMES: {kind: name},
                **({BODY_ROWS: True} if kind == "bodies" else {})}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise refusal([ImportNotReadable(f"{name} is not JSON: {error}",
                                         {"file": name, "line": error.lineno})]) from None
    if kind != "province" and isinstance(data, list):
        data = {"format": FORMAT, kind: data}
    if kind != "province" and isinstance(data, dict):  # only the list of that kind
        data = {k: v for k, v in data.items() if k in ("format", kind)}
    return cast(dict[str, Any], data)


def _bytes(content: str | bytes, name: str) -> bytes:
    """A binary file's bytes: as they are, or from the base64 text the API carries."""
    if isinstance(content, bytes):
        return content
    try:
        return base64.b64decode(content.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise refusal([ImportNotWorkbook(f"{name}: file_content of an xlsx file is its bytes "
                                         "in base64", {"file": name})]) from None


def _workbook(content: str | bytes, kind: str, name: str) -> dict[str, Any]:
    """A workbook's sheets as import data, with where each record sits (R1.1, R1.3)."""
    try:
        lists = workbook.read(_bytes(content, name), kind)
    except workbook.NotAWorkbook as error:
        details: dict[str, Any] = {"file": name}
        if error.sheets is not None:
            details["sheets"] = error.sheets
        raise refusal([ImportNotWorkbook(f"{name}: {error}", details)]) from None
    missing = [(placed, column) for placed in lists.values() for column in placed.missing()]
    if missing:  # one refusal per column, not one per row of a sheet without it
        refused = refusal([ImportColumnMissing(
            f"{name}: sheet {placed.sheet} has no column {column}",
            {"file": name, "line": placed.header_row, "field": column}) for placed, column in missing])
        raise ImportRefused(refused.message, {**refused.details, "errors": [
            {**entry, "sheet": placed.sheet}
            for entry, (placed, _) in zip(refused.details["errors"], missing, strict=False)]})
    data: dict[str, Any] = {"format": FORMAT, XLSX_PLACES: {}, XLSX_NAME: name}
    for listed, placed in lists.items():
        data[listed] = placed.records
        data[XLSX_PLACES][listed] = placed.place()
    if "bodies" in lists:
        data[BODY_ROWS] = True
    return data


def _in_workbook(error: ImportRefused, data: dict[str, Any]) -> ImportRefused:
    """A refusal of records read from a workbook, naming each one's sheet, Excel row and,
    when it is about one field, the column's letter and header as the file has them."""
    sheets = data[XLSX_PLACES]
    entries = []
    for entry in error.details["errors"]:
        found = re.fullmatch(r"(\w+)\[(\d+)\]", entry.get("record") or "")
        placed = sheets.get(found[1]) if found else None
        if found and placed and int(found[2]) < len(placed["rows"]):
            row = placed["rows"][int(found[2])]
            entry = {**entry, "row": row, "sheet": placed["sheet"], "file": data[XLSX_NAME]}
            column = placed["columns"].get(entry.get("column") or "")
            if column:
                entry.update(column_letter=column[0], header=column[1], cell=f"{column[0]}{row}")
        entries.append(entry)
    first = entries[0]
    place = (f"{first['file']}, sheet {first['sheet']}, row {first['row']}"
             + (f", column {first['column_letter']}" if first.get("column_letter") else "")
             + ": ") if "sheet" in first else ""
    text = error.message if error.message.startswith(place) else place + error.message
    return ImportRefused(text, {**error.details, "errors": entries})


def _text(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[:error.start].count(b"\n") + 1
        raise refusal([ImportNotText(f"{name} line {line}: not UTF-8 text ({error})",
                                     {"file": name, "line": line})]) from None


def _csv_rows(text: str, name: str, key: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows of a CSV file as records, and the line each starts on (a refusal names the
    file's line, which is what the person who made it can find)."""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    start = 2
    try:
        for row in reader:
            if None in row:  # DictReader keeps cells beyond the header under None
                raise refusal([ImportRowInvalid(
                    f"{name} line {start}: more cells than columns",
                    {"record": f"{key}[{len(rows)}]", "file": name, "line": start})])
            rows.append({k.strip(): (v.strip() if v and v.strip() else None)
                         for k, v in row.items() if isinstance(k, str)})
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        raise refusal([ImportRowInvalid(f"{name} line {reader.line_num}: {error}",
                                        {"file": name, "line": reader.line_num})]) from None
    return rows, lines


def _on_lines(error: ImportRefused, data: object) -> ImportRefused:
    """A refusal of records read from CSV files, naming each one's file and line (or from a
    workbook, naming each one's sheet, row and column)."""
    if isinstance(data, dict) and data.get(XLSX_PLACES):
        return _in_workbook(error, data)
    files = data.get(CSV_LINES) if isinstance(data, dict) else None
    if not files:
        return error
    names = data.get(CSV_NAMES) or {} if isinstance(data, dict) else {}
    entries = []
    for entry in error.details["errors"]:
        found = re.fullmatch(r"(\w+)\[(\d+)\]", entry.get("record") or "")
        if found and found[1] in files and int(found[2]) < len(files[found[1]]):
            entry = {**entry, "row": files[found[1]][int(found[2])],
                     "file": names.get(found[1], f"{found[1]}.csv")}
        entries.append(entry)
    first = entries[0]
    place = f"{first['file']} line {first['row']}: " if "file" in first else ""
    text = error.message if error.message.startswith(place) else place + error.message
    return ImportRefused(text, {**error.details, "errors": entries})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry.importer",
                                     description="Load unions, people and bodies into the registry.")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--actor", default=None, help="user id to attribute the import to")
    parser.add_argument("--dry-run", action="store_true", help="check the files, store nothing")
    args = parser.parse_args(argv)
    app = Registry(Settings.from_env())
    actor = Actor(args.actor, "operator") if args.actor else None
    try:
        data, digest = read(args.paths)
        report = app_import(app, data, ", ".join(p.name for p in args.paths), digest, actor,
                            dry_run=args.dry_run)
    except DomainError as error:
        print(f"import refused, nothing stored / không nhập, không lưu gì: {error}", file=sys.stderr)
        for line in explain(error):
            print(line, file=sys.stderr)
        return 1
    print(f"{'checked (dry run, nothing stored)' if args.dry_run else 'imported'} "
          f"{report.unions} unions, {report.people} people, {report.bodies} bodies "
          f"({report.appointments} appointments) in {report.seconds}s; already there: "
          f"{report.skipped}", flush=True)
    return 0


def explain(error: DomainError) -> list[str]:
    """Each bad record of a refusal in Vietnamese, then English, for the command line (the
    same words the gateway gives: ``gateway.messages``, read from ``contracts/errors``)."""
    from gateway.messages import detail, label

    entries = error.details.get("errors") if isinstance(error.details, dict) else None
    lines = []
    for entry in entries or [{"code": error.code, "details": error.details}]:
        for language, row_word in (("vi", "dòng"), ("en", "line")):
            place = [str(entry[k]) for k in ("file", "record") if entry.get(k)][:1]
            if entry.get("row") is not None:
                place.append(f"{row_word} {entry['row']}")
            if entry.get("column"):
                place.append(label(entry["column"], language, "registry") or str(entry["column"]))
            text = detail(entry["code"], entry.get("details"), language, "registry")
            lines.append(f"  [{entry['code']}] {', '.join(place)}: {text}")
    return lines


def import_file(app: Registry, file_content: str, format: str, kind: str, dry_run: bool,
                filename: str | None = None, upload_id: str | None = None) -> dict[str, Any]:
    """The registry's ``import_records`` command (R1.1–R1.4, through the API): the file's
    text checked whole, then stored (or only checked, ``dry_run``), attributed to the caller
    with the file's SHA-256 as evidence."""
    if not isinstance(file_content, str) or len(file_content) > IMPORT_MAX:
        raise InvalidInput(f"file_content is text of at most {IMPORT_MAX} characters",
                           {"field": "file_content", "max_length": IMPORT_MAX})
    name = filename.strip()[:200] if isinstance(filename, str) and filename.strip() else None
    context = current_context()
    if context is None or context.actor.role not in app.KEEPERS:
        raise NoAuthority("only an administrator imports into the registry",
                          {"role": context.actor.role if context else None})
    progress = Progress(app.engine, upload_id)
    try:
        answer = _import_file(app, file_content, format, kind, dry_run, name, context, progress)
    except DomainError:
        progress("refused", 0, 0)
        raise
    total = sum(answer["counts"].values()) - answer["counts"]["appointments"]
    progress("done", total, total)
    return answer


def _import_file(app: Registry, file_content: str, format: str, kind: str, dry_run: bool,
                 name: str | None, context: CommandContext, progress: Progress) -> dict[str, Any]:
    progress("reading", 0, 0)
    file_content_or_bytes: str | bytes = file_content
    if format == "xlsx":  # the workbook's own digest, the one a clerk can recompute
        file_content_or_bytes = _bytes(file_content, name or f"{kind}.xlsx")
        digest = hashlib.sha256(file_content_or_bytes).hexdigest()
    else:
        digest = hashlib.sha256(file_content.encode("utf-8", "surrogatepass")).hexdigest()
    data = parse(file_content_or_bytes, format, kind, name)
    report = app_import(app, data, name or f"{kind}.{format}", digest, dry_run=dry_run,
                        context=context, progress=progress)
    answer = {"dry_run": dry_run, "sha256": digest,
              "counts": {"unions": report.unions, "people": report.people,
                         "bodies": report.bodies, "appointments": report.appointments},
              "skipped": report.skipped, "seconds": report.seconds}
    return {**answer, "sample": sample(data)} if dry_run else answer


SAMPLE = 5  # records of each list a dry run shows, as read: the columns were understood


def sample(data: dict[str, Any]) -> dict[str, Any]:
    """A checked file's first records of each list, as the importer read them, with where
    each sits (the workbook's sheet and Excel row, the CSV line, or the position in a JSON
    list): the preview before an import."""
    shown: dict[str, Any] = {}
    for key in ("unions", "people", "bodies"):
        records = data.get(key)
        if not isinstance(records, list) or not records:
            continue
        placed = (data.get(XLSX_PLACES) or {}).get(key) or {}
        lines = (data.get(CSV_LINES) or {}).get(key)
        rows = placed.get("rows") or lines or list(range(1, len(records) + 1))
        shown[key] = {"total": len(records), "rows": rows[:SAMPLE],
                      "records": [{k: v for k, v in r.items() if not k.startswith("_")}
                                  for r in records[:SAMPLE] if isinstance(r, dict)],
                      **({"sheet": placed["sheet"]} if placed else {})}
    return shown


def app_import(app: Registry, data: object, source: str, digest: str = "",
               actor: Actor | None = None, dry_run: bool = False,
               context: CommandContext | None = None, progress: Progress | None = None) -> Report:
    try:
        return Importer(app, progress=progress).run(data, source, digest or hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str).encode()).hexdigest(), actor,
            dry_run, context)
    except ImportRefused as error:
        on_lines = _on_lines(error, data)
        if on_lines is error:
            raise
        raise on_lines from error


if __name__ == "__main__":
    sys.exit(main())
