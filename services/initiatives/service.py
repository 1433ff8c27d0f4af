"""The initiatives service's nameko entrypoints: one per command and query (R3.1–R3.8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nameko.rpc import RpcProxy

from runtime.adapter import (
    ApplicationProvider,
    EventSourcedService,
    consume_events,
    query,
    receive,
    rpc,
)
from services.initiatives.application import Initiatives


class InitiativesService(EventSourcedService):
    name = "initiatives"
    app = ApplicationProvider(Initiatives)
    registry = RpcProxy("registry")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @rpc
    def raise_idea(self, union_id: str, author_id: str, title: str, description: str,
                   raised_on: str) -> str:
        return self.app.raise_idea(union_id, author_id, title, description, raised_on)

    @rpc
    def coach_idea(self, idea_id: str, text: str, on: str) -> None:
        return self.app.coach_idea(idea_id, text, on)

    @rpc
    def withdraw_idea(self, idea_id: str, reason: str, on: str) -> None:
        return self.app.withdraw_idea(idea_id, reason, on)

    @query
    def get_idea(self, idea_id: str) -> dict[str, Any]:
        return self.app.get_idea(idea_id)

    @rpc
    def design_form(self, union_id: str, fields: list[dict[str, Any]], effective_on: str,
                    reason: str, number: str | None = None) -> int:
        return self.app.design_form(union_id, fields, effective_on, reason, number=number)

    @query
    def get_form(self, union_id: str, version: int | None = None,
                 as_of: str | None = None) -> dict[str, Any]:
        return self.app.get_form(union_id, version=version, as_of=as_of)

    @rpc
    def register(self, union_id: str, reference: str, kind: str, fields: dict[str, Any],
                 authors: list[dict[str, Any]], registered_on: str,
                 form_version: int | None = None, idea_id: str | None = None) -> str:
        return self.app.register(union_id, reference, kind, fields, authors, registered_on,
                                 form_version=form_version, idea_id=idea_id)

    @rpc
    def constitute_council(self, initiative_id: str, members: list[str], on: str,
                           reason: str, number: str | None = None) -> None:
        return self.app.constitute_council(initiative_id, members, on, reason, number=number)

    @rpc
    def record_evaluation(self, initiative_id: str, on: str,
                          scores: Mapping[str, Mapping[str, float]], votes: dict[str, str],
                          minutes: str | None = None) -> dict[str, Any]:
        return self.app.record_evaluation(initiative_id, on, scores, votes, minutes=minutes)

    @rpc
    def accept_topic(self, initiative_id: str, on: str, result: str, reason: str,
                     number: str | None = None) -> None:
        return self.app.accept_topic(initiative_id, on, result, reason, number=number)

    @rpc
    def recognise(self, initiative_id: str, decided_on: str, reason: str, number: str,
                  evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.recognise(initiative_id, decided_on, reason, number, evidence=evidence)

    @rpc
    def refuse(self, initiative_id: str, decided_on: str, reasons: str,
               number: str | None = None, evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.refuse(initiative_id, decided_on, reasons, number=number, evidence=evidence)

    @rpc
    def report_application(self, initiative_id: str, applied_from: str, benefit: str,
                           value_saved_vnd: int | str, reported_on: str,
                           applied_to: str | None = None) -> dict[str, Any]:
        return self.app.report_application(initiative_id, applied_from, benefit, value_saved_vnd, reported_on,
                                           applied_to=applied_to)

    @rpc
    def propose(self, initiative_id: str, proposed_on: str, reason: str,
                evidence: list[str] | None = None, number: str | None = None) -> dict[str, Any]:
        return self.app.propose(initiative_id, proposed_on, reason, evidence=evidence, number=number)

    @rpc
    def recognise_at_level(self, initiative_id: str, scope: str, decided_on: str, reason: str,
                           number: str, evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.recognise_at_level(initiative_id, scope, decided_on, reason, number,
                                           evidence=evidence)

    @rpc
    def decline_at_level(self, initiative_id: str, scope: str, decided_on: str, reasons: str,
                         number: str | None = None) -> dict[str, Any]:
        return self.app.decline_at_level(initiative_id, scope, decided_on, reasons, number=number)

    @rpc
    def adopt(self, initiative_id: str, union_id: str, adopted_on: str, reason: str,
              note: str | None = None) -> str:
        return self.app.adopt(initiative_id, union_id, adopted_on, reason, note=note)

    @rpc
    def report_replication(self, initiative_id: str, union_id: str, reported_on: str,
                           benefit: str, value_saved_vnd: int | str) -> dict[str, Any]:
        return self.app.report_replication(initiative_id, union_id, reported_on, benefit, value_saved_vnd)

    @rpc
    def revoke(self, initiative_id: str, decided_on: str, ground: str, reason: str,
               evidence: list[str] | None = None, number: str | None = None) -> dict[str, Any]:
        return self.app.revoke(initiative_id, decided_on, ground, reason, evidence=evidence, number=number)

    @query
    def known_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any]:
        return self.app.known_union(union_id, as_of=as_of)

    @query
    def get_initiative(self, initiative_id: str) -> dict[str, Any]:
        return self.app.get_initiative(initiative_id)

    @query
    def get_replication(self, initiative_id: str, union_id: str) -> dict[str, Any]:
        return self.app.get_replication(initiative_id, union_id)

    @query
    def overdue(self, union_id: str | None = None, as_of: str | None = None) -> list[dict[str, Any]]:
        return self.app.overdue(union_id=union_id, as_of=as_of)

    @query
    def tracking_book(self, union_id: str, period_from: str | None = None,
                      period_to: str | None = None, status: str | None = None,
                      offset: int = 0, limit: int = 100) -> dict[str, Any]:
        return self.app.tracking_book(union_id, period_from=period_from, period_to=period_to, status=status,
                                      offset=offset, limit=limit)

    @query
    def export_book(self, union_id: str, format: str = "csv", period_from: str | None = None,
                    period_to: str | None = None, status: str | None = None) -> dict[str, Any]:
        return self.app.export_book(union_id, format=format, period_from=period_from, period_to=period_to,
                                    status=status)

    @query
    def ideas(self, union_id: str, author_id: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
        return self.app.ideas(union_id, author_id=author_id, status=status)

    @query
    def statistics(self, union_ids: list[str], year: int) -> list[dict[str, Any]]:
        return self.app.statistics(union_ids, year)

    @query
    def replications(self, union_id: str) -> list[dict[str, Any]]:
        return self.app.replications(union_id)

    @query
    def registrants(self, union_id: str, year: int) -> dict[str, Any]:
        return self.app.registrants(union_id, year)


SERVICE = InitiativesService
