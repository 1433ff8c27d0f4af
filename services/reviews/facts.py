"""What the reviews service knows a union achieved of its pledge (R2.3–R2.5): the initiatives'
published events (``contracts/events/initiatives.*``), kept as dated rows in the reviews store;
and (R2.5, ``AwardFacts``) the award decisions and nominations the awards service published,
which a union's annual review links to.

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


# --- R2.5: the awards' decisions and nominations an annual review links to ---------------------

AWARDS = sa.Table(
    "reviews_award_facts", metadata,
    sa.Column("award_id", sa.String(36), primary_key=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),  # the deciding union
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("form", sa.String(500), nullable=False),  # the form's title
    sa.Column("awardees", sa.JSON, nullable=False),  # [{subject, subject_id, name, achievement}]
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

NOMINATIONS = sa.Table(
    "reviews_nomination_facts", metadata,
    sa.Column("nomination_id", sa.String(36), primary_key=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),  # the nominating union
    sa.Column("to_union_id", sa.String(36), nullable=False),
    sa.Column("year", sa.Integer, nullable=False, index=True),
    sa.Column("subject", sa.String(20), nullable=False),
    sa.Column("subject_id", sa.String(36), nullable=False),
    sa.Column("form", sa.String(80), nullable=False),  # the form's code
    sa.Column("nominated_on", sa.Date, nullable=False),
    sa.Column("number", sa.String(64), nullable=True),
)


def _award_row(row: Any) -> dict[str, Any]:
    return {"award_id": row.award_id, "union_id": row.union_id, "year": row.year,
            "number": row.number, "decided_on": row.decided_on.isoformat(), "form": row.form,
            "awardees": list(row.awardees), "revoked": bool(row.revoked)}


def _nomination_row(row: Any) -> dict[str, Any]:
    return {"nomination_id": row.nomination_id, "union_id": row.union_id,
            "to_union_id": row.to_union_id, "year": row.year, "subject": row.subject,
            "subject_id": row.subject_id, "form": row.form,
            "nominated_on": row.nominated_on.isoformat(), "number": row.number}


class AwardFacts(UpstreamView):
    """R2.5: the award decisions and nominations the awards service published
    (``awards.award_decided``, ``awards.award_revoked``, ``awards.nominated``), kept by union
    and year, so that an annual review lists the rewards a union gave on its own authority
    and the proposals it sent upward by linking to them, never by retyping them."""

    metadata = metadata
    sources = ("awards",)

    def apply(self, connection: Any, events: Iterable[Any]) -> None:
        writer = Writer(connection)
        for e in events:
            if not isinstance(e, Envelope) or e.source != "awards":
                continue
            p = e.payload
            if e.name == "awards.award_decided":
                writer.insert(AWARDS, award_id=p["award_id"], event_id=e.event_id,
                              position=e.notification_id, union_id=p["union_id"],
                              year=int(p["year"]), number=p["number"],
                              decided_on=date.fromisoformat(p["decided_on"]),
                              form=p["form"]["title"], revoked=False,
                              awardees=[{k: a[k] for k in ("subject", "subject_id", "name",
                                                           "achievement")}
                                        for a in p["awardees"]])
            elif e.name == "awards.award_revoked":
                writer.flush()
                connection.execute(AWARDS.update().where(AWARDS.c.award_id == p["award_id"])
                                   .values(revoked=True))
            elif e.name == "awards.nominated":
                writer.insert(NOMINATIONS, nomination_id=p["nomination_id"],
                              event_id=e.event_id, position=e.notification_id,
                              union_id=p["union_id"], to_union_id=p["to_union_id"],
                              year=int(p["year"]), subject=p["subject"],
                              subject_id=p["subject_id"], form=p["form"],
                              nominated_on=date.fromisoformat(p["nominated_on"]),
                              number=(p.get("decision") or {}).get("number"))
        writer.flush()

    def award(self, award_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(AWARDS).where(AWARDS.c.award_id == award_id)).first()
        return _award_row(row) if row is not None else None

    def nomination(self, nomination_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(NOMINATIONS).where(
                NOMINATIONS.c.nomination_id == nomination_id)).first()
        return _nomination_row(row) if row is not None else None

    def decided_by(self, union_id: UUID, year: int) -> list[dict[str, Any]]:
        """R2.5: the award decisions the union made on its own authority for the year."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(AWARDS).where(
                AWARDS.c.union_id == str(union_id), AWARDS.c.year == year,
            ).order_by(AWARDS.c.decided_on, AWARDS.c.number)).all()
        return [_award_row(r) for r in rows]

    def proposed_by(self, union_id: UUID, year: int) -> list[dict[str, Any]]:
        """R2.5: the nominations the union proposed one level up for the year."""
        t = NOMINATIONS
        with self.engine.connect() as c:
            rows = c.execute(sa.select(t).where(
                t.c.union_id == str(union_id), t.c.year == year,
                t.c.to_union_id != t.c.union_id,
            ).order_by(t.c.nominated_on, t.c.nomination_id)).all()
        return [_nomination_row(r) for r in rows]
