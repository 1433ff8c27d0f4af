"""``make backup`` / ``make restore`` on ``make run``'s SQLite stores (R5.1): every store
copied through SQLite's online backup API while a writer holds its lock (what is copied is
what was committed), restored through the command line into an empty data folder, the chains
verified against the backup's checkpoints, the read models rebuilt, the same answers; a
target that already holds tables is refused."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from runtime import backup
from runtime.checkpoints import Publisher
from runtime.config import Settings
from runtime.services import SERVICES
from services.registry.application import Registry
from tests.support.province import build
from tests.support.tamper import rewrite_whole


def test_r5_1_make_runs_sqlite_stores_back_up_online_and_restore_through_the_command_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = Registry(Settings({"EMU_DATA_DIR": str(tmp_path / "data")}))
    build(registry)
    before = registry.search_unions("Càng Long")
    for key in [k for k in os.environ if k.endswith("_DATABASE_URL")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMU_DATA_DIR", str(tmp_path / "data"))
    writer = sqlite3.connect(tmp_path / "data" / "registry.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a service in the middle of a command
    writer.execute("UPDATE registry_events_chain SET link = 'chưa ghi' WHERE position = 1")
    try:
        assert backup.main(["backup", "--to", str(tmp_path / "backups")]) == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    folder = next((tmp_path / "backups").glob("backup-*"))
    manifest = backup.check(folder)
    assert sorted(manifest["files"]) == sorted(f"{name}.sqlite" for name in SERVICES)
    assert manifest["stores"]["gateway"]["file"] is None  # never started: nothing to copy
    assert manifest["stores"]["registry"]["checkpoint"]["position"] > 0
    monkeypatch.setenv("EMU_DATA_DIR", str(tmp_path / "restored"))
    capsys.readouterr()
    assert backup.main(["restore", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã phục hồi 5 kho")  # the gateway had no store yet
    report = json.loads(out.split("\n", 1)[1])
    assert report["ok"] and report["chains"]["registry"]["checkpoints"] == 1
    assert report["rebuilt"]["registry"]["own"] == manifest["stores"]["registry"][
        "checkpoint"]["position"]
    restored = Registry(Settings({"EMU_DATA_DIR": str(tmp_path / "restored")}))
    assert restored.search_unions("Càng Long") == before
    assert backup.main(["restore", str(folder)]) == 2  # the target holds tables now
    assert json.loads(capsys.readouterr().err)["code"] == "RESTORE_TARGET_NOT_EMPTY"
    with restored.engine.begin() as c:  # written after the backup: --force overwrites it
        c.exec_driver_sql("DELETE FROM registry_events_chain")
    assert not restored.verify_chain()["ok"]
    assert backup.main(["restore", str(folder), "--force"]) == 0
    assert Registry(Settings({"EMU_DATA_DIR": str(tmp_path / "restored")})).verify_chain()["ok"]


def test_r5_1_a_changed_sqlite_backup_file_is_refused(tmp_path: Path) -> None:
    settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data")})
    build(Registry(settings))
    folder = backup.backup(settings, tmp_path / "backups")
    with (folder / "registry.sqlite").open("ab") as handle:
        handle.write(b"\0")
    target = Settings({"EMU_DATA_DIR": str(tmp_path / "restored")})
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(target, folder)
    assert refused.value.code == "BACKUP_CORRUPT"
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())


def test_r5_1_each_consumer_is_copied_before_the_services_it_consumes(tmp_path: Path) -> None:
    order = backup.copy_order(backup.store_names())
    copied = backup.locations(Settings({"EMU_DATA_DIR": str(tmp_path)}))  # what backup walks
    assert [stores for stores in copied.values()] == [[name] for name in order]
    assert sorted(order) == sorted(backup.store_names())
    watched = backup.copied_before_consumer(order)
    for consumer, sources in backup.upstreams().items():
        for source in sources:  # services that consume each other: one of them is watched
            assert order.index(consumer) < order.index(source) or source in watched, (
                consumer, source)
    assert watched == {"reviews"}  # reviews and awards consume each other
    assert backup.upstreams()["awards"] and order[-2:] == ["registry", "gateway"]


def test_r5_1_an_upstream_copied_before_its_consumer_is_copied_again_if_it_moved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reviews and awards consume each other, so one is copied before its consumer: if it
    wrote while the copy ran, the consumer's copy may have processed events its copy lacks,
    and the whole copy is made again; a store that never stops writing gives up clearly."""
    settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data")})
    build(Registry(settings))
    heads = iter([{"reviews": {"position": 1}}, {"reviews": {"position": 2}}])
    real = backup.checkpoints
    calls: list[int] = []

    def moving(settings: Settings, names: Any) -> dict[str, Any]:
        calls.append(1)
        found = real(settings, names)
        return {**found, **next(heads, {"reviews": {"position": 2}})}

    monkeypatch.setattr(backup, "checkpoints", moving)
    folder = backup.backup(settings, tmp_path / "backups")  # moved once, then still
    assert len(calls) == 4 and backup.check(folder)["stores"]["reviews"]["checkpoint"] == {
        "position": 2}
    endless = iter(range(1, 100))
    monkeypatch.setattr(backup, "checkpoints", lambda settings, names: {
        **real(settings, names), "reviews": {"position": next(endless)}})
    with pytest.raises(backup.BackupError) as busy:
        backup.backup(settings, tmp_path / "more")
    assert busy.value.code == "BACKUP_BUSY" and not any((tmp_path / "more").iterdir())


