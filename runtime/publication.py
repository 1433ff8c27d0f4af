"""What a service publishes: which internal events become which published contract.

The relay and the ``notifications`` RPC both build envelopes here, so a message on the bus
and the same position pulled from the log are identical.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic

from runtime.contracts import Catalog, Envelope
from runtime.store import metadata_of


@dataclass(frozen=True)
class Rule:
    event_class: type
    name: str
    version: int
    payload: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Page:
    envelopes: list[Envelope]
    scanned_to: int | None  # the last log position looked at; resume after it
    complete: bool  # nothing more was in the log when this page was read

    def to_dict(self) -> dict[str, Any]:
        return {"envelopes": [e.to_dict() for e in self.envelopes],
                "scanned_to": self.scanned_to, "complete": self.complete}


class Publication:
    def __init__(self, source: str, rules: Iterable[Rule], catalog: Catalog | None = None) -> None:
        self.source = source
        self.catalog = catalog or Catalog.load()
        self._rules = {get_topic(rule.event_class): rule for rule in rules}
        for rule in self._rules.values():
            if not rule.name.startswith(source + "."):
                raise ValueError(f"{source} cannot publish {rule.name}")
            self.catalog.contract(rule.name, rule.version)  # the contract must exist

    @property
    def topics(self) -> list[str]:
        return list(self._rules)

    def envelope(self, notification: Notification, mapper: Mapper[Any],
                 previous_id: int | None) -> Envelope | None:
        """The published form of a notification, or None if it stays internal."""
        rule = self._rules.get(notification.topic)
        if rule is None:
            return None
        event = mapper.to_domain_event(notification)
        payload = rule.payload(event)
        self.catalog.check(rule.name, rule.version, payload)
        return Envelope(
            source=self.source,
            notification_id=notification.id,
            previous_id=previous_id,
            event_id=Envelope.event_id_for(notification.originator_id, notification.originator_version),
            name=rule.name,
            version=rule.version,
            originator_id=str(notification.originator_id),
            originator_version=notification.originator_version,
            meta=metadata_of(event),
            payload=payload,
        )

    def page(self, recorder: Any, mapper: Mapper[Any], after: int | None, limit: int = 100,
             stop: int | None = None, previous_id: int | None = None) -> Page:
        """Published envelopes after a position, read from the log (the source of truth).

        ``previous_id`` is the published position before ``after``, if the caller knows it,
        so the first envelope's ``previous_id`` is right too.
        """
        if not self._rules:
            return Page([], after, complete=True)
        notifications: Sequence[Notification] = recorder.select_notifications(
            start=after, limit=limit, stop=stop, topics=self.topics, inclusive_of_start=False)
        envelopes: list[Envelope] = []
        for notification in notifications:
            envelope = self.envelope(notification, mapper, previous_id)
            if envelope is not None:
                envelopes.append(envelope)
                previous_id = notification.id
        scanned_to = notifications[-1].id if notifications else after
        return Page(envelopes, scanned_to, complete=len(notifications) < limit)


def plain(value: Any) -> Any:
    """An event attribute as JSON carries it: ids and dates as text, lists item by item."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def fields(*names: str, key: str) -> Callable[[Any], dict[str, Any]]:
    """A payload of the originator's id (as ``key``) and the named event attributes."""

    def payload(event: Any) -> dict[str, Any]:
        data: dict[str, Any] = {key: str(event.originator_id)}
        data.update({name: plain(getattr(event, name)) for name in names})
        return data

    return payload
