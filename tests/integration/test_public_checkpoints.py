"""The published checkpoints through the gateway's real HTTP path, without a token (R5.1,
R5.2): the gateway (in this process, on a real port; the stores on PostgreSQL) serves the
checkpoint directory read-only at ``/public/api/checkpoints``, described in the OpenAPI
document, and an auditor verifies a store against that address as against a mirror — a store
rewritten whole fails there too."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from gateway.core import Gateway
from gateway.http import build
from runtime import audit
from runtime.checkpoints import Publisher, load_public_keys
from runtime.config import Settings
from services.registry.application import Registry
from tests.support.infra import fresh_database
from tests.support.province import build as build_province
from tests.support.tamper import rewrite_whole

pytestmark = [pytest.mark.postgres]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("checkpoints")
    with fresh_database() as url:
        yield from _world(root, url)


def _world(root: Path, url: str) -> Iterator[dict[str, Any]]:
    env = {"EMU_DATA_DIR": str(root / "data"), "EMU_CHECKPOINT_DIR": str(root / "published"),
           "REGISTRY_DATABASE_URL": url, "GATEWAY_DATABASE_URL": url}
    settings = Settings(env)
    registry = Registry(settings)
    build_province(registry)
    line = Publisher.from_settings("registry", settings).tick(registry.chain_checkpoint)
    gateway = Gateway(settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build(gateway), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield {"settings": settings, "registry": registry, "line": line,
               "base": f"http://127.0.0.1:{port}"}
    finally:
        server.should_exit = True
        thread.join(10)
        gateway.close()
        registry.engine.dispose()


def test_r5_1_the_checkpoints_are_served_without_sign_in(world: dict[str, Any]) -> None:
    with httpx.Client(base_url=world["base"], timeout=30) as client:
        index = client.get("/public/api/checkpoints")
        assert index.status_code == 200, index.text
        body = index.json()
        stores = {s["service"]: s for s in body["stores"]}
        assert body["algorithm"] == "Ed25519" and set(stores) >= {"registry", "awards"}
        assert stores["registry"]["lines"] == 1 and stores["registry"]["latest"] == world["line"]
        assert stores["awards"] == {"service": "awards", "lines": 0, "latest": None,
                                    "file": "/public/api/checkpoints/awards.jsonl"}
        key = client.get(body["public_key"])
        assert key.status_code == 200 and list(load_public_keys(key.content)) == body["key_ids"]
        served = client.get(stores["registry"]["file"])
        assert served.status_code == 200 and served.headers["content-type"] == "application/jsonl"
        assert [json.loads(x) for x in served.text.splitlines()] == [world["line"]]
        assert client.get("/public/api/checkpoints/awards.jsonl").content == b""
        assert client.get("/public/api/checkpoints/nobody.jsonl").status_code == 404
        for method in (client.put, client.delete):  # read-only
            assert method("/public/api/checkpoints/registry.jsonl").status_code == 405
        document = client.get("/openapi.json").json()
    for path in ("/public/api/checkpoints", "/public/api/checkpoints/public-key.pem",
                 "/public/api/checkpoints/{service}.jsonl"):
        get = document["paths"][path]["get"]
        assert get["summary"] and get.get("description") and "security" not in get, path


def test_r5_1_an_auditor_verifies_a_store_against_the_public_address(
        world: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for key, value in world["settings"].env.items():
        monkeypatch.setenv(key, value)
    address = f"{world['base']}/public/api/checkpoints"
    assert audit.main(["verify", "registry", "--published", address]) == 0
    assert json.loads(capsys.readouterr().out)["registry"]["published"]["accepted"] == 1
    rewrite_whole(world["registry"])  # the first event changed, the chain recomputed
    assert audit.main(["verify", "registry"]) == 0
    capsys.readouterr()
    assert audit.main(["verify", "registry", "--published", address]) == 1
    report = json.loads(capsys.readouterr().out)["registry"]
    assert report["break"] == {"position": world["line"]["position"],
                               "kind": "checkpoint_mismatch"}


def test_r5_1_verifying_against_an_address_with_no_key_is_said_not_passed(
        tmp_path: Path, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for key, value in world["settings"].env.items():
        monkeypatch.setenv(key, value)
    assert audit.main(["verify", "registry", "--published", str(tmp_path)]) == 2
    assert "CHECKPOINTS_UNAVAILABLE" in capsys.readouterr().err
