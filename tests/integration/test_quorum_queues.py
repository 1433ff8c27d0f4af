"""Quorum queues (R5.3): with ``EMU_QUEUE_TYPE=quorum`` every durable queue the system
declares is a quorum queue (a service's request queue, its inbox, retry and parking queues
per upstream, the reply queues of its RPC proxies and of the gateway's client); with
``classic`` (the default, ``make run``) every one is classic. A queue already there with the
other type stops the service with ``BUS_QUEUE_MISMATCH`` instead of a broker error.

Quorum queues work on one node as well (one replica), so these run on the machine's broker,
in a vhost of their own; the cluster and its faults are ``tests/reliability``.
"""

from __future__ import annotations

import contextlib
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from kombu import Connection, Consumer

from runtime.bus import declare, events_exchange, inbox_queue, parked_queue
from runtime.client import RpcPool
from runtime.context import Actor, CommandContext
from runtime.errors import BusQueueMismatch
from tests.support.processes import Processes, rabbitmqctl

pytestmark = [pytest.mark.bus, pytest.mark.system]

ACTOR = CommandContext(Actor("tester", "administrator"))


def _queues(amqp_uri: str) -> list[dict[str, Any]]:
    vhost = unquote(urlsplit(amqp_uri).path[1:])
    return rabbitmqctl("list_queues", "-p", vhost, "name", "durable", "type", "arguments")


def _arguments(queue: dict[str, Any]) -> dict[str, Any]:
    raw = queue["arguments"]  # rabbitmqctl's JSON: [name, type, value] each
    return {name: value for name, _, value in raw}


@pytest.mark.parametrize("queue_type", ["quorum", "classic"])
def test_r5_3_every_durable_queue_the_system_declares_has_the_configured_type(
        tmp_path: Path, amqp_uri: str, queue_type: str) -> None:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "EMU_QUEUE_TYPE": queue_type})
    pool = RpcPool(processes.settings, timeout=5.0)
    try:
        processes.service("initiatives")  # consumes registry: an inbox, a proxy, requests
        processes.wait_ready("initiatives")  # a standalone proxy's reply queue (services())
        assert pool.call("initiatives", "health", context=ACTOR)  # the gateway's client
        queues = _queues(amqp_uri)
    finally:
        pool.close()
        processes.stop_all()

    names = {q["name"] for q in queues}
    assert {"rpc-initiatives", "initiatives.from.registry", "initiatives.from.registry.retry",
            "initiatives.from.registry.parked"} <= names
    assert any(n.startswith("rpc.reply-initiatives-") for n in names)  # the service's proxy
    assert sum(n.startswith("rpc.reply-standalone_rpc_proxy-") for n in names) >= 2
    durable = [q for q in queues if q["durable"]]
    assert len(durable) == len(queues)  # kombu declares every one of them durable
    assert {q["name"]: q["type"] for q in durable} == {q["name"]: queue_type for q in durable}

    by_name = {q["name"]: _arguments(q) for q in queues}
    inbox, retry = by_name["initiatives.from.registry"], by_name["initiatives.from.registry.retry"]
    if queue_type == "quorum":
        # a poison event is parked after 20 deliveries; dead-lettering never loses one
        assert inbox["x-delivery-limit"] == 20
        assert inbox["x-dead-letter-routing-key"] == "initiatives.from.registry.parked"
        assert inbox["x-dead-letter-strategy"] == retry["x-dead-letter-strategy"] == \
            "at-least-once"
    else:
        assert "x-delivery-limit" not in inbox and "x-dead-letter-strategy" not in retry


def test_r5_3_a_queue_left_with_the_other_type_is_bus_queue_mismatch(amqp_uri: str) -> None:
    classic = inbox_queue("initiatives", "registry", "classic")
    declare(amqp_uri, [classic])
    with pytest.raises(BusQueueMismatch) as caught:
        declare(amqp_uri, [inbox_queue("initiatives", "registry", "quorum")])
    assert caught.value.code == "BUS_QUEUE_MISMATCH"
    assert caught.value.details["queue"] == "initiatives.from.registry"
    assert "EMU_QUEUE_TYPE" in caught.value.message
    with Connection(amqp_uri) as connection:  # the classic queue is there still, untouched
        connection.default_channel.queue_declare("initiatives.from.registry", passive=True)
    assert {q["name"]: q["type"] for q in _queues(amqp_uri)}["initiatives.from.registry"] == \
        "classic"


def test_r5_3_a_service_on_a_half_switched_bus_stops_saying_so(
        tmp_path: Path, amqp_uri: str) -> None:
    declare(amqp_uri, [inbox_queue("initiatives", "registry", "classic")])
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "EMU_QUEUE_TYPE": "quorum"})
    processes.service("initiatives")
    try:
        assert processes.wait_exit("initiatives", timeout=60) != 0
    finally:
        processes.stop_all()
    assert "BUS_QUEUE_MISMATCH" in processes.log("initiatives")


def test_r5_3_an_event_that_keeps_coming_back_is_parked_after_the_delivery_limit(
        amqp_uri: str) -> None:
    """An event whose consumer dies each time (it is given back, never settled) is moved to
    the parking queue after ``EMU_DELIVERY_LIMIT`` deliveries instead of holding the inbox for
    ever; the broker moves it at least once, so it is never dropped."""
    inbox = inbox_queue("initiatives", "registry", "quorum", delivery_limit=2)
    parked = parked_queue("initiatives", "registry", "quorum")
    declare(amqp_uri, [inbox, parked])
    with Connection(amqp_uri) as connection:
        channel = connection.default_channel
        connection.Producer(channel).publish(
            {"poison": True}, exchange=events_exchange("registry"),
            routing_key="registry.union_founded", serializer="json", delivery_mode=2)
        deliveries: list[Any] = []

        def dies(body: Any, message: Any) -> None:  # as a consumer that died before settling
            deliveries.append(body)
            message.requeue()

        with Consumer(channel, queues=[inbox], callbacks=[dies], accept=["json"]), \
                contextlib.suppress(socket.timeout):
            for _ in range(20):
                connection.drain_events(timeout=2)
        deliveries_count = len(deliveries)
        assert deliveries_count == 3  # the first delivery and two more: the limit is 2
        kept = _get(channel, parked.name)
        assert kept is not None and kept.payload == {"poison": True}
        kept.ack()


def _get(channel: Any, queue: str) -> Any:
    """The queue's next message, waiting a moment for the broker to move it there."""
    for _ in range(50):
        message = channel.basic_get(queue, no_ack=False)
        if message is not None:
            return channel.message_to_python(message)
        time.sleep(0.1)
    return None
