"""One decision's whole story, across the services, for auditors (R4.5, R5.1).

A decision is the last step of a chain that runs through several services, each record
naming the records it rests on and citing as evidence the events another service published.
``DecisionTrail`` follows that chain from any record:

- the **records** the decision rests on: the ids each record names (its service declares
  where, ``trail_links``) and the published events its evidence cites (matched by event id,
  or found through the service that keeps the events it judged by);
- every **step** of every record, oldest first: what happened, at which stage of the chain
  (each service declares the stage of its records' events, and the order and titles of its
  stages), who acted under which role and union, when (recorded and effective), the
  authority, reason, evidence and rule-set version of a decision, and the correlation and
  causation ids that tie a step to the event that caused it (``caused_by`` when that event
  is in the trail too);
- the **authority then**: for each decision, the deciding body and its members, and the union
  and the unions above it, as the registry held them on the decision's date, next to the union
  as it stands today, so an auditor sees whether the decider sat on the body then, even after
  the tree was reorganised.

It reads through one function, ``call(service, method, **kwargs)``: the gateway passes its RPC
pool (the auditor's own context, so the services judge the call), the command line the
applications over the stores (``runtime.audit``). The services' declarations come through it
too, so this module imports no service and knows none of their records. ``report_html``
renders the same trail as a page a person reads and prints.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

from runtime.errors import DomainError, InvalidInput, NotFound
from runtime.services import SERVICES
from runtime.text import parse_uuid

Call = Callable[..., Any]  # call(service, method, **kwargs) -> the service's answer

# The registry is who and where: its records appear as the authority and the tree, not as
# steps. Every other service's records are steps, and each declares (its ``trail_links``
# query) what its records name, which stage each step belongs to and the titles of those
# stages, so this module knows no service's records.
AUTHORITY = "registry"
RECORD_SERVICES = tuple(name for name in SERVICES if name != AUTHORITY)
OTHER = "other"  # the stage of a step no service declared
OTHER_TITLE = "Khác"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def chain_order(orders: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """One order of the chain's stages that keeps every service's own order: a stage comes
    once each stage a service puts before it has come, and of the stages ready the one named
    first comes first. Should two services disagree, the rest follow in the order named."""
    named: dict[str, set[str]] = {}  # stage -> the stages some service puts before it
    for order in orders:
        earlier: list[str] = []
        for stage in order:
            named.setdefault(stage, set()).update(earlier)
            earlier.append(stage)
    chain: list[str] = []
    while len(chain) < len(named):
        ready = [stage for stage, before in named.items()
                 if stage not in chain and before <= set(chain)]
        chain.extend(ready[:1] or [stage for stage in named if stage not in chain])
    return tuple(chain)


def walk(value: Any, path: str) -> Iterator[str]:
    """The ids at a path of a record's state (``items.*.record_id``)."""
    head, _, rest = path.partition(".")
    if head == "*":
        for item in value if isinstance(value, list) else ():
            yield from walk(item, rest) if rest else ([item] if isinstance(item, str) else [])
        return
    found = value.get(head) if isinstance(value, Mapping) else None
    if rest:
        yield from walk(found, rest)
    elif isinstance(found, str) and _UUID.match(found):
        yield found


