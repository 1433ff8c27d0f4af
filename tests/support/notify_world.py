"""A province, its initiatives and reviews, and a notifications application fed with their
published events as its inboxes would be: for the notification tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from runtime.clock import FixedClock
from runtime.context import use_context
from services.initiatives.application import Initiatives
from services.notifications.application import Notifications
from services.registry.application import Registry
from tests.support.province import Province, acting, build, deliver

FIELDS = {"name": "Ứng dụng mã QR quản lý hồ sơ đoàn viên", "objective": "Giảm thời gian tra cứu",
          "implementation_steps": "Khảo sát; xây dựng; áp dụng thử",
          "scope_feasibility_time": "Toàn trường, từ quý II/2025",
          "expected_effectiveness": "Tiết kiệm 200 giờ công mỗi năm"}


@dataclass
class NotifyWorld:
    registry: Registry
    province: Province
    initiatives: Initiatives
    notifications: Notifications
    clock: FixedClock

    def person(self, letter: str) -> str:
        return self.province.people[letter]

    def as_(self, letter: str) -> Any:
        return use_context(acting(self.province.people[letter]))

    def register(self, reference: str = "SK-01", on: str = "2025-01-10") -> str:
        """An initiative registered at CS-1 (executive committee: A, B, C)."""
        with self.as_("D"):
            return str(self.initiatives.register(
                union_id=self.province.unions["CS-1"], reference=reference, kind="initiative",
                fields={**FIELDS, "name": f"{FIELDS['name']} {reference}"},
                authors=[{"person_id": self.person("D"), "share": 100}], registered_on=on))

    def feed(self, app: Notifications | None = None) -> None:
        """Every event published so far, delivered to the notifications application."""
        target = app or self.notifications
        deliver(self.registry, target)
        target.receive("initiatives", "catch-up",
                       lambda **kw: self.initiatives.published_page(**kw))

    def at(self, when: datetime) -> None:
        self.clock._at = when  # the clock is shared by the applications of the world


def make_world(settings: Any, clock: FixedClock) -> NotifyWorld:
    registry = Registry(settings)
    province = build(registry)
    initiatives = Initiatives(settings, clock=clock)
    deliver(registry, initiatives)
    return NotifyWorld(registry, province, initiatives, Notifications(settings, clock=clock), clock)
