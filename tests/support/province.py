"""A small province in the registry, and its facts delivered to another service, for the
tests of the services that judge authority by them (initiatives, reviews, awards).

    VN ─ TV (provincial federation; standing committee: H; Policy–Law department: P)
          ├─ TV-CL (direct superior; standing committee: G)
          │    ├─ CS-1 (grassroots; executive committee: A chairman, B, C; incubation team: B)
          │    │        members A B C D E
          │    └─ CS-2 (grassroots; executive committee: F) member F, K
          ├─ TV-CK (direct superior; standing committee: I)
          └─ CS-VP (grassroots directly under the province; executive committee: J) member J
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts.registry import POLICY_LAW
from runtime.context import Actor, CommandContext, use_context
from services.registry.application import Registry

ADMIN = CommandContext(actor=Actor("admin", "administrator"))
# what a union calls its bodies: the names a person reads on every screen
BODY_NAMES = {"executive_committee": "Ban Chấp hành", "standing_committee": "Ban Thường vụ",
              "department": "Ban", "idea_incubation_team": "Tổ ươm tạo ý tưởng",
              "initiative_support_team": "Tổ hỗ trợ sáng kiến"}
TERM = "2020-01-01"


def acting(person_id: str, union_id: str | None = None) -> CommandContext:
    """The context of a person acting (the gateway will set it from their login)."""
    return CommandContext(actor=Actor(person_id, "official", union_id))


@dataclass
class Province:
    unions: dict[str, str] = field(default_factory=dict)  # code -> id
    people: dict[str, str] = field(default_factory=dict)  # letter -> id
    bodies: dict[str, str] = field(default_factory=dict)  # "<code>/<kind>" -> id


def build(registry: Any) -> Province:
    """Builds the province through the registry's commands: ``registry`` is a ``Registry``
    application or anything with the same methods (an RPC proxy)."""
    p = Province()
    with use_context(ADMIN):
        def union(code: str, name: str, level: str, parent: str | None) -> None:
            p.unions[code] = str(registry.found_union(
                code, name, level, parent_id=p.unions[parent] if parent else None, founded_on=TERM))

        union("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None)
        union("TV", "Liên đoàn Lao động tỉnh Trà Vinh", "provincial_federation", "VN")
        union("TV-CL", "Liên đoàn Lao động huyện Càng Long", "direct_superior", "TV")
        union("TV-CK", "Liên đoàn Lao động huyện Cầu Kè", "direct_superior", "TV")
        union("CS-1", "Công đoàn cơ sở Trường Tiểu học Càng Long", "grassroots", "TV-CL")
        union("CS-2", "Công đoàn cơ sở Bệnh viện huyện Càng Long", "grassroots", "TV-CL")
        union("CS-VP", "Công đoàn Văn phòng UBND tỉnh", "grassroots", "TV")

        def person(letter: str, name: str, code: str | None, official: bool = False) -> None:
            p.people[letter] = str(registry.register_person(
                f"P-{letter}", name, TERM, p.unions[code] if code else None,
                is_official=official, is_full_time=official and letter in "AGH"))

        for letter, name, code, official in [
                ("A", "Nguyễn Văn An", "CS-1", True), ("B", "Trần Thị Bình", "CS-1", True),
                ("C", "Lê Văn Cường", "CS-1", True), ("D", "Thạch Thị Sa Rai", "CS-1", False),
                ("E", "Kim Sóc Phol", "CS-1", False), ("F", "Phạm Văn Phúc", "CS-2", True),
                ("K", "Đỗ Thị Kiều", "CS-2", False), ("J", "Võ Văn Nam", "CS-VP", True),
                ("G", "Huỳnh Văn Giàu", None, True), ("H", "Lâm Thị Hạnh", None, True),
                ("I", "Sơn Văn Ích", None, True), ("P", "Ngô Thị Pháp", None, True)]:
            person(letter, name, code, official)

        def body(code: str, kind: str, members: str, department: str | None = None,
                 decision: dict[str, Any] | None = None) -> None:
            body_id = str(registry.constitute_body(p.unions[code], kind, f"{BODY_NAMES[kind]} {code}", TERM,
                                                   None, department, decision))
            p.bodies[f"{code}/{kind}"] = body_id
            for number, letter in enumerate(members):
                registry.appoint(body_id, p.people[letter],
                                 ("head" if kind == "department" else
                                  "leader" if kind.endswith("team") else "chairman")
                                 if number == 0 else "member", TERM)

        body("CS-1", "executive_committee", "ABC")
        body("CS-1", "idea_incubation_team", "B",
             decision={"number": "01/QĐ-CĐCS", "signed_on": TERM})
        body("CS-2", "executive_committee", "F")
        body("CS-VP", "executive_committee", "J")
        for code, letter in (("TV-CL", "G"), ("TV-CK", "I"), ("TV", "H")):
            body(code, "executive_committee", letter)
            body(code, "standing_committee", letter)
        body("TV", "department", "P", department=POLICY_LAW)
    return p


class RpcRegistry:
    """The registry's RPC interface with the administrator's context, shaped like the
    application so ``build`` drives it (``processes`` is a ``tests.support.processes.Processes``)."""

    def __init__(self, processes: Any) -> None:
        self.processes = processes

    def __getattr__(self, method: str) -> Any:
        return lambda *args, **kwargs: self.processes.call("registry", method, *args,
                                                           context=ADMIN, **kwargs)


def deliver(registry: Registry, *consumers: Any) -> None:
    """Hands every registry envelope not yet seen to each consumer, as its inbox would."""
    def pull(**kwargs: Any) -> dict[str, Any]:
        return registry.published_page(**kwargs)

    for consumer in consumers:
        consumer.receive("registry", "catch-up", pull)
