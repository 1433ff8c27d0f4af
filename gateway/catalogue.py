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

import dataclasses
import inspect
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Union, get_args, get_origin
from uuid import UUID

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
            application = spec.application_class()  # what it does is said there, if it is
            found.append(_operation(name, method, function, not isinstance(rpc, QueryRpc),
                                    _documented(application if hasattr(application, method)
                                                else service_class, method)))
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
    params = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        kind, optional = _kind(hints.get(parameter.name, Any))
        required = parameter.default is inspect.Parameter.empty
        params.append(Param(parameter.name, kind, required and not optional,
                            None if required else parameter.default))
    returns = hints.get("return")
    summary, details = documented
    return Operation(service, method, command, tuple(params), summary,
                     get_origin(returns) is list or returns is list, returns is Page, details)


def operation(service: str, method: str) -> Operation | None:
    return next((o for o in operations() if o.service == service and o.method == method), None)
