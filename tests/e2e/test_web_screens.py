"""The screens of the movement's year, the committees' decisions and the registry's records
(gateway/web/js/screens/), driven in headless Chromium against the whole system, as the
people who use them: CS-1's executive committee (``a``), CS-2's (``f``), Càng Long's
standing committee (``g``), the Policy–Law department of the province (``p``) and the
administrator. Each test walks one requirement's screens, checks what the page shows and
what the API then holds.

The year 2025 of ``tests.support.awards_world`` (CS-1 launched, reviewed, SK-01 recognised up
to the province) is made through the API first; 2026 is made here, in the browser. The tests
run in the order written. Screenshots go to ``EMU_SCREENSHOTS`` (a temporary directory by
default), to look at, not to keep.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from playwright.sync_api import expect

from tests.e2e.test_web import CHROMIUM, LAPTOP, done, go, submit, wait
from tests.support.awards_world import FIELDS, MARKS, movement_year
from tests.support.gateway_system import (
    ADMIN_PASSWORD,
    PASSWORD,
    running,
    wait_caught_up,
    with_province,
)
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The small province with its 2025 made through the API, a login for the Policy–Law
    department's head (``p``), an initiative and a topic of CS-1 waiting for a decision."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-screens"), amqp, pg) as system:
        w = with_province(system)
        system.make_user("p", [("official", w.unions["TV"])], w.people["P"])
        system.make_user("e", [("member", w.unions["CS-1"])], w.people["E"])

        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return system.call(letter.lower(), service, method, *args, **kwargs)

        m = movement_year(call, w)
        wait_caught_up(system)
        cs1, council = w.unions["CS-1"], [w.people[x] for x in "ABC"]
        waiting = {}
        for reference, kind, name in (("SK-26", "initiative", "Số hoá biên bản họp tổ"),
                                      ("DT-26", "topic", "Khảo sát đời sống đoàn viên")):
            waiting[reference] = call("initiatives", "register", "D", cs1, reference, kind,
                                      {"name": name, **FIELDS},
                                      [{"person_id": w.people["D"], "share": 100}], "2026-03-02")
        call("initiatives", "constitute_council", "A", waiting["DT-26"], council, "2026-03-10",
             "Thành lập hội đồng nghiệm thu đề tài", "09/QĐ-CĐCS")
        call("initiatives", "record_evaluation", "A", waiting["DT-26"], "2026-03-20",
             dict.fromkeys(council, MARKS), dict.fromkeys(council, "for"), "BB-02")
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield {"system": system, "w": w, "m": m, "browser": browser, "call": call,
                       "waiting": waiting, "shots": shots, "state": {}}
            finally:
                browser.close()


def open_as(world: dict[str, Any], login: str) -> Any:
    """A fresh tab signed in through the sign-in page (the administrator with its password)."""
    context = world["browser"].new_context(viewport=LAPTOP, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(world["system"].base_url + "/")
    wait(page, "#login")
    page.fill("#f-username", login)
    page.fill("#f-password", ADMIN_PASSWORD if login == "admin" else PASSWORD)
    page.click("#login button[type=submit]")
    wait(page, "main[data-screen=dashboard]")
    return page


def shot(world: dict[str, Any], page: Any, name: str) -> None:
    page.screenshot(path=str(world["shots"] / f"{name}.png"), full_page=True)


def menu(page: Any, label: str, screen: str) -> None:
    """Reaches a screen the way a person does: through the menu of the role, opening the
    group the entry is under first."""
    page.evaluate("document.querySelector('main').removeAttribute('data-screen')")
    open_entry(page, f"a:text-is('{label}')").click()
    wait(page, f"main[data-screen={screen}]")


def open_entry(page: Any, selector: str) -> Any:
    """The menu's entry ``selector`` (within the menu) made visible: its group (a disclosure
    menu) opened first."""
    link = page.locator("#nav").locator(selector)
    group = page.locator("#nav details", has=page.locator(selector))
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    link.wait_for(state="visible")
    return link


def fill_date(page: Any, selector: str, iso: str) -> None:
    """A date typed as the field takes it: an ISO date picker, or dd/mm/yyyy text."""
    if page.get_attribute(selector, "type") == "date":
        page.fill(selector, iso)
    else:
        year, month, day = iso.split("-")
        page.fill(selector, f"{day}/{month}/{year}")


def error_beside(page: Any, form: str, name: str) -> str:
    slot = page.locator(f'#{form} .row[data-field="{name}"] .field-error')
    slot.wait_for()
    expect(slot).not_to_have_text("")
    return str(slot.inner_text())


def saved(page: Any, form: str) -> None:
    wait(page, f"#{form} .ok")


def test_r2_1_r2_2_r2_3_the_grassroots_committee_launches_disseminates_and_signs_its_pledge(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    cs1 = w.unions["CS-1"]
    page = open_as(world, "a")
    menu(page, "Phát động, giao ước", "movement")
    page.fill("#launch #f-year", "2026")
    fill_date(page, "#launch #f-launched_on", "2026-01-06")
    page.fill("#launch #f-plan", "Mỗi tổ công đoàn đăng ký ít nhất một sáng kiến")
    page.fill("#launch #f-number", "01/KH-CĐCS")
    submit(page, "launch")
    wait(page, "#movement-year :text('06/01/2026')")
    page.fill("#dissemination #f-year", "2026")
    page.select_option("#dissemination #f-kind", "banner")
    fill_date(page, "#dissemination #f-held_on", "2026-01-08")
    page.fill("#dissemination #f-title", "Băng rôn hưởng ứng phong trào tại cổng trường")
    page.fill("#dissemination #f-audience", "Đoàn viên và người lao động")
    page.fill("#dissemination #f-reach", "120")
    submit(page, "dissemination")
    wait(page, "#movement-year td:text-is('1')")
    # R2.3: a pledge that commits to no target is refused, its reason beside the targets.
    page.fill("#pledge #f-year", "2026")
    fill_date(page, "#pledge #f-signed_on", "2026-01-10")
    page.fill("#pledge #f-content", "Giao ước thi đua năm 2026 thực hiện phong trào \"Đổi mới, sáng tạo, "
                                    "hiệu quả trong hoạt động của tổ chức Công đoàn\"")
    submit(page, "pledge")
    reason = page.locator('#pledge .row[data-field="items"] > .field-error')
    expect(reason).to_contain_text("ít nhất một chỉ tiêu")
    shot(world, page, "r2-3-pledge-refused")
    assert system.call("a", "reviews", "schedule", cs1, 2026)["pledge_signed_on"] is None
    page.select_option('#pledge [name="items.0.kind"]', "initiatives_registered")
    page.fill('#pledge [name="items.0.number"]', "10")
    page.fill("#pledge #f-commitments", "Mỗi đoàn viên một sáng kiến\n100% tổ công đoàn đăng ký")
    submit(page, "pledge")
    wait(page, "#movement-year :text('10/01/2026')")
    shot(world, page, "r2-1-movement")
    held = system.call("a", "reviews", "schedule", cs1, 2026)
    assert (held["launched_on"], held["disseminations"], held["pledge_signed_on"]) == (
        "2026-01-06", 1, "2026-01-10")
    done(page)


def test_r2_4_the_grassroots_committee_holds_its_half_year_review_with_its_self_inspection(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "a")
    menu(page, "Sơ kết, tổng kết", "reviews")
    assert page.locator('#schedule [data-period="2026-H1"]').inner_text() == "Đến hạn"
    page.select_option("#half-year #f-period", "2026-H1")
    fill_date(page, "#half-year #f-held_on", "2026-06-25")
    page.fill("#half-year #f-summary", "Sơ kết 6 tháng đầu năm 2026")
    submit(page, "half-year")  # R2.4: a self-inspection states its findings
    assert error_beside(page, "half-year", "findings")
    page.fill("#half-year #f-findings", "Hai tổ chưa đăng ký sáng kiến\nCần đẩy mạnh tuyên truyền")
    submit(page, "half-year")
    wait(page, '#schedule [data-period="2026-H1"].held')
    shot(world, page, "r2-4-half-year-review")
    reviews = system.call("a", "reviews", "schedule", w.unions["CS-1"], 2026)["reviews"]
    assert next(r for r in reviews if r["period"] == "2026-H1")["held_on"] == "2026-06-25"
    done(page)


def test_r2_3_r2_5_a_pledge_commits_to_targets_and_the_review_shows_them_against_counted_figures(
        world: dict[str, Any]) -> None:
    """R2.3 under the rule set in force from 01/01/2026: a pledge that negates the movement
    and commits to no target is refused beside its targets; with a target it is signed. The
    2025 annual review shows CS-1's targets beside what the system counted from the
    initiatives' events (SK-01 and SK-02 registered and recognised) and its own figures."""
    system, w = world["system"], world["w"]
    cs1 = w.unions["CS-1"]
    page = open_as(world, "a")
    menu(page, "Phát động, giao ước", "movement")
    go(page, "#/movement/2027", "movement")
    fill_date(page, "#pledge #f-signed_on", "2026-06-02")
    page.fill("#pledge #f-content", "Chúng tôi không theo đuổi đổi mới, sáng tạo, hiệu quả")
    submit(page, "pledge")
    slot = page.locator('#pledge .row[data-field="items"] > .field-error')
    expect(slot).to_contain_text("ít nhất một chỉ tiêu")
    assert system.call("a", "reviews", "schedule", cs1, 2027)["pledge_signed_on"] is None
    page.select_option('#pledge [name="items.0.kind"]', "initiatives_registered")
    page.fill('#pledge [name="items.0.number"]', "5")
    page.click("#pledge #add-target")
    page.select_option('#pledge [name="items.1.kind"]', "members_trained")
    page.fill('#pledge [name="items.1.number"]', "40")
    fill_date(page, '#pledge [name="items.1.due_on"]', "2027-06-30")
    shot(world, page, "r2-3-pledge-targets-form")
    submit(page, "pledge")
    wait(page, "#pledge-targets :text('Sáng kiến đăng ký')")
    shown = system.call("a", "reviews", "pledge_targets", cs1, "2027")["targets"]
    assert [(t["kind"], t["number"], t["due_on"]) for t in shown] == [
        ("initiatives_registered", 5, "2027-12-31"), ("members_trained", 40, "2027-06-30")]
    menu(page, "Sơ kết, tổng kết", "reviews")
    go(page, "#/reviews/2025", "reviews")
    card = page.locator('[id="targets-2025"]')
    expect(card).to_contain_text("Đạt được (hệ thống đếm)")
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).locator("td").nth(3).inner_text() for i in range(3)][:2] == ["2", "2"]
    assert "chỉ tự đánh giá" in rows.nth(2).inner_text()
    assert "25 — Một lớp tập huấn" in rows.nth(2).inner_text()
    shot(world, page, "r2-5-targets-against-achieved")
    done(page)


