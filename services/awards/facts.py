"""The movement as awards knows it: the initiatives' and reviews' published events, kept as
dated facts in the awards store, and the criteria of R4.1 and R4.2 judged from them.

Awards does not ask the other services whether a union launched the movement or whether an
initiative was recognised: it keeps their published events (``contracts/events/
initiatives.*``, ``reviews.*``) as rows, written in the same transaction as the tracking
record of the notification that brought them (``ServiceApplication.upstream_views``), so a
fact is kept once however often it arrives, and every criterion names the events (by their
``event_id``) that are its evidence. A fact dated after the evaluation's date is not used:
an evaluation as of D sees the movement as it stood on D.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from contracts.registry.facts import Authority
from runtime.contracts import Envelope
from runtime.readmodel import UpstreamView, Writer
from services.awards.domain import Subject

metadata = sa.MetaData()

FACTS = sa.Table(
    "awards_movement_facts", metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("name", sa.String(80), nullable=False, index=True),
    sa.Column("union_id", sa.String(36), index=True),
    sa.Column("subject_id", sa.String(36), index=True),  # the initiative, the classification…
    sa.Column("year", sa.Integer, index=True),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
)
INITIATIVES = sa.Table(
    "awards_movement_initiatives", metadata,
    sa.Column("initiative_id", sa.String(36), primary_key=True),
    sa.Column("union_id", sa.String(36), nullable=False, index=True),
    sa.Column("reference", sa.String(64), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
)
AUTHORS = sa.Table(
    "awards_movement_authors", metadata,
    sa.Column("initiative_id", sa.String(36), primary_key=True),
    sa.Column("person_id", sa.String(36), primary_key=True, index=True),
)

# The date each published event happened on: the decision's date for decisions.
_DATES = ("registered_on", "launched_on", "held_on", "signed_on", "classified_on",
          "corrected_on", "adopted_on", "flagged_on", "on")


def _day(envelope: Envelope) -> date:
    payload = envelope.payload
    for key in _DATES:
        if payload.get(key):
            return date.fromisoformat(payload[key])
    for nested, key in (("decision", "decided_on"), ("report", "reported_on"),
                        ("result", "reported_on")):
        value = (payload.get(nested) or {}).get(key)
        if value:
            return date.fromisoformat(value)
    return date.fromisoformat(envelope.meta["effective_at"][:10])


class MovementFacts(UpstreamView):
    """The initiatives' and reviews' published events as dated rows (an upstream view)."""

    metadata = metadata
    sources = ("initiatives", "reviews")

    def apply(self, connection: Any, events: Iterable[Any]) -> None:
        writer = Writer(connection)
        for envelope in events:
            if isinstance(envelope, Envelope) and envelope.source in ("initiatives", "reviews"):
                self._keep(envelope, writer)
        writer.flush()

    def _keep(self, e: Envelope, writer: Writer) -> None:
        payload, on = e.payload, _day(e)
        union_id, subject_id = payload.get("union_id"), payload.get("initiative_id")
        if e.name == "initiatives.registered":
            writer.insert(INITIATIVES, initiative_id=subject_id, union_id=union_id,
                          reference=payload["reference"], name=payload["name"],
                          kind=payload["kind"])
            for author in payload["authors"]:
                writer.insert(AUTHORS, initiative_id=subject_id, person_id=author["person_id"])
        elif e.source == "initiatives" and e.name != "initiatives.replicated":
            subject_id = subject_id or payload.get("replication_id")
            union_id = writer.execute(sa.select(INITIATIVES.c.union_id).where(
                INITIATIVES.c.initiative_id == subject_id)).scalar()
        if e.source == "reviews":
            subject_id = payload.get("classification_id") or payload.get("review_id")
        year = payload.get("year")
        if year is None and payload.get("period"):
            year = int(str(payload["period"])[:4])
        writer.insert(FACTS, event_id=e.event_id, position=e.notification_id, name=e.name,
                      union_id=union_id, subject_id=subject_id,
                      year=year if year is not None else on.year, on=on, payload=payload)


def _evidence(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"event_id": r.event_id, "name": r.name, "on": r.on.isoformat()} for r in rows]


def criterion(definition: Mapping[str, Any], met: bool, explanation: str,
              evidence: list[dict[str, Any]], missing: list[str] | None = None) -> dict[str, Any]:
    return {"code": definition["code"], "title": definition["title"],
            "requirement": definition["requirement"], "met": met, "explanation": explanation,
            "evidence": evidence, "missing": missing or []}


Attested = Callable[[Subject, UUID, int, str, date], dict[str, Any] | None]


class Criteria:
    """R4.1 (a collective's five criteria), R4.2 (an individual's two) and, for a provincial
    form, the province-wide reach of R4.3, judged from the facts as of a date under the rule
    set in force then. Each criterion says met or not, why, and which events show it."""

    def __init__(self, engine: Any, authority: Authority, attested: Attested) -> None:
        self.engine = engine
        self.authority = authority
        self.attested = attested

    def evaluate(self, subject: Subject, subject_id: UUID, year: int, on: date,
                 rules: Mapping[str, Any], reach: str | None = None,
                 initiative_ids: list[str] | None = None,
                 min_value_saved_vnd: int | None = None) -> dict[str, Any]:
        """``min_value_saved_vnd``: the value created a form asks of the initiatives it rests
        on (Bằng Lao động sáng tạo), judged as one more criterion."""
        with self.engine.connect() as c:
            if subject == Subject.COLLECTIVE:
                results = self._collective(c, subject_id, year, on, rules)
            else:
                results = self._individual(c, subject_id, year, on, rules, initiative_ids)
            if reach == "province":
                results.append(self._province_reach(c, subject, subject_id, year, on, rules,
                                                    initiative_ids))
            if min_value_saved_vnd is not None:
                results.append(self._value_created(c, subject_id, year, on, rules,
                                                   initiative_ids, min_value_saved_vnd))
        return {"subject": subject.value, "subject_id": str(subject_id), "year": year,
                "as_of": on.isoformat(), "eligible": all(r["met"] for r in results),
                "criteria": results,
                "failed": [r["code"] for r in results if not r["met"]]}

    # --- queries over the facts ---------------------------------------------------------------

    @staticmethod
    def _facts(c: Any, names: Iterable[str], on: date, union_ids: Iterable[str] | None = None,
               year: int | None = None, subject_ids: Iterable[str] | None = None) -> list[Any]:
        query = sa.select(FACTS).where(FACTS.c.name.in_(list(names)), FACTS.c.on <= on)
        if union_ids is not None:
            query = query.where(FACTS.c.union_id.in_(list(union_ids)))
        if year is not None:
            query = query.where(FACTS.c.year == year)
        if subject_ids is not None:
            query = query.where(FACTS.c.subject_id.in_(list(subject_ids)))
        return list(c.execute(query.order_by(FACTS.c.on, FACTS.c.position)))

    def _units(self, union_id: UUID, on: date) -> list[str]:
        """The union and every union under it on the date."""
        return [str(union_id)] + [u["id"] for u in self.authority.descendants(union_id, on)]

    def _effective(self, c: Any, initiative_ids: list[str], year: int, on: date,
                   rules: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """R4.1 (c), R4.2 (a): initiatives recognised (or topics accepted) and not revoked,
        applied in practice (a report that is not a trial) in the year, with high
        effectiveness: the value saved reaches the rule's mark, or a higher level recognised
        it. Each with the events that show it."""
        if not initiative_ids:
            return {}
        facts = self._facts(c, ("initiatives.recognised", "initiatives.topic_accepted",
                                "initiatives.applied", "initiatives.recognised_at_level",
                                "initiatives.revoked"), on, subject_ids=initiative_ids)
        high = rules["high_effectiveness"]
        found: dict[str, list[dict[str, Any]]] = {}
        for initiative in initiative_ids:
            own = [f for f in facts if f.subject_id == initiative]
            if any(f.name == "initiatives.revoked" for f in own):
                continue
            recognised = [f for f in own if f.name in ("initiatives.recognised",
                                                       "initiatives.topic_accepted")]
            applied = [f for f in own if f.name == "initiatives.applied"
                       and not f.payload["report"]["trial"] and f.year == year]
            above = [f for f in own if f.name == "initiatives.recognised_at_level"]
            valuable = [f for f in applied if f.payload["report"]["value_saved_vnd"]
                        >= high["min_value_saved_vnd"]]
            if recognised and applied and (valuable or (above and high["or_recognised_above_grassroots"])):
                found[initiative] = _evidence(recognised[:1] + (valuable or applied)[:1] + above[:1])
        return found

    def _authored(self, c: Any, person_id: str) -> list[str]:
        return list(c.execute(sa.select(AUTHORS.c.initiative_id).where(
            AUTHORS.c.person_id == person_id)).scalars())

    def _initiatives_of(self, c: Any, union_ids: list[str]) -> list[str]:
        return list(c.execute(sa.select(INITIATIVES.c.initiative_id).where(
            INITIATIVES.c.union_id.in_(union_ids))).scalars())

    def _attestation(self, subject: Subject, subject_id: UUID, year: int, on: date,
                     definition: Mapping[str, Any]) -> dict[str, Any]:
        found = self.attested(subject, subject_id, year, definition["code"], on)
        if found is None:
            return criterion(definition, False, "no union body has attested it for the year; "
                             "it is shown by an attestation with its evidence", [], ["attestation"])
        evidence = [{"attestation_id": found["attestation_id"], "on": found["attested_on"],
                     "evidence": found["evidence"]}]
        if not found["met"]:
            return criterion(definition, False, f"attested as not met: {found['statement']}",
                             evidence, ["attestation"])
        return criterion(definition, True, found["statement"], evidence)

    # --- a collective (R4.1) ---------------------------------------------------------------

    def _collective(self, c: Any, union_id: UUID, year: int, on: date,
                    rules: Mapping[str, Any]) -> list[dict[str, Any]]:
        a, b, cc, d, e = rules["criteria"]["collective"]
        union = self.authority.active_union(union_id, on)
        own, units = [str(union_id)], self._units(union_id, on)
        movement = self._facts(c, ("reviews.movement_launched", "reviews.dissemination_recorded",
                                   "reviews.pledge_signed", "reviews.half_year_review_held",
                                   "reviews.annual_review_held"), on, own, year)

        def of(name: str) -> list[Any]:
            return [f for f in movement if f.name == name]

        results = []
        # (a) launched, disseminated, pledged (grassroots), organised registration
        registered = self._facts(c, ("initiatives.registered",), on, units, year)
        needed = {"launch": of("reviews.movement_launched"),
                  "dissemination": of("reviews.dissemination_recorded"),
                  "registration": registered}
        if union["level"] in rules["pledge_required_levels"]:
            needed["pledge"] = of("reviews.pledge_signed")
        missing = [k for k, v in needed.items() if not v]
        results.append(criterion(
            a, not missing,
            f"missing in {year}: {', '.join(missing)}" if missing else
            f"launched, disseminated{', pledged' if 'pledge' in needed else ''} and "
            f"{len(registered)} registration(s) in {year}",
            _evidence(v[0] for v in needed.values() if v), missing))
        # (b) kept alive (half-year and annual reviews), initiatives decided seriously
        decided = self._facts(c, ("initiatives.recognised", "initiatives.refused",
                                  "initiatives.topic_accepted"), on, units)
        decided_ids = {f.subject_id for f in decided}
        overdue = sorted(f.subject_id for f in registered if f.subject_id not in decided_ids
                         and date.fromisoformat(f.payload["decide_by"]) < on)
        needed = {"half_year_review": of("reviews.half_year_review_held"),
                  "annual_review": of("reviews.annual_review_held"),
                  "initiative_decisions": [f for f in decided if f.year == year]}
        missing = [k for k, v in needed.items() if not v] + (["decisions_overdue"] if overdue else [])
        results.append(criterion(
            b, not missing,
            f"missing in {year}: {', '.join(missing)}"
            + (f" ({len(overdue)} registration(s) past their decision date)" if overdue else "")
            if missing else "half-year and annual reviews held; registrations decided in time",
            _evidence(v[0] for v in needed.values() if v), missing))
        # (c) many individuals with recognised, effectively applied initiatives
        effective = self._effective(c, self._initiatives_of(c, units), year, on, rules)
        people = set(c.execute(sa.select(AUTHORS.c.person_id).where(
            AUTHORS.c.initiative_id.in_(list(effective)))).scalars()) if effective else set()
        minimum = rules["effective_individuals_min"]
        results.append(criterion(
            cc, len(people) >= minimum,
            f"{len(people)} individual(s) with a recognised initiative applied with high "
            f"effectiveness in {year}; at least {minimum} are needed",
            [item for items in effective.values() for item in items],
            [] if len(people) >= minimum else ["effective_individuals"]))
        # (d) internal unity and compliance: attested
        results.append(self._attestation(Subject.COLLECTIVE, union_id, year, on, d))
        # (e) classified strong or good by the upper union (a correction supersedes)
        graded = self._facts(c, ("reviews.union_classified", "reviews.classification_corrected"),
                             on, own, year)
        grade = graded[-1].payload["grade"] if graded else None
        good = grade in rules["good_grades"]
        results.append(criterion(
            e, good, f"classified {grade} for {year}" if grade else f"not classified for {year}",
            _evidence(graded[-1:]), [] if good else ["classification"]))
        return results

    # --- an individual (R4.2) ---------------------------------------------------------------

    def _individual(self, c: Any, person_id: UUID, year: int, on: date, rules: Mapping[str, Any],
                    initiative_ids: list[str] | None) -> list[dict[str, Any]]:
        a, b = rules["criteria"]["individual"]
        authored = self._authored(c, str(person_id))
        candidates = [i for i in authored if initiative_ids is None or i in initiative_ids]
        foreign = sorted(set(initiative_ids or ()) - set(authored))
        effective = self._effective(c, candidates, year, on, rules)
        if foreign:
            met, why = False, f"not an author of {', '.join(foreign)}"
        elif effective:
            met, why = True, f"{len(effective)} initiative(s) recognised and applied with " \
                             f"high effectiveness in {year}"
        else:
            met, why = False, (f"none of {len(candidates)} initiative(s) was recognised and "
                               f"applied with high effectiveness in {year}" if candidates
                               else "no initiative of this person is known")
        results = [criterion(a, met, why, [x for items in effective.values() for x in items],
                             [] if met else ["effective_initiative"])]
        results.append(self._attestation(Subject.INDIVIDUAL, person_id, year, on, b))
        return results

    # --- province-wide reach (R4.3) ---------------------------------------------------------

    def _province_reach(self, c: Any, subject: Subject, subject_id: UUID, year: int, on: date,
                        rules: Mapping[str, Any], initiative_ids: list[str] | None) -> dict[str, Any]:
        definition = rules["criteria"]["reach"][0]
        if subject == Subject.INDIVIDUAL:
            initiatives = initiative_ids or self._authored(c, str(subject_id))
            units: list[str] = []
        else:
            units = self._units(subject_id, on)
            initiatives = self._initiatives_of(c, units)
        province = [f for f in self._facts(c, ("initiatives.recognised_at_level",), on,
                                           subject_ids=initiatives)
                    if f.payload["scope"] == "province"]
        replicated = [] if subject == Subject.INDIVIDUAL else [
            f for f in self._facts(c, ("initiatives.replicated",), on, subject_ids=initiatives)
            if f.union_id not in units]
        met = bool(province or replicated)
        why = ("recognised by the provincial federation" if province else
               "replicated in other unions" if replicated else
               "no initiative was recognised at province level or replicated beyond the unit")
        return criterion(definition, met, why, _evidence(province[:1] + replicated[:1]),
                         [] if met else ["province_wide_reach"])

    # --- value created (R4.3: a Confederation form's threshold) ------------------------------

    def _value_created(self, c: Any, person_id: UUID, year: int, on: date,
                       rules: Mapping[str, Any], initiative_ids: list[str] | None,
                       threshold: int) -> dict[str, Any]:
        """The value created (giá trị làm lợi) the form asks for: one initiative of the person
        (of those named, if any), not revoked, applied in practice in the year (not a trial)
        with a reported value saved of at least ``threshold`` đồng."""
        definition = rules["criteria"]["value_created"][0]
        authored = self._authored(c, str(person_id))
        candidates = [i for i in authored if initiative_ids is None or i in initiative_ids]
        facts = self._facts(c, ("initiatives.applied", "initiatives.revoked"), on,
                            subject_ids=candidates) if candidates else []
        revoked = {f.subject_id for f in facts if f.name == "initiatives.revoked"}
        applied = [f for f in facts if f.name == "initiatives.applied" and f.year == year
                   and f.subject_id not in revoked and not f.payload["report"]["trial"]]
        best = max((f.payload["report"]["value_saved_vnd"] for f in applied), default=0)
        reaching = [f for f in applied if f.payload["report"]["value_saved_vnd"] >= threshold]
        met = bool(reaching)
        why = (f"an initiative applied in {year} saved {best} đồng, at least {threshold}" if met
               else f"the most an initiative applied in {year} saved is {best} đồng, less "
                    f"than {threshold}")
        found = criterion(definition, met, why, _evidence(reaching[:1]),
                          [] if met else ["value_created"])
        return found | {"threshold_vnd": threshold, "value_saved_vnd": best}

    def recognition(self, initiative_id: str, on: date) -> dict[str, Any] | None:
        """The grassroots recognition (or acceptance) of an initiative known on the date, for
        the individual's part of a dossier (R4.4 item 2)."""
        with self.engine.connect() as c:
            found = self._facts(c, ("initiatives.recognised", "initiatives.topic_accepted"), on,
                                subject_ids=[initiative_id])
            if not found:
                return None
            name = c.execute(sa.select(INITIATIVES.c.name, INITIATIVES.c.reference).where(
                INITIATIVES.c.initiative_id == initiative_id)).first()
        decision = found[0].payload["decision"]
        return {"initiative_id": initiative_id, "event_id": found[0].event_id,
                "name": name.name if name else None, "reference": name.reference if name else None,
                "number": decision.get("number"), "decided_on": decision["decided_on"]}
