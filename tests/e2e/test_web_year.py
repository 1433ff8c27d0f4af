"""The movement's whole year in the browser, from an empty province, as each role does it:
nothing is set up through the API. The administrator imports the province from a file and
makes the users; the province and the grassroots union CS-1 launch the movement of 2025; CS-1
disseminates it, signs its pledge (a pledge without the movement's content refused first) and
holds its half-year review; a member raises ideas, the incubation team coaches one and the
committee turns it into SK-01, recognised, applied and proposed upward, while SK-02 is refused
with its reasons; CS-2 adopts SK-01 and reports what it brought; Càng Long and the province
recognise SK-01 at their levels; CS-1 nominates its author to Càng Long, which classifies CS-1,
attests it, carries the nomination to the province with a complete dossier; the province
decides its Bằng khen and revokes it; the auditor follows the award's trail.

One system for the module, on a clock fixed at 30/06/2026 (``running``); the tests run in the
order written, each as one role, and hand what the next one needs in ``world["state"]`` (ids
read from the page's address, as a person would copy them). Between two roles the test waits
for the services to have each other's facts (the bus), which is no setting up.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from playwright.sync_api import expect

from tests.e2e.test_web import CHROMIUM, done, go, submit, wait
from tests.e2e.test_web_screens import error_beside, fill_date, menu, open_as, saved
from tests.support.awards_world import pdf
from tests.support.gateway_system import PASSWORD, running, wait_caught_up
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

TERM = "2020-01-01"
UNIONS = [("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None),
          ("TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation", "VN"),
          ("TV-CL", "Liên đoàn Lao động huyện Càng Long", "direct_superior", "TV"),
          ("CS-1", "Công đoàn cơ sở Trường Tiểu học Càng Long", "grassroots", "TV-CL"),
          ("CS-2", "Công đoàn cơ sở Bệnh viện huyện Càng Long", "grassroots", "TV-CL")]
# code, full name, union (None: an official of an upper union, in no grassroots union), official
PEOPLE = [("P-A", "Nguyễn Văn An", "CS-1", True), ("P-B", "Trần Thị Bình", "CS-1", True),
          ("P-C", "Lê Văn Cường", "CS-1", True), ("P-D", "Thạch Thị Sa Rai", "CS-1", False),
          ("P-F", "Phạm Văn Phúc", "CS-2", True), ("P-G", "Huỳnh Văn Giàu", None, True),
          ("P-H", "Lâm Thị Hạnh", None, True)]
# login, role, union, person's name
USERS = [("a", "executive", "CS-1", "Nguyễn Văn An"), ("b", "official", "CS-1", "Trần Thị Bình"),
         ("d", "member", "CS-1", "Thạch Thị Sa Rai"), ("f", "executive", "CS-2", "Phạm Văn Phúc"),
         ("g", "standing", "TV-CL", "Huỳnh Văn Giàu"), ("h", "standing", "TV", "Lâm Thị Hạnh"),
         ("kiemtoan", "auditor", "TV", None)]
UNION_NAMES = {code: name for code, name, _, _ in UNIONS}


def province_file() -> str:
    """The province as the registry's import format holds it: unions, people, and the
    committees and the incubation team who act (R1.1–R1.4)."""
    def body(code: str, kind: str, name: str, members: list[tuple[str, str]],
             decision: dict[str, str] | None = None) -> dict[str, Any]:
        return {"union_code": code, "kind": kind, "name": name, "term_start": TERM,
                "decision": decision,
                "members": [{"person_code": p, "position": position} for p, position in members]}

    return json.dumps({
        "format": "emulation.registry.import/v1",
        "unions": [{"code": c, "name": n, "level": lv, "parent_code": p, "founded_on": TERM}
                   for c, n, lv, p in UNIONS],
        "people": [{"code": c, "full_name": n, "union_code": u,
                    **({"joined_on": TERM} if u else {"registered_on": TERM}),
                    "is_official": official, "is_full_time": False}
                   for c, n, u, official in PEOPLE],
        "bodies": [
            body("CS-1", "executive_committee", "Ban Chấp hành CĐCS Trường Tiểu học Càng Long",
                 [("P-A", "chairman"), ("P-B", "member"), ("P-C", "member")]),
            body("CS-1", "idea_incubation_team", "Tổ ươm mầm ý tưởng", [("P-B", "leader")],
                 {"number": "01/QĐ-CĐCS", "signed_on": TERM}),
            body("CS-2", "executive_committee", "Ban Chấp hành CĐCS Bệnh viện huyện Càng Long",
                 [("P-F", "chairman")]),
            body("TV-CL", "executive_committee", "Ban Chấp hành LĐLĐ huyện Càng Long",
                 [("P-G", "chairman")]),
            body("TV-CL", "standing_committee", "Ban Thường vụ LĐLĐ huyện Càng Long",
                 [("P-G", "chairman")]),
            body("TV", "executive_committee", "Ban Chấp hành LĐLĐ tỉnh Trà Vinh",
                 [("P-H", "chairman")]),
            body("TV", "standing_committee", "Ban Thường vụ LĐLĐ tỉnh Trà Vinh",
                 [("P-H", "chairman")])],
    }, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The whole system with an empty registry, the browser, and the files a person uploads."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is needed: apt-get install chromium")
    shots = Path(os.environ.get("EMU_SCREENSHOTS") or tmp_path_factory.mktemp("year-screens"))
    files = tmp_path_factory.mktemp("year-files")
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("web-year"), amqp, pg) as system, \
            playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield {"system": system, "browser": browser, "shots": shots, "files": files,
                   "state": {}}
        finally:
            browser.close()


def shot(world: dict[str, Any], page: Any, name: str) -> None:
    page.screenshot(path=str(world["shots"] / f"{name}.png"), full_page=True)


def synced(world: dict[str, Any]) -> None:
    """Every service has the registry's facts (the imported province), by the bus: a wait,
    not a set-up. The other services' facts reach their consumers well within the time a
    person takes to sign in and fill a form; a screen's own wait covers the rest."""
    wait_caught_up(world["system"], ("registry",))


