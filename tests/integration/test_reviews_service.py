"""The reviews service through its RPC interface on RabbitMQ (R2.1–R2.8), as its own process
on PostgreSQL, judged by the registry facts it received from the registry's relay: a year of
one union, classification by its upper union, a move that changes who classifies after it
(not before), the overdue list with an injected clock, and what it publishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runtime.context import CommandContext
from runtime.errors import DomainError
from tests.support import bus
from tests.support.processes import Processes, eventually
from tests.support.reviews_world import RpcRegistry, World, acting, build

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

# The reviews service's injected clock: ahead of the machine's, so a result that depends on it
# (the 2026-H2 review falls due on 2027-01-15) shows that the service reads it.
TODAY = "2027-01-20T09:00:00+00:00"
PLEDGE = "Giao ước thi đua thực hiện phong trào \"Đổi mới, sáng tạo, hiệu quả\" năm 2025"


def start(tmp_path: Path, amqp_uri: str, pg_url: str, **reviews_env: str) -> Processes:
    """Registry, reviews and their relays as processes on one PostgreSQL database."""
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "REGISTRY_DATABASE_URL": pg_url,
                                     "REVIEWS_DATABASE_URL": pg_url,
                                     "EMU_CATCH_UP_INTERVAL": "1"})
    processes.service("registry")
    processes.relay("registry")
    processes.service("reviews", env={"EMU_FIXED_CLOCK": TODAY, **reviews_env})
    processes.relay("reviews")
    processes.wait_ready("registry", "reviews")
    return processes


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    processes = start(tmp_path, amqp_uri, pg_url)
    yield processes
    processes.stop_all()


@pytest.fixture
def sweeping(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    """The same, with the service's overdue sweep every half second."""
    processes = start(tmp_path, amqp_uri, pg_url, EMU_OVERDUE_SWEEP_INTERVAL="0.5")
    yield processes
    processes.stop_all()


def synced(system: Processes) -> None:
    """Waits until reviews has the registry's facts up to the registry's last change."""
    last = system.call("registry", "health")["last_notification"]
    eventually(lambda: system.call("reviews", "processed", "registry") == last,
               what=f"reviews has the registry's facts up to {last}")


def refused(system: Processes, code: str, context: CommandContext, method: str,
            *args: Any) -> DomainError:
    """A command refused over RPC with its code, the reviews log unchanged."""
    before = system.call("reviews", "health")["last_notification"]
    with pytest.raises(DomainError) as caught:
        system.call("reviews", method, *args, context=context)
    assert caught.value.code == code, caught.value
    assert system.call("reviews", "health")["last_notification"] == before
    return caught.value


def test_r2_1_to_r2_7_a_year_of_one_union_and_its_classification_over_rpc(system: Processes) -> None:
    spy = bus.spy(system.settings.amqp_uri, "reviews")
    world: World = build(RpcRegistry(system))
    synced(system)
    u = world.unions
    school = acting(world.people["school"], u["school"])

    def reviews(method: str, *args: Any, context: CommandContext = school) -> Any:
        return system.call("reviews", method, *args, context=context)

    reviews("launch", u["school"], 2025, "2025-01-10", "Phát động", "Kế hoạch năm 2025")
    reviews("record_dissemination", u["school"], 2025, "leaflet", "2025-02-01", "Tờ rơi",
            "Đoàn viên", 48)
    refused(system, "PLEDGE_WITHOUT_MOVEMENT_CONTENT", school, "sign_pledge", u["school"], 2025,
            "2025-01-20", "Giao ước thi đua lao động giỏi")
    reviews("sign_pledge", u["school"], 2025, "2025-01-20", PLEDGE)
    reviews("hold_half_year_review", u["school"], "2025-H1", "2025-07-05", "Sơ kết", ["12 sáng kiến"])
    reviews("hold_half_year_review", u["school"], "2025-H2", "2026-01-08", "Sơ kết", ["20 sáng kiến"])
    refused(system, "PERIOD_NOT_STARTED", school, "hold_half_year_review", u["school"], "2027-H2",
            "2027-01-19", "Sơ kết", ["x"])
    reviews("hold_annual_review", u["school"], 2025, "2026-01-20", "Tổng kết", 96, [], [])
    schedule = reviews("schedule", u["school"], 2025)
    assert [r["status"] for r in schedule["reviews"]] == ["held", "held", "held"]

    cl, ck = acting(world.people["cl"], u["cl"]), acting(world.people["ck"], u["ck"])
    refused(system, "NOT_DIRECT_SUPERIOR", ck, "classify", u["school"], 2025, u["ck"],
            "2026-02-10", 90)
    refused(system, "SCORE_OUT_OF_SCALE", cl, "classify", u["school"], 2025, u["cl"],
            "2026-02-10", 101)
    classified = reviews("classify", u["school"], 2025, u["cl"], "2026-02-10", 84, ["Tốt"],
                         context=cl)
    assert (classified["grade"], classified["self_score"]) == ("tot", 96)
    refused(system, "CLASSIFICATION_EXISTS", cl, "classify", u["school"], 2025, u["cl"],
            "2026-02-11", 90)
    gap = reviews("score_gap", 2025, None, u["cl"])
    assert (gap["unions"][0]["gap"], gap["unions"][0]["lenient"]) == (12, True)

    published: list[str] = []

    def all_published() -> bool:
        published.extend(m["name"] for m in bus.drain(system.settings.amqp_uri, spy.name))
        return len(published) >= 7

    eventually(all_published, what="the year's seven events on the bus")
    assert published == ["reviews.movement_launched", "reviews.dissemination_recorded",
                         "reviews.pledge_signed", "reviews.half_year_review_held",
                         "reviews.half_year_review_held", "reviews.annual_review_held",
                         "reviews.union_classified"]


