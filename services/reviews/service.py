"""The reviews service's nameko entrypoints."""

from __future__ import annotations

from runtime.adapter import ApplicationProvider, EventSourcedService
from services.reviews.application import Reviews


class ReviewsService(EventSourcedService):
    name = "reviews"
    app = ApplicationProvider(Reviews)


SERVICE = ReviewsService
