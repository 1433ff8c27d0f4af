"""The notifications service: keeps every deadline the other services' published events tell
of (``deadlines.DeadlineBook``) and the registry's facts (who sits on which committee), and
tells the people whose role it is, in the app and by e-mail.

- ``scan``: run by the service's timer; for each deadline not met whose reminder is owed today
  (a week ahead, then on the day), one reminder per person of the body told, keyed by
  (deadline, person, stage): however often it runs, on however many instances, one each.
- ``send_mail``: run after each scan; each reminder whose e-mail is owed is composed with its
  stable Message-ID, handed to the mail server, and recorded sent once the server accepted it.
  A refusal is tried again after ``EMU_MAIL_RETRY_DELAYS``, then parked (kept and shown:
  ``undelivered_mail``), never dropped. A person with no address, or who turned e-mail off, is
  told in the app only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import IntegrityError
from sqlalchemy.exc import IntegrityError as SQLIntegrityError

from contracts.registry import POLICY_LAW, BodyKind
from contracts.registry.facts import Authority, RegistryFacts
from contracts.registry.known import KnownUnions
from runtime.clock import Clock
from runtime.commands import handles
from runtime.config import Settings
from runtime.context import Actor, CommandContext, current_context, use_context
from runtime.errors import Forbidden, NotFound
from runtime.paging import Page, page
from runtime.store import ServiceApplication
from services.notifications import commands
from services.notifications.deadlines import (
    DECIDING,
    POLICY_LAW_DEPARTMENT,
    DeadlineBook,
    open_deadlines,
)
from services.notifications.domain import (
    BEFORE,
    MailStatus,
    Preference,
    Reminder,
    clean_address,
    message_id,
    stages_owed,
)
from services.notifications.mail import Mailer, MailNotSent, compose
from services.notifications.readmodel import NotificationsModel

log = logging.getLogger("emulation.notifications")


class Notifications(KnownUnions, ServiceApplication):
    service = "notifications"
    read_model_class = NotificationsModel
    upstream_views = (RegistryFacts, DeadlineBook)

    def __init__(self, settings: Settings | None = None, clock: Clock | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        super().__init__(settings, clock, env)
        self.authority = Authority(self.engine, self.service)  # the registry's facts it keeps
        self.mailer = Mailer(self.settings)

    @property
    def model(self) -> NotificationsModel:
        assert isinstance(self.read_model, NotificationsModel)
        return self.read_model

    def _system(self) -> CommandContext:
        return current_context() or CommandContext(Actor.system(self.service))

    def _person(self) -> str:
        context = current_context()
        user = context.actor.user_id if context else ""
        try:
            UUID(user)
        except ValueError:
            raise Forbidden("only a person of the registry has notifications",
                             {"user_id": user}) from None
        return user

    # --- the timer: deadlines to reminders, reminders to mail ------------------------------

    def recipients(self, union_id: str, audience: str, on: Any) -> list[str]:
        """The people the deadline is told to: the members of the union's body in office."""
        if audience == POLICY_LAW_DEPARTMENT:  # R2.8: the federation's Policy–Law department
            bodies = self.authority.bodies(UUID(union_id), on, BodyKind.DEPARTMENT.value,
                                           POLICY_LAW)
            return sorted({m["person_id"] for body in bodies for m in body["members"]})
        kinds = [BodyKind.STANDING_COMMITTEE, BodyKind.EXECUTIVE_COMMITTEE] \
            if audience == DECIDING else [BodyKind(audience)]
        for kind in kinds:
            bodies = self.authority.bodies(UUID(union_id), on, kind.value)
            people = sorted({m["person_id"] for body in bodies for m in body["members"]})
            if people:
                return people
        return []

    def scan(self) -> int:
        """Makes the reminders owed today; returns how many were new."""
        today, now = self.today(), self.clock.now()
        with self.engine.connect() as connection:
            deadlines = open_deadlines(connection, today + BEFORE)
        made = 0
        told: dict[tuple[str, str], list[str]] = {}  # one look-up per union and body a scan
        with use_context(self._system()):
            for deadline in deadlines:
                stages = stages_owed(deadline.due_on, today)
                if not stages:
                    continue
                whom = (deadline.union_id, deadline.audience)
                if whom not in told:
                    told[whom] = self.recipients(deadline.union_id, deadline.audience, today)
                people = told[whom]
                wanted = {Reminder.create_id(deadline.deadline_key, person, stage.value):
                          (person, stage) for person in people for stage in stages}
                have = self.model.existing(list(wanted))
                for reminder_id, (person, stage) in wanted.items():
                    if reminder_id in have:
                        continue
                    reminder = Reminder(
                        deadline_key=deadline.deadline_key, person_id=person, stage=stage.value,
                        kind=deadline.kind, due_on=deadline.due_on, union_id=deadline.union_id,
                        subject=dict(deadline.subject), created_at=now.isoformat())
                    try:
                        self.save(reminder)
                    except (IntegrityError, SQLIntegrityError):
                        continue  # another instance made it first: one reminder
                    made += 1
        return made

    def send_mail(self, limit: int = 200) -> dict[str, int]:
        """Sends each e-mail owed now; returns how many were sent, skipped, failed, parked."""
        counts = {"sent": 0, "skipped": 0, "failed": 0, "parked": 0}
        now = self.clock.now()
        delays = self.settings.mail_retry_delays
        with use_context(self._system()):
            for reminder_id in self.model.due_mail(now, limit):
                reminder = self.find(reminder_id, Reminder)
                if reminder is None or reminder.mail_status != MailStatus.PENDING.value:
                    continue
                preference = self.model.preference(reminder.person_id)
                if preference is None or not preference["address"]:
                    reminder.skipped(reason="no e-mail address")
                elif not preference["email_enabled"]:
                    reminder.skipped(reason="e-mail turned off")
                else:
                    mid = message_id(reminder.id, self.settings.mail_domain)
                    mail = compose(reminder, preference["address"], mid,
                                   self.settings.mail_sender, now)
                    try:
                        self.mailer.send(mail, str(reminder.id))
                    except MailNotSent as exc:
                        log.warning("mail %s to %s not sent (attempt %d): %s", mid,
                                    preference["address"], reminder.attempts + 1, exc)
                        reminder.failed(str(exc), now, delays)
                    else:
                        reminder.mailed(sent_at=now.isoformat(), message_id=mid,
                                        to=preference["address"])
                status = reminder.mail_status
                try:
                    self.save(reminder)
                except (IntegrityError, SQLIntegrityError):
                    continue  # another instance recorded it: the same mail, the same Message-ID
                key = {"sent": "sent", "skipped": "skipped", "parked": "parked"}.get(status, "failed")
                counts[key] += 1
        return counts

    def tick(self) -> dict[str, int]:
        """What the service's timer runs: the scan, then the mail owed."""
        made = self.scan()
        return {"reminders": made, **self.send_mail()}

    # --- a person's own ----------------------------------------------------------------------

    @handles(commands.MyNotifications)
    def my_notifications(self, query: commands.MyNotifications) -> Page:
        """R2.4–R2.8, R3.4: the caller's reminders of deadlines, unread first, and how many
        are unread (the bell): a page, ``{items, total, offset, limit}``, with ``unread``
        beside it."""
        limit = max(1, min(int(query.limit), 500))
        found = self.model.of_person(self._person(), query.unread_only, limit)
        answer: dict[str, Any] = {**page(found["items"], found["total"], 0, limit),
                                  "unread": found["unread"]}
        return cast(Page, answer)

    @handles(commands.MarkRead)
    def mark_read(self, command: commands.MarkRead) -> dict[str, Any]:
        """Marks one of the caller's notifications read (a reminder of an R2.4–R2.8 or R3.4
        deadline)."""
        person = self._person()
        reminder = self.find(command.reminder_id, Reminder)
        if reminder is None or reminder.person_id != person:
            raise NotFound("no such notification of yours",
                                   {"reminder_id": str(command.reminder_id)})
        reminder.mark_read(person, self.clock.now())
        self.save(reminder)
        return {"reminder_id": str(reminder.id), "read": True}

    @handles(commands.MarkAllRead)
    def mark_all_read(self, command: commands.MarkAllRead) -> dict[str, Any]:
        """Marks every one of the caller's notifications read (the reminders of R2.4–R2.8 and R3.4
        deadlines)."""
        person = self._person()
        unread = self.model.of_person(person, True, 500)["items"]
        now = self.clock.now()
        changed = []
        for row in unread:
            reminder = self.find(UUID(row["reminder_id"]), Reminder)
            if reminder is not None:
                reminder.mark_read(person, now)
                changed.append(reminder)
        if changed:
            self.save(*changed)
        return {"marked": len(changed)}

    @handles(commands.MyEmail)
    def my_email(self, query: commands.MyEmail) -> dict[str, Any]:
        """The caller's e-mail address for reminders (R2.4–R2.8, R3.4 deadlines) and whether
        e-mail is on."""
        person = self._person()
        return self.model.preference(person) or {"person_id": person, "address": None,
                                                 "email_enabled": False}

    @handles(commands.SetEmail)
    def set_email(self, command: commands.SetEmail) -> dict[str, Any]:
        """Sets the caller's address for reminders by e-mail (R2.4–R2.8, R3.4 deadlines), and
        turns e-mail on or off."""
        person = self._person()
        address = clean_address(command.address)
        preference = self.find(Preference.create_id(person), Preference)
        if preference is None:
            preference = Preference(person_id=person, address=address,
                                    email_enabled=bool(command.email_enabled))
        else:
            preference.change(address, bool(command.email_enabled))
        self.save(preference)
        return {"person_id": person, "address": address,
                "email_enabled": bool(command.email_enabled)}

    @handles(commands.UndeliveredMail)
    def undelivered_mail(self, query: commands.UndeliveredMail) -> list[dict[str, Any]]:
        """Administrators (R2.4–R2.8, R3.4 reminders): the e-mails the server refused every
        time (parked), or those still being tried (pending), with the last error; none is
        dropped."""
        context = current_context()
        if context is None or context.actor.role not in ("administrator", "system"):
            raise Forbidden("administrators only", {"role": context.actor.role if context else None})
        return self.model.by_mail_status(query.status.value, max(1, min(int(query.limit), 1000)))

    # --- what it consumes --------------------------------------------------------------------

    def policy(self, domain_event: Any, processing_event: Any) -> None:
        """The upstream events make no events here: the deadlines and the registry's facts
        they bring are kept as rows with their tracking record (``upstream_views``)."""


APPLICATION = Notifications
