"""Excel workbooks into the registry (R1.1, R1.3): sheets and headers named in English or in
Vietnamese, Excel dates and Vietnamese dd/mm/yyyy text, a refused row named by its sheet, its
Excel row and its column (letter and header) in Vietnamese, nothing stored; the template the
import screen offers reads back as an empty, valid workbook."""

from __future__ import annotations

import base64
import io
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from openpyxl import Workbook, load_workbook

from gateway.messages import detail, localize
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from services.registry import commands
from services.registry.application import Registry
from services.registry.importer import import_file, main, parse
from services.registry.workbook import COLUMNS, read, template

ADMIN = CommandContext(Actor("admin-1", "administrator"))
UNIONS: list[list[Any]] = [
    ["Mã công đoàn", "Tên công đoàn", "Cấp công đoàn", "Mã công đoàn cấp trên", "Ngày thành lập"],
    ["VN", "Tổng Liên đoàn", "confederation", None, datetime(1929, 7, 28)],
    ["TV", "LĐLĐ tỉnh Trà Vinh", "Liên đoàn Lao động tỉnh", "VN", "01/01/1990"],
    ["CS", "Công đoàn cơ quan", "Công đoàn cơ sở", "TV", date(1995, 1, 1)]]
PEOPLE_HEADER = ["Mã đoàn viên", "Họ và tên", "Ngày sinh", "Giới tính", "Mã công đoàn",
                 "Ngày gia nhập", "Cán bộ công đoàn", "Cán bộ chuyên trách"]


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def people_rows(count: int, broken_at: int | None = None, union: str = "CS",
                prefix: str = "DV") -> list[list[Any]]:
    """``count`` people of ``union``; the one at ``broken_at`` (0-based) has an impossible
    joining date (Excel row ``broken_at + 2``: the header is row 1)."""
    rows: list[list[Any]] = [PEOPLE_HEADER]
    for n in range(count):
        joined: Any = date(2020, 1, 1 + n % 28)
        if n == broken_at:
            joined = "30/02/2024"
        rows.append([f"{prefix}-{n:05d}", f"Đoàn Viên Số {n}", None, "Nữ" if n % 2 else "Nam", union,
                     joined, "x" if n % 50 == 0 else None, None])
    return rows


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


@pytest.fixture()
def app(tmp_path: Path, settings_for: Any) -> Registry:
    registry = Registry(settings_for(f"sqlite:///{tmp_path / 'r.sqlite'}"))
    with use_context(ADMIN):
        import_file(registry, b64(workbook({"Công đoàn": UNIONS})), "xlsx", "unions", False,
                    "cong-doan.xlsx")
    return registry


def test_r1_1_sheets_and_headers_are_read_in_english_or_vietnamese() -> None:
    content = workbook({"Danh sách": [["DANH SÁCH ĐOÀN VIÊN"], [],
                                      ["code", "HO VA TEN", "union_code", "Ngày gia nhập", "Ghi chú"],
                                      ["P1", "Sơn Thị Diệu", "CS", datetime(2001, 1, 2), "bỏ qua"],
                                      [None, None, None, None, None],
                                      ["P2", "Kim Sóc Phol", "CS", "03/04/2002", None]]})
    [(kind, placed)] = read(content, "people").items()  # the only sheet, whatever its name
    assert kind == "people" and placed.sheet == "Danh sách"
    assert placed.rows == [4, 6]  # Excel's row numbers: the title and empty rows skipped
    assert placed.columns == {"code": ("A", "code"), "full_name": ("B", "HO VA TEN"),
                              "union_code": ("C", "union_code"), "joined_on": ("D", "Ngày gia nhập")}
    assert placed.records[1] == {"code": "P2", "full_name": "Kim Sóc Phol", "union_code": "CS",
                                 "joined_on": "2002-04-03"}
    both = read(workbook({"unions": UNIONS, "Đoàn viên": people_rows(2), "Khác": [["x"]]}),
                "province")
    assert set(both) == {"unions", "people"} and both["people"].sheet == "Đoàn viên"
    assert both["unions"].records[1]["level"] == "provincial_federation"
    assert both["people"].records[1]["gender"] == "female"