def option_value(page: Any, select: str, text: str) -> str:
    """The value of a select's option a person picks by what it reads."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    assert value, f"no option {text!r} in {select}"
    return str(value)


def here(page: Any) -> str:
    """The record the page's address names (#/initiative/<id>)."""
    return str(page.evaluate("location.hash.split('/')[2]"))


def test_r1_1_r1_3_r5_2_the_administrator_imports_the_province_and_makes_the_users(
        world: dict[str, Any]) -> None:
    files = world["files"]
    page = open_as(world, "admin")
    menu(page, "Nhập dữ liệu", "import")
    # A CSV file of unions with a bad row: refused whole, the row named, in Vietnamese.
    bad = files / "don-vi.csv"
    bad.write_text("code,name,level,parent_code,founded_on\n"
                   "VN,Tổng Liên đoàn Lao động Việt Nam,confederation,,2020-01-01\n"
                   "TV,Liên đoàn Lao động tỉnh Trà Vinh,provincial_federation,VN,2020-02-30\n",
                   encoding="utf-8")
    page.select_option("#import #f-kind", "unions")
    page.set_input_files("#import input[type=file]", str(bad))
    picker = page.locator("#import .file-picker").inner_text()  # the browser's "Choose File" hidden
    assert "Chọn tệp" in picker and "don-vi.csv" in picker, picker
    submit(page, "import")
    wait(page, "#import-refused [data-row='3']")
    refused = page.locator("#import-refused").inner_text()
    assert "don-vi.csv, dòng 3" in refused and "Ngày thành lập" in refused, refused
    assert "không phải là một ngày hợp lệ" in refused, refused
    assert "Tệp không được nhập" in page.locator("#import .form-error").inner_text()
    shot(world, page, "r1-1-import-refused")
    # The province's file: unions, people, committees and the incubation team.
    good = files / "tinh-tra-vinh.json"
    good.write_text(province_file(), encoding="utf-8")
    page.select_option("#import #f-kind", "province")
    page.set_input_files("#import input[type=file]", str(good))
    submit(page, "import")
    wait(page, "#import-result")
    result = page.locator("#import-result").inner_text()
    assert "Đã nhập tệp" in result and "Đoàn viên, cán bộ\t7" in result, result
    shot(world, page, "r1-1-import-result")
    # The users, each with a role over a union, linked to the person who acts.
    for login, role, union, person in USERS:
        go(page, "#/users", "users")
        page.fill("#new-user #f-username", login)
        page.fill("#new-user #f-password", PASSWORD)
        page.select_option("#new-user #f-role", role)
        page.select_option("#new-user #f-union_id",
                           option_value(page, "#new-user #f-union_id", UNION_NAMES[union]))
        if person:
            page.fill("#f-person-q", person)
            page.click("#new-user [data-field=person_id] button")
            page.locator("#f-person_id option", has_text=person).wait_for(state="attached")
        submit(page, "new-user")
        wait(page, "main[data-screen=user] #roles")
    go(page, "#/users", "users")
    listed = page.locator("#users").inner_text()
    assert all(f"{login}\t" in listed for login, *_ in USERS), listed
    assert "Ban Chấp hành — Công đoàn cơ sở Trường Tiểu học Càng Long" in listed
    done(page)


