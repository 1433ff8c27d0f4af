"""The awards service's nameko entrypoints: an index of what the service does.

Thin: each entrypoint hands its arguments to the application (``Awards``); the actor context
comes from the RPC headers, and domain errors cross RPC typed with their codes. The facts it
judges by arrive as the registry's, the initiatives' and the reviews' published events.
"""

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
from services.awards.application import Awards


class AwardsService(EventSourcedService):
    name = "awards"
    app = ApplicationProvider(Awards)
    registry = RpcProxy("registry")
    initiatives = RpcProxy("initiatives")
    reviews = RpcProxy("reviews")

    @consume_events("registry")
    def on_registry_event(self, message: Any) -> str:
        return receive(self.app, "registry", self.registry, message)

    @consume_events("initiatives")
    def on_initiatives_event(self, message: Any) -> str:
        return receive(self.app, "initiatives", self.initiatives, message)

    @consume_events("reviews")
    def on_reviews_event(self, message: Any) -> str:
        return receive(self.app, "reviews", self.reviews, message)

    # --- commands (R4.1–R4.5) ---------------------------------------------------------------

    @rpc
    def attest(self, union_id: str, subject: str, subject_id: str, year: Any, attested_on: str,
               statement: str, evidence: list[str], met: bool = True) -> str:
        return self.app.attest(union_id, subject, subject_id, year, attested_on, statement,
                               evidence, met)

    @rpc
    def nominate(self, union_id: str, subject: str, subject_id: str, year: Any, form: str,
                 achievement: str, nominated_on: str, initiative_ids: list[str] | None = None,
                 carries: str | None = None, reason: str | None = None,
                 evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.nominate(union_id, subject, subject_id, year, form, achievement,
                                 nominated_on, initiative_ids, carries, reason, evidence)

    @rpc
    def hold_selection(self, union_id: str, held_on: str, attendees: list[str],
                       votes: Mapping[str, Mapping[str, int]], minutes: str,
                       evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.hold_selection(union_id, held_on, attendees, votes, minutes, evidence)

    @rpc
    def draft_submission(self, union_id: str, year: Any, nomination_ids: list[str],
                         drafted_on: str) -> str:
        return self.app.draft_submission(union_id, year, nomination_ids, drafted_on)

    @rpc
    def attach_document(self, submission_id: str, kind: str, filename: str, media_type: str,
                        content_base64: str, attached_on: str, nomination_id: str | None = None,
                        title: str | None = None) -> dict[str, Any]:
        return self.app.attach_document(submission_id, kind, filename, media_type,
                                        content_base64, attached_on, nomination_id, title)

    @rpc
    def submit(self, submission_id: str, submitted_on: str, number: str | None = None,
               reason: str | None = None, evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.submit(submission_id, submitted_on, number, reason, evidence)

    @rpc
    def return_submission(self, submission_id: str, returned_on: str, reason: str,
                          missing: list[str], evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.return_submission(submission_id, returned_on, reason, missing, evidence)

    @rpc
    def decide_award(self, union_id: str, form: str, decided_on: str, number: str,
                     nomination_ids: list[str], reason: str, signer_id: str | None = None,
                     evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.decide_award(union_id, form, decided_on, number, nomination_ids, reason,
                                     signer_id, evidence)

    @rpc
    def revoke_award(self, award_id: str, revoked_on: str, ground: str, reason: str,
                     recovery: Mapping[str, Any], subject_id: str | None = None,
                     number: str | None = None, evidence: list[str] | None = None) -> dict[str, Any]:
        return self.app.revoke_award(award_id, revoked_on, ground, reason, recovery, subject_id,
                                     number, evidence)

    # --- queries ------------------------------------------------------------------------------

    @query
    def evaluate(self, subject: str, subject_id: str, year: Any, form: str | None = None,
                 as_of: str | None = None, initiative_ids: list[str] | None = None) -> dict[str, Any]:
        return self.app.evaluate(subject, subject_id, year, form, as_of, initiative_ids)

    @query
    def cited_events(self, event_ids: list[str]) -> list[dict[str, Any]]:
        return self.app.cited_events(event_ids)

    @query
    def forms(self, as_of: str | None = None) -> dict[str, Any]:
        return self.app.forms(as_of)

    @query
    def get_nomination(self, nomination_id: str) -> dict[str, Any]:
        return self.app.get_nomination(nomination_id)

    @query
    def nominations(self, union_id: str | None = None, to_union_id: str | None = None,
                    year: Any = None, status: str | None = None) -> list[dict[str, Any]]:
        return self.app.nominations(union_id, to_union_id, year, status)

    @query
    def proceedings(self, nomination_id: str) -> dict[str, Any]:
        return self.app.proceedings(nomination_id)

    @query
    def get_submission(self, submission_id: str) -> dict[str, Any]:
        return self.app.get_submission(submission_id)

    @query
    def submissions(self, to_union_id: str | None = None, union_id: str | None = None,
                    status: str | None = None) -> list[dict[str, Any]]:
        return self.app.submissions(to_union_id, union_id, status)

    @query
    def dossier_check(self, submission_id: str, as_of: str | None = None) -> dict[str, Any]:
        return self.app.dossier_check(submission_id, as_of)

    @query
    def get_document(self, sha256: str) -> dict[str, Any]:
        return self.app.get_document(sha256)

    @query
    def get_award(self, award_id: str) -> dict[str, Any]:
        return self.app.get_award(award_id)

    @query
    def awards(self, union_id: str | None = None, year: Any = None,
               subject_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        return self.app.awards(union_id, year, subject_id, status)

    @query
    def render_submission_letter(self, submission_id: str, place: str,
                                 signer_id: str | None = None) -> dict[str, Any]:
        return self.app.render_submission_letter(submission_id, place, signer_id)

    @query
    def render_decision(self, award_id: str, place: str) -> dict[str, Any]:
        return self.app.render_decision(award_id, place)

    @query
    def render_award_list(self, award_id: str) -> dict[str, Any]:
        return self.app.render_award_list(award_id)

    @query
    def known_union(self, union_id: str, as_of: str | None = None) -> dict[str, Any] | None:
        return self.app.known_union(union_id, as_of)


SERVICE = AwardsService
