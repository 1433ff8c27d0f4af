"""The registry's read model: the rows every other service keeps of its facts
(``contracts/registry/facts.py``), kept here from its own events, each given as the payload
it is published with (``published.py``) plus the personal details only the registry keeps.
Written in the same transaction as the events (``runtime.readmodel``); rebuilt from the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Connection

from contracts.registry.facts import Fact, RegistryProjection, RegistryTables
from runtime.publication import plain
from services.registry.domain import Person
from services.registry.published import RULES

OWN = RegistryTables("registry")  # the registry's own read model
metadata = OWN.metadata

_RULES = {rule.event_class: rule for rule in RULES}


def published_fact(event: Any) -> Fact | None:
    """The event as the registry publishes it, with the personal details it keeps unpublished."""
    rule = _RULES.get(type(event))
    if rule is None:
        return None
    payload = rule.payload(event)
    if isinstance(event, Person.Registered):  # type: ignore[attr-defined]
        payload.update(birth_date=plain(event.birth_date), gender=event.gender)
    return Fact(rule.name, payload)


class RegistryReadModel(RegistryProjection):
    t = OWN
    metadata = OWN.metadata

    def apply(self, connection: Connection, events: Iterable[Any]) -> None:
        super().apply(connection, (f for f in map(published_fact, events) if f is not None))