def test_r2_1_r2_2_the_province_launches_and_disseminates_the_movement(
        world: dict[str, Any]) -> None:
    synced(world)
    page = open_as(world, "h")
    menu(page, "Phát động, giao ước", "movement")
    go(page, "#/movement/2025", "movement")
    assert page.locator("#pledge").count() == 0  # a pledge is the grassroots committee's
    fill_date(page, "#launch #f-launched_on", "2025-01-02")
    page.fill("#launch #f-plan", "Kế hoạch phát động phong trào trong toàn tỉnh")
    page.fill("#launch #f-number", "01/KH-LĐLĐ")
    submit(page, "launch")
    wait(page, "#movement-year :text('02/01/2025')")
    page.select_option("#dissemination #f-kind", "conference")
    fill_date(page, "#dissemination #f-held_on", "2025-01-03")
    page.fill("#dissemination #f-title", "Hội nghị quán triệt phong trào")
    page.fill("#dissemination #f-audience", "Chủ tịch công đoàn các cấp")
    page.fill("#dissemination #f-reach", "80")
    submit(page, "dissemination")
    wait(page, "#movement-year td:text-is('1')")
    shot(world, page, "r2-1-province-launched")
    done(page)


def test_r2_1_r2_2_r2_3_r2_4_the_grassroots_union_launches_disseminates_pledges_and_reviews(
        world: dict[str, Any]) -> None:
    page = open_as(world, "a")
    menu(page, "Phát động, giao ước", "movement")
    go(page, "#/movement/2025", "movement")
    fill_date(page, "#launch #f-launched_on", "2025-01-06")
    page.fill("#launch #f-plan", "Mỗi tổ công đoàn đăng ký ít nhất một sáng kiến")
    page.fill("#launch #f-number", "01/KH-CĐCS")
    submit(page, "launch")
    wait(page, "#movement-year :text('06/01/2025')")
    page.select_option("#dissemination #f-kind", "banner")
    fill_date(page, "#dissemination #f-held_on", "2025-01-08")
    page.fill("#dissemination #f-title", "Băng rôn hưởng ứng phong trào tại cổng trường")
    page.fill("#dissemination #f-audience", "Đoàn viên và người lao động")
    page.fill("#dissemination #f-reach", "120")
    submit(page, "dissemination")
    wait(page, "#movement-year td:text-is('1')")
    # R2.3: without the movement's content the pledge is refused, its reason on screen.
    fill_date(page, "#pledge #f-signed_on", "2025-01-10")
    page.fill("#pledge #f-content", "Giao ước thi đua lao động giỏi năm 2025")
    submit(page, "pledge")
    reason = error_beside(page, "pledge", "content")
    assert "Đổi mới, sáng tạo, hiệu quả" in reason, reason
    assert "Chưa ký" in page.locator("#movement-year").inner_text()
    shot(world, page, "r2-3-pledge-refused")
    page.fill("#pledge #f-content", "Giao ước thi đua năm 2025 thực hiện phong trào \"Đổi mới, sáng tạo, "
                                    "hiệu quả trong hoạt động của tổ chức Công đoàn\"")
    page.fill("#pledge #f-commitments", "Mỗi đoàn viên một sáng kiến")
    submit(page, "pledge")
    wait(page, "#movement-year :text('10/01/2025')")
    # R2.4: the half-year review, with what the self-inspection found.
    menu(page, "Sơ kết, tổng kết", "reviews")
    go(page, "#/reviews/2025", "reviews")
    page.select_option("#half-year #f-period", "2025-H1")
    fill_date(page, "#half-year #f-held_on", "2025-07-05")
    page.fill("#half-year #f-summary", "Sơ kết 6 tháng đầu năm 2025")
    page.fill("#half-year #f-findings", "Sáng kiến SK-01 được công nhận\nMột tổ chưa đăng ký")
    submit(page, "half-year")
    wait(page, '#schedule [data-period="2025-H1"].held')
    assert "05/07/2025" in page.locator("#schedule").inner_text()
    shot(world, page, "r2-4-half-year-review")
    done(page)


