"""The registry application on a real store (SQLite and PostgreSQL): as-of answers across a
move, a merge and a split (R1.5), the queries other services use, and bad input that
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.clock import FixedClock
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from services.registry.application import Registry
from services.registry.readmodel import metadata

OPERATOR = CommandContext(Actor("op-1", "operator"))
TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Iterator[Registry]:
    app = Registry(settings_for(store_url), clock=FixedClock(TODAY))
    with use_context(OPERATOR):
        yield app


def province(app: Registry) -> dict[str, str]:
    ids: dict[str, str] = {}
    ids["vn"] = str(app.found_union("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation",
                                    "1929-07-28"))
    ids["tv"] = str(app.found_union("TV", "Liên đoàn Lao động tỉnh Trà Vinh",
                                    "provincial_federation", "1990-01-01", ids["vn"]))
    for key, code, name in [("cl", "TV-CL", "Liên đoàn Lao động huyện Càng Long"),
                            ("ck", "TV-CK", "Liên đoàn Lao động huyện Cầu Kè")]:
        ids[key] = str(app.found_union(code, name, "direct_superior", "1995-01-01", ids["tv"]))
    ids["school"] = str(app.found_union("CS-1", "Công đoàn cơ sở Trường THCS Càng Long",
                                        "grassroots", "2000-01-01", ids["cl"]))
    ids["office"] = str(app.found_union("CS-VP", "Công đoàn cơ quan Liên đoàn Lao động tỉnh",
                                        "grassroots", "2000-01-01", ids["tv"]))
    return ids


def superior(app: Registry, union_id: str, as_of: str | None = None) -> str:
    found = app.direct_superior(union_id, as_of)
    assert found is not None
    return str(found["code"])


def codes(unions: list[dict[str, Any]]) -> list[str]:
    return [u["code"] for u in unions]


def snapshot(app: Registry) -> tuple[int | None, dict[str, int]]:
    """The position of the log and the size of every read-model table."""
    with app.engine.connect() as connection:
        sizes = {t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                 for t in metadata.sorted_tables}
    return app.recorder.max_notification_id(), sizes


def test_r1_5_as_of_answers_across_a_move(registry: Registry) -> None:
    ids = province(registry)
    registry.move_union(ids["school"], ids["ck"], "2022-07-01")
    assert codes(registry.ancestors(ids["school"], "2022-06-30")) == ["TV-CL", "TV", "VN"]
    assert codes(registry.ancestors(ids["school"], "2022-07-01")) == ["TV-CK", "TV", "VN"]
    assert superior(registry, ids["school"], "2010-01-01") == "TV-CL"
    assert superior(registry, ids["school"]) == "TV-CK"  # today, from the clock
    assert "CS-1" in codes(registry.descendants(ids["cl"], "2022-06-30"))
    assert "CS-1" not in codes(registry.descendants(ids["cl"], "2022-07-01"))
    assert registry.union_history(ids["school"])["periods"][0]["valid_to"] == "2022-07-01"


def test_r1_5_as_of_answers_across_a_merge(registry: Registry) -> None:
    ids = province(registry)
    member = str(registry.register_person("DV-1", "Thạch Thị Sa Rai", "2010-01-01", ids["school"]))
    executive = str(registry.constitute_body(ids["cl"], "executive_committee",
                                             "BCH LĐLĐ huyện Càng Long", "2020-01-01"))
    successor = str(registry.merge_unions([ids["cl"], ids["ck"]], "2024-01-01", new_union={
        "code": "TV-CLCK", "name": "Liên đoàn Lao động liên huyện Càng Long – Cầu Kè"}))
    assert registry.get_union(successor)["parent_id"] == ids["tv"]  # the common parent
    assert codes(registry.ancestors(ids["school"], "2023-12-31"))[0] == "TV-CL"
    assert codes(registry.ancestors(ids["school"], "2024-01-01"))[0] == "TV-CLCK"
    assert registry.get_union(ids["cl"], "2024-01-01")["status"] == "merged"
    assert registry.get_union(ids["cl"], "2023-12-31")["status"] == "active"
    tree_2023 = registry.tree("2023-12-31", ids["tv"])[0]
    tree_2024 = registry.tree("2024-01-01", ids["tv"])[0]
    assert codes(tree_2023["children"]) == ["CS-VP", "TV-CK", "TV-CL"]
    assert codes(tree_2024["children"]) == ["CS-VP", "TV-CLCK"]
    assert registry.get_person(member)["union_id"] == ids["school"]  # a grandchild: unchanged
    assert registry.bodies(ids["cl"], "2023-12-31")[0]["id"] == executive
    assert registry.bodies(ids["cl"], "2024-01-01") == []  # the merged union's bodies ended
    links = registry.union_history(successor)["links"]
    assert {(x["predecessor_id"], x["kind"]) for x in links} == {(ids["cl"], "merge"),
                                                                 (ids["ck"], "merge")}


def test_r1_5_as_of_answers_across_a_split(registry: Registry) -> None:
    ids = province(registry)
    people = [str(registry.register_person(f"DV-{i}", f"Nguyễn Văn {n}", "2015-05-01", ids["school"]))
              for i, n in enumerate(["An", "Bình", "Cường"])]
    first, second = registry.split_union(ids["school"], "2025-09-01", [
        {"code": "CS-1A", "name": "Công đoàn cơ sở Trường THCS Càng Long A", "members": people[:2]},
        {"code": "CS-1B", "name": "Công đoàn cơ sở Trường THCS Càng Long B", "members": people[2:],
         "parent_id": ids["ck"]}])
    assert registry.members(ids["school"], "2025-08-31")["total"] == 3
    assert registry.members(ids["school"], "2025-09-01")["total"] == 0
    assert registry.members(str(first), "2025-09-01")["total"] == 2
    assert registry.get_person(people[2], "2025-09-01")["union_id"] == str(second)
    assert registry.get_person(people[2], "2025-08-31")["union_id"] == ids["school"]
    assert superior(registry, str(second)) == "TV-CK"
    assert superior(registry, str(first)) == "TV-CL"
    with pytest.raises(DomainError) as before:
        registry.get_union(str(first), "2025-08-31")
    assert before.value.code == "UNION_NOT_FOUND"
    transfers = [m["ended_by"] for m in registry.get_person(people[0])["memberships"]]
    assert transfers == ["union_split", None]


def test_r1_5_a_split_must_place_every_member(registry: Registry) -> None:
    ids = province(registry)
    people = [str(registry.register_person(f"DV-{i}", f"Lê Thị {i}", "2015-05-01", ids["school"]))
              for i in range(3)]
    before = snapshot(registry)
    with pytest.raises(DomainError) as caught:
        registry.split_union(ids["school"], "2025-09-01", [
            {"code": "CS-1A", "name": "A", "members": people[:1]},
            {"code": "CS-1B", "name": "B", "members": people[1:2]}])
    assert caught.value.code == "ALLOCATION_INCOMPLETE"
    assert caught.value.details["missing"] == [people[2]]
    assert snapshot(registry) == before


def test_r1_5_dissolving_ends_memberships_and_bodies_and_needs_no_children(registry: Registry) -> None:
    ids = province(registry)
    member = str(registry.register_person("DV-1", "Võ Văn Tám", "2010-01-01", ids["school"]))
    body = str(registry.constitute_body(ids["school"], "executive_committee", "BCH", "2022-01-01"))
    registry.appoint(body, member, "chairman", "2022-01-01")
    with pytest.raises(DomainError) as caught:
        registry.dissolve_union(ids["cl"], "2024-01-01")
    assert caught.value.code == "UNION_HAS_CHILDREN"
    registry.dissolve_union(ids["school"], "2024-01-01")
    assert registry.get_person(member, "2023-12-31")["union_id"] == ids["school"]
    assert registry.get_person(member, "2024-01-01")["union_id"] is None
    assert registry.held_positions(member, ids["school"], "2023-12-31")[0]["position"] == "chairman"
    assert registry.held_positions(member, ids["school"], "2024-01-01") == []
    registry.dissolve_union(ids["cl"], "2024-01-01")  # no active child any more
    with pytest.raises(DomainError) as changed:
        registry.move_union(ids["cl"], ids["tv"], "2024-06-01")
    assert changed.value.code == "UNION_NOT_ACTIVE"


def test_r1_5_a_union_cannot_end_before_what_is_recorded_after_that_date(registry: Registry) -> None:
    ids = province(registry)
    member = str(registry.register_person("DV-1", "Lâm Văn Hải", "2005-01-01", ids["school"]))
    registry.transfer_person(member, ids["office"], "2015-01-01")
    before = snapshot(registry)
    with pytest.raises(DomainError) as caught:
        registry.dissolve_union(ids["school"], "2010-01-01")  # they were a member until 2015
    assert caught.value.code == "DATES_OUT_OF_ORDER"
    assert snapshot(registry) == before


def test_r1_2_two_executive_committees_are_never_in_office_at_once(registry: Registry) -> None:
    ids = province(registry)
    first = str(registry.constitute_body(ids["school"], "executive_committee", "BCH khóa 1",
                                         "2002-01-01"))
    registry.end_body(first, "2025-01-01")
    with pytest.raises(DomainError) as caught:
        registry.constitute_body(ids["school"], "executive_committee", "BCH khóa 2", "2023-01-01")
    assert caught.value.code == "BODY_NOT_ACTIVE"
    assert [b["id"] for b in registry.bodies(ids["school"], "2024-01-01")] == [first]


def test_r1_2_r1_3_who_leaves_a_union_or_its_committee_leaves_what_hangs_on_it(registry: Registry) -> None:
    ids = province(registry)
    chair = str(registry.register_person("DV-1", "Mai Văn Phúc", "2005-01-01", ids["school"]))
    executive = str(registry.constitute_body(ids["school"], "executive_committee", "BCH", "2020-01-01"))
    registry.appoint(executive, chair, "chairman", "2020-01-01")
    registry.transfer_person(chair, ids["office"], "2024-06-01")
    assert registry.held_positions(chair, as_of="2024-05-31")[0]["position"] == "chairman"
    assert registry.held_positions(chair, as_of="2024-06-01") == []
    official = str(registry.register_person("CB-1", "Đỗ Thị Lan", "2005-01-01", ids["office"],
                                            is_official=True))
    bch = str(registry.constitute_body(ids["tv"], "executive_committee", "BCH", "2020-01-01"))
    btv = str(registry.constitute_body(ids["tv"], "standing_committee", "BTV", "2020-01-01"))
    registry.appoint(bch, official, "member", "2020-01-01")
    registry.appoint(btv, official, "member", "2020-01-01")
    registry.relieve(bch, official, "2022-01-01")
    assert registry.held_positions(official, ids["tv"], "2022-01-01") == []  # out of the BTV too
    registry.constitute_body(ids["tv"], "executive_committee", "BCH khóa mới", "2023-01-01")
    assert registry.bodies(ids["tv"], "2023-01-01", "standing_committee") == []  # elected anew


def test_r1_2_r1_3_positions_held_on_a_date_and_the_policy_law_department(registry: Registry) -> None:
    ids = province(registry)
    chair = str(registry.register_person("CB-1", "Trần Quốc Tuấn", "2005-01-01", ids["office"],
                                         is_official=True, is_full_time=True))
    executive = str(registry.constitute_body(ids["tv"], "executive_committee",
                                             "BCH LĐLĐ tỉnh khóa X", "2023-07-20", "2028-07-19"))
    standing = str(registry.constitute_body(ids["tv"], "standing_committee",
                                            "BTV LĐLĐ tỉnh khóa X", "2023-07-20", "2028-07-19"))
    registry.appoint(executive, chair, "chairman", "2023-07-20")
    registry.appoint(standing, chair, "chairman", "2023-07-20")
    department = str(registry.constitute_body(ids["tv"], "department", "Ban Chính sách – Pháp luật",
                                              "2023-08-01", department="policy_law"))
    registry.appoint(department, chair, "head", "2023-08-01")
    held = registry.held_positions(chair, ids["tv"], "2024-01-01", "standing_committee")
    assert [(h["position"], h["body"]["id"]) for h in held] == [("chairman", standing)]
    assert registry.held_positions(chair, ids["tv"], "2023-07-19") == []
    assert (registry.department(ids["tv"], "policy_law", "2024-01-01") or {}).get("id") == department
    assert registry.department(ids["tv"], "policy_law", "2023-07-31") is None
    # A new term succeeds the old one on its first day.
    new_term = str(registry.constitute_body(ids["tv"], "executive_committee",
                                            "BCH LĐLĐ tỉnh khóa XI", "2028-07-20"))
    assert [b["id"] for b in registry.bodies(ids["tv"], "2028-07-19", "executive_committee")] == [executive]
    assert [b["id"] for b in registry.bodies(ids["tv"], "2028-07-20", "executive_committee")] == [new_term]
    assert registry.held_positions(chair, ids["tv"], "2028-07-20", "executive_committee") == []


def test_r1_4_a_team_with_its_establishing_decision(registry: Registry) -> None:
    ids = province(registry)
    leader = str(registry.register_person("DV-1", "Kim Thị Sô Phia", "2010-01-01", ids["school"]))
    executive = str(registry.constitute_body(ids["school"], "executive_committee", "BCH", "2022-01-01"))
    team = str(registry.constitute_body(
        ids["school"], "idea_incubation_team", "Tổ ươm mầm ý tưởng", "2024-02-15",
        decision={"number": "12/QĐ-CĐCS", "signed_on": "2024-02-15"}))
    registry.appoint(team, leader, "leader", "2024-02-15")
    [found] = registry.bodies(ids["school"], "2024-03-01", "idea_incubation_team")
    assert found["decision"] == {"number": "12/QĐ-CĐCS", "signed_on": "2024-02-15",
                                 "established_by": executive}
    assert found["members"][0]["full_name"] == "Kim Thị Sô Phia"


def test_r1_3_members_over_time_and_diacritics_insensitive_search(registry: Registry) -> None:
    ids = province(registry)
    person = str(registry.register_person("DV-1", "Huỳnh Thị Ngọc Điệp", "2010-01-01", ids["school"]))
    registry.transfer_person(person, ids["office"], "2023-03-01")
    assert registry.members(ids["school"], "2023-02-28")["items"][0]["id"] == person
    assert registry.members(ids["office"], "2023-03-01")["total"] == 1
    assert [p["id"] for p in registry.search_people("ngoc diep")] == [person]
    assert [p["id"] for p in registry.search_people("HUYNH", ids["office"])] == [person]
    assert registry.search_people("HUYNH", ids["school"]) == []
    assert codes(registry.search_unions("lien doan tra vinh")) == ["TV"]
    assert codes(registry.search_unions("Cầu kè")) == ["TV-CK"]
    registry.rename_union(ids["tv"], "Liên đoàn Lao động tỉnh Trà Vinh mới", "2025-01-01")
    assert registry.search_unions("tra vinh moi", "2024-12-31") == []
    assert codes(registry.search_unions("tra vinh moi")) == ["TV"]


def test_bad_input_is_refused_with_a_stable_code_and_changes_nothing(registry: Registry) -> None:
    ids = province(registry)
    person = str(registry.register_person("DV-1", "Phạm Văn Đồng", "2010-01-01", ids["school"]))
    before = snapshot(registry)
    refusals = [
        ("PARENT_LEVEL_MISMATCH",
         lambda: registry.found_union("X", "X", "grassroots", "2020-01-01", ids["vn"])),
        ("UNION_CYCLE", lambda: registry.move_union(ids["tv"], ids["tv"], "2020-01-01")),
        ("UNION_CODE_TAKEN",
         lambda: registry.found_union("TV", "Trùng", "provincial_federation", "2020-01-01", ids["vn"])),
        ("DATES_OUT_OF_ORDER", lambda: registry.leave_union(person, "2009-12-31")),
        ("PERSON_ALREADY_MEMBER", lambda: registry.join_union(person, ids["office"], "2020-01-01")),
        ("PERSON_CODE_TAKEN", lambda: registry.register_person("DV-1", "Ai đó", "2020-01-01")),
        ("INVALID_TEXT", lambda: registry.rename_union(ids["tv"], "\udcff", "2021-01-01")),
        ("INVALID_DATE", lambda: registry.rename_union(ids["tv"], "Tên", "31/12/2021")),
        ("UNION_NOT_FOUND", lambda: registry.get_union("8b0a5f5e-0000-4000-8000-000000000000")),
        ("INVALID_INPUT", lambda: registry.members(ids["tv"], limit=-1)),
        ("MEMBERSHIP_NOT_GRASSROOTS",
         lambda: registry.transfer_person(person, ids["cl"], "2021-01-01")),
        ("UNION_CODE_TAKEN", lambda: registry.split_union(ids["school"], "2021-01-01", [
            {"code": "P", "name": "P", "members": [person]}, {"code": "P", "name": "P"}])),
    ]
    wrong_types: list[Any] = [[], {}, 7]
    for wrong_type in wrong_types:
        with pytest.raises(DomainError) as caught:
            registry.bodies(ids["tv"], None, wrong_type)
        assert caught.value.code == "INVALID_INPUT"
    for code, attempt in refusals:
        with pytest.raises(DomainError) as caught:
            attempt()
        assert caught.value.code == code, (code, caught.value)
        assert caught.value.message
    assert snapshot(registry) == before


def test_the_read_model_rebuilds_from_the_log(registry: Registry) -> None:
    ids = province(registry)
    person = str(registry.register_person("DV-1", "Sơn Thị Mỹ", "2010-01-01", ids["school"]))
    body = str(registry.constitute_body(ids["school"], "executive_committee", "BCH", "2020-01-01"))
    registry.appoint(body, person, "chairman", "2020-01-01")
    registry.set_official_status(person, True, False, "2021-01-01")
    registry.move_union(ids["school"], ids["ck"], "2022-07-01")
    registry.merge_unions([ids["cl"], ids["ck"]], "2024-01-01", into_union_id=None,
                          new_union={"code": "M", "name": "Liên đoàn Lao động liên huyện"})

    def answers() -> tuple[Any, ...]:
        return (registry.tree("2023-01-01"), registry.tree("2025-01-01"),
                registry.union_history(ids["school"]), registry.members(ids["school"]),
                registry.bodies(ids["school"], "2021-06-01"), registry.get_person(person, "2020-06-01"),
                registry.get_person(person, "2021-06-01"))

    before = answers()
    assert before[4][0]["members"][0]["position"] == "chairman"
    assert (before[5]["is_official"], before[6]["is_official"]) == (False, True)
    assert registry.rebuild_read_model(page_size=3) == registry.recorder.max_notification_id()
    assert answers() == before


def test_every_registry_event_is_published_under_its_contract(registry: Registry) -> None:
    ids = province(registry)
    person = str(registry.register_person("DV-1", "Dương Văn Minh", "2010-01-01", ids["school"]))
    body = str(registry.constitute_body(ids["school"], "executive_committee", "BCH", "2022-01-01"))
    registry.appoint(body, person, "chairman", "2022-01-01")
    registry.relieve(body, person, "2023-01-01")
    registry.set_official_status(person, True, False, "2023-01-01")
    registry.rename_union(ids["school"], "Tên mới", "2023-02-01")
    registry.transfer_person(person, ids["office"], "2023-03-01")
    registry.leave_union(person, "2023-04-01")
    registry.split_union(ids["school"], "2024-01-01", [{"code": "A", "name": "A"},
                                                       {"code": "B", "name": "B"}])
    page = registry.published_page(after=None, limit=1000)
    names = {e["name"] for e in page["envelopes"]}
    assert names == {
        "registry.union_founded", "registry.person_registered", "registry.body_constituted",
        "registry.body_member_appointed", "registry.body_member_relieved",
        "registry.official_status_changed", "registry.union_renamed",
        "registry.member_transferred", "registry.member_left", "registry.union_split",
        "registry.body_ended"}
    assert len(page["envelopes"]) == registry.recorder.max_notification_id()  # none internal


def test_events_and_read_model_rows_are_stored_together_or_not_at_all(registry: Registry,
                                                                      monkeypatch: Any) -> None:
    ids = province(registry)
    before = snapshot(registry)

    def broken(connection: Any, events: Any) -> None:
        raise RuntimeError("the read model could not be written")

    assert registry.read_model is not None
    monkeypatch.setattr(registry.read_model, "apply", broken)
    with pytest.raises(RuntimeError):
        registry.rename_union(ids["tv"], "Tên mới", "2024-01-01")
    monkeypatch.undo()
    assert snapshot(registry) == before  # the event was rolled back with the rows
    assert registry.union(ids["tv"]).name == "Liên đoàn Lao động tỉnh Trà Vinh"


def test_r5_2_the_registry_itself_refuses_changes_by_others_than_its_administrators(
        registry: Registry) -> None:
    """The gateway is not the only guard: an official's change, or an administrator of Càng
    Long changing Cầu Kè, is refused by the registry, and nothing is recorded."""
    ids = province(registry)
    before = snapshot(registry)
    for actor, code, parent in ((Actor("u-1", "official", ids["cl"]), "CS-9", ids["cl"]),
                                (Actor("u-2", "administrator", ids["cl"]), "CS-8", ids["ck"])):
        with use_context(CommandContext(actor)), pytest.raises(DomainError) as refused:
            registry.found_union(code, "Công đoàn cơ sở mới", "grassroots", "2026-01-01", parent)
        assert refused.value.code == "NO_AUTHORITY"
    with use_context(CommandContext(Actor("u-2", "administrator", ids["cl"]))), \
            pytest.raises(DomainError) as renamed:
        registry.rename_union(ids["ck"], "Liên đoàn Lao động huyện Cầu Kè mới", "2026-01-01")
    assert renamed.value.code == "NO_AUTHORITY"
    assert snapshot(registry) == before
    with use_context(CommandContext(Actor("u-2", "administrator", ids["cl"]))):
        registry.found_union("CS-7", "Công đoàn cơ sở Trường Tiểu học", "grassroots", "2026-01-01",
                             ids["cl"])
    assert codes(registry.descendants(ids["cl"])) == ["CS-1", "CS-7"]


def test_r4_5_a_body_ends_with_its_reason_as_clean_text_or_is_refused(registry: Registry) -> None:
    """The reason a committee's term ended is text like any other: a NUL or an overlong one is
    refused with the field named and nothing recorded (it was cut at 64 characters unread)."""
    ids = province(registry)
    body = str(registry.constitute_body(ids["school"], "executive_committee", "BCH khóa 1",
                                        "2002-01-01"))
    before = snapshot(registry)
    for reason in ("hết\x00nhiệm kỳ", "x" * 65):
        with pytest.raises(DomainError) as caught:
            registry.end_body(body, "2025-01-01", reason)
        assert caught.value.details.get("field") == "reason"
    assert snapshot(registry) == before
    registry.end_body(body, "2025-01-01", "Hết nhiệm kỳ")
    assert registry.bodies(ids["school"], "2024-01-01")[0]["id"] == body
