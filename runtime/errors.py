"""Domain errors with stable codes, the one error vocabulary every layer shares.

A domain error names *what* went wrong with a stable ``code`` (``UNION_NOT_FOUND``) and
*which kind* of failure it is (``kind``: invalid, not_found, conflict, forbidden,
unauthenticated), so the gateway maps kinds to HTTP/gRPC statuses once, in one table.

Errors cross RPC as themselves: the nameko adapter sends ``(message, details, code)`` and
``DomainError(message, details, code)`` on the caller's side rebuilds the subclass that
owns that code, so callers catch typed errors, not strings.

Every domain imports this module, so it imports no persistence: which database failures mean
``StoreUnavailable`` is said where the store is (``runtime.store.store_unavailable``).
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

KINDS = ("invalid", "not_found", "conflict", "forbidden", "unauthenticated", "unavailable",
         "throttled")

_BY_CODE: dict[str, type[DomainError]] = {}


class DomainError(Exception):
    code: ClassVar[str] = "DOMAIN_ERROR"
    kind: ClassVar[str] = "invalid"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind not in KINDS:
            raise TypeError(f"{cls.__name__}.kind must be one of {KINDS}")
        owner = _BY_CODE.get(cls.code)
        if owner is not None and owner.__qualname__ != cls.__qualname__:
            raise TypeError(f"error code {cls.code} already belongs to {owner.__qualname__}")
        _BY_CODE[cls.code] = cls

    def __new__(cls, message: str = "", details: Any = None, code: str | None = None):
        # Rebuilding from the wire: DomainError(message, details, code) becomes the
        # subclass that owns the code, if this process knows it.
        if cls is DomainError and code is not None and code in _BY_CODE:
            cls = _BY_CODE[code]
        return super().__new__(cls)

    def __init__(self, message: str = "", details: Any = None, code: str | None = None) -> None:
        if code is not None:
            self.code = code  # type: ignore[misc]
        if isinstance(details, str):
            # On the wire details travel as JSON text: nameko turns every non-string value
            # inside exception arguments into a string (None would arrive as 'None').
            details = json.loads(details)
        self.message = message or self.code
        self.details = details if details is not None else {}
        super().__init__(self.message, self.details, self.code)

    def wire_args(self) -> tuple[str, str, str]:
        return (self.message, json.dumps(self.details, ensure_ascii=False, default=str), self.code)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kind": self.kind, "message": self.message,
                "details": self.details}


def error_class(code: str) -> type[DomainError] | None:
    return _BY_CODE.get(code)


class InvalidInput(DomainError):
    code = "INVALID_INPUT"
    kind = "invalid"


class NotFound(DomainError):
    code = "NOT_FOUND"
    kind = "not_found"


class Conflict(DomainError):
    code = "CONFLICT"
    kind = "conflict"


class Forbidden(DomainError):
    code = "FORBIDDEN"
    kind = "forbidden"


class ActorRequired(DomainError):
    """A command arrived without an actor context: nothing may be recorded anonymously."""

    code = "ACTOR_REQUIRED"
    kind = "unauthenticated"


class StoreUnavailable(DomainError):
    """The service's database did not answer (restarting, unreachable, the connection cut).
    Transient: the caller asks again, with the same request id, and the request ledger makes
    sure a command whose commit did land is not carried out twice (R5.3)."""

    code = "STORE_UNAVAILABLE"
    kind = "unavailable"


class PoolBudgetExceeded(DomainError):
    """A deployment whose processes could open more connections to PostgreSQL than it
    accepts, less the reserve (``runtime.pools``): refused before it runs, since at a peak
    the last ones to connect would fail with "too many clients" (R5.3)."""

    code = "DB_POOL_BUDGET_EXCEEDED"
    kind = "invalid"


class MalformedMessage(DomainError):
    """A bus message that is not a valid envelope of a known contract."""

    code = "MALFORMED_MESSAGE"
    kind = "invalid"


class UnknownContract(DomainError):
    code = "UNKNOWN_CONTRACT"
    kind = "invalid"


class BusQueueMismatch(DomainError):
    """A queue exists on the broker with other arguments than the configuration gives it
    (a classic queue where ``EMU_QUEUE_TYPE=quorum`` is asked, or the reverse): the service
    does not start on it (``runtime.bus.declare``)."""

    code = "BUS_QUEUE_MISMATCH"
    kind = "conflict"
