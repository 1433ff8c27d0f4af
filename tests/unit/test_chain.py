"""Tamper evidence (R5.1): every store keeps a hash chain over its log, written with the
events; the verifier passes an untouched store and catches each of many random direct
modifications of the stored rows — a changed byte, a deleted row, two rows swapped, a forged
row, a changed link — naming the position where the chain breaks, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.context import use_context
from services.registry.application import Registry
from tests.support.province import ADMIN, build

Undo = Callable[[Any], None]


@pytest.fixture
def registry(store_url: str, settings_for: Any) -> Registry:
    app = Registry(settings_for(store_url))
    build(app)
    return app


def tables(app: Registry) -> tuple[sa.Table, sa.Table]:
    chain = app.recorder.chain  # type: ignore[attr-defined]
    return chain.events, chain.table


def rows(app: Registry) -> list[Any]:
    events, _ = tables(app)
    with app.engine.connect() as c:
        return list(c.execute(sa.select(events).order_by(events.c.id)))


def test_r5_1_an_untouched_store_verifies_and_gives_a_checkpoint(registry: Registry) -> None:
    report = registry.verify_chain()
    assert report["ok"] and report["checked"] == len(rows(registry)) > 40
    checkpoint = registry.chain_checkpoint()
    assert checkpoint == report["head"]
    with use_context(ADMIN):  # new events extend the chain, and the old checkpoint still holds
        registry.register_person("P-Z", "Trần Văn Zũng", "2024-01-01")
    assert registry.verify_chain([checkpoint])["ok"]
    assert registry.chain_checkpoint()["position"] > checkpoint["position"]


def _byte(app: Registry, c: Any, rng: random.Random) -> tuple[int, str, Undo]:
    events, _ = tables(app)
    row = rng.choice(rows(app))
    state = bytearray(row.state)
    state[rng.randrange(len(state))] ^= 1 << rng.randrange(8)
    c.execute(events.update().where(events.c.id == row.id).values(state=bytes(state)))
    return row.id, "altered", lambda c: c.execute(
        events.update().where(events.c.id == row.id).values(state=row.state))


def _delete(app: Registry, c: Any, rng: random.Random) -> tuple[int, str, Undo]:
    events, _ = tables(app)
    row = rng.choice(rows(app))
    c.execute(events.delete().where(events.c.id == row.id))
    return row.id, "removed", lambda c: c.execute(events.insert().values(**row._mapping))


def _swap(app: Registry, c: Any, rng: random.Random) -> tuple[int, str, Undo]:
    events, _ = tables(app)
    first, second = sorted(rng.sample(rows(app), 2), key=lambda r: r.id)

    def put(c: Any, a: Any, b: Any) -> None:  # a's content at b's place and back
        c.execute(events.update().where(events.c.id == b.id).values(topic=a.topic, state=a.state))

    def back(c: Any) -> None:
        put(c, first, first)
        put(c, second, second)

    put(c, first, second)
    put(c, second, first)
    return first.id, "altered", back


def _forge(app: Registry, c: Any, rng: random.Random) -> tuple[int, str, Undo]:
    events, _ = tables(app)
    model = rng.choice(rows(app))
    position = max(r.id for r in rows(app)) + rng.randint(1, 3)
    c.execute(events.insert().values(id=position, originator_id=uuid.uuid4(), originator_version=1,
                                     topic=model.topic, state=model.state))
    return position, "inserted", lambda c: c.execute(events.delete().where(events.c.id == position))


def _link(app: Registry, c: Any, rng: random.Random) -> tuple[int, str, Undo]:
    _, chain = tables(app)
    position, old = rng.choice(list(c.execute(sa.select(chain.c.position, chain.c.link))))
    c.execute(chain.update().where(chain.c.position == position).values(link="f" * 64))
    return position, "altered", lambda c: c.execute(
        chain.update().where(chain.c.position == position).values(link=old))


KINDS = [_byte, _delete, _swap, _forge, _link]


def test_r5_1_the_verifier_catches_every_random_modification_and_names_the_position(
        registry: Registry) -> None:
    rng = random.Random(20261124)
    for trial in range(25):
        tamper = KINDS[trial % len(KINDS)]
        with registry.engine.begin() as c:
            position, kind, undo = tamper(registry, c, rng)
        report = registry.verify_chain()
        assert not report["ok"], f"trial {trial}: {tamper.__name__} went unnoticed"
        assert report["break"] == {"position": position, "kind": kind}, (trial, tamper.__name__)
        with registry.engine.begin() as c:
            undo(c)
        assert registry.verify_chain()["ok"], f"trial {trial}: undoing {tamper.__name__}"


def test_r5_1_a_rewritten_chain_or_a_cut_tail_is_caught_by_the_auditors_checkpoints(
        registry: Registry) -> None:
    events, chain = tables(registry)
    early = registry.chain_checkpoint()
    with use_context(ADMIN):
        registry.register_person("P-Y", "Lý Thị Yến", "2024-01-01")
    head = registry.chain_checkpoint()
    # cut the last event and its link: the rest still agrees, the auditor's head does not
    with registry.engine.begin() as c:
        last = c.execute(sa.select(events).where(events.c.id == head["position"])).one()
        c.execute(events.delete().where(events.c.id == last.id))
        c.execute(chain.delete().where(chain.c.position == last.id))
    assert registry.verify_chain()["ok"]
    assert registry.verify_chain([head])["break"] == {"position": head["position"],
                                                      "kind": "truncated"}
    # change an old event and recompute every link after it, as a forger would
    with registry.engine.begin() as c:
        c.execute(events.insert().values(**last._mapping))
        target = c.execute(sa.select(events).order_by(events.c.id).limit(1)).one()
        c.execute(events.update().where(events.c.id == target.id)
                  .values(state=bytes(target.state).replace(b"VN", b"XX", 1)))
        c.execute(chain.delete())
        registry.recorder.chain.backfill(c)  # type: ignore[attr-defined]
    assert registry.verify_chain()["ok"]  # consistent in itself…
    assert registry.verify_chain([early])["break"] == {  # …but not with what was kept outside
        "position": early["position"], "kind": "checkpoint_mismatch"}


def test_r5_1_the_auditors_command_line_keeps_checkpoints_and_verifies(
        registry: Registry, store_url: str, settings_for: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from runtime import audit

    for key, value in settings_for(store_url).env.items():
        monkeypatch.setenv(key, value)
    assert audit.main(["checkpoint", "registry"]) == 0
    kept = tmp_path / "checkpoints.json"
    kept.write_text(capsys.readouterr().out)
    assert json.loads(kept.read_text())["registry"] == registry.chain_checkpoint()
    assert audit.main(["verify", "registry", "--checkpoints", str(kept)]) == 0
    capsys.readouterr()
    with registry.engine.begin() as c:
        _byte(registry, c, random.Random(7))
    assert audit.main(["verify", "registry", "--checkpoints", str(kept)]) == 1
    assert json.loads(capsys.readouterr().out)["registry"]["break"]["kind"] == "altered"


def test_r5_1_an_empty_store_verifies_against_its_empty_checkpoint(
        store_url: str, settings_for: Any) -> None:
    from services.awards.application import Awards

    awards = Awards(settings_for(store_url))
    head = awards.chain_checkpoint()
    assert head["position"] == 0
    assert awards.verify_chain([head]) == {"ok": True, "checked": 0, "head": head}


def test_r5_1_a_store_written_before_the_chain_is_linked_at_the_next_start(
        registry: Registry, store_url: str, settings_for: Any) -> None:
    _, chain = tables(registry)
    with registry.engine.begin() as c:
        c.execute(chain.delete())
    assert registry.verify_chain()["break"]["kind"] == "inserted"
    again = Registry(settings_for(store_url))  # the next start links the whole log once
    assert again.verify_chain()["ok"]
    assert Registry(settings_for(store_url)).verify_chain() == again.verify_chain()
