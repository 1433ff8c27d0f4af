"""``python -m bench.history``: what a command, a page of the tracking book and a search cost
as the store grows, and a page and a search over ~100,000 initiatives against the same query
in plain SQL (issue 12).

Two initiatives stores side by side: a small one (1,000 events filled by ``bench.audit.fill``)
and a large one (``bench.audit``'s 1,000,000+ events, when run from it with ``--history``; a
fill of ``--events`` otherwise). In each, the registry's small province of
``tests.support.province`` is delivered as facts (authority is judged by them, as in
production) and 60 initiatives are registered in its grassroots union CS-1, so a page and a
search of CS-1 return the same rows in both stores; only what else is stored differs. Then,
interleaved over rounds (each side's best p50 kept):

- commands: ``raise_idea`` (a new aggregate) and ``register`` (reads the union's form
  aggregate, writes the book's row), each under the member's context;
- queries: ``tracking_book`` (a page of 50 of CS-1, with its total) and
  ``search_initiatives`` (diacritics-insensitive, every union, 20 rows).

The ratio large / small of each p50 is the cost of history (goal <= 1.2). No aggregate here
grows with the store: an initiative's life is about ten events, so snapshots are not needed
for these commands; the one aggregate whose history does grow with use, a union's
registration form (a version per change), is read by ``register`` and measured with it.

Over the large store, the same page and search of the whole book are also run as one plain
SQL statement each through the driver (psycopg), on the same terms (already folded to ASCII,
which is Python's work), fetching every column: service / plain SQL is what the service adds.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import psycopg
import sqlalchemy as sa

from bench.__main__ import RESULTS, percentile
from runtime.clock import FixedClock
from runtime.config import Settings
from runtime.context import use_context
from runtime.text import search_terms
from services.initiatives.application import Initiatives
from services.initiatives.readmodel import book
from services.registry.application import Registry
from tests.support.infra import fresh_database
from tests.support.province import Province, acting, build, deliver

GOAL = 1.2
OWN = 60  # initiatives of CS-1 in both stores
NOW = datetime(2025, 3, 1, tzinfo=UTC)
FIELDS = {"name": "Sổ tay an toàn lao động điện tử", "objective": "Giảm tai nạn lao động",
          "implementation_steps": "Khảo sát; xây dựng; áp dụng thử",
          "scope_feasibility_time": "Toàn trường, từ quý II/2025",
          "expected_effectiveness": "Giảm 30% sự cố"}
SEARCH = "an toàn lao động"  # CS-1's initiatives; found nowhere in the filled stories


class Store:
    """One initiatives store with the province's facts and CS-1's own initiatives."""

    def __init__(self, url: str, label: str, requests: bool = False) -> None:
        """``requests``: every command runs as a gateway's would, under a request id of its own
        (the request ledger of R5.3: the id checked, the outcome recorded)."""
        folder = tempfile.mkdtemp(prefix="bench-history-")
        settings = Settings({"INITIATIVES_DATABASE_URL": url, "REGISTRY_DATABASE_URL": url,
                             "EMU_DATA_DIR": folder})
        self.url, self.label, self.requests = url, label, requests
        self.app = Initiatives(settings, clock=FixedClock(NOW))
        registry = Registry(settings)
        self.world: Province = build(registry)
        deliver(registry, self.app)
        self.events = self.app.recorder.max_notification_id() or 0
        self.references = 0
        for _ in range(OWN):
            self.register()

    def as_member(self) -> Any:
        return use_context(acting(self.world.people["D"]))

    def command(self, run: Callable[[], str]) -> str:
        """One command as the member, under a request id of its own when ``requests``."""
        context = acting(self.world.people["D"])
        if not self.requests:
            with use_context(context):
                return run()
        with use_context(dataclasses.replace(context, request_id=f"bench-{uuid.uuid4()}")):
            return cast(str, self.app.run_command(run))

    def register(self) -> str:
        self.references += 1
        w, reference = self.world, self.references
        return self.command(lambda: self.app.register(
            w.unions["CS-1"], f"AT-{reference:05d}", "initiative",
            {**FIELDS, "name": f"{FIELDS['name']} số {reference}"},
            [{"person_id": w.people["D"], "share": 60}, {"person_id": w.people["A"], "share": 40}],
            "2025-01-10"))

    def raise_idea(self) -> str:
        w = self.world
        return self.command(lambda: self.app.raise_idea(
            w.unions["CS-1"], w.people["D"], "Ý tưởng số hoá sổ",
            "Thay sổ giấy bằng bảng tính dùng chung.", "2025-01-15"))

    def page(self) -> None:
        found = self.app.tracking_book(self.world.unions["CS-1"], offset=0, limit=50)
        assert len(found["items"]) == 50, found["total"]

    def search(self) -> None:
        assert len(self.app.search_initiatives(SEARCH, limit=20)) == 20


def timed(fn: Callable[[], Any], n: int) -> dict[str, float]:
    latencies = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        latencies.append(time.perf_counter() - t0)
    return {"n": n, "p50_ms": round(percentile(latencies, 50) * 1000, 3),
            "p99_ms": round(percentile(latencies, 99) * 1000, 3)}


OPERATIONS: dict[str, Callable[[Store], Any]] = {
    "command: raise_idea": Store.raise_idea, "command: register": Store.register,
    "list: tracking_book page of 50": Store.page, "search: 20 of the book": Store.search}


def compare(large: Store, small: Store, n: int, rounds: int) -> dict[str, Any]:
    """Each operation on both stores, interleaved over rounds; each side's best p50 kept."""
    best: dict[str, dict[str, Any]] = {}
    for _round in range(rounds):
        for name, operation in OPERATIONS.items():
            for side, store in (("small", small), ("large", large)):
                for _ in range(5):  # warm: connections, caches, the statement's plan
                    operation(store)
                got = timed(functools.partial(operation, store), n)
                kept = best.setdefault(name, {}).get(side)
                if kept is None or got["p50_ms"] < kept["p50_ms"]:
                    best[name][side] = got
    for sides in best.values():
        sides["ratio_p50"] = round(sides["large"]["p50_ms"] / sides["small"]["p50_ms"], 3)
    return {"operations": best, "small_events": small.events, "large_events": large.events,
            "rows_in_book": {s.label: rows(s) for s in (small, large)}, "n": n,
            "rounds": rounds, "goal": f"large / small p50 <= {GOAL}"}


