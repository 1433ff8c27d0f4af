"""Dated, versioned rule sets, and the decision record every decision stores.

The rules that shape a decision (the two-thirds vote and the 3-month limit of Decree
13/2012/NĐ-CP, the classification grades and their scale, the award forms of 999/QĐ-TLĐ)
change by law, so they are data, not constants: ``contracts/rules/<name>.json`` holds every
version of one rule book, each with the date it came into force and its legal basis. A
decision applies the version in force on its own date and records which it was, so an
auditor replays it under the rules it was made under (R4.5, MISSION "Rules beyond the seed").

``decision_record`` is the one shape of "who decided, on what authority, when, why, on what
evidence, under which rules" stored inside every decision event (the actor and the recorded
time are in every event's metadata too, from the command context).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from runtime.errors import Conflict, InvalidInput
from runtime.text import clean_text

RULES_DIR = Path(__file__).resolve().parent.parent / "contracts" / "rules"


class NoRuleSetInForce(Conflict):
    """No version of the rule book was in force on the decision's date."""

    code = "NO_RULE_SET_IN_FORCE"


class ScoreOutOfScale(InvalidInput):
    """A score outside the scale its rule set gives (a council's marks, a classification)."""

    code = "SCORE_OUT_OF_SCALE"


class ReasonRequired(InvalidInput):
    code = "REASON_REQUIRED"


@dataclass(frozen=True)
class RuleSet:
    book: str
    version: str
    in_force_from: date
    basis: tuple[str, ...]  # the legal texts this version restates
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def ref(self) -> dict[str, str]:
        return {"book": self.book, "version": self.version,
                "in_force_from": self.in_force_from.isoformat()}


class RuleBook:
    """Every version of one book of rules; ``in_force(on)`` picks the one for a date."""

    def __init__(self, name: str, versions: Iterable[RuleSet]) -> None:
        self.name = name
        self.versions = sorted(versions, key=lambda v: v.in_force_from)
        if not self.versions:
            raise ValueError(f"rule book {name} has no versions")

    @classmethod
    def load(cls, name: str, directory: Path = RULES_DIR) -> RuleBook:
        return _load(name, directory)

    def in_force(self, on: date) -> RuleSet:
        found = [v for v in self.versions if v.in_force_from <= on]
        if not found:
            raise NoRuleSetInForce(
                f"no version of the {self.name} rules was in force on {on}",
                {"book": self.name, "on": on.isoformat(),
                 "earliest": self.versions[0].in_force_from.isoformat()})
        return found[-1]

    def version(self, version: str) -> RuleSet:
        for candidate in self.versions:
            if candidate.version == version:
                return candidate
        raise KeyError(version)


@cache
def _load(name: str, directory: Path) -> RuleBook:
    data = json.loads((directory / f"{name}.json").read_text("utf-8"))
    return RuleBook(name, [
        RuleSet(book=name, version=v["version"], in_force_from=date.fromisoformat(v["in_force_from"]),
                basis=tuple(v.get("basis", ())), values=v.get("values", {}))
        for v in data["versions"]])


def clean_evidence(evidence: object) -> list[str]:
    """References to the documents a decision rests on (minutes, reports, files)."""
    if evidence is None:
        return []
    if not isinstance(evidence, list | tuple):
        raise InvalidInput("evidence must be a list of references", {"field": "evidence"})
    return [clean_text(item, "evidence", 500) for item in evidence]


def clean_reason(reason: object, field: str = "reason") -> str:
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        raise ReasonRequired(f"a decision states its {field}", {"field": field})
    return clean_text(reason, field, 4000)


def decision_record(authority: Mapping[str, Any], decided_on: date, reason: object,
                    rules: RuleSet, evidence: object = None,
                    number: object = None) -> dict[str, Any]:
    """What a decision event stores about itself (R4.5): the authority it was made under
    (the body in office and the actor's seat on it, as of the date), the date, the reason,
    the evidence, the rule-set version and, if it has one, the decision's own number."""
    return {"authority": dict(authority), "decided_on": decided_on.isoformat(),
            "reason": clean_reason(reason), "evidence": clean_evidence(evidence),
            "rule_set": rules.ref(),
            "number": clean_text(number, "number", 64) if number is not None else None}
