"""Random calls to every gRPC method of the gateway (R5.2): bytes that are not protobuf, and
messages of the method's own type with random values in random fields (Vietnamese and
control characters, huge and negative numbers, NaN, deep structures). Whatever is sent, the
answer is a status with a meaning (OK, INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED…):
never INTERNAL or UNKNOWN, and never no answer at all.

How many calls per method and the seed come from ``EMU_FUZZ_GRPC_PER_METHOD`` (3 in
``make test``; ``make reliability`` runs 15, over 2,000 calls) and ``EMU_FUZZ_SEED`` (random
when unset); the seed is recorded with the figures and named by a failure, so any run can
be made again."""

from __future__ import annotations

import os
import random
import string
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import message_factory, struct_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from gateway.grpc_generated import (
    audit_pb2,
    awards_pb2,
    initiatives_pb2,
    notifications_pb2,
    registry_pb2,
    reviews_pb2,
)
from tests.support.figures import record
from tests.support.gateway_system import System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

PER_METHOD = int(os.environ.get("EMU_FUZZ_GRPC_PER_METHOD", "3"))
SEED = int(os.environ.get("EMU_FUZZ_SEED") or random.SystemRandom().randrange(1, 2**31))
MODULES = (registry_pb2, initiatives_pb2, reviews_pb2, awards_pb2, notifications_pb2, audit_pb2)
NEVER = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED}
TEXTS = ("", " ", "Đổi mới, sáng tạo, hiệu quả", "TV-CS-0001", "2026-02-30", "2026-01-15",
         "00000000-0000-0000-0000-000000000000", "'; DROP TABLE x; --", "<script>x</script>",
         "\u0000\u0007\u202e", "ý" * 5_000, "../../etc/passwd", "NaN", "-1")


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("grpc-fuzz"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


def _text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(TEXTS)
    alphabet = string.printable + "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệĐ"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))


def _json(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(6 if depth < 4 else 4)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return rng.choice([0, -1, 1e308, -1e308, 2**53, 0.5])
    if kind == 2:
        return rng.random() < 0.5
    if kind == 3:
        return None
    if kind == 4:
        return [_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {_text(rng)[:20]: _json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _value(field: FieldDescriptor, rng: random.Random, depth: int) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return _text(rng)
    if kind == FieldDescriptor.TYPE_BOOL:
        return rng.random() < 0.5
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return rng.choice([0.0, -1.0, 1e300, float("nan"), float("inf"), 3.5])
    if kind in (FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_SINT64, FieldDescriptor.TYPE_SFIXED64):
        return rng.choice([0, -1, 2**63 - 1, -(2**63), 2026, 7])
    if kind in (FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SFIXED32):
        return rng.choice([0, -1, 2**31 - 1, -(2**31), 2026])
    if kind in (FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_FIXED64):
        return rng.choice([0, 2**64 - 1, 50])
    if kind in (FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_FIXED32):
        return rng.choice([0, 2**32 - 1, 50])
    if kind == FieldDescriptor.TYPE_BYTES:
        return rng.randbytes(rng.randint(0, 64))
    if kind == FieldDescriptor.TYPE_ENUM:
        return rng.choice([v.number for v in field.enum_type.values])
    return _message(field.message_type, rng, depth + 1)


def _message(descriptor: Descriptor, rng: random.Random, depth: int = 0) -> Any:
    """A message of the type with random values in a random choice of its fields."""
    message = message_factory.GetMessageClass(descriptor)()
    name, found = descriptor.full_name, None
    if name.startswith("google.protobuf.") and name.endswith(("Struct", "Value")):
        found = _json(rng, depth)
    if name == "google.protobuf.Struct":
        message.update(found if isinstance(found, dict) else {"v": found})
        return message
    if name == "google.protobuf.ListValue":
        message.extend(found if isinstance(found, list) else [found])
        return message
    if name == "google.protobuf.Value":
        holder = struct_pb2.ListValue()
        holder.extend([found])
        message.CopyFrom(holder.values[0])
        return message
    if depth > 3:
        return message
    for field in descriptor.fields:
        if rng.random() < 0.35:
            continue
        if field.is_repeated:
            if field.message_type is not None and field.message_type.GetOptions().map_entry:
                continue  # maps: left out (none of the API's messages has one today)
            values = [_value(field, rng, depth) for _ in range(rng.randint(0, 3))]
            target = getattr(message, field.name)
            if field.message_type is not None:
                for value in values:
                    target.add().CopyFrom(value)
            else:
                target.extend(values)
        elif field.message_type is not None:
            getattr(message, field.name).CopyFrom(_value(field, rng, depth))
        else:
            setattr(message, field.name, _value(field, rng, depth))
    return message


def test_r5_2_random_grpc_calls_to_every_method_get_a_meaningful_status(system: System) -> None:
    rng = random.Random(SEED)
    metadata = [("authorization", f"Bearer {system.tokens['h']}")]
    statuses: dict[str, int] = {}
    failures: list[str] = []
    tried = 0
    with grpc.insecure_channel(f"127.0.0.1:{system.grpc_port}") as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        for module in MODULES:
            for service in module.DESCRIPTOR.services_by_name.values():
                for method in service.methods:
                    call = channel.unary_unary(f"/{service.full_name}/{method.name}",
                                               request_serializer=None,
                                               response_deserializer=None)
                    for _ in range(PER_METHOD):
                        payload = (rng.randbytes(rng.randint(1, 80)) if rng.random() < 0.25
                                   else _message(method.input_type, rng).SerializeToString())
                        tried += 1
                        try:
                            call(payload, metadata=metadata, timeout=30)
                            status = grpc.StatusCode.OK
                        except grpc.RpcError as error:
                            status = error.code()
                        statuses[status.name] = statuses.get(status.name, 0) + 1
                        if status in NEVER:
                            failures.append(f"{service.name}/{method.name}: {status.name}")
    record("bad-input", "grpc-random", tried=tried, server_errors=len(failures),
           statuses=statuses, seed=SEED, per_method=PER_METHOD)
    assert tried >= 100 * PER_METHOD // 3, tried
    assert failures == [], f"seed {SEED}: {failures[:20]}"