def test_r1_3_a_workbook_of_people_imports_with_excel_dates_and_ticks(app: Registry) -> None:
    with use_context(ADMIN):
        done = import_file(app, b64(workbook({"Đoàn viên": people_rows(3)})), "xlsx", "people",
                           False, "doan-vien.xlsx")
    assert done["counts"]["people"] == 3
    [official] = app.search_people("doan vien so 0")
    assert official["is_official"] is True
    assert app.get_person(official["id"])["gender"] == "male"


def test_r1_1_r1_3_a_broken_row_is_named_by_sheet_row_and_column_in_vietnamese_nothing_stored(
        app: Registry) -> None:
    stored = app.recorder.max_notification_id()
    rows = people_rows(6, broken_at=3)
    rows[5][4] = "KHONG-CO"  # the fifth person (Excel row 6): no such union
    with use_context(ADMIN), pytest.raises(DomainError) as caught:
        import_file(app, b64(workbook({"Đoàn viên": rows})), "xlsx", "people", False,
                    "doan-vien.xlsx")
    error = caught.value
    assert error.code == "IMPORT_REFUSED" and error.details["total"] == 2
    first, second = error.details["errors"]
    assert (first["sheet"], first["row"], first["column_letter"], first["header"], first["cell"],
            first["column"], first["code"]) == ("Đoàn viên", 5, "F", "Ngày gia nhập", "F5",
                                                "joined_on", "INVALID_DATE")
    assert (second["row"], second["column_letter"], second["code"]) == (6, "E", "UNION_NOT_FOUND")
    assert app.recorder.max_notification_id() == stored  # not even the good rows
    [text, _] = [e["text"] for e in localize(error.details)["errors"]]  # type: ignore[index]
    assert text == "«Ngày gia nhập» không phải là một ngày hợp lệ (ngày/tháng/năm có thật)."
    sentence = detail(error.code, error.details)
    assert sentence.startswith("Tệp không được nhập")
    assert "Trang «Đoàn viên», dòng 5, cột F: «Ngày gia nhập» không phải" in sentence
    assert "Sheet “Đoàn viên”, row 5, column F" in detail(error.code, error.details, "en")


def test_r1_1_files_that_are_not_workbooks_or_lack_the_sheet_are_refused(app: Registry) -> None:
    for content, kind in ((b64(b"not a zip"), "people"), ("***", "people"),
                          (b64(workbook({"A": [["x"]], "B": [["y"]]})), "people")):
        with use_context(ADMIN), pytest.raises(DomainError) as caught:
            import_file(app, content, "xlsx", kind, True, "tep.xlsx")
        assert caught.value.code == "IMPORT_REFUSED"
        assert caught.value.details["errors"][0]["code"] == "IMPORT_NOT_WORKBOOK"
    # a sheet without the joining date's column: refused once for the column, not per row
    rows = [row[:5] for row in people_rows(500)]
    with use_context(ADMIN), pytest.raises(DomainError) as missing:
        import_file(app, b64(workbook({"Đoàn viên": rows})), "xlsx", "people", True, "tep.xlsx")
    [error] = missing.value.details["errors"]
    assert (error["code"], error["sheet"], error["row"], error["column"]) == (
        "IMPORT_COLUMN_MISSING", "Đoàn viên", 1, "joined_on")
    assert "Trang «Đoàn viên», dòng 1: Trang tính không có cột «Ngày gia nhập» (bắt buộc)" \
        in detail(missing.value.code, missing.value.details)


