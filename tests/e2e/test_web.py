"""The web front end (issue 11) driven in headless Chromium (Debian's ``chromium``, never a
downloaded browser) against the whole system: every service, relay and the gateway as
processes on PostgreSQL and RabbitMQ. One system for the module; each test walks the main
path of one kind of user through the pages, checks what the page shows and what the API then
holds, and takes screenshots (kept under ``docs/screenshots/`` by ``make screenshots``).

The tests run in the order written: the movement year 2025 of ``tests.support.awards_world``
is made through the API first, then each role carries it one step further in the browser.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api  # a pinned requirement: missing, the test fails
import pytest

from gateway.messages import FIELD_PROBLEMS
from tests.support.awards_world import Movement, movement_year, pdf
from tests.support.gateway_system import PASSWORD, System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import eventually

# Playwright's assertions wait as long as its other waits: the machine may be loaded.
playwright_api.expect.set_options(timeout=30_000)

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

CHROMIUM = os.environ.get("EMU_CHROMIUM", "/usr/bin/chromium")
# Screenshots are kept under docs/screenshots only when asked (``make screenshots`` sets
# EMU_SCREENSHOTS=1); a plain run writes them to a temporary folder and leaves the working
# tree as it found it.
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("EMU_SCREENSHOTS")
         else Path(tempfile.gettempdir()) / "emu-screenshots")
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
UPSTREAM = ("registry", "initiatives", "reviews")


def caught_up(system: System, consumer: str = "awards") -> None:
    """Waits until ``consumer`` has processed everything its upstreams stored so far."""
    for source in UPSTREAM if consumer == "awards" else ("registry",):
        last = system.processes.call(source, "health")["last_notification"]
        if last:
            eventually(partial(lambda s, p: (system.processes.call(consumer, "processed", s) or 0) >= p,
                               source, last), what=f"{consumer} processed {source} up to {last}")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The system, the small province with a login per person who acts, and CS-1's year 2025
    (two initiatives recognised and applied, SK-01 up to the province) with D's individual
    nomination submitted by CS-1 to Càng Long: what the upper union finds when it signs in."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web"), amqp, pg) as system:
        w = with_province(system)
        for login, letter, role, code in (("b", "B", "official", "CS-1"), ("e", "E", "member", "CS-1")):
            system.make_user(login, [(role, w.unions[code])], w.people[letter])
        system.make_user("kiemtoan", [("auditor", w.unions["TV"])])

        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return system.call(letter.lower(), service, method, *args, **kwargs)

        m: Movement = movement_year(call, w)
        caught_up(system)
        cs1 = w.unions["CS-1"]
        call("awards", "attest", "A", cs1, "individual", w.people["D"], 2025, "2026-02-15",
             "Nội bộ đoàn kết, chấp hành tốt chủ trương, pháp luật", ["xac-nhan.pdf"])
        up = call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
                  "giay_khen_cap_tren", "Sáng kiến sổ theo dõi đoàn viên điện tử", "2026-03-06",
                  initiative_ids=[m.initiatives["SK-01"]])
        call("awards", "hold_selection", "A", cs1, "2026-03-07", [w.people[x] for x in "ABC"],
             {up["nomination_id"]: {"for": 3}}, "Họp BCH bình xét: 3/3 tán thành")
        to_cl = call("awards", "draft_submission", "A", cs1, 2025, [up["nomination_id"]], "2026-03-08")
        call("awards", "submit", "A", to_cl, "2026-03-08", "03/TTr-CĐCS")
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "m": m, "browser": browser,
                       "up": up["nomination_id"], "state": {}}
            finally:
                browser.close()


def open_as(world: dict[str, Any], login: str, viewport: dict[str, int] = LAPTOP) -> Any:
    """A fresh browser tab signed in through the sign-in page."""
    context = world["browser"].new_context(viewport=viewport, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # What the gateway's content security policy refuses is an error of the screen too.
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.errors = errors
    page.goto(world["system"].base_url + "/")
    wait(page, "#login")
    page.fill("#f-username", login)
    page.fill("#f-password", PASSWORD)
    page.click("#login button[type=submit]")
    wait(page, "main[data-screen=dashboard]")
    return page


def wait(page: Any, selector: str) -> None:
    """Waits for the selector; on a timeout, fails with what the page shows (a refusal)."""
    try:
        page.wait_for_selector(selector)
    except playwright_api.TimeoutError:
        raise AssertionError(f"{selector} never showed; the page: "
                             f"{page.locator('main').inner_text()[:1500]}") from None


def go(page: Any, hash_: str, screen: str) -> None:
    page.evaluate(f"document.querySelector('main').removeAttribute('data-screen'); "
                  f"location.hash = {json.dumps(hash_)}")
    wait(page, f"main[data-screen={screen}]")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def done(page: Any) -> None:
    assert page.errors == [], page.errors
    page.context.close()


def submit(page: Any, form: str) -> None:
    page.click(f"#{form} button[type=submit]")


def test_r3_1_a_member_raises_an_idea_in_the_browser_and_follows_it_as_the_team_coaches(
        world: dict[str, Any]) -> None:
    system = world["system"]
    page = open_as(world, "d")
    shot(page, "01-dashboard-member")
    go(page, "#/ideas", "ideas")
    # A field the API refuses shows, beside that field, what is wrong with it in Vietnamese.
    page.fill("#f-description", "Thay sổ giấy bằng mã QR ở phòng hồ sơ")
    # A date is typed dd/mm/yyyy whatever the browser's locale: a text field, not the
    # browser's own picker (mm/dd/yyyy in an English locale).
    date_input = page.locator("#f-raised_on")
    assert (date_input.get_attribute("type"), date_input.get_attribute("placeholder")) == (
        "text", "dd/mm/yyyy")
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", date_input.input_value())
    page.fill("#f-raised_on", "01/06/2026")
    submit(page, "raise-idea")
    error = page.locator('#raise-idea .row[data-field="title"] .field-error')
    error.wait_for()
    assert error.inner_text() in {FIELD_PROBLEMS[kind]["vi"]  # title is required
                                  for kind in ("missing", "string_too_short")}
    assert page.locator('#raise-idea .row[data-field="description"] .field-error').inner_text() == ""
    shot(page, "02-idea-field-error")
    page.fill("#f-title", "Mã QR cho hồ sơ đoàn viên")
    # A day that is not in the calendar is refused beside its field, in Vietnamese, and
    # nothing is sent.
    page.fill("#f-raised_on", "31/02/2026")
    submit(page, "raise-idea")
    error = page.locator('#raise-idea .row[data-field="raised_on"] .field-error')
    error.wait_for()
    wait(page, '#raise-idea .row[data-field="raised_on"] .field-error:has-text("dd/mm/yyyy")')
    assert error.inner_text().startswith("Ngày không hợp lệ")
    assert page.locator("main[data-screen=ideas]").count() == 1
    page.fill("#f-raised_on", "01/06/2026")
    submit(page, "raise-idea")
    wait(page, "main[data-screen=idea]")
    idea_id = page.evaluate("location.hash.split('/')[2]")
    held = system.call("d", "initiatives", "get_idea", idea_id)
    assert (held["title"], held["raised_on"]) == ("Mã QR cho hồ sơ đoàn viên", "2026-06-01")
    assert "01/06/2026" in page.locator("#idea").inner_text()
    # B, of the idea incubation team, finds it among the union's ideas and coaches it.
    team = open_as(world, "b")
    go(team, "#/ideas", "ideas")
    team.click("#union-ideas a:has-text('Mã QR cho hồ sơ đoàn viên')")
    wait(team, "#coach")
    team.fill("#f-text", "Nên làm thử ở tổ văn phòng trước, đo thời gian tra cứu")
    team.fill("#f-on", "2026-06-05")
    submit(team, "coach")
    wait(team, "#comments .comment")
    done(team)
    comments = system.call("d", "initiatives", "get_idea", idea_id)["comments"]
    assert comments[0]["text"].startswith("Nên làm thử")
    # D follows the idea: listed as theirs with one comment, the comment on its page, on a phone.
    phone = open_as(world, "d", PHONE)
    go(phone, "#/ideas", "ideas")
    row = phone.locator("#my-ideas tr", has_text="Mã QR cho hồ sơ đoàn viên")
    assert row.locator("td").nth(3).inner_text() == "1"
    row.locator("a").click()
    wait(phone, "#comments .comment")
    assert "Nên làm thử ở tổ văn phòng" in phone.locator("#comments").inner_text()
    shot(phone, "03-idea-followed-phone")
    # English is one click away; the refusal then comes in English too.
    phone.click("#lang")
    wait(phone, "h2:has-text('Comments')")
    done(phone)
    done(page)


def test_r3_2_to_r3_6_the_grassroots_committee_designs_its_form_registers_recognises_and_proposes(
        world: dict[str, Any], tmp_path: Path) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "a")
    go(page, "#/form", "form")
    page.fill("#f-code", "bo_phan_ap_dung")
    page.fill("#f-label", "Bộ phận áp dụng")
    page.check('#design-form input[name=required]')
    page.fill("#f-effective_on", "2026-03-01")
    page.fill("#f-reason", "Bổ sung trường theo Nghị quyết BCH")
    submit(page, "design-form")
    wait(page, "#form-fields td:has-text('bo_phan_ap_dung')")
    shot(page, "04-registration-form-design")
    assert system.call("a", "initiatives", "get_form", w.unions["CS-1"])["version"] == 2
    go(page, "#/register", "register")
    values = {"reference": "SK-W1", "fields.name": "Sổ tay công đoàn điện tử",
              "fields.objective": "Tra cứu chính sách nhanh",
              "fields.implementation_steps": "Số hoá; thử nghiệm; áp dụng",
              "fields.scope_feasibility_time": "Toàn trường, từ tháng 4/2026",
              "fields.expected_effectiveness": "Tiết kiệm 100 giờ công mỗi năm"}
    for name, value in values.items():
        page.fill(f'#register [name="{name}"]', value)
    page.select_option('#register [name="author0"]', w.people["D"])
    page.fill('#register [name="share0"]', "100")
    page.fill("#f-registered_on", "2026-04-01")
    submit(page, "register")  # the new required field is missing: the API names it
    error = page.locator('#register .row[data-field="fields.bo_phan_ap_dung"] .field-error')
    error.wait_for()
    assert error.inner_text() != "" and page.locator("main[data-screen=register]").count() == 1
    page.fill('#register [name="fields.bo_phan_ap_dung"]', "Tổ văn phòng")
    shot(page, "05-register-initiative")
    submit(page, "register")
    wait(page, "main[data-screen=initiative] #council")
    initiative = page.evaluate("location.hash.split('/')[2]")
    page.fill("#council #f-on", "2026-04-05")
    page.fill("#council #f-reason", "Thành lập hội đồng xét sáng kiến")
    page.fill("#council #f-number", "07/QĐ-CĐCS")
    submit(page, "council")
    wait(page, "#evaluation")
    page.fill("#evaluation #f-on", "2026-04-10")
    submit(page, "evaluation")
    wait(page, "#recognise")
    page.fill("#recognise #f-decided_on", "2026-04-15")
    page.fill("#recognise #f-reason", "Đạt các tiêu chí của sáng kiến")
    page.fill("#recognise #f-number", "15/QĐ-CĐCS")
    page.fill("#recognise #f-evidence", "bien-ban-hoi-dong.pdf")
    submit(page, "recognise")
    wait(page, "#application")
    page.fill("#application #f-applied_from", "2026-04-16")
    page.fill("#application #f-benefit", "Giảm 70% thời gian tra cứu")
    page.fill("#application #f-value_saved_vnd", "15000000")
    page.fill("#application #f-reported_on", "2026-05-01")
    submit(page, "application")
    wait(page, "#initiative :text('15.000.000')")
    page.fill("#propose #f-proposed_on", "2026-05-02")
    page.fill("#propose #f-reason", "Hiệu quả cao, đề nghị nhân rộng")
    submit(page, "propose")
    wait(page, "#proposal:has-text('Cấp trên trực tiếp')")
    shot(page, "06-initiative-recognised-proposed")
    with page.expect_download() as download:  # the recognition decision, as PDF
        page.click("#recognition-documents button[data-scope=grassroots] >> nth=0")
    printed = tmp_path / "recognition.pdf"
    download.value.save_as(printed)
    text = subprocess.run(["pdftotext", str(printed), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "15/QĐ-CĐCS" in text and "Về việc công nhận sáng kiến" in text, text[:400]
    held = system.call("a", "initiatives", "get_initiative", initiative)
    assert (held["status"], held["fields"]["bo_phan_ap_dung"], held["value_saved_vnd"]) == (
        "recognised", "Tổ văn phòng", 15_000_000)
    assert held["proposal"]["to_union_id"] == w.unions["TV-CL"]
    # The tracking book shows it; its Excel export is the book the API holds.
    go(page, "#/book", "book")
    row = page.locator("#book tr", has_text="SK-W1")
    assert "Sổ tay công đoàn điện tử" in row.inner_text() and "Được công nhận" in row.inner_text()
    shot(page, "07-tracking-book")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    path = tmp_path / "book.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook
    sheet = load_workbook(path).active
    names = [r[1] for r in list(sheet.values)[1:]]
    assert "Sổ tay công đoàn điện tử" in names and len(names) == 3
    done(page)


def test_r2_6_r4_3_r4_4_the_upper_union_sees_what_came_up_classifies_nominates_and_submits_a_complete_dossier(
        world: dict[str, Any], tmp_path: Path) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "g")
    go(page, "#/upper", "upper")
    # CS-2 did nothing in 2025: its reviews are overdue; CS-1's submission is listed.
    assert "Bệnh viện huyện Càng Long" in page.locator("#overdue").inner_text()
    assert "Trường Tiểu học Càng Long" in page.locator("#submissions-to-us").inner_text()
    page.select_option("#classify #f-union_id", w.unions["CS-2"])
    page.fill("#classify #f-year", "2025")
    page.fill("#classify #f-classified_on", "2026-02-12")
    page.fill("#classify #f-appraised_score", "62")
    page.fill("#classify #f-findings", "Chưa tổ chức sơ kết, tổng kết phong trào")
    submit(page, "classify")
    wait(page, "#classify .ok")
    shot(page, "08-upper-union")
    assert system.call("g", "reviews", "get_classification", w.unions["CS-2"], 2025)["grade"]
    go(page, "#/awards", "awards")
    page.select_option("#nominate #f-carries", world["up"])
    page.select_option("#nominate #f-form", "bang_khen_tinh")
    page.fill("#nominate #f-year", "2025")
    page.fill("#nominate #f-achievement", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh")
    page.fill("#nominate #f-nominated_on", "2026-03-15")
    submit(page, "nominate")
    wait(page, "#nominations td:has-text('Bằng khen')")
    page.fill("#selection #f-minutes", "Họp BTV bình xét: 1/1 tán thành")
    page.fill("#selection #f-held_on", "2026-03-16")
    submit(page, "selection")
    wait(page, "#selection .ok")
    carried = system.call("g", "awards", "nominations", union_id=w.unions["TV-CL"])["items"]
    assert len(system.call("g", "awards", "proceedings", carried[0]["nomination_id"])["meetings"]) == 1
    page.check("#draft input[name=nomination_ids]")
    page.fill("#draft #f-year", "2025")
    page.fill("#draft #f-drafted_on", "2026-03-17")
    submit(page, "draft")
    wait(page, "main[data-screen=submission] #attach")
    submission = page.evaluate("location.hash.split('/')[2]")
    assert len(page.locator("#dossier-check li").all()) >= 3
    shot(page, "09-dossier-incomplete")
    nomination = system.call("g", "awards", "get_submission", submission)["nomination_ids"][0]
    for kind, with_nomination in (("submission_letter", False), ("initiative_summary", True),
                                  ("recognition_decision", True), ("minutes_extract", False)):
        document = tmp_path / f"{kind}.pdf"
        document.write_bytes(base64.b64decode(pdf(kind)))
        page.select_option("#attach #f-kind", kind)
        page.select_option("#attach #f-nomination_id", nomination if with_nomination else "")
        page.set_input_files("#attach input[type=file]", str(document))
        page.fill("#attach #f-attached_on", "2026-03-18")
        submit(page, "attach")
        wait(page, f"#documents td:has-text('{kind}.pdf')")
    wait(page, "#dossier-check .ok")
    page.fill("#submit #f-submitted_on", "2026-03-18")
    page.fill("#submit #f-number", "15/TTr-LĐLĐ")
    submit(page, "submit")
    wait(page, "#submission .badge.submitted")
    shot(page, "10-dossier-submitted")
    held = system.call("g", "awards", "get_submission", submission)
    assert held["status"] == "submitted" and len(held["documents"]) == 4
    world["state"]["submission"] = submission
    done(page)


def test_r4_3_r4_5_the_province_decides_the_award_and_prints_the_decision(
        world: dict[str, Any], tmp_path: Path) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "h")
    go(page, "#/upper", "upper")
    assert "Càng Long" in page.locator("#submissions-to-us").inner_text()
    go(page, "#/awards", "awards")
    page.select_option("#decide #f-form", "bang_khen_tinh")
    page.check("#decide input[name=nomination_ids]")
    page.fill("#decide #f-number", "99/QĐ-LĐLĐ")
    page.fill("#decide #f-decided_on", "2026-04-10")
    page.fill("#decide #f-reason", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh")
    page.fill("#decide #f-evidence", "bien-ban-hop-btv.pdf")
    shot(page, "11-awards-decide")
    submit(page, "decide")
    wait(page, "main[data-screen=award]")
    award = page.evaluate("location.hash.split('/')[2]")
    assert "Lâm Thị Hạnh" not in page.locator("#award").inner_text()
    assert "Thạch Thị Sa Rai" in page.locator("#award").inner_text()
    shot(page, "12-award-decision")
    with page.expect_download() as download:
        page.click("#print-decision")
    printed = tmp_path / "decision.pdf"
    download.value.save_as(printed)
    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "99/QĐ-LĐLĐ" in text and "Trà Vinh, ngày 10 tháng 4 năm 2026" in text, text[:400]
    with page.expect_download() as download:
        page.click("#print-decision-docx")
    path = tmp_path / "decision.docx"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as docx:  # every run of text, nested tables included
        text = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
    assert "99/QĐ-LĐLĐ" in text, text[:400]
    held = system.call("h", "awards", "get_award", award)
    assert (held["number"], held["awardees"][0]["subject_id"]) == ("99/QĐ-LĐLĐ", w.people["D"])
    world["state"]["award"] = award
    done(page)


def test_r5_1_an_auditor_opens_the_decision_and_sees_its_timeline_the_tree_then_and_the_verification(
        world: dict[str, Any]) -> None:
    system = world["system"]
    award = world["state"]["award"]
    page = open_as(world, "kiemtoan")
    go(page, "#/audit", "audit")
    page.click("#decisions a:has-text('99/QĐ-LĐLĐ')")
    wait(page, "#timeline li")
    trail = system.call("kiemtoan", "audit", "decision_trail", award)
    shown = page.locator("#timeline li").all()
    assert len(shown) == len(trail["timeline"])
    assert [s.get_attribute("data-stage") for s in page.locator("#stages .badge").all()] == trail["stages"]
    assert {"idea", "registration", "recognition", "proposal", "dossier", "decision"} <= set(trail["stages"])
    assert page.locator("#verification [data-verified]").get_attribute("data-verified") == "true"
    tree = page.locator(".authority .tree-then").first.inner_text()
    assert "Liên đoàn Lao động tỉnh Trà Vinh" in tree
    assert page.locator(".authority [data-held]").first.get_attribute("data-held") == "true"
    shot(page, "13-audit-trail")
    done(page)


def test_r3_5_r4_3_r2_4_dashboards_chart_initiatives_awards_and_reviews_on_a_laptop_and_a_phone(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "h")
    go(page, "#/dashboard/2025", "dashboard")
    units = [w.unions[c] for c in ("TV", "TV-CL", "TV-CK", "CS-1", "CS-2", "CS-VP")]
    stats = system.call("h", "initiatives", "statistics", union_ids=units, year=2025)["items"]
    for series in ("registered", "recognised", "applied"):
        shown = page.locator(f'#kpis [data-kpi="{series}"] b').inner_text()
        assert int(shown) == sum(r[series] for r in stats) == 2
    bar = page.locator('#chart-units rect[data-group="CS-1"]').first
    assert bar.get_attribute("data-value") == "2"
    assert page.locator("#chart-reviews rect").count() == 3
    # The award of 10/4/2026 is for the year 2025's achievement: one at the province's level.
    awards_level = page.locator('#chart-awards rect[data-group="Tỉnh"]')
    assert awards_level.get_attribute("data-value") == "1"
    shot(page, "14-dashboard-province")
    done(page)
    phone = open_as(world, "g", PHONE)
    go(phone, "#/dashboard/2025", "dashboard")
    assert phone.locator("#chart-periods rect").count() == 16
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "15-dashboard-phone")
    done(phone)


def test_r5_2_the_api_documentation_renders_every_operation(world: dict[str, Any]) -> None:
    """/docs, the first link ``make run`` prints, renders the OpenAPI 3.1 document the gateway
    serves (vendored Swagger UI, no CDN, under the same content security policy) and lists
    every operation in it."""
    base = world["system"].base_url
    with world["system"].http() as client:
        document = client.get("/openapi.json").json()
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item
                  if method in {"get", "post", "put", "patch", "delete"}}
    context = world["browser"].new_context(viewport=LAPTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=60_000)
    assert page.locator(".information-container .title").inner_text().startswith(document["info"]["title"])
    shown = _operations_seen_scrolling(page)
    assert shown == operations, sorted(operations ^ shown)[:10]
    assert page.locator("text=Unable to render this definition").count() == 0
    assert errors == [], errors
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "api-docs")
    context.close()


def _operations_seen_scrolling(page: Any) -> set[tuple[str, str]]:
    """Every operation /docs draws, read as a reader scrolls from top to bottom: Swagger UI 5
    keeps only the operations near the screen in the page (``operations-virtual``) once a
    document has many, so what is in the page at any one moment is a window of them."""
    seen: set[tuple[str, str]] = set()
    page.evaluate("window.scrollTo(0, 0)")
    while True:
        page.wait_for_timeout(150)
        for method, path in page.evaluate("""() => Array.from(document.querySelectorAll('.opblock'))
            .map(o => [o.querySelector('.opblock-summary-method')?.innerText ?? '',
                       o.querySelector('.opblock-summary-path')?.innerText ?? ''])"""):
            seen.add((method.strip(), path.replace("\u200b", "").strip()))
        at_bottom = page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight - 2")
        if at_bottom:
            return seen
        page.evaluate("window.scrollBy(0, window.innerHeight * 0.8)")