def test_r3_1_a_member_raises_ideas_withdraws_one_and_the_team_coaches_the_other(
        world: dict[str, Any]) -> None:
    page = open_as(world, "d")
    for title, on in (("Sổ theo dõi đoàn viên điện tử", "2025-01-03"),
                      ("Bảng tin giấy ở nhà ăn", "2025-01-04")):
        menu(page, "Ý tưởng", "ideas")
        page.fill("#raise-idea #f-title", title)
        page.fill("#raise-idea #f-description", f"Ý tưởng: {title.lower()}")
        fill_date(page, "#raise-idea #f-raised_on", on)
        submit(page, "raise-idea")
        wait(page, "main[data-screen=idea] #withdraw-idea")
    # The second one, taken back by its author with a reason.
    page.fill("#withdraw-idea #f-reason", "Đơn vị đã có bảng tin điện tử")
    fill_date(page, "#withdraw-idea #f-on", "2025-01-05")
    submit(page, "withdraw-idea")
    wait(page, "#idea .badge.withdrawn")
    assert page.locator("#withdraw-idea").count() == 0
    done(page)
    team = open_as(world, "b")
    menu(team, "Ý tưởng", "ideas")
    team.click("#union-ideas a:has-text('Sổ theo dõi đoàn viên điện tử')")
    wait(team, "#coach")
    team.fill("#coach #f-text", "Nên làm thử ở tổ văn phòng trước")
    fill_date(team, "#coach #f-on", "2025-01-06")
    submit(team, "coach")
    wait(team, "#comments .comment")
    assert "06/01/2025" in team.locator("#comments").inner_text()
    done(team)
    page = open_as(world, "d")
    menu(page, "Ý tưởng", "ideas")
    row = page.locator("#my-ideas tr", has_text="Sổ theo dõi đoàn viên điện tử")
    assert row.locator("td").nth(3).inner_text() == "1"
    assert "Đã rút" in page.locator("#my-ideas tr", has_text="Bảng tin giấy").inner_text()
    shot(world, page, "r3-1-ideas")
    done(page)


