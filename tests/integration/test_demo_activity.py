"""``make run``'s demo year (``demo.activity``): on the first start it is made through the
gateway's HTTP API, so the province's lists have something to show; a second start on the
same stores adds nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from demo.activity import DAY_BEFORE, PLAN_ON
from runtime.client import services
from runtime.config import Settings
from runtime.services import SERVICES
from services.reviews.domain import AnnualReview, Period
from tests.support.processes import free_port

pytestmark = [pytest.mark.bus, pytest.mark.system]

ADMIN_PASSWORD = "quản-trị-viên-demo-2026"
DEMO_PASSWORD = "mật-khẩu-người-dùng-mẫu"
DONE = re.compile(r"Hoạt động mẫu: (\d+)/(\d+) bước \((\d+) mới, (\d+) đã có\) trong ([\d,]+) s")
STOPPED = re.compile(r"Hoạt động mẫu: dừng ở bước .*")


class Launch:
    """``python -m runtime.launcher`` (what ``make run`` runs), its output read as it comes."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "runtime.launcher"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            self.lines.append(raw.decode("utf-8", "replace"))

    def activity_line(self, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                found = DONE.search(line)
                if found:
                    return found
                assert not STOPPED.search(line), line
            assert self.process.poll() is None, "".join(self.lines[-40:])
            time.sleep(0.5)
        raise AssertionError("no demo activity line in time:\n" + "".join(self.lines[-40:]))

    def stop(self) -> str:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        return "".join(self.lines)


def census(base_url: str, password: str = ADMIN_PASSWORD) -> dict[str, Any]:
    """What the province's screens list, read through the API as the administrator."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = http.post("/v1/auth/token", json={"username": "admin",
                                                    "password": password}).json()
        http.headers["Authorization"] = f"Bearer {token['access_token']}"

        def get(path: str, **params: Any) -> Any:
            response = http.get(path, params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            return body["result"] if "result" in body else body["items"]

        unions: dict[str, str] = {}
        # the tree the year was made in: the day before the reorganisation (R1.5)
        nodes = list(get("/v1/registry/tree", limit=200, as_of=DAY_BEFORE))
        while nodes:  # the tree, each union with its children
            node = nodes.pop()
            unions[node["code"]] = node["id"]
            nodes.extend(node.get("children") or [])
        found: dict[str, Any] = {}
        books = {code: get("/v1/initiatives/tracking-book", union_id=unions[code])
                 for code in ("TV-CS-0020", "TV-CS-0019", "TV-CS-0039")}
        found["initiatives"] = Counter(e["status"] for book in books.values() for e in book)
        found["scopes"] = Counter(e["scope"] for book in books.values() for e in book)
        found["ideas"] = Counter(i["status"] for code in ("TV-CS-0020", "TV-CS-0022")
                                 for i in get("/v1/initiatives/ideas", union_id=unions[code]))
        found["awards"] = Counter((a["form"], a["status"]) for code in ("TV", "TV-CS-0020", "TV-CS-0039")
                                  for a in get("/v1/awards/awards", union_id=unions[code]))
        found["dossiers"] = [(s["status"], s["rounds"]) for s in
                             get("/v1/awards/submissions", to_union_id=unions["TV"])]
        found["nominations"] = len(get("/v1/awards/nominations", union_id=unions["TV-CS-0020"]))
        turbine = next(e for e in books["TV-CS-0020"] if e["reference"] == "DG-SK-2025-01")
        found["replication"] = get("/v1/initiatives/get-replication",
                                   initiative_id=turbine["initiative_id"],
                                   union_id=unions["TV-CS-0038"])
        schedule = get("/v1/reviews/schedule", union_id=unions["TV-CS-0020"], year=2025)
        found["schedule"] = (schedule["launched_on"], schedule["pledge_signed_on"],
                             schedule["disseminations"],
                             Counter(e["status"] for e in schedule["reviews"]))
        found["targets"] = get("/v1/reviews/pledge-targets", union_id=unions["TV-CS-0020"],
                               period="2025")["targets"]
        found["grade"] = get("/v1/reviews/get-classification", union_id=unions["TV-CS-0020"],
                             year=2025)["grade"]
        review = AnnualReview.create_id(UUID(unions["TV-CS-0020"]), Period.parse(2025, "year"))
        found["annual_review"] = get("/v1/reviews/state-as-of", aggregate_id=str(review))
        # R1.5: a grassroots union's direct superior either side of the plan's date, and the
        # province's name
        found["parents"] = {on: [u["code"] for u in get("/v1/registry/ancestors", as_of=on,
                                                        union_id=unions["TV-CS-0020"])]
                            for on in (DAY_BEFORE, PLAN_ON)}
        found["province"] = {on: get("/v1/registry/get-union", union_id=unions["TV"],
                                     as_of=on)["name"] for on in (DAY_BEFORE, PLAN_ON)}
        found["carried"] = [(e["reference"], e["status"], e["union_id"], e["held_by"],
                             e["carried_from"], e["carried_on"]) for e in
                            get("/v1/initiatives/tracking-book", union_id=unions["TV-CS-0021"])]
        found["unions"] = unions
        return found


def successor_book(base_url: str, union_id: str) -> list[dict[str, Any]]:
    """The tracking book as the successor's own committee reads it (R1.5, R5.2)."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        token = http.post("/v1/auth/token", json={"username": "cdcs.ducmy",
                                                    "password": DEMO_PASSWORD}).json()
        response = http.get("/v1/initiatives/tracking-book", params={"union_id": union_id},
                            headers={"Authorization": f"Bearer {token['access_token']}"})
        assert response.status_code == 200, response.text
        return list(response.json()["items"])


