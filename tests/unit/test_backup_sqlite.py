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

import pytest

from runtime import backup
from runtime.config import Settings
from runtime.services import SERVICES
from services.registry.application import Registry
from tests.support.province import build


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
    assert out.startswith("Đã phục hồi 6 kho")
    report = json.loads(out.split("\n", 1)[1])
    assert report["ok"] and report["chains"]["registry"]["checkpoints"] == 1
    assert report["rebuilt"]["registry"]["own"] == manifest["stores"]["registry"][
        "checkpoint"]["position"]
    restored = Registry(Settings({"EMU_DATA_DIR": str(tmp_path / "restored")}))
    assert restored.search_unions("Càng Long") == before
    assert backup.main(["restore", str(folder)]) == 2  # the target holds tables now
    assert json.loads(capsys.readouterr().err)["code"] == "RESTORE_TARGET_NOT_EMPTY"


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