def test_r2_1_r2_2_r2_5_r2_7_the_upper_union_launches_disseminates_and_holds_its_annual_review(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    cl = w.unions["TV-CL"]
    page = open_as(world, "g")
    menu(page, "Phát động, giao ước", "movement")
    assert page.locator("#pledge").count() == 0  # a pledge is the grassroots committee's (R2.3)
    page.fill("#launch #f-year", "2026")
    fill_date(page, "#launch #f-launched_on", "2026-01-05")
    page.fill("#launch #f-plan", "Kế hoạch phát động trong toàn huyện")
    submit(page, "launch")
    wait(page, "#movement-year :text('05/01/2026')")
    page.fill("#dissemination #f-year", "2026")
    page.select_option("#dissemination #f-kind", "conference")
    fill_date(page, "#dissemination #f-held_on", "2026-01-12")
    page.fill("#dissemination #f-title", "Hội nghị quán triệt phong trào")
    page.fill("#dissemination #f-audience", "Chủ tịch công đoàn cơ sở")
    page.fill("#dissemination #f-reach", "58")
    submit(page, "dissemination")
    wait(page, "#movement-year td:text-is('1')")
    shot(world, page, "r2-1-upper-movement")
    menu(page, "Sơ kết, tổng kết", "reviews")
    go(page, "#/reviews/2025", "reviews")
    page.fill("#annual #f-year", "2025")
    fill_date(page, "#annual #f-held_on", "2026-01-25")
    page.fill("#annual #f-results", "Phong trào được duy trì ở 2/2 công đoàn cơ sở")
    page.fill("#annual #f-self_score", "150")  # outside the scale: refused beside the score
    submit(page, "annual")
    assert error_beside(page, "annual", "self_score")
    page.fill("#annual #f-self_score", "92")
    # R2.5: rewards and proposals are chosen from the union's decisions and nominations of
    # the year, never typed: it has none yet, and the form says so.
    assert page.locator("#annual textarea[name=rewards_given]").count() == 0
    assert page.locator('#annual [data-field="nomination_ids"]').is_visible()
    submit(page, "annual")
    wait(page, '#schedule [data-period="2025"].held')
    wait(page, "#annual-review #annual-status")
    shot(world, page, "r2-5-annual-review")
    fill_date(page, "#annual-close #f-closed_on", "2026-01-26")
    submit(page, "annual-close")
    wait(page, "#annual-status:text('26/01/2026')")
    assert page.locator("#annual-links").count() == 0  # closed: nothing more is linked
    held = system.call("g", "reviews", "schedule", cl, 2025)["reviews"]
    assert next(r for r in held if r["period"] == "2025")["held_on"] == "2026-01-25"
    assert system.call("g", "reviews", "schedule", cl, 2026)["launched_on"] == "2026-01-05"
    done(page)


def test_r2_6_the_upper_union_corrects_a_classification_and_sees_the_score_gap(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "g")
    menu(page, "Xếp loại cấp dưới", "classifications")
    go(page, "#/classifications/2025", "classifications")
    row = page.locator("#classifications tr", has_text="Trường Tiểu học Càng Long")
    assert row.locator("[data-grade]").get_attribute("data-grade") == "vung_manh"
    page.select_option("#correct-classification #f-union_id", w.unions["CS-1"])
    fill_date(page, "#correct-classification #f-corrected_on", "2026-03-01")
    page.fill("#correct-classification #f-appraised_score", "85")
    submit(page, "correct-classification")  # a correction states its reason
    assert error_beside(page, "correct-classification", "reason")
    page.fill("#correct-classification #f-reason", "Phúc tra: chưa tổ chức đủ hai kỳ sơ kết")
    submit(page, "correct-classification")
    wait(page, '#classifications [data-grade="tot"]')
    shot(world, page, "r2-6-classification-corrected")
    assert system.call("g", "reviews", "get_classification", w.unions["CS-1"], 2025)["grade"] == "tot"
    done(page)


def test_r2_8_a_difficulty_reported_to_the_policy_law_department_is_answered_and_followed(
        world: dict[str, Any]) -> None:
    system = world["system"]
    page = open_as(world, "a")
    menu(page, "Khó khăn, vướng mắc", "difficulties")
    fill_date(page, "#report-difficulty #f-reported_on", "2026-06-02")
    page.fill("#report-difficulty #f-subject", "Chi thưởng sáng kiến từ quỹ công đoàn")
    page.fill("#report-difficulty #f-description",
              "Chưa rõ mức chi thưởng tối đa cho một sáng kiến cấp cơ sở")
    submit(page, "report-difficulty")
    wait(page, "main[data-screen=difficulty] #thread .comment")
    difficulty = page.evaluate("location.hash.split('/')[2]")
    assert page.locator("#difficulty-status").inner_text() == "Chờ trả lời"
    assert page.locator("#answer").count() == 0  # the reporting union does not answer itself
    done(page)
    # The head of the Policy–Law department finds it among those received, and answers.
    head = open_as(world, "p")
    menu(head, "Khó khăn, vướng mắc", "difficulties")
    assert head.locator("#report-difficulty").count() == 0
    received = head.locator("#received tr", has_text="Chi thưởng sáng kiến")
    assert "Công đoàn cơ sở Trường Tiểu học Càng Long" in received.inner_text()
    assert received.locator("[data-answered]").get_attribute("data-answered") == "false"
    shot(world, head, "r2-8-difficulties-received")
    received.locator("a").click()
    wait(head, "main[data-screen=difficulty] #answer")
    fill_date(head, "#answer #f-answered_on", "2026-06-01")  # before the report: refused
    head.fill("#answer #f-answer", "Theo Quy chế khen thưởng, mức chi do BCH quyết định")
    submit(head, "answer")
    wait(head, "#answer .form-error, #answer .row.invalid")
    fill_date(head, "#answer #f-answered_on", "2026-06-09")
    submit(head, "answer")
    wait(head, '#thread .comment[data-kind="answer"]')
    shot(world, head, "r2-8-difficulty-answered")
    done(head)
    # The union follows the answer from its own list and continues the thread.
    page = open_as(world, "a")
    menu(page, "Khó khăn, vướng mắc", "difficulties")
    row = page.locator("#difficulties tr", has_text="Chi thưởng sáng kiến")
    assert row.locator("[data-answered]").get_attribute("data-answered") == "true"
    row.locator("a").click()
    wait(page, '#thread .comment[data-kind="answer"]')
    assert page.locator("#difficulty-status").inner_text() == "Đã trả lời"
    assert "09/06/2026" in page.locator('#thread .comment[data-kind="answer"]').inner_text()
    fill_date(page, "#follow-up #f-on", "2026-06-12")
    page.fill("#follow-up #f-text", "Đã tiếp thu, BCH sẽ ban hành mức chi")
    submit(page, "follow-up")
    wait(page, '#thread .comment[data-kind="follow_up"]')
    thread = system.call("a", "reviews", "get_difficulty", difficulty)["thread"]
    assert [m["kind"] for m in thread] == ["report", "answer", "follow_up"]
    done(page)


def test_r3_7_the_committee_refuses_an_initiative_with_reasons_and_accepts_a_topic(
        world: dict[str, Any]) -> None:
    system, waiting = world["system"], world["waiting"]
    page = open_as(world, "a")
    menu(page, "Xét duyệt, nghiệm thu", "decisions")
    assert {"SK-26", "DT-26"} <= set(page.locator("#pending td:first-child").all_inner_texts())
    shot(world, page, "r3-7-pending")
    page.click("#pending a:has-text('Số hoá biên bản họp tổ')")
    wait(page, "main[data-screen=decide] #refuse")
    assert page.locator("#accept-topic").count() == 0  # acceptance is for topics
    fill_date(page, "#refuse #f-decided_on", "2026-04-01")
    page.fill("#refuse #f-number", "20/QĐ-CĐCS")
    submit(page, "refuse")  # a refusal states its reasons
    assert error_beside(page, "refuse", "reasons")
    page.fill("#refuse #f-reasons", "Giải pháp đã được áp dụng ở đơn vị từ năm 2024, không có tính mới")
    submit(page, "refuse")
    wait(page, '#decision-subject [data-status="refused"]')
    shot(world, page, "r3-7-refused")
    held = system.call("a", "initiatives", "get_initiative", waiting["SK-26"])
    assert held["status"] == "refused"
    menu(page, "Xét duyệt, nghiệm thu", "decisions")
    page.click("#pending a:has-text('Khảo sát đời sống đoàn viên')")
    wait(page, "#accept-topic")
    fill_date(page, "#accept-topic #f-on", "2026-04-05")
    page.fill("#accept-topic #f-result", "Đề tài đạt yêu cầu, kết quả khảo sát được BCH sử dụng")
    page.fill("#accept-topic #f-reason", "Hội đồng nghiệm thu tán thành 3/3")
    page.fill("#accept-topic #f-number", "21/QĐ-CĐCS")
    submit(page, "accept-topic")
    wait(page, '#decision-subject [data-status="accepted"]')
    shot(world, page, "r3-7-topic-accepted")
    topic = system.call("a", "initiatives", "get_initiative", waiting["DT-26"])
    assert (topic["status"], topic["acceptance"]["on"]) == ("accepted", "2026-04-05")
    done(page)


def test_r3_4_the_committee_revokes_a_recognition_on_a_ground_of_the_rule_book(
        world: dict[str, Any]) -> None:
    system, m = world["system"], world["m"]
    page = open_as(world, "a")
    menu(page, "Xét duyệt, nghiệm thu", "decisions")
    page.click("#recognised a:has-text('Quy trình tiếp nhận ý kiến đoàn viên')")
    wait(page, "main[data-screen=decide] #revoke-initiative")
    fill_date(page, "#revoke-initiative #f-decided_on", "2026-06-22")
    page.fill("#revoke-initiative #f-reason", "Quy trình không còn được áp dụng từ quý II/2026")
    submit(page, "revoke-initiative")  # no ground chosen: refused beside it
    assert error_beside(page, "revoke-initiative", "ground")
    page.select_option("#revoke-initiative #f-ground", "not_applied")
    submit(page, "revoke-initiative")
    wait(page, '#decision-subject [data-status="revoked"]')
    shot(world, page, "r3-4-recognition-revoked")
    assert system.call("a", "initiatives", "get_initiative", m.initiatives["SK-02"])["status"] == "revoked"
    done(page)


def test_r3_8_another_union_adopts_a_recognised_initiative_and_reports_its_results(
        world: dict[str, Any]) -> None:
    system, w, m = world["system"], world["w"], world["m"]
    sk01, cs2 = m.initiatives["SK-01"], w.unions["CS-2"]
    page = open_as(world, "f")
    menu(page, "Nhân rộng", "replication")
    page.fill("#adopt #f-initiative_id", sk01)
    fill_date(page, "#adopt #f-adopted_on", "2026-04-10")
    page.fill("#adopt #f-reason", "Áp dụng sổ theo dõi đoàn viên điện tử tại bệnh viện")
    page.fill("#adopt #f-note", "Phòng tổ chức cán bộ")
    submit(page, "adopt")
    wait(page, "main[data-screen=replication] #replication-report")
    fill_date(page, "#replication-report #f-reported_on", "2026-06-15")
    page.fill("#replication-report #f-benefit", "Giảm một nửa thời gian tra cứu hồ sơ")
    page.fill("#replication-report #f-value_saved_vnd", "-5000")  # not a sum saved
    submit(page, "replication-report")
    assert error_beside(page, "replication-report", "value_saved_vnd")
    page.fill("#replication-report #f-value_saved_vnd", "5000000")
    submit(page, "replication-report")
    wait(page, "#results td:has-text('5.000.000 đ')")
    shot(world, page, "r3-8-replication")
    held = system.call("f", "initiatives", "get_replication", sk01, cs2)
    assert [r["value_saved_vnd"] for r in held["results"]] == [5_000_000]
    menu(page, "Nhân rộng", "replication")
    assert page.locator("#adopted a").count() == 1
    done(page)


def test_r4_1_r4_2_attestations_make_the_criteria_met(world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    d, cs1 = w.people["D"], w.unions["CS-1"]
    page = open_as(world, "a")
    menu(page, "Xác nhận tiêu chuẩn", "attest")
    page.select_option("#f-check_subject", d)
    page.fill("#f-check_year", "2025")
    page.click("#check-criteria button[type=submit]")
    wait(page, '#criteria [data-criterion="compliance"]')
    assert page.locator('#criteria [data-criterion="compliance"]').inner_text() == "Chưa đạt"
    page.select_option("#attest #f-subject_id", d)
    page.fill("#attest #f-year", "2025")
    fill_date(page, "#attest #f-attested_on", "2026-02-15")
    submit(page, "attest")  # R4.2 b: an attestation names its evidence
    assert error_beside(page, "attest", "evidence")
    page.fill("#attest #f-evidence", "xac-nhan-chi-bo.pdf")
    submit(page, "attest")
    expect(page.locator('#criteria [data-criterion="compliance"]')).to_have_text("Đạt")
    shot(world, page, "r4-2-attested")
    criteria = system.call("a", "awards", "evaluate", "individual", d, 2025)["criteria"]
    assert next(c for c in criteria if c["code"] == "compliance")["met"] is True
    done(page)
    # The upper union's standing committee attests a collective below it (R4.1 d).
    upper = open_as(world, "g")
    menu(upper, "Xác nhận tiêu chuẩn", "attest")
    upper.select_option("#attest #f-subject_id", cs1)
    upper.fill("#attest #f-year", "2025")
    fill_date(upper, "#attest #f-attested_on", "2026-02-16")
    upper.fill("#attest #f-evidence", "bien-ban-kiem-tra.pdf")
    submit(upper, "attest")
    expect(upper.locator('#criteria [data-criterion="unity_and_compliance"]')).to_have_text("Đạt")
    shot(world, upper, "r4-1-attested-collective")
    criteria = system.call("g", "awards", "evaluate", "collective", cs1, 2025)["criteria"]
    assert next(c for c in criteria if c["code"] == "unity_and_compliance")["met"] is True
    done(upper)


def test_r4_5_the_committee_revokes_an_award_with_its_ground_and_what_is_recovered(
        world: dict[str, Any]) -> None:
    system, w, m, call = world["system"], world["w"], world["m"], world["call"]
    cs1, d = w.unions["CS-1"], w.people["D"]
    own = call("awards", "nominate", "A", cs1, "individual", d, 2025, "giay_khen_cdcs",
               "Sáng kiến sổ theo dõi đoàn viên điện tử", "2026-03-01",
               initiative_ids=[m.initiatives["SK-01"]])
    award = call("awards", "decide_award", "A", cs1, "giay_khen_cdcs", "2026-03-05", "05/QĐ-CĐCS",
                 [own["nomination_id"]], "Thành tích năm 2025")
    page = open_as(world, "a")
    menu(page, "Thu hồi khen thưởng", "revoke")
    page.click("#awards-made a:has-text('05/QĐ-CĐCS')")
    wait(page, "main[data-screen=revoke] #revoke")
    fill_date(page, "#revoke #f-revoked_on", "2026-06-20")
    page.fill("#revoke #f-reason", "Thành tích kê khai không đúng thực tế")
    page.fill("#revoke #f-number", "30/QĐ-CĐCS")
    submit(page, "revoke")  # no ground chosen: refused beside it
    assert error_beside(page, "revoke", "ground")
    page.select_option("#revoke #f-ground", "false_declaration")
    page.fill('#revoke [name="recovery.money_vnd"]', "500000")
    submit(page, "revoke")
    wait(page, '#awardees [data-status="revoked"]')
    shown = page.locator("#awardees").inner_text()
    assert "30/QĐ-CĐCS" in shown and "500.000 đ" in shown and "Gian dối" in shown, shown
    shot(world, page, "r4-5-award-revoked")
    held = system.call("a", "awards", "get_award", award["award_id"])
    awardee = held["awardees"][0]
    assert awardee["status"] == "revoked"
    done(page)


def test_r1_1_r1_2_r1_3_r1_5_the_administrator_keeps_the_registry_in_the_browser(
        world: dict[str, Any]) -> None:
    system, w = world["system"], world["w"]
    page = open_as(world, "admin")
    menu(page, "Đơn vị công đoàn", "unions")
    shot(world, page, "r1-1-unions")
    page.fill("#found-union #f-code", "CS-3")
    page.fill("#found-union #f-name", "Công đoàn cơ sở Trường THCS Càng Long")
    page.select_option("#found-union #f-level", "grassroots")
    page.select_option("#found-union #f-parent_id", w.unions["TV-CL"])
    fill_date(page, "#found-union #f-founded_on", "2026-02-01")
    submit(page, "found-union")
    wait(page, "main[data-screen=union] #union")
    cs3 = page.evaluate("location.hash.split('/')[2]")
    assert "Liên đoàn Lao động huyện Càng Long" in page.locator("#union").inner_text()
    # Its executive committee, with its term and the decision that recognises it (R1.2).
    page.select_option("#constitute-body #f-kind", "executive_committee")
    page.fill("#constitute-body #f-name", "Ban Chấp hành CĐCS Trường THCS Càng Long")
    fill_date(page, "#constitute-body #f-term_start", "2026-02-15")
    fill_date(page, "#constitute-body #f-term_end", "2031-02-14")
    page.fill('#constitute-body [name="decision.number"]', "12/QĐ-LĐLĐ")
    fill_date(page, '#constitute-body [name="decision.signed_on"]', "2026-02-20")  # after the term starts
    submit(page, "constitute-body")
    assert error_beside(page, "constitute-body", "decision.signed_on")
    fill_date(page, '#constitute-body [name="decision.signed_on"]', "2026-02-10")
    submit(page, "constitute-body")
    wait(page, "main[data-screen=body] #body")
    body = page.evaluate("location.hash.split('/')[2]")
    shot(world, page, "r1-2-body")
    # A person, a member of the new union, who chairs its committee (R1.3).
    menu(page, "Đoàn viên, cán bộ", "people")
    page.fill("#register-person #f-code", "P-Q")
    page.fill("#register-person #f-full_name", "Trương Thị Quyên")
    page.select_option("#register-person #f-gender", "female")
    page.select_option("#register-person #f-union_id", cs3)
    fill_date(page, "#register-person #f-registered_on", "2026-02-16")
    page.check('#register-person input[name="is_official"]')
    submit(page, "register-person")
    wait(page, "main[data-screen=person] #person")
    person = page.evaluate("location.hash.split('/')[2]")
    assert system.call("admin", "registry", "get_person", person)["union_id"] == cs3
    go(page, f"#/body/{body}", "body")
    page.select_option("#appoint #f-person_id", person)
    page.select_option("#appoint #f-position", "chairman")
    fill_date(page, "#appoint #f-effective_on", "2026-02-16")
    submit(page, "appoint")
    wait(page, "#seats td:has-text('Chủ tịch')")
    page.click("#seats a:has-text('Trương Thị Quyên')")
    wait(page, "#positions td:has-text('Chủ tịch')")
    assert "Ban Chấp hành CĐCS Trường THCS Càng Long" in page.locator("#positions").inner_text()
    # A member of CS-1 transfers to the new union (R1.3), which then moves under Cầu Kè (R1.5).
    go(page, f"#/person/{w.people['E']}", "person")
    page.select_option("#transfer #f-union_id", cs3)
    fill_date(page, "#transfer #f-effective_on", "2026-03-01")
    submit(page, "transfer")
    wait(page, "#memberships td:has-text('Trường THCS Càng Long')")
    shot(world, page, "r1-3-person-transferred")
    assert system.call("admin", "registry", "get_person", w.people["E"])["union_id"] == cs3
    go(page, f"#/union/{cs3}", "union")
    page.select_option("#move-union #f-parent_id", w.unions["TV-CK"])
    fill_date(page, "#move-union #f-effective_on", "2026-04-01")
    submit(page, "move-union")
    wait(page, "#history td:has-text('Liên đoàn Lao động huyện Cầu Kè')")
    shot(world, page, "r1-5-union-moved")
    assert system.call("admin", "registry", "get_union", cs3)["parent_id"] == w.unions["TV-CK"]
    assert system.call("admin", "registry", "get_union", cs3, as_of="2026-03-15")["parent_id"] == \
        w.unions["TV-CL"]
    done(page)
