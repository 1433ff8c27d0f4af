"""One effect per command request, however often it arrives (R5.3).

A command request can reach a service twice: an instance killed after its commit but before
its reply leaves the request unacknowledged, and RabbitMQ gives it to another instance; a
client told "unavailable" repeats it with the same idempotency key while the first attempt is
still running. The gateway gives every command a ``request_id`` (derived from the user and
the idempotency key, or new) and a ``deadline`` (when it stops waiting), and the service:

- writes the request id in the same transaction as the events the command records
  (``<events table>_requests``), so a second run of the same request cannot commit: its
  insert collides on the key, and the second run answers with the first one's outcome;
- stores the outcome after the commit, for a repeat to return; if the process died between
  the two, a repeat is told ``REQUEST_ALREADY_APPLIED`` (done, but its answer was lost);
- refuses to commit once the deadline has passed (``DEADLINE_PASSED``): the caller was
  already told the service did not answer, so the command must not take effect behind it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from runtime.errors import Conflict, DomainError
from runtime.reads import plain_reads

T = TypeVar("T")


class RequestAlreadyApplied(Conflict):
    code = "REQUEST_ALREADY_APPLIED"


class DeadlinePassed(DomainError):
    """The caller stopped waiting before the command could commit; nothing was recorded."""

    code = "DEADLINE_PASSED"
    kind = "unavailable"


@dataclass
class Scope:
    request_id: str
    deadline: float | None  # seconds since the epoch, by the wall clock
    recorded: bool = False
    duplicate: bool = False


_scope: ContextVar[Scope | None] = ContextVar("emulation_request_scope", default=None)


class RequestLedger:
    """The requests a store has carried out, in ``<events table>_requests``."""

    def __init__(self, events_table: sa.Table) -> None:
        self.table = sa.Table(
            f"{events_table.name}_requests", sa.MetaData(),
            sa.Column("request_id", sa.String(100), primary_key=True),
            sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("outcome", sa.Text, nullable=True))

    def create(self, connection: Any) -> None:
        self.table.create(connection, checkfirst=True)

    def record(self, session: Any) -> None:
        """In the transaction that stores a command's events: the request, once (R5.3)."""
        scope = _scope.get()
        if scope is None or scope.recorded:
            return
        if scope.deadline is not None and time.time() > scope.deadline:
            raise DeadlinePassed("the caller stopped waiting; nothing was recorded",
                                 {"request_id": scope.request_id})
        try:  # a second run of the request collides here, or waits for the first to end
            session.execute(self.table.insert().values(
                request_id=scope.request_id, recorded_at=datetime.now(UTC)))
        except sa.exc.IntegrityError:
            scope.duplicate = True
            raise
        scope.recorded = True

    def outcome(self, engine: Any, request_id: str) -> tuple[bool, Any]:
        """Whether the request was carried out, and its stored outcome (None if lost)."""
        with plain_reads(engine).connect() as connection:
            row = connection.execute(sa.select(self.table.c.outcome).where(
                self.table.c.request_id == request_id)).first()
        if row is None:
            return False, None
        return True, json.loads(row.outcome) if row.outcome is not None else None

    def finish(self, engine: Any, request_id: str, result: Any) -> None:
        with engine.begin() as connection:
            connection.execute(self.table.update().where(self.table.c.request_id == request_id)
                               .values(outcome=json.dumps({"result": result}, default=str,
                                                          ensure_ascii=False)))

    def run(self, engine: Any, request_id: str | None, deadline: float | None,
            command: Callable[[], T]) -> T:
        """Runs a command once per request id; a repeat answers with the first outcome."""
        if not request_id:
            return command()
        done, stored = self.outcome(engine, request_id)
        if done:
            return self._repeat(request_id, stored)
        with _in_scope(Scope(request_id, deadline)) as scope:
            try:
                result = command()
            except Exception:
                if not scope.duplicate:
                    # A run of the same request delivered at the same moment (a caller's
                    # repeat and the original, both released when a queue's new leader took
                    # over) may have committed while this one ran, and its effect made this
                    # one's checks fail (NO_PROPOSAL once the proposal was decided): answer as
                    # that run did rather than refuse a command that was carried out (R5.3).
                    done, stored = self.outcome(engine, request_id)
                    if not done:
                        raise
                    return self._repeat(request_id, stored)
                # Another run of the same request committed first: answer as it did.
                return self._repeat(request_id, self.outcome(engine, request_id)[1])
        if scope.recorded:
            self.finish(engine, request_id, result)
        return result

    @staticmethod
    def _repeat(request_id: str, stored: Any) -> Any:
        if stored is None:
            raise RequestAlreadyApplied(
                "this request was already carried out, but its answer was lost; read the "
                "record again", {"request_id": request_id})
        return stored["result"]


@contextmanager
def _in_scope(scope: Scope) -> Iterator[Scope]:
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)
