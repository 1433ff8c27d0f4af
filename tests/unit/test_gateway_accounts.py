"""The gateway's claims on idempotency keys (R5.2, R5.3), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gateway.accounts import OUTCOMES, Accounts, IdempotencyInProgress, LoginFailed, LoginThrottled


@pytest.fixture
def accounts(store_url: str, settings_for):  # type: ignore[no-untyped-def]
    made = Accounts(settings_for(store_url, GATEWAY_DATABASE_URL=store_url), claim_expires_after=5)
    yield made
    made.close()


def _age(accounts: Accounts, key: str, seconds: float) -> None:
    with accounts.engine.begin() as c:
        c.execute(OUTCOMES.update().where(OUTCOMES.c.key == key)
                  .values(created_at=OUTCOMES.c.created_at - seconds))


def test_r5_3_a_claim_whose_gateway_died_is_taken_over_once_its_deadline_has_passed(
        accounts: Accounts) -> None:
    """A gateway killed while its command ran leaves its claim without an outcome; a repeat
    of the request is told it is still running until the command's deadline has passed, then
    one repeat (not two) takes the claim over and goes to the service, whose request ledger
    knows whether the first run landed."""
    assert accounts.begin("d", "k1", "req") is None
    with pytest.raises(IdempotencyInProgress):
        accounts.begin("d", "k1", "req")
    _age(accounts, "k1", 6.0)  # within the deadline and the margin for clocks: still running
    with pytest.raises(IdempotencyInProgress):
        accounts.begin("d", "k1", "req")
    _age(accounts, "k1", 2.0)
    assert accounts.begin("d", "k1", "req") is None  # taken over
    with pytest.raises(IdempotencyInProgress):  # the claim is renewed: a second repeat waits
        accounts.begin("d", "k1", "req")
    accounts.finish("d", "k1", {"result": "idea-1"})
    _age(accounts, "k1", 100.0)
    assert accounts.begin("d", "k1", "req") == {"result": "idea-1"}  # an outcome never expires


def test_r5_3_only_one_of_two_repeats_takes_an_abandoned_claim_over(accounts: Accounts) -> None:
    assert accounts.begin("d", "k2", "req") is None
    _age(accounts, "k2", 60.0)
    with accounts.engine.connect() as c:
        claimed_at = c.execute(sa.select(OUTCOMES.c.created_at)
                               .where(OUTCOMES.c.key == "k2")).scalar_one()
    assert accounts._take_over("d", "k2", claimed_at) is True
    assert accounts._take_over("d", "k2", claimed_at) is False  # the other repeat lost the race


# --- passwords and the store's schema (R5.2) --------------------------------------------------

OLD_USERS = """CREATE TABLE gateway_users (
    username VARCHAR(64) NOT NULL PRIMARY KEY, password VARCHAR(200) NOT NULL,
    person_id VARCHAR(36), grants {json} NOT NULL, disabled BOOLEAN NOT NULL)"""


def test_r5_2_a_store_made_before_argon2_works_and_its_scrypt_hashes_become_argon2id(
        store_url: str, settings_for) -> None:  # type: ignore[no-untyped-def]
    """A gateway store written before the change (no must_change_password column, scrypt
    hashes) is read after it: the column is added, the old hash still signs in, and the
    sign-in replaces it with an Argon2id hash."""
    from gateway.accounts import USERS, scrypt_hash

    engine = sa.create_engine(store_url)
    with engine.begin() as c:
        c.exec_driver_sql(OLD_USERS.format(json="JSON" if engine.dialect.name == "postgresql"
                                           else "TEXT"))
        c.execute(sa.text("INSERT INTO gateway_users VALUES (:u, :p, NULL, :g, :d)"),
                  {"u": "cu", "p": scrypt_hash("mật-khẩu-cũ-2025"), "d": False,
                   "g": '[{"role": "administrator", "union_id": null}]'})
    engine.dispose()
    accounts = Accounts(settings_for(store_url, GATEWAY_DATABASE_URL=store_url))
    try:
        assert accounts.user("cu")["must_change_password"] is False
        with pytest.raises(LoginFailed):
            accounts.sign_in("cu", "mật-khẩu-sai-2025")
        principal, must_change = accounts.sign_in("cu", "mật-khẩu-cũ-2025")
        assert (principal.username, must_change) == ("cu", False)
        with accounts.engine.connect() as c:
            stored = c.execute(sa.select(USERS.c.password)).scalar_one()
        assert stored.startswith("$argon2id$")
        assert accounts.sign_in("cu", "mật-khẩu-cũ-2025")[0].username == "cu"
        accounts.create_user("moi", "mật-khẩu-mới-2026", [{"role": "member", "union_id": None}])
        with accounts.engine.connect() as c:
            made = c.execute(sa.select(USERS.c.password).where(USERS.c.username == "moi")).scalar_one()
        assert made.startswith("$argon2id$v=19$m=65536")  # memory-hard: 64 MiB
    finally:
        accounts.close()
    again = Accounts(settings_for(store_url, GATEWAY_DATABASE_URL=store_url))  # a second start
    try:
        assert [u["username"] for u in again.users()] == ["cu", "moi"]
    finally:
        again.close()


def test_r5_2_sign_in_failures_are_limited_per_account_and_per_address(
        store_url: str, settings_for) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(settings_for(store_url, GATEWAY_DATABASE_URL=store_url,
                                     GATEWAY_LOGIN_FAILURES_PER_ACCOUNT="3",
                                     GATEWAY_LOGIN_FAILURES_PER_ADDRESS="5",
                                     GATEWAY_LOGIN_WINDOW="600"))
    try:
        accounts.create_user("x", "mật-khẩu-đúng-1", [{"role": "member", "union_id": None}])
        for _ in range(2):
            with pytest.raises(LoginFailed):
                accounts.sign_in("x", "sai-sai-sai-1", "10.0.0.1")
        accounts.sign_in("x", "mật-khẩu-đúng-1", "10.0.0.1")  # a success resets the account
        for _ in range(3):
            with pytest.raises(LoginFailed):
                accounts.sign_in("X", "sai-sai-sai-1", "10.0.0.2")
        with pytest.raises(LoginThrottled) as throttled:  # even with the right password
            accounts.sign_in("x", "mật-khẩu-đúng-1", "10.0.0.3")
        assert 590 <= throttled.value.details["retry_after"] <= 600
        assert throttled.value.details["by"] == "account"
        # from one address, failures on any account count: 2 + 3 + ... from 10.0.0.4
        for name in ("p", "q", "r", "s", "t"):
            with pytest.raises(LoginFailed):
                accounts.sign_in(name, "sai-sai-sai-1", "10.0.0.4")
        accounts.create_user("y", "mật-khẩu-đúng-2", [{"role": "member", "union_id": None}])
        with pytest.raises(LoginThrottled) as by_address:
            accounts.sign_in("y", "mật-khẩu-đúng-2", "10.0.0.4")
        assert by_address.value.details["by"] == "address"
        assert accounts.sign_in("y", "mật-khẩu-đúng-2", "10.0.0.5")[0].username == "y"
    finally:
        accounts.close()
