"""The notifications read model: each reminder with its state (read, e-mail), for a person's
list, the bell's count and the sender's queue; and each person's e-mail preference.

Written in the same transaction as the events (``runtime.readmodel``), rebuilt from the log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from runtime.readmodel import ReadModel, Writer, handles
from services.notifications.domain import Preference, Reminder

metadata = sa.MetaData()

REMINDERS = sa.Table(
    "notifications_reminders", metadata,
    sa.Column("reminder_id", sa.Uuid, primary_key=True),
    sa.Column("person_id", sa.String(64), nullable=False),
    sa.Column("deadline_key", sa.String(200), nullable=False, index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("stage", sa.String(16), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("union_id", sa.String(36)),
    sa.Column("subject", sa.JSON, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("read_at", sa.String(40)),
    sa.Column("mail_status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.String(40)),
    sa.Column("last_error", sa.Text),
    sa.Column("sent_at", sa.String(40)),
    sa.Index("notifications_reminders_person", "person_id", "read_at"),
    sa.Index("notifications_reminders_mail", "mail_status", "next_attempt_at"),
)
PREFERENCES = sa.Table(
    "notifications_preferences", metadata,
    sa.Column("person_id", sa.String(64), primary_key=True),
    sa.Column("address", sa.String(254)),
    sa.Column("email_enabled", sa.Boolean, nullable=False),
)


class NotificationsModel(ReadModel):
    metadata = metadata

    @handles(Reminder.Created)  # type: ignore[attr-defined]
    def _created(self, e: Any, w: Writer) -> None:
        w.insert(REMINDERS, reminder_id=e.originator_id, person_id=e.person_id,
                 deadline_key=e.deadline_key, kind=e.kind, stage=e.stage, due_on=e.due_on,
                 union_id=e.union_id, subject=e.subject, created_at=e.created_at,
                 mail_status="pending", attempts=0, next_attempt_at=e.created_at)

    @handles(Reminder.Read)  # type: ignore[attr-defined]
    def _read(self, e: Any, w: Writer) -> None:
        w.update(REMINDERS, (e.originator_id,), read_at=e.read_at)

    @handles(Reminder.Mailed)  # type: ignore[attr-defined]
    def _mailed(self, e: Any, w: Writer) -> None:
        w.update(REMINDERS, (e.originator_id,), mail_status="sent", sent_at=e.sent_at,
                 next_attempt_at=None)

    @handles(Reminder.MailSkipped)  # type: ignore[attr-defined]
    def _skipped(self, e: Any, w: Writer) -> None:
        w.update(REMINDERS, (e.originator_id,), mail_status="skipped", next_attempt_at=None,
                 last_error=e.reason)

    @handles(Reminder.MailFailed)  # type: ignore[attr-defined]
    def _failed(self, e: Any, w: Writer) -> None:
        w.update(REMINDERS, (e.originator_id,), attempts=e.attempts, last_error=e.error,
                 next_attempt_at=e.next_attempt_at)

    @handles(Reminder.MailParked)  # type: ignore[attr-defined]
    def _parked(self, e: Any, w: Writer) -> None:
        w.update(REMINDERS, (e.originator_id,), attempts=e.attempts, last_error=e.error,
                 mail_status="parked", next_attempt_at=None)

    @handles(Preference.Set)  # type: ignore[attr-defined]
    def _preference(self, e: Any, w: Writer) -> None:
        w.insert(PREFERENCES, person_id=e.person_id, address=e.address,
                 email_enabled=e.email_enabled)

    @handles(Preference.Changed)  # type: ignore[attr-defined]
    def _changed(self, e: Any, w: Writer) -> None:
        w.execute(PREFERENCES.update().where(PREFERENCES.c.person_id == e.person_id)
                  .values(address=e.address, email_enabled=e.email_enabled))

    # --- queries ---------------------------------------------------------------------------

    def existing(self, ids: list[Any]) -> set[Any]:
        found: set[Any] = set()
        with self.engine.connect() as c:
            for start in range(0, len(ids), 500):
                found.update(c.execute(sa.select(REMINDERS.c.reminder_id).where(
                    REMINDERS.c.reminder_id.in_(ids[start:start + 500]))).scalars())
        return found

    def of_person(self, person_id: str, unread_only: bool, limit: int) -> dict[str, Any]:
        """A person's reminders, unread first, then by deadline, the nearest (or passed) first;
        how many there are, and how many are unread."""
        r = REMINDERS
        query = sa.select(r).where(r.c.person_id == person_id)
        if unread_only:
            query = query.where(r.c.read_at.is_(None))
        counted = sa.select(sa.func.count()).select_from(query.subquery())
        query = query.order_by(r.c.read_at.is_not(None), r.c.due_on, r.c.created_at.desc(),
                               r.c.reminder_id).limit(limit)
        with self.engine.connect() as c:
            rows = [row_of(row) for row in c.execute(query)]
            unread = c.execute(sa.select(sa.func.count()).where(
                r.c.person_id == person_id, r.c.read_at.is_(None))).scalar()
            total = c.execute(counted).scalar()
        return {"unread": int(unread or 0), "items": rows, "total": int(total or 0)}

    def due_mail(self, now: datetime, limit: int) -> list[Any]:
        """Reminders whose e-mail is owed now (pending, at or after their next attempt)."""
        r = REMINDERS
        with self.engine.connect() as c:
            return list(c.execute(sa.select(r.c.reminder_id).where(
                r.c.mail_status == "pending", r.c.next_attempt_at <= now.isoformat())
                .order_by(r.c.next_attempt_at, r.c.reminder_id).limit(limit)).scalars())

    def by_mail_status(self, status: str, limit: int) -> list[dict[str, Any]]:
        r = REMINDERS
        with self.engine.connect() as c:
            return [row_of(row) for row in c.execute(
                sa.select(r).where(r.c.mail_status == status)
                .order_by(r.c.created_at.desc(), r.c.reminder_id).limit(limit))]

    def preference(self, person_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(PREFERENCES).where(
                PREFERENCES.c.person_id == person_id)).first()
        return None if row is None else {"person_id": row.person_id, "address": row.address,
                                          "email_enabled": bool(row.email_enabled)}


def row_of(row: Any) -> dict[str, Any]:
    """A reminder as the API returns it (its union under ``about_union_id``: the reminder is
    the person's own, whatever union it concerns)."""
    return {"reminder_id": str(row.reminder_id), "kind": row.kind, "stage": row.stage,
            "due_on": row.due_on.isoformat(), "about_union_id": row.union_id,
            "subject": row.subject, "created_at": row.created_at, "read": row.read_at is not None,
            "read_at": row.read_at, "mail_status": row.mail_status, "attempts": row.attempts,
            "last_error": row.last_error, "sent_at": row.sent_at,
            "deadline_key": row.deadline_key}
