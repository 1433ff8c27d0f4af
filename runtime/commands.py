"""Commands and queries declared once, as typed values, and decoded once, at the edge.

A service declares what it does in its own ``commands.py``: one frozen dataclass per command
(``class FoundUnion(Command)``, a dataclass by inheritance) or query (``class Tree(Query)``),
its fields typed with ``UUID``, ``date``, ``bool``, enumerations, lists and nested dataclasses.
An object, list of objects or map the domain reads itself is documented by a ``Shape`` (its
``TypedDict``), a plain text mark in ``Annotated`` being its description.
The application method that handles it is marked ``@handles(FoundUnion)`` and takes the typed
value; everything else is derived from the declaration:
- the nameko entrypoint of the same name (``runtime.adapter.entrypoints``), whose signature
  is the declaration's fields;
- the gateway's catalogue, HTTP routes, OpenAPI document and ``.proto`` messages, which read
  that signature (``gateway.catalogue``).

Wire values (JSON from RPC, a test, a file) are turned into the typed value here, by the
``runtime.text`` parsers every service already used, so each refusal keeps its code, message
and ``field``. Text marked ``Text(max_length)`` or ``Code`` is cleaned here too; other text,
numbers and free-form objects pass through as they are, for the domain to clean, since it
must refuse them the same way whoever calls it. An optional value that is parsed or cleaned
and given as empty text is taken as absent, as a form leaves it; ``Given`` marks the few
where empty text is refused instead.

Nothing here knows a service or does I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, TypeVar, Union, dataclass_transform, get_args, get_origin
from uuid import UUID

from runtime.errors import InvalidInput
from runtime.text import clean_code, clean_text, parse_choice, parse_date, parse_flag, parse_uuid


@dataclass_transform(frozen_default=True)
class Declared:
    """Base of every declaration: each subclass is a frozen dataclass of its fields."""

    changes_nothing: ClassVar[bool]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)


class Command(Declared):
    """A request to change something: served over RPC once per request id (R5.3), as a POST."""

    changes_nothing = False


class Query(Declared):
    """A question that changes nothing: served as a GET, open to read-only roles (R5.2)."""

    changes_nothing = True


class Given:
    """Marks an optional field (``Annotated[BodyKind | None, Given]``) whose empty text is
    refused like any other bad value, instead of being taken as absent."""


@dataclass(frozen=True)
class Text:
    """Marks text cleaned at the edge (``Annotated[str, Text(500)]``): trimmed, NFC, without
    control characters, at most ``max_length`` characters (``runtime.text.clean_text``)."""

    max_length: int

    def clean(self, value: object, field: str) -> str:
        return clean_text(value, field, self.max_length)


class Code:
    """Marks a natural key cleaned at the edge (``Annotated[str, Code]``): letters, digits,
    '.', '_' or '-' (``runtime.text.clean_code``)."""

    @staticmethod
    def clean(value: object, field: str) -> str:
        return clean_code(value, field)


@dataclass(frozen=True)
class Shape:
    """Says what is inside a value the domain reads and refuses itself (``Annotated[list[dict[str,
    Any]], Shape(list[Author])]``): objects as ``TypedDict`` classes (their keys, types,
    limits and which are required), maps as ``dict[str, X]`` with ``about`` saying what their
    keys are. Only the API's document reads it (``gateway.catalogue``); decoding passes the
    value as it is, so the domain's refusals keep their codes and fields."""

    of: Any
    about: str = ""  # "Vietnamese — English": what the value is, above all a map's keys


@dataclass(frozen=True)
class Bounds:
    """The range of a number inside a ``Shape`` (``Annotated[int, Bounds(0)]``), as the domain
    that reads it enforces; documentation only, like ``Shape``."""

    minimum: float | None = None
    maximum: float | None = None


Declaration = TypeVar("Declaration")
Result = TypeVar("Result")
Decoder = Callable[[object, str], Any]


def method_name(declaration: type) -> str:
    """The method that serves a declaration: ``FoundUnion`` -> ``found_union``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", declaration.__name__).lower()


@functools.cache
def hints(declaration: type) -> dict[str, Any]:
    """The declaration's field types, ``Annotated`` markers kept."""
    return typing.get_type_hints(declaration, include_extras=True)


