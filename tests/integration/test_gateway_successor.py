"""Tried as a new user would after a merge (R1.5, R3.5, R5.2): the merged union's initiatives
are in the successor's tracking book, and the successor's executive committee opens and
decides them through the API, every process running (RabbitMQ, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.gateway_system import (
    ApiError,
    AsAdministrator,
    System,
    running,
    wait_caught_up,
    with_province,
)
from tests.support.infra import fresh_database, fresh_vhost
from tests.unit.test_initiatives import FIELDS

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("successor"), amqp, pg) as running_system:
        with_province(running_system)
        yield running_system


def test_r1_5_r5_2_the_successors_committee_opens_and_decides_the_merged_unions_initiative(
        system: System) -> None:
    w = system.province
    assert w is not None
    people = w.people
    initiative = system.call("a", "initiatives", "register", w.unions["CS-1"], "SK-01",
                             "initiative", FIELDS,
                             [{"person_id": people["D"], "share": 60},
                              {"person_id": people["A"], "share": 40}], "2026-01-05")
    system.call("a", "initiatives", "constitute_council", initiative,
                [people[x] for x in "ABC"], "2026-01-10", "Thành lập hội đồng", "05/QĐ-CĐCS")
    scores = {people[x]: {"new_within_unit": 8, "applied_with_benefit": 7, "effectiveness": 9}
              for x in "ABC"}
    system.call("a", "initiatives", "record_evaluation", initiative, "2026-01-20", scores,
                {people[x]: "for" for x in "ABC"}, "Biên bản họp hội đồng")
    with pytest.raises(ApiError) as before:  # before the merge CS-2's committee has no say
        system.call("f", "initiatives", "get_initiative", initiative)
    assert (before.value.status, before.value.code) == (403, "OUTSIDE_YOUR_SCOPE")

    AsAdministrator(system).merge_unions([w.unions["CS-1"]], "2026-06-01",
                                         into_union_id=w.unions["CS-2"])
    wait_caught_up(system, ("registry",), timeout=30, interval=0.2)

    book = system.call("f", "initiatives", "tracking_book", w.unions["CS-2"])["items"]
    assert [(e["reference"], e["union_id"], e["held_by"], e["carried_from"], e["carried_on"])
            for e in book] == [("SK-01", w.unions["CS-1"], w.unions["CS-2"], w.unions["CS-1"],
                                "2026-06-01")]
    opened = system.call("f", "initiatives", "get_initiative", initiative)  # was 403
    assert (opened["union_id"], opened["held_by"]) == (w.unions["CS-1"], w.unions["CS-2"])
    with pytest.raises(ApiError) as old:  # CS-1's committee ended with the merge: the
        system.call("a", "initiatives", "recognise", initiative, "2026-06-05",  # gateway
                    "Đạt", "08/QĐ-CĐCS")  # lets it through, the service judges the date
    assert (old.value.status, old.value.code) == (403, "NO_AUTHORITY")
    decision = system.call("f", "initiatives", "recognise", initiative, "2026-06-05",
                           "Đạt các tiêu chí", "07/QĐ-CĐCS")
    assert decision["authority"]["union_id"] == w.unions["CS-2"]


def test_r1_5_a_plans_preview_lists_the_open_items_it_would_carry_over(system: System) -> None:
    """Through HTTP: the administrator's preview of a plan merging CS-VP into CS-2 lists
    CS-VP's open initiative and the half-year review it still owes, carried over to CS-2,
    and stores nothing."""
    from tests.unit.test_registry_reorganisation import as_csv

    w = system.province
    assert w is not None
    system.make_user("j", [("executive", w.unions["CS-VP"])], w.people["J"])
    initiative = system.call("j", "initiatives", "register", w.unions["CS-VP"], "VP-07",
                             "initiative", {**FIELDS, "name": "Số hoá hồ sơ đoàn viên"},
                             [{"person_id": w.people["J"], "share": 100}], "2026-02-05")
    plan = as_csv([{"action": "Hợp nhất", "union_code": "CS-VP", "successor_code": "CS-2"}])
    preview = system.call("admin", "registry", "apply_reorganisation", number="130/QĐ-LĐLĐ",
                          signed_on="2026-06-20", effective_on="2026-07-01",
                          legal_basis="Quyết định số 130/QĐ-LĐLĐ", union_id=w.unions["TV"],
                          file_content=plan, format="csv", dry_run=True, filename="phuong-an.csv")
    items = {(i["service"], i["kind"], i["number"]): i for i in preview["open_items"]}
    carried = items[("initiatives", "initiative", "VP-07")]
    assert (carried["record_id"], carried["action"], carried["to_union_id"]) == (
        initiative, "carried", w.unions["CS-2"])
    assert carried["from"]["code"] == "CS-VP" and carried["to"]["code"] == "CS-2"
    owed = items[("reviews", "half_year", "2026-H1")]
    assert (owed["title"], owed["action"], owed["to_union_id"]) == (
        "Sơ kết 6 tháng đầu năm 2026", "carried", w.unions["CS-2"])
    assert preview["open_items_unanswered"] == []
    assert system.call("j", "initiatives", "get_initiative", initiative)["held_by"] == \
        w.unions["CS-VP"]  # a preview stores nothing