def rows(store: Store) -> int:
    with store.app.engine.connect() as c:
        return int(c.execute(sa.select(sa.func.count()).select_from(book)).scalar_one())


def busiest_union(store: Store) -> Any:
    with store.app.engine.connect() as c:
        return c.execute(sa.select(book.c.union_id).group_by(book.c.union_id)
                         .order_by(sa.func.count().desc()).limit(1)).scalar_one()


def versus_sql(store: Store, n: int, rounds: int) -> dict[str, Any]:
    """A page of the busiest union's book and a search of the whole book, through the
    service's query and as the same SQL through psycopg, interleaved; best p50 each."""
    union = busiest_union(store)
    # the fill names its initiatives "Sáng kiến số <i>: ..."; a number picks out a few of them
    numbers = [str(1000 + (i * 7919) % 89000) for i in range(n)]
    columns = ", ".join(c.name for c in book.columns)
    page_count = f"SELECT count(*) FROM {book.name} WHERE union_id = %s"
    page_rows = (f"SELECT {columns} FROM {book.name} WHERE union_id = %s "
                 "ORDER BY registered_on, reference LIMIT 50 OFFSET 0")
    search_sql = (f"SELECT {columns} FROM {book.name} WHERE {{likes}} "
                  "ORDER BY registered_on, reference LIMIT 20")
    url = store.url.replace("postgresql+psycopg://", "postgresql://")
    counter = iter(range(10 ** 9))
    with psycopg.connect(url, autocommit=True) as connection:
        def sql_page() -> None:
            connection.execute(page_count, (union,)).fetchone()
            assert len(connection.execute(page_rows, (union,)).fetchall()) == 50

        def sql_search() -> None:
            terms = search_terms(f"sáng kiến số {numbers[next(counter) % n]}")
            likes = " AND ".join("search_key LIKE %s" for _ in terms)
            connection.execute(search_sql.format(likes=likes),
                               [f"%{t}%" for t in terms]).fetchall()

        def service_page() -> None:
            assert len(store.app.tracking_book(str(union), limit=50)["items"]) == 50

        def service_search() -> None:
            store.app.search_initiatives(f"sáng kiến số {numbers[next(counter) % n]}", limit=20)

        pairs = {"tracking_book page of 50 (busiest union)": (service_page, sql_page),
                 "search of the whole book, 20 rows": (service_search, sql_search)}
        best: dict[str, dict[str, Any]] = {}
        for _round in range(rounds):
            for name, (service, sql) in pairs.items():
                for side, fn in (("service", service), ("plain_sql", sql)):
                    for _ in range(5):
                        fn()
                    counter = iter(range(10 ** 9))  # both sides search the same numbers
                    got = timed(fn, n)
                    kept = best.setdefault(name, {}).get(side)
                    if kept is None or got["p50_ms"] < kept["p50_ms"]:
                        best[name][side] = got
    for sides in best.values():
        sides["ratio_p50"] = round(sides["plain_sql"]["p50_ms"] / sides["service"]["p50_ms"], 3)
    with store.app.engine.connect() as c:
        in_union = c.execute(sa.select(sa.func.count()).select_from(book)
                             .where(book.c.union_id == union)).scalar_one()
    return {"operations": best, "initiatives": rows(store), "busiest_union_rows": in_union,
            "n": n, "rounds": rounds, "ratio": "plain SQL p50 / service p50 (1.0: no overhead)"}


