"""Long checks of a whole store run as jobs (R5.1: chain verification; R4.5: every decision
replayed from its immutable record): a job answers at once, runs to done with its progress
reaching the total, stops when cancelled, is not run twice at once, is reported failed with
its error's code, and yields between batches so the service keeps answering meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from runtime import chain
from runtime.errors import DomainError, InvalidInput
from runtime.jobs import JobAlreadyRunning, JobKindUnknown, JobNotFound, Jobs
from services.registry.application import Registry
from tests.support.province import build

AUDITOR = {"user_id": "kiemtoan", "role": "auditor", "union_id": None}


@pytest.fixture
def registry(tmp_path: Path, settings_for: Any) -> Registry:
    app = Registry(settings_for(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    build(app)
    return app


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chain, "BATCH", 10)  # many batches over the little province


class Threads:
    """Jobs run on plain threads here (green threads in a service), each started when the
    test ``wait``s for them, so what a test does before is done before the work begins."""

    def __init__(self) -> None:
        self.started: list[threading.Thread] = []

    def __call__(self, run: Callable[[], None]) -> None:
        self.started.append(threading.Thread(target=run, daemon=True))

    def wait(self) -> None:
        for thread in self.started:
            if thread.ident is None:
                thread.start()
            thread.join(timeout=60)
            assert not thread.is_alive()


@pytest.fixture
def threads() -> Iterator[Threads]:
    spawned = Threads()
    yield spawned
    spawned.wait()


def events_in(app: Registry) -> int:
    table = app.recorder.chain.events  # type: ignore[attr-defined]
    with app.engine.connect() as c:
        return int(c.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_r5_1_a_chain_verification_job_runs_to_done_with_its_progress_reaching_the_total(
        registry: Registry, threads: Threads, small_batches: None) -> None:
    seen: list[tuple[int, int | None]] = []

    def progress() -> tuple[int, int | None]:
        now = jobs.get(started["id"])["progress"]
        return now["done"], now["total"]

    jobs = Jobs(threads, pause=lambda: seen.append(progress()))
    started = jobs.start("verify_chain", partial(registry.verify_chain, []), AUDITOR)

    assert started["state"] == "running" and started["started_by"] == AUDITOR
    threads.wait()
    job = jobs.get(started["id"])
    total = events_in(registry)
    assert job["state"] == "done" and job["result"]["ok"], job
    assert job["progress"] == {"done": total, "total": total} and total > 40
    assert job["result"]["checked"] == total and job["finished_at"] and job["error"] is None
    # told along the way, batch by batch, of the whole log's size
    along = [done for done, of in seen if of == total and 0 < done < total]
    assert along and along == sorted(along), seen


def test_r4_5_r5_1_a_replay_job_counts_the_own_log_and_each_upstream_to_the_total(
        tmp_path: Path, settings_for: Any, threads: Threads) -> None:
    from services.initiatives.application import Initiatives
    from tests.support.province import deliver

    settings = settings_for(f"sqlite:///{tmp_path / 'store.sqlite'}")
    registry = Registry(settings)
    build(registry)
    initiatives = Initiatives(settings)
    deliver(registry, initiatives)
    seen: list[int] = []
    jobs = Jobs(threads, pause=lambda: seen.append(1))
    started = jobs.start("replay_check", lambda progress: initiatives.replay_check(
        {"registry": registry.published_page}, page_size=5, progress=progress), AUDITOR)
    threads.wait()
    job = jobs.get(started["id"])
    assert job["state"] == "done" and job["result"]["ok"], job
    processed = initiatives.last_processed("registry")
    assert processed is not None
    own = events_in(initiatives)  # type: ignore[arg-type]
    assert job["progress"] == {"done": own + processed, "total": own + processed}
    assert len(seen) > 3  # page by page (the registry's pages of 5)


def test_r5_1_a_cancelled_job_stops_at_its_next_batch_and_says_who_stopped_it(
        registry: Registry, threads: Threads, small_batches: None) -> None:
    calls = []

    def pause() -> None:  # the auditor presses "Dừng" while the second batch is checked
        calls.append(1)
        if len(calls) == 3:
            jobs.cancel(started["id"], {**AUDITOR, "user_id": "kiemtoan2"})

    jobs = Jobs(threads, pause=pause)
    started = jobs.start("verify_chain", partial(registry.verify_chain, []), AUDITOR)
    threads.wait()
    job = jobs.get(started["id"])
    assert job["state"] == "cancelled", job
    assert job["progress"]["done"] == 2 * chain.BATCH < job["progress"]["total"]
    assert job["result"] is None and job["cancelled_by"]["user_id"] == "kiemtoan2"
    # cancelling a finished job answers it as it is
    assert jobs.cancel(started["id"])["state"] == "cancelled"


def test_r5_1_a_second_start_of_a_running_kind_answers_the_running_job(threads: Threads) -> None:
    release = threading.Event()

    def waits(progress: Callable[[int, int | None], None]) -> dict[str, Any]:
        progress(0, 1)
        assert release.wait(timeout=60)
        progress(1, None)
        return {"ok": True}

    jobs = Jobs(threads)
    first = jobs.start("replay_check", waits, AUDITOR)
    threads.started[0].start()  # it runs, held in its work
    again = jobs.start("replay_check", waits, {**AUDITOR, "user_id": "other"})
    other_kind = jobs.start("verify_chain", lambda progress: {"ok": True}, AUDITOR)
    assert jobs.get(first["id"])["state"] == "running"
    assert again["id"] == first["id"] and again["started_by"] == AUDITOR
    assert other_kind["id"] != first["id"]
    # the same kind over other parameters is not answered with a job that checks otherwise
    with pytest.raises(JobAlreadyRunning) as busy:
        jobs.start("replay_check", waits, AUDITOR, {"position": 3, "link": "a" * 64})
    assert busy.value.details == {"job_id": first["id"], "kind": "replay_check"}
    release.set()
    threads.wait()
    assert jobs.get(first["id"])["state"] == "done"
    assert len(threads.started) == 2  # the second start ran nothing
    assert jobs.start("replay_check", waits, AUDITOR)["id"] != first["id"]  # finished: anew


def test_r5_1_an_unknown_job_or_kind_is_refused_with_its_code(threads: Threads) -> None:
    jobs = Jobs(threads, keep=2)
    for missing in ("no-such-job", None, 7):
        with pytest.raises(JobNotFound) as refused:
            jobs.get(missing)
        assert refused.value.code == "JOB_NOT_FOUND"
        with pytest.raises(JobNotFound):
            jobs.cancel(missing)
    with pytest.raises(JobKindUnknown) as kind:
        jobs.start("rebuild_everything", lambda progress: None)
    assert (kind.value.code, kind.value.details["field"]) == ("JOB_KIND_UNKNOWN", "kind")
    # only the last ``keep`` finished jobs are kept: the oldest is gone, and said so
    ids = []
    for _ in range(3):
        ids.append(jobs.start("verify_chain", lambda progress: {"ok": True})["id"])
        threads.wait()
    with pytest.raises(JobNotFound):
        jobs.get(ids[0])
    assert [jobs.get(i)["state"] for i in ids[1:]] == ["done", "done"]


def test_r5_1_a_failed_job_is_reported_with_its_code_and_the_service_goes_on(
        registry: Registry, threads: Threads) -> None:
    from runtime.store import store_unavailable

    def refuses(progress: Any) -> None:
        raise InvalidInput("a checkpoint is a position and its 64-digit link", {"field": "link"})

    def store_gone(progress: Any) -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionError("the server went away"))

    def bug(progress: Any) -> None:
        raise ZeroDivisionError

    jobs = Jobs(threads, explain=store_unavailable)
    found = {}
    for work, code in ((refuses, "INVALID_INPUT"), (store_gone, "STORE_UNAVAILABLE"),
                       (bug, "INTERNAL_ERROR")):
        job = jobs.start("verify_chain", work, AUDITOR)
        threads.wait()
        found[code] = jobs.get(job["id"])
        assert found[code]["state"] == "failed" and found[code]["error"]["code"] == code
        assert found[code]["finished_at"] and found[code]["result"] is None
    assert found["INVALID_INPUT"]["error"]["details"] == {"field": "link"}
    # the failure stayed in its job: the next one runs to done
    job = jobs.start("verify_chain", partial(registry.verify_chain, []), AUDITOR)
    threads.wait()
    assert jobs.get(job["id"])["state"] == "done"


def test_r5_1_a_running_job_yields_so_the_service_keeps_answering(
        registry: Registry, small_batches: None) -> None:
    """On green threads, as in a service: a call made while a job runs is answered before the
    job ends, because the job pauses between batches."""
    import eventlet

    spawned: list[Any] = []
    jobs = Jobs(lambda run: spawned.append(eventlet.spawn(run)), pause=eventlet.sleep)
    started = jobs.start("verify_chain", partial(registry.verify_chain, []), AUDITOR)
    answered: list[dict[str, Any]] = []

    def rpc_meanwhile() -> None:  # another worker of the service, asking after the job
        while jobs.get(started["id"])["progress"]["done"] == 0 \
                and jobs.get(started["id"])["state"] == "running":
            eventlet.sleep(0)
        answered.append(jobs.get(started["id"]))

    eventlet.sleep(0)  # the job begins
    caller = eventlet.spawn(rpc_meanwhile)
    caller.wait()
    spawned[0].wait()
    assert answered[0]["state"] == "running", answered
    assert 0 < answered[0]["progress"]["done"] < answered[0]["progress"]["total"]
    assert jobs.get(started["id"])["state"] == "done"


def test_r5_1_domain_errors_keep_their_codes_across_the_wire() -> None:
    """The job's codes are domain errors of their own: rebuilt as themselves by a caller."""
    wire = DomainError("gone", "{}", "JOB_NOT_FOUND")
    assert isinstance(wire, JobNotFound) and wire.kind == "not_found"
