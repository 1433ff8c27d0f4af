"""R1.5, R3.5 in headless Chromium against the whole system: CS-1 has an open registration;
it is merged into CS-2 from 01/06/2026; CS-2's executive committee (``f``) finds it in its
tracking book, marked "Tiếp nhận từ <CS-1> ngày 01/06/2026" with its original authors, and
opens it. The screenshot goes to docs/screenshots under ``make screenshots``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import playwright.sync_api as playwright_api
import pytest

from tests.e2e.test_web import CHROMIUM, done, go, open_as, shot, wait
from tests.support.awards_world import MARKS
from tests.support.gateway_system import AsAdministrator, running, wait_caught_up, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.unit.test_initiatives import FIELDS

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-successor"), amqp, pg) as system:
        w = with_province(system)
        council = [w.people[x] for x in "ABC"]
        initiative = system.call("d", "initiatives", "register", w.unions["CS-1"], "SK-01",
                                 "initiative", FIELDS,
                                 [{"person_id": w.people["D"], "share": 100}], "2026-01-05")
        system.call("a", "initiatives", "constitute_council", initiative, council,
                    "2026-01-20", "Thành lập hội đồng", "05/QĐ-CĐCS")
        system.call("a", "initiatives", "record_evaluation", initiative, "2026-02-01",
                    dict.fromkeys(council, MARKS), dict.fromkeys(council, "for"), "BB-01")
        AsAdministrator(system).merge_unions([w.unions["CS-1"]], "2026-06-01",
                                             into_union_id=w.unions["CS-2"])
        wait_caught_up(system)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "initiative": initiative}
            finally:
                browser.close()


def test_r1_5_r3_5_the_successors_book_shows_what_it_took_over_and_opens_it(
        world: dict[str, Any]) -> None:
    page = open_as(world, "f")
    go(page, "#/book", "book")
    row = page.locator("#book tr", has_text="SK-01")
    text = row.inner_text()
    assert FIELDS["name"] in text and "Thạch Thị Sa Rai (100%)" in text, text
    assert "Tiếp nhận từ Công đoàn cơ sở Trường Tiểu học Càng Long ngày 01/06/2026" in text, text
    shot(page, "04c-book-taken-over-after-a-merge")
    row.locator("a").first.click()
    wait(page, "main[data-screen=initiative]")
    assert FIELDS["name"] in page.locator("main").inner_text()
    done(page)
