"""The reviews service's nameko entrypoints: one per command and query declared in
``commands.py`` (R2.1–R2.8), derived by ``runtime.adapter.entrypoints``, the consumer of the
registry's events its authority is judged by, and the periodic sweep of overdue reviews."""

from __future__ import annotations

from typing import Any

from nameko.timer import Timer

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints
from runtime.config import Settings
from services.reviews.application import Reviews


class SweepTimer(Timer):
    """nameko's timer with its interval read when the service starts, not at import
    (``EMU_OVERDUE_SWEEP_INTERVAL`` seconds, an hour by default)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(interval=3600, **kwargs)

    def setup(self) -> None:
        self.interval = Settings.from_env().number("EMU_OVERDUE_SWEEP_INTERVAL", 3600.0)
        super().setup()


sweep = SweepTimer.decorator


@entrypoints
class ReviewsService(EventSourcedService):
    name = "reviews"
    app = ApplicationProvider(Reviews)
    consumes = ("registry",)

    @sweep()
    def sweep_overdue(self) -> int:
        return self.app.flag_overdue()


SERVICE = ReviewsService