@functools.cache
def signature(declaration: type) -> inspect.Signature:
    """The declaration's fields as a call signature: its wire form, in the declared order."""
    parameters = []
    for field in dataclasses.fields(declaration):
        default = field.default if field.default is not dataclasses.MISSING else \
            inspect.Parameter.empty
        parameters.append(inspect.Parameter(field.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                            default=default, annotation=hints(declaration)[field.name]))
    return inspect.Signature(parameters)


def decode(declaration: type[Declaration], args: tuple[Any, ...] = (),
           kwargs: dict[str, Any] | None = None) -> Declaration:
    """The typed value of wire arguments, bound as a call of the declaration's signature (a
    missing or unknown argument is a ``TypeError``, as for any call)."""
    kind: Any = declaration
    bound = signature(kind).bind(*args, **(kwargs or {}))
    bound.apply_defaults()
    return declaration(**{name: _decoder(hints(kind)[name])(value, name)
                          for name, value in bound.arguments.items()})


def _keep(value: object, field: str) -> object:
    return value


@functools.cache
def _decoder(hint: Any) -> Decoder:
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        base, marks = args[0], args[1:]
        cleaner = next((m.clean for m in marks if isinstance(m, Text) or m is Code), None)
        if type(None) not in get_args(base):
            return cleaner or _decoder(base)
        return _optional(cleaner or _decoder(_present(base)), empty_is_absent=Given not in marks)
    if origin in (Union, types.UnionType) and type(None) in args:
        return _optional(_decoder(_present(hint)), empty_is_absent=True)
    if hint is UUID:
        return parse_uuid
    if hint is date:
        return parse_date
    if hint is bool:
        return parse_flag
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return functools.partial(parse_choice, hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return functools.partial(_nested, hint)
    if origin in (list, tuple) and args and _decoder(args[0]) is not _keep:
        return functools.partial(_items, origin, args[0])
    return _keep


def _present(optional: Any) -> Any:
    (present,) = [m for m in get_args(optional) if m is not type(None)]
    return present


def _optional(inner: Decoder, empty_is_absent: bool) -> Decoder:
    """An optional value: None is absent and so, for what is parsed, is empty text."""
    absent_when_empty = empty_is_absent and inner is not _keep

    def optional(value: object, field: str) -> Any:
        if value is None or (absent_when_empty and value == ""):
            return None
        return inner(value, field)

    return optional


def _items(container: type, item: Any, value: object, field: str) -> Any:
    if not isinstance(value, list | tuple):
        what = "objects" if dataclasses.is_dataclass(item) else "ids" if item is UUID else "values"
        raise InvalidInput(f"{field} must be a list of {what}", {"field": field})
    return container(_decoder(item)(v, field) for v in value)


def _nested(declaration: type, value: object, field: str) -> Any:
    """An object within a declaration: its keys decoded by the nested dataclass, named
    ``<field>.<key>`` in a refusal; keys it does not declare are ignored."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be an object", {"field": field})
    names = {f.name for f in dataclasses.fields(declaration)}
    return declaration(**{name: _decoder(hints(declaration)[name])(v, f"{field}.{name}")
                          for name, v in value.items() if name in names})


def handles(declaration: type[Declaration]
            ) -> Callable[[Callable[[Any, Declaration], Result]], Callable[..., Result]]:
    """Marks the application method that serves a declaration. It is called with the typed
    value, or with the wire arguments (from its entrypoint, a test, an import), which are
    decoded here, once."""
    def decorate(method: Callable[[Any, Declaration], Result]) -> Callable[..., Result]:
        if method.__name__ != method_name(declaration):  # the wire name is the method's
            raise TypeError(f"{method.__name__} cannot serve {declaration.__name__}")

        @functools.wraps(method)
        def handler(self: Any, *args: Any, **kwargs: Any) -> Result:
            if len(args) == 1 and not kwargs and isinstance(args[0], declaration):
                return method(self, args[0])
            return method(self, decode(declaration, args, kwargs))

        handler.declaration = declaration  # type: ignore[attr-defined]
        return handler

    return decorate


def declared(application_class: type) -> dict[str, type]:
    """The declarations an application serves, by method name."""
    found = {}
    for name, member in inspect.getmembers(application_class, inspect.isfunction):
        declaration = getattr(member, "declaration", None)
        if declaration is not None:
            found[name] = declaration
    return found


def wire(value: Any) -> Any:
    """An answer as it travels: ids as text, in lists too; everything else as it is."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    return value
