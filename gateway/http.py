"""The HTTP/JSON front of the gateway (R5.2), on FastAPI: one route per command (POST, JSON
body) and per query (GET, query parameters) of every service, built from the services' own
entrypoints (``gateway.catalogue``), validated by pydantic models made from their signatures
(unknown fields refused, lengths bounded), described by the OpenAPI document at
``/openapi.json`` and browsable at ``/docs`` (Swagger UI served from the package, no CDN).

Errors are problem details (``application/problem+json``, RFC 9457) with the stable code and
a message in Vietnamese, or in English when the request's Accept-Language prefers it.
"""

import logging
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Body, Depends, FastAPI, Header, Query, Request, Response, Security
from fastapi import Path as FastPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, create_model
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway import public
from gateway.catalogue import Operation, Param
from gateway.core import Gateway, as_page
from gateway.examples import answer, example
from gateway.limits import (
    IDEMPOTENCY_KEY_MAX,
    IF_MATCH_MAX,
    LIST_MAX,
    LONG_TEXT,
    MAX_BODY,
    MAX_QUERY,
    OFFSET_MAX,
    PAGE_DEFAULT,
    PAGE_MAX,
    TEXT_MAX,
)
from gateway.messages import detail as localized_detail
from gateway.messages import (
    field_errors_detail,
    field_problem,
    label,
    language_from,
    localize,
    message,
)
from gateway.policy import ROLE_TITLES, Role, roles_for
from runtime import observability
from runtime.errors import DomainError, InvalidInput
from runtime.paging import Page, paginate
from runtime.store import STORE_FAILURES, store_unavailable

log = logging.getLogger("emulation.gateway")
WEB = Path(__file__).parent / "web"  # the web front end for union offices and auditors

STATUS = {"invalid": 422, "not_found": 404, "conflict": 409, "forbidden": 403,
          "unauthenticated": 401, "unavailable": 503, "throttled": 429}


def problem(request: Request | None, status: int, code: str, detail: str = "",
            details: Any = None, headers: Mapping[str, str] | None = None,
            text: str | None = None) -> JSONResponse:
    """A problem details response: the code, its message (``title``) and one sentence about
    this refusal (``detail``, ``gateway.messages.detail`` unless ``text`` gives it) in the
    caller's language, the field at fault when there is one. ``detail`` is the developer's
    English text: logged with the correlation id, never sent (see ``gateway.messages``)."""
    language = language_from(request.headers.get("accept-language") if request else None)
    path = request.url.path.split("/") if request else []
    service = path[2] if len(path) > 2 and path[1] == "v1" else None
    correlation = getattr(request.state, "correlation_id", None) if request else None
    details = localize(details, language, service)  # refused rows get their text
    body: dict[str, Any] = {"type": f"urn:emulation:error:{code}", "title": message(code, language),
                            "status": status, "code": code,
                            "detail": text or localized_detail(code, details, language, service),
                            "details": details if details is not None else {}}
    if isinstance(details, Mapping) and isinstance(details.get("field"), str):
        body["field"] = details["field"]
    if request is not None:
        body["correlation_id"] = correlation
    if detail and detail != code:
        log.debug("refused %s (%s): %s (correlation id %s)", code, status, detail, correlation)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}),
                        media_type="application/problem+json")


class Limits:
    """Pure ASGI: refuses a query string (414) or a body (413) over the limit, and a body
    that is not JSON (415), before anything reads it. (A request line past what the HTTP
    parser takes, about 256 KB, is refused by the server itself with a bare 400.)"""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope.get("query_string", b"")) > MAX_QUERY:
            await _send(scope, receive, send, 414, "URI_TOO_LONG", {"max_bytes": MAX_QUERY})
            return
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.max_body):
            await _send(scope, receive, send, 413, "PAYLOAD_TOO_LARGE",
                        {"max_bytes": self.max_body})
            return
        media = headers.get("content-type", "").split(";")[0].strip().lower()
        empty = length == "0" or (not length and "transfer-encoding" not in headers)
        if media != "application/json" and not (empty and not media):  # a bare POST has no body
            await _send(scope, receive, send, 415, "UNSUPPORTED_MEDIA_TYPE",
                        {"expected": "application/json"})
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            event = await receive()
            seen += len(event.get("body", b""))
            if seen > self.max_body:
                raise _TooLarge()
            return event

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _send(scope, receive, send, 413, "PAYLOAD_TOO_LARGE", {"max_bytes": self.max_body})


