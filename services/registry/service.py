"""The registry's nameko service: one entrypoint per command and query declared in
``commands.py``, derived by ``runtime.adapter.entrypoints``; the work is in ``application.py``.
"""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints
from services.registry.application import Registry


@entrypoints
class RegistryService(EventSourcedService):
    name = "registry"
    app = ApplicationProvider(Registry)


SERVICE = RegistryService
