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
          "print(json.dumps(sorted(c for c, k in _BY_CODE.items()\n"
          "                        if k.__module__.split('.')[0] in ('runtime', 'services'))))\n")


def _refuse(package: str) -> None:
    raise ImportError(f"the package {package} cannot be imported")


def _defined_here(cls: type) -> bool:
    return cls.__module__.split(".")[0] in ("runtime", "services")


@pytest.fixture(scope="module")
def defined_codes() -> set[str]:
    """Every code a module under runtime/ or services/ defines: all of them imported, then
    the registry read (other tests may register codes of their own: those are left out)."""
    names = [m.name for package in (runtime, services)
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
