"""Commands and queries declared once (``runtime.commands``): the decoder at the edge keeps
every refusal of the ``runtime.text`` parsers, and the entrypoints and catalogue operations
derived from a declaration say what it says."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any
from unittest.mock import Mock
from uuid import UUID, uuid4

import pytest
from nameko.exceptions import IncorrectSignature
from nameko.rpc import RpcProxy

from gateway.catalogue import _operation
from runtime.adapter import ApplicationProvider, EventSourcedService, entrypoints, upstream_sources
from runtime.commands import Code, Command, Given, Query, Text, declared, decode, handles, method_name, wire
from runtime.errors import InvalidInput
from runtime.text import InvalidDate


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"


@dataclass(frozen=True)
class Part:
    code: str = ""
    members: tuple[UUID, ...] = ()


class PaintUnion(Command):
    union_id: UUID
    on: date
    colour: Colour
    final: bool = False
    parent_id: UUID | None = None
    kind: Annotated[Colour | None, Given] = None
    note: str | None = None
    title: Annotated[str | None, Text(10)] = None
    reference: Annotated[str, Code] = "A-1"
    parts: tuple[Part, ...] = ()
    extra: dict[str, Any] | None = None


class ListUnions(Query):
    union_ids: list[UUID]
    limit: int = 20


class Painter:
    def __init__(self, *_: Any) -> None:
        self.seen: list[Any] = []

    @handles(PaintUnion)
    def paint_union(self, command: PaintUnion) -> UUID:
        """R0.0: paints a union."""
        self.seen.append(command)
        return command.union_id

    @handles(ListUnions)
    def list_unions(self, query: ListUnions) -> list[UUID]:
        return list(query.union_ids)

    def run_command(self, call: Any) -> Any:
        return call()


def test_wire_arguments_become_typed_values() -> None:
    union, part_member = uuid4(), uuid4()
    command = decode(PaintUnion, (str(union), "2025-03-01", "red"),
                     {"parent_id": "", "title": "", "parts": [{"code": "A", "members": [str(part_member)],
                                                  "unknown": 1}], "note": ""})
    assert command == PaintUnion(union, date(2025, 3, 1), Colour.RED, parent_id=None, note="",
                                 parts=(Part("A", (part_member,)),))


@pytest.mark.parametrize(("arguments", "message", "field"), [
    ({"union_id": "x"}, "union_id is not a valid id", "union_id"),
    ({"on": "1 March"}, "on is not a date (YYYY-MM-DD)", "on"),
    ({"colour": "blue"}, "unknown colour 'blue'", "colour"),
    ({"final": "yes"}, "final must be true or false", "final"),
    ({"kind": ""}, "unknown kind ''", "kind"),
    ({"title": "x" * 11}, "title is longer than 10 characters", "title"),
    ({"title": "\x00"}, "title contains control or unassigned characters", "title"),
    ({"reference": "a b"}, "reference must be 1–64 letters, digits, '.', '_' or '-'", "reference"),
    ({"parts": {}}, "parts must be a list of objects", "parts"),
    ({"parts": [{"members": "x"}]}, "parts.members must be a list of ids", "parts.members"),
    ({"parts": [{"members": ["x"]}]}, "parts.members is not a valid id", "parts.members"),
])
def test_a_bad_value_is_refused_as_the_text_parsers_refuse_it(arguments: dict[str, Any],
                                                               message: str, field: str) -> None:
    given = {"union_id": str(uuid4()), "on": "2025-03-01", "colour": "red", **arguments}
    with pytest.raises(InvalidInput) as refused:
        decode(PaintUnion, (), given)
    assert (str(refused.value.message), refused.value.details["field"]) == (message, field)
    assert isinstance(refused.value, InvalidDate) == (field == "on")


def test_a_call_that_does_not_fit_the_declaration_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        decode(PaintUnion, (), {"union_id": str(uuid4())})
    with pytest.raises(TypeError):
        decode(ListUnions, ([],), {"colour": "red"})


def test_the_handler_takes_the_typed_value_or_the_wire_arguments() -> None:
    painter, union = Painter(), uuid4()
    typed = PaintUnion(union, date(2025, 3, 1), Colour.GREEN)
    assert painter.paint_union(typed) == union
    assert painter.paint_union(str(union), "2025-03-01", "green") == union
    assert painter.seen == [typed, typed]
    assert declared(Painter) == {"paint_union": PaintUnion, "list_unions": ListUnions}
    assert method_name(PaintUnion) == "paint_union"
    with pytest.raises(TypeError):
        handles(PaintUnion)(Painter.list_unions)
    assert wire([union, (union,), {"id": union}]) == [str(union), [str(union)], {"id": union}]


@entrypoints
class PainterService(EventSourcedService):
    name = "painter"
    app = ApplicationProvider(Painter)
    consumes = ("registry", "palette")


def test_each_declaration_gets_an_entrypoint_with_its_signature() -> None:
    command, query = vars(PainterService)["paint_union"], vars(PainterService)["list_unions"]
    assert list(inspect.signature(command).parameters)[:4] == ["self", "union_id", "on", "colour"]
    service = PainterService()
    service.app = Painter()  # type: ignore[assignment]
    union = uuid4()
    assert command(service, str(union), "2025-03-01", "red") == str(union)
    assert query(service, [str(union)]) == [str(union)]
    with pytest.raises(IncorrectSignature):
        command(service, str(union))
    assert getattr(query, "nameko_entrypoints", None)


def test_r5_3_each_upstream_consumed_gets_a_consumer_and_a_proxy() -> None:
    """A service names the upstreams it keeps facts of; each gets its inbox consumer (with
    retries and parking) and the RPC proxy the inbox pulls missed events through."""
    assert upstream_sources(PainterService) == ["palette", "registry"]
    assert isinstance(vars(PainterService)["palette"], RpcProxy)
    consumer = vars(PainterService)["on_registry_event"]
    assert [e.source for e in consumer.nameko_entrypoints] == ["registry"]
    received: list[tuple[str, Any]] = []

    def receive(source: str, message: Any, pull: Any) -> str:
        received.append((source, message))
        return "ok"

    service: Any = PainterService()
    service.app = Mock(receive=receive)
    service.registry = Mock()
    assert consumer(service, {"position": 1}) == "ok"
    assert received == [("registry", {"position": 1})]


def test_the_catalogue_reads_the_declared_types_as_the_wire_kinds() -> None:
    op = _operation("painter", "paint_union", vars(PainterService)["paint_union"], True, ("", ""))
    kinds = {p.name: (p.kind, p.required) for p in op.params}
    assert kinds == {"union_id": ("text", True), "on": ("text", True), "colour": ("text", True),
                     "final": ("boolean", False), "parent_id": ("text", False),
                     "kind": ("text", False), "note": ("text", False),
                     "title": ("text", False), "reference": ("text", False),
                     "parts": ("objects", False), "extra": ("object", False)}
    listing = _operation("painter", "list_unions", vars(PainterService)["list_unions"], False,
                         ("", ""))
    assert [(p.name, p.kind) for p in listing.params] == [("union_ids", "texts"),
                                                          ("limit", "integer")]
    assert listing.returns_list