def test_r1_1_r1_3_ten_thousand_people_one_broken_row_refused_then_the_good_file_imports(
        app: Registry) -> None:
    broken = workbook({"Đoàn viên": people_rows(10_000, broken_at=5_000)})
    stored = app.recorder.max_notification_id()
    with use_context(ADMIN), pytest.raises(DomainError) as caught:
        import_file(app, b64(broken), "xlsx", "people", False, "10000.xlsx")
    [error] = caught.value.details["errors"]
    assert (error["sheet"], error["row"], error["column_letter"], error["header"]) == (
        "Đoàn viên", 5_002, "F", "Ngày gia nhập")  # the header is row 1, person 0 row 2
    assert "Trang «Đoàn viên», dòng 5002, cột F" in detail(caught.value.code, caught.value.details)
    assert app.recorder.max_notification_id() == stored
    started = time.perf_counter()
    with use_context(ADMIN):
        done = import_file(app, b64(workbook({"Đoàn viên": people_rows(10_000)})), "xlsx",
                           "people", False, "10000.xlsx")
    seconds = time.perf_counter() - started
    assert done["counts"]["people"] == 10_000
    assert app.members(str(app.search_unions("cong doan co quan")[0]["id"]))["total"] == 10_000
    print(f"10,000 people from XLSX: {seconds:.1f}s (importer: {done['seconds']}s)")


def test_r1_1_the_template_has_the_vietnamese_headers_and_reads_back_empty(
        app: Registry, tmp_path: Path, monkeypatch: Any) -> None:
    answer = app.import_template(commands.ImportTemplate())
    content = base64.b64decode(answer["content_base64"])
    assert answer["filename"].endswith(".xlsx") and content[:2] == template()[:2] == b"PK"
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["Đoàn viên", "Công đoàn", "Ban chấp hành", "Hướng dẫn"]
    assert list(next(book["Ban chấp hành"].iter_rows(values_only=True))) == [
        header for _, header in COLUMNS["bodies"]]
    headers = next(book["Đoàn viên"].iter_rows(values_only=True))
    assert list(headers) == [header for _, header in COLUMNS["people"]]
    assert parse(content, "xlsx", "province")["people"] == []
    assert parse(content, "xlsx", "province")["bodies"] == []
    # filled in, it imports from the command line too
    filled = load_workbook(io.BytesIO(content))
    filled["Đoàn viên"].append(["DV-1", "Thạch Thị Mẫu", "01/02/1990", "Nữ", "CS", "15/03/2024",
                                "x", "x"])
    path = tmp_path / "mau.xlsx"
    filled.save(path)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", str(app.engine.url))
    assert main([str(path)]) == 0
    [person] = app.search_people("thach thi mau")
    assert person["is_full_time"] is True


def test_r1_1_the_gateway_waits_longer_for_an_import_and_gives_it_a_later_deadline() -> None:
    """A file of 10,000 people takes longer than the gateway's 10 s for a call: an import
    goes through the pool that waits GATEWAY_IMPORT_TIMEOUT, its deadline as far off."""
    from datetime import UTC, timedelta

    from gateway.pools import Pools
    from runtime.config import Settings

    pools = Pools(Settings({"GATEWAY_RPC_TIMEOUT": "5", "GATEWAY_IMPORT_TIMEOUT": "90"}))
    assert (pools.timeout, pools.short.timeout, pools.long.timeout) == (5, 5, 90)
    calls: list[tuple[str, str, Any]] = []
    pools.short.call = lambda s, m, *a, context=None, **k: calls.append(("short", m, context))  # type: ignore[method-assign]
    pools.long.call = lambda s, m, *a, context=None, **k: calls.append(("long", m, context))  # type: ignore[method-assign]
    soon = datetime.now(UTC) + timedelta(seconds=5)
    context = CommandContext(Actor("admin-1", "administrator"), deadline=soon)
    pools.call("registry", "found_union", context=context)
    pools.call("registry", "import_records", context=context)
    assert [(pool, method) for pool, method, _ in calls] == [("short", "found_union"),
                                                             ("long", "import_records")]
    assert calls[0][2].deadline == soon
    assert calls[1][2].deadline > soon + timedelta(seconds=80)


