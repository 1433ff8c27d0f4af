"""A reorganisation plan (R1.5): a hundred and more foundings, moves, renames, merges (of
provincial federations too), splits and dissolutions for one date, checked whole in their
order, refused whole with the bad row named, applied whole in one call and one transaction,
recorded as one decision that every event cites; decisions dated before it keep the old tree."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from runtime.clock import FixedClock
from runtime.context import Actor, CommandContext, use_context
from runtime.errors import DomainError
from services.registry.application import Registry
from services.registry.domain import Union

OPERATOR = CommandContext(Actor("op-1", "operator"))
TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
ON, BEFORE = "2026-07-01", "2026-06-30"
COLUMNS = ["action", "union_code", "name", "level", "parent_code", "successor_code", "members",
           "children"]
DISTRICTS = {"D1": "TV", "D2": "TV", "D3": "TV", "D4": "VL"}
REGION = {"D1": "KV1", "D2": "KV1", "D3": "KV2", "D4": "KV2"}


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Iterator[Registry]:
    app = Registry(settings_for(store_url), clock=FixedClock(TODAY))
    with use_context(OPERATOR):
        yield app


def uid(code: str) -> str:
    return str(Union.create_id(code))


def two_provinces(app: Registry) -> None:
    """Two provinces, four district federations, fifteen grassroots unions in each; two
    members in the union that is split."""
    app.found_union("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", "1929-07-28")
    for code, name in (("TV", "Liên đoàn Lao động tỉnh Trà Vinh"),
                       ("VL", "Liên đoàn Lao động tỉnh Vĩnh Long")):
        app.found_union(code, name, "provincial_federation", "1990-01-01", uid("VN"))
    for district, province in DISTRICTS.items():
        app.found_union(district, f"Liên đoàn Lao động huyện {district}", "direct_superior",
                        "1995-01-01", uid(province))
        for i in range(1, 16):
            app.found_union(f"G{district}-{i}", f"Công đoàn cơ sở {district} số {i}", "grassroots",
                            "2000-01-01", uid(district))
    for code in ("DV-1", "DV-2"):
        app.register_person(code, f"Đoàn viên {code}", "2010-01-01", uid("GD4-1"))


def plan_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def add(action: str, union_code: str, **more: str) -> None:
        rows.append({"action": action, "union_code": union_code, **more})

    add("Thành lập", "KV1", name="Công đoàn Khu vực 1", level="direct_superior", parent_code="TV")
    add("found", "KV2", name="Công đoàn Khu vực 2", level="Công đoàn cấp trên trực tiếp cơ sở",
        parent_code="VL")
    for district in DISTRICTS:
        for i in range(1, 16):
            add("Chuyển", f"G{district}-{i}", parent_code=REGION[district])
    for district in DISTRICTS:
        add("Giải thể", district)
    for i in range(1, 16):
        add("found", f"N-{i}", name=f"Công đoàn cơ sở mới số {i}", level="grassroots",
            parent_code="KV1")
    for i in range(1, 16):
        add("Đổi tên", f"GD1-{i}", name=f"Công đoàn cơ sở Khu vực 1 số {i}")
    add("Hợp nhất", "GD2-1, GD2-2", successor_code="GD2-3")
    add("merge", "GD3-1,GD3-2", successor_code="GD3-M", name="Công đoàn cơ sở hợp nhất",
        parent_code="KV2")
    add("Chia tách", "GD4-1", successor_code="GD4-1A", name="Công đoàn cơ sở phần A",
        members="DV-1")
    add("Chia tách", "GD4-1", successor_code="GD4-1B", name="Công đoàn cơ sở phần B", members="*")
    add("Sáp nhập", "TV, VL", successor_code="VLTV", name="Liên đoàn Lao động tỉnh Vĩnh Long (mới)",
        parent_code="VN")
    add("Đổi tên", "KV1", name="Công đoàn Khu vực 1 tỉnh Vĩnh Long")
    return rows


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def apply(app: Registry, rows: list[dict[str, str]], dry_run: bool = False,
          number: str = "125/QĐ-LĐLĐ") -> dict[str, Any]:
    return app.apply_reorganisation(
        number, "2026-06-15", ON, "Nghị quyết số 60-NQ/TW; Quyết định số 125/QĐ-LĐLĐ",
        uid("VN"), as_csv(rows), "csv", dry_run, "phuong-an.csv")


def expected_parents() -> tuple[dict[str, str], dict[str, str]]:
    """The grassroots unions' parents the day before and the day of the plan, from the plan."""
    before, after = {}, {}
    for district in DISTRICTS:
        for i in range(1, 16):
            before[f"G{district}-{i}"] = district
            after[f"G{district}-{i}"] = REGION[district]
    for gone in ("GD2-1", "GD2-2", "GD3-1", "GD3-2", "GD4-1"):
        del after[gone]
    after.update({f"N-{i}": "KV1" for i in range(1, 16)})
    after.update({"GD3-M": "KV2", "GD4-1A": "KV2", "GD4-1B": "KV2"})
    return before, after


