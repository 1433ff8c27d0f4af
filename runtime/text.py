"""Vietnamese text, first-class: validation, NFC storage and diacritics-insensitive search.

Every service stores names NFC-normalised and searches them through ``search_key``, so
"lien doan tra vinh" finds "Liên đoàn Lao động tỉnh Trà Vinh". Nothing here does I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from runtime.errors import InvalidInput


class InvalidText(InvalidInput):
    code = "INVALID_TEXT"


class InvalidCode(InvalidInput):
    code = "INVALID_CODE"


class InvalidDate(InvalidInput):
    code = "INVALID_DATE"


CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # a union or member code
_CODE = CODE_PATTERN
# Control characters (Cc) other than ordinary whitespace, and the Unicode "format" and
# "unassigned/private/surrogate" categories: none of these belongs in a name.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_text(value: object, field: str, max_length: int) -> str:
    """A required piece of text: trimmed, NFC, valid Unicode, at most ``max_length`` characters."""
    if not isinstance(value, str):
        raise InvalidText(f"{field} must be text", {"field": field})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: text that was never valid UTF-8
        raise InvalidText(f"{field} is not valid Unicode text", {"field": field}) from None
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if not text:
        raise InvalidText(f"{field} is required", {"field": field})
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in text):
        raise InvalidText(f"{field} contains control or unassigned characters", {"field": field})
    if len(text) > max_length:
        raise InvalidText(f"{field} is longer than {max_length} characters",
                          {"field": field, "max_length": max_length})
    return text


def clean_code(value: object, field: str = "code") -> str:
    """A natural key such as a union or member code: letters, digits, '.', '_', '-'."""
    if not isinstance(value, str) or not _CODE.fullmatch(value.strip()):
        raise InvalidCode(f"{field} must be 1–64 letters, digits, '.', '_' or '-'",
                          {"field": field})
    return value.strip()


class DateInFuture(InvalidInput):
    """A thing that happened (a decision, a meeting) dated after today."""

    code = "DATE_IN_FUTURE"


class DateBeforeRecord(InvalidInput):
    """A decision, report or document dated before what it rests on was recorded."""

    code = "DATE_BEFORE_RECORD"


def not_before(on: date, earliest: date | None, what: str) -> None:
    if earliest is not None and on < earliest:
        raise DateBeforeRecord(f"{what} cannot be dated {on}, before {earliest}",
                               {"on": on.isoformat(), "earliest": earliest.isoformat()})


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidDate(f"{field} is not a date (YYYY-MM-DD)", {"field": field}) from None


def search_key(text: str) -> str:
    """Lower-case ASCII words: diacritics, case and punctuation removed ("Đoàn" -> "doan")."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(re.findall(r"[a-z0-9]+", stripped.casefold()))


@functools.lru_cache(maxsize=65536)
def trigrams(key: str) -> frozenset[str]:
    """The trigrams of a ``search_key``'s words, each word padded as PostgreSQL's pg_trgm
    pads it ("cai" -> "  c", " ca", "cai", "ai "): a word's start weighs more than its middle,
    and a two-letter Vietnamese word ("hồ", "sơ") still counts. Cached: a name's trigrams are
    worked out once per process, however often it is compared."""
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def trigram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two trigram sets (pg_trgm's ``similarity``): shared over all."""
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


def search_terms(query: object, field: str = "q") -> list[str]:
    """The words of a search query, each matched as part of a word of the ``search_key``."""
    terms = search_key(clean_text(query, field, 200)).split()
    if not terms:
        raise InvalidText(f"{field} has no letters or digits to search for", {"field": field})
    return terms


def parse_uuid(value: object, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidInput(f"{field} is not a valid id", {"field": field}) from None


def parse_flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{field} must be true or false", {"field": field})
    return value


def parse_page(offset: object, limit: object, max_limit: int = 500) -> tuple[int, int]:
    for name, value in (("offset", offset), ("limit", limit)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidInput(f"{name} must be a non-negative whole number", {"field": name})
    return int(offset), max(1, min(int(limit), max_limit))  # type: ignore[call-overload]


def parse_choice(kind: type[StrEnum], value: object, field: str) -> Any:
    """One of an enumeration's values; anything else is refused with the allowed values."""
    try:
        return kind(str(value))
    except ValueError:
        raise InvalidInput(f"unknown {field} {value!r}",
                           {"field": field, "allowed": [m.value for m in kind]}) from None
