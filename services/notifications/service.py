"""The notifications service's nameko entrypoints: one per command and query declared in
``commands.py``, derived by ``runtime.adapter.entrypoints``; the consumers of the other four
services' published events; and the timer that turns deadlines into reminders and sends the
e-mail owed (every ``EMU_NOTIFY_INTERVAL`` seconds, 60 by default)."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints, every
from services.notifications.application import Notifications


@entrypoints
class NotificationsService(EventSourcedService):
    name = "notifications"
    app = ApplicationProvider(Notifications)
    consumes = ("registry", "initiatives", "reviews", "awards")

    @every("EMU_NOTIFY_INTERVAL", 60.0)
    def remind(self) -> dict[str, int]:
        return self.app.tick()


SERVICE = NotificationsService
