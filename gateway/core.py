"""The one path every call takes through the gateway, whatever its front (HTTP or gRPC):
who is calling, whether they may, the actor context the services record, the idempotency
key, the expected version, and the call itself with a bounded wait (R5.2).

A service is never trusted to be up: a call that gets no answer in ``GATEWAY_RPC_TIMEOUT``
seconds is ``SERVICE_UNAVAILABLE``, and the request expires unconsumed in the service's queue
so it cannot run later. Domain errors keep their codes; the fronts map their kinds to HTTP
statuses and gRPC codes in one table each.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from contracts.registry import UnionCodeUnknown
from gateway.accounts import Accounts, Tokens, Unauthenticated, clean_grants
from gateway.catalogue import AUDIT_SERVICE, Operation, operations
from gateway.policy import (
    UNION_LISTS,
    UNION_NAMES,
    OutsideYourScope,
    Principal,
    Role,
    RoleNotAllowed,
    Scope,
    authorize,
    record_unions,
    within,
)
from gateway.pools import Pools
from gateway.reorganisation import PREVIEW, with_open_items
from runtime.client import ServiceUnavailable
from runtime.config import Settings
from runtime.context import Actor, CommandContext
from runtime.errors import DomainError, Forbidden, InvalidInput
from runtime.paging import Page, page, paginate
from runtime.requests import DeadlinePassed
from runtime.text import CODE_PATTERN, search_key
from runtime.trail import AuditQueries

log = logging.getLogger("emulation.gateway")

SYSTEM = CommandContext(actor=Actor("system:gateway", "system"))


class PreconditionInvalid(InvalidInput):
    code = "PRECONDITION_INVALID"


class CannotDisableSelf(Forbidden):
    code = "CANNOT_DISABLE_SELF"


@dataclass(frozen=True)
class Outcome:
    result: Any
    etag: str | None = None
    replayed: bool = False


def as_page(op: Operation, result: Any, args: Mapping[str, Any],
            paging: tuple[int, int] | None) -> Page:
    """Any list an operation answers, in the one shape ``{items, total, offset, limit}``
    (R5.2): a page the service made is kept as it is (with any field of its own beside
    the four), a whole list is paged here (``paging``: the offset and limit asked), a
    search's matches are the first page of at most ``limit``."""
    if op.listing == "page":
        return cast(Page, result)
    items = list(result or [])
    if op.listing == "whole":
        offset, limit = paging or (0, len(items))
        return paginate(items, offset, limit)
    param = op.param("limit")
    limit = args.get("limit") or (param.default if param else len(items))
    return page(items, len(items), 0, int(limit))


def etag(record_id: str, version: int) -> str:
    return f'"{record_id}:{version}"'


def expected_versions(if_match: str | None) -> dict[str, int] | None:
    """``If-Match: "<record id>:<version>"`` (one or more, comma-separated) as the versions
    a command expects of the records it changes."""
    if not if_match:
        return None
    found: dict[str, int] = {}
    for tag in if_match.split(","):
        tag = tag.strip().removeprefix("W/").strip('"')
        record, _, version = tag.rpartition(":")
        try:
            uuid.UUID(record)
            found[record] = int(version)
        except ValueError:
            raise PreconditionInvalid("If-Match carries the ETag of the record, as read",
                                      {"field": "If-Match"}) from None
    return found


def request_id(username: str, idempotency_key: str | None) -> str:
    """The id of a command request: the same for every repeat of one idempotency key by one
    user (so the service carries it out once), new otherwise."""
    if idempotency_key is None:
        return str(uuid.uuid4())
    return hashlib.sha256(f"{username}\0{idempotency_key}".encode()).hexdigest()


def _repeated(first: Mapping[str, Any]) -> Outcome:
    """The first outcome of a request, given again: its result, or its refusal raised again."""
    if "error" in first:
        raise DomainError(first["error"]["message"], first["error"]["details"],
                          first["error"]["code"])
    return Outcome(first["result"], replayed=True)


