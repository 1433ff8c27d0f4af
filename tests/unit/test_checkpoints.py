"""Published checkpoints (R5.1, R4.5): each store's chain head, signed Ed25519 and published on
a schedule where the store's administrator cannot rewrite it. A store rewritten whole — an
event's payload changed and every later link recomputed, so its chain verifies alone — fails
``runtime.audit verify --published``, which names the store and the published position it no
longer reaches; a forged, altered or unsigned published line is refused by line number; the
schedule publishes when the head moved and only then. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runtime import audit
from runtime.checkpoints import PUBLIC_KEY, Publisher, canonical, key_id, public_pem, sign
from runtime.config import Settings
from runtime.context import use_context
from services.registry.application import Registry
from tests.support.province import ADMIN, build
from tests.support.tamper import rewrite_whole


class Clock:
    """The schedule's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(store_url: str, settings_for: Any, tmp_path: Path) -> Settings:
    return settings_for(store_url, EMU_CHECKPOINT_DIR=str(tmp_path / "published"),
                        EMU_CHECKPOINT_EVERY="3600")


@pytest.fixture
def registry(settings: Settings) -> Registry:
    app = Registry(settings)
    build(app)
    return app


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The audit command line reads the same settings from the environment."""
    for key, value in settings.env.items():
        monkeypatch.setenv(key, value)
    return settings


def published_file(settings: Settings, service: str = "registry") -> Path:
    return settings.checkpoint_dir / f"{service}.jsonl"


def lines(settings: Settings, service: str = "registry") -> list[dict[str, Any]]:
    path = published_file(settings, service)
    return [json.loads(raw) for raw in path.read_text("ascii").splitlines()] if path.exists() else []


def run_verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = audit.main(["verify", "registry", *args])
    return code, json.loads(capsys.readouterr().out)["registry"]


def test_r5_1_a_store_rewritten_whole_passes_alone_but_not_against_the_published_checkpoints(
        registry: Registry, environment: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    publisher = Publisher.from_settings("registry", environment, monotonic=clock)
    first = publisher.tick(registry.chain_checkpoint)
    assert first is not None and first["position"] == registry.chain_checkpoint()["position"] > 40
    with use_context(ADMIN):
        registry.register_person("P-Z", "Trần Văn Zũng", "2024-01-01")
    clock.now += 3600
    second = publisher.tick(registry.chain_checkpoint)
    assert second is not None and second["position"] > first["position"]
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 0 and report["ok"], report
    assert report["published"]["accepted"] == 2 and report["published"]["refused"] == []

    altered = rewrite_whole(registry)
    assert altered < first["position"]
    code, report = run_verify(capsys)  # consistent in itself: the chain alone cannot tell
    assert code == 0 and report["ok"]
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 1 and not report["ok"]
    assert report["break"] == {"position": first["position"], "kind": "checkpoint_mismatch"}

    # the relay, publishing the rewritten head next, does not make it pass: every published
    # line must still hold, the earlier ones too
    clock.now += 3600
    assert publisher.tick(registry.chain_checkpoint) is not None
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 1 and report["break"]["position"] == first["position"]


def test_r5_1_a_head_published_again_after_a_rewrite_does_not_hide_the_earlier_one(
        registry: Registry, environment: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    publisher = Publisher.from_settings("registry", environment, monotonic=clock)
    publisher.tick(registry.chain_checkpoint)
    with use_context(ADMIN):
        registry.register_person("P-X", "Đỗ Văn Xuân", "2024-01-01")
    clock.now += 3600
    head = publisher.tick(registry.chain_checkpoint)
    assert head is not None
    assert rewrite_whole(registry, last=True) == head["position"]  # after the first checkpoint
    clock.now += 3600
    again = publisher.tick(registry.chain_checkpoint)  # same position, another link
    assert again is not None and again["position"] == head["position"]
    assert again["link"] != head["link"]
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 1 and report["break"] == {"position": head["position"],
                                             "kind": "checkpoint_mismatch"}


def test_r5_1_a_cut_tail_fails_against_the_last_published_checkpoint(
        registry: Registry, environment: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    head = Publisher.from_settings("registry", environment).tick(registry.chain_checkpoint)
    assert head is not None
    chain = registry.recorder.chain  # type: ignore[attr-defined]
    with registry.engine.begin() as c:  # the last event and its link, gone
        c.execute(chain.events.delete().where(chain.events.c.id == head["position"]))
        c.execute(chain.table.delete().where(chain.table.c.position == head["position"]))
    assert run_verify(capsys)[0] == 0
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 1 and report["break"] == {"position": head["position"], "kind": "truncated"}


def _forge(line: dict[str, Any], key: Ed25519PrivateKey, **changes: Any) -> dict[str, Any]:
    forged = {**line, **changes}
    forged["signature"] = base64.b64encode(key.sign(canonical(forged))).decode("ascii")
    return forged


def test_r5_1_a_forged_altered_or_unsigned_published_line_is_refused(
        registry: Registry, environment: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    genuine = Publisher.from_settings("registry", environment).tick(registry.chain_checkpoint)
    assert genuine is not None
    # someone who rewrote the store and wants the published record to agree with it
    rewrite_whole(registry)
    new_head = registry.chain_checkpoint()
    other = Ed25519PrivateKey.generate()
    altered = {**genuine, "link": new_head["link"]}  # the genuine signature, another link
    unsigned = {k: v for k, v in sign(other, "registry", new_head, _now()).items()
                if k != "signature"}
    by_another_key = sign(other, "registry", new_head, _now())
    claiming_our_key = _forge(by_another_key, other, key_id=genuine["key_id"])
    wrong_store = {**genuine, "service": "awards"}  # a genuine line said to be another's
    text = "\n".join(json.dumps(x) for x in (
        altered, unsigned, by_another_key, claiming_our_key, wrong_store)) + "\nnot json\n"
    published_file(environment).write_text(text, "ascii")
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir))
    assert code == 1 and not report["ok"]
    assert [(r["line"], r["code"]) for r in report["published"]["refused"]] == [
        (1, "CHECKPOINT_SIGNATURE_INVALID"), (2, "CHECKPOINT_UNSIGNED"),
        (3, "CHECKPOINT_UNKNOWN_KEY"), (4, "CHECKPOINT_SIGNATURE_INVALID"),
        (5, "CHECKPOINT_SIGNATURE_INVALID"), (6, "CHECKPOINT_MALFORMED")]
    assert all(r["message"] for r in report["published"]["refused"])  # said in Vietnamese
    assert report["published"]["accepted"] == 0

    # a signed line of another store, moved into this store's file, is refused too
    mine = environment.checkpoint_dir
    awards = sign(Publisher.from_settings("registry", environment).key, "awards", new_head, _now())
    published_file(environment).write_text(json.dumps(awards) + "\n", "ascii")
    code, report = run_verify(capsys, "--published", str(mine))
    assert [r["code"] for r in report["published"]["refused"]] == ["CHECKPOINT_WRONG_STORE"]


def test_r5_1_the_auditors_own_copy_of_the_key_refuses_a_whole_file_signed_again(
        registry: Registry, environment: Settings, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    publisher = Publisher.from_settings("registry", environment)
    publisher.tick(registry.chain_checkpoint)
    kept_key = tmp_path / "kept-key.pem"
    kept_key.write_bytes((environment.checkpoint_dir / PUBLIC_KEY).read_bytes())
    # whoever could replace the published key and every line: consistent, but not with the
    # key the auditor kept
    rewrite_whole(registry)
    other = Ed25519PrivateKey.generate()
    (environment.checkpoint_dir / PUBLIC_KEY).write_bytes(public_pem(other.public_key()))
    published_file(environment).write_text(
        json.dumps(sign(other, "registry", registry.chain_checkpoint(), _now())) + "\n", "ascii")
    assert run_verify(capsys, "--published", str(environment.checkpoint_dir))[0] == 0
    code, report = run_verify(capsys, "--published", str(environment.checkpoint_dir),
                              "--public-key", str(kept_key))
    assert code == 1
    assert [r["code"] for r in report["published"]["refused"]] == ["CHECKPOINT_UNKNOWN_KEY"]


def test_r5_1_the_schedule_publishes_when_the_head_moved_and_only_then(
        registry: Registry, settings: Settings) -> None:
    clock = Clock()
    publisher = Publisher.from_settings("registry", settings, monotonic=clock)
    assert publisher.tick(registry.chain_checkpoint) is not None  # at start, at once
    assert len(lines(settings)) == 1
    with use_context(ADMIN):
        registry.register_person("P-Y", "Lý Thị Yến", "2024-01-01")
    clock.now += 3599  # moved, but the interval has not passed
    assert publisher.tick(registry.chain_checkpoint) is None and len(lines(settings)) == 1
    clock.now += 1
    assert publisher.tick(registry.chain_checkpoint) is not None
    assert lines(settings)[-1]["position"] == registry.chain_checkpoint()["position"]
    for _ in range(3):  # quiet: nothing new however often it looks
        clock.now += 3600
        assert publisher.tick(registry.chain_checkpoint) is None
    assert len(lines(settings)) == 2
    # a restarted relay reads what was published last: the same head is not published again
    again = Publisher.from_settings("registry", settings, monotonic=Clock())
    assert again.tick(registry.chain_checkpoint) is None and len(lines(settings)) == 2
    key = again.key.public_key()
    assert {line["key_id"] for line in lines(settings)} == {key_id(key)}
    assert (settings.checkpoint_dir / PUBLIC_KEY).read_bytes() == public_pem(key)


def test_r5_1_the_relay_publishes_checkpoints_and_a_failure_to_write_does_not_stop_it(
        registry: Registry, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    from runtime.relay import Relay, checkpoint_publisher

    publisher = checkpoint_publisher("registry", settings)
    assert publisher is not None
    relay = Relay(registry, registry.publication, settings.amqp_uri, checkpoints=publisher)
    relay.publish_checkpoint()
    assert lines(settings)[-1]["position"] == registry.chain_checkpoint()["position"]

    def unwritable(_head: Any) -> None:
        raise PermissionError("read-only file system")

    publisher.tick = unwritable  # type: ignore[method-assign,assignment]
    relay.publish_checkpoint()  # said in the log; the relay goes on publishing events
    assert "checkpoint of registry not published" in caplog.text
    # a configured key that is missing: no checkpoints, said, and the relay still runs
    missing = Settings({**settings.env,
                        "EMU_CHECKPOINT_KEY_FILE": str(settings.data_dir / "none.pem")})
    assert checkpoint_publisher("registry", missing) is None
    assert "checkpoints of registry are not published" in caplog.text


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