def at_scale(url: str, n: int = 150, rounds: int = 2, small_events: int = 1000) -> dict[str, Any]:
    """Run against a filled store at ``url`` (``bench.audit --history``): makes the small
    store beside it, compares the two and the large one with plain SQL."""
    from bench.audit import fill

    started = time.perf_counter()
    large = Store(url, "large")
    with fresh_database() as small_url:
        small = Store(small_url, "small")
        # the small store's stories, as the large one's, then their book rows
        fill(small.app, small_events, small_events)
        small.app.rebuild_read_model(5000)  # CS-1's own rows are replayed with the rest
        small.events = small.app.recorder.max_notification_id() or 0
        large.events = large.app.recorder.max_notification_id() or 0
        setup = time.perf_counter() - started
        growth = compare(large, small, n, rounds)
    against_sql = versus_sql(large, n, rounds)
    return {"growth": growth, "versus_sql": against_sql,
            "seconds": {"setup": round(setup, 1),
                        "total": round(time.perf_counter() - started, 1)}}


def markdown(result: dict[str, Any]) -> str:
    g, v = result["growth"], result["versus_sql"]
    lines = [f"## Cost as the store grows: {g['small_events']:,} vs {g['large_events']:,} "
             "stored events", "",
             f"Best p50 of {g['rounds']} interleaved rounds of {g['n']} calls; book rows "
             f"{g['rows_in_book']}.", "",
             "| operation | small p50 / p99 ms | large p50 / p99 ms | large / small (p50) | goal |",
             "|---|---|---|---|---|"]
    for name, s in g["operations"].items():
        ok = "✔" if s["ratio_p50"] <= GOAL else "✘"
        lines.append(f"| {name} | {s['small']['p50_ms']:.2f} / {s['small']['p99_ms']:.2f} | "
                     f"{s['large']['p50_ms']:.2f} / {s['large']['p99_ms']:.2f} | "
                     f"{s['ratio_p50']:.2f} | <= {GOAL} {ok} |")
    lines += ["", f"## The book over {v['initiatives']:,} initiatives: service vs plain SQL", "",
              f"Busiest union: {v['busiest_union_rows']} rows. {v['ratio']}.", "",
              "| query | service p50 / p99 ms | plain SQL p50 / p99 ms | plain / service |",
              "|---|---|---|---|"]
    for name, s in v["operations"].items():
        lines.append(f"| {name} | {s['service']['p50_ms']:.2f} / {s['service']['p99_ms']:.2f} | "
                     f"{s['plain_sql']['p50_ms']:.2f} / {s['plain_sql']['p99_ms']:.2f} | "
                     f"{s['ratio_p50']:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    from bench.audit import fill

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000,
                        help="events of the large store (bench.audit --history uses its own)")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with fresh_database() as url:
        app = Initiatives(Settings({"INITIATIVES_DATABASE_URL": url,
                                    "EMU_DATA_DIR": tempfile.mkdtemp(prefix="bench-history-")}))
        fill(app, args.events, 10_000)
        app.rebuild_read_model(5000)
        result = at_scale(url, args.calls, args.rounds)
    stem = RESULTS / f"history-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    RESULTS.mkdir(exist_ok=True)
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2), "utf-8")
    text = markdown(result)
    stem.with_suffix(".md").write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
