"""The import screen with an Excel workbook (R1.1, R1.3), in headless Chromium against the
whole system, as the administrator does it: the template downloaded, a workbook of people
previewed (what would be added, its first rows as read), its upload's progress shown, then
imported; a workbook with a broken row refused, the row named by its sheet, Excel row and
column, nothing stored. Screenshots go to ``EMU_SCREENSHOTS`` (a temporary directory by
default), to look at, not to keep.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from openpyxl import load_workbook

from tests.e2e.test_web import CHROMIUM, submit, wait
from tests.e2e.test_web_screens import menu, open_as, shot
from tests.support.gateway_system import running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.unit.test_registry_workbook import people_rows, workbook

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

COUNT = 6_000
SHOWN = f"{COUNT:,}".replace(",", ".")  # 6.000, as the screen writes it


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-import"), amqp, pg) as system:
        w = with_province(system)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "shots": shots,
                       "files": tmp_path_factory.mktemp("files")}
            finally:
                browser.close()


def _found(world: dict[str, Any], name: str) -> list[Any]:
    system = world["system"]
    with system.http(system.tokens["admin"]) as client:
        return list(client.get("/v1/registry/search-people", params={"q": name}).json()["items"])


def test_r1_1_r1_3_the_administrator_previews_and_imports_an_excel_workbook_of_people(
        world: dict[str, Any]) -> None:
    page = open_as(world, "admin")
    menu(page, "Nhập dữ liệu", "import")
    with page.expect_download() as downloading:
        page.click("#import-template")
    template = downloading.value
    assert template.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(template.path()).read_bytes()), read_only=True)
    assert next(book["Đoàn viên"].iter_rows(values_only=True))[:2] == ("Mã đoàn viên", "Họ và tên")
    # A workbook with an impossible date in the middle: refused, the cell named, nothing stored.
    rows = people_rows(COUNT, broken_at=COUNT // 2, union="CS-1", prefix="WEB")
    rows[1][1] = "Thạch Thị Trình Duyệt"
    broken = world["files"] / "doan-vien-loi.xlsx"
    broken.write_bytes(workbook({"Đoàn viên": rows}))
    page.select_option("#import #f-kind", "people")
    page.set_input_files("#import input[type=file]", str(broken))
    submit(page, "import")
    wait(page, f"#import-refused [data-row='{COUNT // 2 + 2}']")
    refused = page.locator("#import-refused").inner_text()
    assert f"Trang «Đoàn viên», dòng {COUNT // 2 + 2}" in refused, refused
    assert "F — Ngày gia nhập" in refused and "không phải là một ngày hợp lệ" in refused, refused
    assert page.locator(f"#import-refused [data-cell='F{COUNT // 2 + 2}']").count() == 1
    shot(world, page, "r1-3-import-xlsx-refused")
    assert _found(world, "thach thi trinh duyet") == []
    # The corrected workbook: previewed first (nothing stored), then imported.
    rows[COUNT // 2 + 1][5] = "28/02/2024"
    good = world["files"] / "doan-vien.xlsx"
    good.write_bytes(workbook({"Đoàn viên": rows}))
    page.set_input_files("#import input[type=file]", str(good))
    page.click("#import-preview-button")
    wait(page, "#import-progress:not([hidden])")  # the bar, while the file goes and is checked
    shot(world, page, "r1-3-import-xlsx-progress")
    wait(page, "#import-preview")
    preview = page.locator("#import-preview").inner_text()
    assert "chưa lưu" in preview and f"Đoàn viên, cán bộ\t{SHOWN}" in preview, preview
    assert "Trang «Đoàn viên»" in preview and "Thạch Thị Trình Duyệt" in preview, preview
    assert "\tNam\t" in preview and "\tNữ\t" in preview and "male" not in preview, preview
    assert page.locator("#import-progress").is_hidden()
    shot(world, page, "r1-3-import-xlsx-preview")
    assert _found(world, "thach thi trinh duyet") == []
    page.click("#import-confirm")
    # the registry's own report while it stores the people, batch by batch
    page.wait_for_selector("#import-progress-text:has-text('Đang lưu')", timeout=60_000)
    storing = page.locator("#import-progress").inner_text()
    assert f"/ {SHOWN} đoàn viên" in storing, storing
    shot(world, page, "r1-3-import-xlsx-storing")
    wait(page, "#import-result")
    result = page.locator("#import-result").inner_text()
    assert "Đã nhập tệp" in result and f"Đoàn viên, cán bộ\t{SHOWN}" in result, result
    shot(world, page, "r1-3-import-xlsx-result")
    assert len(_found(world, "thach thi trinh duyet")) == 1
    assert page.errors == []


def test_r1_4_the_administrator_imports_a_team_with_its_members_from_an_excel_sheet(
        world: dict[str, Any]) -> None:
    """A sheet of bodies, one row per member, kinds and positions in Vietnamese: an unknown
    member refused by its row and column, nothing stored; corrected, previewed and imported."""
    page = open_as(world, "admin")
    menu(page, "Nhập dữ liệu", "import")
    header = ["Mã công đoàn", "Loại", "Tên", "Ngày bắt đầu nhiệm kỳ", "Ngày kết thúc", "Ban",
              "Số quyết định", "Ngày quyết định", "Mã đoàn viên", "Chức vụ"]
    rows: list[list[Any]] = [
        header,
        ["CS-1", "Tổ hỗ trợ sáng kiến", "Tổ hỗ trợ sáng kiến Trường Tiểu học Càng Long",
         "01/09/2024", None, None, "07/QĐ-CĐCS", "25/08/2024", "P-D", "Tổ trưởng"],
        ["CS-1", "Tổ hỗ trợ sáng kiến", None, "01/09/2024", None, None, None, None, "P-KHONG",
         "Thành viên"]]
    broken = world["files"] / "to-ho-tro-loi.xlsx"
    broken.write_bytes(workbook({"Ban chấp hành": rows}))
    page.select_option("#import #f-kind", "bodies")
    page.set_input_files("#import input[type=file]", str(broken))
    submit(page, "import")
    wait(page, "#import-refused [data-row='3']")
    refused = page.locator("#import-refused").inner_text()
    assert "Trang «Ban chấp hành», dòng 3" in refused and "I — " in refused, refused
    assert page.locator("#import-refused [data-cell='I3']").count() == 1
    shot(world, page, "r1-4-import-bodies-refused")
    rows[2][8] = "P-E"
    good = world["files"] / "to-ho-tro.xlsx"
    good.write_bytes(workbook({"Ban chấp hành": rows}))
    page.set_input_files("#import input[type=file]", str(good))
    page.click("#import-preview-button")
    wait(page, "#import-preview")
    preview = page.locator("#import-preview").inner_text()
    assert "Trang «Ban chấp hành»" in preview and "Tổ trưởng" in preview, preview
    assert "initiative_support_team" not in preview and "leader" not in preview, preview
    shot(world, page, "r1-4-import-bodies-preview")
    page.click("#import-confirm")
    wait(page, "#import-result")
    result = page.locator("#import-result").inner_text()
    assert "Đã nhập tệp" in result and "Phân công chức vụ\t2" in result, result
    assert page.errors == []
