"""The gateway's HTTP/JSON API driven with a real HTTP client against every service on
RabbitMQ and PostgreSQL (R5.2): sign-in, scoped roles, problem details, idempotency keys,
ETags, pagination, limits, and a stopped service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.gateway_system import ApiError, System, running, with_province
from tests.support.infra import fresh_database, fresh_vhost

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("gateway"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


def test_r5_2_a_member_raises_an_idea_through_the_api_and_reads_it_back(system: System) -> None:
    w = system.province
    assert w is not None
    idea = system.call("d", "initiatives", "raise_idea", w.unions["CS-1"], w.people["D"],
                       "Sổ theo dõi điện tử", "Thay sổ giấy", "2026-01-05")
    with system.http(system.tokens["d"]) as client:
        response = client.get("/v1/initiatives/get-idea", params={"idea_id": idea})
    assert response.status_code == 200
    assert response.json()["result"]["title"] == "Sổ theo dõi điện tử"
    assert response.headers["ETag"] == f'"{idea}:1"'
    with pytest.raises(ApiError) as outside:
        system.call("f", "initiatives", "raise_idea", w.unions["CS-1"], w.people["F"],
                    "Ý tưởng", "Mô tả", "2026-01-05")
    assert (outside.value.status, outside.value.code) == (403, "OUTSIDE_YOUR_SCOPE")