def grassroots(app: Registry, on: str) -> dict[str, str]:
    """Every grassroots union active on the date, with its direct superior's code."""
    found: dict[str, str] = {}

    def walk(nodes: list[dict[str, Any]], parent: str | None) -> None:
        for node in nodes:
            if node["level"] == "grassroots":
                assert parent is not None
                found[node["code"]] = parent
            walk(node.get("children", []), node["code"])

    walk(app.tree(on), None)
    return found


def test_r1_5_a_plan_of_over_100_changes_applies_whole_in_one_call(registry: Registry) -> None:
    two_provinces(registry)
    rows = plan_rows()
    assert len(rows) >= 100
    preview = apply(registry, rows, dry_run=True)
    assert preview["changes"] == len(rows)
    moved = {r["code"]: r for r in preview["tree"]}
    assert moved["GD1-7"]["parent_before"]["code"] == "D1"
    assert moved["GD1-7"]["parent_after"]["code"] == "KV1"
    assert moved["KV1"]["parent_after"]["code"] == "VLTV"
    position = registry.recorder.max_notification_id()
    assert registry.recorder.max_notification_id() == position  # the preview stored nothing

    answer = apply(registry, rows)

    assert answer["dry_run"] is False
    # one transaction, its events in the order of the rows: a union exists before one moves
    # under it (consumers read them in this order)
    stored = [(n.originator_id, n.topic.rpartition(".")[2])
              for n in registry.recorder.select_notifications((position or 0) + 1, 10_000)]
    assert stored.index((Union.create_id("VLTV"), "Founded")) < \
        stored.index((Union.create_id("KV1"), "Moved"))
    assert stored.index((Union.create_id("KV1"), "Founded")) < \
        stored.index((Union.create_id("GD1-1"), "Moved")) < \
        stored.index((Union.create_id("D1"), "Dissolved"))
    assert stored[-1][1] == "Decided"
    before, after = expected_parents()
    assert grassroots(registry, BEFORE) == before  # the old tree, for decisions before
    assert grassroots(registry, ON) == after
    assert [u["code"] for u in registry.ancestors(uid("GD1-5"), BEFORE)] == ["D1", "TV", "VN"]
    assert [u["code"] for u in registry.ancestors(uid("GD1-5"), ON)] == ["KV1", "VLTV", "VN"]
    assert registry.get_union(uid("GD1-5"), ON)["name"] == "Công đoàn cơ sở Khu vực 1 số 5"
    assert registry.get_union(uid("GD1-5"), BEFORE)["name"] == "Công đoàn cơ sở D1 số 5"
    members = {m["code"] for m in registry.members(uid("GD4-1B"), ON)["items"]}
    assert members == {"DV-2"}
    # one decision, which every event of the plan cites
    plan = registry.get_reorganisation(answer["plan_id"])
    assert plan["number"] == "125/QĐ-LĐLĐ" and len(plan["changes"]) == len(rows)
    assert plan["sha256"] == answer["sha256"]
    moved_event = registry.history(uid("GD3-7"))[-1]
    assert moved_event["event"] == "Moved"
    assert f"reorganisation:{answer['plan_id']}" in moved_event["decision"]["evidence"]
    assert moved_event["actor"]["user_id"] == "op-1"
    with pytest.raises(DomainError) as again:  # a plan is recorded once
        apply(registry, rows)
    assert again.value.code == "PLAN_EXISTS"


def test_r1_5_a_broken_row_in_the_middle_refuses_the_whole_plan(registry: Registry) -> None:
    two_provinces(registry)
    rows = plan_rows()
    middle = len(rows) // 2
    rows[middle] = {**rows[middle], "parent_code": "KHONG-CO"}
    position = registry.recorder.max_notification_id()

    for dry_run in (True, False):
        with pytest.raises(DomainError) as refused:
            apply(registry, rows, dry_run=dry_run)
        assert refused.value.code == "IMPORT_REFUSED"
        errors = refused.value.details["errors"]
        assert errors[0]["row"] == middle + 2  # the CSV line, the header being 1
        assert errors[0]["code"] == "UNION_NOT_FOUND" and errors[0]["column"] == "parent_code"
        # and what follows from it: the union left behind keeps its district from dissolving
        assert [(e["row"], e["code"]) for e in errors[1:]] == [(67, "UNION_HAS_CHILDREN")]
        assert "tree" in refused.value.details

    assert registry.recorder.max_notification_id() == position  # nothing stored
    assert grassroots(registry, ON) == expected_parents()[0]


