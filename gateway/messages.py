"""The words a person reads when a request is refused: Vietnamese by default, English on
request (R5.2: problem details with a Vietnamese message).

A refusal carries a stable ``code`` and its ``details``; the gateway adds a message a union
office clerk understands. The messages live in ``contracts/errors/messages.json``, one entry per
code with ``vi`` and ``en``, so front ends and translators read the file the gateway serves. A
test keeps the file in step with every code the runtime and the services define, plus
``GATEWAY_CODES``, the gateway's own refusals.

A message is fixed text: the specifics (which field, which union, which version) travel in the
error's ``details``, never inside the message, so nothing is formatted and nothing secret leaks
through it. This module only reads that file; it never decides which code a failure gets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

MESSAGES_FILE = Path(__file__).resolve().parent.parent / "contracts" / "errors" / "messages.json"

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

# Codes the gateway itself answers with (no service defines them); an entry in the file for a
# code that is neither here nor defined by a service is stale.
GATEWAY_CODES = frozenset({
    "PRECONDITION_INVALID", "URI_TOO_LONG", "VALIDATION_FAILED", "MALFORMED_JSON", "UNKNOWN_FIELD",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE", "UNAUTHENTICATED", "TOKEN_EXPIRED", "TOKEN_INVALID", "LOGIN_FAILED",
    "OUTSIDE_YOUR_SCOPE", "ROLE_NOT_ALLOWED", "READ_ONLY_ROLE", "IDEMPOTENCY_KEY_REUSED",
    "IDEMPOTENCY_IN_PROGRESS", "VERSION_CONFLICT", "PRECONDITION_REQUIRED", "SERVICE_UNAVAILABLE",
    "SERVICE_TIMEOUT", "NOT_FOUND", "METHOD_NOT_ALLOWED", "PAGE_TOO_LARGE", "INTERNAL_ERROR",
    "USER_EXISTS", "USER_NOT_FOUND", "ACCOUNT_DISABLED", "LOGIN_THROTTLED", "PASSWORD_CHANGE_REQUIRED",
    "PASSWORD_LENGTH", "PASSWORD_UNCHANGED", "CURRENT_PASSWORD_WRONG", "LAST_ROLE", "ROLE_NOT_HELD",
    "CANNOT_DISABLE_SELF",
})

# For a code the file does not know (a newer service than this gateway): says nothing about
# what failed, so it cannot reveal anything the caller should not see.
UNKNOWN_CODE_MESSAGE: Mapping[str, str] = {
    "vi": "Không thể thực hiện yêu cầu. Vui lòng thử lại hoặc liên hệ bộ phận quản trị hệ thống.",
    "en": "The request could not be completed. Please try again or contact the system administrators.",
}

# One entry of Accept-Language (RFC 9110 §12.5.4): a language range and an optional weight.
_RANGE = re.compile(r"\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_WEIGHT = re.compile(r"[qQ]\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)")


@cache
def all_messages() -> Mapping[str, Mapping[str, str]]:
    """Every code's messages, ``{code: {"vi": ..., "en": ...}}``, read once per process."""
    with MESSAGES_FILE.open(encoding="utf-8") as stream:
        loaded: dict[str, dict[str, str]] = json.load(stream)
    return loaded


