"""``python -m bench.throughput``: how many commands one service store commits per second on
PostgreSQL with 8 concurrent clients, beside the database's own limit on the same terms.

Three sides, each with ``--clients`` threads (8) on one fresh database, run back to back and
interleaved over ``--rounds`` (each side's best kept):

- ``raw insert``: every client its own psycopg connection, one single-row INSERT and a COMMIT
  per "command": what the database itself allows (the limit);
- ``library save()``: the eventsourcing library's own ``save()`` of a one-event aggregate,
  which takes the events table's lock for every commit (``LOCK TABLE … EXCLUSIVE``) so that
  notification ids follow commit order;
- ``raise_idea``: the service's real command in process (``bench.history.Store`` with request
  ids: the R5.3 ledger, the member's authority, the R5.1 chain link, the read model).

Goal: the service store >= 1,000 commands/s. Writes ``bench/results/throughput-<time>.json`` and
``.md`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg

from bench.__main__ import about_the_run, write_results
from bench.subjects import RawCounters
from tests.support.infra import fresh_database

GOAL = 1000.0


def concurrently(clients: int, per_client: int, make: Callable[[int], Callable[[int], Any]]
                 ) -> float:
    """Commands per second with ``clients`` threads, each running its own ``make(k)`` callable
    ``per_client`` times; the clock runs from all threads released to the last one done."""
    ready, go = threading.Barrier(clients + 1), threading.Event()
    errors: list[BaseException] = []

    def client(k: int) -> None:
        run = make(k)
        ready.wait()
        go.wait()
        try:
            for i in range(per_client):
                run(i)
        except BaseException as exc:  # reported below: a failed side has no figure
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} clients failed: {errors[0]!r}")
    return clients * per_client / elapsed


def raw_insert(url: str) -> Callable[[int], Callable[[int], Any]]:
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, "
                  "body text NOT NULL)")

    def make(_k: int) -> Callable[[int], Any]:
        connection = psycopg.connect(dsn)

        def run(i: int) -> None:
            connection.execute("INSERT INTO bench_raw (body) VALUES (%s)", (f"c{i}",))
            connection.commit()
        return run
    return make


def measure(url: str, clients: int, per_client: int, rounds: int) -> dict[str, Any]:
    from bench.history import Store  # imports bench.__main__: not at module import

    store = Store(url, "throughput", requests=True)
    raw = RawCounters(env={"PERSISTENCE_MODULE": "eventsourcing_sqlalchemy", "SQLALCHEMY_URL": url})
    sides: dict[str, Callable[[int], Callable[[int], Any]]] = {
        "raw_insert": raw_insert(url),
        "library_save": lambda _k: lambda i: raw.open(f"t-{uuid.uuid4()}"),
        "raise_idea": lambda _k: lambda i: store.raise_idea(),
    }
    for side in sides.values():  # warm up: connections opened, caches filled
        concurrently(clients, 5, side)
    best: dict[str, float] = {}
    for _round in range(rounds):
        for name, side in sides.items():
            best[name] = max(best.get(name, 0.0), concurrently(clients, per_client, side))
    store.app.close()
    return {"clients": clients, "per_client": per_client, "rounds": rounds,
            "per_s": {k: round(v, 1) for k, v in best.items()},
            "raise_idea_vs_raw_insert": best["raise_idea"] / best["raw_insert"],
            "library_save_vs_raw_insert": best["library_save"] / best["raw_insert"],
            "goal": f">= {GOAL:,.0f} commands/s", "met": best["raise_idea"] >= GOAL}


def markdown(result: dict[str, Any]) -> str:
    r = result["figures"]
    per_s = r["per_s"]
    return "\n".join([
        f"# One store's commits with {r['clients']} clients, {result['when']}", "",
        f"Machine: {result['machine']}; load before {result['load_before']}. PostgreSQL, one "
        f"fresh database; {r['clients']} threads × {r['per_client']} commands, best of "
        f"{r['rounds']} interleaved rounds.", "",
        "| side | commits/s | of the raw insert |", "|---|---|---|",
        f"| raw single-row INSERT + COMMIT (the database's limit) | {per_s['raw_insert']:,.0f} | 1.00 |",
        f"| the library's `save()` of one event (events table locked per commit) | "
        f"{per_s['library_save']:,.0f} | {r['library_save_vs_raw_insert']:.2f} |",
        f"| `raise_idea` through the runtime (request id, authority, chain, read model) | "
        f"**{per_s['raise_idea']:,.0f}** | {r['raise_idea_vs_raw_insert']:.2f} |", "",
        f"Goal for the service store: {r['goal']} — {'met ✔' if r['met'] else 'missed ✘'}.", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, Any] = {**about_the_run()}
    with fresh_database() as url:
        result["figures"] = measure(url, args.clients, args.per_client, args.rounds)
    write_results("throughput", result, markdown(result))


if __name__ == "__main__":
    main()
