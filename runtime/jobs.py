"""Long work of a service run as a job, never on an RPC's time (R5.1: an auditor's checks of a
whole store, DESIGN "Work that can outlast an RPC timeout ... runs as a job").

``Jobs.start(kind, work)`` answers at once with the job; the work runs in the background of
the service's own process (the adapter hands in its spawn: a managed green thread of the
nameko container) and is given a ``progress(done, total)`` callback. Calling it between
batches is the job's heartbeat: it records how far the work has come, stops the work when
the job was cancelled (it raises ``JobCancelled``) and yields, so the service keeps answering
RPCs while a million events are checked. ``Jobs.get(id)`` answers the job as it stands;
``Jobs.cancel(id)`` asks it to stop at its next batch.

- One running job of a kind at a time: a second start of the same kind answers the running
  job (who asked first, how far it has come), not a second run over the same store; a start
  of that kind with other parameters (another checkpoint to compare with) is refused
  ``JOB_ALREADY_RUNNING`` until it ends, never answered with a job that checks something else.
- Who started a job (the actor of the RPC's context) and who cancelled it are kept with it.
- Jobs live in the process: the last ``keep`` finished ones are kept, the oldest dropped
  first. A job does not survive a restart of its service (its id is then ``JOB_NOT_FOUND``)
  and the caller starts it again; it is answered only by the instance that runs it.

A job's failure is reported, never raised into the service: ``failed`` with the error's
stable code (a domain error's own, ``STORE_UNAVAILABLE`` for a store that went away,
``INTERNAL_ERROR`` otherwise).

This module knows nothing of nameko, eventlet or the stores: the adapter gives it the spawn
and the pause, the application the work (``runtime.store.ServiceApplication``).
"""

from __future__ import annotations

import itertools
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from runtime.errors import Conflict, DomainError, InvalidInput, NotFound

log = logging.getLogger("emulation.jobs")

KINDS = ("verify_chain", "replay_check")
KEEP = 50  # finished jobs kept per service process


class JobNotFound(NotFound):
    """No job with this id in the service (never started, dropped as old, or the service was
    restarted since: start it again)."""

    code = "JOB_NOT_FOUND"


class JobKindUnknown(InvalidInput):
    code = "JOB_KIND_UNKNOWN"


class JobAlreadyRunning(Conflict):
    code = "JOB_ALREADY_RUNNING"


class JobCancelled(BaseException):  # a signal, like GeneratorExit, not an error
    """Raised by ``progress`` in the job's work once the job was cancelled. A BaseException,
    so that the work's own ``except Exception`` (a replay reports an upstream that failed and
    goes on) does not swallow it."""


Progress = Callable[[int, "int | None"], None]
Work = Callable[[Progress], Any]


