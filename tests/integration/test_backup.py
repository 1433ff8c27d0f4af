"""The restore drill (R5.1): a year of real activity on PostgreSQL, a fixed set of answers
read from the services, the chains' heads kept, a backup taken; restored into a fresh
database, every chain verified against the kept checkpoints, every read model rebuilt from
the events, and the same questions answer exactly as before. A damaged backup file is
refused before anything is written, a target that holds tables is refused, and a restored
log whose links were rewritten to agree with itself fails the drill at the checkpoint.
(``make run``'s SQLite stores: ``tests/unit/test_backup_sqlite.py``.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gateway.accounts import Accounts
from runtime import backup
from runtime.chain import link
from runtime.config import Settings
from runtime.context import use_context
from runtime.services import SERVICES
from runtime.trail import AuditQueries, over_applications
from services.notifications.application import Notifications
from tests.support.awards_world import World, to_the_province, world
from tests.support.infra import fresh_database
from tests.support.province import ADMIN, acting

pytestmark = pytest.mark.postgres
STORES = (*SERVICES, "gateway")


def settings_on(url: str, tmp_path: Path) -> Settings:
    return Settings({"EMU_DATA_DIR": str(tmp_path / "data"),
                     **{f"{store.upper()}_DATABASE_URL": url for store in STORES}})


def applications(settings: Settings) -> dict[str, Any]:
    return {name: SERVICES[name].application_class()(settings) for name in SERVICES}


def answers(apps: dict[str, Any], ids: dict[str, Any], w: World) -> dict[str, Any]:
    """The fixed questions: a union's tracking book, a search, the year's statistics, the
    registry's search and members, an award, the trail of the award decided at the province,
    a person's notifications and the gateway's users (JSON, as a caller reads them)."""
    cs1, cl = w.u("CS-1"), w.u("TV-CL")
    with use_context(ADMIN):
        found = {
            "book": apps["initiatives"].tracking_book(cs1, "2025-01-01", "2025-12-31"),
            "search": apps["initiatives"].search_initiatives("sáng kiến"),
            "statistics": apps["initiatives"].statistics(2025, union_ids=[cs1, w.u("CS-2")]),
            "unions": apps["registry"].search_unions("Càng Long"),
            "members": apps["registry"].members(cs1),
            "award": apps["awards"].get_award(ids["award"]),
            "awards": apps["awards"].awards(union_id=cl),
            "trail": AuditQueries(over_applications(apps)).decision_trail(ids["award"]),
        }
    with use_context(acting(w.p("D"))):
        found["bell"] = apps["notifications"].my_notifications()
    return json.loads(json.dumps(found, default=str, ensure_ascii=False))


@pytest.fixture(scope="module")
def lived(tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Settings, World, dict[str, Any]]]:
    """A year lived on a fresh PostgreSQL database, every service and the gateway on it
    (made once: the tests only read it and back it up)."""
    with fresh_database() as url:
        settings = settings_on(url, tmp_path_factory.mktemp("source"))
        w = world(settings)
        ids = to_the_province(w.call, w.m)
        w.sync()
        notifications = Notifications(settings, clock=w.awards.clock)
        for source in (w.registry, w.initiatives, w.reviews, w.awards):
            notifications.receive(source.service, "catch-up", source.published_page)
        accounts = Accounts(settings)
        accounts.create_user("van-phong-cl", "mật-khẩu-sao-lưu-2026",
                             [{"role": "standing", "union_id": w.u("TV-CL")}])
        accounts.close()
        yield settings, w, ids


def users(settings: Settings) -> list[dict[str, Any]]:
    accounts = Accounts(settings)
    try:
        return json.loads(json.dumps(accounts.users(), default=str))
    finally:
        accounts.close()


def empty_read_models(settings: Settings) -> int:
    """Deletes every row of every read model and view of the restored stores; returns how
    many there were."""
    removed = 0
    for app in applications(settings).values():
        models = [m for m in (app.read_model, *app.views) if m is not None]
        with app.engine.begin() as c:
            for model in models:
                for table in reversed(model.metadata.sorted_tables):
                    removed += c.execute(table.delete()).rowcount
    return removed


def test_r5_1_a_backup_restored_into_a_fresh_database_verifies_rebuilds_and_answers_the_same(
        lived: tuple[Settings, World, dict[str, Any]], tmp_path: Path) -> None:
    settings, w, ids = lived
    source = {**applications(settings), "awards": w.awards}
    before = answers(source, ids, w)
    assert before["book"]["items"] and before["trail"]["timeline"] and before["members"]["items"]
    kept = backup.checkpoints(settings, STORES)  # what an auditor keeps outside the system
    logged = [name for name in SERVICES if kept[name]["position"] > 0]
    assert set(logged) >= {"registry", "initiatives", "reviews", "awards"}  # notifications:
    # no reminder is owed on the world's date, so its own log is empty (its views are not)
    folder = backup.backup(settings, tmp_path / "backups")
    manifest = json.loads((folder / backup.MANIFEST).read_text("utf-8"))
    assert set(manifest["stores"]) == set(STORES)
    assert len(manifest["files"]) == 1  # one database holds every store: copied once
    assert {s: manifest["stores"][s]["checkpoint"] for s in SERVICES} == kept
    with fresh_database() as url:
        target = settings_on(url, tmp_path / "target")
        backup.restore(target, folder)
        emptied = empty_read_models(target)  # the answers below must come from the rebuild
        assert emptied > 100
        report = backup.drill(target, backup.kept_checkpoints(manifest, kept))
        assert report["ok"], report
        for name in logged:
            assert report["chains"][name]["checkpoints"] == 2
        for name in SERVICES:
            assert report["chains"][name]["head"] == kept[name]
        assert report["rebuilt"]["initiatives"]["own"] > 0
        assert report["rebuilt"]["awards"]["views"]["initiatives"] > 0
        restored = applications(target)
        for name, app in restored.items():
            replay = app.replay_check({s: a.published_page for s, a in restored.items()
                                       if s != name})
            assert replay["ok"], (name, replay["differences"], replay["not_checked"])
        assert answers(restored, ids, w) == before
        assert users(target) == users(settings)
        with pytest.raises(backup.BackupError) as refused:  # the target now holds tables
            backup.restore(target, folder)
        assert refused.value.code == "RESTORE_TARGET_NOT_EMPTY"


def test_r5_1_a_damaged_backup_file_is_refused_before_anything_is_restored(
        lived: tuple[Settings, World, dict[str, Any]], tmp_path: Path) -> None:
    settings, _, _ = lived
    folder = backup.backup(settings, tmp_path / "backups")
    assert backup.check(folder)["files"]
    dump = next(folder.glob("*.pgdump"))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    dump.write_bytes(bytes(data))
    with fresh_database() as url:
        target = settings_on(url, tmp_path / "target")
        with pytest.raises(backup.BackupError) as refused:
            backup.restore(target, folder)
        assert refused.value.code == "BACKUP_CORRUPT"
        assert "sha256" in refused.value.message
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == []  # nothing was written
        engine.dispose()


def rewrite_history(url: str, service: str) -> int:
    """Alters one event of a restored store and rewrites every link after it so the chain
    agrees with itself again: what only a checkpoint kept outside can reveal."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    events, chain = f"{service}_events", f"{service}_events_chain"
    with engine.begin() as c:
        rows = c.execute(sa.text(f"SELECT id, originator_id, originator_version, topic, state "
                                 f"FROM {events} ORDER BY id")).all()
        victim = rows[len(rows) // 2]
        state = bytes(victim.state).replace(b"2025", b"2024", 1)
        assert state != bytes(victim.state)
        c.execute(sa.text(f"UPDATE {events} SET state = :s WHERE id = :i"),
                  {"s": state, "i": victim.id})
        previous = c.execute(sa.text(f"SELECT link FROM {chain} WHERE position < :i "
                                     "ORDER BY position DESC LIMIT 1"), {"i": victim.id}).scalar()
        previous = previous or "0" * 64
        for row in rows[len(rows) // 2:]:
            body = state if row.id == victim.id else bytes(row.state)
            previous = link(previous, row.id, row.originator_id, row.originator_version,
                            row.topic, body)
            c.execute(sa.text(f"UPDATE {chain} SET link = :l WHERE position = :p"),
                      {"l": previous, "p": row.id})
    engine.dispose()
    return int(victim.id)


def test_r5_1_a_restored_log_that_does_not_lead_to_the_checkpoint_fails_the_drill(
        lived: tuple[Settings, World, dict[str, Any]], tmp_path: Path) -> None:
    settings, _, _ = lived
    folder = backup.backup(settings, tmp_path / "backups")
    manifest = backup.check(folder)
    with fresh_database() as url:
        target = settings_on(url, tmp_path / "target")
        backup.restore(target, folder)
        rewrite_history(url, "initiatives")
        assert SERVICES["initiatives"].application_class()(target).verify_chain()["ok"], \
            "the rewritten chain agrees with itself: only the checkpoint can tell"
        report = backup.drill(target, backup.kept_checkpoints(manifest))
        assert not report["ok"]
        assert report["chains"]["initiatives"]["break"]["kind"] == "checkpoint_mismatch"
        assert all(report["chains"][name]["ok"] for name in SERVICES if name != "initiatives")
        assert report["rebuilt"] == {}  # a broken log is not replayed into the read models


def test_r5_1_stores_in_their_own_databases_are_copied_each_and_restored_each(
        tmp_path: Path) -> None:
    """As compose and Kubernetes run them: one database per store (here the registry and
    initiatives on PostgreSQL, the others on SQLite): one file each, each restored into its
    own target; stores that shared a database must share one again."""
    from services.initiatives.application import Initiatives
    from services.registry.application import Registry
    from tests.support.province import build, deliver

    with fresh_database() as registry_url, fresh_database() as initiatives_url:
        settings = Settings({"EMU_DATA_DIR": str(tmp_path / "data"),
                             "REGISTRY_DATABASE_URL": registry_url,
                             "INITIATIVES_DATABASE_URL": initiatives_url})
        registry = Registry(settings)
        w = build(registry)
        deliver(registry, Initiatives(settings))
        with use_context(ADMIN):
            before = registry.members(w.unions["CS-1"])
        folder = backup.backup(settings, tmp_path / "backups")
        manifest = backup.check(folder)
        assert {name: entry["kind"] for name, entry in manifest["files"].items()} == {
            "registry.pgdump": "postgresql", "initiatives.pgdump": "postgresql",
            "reviews.sqlite": "sqlite", "awards.sqlite": "sqlite",
            "notifications.sqlite": "sqlite"}
        assert "@" in manifest["files"]["registry.pgdump"]["source"]
        with fresh_database() as one, fresh_database() as other:
            split = Settings({"EMU_DATA_DIR": str(tmp_path / "restored"),
                              "REGISTRY_DATABASE_URL": one, "INITIATIVES_DATABASE_URL": other})
            backup.restore(split, folder)
            report = backup.drill(split, backup.kept_checkpoints(manifest))
            assert report["ok"], report
            assert report["rebuilt"]["initiatives"]["views"]["registry"] > 0
            with use_context(ADMIN):
                assert Registry(split).members(w.unions["CS-1"]) == before
            wrong = Settings({**split.env, "EMU_DATA_DIR": str(tmp_path / "elsewhere"),
                              "REVIEWS_DATABASE_URL": one})  # SQLite's copy into PostgreSQL
            with pytest.raises(backup.BackupError) as refused:
                backup.restore(wrong, folder, force=True)
            assert refused.value.code == "RESTORE_KIND_MISMATCH"


def test_r5_1_stores_that_shared_a_database_must_share_one_again(
        lived: tuple[Settings, World, dict[str, Any]], tmp_path: Path) -> None:
    settings, _, _ = lived
    folder = backup.backup(settings, tmp_path / "backups")
    with fresh_database() as url, fresh_database() as elsewhere:
        target = Settings({**settings_on(url, tmp_path / "target").env,
                           "AWARDS_DATABASE_URL": elsewhere})
        with pytest.raises(backup.BackupError) as refused:
            backup.restore(target, folder)
        assert refused.value.code == "RESTORE_TARGET_SPLIT"
        assert "awards" in refused.value.details["stores"]
