"""Names and declarations on RabbitMQ, shared by the relay and the consumers.

- ``<source>.events``: a durable topic exchange per publishing service; routing key = the
  published event's name (``registry.union_founded``).
- ``<consumer>.from.<source>``: a durable queue per consumer and source, with a single
  active consumer, so a second instance of a service stands by and events of
  one source are processed in order (R5.3).
- ``<queue>.retry``: failed deliveries wait there (per-message TTL) and dead-letter back.
- ``<queue>.parked``: deliveries that failed every retry, or that are not valid messages,
  wait there for a person; they are reported in the logs and never dropped.
"""

from __future__ import annotations

from kombu import Exchange, Queue


def events_exchange(source: str) -> Exchange:
    return Exchange(f"{source}.events", type="topic", durable=True)


def inbox_queue_name(consumer: str, source: str) -> str:
    return f"{consumer}.from.{source}"


def inbox_queue(consumer: str, source: str) -> Queue:
    return Queue(
        inbox_queue_name(consumer, source),
        exchange=events_exchange(source),
        routing_key="#",
        durable=True,
        queue_arguments={"x-single-active-consumer": True},
    )


def retry_queue(consumer: str, source: str) -> Queue:
    name = inbox_queue_name(consumer, source)
    return Queue(
        f"{name}.retry",
        exchange=Exchange("", type="direct"),
        routing_key=f"{name}.retry",
        durable=True,
        queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name},
    )


def parked_queue(consumer: str, source: str) -> Queue:
    name = inbox_queue_name(consumer, source)
    return Queue(f"{name}.parked", exchange=Exchange("", type="direct"),
                 routing_key=f"{name}.parked", durable=True)
