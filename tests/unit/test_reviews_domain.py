"""The reviews domain without a store: periods, the rule books, corrections that keep what
they supersede, difficulty threads in order, and the published contracts (R2.1–R2.8)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from runtime.contracts import Catalog
from runtime.errors import DomainError
from runtime.rules import RuleBook
from runtime.text import search_key
from services.reviews.domain import Classification, Difficulty, Period, Pledge, score_on_scale
from services.reviews.published import RULES

UNION, UPPER = uuid.uuid4(), uuid.uuid4()
DECISION = {"reason": "x"}


def test_r2_4_periods_are_years_and_half_years() -> None:
    h1, h2, year = Period.parse("2025-H1"), Period.parse("2025-H2"), Period.parse(2025)
    assert (h1.start, h1.end, h2.start, h2.end) == (date(2025, 1, 1), date(2025, 6, 30),
                                                    date(2025, 7, 1), date(2025, 12, 31))
    assert (str(year), year.kind.value, h2.kind.value) == ("2025", "annual", "half_year")
    for bad in ("2025-H3", "25", "2025-Q1", None, "năm 2025"):
        with pytest.raises(DomainError) as caught:
            Period.parse(bad)
        assert caught.value.code == "INVALID_PERIOD"


def test_r2_6_the_grades_cover_the_whole_scale_from_the_top_down() -> None:
    rules = RuleBook.load("classification").in_force(date(2026, 2, 10))
    minimums = [g["min"] for g in rules["grades"]]
    assert minimums == sorted(minimums, reverse=True) and minimums[-1] == 0
    assert rules["grades"][0]["code"] == "vung_manh" and rules["scale"] == 100
    assert score_on_scale(100, "s", 100) == 100.0
    with pytest.raises(DomainError) as caught:
        score_on_scale(100.01, "s", 100)
    assert caught.value.code == "SCORE_OUT_OF_SCALE"
    with pytest.raises(DomainError):
        RuleBook.load("classification").in_force(date(2019, 12, 31))  # no rules then


def test_r2_3_the_movements_content_is_found_whatever_the_diacritics() -> None:
    terms = list(RuleBook.load("reviews").in_force(date(2025, 1, 1))["pledge_required_terms"])
    text = "Thực hiện phong trào ĐỔI MỚI, SÁNG TẠO, HIỆU QUẢ"
    assert Pledge.missing_content(text, terms, search_key(text)) == []
    assert Pledge.missing_content("Sáng tạo", terms, search_key("Sáng tạo")) == ["doi moi", "hieu qua"]


def test_r2_6_a_correction_keeps_what_it_supersedes() -> None:
    c = Classification(UNION, 2025, UPPER, date(2026, 2, 10), 95.0, 92.0, "vung_manh", [], DECISION)
    c.correct(UPPER, date(2026, 2, 12), 78.0, "kha", ["phúc tra"], DECISION)
    assert (c.grade, c.self_score, c.history[0]["grade"]) == ("kha", 95.0, "vung_manh")
    with pytest.raises(DomainError) as caught:
        c.correct(UPPER, date(2026, 2, 1), 80.0, "tot", [], DECISION)
    assert caught.value.code == "THREAD_DATES_OUT_OF_ORDER"
    assert len(c.history) == 1


def test_r2_8_a_thread_runs_forward_in_time() -> None:
    d = Difficulty(UNION, UPPER, date(2025, 9, 1), "Kinh phí", "Chưa có quy chế", {})
    d.answer(date(2025, 9, 10), "Trả lời", {})
    with pytest.raises(DomainError):
        d.follow_up(date(2025, 9, 9), "Hỏi thêm", {})
    assert [m["kind"] for m in d.thread] == ["report", "answer"]


def test_every_published_rule_has_its_contract() -> None:
    catalog = Catalog.load()
    names = [rule.name for rule in RULES]
    for rule in RULES:
        schema = catalog.contract(rule.name, rule.version).schema
        assert schema["additionalProperties"] is False
    assert {"reviews.movement_launched", "reviews.dissemination_recorded", "reviews.pledge_signed",
            "reviews.half_year_review_held", "reviews.annual_review_held",
            "reviews.union_classified", "reviews.review_overdue"} <= set(names)
