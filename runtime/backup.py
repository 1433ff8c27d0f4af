"""Backup and restore of every store, and the drill that proves a backup is good (R5.1).

    python -m runtime.backup backup [--to DIR]                 (make backup)
    python -m runtime.backup check BACKUP                       sha256 of every file
    python -m runtime.backup restore BACKUP [--force] [--checkpoints FILE]
                                   [--published DIR_OR_URL [--public-key KEY.pem]]  (make restore)
    python -m runtime.backup drill BACKUP [same options]   verify + rebuild, no restore

``backup`` copies every store the settings name (each service's and the gateway's,
``<STORE>_DATABASE_URL``) into one new folder ``backup-YYYYMMDD-HHMMSSZ`` under ``--to``
(``EMU_BACKUP_DIR``, ``backups`` by default): a PostgreSQL database with ``pg_dump`` in its
custom format, once however many stores share it; a SQLite file through SQLite's online
backup API (a consistent copy while the services write, never a copy of the file). Consumers
are copied before the services they consume (``copy_order``). Its
``manifest.json`` says which file holds which store, the sha256 and size of each file, the
head of each store's hash chain taken just before the copy (so the copy holds at least that
much of the log), and the versions of the tools.

``restore`` first checks every file against its sha256 (a damaged backup is refused before
anything is written), refuses a target store that already holds tables unless ``--force``,
restores each file into the store the current settings name, then runs the drill on it:
every chain recomputed and checked to lead to the checkpoints (the manifest's, and those of
``--checkpoints``, a file an auditor kept: ``{store: {position, link}}`` or ``{store:
[{position, link}, ...]}``, and every line the system published under ``--published``, each
signature checked first: ``runtime.checkpoints``), no consumer ahead of its upstream's
restored log, and then every read model (each service's own, and its views of its upstreams)
dropped and rebuilt from the events. It exits 1 if any chain fails: a restored log that does
not lead to the checkpoints is not the log that was saved.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from runtime.config import Settings
from runtime.services import SERVICES

FORMAT = 1
MANIFEST = "manifest.json"
GATEWAY = "gateway"  # the gateway's accounts store: no event log, no chain


def store_names() -> tuple[str, ...]:
    """Every store of the system: each service's, then the gateway's."""
    return (*SERVICES, GATEWAY)


def upstreams() -> dict[str, list[str]]:
    """The services each service consumes (its ``consume_events`` entrypoints)."""
    import warnings

    with warnings.catch_warnings():  # the RPC stack's own deprecation notices: not ours to say
        warnings.simplefilter("ignore")
        from runtime.adapter import upstream_sources

        return {name: upstream_sources(spec.service_class()) for name, spec in SERVICES.items()}


def copy_order(names: Sequence[str]) -> list[str]:
    """Consumers before the services they consume: a copy of a consumer then never records
    (tracks) an upstream event that the later copy of the upstream lacks, which would make a
    restored consumer skip the events its restored upstream writes at those positions again."""
    consumed = upstreams()
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in done or name in path:
            return
        for consumer in sorted(c for c, ups in consumed.items() if name in ups):
            visit(consumer, (*path, name))
        done.append(name)

    for name in names:
        visit(name)
    return [name for name in done if name in names]


def copied_before_consumer(order: Sequence[str]) -> set[str]:
    """The upstreams that ``order`` copies before one of their consumers: only possible when
    services consume each other (reviews and awards do). Such a copy is whole only if the
    upstream wrote nothing while the copy ran (``backup`` checks, and copies again)."""
    consumed = upstreams()
    return {source for consumer, sources in consumed.items() if consumer in order
            for source in sources if source in order
            and order.index(source) < order.index(consumer)}


ATTEMPTS = 5  # copies tried while services that consume each other keep writing


class BackupError(Exception):
    """A backup or restore that cannot go on; ``code`` is stable, the message is for the
    operator (Vietnamese)."""

    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.details = code, message, dict(details or {})


@dataclass(frozen=True)
class Location:
    """Where one or more stores live: a PostgreSQL database or a SQLite file."""

    url: str

    @property
    def parsed(self) -> sa.engine.URL:
        return sa.engine.make_url(self.url)

    @property
    def kind(self) -> str:
        backend = self.parsed.get_backend_name()
        if backend not in ("postgresql", "sqlite"):
            raise BackupError("BACKUP_UNSUPPORTED_STORE",
                              f"không sao lưu được kho loại {backend}", {"url": self.safe})
        return backend

    @property
    def safe(self) -> str:
        """The URL without its password, for manifests and messages."""
        return self.parsed.render_as_string(hide_password=True)

    @property
    def path(self) -> Path:
        database = self.parsed.database
        if not database or database == ":memory:":
            raise BackupError("BACKUP_UNSUPPORTED_STORE", "kho SQLite trong bộ nhớ không sao lưu "
                              "được", {"url": self.safe})
        return Path(database)

    def libpq(self) -> tuple[str, dict[str, str]]:
        """The database as pg_dump and pg_restore name it, and the environment that carries
        the password (never on the command line, where ``ps`` shows it)."""
        url = self.parsed
        env = dict(os.environ)
        if url.password:
            env["PGPASSWORD"] = str(url.password)
        plain = url.set(drivername="postgresql", password=None)
        return plain.render_as_string(hide_password=False), env


def locations(settings: Settings, names: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Each distinct store URL of the settings, with the stores it holds (several services
    may share one database: it is copied once)."""
    found: dict[str, list[str]] = {}
    for name in copy_order(names or store_names()):
        found.setdefault(settings.database_url(name), []).append(name)
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(argv: list[str], env: Mapping[str, str] | None = None) -> str:
    try:
        done = subprocess.run(argv, env=dict(env) if env else None, capture_output=True,
                              text=True, timeout=3600, check=False)
    except FileNotFoundError:
        raise BackupError("BACKUP_TOOL_MISSING", f"không tìm thấy {argv[0]}: cài gói "
                          "postgresql-client (cùng phiên bản chính với máy chủ)",
                          {"tool": argv[0]}) from None
    if done.returncode != 0:
        raise BackupError("BACKUP_TOOL_FAILED", f"{Path(argv[0]).name} báo lỗi (mã "
                          f"{done.returncode})", {"stderr": done.stderr.strip()[-2000:]})
    return done.stdout