def events(settings: Settings) -> dict[str, int]:
    """How many events each service has stored."""
    with services(settings, None) as rpc:
        return {s: getattr(rpc, s).health()["last_notification"] for s in SERVICES}


def test_r5_2_make_run_fills_the_demo_province_with_a_year_made_through_the_api_once(
        tmp_path: Path, amqp_uri: str) -> None:
    port = free_port()
    env = {**os.environ, "AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
           "GATEWAY_PORT": str(port), "GATEWAY_GRPC_PORT": str(free_port()),
           "EMU_METRICS_PORT_BASE": "0", "GATEWAY_ADMIN_PASSWORD": ADMIN_PASSWORD,
           "EMU_DEMO_PASSWORD": DEMO_PASSWORD}
    env.pop("EMU_DEMO_ACTIVITY", None)
    env.pop("EMU_DEMO_DATA", None)
    for service in (*SERVICES, "gateway"):
        env.pop(f"{service.upper()}_DATABASE_URL", None)  # the defaults: SQLite files
    settings, base_url = Settings(env), f"http://127.0.0.1:{port}"

    first = Launch(env)
    try:
        done = first.activity_line(timeout=420)
        steps, total, new, replayed = (int(done[i]) for i in range(1, 5))
        assert steps == total > 100 and new == total and replayed == 0, done[0]
        print(f"first start: {done[0]}")
        after_first = census(base_url)
        own = successor_book(base_url, after_first["unions"]["TV-CS-0021"])
        stored = events(settings)
    finally:
        output = first.stop()
    assert first.process.returncode == 0, output[-3000:]

    # Every screen has something to show: initiatives at every stage (R3.2-R3.8)...
    made = after_first
    assert {"registered", "evaluated", "recognised", "refused", "revoked"} <= set(made["initiatives"])
    assert made["initiatives"]["recognised"] >= 4
    assert {"province", "direct_superior"} <= set(made["scopes"])
    assert made["replication"]["results"], made["replication"]
    assert {"open", "developed", "withdrawn"} <= set(made["ideas"])  # R3.1
    # ...reviews held with what they propose upward, the union classified (R2.4-R2.7)...
    launched, pledged, disseminations, reviews = made["schedule"]  # R2.1-R2.3
    assert launched and pledged and disseminations, made["schedule"]
    assert reviews["held"] == 3, made["schedule"]
    assert made["annual_review"]["state"]["rewards_proposed"], made["annual_review"]
    assert made["grade"] == "vung_manh"
    # R2.3, R2.5: the pledge's targets, each beside a count (members trained: none) and
    # the union's own figure from its annual review.
    targets = {t["kind"]: t for t in made["targets"]}
    assert set(targets) == {"initiatives_registered", "initiatives_recognised",
                            "members_trained"}, made["targets"]
    assert isinstance(targets["initiatives_registered"]["achieved"], int), made["targets"]
    assert (targets["members_trained"]["achieved"],
            targets["members_trained"]["self_assessed"]) == (None, 36), made["targets"]
    # ...a decided award, a revoked one, a dossier returned once and decided (R4.3-R4.5).
    assert made["awards"][("bang_khen_tinh", "awarded")] == 1, made["awards"]
    assert made["awards"][("giay_khen_cdcs", "revoked")] == 1, made["awards"]
    assert made["dossiers"] == [("decided", 2)]
    assert made["nominations"] >= 2
    # R1.5: the plan of 01/07/2026: decisions before it keep the old tree, the district
    # federation gone from the day; Vĩnh Long merged into the province, which took its name
    assert made["parents"] == {DAY_BEFORE: ["TV-CT-03", "TV", "VN"],
                               PLAN_ON: ["TV-KV-01", "TV", "VN"]}, made["parents"]
    assert made["province"] == {DAY_BEFORE: "Liên đoàn Lao động tỉnh Trà Vinh",
                                PLAN_ON: "Liên đoàn Lao động tỉnh Vĩnh Long"}
    # ...and Đức Mỹ's union reads the book it took over from Phương Thạnh's, where its own
    # committee recognised one after the merge (the other evaluated by its council)
    ducmy, phuongthanh = made["unions"]["TV-CS-0021"], made["unions"]["TV-CS-0019"]
    carried = {ref: rest for ref, *rest in made["carried"]}
    assert set(carried) == {"PT-DT-2025-01", "PT-SK-2025-02", "PT-SK-2025-03"}, made["carried"]
    assert all(rest[1:] == [phuongthanh, ducmy, phuongthanh, PLAN_ON]
               for rest in carried.values()), made["carried"]
    assert (carried["PT-SK-2025-02"][0], carried["PT-SK-2025-03"][0]) == ("evaluated",
                                                                          "recognised")
    assert {(e["reference"], e["held_by"]) for e in own} == {(r, ducmy) for r in carried}

    second = Launch(env)
    try:
        done = second.activity_line(timeout=300)
        steps, total, new, replayed = (int(done[i]) for i in range(1, 5))
        assert (steps, new, replayed) == (total, 0, total), done[0]
        print(f"second start: {done[0]}")
        assert census(base_url) == after_first
        assert events(settings) == stored
    finally:
        output = second.stop()
    assert second.process.returncode == 0, output[-3000:]
