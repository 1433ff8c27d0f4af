"""The initiatives service's nameko entrypoints: one per command and query declared in
``commands.py`` (R3.1–R3.8), derived by ``runtime.adapter.entrypoints``, and the consumer of
the registry's events its authority is judged by."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints
from services.initiatives.application import Initiatives


@entrypoints
class InitiativesService(EventSourcedService):
    name = "initiatives"
    app = ApplicationProvider(Initiatives)
    consumes = ("registry",)


SERVICE = InitiativesService
