"""A year of the movement in the demo province (``deploy/demo/tra-vinh.json``), made through
the gateway's HTTP API by the province's own people, so that every screen has something to
show on the first start of ``make run``.

It talks HTTP only, as a front end does: the administrator signs in, makes a login for each
person who acts (``USERS``, password ``EMU_DEMO_PASSWORD``), and each of them gives the
commands of their role, dated in 2025 and early 2026:

- Liên đoàn Lao động tỉnh Trà Vinh, LĐLĐ huyện Càng Long, Công đoàn các Khu kinh tế and six
  grassroots unions launch the movement (R2.1), disseminate it (R2.2), sign their pledges
  (R2.3), hold their half-year and annual reviews with their self-inspection and the rewards
  they propose upward (R2.4, R2.5, R2.7); the upper unions classify (R2.6); difficulties go to
  the Policy–Law department, which answers one of them (R2.8); 2026 is launched.
- Members raise ideas, the incubation teams coach them, one is withdrawn, one becomes an
  initiative (R3.1); initiatives stand at every stage: registered, council convened,
  evaluated, recognised, refused with reasons, a topic accepted, applied, proposed,
  recognised and declined above, adopted and replicated by another union, revoked
  (R3.2–R3.8).
- Awards: a Giấy khen decided at grassroots; a nomination carried to the district, selected,
  submitted, carried on to the province with a dossier that is returned once and
  resubmitted, and the province's Bằng khen decided; another Giấy khen decided and then
  revoked (R4.1–R4.5).
- A reorganisation shaped like 2025's (R1.5), once the year is done: on 01/07/2026 the
  district federations are dissolved, their grassroots unions moved under the province or
  one of two new regional unions, Vĩnh Long's federation merged into Trà Vinh's (which takes
  the name of Vĩnh Long), and the Phương Thạnh school's union merged into Đức Mỹ's. The
  administrator previews the plan, then applies it; everything dated before it keeps the old
  tree. After it, the council Phương Thạnh convened evaluates one initiative and Đức Mỹ's
  committee recognises another, both taken over from Phương Thạnh, and a member of Điện gió,
  now under a regional union, raises an idea.

Every command carries a fixed ``Idempotency-Key`` (``demo-2025/<step>``): on a later start the
gateway answers each from its record of the first outcome, so nothing is done twice and the
ids the later steps need come back the same. A command refused because the facts it is judged
by have not reached its service yet is asked again under the next key (``…#2``), which a later
start replays the same way. ``python -m demo.activity`` prints one line when it is done.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PREFIX = "demo-2025"
PATIENCE = 90.0  # seconds a refused step is asked again while the facts it needs arrive
# R2.3: what each grassroots union's 2025 pledge commits to (kinds of the reviews rule book),
# and, R2.5, the figures Điện gió's annual review gives for them (members trained are known
# only from the union's own figure; the rest the reviews service counts).
PLEDGE_TARGETS_2025 = [{"kind": "initiatives_registered", "number": 2, "due_on": "2025-12-31"},
                       {"kind": "initiatives_recognised", "number": 1, "due_on": "2025-12-31"},
                       {"kind": "members_trained", "number": 30, "due_on": "2025-10-31"}]
SELF_ASSESSED_2025 = {"TV-CS-0020": [
    {"kind": "initiatives_registered", "achieved": 4},
    {"kind": "initiatives_recognised", "achieved": 2},
    {"kind": "members_trained", "achieved": 36, "note": "2 lớp tập huấn an toàn vận hành"}]}
# R1.5: the reorganisation plan's date; the demo's decisions before it keep the old tree.
PLAN_ON, PLAN_SIGNED_ON, DAY_BEFORE = "2026-07-01", "2026-06-20", "2026-06-30"
# The new regional unions and the district federations whose grassroots unions they take over;
# the city federations' grassroots unions go under the province itself.
REGIONS = {"TV-KV-01": ("Công đoàn khu vực Càng Long – Cầu Kè", ("TV-CT-03", "TV-CT-09")),
           "TV-KV-02": ("Công đoàn khu vực Châu Thành – Trà Cú", ("TV-CT-05", "TV-CT-07"))}
CITY_FEDERATIONS = ("TV-CT-01", "VL-CT-01")
# A district federation's chairwoman leads the regional union taking over its grassroots
# unions: the administrator grants her that role once the plan applies (the gateway checks a
# call, a repeated one too, against the tree of today).
REGROUPED = {"ldld.canglong": ("standing", "TV-KV-01")}
PERMANENT = {"UNAUTHENTICATED", "TOKEN_INVALID", "TOKEN_EXPIRED", "LOGIN_FAILED",
             "ROLE_NOT_ALLOWED", "READ_ONLY_ROLE", "OUTSIDE_YOUR_SCOPE", "VALIDATION_FAILED",
             "IDEMPOTENCY_KEY_REUSED", "REQUEST_ALREADY_APPLIED"}
BUSY = {"IDEMPOTENCY_IN_PROGRESS"}

# Who acts, with the role the administrator grants: login -> (person code, role, union code).
USERS: dict[str, tuple[str | None, str, str]] = {
    "ldld.tinh": ("TV-DV-000001", "standing", "TV"),  # Lý Văn Vũ, Chủ tịch LĐLĐ tỉnh
    "ban.csphapluat": ("TV-DV-000005", "official", "TV"),  # Kim Sô Phol, Trưởng ban CS-PL
    "ldld.canglong": ("TV-DV-000118", "standing", "TV-CT-03"),  # Lê Thị Vân
    "cd.khukinhte": ("TV-DV-000251", "standing", "TV-CT-06"),  # Nguyễn Phước Trung
    "cdcs.diengio": ("TV-DV-000144", "executive", "TV-CS-0020"),  # Đoàn Minh Nam
    "uommam.diengio": ("TV-DV-000146", "official", "TV-CS-0020"),  # Nguyễn Phương Thúy
    "doanvien.diengio": ("TV-DV-000147", "member", "TV-CS-0020"),  # Huỳnh Thị Hà
    "cdcs.phuongthanh": ("TV-DV-000134", "executive", "TV-CS-0019"),  # Nguyễn Thị Châu
    "cdcs.antruonga": ("TV-DV-000157", "executive", "TV-CS-0022"),  # Nguyễn Văn Minh
    "uommam.antruonga": ("TV-DV-000159", "official", "TV-CS-0022"),  # Huỳnh Thị Ngọc
    "doanvien.antruonga": ("TV-DV-000162", "member", "TV-CS-0022"),  # Lê Trung Thiện
    "cdcs.cokhi": ("TV-DV-000282", "executive", "TV-CS-0039"),  # Võ Thị Xuân
    "cdcs.tanthanhphat": ("TV-DV-000273", "executive", "TV-CS-0038"),  # Nguyễn Văn Long
    "cdcs.buudien": ("TV-DV-000032", "executive", "TV-CS-0004"),  # Nguyễn Bích Phượng
    "kiemtoan.tinh": (None, "auditor", "TV"),
    "cdcs.ducmy": ("TV-DV-000150", "executive", "TV-CS-0021"),  # Võ Ngọc My, from 01/07/2026
}
# The grassroots unions whose members the script names (a person's id is read from there).
MEMBERS_OF = ("TV-CS-0001", "TV-CS-0004", "TV-CS-0017", "TV-CS-0018", "TV-CS-0019",
              "TV-CS-0020", "TV-CS-0021", "TV-CS-0022", "TV-CS-0035", "TV-CS-0038",
              "TV-CS-0039")

MOVEMENT = "“Đổi mới, sáng tạo, hiệu quả trong hoạt động của tổ chức Công đoàn”"
MARKS_HIGH = {"new_within_unit": 9, "applied_with_benefit": 9, "effectiveness": 8}
MARKS_GOOD = {"new_within_unit": 8, "applied_with_benefit": 7, "effectiveness": 7}
MARKS_LOW = {"new_within_unit": 4, "applied_with_benefit": 3, "effectiveness": 3}


class DemoError(Exception):
    """A step was refused for good, or the gateway did not answer."""


def pdf(text: str) -> str:
    """A small document, base64 (it stands for a scanned, signed paper)."""
    return base64.b64encode(f"%PDF-1.4\n% {text}\n".encode()).decode("ascii")


class Placeholder(str):
    """What a step returns while the steps are only counted: any id, any field of a result."""

    def __getitem__(self, _key: Any) -> Placeholder:  # type: ignore[override]
        return self


@dataclass
class Tally:
    steps: int = 0
    new: int = 0
    replayed: int = 0
    names: list[str] = field(default_factory=list)  # each step's name, in order


@dataclass
class Activity:
    base_url: str
    admin_password: str
    password: str
    patience: float = PATIENCE
    counting: bool = False
    tally: Tally = field(default_factory=Tally)
    unions: dict[str, str] = field(default_factory=dict)  # code -> id
    below: dict[str, list[str]] = field(default_factory=dict)  # code -> its children's codes
    people: dict[str, str] = field(default_factory=dict)  # code -> id
    tokens: dict[str, str] = field(default_factory=dict)  # login -> token
    progress: Callable[[Tally], None] | None = None

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=60)

    def close(self) -> None:
        self.http.close()

    # --- talking to the gateway ---------------------------------------------------------------

    def _send(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        """One request, sent again while the system gives no answer (starting, busy)."""
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        deadline = time.monotonic() + self.patience
        while True:
            try:
                response = self.http.request(method, path, headers=headers, **kwargs)
            except httpx.TransportError as error:
                if time.monotonic() > deadline:
                    raise DemoError(f"{path}: the gateway does not answer ({error})") from None
            else:
                code = _code(response)
                if response.status_code < 500 and code not in BUSY:
                    return response
                if time.monotonic() > deadline:
                    raise DemoError(f"{path}: {response.status_code} {code}")
            time.sleep(0.5)

    def sign_in(self, username: str, password: str) -> str:
        response = self._send("POST", "/v1/auth/token",
                              json={"username": username, "password": password})
        if response.status_code != 200:
            raise DemoError(f"sign-in of {username}: {response.status_code} {_code(response)}")
        token = str(response.json()["access_token"])
        self.tokens[username] = token
        return token

    def query(self, login: str, service: str, method: str, **params: Any) -> Any:
        response = self._send("GET", _path(service, method), self.tokens[login],
                              params={k: v for k, v in params.items() if v is not None})
        if response.status_code != 200:
            raise DemoError(f"{service}.{method}: {response.status_code} {_code(response)}")
        body = response.json()
        return body.get("result", body.get("items"))

    def step(self, name: str, login: str, service: str, method: str, **args: Any) -> Any:
        """One command as ``login``, under its own fixed idempotency key."""
        self.tally.steps += 1
        self.tally.names.append(name)
        if self.counting:
            return Placeholder(name)
        path, attempt = _path(service, method), 1
        deadline = time.monotonic() + self.patience
        while True:
            key = f"{PREFIX}/{name}" + (f"#{attempt}" if attempt > 1 else "")
            response = self._send("POST", path, self.tokens[login], json=args,
                                  headers={"Idempotency-Key": key})
            if response.status_code < 300:
                replayed = response.headers.get("Idempotent-Replayed") == "true"
                if replayed:
                    self.tally.replayed += 1
                else:
                    self.tally.new += 1
                if self.progress:
                    self.progress(self.tally)
                return response.json().get("result")
            code = _code(response)
            done_before = code is not None and (code.startswith("ALREADY_")
                                                or code.endswith("_EXISTS"))
            if code in PERMANENT or done_before or response.status_code in (400, 401) \
                    or time.monotonic() > deadline:
                detail = response.json().get("detail") if response.content else ""
                raise DemoError(f"{name} ({service}.{method} as {login}): "
                                f"{response.status_code} {code}: {detail}")
            # Refused, perhaps because a fact it is judged by has not reached the service yet
            # (a union, a recognition): ask again under the next key.
            attempt += 1
            time.sleep(0.3)

    # --- the cast -----------------------------------------------------------------------------

    def u(self, code: str) -> str:
        return Placeholder(code) if self.counting else self.unions[code]

    def p(self, number: str) -> str:
        """A person by the number of their member code (``147``: ``TV-DV-000147``)."""
        code = f"TV-DV-{int(number):06d}"
        return Placeholder(code) if self.counting else self.people[code]

    def ps(self, *numbers: str) -> list[str]:
        return [self.p(n) for n in numbers]

    def cast(self) -> None:
        """Signs in as the administrator, reads the ids of the unions and people, makes each
        user who acts (unless they exist) and signs each in."""
        self.sign_in("admin", self.admin_password)
        # The tree the year was made in: the day before the reorganisation (R1.5).
        self._walk(self.query("admin", "registry", "tree", limit=200, as_of=DAY_BEFORE))
        missing = sorted(({union for _, _, union in USERS.values()} | set(MEMBERS_OF))
                         - set(self.unions))
        if missing:
            raise DemoError(f"the demo province is not loaded (no union {', '.join(missing)})")
        for code in MEMBERS_OF:
            members = self.query("admin", "registry", "members", union_id=self.unions[code],
                                 limit=100, as_of=DAY_BEFORE)
            for person in members:
                self.people[person["code"]] = person["id"]
        missing = sorted({p for p, _, _ in USERS.values() if p} - set(self.people))
        if missing:
            raise DemoError(f"the demo province is not loaded (no member {', '.join(missing)})")
        for login, (person, role, union) in USERS.items():
            # Made unless it exists (409: made on an earlier start), rather than a sign-in
            # tried first: failed sign-ins are what a limit per address counts.
            response = self._send("POST", "/v1/users", self.tokens["admin"], json={
                "username": login, "password": self.password,
                "person_id": self.people[person] if person else None,
                "roles": [{"role": role, "union_id": self.unions[union]}]})
            if response.status_code not in (201, 409):
                raise DemoError(f"user {login}: {response.status_code} {_code(response)}")
            self.sign_in(login, self.password)

    def _walk(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._walk(item)
        elif isinstance(node, dict):
            if "code" in node and "id" in node:
                self.unions[node["code"]] = node["id"]
                self.below[node["code"]] = sorted(
                    child["code"] for child in node.get("children") or []
                    if isinstance(child, dict) and "code" in child)
            for value in node.values():
                if isinstance(value, list | dict):
                    self._walk(value)

    # --- the year -----------------------------------------------------------------------------

    def year(self) -> None:
        self.movement()
        self.ideas()
        self.initiatives()
        self.reviews()
        self.awards()
        self.next_year()
        self.reorganisation()

    def movement(self) -> None:
        """R2.1–R2.3: launches, dissemination by kind, pledges (January–March 2025)."""
        s = self.step
        s("tinh/launch", "ldld.tinh", "reviews", "launch", union_id=self.u("TV"), year=2025,
          launched_on="2025-01-10", number="05/KH-LĐLĐ",
          title=f"Phát động phong trào thi đua {MOVEMENT} năm 2025",
          plan="Mỗi công đoàn cơ sở có ít nhất một sáng kiến được công nhận; mỗi công đoàn cấp "
               "trên trực tiếp cơ sở chọn và đề nghị LĐLĐ tỉnh công nhận ít nhất một sáng kiến "
               "có phạm vi ảnh hưởng; sơ kết 6 tháng trước 15/7/2025, tổng kết trước 31/01/2026.")
        s("tinh/dissemination/conference", "ldld.tinh", "reviews", "record_dissemination",
          union_id=self.u("TV"), year=2025, kind="conference", held_on="2025-01-16",
          title="Hội nghị quán triệt Kế hoạch thi đua năm 2025",
          audience="Chủ tịch các công đoàn cấp trên trực tiếp cơ sở và công đoàn cơ sở trực thuộc",
          reach=124)
        s("tinh/dissemination/union-media", "ldld.tinh", "reviews", "record_dissemination",
          union_id=self.u("TV"), year=2025, kind="union_media", held_on="2025-02-05",
          title="Chuyên mục “Sáng kiến người lao động” trên Bản tin Công đoàn Trà Vinh",
          audience="Đoàn viên, người lao động toàn tỉnh", reach=45000)
        for code, login, on, reach, place in (
                ("TV-CT-03", "ldld.canglong", "2025-01-15", 86, "Hội trường LĐLĐ huyện Càng Long"),
                ("TV-CT-06", "cd.khukinhte", "2025-01-17", 64, "Ban Quản lý Khu kinh tế")):
            key = code.lower()
            s(f"{key}/launch", login, "reviews", "launch", union_id=self.u(code), year=2025,
              launched_on=on, title=f"Phát động phong trào thi đua {MOVEMENT} năm 2025",
              plan="Triển khai Kế hoạch 05/KH-LĐLĐ của LĐLĐ tỉnh đến các công đoàn cơ sở; "
                   "đăng ký sáng kiến trước 31/3/2025; kiểm tra, sơ kết 6 tháng và tổng kết năm.")
            s(f"{key}/dissemination/conference", login, "reviews", "record_dissemination",
              union_id=self.u(code), year=2025, kind="conference", held_on=on[:8] + "24",
              title="Hội nghị triển khai phong trào thi đua năm 2025",
              audience=f"Chủ tịch công đoàn cơ sở trực thuộc, tại {place}", reach=reach)
        s("tv-ct-03/dissemination/seminar", "ldld.canglong", "reviews", "record_dissemination",
          union_id=self.u("TV-CT-03"), year=2025, kind="seminar", held_on="2025-03-20",
          title="Tọa đàm “Người lao động Càng Long sáng tạo”",
          audience="Đoàn viên tiêu biểu các công đoàn cơ sở", reach=52)
        grassroots = (
            ("TV-CS-0020", "cdcs.diengio", "2025-01-20", 6, "banner",
             "Băng rôn “Mỗi tổ vận hành một sáng kiến” tại nhà điều hành"),
            ("TV-CS-0019", "cdcs.phuongthanh", "2025-01-21", 10, "conference",
             "Hội nghị viên chức, người lao động triển khai phong trào"),
            ("TV-CS-0022", "cdcs.antruonga", "2025-01-22", 8, "agency_media",
             "Thông báo trên trang thông tin điện tử của xã An Trường A"),
            ("TV-CS-0039", "cdcs.cokhi", "2025-01-23", 7, "leaflet",
             "Tờ rơi hướng dẫn đăng ký sáng kiến phát tại các tổ sản xuất"),
            ("TV-CS-0038", "cdcs.tanthanhphat", "2025-01-24", 9, "conference",
             "Hội nghị người lao động năm 2025"),
            ("TV-CS-0004", "cdcs.buudien", "2025-01-27", 6, "slogan",
             "Khẩu hiệu “Bưu điện Trà Vinh đổi mới để phục vụ tốt hơn” tại các bưu cục"),
        )
        for code, login, on, reach, kind, title in grassroots:
            key = code.lower()
            s(f"{key}/launch", login, "reviews", "launch", union_id=self.u(code), year=2025,
              launched_on=on, title=f"Phát động phong trào thi đua {MOVEMENT} năm 2025",
              plan="Mỗi tổ công đoàn đăng ký ít nhất một sáng kiến; Ban Chấp hành xét, công nhận "
                   "sáng kiến hằng quý và đề nghị cấp trên những sáng kiến hiệu quả.")
            s(f"{key}/dissemination", login, "reviews", "record_dissemination",
              union_id=self.u(code), year=2025, kind=kind, held_on=on[:8] + "28",
              title=title, audience="Toàn thể đoàn viên, người lao động", reach=reach * 12)
            s(f"{key}/pledge", login, "reviews", "sign_pledge", union_id=self.u(code), year=2025,
              signed_on=on[:5] + "02-03",
              content=f"Giao ước thi đua năm 2025 thực hiện phong trào {MOVEMENT}: Ban Chấp hành "
                      "và toàn thể đoàn viên cam kết đổi mới cách làm, sáng tạo trong lao động, "
                      "nâng cao hiệu quả công việc.",
              commitments=["Mỗi tổ công đoàn có ít nhất một sáng kiến đăng ký",
                           "Sơ kết 6 tháng, tổng kết năm đúng thời hạn",
                           "Nhân rộng ít nhất một sáng kiến hiệu quả"],
              items=PLEDGE_TARGETS_2025)

    def ideas(self) -> None:
        """R3.1: ideas raised, coached, withdrawn (February–August 2025)."""
        s = self.step
        self.turbine_idea = s(
            "diengio/idea/turbine", "doanvien.diengio", "initiatives", "raise_idea",
            union_id=self.u("TV-CS-0020"), author_id=self.p("147"), raised_on="2025-02-10",
            title="Kiểm tra định kỳ tua-bin gió theo danh mục rút gọn",
            description="Gộp các hạng mục kiểm tra trùng lặp giữa kiểm tra tháng và kiểm tra "
                        "quý; kiểm tra theo tình trạng thiết bị thay vì theo lịch cố định.")
        s("diengio/idea/turbine/coach-1", "uommam.diengio", "initiatives", "coach_idea",
          idea_id=self.turbine_idea, on="2025-02-14",
          text="Nên thống kê thời gian dừng máy của 12 tháng trước để có số liệu so sánh; Tổ "
               "sẽ hỗ trợ lập biểu mẫu theo dõi.")
        s("diengio/idea/turbine/coach-2", "uommam.diengio", "initiatives", "coach_idea",
          idea_id=self.turbine_idea, on="2025-02-24",
          text="Đề nghị làm thử trên 3 tua-bin cụm A trong tháng 3 trước khi đăng ký sáng kiến.")
        sensor = s("diengio/idea/vibration", "doanvien.diengio", "initiatives", "raise_idea",
                   union_id=self.u("TV-CS-0020"), author_id=self.p("147"), raised_on="2025-08-12",
                   title="Cảnh báo sớm rung bất thường của hộp số qua điện thoại",
                   description="Gửi tin nhắn cho tổ trực ca khi cảm biến rung vượt ngưỡng, "
                               "không chờ đến lượt kiểm tra.")
        s("diengio/idea/vibration/coach", "uommam.diengio", "initiatives", "coach_idea",
          idea_id=sensor, on="2025-08-20",
          text="Cần trao đổi với phòng kỹ thuật về ngưỡng rung của nhà sản xuất trước khi làm thử.")
        zalo = s("antruonga/idea/zalo", "doanvien.antruonga", "initiatives", "raise_idea",
                 union_id=self.u("TV-CS-0022"), author_id=self.p("162"), raised_on="2025-04-03",
                 title="Trả lời thủ tục hành chính cho người dân qua Zalo OA của xã",
                 description="Người dân hỏi thủ tục qua Zalo, cán bộ trả lời theo mẫu soạn sẵn, "
                             "giảm số lần người dân phải đến trụ sở.")
        s("antruonga/idea/zalo/coach", "uommam.antruonga", "initiatives", "coach_idea",
          idea_id=zalo, on="2025-04-10",
          text="Ý tưởng tốt; cần phân công người trực trả lời và thống kê số lượt hỏi mỗi tuần.")
        archive = s("antruonga/idea/archive", "doanvien.antruonga", "initiatives", "raise_idea",
                    union_id=self.u("TV-CS-0022"), author_id=self.p("162"),
                    raised_on="2025-06-05",
                    title="Sắp xếp kho hồ sơ địa chính theo mã QR",
                    description="Dán mã QR lên từng hộp hồ sơ, tra cứu vị trí bằng điện thoại.")
        s("antruonga/idea/archive/coach", "uommam.antruonga", "initiatives", "coach_idea",
          idea_id=archive, on="2025-06-16",
          text="Đề nghị ước tính thời gian tìm hồ sơ hiện nay để so sánh sau khi áp dụng.")
        saturday = s("antruonga/idea/saturday", "doanvien.antruonga", "initiatives", "raise_idea",
                     union_id=self.u("TV-CS-0022"), author_id=self.p("162"),
                     raised_on="2025-07-07",
                     title="Tiếp nhận hồ sơ vào sáng thứ Bảy",
                     description="Mở bộ phận một cửa sáng thứ Bảy cho người lao động đi làm xa.")
        s("antruonga/idea/saturday/withdraw", "doanvien.antruonga", "initiatives", "withdraw_idea",
          idea_id=saturday, on="2025-08-20",
          reason="UBND xã đã tổ chức tiếp nhận hồ sơ sáng thứ Bảy từ tháng 8/2025.")

    def _initiative(self, key: str, login: str, union: str, reference: str, name: str,
                    authors: list[tuple[str, int]], registered_on: str, objective: str,
                    steps: str, scope: str, effect: str, kind: str = "initiative",
                    idea_id: str | None = None) -> str:
        args: dict[str, Any] = {
            "union_id": self.u(union), "reference": reference, "kind": kind,
            "registered_on": registered_on,
            "fields": {"name": name, "objective": objective, "implementation_steps": steps,
                       "scope_feasibility_time": scope, "expected_effectiveness": effect},
            "authors": [{"person_id": self.p(n), "share": share} for n, share in authors]}
        if idea_id:
            args["idea_id"] = idea_id
        return str(self.step(f"{key}/register", login, "initiatives", "register", **args))

    def _council(self, key: str, login: str, initiative: str, members: list[str], on: str,
                 number: str) -> None:
        self.step(f"{key}/council", login, "initiatives", "constitute_council",
                  initiative_id=initiative, members=members, on=on, number=number,
                  reason="Thành lập Hội đồng xét công nhận sáng kiến")

    def _evaluate(self, key: str, login: str, initiative: str, members: list[str], on: str,
                  marks: list[dict[str, int]], votes: list[str], minutes: str) -> None:
        self.step(f"{key}/evaluation", login, "initiatives", "record_evaluation",
                  initiative_id=initiative, on=on, minutes=minutes,
                  scores=dict(zip(members, marks, strict=True)),
                  votes=dict(zip(members, votes, strict=True)))

    def initiatives(self) -> None:
        """R3.2–R3.8 in three grassroots unions (March–December 2025)."""
        s = self.step
        # Công ty TNHH Điện gió Hoàng Gia: council Đoàn Minh Nam, Nguyễn Phương Uyên, Nguyễn Phương Thúy
        dg_council = self.ps("144", "145", "146")
        turbine = self.turbine = self._initiative(
            "diengio/turbine", "doanvien.diengio", "TV-CS-0020", "DG-SK-2025-01",
            "Cải tiến quy trình kiểm tra định kỳ tua-bin gió", [("147", 60), ("148", 40)],
            "2025-03-03", idea_id=self.turbine_idea,
            objective="Rút ngắn thời gian dừng máy khi kiểm tra định kỳ, giữ an toàn thiết bị",
            steps="Rà soát 146 hạng mục kiểm tra; gộp hạng mục trùng lặp; lập danh mục rút gọn "
                  "theo tình trạng thiết bị; làm thử trên 3 tua-bin cụm A; áp dụng toàn nhà máy",
            scope="Toàn bộ 24 tua-bin của nhà máy, từ tháng 4/2025",
            effect="Giảm 40% thời gian dừng máy khi kiểm tra, tăng sản lượng điện phát")
        self._council("diengio/turbine", "cdcs.diengio", turbine, dg_council, "2025-03-10",
                      "03/QĐ-CĐCS")
        self._evaluate("diengio/turbine", "cdcs.diengio", turbine, dg_council, "2025-03-20",
                       [MARKS_HIGH, MARKS_HIGH, MARKS_GOOD], ["for", "for", "for"],
                       "Biên bản họp Hội đồng ngày 20/3/2025: 3/3 thành viên tán thành")
        s("diengio/turbine/recognise", "cdcs.diengio", "initiatives", "recognise",
          initiative_id=turbine, decided_on="2025-03-28", number="07/QĐ-CĐCS",
          reason="Hội đồng đánh giá có tính mới trong phạm vi công ty, đã làm thử có hiệu quả",
          evidence=["bien-ban-hoi-dong-20-3-2025.pdf"])
        s("diengio/turbine/application", "uommam.diengio", "initiatives", "report_application",
          initiative_id=turbine, applied_from="2025-04-01", reported_on="2025-09-30",
          benefit="Thời gian dừng máy mỗi lần kiểm tra giảm từ 10 giờ xuống 6 giờ; sản lượng "
                  "tăng khoảng 310 MWh trong 6 tháng", value_saved_vnd=185_000_000)
        s("diengio/turbine/propose", "cdcs.diengio", "initiatives", "propose",
          initiative_id=turbine, proposed_on="2025-10-06", number="21/TTr-CĐCS",
          reason="Áp dụng hiệu quả cao, có thể nhân rộng ở các nhà máy điện gió trong tỉnh")
        s("diengio/turbine/recognise-district", "ldld.canglong", "initiatives",
          "recognise_at_level", initiative_id=turbine, scope="direct_superior",
          decided_on="2025-10-20", number="45/QĐ-LĐLĐ",
          reason="Sáng kiến hiệu quả, có giá trị làm lợi lớn trong toàn huyện")
        s("diengio/turbine/propose-province", "ldld.canglong", "initiatives", "propose",
          initiative_id=turbine, proposed_on="2025-10-27", number="38/TTr-LĐLĐ",
          reason="Đề nghị LĐLĐ tỉnh công nhận sáng kiến có phạm vi ảnh hưởng toàn tỉnh")
        s("diengio/turbine/recognise-province", "ldld.tinh", "initiatives", "recognise_at_level",
          initiative_id=turbine, scope="province", decided_on="2025-11-14",
          number="112/QĐ-LĐLĐ", reason="Sáng kiến có hiệu quả, phạm vi ảnh hưởng trong toàn tỉnh")
        s("diengio/turbine/adopt", "cdcs.tanthanhphat", "initiatives", "adopt",
          initiative_id=turbine, union_id=self.u("TV-CS-0038"), adopted_on="2025-11-25",
          reason="Nhà máy có cùng loại tua-bin; Ban Chấp hành thống nhất áp dụng",
          note="Áp dụng cho 16 tua-bin từ tháng 12/2025")
        s("diengio/turbine/replication", "cdcs.tanthanhphat", "initiatives", "report_replication",
          initiative_id=turbine, union_id=self.u("TV-CS-0038"), reported_on="2025-12-22",
          benefit="Thời gian dừng máy kiểm tra giảm 35% ngay tháng đầu áp dụng",
          value_saved_vnd=42_000_000)

        transformer = self._initiative(
            "diengio/logbook", "cdcs.diengio", "TV-CS-0020", "DG-SK-2025-02",
            "Số hoá sổ nhật ký vận hành trạm biến áp 110 kV", [("149", 100)], "2025-04-15",
            objective="Thay sổ giấy bằng biểu mẫu điện tử, tra cứu sự kiện vận hành nhanh",
            steps="Thiết kế biểu mẫu; nhập liệu thử 1 tháng song song sổ giấy; áp dụng chính thức",
            scope="Trạm biến áp 110 kV của nhà máy, từ tháng 6/2025",
            effect="Tiết kiệm 2 giờ mỗi ca lập báo cáo; không thất lạc sổ")
        self._council("diengio/logbook", "cdcs.diengio", transformer, dg_council, "2025-04-22",
                      "09/QĐ-CĐCS")
        self._evaluate("diengio/logbook", "cdcs.diengio", transformer, dg_council, "2025-05-06",
                       [MARKS_GOOD, MARKS_GOOD, MARKS_HIGH], ["for", "for", "for"],
                       "Biên bản họp Hội đồng ngày 06/5/2025")
        s("diengio/logbook/recognise", "cdcs.diengio", "initiatives", "recognise",
          initiative_id=transformer, decided_on="2025-05-15", number="12/QĐ-CĐCS",
          reason="Đạt các tiêu chí công nhận sáng kiến cấp cơ sở")
        s("diengio/logbook/application", "cdcs.diengio", "initiatives", "report_application",
          initiative_id=transformer, applied_from="2025-06-01", reported_on="2025-08-29",
          benefit="Báo cáo ca lập xong trong 15 phút thay vì 2 giờ", value_saved_vnd=24_000_000)

        coating = self._initiative(
            "diengio/coating", "cdcs.diengio", "TV-CS-0020", "DG-SK-2025-03",
            "Sơn phủ chống ăn mòn chân đế tua-bin bằng vật liệu nano", [("145", 100)],
            "2025-06-10",
            objective="Kéo dài thời gian giữa hai lần sơn lại chân đế tua-bin",
            steps="Chọn vật liệu; sơn thử một chân đế; theo dõi 12 tháng",
            scope="Chân đế các tua-bin ven biển", effect="Giảm chi phí sơn lại 30%")
        self._council("diengio/coating", "cdcs.diengio", coating, dg_council, "2025-06-17",
                      "14/QĐ-CĐCS")
        self._evaluate("diengio/coating", "cdcs.diengio", coating, dg_council, "2025-06-27",
                       [MARKS_LOW, MARKS_LOW, MARKS_GOOD], ["against", "against", "for"],
                       "Biên bản họp Hội đồng ngày 27/6/2025: 1/3 thành viên tán thành")
        s("diengio/coating/refuse", "cdcs.diengio", "initiatives", "refuse",
          initiative_id=coating, decided_on="2025-07-03", number="15/QĐ-CĐCS",
          reasons="Giải pháp đã có trong tài liệu bảo dưỡng của nhà sản xuất nên chưa có tính "
                  "mới trong phạm vi công ty; chưa áp dụng thử nên chưa chứng minh được lợi ích. "
                  "Đề nghị tác giả làm thử và đăng ký lại khi có kết quả.")
        self._initiative(
            "diengio/dashboard", "cdcs.diengio", "TV-CS-0020", "DG-SK-2025-04",
            "Bảng theo dõi điện năng phát theo giờ trên điện thoại", [("148", 100)], "2025-12-05",
            objective="Tổ trực ca nắm sản lượng từng tua-bin theo giờ",
            steps="Lấy số liệu từ hệ thống SCADA; hiển thị trên điện thoại; thử nghiệm 1 tháng",
            scope="Tổ vận hành, từ tháng 01/2026", effect="Phát hiện sớm tua-bin phát thấp")

        # Trường THCS Phương Thạnh: a topic accepted, and initiatives waiting for decisions
        pt_council = self.ps("134", "139", "136")
        topic = self._initiative(
            "phuongthanh/topic", "cdcs.phuongthanh", "TV-CS-0019", "PT-DT-2025-01",
            "Nâng cao kết quả học tập môn Toán lớp 9 bằng bài giảng tương tác",
            [("137", 50), ("138", 50)], "2025-02-18", kind="topic",
            objective="Tăng tỉ lệ học sinh lớp 9 đạt điểm khá, giỏi môn Toán",
            steps="Xây dựng 30 bài giảng tương tác; dạy thực nghiệm ở 2 lớp; so sánh kết quả",
            scope="Khối 9, năm học 2024–2025", effect="Tỉ lệ khá, giỏi tăng ít nhất 10%")
        self._council("phuongthanh/topic", "cdcs.phuongthanh", topic, pt_council, "2025-05-05",
                      "08/QĐ-CĐCS")
        self._evaluate("phuongthanh/topic", "cdcs.phuongthanh", topic, pt_council, "2025-05-20",
                       [MARKS_GOOD, MARKS_HIGH, MARKS_GOOD], ["for", "for", "for"],
                       "Biên bản xét duyệt đề tài ngày 20/5/2025")
        s("phuongthanh/topic/accept", "cdcs.phuongthanh", "initiatives", "accept_topic",
          initiative_id=topic, on="2025-06-05", number="10/QĐ-CĐCS",
          reason="Hội đồng nghiệm thu đề tài đạt yêu cầu",
          result="Tỉ lệ học sinh lớp thực nghiệm đạt điểm khá, giỏi tăng từ 42% lên 58%")
        s("phuongthanh/topic/recognise", "cdcs.phuongthanh", "initiatives", "recognise",
          initiative_id=topic, decided_on="2025-06-10", number="11/QĐ-CĐCS",
          reason="Đề tài được nghiệm thu, kết quả thực nghiệm rõ rệt")
        survey = self.survey = self._initiative(
            "phuongthanh/survey", "cdcs.phuongthanh", "TV-CS-0019", "PT-SK-2025-02",
            "Khảo sát ý kiến phụ huynh bằng biểu mẫu trực tuyến", [("141", 100)], "2025-09-08",
            objective="Lấy ý kiến phụ huynh nhanh, đủ, không tốn giấy",
            steps="Soạn biểu mẫu; gửi qua nhóm lớp; tổng hợp tự động",
            scope="Toàn trường, năm học 2025–2026", effect="Tỉ lệ phụ huynh trả lời trên 80%")
        self._council("phuongthanh/survey", "cdcs.phuongthanh", survey, pt_council, "2025-09-15",
                      "16/QĐ-CĐCS")
        attendance = self.attendance = self._initiative(
            "phuongthanh/attendance", "cdcs.phuongthanh", "TV-CS-0019", "PT-SK-2025-03",
            "Điểm danh học sinh bằng mã QR", [("142", 100)], "2025-10-02",
            objective="Điểm danh nhanh, báo phụ huynh ngay khi học sinh vắng",
            steps="In thẻ QR; quét bằng điện thoại giáo viên chủ nhiệm; gửi tin nhắn tự động",
            scope="Khối 6 và khối 7, từ tháng 10/2025", effect="Tiết kiệm 5 phút mỗi tiết đầu")
        self._council("phuongthanh/attendance", "cdcs.phuongthanh", attendance, pt_council,
                      "2025-10-09", "18/QĐ-CĐCS")
        self._evaluate("phuongthanh/attendance", "cdcs.phuongthanh", attendance, pt_council,
                       "2025-10-20", [MARKS_GOOD, MARKS_GOOD, MARKS_GOOD], ["for", "for", "abstain"],
                       "Biên bản họp Hội đồng ngày 20/10/2025")

        # Công ty TNHH Cơ khí Hoàng Gia: one recognised above, one declined above (and later revoked)
        ck_council = self.ps("282", "284", "288")
        quality = self.quality = self._initiative(
            "cokhi/quality", "cdcs.cokhi", "TV-CS-0039", "CK-SK-2025-01",
            "Cải tiến quy trình kiểm tra chất lượng sản phẩm tại công đoạn hàn",
            [("286", 70), ("283", 30)], "2025-03-12",
            objective="Phát hiện lỗi mối hàn ngay tại công đoạn, giảm hàng phải sửa",
            steps="Lập bảng kiểm tra 12 điểm; dưỡng đo nhanh; kiểm tra chéo giữa hai ca",
            scope="Xưởng kết cấu thép, từ tháng 4/2025",
            effect="Giảm tỉ lệ sản phẩm phải sửa từ 4,5% xuống dưới 2%")
        self._council("cokhi/quality", "cdcs.cokhi", quality, ck_council, "2025-03-19",
                      "04/QĐ-CĐCS")
        self._evaluate("cokhi/quality", "cdcs.cokhi", quality, ck_council, "2025-04-02",
                       [MARKS_HIGH, MARKS_GOOD, MARKS_HIGH], ["for", "for", "for"],
                       "Biên bản họp Hội đồng ngày 02/4/2025")
        s("cokhi/quality/recognise", "cdcs.cokhi", "initiatives", "recognise",
          initiative_id=quality, decided_on="2025-04-10", number="06/QĐ-CĐCS",
          reason="Có tính mới trong phạm vi công ty, đã làm thử hiệu quả")
        s("cokhi/quality/application", "cdcs.cokhi", "initiatives", "report_application",
          initiative_id=quality, applied_from="2025-04-15", reported_on="2025-08-15",
          benefit="Tỉ lệ sản phẩm phải sửa giảm từ 4,5% xuống 1,8%",
          value_saved_vnd=68_000_000)
        s("cokhi/quality/propose", "cdcs.cokhi", "initiatives", "propose",
          initiative_id=quality, proposed_on="2025-08-20",
          reason="Hiệu quả cao, đề nghị Công đoàn các Khu kinh tế công nhận và nhân rộng")
        s("cokhi/quality/recognise-above", "cd.khukinhte", "initiatives", "recognise_at_level",
          initiative_id=quality, scope="direct_superior", decided_on="2025-09-10",
          number="27/QĐ-CĐKKT", reason="Có thể áp dụng ở các doanh nghiệp cơ khí trong khu kinh tế")
        fixture = self.fixture = self._initiative(
            "cokhi/fixture", "cdcs.cokhi", "TV-CS-0039", "CK-SK-2025-02",
            "Đồ gá khoan mặt bích dùng chung nhiều cỡ", [("287", 100)], "2025-05-06",
            objective="Một đồ gá khoan được nhiều cỡ mặt bích, bỏ bước lấy dấu",
            steps="Thiết kế đồ gá điều chỉnh được; chế tạo; dùng thử ở tổ khoan",
            scope="Tổ gia công cơ khí, từ tháng 6/2025", effect="Tiết kiệm 20 phút mỗi mặt bích")
        self._council("cokhi/fixture", "cdcs.cokhi", fixture, ck_council, "2025-05-13",
                      "09/QĐ-CĐCS")
        self._evaluate("cokhi/fixture", "cdcs.cokhi", fixture, ck_council, "2025-05-27",
                       [MARKS_GOOD, MARKS_GOOD, MARKS_GOOD], ["for", "for", "for"],
                       "Biên bản họp Hội đồng ngày 27/5/2025")
        s("cokhi/fixture/recognise", "cdcs.cokhi", "initiatives", "recognise",
          initiative_id=fixture, decided_on="2025-06-05", number="10/QĐ-CĐCS",
          reason="Đạt các tiêu chí công nhận sáng kiến cấp cơ sở")
        s("cokhi/fixture/application", "cdcs.cokhi", "initiatives", "report_application",
          initiative_id=fixture, applied_from="2025-06-10", reported_on="2025-09-05",
          benefit="Thời gian khoan mỗi mặt bích giảm 20 phút", value_saved_vnd=11_500_000)
        s("cokhi/fixture/propose", "cdcs.cokhi", "initiatives", "propose",
          initiative_id=fixture, proposed_on="2025-09-08",
          reason="Đề nghị Công đoàn các Khu kinh tế xem xét công nhận")
        s("cokhi/fixture/decline-above", "cd.khukinhte", "initiatives", "decline_at_level",
          initiative_id=fixture, scope="direct_superior", decided_on="2025-09-25",
          number="31/QĐ-CĐKKT",
          reasons="Giải pháp chỉ phù hợp với dây chuyền của công ty, chưa đủ điều kiện công "
                  "nhận ở cấp trên trực tiếp cơ sở.")

    def reviews(self) -> None:
        """R2.4–R2.8: half-year and annual reviews, classification, difficulties."""
        s = self.step
        for code, login, on, summary, findings in (
                ("TV", "ldld.tinh", "2025-07-10",
                 "Sơ kết 6 tháng đầu năm phong trào thi đua toàn tỉnh",
                 ["58/58 công đoàn cơ sở đã phát động phong trào",
                  "Một số công đoàn cơ sở khu vực xã chưa đăng ký sáng kiến"]),
                ("TV-CT-03", "ldld.canglong", "2025-07-08", "Sơ kết 6 tháng đầu năm 2025",
                 ["6/6 công đoàn cơ sở đã ký giao ước thi đua",
                  "Kiểm tra 2 công đoàn cơ sở: thực hiện đúng kế hoạch"]),
                ("TV-CS-0020", "cdcs.diengio", "2025-07-04", "Sơ kết 6 tháng đầu năm 2025",
                 ["2 sáng kiến được công nhận, 1 sáng kiến đang xét",
                  "Tổ ươm mầm ý tưởng hoạt động đều, 2 buổi góp ý mỗi tháng"]),
                ("TV-CS-0019", "cdcs.phuongthanh", "2025-07-03", "Sơ kết học kỳ II và 6 tháng",
                 ["Đề tài môn Toán lớp 9 được nghiệm thu"]),
                ("TV-CS-0039", "cdcs.cokhi", "2025-07-07", "Sơ kết 6 tháng đầu năm 2025",
                 ["2 sáng kiến được công nhận và áp dụng tại xưởng"])):
            s(f"{code.lower()}/review/2025-H1", login, "reviews", "hold_half_year_review",
              union_id=self.u(code), period="2025-H1", held_on=on, summary=summary,
              findings=findings, evidence=["bao-cao-so-ket-6-thang.pdf"])
        for code, login, on, summary, findings in (
                ("TV-CT-03", "ldld.canglong", "2026-01-06", "Sơ kết 6 tháng cuối năm 2025",
                 ["Sáng kiến kiểm tra tua-bin gió được LĐLĐ tỉnh công nhận"]),
                ("TV-CS-0020", "cdcs.diengio", "2026-01-05", "Sơ kết 6 tháng cuối năm 2025",
                 ["Sáng kiến kiểm tra tua-bin gió được nhân rộng sang Điện gió Tân Thành Phát"]),
                ("TV-CS-0019", "cdcs.phuongthanh", "2026-01-07", "Sơ kết học kỳ I",
                 ["2 sáng kiến đang chờ Hội đồng xét"])):
            s(f"{code.lower()}/review/2025-H2", login, "reviews", "hold_half_year_review",
              union_id=self.u(code), period="2025-H2", held_on=on, summary=summary,
              findings=findings)
        # R2.5: the rewards and proposals are linked once decided and nominated (``links``).
        for code, login, on, score, results in (
                ("TV-CS-0020", "cdcs.diengio", "2026-01-16", 94,
                 "4 sáng kiến đăng ký, 2 được công nhận; 1 sáng kiến được LĐLĐ tỉnh công nhận "
                 "và nhân rộng; giá trị làm lợi 209.000.000 đ"),
                ("TV-CS-0019", "cdcs.phuongthanh", "2026-01-14", 85,
                 "1 đề tài được nghiệm thu, 2 sáng kiến đang xét"),
                ("TV-CS-0039", "cdcs.cokhi", "2026-01-15", 88,
                 "2 sáng kiến được công nhận, 1 sáng kiến được Công đoàn các Khu kinh tế công "
                 "nhận; giá trị làm lợi 79.500.000 đ"),
                ("TV-CT-03", "ldld.canglong", "2026-01-20", 92,
                 "6/6 công đoàn cơ sở phát động; 9 sáng kiến đăng ký; 1 sáng kiến được LĐLĐ "
                 "tỉnh công nhận"),
                ("TV", "ldld.tinh", "2026-01-27", 91,
                 "Toàn tỉnh 58 công đoàn cơ sở phát động; 1 sáng kiến được công nhận cấp tỉnh")):
            s(f"{code.lower()}/review/2025", login, "reviews", "hold_annual_review",
              union_id=self.u(code), year=2025, held_on=on, results=results, self_score=score,
              evidence=["bao-cao-tong-ket-2025.pdf"],
              self_assessment=SELF_ASSESSED_2025.get(code))
        for code, upper, login, on, score, findings in (
                ("TV-CS-0020", "TV-CT-03", "ldld.canglong", "2026-02-05", 93,
                 ["Hồ sơ phong trào đầy đủ", "Có sáng kiến được công nhận cấp tỉnh"]),
                ("TV-CS-0019", "TV-CT-03", "ldld.canglong", "2026-02-05", 82,
                 ["Sơ kết đúng hạn", "Còn 2 sáng kiến chưa được xét quá 3 tháng"]),
                ("TV-CS-0039", "TV-CT-06", "cd.khukinhte", "2026-02-09", 87,
                 ["Phong trào duy trì đều ở các tổ sản xuất"]),
                ("TV-CT-03", "TV", "ldld.tinh", "2026-02-12", 91,
                 ["Chỉ đạo sát phong trào ở cơ sở", "Có sáng kiến được công nhận cấp tỉnh"])):
            s(f"{code.lower()}/classification/2025", login, "reviews", "classify",
              union_id=self.u(code), year=2025, upper_union_id=self.u(upper), classified_on=on,
              appraised_score=score, findings=findings, number=f"{on[8:]}/QĐ-KT")
        pay = s("antruonga/difficulty/pay", "cdcs.antruonga", "reviews", "report_difficulty",
                union_id=self.u("TV-CS-0022"), reported_on="2025-05-12",
                subject="Chi thù lao cho tác giả sáng kiến ở đơn vị hành chính xã",
                description="Xã chưa có nguồn kinh phí riêng; đề nghị hướng dẫn việc chi thù "
                            "lao cho tác giả sáng kiến từ kinh phí công đoàn cơ sở.")
        s("antruonga/difficulty/pay/answer", "ban.csphapluat", "reviews", "answer_difficulty",
          difficulty_id=pay, answered_on="2025-05-26",
          answer="Theo Quy chế chi tiêu của công đoàn cơ sở, khoản chi khen thưởng sáng kiến "
                 "được lấy từ nguồn kinh phí hoạt động thi đua; đề nghị bổ sung vào quy chế "
                 "chi tiêu nội bộ năm 2025.")
        s("antruonga/difficulty/pay/follow-up", "cdcs.antruonga", "reviews",
          "follow_up_difficulty", difficulty_id=pay, on="2025-06-02",
          text="Công đoàn cơ sở đã bổ sung quy chế chi tiêu nội bộ; cảm ơn Ban Chính sách – "
               "Pháp luật.")
        s("buudien/difficulty/value", "cdcs.buudien", "reviews", "report_difficulty",
          union_id=self.u("TV-CS-0004"), reported_on="2025-10-08",
          subject="Xác định giá trị làm lợi của sáng kiến không tính được bằng tiền",
          description="Sáng kiến cải tiến quy trình phục vụ khách hàng không tính được bằng "
                      "tiền; đề nghị hướng dẫn cách đánh giá hiệu quả.")

    def awards(self) -> None:
        """R4.1–R4.5 (February–May 2026): rewarded at grassroots, carried to the province."""
        s = self.step
        dg, cl, tv = self.u("TV-CS-0020"), self.u("TV-CT-03"), self.u("TV")
        ha = self.p("147")
        s("awards/diengio/attest-ha", "cdcs.diengio", "awards", "attest", union_id=dg,
          subject="individual", subject_id=ha, year=2025, attested_on="2026-02-16",
          statement="Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước, "
                    "quy định của Công đoàn", evidence=["xac-nhan-chi-bo.pdf"])
        own = s("awards/diengio/nominate-ha", "cdcs.diengio", "awards", "nominate", union_id=dg,
                subject="individual", subject_id=ha, year=2025, form="giay_khen_cdcs",
                nominated_on="2026-02-20", initiative_ids=[self.turbine],
                achievement="Tác giả chính sáng kiến “Cải tiến quy trình kiểm tra định kỳ tua-bin "
                            "gió”, làm lợi 185.000.000 đ")
        given = s("awards/diengio/decide", "cdcs.diengio", "awards", "decide_award", union_id=dg,
                  form="giay_khen_cdcs", decided_on="2026-02-27", number="04/QĐ-CĐCS",
                  nomination_ids=[own["nomination_id"]],
                  reason="Thành tích trong phong trào năm 2025")
        up = s("awards/diengio/nominate-up", "cdcs.diengio", "awards", "nominate", union_id=dg,
               subject="individual", subject_id=ha, year=2025, form="giay_khen_cap_tren",
               nominated_on="2026-03-02", initiative_ids=[self.turbine],
               achievement="Sáng kiến được LĐLĐ tỉnh công nhận, nhân rộng ngoài đơn vị")
        s("awards/diengio/selection", "cdcs.diengio", "awards", "hold_selection", union_id=dg,
          held_on="2026-03-03", attendees=self.ps("144", "145", "146", "148", "149"),
          votes={up["nomination_id"]: {"for": 5}},
          minutes="Họp Ban Chấp hành bình xét: 5/5 ủy viên tán thành")
        to_cl = s("awards/diengio/submission", "cdcs.diengio", "awards", "draft_submission",
                  union_id=dg, year=2025, nomination_ids=[up["nomination_id"]],
                  drafted_on="2026-03-04")
        s("awards/diengio/submit", "cdcs.diengio", "awards", "submit", submission_id=to_cl,
          submitted_on="2026-03-04", number="05/TTr-CĐCS")
        to_tv = s("awards/canglong/nominate", "ldld.canglong", "awards", "nominate", union_id=cl,
                  subject="individual", subject_id=ha, year=2025, form="bang_khen_tinh",
                  nominated_on="2026-03-10", carries=up["nomination_id"],
                  achievement="Sáng kiến có hiệu quả, phạm vi ảnh hưởng trong toàn tỉnh")
        s("awards/canglong/selection", "ldld.canglong", "awards", "hold_selection", union_id=cl,
          held_on="2026-03-11", attendees=self.ps("118", "119", "126", "134"),
          votes={to_tv["nomination_id"]: {"for": 4}},
          minutes="Họp Ban Thường vụ bình xét: 4/4 ủy viên tán thành")
        dossier = s("awards/canglong/submission", "ldld.canglong", "awards", "draft_submission",
                    union_id=cl, year=2025, nomination_ids=[to_tv["nomination_id"]],
                    drafted_on="2026-03-12")
        for kind, filename, nomination, text in (
                ("submission_letter", "to-trinh-12-TTr-LDLD.pdf", None,
                 "Tờ trình đề nghị tặng Bằng khen"),
                ("initiative_summary", "tom-tat-sang-kien-tua-bin.pdf", to_tv["nomination_id"],
                 "Tóm tắt sáng kiến kiểm tra định kỳ tua-bin gió"),
                ("minutes_extract", "trich-bien-ban-btv.pdf", None,
                 "Trích biên bản họp Ban Thường vụ ngày 11/3/2026")):
            args = {"submission_id": dossier, "kind": kind, "filename": filename,
                    "media_type": "application/pdf", "content_base64": pdf(text),
                    "attached_on": "2026-03-13", "title": text}
            if nomination:
                args["nomination_id"] = nomination
            s(f"awards/canglong/dossier/{kind}", "ldld.canglong", "awards", "attach_document",
              **args)
        s("awards/canglong/submit", "ldld.canglong", "awards", "submit", submission_id=dossier,
          submitted_on="2026-03-13", number="12/TTr-LĐLĐ")
        s("awards/tinh/return", "ldld.tinh", "awards", "return_submission",
          submission_id=dossier, returned_on="2026-03-20", missing=["recognition_decision"],
          reason="Bổ sung bản sao Quyết định số 112/QĐ-LĐLĐ công nhận sáng kiến")
        s("awards/canglong/dossier/recognition", "ldld.canglong", "awards", "attach_document",
          submission_id=dossier, kind="recognition_decision", filename="qd-112-QD-LDLD.pdf",
          media_type="application/pdf", content_base64=pdf("Quyết định 112/QĐ-LĐLĐ"),
          attached_on="2026-03-23", nomination_id=to_tv["nomination_id"],
          title="Quyết định 112/QĐ-LĐLĐ công nhận sáng kiến")
        s("awards/canglong/resubmit", "ldld.canglong", "awards", "submit", submission_id=dossier,
          submitted_on="2026-03-23", number="12/TTr-LĐLĐ",
          reason="Đã bổ sung quyết định công nhận sáng kiến")
        s("awards/tinh/decide", "ldld.tinh", "awards", "decide_award", union_id=tv,
          form="bang_khen_tinh", decided_on="2026-04-08", number="86/QĐ-LĐLĐ",
          nomination_ids=[to_tv["nomination_id"]], evidence=["bien-ban-hop-btv-tinh.pdf"],
          reason="Sáng kiến có hiệu quả, phạm vi ảnh hưởng trong toàn tỉnh")

        # R2.5: the annual reviews list what was decided and proposed upward, then close.
        self.links("TV-CS-0020", "cdcs.diengio", "2026-03-05", [given["award_id"]],
                   [up["nomination_id"]])
        self.links("TV-CT-03", "ldld.canglong", "2026-03-13", [], [to_tv["nomination_id"]])

        # Công ty TNHH Cơ khí Hoàng Gia: one Giấy khen stands, the other is revoked
        ck = self.u("TV-CS-0039")
        decided = []
        for who, number, initiative, label, decided_on, decision in (
                ("286", "quality", self.quality, "kiểm tra chất lượng sản phẩm tại công đoạn hàn",
                 "2026-02-26", "03/QĐ-CĐCS"),
                ("287", "fixture", self.fixture, "đồ gá khoan mặt bích", "2026-02-26",
                 "04/QĐ-CĐCS")):
            person = self.p(who)
            s(f"awards/cokhi/attest-{number}", "cdcs.cokhi", "awards", "attest", union_id=ck,
              subject="individual", subject_id=person, year=2025, attested_on="2026-02-18",
              statement="Chấp hành tốt nội quy lao động và quy định của Công đoàn",
              evidence=["nhan-xet-to-san-xuat.pdf"])
            nomination = s(f"awards/cokhi/nominate-{number}", "cdcs.cokhi", "awards", "nominate",
                           union_id=ck, subject="individual", subject_id=person, year=2025,
                           form="giay_khen_cdcs", nominated_on="2026-02-20",
                           initiative_ids=[initiative],
                           achievement=f"Tác giả sáng kiến {label}")
            award = s(f"awards/cokhi/decide-{number}", "cdcs.cokhi", "awards", "decide_award",
                      union_id=ck, form="giay_khen_cdcs", decided_on=decided_on,
                      number=decision if number == "quality" else "05/QĐ-CĐCS",
                      nomination_ids=[nomination["nomination_id"]],
                      reason="Thành tích trong phong trào năm 2025")
            decided.append(award["award_id"])
            if number == "fixture":
                # R2.5: both listed by the review (the one revoked later was not yet found out)
                self.links("TV-CS-0039", "cdcs.cokhi", "2026-02-27", decided, [])
                s("awards/cokhi/revoke-fixture", "cdcs.cokhi", "awards", "revoke_award",
                  award_id=award["award_id"], revoked_on="2026-05-18", ground="false_declaration",
                  number="11/QĐ-CĐCS",
                  reason="Qua kiểm tra, đồ gá đã được phòng kỹ thuật công ty thiết kế và đưa vào "
                         "sử dụng từ năm 2023; việc kê khai là tác giả sáng kiến không trung thực.",
                  recovery={"certificate": True, "money_vnd": 1_000_000,
                            "note": "Thu hồi Giấy khen và tiền thưởng kèm theo"},
                  evidence=["bien-ban-kiem-tra-phong-ky-thuat.pdf"])
        s("cokhi/fixture/revoke", "cdcs.cokhi", "initiatives", "revoke",
          initiative_id=self.fixture, decided_on="2026-05-18", ground="false_declaration",
          number="12/QĐ-CĐCS",
          reason="Giải pháp đã được phòng kỹ thuật công ty áp dụng từ năm 2023, không phải của "
                 "tác giả kê khai.")

    def links(self, code: str, login: str, on: str, award_ids: list[str],
              nomination_ids: list[str]) -> None:
        """R2.5: a union's annual review of 2025 lists its award decisions and its nominations
        upward (links, chosen from what the awards service published), then is closed."""
        self.step(f"{code.lower()}/review/2025/links", login, "reviews", "link_review_rewards",
                  union_id=self.u(code), year=2025, linked_on=on, award_ids=award_ids,
                  nomination_ids=nomination_ids)
        self.step(f"{code.lower()}/review/2025/close", login, "reviews", "close_annual_review",
                  union_id=self.u(code), year=2025, closed_on=on)

    def next_year(self) -> None:
        """R2.1: 2026 is launched (January 2026)."""
        s = self.step
        for code, login, on in (("TV", "ldld.tinh", "2026-01-09"),
                                ("TV-CT-03", "ldld.canglong", "2026-01-13"),
                                ("TV-CS-0020", "cdcs.diengio", "2026-01-19")):
            s(f"{code.lower()}/launch-2026", login, "reviews", "launch", union_id=self.u(code),
              year=2026, launched_on=on, title=f"Phát động phong trào thi đua {MOVEMENT} năm 2026",
              plan="Tiếp tục nhân rộng các sáng kiến hiệu quả năm 2025; mỗi tổ công đoàn ít nhất "
                   "một sáng kiến; sơ kết 6 tháng trước 15/7/2026.")
        s("tv-cs-0020/pledge-2026", "cdcs.diengio", "reviews", "sign_pledge",
          union_id=self.u("TV-CS-0020"), year=2026, signed_on="2026-01-22",
          content=f"Giao ước thi đua năm 2026 thực hiện phong trào {MOVEMENT}: đổi mới cách "
                  "vận hành, sáng tạo trong bảo dưỡng, hiệu quả trong sản xuất điện.",
          commitments=["Nhân rộng sáng kiến kiểm tra tua-bin gió ra toàn bộ nhà máy"],
          items=[{"kind": "initiatives_registered", "number": 4, "due_on": "2026-12-31"},
                 {"kind": "models_replicated", "number": 1, "due_on": "2026-09-30"},
                 {"kind": "members_trained", "number": 60, "due_on": "2026-06-30"}])

    # --- the reorganisation of 01/07/2026 (R1.5) ---------------------------------------------

    def plan(self) -> list[dict[str, str]]:
        """The plan's changes, in their order (a JSON list, as the plan screen builds it),
        from the tree the day before: regional unions founded, each district federation's
        grassroots unions moved, the federations dissolved, the provinces merged."""
        to: dict[str, str] = {city: "TV" for city in CITY_FEDERATIONS}
        changes: list[dict[str, str]] = []
        for code, (name, districts) in REGIONS.items():
            changes.append({"action": "found", "union_code": code, "name": name,
                            "level": "direct_superior", "parent_code": "TV"})
            to.update({district: code for district in districts})
        tinh = sorted(d for d in to if d.startswith("TV-"))
        changes += [{"action": "move", "union_code": g, "parent_code": to[d]}
                    for d in tinh for g in self.below.get(d, [])]
        changes += [{"action": "dissolve", "union_code": d} for d in tinh]
        changes.append({"action": "merge", "union_code": "VL", "successor_code": "TV"})
        changes += [{"action": "move", "union_code": g, "parent_code": "TV"}
                    for g in self.below.get("VL-CT-01", [])]
        changes += [{"action": "dissolve", "union_code": "VL-CT-01"},
                    {"action": "rename", "union_code": "TV",
                     "name": "Liên đoàn Lao động tỉnh Vĩnh Long"},
                    {"action": "rename", "union_code": "TV-CS-0021",
                     "name": "Công đoàn cơ sở Trường Tiểu học và THCS Đức Mỹ"},
                    {"action": "merge", "union_code": "TV-CS-0019",
                     "successor_code": "TV-CS-0021"}]
        return changes

    def reorganisation(self) -> None:
        """R1.5: the administrator previews the plan, then applies it; after it the
        successor's committee continues what it took over, and a union under its new
        regional union carries on."""
        s = self.step
        changes = self.plan()
        args = {"number": "68/QĐ-TLĐ", "signed_on": PLAN_SIGNED_ON, "effective_on": PLAN_ON,
                "legal_basis": "Nghị quyết số 60-NQ/TW ngày 12/4/2025 của Ban Chấp hành Trung "
                               "ương; Nghị quyết số 202/2025/QH15 của Quốc hội",
                "union_id": self.u("VN"), "file_content": json.dumps(changes, ensure_ascii=False),
                "format": "json", "filename": "phuong-an-sap-xep-01-7-2026.json"}
        preview = s("reorganisation/preview", "admin", "registry", "apply_reorganisation",
                    **args, dry_run=True)
        if not self.counting and preview["changes"] != len(changes):
            raise DemoError(f"the plan's preview read {preview['changes']} of {len(changes)} "
                            "changes")
        s("reorganisation/apply", "admin", "registry", "apply_reorganisation", **args,
          dry_run=False)
        if not self.counting:
            self._walk(self.query("admin", "registry", "tree", limit=200, as_of=PLAN_ON))
            for login, (role, union) in REGROUPED.items():
                response = self._send("POST", f"/v1/users/{login}/roles", self.tokens["admin"],
                                      json={"role": role, "union_id": self.unions[union]})
                if response.status_code != 200:
                    raise DemoError(f"role of {login} over {union}: {response.status_code} "
                                    f"{_code(response)}")
            self._taken_over("cdcs.ducmy", "TV-CS-0021", self.attendance)
        # The council Phương Thạnh convened carries on (its members are Đức Mỹ's members
        # now); Đức Mỹ's executive committee decides what Phương Thạnh's would have.
        self._evaluate("phuongthanh/survey", "cdcs.phuongthanh", self.survey,
                       self.ps("134", "139", "136"), "2026-07-09",
                       [MARKS_GOOD, MARKS_GOOD, MARKS_HIGH], ["for", "for", "for"],
                       "Biên bản họp Hội đồng ngày 09/7/2026 (Hội đồng do Công đoàn cơ sở Trường "
                       "THCS Phương Thạnh thành lập, tiếp tục sau hợp nhất)")
        s("ducmy/attendance/recognise", "cdcs.ducmy", "initiatives", "recognise",
          initiative_id=self.attendance, decided_on="2026-07-16", number="03/QĐ-CĐCS",
          reason="Hội đồng đã đánh giá đạt; Ban Chấp hành công đoàn cơ sở sau hợp nhất xét, "
                 "công nhận sáng kiến tiếp nhận từ Công đoàn cơ sở Trường THCS Phương Thạnh")
        s("diengio/idea/spares", "doanvien.diengio", "initiatives", "raise_idea",
          union_id=self.u("TV-CS-0020"), author_id=self.p("147"), raised_on="2026-08-04",
          title="Dùng chung kho phụ tùng tua-bin với Điện gió Tân Thành Phát",
          description="Hai nhà máy cùng loại tua-bin, nay cùng một công đoàn khu vực: lập danh "
                      "mục phụ tùng dự phòng dùng chung, giảm tồn kho.")

    def _taken_over(self, login: str, code: str, record_id: str) -> None:
        """Waits until the successor's book holds the record: the registry's merge reaches
        the initiatives service through the bus, a moment after the plan is applied."""
        deadline = time.monotonic() + self.patience
        while True:
            book = self.query(login, "initiatives", "tracking_book", union_id=self.unions[code])
            if any(e["initiative_id"] == record_id and e.get("held_by") == self.unions[code]
                   for e in book):
                return
            if time.monotonic() > deadline:
                raise DemoError(f"{code} has not taken over initiative {record_id}")
            time.sleep(0.5)


def _path(service: str, method: str) -> str:
    return f"/v1/{service}/{method.replace('_', '-')}"


def _code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def step_names() -> list[str]:
    """The name of each command of the year, in order (the script run without sending
    anything); each names its idempotency key, so no two may be the same."""
    dry = Activity("http://127.0.0.1:1", "", "", counting=True)
    try:
        dry.year()
    finally:
        dry.close()
    return dry.tally.names


def count_steps() -> int:
    """How many commands the year holds."""
    return len(step_names())


def run(base_url: str, admin_password: str, password: str, patience: float = PATIENCE) -> Tally:
    activity = Activity(base_url, admin_password, password, patience)
    try:
        activity.cast()
        activity.year()
    finally:
        activity.close()
    return activity.tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    host = os.environ.get("GATEWAY_HOST", "127.0.0.1")
    parser.add_argument("--base-url", default=f"http://{host}:{os.environ.get('GATEWAY_PORT', '8080')}")
    parser.add_argument("--patience", type=float, default=PATIENCE)
    args = parser.parse_args(argv)
    admin, password = os.environ.get("GATEWAY_ADMIN_PASSWORD"), os.environ.get("EMU_DEMO_PASSWORD")
    if not admin or not password:
        print("Hoạt động mẫu: cần GATEWAY_ADMIN_PASSWORD và EMU_DEMO_PASSWORD", flush=True)
        return 2
    total, started = count_steps(), time.monotonic()
    activity = Activity(args.base_url, admin, password, args.patience)
    try:
        activity.cast()
        activity.year()
    except (DemoError, httpx.HTTPError, KeyError, ValueError) as error:
        print(f"Hoạt động mẫu: dừng ở bước {activity.tally.steps}/{total}: {error}", flush=True)
        return 1
    finally:
        activity.close()
    tally, seconds = activity.tally, time.monotonic() - started
    took = f"{seconds:.1f}".replace(".", ",")
    print(f"Hoạt động mẫu: {tally.new + tally.replayed}/{total} bước ({tally.new} mới, "
          f"{tally.replayed} đã có) trong {took} s; người dùng mẫu: {', '.join(USERS)} "
          f"(mật khẩu {password})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