def test_r5_1_a_restored_consumer_ahead_of_its_restored_upstream_fails_the_drill(
        tmp_path: Path) -> None:
    """Copies taken in the wrong order (an upstream before its consumer) would leave the
    consumer tracking events its upstream's copy lacks: it would skip the new events the
    upstream writes at those positions. The drill says so."""
    import sqlalchemy as sa

    from services.initiatives.application import Initiatives
    from tests.support.province import deliver

    settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data")})
    registry = Registry(settings)
    build(registry)
    deliver(registry, Initiatives(settings))
    folder = backup.backup(settings, tmp_path / "backups")
    target = Settings({"EMU_DATA_DIR": str(tmp_path / "restored")})
    manifest = backup.restore(target, folder)
    assert backup.drill(target, backup.kept_checkpoints(manifest))["ok"]
    initiatives = Initiatives(target)
    tracking = initiatives.recorder.tracking_table
    with initiatives.engine.begin() as c:
        c.execute(tracking.update().where(tracking.c.application_name == "registry")
                  .values(notification_id=tracking.c.notification_id + 5))
    report = backup.drill(target, backup.kept_checkpoints(manifest))
    assert not report["ok"] and report["rebuilt"] == {}
    ahead = report["chains"]["initiatives"]["ahead_of_upstream"]["registry"]
    assert ahead["processed"] == ahead["head"] + 5
    assert sa.inspect(initiatives.engine).has_table(tracking.name)


def test_r5_1_the_drill_takes_kept_and_published_checkpoints_taken_up_to_the_backup() -> None:
    head = {"position": 40, "link": "a" * 64}
    manifest = {"created_at": "2026-12-06T01:30:00+00:00",
                "stores": {"awards": {"checkpoint": head}, "gateway": {"checkpoint": None}}}
    before = {"service": "awards", "position": 30, "link": "b" * 64,
              "taken_at": "2026-12-06T01:00:00Z"}
    after = {**before, "position": 50, "taken_at": "2026-12-06T02:00:00Z"}
    kept = {"position": 35, "link": "c" * 64}  # no time: always checked
    assert backup.kept_checkpoints(manifest, {"awards": [before, after]}, {"awards": kept,
                                   "registry": kept}) == {
        "awards": [head, before, kept], "registry": [kept]}


def test_r5_1_a_backup_that_fails_midway_leaves_no_folder_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data")})
    build(Registry(settings))

    def fails(source: Path, target: Path) -> None:
        raise backup.BackupError("BACKUP_TOOL_FAILED", "hỏng giữa chừng")

    monkeypatch.setattr(backup, "_sqlite_copy", fails)
    with pytest.raises(backup.BackupError):
        backup.backup(settings, tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_r5_1_a_backup_of_a_store_rewritten_whole_fails_the_drill_against_published_checkpoints(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The threat a backup cannot see alone: the store was rewritten consistently before it
    was copied, so the manifest's own checkpoint agrees with it. The checkpoints the system
    published before the rewrite do not; and a forged published line refuses the restore
    before anything is written."""
    data, published = tmp_path / "data", tmp_path / "published"
    settings = Settings({"EMU_DATA_DIR": str(data), "EMU_CHECKPOINT_DIR": str(published)})
    registry = Registry(settings)
    build(registry)
    line = Publisher.from_settings("registry", settings).tick(registry.chain_checkpoint)
    assert line is not None
    rewrite_whole(registry)
    assert registry.verify_chain()["ok"]  # consistent in itself
    for key in [k for k in os.environ if k.endswith("_DATABASE_URL")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("EMU_DATA_DIR", str(data))
    folder = backup.backup(settings, tmp_path / "backups")
    assert backup.main(["drill", str(folder)]) == 0  # the manifest alone cannot tell
    capsys.readouterr()
    assert backup.main(["drill", str(folder), "--published", str(published)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["chains"]["registry"]["break"] == {"position": line["position"],
                                                     "kind": "checkpoint_mismatch"}

    forged = {**line, "link": "0" * 64}
    with (published / "registry.jsonl").open("a", encoding="ascii") as handle:
        handle.write(json.dumps(forged) + "\n")
    monkeypatch.setenv("EMU_DATA_DIR", str(tmp_path / "restored"))
    assert backup.main(["restore", str(folder), "--published", str(published)]) == 2
    assert json.loads(capsys.readouterr().err)["code"] == "PUBLISHED_CHECKPOINT_REFUSED"
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())
