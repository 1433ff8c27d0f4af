"""The auditors' command line (R5.1): the integrity of every store, from outside the system.

    python -m runtime.audit checkpoint [service ...]          > checkpoints.json
    python -m runtime.audit verify [service ...] [--checkpoints checkpoints.json]
    python -m runtime.audit replay [service ...]

``checkpoint`` prints the head of each store's hash chain (position and link) for the auditor
to keep somewhere the system cannot write; ``verify`` recomputes every chain over the whole
log, checks the log still leads to each kept checkpoint, prints the report and exits 1 if any
store is broken, naming the first position where it breaks; ``replay`` rebuilds every read model
of each service aside (its own from its log, each view of an upstream from that upstream's
published events up to where the service has processed them), compares it with the live one
and exits 1 on a difference or a view it could not check. It reads the stores named by the
same settings as the services (``<SERVICE>_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from runtime.config import Settings
from runtime.services import SERVICES


def _apps(names: list[str], settings: Settings) -> dict[str, Any]:
    return {name: SERVICES[name].application_class()(settings) for name in names}


def checkpoints(names: list[str], settings: Settings) -> dict[str, Any]:
    return {name: app.chain_checkpoint() for name, app in _apps(names, settings).items()}


def verify(names: list[str], settings: Settings,
           kept: dict[str, Any] | None = None) -> dict[str, Any]:
    kept = kept or {}
    return {name: app.verify_chain([kept[name]] if name in kept else [])
            for name, app in _apps(names, settings).items()}


def replay(names: list[str], settings: Settings) -> dict[str, Any]:
    """Every read model of each named service rebuilt aside and compared with the live one:
    its own from its log, and each view it keeps of an upstream from that upstream's
    published events, read from the upstream's store (built on first use)."""
    built: dict[str, Any] = {}

    def app(name: str) -> Any:
        if name not in built:
            built[name] = SERVICES[name].application_class()(settings)
        return built[name]

    def reader(source: str) -> Callable[..., Any]:
        return lambda **page: app(source).published_page(**page)

    return {name: app(name).replay_check({source: reader(source) for source in SERVICES
                                          if source != name})
            for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime.audit",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["checkpoint", "verify", "replay"])
    parser.add_argument("services", nargs="*",
                        help=f"the stores to read, of {', '.join(sorted(SERVICES))} (all by default)")
    parser.add_argument("--checkpoints", type=Path, default=None,
                        help="a file written by `checkpoint`, kept outside the system")
    args = parser.parse_args(argv)
    names = args.services or sorted(SERVICES)
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        parser.error(f"no service {', '.join(unknown)}")
    settings = Settings.from_env()
    if args.command == "checkpoint":
        print(json.dumps(checkpoints(names, settings), indent=2))
        return 0
    if args.command == "replay":
        replays = replay(names, settings)
        print(json.dumps(replays, indent=2, ensure_ascii=False))
        return 0 if all(r["ok"] for r in replays.values()) else 1
    kept = json.loads(args.checkpoints.read_text("utf-8")) if args.checkpoints else None
    report = verify(names, settings, kept)
    print(json.dumps(report, indent=2))
    return 0 if all(r["ok"] for r in report.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
