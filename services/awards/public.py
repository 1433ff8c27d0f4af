"""The awards' public register (Law 06/2022/QH15; R4.5, R5.2): the awards decided, one row per
awardee, with what the published decision prints and nothing else (``contracts.public``), and
the signed decision itself. A mixin of the ``Awards`` application; the gateway's public router
is its only caller from outside."""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from contracts import public
from contracts.public import PublicAward, PublicUnion, Revocation
from runtime.commands import handles
from runtime.errors import NotFound
from services.awards import commands
from services.awards.domain import AwardStatus

if TYPE_CHECKING:
    from contracts.registry.facts import Authority
    from runtime.rules import RuleBook
    from services.awards.domain import Award
    from services.awards.readmodel import AwardsQueries


class TrustRootMissing(NotFound):
    code = "TRUST_ROOT_MISSING"


class PublicRegister:
    """What anyone may read of the awards."""

    if TYPE_CHECKING:
        authority: Authority
        queries: AwardsQueries
        signing_keys: Any
        rules: RuleBook

        def award(self, award_id: UUID) -> Award: ...
        def render_decision(self, query: commands.RenderDecision) -> dict[str, Any]: ...

    @handles(commands.PublicAwards)
    def public_awards(self, query: commands.PublicAwards) -> dict[str, Any]:
        """R4.5, R5.2: the awards decided, searched by name, number, union or form
        (diacritics and case ignored), of a year and of a deciding union, newest first, a
        revoked one shown as revoked with the revoking decision's number and date."""
        words = public.search_words(query.q)
        rows = self.queries.awards(query.union_id, public.year_of(query.year))
        union_name = functools.cache(self._union_name)
        form_title = functools.cache(self._form_title)
        found = [r for r in rows if public.matches(
            words, r["subject_name"], r["number"], union_name(r["union_id"], r["decided_on"]),
            form_title(r["form"], r["decided_on"]))]
        found.sort(key=lambda r: (r["decided_on"], r["number"]), reverse=True)
        award = functools.cache(self.award)  # a decision's awardees share its record
        return public.page(found, query.offset, query.limit,
                           lambda r: self._public_award(r, union_name, award))

    def _public_award(self, row: dict[str, Any], union_name: Any, load: Any) -> PublicAward:
        award = load(UUID(row["award_id"]))
        awardee = next(a for a in award.awardees if a["subject_id"] == row["subject_id"])
        revoked = award.revocations.get(row["subject_id"])
        return PublicAward(
            award_id=str(award.id), number=award.number, decided_on=award.decided_on.isoformat(),
            union=union_name(row["union_id"], row["decided_on"]), form=award.form["title"],
            year=award.year, kind=awardee["subject"], name=awardee["name"],
            unit=awardee.get("unit") or "", achievement=awardee["achievement"],
            status=public.REVOKED if row["status"] == AwardStatus.REVOKED.value else public.IN_FORCE,
            revocation=Revocation(number=revoked["decision"].get("number"),
                                  decided_on=revoked["decision"]["decided_on"])
            if revoked else None)

    def _union_name(self, union_id: str, on: str) -> str:
        union = self.authority.union(UUID(union_id), date.fromisoformat(on))
        return union["name"] if union else ""

    def _form_title(self, code: str, on: str) -> str:
        forms = self.rules.in_force(date.fromisoformat(on))["forms"]
        return next((f["title"] for f in forms if f["code"] == code), code)

    @handles(commands.PublicAwardUnions)
    def public_award_unions(self, query: commands.PublicAwardUnions) -> list[dict[str, Any]]:
        """The unions that decided an award, by name (the register's filter)."""
        seen: dict[str, str] = {}
        for row in self.queries.awards():
            if row["union_id"] not in seen:
                seen[row["union_id"]] = self._union_name(row["union_id"], row["decided_on"])
        return [public.wire(PublicUnion(u, n)) for u, n in sorted(seen.items(),
                                                                  key=lambda x: x[1])]

    @handles(commands.PublicTrustRoot)
    def public_trust_root(self, query: commands.PublicTrustRoot) -> dict[str, Any]:
        """The trust root of the signed decisions, public: what ``python -m
        runtime.documents.verify … --trust ca.crt`` checks a decision against (R4.5)."""
        keys = self.signing_keys
        keys.ensure_development_authority()  # as the first signing would, and no more
        if not keys.trust_path.is_file():
            raise TrustRootMissing("the trust root is not installed", {})
        return {"filename": "ca.crt", "media_type": "application/x-pem-file",
                "pem": keys.trust_path.read_text(encoding="ascii")}

    @handles(commands.PublicDecision)
    def public_decision(self, query: commands.PublicDecision) -> dict[str, Any]:
        """The award decision as published: its PDF, signed by the deciding union (R4.5)."""
        document = self.render_decision(commands.RenderDecision(query.award_id))
        return {k: document[k] for k in ("filename", "media_type", "sha256", "content_base64")}
