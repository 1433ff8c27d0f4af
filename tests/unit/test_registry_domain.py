"""The registry's domain rules (R1.1–R1.5), without a store: nesting, life over time,
people, bodies and teams, and the refusals of bad input."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from runtime.errors import DomainError, InvalidInput
from runtime.text import InvalidCode, InvalidText, search_key
from services.registry.domain import (
    AlreadyInBody,
    AlreadyMember,
    Body,
    BodyNotActive,
    BodyNotAllowed,
    DatesOutOfOrder,
    FullTimeNeedsOfficial,
    MembershipNotGrassroots,
    NoExecutiveCommittee,
    NotInExecutiveCommittee,
    NotMember,
    ParentLevelMismatch,
    Period,
    Person,
    PositionNotAllowed,
    PositionTaken,
    Status,
    Union,
    UnionCycle,
    UnionHasChildren,
    UnionNotActive,
)

D = date(2020, 1, 1)


def tree() -> dict[str, Union]:
    vn = Union.found("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None, D)
    tv = Union.found("TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation", vn, D)
    district = Union.found("TV-CL", "Liên đoàn Lao động huyện Càng Long", "direct_superior", tv, D)
    school = Union.found("CS-1", "Công đoàn cơ sở Trường THCS Càng Long", "grassroots", district, D)
    return {"vn": vn, "tv": tv, "district": district, "school": school}


def at(union: Union, on: date) -> Period:
    period = union.as_of(on)
    assert period is not None
    return period


def person(code: str, union: Union, on: date = D, official: bool = False) -> Person:
    return Person.register(code, f"Nguyễn Văn {code}", None, "male", official, False, on, union)


@pytest.mark.parametrize("parent", ["district", "tv"])
def test_r1_1_a_grassroots_union_sits_under_a_direct_superior_or_the_province(parent: str) -> None:
    union = Union.found("CS-2", "Công đoàn cơ sở Trường THPT", "grassroots", tree()[parent], D)
    assert union.parent_id == tree()[parent].id


@pytest.mark.parametrize("level,parent", [("grassroots", "vn"), ("direct_superior", "vn"),
                                          ("provincial_federation", None), ("confederation", "vn"),
                                          ("direct_superior", "district"), ("grassroots", "school")])
def test_r1_1_levels_nest_only_as_the_hierarchy_says(level: str, parent: str | None) -> None:
    with pytest.raises(ParentLevelMismatch):
        Union.found("X", "X", level, tree()[parent] if parent else None, D)


def test_r1_1_a_move_keeps_the_nesting_and_refuses_cycles() -> None:
    t = tree()
    with pytest.raises(UnionCycle):
        t["district"].move(t["district"], date(2021, 1, 1), [t["tv"].id, t["vn"].id])
    with pytest.raises(UnionCycle):  # under its own descendant
        t["tv"].move(t["district"], date(2021, 1, 1), [t["tv"].id, t["vn"].id])
    with pytest.raises(ParentLevelMismatch):
        t["school"].move(t["vn"], date(2021, 1, 1), [])
    t["school"].move(t["tv"], date(2021, 1, 1), [t["vn"].id])
    assert t["school"].parent_id == t["tv"].id


def test_r1_5_a_union_answers_what_it_was_on_any_date() -> None:
    t = tree()
    other = Union.found("TV-CK", "Liên đoàn Lao động huyện Cầu Kè", "direct_superior", t["tv"], D)
    school = t["school"]
    school.rename("Công đoàn cơ sở Trường THCS thị trấn Càng Long", date(2021, 3, 1))
    school.move(other, date(2022, 7, 1), [t["tv"].id, t["vn"].id])
    school.dissolve(date(2024, 1, 1), active_child_ids=[])
    assert school.as_of(date(2019, 12, 31)) is None  # not yet founded
    assert at(school, date(2021, 2, 28)).name == "Công đoàn cơ sở Trường THCS Càng Long"
    assert at(school, date(2021, 3, 1)).name.endswith("thị trấn Càng Long")
    assert at(school, date(2022, 6, 30)).parent_id == t["district"].id
    assert at(school, date(2022, 7, 1)).parent_id == other.id
    assert at(school, date(2023, 12, 31)).status is Status.ACTIVE
    assert at(school, date(2024, 1, 1)).status is Status.DISSOLVED
    assert len(school.periods) == 4  # appended to, never rewritten


def test_r1_5_history_cannot_be_rewritten_by_an_earlier_date() -> None:
    school = tree()["school"]
    school.rename("Tên mới", date(2022, 1, 1))
    with pytest.raises(DatesOutOfOrder):
        school.rename("Tên cũ hơn", date(2021, 1, 1))
    assert school.name == "Tên mới" and len(school.periods) == 2


def test_r1_5_an_ended_union_cannot_be_changed_or_hung_under() -> None:
    t = tree()
    t["school"].dissolve(date(2023, 1, 1), [])
    with pytest.raises(UnionNotActive):
        t["school"].rename("X", date(2023, 2, 1))
    with pytest.raises(UnionNotActive):
        t["school"].move(t["tv"], date(2023, 2, 1), [t["vn"].id])
    with pytest.raises(UnionNotActive):
        person("P-1", t["school"], date(2023, 2, 1))
    with pytest.raises(UnionHasChildren):
        t["district"].dissolve(date(2023, 1, 1), [t["school"].id])


def test_r1_5_merge_and_split_keep_lineage() -> None:
    t = tree()
    a = Union.found("A", "Công đoàn A", "grassroots", t["district"], D)
    b = Union.found("B", "Công đoàn B", "grassroots", t["district"], D)
    a.merge_into(b, date(2022, 1, 1))
    b.absorb([a.id], date(2022, 1, 1))
    assert (a.status, a.successor_ids, b.predecessor_ids) == (Status.MERGED, [b.id], [a.id])
    parts = [Union.found(c, c, "grassroots", t["district"], date(2023, 1, 1), [b.id])
             for c in ("B1", "B2")]
    b.split_into(parts, date(2023, 1, 1))
    assert b.status is Status.SPLIT and b.successor_ids == [p.id for p in parts]
    assert parts[0].predecessor_ids == [b.id]
    with pytest.raises(ParentLevelMismatch):
        t["school"].merge_into(t["district"], date(2023, 1, 1))


def test_r1_3_a_person_is_in_one_union_at_a_time_and_moves_by_transfer() -> None:
    t = tree()
    other = Union.found("CS-2", "Công đoàn cơ sở Bệnh viện", "grassroots", t["tv"], D)
    p = person("P-1", t["school"])
    with pytest.raises(AlreadyMember):
        p.join(other, date(2021, 1, 1))
    p.transfer(other, date(2021, 1, 1))
    assert p.union_on(date(2020, 12, 31)) == t["school"].id
    assert p.union_on(date(2021, 1, 1)) == other.id
    with pytest.raises(DatesOutOfOrder):
        p.leave(date(2020, 6, 1))
    p.leave(date(2022, 1, 1))
    assert p.union_id is None and p.union_on(date(2021, 6, 1)) == other.id
    with pytest.raises(NotMember):
        p.transfer(t["school"], date(2022, 2, 1))
    with pytest.raises(MembershipNotGrassroots):
        p.join(t["district"], date(2022, 2, 1))


def test_r1_3_full_time_is_a_kind_of_official() -> None:
    with pytest.raises(FullTimeNeedsOfficial):
        Person.register("P-1", "Lê Thị Hoa", None, None, False, True, D, tree()["school"])
    p = person("P-2", tree()["school"], official=True)
    p.set_official_status(True, True, date(2021, 1, 1))
    assert (p.is_official, p.is_full_time) == (True, True)


def committee(union: Union, kind: str = "executive_committee", on: date = D) -> Body:
    return Body.constitute(union, kind, f"{kind} {union.code}", on, date(2025, 1, 1))


def test_r1_2_each_level_has_the_bodies_the_charter_gives_it() -> None:
    t = tree()
    for level in ("vn", "tv", "district", "school"):
        assert committee(t[level]).kind == "executive_committee"
    with pytest.raises(BodyNotAllowed):
        committee(t["school"], "standing_committee")  # upper levels act through a BTV
    with pytest.raises(BodyNotAllowed):
        Body.constitute(t["district"], "department", "Ban Chính sách – Pháp luật", D, None,
                        "policy_law")
    department = Body.constitute(t["tv"], "department", "Ban Chính sách – Pháp luật", D, None,
                                 "policy_law")
    assert department.department == "policy_law"


def test_r1_2_one_chairman_and_a_standing_committee_drawn_from_the_executive() -> None:
    t = tree()
    chair, deputy, outsider = (person(c, t["school"], official=True) for c in ("C", "V", "O"))
    executive, standing = committee(t["district"]), committee(t["district"], "standing_committee")
    executive.appoint(chair, "chairman", D)
    executive.appoint(deputy, "vice_chairman", D)
    with pytest.raises(PositionTaken):
        executive.appoint(outsider, "chairman", D)
    with pytest.raises(AlreadyInBody):
        executive.appoint(deputy, "member", D)
    with pytest.raises(PositionNotAllowed):
        executive.appoint(outsider, "leader", D)
    standing.appoint(chair, "chairman", D, executive)
    with pytest.raises(NotInExecutiveCommittee):
        standing.appoint(outsider, "member", D, executive)
    executive.relieve(chair.id, date(2022, 1, 1))
    assert executive.position_on(chair.id, date(2021, 12, 31)) == "chairman"
    assert executive.position_on(chair.id, date(2022, 1, 1)) is None
    executive.appoint(outsider, "chairman", date(2022, 1, 1))
    executive.end(date(2023, 1, 1), "succeeded")
    with pytest.raises(BodyNotActive):
        executive.appoint(chair, "member", date(2023, 2, 1))
    assert executive.position_on(outsider.id, date(2023, 1, 1)) is None


def test_r1_2_a_grassroots_committee_is_drawn_from_the_unions_members() -> None:
    t = tree()
    stranger = person("S", Union.found("CS-9", "Công đoàn khác", "grassroots", t["tv"], D))
    with pytest.raises(NotMember):
        committee(t["school"]).appoint(stranger, "member", D)


def test_r1_4_teams_are_established_by_the_grassroots_executive_committee() -> None:
    t = tree()
    executive = committee(t["school"])
    decision = {"number": "05/QĐ-CĐCS", "signed_on": "2021-02-01"}
    with pytest.raises(InvalidInput):  # no decision
        Body.constitute(t["school"], "idea_incubation_team", "Tổ ươm mầm ý tưởng",
                        date(2021, 2, 1), None, established_by=executive)
    with pytest.raises(NoExecutiveCommittee):
        Body.constitute(t["school"], "idea_incubation_team", "Tổ ươm mầm ý tưởng",
                        date(2021, 2, 1), None, decision=decision)
    with pytest.raises(BodyNotAllowed):
        Body.constitute(t["district"], "initiative_support_team", "Tổ hỗ trợ sáng kiến",
                        date(2021, 2, 1), None, decision=decision,
                        established_by=committee(t["district"]))
    team = Body.constitute(t["school"], "initiative_support_team", "Tổ hỗ trợ sáng kiến",
                           date(2021, 2, 1), None, decision=decision, established_by=executive)
    assert team.decision == {**decision, "established_by": str(executive.id)}
    team.appoint(person("T", t["school"]), "leader", date(2021, 2, 1))
    assert [h.position for h in team.current_holdings()] == ["leader"]


@pytest.mark.parametrize("name,error", [("", InvalidText), ("   ", InvalidText),
                                        ("x" * 501, InvalidText), ("Tên\ud800", InvalidText),
                                        ("Tên\x00", InvalidText), (42, InvalidText)])
def test_bad_names_are_refused_with_a_stable_code(name: object, error: type[DomainError]) -> None:
    with pytest.raises(error) as caught:
        Union.found("TV-2", name, "provincial_federation", tree()["vn"], D)  # type: ignore[arg-type]
    assert caught.value.code == "INVALID_TEXT"


def test_codes_are_plain_keys() -> None:
    with pytest.raises(InvalidCode):
        Union.found("TV 2/ấ", "Tên", "provincial_federation", tree()["vn"], D)


def test_names_are_stored_nfc_and_searched_without_diacritics() -> None:
    decomposed = unicodedata.normalize("NFD", "Liên đoàn Lao động tỉnh Trà Vinh")
    union = Union.found("TV", f"  {decomposed} ", "provincial_federation", tree()["vn"], D)
    assert union.name == "Liên đoàn Lao động tỉnh Trà Vinh"
    assert unicodedata.is_normalized("NFC", union.name)
    assert search_key(decomposed) == search_key(union.name) == "lien doan lao dong tinh tra vinh"
    assert search_key("ĐOÀN Thanh-niên") == "doan thanh nien"
