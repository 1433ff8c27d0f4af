"""R5.2: the one shape of a list, ``{items, total, offset, limit}`` (``runtime.paging``), and
what the gateway's answer keeps of it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from runtime.paging import PAGE_FIELDS, Page, page, paginate


def test_r5_2_a_whole_list_is_paged_and_a_read_slice_keeps_its_total() -> None:
    assert paginate(list(range(7)), 5, 3) == {"items": [5, 6], "total": 7, "offset": 5,
                                              "limit": 3}
    assert paginate([], 0, 50) == {"items": [], "total": 0, "offset": 0, "limit": 50}
    assert page(("a", "b"), 40, 10, 2) == {"items": ["a", "b"], "total": 40, "offset": 10,
                                           "limit": 2}
    assert {"items", "total", "offset", "limit"} == PAGE_FIELDS


def test_r5_2_a_list_keeps_its_own_fields_beside_the_four() -> None:
    """A list may carry fields of its own (how many are unread, say): the gateway's answer,
    validated against ``Page``, keeps them, and the OpenAPI schema allows them."""
    app = FastAPI()

    @app.get("/list", response_model=Page)
    def answer() -> dict[str, Any]:
        return {**paginate([1, 2, 3], 0, 2), "unread": 1}

    client = TestClient(app)
    assert client.get("/list").json() == {"items": [1, 2], "total": 3, "offset": 0, "limit": 2,
                                          "unread": 1}
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Page"]
    assert set(schema["required"]) == PAGE_FIELDS and schema["additionalProperties"] is True
