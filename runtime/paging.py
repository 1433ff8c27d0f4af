"""The one shape of a list, whoever answers it: ``{items, total, offset, limit}``.

A service that pages a list itself (the members of a union, a tracking book) answers a
``Page``; the gateway pages the lists a service answers whole, and answers every list, over
HTTP and gRPC, in this shape (R5.2). A list may carry fields of its own beside these four
(they are never left out). The log's pages (``runtime.publication``) are another thing: a
position to resume after, not a slice of a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typing_extensions import TypedDict  # pydantic reads it on Python 3.11 for the schema


class Page(TypedDict):
    items: list[Any]
    total: int  # how many items the whole list has
    offset: int  # the first item of this page, from 0
    limit: int  # at most this many items in the page


# What pydantic's ``with_config`` sets: a list's own fields beside the four are kept in the
# gateway's answer and its OpenAPI schema says so (``additionalProperties``); no import of
# pydantic in the runtime for it.
Page.__pydantic_config__ = {"extra": "allow"}  # type: ignore[attr-defined]


PAGE_FIELDS = frozenset(Page.__annotations__)


def page(items: Sequence[Any], total: int, offset: int, limit: int) -> Page:
    """A page of a list read a slice at a time (the slice and how many there are in all)."""
    return Page(items=list(items), total=total, offset=offset, limit=limit)


def paginate(items: Sequence[Any], offset: int, limit: int) -> Page:
    """A page of a list held whole."""
    return page(items[offset:offset + limit], len(items), offset, limit)
