"""The registry's nameko service: entrypoints only; the work is in ``application.py``."""

from __future__ import annotations

from typing import Any

from runtime.adapter import ApplicationProvider, EventSourcedService, rpc
from services.registry.application import Registry


class RegistryService(EventSourcedService):
    name = "registry"
    app = ApplicationProvider(Registry)

    @rpc
    def found_union(self, code: str, name: str, level: str, founded_on: str,
                    parent_id: str | None = None) -> str:
        return str(self.app.found_union(code, name, level, parent_id, founded_on))

    @rpc
    def get_union(self, union_id: str) -> dict[str, Any]:
        return self.app.get_union(union_id)


SERVICE = RegistryService
