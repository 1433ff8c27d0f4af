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


class BrokerGone:
    """A queue consumer whose connection the broker reset (RabbitMQ restarting)."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def ack_message(self, message: Any) -> None:
        self.tried.append("ack")
        raise ConnectionResetError(104, "Connection reset by peer")

    def requeue_message(self, message: Any) -> None:
        self.tried.append("requeue")
        raise ConnectionResetError(104, "Connection reset by peer")


def test_r5_3_an_event_whose_ack_the_broker_never_gets_leaves_the_service_running() -> None:
    # nameko's own guard catches amqp's ConnectionError, not the socket's: the worker's error
    # killed the whole service when RabbitMQ restarted while events were being processed.
    from runtime.adapter import EventsConsumer

    consumer = EventsConsumer("registry")
    consumer.queue_consumer = gone = BrokerGone()  # type: ignore[assignment]
    assert consumer.handle_result(object(), None, "processed") == ("processed", None)  # type: ignore[arg-type]
    assert gone.tried == ["ack"]  # tried, then left to the broker to deliver again


def test_r5_3_a_quiet_inbox_catches_up_less_often_and_soon_again_after_a_delivery() -> None:
    # The catch-up pulls what the bus did not bring; at rest the system is not asked every
    # few seconds, but after events flowed the next catch-up comes catch_up_interval later.
    from runtime.adapter import EventsConsumer

    consumer = EventsConsumer("registry")
    consumer.catch_up_interval, consumer.catch_up_max_interval = 10.0, 300.0
    consumer._delivered = False
    delay, quiet = 0.5, []
    for _ in range(8):
        delay = consumer._next_catch_up(delay, succeeded=True)
        quiet.append(delay)
    assert quiet == [10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0, 300.0]
    consumer.queue_consumer = BrokerGone()  # type: ignore[assignment]
    consumer.handle_result(object(), None, "processed")  # type: ignore[arg-type]  # a delivery
    assert consumer._next_catch_up(delay, succeeded=True) == 10.0
    assert consumer._next_catch_up(10.0, succeeded=True) == 20.0
    # a catch-up that failed is retried sooner, never later than the interval
    assert consumer._next_catch_up(0.5, succeeded=False) == 1.0
    assert consumer._next_catch_up(300.0, succeeded=False) == 10.0