def cited(value: Any) -> Iterator[str]:
    """Every event id a record cites as evidence: ``event_id`` keys anywhere in it, and the
    ids listed under ``evidence`` (decision records)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "event_id" and isinstance(item, str) and _UUID.match(item):
                yield item
            elif key == "evidence" and isinstance(item, list):
                yield from (e for e in item if isinstance(e, str) and _UUID.match(e))
                yield from cited([e for e in item if not isinstance(e, str)])
            else:
                yield from cited(item)
    elif isinstance(value, list):
        for item in value:
            yield from cited(item)


class DecisionTrail:
    """The causal chain of one decision across the services, and the authority it was made
    under then. ``max_records`` bounds the walk (a collective's evidence can cite hundreds of
    events); a trail cut short says so."""

    def __init__(self, call: Call, max_records: int = 200,
                 visible: Callable[[str | None], bool] | None = None) -> None:
        self.call = call
        self.max_records = max_records
        self.visible = visible or (lambda union_id: True)

    # --- what each service declares of its records ----------------------------------------

    @cached_property
    def declared(self) -> dict[str, Mapping[str, Any]]:
        """Each record service's declaration (its ``trail_links``): what its records name,
        the records that name them, the query that finds cited events, the stage of each
        step and its stages in order with their titles. Asked once per trail."""
        return {name: self.call(name, "trail_links") for name in RECORD_SERVICES}

    @cached_property
    def stage_order(self) -> tuple[str, ...]:
        """R5.1: the stages of the chain in order, from every service's own order."""
        return chain_order([stage for stage, _title in declared.get("stages", ())]
                           for declared in self.declared.values())

    @cached_property
    def titles(self) -> dict[str, str]:
        """The title of each stage, as the report shows it."""
        titles = {OTHER: OTHER_TITLE}
        for declared in self.declared.values():
            for stage, title in declared.get("stages", ()):
                titles.setdefault(stage, title)
        return titles

    def stage_of(self, service: str, record: str, event: str) -> str:
        stages = self.declared[service].get("steps", {}).get(record, {})
        return str(stages.get(event) or stages.get("*") or OTHER)

    # --- where a record lives -------------------------------------------------------------

    def locate(self, record_id: str, service: str | None = None) -> str:
        """The service that holds a record (the one named, or the one that answers)."""
        rid = str(parse_uuid(record_id, "record_id"))
        if service is not None:
            if service not in RECORD_SERVICES:
                raise InvalidInput(f"service is one of {', '.join(RECORD_SERVICES)}",
                                   {"field": "service"})
            candidates: Iterable[str] = (service,)
        else:
            candidates = RECORD_SERVICES
        for name in candidates:
            if self.call(name, "version", aggregate_id=rid) is not None:
                return name
        raise RecordNotFound("no service holds that record", {"record_id": rid})

    # --- the trail ------------------------------------------------------------------------

    def trail(self, record_id: str, service: str | None = None) -> dict[str, Any]:
        """R4.5, R5.1: the decision's whole chain, every step with actor, authority, time,
        reason, evidence and rule-set version, and the registry as it stood at each decision."""
        rid = str(parse_uuid(record_id, "record_id"))
        root_service = self.locate(rid, service)
        records: dict[tuple[str, str], dict[str, Any]] = {}
        pending: list[tuple[str, str, str | None]] = [(root_service, rid, None)]
        truncated = False
        looked_up: set[str] = set()
        while pending:
            while pending:
                where, which, why = pending.pop(0)
                if (where, which) in records:
                    continue
                if len(records) >= self.max_records:
                    truncated = True
                    break
                record = self._record(where, which, why)
                if record is None:
                    continue
                records[(where, which)] = record
                pending.extend((s, i, f"named by {record['record']} {which}")
                               for s, i in record.pop("_links"))
            if truncated:
                break
            # Evidence the records cite that is not a step of a record already in the trail:
            # the service that keeps the events it judged by says which record each was about.
            known = {s["event_id"] for r in records.values() for s in r["steps"]}
            wanted = sorted({e for r in records.values() for e in r["cites"]} - known - looked_up)
            looked_up.update(wanted)
            for found in self._cited(wanted):
                if found["source"] in RECORD_SERVICES and found.get("record_id"):
                    pending.append((found["source"], found["record_id"],
                                    f"cited as evidence ({found['name']})"))
        return self._assemble(records[(root_service, rid)], list(records.values()), truncated)

    def _record(self, service: str, record_id: str, why: str | None) -> dict[str, Any] | None:
        try:
            steps = self.call(service, "history", aggregate_id=record_id)
            current = self.call(service, "state_as_of", aggregate_id=record_id)
        except (NotFound, InvalidInput):
            return None  # named but not (or no longer) held there: left out, not invented
        if not steps:
            return None
        kind = steps[0]["record"]
        state = current["state"]
        if not self.visible(state.get("union_id")):  # outside the auditor's scope: its id only
            return {"service": service, "id": record_id, "record": kind, "version": None,
                    "union_id": state.get("union_id"), "why": why, "hidden": True, "state": {},
                    "steps": [], "cites": [], "_links": []}
        declared = self.declared[service]
        links = [(target, found) for path, target in declared.get("links", {}).get(kind, {}).items()
                 for found in walk(state, path)] + self._named_by(service, kind, record_id)
        cites = set(cited(state)) | {e for s in steps for e in cited(s.get("decision") or {})}
        return {"service": service, "id": record_id, "record": kind, "version": current["version"],
                "union_id": state.get("union_id"), "why": why, "state": state, "steps": steps,
                "cites": sorted(cites), "_links": links}

    def _named_by(self, service: str, kind: str, record_id: str) -> list[tuple[str, str]]:
        """Records of the same service that name this one, found by the query it declares."""
        named_by = self.declared[service].get("named_by", {}).get(kind)
        if named_by is None:
            return []
        found = self.call(service, named_by["query"], **{named_by["argument"]: record_id})
        return [(service, i) for key in named_by["lists"] for i in found[key]]

    def _cited(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """Which record each cited event was about, from the services that keep the other
        services' events they judged by."""
        found: list[dict[str, Any]] = []
        keepers = [(service, declared["cited_events"]) for service, declared
                   in self.declared.items() if declared.get("cited_events")]
        for service, query in keepers:
            for start in range(0, len(event_ids), 500):
                found.extend(self.call(service, query, event_ids=event_ids[start:start + 500]))
        return found

    def _assemble(self, root: dict[str, Any], records: list[dict[str, Any]],
                  truncated: bool) -> dict[str, Any]:
        by_event = {s["event_id"]: (r, s) for r in records for s in r["steps"]}
        timeline = []
        for record in records:
            for step in record["steps"]:
                decision = step.get("decision") or None
                caused = by_event.get(step.get("causation_id") or "")
                timeline.append({
                    "service": record["service"], "record": record["record"],
                    "record_id": record["id"], "version": step["version"],
                    "event": step["event"], "event_id": step["event_id"],
                    "stage": self.stage_of(record["service"], record["record"], step["event"]),
                    "on": step.get("on"),
                    "actor": step.get("actor"), "recorded_at": step.get("recorded_at"),
                    "effective_at": step.get("effective_at"),
                    "decided_on": (decision or {}).get("decided_on"),
                    "authority": (decision or {}).get("authority"),
                    "reason": (decision or {}).get("reason"),
                    "rule_set": (decision or {}).get("rule_set"),
                    "number": (decision or {}).get("number"),
                    "evidence": [self._evidence(e, by_event) for e in cited(decision or {})],
                    "correlation_id": step.get("correlation_id"),
                    "causation_id": step.get("causation_id"),
                    "caused_by": _ref(*caused) if caused else None,
                })
        # A step with no date of its own (a record marked by another's decision) happened
        # with the dated step of the same command.
        dated = {s["correlation_id"]: s["on"] for s in timeline if s["on"] and s["correlation_id"]}
        for s in timeline:
            s["on"] = s["on"] or dated.get(s["correlation_id"])
        # By the date each step says it happened on, then as recorded; steps of one day in the
        # order of the chain's stages (a record developed the day the next one is made from it
        # comes first).
        order = self.stage_order
        timeline.sort(key=lambda s: (s["on"] or str(s["recorded_at"] or "")[:10],
                                     str(s["recorded_at"] or ""), order.index(s["stage"])
                                     if s["stage"] in order else len(order),
                                     s["record_id"], s["version"]))
        decisions = [s for s in timeline if s["authority"]]
        cites = sorted({e for r in records for e in r["cites"]})
        return {
            "record_id": root["id"], "service": root["service"], "record": root["record"],
            "union_id": root["union_id"], "version": root["version"],
            "stages": [stage for stage in order if any(s["stage"] == stage for s in timeline)],
            "records": [{k: v for k, v in r.items() if k != "steps"} for r in records],
            "timeline": timeline,
            "authority": [self._authority(s) for s in decisions],
            "evidence": {"cited": len(cites),
                         "unresolved": [e for e in cites if e not in by_event]},
            "truncated": truncated,
        }

    @staticmethod
    def _evidence(event_id: str, by_event: Mapping[str, tuple[dict[str, Any], dict[str, Any]]],
                  ) -> dict[str, Any]:
        found = by_event.get(event_id)
        return {"event_id": event_id, "step": _ref(*found) if found else None}

    # --- the authority then ---------------------------------------------------------------

    def _authority(self, step: Mapping[str, Any]) -> dict[str, Any]:
        """R4.3, R4.5, R5.1: the deciding body and its members on the decision's date, the
        union and those above it then and now, and whether the actor sat on the body then."""
        authority = step["authority"]
        union_id, on = authority.get("union_id"), authority.get("as_of")
        actor = (step.get("actor") or {}).get("user_id")
        check: dict[str, Any] = {"step": {k: step[k] for k in ("service", "record", "record_id",
                                                               "version", "event")},
                                 "union_id": union_id, "on": on, "body_id": authority.get("body_id"),
                                 "kind": authority.get("kind"), "actor": actor}
        if not union_id or not on:
            return {**check, "held": None, "note": "the decision names no body"}
        try:
            bodies = self.call(AUTHORITY, "bodies", union_id=union_id, as_of=on,
                               kind=authority.get("kind"))
            check["union_then"] = [self.call(AUTHORITY, "get_union", union_id=union_id,
                                             as_of=on),
                                   *self.call(AUTHORITY, "ancestors", union_id=union_id, as_of=on)]
            check["union_now"] = self._now(union_id)
        except DomainError as error:
            return {**check, "held": None, "note": f"{error.code}: {error.message}"}
        body = next((b for b in bodies if b["id"] == authority.get("body_id")), None)
        check["body_then"] = body
        members = {m["person_id"] for m in (body or {}).get("members", ())}
        check["held"] = body is not None and actor in members
        return check

    def _now(self, union_id: str) -> list[dict[str, Any]]:
        """The union and those above it today (empty if it no longer exists)."""
        try:
            return [self.call(AUTHORITY, "get_union", union_id=union_id),
                    *self.call(AUTHORITY, "ancestors", union_id=union_id)]
        except DomainError:
            return []


class AuditQueries:
    """The audit functions that span the services, as the gateway (service ``audit``, HTTP
    and gRPC) and the command line serve them."""

    FORMATS = ("json", "html")

    def __init__(self, call: Call, visible: Callable[[str | None], bool] | None = None) -> None:
        self.call = call
        self.visible = visible

    def _trail(self) -> DecisionTrail:
        return DecisionTrail(self.call, visible=self.visible)

    def decision_trail(self, record_id: str, service: str | None = None) -> dict[str, Any]:
        """R4.5, R5.1: a decision's causal chain across the services (idea, registration,
        evaluation, recognition, application, proposal, dossier, decision), each step with
        actor, authority, time, reason, evidence and rule-set version, and the union tree and
        deciding body as they stood on each decision's date."""
        return self._trail().trail(record_id, service)

    def audit_report(self, record_id: str, service: str | None = None, format: str = "html",
                     verify: bool = True) -> dict[str, Any]:
        """R5.1: a decision's audit report, as JSON or as a page a person reads and prints
        (HTML), with the verification of the hash chain of every store it draws on."""
        if format not in self.FORMATS:
            raise InvalidInput(f"format is one of {', '.join(self.FORMATS)}", {"field": "format"})
        trails = self._trail()
        trail = trails.trail(record_id, service)
        integrity = {name: self.call(name, "verify_chain")
                     for name in sorted({r["service"] for r in trail["records"]} | {AUTHORITY})
                     } if verify else {}
        if format == "json":
            content = report_json({**trail, "integrity": integrity})
            media_type = "application/json"
        else:
            content, media_type = report_html(trail, integrity, trails.titles), "text/html; charset=utf-8"
        return {"record_id": trail["record_id"], "union_id": trail["union_id"],
                "format": format, "media_type": media_type,
                "filename": f"audit-{trail['record'].lower()}-{trail['record_id']}.{format}",
                "content": content, "verified": all(r.get("ok") for r in integrity.values())
                if integrity else None}


def over_applications(apps: Mapping[str, Any]) -> Call:
    """``call`` over the services' applications in this process (the command line, tests)."""

    def call(service: str, method: str, **kwargs: Any) -> Any:
        app = apps[service]
        if method == "version":
            return app.version_of(kwargs["aggregate_id"])
        return getattr(app, method)(**kwargs)

    return call


class RecordNotFound(NotFound):
    code = "RECORD_NOT_FOUND"


def _ref(record: Mapping[str, Any], step: Mapping[str, Any]) -> dict[str, Any]:
    return {"service": record["service"], "record": record["record"], "record_id": record["id"],
            "version": step["version"], "event": step["event"]}


# --- the report a person reads -----------------------------------------------------------------

def report_json(trail: Mapping[str, Any]) -> str:
    return json.dumps(trail, ensure_ascii=False, indent=2, sort_keys=True)


def report_html(trail: Mapping[str, Any], integrity: Mapping[str, Any] | None = None,
                titles: Mapping[str, str] | None = None) -> str:
    """The trail as one self-contained page (Vietnamese headings, printable): the timeline,
    the authority at each decision, the tree then and now, and the stores' verification.
    ``titles`` are the stages' titles as the services declare them (``DecisionTrail.titles``)."""
    e = html.escape
    titles = titles or {}

    def union_path(unions: Iterable[Mapping[str, Any]]) -> str:
        return " › ".join(e(str(u.get("name", u.get("id")))) for u in unions) or "—"

    rows = []
    for s in trail["timeline"]:
        actor = s.get("actor") or {}
        rule = s.get("rule_set") or {}
        evidence = ", ".join(
            e(f"{x['step']['record']} {x['step']['event']} v{x['step']['version']}")
            if x["step"] else e(x["event_id"]) for x in s["evidence"])
        rows.append(
            "<tr>"
            f"<td>{e(str(s.get('on') or s['recorded_at'] or '')[:10])}</td>"
            f"<td>{e(titles.get(s['stage'], s['stage']))}</td>"
            f"<td>{e(s['service'])} · {e(s['record'])} v{s['version']}<br><b>{e(s['event'])}</b></td>"
            f"<td>{e(str(actor.get('user_id', '')))}<br><small>{e(str(actor.get('role', '')))}"
            f"{' · ' + e(str(actor['union_id'])) if actor.get('union_id') else ''}</small></td>"
            f"<td>{e(str(s.get('reason') or ''))}"
            f"{'<br><small>Số ' + e(str(s['number'])) + '</small>' if s.get('number') else ''}</td>"
            f"<td><small>{e(str(rule.get('version', '')) if isinstance(rule, Mapping) else e(str(rule)))}"
            f"</small></td><td><small>{evidence}</small></td>"
            f"<td><small>{e(str(s.get('correlation_id') or ''))}</small></td>"
            "</tr>")
    checks = []
    for a in trail["authority"]:
        body = a.get("body_then") or {}
        members = ", ".join(e(f"{m.get('full_name', m['person_id'])} ({m.get('position', '')})")
                            for m in body.get("members", ()))
        verdict = {True: "✔ có thẩm quyền", False: "✘ không ngồi trong cơ quan quyết định",
                   None: "? " + e(str(a.get("note", "")))}[a["held"]]
        checks.append(
            f"<tr><td>{e(str(a['on']))}</td><td>{e(a['step']['record'])} {e(a['step']['event'])}</td>"
            f"<td>{e(str(body.get('name', a.get('body_id'))))}<br><small>{members}</small></td>"
            f"<td>{union_path(a.get('union_then', ()))}</td><td>{union_path(a.get('union_now', ()))}</td>"
            f"<td>{verdict}</td></tr>")
    def store_line(name: str, r: Mapping[str, Any]) -> str:
        if r.get("ok"):
            return f"<li>{e(name)}: ✔ nguyên vẹn ({r.get('checked', 0)} sự kiện)</li>"
        found = r.get("break") or {}
        return (f"<li>{e(name)}: ✘ bị thay đổi — vị trí {e(str(found.get('position')))} "
                f"({e(str(found.get('kind')))}), {r.get('checked', 0)} sự kiện trước đó "
                "nguyên vẹn</li>")

    stores = "".join(store_line(n, r) for n, r in sorted((integrity or {}).items()))
    title = f"Hồ sơ kiểm tra — {trail['record']} {trail['record_id']}"
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body{{font-family:"Times New Roman",serif;margin:2em;color:#111}}
table{{border-collapse:collapse;width:100%;margin-bottom:1.5em}}
th,td{{border:1px solid #888;padding:.3em;vertical-align:top;text-align:left}}
th{{background:#eee}} small{{color:#444}}
@media print{{body{{margin:0}}}}
</style></head><body>
<h1>{e(title)}</h1>
<p>Dịch vụ: {e(trail['service'])} · phiên bản {trail['version']} · các bước:
{e(' → '.join(titles.get(s, s) for s in trail['stages']))}
{'<br><b>Chuỗi bị cắt ngắn (quá nhiều hồ sơ).</b>' if trail.get('truncated') else ''}</p>
<h2>Diễn biến</h2>
<table><tr><th>Ngày</th><th>Bước</th><th>Hồ sơ · sự kiện</th><th>Người thực hiện</th>
<th>Lý do</th><th>Bộ quy tắc</th><th>Chứng cứ</th><th>Mã tương quan</th></tr>
{''.join(rows)}</table>
<h2>Thẩm quyền tại thời điểm quyết định</h2>
<table><tr><th>Ngày</th><th>Quyết định</th><th>Cơ quan và thành viên khi đó</th>
<th>Đơn vị khi đó</th><th>Đơn vị hiện nay</th><th>Kết luận</th></tr>
{''.join(checks)}</table>
<h2>Chứng cứ</h2>
<p>{trail['evidence']['cited']} sự kiện được viện dẫn;
{len(trail['evidence']['unresolved'])} không tìm thấy trong chuỗi.</p>
<h2>Tính toàn vẹn của kho dữ liệu</h2>
<ul>{stores or '<li>không kiểm tra</li>'}</ul>
</body></html>
"""
