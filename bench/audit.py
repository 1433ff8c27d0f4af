"""``python -m bench.audit``: an auditor's replay of a large log (issue 8).

Fills a fresh store of one real service (initiatives) with N stored events of its real
aggregates (ideas raised, coached and developed; initiatives registered, evaluated by a council,
recognised, applied, proposed and recognised a level up, adopted elsewhere; replications),
made by the service's own mapper under an actor's context and inserted in large batches
through the service's recorder, so each event's hash-chain link is written as in production.
Then reads the whole log four ways, on the same store and with the same page size:

a. raw: the library reading every notification in pages and doing nothing with them;
b. raw + mapper: also turning each into a domain event;
c. the read model rebuilt from the log (``rebuild_read_model``);
d. the hash chain verified (``verify_chain``: every link recomputed);
e. the same run as a job (``runtime.jobs``: in a green thread, reporting its progress and
   yielding between batches of 1,000 events, as a service runs it);
f. ``replay_check`` run as a job (the read model rebuilt aside and compared with the live one).

and reports events per second and the ratios c/a and d/a against the goal (>= 0.5).
Writes ``bench/results/audit-<store>-<timestamp>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import eventsourcing
import sqlalchemy as sa

from runtime.chain import Chain
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from services.initiatives.application import Initiatives
from services.initiatives.domain import Idea, Initiative, Replication
from services.initiatives.readmodel import book
from tests.support.infra import fresh_database

RESULTS = Path(__file__).resolve().parent / "results"
ACTOR = CommandContext(actor=Actor("bench", "administrator"))
GOAL = 0.5
UNIONS = [uuid.uuid5(uuid.NAMESPACE_URL, f"bench:union:{i}") for i in range(500)]
PEOPLE = [uuid.uuid5(uuid.NAMESPACE_URL, f"bench:person:{i}") for i in range(5000)]
RULES = {"book": "initiatives", "version": "2024-01", "in_force_from": "2024-01-01"}
CRITERIA = ("novelty", "feasibility", "effectiveness")


# --- the fill ----------------------------------------------------------------------------

def _seat(union: uuid.UUID, body: str, person: uuid.UUID, on: date) -> dict[str, Any]:
    return {"union_id": str(union), "body_id": str(uuid.uuid5(union, body)), "kind": body,
            "department": None, "position": "chairman", "as_of": on.isoformat(),
            "person_id": str(person)}


def _decision(seat: dict[str, Any], on: date, reason: str, number: str | None,
              **extra: Any) -> dict[str, Any]:
    return {"authority": {**seat, **extra}, "decided_on": on.isoformat(), "reason": reason,
            "evidence": [f"bien-ban-{number or 'x'}.pdf"], "rule_set": RULES, "number": number}


def story(i: int) -> list[Any]:
    """One initiative's life, as its aggregates' events in the order they happen (about 11
    events: 3 of the idea, 7 or 8 of the initiative, 1 of a replication on every third)."""
    union = UNIONS[i % len(UNIONS)]
    author, second = PEOPLE[(7 * i) % len(PEOPLE)], PEOPLE[(7 * i + 1) % len(PEOPLE)]
    chairman = PEOPLE[(i % len(UNIONS)) * 10 % len(PEOPLE)]
    on = date(2020, 1, 1) + timedelta(days=i % 1800)
    reference = f"SK-{i:07d}"
    name = f"Sáng kiến số {i}: cải tiến quy trình tiếp nhận ý kiến đoàn viên"
    idea = Idea(union_id=union, author_id=author, title=name,
                description="Đề xuất số hoá sổ theo dõi, giảm thời gian xử lý hồ sơ. " * 3,
                raised_on=on)
    idea.coach(by=str(chairman), team_id=uuid.uuid5(union, "idea_incubation_team"),
               text="Nên nêu rõ phạm vi áp dụng và hiệu quả dự kiến.", on=on + timedelta(days=3))
    authors = [{"person_id": str(author), "full_name": f"Nguyễn Văn {i}", "share": "60",
                "is_official": i % 3 == 0, "is_full_time": i % 9 == 0},
               {"person_id": str(second), "full_name": f"Trần Thị {i}", "share": "40",
                "is_official": False, "is_full_time": False}]
    registered = on + timedelta(days=10)
    initiative = Initiative(
        union_id=union, reference=reference, kind="topic" if i % 10 == 0 else "initiative",
        form_version=1, fields={"name": name, "objective": "Rút ngắn thời gian xử lý.",
                                "steps": "1. Khảo sát; 2. Thử nghiệm; 3. Nhân rộng.",
                                "scope": "Toàn đơn vị, từ quý II", "effectiveness": "30% thời gian"},
        authors=authors, registered_on=registered, idea_id=idea.id, rule_set=RULES,
        decide_by=registered + timedelta(days=90), received_by=uuid.uuid5(union, "executive"))
    idea.develop(initiative_id=initiative.id, on=registered)
    seat = _seat(union, "executive_committee", chairman, registered)
    council: list[dict[str, Any]] = [
        {"person_id": str(PEOPLE[(i + k) % len(PEOPLE)]), "full_name": f"Ủy viên {k}",
         "union_representative": k == 0} for k in range(5)]
    initiative.constitute_council(members=council, on=registered + timedelta(days=5),
                                  decision=_decision(seat, registered, "Thành lập hội đồng",
                                                     f"{i}/QĐ-HĐ"))
    scores = {m["person_id"]: {c: 8.0 for c in CRITERIA} for m in council}
    votes = {m["person_id"]: "for" if k < 4 else "against" for k, m in enumerate(council)}
    evaluated = registered + timedelta(days=20)
    initiative.evaluate(on=evaluated, scores=scores, votes=votes,
                        averages={c: 8.0 for c in CRITERIA}, minutes="Biên bản họp hội đồng")
    initiative.recognise(decision=_decision(seat, evaluated, "Đạt 4/5 phiếu, đủ tiêu chí",
                                            f"{i}/QĐ-CĐCS", vote={"for": 4, "council_size": 5}))
    initiative.report_application(report={
        "applied_from": evaluated.isoformat(), "applied_to": None,
        "benefit": "Giảm 30% thời gian xử lý", "value_saved_vnd": 1_000_000 * (i % 50 + 1),
        "reported_on": (evaluated + timedelta(days=60)).isoformat(),
        "reported_by": str(author), "trial": False})
    upper = UNIONS[(i + 1) % len(UNIONS)]
    upper_seat = _seat(upper, "standing_committee", PEOPLE[(i + 3) % len(PEOPLE)], evaluated)
    initiative.propose(scope="direct_superior", to_union_id=upper,
                       decision=_decision(seat, evaluated + timedelta(days=61),
                                          "Đề nghị công nhận cấp trên", f"{i}/TTr"))
    initiative.recognise_at_level(scope="direct_superior", decision=_decision(
        upper_seat, evaluated + timedelta(days=90), "Công nhận cấp trên trực tiếp", f"{i}/QĐ-LĐ"))
    aggregates: list[Any] = [idea, initiative]
    if i % 3 == 0:
        adopter = UNIONS[(i + 7) % len(UNIONS)]
        initiative.adopted(union_id=adopter)
        aggregates.append(Replication(
            initiative_id=initiative.id, union_id=adopter, adopted_on=evaluated + timedelta(days=120),
            note=None, decision=_decision(_seat(adopter, "executive_committee", chairman, evaluated),
                                          evaluated + timedelta(days=120), "Áp dụng tại đơn vị",
                                          None)))
    events = [e for a in aggregates for e in a.collect_events()]
    events.sort(key=_when)  # the order they happened in (each aggregate's stays in order)
    return events


def _when(domain_event: Any) -> Any:
    return domain_event.timestamp


def fill(app: Initiatives, n: int, batch: int) -> dict[str, Any]:
    """Stores ``n`` events: stories made and mapped by the service's mapper, inserted
    ``batch`` at a time through its recorder (each insert writes the chain's links too)."""
    made = mapped = inserted = 0.0
    stored, i = 0, 0
    pending: list[Any] = []
    started = time.perf_counter()
    with use_context(ACTOR):
        while stored < n:
            t0 = time.perf_counter()
            while len(pending) < batch:
                pending.extend(story(i))
                i += 1
            events, pending = pending[:min(batch, n - stored)], pending[batch:]
            t1 = time.perf_counter()
            stored_events = [app.mapper.to_stored_event(e) for e in events]
            t2 = time.perf_counter()
            app.recorder.insert_events(stored_events)
            t3 = time.perf_counter()
            made, mapped, inserted = made + t1 - t0, mapped + t2 - t1, inserted + t3 - t2
            stored += len(events)
            if stored % (batch * 20) == 0 or stored >= n:
                print(f"  filled {stored:,} events ({stored / (t3 - started):,.0f}/s)",
                      flush=True)
    seconds = time.perf_counter() - started
    return {"events": stored, "stories": i, "batch": batch, "seconds": round(seconds, 1),
            "events_per_s": round(stored / seconds),
            "split_seconds": {"domain": round(made, 1), "mapper": round(mapped, 1),
                              "insert_with_chain": round(inserted, 1)}}


# --- the reads -----------------------------------------------------------------------------

def pages(app: Initiatives, page: int) -> Iterator[Sequence[Any]]:
    after: int | None = None
    while True:
        found = app.recorder.select_notifications(after, page, inclusive_of_start=False)
        if not found:
            return
        yield found
        after = found[-1].id


def raw(app: Initiatives, page: int) -> int:
    return sum(len(found) for found in pages(app, page))


def raw_mapper(app: Initiatives, page: int) -> int:
    count, to_event = 0, app.mapper.to_domain_event
    for found in pages(app, page):
        for notification in found:
            to_event(notification)
        count += len(found)
    return count


def as_job(kind: str, work: Callable[..., Any]) -> dict[str, Any]:
    """``work`` run as a service runs a job: a green thread yielding at each batch."""
    import eventlet

    from runtime.jobs import Jobs

    threads: list[Any] = []
    jobs = Jobs(lambda run: threads.append(eventlet.spawn(run)), pause=eventlet.sleep)
    job = jobs.start(kind, work)
    threads[0].wait()
    return jobs.get(job["id"])


def measure(name: str, fn: Callable[[], Any], n: int) -> dict[str, Any]:
    gc.collect()
    started = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - started
    result = {"seconds": round(seconds, 2), "events_per_s": round(n / seconds)}
    print(f"  {name}: {seconds:.1f} s, {n / seconds:,.0f} events/s", flush=True)
    return {**result, "returned": out}


def run(url: str, n: int, page: int, batch: int, rounds: int,
        then: Callable[[str], Any] | None = None) -> dict[str, Any]:
    folder = tempfile.mkdtemp(prefix="bench-audit-")
    app = Initiatives(Settings({"INITIATIVES_DATABASE_URL": url, "EMU_DATA_DIR": folder}))
    print(f"filling {n:,} events into {url.split('://')[0]} ...", flush=True)
    filled = fill(app, n, batch)
    head = app.recorder.max_notification_id()
    assert head == n, (head, n)
    if url.startswith("postgresql"):
        with app.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(sa.text("VACUUM ANALYZE"))  # as a store that has been running a while
    runs: dict[str, list[dict[str, Any]]] = {}
    for round_ in range(rounds):
        print(f"round {round_ + 1} of {rounds}, page {page}:", flush=True)
        for name, fn in (("raw", lambda: raw(app, page)),
                         ("raw_mapper", lambda: raw_mapper(app, page)),
                         ("verify_chain", app.verify_chain),
                         ("rebuild", lambda: app.rebuild_read_model(page)),
                         ("verify_chain_job", lambda: as_job(
                             "verify_chain", lambda progress: app.verify_chain((), progress))),
                         ("replay_check_job", lambda: as_job(
                             "replay_check", lambda progress: app.replay_check(
                                 page_size=page, progress=progress)))):
            runs.setdefault(name, []).append(measure(name, fn, n))
    # the baseline once more, last, with every cache as warm as the others had it
    runs["raw"].append(measure("raw, again", lambda: raw(app, page), n))
    for entry in runs["raw"] + runs["raw_mapper"] + runs["rebuild"]:
        assert entry.pop("returned") == n, entry
    for entry in runs["verify_chain"]:
        report = entry.pop("returned")
        assert report["ok"] and report["checked"] == n, report
        entry["head"] = report["head"]["position"]
    for entry in runs["verify_chain_job"] + runs["replay_check_job"]:
        job = entry.pop("returned")
        assert job["state"] == "done", job
        assert job["progress"] == {"done": n, "total": n}, job["progress"]
        entry["ok"] = job["result"]["ok"]
    with app.engine.connect() as c:
        rows = c.execute(sa.select(sa.func.count()).select_from(book)).scalar_one()
    best = {name: max(entries, key=lambda e: e["events_per_s"]) for name, entries in runs.items()}
    base = best["raw"]["events_per_s"]
    after = {"then": then(url)} if then is not None else {}  # on the filled store, before it goes
    return {**after,
        "store": url.split(":")[0].split("+")[0], "events": n, "page_size": page,
        "fill": filled, "rounds": rounds, "runs": runs,
        "best_events_per_s": {name: e["events_per_s"] for name, e in best.items()},
        "ratios_to_raw": {name: round(e["events_per_s"] / base, 3) for name, e in best.items()},
        "goal": f">= {GOAL} of raw (rebuild and verify_chain)",
        "read_model_rows": {book.name: rows},
        "chain_page": getattr(Chain, "PAGE", 5000),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def describe() -> dict[str, Any]:
    return {"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores",
            "python": f"{platform.python_implementation()} {platform.python_version()}",
            "eventsourcing": eventsourcing.__version__ if hasattr(eventsourcing, "__version__")
            else "?", "sqlalchemy": sa.__version__}


def markdown(result: dict[str, Any]) -> str:
    best, ratios, f = result["best_events_per_s"], result["ratios_to_raw"], result["fill"]
    names = {"raw": "a. raw: `select_notifications` pages, nothing done",
             "raw_mapper": "b. raw + `mapper.to_domain_event`",
             "rebuild": "c. read-model rebuild (`rebuild_read_model`)",
             "verify_chain": "d. chain verification (`verify_chain`)",
             "verify_chain_job": "e. chain verification as a job (progress, yields)",
             "replay_check_job": "f. `replay_check` as a job (rebuilt aside, compared)"}
    lines = [f"# Audit replay of {result['events']:,} events "
             f"({result['store']}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)", "",
             f"Machine: {result['machine']}. {result['python']}, SQLAlchemy "
             f"{result['sqlalchemy']}. One initiatives store, fresh; page size "
             f"{result['page_size']} for a, b, c (the chain verifier reads "
             f"{result['chain_page']} per page), best of {result['rounds']} round(s); raw is "
             "read once more after the others and its best run is the baseline.", "",
             f"Fill: {f['events']:,} events ({f['stories']:,} initiatives' stories) in "
             f"{f['seconds']} s = **{f['events_per_s']:,} events/s** (batches of {f['batch']}; "
             f"domain {f['split_seconds']['domain']} s, mapper {f['split_seconds']['mapper']} s, "
             f"insert + chain links {f['split_seconds']['insert_with_chain']} s).", "",
             "| read of the whole log | events/s | ratio to raw | goal |",
             "|---|---|---|---|"]
    for name in ("raw", "raw_mapper", "rebuild", "verify_chain", "verify_chain_job",
                 "replay_check_job"):
        goal = f">= {GOAL}" if name in ("rebuild", "verify_chain") else ""
        met = "" if not goal else (" ✔" if ratios[name] >= GOAL else " ✘")
        lines.append(f"| {names[name]} | {best[name]:,} | {ratios[name]:.2f} | {goal}{met} |")
    lines += ["", "Every run (seconds):", ""]
    for name, entries in result["runs"].items():
        lines.append(f"- {name}: " + ", ".join(f"{e['seconds']} s ({e['events_per_s']:,}/s)"
                                               for e in entries))
    lines += ["", f"Read model after rebuild: {result['read_model_rows']}. Peak RSS "
              f"{result['peak_rss_mb']} MB."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file instead of PostgreSQL")
    parser.add_argument("--page-size", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=10_000, help="events per insert")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--note", default="", help="added to the result (what changed)")
    parser.add_argument("--history", action="store_true",
                        help="then run bench.history on the filled store (issue 12)")
    args = parser.parse_args(argv)
    then: Callable[[str], Any] | None = None
    if args.history:
        from bench.history import at_scale

        then = at_scale
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            result = run(f"sqlite:///{Path(folder) / 'initiatives.sqlite'}", args.events,
                         args.page_size, args.batch, args.rounds, then)
    else:
        with fresh_database() as url:
            result = run(url, args.events, args.page_size, args.batch, args.rounds, then)
    result.update(describe())
    if args.note:
        result["note"] = args.note
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"audit-{result['store']}-{datetime.now(UTC):%Y%m%dT%H%M%S}"
    text = markdown(result) + (f"\n{args.note}\n" if args.note else "")
    if "then" in result:
        from bench.history import markdown as history_markdown

        text += "\n" + history_markdown(result["then"])
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2), "utf-8")
    stem.with_suffix(".md").write_text(text, "utf-8")
    print(text)
    print(f"written to {stem}.md and .json")


if __name__ == "__main__":
    main()
