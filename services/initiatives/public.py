"""The initiatives' public register (Law 06/2022/QH15; R4.5, R5.2): every decision recognising
an initiative, at each scope, with what the published decision prints — the title, the unit,
the authors and their shares, the scope, the number and date, the deciding union — and nothing
else (``contracts.public``), a revoked recognition shown as revoked; and the signed decision
itself. A mixin of the ``Initiatives`` application; the gateway's public router is its only
caller from outside."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

import sqlalchemy as sa

from contracts import public
from contracts.public import Author, PublicRecognition, PublicUnion, Revocation
from runtime.commands import handles
from services.initiatives import commands
from services.initiatives.documents import SCOPE_WORDS
from services.initiatives.domain import SCOPE_ORDER, Initiative, Status
from services.initiatives.readmodel import book

if TYPE_CHECKING:
    from contracts.registry.facts import Authority

# The scope as the decision words it ("… có hiệu quả áp dụng trong phạm vi cơ sở").
SCOPE_TITLES = {scope: words.removeprefix("trong ").capitalize()
                for scope, words in SCOPE_WORDS.items()}


def _share(share: object) -> int | float | None:
    """A share as the decision prints it ("60%"): kept as text in the record, a number here."""
    if share is None or share == "":
        return None
    value = Decimal(str(share))
    return int(value) if value == value.to_integral_value() else float(value)


class PublicRegister:
    """What anyone may read of the initiatives' recognitions."""

    if TYPE_CHECKING:
        authority: Authority
        engine: Any
        recorder: Any
        mapper: Any

        def initiative(self, initiative_id: object) -> Initiative: ...
        def render_recognition(self, query: commands.RenderRecognition) -> dict[str, Any]: ...

    def _recognitions(self) -> list[tuple[PublicRecognition, frozenset[str]]]:
        """Every published recognition, newest first, with the unions it concerns (the one
        that decided and the initiative's own)."""
        union_name = functools.cache(self._union_name)
        found = []
        for initiative_id in self._published_ids():
            initiative = self.initiative(initiative_id)
            revocation = self._revocation(initiative) if initiative.status == Status.REVOKED \
                else None
            authors = tuple(Author(a["full_name"], _share(a.get("share")))
                            for a in initiative.authors)
            for scope in SCOPE_ORDER:
                decision = initiative.recognitions.get(scope.value)
                if decision is None:
                    continue
                found.append((PublicRecognition(
                    initiative_id=str(initiative.id), name=initiative.name,
                    unit=union_name(str(initiative.union_id), decision["decided_on"]),
                    union=union_name(decision["authority"]["union_id"], decision["decided_on"]),
                    scope=scope.value, scope_title=SCOPE_TITLES.get(scope.value, scope.value),
                    year=date.fromisoformat(decision["decided_on"]).year,
                    number=decision.get("number"), decided_on=decision["decided_on"],
                    authors=authors,
                    status=public.REVOKED if revocation else public.IN_FORCE,
                    revocation=revocation),
                    frozenset({str(initiative.union_id), decision["authority"]["union_id"]})))
        found.sort(key=lambda r: (r[0].decided_on, r[0].number or ""), reverse=True)
        return found

    def _revocation(self, initiative: Initiative) -> Revocation | None:
        """The decision that revoked the initiative's recognitions (Law 06/2022)."""
        for stored in reversed(list(self.recorder.select_events(initiative.id))):
            event = self.mapper.to_domain_event(stored)
            if type(event).__qualname__ == "Initiative.Revoked":
                decision = event.decision  # type: ignore[attr-defined]
                return Revocation(number=decision.get("number"), decided_on=decision["decided_on"])
        return None

    def _union_name(self, union_id: str, on: str) -> str:
        union = self.authority.union(UUID(union_id), date.fromisoformat(on))
        return union["name"] if union else ""

    @handles(commands.PublicInitiatives)
    def public_initiatives(self, query: commands.PublicInitiatives) -> dict[str, Any]:
        """R4.5, R5.2: the decisions recognising initiatives, searched by title, author,
        number or union (diacritics and case ignored), of a year and of a union (the one that
        decided, or the initiative's own), newest first, a revoked one shown as revoked."""
        words, year = public.search_words(query.q), public.year_of(query.year)
        union = str(query.union_id) if query.union_id else None
        found = [r for r, unions in self._recognitions()
                 if (year is None or r.year == year) and (union is None or union in unions)
                 and public.matches(words, r.name, r.number, r.union, r.unit,
                                    *(a.full_name for a in r.authors))]
        return public.page(found, query.offset, query.limit)

    @handles(commands.PublicInitiativeUnions)
    def public_initiative_unions(self, query: commands.PublicInitiativeUnions,
                                 ) -> list[dict[str, Any]]:
        """The unions that recognised an initiative, by name (the register's filter)."""
        seen: dict[str, str] = {}
        for initiative_id in self._published_ids():
            initiative = self.initiative(initiative_id)
            for decision in initiative.recognitions.values():
                union_id = decision["authority"]["union_id"]
                seen.setdefault(union_id, self._union_name(union_id, decision["decided_on"]))
        return [public.wire(PublicUnion(u, n)) for u, n in sorted(seen.items(),
                                                                  key=lambda x: x[1])]

    def _published_ids(self) -> list[UUID]:
        with self.engine.connect() as c:
            return [r.initiative_id for r in c.execute(
                sa.select(book.c.initiative_id).where(
                    book.c.status.in_((Status.RECOGNISED.value, Status.REVOKED.value)),
                    book.c.decided_on.is_not(None)))]

    @handles(commands.PublicRecognitionDecision)
    def public_recognition_decision(self, query: commands.PublicRecognitionDecision,
                                    ) -> dict[str, Any]:
        """The decision recognising the initiative at the scope, as published: its PDF,
        signed by the deciding union (R4.5)."""
        document = self.render_recognition(commands.RenderRecognition(query.initiative_id,
                                                                      query.scope))
        return {k: document[k] for k in ("filename", "media_type", "sha256", "content_base64")}
