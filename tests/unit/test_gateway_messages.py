"""R5.2: every error code has a message in Vietnamese and in English, the file has no entry
nobody uses, and the gateway answers in the language the caller's Accept-Language prefers."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import contracts
import runtime
import services
from gateway.messages import (
    GATEWAY_CODES,
    MESSAGES_FILE,
    UNKNOWN_CODE_MESSAGE,
    all_messages,
    language_from,
    message,
)
from runtime.errors import _BY_CODE

REPOSITORY = Path(__file__).resolve().parents[2]

# Modules imported in a child process instead of this one, and why: runtime.serve calls
# eventlet.monkey_patch() when imported, which would make threads, sockets and time green for
# every test that runs after this one.
IMPORTED_APART = {"runtime.serve": "monkey-patches the whole process for eventlet at import"}

_CHILD = ("import importlib, json, sys\n"
          "for name in sys.argv[1:]:\n"
          "    importlib.import_module(name)\n"
          "from runtime.errors import _BY_CODE\n"
          "print(json.dumps(sorted(c for c, k in _BY_CODE.items() if k.__module__.split('.')[0]\n"
          "                        in ('contracts', 'runtime', 'services'))))\n")


def _refuse(package: str) -> None:
    raise ImportError(f"the package {package} cannot be imported")


def _defined_here(cls: type) -> bool:
    return cls.__module__.split(".")[0] in ("contracts", "runtime", "services")


@pytest.fixture(scope="module")
def defined_codes() -> set[str]:
    """Every code a module under contracts/, runtime/ or services/ defines: all of them
    imported, then the registry read (other tests may register codes of their own: those
    are left out)."""
    names = [m.name for package in (contracts, runtime, services)
             for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".", onerror=_refuse)]
    assert set(IMPORTED_APART) <= set(names), "a module imported apart no longer exists"
    for name in names:
        if name not in IMPORTED_APART:
            importlib.import_module(name)
    codes = {code for code, cls in _BY_CODE.items() if _defined_here(cls)}
    child = subprocess.run([sys.executable, "-c", _CHILD, *IMPORTED_APART], cwd=REPOSITORY,
                           capture_output=True, text=True, check=True, timeout=120)
    codes |= set(json.loads(child.stdout.strip().splitlines()[-1]))
    assert len(codes) > 100  # the walk found the services, not an empty tree
    return codes


def _has_vietnamese_letters(text: str) -> bool:
    return any(not ch.isascii() for ch in text)


def test_r5_2_every_error_code_has_a_vietnamese_and_an_english_message(defined_codes: set[str]) -> None:
    entries = all_messages()
    missing = sorted((defined_codes | GATEWAY_CODES) - set(entries))
    assert not missing, f"no message for {missing}: add them to {MESSAGES_FILE.name}"
    for code, entry in entries.items():
        assert set(entry) == {"vi", "en"}, code
        assert entry["vi"].strip() and entry["en"].strip(), code


def test_r5_2_vietnamese_messages_are_nfc_with_diacritics_and_english_ones_are_english() -> None:
    for code, entry in all_messages().items():
        assert unicodedata.is_normalized("NFC", entry["vi"]), code
        assert _has_vietnamese_letters(entry["vi"]), f"{code}: Vietnamese without diacritics"
        assert entry["en"] != entry["vi"], code


def test_r5_2_messages_carry_no_placeholders() -> None:
    for code, entry in all_messages().items():
        for text in entry.values():
            assert not any(mark in text for mark in ("{", "}", "%s", "%(")), code


def test_r5_2_no_message_for_a_code_nobody_defines(defined_codes: set[str]) -> None:
    stale = sorted(set(all_messages()) - defined_codes - GATEWAY_CODES)
    assert not stale, f"messages for codes nobody defines: {stale}"


def test_r5_2_the_file_is_sorted_nfc_utf8_with_indent_2() -> None:
    raw = MESSAGES_FILE.read_text(encoding="utf-8")
    entries = json.loads(raw)
    assert list(entries) == sorted(entries)
    assert unicodedata.is_normalized("NFC", raw)
    assert raw == json.dumps(entries, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(("header", "language"), [
    (None, "vi"),
    ("", "vi"),
    ("en", "en"),
    ("en-US,en;q=0.9", "en"),
    ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
    ("vi;q=0.5, en", "en"),
    ("fr, en;q=0.1, vi;q=0.9", "vi"),
    ("fr, en;q=0.1", "en"),
    ("fr", "vi"),
    ("en;q=0", "vi"),
    ("EN-gb;Q=0.8", "en"),
    ("en, vi", "en"),  # equal weights: the one listed first
    ("vi, en", "vi"),
    ("*", "vi"),
    ("vi;q=0.5, *", "en"),  # anything else, English included, is preferred to Vietnamese
    ("en;q=2, vi;q=0.1", "vi"),  # a weight above 1 cannot be read: that entry is ignored
    ("en;q=abc", "vi"),
    ("!!!, ;;;, ,", "vi"),
    ("\x00en", "vi"),
])
def test_r5_2_language_from_accept_language(header: str | None, language: str) -> None:
    assert language_from(header) == language


def test_r5_2_message_in_the_language_asked_vietnamese_otherwise() -> None:
    entry = all_messages()["DOSSIER_INCOMPLETE"]
    assert message("DOSSIER_INCOMPLETE") == entry["vi"]
    assert message("DOSSIER_INCOMPLETE", "en") == entry["en"]
    assert message("DOSSIER_INCOMPLETE", "fr") == entry["vi"]
    assert "hồ sơ" in message("DOSSIER_INCOMPLETE").lower()


def test_r5_2_an_unknown_code_gets_a_generic_message_that_names_nothing() -> None:
    for language in ("vi", "en"):
        text = message("SOMETHING_FROM_A_NEWER_SERVICE", language)
        assert text == UNKNOWN_CODE_MESSAGE[language]
        assert "SOMETHING" not in text
        assert text != message("INTERNAL_ERROR", language)
    assert message("SOMETHING_FROM_A_NEWER_SERVICE", "de") == UNKNOWN_CODE_MESSAGE["vi"]
    assert _has_vietnamese_letters(UNKNOWN_CODE_MESSAGE["vi"])


def test_r5_2_a_refused_field_says_what_is_wrong_in_vietnamese_or_english() -> None:
    from gateway.messages import FIELD_PROBLEM_OTHER, FIELD_PROBLEMS, field_problem

    assert field_problem("string_too_long", {"max_length": 200}, "vi") == "Quá dài: tối đa 200 ký tự."
    assert field_problem("missing", None, "en") == "Required."
    assert field_problem("greater_than_equal", {"ge": 0}, "fr") == "Phải từ 0 trở lên."  # vi default
    assert field_problem("uuid_parsing", {}, "vi") == FIELD_PROBLEM_OTHER["vi"]
    assert field_problem("string_too_long", {}, "en") == FIELD_PROBLEM_OTHER["en"]  # no limit known
    assert all(set(texts) == {"vi", "en"} for texts in FIELD_PROBLEMS.values())


# --- the detail: one sentence about the refusal, in the caller's language ---------------------

# A refusal's details as the services send them, with every kind of specific a template may
# name (the ids are there to check they never reach the sentence).
UUID_TEXT = "0b5e3f0c-1d2a-4b7e-9f00-123456789abc"
RICH_DETAILS = {"field": "founded_on", "max_length": 200, "max_bytes": 8_388_608, "size": 0,
                "value": "2027-01-02", "today": "2026-12-04", "on": "2025-01-10",
                "earliest": "2025-02-01", "effective_on": "2025-01-10",
                "last_change_on": "2025-03-01", "starts_on": "2026-07-01",
                "classified_on": "2025-12-01", "corrected_on": "2025-11-01", "last_on": "2025-12-01",
                "total": 90, "attended": 2, "members": 5, "for": 3, "council_size": 5, "max": 10,
                "min_value_saved_vnd": 100_000_000, "value_saved_vnd": 12_500_000,
                "year": 2025, "number": "12/QĐ-LĐLĐ", "code": "CS-01", "codes": ["CS-01", "CS-02"],
                "username": "can.bo", "reference": "SK-2025-01", "union_id": UUID_TEXT,
                "status": "under_appraisal"}


def _english(text: str) -> bool:
    """English, with at most a Vietnamese word or two ("đồng")."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(not ch.isascii() for ch in letters) <= max(4, len(letters) // 50)


