"""Looking at and writing to RabbitMQ directly, as a test that plays a relay or a spy."""

from __future__ import annotations

from typing import Any

from kombu import Connection, Queue

from runtime.bus import events_exchange


def publish(amqp_uri: str, source: str, body: Any, routing_key: str = "x", **kwargs: Any) -> None:
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as connection:
        producer = connection.Producer(exchange=events_exchange(source))
        events_exchange(source)(connection.default_channel).declare()
        producer.publish(body, routing_key=routing_key, delivery_mode=2, **kwargs)


def message_count(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as connection:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count


def spy(amqp_uri: str, source: str, name: str = "spy") -> Queue:
    """A queue that receives a copy of everything the source publishes from now on."""
    queue = Queue(name, exchange=events_exchange(source), routing_key="#", durable=True)
    with Connection(amqp_uri) as connection:
        queue(connection.default_channel).declare()
    return queue


def drain(amqp_uri: str, queue: str) -> list[dict[str, Any]]:
    bodies = []
    with Connection(amqp_uri) as connection:
        simple = connection.SimpleQueue(queue, no_ack=True)
        while True:
            try:
                bodies.append(simple.get(timeout=0.5).payload)
            except simple.Empty:
                return bodies
