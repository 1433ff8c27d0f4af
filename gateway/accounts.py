"""Sign-in and the gateway's own records: users with their scoped roles, signed expiring
tokens, and the outcome of each command sent with an idempotency key (R5.2).

Passwords are kept as scrypt hashes. Tokens are HMAC-signed (HS256) with
``GATEWAY_TOKEN_SECRET`` from the environment and expire after ``GATEWAY_TOKEN_TTL``
seconds; a user's roles are read again at every request, so a role taken away stops working
at once. The store is one SQLAlchemy URL (``GATEWAY_DATABASE_URL``; SQLite under the data
folder by default).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
import sqlalchemy as sa

from gateway.policy import Grant, Principal, Role
from runtime.config import Settings
from runtime.errors import Conflict, DomainError, InvalidInput, NotFound
from runtime.store import create_tables
from runtime.text import clean_code, parse_choice, parse_uuid

log = logging.getLogger("emulation.gateway")

metadata = sa.MetaData()
USERS = sa.Table(
    "gateway_users", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("password", sa.String(200), nullable=False),
    sa.Column("person_id", sa.String(36)),
    sa.Column("grants", sa.JSON, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
)
OUTCOMES = sa.Table(
    "gateway_idempotency", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("request", sa.String(64), nullable=False),  # SHA-256 of the operation and body
    sa.Column("outcome", sa.JSON(none_as_null=True)),  # NULL while the command runs
    sa.Column("created_at", sa.Float, nullable=False),
)


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"
    kind = "unauthenticated"


class TokenExpired(Unauthenticated):
    code = "TOKEN_EXPIRED"


class TokenInvalid(Unauthenticated):
    code = "TOKEN_INVALID"


class LoginFailed(Unauthenticated):
    code = "LOGIN_FAILED"


class UserExists(Conflict):
    code = "USER_EXISTS"


class UserNotFound(NotFound):
    code = "USER_NOT_FOUND"


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyInProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2 ** 14, r=8, p=1)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_matches(password: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$")
        return hmac.compare_digest(hash_password(password, base64.b64decode(salt)), stored)
    except ValueError:
        return False


def clean_grants(grants: object) -> tuple[Grant, ...]:
    if not isinstance(grants, list) or not grants:
        raise InvalidInput("a user holds at least one role", {"field": "roles"})
    found = []
    for item in grants:
        if not isinstance(item, Mapping) or set(item) - {"role", "union_id"}:
            raise InvalidInput("a role is {role, union_id}", {"field": "roles"})
        union = item.get("union_id")
        found.append(Grant(parse_choice(Role, item.get("role"), "role"),
                           str(parse_uuid(union, "union_id")) if union is not None else None))
    return tuple(found)


@dataclass(frozen=True)
class Tokens:
    secret: str
    ttl: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Tokens:
        secret = settings.get("GATEWAY_TOKEN_SECRET", "")
        if len(secret) < 32:
            # A secret is never kept in the repository: without one, each start makes its own,
            # and tokens do not outlive the process (two gateways must share one: set it).
            log.warning("GATEWAY_TOKEN_SECRET is not set (or under 32 characters): tokens are "
                        "signed with a key made for this process only")
            secret = secrets.token_urlsafe(48)
        return cls(secret, settings.number("GATEWAY_TOKEN_TTL", 8 * 3600))

    def issue(self, username: str, now: float | None = None) -> dict[str, Any]:
        issued = now if now is not None else time.time()
        token = jwt.encode({"sub": username, "iat": int(issued), "exp": int(issued + self.ttl),
                            "iss": "emulation-gateway"}, self.secret, algorithm="HS256")
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(self.ttl)}

    def subject(self, token: str) -> str:
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"],
                                issuer="emulation-gateway", options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError:
            raise TokenExpired("the sign-in has expired; sign in again") from None
        except jwt.PyJWTError:
            raise TokenInvalid("the token is not valid") from None
        return str(claims["sub"])


class Accounts:
    def __init__(self, settings: Settings, claim_expires_after: float = 10.0) -> None:
        # pre-ping: after the database restarts, a pooled connection is found dead before use
        self.engine = sa.create_engine(settings.database_url("gateway"), pool_pre_ping=True)
        # R5.3: a claim on an idempotency key whose outcome never came (the gateway process
        # died while the command ran) may be taken over once this long has passed since it
        # was made: the command's deadline (the gateway's RPC timeout) has passed by then, so
        # the service either carried it out (and answers the repeat from its request ledger)
        # or never will. Two seconds more for clocks that differ between gateway instances.
        self.claim_expires_after = claim_expires_after + 2.0
        create_tables(self.engine, lambda: metadata.create_all(self.engine))

    def close(self) -> None:
        self.engine.dispose()

    # --- users ------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, grants: object,
                    person_id: str | None = None) -> dict[str, Any]:
        name = clean_code(username, "username").lower()
        if not isinstance(password, str) or not 10 <= len(password) <= 200:
            raise InvalidInput("a password has 10 to 200 characters", {"field": "password"})
        roles = clean_grants(grants)
        person = str(parse_uuid(person_id, "person_id")) if person_id else None
        with self.engine.begin() as c:
            if c.execute(sa.select(USERS.c.username).where(USERS.c.username == name)).first():
                raise UserExists(f"the user {name} exists", {"username": name})
            c.execute(USERS.insert().values(username=name, password=hash_password(password),
                                            person_id=person, grants=[g.to_dict() for g in roles],
                                            disabled=False))
        return {"username": name, "person_id": person, "roles": [g.to_dict() for g in roles]}

    def ensure_user(self, username: str, password: str, grants: list[dict[str, Any]],
                    person_id: str | None = None) -> None:
        """Creates a user unless one of that name exists (start-up provisioning)."""
        with contextlib.suppress(UserExists):
            self.create_user(username, password, grants, person_id)

    def principal(self, username: str) -> Principal:
        with self.engine.connect() as c:
            row = c.execute(sa.select(USERS).where(USERS.c.username == username)).first()
        if row is None or row.disabled:
            raise TokenInvalid("the user of this token no longer exists")
        return Principal(row.username, row.person_id, clean_grants(row.grants))

    def sign_in(self, username: object, password: object) -> Principal:
        if not isinstance(username, str) or not isinstance(password, str):
            raise LoginFailed("wrong user name or password")
        with self.engine.connect() as c:
            row = c.execute(sa.select(USERS).where(USERS.c.username == username.lower())).first()
        if row is None or row.disabled or not password_matches(password, row.password):
            raise LoginFailed("wrong user name or password")
        return Principal(row.username, row.person_id, clean_grants(row.grants))

    # --- idempotency keys -------------------------------------------------------------------

    @staticmethod
    def fingerprint(operation: str, arguments: Mapping[str, Any]) -> str:
        body = json.dumps([operation, arguments], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    def begin(self, username: str, key: str, request: str) -> dict[str, Any] | None:
        """Claims a key for a request: None to go ahead, or the first outcome to repeat.
        The same key with another request, or while the first still runs, is refused."""
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or not key.isprintable():
            raise InvalidInput("an idempotency key has 1 to 128 printable characters",
                               {"field": "Idempotency-Key"})
        try:
            with self.engine.begin() as c:
                c.execute(OUTCOMES.insert().values(username=username, key=key, request=request,
                                                   outcome=None, created_at=time.time()))
            return None
        except sa.exc.IntegrityError:
            pass
        with self.engine.connect() as c:
            row = c.execute(sa.select(OUTCOMES).where(OUTCOMES.c.username == username,
                                                      OUTCOMES.c.key == key)).first()
        if row is None:  # released meanwhile: claim it again
            return self.begin(username, key, request)
        if row.request != request:
            raise IdempotencyKeyReused("this idempotency key was used for another request",
                                       {"key": key})
        if row.outcome is None:
            if time.time() - row.created_at > self.claim_expires_after and \
                    self._take_over(username, key, row.created_at):
                return None
            raise IdempotencyInProgress("the first request with this key is still running",
                                        {"key": key})
        return dict(row.outcome)

    def _take_over(self, username: str, key: str, claimed_at: float) -> bool:
        """Renews an abandoned claim for this request; only one of several repeats racing for
        it wins (the update is guarded by the old claim's time)."""
        with self.engine.begin() as c:
            taken = c.execute(OUTCOMES.update().where(
                OUTCOMES.c.username == username, OUTCOMES.c.key == key,
                OUTCOMES.c.outcome.is_(None), OUTCOMES.c.created_at == claimed_at,
            ).values(created_at=time.time()))
        return taken.rowcount == 1

    def finish(self, username: str, key: str, outcome: Mapping[str, Any]) -> None:
        with self.engine.begin() as c:
            c.execute(OUTCOMES.update().where(OUTCOMES.c.username == username,
                                              OUTCOMES.c.key == key).values(outcome=dict(outcome)))

    def release(self, username: str, key: str) -> None:
        """Forgets a claim whose outcome is unknown (the service did not answer), so the
        client may try again with the same key."""
        with self.engine.begin() as c:
            c.execute(OUTCOMES.delete().where(OUTCOMES.c.username == username,
                                              OUTCOMES.c.key == key, OUTCOMES.c.outcome.is_(None)))
