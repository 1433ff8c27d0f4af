"""The words a person reads when a request is refused: Vietnamese by default, English on
request (R5.2: problem details with a Vietnamese message).

A refusal carries a stable ``code`` and its ``details``; the gateway adds the words a union
office clerk understands, in the caller's language (``language_from``, Accept-Language):

- ``title``: the code's message, from ``contracts/errors/messages.json`` (one entry per code
  with ``vi`` and ``en``). A test keeps the file in step with every code the runtime and the
  services define, plus ``GATEWAY_CODES``, the gateway's own refusals.
- ``detail``: one sentence about *this* refusal (``detail()``): the first template of the
  code in ``contracts/errors/details.json`` whose blanks the error's ``details`` can fill
  (the field at fault, a length limit, a date, a year, a number the caller gave), else the
  code's message, prefixed by the field's label when the error names a field. Fields are
  named by their label from ``contracts/errors/fields.json`` ("Ngày thành lập", never
  ``founded_on``), or by the ``label`` the service put in the details (a union's own form);
  dates read dd/mm/yyyy and numbers 15.000.000. A blank is filled only from a value that
  is safe and readable (see ``_FORMATS``): ids, internal codes and anything unknown leave
  the template unused, so nothing secret or machine-like reaches the sentence.

The English text a refusal was raised with (``DomainError.message``, "founded_on is not a
date (YYYY-MM-DD)") is for developers, not for the person at the screen: it is not in the
response. The gateway logs it (logger ``emulation.gateway``, DEBUG) with the request's
correlation id, which every problem response carries, so a developer finds it from the
response in hand; the machine-readable specifics stay in ``details``. Over gRPC the same
sentence is the ``google.rpc.LocalizedMessage`` and the English text the status message,
the developer-facing part of a gRPC status.

This module only reads these files; it never decides which code a failure gets.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

ERRORS_DIR = Path(__file__).resolve().parent.parent / "contracts" / "errors"
MESSAGES_FILE = ERRORS_DIR / "messages.json"
DETAILS_FILE = ERRORS_DIR / "details.json"  # {code: [{"vi": template, "en": template}, ...]}
FIELDS_FILE = ERRORS_DIR / "fields.json"  # {"fields": {name: {vi, en}}, "by_service": {...}}

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


# --- the detail: one sentence about this refusal ---------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN = re.compile(r"[\w .,/()+-]{1,80}")  # a code or number the caller gave: no markup


@cache
def _templates() -> Mapping[str, list[Mapping[str, str]]]:
    with DETAILS_FILE.open(encoding="utf-8") as stream:
        loaded: dict[str, list[Mapping[str, str]]] = json.load(stream)
    return loaded


@cache
def field_labels() -> Mapping[str, Any]:
    """``{"fields": {name: {"vi", "en"}}, "by_service": {service: {name: {"vi", "en"}}}}``:
    what a person calls each field of the API (the web front end reads the same file)."""
    with FIELDS_FILE.open(encoding="utf-8") as stream:
        loaded: dict[str, Any] = json.load(stream)
    return loaded


def _language(language: str) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def label(field: object, language: str = DEFAULT_LANGUAGE, service: str | None = None) -> str | None:
    """The label of a field (``founded_on``, ``decision.signed_on``, ``authors.0.share``) in
    the language, or None when the dictionary does not know it. A service's own label for a
    name (the registry's ``name`` is a union's) comes before the common one; a dotted path is
    looked up whole, then by its last name that is not an index (not for ``fields.*``, the
    fields of a union's own registration form, whose labels the service sends itself)."""
    if not isinstance(field, str) or not field:
        return None
    language = _language(language)
    labels = field_labels()
    own = labels.get("by_service", {}).get(service or "", {})
    names = [field]
    if not field.startswith("fields."):  # a union's own form: only the service knows those
        names += [part for part in reversed(re.split(r"[.\[\]]", field))
                  if part and not part.isdigit()][:1]
    for name in names:
        for table in (own, labels["fields"]):
            if name in table:
                return str(table[name][language])
    return None


def _number(value: int | float, language: str) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.translate(str.maketrans(",.", ".,")) if language == "vi" else text


def _date(value: object, language: str) -> str | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        return None


def _plain(value: object, language: str) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return value
    if isinstance(value, list) and value and all(_plain(v, language) for v in value):
        return ", ".join(str(_plain(v, language)) for v in value)
    return None


def _count(value: object, language: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return _number(value, language)


# Which details may fill a blank, and how: dates as dd/mm/yyyy, quantities with the
# language's grouping, a year or a code the caller gave as it is. Nothing else is shown.
_FORMATS: Mapping[str, Callable[[object, str], str | None]] = {
    **{key: _date for key in ("on", "earliest", "today", "value", "effective_on", "last_change_on",
                              "starts_on", "classified_on", "corrected_on", "last_on")},
    **{key: _count for key in ("max_length", "max_bytes", "size", "total", "attended", "members",
                               "for", "council_size", "max", "min_value_saved_vnd",
                               "value_saved_vnd")},
    **{key: _plain for key in ("year", "number", "code", "codes", "username", "reference")},
}


def _fill(template: str, details: Mapping[str, Any], language: str,
          service: str | None) -> str | None:
    """The template with its blanks filled, or None if one of them cannot be."""
    values: dict[str, str] = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if name is None or name in values:
            continue
        if name == "field":
            found = details.get("label") if isinstance(details.get("label"), str) else None
            found = found or label(details.get("field"), language, service)
        elif name in _FORMATS:
            found = _FORMATS[name](details.get(name), language) if name in details else None
        else:
            found = None
        if not found:
            return None
        values[name] = found
    return template.format(**values)


def localize(details: object, language: str = DEFAULT_LANGUAGE,
             service: str | None = None) -> object:
    """The details with each refused row or field of ``details.errors`` that has a ``code``
    (the importer's rows) given its ``text`` (``detail`` of its own code and details) and,
    when it names a ``column``, the column's ``label``; anything else as it is."""
    if not isinstance(details, Mapping) or not isinstance(details.get("errors"), list):
        return details
    language = _language(language)
    errors = []
    for entry in details["errors"]:
        if isinstance(entry, Mapping) and isinstance(entry.get("code"), str) and "text" not in entry:
            entry = {**entry, "text": detail(entry["code"], entry.get("details"), language, service)}
            if isinstance(entry.get("column"), str):
                entry["label"] = label(entry["column"], language, service) or entry["column"]
        errors.append(entry)
    return {**details, "errors": errors}


def _place(entry: Mapping[str, Any], language: str, service: str | None) -> str:
    """Where a refused row is: "Dòng 5" of a CSV file, "Đoàn viên thứ 3" of a JSON list,
    "Trang «Đoàn viên», dòng 5, cột F" of an Excel workbook (its sheet, row and column as
    Excel shows them)."""
    row = entry.get("row")
    if not isinstance(row, int):
        return ""
    if isinstance(entry.get("sheet"), str):
        letter = entry.get("column_letter")
        if language == "vi":
            return f"Trang «{entry['sheet']}», dòng {row}" + (f", cột {letter}" if letter else "")
        return f"Sheet “{entry['sheet']}”, row {row}" + (f", column {letter}" if letter else "")
    listed = label(entry.get("list"), language, service) if not entry.get("file") else None
    if language == "vi":
        return f"{listed} thứ {row}" if listed else f"Dòng {row}"
    return f"{listed}, record {row}" if listed else f"Line {row}"


def detail(code: str, details: object = None, language: str = DEFAULT_LANGUAGE,
           service: str | None = None) -> str:
    """One sentence in the caller's language about this refusal (see the module's doc):
    ``service`` is the one the request went to, for its own field labels. A refusal of
    rows (``details.errors`` with a ``code`` each, the importer's) gets the code's message
    and the first rows' places and texts."""
    language = _language(language)
    given: Mapping[str, Any] = details if isinstance(details, Mapping) else {}
    rows = [e for e in given.get("errors") or () if isinstance(e, Mapping) and "code" in e]
    if rows:
        parts = []
        shown = cast(Mapping[str, Any], localize({"errors": rows[:3]}, language, service))
        for entry in shown["errors"]:
            place = _place(entry, language, service)
            parts.append(f"{place}: {entry['text']}" if place else str(entry["text"]))
        total = given.get("total")
        more = (total if isinstance(total, int) else len(rows)) - len(parts)
        if more > 0:
            parts.append(f"và {more} lỗi khác." if language == "vi" else f"and {more} more.")
        return f"{message(code, language)} {' '.join(parts)}"
    for template in _templates().get(code, ()):
        filled = _fill(template[language], given, language, service)
        if filled is not None:
            return filled
    named = _fill("{field}", given, language, service)
    text = message(code, language)
    if named is None:
        return text
    return f"Mục «{named}»: {text}" if language == "vi" else f"Field “{named}”: {text}"


def field_errors_detail(code: str, errors: Iterable[Mapping[str, Any]], language: str,
                        service: str | None = None) -> str:
    """The detail of a form refused field by field (``errors``: ``{"field", "text"}`` each,
    the text already in the language): the code's message, then each field's label and
    what is wrong with it."""
    language = _language(language)
    parts = []
    for error in errors:
        name = error.get("label") or label(error.get("field"), language, service)
        text = str(error.get("text") or "")
        parts.append(f"{name}: {text}" if name else text)
    if not parts:
        return message(code, language)
    shown = "; ".join(parts[:5]) + (" …" if len(parts) > 5 else "")
    return f"{message(code, language)} {shown}"