def _versions(kinds: set[str]) -> dict[str, str]:
    versions = {"format": str(FORMAT), "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version, "sqlalchemy": sa.__version__}
    try:
        from importlib.metadata import version

        versions["eventsourcing"] = version("eventsourcing")
    except Exception:  # a version is information, never a reason to fail
        pass
    if "postgresql" in kinds:
        versions["pg_dump"] = _run(["pg_dump", "--version"]).strip()
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[1], timeout=10, check=False)
        if commit.returncode == 0:
            versions["code"] = commit.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return versions


def checkpoints(settings: Settings, names: Sequence[str]) -> dict[str, Any]:
    """The head of each service store's hash chain (``runtime.audit checkpoint``)."""
    from runtime.audit import checkpoints as heads

    return heads([name for name in names if name in SERVICES], settings)


def backup(settings: Settings, to: Path, now: datetime | None = None) -> Path:
    """Copies every store into a new dated folder under ``to``; returns the folder. Written
    under a temporary name and renamed when complete, so a folder with a manifest is whole."""
    now = now or datetime.now(UTC)
    grouped = locations(settings)
    kinds = {Location(url).kind for url in grouped}
    to.mkdir(parents=True, exist_ok=True)
    final = to / f"backup-{now.strftime('%Y%m%d-%H%M%SZ')}"
    if final.exists():
        raise BackupError("BACKUP_EXISTS", f"đã có bản sao lưu {final.name}", {"path": str(final)})
    partial = to / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    watched = copied_before_consumer([n for names in grouped.values() for n in names])
    try:
        for _attempt in range(ATTEMPTS):
            moved = _copy(settings, grouped, partial, now, kinds, watched)
            if not moved:
                break
            for leftover in partial.iterdir():
                leftover.unlink()
        else:
            raise BackupError("BACKUP_BUSY", "các kho ghi liên tục trong suốt lúc sao lưu "
                              f"({', '.join(sorted(moved))}), sau {ATTEMPTS} lần: hãy sao lưu "
                              "lại lúc ít việc hơn", {"stores": sorted(moved)})
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # no half backup left looking like one
        raise
    partial.rename(final)
    return final


