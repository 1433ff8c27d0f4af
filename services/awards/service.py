"""The awards service's nameko entrypoints: one per command and query declared in
``commands.py`` (R4.1–R4.5), derived by ``runtime.adapter.entrypoints``, and the consumers of
the registry's, the initiatives' and the reviews' published events it judges by."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints
from services.awards.application import Awards


@entrypoints
class AwardsService(EventSourcedService):
    name = "awards"
    app = ApplicationProvider(Awards)
    consumes = ("registry", "initiatives", "reviews")


SERVICE = AwardsService