@dataclass
class Job:
    id: str
    kind: str
    actor: dict[str, Any] | None
    started_at: str
    state: str = "running"  # running | done | failed | cancelled
    done: int = 0
    total: int | None = None
    finished_at: str | None = None
    result: Any = None
    error: dict[str, Any] | None = None
    cancelled_by: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)
    cancel_requested: bool = field(default=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "params": self.params, "state": self.state,
                "progress": {"done": self.done, "total": self.total},
                "started_at": self.started_at, "finished_at": self.finished_at,
                "started_by": self.actor, "cancelled_by": self.cancelled_by,
                "result": self.result, "error": self.error}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Jobs:
    """The jobs of one service process."""

    def __init__(self, spawn: Callable[[Callable[[], None]], Any],
                 pause: Callable[[], None] = lambda: None, keep: int = KEEP,
                 explain: Callable[[BaseException], DomainError | None] | None = None) -> None:
        self.spawn = spawn
        self.pause = pause
        self.keep = keep
        self.explain = explain
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def start(self, kind: str, work: Work, actor: Mapping[str, Any] | None = None,
              params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The job running ``work``, or the running job of that kind if there is one (with
        the same ``params``: what the work was given, kept with the job)."""
        self.check_kind(kind)
        wanted = dict(params or {})
        with self._lock:
            running = next((j for j in self._jobs.values()
                            if j.kind == kind and j.state == "running"), None)
            if running is not None:
                if running.params != wanted:
                    raise JobAlreadyRunning(
                        f"a {kind} job with other parameters is running; wait for it or stop it",
                        {"job_id": running.id, "kind": kind})
                return running.to_dict()
            job = Job(f"{next(self._ids)}-{uuid.uuid4().hex[:12]}", kind,
                      dict(actor) if actor else None, _now(), params=wanted)
            self._jobs[job.id] = job
            self._drop_old()
        self.spawn(lambda: self._run(job, work))
        return job.to_dict()

    @staticmethod
    def check_kind(kind: object) -> None:
        if kind not in KINDS:
            raise JobKindUnknown(f"no job of kind {kind!r}; one of {', '.join(KINDS)}",
                                 {"field": "kind"})

    def get(self, job_id: object) -> dict[str, Any]:
        return self._job(job_id).to_dict()

    def cancel(self, job_id: object, actor: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Asks a running job to stop at its next batch; a finished job is answered as it is."""
        job = self._job(job_id)
        if job.state == "running" and not job.cancel_requested:
            job.cancel_requested = True
            job.cancelled_by = dict(actor) if actor else None
        return job.to_dict()

    def _job(self, job_id: object) -> Job:
        job = self._jobs.get(job_id) if isinstance(job_id, str) else None
        if job is None:
            raise JobNotFound("no such job in this service; start it again",
                              {"job_id": str(job_id)[:80]})
        return job

    def _drop_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.state != "running"]
        for job_id in finished[:max(0, len(finished) - self.keep)]:
            del self._jobs[job_id]

    def _progress(self, job: Job) -> Progress:
        def progress(done: int, total: int | None = None) -> None:
            if total is not None:
                job.total = total
            job.done = done
            if job.total is not None and job.done > job.total:  # the log grew meanwhile
                job.total = job.done
            if job.cancel_requested:
                raise JobCancelled(job.id)
            self.pause()  # let the service answer its RPCs between batches

        return progress

    def _run(self, job: Job, work: Work) -> None:
        try:
            self.pause()  # the start's reply goes out before the work begins
            if job.cancel_requested:
                raise JobCancelled(job.id)
            result = work(self._progress(job))
            job.result, job.state = result, "done"
            if job.total is None:
                job.total = job.done
        except JobCancelled:
            job.state = "cancelled"
        except Exception as exc:
            job.error, job.state = self._error(exc), "failed"
            if not isinstance(exc, DomainError):  # the caller sees a code; the log keeps why
                log.exception("job %s (%s) failed unexpectedly", job.id, job.kind)
        finally:
            job.finished_at = _now()
            with self._lock:
                self._drop_old()
        log.info("job %s (%s) %s at %s/%s", job.id, job.kind, job.state, job.done, job.total,
                 extra={"job": job.id, "kind": job.kind, "state": job.state})

    def _error(self, exc: Exception) -> dict[str, Any]:
        error: BaseException | None = exc
        if not isinstance(exc, DomainError) and self.explain is not None:
            error = self.explain(exc) or exc
        if isinstance(error, DomainError):
            return {"code": error.code, "details": error.details}
        log.error("a job failed", exc_info=exc)
        return {"code": "INTERNAL_ERROR", "details": {}}


def checkpoint(position: object, link: object) -> list[dict[str, Any]]:
    """The auditor's checkpoint a chain verification checks (none when neither is given)."""
    if (position is None) != (link is None) or (position is not None and (
            isinstance(position, bool) or not isinstance(position, int) or position < 0
            or not isinstance(link, str) or len(link) != 64)):
        raise InvalidInput("a checkpoint is a position and its 64-digit link",
                           {"field": "position" if link is not None else "link"})
    return [{"position": position, "link": link}] if link else []
