"""The union tree's nesting rule (R1.1) and Vietnamese text handling."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from runtime.errors import InvalidInput
from services.registry.domain import ParentLevelMismatch, Union

D = date(2020, 1, 1)


def tree() -> dict[str, Union]:
    vn = Union.found("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None, D)
    tv = Union.found("TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation", vn, D)
    district = Union.found("TV-CT", "Liên đoàn Lao động huyện Càng Long", "direct_superior", tv, D)
    return {"vn": vn, "tv": tv, "district": district}


@pytest.mark.parametrize("parent", ["district", "tv"])
def test_r1_1_a_grassroots_union_sits_under_a_direct_superior_or_the_province(parent: str) -> None:
    union = Union.found("CS-1", "Công đoàn cơ sở Trường THPT", "grassroots", tree()[parent], D)
    assert union.parent_id == tree()[parent].id


@pytest.mark.parametrize("level,parent", [("grassroots", "vn"), ("direct_superior", "vn"),
                                          ("provincial_federation", None), ("confederation", "vn"),
                                          ("direct_superior", "district")])
def test_r1_1_levels_nest_only_as_the_hierarchy_says(level: str, parent: str | None) -> None:
    with pytest.raises(ParentLevelMismatch):
        Union.found("X", "X", level, tree()[parent] if parent else None, D)


def test_names_are_stored_nfc_and_bad_input_is_refused() -> None:
    decomposed = unicodedata.normalize("NFD", "Công đoàn Trà Vinh")
    union = Union.found("TV", f"  {decomposed} ", "provincial_federation", tree()["vn"], D)
    assert union.name == "Công đoàn Trà Vinh" and unicodedata.is_normalized("NFC", union.name)
    for bad in [("", "x", "grassroots"), ("A", " ", "grassroots"), ("A", "x", "village")]:
        with pytest.raises(InvalidInput):
            Union.found(*bad, tree()["tv"], D)
