"""A year of the movement in the small province (``tests.support.province``), made with the
real commands of the reviews and initiatives services, for the awards tests: the facts an
award is judged by are those services' published events, never rows written by hand.

In 2025 the grassroots union CS-1 launches the movement, disseminates it, signs its pledge,
holds its half-year and annual reviews, and is classified "vững mạnh" by Càng Long (TV-CL).
Two initiatives are registered, recognised and applied there: SK-01 by D (60 %) and A (40 %),
developed from D's idea, which goes on to be recognised by Càng Long and by the province;
SK-02 by E alone. CS-2 does nothing all year. ``Call`` runs a command of a service as a
person, on the applications in a unit test or over RPC in a system test, so one script serves
both; ``world`` makes the applications of a unit test, ``to_the_province`` rewards D up to
the province.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from runtime.clock import FixedClock
from runtime.config import Settings
from runtime.context import use_context
from services.awards.application import Awards
from services.initiatives.application import Initiatives
from services.registry.application import Registry
from services.reviews.application import Reviews
from tests.support.province import Province, acting, build, deliver

Call = Callable[..., Any]  # call(service, method, person_letter, *args, **kwargs)

PLEDGE = ("Giao ước thi đua năm 2025 thực hiện phong trào \"Đổi mới, sáng tạo, hiệu quả trong "
          "hoạt động của tổ chức Công đoàn\": mỗi đoàn viên một sáng kiến.")
# R2.3: CS-1's pledged targets for 2025 (kinds of the reviews rule book).
TARGETS = [{"kind": "initiatives_registered", "number": 3, "due_on": "2025-12-31"},
           {"kind": "initiatives_recognised", "number": 2, "due_on": "2025-12-31"},
           {"kind": "members_trained", "number": 30, "due_on": "2025-09-30"}]
FIELDS = {"objective": "Giảm thời gian tra cứu hồ sơ", "implementation_steps": "Khảo sát; xây dựng; áp dụng",
          "scope_feasibility_time": "Toàn đơn vị, từ quý I/2025",
          "expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}
MARKS = {"new_within_unit": 8, "applied_with_benefit": 8, "effectiveness": 8}
# R5.1: the causal chain behind an award, stage by stage, as an auditor's trail orders it
# (a record handed over when its union was merged, split or dissolved: R1.5, last)
STAGE_ORDER = ("idea", "registration", "evaluation", "recognition", "application", "proposal",
               "dossier", "decision", "revocation", "handover")


@dataclass
class Movement:
    province: Province
    initiatives: dict[str, str] = field(default_factory=dict)  # reference -> id

    def person(self, letter: str) -> str:
        return self.province.people[letter]

    def union(self, code: str) -> str:
        return self.province.unions[code]


def _initiative(call: Call, w: Province, reference: str, name: str,
                authors: list[tuple[str, int]], value_saved: int, idea: bool = False) -> str:
    """Registered in January 2025 (developed from its first author's idea, if ``idea``),
    evaluated by a council of A, B, C, recognised in February, applied and reported in May
    with the value it saved."""
    idea_id = call("initiatives", "raise_idea", authors[0][0], w.unions["CS-1"],
                   w.people[authors[0][0]], name, "Ý tưởng: " + FIELDS["objective"],
                   "2025-01-03") if idea else None
    initiative = call("initiatives", "register", authors[0][0], w.unions["CS-1"], reference,
                      "initiative", {"name": name, **FIELDS},
                      [{"person_id": w.people[p], "share": s} for p, s in authors], "2025-01-10",
                      idea_id=idea_id)
    council = [w.people[x] for x in "ABC"]
    call("initiatives", "constitute_council", "A", initiative, council, "2025-01-20",
         "Thành lập hội đồng xét sáng kiến", "05/QĐ-CĐCS")
    call("initiatives", "record_evaluation", "A", initiative, "2025-02-01",
         dict.fromkeys(council, MARKS), dict.fromkeys(council, "for"), "BB-01")
    call("initiatives", "recognise", "A", initiative, "2025-02-10", "Hội đồng tán thành",
         f"12/QĐ-CĐCS-{reference}", ["bien-ban-hoi-dong.pdf"])
    call("initiatives", "report_application", "A", initiative, "2025-02-15",
         "Giảm 60% thời gian tra cứu", value_saved, "2025-05-01")
    return str(initiative)


def movement_year(call: Call, w: Province) -> Movement:
    """CS-1's year 2025, its classification and its two initiatives (see the module)."""
    cs1, m = w.unions["CS-1"], Movement(w)
    call("reviews", "launch", "A", cs1, 2025, "2025-01-05", "Phát động phong trào năm 2025",
         "Kế hoạch: mỗi tổ công đoàn đăng ký ít nhất một sáng kiến")
    call("reviews", "record_dissemination", "A", cs1, 2025, "conference", "2025-01-15",
         "Hội nghị quán triệt", "Toàn thể đoàn viên", 40)
    call("reviews", "sign_pledge", "A", cs1, 2025, "2025-01-20", PLEDGE, items=TARGETS)
    call("reviews", "hold_half_year_review", "A", cs1, "2025-H1", "2025-07-05",
         "Sơ kết 6 tháng đầu năm", ["Hai sáng kiến được công nhận"])
    call("reviews", "hold_half_year_review", "A", cs1, "2025-H2", "2026-01-08",
         "Sơ kết 6 tháng cuối năm", ["Nhân rộng sáng kiến SK-01"])
    call("reviews", "hold_annual_review", "A", cs1, 2025, "2026-01-20", "Tổng kết năm 2025", 95,
         self_assessment=[{"kind": "initiatives_registered", "achieved": 2},
                          {"kind": "members_trained", "achieved": 25, "note": "Một lớp tập huấn"}])
    call("reviews", "classify", "G", cs1, 2025, w.unions["TV-CL"], "2026-02-10", 95)
    m.initiatives["SK-01"] = _initiative(call, w, "SK-01", "Sổ theo dõi đoàn viên điện tử",
                                         [("D", 60), ("A", 40)], 12_500_000, idea=True)
    m.initiatives["SK-02"] = _initiative(call, w, "SK-02", "Quy trình tiếp nhận ý kiến đoàn viên",
                                         [("E", 100)], 15_000_000)
    sk01 = m.initiatives["SK-01"]
    call("initiatives", "propose", "A", sk01, "2025-05-02", "Hiệu quả cao")
    call("initiatives", "recognise_at_level", "G", sk01, "direct_superior", "2025-05-20",
         "Hiệu quả trong toàn huyện", "30/QĐ-LĐLĐ")
    call("initiatives", "propose", "G", sk01, "2025-06-01", "Đề nghị LĐLĐ tỉnh")
    call("initiatives", "recognise_at_level", "H", sk01, "province", "2025-06-20",
         "Phạm vi ảnh hưởng toàn tỉnh", "99/QĐ-LĐLĐ")
    return m


def pdf(text: str) -> str:
    """A small document's content, base64 (the bytes stand for a scanned, signed paper)."""
    return base64.b64encode(f"%PDF-1.4\n% {text}\n".encode()).decode("ascii")


def full_dossier(call: Call, letter: str, submission: str, nominations: dict[str, str],
                 on: str) -> None:
    """Every item of R4.4 for the listed nominations: the letter, each nominee's summary
    (``nominations``: nomination id -> individual | collective), the minutes extract."""
    call("awards", "attach_document", letter, submission, "submission_letter", "to-trinh.pdf",
         "application/pdf", pdf("Tờ trình"), on)
    for nomination, subject in nominations.items():
        kind = "initiative_summary" if subject == "individual" else "achievement_summary"
        call("awards", "attach_document", letter, submission, kind, f"{kind}.pdf",
             "application/pdf", pdf(f"{kind} {nomination}"), on, nomination)
    call("awards", "attach_document", letter, submission, "minutes_extract", "trich-bien-ban.pdf",
         "application/pdf", pdf("Trích biên bản họp bình xét"), on)


def to_the_province(call: Call, m: Movement) -> dict[str, Any]:
    """D's year 2025, rewarded up the tree: CS-1's committee gives D a Giấy khen and proposes D
    to Càng Long, which takes D to the province with a dossier; the province returns it once,
    Càng Long supplements it, and the province's standing committee (H) confers its Bằng khen
    on 10/4/2026. Returns every id an auditor would look for."""
    w, sk01 = m.province, m.initiatives["SK-01"]
    cs1, cl, tv = w.unions["CS-1"], w.unions["TV-CL"], w.unions["TV"]
    call("awards", "attest", "A", cs1, "individual", w.people["D"], 2025, "2026-02-15",
         "Nội bộ đoàn kết, chấp hành tốt chủ trương, pháp luật", ["xac-nhan-cua-dang-uy.pdf"])
    own = call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
               "giay_khen_cdcs", "Sáng kiến sổ theo dõi đoàn viên điện tử", "2026-03-01",
               initiative_ids=[sk01])
    grassroots = call("awards", "decide_award", "A", cs1, "giay_khen_cdcs", "2026-03-05",
                      "05/QĐ-CĐCS", [own["nomination_id"]], "Thành tích năm 2025")
    up = call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
              "giay_khen_cap_tren", "Sáng kiến sổ theo dõi đoàn viên điện tử", "2026-03-06",
              initiative_ids=[sk01])
    call("awards", "hold_selection", "A", cs1, "2026-03-07", [w.people[x] for x in "ABC"],
         {up["nomination_id"]: {"for": 3}}, "Họp BCH bình xét: 3/3 tán thành")
    to_cl = call("awards", "draft_submission", "A", cs1, 2025, [up["nomination_id"]], "2026-03-08")
    call("awards", "submit", "A", to_cl, "2026-03-08", "03/TTr-CĐCS")
    to_tv = call("awards", "nominate", "G", cl, "individual", w.people["D"], 2025,
                 "bang_khen_tinh", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh", "2026-03-15",
                 carries=up["nomination_id"])
    call("awards", "hold_selection", "G", cl, "2026-03-16", [w.people["G"]],
         {to_tv["nomination_id"]: {"for": 1}}, "Họp BTV bình xét")
    submission = call("awards", "draft_submission", "G", cl, 2025, [to_tv["nomination_id"]],
                      "2026-03-17")
    full_dossier(call, "G", submission, {to_tv["nomination_id"]: "individual"}, "2026-03-18")
    call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    call("awards", "return_submission", "H", submission, "2026-03-25",
         "Bổ sung bản sao quyết định công nhận sáng kiến", ["recognition_decision"])
    call("awards", "attach_document", "G", submission, "recognition_decision", "qd-12.pdf",
         "application/pdf", pdf("QĐ 12/QĐ-CĐCS"), "2026-03-26", to_tv["nomination_id"])
    call("awards", "submit", "G", submission, "2026-03-26", "15/TTr-LĐLĐ")
    award = call("awards", "decide_award", "H", tv, "bang_khen_tinh", "2026-04-10",
                 "99/QĐ-LĐLĐ", [to_tv["nomination_id"]], "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh",
                 evidence=["bien-ban-hop-btv.pdf"])
    return {"initiative": sk01, "grassroots_award": grassroots["award_id"],
            "nominations": [own["nomination_id"], up["nomination_id"], to_tv["nomination_id"]],
            "submissions": [to_cl, submission], "award": award["award_id"]}


@dataclass
class World:
    registry: Registry
    initiatives: Initiatives
    reviews: Reviews
    awards: Awards
    m: Movement

    def call(self, service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
        with use_context(acting(self.m.person(letter))):
            return getattr(getattr(self, service), method)(*args, **kwargs)

    def sync(self) -> None:
        """Delivers every upstream event published so far to awards, as its inboxes would."""
        for source in (self.registry, self.initiatives, self.reviews):
            self.awards.receive(source.service, "catch-up", source.published_page)

    def p(self, letter: str) -> str:
        return self.m.person(letter)

    def u(self, code: str) -> str:
        return self.m.union(code)


def world(settings: Settings) -> World:
    """The four applications on one store, the province built, the year 2025 lived (on a
    clock fixed at 30/6/2026) and delivered to awards."""
    clock = FixedClock(datetime(2026, 6, 30, tzinfo=UTC))
    registry = Registry(settings)
    province = build(registry)
    initiatives, reviews = Initiatives(settings, clock=clock), Reviews(settings, clock=clock)
    deliver(registry, initiatives, reviews)
    made = World(registry, initiatives, reviews, Awards(settings, clock=clock), Movement(province))
    made.m = movement_year(made.call, province)
    made.sync()
    return made
