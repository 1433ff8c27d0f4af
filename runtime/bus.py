"""Names and declarations on RabbitMQ, shared by the relay and the consumers.

- ``<source>.events``: a durable topic exchange per publishing service; routing key = the
  published event's name (``registry.union_founded``).
- ``<consumer>.from.<source>``: a durable queue per consumer and source, with a single
  active consumer, so a second instance of a service stands by and events of
  one source are processed in order (R5.3).
- ``<queue>.retry``: failed deliveries wait there (per-message TTL) and dead-letter back.
- ``<queue>.parked``: deliveries that failed every retry, or that are not valid messages,
  wait there for a person; they are reported in the logs and never dropped.

Queue type (``EMU_QUEUE_TYPE``): ``classic`` (the default, one broker: ``make run``) or
``quorum`` (a RabbitMQ cluster: docker-compose, deploy/k8s). With ``quorum`` every durable
queue the system declares is a quorum queue, replicated on the cluster's nodes, so losing a
node loses no acknowledged message and the queue goes on with a leader on another node (R5.3):
the queues above, each service's ``rpc-<service>`` request queue and the RPC reply queues
(which kombu declares durable, with a 5-minute expiry). On top of the type:

- a quorum queue dead-letters *at most once* unless told otherwise: the retry queue sends its
  expired deliveries back ``at-least-once`` (which needs ``x-overflow: reject-publish``), so
  an event waiting for its retry is not lost when a node dies under it;
- the inbox queue has a delivery limit (``EMU_DELIVERY_LIMIT``, 20): an event that kills its
  consumer every time (no failure the adapter could divert) would otherwise come back for
  ever and, with a single active consumer, hold every later event of its source; past the
  limit it is dead-lettered, at least once, to the parking queue, where a person sees it.
  A broker node dying counts one delivery at most, so 20 leaves room for many faults.
  The request queue has none: a request expires when its caller stops waiting.

A queue keeps the type it was declared with: declaring it again with another type is refused
by the broker (``PRECONDITION_FAILED``), and ``declare`` turns that into
``BusQueueMismatch`` with the queue's name, so a service does not start on a half-switched
bus (deploy/README.md says how to switch).
"""

from __future__ import annotations

from typing import Any

from amqp.exceptions import PreconditionFailed
from kombu import Connection, Exchange, Queue

from runtime.errors import BusQueueMismatch

QUEUE_TYPES = ("classic", "quorum")
DEFAULT_DELIVERY_LIMIT = 20


def events_exchange(source: str) -> Exchange:
    return Exchange(f"{source}.events", type="topic", durable=True)


def inbox_queue_name(consumer: str, source: str) -> str:
    return f"{consumer}.from.{source}"


def typed(queue: Queue, queue_type: str) -> Queue:
    """The queue, made a quorum queue when ``queue_type`` is ``quorum`` (R5.3)."""
    if queue_type not in QUEUE_TYPES:
        raise ValueError(f"queue type {queue_type!r}: one of {', '.join(QUEUE_TYPES)}")
    if queue_type == "quorum":
        if not queue.durable or queue.exclusive or queue.auto_delete:
            raise ValueError(f"{queue.name}: a quorum queue is durable, neither exclusive "
                             "nor auto-delete")
        arguments = getattr(queue, "queue_arguments", None) or {}
        queue.queue_arguments = {**arguments, "x-queue-type": "quorum"}  # type: ignore[attr-defined]
    return queue


def _at_least_once(arguments: dict[str, Any], queue_type: str) -> dict[str, Any]:
    if queue_type != "quorum":
        return arguments
    return {**arguments, "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish"}


def inbox_queue(consumer: str, source: str, queue_type: str = "classic",
                delivery_limit: int = DEFAULT_DELIVERY_LIMIT) -> Queue:
    name = inbox_queue_name(consumer, source)
    arguments: dict[str, Any] = {"x-single-active-consumer": True}
    if queue_type == "quorum":
        arguments = _at_least_once({
            **arguments, "x-delivery-limit": delivery_limit,
            "x-dead-letter-exchange": "", "x-dead-letter-routing-key": f"{name}.parked",
        }, queue_type)
    return typed(Queue(
        name,
        exchange=events_exchange(source),
        routing_key="#",
        durable=True,
        queue_arguments=arguments,
    ), queue_type)


def retry_queue(consumer: str, source: str, queue_type: str = "classic") -> Queue:
    name = inbox_queue_name(consumer, source)
    return typed(Queue(
        f"{name}.retry",
        exchange=Exchange("", type="direct"),
        routing_key=f"{name}.retry",
        durable=True,
        queue_arguments=_at_least_once(
            {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name}, queue_type),
    ), queue_type)


def parked_queue(consumer: str, source: str, queue_type: str = "classic") -> Queue:
    name = inbox_queue_name(consumer, source)
    return typed(Queue(f"{name}.parked", exchange=Exchange("", type="direct"),
                       routing_key=f"{name}.parked", durable=True), queue_type)


def declare(amqp_uri: str, queues: list[Queue]) -> None:
    """Declares the queues (and their exchanges and bindings) on the broker; one that exists
    with other arguments (another type) is ``BusQueueMismatch``, not a broker error."""
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        for queue in queues:
            try:
                queue(channel).declare()
            except PreconditionFailed as exc:
                raise BusQueueMismatch(
                    f"Hàng đợi {queue.name} đã có trên máy chủ tin nhắn với kiểu khác cấu hình "
                    f"(EMU_QUEUE_TYPE); xem hướng dẫn chuyển kiểu hàng đợi trong "
                    f"deploy/README.md.",
                    {"queue": queue.name,
                     "arguments": {k: str(v) for k, v in
                                   (getattr(queue, "queue_arguments", None) or {}).items()},
                     "broker": str(exc)}) from None
