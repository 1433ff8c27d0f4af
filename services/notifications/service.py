"""The notifications service's nameko entrypoints: one per command and query declared in
``commands.py``, derived by ``runtime.adapter.entrypoints``; the consumers of the other four
services' published events; and the timer that turns deadlines into reminders and sends the
e-mail owed (every ``EMU_NOTIFY_INTERVAL`` seconds, 60 by default)."""

from __future__ import annotations

from typing import Any

from nameko.rpc import RpcProxy
from nameko.timer import Timer

from runtime.adapter import (
    ApplicationProvider,
    EventSourcedService,
    consume_events,
    entrypoints,
    receive,
)
from runtime.config import Settings
from services.notifications.application import Notifications


class NotifyTimer(Timer):
    """nameko's timer with its interval read when the service starts, not at import."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(interval=60, **kwargs)

    def setup(self) -> None:
        self.interval = Settings.from_env().number("EMU_NOTIFY_INTERVAL", 60.0)
        super().setup()


@entrypoints
class NotificationsService(EventSourcedService):
    name = "notifications"
    app = ApplicationProvider(Notifications)
    registry = RpcProxy("registry")
    initiatives = RpcProxy("initiatives")
    reviews = RpcProxy("reviews")
    awards = RpcProxy("awards")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @consume_events("initiatives")
    def on_initiatives_event(self, message: Any) -> str:
        return receive(self.app, "initiatives", self.initiatives, message)

    @consume_events("reviews")
    def on_reviews_event(self, message: Any) -> str:
        return receive(self.app, "reviews", self.reviews, message)

    @consume_events("awards")
    def on_awards_event(self, message: Any) -> str:
        return receive(self.app, "awards", self.awards, message)

    @NotifyTimer.decorator()
    def remind(self) -> dict[str, int]:
        return self.app.tick()


SERVICE = NotificationsService