FIELDS = {"fields.objective": "Giảm thời gian tra cứu hồ sơ đoàn viên",
          "fields.implementation_steps": "Khảo sát; xây dựng; áp dụng",
          "fields.scope_feasibility_time": "Toàn đơn vị, từ quý I/2025",
          "fields.expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}


def register(page: Any, reference: str, name: str, on: str, idea: str | None = None) -> str:
    menu(page, "Đăng ký sáng kiến", "register")
    page.fill("#register #f-reference", reference)
    page.fill('#register [name="fields.name"]', name)
    for field_name, value in FIELDS.items():
        page.fill(f'#register [name="{field_name}"]', value)
    page.select_option('#register [name="author0"]', option_value(page, '#register [name="author0"]',
                                                                  "Thạch Thị Sa Rai"))
    page.fill('#register [name="share0"]', "100")
    fill_date(page, "#register #f-registered_on", on)
    if idea:
        page.select_option("#register #f-idea_id", option_value(page, "#register #f-idea_id", idea))
    submit(page, "register")
    wait(page, "main[data-screen=initiative] #council")
    return here(page)


def test_r3_2_to_r3_7_r4_2_the_grassroots_committee_registers_recognises_refuses_and_proposes(
        world: dict[str, Any]) -> None:
    synced(world)
    state = world["state"]
    page = open_as(world, "a")
    sk01 = register(page, "SK-01", "Sổ theo dõi đoàn viên điện tử", "2025-01-10",
                    idea="Sổ theo dõi đoàn viên điện tử")
    state["sk01"] = sk01
    fill_date(page, "#council #f-on", "2025-01-20")
    page.fill("#council #f-reason", "Thành lập hội đồng xét sáng kiến")
    page.fill("#council #f-number", "05/QĐ-CĐCS")
    submit(page, "council")
    wait(page, "#evaluation")
    fill_date(page, "#evaluation #f-on", "2025-02-01")
    page.fill("#evaluation #f-minutes", "BB-01")
    submit(page, "evaluation")
    wait(page, "#recognise")
    fill_date(page, "#recognise #f-decided_on", "2025-02-10")
    page.fill("#recognise #f-reason", "Hội đồng tán thành 3/3")
    page.fill("#recognise #f-number", "12/QĐ-CĐCS")
    page.fill("#recognise #f-evidence", "bien-ban-hoi-dong.pdf")
    submit(page, "recognise")
    wait(page, "#application")
    fill_date(page, "#application #f-applied_from", "2025-02-15")
    page.fill("#application #f-benefit", "Giảm 60% thời gian tra cứu")
    page.fill("#application #f-value_saved_vnd", "15000000")
    fill_date(page, "#application #f-reported_on", "2025-05-01")
    submit(page, "application")
    wait(page, "#initiative :text('15.000.000 đ')")
    fill_date(page, "#propose #f-proposed_on", "2025-05-02")
    page.fill("#propose #f-reason", "Hiệu quả cao, đề nghị cấp trên công nhận")
    submit(page, "propose")
    wait(page, "#proposal")
    shown = page.locator("#initiative").inner_text()
    assert "Được công nhận" in shown and "10/02/2025" in shown, shown
    shot(world, page, "r3-6-initiative-proposed")
    # R3.7: another registration refused, its reasons required and kept.
    register(page, "SK-02", "Bảng phân công trực tuyến", "2025-02-20")
    menu(page, "Xét duyệt, nghiệm thu", "decisions")
    page.click("#pending a:has-text('Bảng phân công trực tuyến')")
    wait(page, "main[data-screen=decide] #refuse")
    fill_date(page, "#refuse #f-decided_on", "2025-03-01")
    page.fill("#refuse #f-number", "20/QĐ-CĐCS")
    submit(page, "refuse")
    assert error_beside(page, "refuse", "reasons")
    page.fill("#refuse #f-reasons", "Giải pháp đã được áp dụng ở đơn vị từ năm 2024, không có tính mới")
    submit(page, "refuse")
    wait(page, '#decision-subject [data-status="refused"]')
    shot(world, page, "r3-7-refused")
    # R4.2 b: the committee attests its member's compliance for the year.
    menu(page, "Xác nhận tiêu chuẩn", "attest")
    page.select_option("#attest #f-subject_id",
                       option_value(page, "#attest #f-subject_id", "Thạch Thị Sa Rai"))
    page.fill("#attest #f-year", "2025")
    fill_date(page, "#attest #f-attested_on", "2026-02-15")
    page.fill("#attest #f-evidence", "xac-nhan-chi-bo.pdf")
    submit(page, "attest")
    expect(page.locator('#criteria [data-criterion="compliance"]')).to_have_text("Đạt")
    done(page)


def test_r3_8_another_union_adopts_the_initiative_and_reports_its_replication(
        world: dict[str, Any]) -> None:
    synced(world)
    page = open_as(world, "f")
    menu(page, "Nhân rộng", "replication")
    # The number the upper union's notice of replication gives (CS-2 cannot read CS-1's book).
    page.fill("#adopt #f-initiative_id", world["state"]["sk01"])
    fill_date(page, "#adopt #f-adopted_on", "2025-06-10")
    page.fill("#adopt #f-reason", "Áp dụng sổ theo dõi đoàn viên điện tử tại bệnh viện")
    submit(page, "adopt")
    wait(page, "main[data-screen=replication] #replication-report")
    fill_date(page, "#replication-report #f-reported_on", "2025-09-15")
    page.fill("#replication-report #f-benefit", "Giảm một nửa thời gian tra cứu hồ sơ")
    page.fill("#replication-report #f-value_saved_vnd", "5000000")
    submit(page, "replication-report")
    wait(page, "#results td:has-text('5.000.000 đ')")
    assert "15/09/2025" in page.locator("#results").inner_text()
    shot(world, page, "r3-8-replication")
    done(page)


def recognise_at_level(world: dict[str, Any], login: str, number: str, on: str) -> Any:
    """The committee above opens what was proposed to it and recognises it at its level."""
    page = open_as(world, login)
    menu(page, "Xét duyệt, nghiệm thu", "decisions")
    page.click("#pending a:has-text('Sổ theo dõi đoàn viên điện tử')")
    wait(page, "main[data-screen=decide] #decision-subject")
    page.click("#decision-subject a:has-text('Mở trang sáng kiến')")
    wait(page, "main[data-screen=initiative] #recognise-at-level")
    fill_date(page, "#recognise-at-level #f-decided_on", on)
    page.fill("#recognise-at-level #f-reason", "Sáng kiến hiệu quả, có khả năng nhân rộng")
    page.fill("#recognise-at-level #f-number", number)
    submit(page, "recognise-at-level")
    wait(page, f"#recognitions:has-text('{number}')")
    return page


def test_r3_6_r2_6_r4_1_the_upper_union_recognises_proposes_classifies_and_attests(
        world: dict[str, Any]) -> None:
    synced(world)
    page = recognise_at_level(world, "g", "30/QĐ-LĐLĐ", "2025-05-20")
    fill_date(page, "#propose #f-proposed_on", "2025-06-01")
    page.fill("#propose #f-reason", "Đề nghị LĐLĐ tỉnh công nhận")
    submit(page, "propose")
    wait(page, "#proposal:has-text('Tỉnh (01/06/2025)')")
    # R2.6: the upper union grades CS-1 for 2025.
    menu(page, "Đơn vị cấp dưới", "upper")
    cs1 = option_value(page, "#classify #f-union_id", UNION_NAMES["CS-1"])
    page.select_option("#classify #f-union_id", cs1)
    page.fill("#classify #f-year", "2025")
    fill_date(page, "#classify #f-classified_on", "2026-02-10")
    page.fill("#classify #f-appraised_score", "95")
    page.fill("#classify #f-findings", "Phong trào được duy trì đều đặn")
    submit(page, "classify")
    saved(page, "classify")
    menu(page, "Xếp loại cấp dưới", "classifications")
    go(page, "#/classifications/2025", "classifications")
    assert page.locator("#classifications [data-grade]").first.inner_text() == "Công đoàn vững mạnh"
    # R4.1 d: it attests CS-1's unity and compliance.
    menu(page, "Xác nhận tiêu chuẩn", "attest")
    page.select_option("#attest #f-subject_id", cs1)
    page.fill("#attest #f-year", "2025")
    fill_date(page, "#attest #f-attested_on", "2026-02-16")
    page.fill("#attest #f-evidence", "bien-ban-kiem-tra.pdf")
    submit(page, "attest")
    expect(page.locator('#criteria [data-criterion="unity_and_compliance"]')).to_have_text("Đạt")
    shot(world, page, "r4-1-upper-attested")
    done(page)


def test_r3_6_the_province_recognises_the_initiative_province_wide(world: dict[str, Any]) -> None:
    synced(world)
    page = recognise_at_level(world, "h", "99/QĐ-LĐLĐ", "2025-06-20")
    assert "20/06/2025" in page.locator("#recognitions").inner_text()
    done(page)


def test_r4_3_r4_4_the_grassroots_committee_nominates_its_member_to_the_upper_union(
        world: dict[str, Any]) -> None:
    synced(world)
    page = open_as(world, "a")
    menu(page, "Thi đua, khen thưởng", "awards")
    page.select_option("#nominate #f-subject_id",
                       option_value(page, "#nominate #f-subject_id", "Thạch Thị Sa Rai"))
    page.select_option("#nominate #f-form", "giay_khen_cap_tren")
    page.fill("#nominate #f-year", "2025")
    page.fill("#nominate #f-achievement", "Sáng kiến sổ theo dõi đoàn viên điện tử")
    page.check("#nominate [data-field=initiative_ids] label:has-text('SK-01') input")
    fill_date(page, "#nominate #f-nominated_on", "2026-03-06")
    submit(page, "nominate")
    wait(page, "#nominations td:has-text('Giấy khen')")
    page.fill("#selection #f-minutes", "Họp BCH bình xét: 3/3 tán thành")
    fill_date(page, "#selection #f-held_on", "2026-03-07")
    submit(page, "selection")
    saved(page, "selection")
    page.check("#draft input[name=nomination_ids]")
    page.fill("#draft #f-year", "2025")
    fill_date(page, "#draft #f-drafted_on", "2026-03-08")
    submit(page, "draft")
    wait(page, "main[data-screen=submission] #submit")
    fill_date(page, "#submit #f-submitted_on", "2026-03-08")
    page.fill("#submit #f-number", "03/TTr-CĐCS")
    submit(page, "submit")
    wait(page, "#submission .badge.submitted")
    done(page)


def test_r2_5_the_grassroots_annual_review_chooses_its_proposal_upward_then_closes(
        world: dict[str, Any]) -> None:
    """R2.5: the annual review's proposal upward is chosen from the nomination the committee
    made (its date as dd/mm/yyyy, the form, the person), not typed; listed, the review closes."""
    wait_caught_up(world["system"], ("awards",))
    page = open_as(world, "a")
    menu(page, "Sơ kết, tổng kết", "reviews")
    go(page, "#/reviews/2025", "reviews")
    choice = "#annual [data-field=nomination_ids] label:has-text('Thạch Thị Sa Rai')"
    wait(page, choice)
    assert "06/03/2026" in page.locator(choice).inner_text()
    assert page.locator("#annual textarea[name=rewards_proposed]").count() == 0
    fill_date(page, "#annual #f-held_on", "2026-03-09")
    page.fill("#annual #f-results", "Phong trào được duy trì; 1 sáng kiến được công nhận")
    page.fill("#annual #f-self_score", "90")
    page.check(f"{choice} input")
    submit(page, "annual")
    wait(page, "#annual-proposed :text('Thạch Thị Sa Rai')")
    assert "06/03/2026" in page.locator("#annual-proposed").inner_text()
    fill_date(page, "#annual-close #f-closed_on", "2026-03-09")
    submit(page, "annual-close")
    wait(page, "#annual-status:text('09/03/2026')")
    shot(world, page, "r2-5-annual-review-links")
    done(page)


def test_r4_3_r4_4_the_upper_union_nominates_selects_and_submits_a_complete_dossier(
        world: dict[str, Any]) -> None:
    synced(world)
    files = world["files"]
    page = open_as(world, "g")
    menu(page, "Đơn vị cấp dưới", "upper")
    assert UNION_NAMES["CS-1"] in page.locator("#submissions-to-us").inner_text()
    menu(page, "Thi đua, khen thưởng", "awards")
    page.select_option("#nominate #f-carries", option_value(page, "#nominate #f-carries", "Thạch Thị Sa Rai"))
    page.select_option("#nominate #f-form", "bang_khen_tinh")
    page.fill("#nominate #f-year", "2025")
    page.fill("#nominate #f-achievement", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh")
    fill_date(page, "#nominate #f-nominated_on", "2026-03-15")
    submit(page, "nominate")
    wait(page, "#nominations td:has-text('Bằng khen')")
    page.fill("#selection #f-minutes", "Họp BTV bình xét: 1/1 tán thành")
    fill_date(page, "#selection #f-held_on", "2026-03-16")
    submit(page, "selection")
    saved(page, "selection")
    page.check("#draft input[name=nomination_ids]")
    page.fill("#draft #f-year", "2025")
    fill_date(page, "#draft #f-drafted_on", "2026-03-17")
    submit(page, "draft")
    wait(page, "main[data-screen=submission] #attach")
    nomination = option_value(page, "#attach #f-nomination_id", "Thạch Thị Sa Rai")
    for kind, with_nomination in (("submission_letter", False), ("initiative_summary", True),
                                  ("recognition_decision", True), ("minutes_extract", False)):
        document = files / f"{kind.replace('_', '-')}.pdf"
        document.write_bytes(base64.b64decode(pdf(kind)))
        page.select_option("#attach #f-kind", kind)
        page.select_option("#attach #f-nomination_id", nomination if with_nomination else "")
        page.set_input_files("#attach input[type=file]", str(document))
        fill_date(page, "#attach #f-attached_on", "2026-03-18")
        submit(page, "attach")
        wait(page, f"#documents td:has-text('{document.name}')")
    wait(page, "#dossier-check .ok")
    fill_date(page, "#submit #f-submitted_on", "2026-03-18")
    page.fill("#submit #f-number", "15/TTr-LĐLĐ")
    submit(page, "submit")
    wait(page, "#submission .badge.submitted")
    shot(world, page, "r4-4-dossier-submitted")
    done(page)


def test_r4_3_r4_5_the_province_decides_the_award_and_revokes_it(world: dict[str, Any]) -> None:
    synced(world)
    page = open_as(world, "h")
    menu(page, "Thi đua, khen thưởng", "awards")
    page.select_option("#decide #f-form", "bang_khen_tinh")
    page.check("#decide input[name=nomination_ids]")
    page.fill("#decide #f-number", "45/QĐ-LĐLĐ")
    fill_date(page, "#decide #f-decided_on", "2026-04-10")
    page.fill("#decide #f-reason", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh")
    page.fill("#decide #f-evidence", "bien-ban-hop-btv.pdf")
    submit(page, "decide")
    wait(page, "main[data-screen=award] #award")
    award = page.locator("#award").inner_text()
    assert "Thạch Thị Sa Rai" in award and "10/04/2026" in award and "Bằng khen" in award, award
    shot(world, page, "r4-5-award-decided")
    menu(page, "Thu hồi khen thưởng", "revoke")
    page.click("#awards-made a:has-text('45/QĐ-LĐLĐ')")
    wait(page, "main[data-screen=revoke] #revoke")
    fill_date(page, "#revoke #f-revoked_on", "2026-06-20")
    page.select_option("#revoke #f-ground", "false_declaration")
    page.fill("#revoke #f-reason", "Thành tích kê khai không đúng thực tế")
    page.fill("#revoke #f-number", "60/QĐ-LĐLĐ")
    submit(page, "revoke")
    wait(page, '#awardees [data-status="revoked"]')
    shown = page.locator("#awardees").inner_text()
    assert "60/QĐ-LĐLĐ" in shown and "20/06/2026" in shown and "Gian dối" in shown, shown
    shot(world, page, "r4-5-award-revoked")
    done(page)


def test_r4_5_r5_1_the_auditor_follows_the_award_from_the_idea_to_its_revocation(
        world: dict[str, Any]) -> None:
    synced(world)
    page = open_as(world, "kiemtoan")
    menu(page, "Kiểm tra quyết định", "audit")
    page.click("#decisions a:has-text('45/QĐ-LĐLĐ')")
    wait(page, "#timeline li")
    stages = [s.get_attribute("data-stage") for s in page.locator("#stages .badge").all()]
    assert {"idea", "registration", "recognition", "proposal", "dossier", "decision"} <= set(stages), stages
    timeline = page.locator("#timeline").inner_text()
    assert "10/04/2026" in timeline and "Lâm Thị Hạnh" in timeline, timeline
    assert page.locator("#verification [data-verified]").get_attribute("data-verified") == "true"
    shot(world, page, "r5-1-audit-trail")
    done(page)
