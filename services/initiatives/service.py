"""The initiatives service's nameko entrypoints: one per command and query declared in
``commands.py`` (R3.1–R3.8), derived by ``runtime.adapter.entrypoints``, and the consumer of
the registry's events its authority is judged by."""

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
from services.initiatives.application import Initiatives


@entrypoints
class InitiativesService(EventSourcedService):
    name = "initiatives"
    app = ApplicationProvider(Initiatives)
    registry = RpcProxy("registry")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)


SERVICE = InitiativesService
