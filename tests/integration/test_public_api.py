"""The public register through the gateway's real HTTP path, without a token (R4.5, R5.2; Law
06/2022/QH15 on emulation and commendation: awards and recognised initiatives are public):
every service and the gateway as processes on RabbitMQ and PostgreSQL, the small province's
year 2025 made through the API (``tests.support.awards_world``), D's awards up to the province,
the grassroots one revoked, and SK-02's recognition revoked."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from contracts.public import Author, PublicAward, PublicRecognition, Revocation, fields
from runtime.documents import verify as verifier
from tests.support.awards_world import movement_year, to_the_province
from tests.support.gateway_system import System, running, wait_caught_up, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

DOCUMENT = "document"
# What a published decision never prints, whatever the services' own records hold.
NEVER = ("person_id", "subject_id", "author_id", "nomination_id", "union_id_of_person", "birth",
         "birth_date", "date_of_birth", "email", "phone", "code", "evidence", "scores", "votes",
         "reason", "recovery", "ground", "signer", "authority", "rule_set", "achievement_key")


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("public"), amqp, pg) as running_system:
        w = with_province(running_system)
        running_system.make_user("e", [("member", w.unions["CS-1"])], w.people["E"])

        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return running_system.call(letter.lower(), service, method, *args, **kwargs)

        m = movement_year(call, w)
        wait_caught_up(running_system)
        ids = to_the_province(call, m)
        call("awards", "revoke_award", "A", ids["grassroots_award"], "2026-05-01",
             "false_declaration", "Kê khai thành tích không trung thực",
             {"certificate": True, "money_vnd": 500_000}, number="21/QĐ-CĐCS")
        call("initiatives", "revoke", "A", m.initiatives["SK-02"], "2026-05-02", "not_applied",
             "Không áp dụng được", number="22/QĐ-CĐCS")
        running_system.ids = {**ids, "sk02": m.initiatives["SK-02"]}  # type: ignore[attr-defined]
        yield running_system


def anonymous(system: System) -> httpx.Client:
    return httpx.Client(base_url=system.base_url, timeout=60)


def allowed(item: dict[str, Any], record: type) -> None:
    """Law 06/2022, R4.5: exactly the published decision's fields (and where its PDF is)."""
    assert set(item) == {*fields(record), DOCUMENT}, sorted(set(item) ^ {*fields(record), DOCUMENT})
    assert not set(item) & set(NEVER)
    if item["revocation"] is not None:
        assert set(item["revocation"]) == set(fields(Revocation))
    for author in item.get("authors", []):
        assert set(author) == set(fields(Author))


def test_r5_2_the_public_api_answers_without_a_token(system: System) -> None:
    with anonymous(system) as client:
        for path in ("/public/api/awards", "/public/api/initiatives", "/public/api/unions",
                     "/public/api/awards.csv", "/public/api/initiatives.json",
                     "/public/api/trust-root.crt", "/public.html"):
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.text[:300])
        page = client.get("/public/api/awards").json()
        assert page["total"] == 2 and page["offset"] == 0 and page["limit"] == 20
        pdf = client.get(page["items"][0][DOCUMENT])
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        # the signed-in API is unchanged: no token, no answer; the public queries are not on it
        assert client.get("/v1/awards/awards").status_code == 401
        assert client.get("/v1/awards/public-awards").status_code in (401, 404)
        assert client.get("/public/api/awards", params={"limit": 201}).status_code == 422
    with system.http(system.tokens["a"]) as signed_in:
        assert signed_in.get("/v1/awards/public-awards").status_code == 404


def test_r4_5_the_public_decision_pdf_verifies_against_the_published_trust_root(
        system: System) -> None:
    """The signed PDF anyone downloads checks offline against the trust root the register
    publishes (``python -m runtime.documents.verify``); one changed byte fails it."""
    with anonymous(system) as client:
        trust = client.get("/public/api/trust-root.crt").content
        items = client.get("/public/api/awards").json()["items"]
        items += client.get("/public/api/initiatives").json()["items"]
        for item in items:
            pdf = client.get(item[DOCUMENT]).content
            report = verifier.verify(pdf, trust)
            assert report.ok, (item[DOCUMENT], report.text())
        tampered = bytearray(pdf)
        tampered[200] ^= 1
        assert not verifier.verify(bytes(tampered), trust).ok


def test_r4_5_a_revoked_award_shows_as_revoked_with_the_revoking_decision(system: System) -> None:
    with anonymous(system) as client:
        items = client.get("/public/api/awards").json()["items"]
        recognitions = client.get("/public/api/initiatives").json()["items"]
    by_number = {i["number"]: i for i in items}
    assert by_number["05/QĐ-CĐCS"]["status"] == "revoked"
    assert by_number["05/QĐ-CĐCS"]["revocation"] == {"number": "21/QĐ-CĐCS",
                                                      "decided_on": "2026-05-01"}
    assert by_number["99/QĐ-LĐLĐ"]["status"] == "in_force"
    assert by_number["99/QĐ-LĐLĐ"]["revocation"] is None
    revoked = [r for r in recognitions if r["initiative_id"] == system.ids["sk02"]]  # type: ignore[attr-defined]
    assert [r["status"] for r in revoked] == ["revoked"]
    assert revoked[0]["revocation"] == {"number": "22/QĐ-CĐCS", "decided_on": "2026-05-02"}


