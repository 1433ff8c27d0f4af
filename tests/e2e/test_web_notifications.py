"""The bell and the notifications screen in headless Chromium, against the whole system with
a real SMTP server (aiosmtpd) and the clock fixed at 30/06/2026: two initiatives registered at
CS-1 whose 3-month limits fall on 20/06/2026 (passed) and 05/07/2026 (within the week) reach
A, who sits on CS-1's executive committee, once each, in the app and by e-mail; A reads one
and the bell counts one.

Screenshots go to ``$EMU_SCREENSHOTS`` when it is set, else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api  # a pinned requirement: missing, the test fails
import pytest
from playwright.sync_api import expect

from tests.support.gateway_system import PASSWORD, running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.mailserver import MailServer
from tests.support.processes import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

playwright_api.expect.set_options(timeout=30_000)
CHROMIUM = os.environ.get("EMU_CHROMIUM", "/usr/bin/chromium")
LAPTOP = {"width": 1280, "height": 860}
FIELDS = {"objective": "Giảm thời gian tra cứu", "implementation_steps": "Khảo sát; xây dựng; áp dụng",
          "scope_feasibility_time": "Toàn trường, từ quý III/2026",
          "expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    with MailServer() as mail, fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-notify"), amqp, pg,
                    env={**mail.env(), "EMU_NOTIFY_INTERVAL": "1"}) as system:
        w = with_province(system)
        system.call("a", "notifications", "set_email", True, "an.nguyen@congdoan.example")
        for reference, on in (("SK-21", "2026-03-20"), ("SK-22", "2026-04-05")):
            system.call("d", "initiatives", "register", w.unions["CS-1"], reference, "initiative",
                        {"name": f"Sổ tay điện tử đoàn viên {reference}", **FIELDS},
                        [{"person_id": w.people["D"], "share": 100}], on)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "shots": shots, "mail": mail}
            finally:
                browser.close()


def test_r3_4_the_committee_member_is_told_once_in_the_app_and_by_mail_and_reads_it(
        world: dict[str, Any]) -> None:
    system, mail = world["system"], world["mail"]
    eventually(lambda: len(mail.box.messages) >= 2, timeout=60, what="two mails to A")
    subjects = sorted(str(m["Subject"]) for m in mail.box.messages)
    assert subjects == ["[Sắp đến hạn] Hạn xét công nhận sáng kiến (3 tháng) — hạn 05/07/2026",
                        "[Đến hạn] Hạn xét công nhận sáng kiến (3 tháng) — hạn 20/06/2026"]
    assert {m["To"] for m in mail.box.messages} == {"an.nguyen@congdoan.example"}
    context = world["browser"].new_context(viewport=LAPTOP, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(system.base_url + "/")
    page.wait_for_selector("#login")
    page.fill("#f-username", "a")
    page.fill("#f-password", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("main[data-screen=dashboard]")
    expect(page.locator("#bell-count")).to_have_text("2")
    page.click("#bell")
    page.wait_for_selector("main[data-screen=notifications] #notification-list")
    cards = page.locator(".notification")
    expect(cards).to_have_count(2)  # each deadline once
    expect(page.locator("#unread-summary")).to_contain_text("Chưa đọc: 2 / 2")
    expect(cards.first).to_contain_text("Thời hạn:")
    expect(page.locator("main")).to_contain_text("20/06/2026")
    expect(page.locator("main")).to_contain_text("Đã gửi thư")
    page.screenshot(path=str(world["shots"] / "notifications.png"), full_page=True)
    page.locator(".notification.unread button").first.click()
    expect(page.locator(".notification.read")).to_have_count(1)
    expect(page.locator("#bell-count")).to_have_text("1")
    expect(page.locator("#unread-summary")).to_contain_text("Chưa đọc: 1 / 2")
    page.screenshot(path=str(world["shots"] / "notifications-read.png"), full_page=True)
    # the member D, no committee member, has none; the bell shows no count
    mine = system.call("d", "notifications", "my_notifications")
    assert mine == {"unread": 0, "items": [], "total": 0, "offset": 0, "limit": 50}
    assert len(mail.box.messages) == 2  # nothing sent twice meanwhile
    assert not errors, errors
    context.close()
