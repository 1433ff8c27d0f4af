"""Through the real HTTP gateway, every service on RabbitMQ and PostgreSQL:

- an administrator imports a file of people (R1.1, R1.3) with ``registry.import_records``: a
  good CSV file is stored, attributed to them with the file's SHA-256 as evidence (R4.5); a
  file with a broken row in the middle is refused naming the row and the column in the
  caller's language, and nothing of it is stored; a dry run stores nothing;
- refusals from each service and from the gateway itself carry a ``detail`` sentence in
  Vietnamese by default and in English when asked, naming fields by their labels (R5.2).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

HEADER = "code,full_name,union_code,joined_on,is_official,is_full_time\n"


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("import"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


def _import(system: System, content: str, login: str = "admin", language: str | None = None,
            timeout: float = 30, **arguments: Any) -> httpx.Response:
    headers = {"Accept-Language": language} if language else {}
    with system.http(system.tokens[login], **headers) as client:
        client.timeout = httpx.Timeout(timeout)
        return client.post("/v1/registry/import-records", json={
            "file_content": content, "format": "csv", "kind": "people",
            "filename": "doan-vien.csv", **arguments})


def _found(system: System, name: str) -> list[dict[str, Any]]:
    with system.http(system.tokens["admin"]) as client:
        response = client.get("/v1/registry/search-people", params={"q": name})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _vietnamese(text: str) -> bool:
    return any(ch in text for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
               "àáèéìíòóùúý")


def test_r1_3_r4_5_an_administrator_imports_a_csv_file_of_people_through_the_api(
        system: System) -> None:
    content = (HEADER + "IMP-1,Trần Thị Nhập Một,CS-1,2024-03-01,false,false\n"
               "IMP-2,Lý Văn Nhập Hai,CS-1,2024-03-02,true,false\n")
    response = _import(system, content)
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert result["dry_run"] is False and result["sha256"] == digest
    assert result["counts"]["people"] == 2 and result["skipped"]["people"] == 0
    [person] = _found(system, "tran thi nhap mot")
    with system.http(system.tokens["admin"]) as client:
        history = client.get("/v1/registry/history",
                             params={"aggregate_id": person["id"]}).json()["items"]
    assert history[0]["actor"]["user_id"] == "user:admin"
    assert history[0]["decision"]["evidence"] == [f"sha256:{digest}"]
    assert history[0]["decision"]["reason"] == "import of doan-vien.csv"
    again = _import(system, content).json()["result"]  # the same file again: nothing twice
    assert again["counts"]["people"] == 0 and again["skipped"]["people"] == 2


def test_r1_1_r5_2_a_csv_file_with_a_broken_row_in_the_middle_is_refused_by_row_and_column(
        system: System) -> None:
    content = (HEADER + "IMP-3,Thạch Thị Dòng Hai,CS-1,2024-03-01,false,false\n"
               "IMP-4,Kim Văn Dòng Ba,CS-1,2024-02-30,false,false\n"
               "IMP-5,Sơn Thị Dòng Bốn,CS-1,2024-03-01,false,false\n")
    refused = _import(system, content)
    assert refused.status_code == 422 and refused.json()["code"] == "IMPORT_REFUSED"
    problem = refused.json()
    [error] = problem["details"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (3, "joined_on", "INVALID_DATE")
    assert error["label"] == "Ngày gia nhập" and error["file"] == "doan-vien.csv"
    assert error["text"] == "«Ngày gia nhập» không phải là một ngày hợp lệ (ngày/tháng/năm có thật)."
    assert problem["title"].startswith("Tệp không được nhập")
    assert "Dòng 3: «Ngày gia nhập»" in problem["detail"] and "joined_on" not in problem["detail"]
    assert _found(system, "dong hai") == []  # nothing of the file, not even the rows before
    english = _import(system, content, language="en").json()
    assert "Line 3: “Joining date” is not a valid date" in english["detail"]
    assert english["details"]["errors"][0]["label"] == "Joining date"
    # a row with more cells than columns, and an unknown union: each named by its line
    worse = content.replace("2024-03-01,false,false\nIMP-4", "2024-03-01,false,false,x\nIMP-4") \
        .replace("IMP-5,Sơn Thị Dòng Bốn,CS-1", "IMP-5,Sơn Thị Dòng Bốn,KHONG-CO")
    rows = _import(system, worse).json()["details"]["errors"]
    assert [(e["row"], e["code"]) for e in rows] == [(2, "IMPORT_ROW_INVALID")]
    unknown = _import(system, content.replace("2024-02-30", "2024-02-28")
                      .replace("IMP-5,Sơn Thị Dòng Bốn,CS-1", "IMP-5,Sơn Thị Dòng Bốn,KHONG-CO"))
    [error] = unknown.json()["details"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (4, "union_code", "UNION_NOT_FOUND")
    assert "KHONG-CO" in error["text"] and _vietnamese(error["text"])
    assert _found(system, "dong hai") == []


def test_r1_1_a_dry_run_checks_the_file_and_stores_nothing(system: System) -> None:
    content = HEADER + "IMP-6,Đào Thị Chạy Thử,CS-1,2024-03-01,false,false\n"
    checked = _import(system, content, dry_run=True)
    assert checked.status_code == 200, checked.text
    assert checked.json()["result"]["dry_run"] is True
    assert checked.json()["result"]["counts"]["people"] == 1
    assert _found(system, "dao thi chay thu") == []
    assert _import(system, content).json()["result"]["counts"]["people"] == 1
    assert len(_found(system, "dao thi chay thu")) == 1


def test_r5_2_only_an_administrator_imports(system: System) -> None:
    refused = _import(system, HEADER + "IMP-7,Ai Đó,CS-1,2024-03-01,false,false\n", login="a")
    assert refused.status_code == 403 and refused.json()["code"] == "ROLE_NOT_ALLOWED"
    assert _vietnamese(refused.json()["detail"])


def _refusals(system: System, language: str | None) -> dict[str, dict[str, Any]]:
    """One refusal of each service and of the gateway itself."""
    w = system.province
    assert w is not None
    headers = {"Accept-Language": language} if language else {}
    found: dict[str, dict[str, Any]] = {}
    with system.http(system.tokens["admin"], **headers) as admin, \
            system.http(system.tokens["a"], **headers) as executive, \
            system.http(**headers) as anonymous:
        found["registry"] = admin.post("/v1/registry/found-union", json={
            "code": "MOI", "name": "Công đoàn mới", "level": "grassroots",
            "founded_on": "2024-02-30", "parent_id": w.unions["TV"]}).json()
        found["initiatives"] = executive.post("/v1/initiatives/raise-idea", json={
            "union_id": w.unions["CS-1"], "author_id": w.people["A"], "title": "Ý tưởng",
            "description": "Mô tả", "raised_on": "2026-13-45"}).json()
        found["reviews"] = executive.post("/v1/reviews/launch", json={
            "union_id": w.unions["CS-1"], "year": 2026, "launched_on": "ngày mai",
            "title": "Phong trào", "plan": "Kế hoạch"}).json()
        found["awards"] = executive.get("/v1/awards/get-award", params={
            "award_id": "00000000-0000-0000-0000-000000000000"}).json()
        found["validation"] = executive.post("/v1/initiatives/raise-idea", json={
            "union_id": w.unions["CS-1"], "author_id": w.people["A"], "title": "ý" * 20_001,
            "raised_on": "2026-01-05"}).json()
        found["unauthenticated"] = anonymous.get("/v1/me").json()
        found["not found"] = anonymous.get("/v1/no-such-route").json()
    return found


def test_r5_2_refusals_of_every_service_have_a_detail_in_the_callers_language(
        system: System) -> None:
    vietnamese, english = _refusals(system, None), _refusals(system, "en")
    codes = {name: problem.get("code") for name, problem in vietnamese.items()}
    assert codes == {"registry": "INVALID_DATE", "initiatives": "INVALID_DATE",
                     "reviews": "INVALID_DATE", "awards": "AWARD_NOT_FOUND",
                     "validation": "VALIDATION_FAILED", "unauthenticated": "UNAUTHENTICATED",
                     "not found": "NOT_FOUND"}, vietnamese
    for name, problem in vietnamese.items():
        assert _vietnamese(problem["detail"]) and _vietnamese(problem["title"]), (name, problem)
        assert problem["detail"] != english[name]["detail"], name
        assert not _vietnamese(english[name]["detail"]), (name, english[name])
    assert vietnamese["registry"]["detail"].startswith("«Ngày thành lập» không phải")
    assert english["registry"]["detail"].startswith("“Founding date” is not a valid date")
    assert vietnamese["initiatives"]["detail"].startswith("«Ngày nêu» không phải")
    assert "«Ngày phát động»" in vietnamese["reviews"]["detail"]
    validation = vietnamese["validation"]
    assert "Tên sáng kiến: Quá dài" in validation["detail"]
    assert "Mô tả: Bắt buộc" in validation["detail"]
    assert {e["label"] for e in validation["details"]["errors"]} == {"Tên sáng kiến", "Mô tả"}
    assert "description" not in validation["detail"] and "String should" not in validation["detail"]


def test_r1_1_r1_3_an_xlsx_file_of_10000_people_through_the_api_broken_then_good(
        system: System) -> None:
    """An Excel workbook of 10,000 people (base64 in the command): one broken row in the
    middle refuses it, named by sheet, Excel row and column in Vietnamese, nothing stored;
    the preview (dry run) counts it and shows its first rows; the good file imports."""
    import base64
    import time

    from tests.unit.test_registry_workbook import people_rows, workbook

    rows = people_rows(10_000, broken_at=5_000, union="CS-1", prefix="XL")
    rows[1][1], rows[-1][1] = "Thạch Thị Đầu Sổ", "Kim Văn Cuối Sổ"
    broken = base64.b64encode(workbook({"Đoàn viên": rows})).decode("ascii")
    started = time.perf_counter()
    refused = _import(system, broken, format="xlsx", filename="doan-vien.xlsx", timeout=150)
    refusing = time.perf_counter() - started
    assert refused.status_code == 422 and refused.json()["code"] == "IMPORT_REFUSED", refused.text
    problem = refused.json()
    [error] = problem["details"]["errors"]
    assert (error["sheet"], error["row"], error["column_letter"], error["header"], error["cell"]) \
        == ("Đoàn viên", 5_002, "F", "Ngày gia nhập", "F5002")
    assert error["label"] == "Ngày gia nhập" and error["code"] == "INVALID_DATE"
    assert "Trang «Đoàn viên», dòng 5002, cột F: «Ngày gia nhập» không phải là một ngày hợp lệ" \
        in problem["detail"], problem["detail"]
    assert _found(system, "thach thi dau so") == []  # not even the rows before it
    rows[5_001][5] = "28/02/2024"
    good = base64.b64encode(workbook({"Đoàn viên": rows})).decode("ascii")
    started = time.perf_counter()
    preview = _import(system, good, format="xlsx", filename="doan-vien.xlsx", timeout=150, dry_run=True)
    checked = time.perf_counter() - started
    assert preview.status_code == 200, preview.text
    result = preview.json()["result"]
    assert result["counts"]["people"] == 10_000 and result["dry_run"] is True
    sample = result["sample"]["people"]
    assert (sample["sheet"], sample["total"], sample["rows"][:2]) == ("Đoàn viên", 10_000, [2, 3])
    assert sample["records"][0]["full_name"] == "Thạch Thị Đầu Sổ"
    assert _found(system, "thach thi dau so") == []
    # the import, with the registry's progress asked every 0.3 s while it runs (R1.1)
    upload = str(uuid.uuid4())
    started = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(_import, system, good, format="xlsx", filename="doan-vien.xlsx",
                              timeout=150, upload_id=upload)
        reports = []
        with system.http(system.tokens["admin"]) as client:
            while not running.done():
                asked = client.get("/v1/registry/import-progress", params={"upload_id": upload})
                assert asked.status_code in (200, 503), asked.text  # 503: the registry is busy
                if asked.status_code == 200:
                    reports.append(asked.json()["result"])
                time.sleep(0.3)
            final = client.get("/v1/registry/import-progress", params={"upload_id": upload})
        done = running.result()
    stored = time.perf_counter() - started
    assert done.status_code == 200, done.text
    assert final.json()["result"] == {"upload_id": upload, "phase": "done", "done": 10_000,
                                      "total": 10_000}
    midway = [(r["phase"], r["done"]) for r in reports if r["phase"] in ("checking", "storing")
              and 0 < r["done"] < r["total"]]
    assert midway, reports  # seen while it ran, not only at the end
    assert done.json()["result"]["counts"]["people"] == 10_000
    assert len(_found(system, "thach thi dau so")) == 1 and len(_found(system, "kim van cuoi so")) == 1
    print(f"XLSX of 10,000 people over HTTP ({len(good):,} characters of base64): "
          f"refusal {refusing:.1f}s, preview {checked:.1f}s, import {stored:.1f}s "
          f"(the registry: {done.json()['result']['seconds']}s); progress seen: {midway}")
