"""The initiative tracking book (R3.5) and the lists it feeds: derived from the initiatives'
events, written in the same transaction, rebuildable from the log."""

from __future__ import annotations

import functools
import itertools
import json
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from runtime.readmodel import Add, ReadModel, Writer, handles
from runtime.text import search_key, trigram_similarity, trigrams
from services.initiatives.domain import Idea, IdeaStatus, Initiative, Replication, Scope, Status

metadata = sa.MetaData()

book = sa.Table(
    "initiatives_book", metadata,
    sa.Column("initiative_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("reference", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("search_key", sa.Text, nullable=False),
    sa.Column("authors", sa.Text, nullable=False),  # JSON: name, share, official, full-time
    sa.Column("any_official", sa.Boolean, nullable=False),
    sa.Column("any_full_time", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("decide_by", sa.Date, nullable=False),
    sa.Column("decided_on", sa.Date),
    sa.Column("decision_number", sa.String(64)),
    sa.Column("scope", sa.String(32)),  # the highest level it is recognised at
    sa.Column("value_saved_vnd", sa.BigInteger, nullable=False),
    sa.Column("replications", sa.Integer, nullable=False),
    sa.Index("initiatives_book_union", "union_id", "registered_on"),
    sa.Index("initiatives_book_open", "status", "decide_by"),
    # The search matches parts of words (LIKE '%term%'): on PostgreSQL a trigram index keeps
    # it from reading the whole book (issue 12: 1,000 vs 1,000,000 events); elsewhere a plain
    # index, unused by such a search and harmless.
    sa.Index("initiatives_book_search", "search_key", postgresql_using="gin",
             postgresql_ops={"search_key": "gin_trgm_ops"}),
)
# pg_trgm is a trusted extension (PostgreSQL 13+): the store's own user may create it.
sa.event.listen(book, "before_create", sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                .execute_if(dialect="postgresql"))

# R3.1: the ideas of a union, so that a member follows theirs and the incubation team sees
# what it is to coach.
ideas = sa.Table(
    "initiatives_ideas", metadata,
    sa.Column("idea_id", sa.Uuid, primary_key=True),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("author_id", sa.Uuid, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("raised_on", sa.Date, nullable=False),
    sa.Column("comments", sa.Integer, nullable=False),
    sa.Column("initiative_id", sa.Uuid),
    sa.Index("initiatives_ideas_union", "union_id", "raised_on"),
)

# R3.8: the initiatives a union adopted from others, with what their replication brought.
replications = sa.Table(
    "initiatives_replications", metadata,
    sa.Column("replication_id", sa.Uuid, primary_key=True),
    sa.Column("initiative_id", sa.Uuid, nullable=False),
    sa.Column("union_id", sa.Uuid, nullable=False),
    sa.Column("adopted_on", sa.Date, nullable=False),
    sa.Column("results", sa.Integer, nullable=False),
    sa.Column("value_saved_vnd", sa.BigInteger, nullable=False),
    sa.Index("initiatives_replications_union", "union_id", "adopted_on"),
)

# R1.5, R3.5: who holds a record now, when a union was merged, split or dissolved: the union
# that took it over (``held_by``; the book keeps the original ``union_id``), or its closing.
# A table of its own, so the stores made before it get it empty, as their history has it.
holdings = sa.Table(
    "initiatives_holdings", metadata,
    sa.Column("record_id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # initiative | idea | replication
    sa.Column("union_id", sa.Uuid, nullable=False),  # the original union
    sa.Column("held_by", sa.Uuid, nullable=False),  # the union holding it now
    sa.Column("carried_from", sa.Uuid),  # the union it was last taken over from
    sa.Column("carried_on", sa.Date),
    sa.Column("closed_on", sa.Date),
    sa.Column("closed_reason", sa.Text),
    sa.Index("initiatives_holdings_held_by", "held_by"),
)

# R3.5: the columns of the book, as exported (Vietnamese headings).
BOOK_COLUMNS = (
    ("reference", "Số đăng ký"), ("name", "Tên sáng kiến, đề tài"), ("kind", "Loại"),
    ("authors", "Tác giả (tỷ lệ đóng góp)"), ("status", "Tình trạng"),
    ("registered_on", "Ngày đăng ký"), ("decide_by", "Hạn quyết định"),
    ("decided_on", "Ngày quyết định"), ("decision_number", "Số quyết định"),
    ("scope", "Cấp công nhận"), ("value_saved_vnd", "Giá trị làm lợi (đồng)"),
    ("replications", "Số đơn vị nhân rộng"),
)
OPEN = (Status.REGISTERED.value, Status.EVALUATED.value, Status.ACCEPTED.value)
# R3.8: how alike a recognised initiative must look to be shown (``similar_recognised``).
SIMILAR_THRESHOLD = 0.3


@functools.lru_cache(maxsize=65536)
def _word_pairs(key: str) -> frozenset[str]:
    """Consecutive word pairs of a ``search_key`` ("quy trinh", "trinh tiep"...)."""
    words = key.split()
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


class InitiativesReadModel(ReadModel):
    metadata = metadata

    @handles(Initiative.Registered)  # type: ignore[attr-defined]
    def _registered(self, e: Any, w: Writer) -> None:
        w.insert(book, initiative_id=e.originator_id, union_id=e.union_id, reference=e.reference,
                 kind=e.kind, name=e.fields["name"], search_key=search_key(e.fields["name"]),
                 authors=json.dumps(e.authors, ensure_ascii=False),
                 any_official=any(a["is_official"] for a in e.authors),
                 any_full_time=any(a["is_full_time"] for a in e.authors),
                 status=Status.REGISTERED.value, registered_on=e.registered_on,
                 decide_by=e.decide_by, decided_on=None, decision_number=None, scope=None,
                 value_saved_vnd=0, replications=0)

    def _set(self, w: Writer, e: Any, **values: Any) -> None:
        w.update(book, (e.originator_id,), **values)

    @handles(Initiative.Evaluated)  # type: ignore[attr-defined]
    def _evaluated(self, e: Any, w: Writer) -> None:
        self._set(w, e, status=Status.EVALUATED.value)

    @handles(Initiative.TopicAccepted)  # type: ignore[attr-defined]
    def _accepted(self, e: Any, w: Writer) -> None:
        self._set(w, e, status=Status.ACCEPTED.value)

    @handles(Initiative.Recognised)  # type: ignore[attr-defined]
    def _recognised(self, e: Any, w: Writer) -> None:
        self._set(w, e, status=Status.RECOGNISED.value, scope=Scope.GRASSROOTS.value,
                  decided_on=date.fromisoformat(e.decision["decided_on"]),
                  decision_number=e.decision["number"])

    @handles(Initiative.RecognisedAtLevel)  # type: ignore[attr-defined]
    def _recognised_at_level(self, e: Any, w: Writer) -> None:
        self._set(w, e, scope=e.scope)

    @handles(Initiative.Refused)  # type: ignore[attr-defined]
    def _refused(self, e: Any, w: Writer) -> None:
        self._set(w, e, status=Status.REFUSED.value,
                  decided_on=date.fromisoformat(e.decision["decided_on"]),
                  decision_number=e.decision["number"])

    @handles(Initiative.Revoked)  # type: ignore[attr-defined]
    def _revoked(self, e: Any, w: Writer) -> None:
        self._set(w, e, status=Status.REVOKED.value)

    @handles(Initiative.ApplicationReported)  # type: ignore[attr-defined]
    def _applied(self, e: Any, w: Writer) -> None:
        self._set(w, e, value_saved_vnd=Add(e.report["value_saved_vnd"]))

    @handles(Initiative.Adopted)  # type: ignore[attr-defined]
    def _adopted(self, e: Any, w: Writer) -> None:
        self._set(w, e, replications=Add(1))

    @handles(Replication.Adopted)  # type: ignore[attr-defined]
    def _replication(self, e: Any, w: Writer) -> None:
        w.insert(replications, replication_id=e.originator_id, initiative_id=e.initiative_id,
                 union_id=e.union_id, adopted_on=e.adopted_on, results=0, value_saved_vnd=0)

    @handles(Replication.ResultReported)  # type: ignore[attr-defined]
    def _replication_result(self, e: Any, w: Writer) -> None:
        w.update(replications, (e.originator_id,), results=Add(1),
                 value_saved_vnd=Add(e.result["value_saved_vnd"]))

    # --- R1.5: taken over by a successor, or closed ----------------------------------------

    @handles(Initiative.CarriedOver)  # type: ignore[attr-defined]
    def _initiative_carried(self, e: Any, w: Writer) -> None:
        self._carry(w, e, "initiative")

    @handles(Idea.CarriedOver)  # type: ignore[attr-defined]
    def _idea_carried(self, e: Any, w: Writer) -> None:
        self._carry(w, e, "idea")

    @handles(Replication.CarriedOver)  # type: ignore[attr-defined]
    def _replication_carried(self, e: Any, w: Writer) -> None:
        self._carry(w, e, "replication")

    def _carry(self, w: Writer, e: Any, kind: str) -> None:
        found = w.execute(sa.select(holdings.c.union_id).where(
            holdings.c.record_id == e.originator_id)).first()
        if found is None:
            w.insert(holdings, record_id=e.originator_id, kind=kind, union_id=e.from_union_id,
                     held_by=e.to_union_id, carried_from=e.from_union_id,
                     carried_on=e.effective_on, closed_on=None, closed_reason=None)
        else:
            w.update(holdings, (e.originator_id,), held_by=e.to_union_id,
                     carried_from=e.from_union_id, carried_on=e.effective_on)

    @handles(Initiative.Closed)  # type: ignore[attr-defined]
    def _initiative_closed(self, e: Any, w: Writer) -> None:
        self._closed(w, e, "initiative")

    @handles(Idea.Closed)  # type: ignore[attr-defined]
    def _idea_closed(self, e: Any, w: Writer) -> None:
        self._closed(w, e, "idea")

    @handles(Replication.Closed)  # type: ignore[attr-defined]
    def _replication_closed(self, e: Any, w: Writer) -> None:
        self._closed(w, e, "replication")

    def _closed(self, w: Writer, e: Any, kind: str) -> None:
        found = w.execute(sa.select(holdings.c.union_id).where(
            holdings.c.record_id == e.originator_id)).first()
        if found is None:
            w.insert(holdings, record_id=e.originator_id, kind=kind, union_id=e.union_id,
                     held_by=e.union_id, carried_from=None, carried_on=None,
                     closed_on=e.effective_on, closed_reason=e.reason)
        else:
            w.update(holdings, (e.originator_id,), closed_on=e.effective_on,
                     closed_reason=e.reason)

    @handles(Idea.Raised)  # type: ignore[attr-defined]
    def _idea_raised(self, e: Any, w: Writer) -> None:
        w.insert(ideas, idea_id=e.originator_id, union_id=e.union_id, author_id=e.author_id,
                 title=e.title, status=IdeaStatus.OPEN.value, raised_on=e.raised_on, comments=0,
                 initiative_id=None)

    @handles(Idea.Coached)  # type: ignore[attr-defined]
    def _idea_coached(self, e: Any, w: Writer) -> None:
        w.update(ideas, (e.originator_id,), comments=Add(1))

    @handles(Idea.Developed)  # type: ignore[attr-defined]
    def _idea_developed(self, e: Any, w: Writer) -> None:
        w.update(ideas, (e.originator_id,), status=IdeaStatus.DEVELOPED.value,
                 initiative_id=e.initiative_id)

    @handles(Idea.Withdrawn)  # type: ignore[attr-defined]
    def _idea_withdrawn(self, e: Any, w: Writer) -> None:
        w.update(ideas, (e.originator_id,), status=IdeaStatus.WITHDRAWN.value)


def _entry(row: Any) -> dict[str, Any]:
    authors = json.loads(row.authors)
    mapping = row._mapping
    held = mapping.get("held_by")
    return {"held_by": str(held) if held else str(row.union_id),
            "carried_from": str(mapping["carried_from"]) if mapping.get("carried_from") else None,
            "carried_on": mapping["carried_on"].isoformat() if mapping.get("carried_on") else None,
            "closed_on": mapping["closed_on"].isoformat() if mapping.get("closed_on") else None,
            "closed_reason": mapping.get("closed_reason"),
            "initiative_id": str(row.initiative_id), "union_id": str(row.union_id),
            "reference": row.reference, "name": row.name, "kind": row.kind,
            "authors": [f"{a['full_name']} ({a['share']}%)" for a in authors],
            "author_details": authors, "status": row.status,
            "registered_on": row.registered_on.isoformat(), "decide_by": row.decide_by.isoformat(),
            "decided_on": row.decided_on.isoformat() if row.decided_on else None,
            "decision_number": row.decision_number, "scope": row.scope,
            "value_saved_vnd": int(row.value_saved_vnd), "replications": row.replications}


# The book with who holds each entry now (R1.5): an entry never taken over has no holding row.
BOOK_HELD = book.outerjoin(holdings, holdings.c.record_id == book.c.initiative_id)
BOOK_COLUMNS_HELD = (*book.c, holdings.c.held_by, holdings.c.carried_from, holdings.c.carried_on,
                     holdings.c.closed_on, holdings.c.closed_reason)


class InitiativesQueries:
    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def book(self, union_id: UUID, start: date | None, end: date | None, status: str | None,
             offset: int, limit: int) -> dict[str, Any]:
        """R3.5: the union's own entries and, R1.5, those it took over from a predecessor
        (each with its original union and authors, and where it came from)."""
        where = [sa.or_(book.c.union_id == union_id, holdings.c.held_by == union_id)]
        if start is not None:
            where.append(book.c.registered_on >= start)
        if end is not None:
            where.append(book.c.registered_on <= end)
        if status is not None:
            where.append(book.c.status == status)
        with self.engine.connect() as c:
            total = c.execute(sa.select(sa.func.count()).select_from(BOOK_HELD)
                              .where(*where)).scalar_one()
            rows = c.execute(sa.select(*BOOK_COLUMNS_HELD).select_from(BOOK_HELD).where(*where)
                             .order_by(book.c.registered_on, book.c.reference)
                             .offset(offset).limit(limit))
            return {"total": total, "offset": offset, "entries": [_entry(r) for r in rows]}

    def search(self, terms: list[str], union_id: UUID | None, limit: int) -> list[dict[str, Any]]:
        """Initiatives whose name holds every term, diacritics and case ignored (each term
        matched as part of a word of ``search_key``), in the book's order."""
        query = sa.select(*BOOK_COLUMNS_HELD).select_from(BOOK_HELD).where(
            *(book.c.search_key.contains(t, autoescape=True) for t in terms))
        if union_id is not None:
            query = query.where(sa.or_(book.c.union_id == union_id, holdings.c.held_by == union_id))
        with self.engine.connect() as c:
            rows = c.execute(query.order_by(book.c.registered_on, book.c.reference).limit(limit))
            return [_entry(r) for r in rows]

    def similar_recognised(self, name: str, description: str | None, union_id: UUID | None,
                           offset: int, limit: int) -> dict[str, Any]:
        """R3.8: recognised initiatives of any union (not revoked, not refused) whose name
        looks like ``name``, the best first, as a page ``{items, total, offset, limit}``.

        The measure, on the book's ``search_key`` (``runtime.text.search_key``: diacritics,
        case and punctuation folded, so "Cai tien quy trinh" is "Cải tiến quy trình"):

        - the Jaccard similarity of the two names' word trigrams (``runtime.text.trigrams``,
          padded as pg_trgm pads them): shared trigrams over all trigrams of both; robust to
          a missing tone mark, a typo or a changed word order, and 1.0 for the same name;
        - with a ``description``, also half the share of the recognised name's word pairs
          ("quy trinh", "ho so": a Vietnamese word is mostly two syllables) found in the
          description's, so a registration that names it differently but describes the same
          thing still finds it; whole word pairs, not trigrams, so a long description does
          not match every short name by chance.

        The better of the two is the score; below ``SIMILAR_THRESHOLD`` (0.3, pg_trgm's own
        default) a row is not shown. Cost: one pass over the distinct names of the recognised
        rows (the ``status`` index; on PostgreSQL, without a description, ``search_key %
        :name``, which the trigram index on ``search_key`` may answer), each compared in
        memory with its trigrams cached per process, then the page's rows read by name:
        linear in the recognised initiatives. Measured on this shared 2-core machine under a
        load of 11–14, names drawn from a 60-syllable vocabulary (every one sharing trigrams
        with the query: the worst case): 5,000 recognised, 120–220 ms once the cache is warm
        (0.3–0.8 s cold) on SQLite and PostgreSQL; 20,000 on PostgreSQL, 0.4–0.9 s. A
        province's few thousand answer within the form's pause between keystrokes."""
        key = search_key(name)
        wanted = trigrams(key)
        pairs = _word_pairs(search_key(description)) if description else frozenset()
        query = sa.select(book.c.search_key, sa.func.count()).where(
            book.c.status == Status.RECOGNISED.value)
        if not pairs and self.engine.dialect.name == "postgresql":
            # pg_trgm's ``%`` is this measure at this threshold, answered by the trigram index
            query = query.where(book.c.search_key.op("%")(key))
        scores: dict[str, float] = {}
        counts: dict[str, int] = {}
        with self.engine.connect() as c:
            for candidate, count in c.execute(query.group_by(book.c.search_key)):
                score = trigram_similarity(wanted, trigrams(candidate))
                if pairs:
                    own = _word_pairs(candidate)
                    if own:
                        score = max(score, 0.5 * len(own & pairs) / len(own))
                if score >= SIMILAR_THRESHOLD:
                    scores[candidate], counts[candidate] = score, count
            ranked = sorted(scores, key=lambda k: (-scores[k], k))
            keys, covered = [], 0  # the best names, enough of them for the page's rows
            for candidate in ranked:
                if covered >= offset + limit:
                    break
                keys.append(candidate)
                covered += counts[candidate]
            rows = sorted(c.execute(sa.select(book).where(
                book.c.status == Status.RECOGNISED.value, book.c.search_key.in_(keys))) if keys
                else [], key=lambda r: (-scores[r.search_key], r.search_key, r.decided_on,
                                        r.reference, str(r.union_id)))
            page = rows[offset:offset + limit]
            adopted = {r.initiative_id for r in c.execute(
                sa.select(replications.c.initiative_id).where(
                    replications.c.union_id == union_id,
                    replications.c.initiative_id.in_([r.initiative_id for r in page])))} \
                if page and union_id is not None else set()
        items = []
        for r in page:
            items.append({
                "initiative_id": str(r.initiative_id), "reference": r.reference, "name": r.name,
                "kind": r.kind, "origin_union_id": str(r.union_id),
                "recognised_on": r.decided_on.isoformat() if r.decided_on else None,
                "year": r.decided_on.year if r.decided_on else None, "scope": r.scope,
                "replications": r.replications, "score": round(scores[r.search_key], 3),
                "own": union_id is not None and r.union_id == union_id,
                "adopted": r.initiative_id in adopted})
        return {"items": items, "total": sum(counts.values()), "offset": offset, "limit": limit}

    def replications(self, union_id: UUID) -> list[dict[str, Any]]:
        """R3.8: what a union adopted, the latest first, with the initiative's name."""
        query = (sa.select(replications, book.c.reference, book.c.name)
                 .join(book, book.c.initiative_id == replications.c.initiative_id)
                 .outerjoin(holdings, holdings.c.record_id == replications.c.replication_id)
                 .where(sa.or_(replications.c.union_id == union_id,
                               holdings.c.held_by == union_id))
                 .order_by(replications.c.adopted_on.desc(), book.c.reference))
        with self.engine.connect() as c:
            return [{"initiative_id": str(r.initiative_id), "union_id": str(r.union_id),
                     "reference": r.reference, "name": r.name,
                     "adopted_on": r.adopted_on.isoformat(), "results": r.results,
                     "value_saved_vnd": r.value_saved_vnd} for r in c.execute(query)]

    def replications_held(self, initiative_id: UUID, union_id: UUID) -> list[UUID]:
        """R1.5, R3.8: the adoptions of the initiative a union took over from a predecessor."""
        with self.engine.connect() as c:
            return list(c.execute(sa.select(replications.c.replication_id)
                                  .join(holdings, holdings.c.record_id == replications.c.replication_id)
                                  .where(replications.c.initiative_id == initiative_id,
                                         holdings.c.held_by == union_id)).scalars())

    def held_by(self, union_id: UUID) -> list[tuple[str, UUID]]:
        """R1.5: the records a union holds now that a reorganisation may hand on: its own
        (initiatives not refused or revoked, open ideas, adoptions) not taken over by
        another, and those it took over; each as (kind, id)."""
        found: list[tuple[str, UUID]] = []
        with self.engine.connect() as c:
            for kind, table, key, union, alive in (
                    ("initiative", book, book.c.initiative_id, book.c.union_id,
                     book.c.status.notin_((Status.REFUSED.value, Status.REVOKED.value))),
                    ("idea", ideas, ideas.c.idea_id, ideas.c.union_id,
                     ideas.c.status == IdeaStatus.OPEN.value),
                    ("replication", replications, replications.c.replication_id,
                     replications.c.union_id, sa.true())):
                query = (sa.select(key).select_from(
                    table.outerjoin(holdings, holdings.c.record_id == key))
                    .where(alive, holdings.c.closed_on.is_(None), sa.or_(
                        holdings.c.held_by == union_id,
                        sa.and_(holdings.c.record_id.is_(None), union == union_id)))
                    .order_by(key))
                found.extend((kind, r) for r in c.execute(query).scalars())
        return found

    def overdue(self, union_id: UUID | None, on: date) -> list[dict[str, Any]]:
        """R3.7: undecided after the limit (a decision due by ``decide_by``)."""
        query = sa.select(*BOOK_COLUMNS_HELD).select_from(BOOK_HELD).where(
            book.c.status.in_(OPEN), book.c.decide_by < on, holdings.c.closed_on.is_(None))
        if union_id is not None:
            query = query.where(sa.or_(book.c.union_id == union_id, holdings.c.held_by == union_id))
        with self.engine.connect() as c:
            return [{**_entry(r), "days_overdue": (on - r.decide_by).days}
                    for r in c.execute(query.order_by(book.c.decide_by, book.c.reference))]

    def ideas(self, union_id: UUID, author_id: UUID | None,
              status: str | None) -> list[dict[str, Any]]:
        """R3.1: a union's ideas, newest first (of one author, in one status)."""
        query = sa.select(ideas).outerjoin(holdings, holdings.c.record_id == ideas.c.idea_id).where(
            sa.or_(ideas.c.union_id == union_id, holdings.c.held_by == union_id))
        if author_id is not None:
            query = query.where(ideas.c.author_id == author_id)
        if status is not None:
            query = query.where(ideas.c.status == status)
        with self.engine.connect() as c:
            rows = c.execute(query.order_by(ideas.c.raised_on.desc(), ideas.c.title))
            return [{"idea_id": str(r.idea_id), "union_id": str(r.union_id),
                     "author_id": str(r.author_id), "title": r.title, "status": r.status,
                     "raised_on": r.raised_on.isoformat(), "comments": r.comments,
                     "initiative_id": str(r.initiative_id) if r.initiative_id else None}
                    for r in rows]

    def statistics(self, union_ids: list[UUID], year: int) -> list[dict[str, Any]]:
        """The dashboard's counts per union and quarter of ``year``: initiatives registered
        (by registration date), and recognised at grassroots level and not revoked (by the
        recognition's date), with those of them applied with a measured benefit and those
        adopted by at least one other union."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        query = sa.select(book.c.union_id, book.c.status, book.c.registered_on, book.c.decided_on,
                          book.c.value_saved_vnd, book.c.replications).where(
            book.c.union_id.in_(union_ids),
            sa.or_(book.c.registered_on.between(start, end), book.c.decided_on.between(start, end)))
        counts: dict[tuple[str, str], dict[str, int]] = {}

        def row(union: UUID, day: date) -> dict[str, int]:
            key = (str(union), f"{day.year}-Q{(day.month - 1) // 3 + 1}")
            return counts.setdefault(key, dict.fromkeys(
                ("registered", "recognised", "applied", "replicated"), 0))

        with self.engine.connect() as c:
            for r in c.execute(query):
                if start <= r.registered_on <= end:
                    row(r.union_id, r.registered_on)["registered"] += 1
                if r.status == Status.RECOGNISED.value and r.decided_on and start <= r.decided_on <= end:
                    found = row(r.union_id, r.decided_on)
                    found["recognised"] += 1
                    found["applied"] += int(r.value_saved_vnd > 0)
                    found["replicated"] += int(r.replications > 0)
        return [{"union_id": union, "period": period, **values}
                for (union, period), values in sorted(counts.items())]

    def registrants(self, union_id: UUID, year: int) -> dict[str, Any]:
        """R3.3: how many registrations had an official, a full-time official, among their
        authors, out of all registered in the year."""
        where = (book.c.union_id == union_id,
                 book.c.registered_on >= date(year, 1, 1), book.c.registered_on <= date(year, 12, 31))
        with self.engine.connect() as c:
            row = c.execute(sa.select(
                sa.func.count(),
                sa.func.count().filter(book.c.any_official),
                sa.func.count().filter(book.c.any_full_time),
                sa.func.count().filter(book.c.kind == "topic")).where(*where)).one()
        return {"union_id": str(union_id), "year": year, "registered": row[0],
                "with_official": row[1], "with_full_time_official": row[2], "topics": row[3]}
