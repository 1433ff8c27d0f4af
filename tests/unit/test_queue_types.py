"""The queue type setting (R5.3, ``runtime.bus``): quorum queues where a cluster runs,
classic on one broker; a queue a quorum queue cannot be (not durable, exclusive, auto-delete)
is refused rather than declared with a type the broker would reject."""

from __future__ import annotations

import pytest
from kombu import Queue

from runtime.bus import inbox_queue, parked_queue, retry_queue, typed
from runtime.config import Settings


def _arguments(queue: Queue) -> dict[str, object]:
    return dict(getattr(queue, "queue_arguments", None) or {})


def test_r5_3_classic_is_the_default_and_quorum_is_asked_by_emu_queue_type() -> None:
    assert Settings({}).queue_type == "classic"
    assert Settings({"EMU_QUEUE_TYPE": "Quorum"}).queue_type == "quorum"
    assert Settings({"EMU_QUEUE_TYPE": "quorum"}).nameko_config()["EMU_QUEUE_TYPE"] == "quorum"
    with pytest.raises(ValueError, match="classic or quorum"):
        Settings({"EMU_QUEUE_TYPE": "stream"}).nameko_config()


def test_r5_3_with_quorum_each_bus_queue_is_declared_a_quorum_queue() -> None:
    for queue in (inbox_queue("awards", "reviews", "quorum"),
                  retry_queue("awards", "reviews", "quorum"),
                  parked_queue("awards", "reviews", "quorum")):
        assert queue.durable and _arguments(queue)["x-queue-type"] == "quorum"
    for queue in (inbox_queue("awards", "reviews"), retry_queue("awards", "reviews"),
                  parked_queue("awards", "reviews")):
        assert "x-queue-type" not in _arguments(queue)


def test_r5_3_a_queue_that_cannot_be_a_quorum_queue_is_refused() -> None:
    with pytest.raises(ValueError, match="durable"):
        typed(Queue("reply", durable=False), "quorum")
    with pytest.raises(ValueError, match="exclusive"):
        typed(Queue("reply", exclusive=True), "quorum")
    with pytest.raises(ValueError, match="one of"):
        typed(Queue("reply"), "lazy")
    assert _arguments(typed(Queue("reply", durable=False), "classic")) == {}


def test_r5_3_a_publish_the_broker_refuses_is_waited_out_by_the_relay() -> None:
    """A quorum queue without a leader for a moment (a node just died) nacks a publish: the
    relay publishes the batch again instead of dying (the cluster fault test found it)."""
    from amqp.exceptions import MessageNacked

    from runtime.relay import RETRYABLE

    assert issubclass(MessageNacked, RETRYABLE)