def test_r1_5_rows_are_judged_in_their_order(registry: Registry) -> None:
    two_provinces(registry)
    rows = plan_rows()
    dissolve = next(i for i, r in enumerate(rows) if r["action"] == "Giải thể")
    early = [rows[dissolve], *rows[:dissolve], *rows[dissolve + 1:]]  # D1 dissolved first
    with pytest.raises(DomainError) as refused:
        apply(registry, early, dry_run=True)
    assert [(e["row"], e["code"]) for e in refused.value.details["errors"]] == \
        [(2, "UNION_HAS_CHILDREN")]


def test_r1_5_a_plan_from_an_excel_workbook_names_the_sheet_and_row(registry: Registry) -> None:
    from openpyxl import load_workbook

    from services.registry.workbook import COLUMNS as HEADERS

    two_provinces(registry)
    template = registry.reorganisation_template()
    book = load_workbook(io.BytesIO(base64.b64decode(template["content_base64"])))
    sheet = book["Sắp xếp tổ chức"]
    assert [c.value for c in sheet[1]] == [h for _, h in HEADERS["changes"]]
    sheet.append(["Thành lập", "KV1", "Công đoàn Khu vực 1", "Công đoàn cấp trên trực tiếp cơ sở",
                  "TV"])
    sheet.append(["Chuyển", "GD1-1", None, None, "KV1"])
    sheet.append(["Bay đi", "GD1-2", None, None, "KV1"])
    out = io.BytesIO()
    book.save(out)
    content = base64.b64encode(out.getvalue()).decode("ascii")
    args = ("7/QĐ-LĐLĐ", "2026-06-15", ON, "Quyết định số 7/QĐ-LĐLĐ", uid("TV"), content, "xlsx")
    with pytest.raises(DomainError) as refused:
        registry.apply_reorganisation(*args, False, "phuong-an.xlsx")
    entry = refused.value.details["errors"][0]
    assert (entry["sheet"], entry["row"], entry["code"]) == ("Sắp xếp tổ chức", 4,
                                                            "PLAN_ACTION_UNKNOWN")
    sheet.delete_rows(4)
    out = io.BytesIO()
    book.save(out)
    content = base64.b64encode(out.getvalue()).decode("ascii")
    registry.apply_reorganisation(*args[:5], content, "xlsx", False, "phuong-an.xlsx")
    assert (registry.direct_superior(uid("GD1-1"), ON) or {}).get("code") == "KV1"
    assert (registry.direct_superior(uid("GD1-1"), BEFORE) or {}).get("code") == "D1"


def test_r1_5_a_plan_built_on_screen_splits_a_district_and_its_unions(registry: Registry) -> None:
    """A JSON list of changes (the plan built on screen): a district split in two, each of
    its grassroots unions going to the part the plan names, the rest (``*``) to the other."""
    import json

    two_provinces(registry)
    changes = [{"action": "split", "union_code": "D1", "successor_code": "D1-N",
                "name": "Liên đoàn Lao động huyện D1 (phía Bắc)", "children": "GD1-1, GD1-2"},
               {"action": "split", "union_code": "D1", "successor_code": "D1-S",
                "name": "Liên đoàn Lao động huyện D1 (phía Nam)", "children": "*"}]
    registry.apply_reorganisation("9/QĐ-LĐLĐ", "2026-06-15", ON, "Quyết định số 9/QĐ-LĐLĐ",
                                  uid("TV"), json.dumps(changes), "json", False, None)
    after = grassroots(registry, ON)
    assert (after["GD1-1"], after["GD1-2"], after["GD1-3"], after["GD1-15"]) == \
        ("D1-N", "D1-N", "D1-S", "D1-S")
    assert grassroots(registry, BEFORE)["GD1-1"] == "D1"
    assert (registry.direct_superior(uid("D1-S"), ON) or {}).get("code") == "TV"


def test_r1_5_an_administrator_reorganises_only_within_their_unions(registry: Registry) -> None:
    two_provinces(registry)
    position = registry.recorder.max_notification_id()
    tv_admin = CommandContext(Actor("adm-tv", "administrator", uid("TV")))
    with use_context(tv_admin), pytest.raises(DomainError) as refused:
        apply(registry, plan_rows())  # it merges Vĩnh Long's federation too
    assert refused.value.code == "NO_AUTHORITY"
    assert registry.recorder.max_notification_id() == position
    with use_context(tv_admin):
        apply(registry, [{"action": "move", "union_code": "GD1-1", "parent_code": "D2"}],
              number="1/QĐ-LĐLĐ")
    assert grassroots(registry, ON)["GD1-1"] == "D2"
