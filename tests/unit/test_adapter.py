"""The nameko adapter's guards that need no broker."""

from __future__ import annotations

import time
from typing import Any

import eventlet
import pytest

from runtime.adapter import UpstreamTimeout, receive
from runtime.config import Settings
from runtime.inbox import CATCH_UP


class SilentUpstream:
    """An upstream whose reply never comes (a reply lost on the bus)."""

    def notifications(self, **_: Any) -> dict[str, Any]:
        eventlet.sleep(30)
        raise AssertionError("unreachable")


class App:
    settings = Settings({"EMU_PULL_TIMEOUT": "0.2"})

    def receive(self, source: str, message: Any, pull: Any) -> str:
        return str(pull(after=None, stop=None, limit=10))


def test_a_pull_from_an_upstream_that_never_answers_times_out_and_is_retried_later() -> None:
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        receive(App(), "registry", SilentUpstream(), CATCH_UP)
    assert time.monotonic() - started < 5
