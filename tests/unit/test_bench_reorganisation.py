"""The reorganisation benchmark itself (``bench/reorganisation.py``), at a tiny scale: it
writes its figures, and the tree after its 2025-shaped plan is the one the plan says (R1.5).
Its timings are measured by ``make bench-reorganisation`` only, never here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import reorganisation as bench
from runtime.config import Settings
from runtime.context import use_context
from services.registry.application import Registry
from services.registry.domain import Union
from services.registry.importer import app_import


def uid(code: str) -> str:
    return str(Union.create_id(code))


def test_r1_5_the_bench_writes_its_figures_for_a_plan_over_a_tiny_province(
        tmp_path: Path) -> None:
    result = bench.main(["--unions", "60", "--members", "300", "--queries", "4",
                         "--stores", "sqlite"], results=tmp_path)
    written = sorted(tmp_path.glob("reorganisation-*.json"))
    assert len(written) == 1 and written[0].with_suffix(".md").exists()
    assert json.loads(written[0].read_text("utf-8")) == result
    [run] = result["runs"]
    assert run["store"] == "sqlite" and run["checked"] is True
    plan = run["plan"]
    assert plan["districts_dissolved"] >= 2 and plan["moves"] > 40 and plan["merges"] == 1
    assert plan["rows"] == plan["regional_unions"] + plan["moves"] + plan["districts_dissolved"] + 1
    for side in ("before", "after"):
        for key in ("tree_province", "ancestors", "members_page_50"):
            assert run["queries"][side][key]["p99_ms"] >= run["queries"][side][key]["p50_ms"] > 0
    assert "| import |" in written[0].with_suffix(".md").read_text("utf-8")


def test_r1_5_the_tree_after_the_bench_plan_is_the_one_the_plan_says(tmp_path: Path) -> None:
    data = bench.province(60, 300)
    rows, expected = bench.plan(data)
    app = Registry(Settings({"REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite'}"}))
    with use_context(bench.ACTOR):
        app_import(app, data, "tiny")
        app.apply_reorganisation("1/QĐ", "2025-06-12", "2025-07-01", "Nghị quyết số 60-NQ/TW",
                                 uid("VN"), bench.as_csv(rows), "csv", False, None)
    bench.check(app, expected)
    # by hand: a grassroots union of a district the day before, of its new parent the day of
    moved = expected["moved"][-1]
    assert app.ancestors(uid(moved), "2025-06-30")[0]["code"] == expected["before"][moved]
    on_the_day = [u["code"] for u in app.ancestors(uid(moved), "2025-07-01")]
    assert on_the_day[0] == expected["after"][moved] and on_the_day[-2:] == [bench.MERGED, "VN"]
    assert expected["before"][moved] in expected["districts"]
    # and the check does see a tree that is not the plan's
    wrong = {**expected, "after": {**expected["after"], moved: expected["before"][moved]}}
    with pytest.raises(AssertionError, match="not where the plan puts them"):
        bench.check(app, wrong)
    app.close()
