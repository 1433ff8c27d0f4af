"""Issue 10, bad input in import files (R1.1–R1.4): a JSON or CSV file with a broken row is
refused naming the row — its place in the JSON file (``people[2]``), its file and line in a
CSV file (``people.csv line 4``) — and nothing of the file is stored, not even the good rows
before the broken one. A file that is not UTF-8, or a row with more cells than columns, is
refused the same way instead of ending the import with a traceback.

The figures go to the reliability report (``bad-input/import``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from services.registry.application import Registry
from services.registry.importer import app_import, main, read
from tests.support.figures import record

OPERATOR = CommandContext(Actor("op-1", "operator"))
UNIONS = ("code,name,level,parent_code,founded_on\n"
          "VN,Tổng Liên đoàn Lao động Việt Nam,confederation,,1929-07-28\n"
          "TV,Liên đoàn Lao động tỉnh Trà Vinh,provincial_federation,VN,1990-01-01\n"
          "CS,Công đoàn cơ quan LĐLĐ tỉnh,grassroots,TV,1995-01-01\n")
PEOPLE = ("code,full_name,union_code,joined_on,is_official,is_full_time\n"
          "P1,Sơn Thị Diệu,CS,2001-01-01,true,true\n"
          "P2,Thạch Sa Rai,CS,2002-01-01,false,false\n"
          "P3,Kim Sóc Phol,CS,2003-01-01,false,false\n")
TALLY = {"files": 0, "rows_rejected": 0, "half_imported": 0}


def json_file() -> dict[str, Any]:
    return {"format": "emulation.registry.import/v1",
            "unions": [{"code": "VN", "name": "Tổng Liên đoàn", "level": "confederation",
                        "founded_on": "1929-07-28"},
                       {"code": "TV", "name": "LĐLĐ tỉnh Trà Vinh", "level": "provincial_federation",
                        "parent_code": "VN", "founded_on": "1990-01-01"},
                       {"code": "CS", "name": "Công đoàn cơ quan", "level": "grassroots",
                        "parent_code": "TV", "founded_on": "1995-01-01"}],
            "people": [{"code": f"P{n}", "full_name": f"Người thứ {n}", "union_code": "CS",
                        "joined_on": "2001-01-01"} for n in range(1, 5)],
            "bodies": [{"union_code": "CS", "kind": "executive_committee", "name": "BCH",
                        "term_start": "2020-01-01",
                        "members": [{"person_code": "P1", "position": "chairman"}]}]}


def nothing_stored(app: Registry) -> bool:
    stored = app.recorder.max_notification_id() is None
    TALLY["half_imported"] += 0 if stored else 1
    return stored


def refused(app: Registry, load: Callable[[], Any]) -> DomainError:
    TALLY["files"] += 1
    with pytest.raises(DomainError) as caught:
        load()
    TALLY["rows_rejected"] += 1
    return caught.value


JSON_BREAKS: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("a name of control characters", lambda d: d["people"][2].update(full_name="a\x00b"),
     "INVALID_TEXT", "people[2]"),
    ("an impossible date", lambda d: d["people"][3].update(joined_on="2001-02-30"),
     "INVALID_DATE", "people[3]"),
    ("a parent of the wrong level", lambda d: d["unions"][2].update(parent_code="VN"),
     "PARENT_LEVEL_MISMATCH", "unions[2]"),
    ("a code twice", lambda d: d["people"].append(copy.deepcopy(d["people"][0])),
     "IMPORT_DUPLICATE", "people[4]"),
    ("a row that is not an object", lambda d: d["people"].append("P9,Ai đó"),
     "IMPORT_NOT_READABLE", "people"),
    ("a missing field", lambda d: d["unions"][1].pop("level"), "IMPORT_VALUE_MISSING", "unions[1]"),
    ("an unknown member of a body", lambda d: d["bodies"][0]["members"].append(
        {"person_code": "P404", "position": "member"}), "PERSON_NOT_FOUND", "bodies[0]"),
    ("an oversize name", lambda d: d["unions"][2].update(name="ý" * 100_000),
     "INVALID_TEXT", "unions[2]"),
]


@pytest.mark.parametrize(("what", "break_it", "code", "where"), JSON_BREAKS,
                         ids=[b[0] for b in JSON_BREAKS])
def test_r1_1_a_json_file_with_a_broken_row_is_refused_by_its_place_and_nothing_is_stored(
        tmp_path: Path, settings_for: Any, what: str, break_it: Callable[[dict[str, Any]], None],
        code: str, where: str) -> None:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    data = json_file()
    break_it(data)
    with use_context(OPERATOR):
        error = refused(app, lambda: app_import(app, data, "test.json"))
    assert error.code == "IMPORT_REFUSED", (what, error)
    first = error.details["errors"][0]
    assert (first["code"], first["record"]) == (code, where), (what, error)
    assert nothing_stored(app)


CSV_BREAKS: list[tuple[str, str, str, str, str | None, int | None]] = [
    # (what, file, its text, code, the file named, the line named)
    ("an impossible date", "people",
     PEOPLE.replace("P3,Kim Sóc Phol,CS,2003-01-01", "P3,Kim Sóc Phol,CS,2003-13-01"),
     "INVALID_DATE", "people.csv", 4),
    ("an unknown union", "people", PEOPLE.replace("P2,Thạch Sa Rai,CS", "P2,Thạch Sa Rai,XX"),
     "UNION_NOT_FOUND", "people.csv", 3),
    ("a flag that is not one", "people", PEOPLE.replace("false,false\nP3", "maybe,false\nP3"),
     "IMPORT_FLAG_INVALID", "people.csv", 3),
    ("more cells than columns", "people", PEOPLE.replace("2002-01-01,false,false",
                                                         "2002-01-01,false,false,extra"),
     "IMPORT_ROW_INVALID", "people.csv", 3),
    ("a quoted name over two lines, then a bad row", "people",
     PEOPLE.replace("P1,Sơn Thị Diệu", 'P1,"Sơn Thị\nDiệu"').replace("2003-01-01", "2003-01-32"),
     "INVALID_DATE", "people.csv", 5),
    ("a union of the wrong level", "unions", UNIONS.replace("CS,Công đoàn cơ quan LĐLĐ tỉnh,grassroots,TV",
                                                            "CS,Công đoàn cơ quan LĐLĐ tỉnh,grassroots,VN"),
     "PARENT_LEVEL_MISMATCH", "unions.csv", 4),
    ("text that is not UTF-8", "people", "", "IMPORT_NOT_TEXT", "people.csv", 2),
]


@pytest.mark.parametrize(("what", "name", "text", "code", "file", "line"), CSV_BREAKS,
                         ids=[b[0] for b in CSV_BREAKS])
def test_r1_1_a_csv_file_with_a_broken_row_is_refused_by_its_line_and_nothing_is_stored(
        tmp_path: Path, settings_for: Any, what: str, name: str, text: str, code: str,
        file: str | None, line: int | None) -> None:
    (tmp_path / "unions.csv").write_text(UNIONS, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    if text:
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    else:
        (tmp_path / f"{name}.csv").write_bytes(PEOPLE.encode("cp1258", errors="replace")
                                               .replace(b"S", b"\xff"))
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    paths = [tmp_path / "unions.csv", tmp_path / "people.csv"]

    def load() -> Any:
        data, digest = read(paths)
        with use_context(OPERATOR):
            return app_import(app, data, "unions.csv, people.csv", digest)

    error = refused(app, load)
    assert error.code == "IMPORT_REFUSED", (what, error)
    first = error.details["errors"][0]
    assert first["code"] == code, (what, error)
    assert first.get("file") == file, (what, error)
    assert first.get("row") == line, (what, error)
    assert error.message.startswith(f"{file} line {line}"), error.message
    assert nothing_stored(app)


def test_r1_1_the_command_line_refuses_a_broken_csv_file_with_its_line_and_exit_1(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        settings_for: Any) -> None:
    (tmp_path / "unions.csv").write_text(UNIONS, encoding="utf-8")
    (tmp_path / "people.csv").write_bytes(b"code,full_name\nP1,\xff\xfe\n")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
    TALLY["files"] += 1
    assert main([str(tmp_path / "unions.csv"), str(tmp_path / "people.csv")]) == 1
    err = capsys.readouterr().err
    assert "people.csv line 2: not UTF-8" in err
    assert "[IMPORT_NOT_TEXT] people.csv, dòng 2: Tệp không phải là văn bản mã UTF-8" in err
    TALLY["rows_rejected"] += 1
    assert nothing_stored(Registry(settings_for(url)))
    record("bad-input", "import", **TALLY)
    assert TALLY["half_imported"] == 0

