"""The gateway's claims on idempotency keys (R5.2, R5.3), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gateway.accounts import OUTCOMES, Accounts, IdempotencyInProgress


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
