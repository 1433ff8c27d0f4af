"""What the public register shows of a decision: awards and recognised initiatives are public
by law (Law 06/2022/QH15 on emulation and commendation; R4.5), so anyone, without signing in,
reads the decisions the province's unions made (R5.2: the door for front ends). A public
answer carries what the published decision itself prints, and nothing else: these typed
records are the allow-list. A service builds its public answers as these records and sends
``asdict`` of them, so a field the decision does not print cannot reach the public, whatever
the service's own records hold (no person id, birth date, e-mail, score or evidence).

The record's id is on the decision too: the verification code every signed PDF prints
(``Mã xác thực: awards/<record id>/…``) names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

IN_FORCE = "in_force"
REVOKED = "revoked"
STATUS_TITLES = {IN_FORCE: "Còn hiệu lực", REVOKED: "Đã thu hồi"}
PAGE_MAX = 200  # rows in one page of the public register, as the gateway serves it
EXPORT_MAX = 10_000  # rows in one open-data file: what a service answers at most in one call


@dataclass(frozen=True)
class Revocation:
    """The decision that revoked: its number and date, as published."""

    number: str | None
    decided_on: str  # ISO date


@dataclass(frozen=True)
class PublicAward:
    """One awardee of an award decision (Điều 1 of the decision and its attached list)."""

    award_id: str  # the decision's record, printed in its verification code
    number: str  # số quyết định
    decided_on: str  # ISO date of the decision
    union: str  # the union whose committee decided
    form: str  # the form, as the decision names it ("Bằng khen của Ban Thường vụ …")
    year: int  # the movement year rewarded
    kind: str  # collective | individual
    name: str  # the collective's name, or the person's full name, as printed
    unit: str  # the unit printed beside the name
    achievement: str  # the achievement printed beside the name
    status: str  # in_force | revoked
    revocation: Revocation | None


@dataclass(frozen=True)
class Author:
    full_name: str
    share: int | float | None  # the share printed beside the name (%), if printed


@dataclass(frozen=True)
class PublicRecognition:
    """One decision recognising an initiative at a scope (grassroots, direct-superior,
    province): what its Điều 1 prints."""

    initiative_id: str  # the initiative's record, printed in the verification code
    name: str  # the initiative's title
    unit: str  # the union the authors' initiative belongs to ("đơn vị")
    union: str  # the union whose committee decided
    scope: str  # grassroots | direct_superior | province
    scope_title: str  # the scope as the decision words it
    year: int  # the year of the decision
    number: str | None  # số quyết định
    decided_on: str  # ISO date
    authors: tuple[Author, ...]
    status: str  # in_force | revoked
    revocation: Revocation | None


@dataclass(frozen=True)
class PublicUnion:
    """A union that published at least one decision (for the register's filter)."""

    union_id: str
    name: str


def fields(record: type) -> tuple[str, ...]:
    """The keys of a public record, in order: the allow-list."""
    return tuple(f.name for f in dataclasses.fields(record))


def wire(record: Any) -> dict[str, Any]:
    """A public record as it travels (nested records as objects, tuples as lists)."""
    return dataclasses.asdict(record)


def page(rows: Sequence[Any], offset: int, limit: int,
         record: Callable[[Any], Any] = lambda r: r) -> dict[str, Any]:
    """One page of public records, ``{items, total, offset, limit}``: ``record`` makes the
    public record of each row of the page (only of those: the rest are counted)."""
    from runtime.text import parse_page

    offset, limit = parse_page(offset, limit, EXPORT_MAX)
    return {"items": [wire(record(r)) for r in rows[offset:offset + limit]], "total": len(rows),
            "offset": offset, "limit": limit}


def year_of(value: object) -> int | None:
    """A year filter given as a number or as text (``None``: no filter)."""
    from runtime.errors import InvalidInput

    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("year must be a year such as 2025", {"field": "year"})
    try:
        year = int(value)
    except ValueError:
        raise InvalidInput("year must be a year such as 2025", {"field": "year"}) from None
    if not 1900 <= year <= 2999:
        raise InvalidInput("year must be a year such as 2025", {"field": "year"})
    return year


def search_words(q: str | None) -> list[str]:
    """The words of a public search, diacritics and case ignored (``runtime.text``)."""
    from runtime.text import search_key

    return search_key(q or "").split()


def matches(words: Sequence[str], *texts: str | None) -> bool:
    """Every word is part of a word of one of the texts, diacritics and case ignored:
    "nguyen van" finds "Nguyễn Văn An", "bang khen" finds "Bằng khen"."""
    from runtime.text import search_key

    if not words:
        return True
    haystack = " ".join(search_key(t) for t in texts if t)
    return all(w in haystack for w in words)