class _TooLarge(Exception):
    pass


async def _send(scope: Scope, receive: Receive, send: Send, status: int, code: str,
                details: dict[str, Any]) -> None:
    await problem(Request(scope, receive), status, code, code, details)(scope, receive, send)


# --- models made from the services' signatures ----------------------------------------------

def _type(op: Operation, param: Param) -> Any:
    text = Annotated[str, StringConstraints(max_length=LONG_TEXT.get(param.name, TEXT_MAX))]
    kinds: dict[str, Any] = {
        "text": text, "integer": int, "number": float, "boolean": bool,
        "texts": Annotated[list[text], Field(max_length=LIST_MAX)],  # type: ignore[valid-type]
        "object": dict[str, Any],
        "objects": Annotated[list[dict[str, Any]], Field(max_length=LIST_MAX)],
        "any": Any}
    if param.name == "limit":
        return Annotated[int, Field(ge=1, le=PAGE_MAX)]
    if param.name == "offset":
        return Annotated[int, Field(ge=0, le=OFFSET_MAX)]
    if param.kind in ("object", "objects") and param.schema:
        # what is inside as the service declares it (its ``Shape``), for the document; the
        # service reads and refuses it itself, with its own codes and fields
        shape = {k: v for k, v in param.schema.items() if k != "description"}
        options = [s for s in shape.get("anyOf", [shape]) if s.get("type") != "null"]
        return Annotated[kinds[param.kind], WithJsonSchema(options[0])]
    return kinds[param.kind]


def _model(op: Operation, suffix: str, extra: Mapping[str, Any] | None = None) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for param in op.params:
        kind = _type(op, param)
        about = Field(description=param.schema.get("description") or None)
        if param.required:
            fields[param.name] = (Annotated[kind, about], ...)
        else:
            fields[param.name] = (Annotated[kind | None, about], param.default)
    fields.update(extra or {})
    name = "".join(part.title() for part in f"{op.service}_{op.method}_{suffix}".split("_"))
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


class Result(BaseModel):
    """One record (or a command's outcome, a report): ``{"result": …}``, everywhere."""
    result: Any = None


T = TypeVar("T")


class One(BaseModel, Generic[T]):
    """One record of a known shape, as every record is answered: ``{"result": …}``."""
    result: T


class Problem(BaseModel):
    type: str
    title: str
    status: int
    code: str
    detail: str
    details: Any = None
    field: str | None = None
    correlation_id: str | None = None


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"username": "nguyen.hong.nhung", "password": "Mật-khẩu-đủ-dài-2025"}]})
    username: Annotated[str, StringConstraints(max_length=64)]
    password: Annotated[str, StringConstraints(max_length=200)]


class Grant(BaseModel):
    """Một vai trò trên cây công đoàn — A role over a union's subtree (none: the whole system)"""
    role: Role = Field(description="Vai trò — Role")
    union_id: str | None = Field(None, description="Công đoàn — Union (null: the whole system)")


class Token(BaseModel):
    """Mã truy cập đã ký, có hạn — A signed token that expires, and who it is for"""
    access_token: str
    token_type: str = Field(description="Always `Bearer`")
    expires_in: int = Field(description="Seconds until the token expires")
    username: str
    person_id: str | None = None
    roles: list[Grant]
    must_change_password: bool


class Check(BaseModel):
    """Whether one service (and its store) or the gateway's own store answers"""
    model_config = ConfigDict(extra="allow")
    ok: bool
    code: str | None = Field(None, description="The refusal's code when a service does not answer")
    error: str | None = Field(None, description="What failed, when the gateway's store does not answer")


class Readiness(BaseModel):
    status: str = Field(description="`ready`, or `degraded` when something does not answer")
    checks: dict[str, Check] = Field(description="By service name, and `gateway_store`")


class Account(BaseModel):
    username: str
    person_id: str | None = None
    roles: list[Grant]
    disabled: bool
    must_change_password: bool


class Accounts(BaseModel):
    items: list[Account]
    total: int
    offset: int
    limit: int


