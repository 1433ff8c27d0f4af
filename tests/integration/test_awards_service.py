"""Awards through its RPC interface on RabbitMQ (R4.1–R4.5), judging by the real published
events of the registry, the initiatives and the reviews: every service and relay runs as its
own process on PostgreSQL, as an operator starts them."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from runtime.errors import DomainError
from tests.support.awards_world import full_dossier, movement_year
from tests.support.processes import Processes, eventually
from tests.support.province import RpcRegistry, acting, build

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

UPSTREAM = ("registry", "initiatives", "reviews")


@pytest.fixture
def system(tmp_path: Path, amqp_uri: str, pg_url: str) -> Iterator[Processes]:
    env = {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
           "EMU_FIXED_CLOCK": "2026-06-30T12:00:00+07:00"}
    env.update({f"{name.upper()}_DATABASE_URL": pg_url for name in (*UPSTREAM, "awards")})
    processes = Processes(tmp_path, env)
    for name in UPSTREAM:
        processes.service(name)
        processes.relay(name)
    processes.service("awards")
    processes.relay("awards")
    processes.wait_ready(*UPSTREAM, "awards")
    yield processes
    processes.stop_all()


def caught_up(system: Processes, *consumers: str) -> None:
    """Waits until each consumer has processed everything its upstreams have stored (the
    last event each upstream stores in these tests is a published one)."""
    sources = {"initiatives": ("registry",), "reviews": ("registry",), "awards": UPSTREAM}
    for consumer in consumers:
        for source in sources[consumer]:
            last = system.call(source, "health")["last_notification"]
            if last is None:
                continue
            eventually(partial(_reached, system, consumer, source, last),
                       what=f"{consumer} processed {source} up to {last}")


def _reached(system: Processes, consumer: str, source: str, position: int) -> bool:
    return (system.call(consumer, "processed", source) or 0) >= position


def test_r4_1_to_r4_5_the_full_path_over_rpc_from_real_events_of_the_other_services(
        system: Processes) -> None:
    w = build(RpcRegistry(system))
    caught_up(system, "initiatives", "reviews", "awards")

    def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
        return system.call(service, method, *args, context=acting(w.people[letter]), **kwargs)

    m = movement_year(call, w)
    caught_up(system, "awards")
    cs1, cl, tv = w.unions["CS-1"], w.unions["TV-CL"], w.unions["TV"]
    # R4.1: the collective judged on all five criteria from the other services' events
    call("awards", "attest", "G", cl, "collective", cs1, 2025, "2026-02-15",
         "Nội bộ đoàn kết, chấp hành tốt", ["xac-nhan.pdf"])
    collective = call("awards", "evaluate", "G", "collective", cs1, 2025, "bang_khen_tinh")
    assert {c["code"]: c["met"] for c in collective["criteria"]} == {
        "launched_and_organised": True, "kept_alive_and_reviewed": True,
        "effective_individuals": True, "unity_and_compliance": True,
        "classified_strong_or_good": True, "province_wide_reach": True}
    published = {e["event_id"] for source in ("initiatives", "reviews")
                 for e in system.call(source, "notifications", limit=1000)["envelopes"]}
    assert {e["event_id"] for c in collective["criteria"] for e in c["evidence"]
            if "event_id" in e} <= published
    # R4.2, R4.3: D rewarded by the grassroots committee, then proposed up
    call("awards", "attest", "A", cs1, "individual", w.people["D"], 2025, "2026-02-15",
         "Chấp hành tốt", ["nhan-xet.pdf"])
    sk01 = m.initiatives["SK-01"]
    own = call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
               "giay_khen_cdcs", "Sáng kiến SK-01", "2026-03-01", [sk01])
    grassroots = call("awards", "decide_award", "A", cs1, "giay_khen_cdcs", "2026-03-05",
                      "05/QĐ-CĐCS", [own["nomination_id"]], "Thành tích năm 2025")
    with pytest.raises(DomainError) as twice:
        call("awards", "decide_award", "A", cs1, "bieu_duong_cdcs", "2026-03-06", "06/QĐ-CĐCS",
             [call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
                   "bieu_duong_cdcs", "Sáng kiến SK-01", "2026-03-06", [sk01])["nomination_id"]],
             "Biểu dương")
    assert twice.value.code == "ACHIEVEMENT_ALREADY_REWARDED"
    up = call("awards", "nominate", "A", cs1, "individual", w.people["D"], 2025,
              "giay_khen_cap_tren", "Sáng kiến SK-01", "2026-03-06", [sk01])
    call("awards", "hold_selection", "A", cs1, "2026-03-07", [w.people[x] for x in "ABC"],
         {up["nomination_id"]: {"for": 3}}, "Họp BCH bình xét")
    to_cl = call("awards", "draft_submission", "A", cs1, 2025, [up["nomination_id"]], "2026-03-08")
    call("awards", "submit", "A", to_cl, "2026-03-08", "03/TTr-CĐCS")
    # R4.4: Càng Long takes D to the province; the dossier is checked, returned, completed
    to_tv = call("awards", "nominate", "G", cl, "individual", w.people["D"], 2025,
                 "bang_khen_tinh", "Sáng kiến SK-01, phạm vi toàn tỉnh", "2026-03-15",
                 carries=up["nomination_id"])
    call("awards", "hold_selection", "G", cl, "2026-03-16", [w.people["G"]],
         {to_tv["nomination_id"]: {"for": 1}}, "Họp BTV bình xét")
    submission = call("awards", "draft_submission", "G", cl, 2025, [to_tv["nomination_id"]],
                      "2026-03-17")
    with pytest.raises(DomainError) as incomplete:
        call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    assert incomplete.value.code == "DOSSIER_INCOMPLETE"
    full_dossier(call, "G", submission, {to_tv["nomination_id"]: "individual"}, "2026-03-18")
    call("awards", "submit", "G", submission, "2026-03-18", "15/TTr-LĐLĐ")
    call("awards", "return_submission", "H", submission, "2026-03-25", "Bổ sung",
         ["recognition_decision"])
    call("awards", "submit", "G", submission, "2026-03-26", "15/TTr-LĐLĐ")
    # R4.5: decided by the province's standing committee, with its full record
    with pytest.raises(DomainError) as outsider:
        call("awards", "decide_award", "G", tv, "bang_khen_tinh", "2026-04-10", "99/QĐ-LĐLĐ",
             [to_tv["nomination_id"]], "Toàn tỉnh")
    assert outsider.value.code == "NO_AUTHORITY"
    award = call("awards", "decide_award", "H", tv, "bang_khen_tinh", "2026-04-10",
                 "99/QĐ-LĐLĐ", [to_tv["nomination_id"]], "Sáng kiến có phạm vi toàn tỉnh")
    assert award["awardees"][0]["relies_on"] == [grassroots["award_id"]]
    letter = call("awards", "render_decision", "H", award["award_id"])
    assert letter["filename"].endswith(".pdf") and letter["media_type"] == "application/pdf"
    assert base64.b64decode(letter["content_base64"]).startswith(b"%PDF-")
    # revoked later; the province's award that relied on it is listed
    revoked = call("awards", "revoke_award", "A", grassroots["award_id"], "2026-05-01",
                   "false_declaration", "Kê khai không trung thực",
                   {"certificate": True, "money_vnd": 500_000})
    assert [d["award_id"] for d in revoked["dependents"]] == [award["award_id"]]
    envelopes = system.call("awards", "notifications", limit=1000)["envelopes"]
    names = [e["name"] for e in envelopes]
    assert names.count("awards.award_decided") == 2 and "awards.award_revoked" in names
    assert names.count("awards.dossier_submitted") == 3 and "awards.dossier_returned" in names
    for envelope in envelopes:  # R4.5: actor, authority, time, reason, evidence, rule set
        decision = envelope["payload"]["decision"]
        assert envelope["meta"]["actor"]["user_id"] in w.people.values()
        assert decision["authority"]["body_id"] and decision["reason"]
        assert decision["rule_set"]["book"] == "awards"
