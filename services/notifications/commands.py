"""What the notifications service does, declared once: its commands and queries as typed
values. The application handles each (``Notifications``, ``@handles``); its nameko entrypoint,
the gateway's routes, OpenAPI and ``.proto`` messages are derived from these declarations
(``runtime.commands``).

Every one of them is about the caller's own reminders: the person is the actor the gateway
signed in, never an argument, so no one reads or changes another's.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from runtime.commands import Command, Query, Text
from services.notifications.domain import MailStatus


class MyNotifications(Query):
    unread_only: bool = False
    limit: int = 50


class MarkRead(Command):
    reminder_id: UUID


class MarkAllRead(Command):
    pass


class MyEmail(Query):
    pass


class SetEmail(Command):
    email_enabled: bool
    address: Annotated[str, Text(254)] | None = None


class UndeliveredMail(Query):
    status: MailStatus = MailStatus.PARKED
    limit: int = 100
