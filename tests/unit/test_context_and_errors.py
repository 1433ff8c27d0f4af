"""The actor context that travels with calls, and errors that cross RPC typed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.registry import UnionNotFound
from runtime.context import Actor, CommandContext, Decision
from runtime.errors import DomainError, InvalidInput, error_class


def test_r4_5_context_round_trips_through_the_rpc_header() -> None:
    context = CommandContext(
        actor=Actor("u-7", "executive_committee_member", "union-1", on_behalf_of="bch-1"),
        correlation_id="corr-1", causation_id="cmd-1",
        effective_at=datetime(2025, 6, 30, tzinfo=UTC),
        decision=Decision(reason="Sáng kiến có hiệu quả cao", rule_set_version="999/QĐ-TLĐ@2024-05-29",
                          evidence=("doc:bien-ban-1",), authority="union-1/executive-committee"))
    assert CommandContext.from_header(context.to_header()) == context


@pytest.mark.parametrize("raw", ["not json", "[]", '{"actor": {}}', '{"actor": {"user_id": "", "role": "x"}}',
                                 '{"actor": {"user_id": "u", "role": "r"}, "effective_at": "yesterday"}'])
def test_malformed_context_is_refused_with_a_stable_code(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        CommandContext.from_header(raw)
    assert caught.value.code == "INVALID_INPUT"


def test_a_domain_error_rebuilt_from_the_wire_is_the_subclass_that_owns_its_code() -> None:
    original = UnionNotFound("no union X", {"union_id": "X", "parent": None, "depth": 2})
    rebuilt = DomainError(*original.wire_args())  # what nameko does with exc_args on the caller's side
    assert type(rebuilt) is UnionNotFound
    assert (rebuilt.code, rebuilt.message, rebuilt.details) == (
        "UNION_NOT_FOUND", "no union X", {"union_id": "X", "parent": None, "depth": 2})


def test_an_unknown_code_stays_a_domain_error_with_that_code() -> None:
    rebuilt = DomainError("from a newer service", {}, "SOMETHING_NEW")
    assert type(rebuilt) is DomainError and rebuilt.code == "SOMETHING_NEW"


def test_error_codes_are_unique() -> None:
    assert error_class("UNION_NOT_FOUND") is UnionNotFound
    with pytest.raises(TypeError):
        type("Impostor", (DomainError,), {"code": "UNION_NOT_FOUND"})


def test_a_fixed_clock_is_injected_into_every_service_by_its_setting() -> None:
    from datetime import UTC, datetime

    from runtime.clock import SystemClock
    from runtime.config import Settings

    stopped = Settings({"EMU_FIXED_CLOCK": "2027-01-20T09:00:00+07:00"}).clock()
    assert stopped.now() == datetime(2027, 1, 20, 2, 0, tzinfo=UTC)
    assert isinstance(Settings({}).clock(), SystemClock)
    with pytest.raises(ValueError, match="EMU_FIXED_CLOCK"):
        Settings({"EMU_FIXED_CLOCK": "2027-01-20T09:00:00"}).clock()  # no offset


def test_r5_3_a_store_that_does_not_answer_is_unavailable_not_an_internal_error() -> None:
    """A command or query whose database connection failed is refused STORE_UNAVAILABLE
    (503: ask again, the request ledger keeps a repeat from acting twice); a mistake in a
    statement stays an internal error."""
    import eventsourcing.persistence
    import sqlalchemy.exc

    from runtime.errors import StoreUnavailable
    from runtime.store import store_unavailable

    cut = sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    for error in (cut, eventsourcing.persistence.OperationalError("terminating connection"),
                  sqlalchemy.exc.InterfaceError("SELECT 1", {}, Exception("connection closed"))):
        refusal = store_unavailable(error)
        assert isinstance(refusal, StoreUnavailable), error
        assert (refusal.code, refusal.kind) == ("STORE_UNAVAILABLE", "unavailable")
    assert store_unavailable(sqlalchemy.exc.ProgrammingError("SELEC 1", {}, Exception("syntax"))) is None
    assert store_unavailable(ValueError("a bug")) is None