class RoleGrant(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"role": "executive", "union_id": "6e0b7f6c-2a51-5f3e-9d3b-0c6f1d2a9e41"}]})
    role: Annotated[str, StringConstraints(max_length=32)]
    union_id: Annotated[str, StringConstraints(max_length=36)] | None = None


class OneTimePassword(BaseModel):
    username: str
    one_time_password: str


class Me(BaseModel):
    username: str
    person_id: str | None = None
    roles: list[Grant]
    must_change_password: bool


class NewAccount(BaseModel):
    username: str
    person_id: str | None = None
    roles: list[Grant]


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"current_password": "Mật-khẩu-tạm-123", "new_password": "Mật-khẩu-mới-đủ-dài-2025"}]})
    current_password: Annotated[str, StringConstraints(max_length=200)]
    new_password: Annotated[str, StringConstraints(max_length=200)]


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"username": "tran.van.an", "password": "Mật-khẩu-tạm-2025",
         "person_id": "2b7e1f0a-54c3-5d9e-8f1a-3c4d5e6f7a8b",
         "roles": [{"role": "member", "union_id": "6e0b7f6c-2a51-5f3e-9d3b-0c6f1d2a9e41"}]}]})
    username: Annotated[str, StringConstraints(max_length=64)]
    password: Annotated[str, StringConstraints(max_length=200)]
    person_id: Annotated[str, StringConstraints(max_length=36)] | None = None
    # each a role grant, read and refused by the accounts (their codes), documented here
    roles: Annotated[list[dict[str, Any]], Field(max_length=50), WithJsonSchema({
        "type": "array", "maxItems": 50, "items": {
            "type": "object", "title": "RoleGrant", "required": ["role"],
            "description": "Một vai trò trên cây công đoàn — A role over a union's subtree",
            "properties": {
                "role": {"type": "string", "enum": [r.value for r in Role],
                         "description": "Vai trò — Role"},
                "union_id": {"anyOf": [{"type": "string", "maxLength": 36}, {"type": "null"}],
                             "description": "Công đoàn — Union (null: the whole system)"}}}})]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}}
    for status in (400, 401, 403, 404, 409, 413, 414, 415, 422, 429, 503)}
bearer = HTTPBearer(auto_error=False, description="The token from POST /v1/auth/token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def _caller(gateway: Gateway) -> Any:
    """A dependency: who signed the token, checked before the body is validated (no or a bad
    token: 401; the bearer scheme is declared, so the document says how to sign in). It does
    no I/O, so it runs on the event loop; the route reads the user's roles in its own worker
    thread: one hand-off per request, not two."""
    async def signed_in(request: Request, credentials: Credentials) -> str:
        return gateway.subject(request.headers.get("authorization"))

    return Depends(signed_in)


class HttpMiddleware:
    """Pure ASGI middleware that sees HTTP requests only (lifespan and other scopes pass)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class Correlation(HttpMiddleware):
    """Pure ASGI: the request's correlation id (``X-Correlation-Id`` if the caller sent a sane
    one, else a new one) in ``request.state``, and echoed on the response."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = next((v.decode("latin-1") for k, v in scope["headers"]
                      if k == b"x-correlation-id"), "")
        correlation = given if 0 < len(given) <= 64 and given.isprintable() else str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []),
                                      (b"x-correlation-id", correlation.encode("latin-1"))]
            await send(message)

        await self.app(scope, receive, send_with_id)


class Observed(HttpMiddleware):
    """Pure ASGI, inside ``Correlation``: every request counted and timed by route template
    and status (issue 9), with the request's correlation id in force for what is logged
    while it is answered."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, status = time.perf_counter(), 500

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            with observability.correlated(scope.get("state", {}).get("correlation_id")):
                await self.app(scope, receive, send_observed)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            observability.http_request(route, scope["method"], status,
                                       time.perf_counter() - started)


# The web application and every answer: scripts and styles only from this origin (the page
# has no inline script; the screens set style attributes), no plugins, no framing, no
# referrer leaving the office. HSTS only where the request came over TLS.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders(HttpMiddleware):
    """Pure ASGI: the content security policy and the usual security headers on every answer;
    an answer that sets its own policy keeps it."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        extra = [*SECURITY_HEADERS, *([HSTS] if scope.get("scheme") == "https" else [])]

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                headers += [(k, v) for k, v in extra if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_secured)


