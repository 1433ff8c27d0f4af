"""Loads a province's union tree, people and bodies from a JSON file (or CSV files).

The file format (``emulation.registry.import/v1``) is written out in ``deploy/demo/README``;
``deploy/demo/tra-vinh.json`` is the demo province ``make run`` starts with.

- Every record goes through the same domain rules as the RPC commands (R1.1–R1.4), and the
  whole file is checked before anything is stored: a bad record is refused with its place in
  the file (``people[17]``) and nothing is written.
- Loading is idempotent: records whose code (or body) is already in the registry are skipped,
  so ``make run`` can load the demo on every start.
- Aggregates are saved in batches, one transaction per batch, and the read model's rows go in
  with one multi-row insert per table: that is what makes 200,000 members load in minutes.
- Every event is attributed to the importing actor, with the file's SHA-256 as evidence.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import sqlalchemy as sa
from eventsourcing.domain import Aggregate

from runtime.config import Settings
from runtime.context import Actor, CommandContext, Decision, use_context
from runtime.errors import DomainError, InvalidInput
from runtime.text import parse_date
from services.registry.application import Registry
from services.registry.domain import Body, BodyKind, Person, Union
from services.registry.readmodel import OWN

FORMAT = "emulation.registry.import/v1"
CSV_LINES = "csv_lines"  # in data read from CSV files: each record list's file lines
RULES = "registry-import/v1"
BODY_ORDER = [BodyKind.EXECUTIVE_COMMITTEE, BodyKind.STANDING_COMMITTEE, BodyKind.DEPARTMENT,
              BodyKind.IDEA_INCUBATION_TEAM, BodyKind.INITIATIVE_SUPPORT_TEAM]

T = TypeVar("T")


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
def located(where: str) -> Iterator[None]:
    """A refusal while checking one record names the record it came from."""
    try:
        yield
    except DomainError as error:
        details = error.details if isinstance(error.details, dict) else {"details": error.details}
        message = error.message if error.message.startswith(where) else f"{where}: {error.message}"
        raise type(error)(message, {**details, "record": where}) from error


def _records(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    records = data.get(key, [])
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InvalidInput(f"{key} must be a list of objects", {"record": key})
    return records


def _field(record: dict[str, Any], name: str, where: str) -> Any:
    if name not in record:
        raise InvalidInput(f"{where}: {name} is missing", {"record": where, "field": name})
    return record[name]


def _flag(value: object, name: str, where: str) -> bool:
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", ""):
        return value.lower() in ("true", "1")  # CSV cells
    if not isinstance(value, bool):
        raise InvalidInput(f"{where}: {name} must be true or false", {"record": where, "field": name})
    return value


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Importer:
    def __init__(self, app: Registry, batch_size: int = 2000) -> None:
        self.app = app
        self.batch_size = batch_size
        self._stored: dict[str, Union] = {}

    def run(self, data: object, source: str, digest: str,
            actor: Actor | None = None) -> Report:
        started = time.perf_counter()
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InvalidInput(f"not a registry import file: format must be {FORMAT!r}",
                               {"record": "format"})
        context = CommandContext(
            actor or Actor.system("registry-importer"),
            decision=Decision(reason=f"import of {source}", rule_set_version=RULES,
                              evidence=(f"sha256:{digest}",)))
        report = Report()
        with use_context(context):
            unions = self._unions(_records(data, "unions"), report)
            people = self._people(_records(data, "people"), unions, report)
            bodies = self._bodies(_records(data, "bodies"), unions, people, report)
            # The whole file is checked: now store it.
            self._save(list(unions.values()), "unions", report)
            self._save_people(people, unions, report)
            self._save(bodies, "bodies", report)
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _existing(self, table: sa.Table, column: str) -> set[Any]:
        with self.app.engine.connect() as connection:
            return set(connection.execute(sa.select(table.c[column])).scalars())

    # --- unions -----------------------------------------------------------------------------

    def _unions(self, records: list[dict[str, Any]], report: Report) -> dict[str, Union]:
        """The file's new unions by code (parents before children), each checked (R1.1)."""
        new: dict[str, Union] = {}
        for where, code, record in self._new_records(records, "unions", OWN.unions, report):
            parent_code = record.get("parent_code")
            parent = self._union(parent_code, new, where) if parent_code else None
            with located(where):
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
            code = str(_field(record, "code", where)).strip()
            if code in seen:
                raise InvalidInput(f"{where}: code {code} appears twice in the file",
                                   {"record": where, "code": code})
            seen.add(code)
            if code in existing:
                report.skipped[key] += 1
            else:
                yield where, code, record

    def _union(self, code: object, unions: dict[str, Union], where: str) -> Union:
        """A union of the file, or one already in the registry (loaded once per import)."""
        found = unions.get(str(code)) or self._stored.get(str(code))
        if found is None:
            with located(where):
                found = self.app.union(Union.create_id(str(code)), "union_code")
            self._stored[str(code)] = found
        return found

    # --- people -----------------------------------------------------------------------------

    def _people(self, records: list[dict[str, Any]], unions: dict[str, Union],
                report: Report) -> list[dict[str, Any]]:
        """Checks every person (R1.3); returns the new ones' records, not aggregates, to keep
        memory flat: they are rebuilt batch by batch when saved."""
        new: list[dict[str, Any]] = []
        for where, _, record in self._new_records(records, "people", OWN.people, report):
            self._person(record, unions, where)
            new.append({**record, "_where": where})
        return new

    def _person(self, record: dict[str, Any], unions: dict[str, Union], where: str) -> Person:
        union_code = record.get("union_code")
        union = self._union(union_code, unions, where) if union_code else None
        joined = record.get("joined_on") or _field(record, "registered_on", where)
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
            where = f"bodies[{index}]"
            with located(where):
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
                    raise InvalidInput(f"{where}: this body appears twice in the file",
                                       {"record": where})
                seen.add(body_id)
                body = self._body(record, where, union, start, executives, new_people, unions,
                                  report)
                succeeded += [b for b in self.app.succession(body, built) if b not in built]
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
            raise InvalidInput("members must be a list of objects")
        for member in members:
            person = self._member(member.get("person_code"), new_people, unions, where)
            on = parse_date(member.get("from") or start, "from")
            executive = (self._executive(executives, union, on)
                         if body.kind == BodyKind.STANDING_COMMITTEE else None)
            body.appoint(person, member.get("position", "member"), on, executive)
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
        with located(where):
            return self.app.person(Person.create_id(str(code)), "person_code")

    def _save(self, aggregates: Sequence[Aggregate], counter: str, report: Report) -> None:
        for chunk in _chunks(aggregates, self.batch_size):
            self.app.save(*chunk)
        setattr(report, counter, getattr(report, counter) + len(aggregates))


