"""Tamper evidence for a service's store: a hash chain over its notification log (R5.1).

Every stored event gets a link, written in the same transaction as the event (on PostgreSQL
under the library's lock of the events table, on SQLite under its single writer), so the
links follow the log's order exactly:

    link(n) = SHA-256(link(previous) ‖ n ‖ originator id ‖ version ‖ topic ‖ state)

A row of the log that is altered (one byte of its state, its topic, its version), removed,
forged (inserted by hand: it has no link) or moved (two rows swapped) breaks the chain there,
and ``verify`` names the first position where it breaks. Rewriting the links after tampering
makes them agree again, which is why an auditor keeps ``checkpoint``s (position and link)
outside the system, and why the system publishes its own, signed, where the stores'
administrator cannot rewrite them (``runtime.checkpoints``): ``verify(checkpoints=…)`` also
checks that the log still leads to each.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from eventsourcing.persistence import StoredEvent

GENESIS = "0" * 64
BATCH = 1000  # events between two reports of progress (``verify``)


def link(previous: str, position: int, originator_id: Any, version: int, topic: str,
         state: bytes) -> str:
    digest = hashlib.sha256(bytes.fromhex(previous))
    digest.update(position.to_bytes(8, "big"))
    digest.update(str(originator_id).encode("ascii"))
    digest.update(version.to_bytes(8, "big", signed=True))
    digest.update(topic.encode("utf-8") + b"\0")
    digest.update(bytes(state))
    return digest.hexdigest()


@dataclass(frozen=True)
class Break:
    position: int
    kind: str  # altered | removed | inserted | truncated | checkpoint_mismatch

    def to_dict(self) -> dict[str, Any]:
        return {"position": self.position, "kind": self.kind}


class Chain:
    """The links of one store, in ``<events table>_chain``."""

    def __init__(self, events_table: sa.Table) -> None:
        self.events = events_table
        self.table = sa.Table(
            f"{events_table.name}_chain", sa.MetaData(),
            sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("link", sa.String(64), nullable=False))

    def create(self, connection: Any) -> None:
        self.table.create(connection, checkfirst=True)

    def append(self, session: Any, positions: Sequence[int],
               stored_events: Sequence[StoredEvent]) -> None:
        """Links the events just inserted, in the caller's transaction."""
        if not positions:
            return
        last = session.execute(sa.select(self.table.c.link)
                               .order_by(self.table.c.position.desc()).limit(1)).scalar()
        previous, rows = last or GENESIS, []
        for position, event in sorted(zip(positions, stored_events, strict=True),
                                      key=lambda pair: pair[0]):
            previous = link(previous, position, event.originator_id, event.originator_version,
                            event.topic, event.state)
            rows.append({"position": position, "link": previous})
        session.execute(self.table.insert(), rows)

    def backfill(self, connection: Any) -> int:
        """Links a log written before the chain existed (first start after the upgrade)."""
        if connection.execute(sa.select(self.table.c.position).limit(1)).first() is not None:
            return 0
        previous, count, batch = GENESIS, 0, []
        for row in self._rows(connection):
            previous = link(previous, row.id, row.originator_id, row.originator_version,
                            row.topic, row.state)
            batch.append({"position": row.id, "link": previous})
            if len(batch) >= 1000:
                connection.execute(self.table.insert(), batch)
                count, batch = count + len(batch), []
        if batch:
            connection.execute(self.table.insert(), batch)
            count += len(batch)
        return count

    def _rows(self, connection: Any, page: int = 5000) -> Iterator[Any]:
        after = -1
        while True:
            rows = connection.execute(sa.select(self.events).where(self.events.c.id > after)
                                      .order_by(self.events.c.id).limit(page)).all()
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1].id

    def _links(self, connection: Any, page: int = 5000) -> Iterator[Any]:
        after = -1
        while True:
            rows = connection.execute(sa.select(self.table).where(self.table.c.position > after)
                                      .order_by(self.table.c.position).limit(page)).all()
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1].position

    def checkpoint(self, connection: Any) -> dict[str, Any]:
        """The head of the chain: what an auditor copies out of the system and keeps."""
        row = connection.execute(sa.select(self.table).order_by(
            self.table.c.position.desc()).limit(1)).first()
        return {"position": row.position if row else 0, "link": row.link if row else GENESIS}

    def position_of(self, connection: Any, originator_id: Any, version: int
                    ) -> dict[str, Any] | None:
        """Where one event stands in the chain: its position and the link there (a signed
        decision's verification code names them)."""
        row = connection.execute(
            sa.select(self.events.c.id, self.table.c.link)
            .join(self.table, self.table.c.position == self.events.c.id)
            .where(self.events.c.originator_id == originator_id,
                   self.events.c.originator_version == version)).first()
        return {"position": row.id, "link": row.link} if row else None

    def proof(self, connection: Any, position: int, to: int | None = None) -> dict[str, Any]:
        """What an auditor needs to check offline that the event at ``position`` is in the
        chain and leads to a later checkpoint (``to``, the head by default): the link before
        it and every event from it on, each with its link (``runtime.documents.verify``)."""
        before = connection.execute(sa.select(self.table.c.link).where(
            self.table.c.position < position).order_by(self.table.c.position.desc()).limit(1)
        ).scalar()
        query = (sa.select(self.events.c.id, self.events.c.originator_id,
                           self.events.c.originator_version, self.events.c.topic,
                           self.events.c.state, self.table.c.link)
                 .join(self.table, self.table.c.position == self.events.c.id)
                 .where(self.events.c.id >= position).order_by(self.events.c.id))
        if to is not None:
            query = query.where(self.events.c.id <= to)
        return {"previous": before or GENESIS, "events": [
            {"position": row.id, "originator_id": str(row.originator_id),
             "version": row.originator_version, "topic": row.topic,
             "state": bytes(row.state).hex(), "link": row.link}
            for row in connection.execute(query)]}

    def verify(self, connection: Any, checkpoints: Iterable[Mapping[str, Any]] = (),
               progress: Callable[[int, int | None], None] | None = None) -> dict[str, Any]:
        """Recomputes the chain over the whole log; the first break, if any, by position.
        ``progress(checked, total)`` is told how far it has come every ``BATCH`` events (a
        job's heartbeat: it may stop the work there, ``runtime.jobs``)."""
        if progress is not None:
            total = connection.execute(sa.select(sa.func.count()).select_from(self.events)).scalar()
            progress(0, int(total or 0))
        expected: dict[int, set[str]] = {}  # a position published twice must hold both
        for c in checkpoints:
            if int(c["position"]) > 0:  # the head of an empty log proves nothing
                expected.setdefault(int(c["position"]), set()).add(str(c["link"]))
        events, links = self._rows(connection), self._links(connection)
        event, stored = next(events, None), next(links, None)
        previous, checked, last = GENESIS, 0, 0
        while event is not None or stored is not None:
            if event is not None and (stored is None or event.id < stored.position):
                return self._broken(Break(event.id, "inserted"), checked)
            if stored is not None and (event is None or stored.position < event.id):
                return self._broken(Break(stored.position, "removed"), checked)
            assert event is not None and stored is not None
            previous = link(previous, event.id, event.originator_id, event.originator_version,
                            event.topic, event.state)
            if previous != stored.link:
                return self._broken(Break(event.id, "altered"), checked)
            if event.id in expected and expected.pop(event.id) != {previous}:
                return self._broken(Break(event.id, "checkpoint_mismatch"), checked)
            checked, last = checked + 1, event.id
            if progress is not None and checked % BATCH == 0:
                progress(checked, None)
            event, stored = next(events, None), next(links, None)
        if expected:  # a checkpoint beyond what is left, or at a position that is gone
            position = min(expected)
            return self._broken(Break(position, "truncated" if position > last else "removed"),
                                checked)
        if progress is not None:
            progress(checked, checked)
        return {"ok": True, "checked": checked, "head": {"position": last, "link": previous}}

    @staticmethod
    def _broken(found: Break, checked: int) -> dict[str, Any]:
        return {"ok": False, "checked": checked, "break": found.to_dict()}
