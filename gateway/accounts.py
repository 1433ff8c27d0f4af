"""Sign-in and the gateway's own records: users with their scoped roles, signed expiring
tokens, and the outcome of each command sent with an idempotency key (R5.2).

Passwords are kept as Argon2id hashes (argon2-cffi, RFC 9106's memory-hard profile); a
scrypt hash written before is still accepted and replaced by an Argon2id one at the user's
next successful sign-in. Failed sign-ins are counted per account and per client address in
the store (so every gateway instance sees the same count): past the limit, sign-in is refused
for a while (``LOGIN_THROTTLED``). A disabled account, or one whose password an administrator
reset and the person has not yet changed, is judged at every request from the store.

Tokens are HMAC-signed (HS256) with ``GATEWAY_TOKEN_SECRET`` from the environment and
expire after ``GATEWAY_TOKEN_TTL`` seconds; a user's roles are read again at every request, so
a role taken away stops working at once. The store is one SQLAlchemy URL
(``GATEWAY_DATABASE_URL``; SQLite under the data folder by default).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import logging
import math
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import argon2
import jwt
import sqlalchemy as sa

from gateway.policy import Grant, Principal, Role
from runtime.config import Settings
from runtime.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from runtime.pools import check_server
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
    # set when an administrator resets the password: every call but GET /v1/me and
    # POST /v1/me/password is refused until the person chooses their own
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False),
)
# Columns added to gateway_users after stores were first made: added to an existing table at
# start (create_all makes missing tables only), so a store written before still works.
ADDED_COLUMNS = (("must_change_password", "BOOLEAN NOT NULL DEFAULT {false}"),)
# R5.2: one row per failed sign-in, by account ("account:<name>") and by client address
# ("address:<ip>"), counted over a sliding window; in the store rather than in memory so that
# every gateway instance behind the load balancer counts the same failures.
FAILURES = sa.Table(
    "gateway_sign_in_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(120), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("gateway_sign_in_failures_key_at", "key", "at"),
    sa.Index("gateway_sign_in_failures_at", "at"),
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


class AccountDisabled(Unauthenticated):
    code = "ACCOUNT_DISABLED"


class LoginThrottled(DomainError):
    code = "LOGIN_THROTTLED"
    kind = "throttled"


class PasswordChangeRequired(Forbidden):
    code = "PASSWORD_CHANGE_REQUIRED"


class PasswordLength(InvalidInput):
    code = "PASSWORD_LENGTH"


class PasswordUnchanged(InvalidInput):
    code = "PASSWORD_UNCHANGED"


class CurrentPasswordWrong(InvalidInput):
    code = "CURRENT_PASSWORD_WRONG"


class LastRole(Conflict):
    code = "LAST_ROLE"


class RoleNotHeld(NotFound):
    code = "ROLE_NOT_HELD"


class UserExists(Conflict):
    code = "USER_EXISTS"


class UserNotFound(NotFound):
    code = "USER_NOT_FOUND"


class IdempotencyKeyReused(Conflict):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyInProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"


HASHER = argon2.PasswordHasher()  # Argon2id, RFC 9106 low-memory profile: 64 MiB, t=3, p=4
# Verified against when the user name is unknown, so that a refusal takes as long either way
# and the time it takes does not tell which user names exist.
_NOBODY = HASHER.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, with its own salt and parameters (R5.2)."""
    return HASHER.hash(password)


def scrypt_hash(password: str, salt: bytes | None = None) -> str:
    """The hash the gateway wrote before Argon2id; only read now, to accept old stores."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2 ** 14, r=8, p=1)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_matches(password: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        try:
            _, salt, _ = stored.split("$")
            return hmac.compare_digest(scrypt_hash(password, base64.b64decode(salt)), stored)
        except ValueError:
            return False
    try:
        return HASHER.verify(stored, password)
    except argon2.exceptions.VerificationError:
        return False
    except argon2.exceptions.InvalidHashError:
        return False


def needs_rehash(stored: str) -> bool:
    """A legacy scrypt hash, or an Argon2 hash made with weaker parameters than today's."""
    return stored.startswith("scrypt$") or HASHER.check_needs_rehash(stored)


def check_password(password: object, field: str = "password") -> str:
    if not isinstance(password, str) or not 10 <= len(password) <= 200:
        raise PasswordLength("a password has 10 to 200 characters",
                             {"field": field, "min_length": 10, "max_length": 200})
    return password


