"""The reorganisation screen (R1.5), in headless Chromium against the whole system, as the
administrator does it: the plan's template downloaded; a plan with a broken row refused whole,
the row named by its sheet and row in Vietnamese, nothing stored; the corrected plan previewed
(every touched union's parent on the day before and on the day, dates dd/mm/yyyy, and the open
items it would carry over or close), then applied
in one request. Screenshots go to ``EMU_SCREENSHOTS`` (a temporary directory by default).
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

from tests.e2e.test_web import CHROMIUM, wait
from tests.e2e.test_web_screens import menu, open_as, shot
from tests.support.gateway_system import running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.unit.test_registry_workbook import workbook

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

HEADERS = ["Thao tác", "Mã công đoàn", "Tên công đoàn", "Cấp công đoàn", "Mã công đoàn cấp trên"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-reorganisation"), amqp, pg) as system:
        w = with_province(system)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "shots": shots,
                       "files": tmp_path_factory.mktemp("files")}
            finally:
                browser.close()


def _superior(world: dict[str, Any], code: str, as_of: str) -> str:
    system = world["system"]
    with system.http(system.tokens["admin"]) as client:
        answer = client.get("/v1/registry/ancestors",
                            params={"union_id": world["w"].unions[code], "as_of": as_of}).json()
        assert "items" in answer, answer
        return str(answer["items"][0]["code"])


def test_r1_5_the_administrator_previews_and_applies_a_reorganisation_plan(
        world: dict[str, Any]) -> None:
    page = open_as(world, "admin")
    menu(page, "Sắp xếp tổ chức", "reorganisation")
    with page.expect_download() as downloading:
        page.click("#reorganisation-template")
    book = load_workbook(io.BytesIO(Path(downloading.value.path()).read_bytes()), read_only=True)
    assert next(book["Sắp xếp tổ chức"].iter_rows(values_only=True))[:5] == tuple(HEADERS)
    rows: list[list[Any]] = [list(HEADERS),
            ["Thành lập", "TV-KV1", "Công đoàn Khu vực Càng Long – Cầu Kè",
             "Công đoàn cấp trên trực tiếp cơ sở", "TV"],
            ["Chuyển", "CS-1", None, None, "TV-KV1"],
            ["Chuyển", "CS-2", None, None, "KHONG-CO"],
            ["Giải thể", "TV-CL"]]
    broken = world["files"] / "phuong-an-loi.xlsx"
    broken.write_bytes(workbook({"Sắp xếp tổ chức": rows}))
    page.fill("#f-number", "125/QĐ-LĐLĐ")
    page.fill("#f-union_id", "TV")
    page.fill("#f-signed_on", "15/11/2026")
    page.fill("#f-effective_on", "01/12/2026")
    page.fill("#f-legal_basis", "Nghị quyết số 60-NQ/TW; Quyết định số 125/QĐ-LĐLĐ")
    page.set_input_files("#reorganisation input[type=file]", str(broken))
    page.click("#reorganisation-preview-button")
    wait(page, "#reorganisation-refused [data-row='4']")
    refused = page.locator("#reorganisation-outcome").inner_text()
    assert "Trang «Sắp xếp tổ chức», dòng 4" in refused, refused
    assert "không được áp dụng" in refused and "30/11/2026" in refused, refused
    shot(world, page, "r1-5-reorganisation-refused")
    rows[3][4] = "TV-KV1"
    good = world["files"] / "phuong-an.xlsx"
    good.write_bytes(workbook({"Sắp xếp tổ chức": rows}))
    page.set_input_files("#reorganisation input[type=file]", str(good))
    page.click("#reorganisation-preview-button")
    wait(page, "#reorganisation-preview")
    preview = page.locator("#reorganisation-outcome").inner_text()
    assert "chưa lưu" in preview and "Từ ngày 01/12/2026" in preview, preview
    assert "Đã giải thể" in preview and "Liên đoàn Lao động huyện Càng Long (TV-CL)" in preview
    # R1.5: under the tree, what the dissolved federation still owes, closed with its reason
    wait(page, "#reorganisation-open-items")
    open_items = page.locator("#reorganisation-open-items").inner_text()
    assert "Việc đang mở được chuyển giao / kết thúc" in open_items, open_items
    assert "Tổng kết năm 2026" in open_items and "Sơ kết 6 tháng cuối năm 2026" in open_items
    assert "Kết thúc: Công đoàn giải thể từ ngày 01/12/2026, không có đơn vị tiếp nhận" in open_items
    shot(world, page, "r1-5-reorganisation-preview")
    assert _superior(world, "CS-1", "2026-12-01") == "TV-CL"  # the preview stored nothing
    page.click("#reorganisation-confirm")
    wait(page, "#reorganisation-result")
    result = page.locator("#reorganisation-outcome").inner_text()
    assert "Đã áp dụng phương án" in result and "125/QĐ-LĐLĐ" in result, result
    shot(world, page, "r1-5-reorganisation-result")
    assert _superior(world, "CS-1", "2026-12-01") == "TV-KV1"
    assert _superior(world, "CS-2", "2026-11-30") == "TV-CL"
    assert page.errors == []
