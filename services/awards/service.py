"""The awards service's nameko entrypoints."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService
from services.awards.application import Awards


class AwardsService(EventSourcedService):
    name = "awards"
    app = ApplicationProvider(Awards)


SERVICE = AwardsService
