"""The importer: the demo province loads under the registry's rules (R1.1–R1.4), twice without
duplicates, and a bad record is refused by its place in the file with nothing stored."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from demo.province import province
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from runtime.store import metadata_of
from services.registry.application import Registry
from services.registry.domain import Union
from services.registry.importer import app_import, main, read

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "tra-vinh.json"
OPERATOR = CommandContext(Actor("op-1", "operator"))


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    return json.loads(DEMO.read_text("utf-8"))


def load(app: Registry, data: Any) -> Any:
    with use_context(OPERATOR):
        return app_import(app, data, "test")


def test_r1_1_r1_4_the_demo_province_loads_with_its_bodies_and_members(store_url: str, settings_for: Any,
                                                                     demo: dict[str, Any]) -> None:
    assert demo == province()  # the committed file is what the generator makes
    app = Registry(settings_for(store_url))
    report = load(app, demo)
    # Trà Vinh, and its neighbour Vĩnh Long
    assert (report.unions, report.people, report.bodies) == (76, 473, 116)
    tv = str(Union.create_id("TV"))
    province_node = app.tree(root_id=tv)[0]
    levels = {child["level"] for child in province_node["children"]}
    assert levels == {"direct_superior", "grassroots"}  # R1.1: grassroots directly under TV too
    assert sum(app.members(u["id"])["total"] for u in app.descendants(tv)) == 431
    assert (app.department(tv, "policy_law") or {}).get("name") == "Ban Chính sách – Pháp luật"
    [standing] = app.bodies(tv, kind="standing_committee")
    [executive] = app.bodies(tv, kind="executive_committee")
    assert {m["person_id"] for m in standing["members"]} <= {m["person_id"] for m in executive["members"]}
    assert app.search_unions("lien doan tra vinh")[0]["code"] == "TV"
    again = load(app, demo)  # idempotent: make run loads it on every start
    assert (again.unions, again.people, again.bodies) == (0, 0, 0)
    assert again.skipped == {"unions": 76, "people": 473, "bodies": 116}


def test_r4_5_imported_events_are_attributed_with_the_file_as_evidence(tmp_path: Path,
                                                                      settings_for: Any) -> None:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    data, digest = read([DEMO])
    with use_context(OPERATOR):
        app_import(app, data, "tra-vinh.json", digest)
    [founded] = app.events.get(Union.create_id("VN"))
    meta = metadata_of(founded)
    assert meta["actor"]["user_id"] == "system:registry-importer"
    assert meta["decision"]["evidence"] == [f"sha256:{digest}"]
    assert meta["decision"]["reason"] == "import of tra-vinh.json"


@pytest.mark.parametrize("break_it,code,where", [
    (lambda d: d["unions"][5].update(level="confederation"), "PARENT_LEVEL_MISMATCH", "unions[5]"),
    (lambda d: d["unions"].append(dict(d["unions"][3])), "IMPORT_DUPLICATE", f"unions[{76}]"),
    (lambda d: d["people"][7].update(union_code="TV"), "MEMBERSHIP_NOT_GRASSROOTS", "people[7]"),
    (lambda d: d["people"][9].update(full_name="x" * 201), "INVALID_TEXT", "people[9]"),
    (lambda d: d["people"][9].update(is_official=False, is_full_time=True),
     "FULL_TIME_REQUIRES_OFFICIAL", "people[9]"),
    (lambda d: d["bodies"][-1]["members"].append(dict(d["bodies"][-1]["members"][0])),
     "PERSON_ALREADY_IN_BODY", f"bodies[{115}]"),
    (lambda d: d["bodies"][6].update(decision=None), "INVALID_INPUT", "bodies[6]"),
    (lambda d: d["unions"][4].update(founded_on="2020-02-30"), "INVALID_DATE", "unions[4]"),
    (lambda d: d["bodies"].append(copy.deepcopy(d["bodies"][0])), "IMPORT_DUPLICATE", "bodies[116]"),
    (lambda d: d["bodies"][6].update(term_start="soon"), "INVALID_DATE", "bodies[6]"),
])
def test_a_bad_record_is_refused_by_its_place_and_nothing_is_stored(
        tmp_path: Path, settings_for: Any, demo: dict[str, Any], break_it: Any, code: str,
        where: str) -> None:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    data = copy.deepcopy(demo)
    break_it(data)
    with pytest.raises(DomainError) as caught:
        load(app, data)
    assert caught.value.code == "IMPORT_REFUSED"
    first = caught.value.details["errors"][0]
    assert (first["code"], first["record"]) == (code, where)
    assert first["row"] == int(where.split("[")[1].rstrip("]")) + 1  # from 1, as a person counts
    assert where in caught.value.message
    assert app.recorder.max_notification_id() is None


def test_r1_5_loading_again_after_the_tree_changed_skips_what_is_there(tmp_path: Path, settings_for: Any,
                                                                    demo: dict[str, Any]) -> None:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    load(app, demo)
    grassroots = [u for u in demo["unions"] if u["level"] == "grassroots"]
    with use_context(OPERATOR):
        app.dissolve_union(str(Union.create_id(grassroots[0]["code"])), "2026-01-01")
    assert load(app, demo).skipped == {"unions": 76, "people": 473, "bodies": 116}


def test_r1_2_an_earlier_term_in_the_file_is_succeeded_by_the_later_one(tmp_path: Path,
                                                                      settings_for: Any) -> None:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    data = {"format": "emulation.registry.import/v1", "unions": [
        {"code": "VN", "name": "Tổng Liên đoàn", "level": "confederation", "founded_on": "1929-07-28"},
        {"code": "TV", "name": "LĐLĐ tỉnh Trà Vinh", "level": "provincial_federation",
         "parent_code": "VN", "founded_on": "1990-01-01"}], "people": [], "bodies": [
        {"union_code": "TV", "kind": "executive_committee", "name": f"BCH khóa {n}",
         "term_start": start, "members": []}
        for n, start in (("X", "2023-07-20"), ("IX", "2018-07-20"))]}
    load(app, data)
    tv = str(Union.create_id("TV"))
    assert [b["name"] for b in app.bodies(tv, "2020-01-01")] == ["BCH khóa IX"]
    assert [b["name"] for b in app.bodies(tv, "2024-01-01")] == ["BCH khóa X"]


def test_unions_and_people_load_from_csv_and_a_bad_file_is_refused(tmp_path: Path, settings_for: Any,
                                                                 monkeypatch: Any, capsys: Any) -> None:
    (tmp_path / "unions.csv").write_text(
        "code,name,level,parent_code,founded_on\n"
        "VN,Tổng Liên đoàn Lao động Việt Nam,confederation,,1929-07-28\n"
        "TV,Liên đoàn Lao động tỉnh Trà Vinh,provincial_federation,VN,1990-01-01\n"
        "CS,Công đoàn cơ quan LĐLĐ tỉnh,grassroots,TV,1995-01-01\n", encoding="utf-8-sig")
    (tmp_path / "people.csv").write_text(
        "code,full_name,union_code,joined_on,is_official,is_full_time\n"
        "P1,Sơn Thị Diệu,CS,2001-01-01,true,true\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
    assert main([str(tmp_path / "unions.csv"), str(tmp_path / "people.csv")]) == 0
    app = Registry(settings_for(url))
    [person] = app.search_people("son thi dieu")
    assert person["is_full_time"] is True
    (tmp_path / "bad.json").write_text('{"format": "something else"}', encoding="utf-8")
    assert main([str(tmp_path / "bad.json")]) == 1
    err = capsys.readouterr().err
    assert "import refused" in err and "[IMPORT_NOT_READABLE]" in err
    assert "Không đọc được tệp" in err and "The file cannot be read" in err


ADMIN = CommandContext(Actor("admin-1", "administrator"))
PEOPLE_HEADER = "code,full_name,union_code,joined_on,is_official,is_full_time\n"
THREE_UNIONS = ("code,name,level,parent_code,founded_on\n"
                "VN,Tổng Liên đoàn,confederation,,1929-07-28\n"
                "TV,LĐLĐ tỉnh Trà Vinh,provincial_federation,VN,1990-01-01\n"
                "CS,Công đoàn cơ quan,grassroots,TV,1995-01-01\n")


def test_r1_1_every_bad_row_of_a_file_is_named_by_line_and_column_and_nothing_is_stored(
        tmp_path: Path, settings_for: Any) -> None:
    from gateway.messages import detail, localize
    from services.registry.importer import import_file

    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    with use_context(ADMIN):
        assert import_file(app, THREE_UNIONS, "csv", "unions", False)["counts"]["unions"] == 3
        stored = app.recorder.max_notification_id()
        content = (PEOPLE_HEADER + "P1,Sơn Thị Diệu,CS,2001-01-01,true,true\n"
                   "P2,,CS,2001-01-01,false,false\n"
                   "P3,Kim Sóc Phol,CS,2001-01-01,có lẽ,false\n"
                   "P1,Thạch Sa Rai,CS,2001-01-01,false,false\n"
                   "P5,Lâm Văn Năm,TV,2001-01-01,false,false\n")
        with pytest.raises(DomainError) as caught:
            import_file(app, content, "csv", "people", False, "danh-sach.csv")
    error = caught.value
    assert error.code == "IMPORT_REFUSED" and error.details["total"] == 4
    assert [(e["row"], e["column"], e["code"]) for e in error.details["errors"]] == [
        (3, "full_name", "IMPORT_VALUE_MISSING"), (4, "is_official", "IMPORT_FLAG_INVALID"),
        (5, "code", "IMPORT_DUPLICATE"), (6, "union_code", "MEMBERSHIP_NOT_GRASSROOTS")]
    assert {e["file"] for e in error.details["errors"]} == {"danh-sach.csv"}
    assert app.recorder.max_notification_id() == stored  # not even P1, the good row
    texts = [e["text"] for e in localize(error.details)["errors"]]  # type: ignore[index]
    assert texts[:3] == ["Cột «Họ và tên» còn trống: đây là thông tin bắt buộc.",
                         "«Cán bộ công đoàn» phải là có hoặc không (true/false, 1/0).",
                         "Mã P1 xuất hiện hai lần trong tệp."]
    sentence = detail(error.code, error.details)
    assert "Dòng 3: Cột «Họ và tên» còn trống" in sentence and sentence.endswith("và 1 lỗi khác.")
    assert "Line 4: “Union official” must be yes or no" in detail(error.code, error.details, "en")


def test_r1_1_a_json_list_a_dry_run_and_files_that_cannot_be_read(tmp_path: Path,
                                                                 settings_for: Any) -> None:
    from services.registry.importer import import_file

    app = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    people = json.dumps([{"code": "P1", "full_name": "Sơn Thị Diệu", "union_code": "CS",
                          "joined_on": "2001-01-01"}], ensure_ascii=False)
    with use_context(ADMIN):
        import_file(app, THREE_UNIONS, "csv", "unions", False)
        stored = app.recorder.max_notification_id()
        checked = import_file(app, people, "json", "people", True)
        assert checked["dry_run"] is True and checked["counts"]["people"] == 1
        assert app.recorder.max_notification_id() == stored
        assert import_file(app, people, "json", "people", False)["counts"]["people"] == 1
        for content, form, kind, code in (("{", "json", "people", "IMPORT_NOT_READABLE"),
                                          ('{"format": "x"}', "json", "province",
                                           "IMPORT_NOT_READABLE"),
                                          ('a,"b\n', "csv", "people", "IMPORT_ROW_INVALID")):
            with pytest.raises(DomainError) as caught:
                import_file(app, content, form, kind, False)
            assert caught.value.code == "IMPORT_REFUSED"
            assert caught.value.details["errors"][0]["code"] == code
        with pytest.raises(DomainError) as wrong:
            import_file(app, people, "csv", "province", False)
        assert (wrong.value.code, wrong.value.details["field"]) == ("INVALID_INPUT", "kind")
    with use_context(CommandContext(Actor("m-1", "member"))), pytest.raises(DomainError) as member:
        import_file(app, people, "json", "people", True)
    assert member.value.code == "NO_AUTHORITY"  # not even a dry run: the registry is theirs
