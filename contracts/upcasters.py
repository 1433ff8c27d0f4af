"""Upcasters for published events: ``(name, from_version) -> function(payload) -> payload``.

Add one whenever ``contracts/events/<name>.v<n+1>.json`` is added, so readers keep
accepting messages and log entries written under the old version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}