def _copy(settings: Settings, grouped: Mapping[str, list[str]], partial: Path, now: datetime,
          kinds: set[str], watched: set[str]) -> set[str]:
    """One copy of every store, and its manifest. Returns the ``watched`` stores (upstreams
    copied before a consumer) whose head moved while it ran: then a consumer's copy may have
    processed events the upstream's copy lacks, and the copy is made again."""
    # Before the copy: the copy then holds every event up to each head, and maybe more.
    heads = checkpoints(settings, store_names())
    files: dict[str, Any] = {}
    stores: dict[str, Any] = {}
    for url, names in grouped.items():
        location = Location(url)
        if location.kind == "sqlite" and not location.path.exists():
            for store in names:  # never opened (the gateway before its first start)
                stores[store] = {"file": None, "checkpoint": heads.get(store)}
            continue
        name = f"{names[0]}.{'pgdump' if location.kind == 'postgresql' else 'sqlite'}"
        target = partial / name
        if location.kind == "postgresql":
            database, env = location.libpq()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={target}", f"--dbname={database}"], env)
        else:
            _sqlite_copy(location.path, target)
        files[name] = {"kind": location.kind, "stores": names, "source": location.safe,
                       "bytes": target.stat().st_size, "sha256": _sha256(target)}
        for store in names:
            stores[store] = {"file": name, "checkpoint": heads.get(store)}
    if watched:
        after = checkpoints(settings, sorted(watched))
        moved = {name for name in watched if after.get(name) != heads.get(name)}
        if moved:
            return moved
    manifest = {"format": FORMAT, "created_at": now.isoformat(), "stores": stores,
                "files": files, "versions": _versions(kinds)}
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    return set()


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while a service writes."""
    if not source.exists():
        raise BackupError("BACKUP_STORE_MISSING", f"không có tệp kho {source}", {"path": str(source)})
    _sqlite_backup(source, target)


def _sqlite_backup(source: Path, target: Path) -> None:
    """Copies one SQLite database onto another, page by page, under SQLite's own locks
    (``sqlite3.Connection.backup``): the target ends up the source, whole."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        raise BackupError("BACKUP_INCOMPLETE", f"{folder} không có {MANIFEST}: bản sao lưu "
                          "chưa xong hoặc không phải bản sao lưu", {"path": str(folder)}) from None
    if manifest.get("format") != FORMAT:
        raise BackupError("BACKUP_FORMAT", f"bản sao lưu định dạng {manifest.get('format')}, "
                          f"công cụ này đọc định dạng {FORMAT}", {})
    return manifest


def check(folder: Path) -> dict[str, Any]:
    """Every file of the backup against its size and sha256; raises on the first that
    differs or is missing. Returns the manifest."""
    manifest = read_manifest(folder)
    for name, entry in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError("BACKUP_FILE_MISSING", f"thiếu tệp {name} của bản sao lưu",
                              {"file": name})
        digest = _sha256(path)
        if digest != entry["sha256"] or path.stat().st_size != entry["bytes"]:
            raise BackupError("BACKUP_CORRUPT", f"tệp {name} đã bị thay đổi hoặc hỏng (sha256 "
                              "không khớp): không phục hồi", {"file": name, "expected":
                              entry["sha256"], "found": digest})
    return manifest


def _target(settings: Settings, entry: Mapping[str, Any]) -> Location:
    urls = {settings.database_url(store) for store in entry["stores"]}
    if len(urls) != 1:
        raise BackupError("RESTORE_TARGET_SPLIT", "các kho " + ", ".join(entry["stores"]) +
                          " nằm chung một cơ sở dữ liệu trong bản sao lưu, phải chung một nơi "
                          "khi phục hồi", {"stores": entry["stores"]})
    target = Location(urls.pop())
    if target.kind != entry["kind"]:
        raise BackupError("RESTORE_KIND_MISMATCH", f"bản sao lưu là {entry['kind']}, nơi phục "
                          f"hồi là {target.kind}", {"stores": entry["stores"]})
    return target


