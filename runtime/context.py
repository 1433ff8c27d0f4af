"""Who acts, for whom, when, why: the context every command and every stored event carries.

A ``CommandContext`` is set around each command (by the nameko adapter from the RPC
headers, or by the consumer from the upstream event) and the store stamps it on every event
the command records (``runtime.store``). Domain code never sees it and never needs to.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from runtime.errors import InvalidInput

HEADER_KEY = "emulation_context"  # nameko carries it as the AMQP header nameko.emulation_context


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str
    union_id: str | None = None  # the union in whose name the actor acts
    on_behalf_of: str | None = None  # the person or body the actor acts for, if not themself

    @classmethod
    def system(cls, service: str, on_behalf_of: Actor | None = None) -> Actor:
        return cls(
            user_id=f"system:{service}",
            role="system",
            union_id=on_behalf_of.union_id if on_behalf_of else None,
            on_behalf_of=on_behalf_of.user_id if on_behalf_of else None,
        )


@dataclass(frozen=True)
class Decision:
    """What makes a record a decision an auditor can judge (R4.5)."""

    reason: str
    rule_set_version: str
    evidence: tuple[str, ...] = ()
    authority: str | None = None  # the body that decided, e.g. "<union id>/executive-committee"


@dataclass(frozen=True)
class CommandContext:
    actor: Actor
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    causation_id: str | None = None
    effective_at: datetime | None = None  # when it takes effect, if not when it is recorded
    decision: Decision | None = None
    # Optimistic concurrency: record id -> the version the caller last read (If-Match). A
    # command that changes one of these records from another version is refused (R5.2).
    expected_versions: dict[str, int] | None = None
    # R5.3: the command request this is (the same on every delivery and every repeat with the
    # same idempotency key), and when its caller stops waiting (runtime.requests).
    request_id: str | None = None
    deadline: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["effective_at"] = self.effective_at.isoformat() if self.effective_at else None
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        if self.decision is not None:
            data["decision"]["evidence"] = list(self.decision.evidence)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CommandContext:
        try:
            actor = Actor(**data["actor"])
            if not actor.user_id or not actor.role:
                raise ValueError("actor needs user_id and role")
            decision = data.get("decision")
            effective_at = data.get("effective_at")
            return cls(
                actor=actor,
                correlation_id=str(data.get("correlation_id") or uuid.uuid4()),
                causation_id=data.get("causation_id"),
                effective_at=datetime.fromisoformat(effective_at) if effective_at else None,
                decision=Decision(
                    reason=decision["reason"],
                    rule_set_version=decision["rule_set_version"],
                    evidence=tuple(decision.get("evidence") or ()),
                    authority=decision.get("authority"),
                ) if decision else None,
                expected_versions=_versions(data.get("expected_versions")),
                request_id=_request_id(data.get("request_id")),
                deadline=_aware(data["deadline"]) if data.get("deadline") else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput("the actor context is malformed", {"error": str(exc)}) from exc

    def to_header(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_header(cls, raw: str) -> CommandContext:
        try:
            data = json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise InvalidInput("the actor context is not JSON", {"error": str(exc)}) from exc
        if not isinstance(data, dict):
            raise InvalidInput("the actor context must be a JSON object")
        return cls.from_dict(data)


def _request_id(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 100 or not value.isprintable():
        raise ValueError("request_id is printable text of at most 100 characters")
    return value


def _aware(value: str) -> datetime:
    found = datetime.fromisoformat(value)
    if found.tzinfo is None:
        raise ValueError("deadline needs a time zone")
    return found


def _versions(value: object) -> dict[str, int] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in value.items()):
        raise ValueError("expected_versions maps record ids to versions")
    return dict(value)


_current: ContextVar[CommandContext | None] = ContextVar("emulation_command_context", default=None)


def current_context() -> CommandContext | None:
    return _current.get()


def acting_user() -> str:
    """The user id of whoever the command in force acts for; a command without a context is
    refused (R4.5: nothing is decided anonymously)."""
    from runtime.errors import ActorRequired

    context = _current.get()
    if context is None:
        raise ActorRequired("a command needs an actor context")
    return context.actor.user_id


def set_context(context: CommandContext | None) -> Token[CommandContext | None]:
    return _current.set(context)


def reset_context(token: Token[CommandContext | None]) -> None:
    _current.reset(token)


@contextmanager
def use_context(context: CommandContext | None) -> Iterator[CommandContext | None]:
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
