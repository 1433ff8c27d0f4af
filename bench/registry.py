"""``python -m bench.registry``: the registry at a country's scale (issue 3).

Imports a generated tree of 10,000 unions and 200,000 members through the importer (the same
domain rules and store as the RPC commands), moves a few hundred unions so history matters,
then times the queries authority checks depend on: the as-of ancestors of a grassroots union,
its direct superior, a page of members and a diacritics-insensitive search.
Writes ``bench/results/registry-<store>-<timestamp>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
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


def timed(fn: Callable[[int], Any], n: int) -> dict[str, float]:
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        latencies.append(time.perf_counter() - started)
    return {"n": n, "p50_ms": round(percentile(latencies, 50) * 1000, 2),
            "p99_ms": round(percentile(latencies, 99) * 1000, 2),
            "max_ms": round(max(latencies) * 1000, 2)}


def run(url: str, unions: int, members: int, queries: int) -> dict[str, Any]:
    started = time.perf_counter()
    data = scaled(unions, members)
    generated = time.perf_counter() - started
    app = Registry(Settings({"REGISTRY_DATABASE_URL": url}))
    with use_context(ACTOR):
        report = app_import(app, data, f"scaled({unions}, {members})")
    print(f"imported {report.unions} unions and {report.people} people in {report.seconds}s",
          flush=True)
    levels = {u["code"]: u["level"] for u in data["unions"]}
    parents = {u["code"]: u["parent_code"] for u in data["unions"]}
    grassroots = [code for code, level in levels.items() if level == "grassroots"]
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

    return {
        "store": url.split(":")[0], "unions": report.unions, "people": report.people,
        "generate_seconds": round(generated, 2), "import_seconds": report.seconds,
        "import_events_per_second": round((report.unions + report.people) / report.seconds),
        "moves": len(moved), "moves_per_second": round(len(moved) / move_seconds, 1),
        "ancestors_as_of": timed(ancestors, queries),
        "direct_superior": timed(superior, queries),
        "members_page_50": timed(members_page, queries),
        "search_people_20": timed(search, max(20, queries // 10)),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [f"# Registry at scale ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
             f"{platform.python_implementation()} {platform.python_version()})", "",
             "| store | unions | people | import s | events/s | ancestors p50/p99 ms | "
             "superior p50/p99 | members p50/p99 | search p50/p99 | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        def pair(key: str, r: dict[str, Any] = r) -> str:
            return f"{r[key]['p50_ms']} / {r[key]['p99_ms']}"
        lines.append(f"| {r['store']} | {r['unions']} | {r['people']} | {r['import_seconds']} | "
                     f"{r['import_events_per_second']} | {pair('ancestors_as_of')} | "
                     f"{pair('direct_superior')} | {pair('members_page_50')} | "
                     f"{pair('search_people_20')} | {r['peak_rss_mb']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unions", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if args.store == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            result = run(f"sqlite:///{Path(folder) / 'registry.sqlite'}", args.unions,
                         args.members, args.queries)
    else:
        with fresh_database() as url:
            result = run(url, args.unions, args.members, args.queries)
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"registry-{args.store}-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2))
    stem.with_suffix(".md").write_text(markdown([result]))
    print(markdown([result]))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
