"""R3.8, replication made easy, in headless Chromium against the whole system: CS-1 has an
initiative recognised; CS-2's executive committee (``f``) starts registering one with a name
typed without tone marks, sees the recognised one in the card "Sáng kiến tương tự đã được
công nhận", adopts it with one button and a confirmation, and lands on the adoption record.
The screenshots go to docs/screenshots under ``make screenshots``, else a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from playwright.sync_api import expect

from tests.e2e.test_web import CHROMIUM, done, go, open_as, shot, wait
from tests.support.awards_world import FIELDS, MARKS
from tests.support.gateway_system import running, wait_caught_up, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

NAME = "Cải tiến quy trình tiếp nhận hồ sơ đoàn viên"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The small province; CS-1's SK-01 recognised on 10/02/2026, and an unrelated one too."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-similar"), amqp, pg) as system:
        w = with_province(system)
        council = [w.people[x] for x in "ABC"]
        recognised = {}
        for reference, name in (("SK-01", NAME), ("SK-02", "Sổ tay an toàn lao động điện tử")):
            initiative = system.call("d", "initiatives", "register", w.unions["CS-1"], reference,
                                     "initiative", {**FIELDS, "name": name},
                                     [{"person_id": w.people["D"], "share": 100}], "2026-01-05")
            system.call("a", "initiatives", "constitute_council", initiative, council,
                        "2026-01-20", "Thành lập hội đồng", "05/QĐ-CĐCS")
            system.call("a", "initiatives", "record_evaluation", initiative, "2026-02-01",
                        dict.fromkeys(council, MARKS), dict.fromkeys(council, "for"), "BB-01")
            system.call("a", "initiatives", "recognise", initiative, "2026-02-10",
                        "Đạt các tiêu chí", f"1{reference[-1]}/QĐ-CĐCS")
            recognised[reference] = initiative
        wait_caught_up(system)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "recognised": recognised}
            finally:
                browser.close()


def test_r3_8_registering_shows_similar_recognised_initiatives_and_adopts_one_in_one_step(
        world: dict[str, Any]) -> None:
    page = open_as(world, "f")
    go(page, "#/register", "register")
    card = page.locator("#register #similar")
    expect(card).to_be_hidden()
    page.fill('#register [name="fields.name"]', "Cai tien quy trinh tiep nhan")  # no tone marks
    wait(page, "#similar:not([hidden]) .similar-item")
    items = card.locator(".similar-item")
    expect(items).to_have_count(1)  # the unrelated recognised one is not shown
    text = items.first.inner_text()
    assert NAME in text and "Công đoàn cơ sở Trường Tiểu học Càng Long" in text, text
    assert "Công nhận năm 2026 (10/02/2026)" in text and "Cấp công nhận: Cơ sở" in text, text
    assert "Sáng kiến tương tự đã được công nhận" in card.inner_text()
    shot(page, "05b-register-similar-recognised")
    items.first.locator("button.adopt").click()
    confirm = items.first.locator(".similar-confirm")
    expect(confirm).to_be_visible()
    confirm.locator("input.adopt-on").fill("01/03/2026")
    shot(page, "05c-register-similar-adopt-confirm")
    confirm.locator("button.adopt-confirm").click()
    wait(page, "main[data-screen=replication] #replication")
    assert "01/03/2026" in page.locator("#replication").inner_text()
    initiative = world["recognised"]["SK-01"]
    assert page.url.endswith(f"#/replication/{initiative}")
    record = world["system"].call("f", "initiatives", "get_replication", initiative,
                                  world["w"].unions["CS-2"])
    assert record["adopted_on"] == "2026-03-01" and "Cai tien quy trinh" in record["note"]
    # registering again: the match now says the union has adopted it, no second button
    go(page, "#/register", "register")
    page.fill('#register [name="fields.name"]', "cải tiến quy trình tiếp nhận hồ sơ")
    wait(page, "#similar:not([hidden]) .similar-item")
    expect(page.locator("#similar button.adopt")).to_have_count(0)
    expect(page.locator("#similar a", has_text="Đơn vị đã áp dụng sáng kiến này")).to_have_count(1)
    done(page)
