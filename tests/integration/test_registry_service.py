"""The registry through its RPC interface on RabbitMQ, with its relay publishing to the bus
(R1.1–R1.5): what other services and the gateway will call."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runtime.context import Actor, CommandContext
from services.registry.domain import DatesOutOfOrder, UnionCycle
from tests.support import bus
from tests.support.processes import Processes, eventually

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

ADMIN = CommandContext(actor=Actor("admin-1", "administrator", None))


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "REGISTRY_DATABASE_URL": pg_url})
    processes.service("registry")
    processes.wait_ready("registry")
    yield processes
    processes.stop_all()


def test_r1_1_r1_5_the_tree_over_rpc_as_of_a_date_and_published(system: Processes) -> None:
    def call(method: str, *args: Any, **kwargs: Any) -> Any:
        return system.call("registry", method, *args, context=ADMIN, **kwargs)

    spy = bus.spy(system.settings.amqp_uri, "registry")
    system.relay("registry")
    vn = call("found_union", "VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", "1929-07-28")
    tv = call("found_union", "TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation",
              "1990-01-01", parent_id=vn)
    cl = call("found_union", "TV-CL", "Liên đoàn Lao động huyện Càng Long", "direct_superior",
              "1995-01-01", parent_id=tv)
    school = call("found_union", "CS-1", "Công đoàn cơ sở Trường Tiểu học Càng Long", "grassroots",
                  "2000-01-01", parent_id=cl)
    call("move_union", school, tv, "2024-01-01")
    assert call("direct_superior", school, as_of="2023-12-31")["code"] == "TV-CL"
    assert call("direct_superior", school, as_of="2024-01-01")["code"] == "TV"
    assert [u["code"] for u in call("search_unions", "cong doan truong tieu hoc")] == ["CS-1"]
    with pytest.raises(UnionCycle) as cycle:
        call("move_union", tv, tv, "2024-02-01")
    assert cycle.value.details["union_id"] == tv
    with pytest.raises(DatesOutOfOrder):
        call("move_union", school, cl, "2023-06-01")
    published: list[str] = []

    def all_published() -> bool:
        published.extend(m["name"] for m in bus.drain(system.settings.amqp_uri, spy.name))
        return len(published) >= 5

    eventually(all_published, what="five events on the bus")
    assert published == ["registry.union_founded"] * 4 + ["registry.union_moved"]
