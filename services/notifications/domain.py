"""The notifications service's records: the reminders it owes people and their e-mail
preferences. Pure Python, no I/O.

A reminder is keyed by what it is about, deterministically: (deadline, person, stage), so the
same deadline learnt twice, a scan run twice or by two instances at once, or an upstream event
delivered again, makes one reminder, never two. Its e-mail carries a Message-ID derived from
that key: a mail sent again after a crash (accepted by the server, not yet recorded here) is
the same message to every mail client.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from runtime.errors import Forbidden, InvalidInput

NAMESPACE = uuid.UUID("0c3f4d1e-8a57-4f43-9b0e-6c1d2a7e5b91")  # the notifications service's ids

# How long before a deadline the first reminder goes out.
BEFORE = timedelta(days=7)


def key(*parts: object) -> UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


class Stage(StrEnum):
    BEFORE = "before"  # a week ahead
    AT = "at"  # on the day (or at the first scan after it)


class MailStatus(StrEnum):
    PENDING = "pending"  # to be sent (again, after a failure, from next_attempt_at)
    SENT = "sent"  # the mail server accepted it
    SKIPPED = "skipped"  # no address, or the person turned e-mail off: in the app only
    PARKED = "parked"  # refused every attempt: shown, never dropped


def stage_due(stage: Stage, due_on: date) -> date:
    """The day a stage's reminder is owed."""
    return due_on - BEFORE if stage is Stage.BEFORE else due_on


def stages_owed(due_on: date, today: date) -> list[Stage]:
    """The reminders of a deadline owed today. Past the deadline only the reminder "at" it is
    owed: a scan that comes late (the clock moved past both) tells once, not twice."""
    if today >= due_on:
        return [Stage.AT]
    if today >= stage_due(Stage.BEFORE, due_on):
        return [Stage.BEFORE]
    return []


def message_id(reminder_id: UUID, domain: str) -> str:
    """The Message-ID of a reminder's e-mail: the same on every attempt (RFC 5322)."""
    return f"<{reminder_id}@{domain}>"


def retry_delay(attempts: int, delays: tuple[float, ...]) -> float | None:
    """Seconds before the next attempt after ``attempts`` failed ones; None: park it."""
    return delays[attempts - 1] if attempts <= len(delays) else None


class Reminder(Aggregate):
    """One person told of one deadline at one stage: in the app, and by e-mail unless the
    person has no address or turned e-mail off."""

    @staticmethod
    def create_id(deadline_key: str, person_id: str, stage: str) -> UUID:
        return key("reminder", deadline_key, person_id, stage)

    @event("Created")
    def __init__(self, deadline_key: str, person_id: str, stage: str, kind: str, due_on: date,
                 union_id: str | None, subject: dict[str, Any], created_at: str) -> None:
        self.deadline_key, self.person_id, self.stage, self.kind = deadline_key, person_id, stage, kind
        self.due_on, self.union_id, self.subject = due_on, union_id, subject
        self.created_at = created_at
        self.read_at: str | None = None
        self.mail_status = MailStatus.PENDING.value
        self.attempts = 0
        self.next_attempt_at: str | None = created_at
        self.last_error: str | None = None
        self.sent_at: str | None = None

    def mark_read(self, person_id: str, at: datetime) -> None:
        if person_id != self.person_id:
            raise Forbidden("this notification is someone else's", {"reminder_id": str(self.id)})
        if self.read_at is None:
            self._read(read_at=at.isoformat())

    @event("Read")
    def _read(self, read_at: str) -> None:
        self.read_at = read_at

    @event("Mailed")
    def mailed(self, sent_at: str, message_id: str, to: str) -> None:
        self.mail_status, self.sent_at, self.next_attempt_at = MailStatus.SENT.value, sent_at, None

    @event("MailSkipped")
    def skipped(self, reason: str) -> None:
        self.mail_status, self.next_attempt_at, self.last_error = \
            MailStatus.SKIPPED.value, None, reason

    def failed(self, error: str, at: datetime, delays: tuple[float, ...]) -> None:
        attempts = self.attempts + 1
        delay = retry_delay(attempts, delays)
        if delay is None:
            self._parked(attempts=attempts, error=error[:1000])
        else:
            self._failed(attempts=attempts, error=error[:1000],
                         next_attempt_at=(at + timedelta(seconds=delay)).isoformat())

    @event("MailFailed")
    def _failed(self, attempts: int, error: str, next_attempt_at: str) -> None:
        self.attempts, self.last_error, self.next_attempt_at = attempts, error, next_attempt_at

    @event("MailParked")
    def _parked(self, attempts: int, error: str) -> None:
        self.attempts, self.last_error = attempts, error
        self.mail_status, self.next_attempt_at = MailStatus.PARKED.value, None



ADDRESS = re.compile(r"^[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:]+$")


def clean_address(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    address = value.strip()
    if len(address) > 254 or not ADDRESS.match(address):
        raise InvalidInput("not an e-mail address", {"field": "address"})
    return address


class Preference(Aggregate):
    """A person's e-mail address for reminders and whether they want e-mail at all."""

    @staticmethod
    def create_id(person_id: str) -> UUID:
        return key("preference", person_id)

    @event("Set")
    def __init__(self, person_id: str, address: str | None, email_enabled: bool) -> None:
        self.person_id, self.address, self.email_enabled = person_id, address, email_enabled

    def change(self, address: str | None, email_enabled: bool) -> None:
        if (address, email_enabled) != (self.address, self.email_enabled):
            self._changed(person_id=self.person_id, address=address, email_enabled=email_enabled)

    @event("Changed")
    def _changed(self, person_id: str, address: str | None, email_enabled: bool) -> None:
        self.address, self.email_enabled = address, email_enabled