@pytest.mark.parametrize("details", [{}, RICH_DETAILS], ids=["no details", "every specific"])
def test_r5_2_every_code_has_a_detail_in_vietnamese_by_default_and_english_when_asked(
        details: dict[str, object]) -> None:
    from gateway.messages import detail

    for code in all_messages():
        vietnamese, english = detail(code, details), detail(code, details, "en")
        assert _has_vietnamese_letters(vietnamese) and vietnamese != english, (code, vietnamese)
        assert unicodedata.is_normalized("NFC", vietnamese), code
        assert _english(english), (code, english)
        for text in (vietnamese, english):
            assert UUID_TEXT not in text and "under_appraisal" not in text, (code, text)
            assert "founded_on" not in text and "{" not in text, (code, text)


def test_r5_2_every_detail_template_is_filled_from_its_details_in_both_languages() -> None:
    """Each template of details.json is used with the specifics it names: the first
    template of a code with only its own blanks given, and the sentence carries them as a
    person writes them (a label, dd/mm/yyyy, 8.388.608)."""
    import string

    from gateway.messages import DETAILS_FILE, detail

    templates = json.loads(DETAILS_FILE.read_text(encoding="utf-8"))
    assert set(templates) <= set(all_messages()), "a template for a code with no message"
    for code, variants in templates.items():
        for variant in variants:
            assert set(variant) == {"vi", "en"}, code
            names = {n for _, n, _, _ in string.Formatter().parse(variant["vi"]) if n}
            assert names == {n for _, n, _, _ in string.Formatter().parse(variant["en"]) if n}, code
            given = {name: RICH_DETAILS[name] for name in names}
            for language in ("vi", "en"):
                text = detail(code, given, language)
                assert text != message(code, language) and "{" not in text, (code, language)
    assert detail("INVALID_TEXT", {"field": "full_name", "max_length": 200}) \
        == "«Họ và tên» quá dài: tối đa 200 ký tự."
    assert detail("INVALID_TEXT", {"field": "full_name", "max_length": 200}, "en") \
        == "“Full name” is too long: at most 200 characters."
    assert detail("DATE_IN_FUTURE", {"field": "decided_on", "value": "2027-01-02",
                                     "today": "2026-12-04"}).startswith(
        "«Ngày quyết định» là ngày 02/01/2027, sau ngày hôm nay (04/12/2026)")
    assert "8.388.608 byte" in detail("PAYLOAD_TOO_LARGE", {"max_bytes": 8_388_608})
    assert "8,388,608 bytes" in detail("PAYLOAD_TOO_LARGE", {"max_bytes": 8_388_608}, "en")