def message(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The message for a code in ``vi`` or ``en``; any other language gets Vietnamese."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    entry = all_messages().get(code)
    return entry[language] if entry is not None else UNKNOWN_CODE_MESSAGE[language]


def language_from(accept_language: str | None) -> str:
    """``en`` when the Accept-Language header weighs English above Vietnamese, else ``vi``.

    Each language gets the weight of the entries naming it (``en``, ``en-US``) or, failing
    those, of ``*``; equal weights go to the one listed first. Entries that cannot be read
    are ignored, so a missing or garbled header means Vietnamese.
    """
    named: dict[str, tuple[float, int]] = {}  # language -> (weight, position) of its best entry
    anything: tuple[float, int] | None = None
    for position, item in enumerate((accept_language or "").split(",")):
        parts = [part.strip() for part in item.split(";")]
        if not _RANGE.fullmatch(parts[0]):
            continue
        weight = 1.0
        if len(parts) > 1:
            found = _WEIGHT.fullmatch(parts[1])
            if found is None:
                continue
            weight = float(found.group(1))
        tag = parts[0].lower()
        best = (weight, -position)  # the higher weight, then the earlier entry
        if tag == "*":
            anything = max(anything, best) if anything else best
        else:
            primary = tag.split("-")[0]
            named[primary] = max(named[primary], best) if primary in named else best
    english, vietnamese = (named.get(lang, anything) or (0.0, 0) for lang in ("en", "vi"))
    return "en" if english[0] > 0 and english > vietnamese else DEFAULT_LANGUAGE


# What is wrong with one field of a request the API's document refuses (pydantic's error
# types), for a form to show beside the field. Fixed text with the limit from the schema, if
# any; the field itself is named by ``field`` in the same entry, never inside the text.
FIELD_PROBLEMS: Mapping[str, Mapping[str, str]] = {
    "missing": {"vi": "Bắt buộc phải nhập.", "en": "Required."},
    "string_too_short": {"vi": "Không được để trống.", "en": "Must not be empty."},
    "string_too_long": {"vi": "Quá dài: tối đa {max_length} ký tự.",
                        "en": "Too long: at most {max_length} characters."},
    "too_short": {"vi": "Cần ít nhất {min_length} mục.", "en": "At least {min_length} items."},
    "too_long": {"vi": "Tối đa {max_length} mục.", "en": "At most {max_length} items."},
    "greater_than_equal": {"vi": "Phải từ {ge} trở lên.", "en": "Must be {ge} or more."},
    "greater_than": {"vi": "Phải lớn hơn {gt}.", "en": "Must be more than {gt}."},
    "less_than_equal": {"vi": "Không được quá {le}.", "en": "Must be {le} or less."},
    "less_than": {"vi": "Phải nhỏ hơn {lt}.", "en": "Must be less than {lt}."},
    "int_parsing": {"vi": "Phải là số nguyên.", "en": "Must be a whole number."},
    "int_type": {"vi": "Phải là số nguyên.", "en": "Must be a whole number."},
    "int_from_float": {"vi": "Phải là số nguyên.", "en": "Must be a whole number."},
    "float_parsing": {"vi": "Phải là số.", "en": "Must be a number."},
    "float_type": {"vi": "Phải là số.", "en": "Must be a number."},
    "bool_parsing": {"vi": "Phải là có hoặc không.", "en": "Must be yes or no."},
    "bool_type": {"vi": "Phải là có hoặc không.", "en": "Must be yes or no."},
    "string_type": {"vi": "Phải là văn bản.", "en": "Must be text."},
    "list_type": {"vi": "Phải là một danh sách.", "en": "Must be a list."},
    "dict_type": {"vi": "Phải là một nhóm thông tin.", "en": "Must be a group of fields."},
    "extra_forbidden": {"vi": "Trường này không có trong biểu mẫu.",
                        "en": "This field is not part of the form."},
}
FIELD_PROBLEM_OTHER: Mapping[str, str] = {"vi": "Giá trị không hợp lệ.", "en": "Not a valid value."}


def field_problem(kind: str, limits: Mapping[str, object] | None, language: str) -> str:
    """The text for one refused field (``kind``: pydantic's error type, ``limits``: its
    context, such as ``max_length``)."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    template = FIELD_PROBLEMS.get(kind, FIELD_PROBLEM_OTHER)[language]
    try:
        return template.format(**{k: v for k, v in (limits or {}).items()
                                  if isinstance(v, int | float | str)})
    except (KeyError, IndexError):
        return FIELD_PROBLEM_OTHER[language]
