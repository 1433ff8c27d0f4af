"""Reviews commands and queries (the skeleton: a store, no commands yet)."""

from __future__ import annotations

from runtime.store import ServiceApplication


class Reviews(ServiceApplication):
    service = "reviews"


APPLICATION = Reviews