def _tables(location: Location) -> list[str]:
    if location.kind == "sqlite" and not location.path.exists():
        return []
    engine = sa.create_engine(location.url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return sorted(sa.inspect(connection).get_table_names())
    finally:
        engine.dispose()


def restore(settings: Settings, folder: Path, force: bool = False) -> dict[str, Any]:
    """Restores a backup into the stores the settings name; returns the manifest. Checks
    every file first; refuses a target that holds tables unless ``force``."""
    manifest = check(folder)
    plan = [(name, entry, _target(settings, entry)) for name, entry in manifest["files"].items()]
    if not force:
        for _, entry, target in plan:
            found = _tables(target)
            if found:
                raise BackupError("RESTORE_TARGET_NOT_EMPTY", f"nơi phục hồi {target.safe} đã "
                                  f"có {len(found)} bảng: chọn kho trống, hoặc dùng --force để "
                                  "ghi đè", {"stores": entry["stores"], "tables": found[:10]})
    for name, _, target in plan:
        if target.kind == "postgresql":
            database, env = target.libpq()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  "--single-transaction", *(["--clean", "--if-exists"] if force else []),
                  f"--dbname={database}", str(folder / name)], env)
        else:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            _sqlite_backup(folder / name, target.path)  # replaces the whole target
    return manifest


def kept_checkpoints(manifest: Mapping[str, Any],
                     *extra: Mapping[str, Any] | None) -> dict[str, list[dict[str, Any]]]:
    """The checkpoints each store's restored chain must lead to: the manifest's (taken at
    backup time) and each ``extra`` set, ``{store: checkpoint}`` or ``{store: [checkpoint,
    ...]}``: those an auditor kept (``python -m runtime.audit checkpoint``) or those the system
    published (each store's accepted lines of the signed published checkpoints plug in here as
    they are). A checkpoint that says when it was taken (``taken_at``) after the backup was
    made is left out: the backup cannot reach it. One taken before must be reached, or the
    restored log is shorter than the one that was saved (``truncated``)."""
    made = _instant(manifest.get("created_at"))
    kept: dict[str, list[dict[str, Any]]] = {}
    for store, entry in manifest.get("stores", {}).items():
        if entry.get("checkpoint"):
            kept.setdefault(store, []).append(dict(entry["checkpoint"]))
    for more in extra:
        for store, value in (more or {}).items():
            for point in value if isinstance(value, list) else [value]:
                taken = _instant(point.get("taken_at"))
                if made is None or taken is None or taken <= made:
                    kept.setdefault(store, []).append(dict(point))
    return kept


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def drill(settings: Settings, kept: Mapping[str, Sequence[Mapping[str, Any]]],
          names: Sequence[str] | None = None) -> dict[str, Any]:
    """R5.1: on restored stores, every chain recomputed and checked to lead to its kept
    checkpoints, then every read model rebuilt from the events: each service's own from its
    log, each view of an upstream from the upstream's published events up to where the
    service had processed them. Read models are rebuilt only when every chain holds (a
    broken log is not replayed into the read models)."""
    names = [name for name in (names or SERVICES) if name in SERVICES]
    apps = {name: SERVICES[name].application_class()(settings) for name in names}
    chains = {name: app.verify_chain(list(kept.get(name, ()))) for name, app in apps.items()}
    for name, report in chains.items():  # a kept checkpoint must name a position (> 0)
        wanted = [int(c["position"]) for c in kept.get(name, ()) if int(c["position"]) > 0]
        report["checkpoints"] = len(wanted)
    for name, app in apps.items():  # no consumer ahead of a restored upstream
        ahead = {source: {"processed": position, "head": chains[source].get("head", {})
                          .get("position")}
                 for source, position in _processed(app).items()
                 if source in chains and chains[source]["ok"]
                 and position > chains[source]["head"]["position"]}
        if ahead:
            chains[name].update(ok=False, ahead_of_upstream=ahead)
    ok = all(report["ok"] for report in chains.values())
    rebuilt: dict[str, Any] = {}
    if ok:
        for name, app in apps.items():
            rebuilt[name] = {"own": app.rebuild_read_model()}
        for name, app in apps.items():
            rebuilt[name]["views"] = rebuild_views(app, {
                source: upstream.published_page for source, upstream in apps.items()
                if source != name})
    return {"ok": ok, "chains": chains, "rebuilt": rebuilt}


def rebuild_views(app: Any, upstreams: Mapping[str, Callable[..., Mapping[str, Any]]],
                  page_size: int = 1000) -> dict[str, int]:
    """Drops a service's views of its upstreams and feeds them again each upstream's
    published events up to the position the service has processed (its tracking record),
    as its inbox fed them; returns how many envelopes each upstream gave."""
    from runtime.readmodel import replay_upstream
    from runtime.store import schema_lock

    if not app.views:
        return {}
    with schema_lock(app.engine):
        for view in app.views:
            view.metadata.drop_all(app.engine)
            view.metadata.create_all(app.engine)
    fed: dict[str, int] = {}
    for source, stop in sorted(_processed(app).items()):
        read = upstreams.get(source)
        if read is None:
            raise BackupError("DRILL_UPSTREAM_MISSING", f"không đọc được sự kiện của {source} "
                              f"để dựng lại khung nhìn của {app.service}", {"source": source})
        fed[source] = replay_upstream(app.engine, app.views, source, read, app.catalog.upcast,
                                      stop, page_size)
    return fed


