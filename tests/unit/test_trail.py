"""R4.5, R5.1: a decision's whole story across the services and the registry as it stood on
the decision's date, for auditors, from the real applications; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from runtime.context import use_context
from runtime.errors import DomainError
from runtime.trail import AuditQueries, DecisionTrail, over_applications
from services.notifications.application import Notifications
from tests.support.awards_world import STAGE_ORDER, World, to_the_province, world
from tests.support.province import ADMIN


@pytest.fixture
def w(store_url: str, settings_for: Any) -> World:
    return world(settings_for(store_url))


def audit(w: World) -> AuditQueries:
    # Every service is asked what its records name; notifications keeps no decision (none).
    return AuditQueries(over_applications({
        "registry": w.registry, "initiatives": w.initiatives, "reviews": w.reviews,
        "awards": w.awards, "notifications": Notifications(w.awards.settings)}))


def step(trail: dict[str, Any], record_id: str, event: str) -> dict[str, Any]:
    return next(s for s in trail["timeline"] if s["record_id"] == record_id and s["event"] == event)


def authority_of(trail: dict[str, Any], record_id: str, event: str) -> dict[str, Any]:
    return next(a for a in trail["authority"]
                if a["step"]["record_id"] == record_id and a["step"]["event"] == event)


def test_r4_5_r5_1_the_whole_causal_chain_of_an_award_decided_at_the_province(w: World) -> None:
    ids = to_the_province(w.call, w.m)
    trail = audit(w).decision_trail(ids["award"])
    assert (trail["service"], trail["record"], trail["union_id"]) == ("awards", "Award", w.u("TV"))
    # idea -> registration -> evaluation -> recognition -> application -> proposal -> dossier
    # -> decision (the grassroots award on the way is a decision before the province's dossier)
    assert trail["stages"] == list(STAGE_ORDER[:8])
    first = [next(i for i, s in enumerate(trail["timeline"]) if s["stage"] == stage)
             for stage in STAGE_ORDER[:7]]
    assert first == sorted(first)
    last = trail["timeline"].index(step(trail, ids["award"], "Decided"))
    assert all(s["stage"] != "dossier" for s in trail["timeline"][last:])
    held = {(r["service"], r["record"], r["id"]) for r in trail["records"]}
    idea = w.initiatives.get_initiative(ids["initiative"])["idea_id"]
    assert {("initiatives", "Idea", idea), ("initiatives", "Initiative", ids["initiative"]),
            ("awards", "Award", ids["grassroots_award"])} <= held
    assert {("awards", "Nomination", n) for n in ids["nominations"]} <= held
    assert {("awards", "Submission", s) for s in ids["submissions"]} <= held
    assert any(r == "SelectionMeeting" for _, r, _ in held)
    # every step is attributed: who, under which role and union, when, in which correlation
    for s in trail["timeline"]:
        assert s["actor"]["user_id"] and s["actor"]["role"] and s["recorded_at"], s
        assert s["correlation_id"], s
    decided = step(trail, ids["award"], "Decided")
    assert decided["stage"] == "decision" and decided["number"] == "99/QĐ-LĐLĐ"
    assert decided["reason"] == "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh"
    assert decided["rule_set"]["version"] == "awards/2024-05"
    assert decided["authority"]["union_id"] == w.u("TV") and decided["decided_on"] == "2026-04-10"
    assert decided["actor"]["user_id"] == w.p("H")
    recognised = step(trail, ids["initiative"], "Recognised")
    assert recognised["actor"]["user_id"] == w.p("A") and recognised["reason"] == "Hội đồng tán thành"
    # the evidence the nominations were judged on is the initiative's own steps
    nomination = next(r for r in trail["records"] if r["id"] == ids["nominations"][-1])
    steps_of_sk01 = {s["event_id"] for s in trail["timeline"] if s["record_id"] == ids["initiative"]}
    assert nomination["cites"] and set(nomination["cites"]) <= steps_of_sk01
    # the authority then: each decider sat on the deciding body on the decision's date
    province = authority_of(trail, ids["award"], "Decided")
    assert province["held"] is True and province["on"] == "2026-04-10"
    assert w.p("H") in {m["person_id"] for m in province["body_then"]["members"]}
    assert [u["id"] for u in province["union_then"]] == [w.u("TV"), w.u("VN")]
    assert all(a["held"] for a in trail["authority"]), [a for a in trail["authority"] if not a["held"]]
    # a trail can start from any record of the chain
    from_initiative = audit(w).decision_trail(ids["initiative"], "initiatives")
    assert from_initiative["stages"][:5] == list(STAGE_ORDER[:5])


def test_r5_1_the_tree_and_the_committee_as_they_stood_before_and_after_a_reorganisation(
        w: World) -> None:
    ids = to_the_province(w.call, w.m)
    with use_context(ADMIN):  # on 1/5/2026 CS-1 passes from Càng Long to Cầu Kè
        w.registry.move_union(w.u("CS-1"), w.u("TV-CK"), "2026-05-01")
    trail = audit(w).decision_trail(ids["grassroots_award"])
    grassroots = authority_of(trail, ids["grassroots_award"], "Decided")
    assert grassroots["held"] is True and grassroots["on"] == "2026-03-05"
    assert [u["id"] for u in grassroots["union_then"]] == [w.u(c) for c in ("CS-1", "TV-CL", "TV", "VN")]
    assert [u["id"] for u in grassroots["union_now"]] == [w.u(c) for c in ("CS-1", "TV-CK", "TV", "VN")]
    assert {m["person_id"] for m in grassroots["body_then"]["members"]} == {w.p(x) for x in "ABC"}
    # the union's own record as of a version before and after the move
    history = w.registry.history(w.u("CS-1"))
    assert history[-1]["event"] == "Moved"
    before = w.registry.state_as_of(w.u("CS-1"), version=history[-1]["version"] - 1)
    after = w.registry.state_as_of(w.u("CS-1"))
    assert str(before["state"]["parent_id"]) == w.u("TV-CL")
    assert str(after["state"]["parent_id"]) == w.u("TV-CK")


def test_r5_1_a_decider_the_registry_now_says_was_not_on_the_body_then_is_flagged(w: World) -> None:
    """The registry learns afterwards that H left the province's standing committee on 1/4,
    before the decision of 10/4: the trail shows the decision was made without authority."""
    ids = to_the_province(w.call, w.m)
    body = w.m.province.bodies["TV/standing_committee"]
    with use_context(ADMIN):
        w.registry.relieve(body, w.p("H"), "2026-04-01")
    flagged = authority_of(audit(w).decision_trail(ids["award"]), ids["award"], "Decided")
    assert flagged["held"] is False
    assert w.p("H") not in {m["person_id"] for m in flagged["body_then"]["members"]}
    html = audit(w).audit_report(ids["award"], verify=False)["content"]
    assert "không ngồi trong cơ quan quyết định" in html


def test_r5_1_the_audit_report_as_json_and_as_a_page_with_each_stores_verification(
        w: World) -> None:
    ids = to_the_province(w.call, w.m)
    report = audit(w).audit_report(ids["award"], format="json")
    assert report["verified"] is True and report["media_type"] == "application/json"
    content = json.loads(report["content"])
    assert content["record_id"] == ids["award"] and content["stages"][-1] == "decision"
    assert set(content["integrity"]) == {"registry", "initiatives", "awards"}
    page = audit(w).audit_report(ids["award"])
    assert page["media_type"].startswith("text/html") and page["filename"].endswith(".html")
    html = page["content"]
    for text in ("Hồ sơ kiểm tra", "99/QĐ-LĐLĐ", "Sáng kiến có phạm vi ảnh hưởng toàn tỉnh",
                 "Lâm Thị Hạnh", "awards/2024-05", "✔ có thẩm quyền", "awards: ✔ nguyên vẹn"):
        assert text in html, text
    # a byte changed behind the service's back shows in the next report
    table = w.awards.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    with w.awards.engine.begin() as c:
        row = c.execute(sa.select(table.c.id, table.c.state).order_by(table.c.id).limit(1)).one()
        c.execute(table.update().where(table.c.id == row.id)
                  .values(state=bytes(row.state).replace(b"2025", b"2024", 1)))
    tampered = audit(w).audit_report(ids["award"])
    assert tampered["verified"] is False and "awards: ✘ bị thay đổi" in tampered["content"]


def test_r5_1_bad_audit_requests_are_refused_with_a_code(w: World) -> None:
    queries = audit(w)
    for call, code in [
            (lambda: queries.decision_trail("00000000-0000-4000-8000-000000000000"),
             "RECORD_NOT_FOUND"),
            (lambda: queries.decision_trail("not an id"), "INVALID_INPUT"),
            (lambda: queries.decision_trail(w.m.initiatives["SK-01"], "registry"),
             "INVALID_INPUT"),
            (lambda: queries.audit_report(w.m.initiatives["SK-01"], format="pdf"),
             "INVALID_INPUT")]:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == code
    assert DecisionTrail(queries.call).locate(w.m.initiatives["SK-01"]) == "initiatives"


def test_r5_1_records_of_unions_outside_the_auditors_scope_appear_as_their_ids_only(
        w: World) -> None:
    """Whoever may read the province's decision but not Càng Long's records follows the chain:
    Càng Long's nomination and dossier show only which records they are, and nothing is
    followed through them; CS-1's records the award names directly are read."""
    ids = to_the_province(w.call, w.m)
    scoped = AuditQueries(audit(w).call, visible=lambda union: union != w.u("TV-CL"))
    trail = scoped.decision_trail(ids["award"])
    hidden = {r["id"] for r in trail["records"] if r.get("hidden")}
    assert hidden == {ids["nominations"][2], ids["submissions"][1]}
    assert all(r["state"] == {} for r in trail["records"] if r.get("hidden"))
    assert not any(s["record_id"] in hidden for s in trail["timeline"])
    read = {r["id"] for r in trail["records"] if not r.get("hidden")}
    assert {ids["award"], ids["grassroots_award"], ids["initiative"]} <= read
    assert ids["nominations"][1] not in read | hidden  # only Càng Long's nomination names it


