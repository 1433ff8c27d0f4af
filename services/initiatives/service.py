"""The initiatives service's nameko entrypoints."""

from __future__ import annotations

from typing import Any

from nameko.rpc import RpcProxy

from runtime.adapter import ApplicationProvider, EventSourcedService, consume_events, receive, rpc
from services.initiatives.application import Initiatives


class InitiativesService(EventSourcedService):
    name = "initiatives"
    app = ApplicationProvider(Initiatives)
    registry = RpcProxy("registry")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @rpc
    def known_union(self, union_id: str) -> dict[str, Any]:
        return self.app.known_union(union_id)


SERVICE = InitiativesService
