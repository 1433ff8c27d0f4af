"""Every command and query the gateway serves, read from the services' own RPC entrypoints.

The nameko service classes are the index of what each service does (``services/*/service.py``):
``@rpc`` marks a command, ``@query`` a query; most are derived from the commands and queries a
service declares (``services/*/commands.py``, ``runtime.commands``), and their signatures carry
the declared types (ids, dates and choices travel as text). The gateway reads the signatures
once, so the HTTP routes, the OpenAPI document and the gRPC contracts cannot drift from the
services: a new entrypoint appears everywhere, a removed one disappears (R5.2). What is internal to the
system (the notification log, the catch-up position) is left out.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, is_typeddict
from uuid import UUID

from gateway.limits import LIST_MAX
from gateway.messages import field_labels
from runtime.commands import Bounds, Shape, Text
from runtime.paging import Page
from runtime.services import SERVICES
from runtime.trail import AuditQueries

AUDIT_SERVICE = "audit"  # served by the gateway itself, over the services' audit queries

# What stays inside the system: the log and positions (relays, consumers), liveness (the
# gateway's own /ready), record versions (the gateway's ETags) and what the audit trail
# follows through each service's records (the gateway's own audit functions).
INTERNAL = {"notifications", "processed", "known_union", "health", "version",
            "trail_links"}
# The public register's queries (``public_*``, Law 06/2022/QH15) are served by the gateway's
# public router alone (``gateway.public``), without a token: no signed-in route, no gRPC call.
PUBLIC_PREFIX = "public_"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # text | integer | number | boolean | texts | object | objects | any
    required: bool
    default: Any = None
    # the value as the API's document describes it (``schema``): its type, the keys of an
    # object, the items of a list, limits and the Vietnamese/English description
    schema: Mapping[str, Any] = dataclasses.field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    command: bool
    params: tuple[Param, ...]
    summary: str
    returns_list: bool = False
    returns_page: bool = False  # the service pages the list itself (runtime.paging.Page)
    details: str = ""  # the docstring's later paragraphs (Markdown), for the API's reader
    returns: Any = dataclasses.field(default=None, compare=False)  # the declared answer type

    @property
    def listing(self) -> str | None:
        """How a query's list is paged, if it answers one: ``page`` by the service itself
        (its own ``offset`` and ``limit``), ``whole`` answered whole and paged by the
        gateway, ``capped`` the first ``limit`` matches of a search. Every list answers
        one shape, ``{items, total, offset, limit}`` (``runtime.paging``)."""
        if self.command:
            return None
        if self.returns_page:
            return "page"
        if self.returns_list:
            return "capped" if self.param("limit") is not None else "whole"
        return None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def name(self) -> str:
        return f"{self.service}.{self.method}"

    @property
    def path(self) -> str:
        return f"/v1/{self.service}/{self.method.replace('_', '-')}"


def _kind(annotation: Any) -> tuple[str, bool]:
    """The JSON kind of a parameter's annotation, and whether None is allowed."""
    optional = False
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(members) != len(get_args(annotation))
        annotation = members[0] if len(members) == 1 else Any
        origin = get_origin(annotation)
    if _text(annotation):
        return "text", optional
    if annotation is bool:
        return "boolean", optional
    if annotation is int:
        return "integer", optional
    if annotation is float:
        return "number", optional
    if origin in (list, tuple):
        (item,) = get_args(annotation)[:1] or (Any,)
        return ("texts" if _text(item) else "objects"), optional
    if origin in (dict, Mapping) or annotation in (dict, Mapping) or \
            dataclasses.is_dataclass(annotation):
        return "object", optional
    return "any", optional


def _text(annotation: Any) -> bool:
    """Whether a value travels as text: text itself, an id, a date or a choice."""
    return annotation in (str, UUID, date) or (
        isinstance(annotation, type) and issubclass(annotation, StrEnum))


# --- the document's schema of a declared value ------------------------------------------------

def describe(name: str) -> str:
    """A field's label in both languages, "Vietnamese — English" (``contracts/errors/fields.json``),
    or "" when the dictionary does not know the name."""
    found = field_labels()["fields"].get(name)
    return f"{found['vi']} — {found['en']}" if found else ""