def test_r4_5_law_06_2022_no_public_answer_carries_a_field_not_on_the_published_decision(
        system: System) -> None:
    """Every public answer, every page, both exports: the allow-list's keys, not one more —
    no person id, birth date, e-mail, evidence or reason."""
    with anonymous(system) as client:
        for register, record in (("awards", PublicAward), ("initiatives", PublicRecognition)):
            offset, seen = 0, 0
            while True:
                page = client.get(f"/public/api/{register}",
                                  params={"offset": offset, "limit": 1}).json()
                assert set(page) == {"items", "total", "offset", "limit"}
                for item in page["items"]:
                    allowed(item, record)
                seen += len(page["items"])
                offset += 1
                if offset >= page["total"]:
                    break
            assert seen == page["total"] > 0
            for item in client.get(f"/public/api/{register}.json").json():
                allowed(item, record)
            text = client.get(f"/public/api/{register}.csv").content.decode("utf-8-sig")
            for person in ("person_id", "@", "birth"):
                assert person not in text
        for union in client.get("/public/api/unions").json()["items"]:
            assert set(union) == {"union_id", "name"}


def test_r4_5_the_open_data_csv_parses_and_matches_the_json(system: System) -> None:
    with anonymous(system) as client:
        for register, key in (("awards", "award_id"), ("initiatives", "initiative_id")):
            answer = client.get(f"/public/api/{register}.csv")
            assert answer.headers["content-type"].startswith("text/csv")
            assert answer.content.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese
            assert "attachment" in answer.headers["content-disposition"]
            rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
            items = client.get(f"/public/api/{register}.json").json()
            assert len(rows) == len(items) == client.get(f"/public/api/{register}").json()["total"]
            for row, item in zip(rows, items, strict=True):
                assert row["Mã hồ sơ"] == item[key]
                assert row["Số quyết định"] == (item["number"] or "")
                day = item["decided_on"]
                assert row["Ngày quyết định"] == f"{day[8:10]}/{day[5:7]}/{day[:4]}"
                assert row["Năm"] == str(item["year"])
                assert row["Tình trạng"] == ("Đã thu hồi" if item["status"] == "revoked"
                                             else "Còn hiệu lực")
                assert row["Văn bản"] == item[DOCUMENT]
                assert row["Số quyết định thu hồi"] == ((item["revocation"] or {}).get("number")
                                                        or "")
            filtered = client.get(f"/public/api/{register}.json", params={"q": "khong co"}).json()
            assert filtered == []


def test_r4_5_the_public_search_ignores_diacritics_and_case_and_filters(system: System) -> None:
    with anonymous(system) as client:
        def total(register: str, **params: Any) -> int:
            return int(client.get(f"/public/api/{register}", params=params).json()["total"])

        assert total("awards", q="bằng khen") == total("awards", q="BANG KHEN") == 1
        assert total("initiatives", q="sổ theo dõi") == total("initiatives", q="so theo doi") == 3
        assert total("awards", year=2025) == 2 and total("awards", year=2024) == 0
        unions = client.get("/public/api/unions").json()["items"]
        province = next(u for u in unions if re.search(r"tỉnh", u["name"]))
        assert total("awards", union_id=province["union_id"]) == 1
        assert client.get("/public/api/awards", params={"year": "năm"}).status_code == 422


def test_r5_2_the_public_routes_are_described_in_the_openapi_document(system: System) -> None:
    with anonymous(system) as client:
        document = client.get("/openapi.json").json()
    public = {p: v for p, v in document["paths"].items() if p.startswith("/public/api/")}
    assert {"/public/api/awards", "/public/api/initiatives", "/public/api/awards.csv",
            "/public/api/awards.json", "/public/api/initiatives.csv",
            "/public/api/initiatives.json", "/public/api/awards/{award_id}/decision.pdf",
            "/public/api/initiatives/{initiative_id}/decision.pdf", "/public/api/unions",
            "/public/api/trust-root.crt", "/public/api/checkpoints",
            "/public/api/checkpoints/{service}.jsonl"} <= set(public)
    for path, operations in public.items():
        get = operations["get"]
        assert get["summary"] and get.get("description"), path
        assert "security" not in get, path  # no token asked
    signed_in = [p for p in document["paths"] if not p.startswith("/public/api/")]
    assert not any("public-" in p for p in signed_in)  # the services' public queries stay off it
    awards = document["paths"]["/v1/awards/awards"]["get"]
    assert awards.get("security"), "the signed-in routes still ask for the token"
