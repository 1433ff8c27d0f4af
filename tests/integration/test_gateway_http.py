"""The gateway's HTTP/JSON API driven with a real HTTP client against every service on
RabbitMQ and PostgreSQL (R5.2): sign-in, scoped roles, problem details, idempotency keys,
ETags, pagination, limits, and a stopped service."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.catalogue import Operation, operations
from gateway.policy import UNION_LISTS, UNION_NAMES, roles_for
from tests.support.gateway_system import ApiError, System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.province import Province

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("gateway"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


def test_r5_2_a_member_raises_an_idea_through_the_api_and_reads_it_back(system: System) -> None:
    w = system.province
    assert w is not None
    idea = system.call("d", "initiatives", "raise_idea", w.unions["CS-1"], w.people["D"],
                       "Sổ theo dõi điện tử", "Thay sổ giấy", "2026-01-05")
    with system.http(system.tokens["d"]) as client:
        response = client.get("/v1/initiatives/get-idea", params={"idea_id": idea})
    assert response.status_code == 200
    assert response.json()["result"]["title"] == "Sổ theo dõi điện tử"
    assert response.headers["ETag"] == f'"{idea}:1"'
    with pytest.raises(ApiError) as outside:
        system.call("f", "initiatives", "raise_idea", w.unions["CS-1"], w.people["F"],
                    "Ý tưởng", "Mô tả", "2026-01-05")
    assert (outside.value.status, outside.value.code) == (403, "OUTSIDE_YOUR_SCOPE")


def test_r5_2_sign_in_gives_an_expiring_token_and_refuses_the_rest(system: System) -> None:
    import time

    import jwt

    from tests.support.gateway_system import SECRET

    with system.http() as client:
        wrong = client.post("/v1/auth/token", json={"username": "a", "password": "không đúng"})
        assert (wrong.status_code, wrong.json()["code"]) == (401, "LOGIN_FAILED")
        signed = client.post("/v1/auth/token", json={"username": "a",
                                                     "password": "mật-khẩu-thử-nghiệm"}).json()
        assert signed["token_type"] == "Bearer" and signed["expires_in"] > 0
        missing = client.get("/v1/me")
        assert (missing.status_code, missing.json()["code"]) == (401, "UNAUTHENTICATED")
        assert missing.headers["WWW-Authenticate"] == "Bearer"
        now = int(time.time())
        forged = jwt.encode({"sub": "admin", "exp": now + 600, "iss": "emulation-gateway"},
                            "another-key-another-key-another-key-1234", algorithm="HS256")
        expired = jwt.encode({"sub": "a", "iat": now - 7200, "exp": now - 60,
                              "iss": "emulation-gateway"}, SECRET, algorithm="HS256")
        for token, code in ((forged, "TOKEN_INVALID"), (expired, "TOKEN_EXPIRED"),
                            ("not.a.token", "TOKEN_INVALID")):
            response = client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert (response.status_code, response.json()["code"]) == (401, code)
    with system.http(signed["access_token"]) as client:
        me = client.get("/v1/me").json()["result"]
    assert me["username"] == "a" and me["roles"][0]["role"] == "executive"


def test_r5_2_problem_details_name_the_field_in_vietnamese_or_english(system: System) -> None:
    w = system.province
    assert w is not None
    body = {"union_id": w.unions["CS-1"], "author_id": w.people["D"], "title": "Ý tưởng",
            "description": "Mô tả", "raised_on": "2026-01-05"}
    with system.http(system.tokens["d"]) as client:
        long = client.post("/v1/initiatives/raise-idea", json={**body, "title": "ý" * 20_001})
        assert long.status_code == 422 and long.json()["field"] == "title"
        assert long.headers["content-type"] == "application/problem+json"
        assert "hợp lệ" in long.json()["title"]  # Vietnamese by default
        # and what is wrong with the field, for a form to show beside it, with its limit
        assert re.fullmatch(r"Quá dài: tối đa \d+ ký tự\.", long.json()["details"]["errors"][0]["text"])
        unknown = client.post("/v1/initiatives/raise-idea", json={**body, "extra": 1},
                              headers={"Accept-Language": "en-GB, vi;q=0.5"})
        assert (unknown.status_code, unknown.json()["code"]) == (422, "UNKNOWN_FIELD")
        assert unknown.json()["field"] == "extra" and "field" in unknown.json()["title"].lower()
        assert unknown.json()["details"]["errors"][0]["text"] == "This field is not part of the form."
        wrong_type = client.post("/v1/initiatives/raise-idea", json={**body, "union_id": 5})
        assert (wrong_type.status_code, wrong_type.json()["field"]) == (422, "union_id")
        malformed = client.post("/v1/initiatives/raise-idea", content=b'{"union_id": ',
                                headers={"Content-Type": "application/json"})
        assert (malformed.status_code, malformed.json()["code"]) == (400, "MALFORMED_JSON")
        not_utf8 = client.post("/v1/initiatives/raise-idea", content=b'{"title": "\xff\xfe"}',
                               headers={"Content-Type": "application/json"})
        assert not_utf8.status_code == 400
        surrogate = client.post("/v1/initiatives/raise-idea",
                                content=b'{"union_id": "%s", "author_id": "%s", "title": "\\ud800",'
                                        b' "description": "x", "raised_on": "2026-01-05"}'
                                        % (w.unions["CS-1"].encode(), w.people["D"].encode()),
                                headers={"Content-Type": "application/json"})
        assert surrogate.status_code == 422
        huge = client.post("/v1/initiatives/raise-idea", content=b"x" * (9 * 1024 * 1024),
                           headers={"Content-Type": "application/json"})
        assert (huge.status_code, huge.json()["code"]) == (413, "PAYLOAD_TOO_LARGE")
        text = client.post("/v1/initiatives/raise-idea", content=b"title=x",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert text.status_code == 415
        domain = client.post("/v1/initiatives/raise-idea", json={**body, "raised_on": "2026-13-01"})
        assert (domain.status_code, domain.json()["code"]) == (422, "INVALID_DATE")
        assert domain.json()["field"] == "raised_on"


def test_r5_2_an_idempotency_key_repeats_the_first_outcome_and_has_no_second_effect(
        system: System) -> None:
    w = system.province
    assert w is not None
    body = {"union_id": w.unions["CS-1"], "reference": "SK-IDEM", "kind": "initiative",
            "fields": {"name": "Sổ điện tử", "objective": "Nhanh", "implementation_steps": "Làm",
                       "scope_feasibility_time": "Toàn trường",
                       "expected_effectiveness": "Tiết kiệm"},
            "authors": [{"person_id": w.people["D"], "share": 100}], "registered_on": "2026-01-10"}
    before = system.processes.call("initiatives", "health")["last_notification"]
    with system.http(system.tokens["d"], **{"Idempotency-Key": "dang-ky-1"}) as client:
        first = client.post("/v1/initiatives/register", json=body)
        again = client.post("/v1/initiatives/register", json=body)
        other = client.post("/v1/initiatives/register", json={**body, "reference": "SK-OTHER"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert (other.status_code, other.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    after = system.processes.call("initiatives", "health")["last_notification"]
    assert after == (before or 0) + 1  # one registration, one event
    with system.http(system.tokens["d"]) as client:  # without a key, a repeat is refused
        twice = client.post("/v1/initiatives/register", json=body)
    assert (twice.status_code, twice.json()["code"]) == (409, "INITIATIVE_EXISTS")
    # a list naming no union shows each caller only the rows of unions inside its roles
    overdue = system.call("auditor", "initiatives", "overdue", as_of="2026-06-30")["items"]
    assert [r["reference"] for r in overdue] == ["SK-IDEM"]
    assert system.call("f", "initiatives", "overdue", as_of="2026-06-30")["items"] == []
    # the header's search (R3.5) reaches the book through the gateway, by the same rule
    found = system.call("d", "initiatives", "search_initiatives", "so dien tu")["items"]
    assert [r["reference"] for r in found] == ["SK-IDEM"]
    assert system.call("f", "initiatives", "search_initiatives", "so dien tu")["items"] == []


def test_r5_2_a_stale_if_match_is_refused_with_the_current_version(system: System) -> None:
    w = system.province
    assert w is not None
    system.make_user("b", [("official", w.unions["CS-1"])], w.people["B"])
    idea = system.call("d", "initiatives", "raise_idea", w.unions["CS-1"], w.people["D"],
                       "Hộp thư góp ý điện tử", "Thay hộp giấy", "2026-02-01")
    with system.http(system.tokens["d"]) as client:
        tag = client.get("/v1/initiatives/get-idea", params={"idea_id": idea}).headers["ETag"]
    system.call("b", "initiatives", "coach_idea", idea, "Thêm bước khảo sát", "2026-02-02")
    with system.http(system.tokens["d"], **{"If-Match": tag}) as client:
        stale = client.post("/v1/initiatives/withdraw-idea",
                            json={"idea_id": idea, "reason": "Trùng", "on": "2026-02-03"})
    assert (stale.status_code, stale.json()["code"]) == (409, "VERSION_CONFLICT")
    assert stale.json()["details"]["current"] == 2
    with system.http(system.tokens["d"], **{"If-Match": f'"{idea}:2"'}) as client:
        fresh = client.post("/v1/initiatives/withdraw-idea",
                            json={"idea_id": idea, "reason": "Trùng", "on": "2026-02-03"})
    assert fresh.status_code == 200
    assert system.call("d", "initiatives", "get_idea", idea)["status"] == "withdrawn"


def test_r5_2_roles_and_subtrees_through_the_api(system: System) -> None:
    w = system.province
    assert w is not None
    with pytest.raises(ApiError) as auditor:
        system.call("auditor", "reviews", "launch", w.unions["CS-1"], 2026, "2026-01-05",
                    "Phát động", "Kế hoạch")
    assert (auditor.value.status, auditor.value.code) == (403, "READ_ONLY_ROLE")
    with pytest.raises(ApiError) as member:
        system.call("d", "reviews", "launch", w.unions["CS-1"], 2026, "2026-01-05", "Phát động",
                    "Kế hoạch")
    assert (member.value.status, member.value.code) == (403, "ROLE_NOT_ALLOWED")
    with pytest.raises(ApiError) as sideways:  # CS-2's committee on CS-1
        system.call("f", "reviews", "launch", w.unions["CS-1"], 2026, "2026-01-05", "Phát động",
                    "Kế hoạch")
    assert (sideways.value.status, sideways.value.code) == (403, "OUTSIDE_YOUR_SCOPE")
    # inside the scope the service judges the rest: H sits on no committee of CS-1
    with pytest.raises(ApiError) as service:
        system.call("h", "reviews", "launch", w.unions["CS-1"], 2026, "2026-01-05", "Phát động",
                    "Kế hoạch")
    assert (service.value.status, service.value.code) == (403, "NO_AUTHORITY")
    assert system.call("a", "reviews", "launch", w.unions["CS-1"], 2026, "2026-01-05",
                       "Phát động phong trào", "Kế hoạch năm 2026")
    # an auditor reads inside its subtree, not outside
    assert system.call("auditor", "registry", "get_union", w.unions["CS-1"])["code"] == "CS-1"
    with pytest.raises(ApiError) as elsewhere:
        system.call("auditor", "registry", "get_union", w.unions["CS-VP"])
    assert elsewhere.value.code == "OUTSIDE_YOUR_SCOPE"


def test_r5_2_lists_are_paginated_and_search_ignores_diacritics(system: System) -> None:
    w = system.province
    assert w is not None
    page = system.call("h", "registry", "descendants", w.unions["TV"], limit=2, offset=1)
    assert page["total"] == 5 and len(page["items"]) == 2 and page["offset"] == 1
    with pytest.raises(ApiError) as too_big:
        system.call("h", "registry", "descendants", w.unions["TV"], limit=1000)
    assert (too_big.value.status, too_big.value.field if hasattr(too_big.value, "field") else
            too_big.value.body["field"]) == (422, "limit")
    found = system.call("h", "registry", "search_people", "nguyen van an")["items"]
    assert [p["full_name"] for p in found] == ["Nguyễn Văn An"]


def _list_arguments(op: Operation, w: Province) -> dict[str, Any]:
    """Arguments for a list query over CS-1 (or above it, where a union above is asked)."""
    args: dict[str, Any] = {}
    for param in op.params:
        name = param.name
        if name in ("upper_union_id", "federation_id"):
            args[name] = w.unions["TV-CL"]
        elif name in UNION_NAMES:
            args[name] = w.unions["CS-1"] if param.required or name == "union_id" else None
        elif name in UNION_LISTS:
            args[name] = [w.unions["CS-1"], w.unions["CS-2"]]
        elif name == "person_id":
            args[name] = w.people["A"]
        elif name == "aggregate_id":
            args[name] = w.unions["CS-1"]  # a record of the registry; none elsewhere: []
        elif name == "event_ids":
            args[name] = ["8b0a5f5e-0000-4000-8000-000000000000"]
        elif name == "q":
            args[name] = "nguyen"
        elif name == "name":
            args[name] = "Sổ theo dõi điện tử"
        elif name == "year":
            args[name] = 2026
        elif name == "on" and param.required:  # a plan's preview of open items (R1.5)
            args[name] = "2026-07-01"
        elif name == "action" and param.required:
            args[name] = "dissolve"
        elif param.required:
            raise AssertionError(f"{op.name} asks {name}: say what to give it")
    return {k: v for k, v in args.items() if v is not None}


def test_r5_2_every_list_answers_items_total_offset_limit(system: System) -> None:
    """Every query of the catalogue that answers a list answers ``{items, total, offset,
    limit}`` over HTTP, whoever pages it (the service, the gateway, a search's first
    matches), and its OpenAPI answer is that page; one record answers ``{result}``."""
    w = system.province
    assert w is not None
    lists = [op for op in operations() if op.listing]
    assert {"registry.members", "initiatives.tracking_book", "registry.search_people",
            "registry.tree", "initiatives.statistics", "reviews.overdue",
            "notifications.my_notifications", "notifications.undelivered_mail",
            "initiatives.similar_recognised"} <= {
                op.name for op in lists}
    with system.http(system.tokens["admin"]) as client, \
            system.http(system.tokens["h"]) as person:  # every query everywhere; a person's own
        document = client.get("/openapi.json").json()
        for op in lists:
            args = _list_arguments(op, w)
            if op.name == "notifications.my_notifications":
                client, person = person, client
            response = client.get(op.path, params=args)
            assert response.status_code == 200, (op.name, response.text)
            body = response.json()
            assert {"items", "total", "offset", "limit"} <= body.keys(), (op.name, body)
            assert "result" not in body, op.name
            assert isinstance(body["items"], list) and len(body["items"]) <= body["limit"]
            assert body["offset"] == 0 and body["total"] >= len(body["items"]), (op.name, body)
            if op.listing == "whole" or op.param("offset"):  # a page further on, of one item
                second = client.get(op.path, params={**args, "offset": 1, "limit": 1}).json()
                assert (second["offset"], second["limit"], second["total"]) == (
                    1, 1, body["total"]), (op.name, second)
                assert second["items"] == body["items"][1:2], op.name
            schema = document["paths"][op.path]["get"]["responses"]["200"]["content"][
                "application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Page"}, (op.name, schema)
            if op.name == "notifications.my_notifications":
                assert isinstance(body["unread"], int)  # its own field, beside the four
                client, person = person, client
        page = document["components"]["schemas"]["Page"]
        assert set(page["required"]) == {"items", "total", "offset", "limit"}
        record = client.get("/v1/registry/get-union", params={"union_id": w.unions["CS-1"]})
        assert record.json().keys() == {"result"} and record.json()["result"]["code"] == "CS-1"
    members = system.call("h", "registry", "members", w.unions["CS-1"], limit=2)
    assert (members["total"], members["offset"], members["limit"], len(members["items"])) == (
        5, 0, 2, 2)


def test_r5_2_a_union_is_named_by_its_code_wherever_a_union_is_asked(system: System) -> None:
    """A union's code, which every office knows, names it as well as its id: the gateway
    resolves it at the edge; an unknown code is 404 ``UNION_CODE_UNKNOWN`` in Vietnamese
    (English when asked), naming the field."""
    w = system.province
    assert w is not None
    cs1, tv = w.unions["CS-1"], w.unions["TV"]
    found = system.call("h", "registry", "union_by_code", "CS-1")
    assert (found["id"], found["code"], found["level"]) == (cs1, "CS-1", "grassroots")
    named: list[tuple[str, str, str, str]] = [("get_union", "union_id", cs1, "CS-1"),
                                              ("members", "union_id", cs1, "CS-1"),
                                              ("tree", "root_id", tv, "TV")]
    for method, name, by_id, code in named:
        as_code: dict[str, Any] = {name: code}
        as_id: dict[str, Any] = {name: by_id}
        assert system.call("h", "registry", method, **as_code) == \
            system.call("h", "registry", method, **as_id), method
    assert system.call("h", "initiatives", "tracking_book", union_id="CS-1") == \
        system.call("h", "initiatives", "tracking_book", union_id=cs1)
    assert system.call("h", "reviews", "overdue", upper_union_id="TV-CL") == \
        system.call("h", "reviews", "overdue", upper_union_id=w.unions["TV-CL"])
    # statistics: one union (union_id) or several (union_ids), by id or by code
    by_ids = system.call("h", "initiatives", "statistics", year=2026,
                         union_ids=[cs1, w.unions["CS-2"]])
    assert system.call("h", "initiatives", "statistics", year=2026,
                       union_ids=["CS-1", "CS-2"]) == by_ids
    assert system.call("h", "initiatives", "statistics", year=2026, union_id="CS-1") == \
        system.call("h", "initiatives", "statistics", year=2026, union_ids=[cs1])
    # a command too, and the scope is judged on the union the code names
    idea = system.call("d", "initiatives", "raise_idea", "CS-1", w.people["D"],
                       "Mã công đoàn thay cho mã định danh", "Mô tả", "2026-01-06")
    assert system.call("d", "initiatives", "get_idea", idea)["union_id"] == cs1
    with pytest.raises(ApiError) as outside:
        system.call("f", "registry", "members", union_id="CS-1")
    assert (outside.value.status, outside.value.code) == (403, "OUTSIDE_YOUR_SCOPE")
    with system.http(system.tokens["h"]) as client:
        unknown = client.get("/v1/registry/members", params={"union_id": "TV-CS-9999"})
        english = client.get("/v1/initiatives/statistics", params={
            "year": 2026, "union_ids": ["CS-1", "KHONG-CO"]}, headers={"Accept-Language": "en"})
        direct = client.get("/v1/registry/union-by-code", params={"code": "TV-CS-9999"})
    problem = unknown.json()
    assert (unknown.status_code, problem["code"], problem["field"]) == (404, "UNION_CODE_UNKNOWN",
                                                                  "union_id")
    assert problem["title"] == "Không có công đoàn nào mang mã này. Vui lòng kiểm tra lại mã công đoàn."
    assert problem["detail"] == "Không có công đoàn nào mang mã TV-CS-9999."
    assert (english.status_code, english.json()["code"], english.json()["field"]) == (
        404, "UNION_CODE_UNKNOWN", "union_ids")
    assert english.json()["detail"] == "No union has the code KHONG-CO."
    assert (direct.status_code, direct.json()["code"]) == (404, "UNION_CODE_UNKNOWN")


def test_r5_2_the_document_and_readiness(system: System) -> None:
    with system.http() as client:
        document = client.get("/openapi.json").json()
        docs = client.get("/docs")
        ready = client.get("/ready").json()
    assert "/v1/awards/decide-award" in document["paths"]
    assert "bearerAuth" in str(document["components"]["securitySchemes"]) or \
        document["components"]["securitySchemes"]
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    assert ready["status"] == "ready" and set(ready["checks"]) == {
        "registry", "initiatives", "reviews", "awards", "notifications", "gateway_store"}


def test_r5_2_every_answer_carries_the_security_policy(system: System) -> None:
    """The web application, an API answer, a refusal and the API's documentation each carry
    the content security policy and the usual headers; /docs allows only its own inline
    script, by hash, and no HSTS is sent over plain HTTP."""
    with system.http() as client:
        answers = {"/": client.get("/"), "/openapi.json": client.get("/openapi.json"),
                   "refusal": client.get("/v1/me"), "/docs": client.get("/docs")}
    for name, answer in answers.items():
        policy = answer.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, name
        assert "'unsafe-eval'" not in policy, name
        assert answer.headers.get("x-content-type-options") == "nosniff", name
        assert answer.headers.get("x-frame-options") == "DENY", name
        assert answer.headers.get("referrer-policy") == "no-referrer", name
        assert "strict-transport-security" not in answer.headers, name
    assert answers["refusal"].status_code == 401
    assert answers["/docs"].headers["content-security-policy"] == answers["/"].headers[
        "content-security-policy"]


def test_r5_1_an_auditor_verifies_every_store_through_the_api_and_a_member_cannot(
        system: System) -> None:
    for service in ("registry", "initiatives", "reviews", "awards"):
        head = system.call("auditor", service, "chain_checkpoint")
        report = system.call("auditor", service, "verify_chain", head["position"], head["link"])
        assert report["ok"], (service, report)
        assert report["head"]["position"] >= head["position"]
    registry = system.call("auditor", "registry", "chain_checkpoint")
    forged = system.call("auditor", "registry", "verify_chain", registry["position"], "0" * 64)
    assert forged["break"]["kind"] in ("checkpoint_mismatch", "truncated")
    w = system.province
    assert w is not None
    founded = system.call("auditor", "registry", "history", w.unions["CS-1"])
    first = founded["items"][0]  # a list comes back a page at a time
    assert first["event"] == "Founded" and first["actor"]["role"] == "administrator"
    as_of = system.call("auditor", "registry", "state_as_of", w.unions["CS-1"], 1)
    assert as_of["state"]["code"] == "CS-1"
    replay = system.call("auditor", "registry", "replay_check")
    assert replay["ok"] and replay["replayed"] > 0, replay["differences"]
    with pytest.raises(ApiError) as member:
        system.call("d", "registry", "verify_chain")
    assert (member.value.status, member.value.code) == (403, "ROLE_NOT_ALLOWED")


def test_r4_5_r5_1_an_auditor_opens_a_recognition_whole_through_http_and_grpc(
        system: System) -> None:
    """An idea developed into an initiative, evaluated and recognised by CS-1's committee,
    all through the API; the auditor of Càng Long's subtree reads the decision's trail (HTTP
    JSON, the printable report, gRPC), a member cannot."""
    import grpc

    from gateway.grpc_generated import audit_pb2, audit_pb2_grpc
    from tests.support.awards_world import FIELDS, MARKS

    w = system.province
    assert w is not None
    cs1, council = w.unions["CS-1"], [w.people[x] for x in "ABC"]
    idea = system.call("d", "initiatives", "raise_idea", cs1, w.people["D"], "Sổ theo dõi",
                       "Ý tưởng: sổ theo dõi đoàn viên điện tử", "2026-01-05")
    initiative = system.call("a", "initiatives", "register", cs1, "SK-AUDIT", "initiative",
                             {"name": "Sổ theo dõi đoàn viên điện tử", **FIELDS},
                             [{"person_id": w.people["D"], "share": 100}], "2026-01-10",
                             idea_id=idea)
    system.call("a", "initiatives", "constitute_council", initiative, council, "2026-01-20",
                "Thành lập hội đồng", "07/QĐ-CĐCS")
    system.call("a", "initiatives", "record_evaluation", initiative, "2026-02-01",
                dict.fromkeys(council, MARKS), dict.fromkeys(council, "for"), "BB-07")
    system.call("a", "initiatives", "recognise", initiative, "2026-02-10", "Hội đồng tán thành",
                "19/QĐ-CĐCS")
    trail = system.call("auditor", "audit", "decision_trail", initiative)
    assert trail["stages"] == ["idea", "registration", "evaluation", "recognition"]
    recognised = next(s for s in trail["timeline"] if s["event"] == "Recognised")
    assert recognised["actor"]["user_id"] == w.people["A"] and recognised["number"] == "19/QĐ-CĐCS"
    assert recognised["actor"]["role"] == "executive" and recognised["rule_set"]["version"]
    assert all(a["held"] for a in trail["authority"]) and trail["authority"]
    with system.http(system.tokens["auditor"]) as client:
        page = client.get("/v1/audit/audit-report/document", params={"record_id": initiative})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "19/QĐ-CĐCS" in page.text and "initiatives: ✔ nguyên vẹn" in page.text
    assert 'filename="audit-initiative-' in page.headers["content-disposition"]
    with pytest.raises(ApiError) as member:
        system.call("d", "audit", "decision_trail", initiative)
    assert (member.value.status, member.value.code) == (403, "ROLE_NOT_ALLOWED")
    # the province's own launch lies outside the auditor's subtree (Càng Long's): refused
    launch = system.call("h", "reviews", "launch", w.unions["TV"], 2026, "2026-01-06",
                         "Phát động phong trào toàn tỉnh", "Kế hoạch của Liên đoàn Lao động tỉnh")
    with pytest.raises(ApiError) as outside:
        system.call("auditor", "audit", "decision_trail", launch)
    assert (outside.value.status, outside.value.code) == (403, "OUTSIDE_YOUR_SCOPE")
    with pytest.raises(ApiError) as unknown:
        system.call("auditor", "audit", "decision_trail", "00000000-0000-4000-8000-000000000000")
    assert (unknown.value.status, unknown.value.code) == (404, "RECORD_NOT_FOUND")
    with grpc.insecure_channel(f"127.0.0.1:{system.grpc_port}") as channel:
        reply = audit_pb2_grpc.AuditStub(channel).DecisionTrail(
            audit_pb2.AuditDecisionTrailRequest(record_id=initiative),
            metadata=[("authorization", f"Bearer {system.tokens['auditor']}")], timeout=30)
    assert reply.result.struct_value["record_id"] == initiative


def test_r5_2_a_stopped_service_is_unavailable_quickly_and_the_gateway_recovers(
        system: System) -> None:
    """Last in the module: it stops a service."""
    import time

    from tests.support.processes import eventually

    w = system.province
    assert w is not None
    system.processes.kill("reviews")
    started = time.monotonic()
    with pytest.raises(ApiError) as down:
        system.call("g", "reviews", "schedule", w.unions["CS-1"], 2026)
    assert (down.value.status, down.value.code) == (503, "SERVICE_UNAVAILABLE")
    assert time.monotonic() - started < 5 + 3  # GATEWAY_RPC_TIMEOUT is 5 s in these tests
    with system.http() as client:
        assert client.get("/ready").status_code == 503
    system.processes.service("reviews")
    schedule = eventually(lambda: system.call("g", "reviews", "schedule", w.unions["CS-1"], 2026),
                          timeout=30, what="reviews answers through the gateway again")
    assert schedule


def test_r5_2_every_operation_says_what_it_does_its_requirement_and_who_may_call_it(
        system: System) -> None:
    """A front-end developer reads the API from its document alone: each operation of the
    services has a summary of its own (not its name), a requirement number, and the roles the
    gateway lets call it, as the policy says (``gateway.policy.roles_for``)."""
    with system.http() as client:
        document = client.get("/openapi.json").json()
    by_id = {o.name: o for o in operations()}
    seen = 0
    for path, item in document["paths"].items():
        for operation in item.values():
            op = by_id.get(operation.get("operationId", ""))
            if op is None:
                continue
            seen += 1
            text = operation["summary"] + operation.get("description", "")
            assert operation["summary"] != op.method.replace("_", " "), path
            assert re.search(r"\bR[1-5]\.\d", text), (path, "names no requirement")
            who = operation["description"].split("**Ai được gọi — Who may call:**")[1]
            named = set(re.findall(r"\(`(\w+)`\)", who.split("\n\n")[0]))
            assert named == {r.value for r in roles_for(op)}, (path, named)
            assert ("Idempotency-Key" in operation["description"]) == op.command, path
    assert seen == len(by_id)


# Sent first, in this order, each expected to succeed: a representative set whose examples
# touch every kind of nested value (an object, a list of objects, a map of values).
EXAMPLES_THAT_SUCCEED = ("registry.found_union", "registry.register_person",
                         "registry.constitute_body", "initiatives.raise_idea",
                         "initiatives.register", "initiatives.design_form", "reviews.launch",
                         "reviews.sign_pledge")


def test_r5_2_every_documented_example_is_answered_as_the_document_says(system: System) -> None:
    """A front-end developer sends the document's example of each command, with the ids of
    a real province in place of its placeholders: the representative ones succeed, and every
    answer, a refusal too, has a status the document lists and keeps to its schema. None is
    refused for its shape (``VALIDATION_FAILED``, ``UNKNOWN_FIELD``): the examples and the
    gateway's own validation agree. (Run last: it reorganises the province.)"""
    from jsonschema import Draft202012Validator, FormatChecker

    from gateway.examples import IDS

    w = system.province
    assert w is not None
    with system.http() as client:
        document = client.get("/openapi.json").json()
    real = {"union": w.unions["CS-1"], "parent": w.unions["TV-CL"],
            "upper_union": w.unions["TV-CL"], "into_union": w.unions["CS-2"],
            "person": w.people["A"], "author": w.people["D"], "subject": w.people["D"],
            "signer": w.people["A"], "member": w.people["B"],
            "body": w.bodies["CS-1/executive_committee"]}
    ops = {o.name: o for o in operations() if o.command}
    order = [*EXAMPLES_THAT_SUCCEED, *sorted(set(ops) - set(EXAMPLES_THAT_SUCCEED))]
    made: dict[str, str] = {}  # the ids the first examples created, for the next ones
    sent, answered = 0, Counter[int]()
    for name in order:
        op = ops[name]
        operation = document["paths"][op.path]["post"]
        media = operation["requestBody"]["content"]["application/json"]
        text = json.dumps(media["examples"]["vi"]["value"])
        for key, placeholder in IDS.items():
            text = text.replace(placeholder, made.get(key) or real.get(key) or placeholder)
        login = "admin" if op.service == "registry" else "a"
        with system.http(system.tokens[login]) as client:
            response = client.post(op.path, content=text,
                                   headers={"Content-Type": "application/json"})
        sent += 1
        answered[response.status_code] += 1
        status = str(response.status_code)
        assert status in operation["responses"], (name, status, response.text)
        media_type = response.headers["content-type"].split(";")[0]
        schema = operation["responses"][status]["content"][media_type]["schema"]
        Draft202012Validator({**schema, "components": document["components"]},
                             format_checker=FormatChecker()).validate(response.json())
        body = response.json()
        assert body.get("code") not in ("VALIDATION_FAILED", "UNKNOWN_FIELD", "MALFORMED_JSON"), \
            (name, body)
        if name in EXAMPLES_THAT_SUCCEED:
            assert response.status_code == 200, (name, body)
            shown = content_example(operation)  # the example answer, where there is one
            if shown is not None:
                assert type(body["result"]) is type(shown["result"]), (name, body, shown)
            if name in ("initiatives.raise_idea", "initiatives.register"):
                made["idea" if name.endswith("idea") else "initiative"] = body["result"]
    assert sent == len(ops) > 50
    print(f"examples sent {sent}, answered {dict(answered)}")


def content_example(operation: dict[str, Any]) -> Any:
    return operation["responses"]["200"]["content"]["application/json"].get("example")