def schema(hint: Any, name: str = "") -> dict[str, Any]:
    """The JSON schema of a declared type, for the API's document: ids, dates and choices as
    formatted text, numbers with their ``Bounds``, text with its ``Text`` limit, lists of at
    most ``LIST_MAX`` items, objects (``TypedDict``) with each key typed, maps with their
    values typed; a ``Shape`` says what a free-form value holds, a text mark describes it.
    ``name`` gives the field's label (``describe``) when nothing else describes it."""
    origin, args = get_origin(hint), get_args(hint)
    about: list[str] = []
    found: dict[str, Any]
    if origin is Annotated:
        base, marks = args[0], args[1:]
        shape = next((m for m in marks if isinstance(m, Shape)), None)
        found = schema(shape.of if shape else base)
        for mark in marks:
            if isinstance(mark, Text):
                _limit(found, "maxLength", mark.max_length)
            elif isinstance(mark, Bounds):
                found.update({k: v for k, v in (("minimum", mark.minimum),
                                                ("maximum", mark.maximum)) if v is not None})
            elif isinstance(mark, str):
                about.append(mark)
        if shape is not None and shape.about:
            about.append(shape.about)
        if shape is not None and type(None) in get_args(base):
            found = {"anyOf": [found, {"type": "null"}]}
    elif origin in (Union, types.UnionType):
        members = [schema(a) for a in args if a is not type(None)]
        found = members[0] if len(members) == 1 else {"anyOf": members}
        if type(None) in args:
            found = {"anyOf": [*found.get("anyOf", [found]), {"type": "null"}]}
    elif origin is Literal:
        found = {"type": "string", "enum": list(args)}
    elif hint is UUID:
        found = {"type": "string", "format": "uuid"}
    elif hint is date:
        found = {"type": "string", "format": "date"}
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        found = {"type": "string", "enum": [m.value for m in hint]}
    elif hint in (str, bool, int, float):
        found = {"type": {str: "string", bool: "boolean", int: "integer", float: "number"}[hint]}
    elif origin in (list, tuple, collections.abc.Sequence):
        found = {"type": "array", "items": schema(args[0]) if args else {}, "maxItems": LIST_MAX}
    elif origin in (dict, Mapping, collections.abc.Mapping):
        key, value = args or (str, Any)
        found = {"type": "object", "additionalProperties": schema(value)}
        if key is UUID:
            found["propertyNames"] = {"format": "uuid"}
    elif is_typeddict(hint):
        found = _object(hint)
    else:
        found = {}
    if name and not about and "description" not in found:
        about.append(describe(name))
    if any(about):
        found["description"] = " ".join(a for a in about if a)
    return found


def _limit(found: dict[str, Any], key: str, value: int) -> None:
    for option in found.get("anyOf", [found]):
        if option.get("type") == "string":
            option[key] = value


def _object(declared: Any) -> dict[str, Any]:
    """A ``TypedDict`` as an object schema: each key typed and described, the required ones
    listed. Keys it does not name are not refused: the domain ignores them."""
    hints = typing.get_type_hints(declared, include_extras=True)
    # read from the hints, not ``__required_keys__``: under ``from __future__ import
    # annotations`` Python 3.11 cannot see ``NotRequired`` when it makes the class
    required, properties = set(), {}
    for key, hint in hints.items():
        marked = get_origin(hint)
        if marked is typing.Required or (marked is not typing.NotRequired and declared.__total__):
            required.add(key)
        while get_origin(hint) in (typing.Required, typing.NotRequired):
            hint = get_args(hint)[0]
        properties[key] = schema(hint, key)
    found: dict[str, Any] = {"type": "object", "title": declared.__name__,
                             "properties": properties,
                             "required": [k for k in hints if k in required]}
    if declared.__doc__ and not declared.__doc__.startswith(declared.__name__ + "("):
        found["description"] = " ".join(declared.__doc__.split())
    return found


SUMMARY_MAX = 160  # characters: the one line Swagger UI and the .proto comments show


def _documented(owner: Any, method: str) -> tuple[str, str]:
    """The method's docstring as the API's reader sees it: a summary (its first paragraph,
    or that paragraph's first sentence when it is long) and the rest (Markdown)."""
    doc = inspect.getdoc(getattr(owner, method, None)) or ""
    paragraphs = [" ".join(p.split()) for p in doc.split("\n\n") if p.strip()]
    if not paragraphs:
        return method.replace("_", " "), ""
    first = paragraphs[0]
    if len(first) <= SUMMARY_MAX:
        return first, "\n\n".join(paragraphs[1:])
    end = first.find(". ", 40)
    summary = first[:end + 1] if 0 < end < SUMMARY_MAX else first[:SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
    return summary, "\n\n".join(paragraphs)


@cache
def operations() -> tuple[Operation, ...]:
    from runtime.adapter import DomainRpc, QueryRpc  # the nameko side, imported on demand

    found = []
    for name, spec in SERVICES.items():
        service_class = spec.service_class()
        for method, function in inspect.getmembers(service_class, inspect.isfunction):
            entrypoints = getattr(function, "nameko_entrypoints", ())
            rpc = next((e for e in entrypoints if isinstance(e, DomainRpc)), None)
            if rpc is None or method in INTERNAL or method.startswith(PUBLIC_PREFIX):
                continue
            found.append(_operation(name, method, function, not isinstance(rpc, QueryRpc),
                                    _documented(spec.application_class(), method)))
    # The audit functions that span the services run in the gateway itself (runtime.trail).
    for method, function in inspect.getmembers(AuditQueries, inspect.isfunction):
        if not method.startswith("_"):
            found.append(_operation(AUDIT_SERVICE, method, function, False,
                                    _documented(AuditQueries, method)))
    return tuple(sorted(found, key=lambda o: (o.service, o.method)))


def _operation(service: str, method: str, function: Any, command: bool,
               documented: tuple[str, str]) -> Operation:
    """An operation from a function's signature and type hints (the first argument is self)."""
    hints = typing.get_type_hints(function)
    marked = typing.get_type_hints(function, include_extras=True)
    params = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        kind, optional = _kind(hints.get(parameter.name, Any))
        required = parameter.default is inspect.Parameter.empty
        params.append(Param(parameter.name, kind, required and not optional,
                            None if required else parameter.default,
                            schema(marked.get(parameter.name, Any), parameter.name)))
    returns = hints.get("return")
    summary, details = documented
    return Operation(service, method, command, tuple(params), summary,
                     get_origin(returns) is list or returns is list, returns is Page, details,
                     returns)


def operation(service: str, method: str) -> Operation | None:
    return next((o for o in operations() if o.service == service and o.method == method), None)
