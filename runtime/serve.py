"""Runs one service as its own process: ``python -m runtime.serve <service>``."""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()  # first, before anything imports socket or threading

import os  # noqa: E402

# psycopg waits in C (blocking the eventlet hub: one query at a time per process) unless it
# sees gevent; select.select is green after monkey_patch, so wait with it instead.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

import argparse  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from runtime.config import Settings  # noqa: E402
from runtime.services import SERVICES, resolve  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", help=f"one of {', '.join(SERVICES)}, or module:Class")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    runner = ServiceRunner(settings.nameko_config())
    spec = SERVICES.get(args.service)
    runner.add_service(spec.service_class() if spec else resolve(args.service))

    def stop(signum: int, _frame: object) -> None:
        logging.getLogger("emulation.serve").info("%s stopping (signal %d)", args.service, signum)
        eventlet.spawn(runner.stop)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.start()
    logging.getLogger("emulation.serve").info("%s ready", args.service)
    runner.wait()


if __name__ == "__main__":
    main()
