"""The public register on the applications (R4.5, R5.2; Law 06/2022/QH15: awards and
recognised initiatives are public): the awards and initiatives services' ``public_*`` queries
answer what the published decision prints and nothing else, show a revocation as such, search
without diacritics, filter by year and union and page. Through the gateway's HTTP path without
a token: ``tests/integration/test_public_api.py``."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from contracts.public import Author, PublicAward, PublicRecognition, Revocation, fields
from runtime.context import use_context
from runtime.errors import DomainError
from tests.support.awards_world import World, to_the_province, world
from tests.support.province import acting

PERSONAL = ("person_id", "subject_id", "birth", "birth_date", "email", "phone", "code",
            "author_id", "evidence", "scores", "reason", "recovery", "ground", "signer")


@pytest.fixture
def w(store_url: str, settings_for: Any) -> World:
    w = world(settings_for(store_url))
    ids = to_the_province(w.call, w.m)
    w.call("awards", "revoke_award", "A", ids["grassroots_award"], "2026-05-01",
           "false_declaration", "Kê khai thành tích không trung thực",
           {"certificate": True, "money_vnd": 500_000}, number="21/QĐ-CĐCS")
    w.call("initiatives", "revoke", "A", w.m.initiatives["SK-02"], "2026-05-02",
           "not_applied", "Không áp dụng được", number="22/QĐ-CĐCS")
    w.ids = ids  # type: ignore[attr-defined]
    return w


def public(w: World, service: str, method: str, **kwargs: Any) -> Any:
    with use_context(acting("public")):
        return getattr(getattr(w, service), method)(**kwargs)


def exact_keys(item: dict[str, Any], record: type) -> None:
    """R4.5 (Law 06/2022): a public answer carries the record's fields, not one more."""
    assert tuple(item) == fields(record), sorted(set(item) ^ set(fields(record)))
    for key in PERSONAL:
        assert key not in item
    if item.get("revocation") is not None:
        assert tuple(item["revocation"]) == fields(Revocation)
    for author in item.get("authors", []):
        assert tuple(author) == fields(Author)


def test_r4_5_the_public_awards_show_what_the_decision_prints_and_a_revoked_one_as_revoked(
        w: World) -> None:
    page = public(w, "awards", "public_awards")
    assert page["total"] == 2 and page["offset"] == 0 and page["limit"] == 50
    for item in page["items"]:
        exact_keys(item, PublicAward)
    province, grassroots = page["items"]  # newest first
    assert (province["number"], province["decided_on"], province["status"]) == \
        ("99/QĐ-LĐLĐ", "2026-04-10", "in_force")
    assert province["union"] == w.registry.get_union(w.u("TV"))["name"]
    assert province["form"].startswith("Bằng khen") and province["year"] == 2025
    assert province["name"] == w.registry.get_person(w.p("D"))["full_name"]
    assert province["kind"] == "individual" and province["revocation"] is None
    assert (grassroots["number"], grassroots["status"]) == ("05/QĐ-CĐCS", "revoked")
    assert grassroots["revocation"] == {"number": "21/QĐ-CĐCS", "decided_on": "2026-05-01"}


def test_r4_5_the_public_awards_are_searched_without_diacritics_filtered_and_paged(
        w: World) -> None:
    name = w.registry.get_person(w.p("D"))["full_name"]
    from runtime.text import search_key

    assert public(w, "awards", "public_awards", q=search_key(name))["total"] == 2
    assert public(w, "awards", "public_awards", q="BANG KHEN")["total"] == 1
    assert public(w, "awards", "public_awards", q="bằng khen")["total"] == 1
    assert public(w, "awards", "public_awards", q="khong co ai")["total"] == 0
    assert public(w, "awards", "public_awards", year=2024)["total"] == 0
    assert public(w, "awards", "public_awards", year="2025")["total"] == 2
    only = public(w, "awards", "public_awards", union_id=w.u("CS-1"))
    assert [i["number"] for i in only["items"]] == ["05/QĐ-CĐCS"]
    second = public(w, "awards", "public_awards", offset=1, limit=1)
    assert second["total"] == 2 and [i["number"] for i in second["items"]] == ["05/QĐ-CĐCS"]
    with pytest.raises(DomainError):
        public(w, "awards", "public_awards", year="năm ngoái")
    unions = public(w, "awards", "public_award_unions")
    assert {u["union_id"] for u in unions} == {w.u("CS-1"), w.u("TV")}
    assert all(tuple(u) == ("union_id", "name") for u in unions)


def test_r4_5_the_public_decision_is_the_signed_pdf(w: World) -> None:
    document = public(w, "awards", "public_decision", award_id=w.ids["award"])  # type: ignore[attr-defined]
    assert set(document) == {"filename", "media_type", "sha256", "content_base64"}
    content = base64.b64decode(document["content_base64"])
    assert content.startswith(b"%PDF-") and b"/ByteRange" in content


def test_r4_5_the_public_recognitions_show_each_decision_and_a_revoked_one_as_revoked(
        w: World) -> None:
    page = public(w, "initiatives", "public_initiatives")
    for item in page["items"]:
        exact_keys(item, PublicRecognition)
    by = {(i["name"], i["scope"]): i for i in page["items"]}
    assert page["total"] == 4  # SK-01 at three scopes, SK-02 at grassroots
    province = by[("Sổ theo dõi đoàn viên điện tử", "province")]
    assert (province["number"], province["decided_on"], province["year"]) == \
        ("99/QĐ-LĐLĐ", "2025-06-20", 2025)
    assert province["union"] == w.registry.get_union(w.u("TV"))["name"]
    assert province["unit"] == w.registry.get_union(w.u("CS-1"))["name"]
    assert [a["share"] for a in province["authors"]] == [60, 40]
    assert province["status"] == "in_force" and province["scope_title"] == "Phạm vi toàn tỉnh"
    revoked = by[("Quy trình tiếp nhận ý kiến đoàn viên", "grassroots")]
    assert revoked["status"] == "revoked"
    assert revoked["revocation"] == {"number": "22/QĐ-CĐCS", "decided_on": "2026-05-02"}
    assert public(w, "initiatives", "public_initiatives", q="so theo doi")["total"] == 3
    assert public(w, "initiatives", "public_initiatives", q="QUY TRINH")["total"] == 1
    assert public(w, "initiatives", "public_initiatives",
                  union_id=w.u("TV"))["total"] == 1
    assert public(w, "initiatives", "public_initiatives", year=2026)["total"] == 0
    document = public(w, "initiatives", "public_recognition_decision",
                      initiative_id=w.m.initiatives["SK-01"], scope="province")
    assert base64.b64decode(document["content_base64"]).startswith(b"%PDF-")
