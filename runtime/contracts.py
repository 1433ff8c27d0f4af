"""Published (integration) events: their envelope, their contracts and their upcasting.

Contracts live in ``contracts/events/<name>.v<version>.json`` as JSON Schemas. A published
contract never changes: a change adds ``<name>.v<n+1>.json`` plus an upcaster from v<n> in
``contracts/upcasters.py``, and readers upcast whatever version they receive to the newest.
The envelope every message travels in is ``contracts/envelope.schema.json``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import fastjsonschema

from runtime.errors import MalformedMessage, UnknownContract

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"
_FILE = re.compile(r"^(?P<name>[a-z_]+\.[a-z_]+)\.v(?P<version>[1-9][0-9]*)\.json$")

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Envelope:
    """One published event as it travels on the bus and as a consumer receives it."""

    source: str  # the publishing service
    notification_id: int  # position in the source's notification log
    previous_id: int | None  # the previous published position, for gap detection
    event_id: str
    name: str
    version: int
    originator_id: str
    originator_version: int
    meta: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> Envelope:
        if isinstance(data, (bytes, str)):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise MalformedMessage("the message is not JSON", {"error": str(exc)}) from exc
        errors = _errors(_envelope_validator(), data)
        if errors:
            raise MalformedMessage("the message is not an event envelope", {"errors": errors})
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    @staticmethod
    def event_id_for(originator_id: object, originator_version: int) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"emulation-event:{originator_id}:{originator_version}"))


# JSON Schema draft-07, compiled to Python by fastjsonschema (an order of magnitude faster than
# interpreting the schema on every message). Formats are checked, uuid included.
FORMATS = {"uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}
Validator = Callable[[Any], Any]


def compile_schema(schema: Mapping[str, Any]) -> Validator:
    return fastjsonschema.compile(dict(schema), formats=FORMATS)


def _errors(validator: Validator, data: Any) -> list[str]:
    try:
        validator(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        return [exc.message]
    return []


_envelope_schema_validator: Validator | None = None


def _envelope_validator() -> Validator:
    global _envelope_schema_validator
    if _envelope_schema_validator is None:
        schema = json.loads((CONTRACTS_DIR / "envelope.schema.json").read_text("utf-8"))
        _envelope_schema_validator = compile_schema(schema)
    return _envelope_schema_validator


@dataclass(frozen=True)
class Contract:
    name: str
    version: int
    schema: Mapping[str, Any]
    validator: Validator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "validator", compile_schema(self.schema))

    def errors(self, payload: Any) -> list[str]:
        return _errors(self.validator, payload)


class Catalog:
    """The contracts a process knows, and how to bring an old version up to date."""

    def __init__(self, contracts: Iterable[Contract],
                 upcasters: Mapping[tuple[str, int], Upcaster] | None = None) -> None:
        self._contracts = {(c.name, c.version): c for c in contracts}
        self._upcasters = dict(upcasters or {})
        for (name, version) in self._upcasters:
            if (name, version + 1) not in self._contracts:
                raise ValueError(f"upcaster from {name} v{version} has no v{version + 1} contract")

    @classmethod
    def load(cls, directory: Path = CONTRACTS_DIR) -> Catalog:
        from contracts.upcasters import UPCASTERS

        contracts = []
        for path in sorted((directory / "events").glob("*.json")):
            match = _FILE.match(path.name)
            if not match:
                raise ValueError(f"contract file {path.name} is not named <source>.<event>.v<n>.json")
            contracts.append(Contract(match["name"], int(match["version"]),
                                      json.loads(path.read_text("utf-8"))))
        return cls(contracts, UPCASTERS)

    def contract(self, name: str, version: int) -> Contract:
        try:
            return self._contracts[(name, version)]
        except KeyError:
            raise UnknownContract(f"no contract {name} v{version}",
                                  {"name": name, "version": version}) from None

    def latest_version(self, name: str) -> int:
        versions = [v for (n, v) in self._contracts if n == name]
        if not versions:
            raise UnknownContract(f"no contract named {name}", {"name": name})
        return max(versions)

    def check(self, name: str, version: int, payload: Any) -> None:
        errors = self.contract(name, version).errors(payload)
        if errors:
            raise MalformedMessage(f"payload does not match {name} v{version}",
                                   {"name": name, "version": version, "errors": errors[:5]})

    def upcast(self, envelope: Envelope) -> Envelope:
        """Validates the envelope's payload and brings it to the newest version."""
        self.check(envelope.name, envelope.version, envelope.payload)
        latest = self.latest_version(envelope.name)
        payload, version = dict(envelope.payload), envelope.version
        while version < latest:
            upcaster = self._upcasters.get((envelope.name, version))
            if upcaster is None:
                raise UnknownContract(f"no upcaster for {envelope.name} v{version}")
            payload, version = upcaster(payload), version + 1
            self.check(envelope.name, version, payload)
        return replace(envelope, version=version, payload=payload)
