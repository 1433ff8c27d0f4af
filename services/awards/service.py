"""The awards service's nameko entrypoints: one per command and query declared in
``commands.py`` (R4.1–R4.5), derived by ``runtime.adapter.entrypoints``, and the consumers of
the registry's, the initiatives' and the reviews' published events it judges by."""

from __future__ import annotations

from typing import Any

from nameko.rpc import RpcProxy

from runtime.adapter import (
    ApplicationProvider,
    EventSourcedService,
    consume_events,
    entrypoints,
    receive,
)
from services.awards.application import Awards


@entrypoints
class AwardsService(EventSourcedService):
    name = "awards"
    app = ApplicationProvider(Awards)
    registry = RpcProxy("registry")
    initiatives = RpcProxy("initiatives")
    reviews = RpcProxy("reviews")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @consume_events("initiatives")
    def on_initiatives_event(self, message: Any) -> str:
        return receive(self.app, "initiatives", self.initiatives, message)

    @consume_events("reviews")
    def on_reviews_event(self, message: Any) -> str:
        return receive(self.app, "reviews", self.reviews, message)


SERVICE = AwardsService
