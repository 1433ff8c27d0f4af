"""Awards commands and queries (the skeleton: a store, no commands yet)."""

from __future__ import annotations

from runtime.store import ServiceApplication


class Awards(ServiceApplication):
    service = "awards"


APPLICATION = Awards
