"""The public register in the browser, without signing in (R4.5, R5.2; Law 06/2022/QH15:
awards and recognised initiatives are public): reached from the sign-in screen's link, it
lists the decisions with Vietnamese labels and dd/mm/yyyy dates, shows a revoked award as
"Đã thu hồi" with the revoking decision, searches without diacritics, links each signed PDF
and the open-data files, under the gateway's content security policy (no inline script)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import playwright.sync_api as playwright_api
import pytest

from tests.e2e.test_web import CHROMIUM, LAPTOP, PHONE, done, shot, wait
from tests.e2e.test_web_text import AXE, AXE_RUN, VISIBLE_TEXT, codes_in
from tests.support.awards_world import movement_year, to_the_province
from tests.support.gateway_system import running, wait_caught_up, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-public"), amqp, pg) as system:
        w = with_province(system)
        system.make_user("e", [("member", w.unions["CS-1"])], w.people["E"])

        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return system.call(letter.lower(), service, method, *args, **kwargs)

        m = movement_year(call, w)
        wait_caught_up(system)
        ids = to_the_province(call, m)
        call("awards", "revoke_award", "A", ids["grassroots_award"], "2026-05-01",
             "false_declaration", "Kê khai thành tích không trung thực",
             {"certificate": True, "money_vnd": 500_000}, number="21/QĐ-CĐCS")
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "browser": browser}
            finally:
                browser.close()


def visit(world: dict[str, Any], viewport: dict[str, int] = LAPTOP) -> Any:
    context = world["browser"].new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def shown(page: Any, register: str) -> None:
    wait(page, f"main[data-screen=public-{register}]")


def refresh(page: Any, action: Any, register: str) -> None:
    page.evaluate("document.querySelector('main').removeAttribute('data-screen')")
    action()
    shown(page, register)


def test_r5_2_r4_5_anyone_reaches_the_register_from_the_sign_in_and_sees_a_revoked_award(
        world: dict[str, Any]) -> None:
    page = visit(world)
    page.goto(world["system"].base_url + "/")
    wait(page, "#login")
    page.click("text=Tra cứu công khai khen thưởng, sáng kiến")
    shown(page, "awards")
    rows = page.locator("#register tbody tr")
    assert rows.count() == 2
    text = page.locator("#register").inner_text()
    assert "Đã thu hồi" in text and "QĐ 21/QĐ-CĐCS ngày 01/05/2026" in text
    assert "Còn hiệu lực" in text and "10/04/2026" in text and "Bằng khen" in text
    assert not UUID.search(text) and not ISO_DATE.search(text)
    assert "undefined" not in text and "[object Object]" not in text
    assert page.locator("#page").inner_text() == "1–2 / 2"
    shot(page, "public-register-awards")
    # the PDF of each decision, and the open-data files of what is shown
    href = page.locator("#register tbody tr a", has_text="PDF").first.get_attribute("href")
    pdf = httpx.get(world["system"].base_url + href, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert page.locator("#export-csv").get_attribute("href") == "/public/api/awards.csv?"
    # a search without diacritics
    page.fill("#q", "bang khen")
    refresh(page, lambda: page.click("#filters button[type=submit]"), "awards")
    assert page.locator("#register tbody tr").count() == 1
    assert page.locator("#export-json").get_attribute("href") == \
        "/public/api/awards.json?q=bang+khen"
    assert "verify" in page.locator("#verify").inner_text()
    done(page)


def test_r4_5_the_recognised_initiatives_are_listed_by_scope_on_a_phone(
        world: dict[str, Any]) -> None:
    page = visit(world, PHONE)
    page.goto(world["system"].base_url + "/public.html#initiatives")
    shown(page, "initiatives")
    text = page.locator("#register").inner_text()
    assert "Sổ theo dõi đoàn viên điện tử" in text and "Phạm vi toàn tỉnh" in text
    assert "(60%)" in text and not ISO_DATE.search(text)
    assert page.locator("#register tbody tr").count() == 4  # SK-01 at three scopes, SK-02
    assert page.locator("nav.public-tabs a", has_text="Khen thưởng").is_visible()
    shot(page, "public-register-initiatives-phone")
    done(page)


@pytest.mark.parametrize("register", ["awards", "initiatives"])
def test_r5_2_the_public_register_shows_no_code_and_no_serious_accessibility_fault(
        world: dict[str, Any], register: str) -> None:
    """As every signed-in screen is read (``test_web_text``): no machine's word on screen and
    no serious or critical axe-core violation."""
    page = visit(world)
    page.route("**/__axe.js", lambda route: route.fulfill(path=str(AXE)))
    page.goto(world["system"].base_url + f"/public.html#{register}")
    shown(page, register)
    texts = page.evaluate(VISIBLE_TEXT)
    assert codes_in([t for t in texts if not t.startswith("python -m")]) == []
    page.add_script_tag(url="/__axe.js")
    assert page.evaluate(AXE_RUN) == []
    done(page)
