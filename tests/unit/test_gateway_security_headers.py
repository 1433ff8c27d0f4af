"""The gateway's security headers (``gateway.http.SecurityHeaders``) on a bare application:
added to every answer, an answer's own policy kept, HSTS only over TLS (R5.2)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from gateway.http import CONTENT_SECURITY_POLICY, SecurityHeaders


def application() -> FastAPI:
    app = FastAPI()
    app.add_middleware(SecurityHeaders)

    @app.get("/plain")
    def plain() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/own")
    def own() -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"Content-Security-Policy": "default-src 'none'"})

    return app


def test_r5_2_every_answer_gets_the_policy_and_an_answer_keeps_its_own() -> None:
    client = TestClient(application())
    for path in ("/plain", "/missing"):
        answer = client.get(path)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "strict-transport-security" not in answer.headers
    assert client.get("/own").headers.get_list("content-security-policy") == ["default-src 'none'"]


def test_r5_2_hsts_only_over_tls() -> None:
    answer = TestClient(application(), base_url="https://office.example").get("/plain")
    assert answer.headers["strict-transport-security"].startswith("max-age=")