class Gateway:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = Pools(settings)  # GATEWAY_RPC_TIMEOUT; imports GATEWAY_IMPORT_TIMEOUT
        self.accounts = Accounts(settings, claim_expires_after=self.pool.timeout)
        self.tokens = Tokens.from_settings(settings)
        # R5.2: how long a union's place in the tree is cached; a reorganisation reaches the
        # gateway's scope check after at most this long (the services judge by date anyway).
        self.scope = Scope(self.system_call, ttl=settings.number("GATEWAY_SCOPE_TTL", 30.0))
        self.operations = {op.name: op for op in operations()}
        self._union_codes: dict[str, str] = {}  # a code names one union for good
        self._provision()

    def _provision(self) -> None:
        """The first administrator, from ``GATEWAY_ADMIN_PASSWORD`` (never from the
        repository); without it, no one can sign in until one is made with the CLI."""
        password = self.settings.get("GATEWAY_ADMIN_PASSWORD", "")
        if password:
            self.accounts.ensure_user("admin", password,
                                      [{"role": Role.ADMINISTRATOR.value, "union_id": None}])

    def close(self) -> None:
        self.pool.close()
        self.accounts.close()

    def system_call(self, service: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """A read the gateway makes for itself (scopes, versions), as the system."""
        return self.pool.call(service, method, *args, context=SYSTEM, **kwargs)

    # --- who is calling -------------------------------------------------------------------

    def sign_in(self, username: object, password: object,
                address: str | None = None) -> dict[str, Any]:
        principal, must_change = self.accounts.sign_in(username, password, address)
        return {**self.tokens.issue(principal.username), "username": principal.username,
                "person_id": principal.person_id,
                "roles": [g.to_dict() for g in principal.grants],
                "must_change_password": must_change}

    def subject(self, authorization: str | None) -> str:
        """Who a ``Bearer`` token was issued to, if it is genuine and unexpired (no I/O)."""
        if not authorization:
            raise Unauthenticated("sign in first: send Authorization: Bearer <token>")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("send Authorization: Bearer <token>")
        return self.tokens.subject(token.strip())

    def principal(self, authorization: str | None) -> Principal:
        """The caller of a ``Bearer`` token, with the roles the store holds for them now."""
        return self.accounts.principal(self.subject(authorization))

    # --- user administration (R5.2) ------------------------------------------------------
    # An administrator manages users whose every role lies in the administrator's own scope:
    # a system-wide administrator everyone; one over a union, the users of its subtree.

    def _administers(self, principal: Principal, union_id: str | None) -> bool:
        """Whether a role over ``union_id`` (None: the whole system) lies in the scope of one
        of the principal's administrator grants."""
        return any(g.role == Role.ADMINISTRATOR and (
            g.union_id is None or (union_id is not None and g.union_id in self.scope.chain(union_id)))
            for g in principal.grants)

    def _administrator(self, principal: Principal) -> None:
        if not any(g.role == Role.ADMINISTRATOR for g in principal.grants):
            raise RoleNotAllowed("only an administrator manages users",
                                 {"roles": [Role.ADMINISTRATOR.value]})

    def _in_my_scope(self, principal: Principal, user: Mapping[str, Any]) -> bool:
        return all(self._administers(principal, g["union_id"]) for g in user["roles"])

    def _managed(self, principal: Principal, username: object) -> dict[str, Any]:
        """A user the administrator may see and change, else refused."""
        self._administrator(principal)
        user = self.accounts.user(username)
        if not self._in_my_scope(principal, user):
            raise OutsideYourScope("this user holds a role outside your scope",
                                   {"username": user["username"]})
        return user

    def _grant_in_scope(self, principal: Principal, body: Mapping[str, Any]) -> Any:
        grant = clean_grants([dict(body)])[0]
        if not self._administers(principal, grant.union_id):
            raise OutsideYourScope("an administrator grants roles inside their own scope only",
                                   {"union_id": grant.union_id, "field": "union_id"})
        return grant

    def create_user(self, principal: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
        """An administrator makes a user with roles inside the administrator's own scope."""
        self._administrator(principal)
        grants = body.get("roles")
        for grant in grants if isinstance(grants, list) else []:
            union = grant.get("union_id") if isinstance(grant, Mapping) else None
            if not self._administers(principal, union):
                raise OutsideYourScope("an administrator grants roles inside their own scope only",
                                       {"union_id": union})
        made = self.accounts.create_user(body.get("username"), body.get("password"), grants,  # type: ignore[arg-type]
                                         body.get("person_id"))
        return {k: made[k] for k in ("username", "person_id", "roles")}

    def list_users(self, principal: Principal, q: str | None) -> list[dict[str, Any]]:
        """The users in the administrator's scope whose user name (or, through the registry,
        whose person's name) holds every word of ``q``, diacritics and case ignored."""
        self._administrator(principal)
        users = [u for u in self.accounts.users() if self._in_my_scope(principal, u)]
        terms = search_key(q or "").split()
        if not terms:
            return users
        people: set[str] = set()
        try:
            people = {p["id"] for p in self.system_call("registry", "search_people", q=q,
                                                        limit=100)}
        except DomainError as error:  # the registry is away: the user names still answer
            log.warning("searching users by person name failed: %s", error.code)
        return [u for u in users if u["person_id"] in people
                or all(term in search_key(u["username"]) for term in terms)]

    def get_user(self, principal: Principal, username: str) -> dict[str, Any]:
        return self._managed(principal, username)

    def grant_role(self, principal: Principal, username: str,
                   body: Mapping[str, Any]) -> dict[str, Any]:
        user = self._managed(principal, username)
        return self.accounts.grant(user["username"], self._grant_in_scope(principal, body))

    def revoke_role(self, principal: Principal, username: str,
                    body: Mapping[str, Any]) -> dict[str, Any]:
        user = self._managed(principal, username)
        return self.accounts.revoke(user["username"], self._grant_in_scope(principal, body))

    def set_disabled(self, principal: Principal, username: str, disabled: bool) -> dict[str, Any]:
        user = self._managed(principal, username)
        if disabled and user["username"] == principal.username:
            raise CannotDisableSelf("an administrator cannot disable their own account",
                                    {"username": principal.username})
        return self.accounts.set_disabled(user["username"], disabled)

    def reset_password(self, principal: Principal, username: str) -> dict[str, Any]:
        user = self._managed(principal, username)
        return self.accounts.reset_password(user["username"])

    # --- the call -------------------------------------------------------------------------

    def execute(self, op: Operation, args: Mapping[str, Any], principal: Principal, *,
                idempotency_key: str | None = None, if_match: str | None = None,
                correlation_id: str | None = None) -> Outcome:
        args = self.unions_named(op, args)
        if op.command and idempotency_key is not None:
            # R5.3: a request already answered is answered again as it was, even after the
            # caller's roles or the tree changed (a reorganisation moved the union): the repeat
            # changes nothing and tells the caller nothing new. Anything else is judged below.
            answered = self.accounts.answered(principal.username, idempotency_key,
                                              self.accounts.fingerprint(op.name, args))
            if answered is not None:
                return _repeated(answered)
        grant = authorize(self.scope, op, args, principal)
        context = CommandContext(
            actor=Actor(principal.user_id, grant.role.value, grant.union_id),
            correlation_id=correlation_id or str(uuid.uuid4()),
            expected_versions=expected_versions(if_match) if op.command else None,
            # R5.3: one effect per request, however often it reaches the service, and none
            # after the gateway stopped waiting for it (runtime.requests).
            request_id=request_id(principal.username, idempotency_key) if op.command else None,
            deadline=datetime.now(UTC) + timedelta(seconds=self.pool.timeout)
            if op.command else None)
        if op.service == AUDIT_SERVICE:
            return Outcome(self._audit(op, args, principal, context))
        if not op.command:
            result = self.pool.call(op.service, op.method, context=context, **args)
            if isinstance(result, list):  # rows of unions outside the caller's roles are left out
                result = [row for row in result if self._in_scope(principal, row)]
            elif not self._in_scope(principal, result):
                raise OutsideYourScope("this record belongs to a union outside your roles",
                                       {"union_id": result["union_id"]})
            return Outcome(result, self._etag(op, args))
        if idempotency_key is None:
            return Outcome(self._command(op, args, context))
        request = self.accounts.fingerprint(op.name, args)
        first = self.accounts.begin(principal.username, idempotency_key, request)
        if first is not None:
            return _repeated(first)
        try:
            result = self._command(op, args, context)
        except (ServiceUnavailable, DeadlinePassed):  # not carried out: the key may be used again
            self.accounts.release(principal.username, idempotency_key)
            raise
        except DomainError as error:  # a refusal is an outcome too: the same key repeats it
            self.accounts.finish(principal.username, idempotency_key, {"error": {
                "code": error.code, "message": error.message, "details": error.details}})
            raise
        except BaseException:
            self.accounts.release(principal.username, idempotency_key)
            raise
        self.accounts.finish(principal.username, idempotency_key, {"result": result})
        return Outcome(result)

    def _command(self, op: Operation, args: Mapping[str, Any], context: CommandContext) -> Any:
        result = self.pool.call(op.service, op.method, context=context, **args)
        if op.name == PREVIEW:  # R1.5: what the plan would carry over or close elsewhere
            result = with_open_items(self.pool.call, context, args, result)
        return result

    def unions_named(self, op: Operation, args: Mapping[str, Any]) -> Mapping[str, Any]:
        """R5.2: a union may be named by its id or by its code (``TV-CS-0001``, which every
        office knows) wherever a union is asked for; a code becomes the union's id here, at
        the edge, so the services keep taking ids. An unknown code is 404
        ``UNION_CODE_UNKNOWN`` naming the field."""
        names = [p.name for p in op.params if p.name in UNION_NAMES or p.name in UNION_LISTS]
        if not names:
            return args
        resolved = dict(args)
        for name in names:
            value = args.get(name)
            if isinstance(value, list):
                resolved[name] = [self._union_id(name, v) for v in value]
            elif value is not None:
                resolved[name] = self._union_id(name, value)
        return resolved

    def _union_id(self, field: str, value: Any) -> Any:
        """A union's id for a code; an id, or what is neither, as it is (the service judges)."""
        if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value.strip()):
            return value
        try:
            uuid.UUID(value)
            return value
        except ValueError:
            pass
        code = value.strip()
        if code not in self._union_codes:
            try:
                found = self.system_call("registry", "union_by_code", code)
            except DomainError as error:
                if error.code != UnionCodeUnknown.code:
                    raise
                raise UnionCodeUnknown(f"no union has the code {code!r}",
                                       {"code": code, "field": field}) from None
            self._union_codes[code] = found["id"]
        return self._union_codes[code]

    def _audit(self, op: Operation, args: Mapping[str, Any], principal: Principal,
               context: CommandContext) -> Any:
        """R5.1: an audit function that spans the services, run here over their audit
        queries, each call under the auditor's own context; records of unions outside the
        auditor's scope appear as their ids only, and a decision outside it is refused."""

        def call(service: str, method: str, **kwargs: Any) -> Any:
            return self.pool.call(service, method, context=context, **kwargs)

        queries = AuditQueries(call, visible=lambda union: union is None
                               or within(self.scope, principal, union))
        result = getattr(queries, op.method)(**args)
        if not self._in_scope(principal, result):
            raise OutsideYourScope("this decision belongs to a union outside your roles",
                                   {"union_id": result["union_id"]})
        return result

    def _in_scope(self, principal: Principal, record: Any) -> bool:
        """A record read (or a row of a list) that names its union must lie in the caller's
        scope; one that names none is public within the system (the form catalogue, say)."""
        if not isinstance(record, Mapping) or not isinstance(record.get("union_id"), str):
            return True
        # R1.5: a record taken over by a successor is read by its officers as well
        return any(within(self.scope, principal, union) for union in record_unions(record))

    def _etag(self, op: Operation, args: Mapping[str, Any]) -> str | None:
        """The version of the one record a ``get_*`` query read, as an ETag."""
        ids = [p.name for p in op.params if p.name.endswith("_id")]
        if not op.method.startswith("get_") or len(ids) != 1 or not isinstance(args.get(ids[0]), str):
            return None
        version = self.system_call(op.service, "version", args[ids[0]])
        return etag(args[ids[0]], version) if version is not None else None

    def ready(self) -> tuple[bool, dict[str, Any]]:
        """Which services and which stores answer (each service's health reads its store),
        every service asked at once with the probe's short timeout (``GATEWAY_READY_TIMEOUT``),
        so the answer comes in seconds even while services are down."""
        names = sorted({op.service for op in self.operations.values()} - {AUDIT_SERVICE})

        def health(name: str) -> dict[str, Any]:
            try:
                return {"ok": True, **self.pool.probe.call(name, "health", context=SYSTEM)}
            except DomainError as exc:
                return {"ok": False, "code": exc.code}

        with ThreadPoolExecutor(max_workers=len(names) or 1,
                                thread_name_prefix="ready") as executor:
            report: dict[str, Any] = dict(zip(names, executor.map(health, names), strict=True))
        try:
            with self.accounts.engine.connect() as c:
                c.exec_driver_sql("SELECT 1")
            report["gateway_store"] = {"ok": True}
        except Exception as exc:  # the gateway's own store is down: say so, do not crash
            log.warning("the gateway's store does not answer: %s", exc)
            report["gateway_store"] = {"ok": False, "error": type(exc).__name__}
        return all(r["ok"] for r in report.values()), report