def read(paths: Sequence[Path]) -> tuple[dict[str, Any], str]:
    """One JSON file, or CSV files named unions.csv, people.csv (columns as in the JSON)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    if len(paths) == 1 and paths[0].suffix.lower() == ".json":
        try:
            return json.loads(paths[0].read_text(encoding="utf-8")), digest.hexdigest()
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidInput(f"{paths[0]} is not UTF-8 JSON: {error}") from None
    data: dict[str, Any] = {"format": FORMAT, CSV_LINES: {}}
    for path in paths:
        if path.suffix.lower() != ".csv" or path.stem not in ("unions", "people"):
            raise InvalidInput(f"{path}: give one .json file or unions.csv / people.csv")
        data[path.stem], data[CSV_LINES][path.stem] = _csv_rows(path)
    return data, digest.hexdigest()


def _csv_rows(path: Path) -> tuple[list[dict[str, Any]], list[int]]:
    """The rows of a CSV file as records, and the line each starts on (issue 10: a refusal
    names the file's line, which is what the person who made it can find)."""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream)
            start = 2
            for row in reader:
                if None in row:  # DictReader keeps cells beyond the header under None
                    raise InvalidInput(f"{path.name} line {start}: more cells than columns",
                                       {"record": f"{path.stem}[{len(rows)}]", "file": path.name,
                                        "line": start})
                rows.append({k: (v if v != "" else None) for k, v in row.items()})
                lines.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not UTF-8 text: {error}", {"file": path.name}) from None
    except csv.Error as error:
        raise InvalidInput(f"{path.name} line {reader.line_num}: {error}",
                           {"file": path.name, "line": reader.line_num}) from None
    return rows, lines


def _on_line(error: DomainError, data: object) -> DomainError:
    """A refusal of a record read from a CSV file, naming the file and line as well."""
    lines = data.get(CSV_LINES) if isinstance(data, dict) else None
    where = error.details.get("record") if isinstance(error.details, dict) else None
    found = re.fullmatch(r"(unions|people)\[(\d+)\]", where) if isinstance(where, str) else None
    if not lines or not found or found[1] not in lines or "line" in error.details:
        return error
    line = lines[found[1]][int(found[2])]
    return type(error)(f"{found[1]}.csv line {line}: {error.message}",
                       {**error.details, "file": f"{found[1]}.csv", "line": line})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.registry.importer",
                                     description="Load unions, people and bodies into the registry.")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--actor", default=None, help="user id to attribute the import to")
    args = parser.parse_args(argv)
    app = Registry(Settings.from_env())
    actor = Actor(args.actor, "operator") if args.actor else None
    try:
        data, digest = read(args.paths)
        report = app_import(app, data, ", ".join(p.name for p in args.paths), digest, actor)
    except DomainError as error:
        print(f"import refused: {error} {json.dumps(error.details, ensure_ascii=False)}",
              file=sys.stderr)
        return 1
    print(f"imported {report.unions} unions, {report.people} people, {report.bodies} bodies "
          f"({report.appointments} appointments) in {report.seconds}s; already there: "
          f"{report.skipped}", flush=True)
    return 0


def app_import(app: Registry, data: object, source: str, digest: str = "",
               actor: Actor | None = None) -> Report:
    try:
        return Importer(app).run(data, source, digest or hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str).encode()).hexdigest(), actor)
    except DomainError as error:
        on_line = _on_line(error, data)
        if on_line is error:
            raise
        raise on_line from error


if __name__ == "__main__":
    sys.exit(main())