def _processed(app: Any) -> dict[str, int]:
    """The position of each upstream's log a service has processed (its tracking records)."""
    tracking = app.recorder.tracking_table
    with app.engine.connect() as connection:
        return {str(source): int(position) for source, position in connection.execute(
            sa.select(tracking.c.application_name, sa.func.max(tracking.c.notification_id))
            .group_by(tracking.c.application_name)).all()}


def _load(path: Path | None) -> dict[str, Any] | None:
    return json.loads(path.read_text("utf-8")) if path else None


def published_checkpoints(source: str | None, stores: Iterable[str],
                          public_key: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """The checkpoints the system published (``runtime.checkpoints``: a directory or a URL)
    for the backup's stores, each line's signature checked first (against the auditor's own
    copy of the key if given). A line that fails its check is not a checkpoint to skip: the
    restore is refused, since someone wrote where only the system should have."""
    if not source:
        return {}
    from runtime.checkpoints import load_public_keys, read_published

    keys = load_public_keys(public_key.read_bytes()) if public_key else None
    found = read_published(source, list(stores), keys)
    refused = {store: p.refused for store, p in found.items() if p.refused}
    if refused:
        raise BackupError("PUBLISHED_CHECKPOINT_REFUSED",
                          "có điểm kiểm tra đã công bố không qua được kiểm tra chữ ký: "
                          + ", ".join(sorted(refused)), {"refused": refused})
    return {store: p.accepted for store, p in found.items() if p.accepted}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime.backup",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="copy every store into a new dated folder")
    make.add_argument("--to", type=Path, default=None,
                      help="the folder of backups (EMU_BACKUP_DIR, backups by default)")
    for name, help_text in (("check", "check every file of a backup against its sha256"),
                            ("restore", "check, restore into the configured stores, drill"),
                            ("drill", "verify the chains and rebuild the read models of the "
                                      "configured stores against a backup's checkpoints")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("backup", type=Path)
        if name != "check":
            command.add_argument("--checkpoints", type=Path, default=None,
                                 help="checkpoints kept outside the system (audit checkpoint)")
            command.add_argument("--published", default=None, metavar="DIR_OR_URL",
                                 help="the system's signed published checkpoints")
            command.add_argument("--public-key", type=Path, default=None,
                                 help="the auditor's own copy of the checkpoints' public key")
        if name == "restore":
            command.add_argument("--force", action="store_true",
                                 help="overwrite target stores that already hold tables")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        if args.command == "backup":
            folder = backup(settings, args.to or Path(settings.get("EMU_BACKUP_DIR", "backups")))
            manifest = read_manifest(folder)
            copied = sum(len(entry["stores"]) for entry in manifest["files"].values())
            print(f"Đã sao lưu {copied} kho ({len(manifest['files'])} tệp) vào {folder}")
            return 0
        if args.command == "check":
            manifest = check(args.backup)
            print(f"{args.backup}: {len(manifest['files'])} tệp khớp sha256")
            return 0
        manifest = check(args.backup)
        # read and checked before anything is written: a forged line refuses the restore
        published = published_checkpoints(args.published, manifest.get("stores", {}),
                                          args.public_key)
        if args.command == "restore":
            manifest = restore(settings, args.backup, force=args.force)
            restored = sum(len(entry["stores"]) for entry in manifest["files"].values())
            print(f"Đã phục hồi {restored} kho từ {args.backup}")
        report = drill(settings, kept_checkpoints(manifest, _load(args.checkpoints), published))
    except BackupError as error:
        print(json.dumps({"code": error.code, "message": error.message,
                          "details": error.details}, ensure_ascii=False), file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if not report["ok"]:
        broken = [name for name, r in report["chains"].items() if not r["ok"]]
        print("Chuỗi băm không khớp điểm kiểm tra ở kho: " + ", ".join(broken), file=sys.stderr)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
