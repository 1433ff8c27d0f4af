"""A small province for the reviews tests, built with the registry's own commands.

Liên đoàn Lao động tỉnh Trà Vinh (standing committee, Policy–Law department) over two
district federations (each with a standing committee) and two grassroots unions under Càng
Long: a school that does its year, and a clinic that falls behind. Each body has one person
who acts for it, so tests can act as them. ``World.feed`` gives the registry's published
facts to a reviews application, as the bus would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runtime.context import Actor, CommandContext, use_context
from services.registry.application import Registry

ADMIN = CommandContext(Actor("admin-1", "administrator"))


def acting(person_id: str, union_id: str | None = None) -> CommandContext:
    """The context of a person acting in a union's name."""
    return CommandContext(Actor(person_id, "official", union_id))


@dataclass
class World:
    registry: Any  # the Registry application, or RpcRegistry
    unions: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)

    def feed(self, app: Any) -> None:
        """Delivers every registry fact published so far to the reviews application."""
        page = self.registry.published_page(None, limit=1000)
        for envelope in page["envelopes"]:
            app.receive("registry", envelope, lambda **kw: self.registry.published_page(**kw))

    def as_(self, person: str) -> CommandContext:
        return acting(self.people[person])


def _committee(registry: Any, union_id: str, code: str, name: str,
               standing: bool) -> str:
    """An executive committee (and a standing committee drawn from it) with one chairman."""
    person = str(registry.register_person(code, name, "2019-06-01"))
    executive = str(registry.constitute_body(union_id, "executive_committee", f"BCH {code}",
                                             "2020-01-01"))
    registry.appoint(executive, person, "chairman", "2020-01-01")
    if standing:
        body = str(registry.constitute_body(union_id, "standing_committee", f"BTV {code}",
                                            "2020-01-01"))
        registry.appoint(body, person, "chairman", "2020-01-01")
    return person


UNIONS = [
    ("vn", "VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None, "1929-07-28"),
    ("tv", "TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation", "vn", "1990-01-01"),
    ("cl", "TV-CL", "Liên đoàn Lao động huyện Càng Long", "direct_superior", "tv", "1995-01-01"),
    ("ck", "TV-CK", "Liên đoàn Lao động huyện Cầu Kè", "direct_superior", "tv", "1995-01-01"),
    ("school", "CS-1", "Công đoàn cơ sở Trường THCS Càng Long", "grassroots", "cl", "2000-01-01"),
    ("clinic", "CS-2", "Công đoàn cơ sở Trạm Y tế Càng Long", "grassroots", "cl", "2001-01-01"),
]


class RpcRegistry:
    """The registry over RPC with the administrator's context, in the application's shape
    (the commands ``build`` uses take the same arguments by name)."""

    def __init__(self, processes: Any) -> None:
        self.processes = processes

    def __getattr__(self, method: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return self.processes.call("registry", method, *args, context=ADMIN, **kwargs)

        return call


def build(registry: Registry | RpcRegistry) -> World:
    """The province, founded and staffed in 2020 (before the years the tests review), by the
    registry application or over RPC."""
    world = World(registry)
    u, p = world.unions, world.people
    with use_context(ADMIN):
        for key, code, name, level, parent, founded_on in UNIONS:
            u[key] = str(registry.found_union(code=code, name=name, level=level,
                                              parent_id=u[parent] if parent else None,
                                              founded_on=founded_on))
        p["tv"] = _committee(registry, u["tv"], "CB-TV", "Kim Thị Sô Phia", True)
        p["cl"] = _committee(registry, u["cl"], "CB-CL", "Nguyễn Văn Long", True)
        p["ck"] = _committee(registry, u["ck"], "CB-CK", "Thạch Sa Rinh", True)
        for key, code, name in [("school", "DV-1", "Trần Thị Hồng"),
                                ("clinic", "DV-2", "Lê Văn Tâm")]:
            p[key] = str(registry.register_person(code, name, "2019-06-01", u[key]))
            body = str(registry.constitute_body(u[key], "executive_committee", f"BCH {code}",
                                                "2020-01-01"))
            registry.appoint(body, p[key], "chairman", "2020-01-01")
        p["school_member"] = str(registry.register_person("DV-3", "Phạm Văn Nam", "2019-06-01",
                                                          u["school"]))
        p["policy_law"] = str(registry.register_person("CB-CSPL", "Võ Thị Lan", "2019-06-01"))
        department = str(registry.constitute_body(u["tv"], "department",
                                                  "Ban Chính sách – Pháp luật", "2020-01-01",
                                                  department="policy_law"))
        registry.appoint(department, p["policy_law"], "head", "2020-01-01")
    return world


# --- R2.5: the awards' published decisions and nominations, as the reviews service keeps them ---

_AWARD_EVENTS = iter(range(1, 1_000_000))


def award_envelope(name: str, payload: dict[str, Any], originator: str) -> Any:
    """An awards published event as the bus would bring it (positions made up, increasing)."""
    from runtime.contracts import Envelope

    position = next(_AWARD_EVENTS)
    return Envelope(source="awards", notification_id=position, previous_id=None,
                    event_id=f"00000000-0000-4000-a000-{position:012d}", name=name, version=1,
                    originator_id=originator, originator_version=1, payload=payload)


def decided(award_id: str, union_id: str, year: int, number: str, decided_on: str,
            awardees: list[tuple[str, str, str]], form: str = "Giấy khen của Ban Chấp hành "
            "công đoàn cơ sở") -> Any:
    """``awards.award_decided``: ``awardees`` as (subject_id, name, achievement)."""
    return award_envelope("awards.award_decided", {
        "award_id": award_id, "union_id": union_id, "year": year, "number": number,
        "decided_on": decided_on, "submission_id": None,
        "form": {"code": "giay_khen_cdcs", "title": form, "kind": "reward",
                 "level": "grassroots"},
        "signer": {"person_id": awardees[0][0], "name": "Chủ tịch", "position": "chairman"},
        "awardees": [{"subject": "individual", "subject_id": s, "name": n, "achievement": a,
                      "initiative_ids": [], "nomination_id": award_id, "relies_on": []}
                     for s, n, a in awardees],
        "decision": {"authority": {}, "decided_on": decided_on, "reason": "Khen thưởng",
                     "evidence": [], "rule_set": {}, "number": number}}, award_id)


def nominated(nomination_id: str, union_id: str, to_union_id: str, year: int, subject_id: str,
              nominated_on: str, form: str = "giay_khen_cap_tren",
              subject: str = "individual", number: str | None = None) -> Any:
    """``awards.nominated``: a union's nomination, for its own decision or proposed upward."""
    return award_envelope("awards.nominated", {
        "nomination_id": nomination_id, "union_id": union_id, "to_union_id": to_union_id,
        "year": year, "subject": subject, "subject_id": subject_id, "form": form,
        "initiative_ids": [], "carries": None, "relies_on": [], "nominated_on": nominated_on,
        "evaluation": {"eligible": True, "as_of": nominated_on, "rule_set": {}, "criteria": []},
        "decision": {"authority": {}, "decided_on": nominated_on, "reason": "Đề nghị",
                     "evidence": [], "rule_set": {}, "number": number}}, nomination_id)


def deliver_awards(app: Any, *envelopes: Any) -> None:
    """Gives the reviews application the awards' published events, as its inbox would."""
    with app.engine.begin() as connection:
        app.award_facts.apply(connection, list(envelopes))
