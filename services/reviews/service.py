"""The reviews service's nameko entrypoints: one per command and query declared in
``commands.py`` (R2.1–R2.8), derived by ``runtime.adapter.entrypoints``, the consumer of the
registry's events its authority is judged by, of the initiatives' events its pledges' targets are
counted from (R2.3–R2.5), and the periodic sweep of overdue reviews."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints, every
from services.reviews.application import Reviews


@entrypoints
class ReviewsService(EventSourcedService):
    name = "reviews"
    app = ApplicationProvider(Reviews)
    consumes = ("registry", "initiatives", "awards")

    @every("EMU_OVERDUE_SWEEP_INTERVAL", 3600.0)
    def sweep_overdue(self) -> int:
        return self.app.flag_overdue()


SERVICE = ReviewsService
