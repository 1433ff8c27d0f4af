"""The screens of an award's grounds in the browser (R4.4, R4.5, R5.1): the proceedings of a
nomination, step by step, and the events an award decision rests on, reached through the menu
and the links of the award and audit pages by the roles that follow decisions — the standing
committees of the upper union and of the province, and the auditor — and not offered to a
union official. The movement year of ``tests.support.awards_world`` is made through the API,
up to the province's Bằng khen for D (99/QĐ-LĐLĐ of 10/04/2026, after one dossier returned).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from playwright.sync_api import expect

from tests.e2e.test_web import CHROMIUM, LAPTOP, PHONE, done, wait
from tests.e2e.test_web_screens import menu, open_entry
from tests.support.awards_world import movement_year, pdf, to_the_province
from tests.support.gateway_system import PASSWORD, running, wait_caught_up, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The small province, its 2025 and D's awards up the tree, made through the API; logins
    for an official of CS-1 (``b``) and the province's auditor (``kiemtoan``)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("awards-shots"))
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-awards"), amqp, pg) as system:
        w = with_province(system)
        system.make_user("b", [("official", w.unions["CS-1"])], w.people["B"])
        system.make_user("e", [("member", w.unions["CS-1"])], w.people["E"])
        system.make_user("kiemtoan", [("auditor", w.unions["TV"])])

        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return system.call(letter.lower(), service, method, *args, **kwargs)

        m = movement_year(call, w)
        wait_caught_up(system)
        ids = to_the_province(call, m)
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "m": m, "browser": browser, "ids": ids,
                       "shots": shots}
            finally:
                browser.close()


def open_as(world: dict[str, Any], login: str, viewport: dict[str, int] = LAPTOP) -> Any:
    context = world["browser"].new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(world["system"].base_url + "/")
    wait(page, "#login")
    page.fill("#f-username", login)
    page.fill("#f-password", PASSWORD)
    page.click("#login button[type=submit]")
    wait(page, "main[data-screen=dashboard]")
    return page


def shot(world: dict[str, Any], page: Any, name: str) -> None:
    page.screenshot(path=str(world["shots"] / f"{name}.png"), full_page=True)


def follow(page: Any, selector: str, screen: str) -> None:
    page.evaluate("document.querySelector('main').removeAttribute('data-screen')")
    page.click(selector)
    wait(page, f"main[data-screen={screen}]")


def readable(text: str) -> None:
    """What a person reads: no record id, no ISO date, no code of an object."""
    assert not UUID.search(text), UUID.search(text)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    assert "[object Object]" not in text and "undefined" not in text


def test_r4_4_r4_5_the_province_follows_a_nomination_step_by_step_from_the_award(
        world: dict[str, Any], tmp_path: Path) -> None:
    system, ids = world["system"], world["ids"]
    page = open_as(world, "h")
    menu(page, "Thi đua, khen thưởng", "awards")
    follow(page, "#awards a:has-text('99/QĐ-LĐLĐ')", "award")
    follow(page, "#award a.proceedings-link", "proceedings")
    assert page.evaluate("location.hash") == f"#/proceedings/{ids['nominations'][2]}"
    steps = page.locator("#steps li")
    shown = [s.get_attribute("data-event") for s in steps.all()]
    held = system.call("h", "awards", "proceedings", ids["nominations"][2])["steps"]
    assert shown == [f"{s['record']}.{s['event']}" for s in held]
    assert shown[0] == "Attestation.Attested" and shown[-1] == "Award.Decided"
    # the selection meeting of Càng Long's standing committee, with its vote
    meeting = page.locator("#steps li[data-event='SelectionMeeting.Held']")
    assert meeting.locator("b").first.inner_text().startswith("16/03/2026 · Họp bình xét")
    assert "1 tán thành" in meeting.inner_text() and "được chọn" in meeting.inner_text()
    with page.expect_download() as download:  # R4.4 (3): its minutes extract, as PDF
        meeting.locator("button[data-minutes]").click()
    printed = tmp_path / "minutes.pdf"
    download.value.save_as(printed)
    minutes = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(printed), "-"], check=True,
                                                  capture_output=True, text=True).stdout)
    assert "TRÍCH BIÊN BẢN" in minutes and "Càng Long, ngày 16 tháng 3 năm 2026" in minutes, minutes
    # the dossier returned by the province, what it asked for, and by whom
    returned = page.locator("#steps li[data-event='Submission.Returned']")
    assert returned.locator("b").inner_text() == "25/03/2026 · Trả lại hồ sơ để bổ sung"
    assert "Quyết định công nhận sáng kiến" in returned.inner_text()
    assert "Bổ sung bản sao quyết định công nhận sáng kiến" in returned.inner_text()
    # the decision: the date, the number, who signed it in which seat
    decided = page.locator("#steps li[data-event='Award.Decided']")
    text = decided.inner_text()
    assert text.startswith("10/04/2026 · Quyết định khen thưởng"), text
    assert "99/QĐ-LĐLĐ" in text and "Lâm Thị Hạnh" in text
    assert "Ban Thường vụ Liên đoàn Lao động tỉnh Trà Vinh" in text
    assert "Thạch Thị Sa Rai" in page.locator("#nomination").inner_text()
    readable(page.locator("main").inner_text())
    shot(world, page, "awards-proceedings")
    # the lower union's nomination it carried: its own proceedings, one link away
    follow(page, "#nomination a.proceedings-link", "proceedings")
    assert page.evaluate("location.hash") == f"#/proceedings/{ids['nominations'][1]}"
    assert "08/03/2026 · Trình hồ sơ" in page.locator("#steps").inner_text()
    assert "03/TTr-CĐCS" in page.locator("#steps").inner_text()
    # in English too, with the same dd/mm/yyyy dates
    page.click("#lang")
    wait(page, "h2:has-text('Steps taken')")
    assert "08/03/2026 · " in page.locator("#steps").inner_text()
    assert page.locator("#nav details summary").first.inner_text() == "Movement"
    readable(page.locator("main").inner_text())
    shot(world, page, "awards-proceedings-en")
    page.click("#lang")
    done(page)


def test_r4_5_r5_1_the_award_page_opens_the_events_the_decision_rests_on(
        world: dict[str, Any]) -> None:
    system, m, ids = world["system"], world["m"], world["ids"]
    page = open_as(world, "h")
    menu(page, "Thi đua, khen thưởng", "awards")
    follow(page, "#awards a:has-text('99/QĐ-LĐLĐ')", "award")
    follow(page, "#cited-link", "cited")
    rows = page.locator("#cited tbody tr")
    assert rows.count() >= 2
    nomination = system.call("h", "awards", "get_nomination", ids["nominations"][2])
    cited = set(UUID.findall(str(nomination["evaluation"])))
    events = system.call("h", "awards", "cited_events", sorted(cited))
    events = events["items"] if isinstance(events, dict) else events
    assert rows.count() == len(events) > 0
    kinds = page.locator("#cited [data-kind]").all_inner_texts()
    assert "Sáng kiến được công nhận" in kinds and "Báo cáo kết quả áp dụng sáng kiến" in kinds
    recognised = rows.filter(has_text="Sáng kiến được công nhận").first
    on = next(e["on"] for e in events if e["name"] == "initiatives.recognised")
    assert f"{on[8:10]}/{on[5:7]}/{on[:4]}" in recognised.inner_text()
    assert "Thạch Thị Sa Rai" in recognised.inner_text()
    readable(page.locator("main").inner_text())
    shot(world, page, "awards-cited")
    follow(page, "#cited tbody tr:has-text('Sáng kiến được công nhận') a", "initiative")
    assert page.evaluate("location.hash") == f"#/initiative/{m.initiatives['SK-01']}"
    done(page)


def test_r5_1_the_auditor_reaches_the_grounds_from_the_audit_list(world: dict[str, Any]) -> None:
    page = open_as(world, "kiemtoan")
    menu(page, "Kiểm tra quyết định", "audit")
    follow(page, "#decisions tr:has-text('99/QĐ-LĐLĐ') a:has-text('Xem quyết định')", "award")
    follow(page, "#cited-link", "cited")
    assert page.locator("#cited tbody tr").count() > 0
    follow(page, "#awardees a.proceedings-link", "proceedings")
    assert "10/04/2026 · Quyết định khen thưởng" in page.locator("#steps").inner_text()
    done(page)


def test_r4_4_the_upper_union_follows_the_nomination_it_carried_from_its_awards_page(
        world: dict[str, Any]) -> None:
    page = open_as(world, "g")
    menu(page, "Thi đua, khen thưởng", "awards")
    assert "Thạch Thị Sa Rai" in page.locator("#nominations tr", has_text="Bằng khen").inner_text()
    follow(page, "#nominations tr:has-text('Bằng khen') a.proceedings-link", "proceedings")
    steps = page.locator("#steps").inner_text()
    assert "15/03/2026 · Đề nghị khen thưởng" in steps and "Huỳnh Văn Giàu" in steps
    readable(page.locator("main").inner_text())
    # what CS-1 proposed to Càng Long, from the upper union's page: CS-1's committee meeting
    menu(page, "Đơn vị cấp dưới", "upper")
    follow(page, "#nominations-to-us a.proceedings-link", "proceedings")
    meeting = page.locator("#steps li[data-event='SelectionMeeting.Held']").inner_text()
    assert meeting.startswith("07/03/2026 · Họp bình xét") and "3 tán thành" in meeting
    assert "Nguyễn Văn An" in meeting
    done(page)


def test_r5_2_an_official_sees_no_link_to_the_proceedings_of_an_award(world: dict[str, Any]) -> None:
    system, ids = world["system"], world["ids"]
    page = open_as(world, "b")
    assert page.locator("#nav a:text-is('Thi đua, khen thưởng')").count() == 0
    page.evaluate("document.querySelector('main').removeAttribute('data-screen'); "
                  f"location.hash = '#/award/{ids['grassroots_award']}'")
    wait(page, "main[data-screen=award] #award")
    assert "05/QĐ-CĐCS" in page.locator("main h1").inner_text()
    assert page.locator("a.proceedings-link, #cited-link").count() == 0
    # the committee of the same union is offered both
    committee = open_as(world, "a")
    committee.evaluate(f"location.hash = '#/award/{ids['grassroots_award']}'")
    wait(committee, "main[data-screen=award] #cited-link")
    assert committee.locator("a.proceedings-link").count() == 1
    assert system.call("a", "awards", "get_award", ids["grassroots_award"])["number"] == "05/QĐ-CĐCS"
    done(committee)
    done(page)


def test_r5_2_the_menu_groups_open_by_keyboard_and_show_each_role_its_own(
        world: dict[str, Any]) -> None:
    page = open_as(world, "h")
    groups = page.locator("#nav details summary").all_inner_texts()
    assert groups[:3] == ["Phong trào", "Sáng kiến", "Khen thưởng"] and "Quản trị" not in groups
    assert page.locator("#nav a:text-is('Thi đua, khen thưởng')").is_hidden()
    page.focus("#nav details[data-group=awards] summary")
    page.keyboard.press("Enter")
    link = page.locator("#nav a:text-is('Thi đua, khen thưởng')")
    link.wait_for(state="visible")
    shot(world, page, "awards-menu-open")
    page.keyboard.press("Escape")
    link.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Khen thưởng"
    open_entry(page, "a:text-is('Xếp loại cấp dưới')")
    assert page.locator("#nav details[open]").count() == 1  # one group open at a time
    done(page)
    auditor = open_as(world, "kiemtoan")
    assert auditor.locator("#nav details summary").all_inner_texts() == ["Kiểm tra, giám sát"]
    done(auditor)
    phone = open_as(world, "h", PHONE)
    phone.click("#menu-toggle")
    open_entry(phone, "a:text-is('Thi đua, khen thưởng')")
    shot(world, phone, "awards-menu-phone")
    done(phone)


def test_r5_1_the_auditor_checks_every_store_keeps_a_checkpoint_and_compares_it(
        world: dict[str, Any], tmp_path: Path) -> None:
    """The integrity screen: each store's hash chain recomputed as a job (all intact, the
    progress counted to the last event), a checkpoint downloaded and compared again (the log
    still leads to it; an altered one does not), the read models rebuilt aside and compared
    as jobs, and the award's record over time."""
    system, ids = world["system"], world["ids"]
    page = open_as(world, "kiemtoan")
    menu(page, "Kiểm tra toàn vẹn dữ liệu", "integrity")
    rows = page.locator("#chains tbody tr")
    assert rows.count() == 5
    expect(page.locator("#chains [data-progress=awards]")).to_have_text("Chưa kiểm tra")
    page.click("#chains-run")
    expect(page.locator("#chains [data-ok]")).to_have_count(5, timeout=120_000)
    assert page.locator("#chains [data-ok=true]").count() == 5, page.locator("#chains").inner_text()
    awards_events = system.call("kiemtoan", "awards", "chain_checkpoint")["position"]
    shown = page.locator("#chains [data-progress=awards]").inner_text()
    counted = re.fullmatch(r"Đã kiểm tra ([\d.]+)/\1 sự kiện", shown)
    assert counted, shown
    assert 0 < int(counted.group(1).replace(".", "")) <= awards_events
    expect(page.locator("#chains-stop")).to_be_hidden()
    awards_head = system.call("kiemtoan", "awards", "chain_checkpoint")
    with page.expect_download() as download:
        page.click("#chains button[data-store=awards]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    kept = json.loads(saved.read_text())
    assert (kept["service"], kept["position"], kept["link"]) == (
        "awards", awards_head["position"], awards_head["link"])
    page.set_input_files("#checkpoint input[type=file]", str(saved))
    page.click("#checkpoint button[type=submit]")
    expect(page.locator("#checkpoint-result .ok")).to_contain_text("vẫn dẫn tới điểm kiểm tra")
    # a checkpoint whose link is not the one the log leads to: the chain was rewritten
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps({**kept, "link": "0" * 64}))
    page.set_input_files("#checkpoint input[type=file]", str(forged))
    page.click("#checkpoint button[type=submit]")
    expect(page.locator("#checkpoint-result [data-ok=false]")).to_contain_text(
        "không còn dẫn tới điểm kiểm tra")
    # a file that is no checkpoint: refused beside the field, nothing asked of the stores
    junk = tmp_path / "junk.json"
    junk.write_text("{}")
    page.set_input_files("#checkpoint input[type=file]", str(junk))
    page.click("#checkpoint button[type=submit]")
    expect(page.locator("#checkpoint .row[data-field=checkpoint] .field-error")).to_contain_text(
        "không phải là điểm kiểm tra")
    page.click("#replay-run")
    expect(page.locator("#replay-result [data-ok]")).to_have_count(5, timeout=120_000)
    replayed = page.locator("#replay-result")
    assert replayed.locator("[data-ok=true]").count() == 5, replayed.inner_text()
    award = ids["grassroots_award"]
    page.select_option("#f-service", "awards")
    page.fill("#f-aggregate_id", award)
    page.click("#as-of button[type=submit]")
    expect(page.locator("#as-of-result table").first).to_contain_text("Quyết định khen thưởng")
    shot(world, page, "integrity")
    readable(" ".join(page.locator(s).first.inner_text()
                      for s in ("#chains", "#replay-result", "#as-of-result table")))
    assert not page.errors, page.errors
    done(page)


def test_r4_4_a_dossier_document_comes_back_as_it_was_attached(
        world: dict[str, Any], tmp_path: Path) -> None:
    """The province's standing committee downloads a document of Càng Long's dossier, its
    bytes checked against the hash recorded when it was attached."""
    ids = world["ids"]
    page = open_as(world, "h")
    page.evaluate(f"location.hash = '#/submission/{ids['submissions'][1]}'")
    wait(page, "main[data-screen=submission]")
    with page.expect_download() as download:
        page.click("#documents button:text-is('trich-bien-ban.pdf')")
    saved = tmp_path / "minutes.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == base64.b64decode(pdf("Trích biên bản họp bình xét"))
    assert not page.errors, page.errors
    done(page)