def test_r5_1_the_auditors_command_line_history_as_of_trail_and_export(
        w: World, store_url: str, settings_for: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from runtime import audit as cli

    ids = to_the_province(w.call, w.m)
    for key, value in settings_for(store_url).env.items():
        monkeypatch.setenv(key, value)
    assert cli.main(["history", ids["initiative"]]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [e["event"] for e in events[:3]] == ["Registered", "CouncilConstituted", "Evaluated"]
    assert cli.main(["as-of", ids["initiative"], "--version", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["state"]["status"] == "registered"
    assert cli.main(["as-of", w.u("CS-1"), "--service", "registry", "--version", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["state"]["code"] == "CS-1"
    assert cli.main(["trail", ids["award"]]) == 0
    assert json.loads(capsys.readouterr().out)["stages"] == list(STAGE_ORDER[:8])
    page = tmp_path / "report.html"
    assert cli.main(["export", ids["award"], "--out", str(page)]) == 0
    assert "99/QĐ-LĐLĐ" in page.read_text("utf-8") and "stores verified: True" in \
        capsys.readouterr().out
    assert cli.main(["export", ids["award"], "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["integrity"]["awards"]["ok"]
    assert cli.main(["trail", "00000000-0000-4000-8000-000000000000"]) == 2
    assert json.loads(capsys.readouterr().err)["code"] == "RECORD_NOT_FOUND"