# --- the application ------------------------------------------------------------------------

def build(gateway: Gateway) -> FastAPI:
    app = FastAPI(title="Đổi mới, sáng tạo, hiệu quả — API", version="1",
                  description="Every command and query of the registry, initiatives, reviews "
                              "and awards services (R5.2). Sign in at POST /v1/auth/token and "
                              "send `Authorization: Bearer <token>`.",
                  docs_url=None, redoc_url=None)
    app.add_middleware(Limits)
    app.add_middleware(Observed)
    app.add_middleware(Correlation)  # every answer, a refusal too, carries the id
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, an error page too
    _errors(app)

    app.mount("/docs/static", StaticFiles(directory=WEB / "vendor" / "swagger-ui"), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(WEB / "docs.html")

    @app.get("/health", tags=["system"], summary="The gateway process is alive",
             description=_own("R5.3: the process answers; for an operator's or an "
                              "orchestrator's liveness probe. It asks no service.",
                              "anyone, without a token"))
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """This process's metrics, Prometheus text format (issue 9)."""
        body, content_type = observability.metrics_text()
        return Response(body, media_type=content_type)

    @app.get("/ready", tags=["system"], responses={503: {"model": Readiness}},
             response_model=Readiness, summary="Which services and which stores answer",
             description=_own("R5.3: every service is asked at once, with a short timeout; "
                              "200 when all answer, 503 `degraded` naming what does not.",
                              "anyone, without a token"))
    def ready() -> JSONResponse:
        ok, report = gateway.ready()
        return JSONResponse({"status": "ready" if ok else "degraded", "checks": report},
                            status_code=200 if ok else 503)

    @app.post("/v1/auth/token", tags=["auth"], responses=ERRORS, response_model=Token,
              summary="Đăng nhập — Sign in: a signed token that expires")
    def sign_in(request: Request, body: ShownSignIn) -> dict[str, Any]:
        """R5.2: after too many failed sign-ins for the account or from the address, 429
        ``LOGIN_THROTTLED`` with Retry-After; ``must_change_password`` true: the person
        changes the one-time password (POST /v1/me/password) before anything else.

        **Ai được gọi — Who may call:** anyone, without a token."""
        return gateway.sign_in(body.username, body.password,
                               request.client.host if request.client else None)

    caller = _caller(gateway)

    @app.get("/v1/me", tags=["auth"], responses=ERRORS, response_model=One[Me],
             summary="Tài khoản của tôi — Who the token is for",
             description=_own("R5.2: the signed-in user's name, person and roles, each over "
                              "a union's subtree.", SIGNED_IN))
    def me(subject: str = caller) -> dict[str, Any]:
        principal = gateway.accounts.principal(subject, pending_change=True)
        user = gateway.accounts.user(principal.username)
        return {"result": {"username": principal.username, "person_id": principal.person_id,
                           "roles": [g.to_dict() for g in principal.grants],
                           "must_change_password": user["must_change_password"]}}

    @app.post("/v1/me/password", tags=["auth"], responses=ERRORS, status_code=204,
              summary="Đổi mật khẩu — Change one's own password (10 to 200 characters)",
              description=_own("R5.2: the current password is asked again; a one-time "
                               "password must be changed here before anything else.",
                               SIGNED_IN))
    def change_password(request: Request, body: ShownNewPassword, subject: str = caller) -> Response:
        principal = gateway.accounts.principal(subject, pending_change=True)
        gateway.accounts.change_password(principal.username, body.current_password,
                                         body.new_password,
                                         request.client.host if request.client else None)
        return Response(status_code=204)

    @app.post("/v1/users", tags=["users"], responses=ERRORS, status_code=201,
              response_model=One[NewAccount],
              summary="Tạo người dùng — An administrator makes a user with roles in their "
                      "own scope",
              description=_own("R5.2: each role is over a union's subtree inside the "
                               "administrator's own scope; the user changes the password at "
                               "the first sign-in.", ADMINISTRATOR))
    def create_user(body: ShownNewUser, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.create_user(gateway.accounts.principal(subject),
                                              body.model_dump())}

    @app.get("/v1/users", tags=["users"], responses=ERRORS, response_model=Accounts,
             summary="Danh sách người dùng — The users in the administrator's scope, searched "
                     "by user name or person's name (diacritics and case ignored)",
             description=_own("R5.2: only users with a role inside the administrator's "
                              "scope; paged by `offset` and `limit`.", ADMINISTRATOR))
    def list_users(q: Annotated[str | None, Query(max_length=200)] = None,
                   offset: Annotated[int, Query(ge=0, le=OFFSET_MAX)] = 0,
                   limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
                   subject: str = caller) -> Page:
        return paginate(gateway.list_users(gateway.accounts.principal(subject), q), offset, limit)

    Username = Annotated[str, FastPath(max_length=64)]

    @app.get("/v1/users/{username}", tags=["users"], responses=ERRORS,
             response_model=One[Account],
             summary="Người dùng — One user, with roles and state",
             description=_own("R5.2: a user outside the administrator's scope is not found.",
                              ADMINISTRATOR))
    def get_user(username: Username, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.get_user(gateway.accounts.principal(subject), username)}

    @app.post("/v1/users/{username}/roles", tags=["users"], responses=ERRORS,
              response_model=One[Account],
              summary="Giao vai trò — Grant a role over a union's subtree (inside the "
                      "administrator's scope)",
              description=_own("R5.2: the union must be inside the administrator's scope; "
                               "granting a role held already changes nothing.", ADMINISTRATOR))
    def grant_role(username: Username, body: ShownRoleGrant, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.grant_role(gateway.accounts.principal(subject), username,
                                             body.model_dump())}

    @app.delete("/v1/users/{username}/roles", tags=["users"], responses=ERRORS,
                response_model=One[Account],
                summary="Thu hồi vai trò — Take a role away (a user keeps at least one)",
                description=_own("R5.2: the role and union are named in the query; the last "
                                 "role cannot be taken (`LAST_ROLE`).", ADMINISTRATOR))
    def revoke_role(username: Username, role: Annotated[str, Query(max_length=32)],
                    union_id: Annotated[str | None, Query(max_length=36)] = None,
                    subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.revoke_role(gateway.accounts.principal(subject), username,
                                              {"role": role, "union_id": union_id or None})}

    @app.post("/v1/users/{username}/disable", tags=["users"], responses=ERRORS,
              response_model=One[Account],
              summary="Khoá tài khoản — Disable an account: its tokens stop working at once",
              description=_own("R5.2: an administrator cannot disable their own account.",
                               ADMINISTRATOR))
    def disable(username: Username, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.set_disabled(gateway.accounts.principal(subject), username, True)}

    @app.post("/v1/users/{username}/enable", tags=["users"], responses=ERRORS,
              response_model=One[Account], summary="Mở khoá tài khoản — Enable an account again",
              description=_own("R5.2: the account signs in again with its password.",
                               ADMINISTRATOR))
    def enable(username: Username, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.set_disabled(gateway.accounts.principal(subject), username, False)}

    @app.post("/v1/users/{username}/reset-password", tags=["users"], responses=ERRORS,
              response_model=One[OneTimePassword],
              summary="Đặt lại mật khẩu — A one-time password the person must change at the "
                      "next sign-in",
              description=_own("R5.2: the one-time password is shown once, in this answer.",
                               ADMINISTRATOR))
    def reset_password(username: Username, subject: str = caller) -> dict[str, Any]:
        return {"result": gateway.reset_password(gateway.accounts.principal(subject), username)}

    for op in gateway.operations.values():
        (_command if op.command else _query)(app, gateway, op, caller)
    _document(app, gateway, gateway.operations["audit.audit_report"], caller)
    app.include_router(public.router(gateway))  # the public register, no token (gateway.public)
    # Issue 11: the web front end (static files, no build step) at /, after every API route.
    app.mount("/", StaticFiles(directory=WEB, html=True), name="web")
    return app


def _document(app: FastAPI, gateway: Gateway, op: Operation, caller: Any) -> None:
    """R5.1: the audit report itself (HTML to read and print, or JSON to keep), not wrapped."""
    model = _model(op, "query")

    def endpoint(request: Request, params: Annotated[model, Query()],  # type: ignore[valid-type]
                 subject: str = caller) -> Response:
        outcome = gateway.execute(op, params.model_dump(exclude_unset=True),  # type: ignore[attr-defined]
                                  gateway.accounts.principal(subject),
                                  correlation_id=request.state.correlation_id)
        report = outcome.result
        return Response(report["content"], media_type=report["media_type"], headers={
            "Content-Disposition": f'inline; filename="{report["filename"]}"'})

    app.get(f"{op.path}/document", tags=[op.service], operation_id=f"{op.name}.document",
            summary="R5.1: the audit report as a document (HTML or JSON), for a person or an "
                    "archive",
            description=_description(op),
            responses={**ERRORS, 200: {"content": {"text/html": {}, "application/json": {}}}},
            response_class=Response)(endpoint)


def _command(app: FastAPI, gateway: Gateway, op: Operation, caller: Any) -> None:
    model = _model(op, "request")
    examples = {"vi": {"summary": "Một yêu cầu như văn phòng công đoàn điền — As a union "
                                  "office fills it", "value": example(op)}}

    def endpoint(request: Request, response: Response,
                 body: Annotated[model, Body(openapi_examples=examples)],  # type: ignore[valid-type]
                 subject: str = caller,
                 idempotency_key: Annotated[str | None, Header(
                     alias="Idempotency-Key", max_length=IDEMPOTENCY_KEY_MAX,
                     description="Repeat a request with the same key: the first outcome, "
                                 "no second effect")] = None,
                 if_match: Annotated[str | None, Header(
                     alias="If-Match", max_length=IF_MATCH_MAX,
                     description="The ETag of the record as read: refused 409 if it changed "
                                 "since")] = None) -> Result:
        principal = gateway.accounts.principal(subject)
        outcome = gateway.execute(op, body.model_dump(exclude_unset=True), principal,  # type: ignore[attr-defined]
                                  idempotency_key=idempotency_key, if_match=if_match,
                                  correlation_id=request.state.correlation_id)
        if outcome.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return Result(result=outcome.result)

    answered = answer(op)
    responses = {**ERRORS, 200: {"content": {"application/json": {"example": answered}}}} \
        if answered is not None else ERRORS
    app.post(op.path, tags=[op.service], summary=op.summary, description=_description(op),
             operation_id=op.name, responses=responses, response_model=Result)(endpoint)


def _query(app: FastAPI, gateway: Gateway, op: Operation, caller: Any) -> None:
    """A query: ``{"result": …}`` for one record (or a report), ``{items, total, offset,
    limit}`` for every list (``runtime.paging``); a list the service answers whole is
    paged here by ``offset`` and ``limit``."""
    paged = op.listing == "whole"
    extra = {"offset": (Annotated[int, Field(ge=0, le=OFFSET_MAX)], 0),
             "limit": (Annotated[int, Field(ge=1, le=PAGE_MAX)], PAGE_DEFAULT)} if paged else None
    model = _model(op, "query", extra)
    lists = {p.name for p in op.params if p.kind == "texts"}

    def endpoint(request: Request, response: Response,
                 params: Annotated[model, Query()],  # type: ignore[valid-type]
                 subject: str = caller) -> Any:
        principal = gateway.accounts.principal(subject)
        given = Counter(name for name, _ in request.query_params.multi_items())
        repeated = [name for name, count in given.items() if count > 1 and name not in lists]
        if repeated:  # one value per parameter, unless it is a list
            raise InvalidInput(f"{repeated[0]} is given more than once", {"field": repeated[0]})
        args = params.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        paging = (args.pop("offset", 0), args.pop("limit", PAGE_DEFAULT)) if paged else None
        outcome = gateway.execute(op, args, principal, correlation_id=request.state.correlation_id)
        if outcome.etag:
            response.headers["ETag"] = outcome.etag
        if op.listing:
            return as_page(op, outcome.result, args, paging)
        return {"result": outcome.result}

    app.get(op.path, tags=[op.service], summary=op.summary, description=_description(op),
            operation_id=op.name, responses=ERRORS,
            response_model=Page if op.listing else Result)(endpoint)


def _shown(model: type[BaseModel]) -> dict[str, Any]:
    """A model's own example (``json_schema_extra``) on the request body, as a command's."""
    extra = model.model_config.get("json_schema_extra")
    value = extra["examples"][0] if isinstance(extra, dict) else {}  # type: ignore[index]
    return {"vi": {"summary": "Ví dụ — Example", "value": value}}


ShownSignIn = Annotated[SignIn, Body(openapi_examples=_shown(SignIn))]
ShownNewPassword = Annotated[NewPassword, Body(openapi_examples=_shown(NewPassword))]
ShownNewUser = Annotated[NewUser, Body(openapi_examples=_shown(NewUser))]
ShownRoleGrant = Annotated[RoleGrant, Body(openapi_examples=_shown(RoleGrant))]
SIGNED_IN = "every signed-in user, whatever their role"
ADMINISTRATOR = f"{ROLE_TITLES[Role.ADMINISTRATOR]} (`{Role.ADMINISTRATOR.value}`)"


def _own(text: str, who: str) -> str:
    """The description of one of the gateway's own routes, in the shape of ``_description``."""
    return f"{text}\n\n**Ai được gọi — Who may call:** {who}."


def _description(op: Operation) -> str:
    """What the API's reader needs beside the summary: the rest of the operation's own
    documentation, who may call it (R5.2: the gateway's first guard; the service judges the
    authority again on the decision's date) and, for a command, how to repeat it safely."""
    allowed = roles_for(op)
    who = ", ".join(f"{ROLE_TITLES[role]} (`{role.value}`)" for role in Role if role in allowed)
    parts = [op.details] if op.details else []
    parts.append(f"**Ai được gọi — Who may call:** {who}.")
    if op.command:
        parts.append("**Lệnh — A command:** send an `Idempotency-Key` to repeat it safely: the "
                     "same key answers the first outcome again and changes nothing more.")
    return "\n\n".join(parts)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain(request: Request, error: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.kind == "unauthenticated" else {}
        if error.kind == "throttled" and isinstance(error.details, Mapping):
            headers["Retry-After"] = str(error.details.get("retry_after", 60))
        return problem(request, STATUS.get(error.kind, 422), error.code, error.message,
                       error.details, headers)

    @app.exception_handler(RequestValidationError)
    async def validation(request: Request, error: RequestValidationError) -> JSONResponse:
        language = language_from(request.headers.get("accept-language"))
        path = request.url.path.split("/")
        service = path[2] if len(path) > 2 and path[1] == "v1" else None
        # each field's problem, its label and text in the caller's language for a form to
        # show by it (pydantic's own English goes to the log, not to the person)
        problems = [{"field": ".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0]),
                     "problem": e["type"],
                     "text": field_problem(e["type"], e.get("ctx"), language)}
                    for e in error.errors()]
        for entry in problems:
            entry["label"] = label(entry["field"], language, service) or entry["field"]
        english = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"
                            for e in error.errors())[:2000]
        if any(p["problem"] == "json_invalid" for p in problems):
            return problem(request, 400, "MALFORMED_JSON", "the body is not valid JSON")
        if all(p["problem"] == "extra_forbidden" for p in problems):
            code = "UNKNOWN_FIELD"
            text = localized_detail(code, {"label": ", ".join(p["field"] for p in problems)},
                                    language, service)
        else:
            code = "VALIDATION_FAILED"
            text = field_errors_detail(code, problems, language, service)
        return problem(request, 422, code, english,
                       {"field": problems[0]["field"] if problems else None, "errors": problems},
                       text=text)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(error.status_code, "VALIDATION_FAILED")
        return problem(request, error.status_code, code, str(error.detail), {})

    async def store(request: Request, error: Exception) -> JSONResponse:
        """The gateway's own store did not answer (sign-in, users, idempotency keys): 503,
        ask again (R5.3), not a 500."""
        unavailable = store_unavailable(error)
        assert unavailable is not None  # registered for STORE_FAILURES only
        log.warning("the gateway's store did not answer on %s %s: %s", request.method,
                    request.url.path, error)
        return await domain(request, unavailable)

    for failure in STORE_FAILURES:
        app.add_exception_handler(failure, store)

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(request, 500, "INTERNAL_ERROR", "an unexpected error; it was logged")
