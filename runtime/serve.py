"""Runs one service as its own process: ``python -m runtime.serve <service>``.

Logs are JSON lines on stderr (``runtime.observability``); with ``EMU_METRICS_PORT`` set,
``/metrics`` and ``/healthz`` are served on that port (issue 9).
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings(record=True) as _early:  # logged once logging is set up
    warnings.simplefilter("always")
    import eventlet

eventlet.monkey_patch()  # first, before anything imports socket or threading

import os  # noqa: E402

# psycopg waits in C (blocking the eventlet hub: one query at a time per process) unless it
# sees gevent; select.select is green after monkey_patch, so wait with it instead.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

import argparse  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
from typing import Any  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402
from nameko.utils.concurrency import SpawningProxy  # noqa: E402

from runtime.config import Settings  # noqa: E402
from runtime.observability import serve_metrics, setup_logging  # noqa: E402
from runtime.services import SERVICES, resolve  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("service", help=f"one of {', '.join(SERVICES)}, or module:Class")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    setup_logging(args.service, settings, early=_early)
    log = logging.getLogger("emulation.serve")
    runner = ServiceRunner(settings.nameko_config())
    spec = SERVICES.get(args.service)
    runner.add_service(spec.service_class() if spec else resolve(args.service))
    state = {"started": False, "stopping": False}

    def health() -> tuple[bool, dict[str, Any]]:
        # Ready once the nameko runner has started its containers, until it is told to stop.
        return state["started"] and not state["stopping"], {"service": args.service, **state}

    metrics = serve_metrics(settings.metrics_port, health, settings.metrics_host)

    def stop(signum: int, _frame: object) -> None:
        log.info("%s stopping (signal %d)", args.service, signum)
        state["stopping"] = True
        eventlet.spawn(runner.stop)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.start()
    state["started"] = True
    log.info("%s ready", args.service)
    try:
        # Not runner.wait(): when a container dies it stops the others and waits for them,
        # which can hang on a broker that is away, leaving a process that serves nothing.
        # A dead container ends the process instead, for its supervisor to start it again.
        SpawningProxy(runner.containers, abort_on_error=True).wait()
    except Exception:
        log.critical("%s stopped working; exiting so that it is started again", args.service,
                     exc_info=True)
        os._exit(70)  # EX_SOFTWARE
    finally:
        if metrics is not None:
            metrics.stop()


if __name__ == "__main__":
    main()