# A one-time password an administrator reads to the person: no look-alike characters
# (0/O, 1/l/I), in groups of four; 12 characters from 31 is about 59 bits.
OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def one_time_password() -> str:
    chars = "".join(secrets.choice(OTP_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


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


def user_view(row: Any) -> dict[str, Any]:
    """A user as the API shows it (never the password hash)."""
    return {"username": row.username, "person_id": row.person_id,
            "roles": [Grant(parse_choice(Role, g["role"], "role"), g.get("union_id")).to_dict()
                      for g in row.grants],
            "disabled": bool(row.disabled), "must_change_password": bool(row.must_change_password)}


def _add_columns(engine: sa.Engine) -> None:
    """ALTER TABLE ... ADD COLUMN for each of ``ADDED_COLUMNS`` an older store lacks."""
    false = "0" if engine.dialect.name == "sqlite" else "false"
    present = {c["name"] for c in sa.inspect(engine).get_columns(USERS.name)}
    for name, kind in ADDED_COLUMNS:
        if name not in present:
            with engine.begin() as c:
                c.exec_driver_sql(f"ALTER TABLE {USERS.name} ADD COLUMN {name} "
                                  f"{kind.format(false=false)}")


class Accounts:
    def __init__(self, settings: Settings, claim_expires_after: float = 10.0) -> None:
        # pre-ping: after the database restarts, a pooled connection is found dead before use;
        # on PostgreSQL the pool is sized from the settings (R5.3, ``runtime.pools``)
        self.engine = sa.create_engine(settings.connection_url("gateway"), **(
            {"pool_pre_ping": True} | settings.engine_options("gateway")))
        # R5.3: a claim on an idempotency key whose outcome never came (the gateway process
        # died while the command ran) may be taken over once this long has passed since it
        # was made: the command's deadline (the gateway's RPC timeout) has passed by then, so
        # the service either carried it out (and answers the repeat from its request ledger)
        # or never will. Two seconds more for clocks that differ between gateway instances.
        self.claim_expires_after = claim_expires_after + 2.0
        create_tables(self.engine, lambda: metadata.create_all(self.engine))
        create_tables(self.engine, lambda: _add_columns(self.engine))
        check_server(self.engine, settings, "gateway")
        # R5.2: failed sign-ins allowed per account and per client address in the window
        self.failures_per_account = int(settings.number("GATEWAY_LOGIN_FAILURES_PER_ACCOUNT", 5))
        self.failures_per_address = int(settings.number("GATEWAY_LOGIN_FAILURES_PER_ADDRESS", 20))
        self.failure_window = settings.number("GATEWAY_LOGIN_WINDOW", 15 * 60)

    def close(self) -> None:
        self.engine.dispose()

    # --- users ------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, grants: object,
                    person_id: str | None = None) -> dict[str, Any]:
        name = clean_code(username, "username").lower()
        check_password(password)
        roles = clean_grants(grants)
        person = str(parse_uuid(person_id, "person_id")) if person_id else None
        with self.engine.begin() as c:
            if c.execute(sa.select(USERS.c.username).where(USERS.c.username == name)).first():
                raise UserExists(f"the user {name} exists", {"username": name})
            c.execute(USERS.insert().values(username=name, password=hash_password(password),
                                            person_id=person, grants=[g.to_dict() for g in roles],
                                            disabled=False, must_change_password=False))
        return self.user(name)

    def ensure_user(self, username: str, password: str, grants: list[dict[str, Any]],
                    person_id: str | None = None) -> None:
        """Creates a user unless one of that name exists (start-up provisioning)."""
        with contextlib.suppress(UserExists):
            self.create_user(username, password, grants, person_id)

    def _row(self, c: sa.Connection, username: object) -> Any:
        row = c.execute(sa.select(USERS).where(USERS.c.username == str(username).lower())).first() \
            if isinstance(username, str) and len(username) <= 64 else None
        if row is None:
            raise UserNotFound("no such user", {"username": username if isinstance(username, str)
                                                else None})
        return row

    def principal(self, username: str, *, pending_change: bool = False) -> Principal:
        """The user a token names, with the roles the store holds now. A disabled account is
        refused at once (R5.2); so is every call of a person who must first change the
        password an administrator reset, unless ``pending_change`` (reading who one is,
        changing one's password)."""
        with self.engine.connect() as c:
            row = c.execute(sa.select(USERS).where(USERS.c.username == username)).first()
        if row is None:
            raise TokenInvalid("the user of this token no longer exists")
        if row.disabled:
            raise AccountDisabled("this account is disabled", {"username": row.username})
        if row.must_change_password and not pending_change:
            raise PasswordChangeRequired("change the password an administrator set first",
                                         {"username": row.username})
        return Principal(row.username, row.person_id, clean_grants(row.grants))

    def user(self, username: object) -> dict[str, Any]:
        with self.engine.connect() as c:
            return user_view(self._row(c, username))

    def users(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [user_view(row) for row in c.execute(sa.select(USERS).order_by(USERS.c.username))]

    def grant(self, username: object, grant: Grant) -> dict[str, Any]:
        with self.engine.begin() as c:
            row = self._row(c, username)
            held = clean_grants(row.grants)
            if grant not in held:
                c.execute(USERS.update().where(USERS.c.username == row.username).values(
                    grants=[g.to_dict() for g in (*held, grant)]))
        return self.user(row.username)

    def revoke(self, username: object, grant: Grant) -> dict[str, Any]:
        with self.engine.begin() as c:
            row = self._row(c, username)
            held = clean_grants(row.grants)
            if grant not in held:
                raise RoleNotHeld("the user does not hold this role over this union",
                                  {"username": row.username, **grant.to_dict()})
            if len(held) == 1:
                raise LastRole("a user keeps at least one role: grant another first",
                               {"username": row.username, **grant.to_dict()})
            c.execute(USERS.update().where(USERS.c.username == row.username).values(
                grants=[g.to_dict() for g in held if g != grant]))
        return self.user(row.username)

    def set_disabled(self, username: object, disabled: bool) -> dict[str, Any]:
        with self.engine.begin() as c:
            row = self._row(c, username)
            c.execute(USERS.update().where(USERS.c.username == row.username)
                      .values(disabled=disabled))
        return self.user(row.username)

    def reset_password(self, username: object) -> dict[str, Any]:
        """A new one-time password the person must change at the next sign-in."""
        password = one_time_password()
        with self.engine.begin() as c:
            row = self._row(c, username)
            c.execute(USERS.update().where(USERS.c.username == row.username).values(
                password=hash_password(password), must_change_password=True))
            c.execute(FAILURES.delete().where(FAILURES.c.key == f"account:{row.username}"))
        return {"username": row.username, "one_time_password": password}

    def change_password(self, username: str, current: object, new: object,
                        address: str | None = None) -> None:
        """The person's own new password, given the current one (a wrong one counts as a
        failed sign-in: the same limits apply)."""
        if not isinstance(current, str) or not current:
            raise CurrentPasswordWrong("the current password is not right",
                                       {"field": "current_password"})
        new_password = check_password(new, "new_password")
        self._check_throttle(username, address)
        with self.engine.connect() as c:
            row = self._row(c, username)
        if not password_matches(current, row.password):
            self._fail(username, address)
            raise CurrentPasswordWrong("the current password is not right",
                                       {"field": "current_password"})
        if new_password == current:
            raise PasswordUnchanged("the new password is the current one",
                                    {"field": "new_password"})
        with self.engine.begin() as c:
            c.execute(USERS.update().where(USERS.c.username == row.username).values(
                password=hash_password(new_password), must_change_password=False))

    # --- sign-in ----------------------------------------------------------------------------

    def sign_in(self, username: object, password: object,
                address: str | None = None) -> tuple[Principal, bool]:
        """The principal and whether they must change their password first; refused if the
        account or the address failed too often lately (R5.2), or if it is disabled."""
        if not isinstance(username, str) or not isinstance(password, str) or len(username) > 64:
            raise LoginFailed("wrong user name or password")
        name = username.lower()
        self._check_throttle(name, address)
        with self.engine.connect() as c:
            row = c.execute(sa.select(USERS).where(USERS.c.username == name)).first()
        if not password_matches(password, row.password if row is not None else _NOBODY) \
                or row is None:
            self._fail(name, address)
            raise LoginFailed("wrong user name or password")
        if row.disabled:  # said only to whoever knows the password
            raise AccountDisabled("this account is disabled", {"username": row.username})
        with self.engine.begin() as c:
            c.execute(FAILURES.delete().where(FAILURES.c.key == f"account:{name}"))
            if needs_rehash(row.password):  # an old scrypt hash becomes Argon2id
                c.execute(USERS.update().where(USERS.c.username == name,
                                               USERS.c.password == row.password)
                          .values(password=hash_password(password)))
        return (Principal(row.username, row.person_id, clean_grants(row.grants)),
                bool(row.must_change_password))

    def _keys(self, name: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(f"account:{name}", self.failures_per_account)]
        if address:
            keys.append((f"address:{address[:100]}", self.failures_per_address))
        return keys

    def _check_throttle(self, name: str, address: str | None) -> None:
        now = time.time()
        with self.engine.connect() as c:
            for key, limit in self._keys(name, address):
                times = c.execute(sa.select(FAILURES.c.at).where(
                    FAILURES.c.key == key, FAILURES.c.at > now - self.failure_window)
                    .order_by(FAILURES.c.at)).scalars().all()
                if len(times) >= limit:
                    # free again once enough of these failures have left the window
                    wait = times[len(times) - limit] + self.failure_window - now
                    raise LoginThrottled("too many failed sign-ins; try again later", {
                        "retry_after": max(1, math.ceil(wait)),
                        "by": key.split(":")[0]})

    def _fail(self, name: str, address: str | None) -> None:
        now = time.time()
        with self.engine.begin() as c:
            c.execute(FAILURES.delete().where(FAILURES.c.at < now - self.failure_window))
            c.execute(FAILURES.insert(), [{"key": key, "at": now}
                                          for key, _ in self._keys(name, address)])

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

    def answered(self, username: str, key: object, request: str) -> dict[str, Any] | None:
        """The stored outcome of this very request under this key, if it was answered; None
        otherwise (no such key, another request, or still running: ``begin`` judges those)."""
        if not isinstance(key, str) or len(key) > 128:
            return None
        with self.engine.connect() as c:
            row = c.execute(sa.select(OUTCOMES.c.request, OUTCOMES.c.outcome).where(
                OUTCOMES.c.username == username, OUTCOMES.c.key == key)).first()
        if row is None or row.request != request or row.outcome is None:
            return None
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