def test_r1_1_an_import_reports_its_progress_under_its_upload_id(app: Registry) -> None:
    """While an import runs, ``import_progress`` says how far it has got: rows checked, then
    people stored, batch by batch; then done (or refused)."""
    from services.registry.importer import Progress

    seen: list[tuple[str, int, int]] = []
    write = Progress.__call__

    def spy(self: Progress, phase: str, done: int, total: int) -> None:
        seen.append((phase, done, total))
        write(self, phase, done, total)

    upload = "00000000-0000-4000-8000-000000000001"
    with use_context(ADMIN), pytest.MonkeyPatch.context() as patch:
        patch.setattr(Progress, "__call__", spy)
        import_file(app, b64(workbook({"Đoàn viên": people_rows(4_500)})), "xlsx", "people",
                    False, "tep.xlsx", upload)
    assert seen == [("reading", 0, 0), ("checking", 0, 4_500), ("checking", 1_000, 4_500),
                    ("checking", 2_000, 4_500), ("checking", 3_000, 4_500),
                    ("checking", 4_000, 4_500), ("storing", 0, 4_500),
                    ("storing", 2_000, 4_500), ("storing", 4_000, 4_500),
                    ("done", 4_500, 4_500)]
    assert app.import_progress(commands.ImportProgress(UUID(upload))) == {
        "upload_id": upload, "phase": "done", "done": 4_500, "total": 4_500}
    other = "00000000-0000-4000-8000-000000000002"
    assert app.import_progress(commands.ImportProgress(UUID(other)))["phase"] == "unknown"
    with use_context(ADMIN), pytest.raises(DomainError):
        import_file(app, b64(workbook({"Đoàn viên": people_rows(3, broken_at=1, prefix="NEW")})), "xlsx",
                    "people", False, "tep.xlsx", other)
    assert app.import_progress(commands.ImportProgress(UUID(other)))["phase"] == "refused"


BODIES_HEADER = ["Mã công đoàn", "Loại", "Tên", "Ngày bắt đầu nhiệm kỳ", "Ngày kết thúc",
                 "Ban", "Số quyết định", "Ngày quyết định", "Mã đoàn viên", "Chức vụ"]
BCH = "Ban Chấp hành Công đoàn cơ quan khóa III"
TEAM = "Tổ hỗ trợ sáng kiến Công đoàn cơ quan"


def bodies_rows() -> list[list[Any]]:
    """A grassroots union's executive committee of three (Vietnamese kinds and positions,
    dd/mm/yyyy and Excel dates) and the initiative support team it established."""
    return [["DANH SÁCH BAN CHẤP HÀNH"], BODIES_HEADER,
            ["CS", "Ban Chấp hành", BCH, "20/07/2023", "19/07/2028", None, None, None,
             "DV-00000", "Chủ tịch"],
            ["CS", "Ban Chấp hành", None, "20/07/2023", None, None, None, None,
             "DV-00001", "Phó Chủ tịch"],
            ["CS", "BAN CHAP HANH", None, datetime(2023, 7, 20), None, None, None, None,
             "DV-00002", "Ủy viên"],
            ["CS", "Tổ hỗ trợ sáng kiến", TEAM, "01/09/2023", None, None, "12/QĐ-CĐCS",
             "25/08/2023", "DV-00001", "Tổ trưởng"],
            ["CS", "initiative_support_team", None, "01/09/2023", None, None, None, None,
             "DV-00003", "member"]]


@pytest.fixture()
def staffed(app: Registry) -> Registry:
    with use_context(ADMIN):
        import_file(app, b64(workbook({"Đoàn viên": people_rows(4)})), "xlsx", "people", False,
                    "doan-vien.xlsx")
    return app


def holders(app: Registry, kind: str, start: date) -> dict[str, str]:
    from services.registry.domain import Body, Person, Union

    body = app.body(Body.create_id(Union.create_id("CS"), kind, None, start))
    codes = {Person.create_id(f"DV-{n:05d}"): f"DV-{n:05d}" for n in range(4)}
    return {codes[h.person_id]: h.position for h in body.current_holdings()}


