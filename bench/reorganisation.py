"""``python -m bench.reorganisation``: a reorganisation plan over a province (R1.5).

Generates a province of 2,000 unions (its district federations, sectoral unions and
grassroots unions) and 100,000 members, and a small neighbouring province, and imports them
through the registry's importer (the same domain rules and store as the RPC commands). Then a
plan shaped like 2025's, for one effective date: regional unions founded, every district
federation's grassroots unions moved under the province or under a regional union, the
district federations dissolved, and the two provinces merged into a new one. Times:

- the import;
- the preview (``apply_reorganisation`` with ``dry_run``: every row checked, nothing stored)
  and the apply (checked again and stored in one transaction);
- p50/p99 of the province's tree, a grassroots union's ancestors and a page of its members,
  as of the day before the plan and as of its day (the old tree and the new one).

Each store (SQLite file, PostgreSQL: a database of its own, dropped afterwards) gets the same
province and plan. The tree after the plan is checked against the plan before any figure is
kept. Writes ``bench/results/reorganisation-<timestamp>.md`` and ``.json``; ``--small`` is a
quick run at a few hundred unions.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.__main__ import RESULTS
from bench.registry import timed
from demo.province import scaled
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from services.registry.application import Registry
from services.registry.domain import Union
from services.registry.importer import app_import

ACTOR = CommandContext(actor=Actor("bench", "operator"))
EFFECTIVE_ON = date(2025, 7, 1)  # the day the plan takes effect, as in 2025
SIGNED_ON = date(2025, 6, 12)
BEFORE = EFFECTIVE_ON - timedelta(days=1)
NEIGHBOUR = "LG"  # the neighbouring province's code
MERGED = "HN"  # the province the two merge into
DIRECT_EVERY = 5  # one district in five hands its grassroots unions to the province itself
REGION_SIZE = 4  # districts per regional union
COLUMNS = ["action", "union_code", "name", "level", "parent_code", "successor_code"]


# --- the province and its plan -------------------------------------------------------------

def province(unions: int, members: int) -> dict[str, Any]:
    """``scaled(unions, members)`` (one province under the confederation) and a neighbouring
    province of a few unions with its own members, in the registry's import format."""
    data = scaled(unions, members)
    first = next(u for u in data["unions"] if u["level"] == "provincial_federation")
    name = "Phú Thọ" if "Phú Thọ" not in first["name"] else "Hòa Bình"
    founded = "1992-04-01"
    extra = [{"code": NEIGHBOUR, "name": f"Liên đoàn Lao động tỉnh {name}",
              "level": "provincial_federation", "parent_code": "VN", "founded_on": founded}]
    grassroots = []
    for d in (1, 2):
        district = f"{NEIGHBOUR}-CT-{d:02d}"
        extra.append({"code": district, "name": f"Liên đoàn Lao động huyện {name} {d}",
                      "level": "direct_superior", "parent_code": NEIGHBOUR,
                      "founded_on": founded})
        for g in range(1, 6):
            code = f"{NEIGHBOUR}-CS-{(d - 1) * 5 + g:03d}"
            grassroots.append(code)
            extra.append({"code": code, "name": f"Công đoàn cơ sở xã {name} {d}-{g}",
                          "level": "grassroots", "parent_code": district, "founded_on": founded})
    people = [{"code": f"{NEIGHBOUR}-DV-{i:06d}", "full_name": f"Nguyễn Văn {name} {i}",
               "birth_date": "1985-05-05", "gender": "male",
               "union_code": grassroots[i % len(grassroots)], "joined_on": "2015-01-15",
               "is_official": False, "is_full_time": False}
              for i in range(1, max(10, members // 200) + 1)]
    data["unions"] += extra
    data["people"] += people
    return data


def plan(data: dict[str, Any]) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The plan's rows, and what it should leave: every grassroots union's direct superior
    the day before and the day of the plan, and each upper union's parent on the day."""
    unions = data["unions"]
    first = next(u for u in unions if u["level"] == "provincial_federation")
    code = first["code"]
    parent = {u["code"]: u["parent_code"] for u in unions}
    districts = [u["code"] for u in unions if u["level"] == "direct_superior"
                 and u["parent_code"] == code and u["name"].startswith("Liên đoàn Lao động")]
    rows: list[dict[str, str]] = []
    region_of: dict[str, str] = {}
    regions: list[str] = []
    for index, district in enumerate(districts):
        if index % DIRECT_EVERY == 0:
            region_of[district] = code
            continue
        number = sum(1 for d in region_of.values() if d != code) // REGION_SIZE + 1
        region = f"{code}-KV-{number:02d}"
        if region not in regions:
            regions.append(region)
            rows.append({"action": "Thành lập", "union_code": region,
                         "name": f"Công đoàn Khu vực {number}",
                         "level": "Công đoàn cấp trên trực tiếp cơ sở", "parent_code": code})
        region_of[district] = region
    below = [u["code"] for u in unions if u["level"] == "grassroots"
             and u["parent_code"] in region_of]
    rows += [{"action": "Chuyển", "union_code": g, "parent_code": region_of[parent[g]]}
             for g in below]
    rows += [{"action": "Giải thể", "union_code": d} for d in districts]
    rows.append({"action": "Hợp nhất", "union_code": f"{code}, {NEIGHBOUR}",
                 "successor_code": MERGED, "name": "Liên đoàn Lao động tỉnh (hợp nhất)",
                 "parent_code": "VN"})

    def after(union: str) -> str:
        above = region_of.get(parent[union], parent[union])
        return MERGED if above in (code, NEIGHBOUR) else above

    grassroots = [u["code"] for u in unions if u["level"] == "grassroots"]
    expected = {
        "before": {g: parent[g] for g in grassroots},
        "after": {g: after(g) for g in grassroots},
        "uppers_after": {**{r: MERGED for r in regions},
                         **{u["code"]: MERGED for u in unions if u["level"] == "direct_superior"
                            and u["code"] not in region_of}},
        "districts": districts, "regions": regions, "moved": below,
    }
    return rows, expected


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def parents(app: Registry, on: date) -> dict[str, tuple[str, str]]:
    """Every union active on the date: its level and its direct superior's code."""
    found: dict[str, tuple[str, str]] = {}
    nodes = [(node, "") for node in app.tree(on.isoformat())]
    while nodes:
        node, above = nodes.pop()
        found[node["code"]] = (node["level"], above)
        nodes.extend((child, node["code"]) for child in node.get("children") or [])
    return found


def check(app: Registry, expected: dict[str, Any]) -> None:
    """The tree as of either side of the date is the one the plan says (raises if not)."""
    for side, on in (("before", BEFORE), ("after", EFFECTIVE_ON)):
        tree = parents(app, on)
        got = {code: above for code, (level, above) in tree.items() if level == "grassroots"}
        if got != expected[side]:
            wrong = sorted(c for c in set(got) | set(expected[side])
                           if got.get(c) != expected[side].get(c))
            examples = [(c, got.get(c), expected[side].get(c)) for c in wrong[:3]]
            raise AssertionError(f"{side}: {len(wrong)} grassroots unions not where the plan "
                                 f"puts them, e.g. {examples}")
    after = parents(app, EFFECTIVE_ON)
    for code, above in expected["uppers_after"].items():
        if after.get(code, ("", ""))[1] != above:
            raise AssertionError(f"{code} is under {after.get(code)} on the day, not {above}")
    gone = [d for d in expected["districts"] if d in after]
    if gone:
        raise AssertionError(f"district federations still active on the day: {gone[:3]}")


def run(url: str, unions: int, members: int, queries: int) -> dict[str, Any]:
    load_before = load()
    data = province(unions, members)
    rows, expected = plan(data)
    content = as_csv(rows)
    app = Registry(Settings({"REGISTRY_DATABASE_URL": url}))
    started = time.perf_counter()
    with use_context(ACTOR):
        report = app_import(app, data, f"scaled({unions}, {members}) + {NEIGHBOUR}")
    imported = time.perf_counter() - started
    print(f"{url.split(':')[0]}: imported {report.unions} unions and {report.people} people "
          f"in {imported:.1f} s", flush=True)
    province_code = next(u["code"] for u in data["unions"]
                         if u["level"] == "provincial_federation")
    del data
    vn = str(Union.create_id("VN"))
    arguments = ("125/QĐ-LĐLĐ", SIGNED_ON.isoformat(), EFFECTIVE_ON.isoformat(),
                 "Nghị quyết số 60-NQ/TW; Kết luận số 127-KL/TW", vn, content, "csv")
    position = app.recorder.max_notification_id() or 0
    with use_context(ACTOR):
        started = time.perf_counter()
        preview = app.apply_reorganisation(*arguments, True, "phuong-an.csv")
        previewed = time.perf_counter() - started
        if app.recorder.max_notification_id() != position or preview["changes"] != len(rows):
            raise AssertionError("the preview stored events, or did not read every row")
        print(f"  preview of {len(rows)} rows: {previewed:.1f} s", flush=True)
        started = time.perf_counter()
        answer = app.apply_reorganisation(*arguments, False, "phuong-an.csv")
        applied = time.perf_counter() - started
    events = (app.recorder.max_notification_id() or 0) - position
    print(f"  apply: {applied:.1f} s, {events} events", flush=True)
    check(app, expected)

    rng = random.Random(24)
    moved = [str(Union.create_id(c)) for c in expected["moved"]]
    roots = {"before": str(Union.create_id(province_code)), "after": str(Union.create_id(MERGED))}
    sides: dict[str, Any] = {}
    for side, on in (("before", BEFORE.isoformat()), ("after", EFFECTIVE_ON.isoformat())):
        app.tree(on, roots[side])  # a first read warms the caches of both sides alike

        def read_tree(i: int, on: str = on, root: str = roots[side]) -> None:
            app.tree(on, root)

        def read_ancestors(i: int, on: str = on) -> None:
            if len(app.ancestors(rng.choice(moved), on)) < 2:
                raise AssertionError("a grassroots union with fewer than two unions above it")

        def read_members(i: int, on: str = on) -> None:
            app.members(rng.choice(moved), on, limit=50)

        sides[side] = {"on": on, "tree_province": timed(read_tree, max(3, queries // 50)),
                       "ancestors": timed(read_ancestors, queries),
                       "members_page_50": timed(read_members, queries)}
    app.close()
    return {
        "store": url.split(":")[0].split("+")[0], "unions": report.unions,
        "people": report.people, "import_seconds": round(imported, 2),
        "plan": {"rows": len(rows), "moves": len(expected["moved"]),
                 "districts_dissolved": len(expected["districts"]),
                 "regional_unions": len(expected["regions"]), "merges": 1,
                 "effective_on": EFFECTIVE_ON.isoformat(), "records": answer["records"],
                 "events": events, "csv_bytes": len(content.encode()),
                 "unions_previewed": len(preview["tree"])},
        "preview_seconds": round(previewed, 2), "apply_seconds": round(applied, 2),
        "checked": True, "queries": sides, "load": [load_before, load()],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [f"# Reorganisation plan at scale ({result['when']}, "
             f"{platform.python_implementation()} {platform.python_version()})", "",
             f"Load average (1, 5, 15 min) before: {result['load_before']}; after: "
             f"{result['load_after']} ({os.cpu_count()} cores, shared).", ""]
    for r in result["runs"]:
        p = r["plan"]
        lines += [f"## {r['store']}", "",
                  f"{r['unions']} unions, {r['people']} people; a plan of {p['rows']} rows "
                  f"effective {p['effective_on']}: {p['regional_unions']} regional unions "
                  f"founded, {p['moves']} grassroots unions moved, {p['districts_dissolved']} "
                  f"district federations dissolved, the two provinces merged "
                  f"({p['records']} records, {p['events']} events). The tree after it "
                  f"checked against the plan. Load average before → after: {r['load'][0]} → "
                  f"{r['load'][1]}.", "",
                  "| step | seconds |", "|---|---|",
                  f"| import | {r['import_seconds']} |",
                  f"| preview (checked whole, nothing stored) | {r['preview_seconds']} |",
                  f"| apply (checked again, stored in one transaction) | {r['apply_seconds']} |",
                  "", "| query | day before p50 / p99 ms | day of p50 / p99 ms |",
                  "|---|---|---|"]
        q = r["queries"]
        for key, label in (("tree_province", "the province's tree"),
                           ("ancestors", "ancestors of a grassroots union"),
                           ("members_page_50", "a page of 50 members")):
            lines.append(f"| {label} (n={q['before'][key]['n']}) | "
                         f"{q['before'][key]['p50_ms']} / {q['before'][key]['p99_ms']} | "
                         f"{q['after'][key]['p50_ms']} / {q['after'][key]['p99_ms']} |")
        lines.append("")
    return "\n".join(lines)


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None, results: Path = RESULTS) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--unions", type=int, default=2000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--small", action="store_true",
                        help="300 unions, 5,000 members, 100 queries (minutes, for development)")
    parser.add_argument("--stores", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    args = parser.parse_args(argv)
    if args.small:
        args.unions, args.members, args.queries = 300, 5000, 100
    result: dict[str, Any] = {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                              "load_before": load(), "runs": []}
    for store in args.stores.split(","):
        if store == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                result["runs"].append(run(f"sqlite:///{Path(folder) / 'registry.sqlite'}",
                                          args.unions, args.members, args.queries))
        elif store == "postgresql":
            from tests.support.infra import fresh_database

            with fresh_database() as url:
                result["runs"].append(run(url, args.unions, args.members, args.queries))
        else:
            parser.error(f"unknown store {store!r}")
    result["load_after"] = load()
    results.mkdir(parents=True, exist_ok=True)
    stem = results / f"reorganisation-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2), "utf-8")
    stem.with_suffix(".md").write_text(markdown(result), "utf-8")
    print(markdown(result))
    print(f"written to {stem}.md and .json")
    return result


if __name__ == "__main__":
    main()
