"""``python -m bench.registry``: the registry at a country's scale.

Imports a generated tree of 10,000 unions and 200,000 members through the importer (the same
domain rules and store as the RPC commands), moves a few hundred unions so history matters,
then times the queries authority checks depend on: the as-of ancestors of a grassroots union,
its direct superior, a page of members, a diacritics-insensitive search, and a province's
tree as of a date. ``--national``: the whole country as it is organised since 2025, 34
provinces, 130,000 grassroots unions and 1,000,000 members.
Writes ``bench/results/registry-<store>-<timestamp>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.__main__ import RESULTS, percentile
from demo.province import scaled
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from services.registry.application import Registry
from services.registry.domain import Union
from services.registry.importer import app_import
from tests.support.infra import fresh_database

ACTOR = CommandContext(actor=Actor("bench", "operator"))
NATIONAL_PROVINCES, NATIONAL_GRASSROOTS, NATIONAL_MEMBERS = 34, 130_000, 1_000_000


def timed(fn: Callable[[int], Any], n: int) -> dict[str, float]:
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        latencies.append(time.perf_counter() - started)
    return {"n": n, "p50_ms": round(percentile(latencies, 50) * 1000, 2),
            "p99_ms": round(percentile(latencies, 99) * 1000, 2),
            "max_ms": round(max(latencies) * 1000, 2)}


def run(url: str, unions: int, members: int, queries: int,
        provinces: int | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    data = scaled(unions, members, provinces=provinces)
    generated = time.perf_counter() - started
    app = Registry(Settings({"REGISTRY_DATABASE_URL": url}))
    with use_context(ACTOR):
        report = app_import(app, data, f"scaled({unions}, {members})")
    print(f"imported {report.unions} unions and {report.people} people in {report.seconds}s",
          flush=True)
    levels = {u["code"]: u["level"] for u in data["unions"]}
    parents = {u["code"]: u["parent_code"] for u in data["unions"]}
    grassroots = [code for code, level in levels.items() if level == "grassroots"]
    province_codes = [code for code, level in levels.items() if level == "provincial_federation"]
    uppers = [u["code"] for u in data["unions"] if u["level"] == "direct_superior"]
    rng = random.Random(11)
    moved = rng.sample([u["code"] for u in data["unions"]
                        if u["level"] == "grassroots" and levels.get(u["parent_code"]) ==
                        "direct_superior"], k=min(300, len(grassroots)))
    move_started = time.perf_counter()
    with use_context(ACTOR):
        for code in moved:
            parent = rng.choice([u for u in uppers if u != parents[code]])
            app.move_union(str(Union.create_id(code)), str(Union.create_id(parent)), "2025-01-01")
    move_seconds = time.perf_counter() - move_started
    del data

    def ancestors(i: int) -> None:
        code = moved[i % len(moved)] if i % 2 else rng.choice(grassroots)
        on = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        assert len(app.ancestors(str(Union.create_id(code)), on.isoformat())) >= 2

    def superior(i: int) -> None:
        app.direct_superior(str(Union.create_id(rng.choice(grassroots))), "2025-06-01")

    def members_page(i: int) -> None:
        app.members(str(Union.create_id(rng.choice(grassroots))), limit=50)

    words = ["nguyen van", "tran thi", "cong doan truong", "le minh", "thach"]

    def search(i: int) -> None:
        app.search_people(words[i % len(words)], limit=20)

    def province_tree(i: int) -> None:
        on = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        root = str(Union.create_id(province_codes[i % len(province_codes)]))
        assert app.tree(on.isoformat(), root)  # the province with its subtree

    return {
        "store": url.split(":")[0], "unions": report.unions, "people": report.people,
        "generate_seconds": round(generated, 2), "import_seconds": report.seconds,
        "import_events_per_second": round((report.unions + report.people) / report.seconds),
        "moves": len(moved), "moves_per_second": round(len(moved) / move_seconds, 1),
        "ancestors_as_of": timed(ancestors, queries),
        "direct_superior": timed(superior, queries),
        "members_page_50": timed(members_page, queries),
        "search_people_20": timed(search, max(20, queries // 10)),
        "provinces": len(province_codes),
        "grassroots": len(grassroots),
        "province_tree_as_of": timed(province_tree, max(10, queries // 20)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [f"# Registry at scale ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
             f"{platform.python_implementation()} {platform.python_version()})", "",
             "| store | provinces | unions (grassroots) | people | import s | events/s | "
             "ancestors p50/p99 ms | superior p50/p99 | members p50/p99 | search p50/p99 | "
             "province tree p50/p99 | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        def pair(key: str, r: dict[str, Any] = r) -> str:
            return f"{r[key]['p50_ms']} / {r[key]['p99_ms']}"
        lines.append(f"| {r['store']} | {r['provinces']} | {r['unions']} ({r['grassroots']}) | "
                     f"{r['people']} | {r['import_seconds']} | "
                     f"{r['import_events_per_second']} | {pair('ancestors_as_of')} | "
                     f"{pair('direct_superior')} | {pair('members_page_50')} | "
                     f"{pair('search_people_20')} | {pair('province_tree_as_of')} | "
                     f"{r['peak_rss_mb']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unions", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--provinces", type=int, default=None,
                        help="at most this many provinces (one per 2,500 unions by default)")
    parser.add_argument("--national", action="store_true",
                        help="34 provinces, 130,000 grassroots unions, 1,000,000 members")
    args = parser.parse_args()
    if args.national:
        # one union in twenty of those under the provinces is a direct-superior union
        args.provinces, args.members = NATIONAL_PROVINCES, NATIONAL_MEMBERS
        args.unions = 1 + NATIONAL_PROVINCES + math.ceil(NATIONAL_GRASSROOTS * 20 / 19)
    if args.store == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            result = run(f"sqlite:///{Path(folder) / 'registry.sqlite'}", args.unions,
                         args.members, args.queries, args.provinces)
    else:
        with fresh_database() as url:
            result = run(url, args.unions, args.members, args.queries, args.provinces)
    RESULTS.mkdir(exist_ok=True)
    scale = "-national" if args.national else ""
    stem = RESULTS / f"registry-{args.store}{scale}-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2))
    stem.with_suffix(".md").write_text(markdown([result]))
    print(markdown([result]))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
