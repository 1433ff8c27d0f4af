"""User administration in the browser (R5.2), in headless Chromium (Debian's ``chromium``)
against the whole system: an administrator makes a user, grants and takes away a role and
resets the password; the person signs in with the one-time password and is made to change
it before anything else; the administrator disables the account and the person's open
session stops at its next request.

Screenshots go to ``$EMU_SCREENSHOTS`` when it is set (to look at them), else to the test's
temporary folder: a plain run leaves the working tree as it found it.
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

from tests.e2e.test_web_screens import open_entry
from tests.support.gateway_system import ADMIN_PASSWORD, PASSWORD, System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

CHROMIUM = os.environ.get("EMU_CHROMIUM", "/usr/bin/chromium")
LAPTOP = {"width": 1280, "height": 860}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-users"), amqp, pg) as system:
        w = with_province(system)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "browser": browser, "shots": shots}
            finally:
                browser.close()


def wait(page: Any, selector: str) -> None:
    """Waits for the selector; on a timeout, fails with what the page shows (a refusal)."""
    try:
        page.wait_for_selector(selector)
    except playwright_api.TimeoutError:
        raise AssertionError(f"{selector} never showed; the page: "
                             f"{page.locator('main').inner_text()[:1500]}") from None


def signed_in(world: dict[str, Any], login: str, password: str,
              screen: str = "dashboard") -> Any:
    context = world["browser"].new_context(viewport=LAPTOP, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())  # "Khoá tài khoản này?" and the like
    page.errors = errors
    page.goto(world["system"].base_url + "/")
    sign_in(page, login, password)
    wait(page, f"main[data-screen={screen}]")
    return page


def sign_in(page: Any, login: str, password: str) -> None:
    wait(page, "#login")
    page.fill("#f-username", login)
    page.fill("#f-password", password)
    page.click("#login button[type=submit]")


def go(page: Any, hash_: str, screen: str) -> None:
    page.evaluate(f"document.querySelector('main').removeAttribute('data-screen'); "
                  f"location.hash = '{hash_}'")
    wait(page, f"main[data-screen={screen}]")


def shot(world: dict[str, Any], page: Any, name: str) -> None:
    world["shots"].mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(world["shots"] / f"{name}.png"), full_page=True)


def test_r5_2_an_administrator_makes_a_user_resets_the_password_and_disables_the_account(
        world: dict[str, Any]) -> None:
    system: System = world["system"]
    w = world["w"]
    admin = signed_in(world, "admin", ADMIN_PASSWORD)
    open_entry(admin, "a[href='#/users']").click()
    wait(admin, "main[data-screen=users] #users")
    assert admin.locator("main h1").inner_text() == "Người dùng"
    assert admin.locator("#users a[data-user=d]").count() == 1
    # search: "thach" finds Thạch Thị Sa Rai's login, without the diacritics
    admin.fill("#user-search input[name=q]", "thach")
    admin.click("#user-search button[type=submit]")
    wait(admin, "main[data-screen=users] #users")
    expect(admin.locator('#users a[data-user]')).to_have_count(1)
    assert admin.locator("#users").inner_text().count("Thạch Thị Sa Rai") == 1
    shot(world, admin, "users-01-list")

    # a new user: a member of CS-2, linked to Đỗ Thị Kiều
    go(admin, "#/users", "users")
    admin.fill("#new-user #f-username", "lan")
    admin.fill("#new-user #f-password", "ngắn")
    admin.select_option("#new-user #f-role", "member")
    admin.select_option("#new-user #f-union_id", w.unions["CS-2"])
    admin.fill("#f-person-q", "do thi kieu")
    admin.click("#new-user [data-field=person_id] button")
    expect(admin.locator("#f-person_id option").nth(1)).to_be_attached()
    admin.click("#new-user button[type=submit]")  # refused beside the field, in Vietnamese
    wait(admin, "#new-user .row.invalid[data-field=password]")
    assert admin.locator("#new-user [data-field=password] .field-error").inner_text() == \
        "Mật khẩu phải có từ 10 đến 200 ký tự."
    admin.fill("#new-user #f-password", PASSWORD)
    admin.click("#new-user button[type=submit]")
    wait(admin, "main[data-screen=user] #roles")
    assert "Đỗ Thị Kiều" in admin.locator("#user").inner_text()
    assert "Đoàn viên — Công đoàn cơ sở Bệnh viện huyện Càng Long" in \
        admin.locator("#roles").inner_text()
    # a second role, granted and taken away again
    admin.select_option("#grant #f-role", "official")
    admin.select_option("#grant #f-union_id", w.unions["CS-2"])
    admin.click("#grant button[type=submit]")
    expect(admin.locator('#roles [data-remove]')).to_have_count(2)
    assert "Cán bộ công đoàn — Công đoàn cơ sở Bệnh viện huyện Càng Long" in \
        admin.locator("#roles").inner_text()
    shot(world, admin, "users-02-user")
    admin.click(f"#roles [data-remove='official:{w.unions['CS-2']}']")
    expect(admin.locator('#roles [data-remove]')).to_have_count(1)
    admin.click("#roles [data-remove]")  # the last role: refused, with the reason
    wait(admin, "#user-message .form-error")
    assert admin.locator("#user-message").inner_text().startswith(
        "Mỗi tài khoản phải giữ ít nhất một vai trò")

    # the person signs in with the password the administrator gave, then a reset
    person = signed_in(world, "lan", PASSWORD)
    admin.click("#reset-password")
    wait(admin, "#one-time-password")
    once = admin.locator("#one-time-password").inner_text()
    assert len(once) >= 10
    shot(world, admin, "users-03-one-time-password")
    person.close()
    person = signed_in(world, "lan", once, screen="password")
    assert person.locator("#forced").is_visible()
    shot(world, person, "users-04-forced-change")
    go(person, "#/ideas", "password")  # nothing else until it is changed
    person.fill("#f-current_password", once)
    person.fill("#f-new_password", "mật-khẩu-của-lan-2026")
    person.fill("#f-confirm", "mật-khẩu-khác-2026")
    person.click("#change-password button[type=submit]")
    wait(person, "#change-password .row.invalid[data-field=confirm]")
    assert person.locator("[data-field=confirm] .field-error").inner_text() == \
        "Mật khẩu nhập lại không khớp."
    person.fill("#f-confirm", "mật-khẩu-của-lan-2026")
    person.click("#change-password button[type=submit]")
    wait(person, "main[data-screen=dashboard]")
    assert person.locator("#password-link").inner_text() == "Đổi mật khẩu"
    go(person, "#/password", "password")  # reachable from the header at any time
    assert person.locator("#forced").count() == 0
    shot(world, person, "users-05-change-password")
    go(person, "#/ideas", "ideas")

    # the administrator disables the account: the person's open session stops at once
    admin.reload()
    wait(admin, "main[data-screen=user] #disable")
    admin.click("#disable")
    wait(admin, "#user [data-state=disabled]")
    shot(world, admin, "users-06-disabled")
    person.evaluate("location.hash = '#/'")
    wait(person, "main[data-screen=login]")
    sign_in(person, "lan", "mật-khẩu-của-lan-2026")
    wait(person, "#login .form-error")
    assert person.locator("#login .form-error").inner_text().startswith("Tài khoản này đã bị khoá")
    shot(world, person, "users-07-disabled-sign-in")
    with system.http() as client:
        refused = client.post("/v1/auth/token", json={"username": "lan",
                                                      "password": "mật-khẩu-của-lan-2026"})
    assert refused.json()["code"] == "ACCOUNT_DISABLED"

    # English is one click away
    admin.click("#lang")
    wait(admin, "main[data-screen=user] #roles")
    assert admin.locator("#enable").inner_text() == "Enable the account"
    assert "Member — " in admin.locator("#roles").inner_text()
    shot(world, admin, "users-08-user-english")
    admin.click("#lang")
    for page in (admin, person):
        assert page.errors == [], page.errors
        page.context.close()
