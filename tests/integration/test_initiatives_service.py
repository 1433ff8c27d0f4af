"""Initiatives through its RPC interface on RabbitMQ (R3.1–R3.8), judging authority by the
registry's real events: the registry, its relay and the initiatives service run as their own
processes on PostgreSQL, as an operator starts them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runtime.context import CommandContext
from runtime.errors import DomainError
from tests.support.processes import Processes, eventually
from tests.support.province import Province, RpcRegistry, acting, build

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

FIELDS = {"name": "Số hóa sổ theo dõi đoàn viên", "objective": "Tra cứu nhanh",
          "implementation_steps": "Khảo sát; xây dựng; áp dụng", "scope_feasibility_time": "Toàn đơn vị",
          "expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    processes = Processes(tmp_path, {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                                     "REGISTRY_DATABASE_URL": pg_url,
                                     "INITIATIVES_DATABASE_URL": pg_url})
    processes.service("registry")
    processes.relay("registry")
    processes.service("initiatives")
    processes.wait_ready("registry", "initiatives")
    yield processes
    processes.stop_all()


def test_r3_1_to_r3_8_from_idea_to_province_recognition_and_replication_over_rpc(
        system: Processes) -> None:
    w = build(RpcRegistry(system))
    eventually(lambda: system.call("initiatives", "known_union", w.unions["CS-VP"]),
               what="initiatives knows the province from the registry's events")

    def as_(letter: str) -> Any:
        context: CommandContext = acting(w.people[letter])
        return lambda method, *args, **kwargs: system.call("initiatives", method, *args,
                                                           context=context, **kwargs)

    a, b, d, f, g, h = (as_(x) for x in "ABDFGH")
    eventually(lambda: d("raise_idea", w.unions["CS-1"], w.people["D"], "Sổ điện tử",
                         "Thay sổ giấy", "2025-01-02"), what="the last facts arrived")
    idea = d("raise_idea", w.unions["CS-1"], w.people["D"], "Sổ theo dõi điện tử", "Thay sổ giấy",
             "2025-01-03")
    b("coach_idea", idea, "Bổ sung bước khảo sát nhu cầu", "2025-01-04")
    initiative = d("register", w.unions["CS-1"], "SK-01", "initiative", FIELDS,
                   [{"person_id": w.people["D"], "share": 70}, {"person_id": w.people["A"], "share": 30}],
                   "2025-01-10", idea_id=idea)
    with pytest.raises(DomainError) as shares:  # bad input crosses RPC with its code
        d("register", w.unions["CS-1"], "SK-02", "initiative", FIELDS,
          [{"person_id": w.people["D"], "share": 70}], "2025-01-10")
    assert shares.value.code == "SHARES_NOT_100"
    council = [w.people[x] for x in "ABC"]
    a("constitute_council", initiative, council, "2025-01-20", "Thành lập hội đồng", "05/QĐ")
    marks = {"new_within_unit": 8, "applied_with_benefit": 8, "effectiveness": 7}
    a("record_evaluation", initiative, "2025-02-01", {m: marks for m in council},
      {council[0]: "for", council[1]: "for", council[2]: "against"}, "BB-01")
    with pytest.raises(DomainError) as outsider:  # R3.4: the superior does not decide here
        g("recognise", initiative, "2025-02-10", "Đạt", "12/QĐ")
    assert outsider.value.code == "NO_AUTHORITY"
    a("recognise", initiative, "2025-02-10", "Hai phần ba hội đồng tán thành", "12/QĐ",
      ["bien-ban-hoi-dong.pdf"])
    a("report_application", initiative, "2025-02-15", "Giảm 60% thời gian", 12_500_000, "2025-05-01")
    assert a("propose", initiative, "2025-05-02", "Hiệu quả cao")["to_union_id"] == w.unions["TV-CL"]
    g("recognise_at_level", initiative, "direct_superior", "2025-05-20", "Hiệu quả", "30/QĐ-LĐLĐ")
    g("propose", initiative, "2025-06-01", "Đề nghị LĐLĐ tỉnh")
    h("recognise_at_level", initiative, "province", "2025-06-20", "Toàn tỉnh", "99/QĐ-LĐLĐ")
    f("adopt", initiative, w.unions["CS-2"], "2025-07-01", "Nhân rộng tại bệnh viện")
    f("report_replication", initiative, w.unions["CS-2"], "2025-12-01", "Giảm thời gian", 3_000_000)
    record = a("get_initiative", initiative)
    assert set(record["recognitions"]) == {"grassroots", "direct_superior", "province"}
    book = a("tracking_book", w.unions["CS-1"])
    assert [(e["reference"], e["status"], e["scope"]) for e in book["items"]] == [
        ("SK-01", "recognised", "province")]
    decisions = [e for e in system.call("initiatives", "notifications")["envelopes"]
                 if "decision" in e["payload"]]
    assert [e["name"] for e in decisions] == [
        "initiatives.recognised", "initiatives.proposed", "initiatives.recognised_at_level",
        "initiatives.proposed", "initiatives.recognised_at_level", "initiatives.replicated"]
    for envelope in decisions:  # R4.5: actor, authority, time, reason, evidence, rule set
        decision = envelope["payload"]["decision"]
        assert envelope["meta"]["actor"]["user_id"] in w.people.values()
        assert envelope["meta"]["recorded_at"] and decision["decided_on"] and decision["reason"]
        assert decision["authority"]["body_id"] and decision["rule_set"]["version"]


def test_r1_5_r3_6_a_move_in_the_registry_changes_who_decides_after_not_before(
        system: Processes) -> None:
    registry = RpcRegistry(system)
    w: Province = build(registry)
    eventually(lambda: system.call("initiatives", "known_union", w.unions["CS-VP"]),
               what="initiatives knows the province")
    a = acting(w.people["A"])

    def call(context: CommandContext, method: str, *args: Any) -> Any:
        return system.call("initiatives", method, *args, context=context)

    initiative = eventually(lambda: call(a, "register", w.unions["CS-1"], "SK-01", "initiative",
                                         FIELDS, [{"person_id": w.people["A"], "share": 100}],
                                         "2025-01-10"), what="the committee's facts arrived")
    council = [w.people[x] for x in "ABC"]
    call(a, "constitute_council", initiative, council, "2025-01-20", "Hội đồng")
    call(a, "record_evaluation", initiative, "2025-02-01",
         {m: {"new_within_unit": 9, "applied_with_benefit": 9, "effectiveness": 9} for m in council},
         dict.fromkeys(council, "for"))
    call(a, "recognise", initiative, "2025-02-10", "Đạt", "12/QĐ")
    call(a, "report_application", initiative, "2025-02-15", "Hiệu quả", 1_000_000, "2025-03-01")
    call(a, "propose", initiative, "2025-03-02", "Đề nghị")
    registry.move_union(w.unions["CS-1"], w.unions["TV-CK"], "2025-06-01")
    eventually(lambda: system.call("initiatives", "known_union", w.unions["CS-1"],
                                   "2025-06-01")["parent_id"] == w.unions["TV-CK"],
               what="initiatives saw the move")
    for letter, on in (("I", "2025-05-31"), ("G", "2025-06-01")):
        with pytest.raises(DomainError) as refused:
            call(acting(w.people[letter]), "recognise_at_level", initiative, "direct_superior", on,
                 "Đạt", "31/QĐ")
        assert refused.value.code == "NO_AUTHORITY"
    decision = call(acting(w.people["I"]), "recognise_at_level", initiative, "direct_superior",
                    "2025-06-02", "Đạt", "31/QĐ")
    assert decision["authority"]["union_id"] == w.unions["TV-CK"]
    assert system.call("initiatives", "known_union", w.unions["CS-VP"])["parent_id"] == w.unions["TV"]
