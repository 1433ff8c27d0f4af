"""What the reviews service knows a union achieved of its pledge (R2.3–R2.5): the initiatives'
published events (``contracts/events/initiatives.*``), kept as dated rows in the reviews store.

A pledge commits to targets of the kinds the rule book names (``pledge_target_kinds``); a
kind whose ``counted`` names an initiatives event is counted here, for the union and the
period under review: ``initiatives.registered/initiative`` the initiatives registered with
the union, ``…/topic`` its topics, ``initiatives.recognised`` those its executive committee
recognised (the decision's authority), ``initiatives.replicated`` the recognised initiatives
it adopted (R3.8). A kind with no ``counted`` (members trained) is known only from the
union's own self-assessment. The rows are written in the same transaction as the tracking
record of the notification that brought them (``ServiceApplication.upstream_views``), so an
event is counted once however often it arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from runtime.contracts import Envelope
from runtime.readmodel import UpstreamView, Writer

metadata = sa.MetaData()

ACHIEVEMENTS = sa.Table(
    "reviews_initiative_facts", metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("counted", sa.String(80), nullable=False, index=True),  # as the rule book names it
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("initiative_id", sa.String(36), nullable=False),
    sa.Column("on", sa.Date, nullable=False, index=True),
)


def _counted(e: Envelope) -> tuple[str, str, date] | None:
    """What one initiatives event counts for: (counted name, union, date), or None."""
    p = e.payload
    if e.name == "initiatives.registered":
        return (f"initiatives.registered/{p['kind']}", p["union_id"],
                date.fromisoformat(p["registered_on"]))
    if e.name == "initiatives.recognised":
        decision = p["decision"]
        return ("initiatives.recognised", decision["authority"]["union_id"],
                date.fromisoformat(decision["decided_on"]))
    if e.name == "initiatives.replicated":
        return "initiatives.replicated", p["union_id"], date.fromisoformat(p["adopted_on"])
    return None


class InitiativeFacts(UpstreamView):
    """The initiatives' published events a pledge's targets are counted from (an upstream
    view of the reviews service)."""

    metadata = metadata
    sources = ("initiatives",)

    def apply(self, connection: Any, events: Iterable[Any]) -> None:
        writer = Writer(connection)
        for envelope in events:
            if isinstance(envelope, Envelope) and envelope.source == "initiatives":
                found = _counted(envelope)
                if found is not None:
                    counted, union_id, on = found
                    writer.insert(ACHIEVEMENTS, event_id=envelope.event_id,
                                  position=envelope.notification_id, counted=counted,
                                  union_id=union_id,
                                  initiative_id=envelope.payload["initiative_id"], on=on)
        writer.flush()

    def counts(self, union_id: UUID, start: date, end: date) -> dict[str, int]:
        """How many of each counted kind the union achieved between two dates (inclusive)."""
        t = ACHIEVEMENTS
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(t.c.counted, sa.func.count()).where(
                    t.c.union_id == str(union_id), t.c.on >= start, t.c.on <= end,
                ).group_by(t.c.counted)).all()
        return {str(counted): int(n) for counted, n in rows}
