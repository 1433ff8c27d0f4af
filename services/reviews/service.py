"""The reviews service's nameko entrypoints: an index of what the service does.

Thin: each entrypoint hands its arguments to the application (``Reviews``); the actor
context comes from the RPC headers, and domain errors cross RPC typed with their codes.
"""

from __future__ import annotations

from typing import Any

from nameko.rpc import RpcProxy
from nameko.timer import Timer

from runtime.adapter import (
    ApplicationProvider,
    EventSourcedService,
    consume_events,
    query,
    receive,
    rpc,
)
from runtime.config import Settings
from services.reviews.application import Reviews


class SweepTimer(Timer):
    """nameko's timer with its interval read when the service starts, not at import
    (``EMU_OVERDUE_SWEEP_INTERVAL`` seconds, an hour by default)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(interval=3600, **kwargs)

    def setup(self) -> None:
        self.interval = Settings.from_env().number("EMU_OVERDUE_SWEEP_INTERVAL", 3600.0)
        super().setup()


sweep = SweepTimer.decorator


class ReviewsService(EventSourcedService):
    name = "reviews"
    app = ApplicationProvider(Reviews)
    registry = RpcProxy("registry")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @sweep()
    def sweep_overdue(self) -> int:
        return self.app.flag_overdue()

    # --- commands (R2.1–R2.8) ---------------------------------------------------------------

    @rpc
    def launch(self, union_id: str, year: Any, launched_on: str, title: str, plan: str,
               evidence: list[str] | None = None, number: str | None = None) -> str:
        return self.app.launch(union_id, year, launched_on, title, plan, evidence, number)

    @rpc
    def record_dissemination(self, union_id: str, year: Any, kind: str, held_on: str, title: str,
                             audience: str, reach: int) -> str:
        return self.app.record_dissemination(union_id, year, kind, held_on, title, audience, reach)

    @rpc
    def sign_pledge(self, union_id: str, year: Any, signed_on: str, content: str,
                    commitments: list[str] | None = None, evidence: list[str] | None = None) -> str:
        return self.app.sign_pledge(union_id, year, signed_on, content, commitments, evidence)

    @rpc
    def hold_half_year_review(self, union_id: str, period: str, held_on: str, summary: str,
                              findings: list[str], evidence: list[str] | None = None) -> str:
        return self.app.hold_half_year_review(union_id, period, held_on, summary, findings, evidence)

    @rpc
    def hold_annual_review(self, union_id: str, year: Any, held_on: str, results: str,
                           self_score: float, rewards_given: list[dict[str, str]] | None = None,
                           rewards_proposed: list[dict[str, str]] | None = None,
                           evidence: list[str] | None = None) -> str:
        return self.app.hold_annual_review(union_id, year, held_on, results, self_score,
                                           rewards_given, rewards_proposed, evidence)

    @rpc
    def classify(self, union_id: str, year: Any, upper_union_id: str, classified_on: str,
                 appraised_score: float, findings: list[str] | None = None,
                 reason: str | None = None, evidence: list[str] | None = None,
                 number: str | None = None) -> dict[str, Any]:
        return self.app.classify(union_id, year, upper_union_id, classified_on, appraised_score,
                                 findings, reason, evidence, number)

    @rpc
    def correct_classification(self, union_id: str, year: Any, upper_union_id: str,
                               corrected_on: str, appraised_score: float, reason: str,
                               findings: list[str] | None = None,
                               evidence: list[str] | None = None,
                               number: str | None = None) -> dict[str, Any]:
        return self.app.correct_classification(union_id, year, upper_union_id, corrected_on,
                                               appraised_score, reason, findings, evidence, number)

    @rpc
    def report_difficulty(self, union_id: str, reported_on: str, subject: str,
                          description: str) -> str:
        return self.app.report_difficulty(union_id, reported_on, subject, description)

    @rpc
    def answer_difficulty(self, difficulty_id: str, answered_on: str, answer: str) -> None:
        self.app.answer_difficulty(difficulty_id, answered_on, answer)

    @rpc
    def follow_up_difficulty(self, difficulty_id: str, on: str, text: str) -> None:
        self.app.follow_up_difficulty(difficulty_id, on, text)

    @rpc
    def flag_overdue(self) -> int:
        return self.app.flag_overdue()

    # --- queries ------------------------------------------------------------------------------

    @query
    def get_classification(self, union_id: str, year: Any) -> dict[str, Any]:
        return self.app.get_classification(union_id, year)

    @query
    def get_difficulty(self, difficulty_id: str) -> dict[str, Any]:
        return self.app.get_difficulty(difficulty_id)

    @query
    def difficulties(self, union_id: str | None = None,
                     federation_id: str | None = None) -> list[dict[str, Any]]:
        return self.app.difficulties(union_id, federation_id)

    @query
    def schedule(self, union_id: str, year: Any, as_of: str | None = None) -> dict[str, Any]:
        return self.app.schedule(union_id, year, as_of)

    @query
    def overdue(self, upper_union_id: str, as_of: str | None = None) -> list[dict[str, Any]]:
        return self.app.overdue(upper_union_id, as_of)

    @query
    def score_gap(self, year: Any, union_id: str | None = None,
                  upper_union_id: str | None = None) -> dict[str, Any]:
        return self.app.score_gap(year, union_id, upper_union_id)

    @query
    def registry_position(self) -> int | None:
        """The registry's last log position whose facts this service has processed."""
        return self.app.last_processed("registry")

    @query
    def known_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any] | None:
        """The union as this service knows it from the registry's facts (None if unknown)."""
        return self.app.known_union(union_id, as_of)


SERVICE = ReviewsService
