"""The auditors' command line (R5.1): the integrity of every store, and the story of any
decision, read from the stores themselves, from outside the running system.

    python -m runtime.audit checkpoint [service ...]          > checkpoints.json
    python -m runtime.audit verify [service ...] [--checkpoints checkpoints.json]
                                   [--published DIR_OR_URL [--public-key KEY.pem]]
    python -m runtime.audit replay [service ...]
    python -m runtime.audit history <record id> [--service S]
    python -m runtime.audit as-of <record id> [--version N | --on YYYY-MM-DD] [--service S]
    python -m runtime.audit trail <record id> [--service S]
    python -m runtime.audit export <record id> [--format html|json] [--out FILE]
    python -m runtime.audit proof <service> <position> [--to POSITION]  > proof.json

``checkpoint`` prints the head of each store's hash chain (position and link) for the auditor
to keep somewhere the system cannot write; ``verify`` recomputes every chain over the whole
log, checks the log still leads to each kept checkpoint, prints the report and exits 1 if any
store is broken, naming the first position where it breaks. With ``--published`` it checks
each store against every checkpoint the system published (``runtime.checkpoints``: the
directory ``EMU_CHECKPOINT_DIR``, an auditor's mirror of it, or the public API's
``/public/api/checkpoints``): each line's Ed25519 signature first, against ``--public-key``
(the auditor's own copy; by default the published ``public-key.pem``) — an unsigned, forged
or altered line is refused and reported by line number, and fails the store — then that the
store still leads to each accepted checkpoint, so a store rewritten whole, its chain
recomputed, fails at the first published position it no longer reaches
(``checkpoint_mismatch``). ``replay`` rebuilds every read model
of each service aside (its own from its log, each view of an upstream from that upstream's
published events up to where the service has processed them), compares it with the live one
and exits 1 on a difference or a view it could not check. ``history`` and ``as-of`` print
one record's events, or its state at a version or on a date; ``trail`` a decision's causal
chain across the services with the registry as it stood then (``runtime.trail``); ``export``
the audit report, a page to read and print or JSON to keep, exiting 1 if a store it draws on
fails verification; ``proof`` the chain of one store from a signed decision's position (its
verification code names it) to the head, events included, for
``python -m runtime.documents.verify`` to check offline against a kept checkpoint. It reads
the stores named by the same settings as the services (``<SERVICE>_DATABASE_URL``).
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


def verify(names: list[str], settings: Settings, kept: dict[str, Any] | None = None,
           published: str | None = None, keys: bytes | None = None) -> dict[str, Any]:
    """Each store's chain recomputed; checked against the auditor's kept checkpoints and,
    given ``published`` (a directory or a URL), against every signed checkpoint there."""
    from runtime.checkpoints import load_public_keys, read_published

    kept = kept or {}
    found = (read_published(published, names, load_public_keys(keys) if keys else None)
             if published else {})
    report = {}
    for name, app in _apps(names, settings).items():
        checkpoints = ([kept[name]] if name in kept else []) + (
            found[name].accepted if name in found else [])
        result = app.verify_chain(checkpoints)
        if name in found:
            result["published"] = found[name].to_dict()
            if found[name].refused:
                result["ok"] = False
        report[name] = result
    return report


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


def _trail_call(settings: Settings) -> Callable[..., Any]:
    from runtime.trail import over_applications

    return over_applications(_apps(sorted(SERVICES), settings))


def _record_service(call: Callable[..., Any], record_id: str, service: str | None) -> str:
    from runtime.trail import DecisionTrail

    return service if service == "registry" else DecisionTrail(call).locate(record_id, service)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime.audit",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    stores = f"the stores to read, of {', '.join(sorted(SERVICES))} (all by default)"
    for name, help_text in (("checkpoint", "print the head of each store's hash chain"),
                            ("verify", "recompute each store's chain; exit 1 on a break"),
                            ("replay", "rebuild every read model aside and compare; exit 1 on a "
                                       "difference")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("services", nargs="*", help=stores)
        if name == "verify":
            command.add_argument("--checkpoints", type=Path, default=None,
                                 help="a file written by `checkpoint`, kept outside the system")
            command.add_argument("--published", default=None, metavar="DIR_OR_URL",
                                 help="the signed checkpoints the system published: the "
                                      "directory, a mirror, or .../public/api/checkpoints")
            command.add_argument("--public-key", type=Path, default=None,
                                 help="the checkpoint key(s) to trust, PEM (default: the "
                                      "published public-key.pem)")
    for name, help_text in (("history", "every event of one record, with who, when and why"),
                            ("as-of", "one record at a version or on a date"),
                            ("trail", "a decision's causal chain across the services (JSON)"),
                            ("export", "a decision's audit report, JSON or HTML")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("record_id")
        command.add_argument("--service", choices=sorted(SERVICES), default=None,
                             help="the service that holds it (found if not given)")
        if name == "as-of":
            when = command.add_mutually_exclusive_group()
            when.add_argument("--version", type=int, default=None)
            when.add_argument("--on", default=None, help="a date, YYYY-MM-DD")
        if name == "export":
            command.add_argument("--format", choices=["json", "html"], default="html")
            command.add_argument("--out", type=Path, default=None,
                                 help="write the report here (default: standard output)")
    proof = commands.add_parser("proof", help="the chain from a signed decision's position "
                                              "to the head, for the offline verifier (JSON)")
    proof.add_argument("service", choices=sorted(SERVICES))
    proof.add_argument("position", type=int)
    proof.add_argument("--to", type=int, default=None, help="the last position (default: the head)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "proof":
        print(json.dumps(_apps([args.service], settings)[args.service].chain_proof(
            args.position, args.to), indent=1))
        return 0
    if args.command in ("history", "as-of", "trail", "export"):
        return _record_command(args, settings)
    names = args.services or sorted(SERVICES)
    unknown = sorted(set(names) - set(SERVICES))
    if unknown:
        parser.error(f"no service {', '.join(unknown)}")
    if args.command == "checkpoint":
        print(json.dumps(checkpoints(names, settings), indent=2))
        return 0
    if args.command == "replay":
        replays = replay(names, settings)
        print(json.dumps(replays, indent=2, ensure_ascii=False))
        return 0 if all(r["ok"] for r in replays.values()) else 1
    kept = json.loads(args.checkpoints.read_text("utf-8")) if args.checkpoints else None
    keys = args.public_key.read_bytes() if args.public_key else None
    try:
        report = verify(names, settings, kept, args.published, keys)
    except (OSError, ValueError) as error:  # no key published, a URL that does not answer
        print(json.dumps({"code": "CHECKPOINTS_UNAVAILABLE",
                          "message": f"Không đọc được điểm kiểm soát đã công bố: {error}"},
                         ensure_ascii=False), file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if all(r["ok"] for r in report.values()) else 1


def _record_command(args: argparse.Namespace, settings: Settings) -> int:
    """history, as-of, trail, export: one record (or decision), read from the stores; a bad
    id or an unknown record is said on standard error with its code (exit 2)."""
    from runtime.errors import DomainError
    from runtime.trail import AuditQueries

    call = _trail_call(settings)
    try:
        if args.command == "trail":
            result: Any = AuditQueries(call).decision_trail(args.record_id, args.service)
        elif args.command == "export":
            report = AuditQueries(call).audit_report(args.record_id, args.service, args.format)
            if args.out is not None:
                args.out.write_text(report["content"], "utf-8")
                print(f"{args.out}: {report['filename']}, stores verified: {report['verified']}")
            else:
                sys.stdout.write(report["content"])
            return 0 if report["verified"] else 1
        else:
            service = _record_service(call, args.record_id, args.service)
            result = call(service, "history", aggregate_id=args.record_id) \
                if args.command == "history" else \
                call(service, "state_as_of", aggregate_id=args.record_id, version=args.version,
                     on=args.on)
    except DomainError as error:
        print(json.dumps({"code": error.code, "message": error.message, "details": error.details},
                         ensure_ascii=False), file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