def test_r1_2_r1_4_a_workbook_of_bodies_imports_them_with_their_members(staffed: Registry) -> None:
    content = b64(workbook({"Ban chấp hành": bodies_rows()}))
    with use_context(ADMIN):
        preview = import_file(staffed, content, "xlsx", "bodies", True, "ban-chap-hanh.xlsx")
        assert preview["counts"]["bodies"] == 2 and preview["counts"]["appointments"] == 5
        assert preview["sample"]["bodies"]["rows"][:2] == [3, 4]  # Excel's rows
        done = import_file(staffed, content, "xlsx", "bodies", False, "ban-chap-hanh.xlsx")
    assert (done["counts"]["bodies"], done["counts"]["appointments"]) == (2, 5)
    assert holders(staffed, "executive_committee", date(2023, 7, 20)) == {
        "DV-00000": "chairman", "DV-00001": "vice_chairman", "DV-00002": "member"}
    assert holders(staffed, "initiative_support_team", date(2023, 9, 1)) == {
        "DV-00001": "leader", "DV-00003": "member"}
    from services.registry.domain import Body, Union

    committee = staffed.body(Body.create_id(Union.create_id("CS"), "executive_committee", None,
                                            date(2023, 7, 20)))
    assert (committee.name, committee.term_end) == (BCH, date(2028, 7, 19))
    team = staffed.body(Body.create_id(Union.create_id("CS"), "initiative_support_team", None,
                                       date(2023, 9, 1)))
    assert team.decision is not None
    assert (team.decision["number"], team.decision["signed_on"]) == ("12/QĐ-CĐCS", "2023-08-25")
    with use_context(ADMIN):  # again: the bodies are there, skipped
        again = import_file(staffed, content, "xlsx", "bodies", False, "ban-chap-hanh.xlsx")
    assert again["counts"]["bodies"] == 0 and again["skipped"]["bodies"] == 2


def test_r1_2_vietnamese_kinds_and_positions_are_read_from_a_sheet_or_a_csv_file(
        staffed: Registry) -> None:
    placed = read(workbook({"Các ban": bodies_rows()}), "bodies")["bodies"]
    assert [r["kind"] for r in placed.records] == ["executive_committee"] * 3 + [
        "initiative_support_team"] * 2
    assert [r["position"] for r in placed.records] == [
        "chairman", "vice_chairman", "member", "leader", "member"]
    assert placed.columns["term_end"] == ("E", "Ngày kết thúc")
    csv_text = ("union_code,kind,name,term_start,person_code,position\n"
                "CS,Ban Chấp hành,BCH khóa III,20/07/2023,DV-00000,Chủ tịch\n"
                "CS,Ban Chấp hành,,20/07/2023,DV-00003,Ủy viên\n")
    with use_context(ADMIN):
        done = import_file(staffed, csv_text, "csv", "bodies", False, "bch.csv")
    assert (done["counts"]["bodies"], done["counts"]["appointments"]) == (1, 2)
    assert holders(staffed, "executive_committee", date(2023, 7, 20)) == {
        "DV-00000": "chairman", "DV-00003": "member"}


def test_r1_2_an_unknown_member_is_refused_by_sheet_row_and_column_nothing_stored(
        staffed: Registry) -> None:
    stored = staffed.recorder.max_notification_id()
    rows = bodies_rows()
    rows[4][8] = "DV-KHONG-CO"  # the committee's third member, Excel row 5
    with use_context(ADMIN), pytest.raises(DomainError) as caught:
        import_file(staffed, b64(workbook({"Ban chấp hành": rows})), "xlsx", "bodies", False,
                    "ban-chap-hanh.xlsx")
    error = caught.value
    assert error.code == "IMPORT_REFUSED"
    first = error.details["errors"][0]  # then the team: no committee in office to establish it
    assert (first["sheet"], first["row"], first["column_letter"], first["header"],
            first["code"]) == ("Ban chấp hành", 5, "I", "Mã đoàn viên", "PERSON_NOT_FOUND")
    assert staffed.recorder.max_notification_id() == stored  # not even the good rows
    assert "Trang «Ban chấp hành», dòng 5, cột I" in detail(error.code, error.details)
    rows = bodies_rows()
    rows[6][9] = "Chủ tịch"  # a team has no chairman: Excel row 7, column J
    with use_context(ADMIN), pytest.raises(DomainError) as caught:
        import_file(staffed, b64(workbook({"Ban chấp hành": rows})), "xlsx", "bodies", False,
                    "ban-chap-hanh.xlsx")
    [wrong] = caught.value.details["errors"]
    assert (wrong["row"], wrong["column_letter"], wrong["header"], wrong["code"]) == (
        7, "J", "Chức vụ", "POSITION_NOT_ALLOWED")
    assert staffed.recorder.max_notification_id() == stored