def test_r2_6_r2_7_a_move_changes_who_classifies_and_the_overdue_list_over_rpc(
        system: Processes) -> None:
    world: World = build(RpcRegistry(system))
    u = world.unions
    cl, ck = acting(world.people["cl"], u["cl"]), acting(world.people["ck"], u["ck"])
    world.registry.move_union(u["clinic"], u["ck"], "2026-03-01")
    synced(system)

    def reviews(method: str, *args: Any, context: CommandContext | None = None) -> Any:
        return system.call("reviews", method, *args, context=context)

    refused(system, "NOT_DIRECT_SUPERIOR", ck, "classify", u["clinic"], 2025, u["ck"],
            "2026-02-20", 60)  # before the move, Càng Long classifies
    refused(system, "NOT_DIRECT_SUPERIOR", cl, "classify", u["clinic"], 2025, u["cl"],
            "2026-03-05", 60)  # after it, Cầu Kè does
    assert reviews("classify", u["clinic"], 2025, u["ck"], "2026-03-05", 60,
                   context=ck)["grade"] == "trung_binh"

    # The clinic held no review: overdue by the service's clock (2027-01-20), listed for
    # whichever union was its upper union on the date asked about.
    before_move = reviews("overdue", u["cl"], "2026-02-01")
    assert [r["period"] for r in before_move if r["code"] == "CS-2"] == [
        "2025-H1", "2025-H2", "2025"]
    now = reviews("overdue", u["ck"])
    assert [r["period"] for r in now if r["code"] == "CS-2"] == ["2026-H1", "2026-H2"]
    assert [r["status"] for r in reviews("schedule", u["clinic"], 2026)["reviews"]] == [
        "overdue", "overdue", "due"]
    assert all(r["code"] != "CS-2" for r in reviews("overdue", u["cl"]))
    assert reviews("flag_overdue") > 0
    assert reviews("flag_overdue") == 0  # once per union and review
    assert all(r["flagged"] for r in reviews("overdue", u["ck"]))


def test_r2_7_the_service_sweeps_overdue_reviews_by_itself_and_publishes_them(
        sweeping: Processes) -> None:
    spy = bus.spy(sweeping.settings.amqp_uri, "reviews")
    world: World = build(RpcRegistry(sweeping))
    synced(sweeping)
    clinic = world.unions["clinic"]
    messages: list[dict[str, Any]] = []

    def clinic_flagged() -> bool:
        messages.extend(m for m in bus.drain(sweeping.settings.amqp_uri, spy.name)
                        if m["name"] == "reviews.review_overdue")
        return {"2026-H1", "2026-H2"} <= {m["payload"]["period"] for m in messages
                                          if m["payload"]["union_id"] == clinic}

    eventually(clinic_flagged, what="the clinic's overdue reviews on the bus")
    assert {m["meta"]["actor"]["user_id"] for m in messages} == {"system:reviews"}
    ids = [m["payload"]["overdue_id"] for m in messages]
    assert len(ids) == len(set(ids))  # each once, however many sweeps ran