def test_r5_2_a_detail_names_the_field_by_its_label_and_falls_back_to_the_message() -> None:
    from gateway.messages import detail, label

    assert label("name", "vi", "initiatives") == "Tên sáng kiến"
    assert label("name", "vi", "registry") != label("name", "vi", "initiatives")
    assert label("decision.signed_on") == "Ngày ký quyết định"
    assert label("authors.0.share") is None and label("members.2.person_id") == "Đoàn viên"
    assert label("fields.name") is None  # a union's own form: its label comes from the service
    # a code without a template: the field's label before the code's message
    assert detail("REASON_REQUIRED", {"field": "reason"}) \
        == f"Mục «Lý do»: {message('REASON_REQUIRED')}"
    assert detail("FIELD_MISSING", {"field": "fields.objective", "label": "Mục tiêu"}, "en") \
        == f"Field “Mục tiêu”: {message('FIELD_MISSING', 'en')}"
    # a field the dictionary does not know, a value that is not safe: the message alone
    assert detail("INVALID_DATE", {"field": "no_such_field"}) == message("INVALID_DATE")
    assert detail("DECISION_NUMBER_TAKEN", {"number": "<script>"}) \
        == message("DECISION_NUMBER_TAKEN")
    assert detail("SOMETHING_NEW", {"field": "reason"}, "en") \
        == f"Field “Reason”: {UNKNOWN_CODE_MESSAGE['en']}"


def test_r5_2_every_field_the_api_takes_or_a_service_names_has_a_label() -> None:
    """The dictionary covers every parameter of every command and query, and every field a
    service names in its refusals (read from their source), in both languages."""
    import ast

    from gateway.catalogue import operations
    from gateway.messages import FIELDS_FILE, field_labels, label

    names = {param.name for op in operations() for param in op.params}
    for path in [*REPOSITORY.glob("services/*/*.py"), *REPOSITORY.glob("runtime/*.py"),
                 *REPOSITORY.glob("gateway/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                names |= {v.value for k, v in zip(node.keys, node.values, strict=True)
                          if isinstance(k, ast.Constant) and k.value == "field"
                          and isinstance(v, ast.Constant) and isinstance(v.value, str)}
    unlabelled = sorted(n for n in names if label(n) is None or label(n, "en") is None)
    assert not unlabelled, f"add labels for {unlabelled} to {FIELDS_FILE.name}"
    labels = field_labels()
    for table in (labels["fields"], *labels["by_service"].values()):
        for name, entry in table.items():
            assert set(entry) == {"vi", "en"} and entry["vi"] and entry["en"], name
            assert unicodedata.is_normalized("NFC", entry["vi"]), name
    raw = FIELDS_FILE.read_text(encoding="utf-8")
    assert raw == json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n"


def test_r5_2_a_form_refused_field_by_field_says_which_fields_by_their_labels() -> None:
    from gateway.messages import field_errors_detail

    errors = [{"field": "title", "text": "Quá dài: tối đa 500 ký tự."},
              {"field": "year", "text": "Phải là số nguyên."}]
    text = field_errors_detail("VALIDATION_FAILED", errors, "vi", "initiatives")
    assert text == (f"{message('VALIDATION_FAILED')} Tên sáng kiến: Quá dài: tối đa 500 ký tự.; "
                    "Năm: Phải là số nguyên.")
    assert "title" not in text and "year" not in text
