"""The OpenAPI document a front-end developer reads the API from (R5.2): every operation says
what it does, its requirement and who may call it, every request body carries an example
that keeps to its own schema, and no object in it is left untyped (``gateway.catalogue``
reads the services' declarations, ``gateway.examples`` the examples)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from gateway.webclient import served_document

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return served_document()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _untyped(node: object, where: str = "") -> Iterator[str]:
    """Every object schema that says nothing of what it holds: no properties, and neither
    a schema for its values (``additionalProperties``) nor a refusal of any key (false)."""
    if isinstance(node, dict):
        if node.get("type") == "object" and not node.get("properties"):
            extra = node.get("additionalProperties")
            if not (extra is False or (isinstance(extra, dict) and extra)):
                yield where
        for key, value in node.items():
            yield from _untyped(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _untyped(value, f"{where}/{index}")


def _body(operation: dict[str, Any]) -> dict[str, Any]:
    return operation.get("requestBody", {}).get("content", {}).get("application/json", {})


def test_r5_2_every_operation_has_a_summary_a_description_with_a_requirement_and_callers(
        document: dict[str, Any]) -> None:
    lacking = []
    for name, operation in _operations(document):
        text = operation.get("description", "")
        if not operation.get("summary") or not text:
            lacking.append(f"{name}: no summary or description")
        elif " /public/" in name:
            continue  # the public register: open to anyone, described by its own router
        elif not re.search(r"\bR[1-5]\.\d", f"{operation['summary']} {text}"):
            lacking.append(f"{name}: names no requirement")
        elif "**Ai được gọi — Who may call:**" not in text:
            lacking.append(f"{name}: says not who may call it")
    assert not lacking, lacking
    assert sum(1 for _ in _operations(document)) > 170


def test_r5_2_every_request_body_carries_an_example(document: dict[str, Any]) -> None:
    bodies = [(name, _body(o)) for name, o in _operations(document) if "requestBody" in o]
    assert len(bodies) > 60
    missing = [name for name, body in bodies if not body.get("examples") and "example" not in body]
    assert not missing, missing


def test_r5_2_no_object_in_the_document_is_untyped(document: dict[str, Any]) -> None:
    """Nested objects have their keys typed (the services' ``Shape`` declarations); a map,
    such as a registration's form values, has its values typed."""
    assert list(_untyped(document)) == []
    schemas = document["components"]["schemas"]
    author = schemas["InitiativesRegisterRequest"]["properties"]["authors"]["items"]
    assert author["required"] == ["person_id", "share"]
    assert author["properties"]["share"]["maximum"] == 100
    assert "Tỷ lệ đóng góp" in author["properties"]["share"]["description"]
    fields = schemas["InitiativesRegisterRequest"]["properties"]["fields"]
    assert fields["additionalProperties"] and "mã trường" in fields["description"]


def test_the_walk_finds_an_untyped_object() -> None:
    """The walk itself can fail: a free object anywhere is found."""
    assert list(_untyped({"a": {"type": "object"}, "b": [{"type": "object",
                                                           "additionalProperties": True}]})) == \
        ["/a", "/b/0"]
    assert list(_untyped({"type": "object", "additionalProperties": {"type": "integer"}})) == []


def test_r5_2_every_example_keeps_to_its_own_request_schema(document: dict[str, Any]) -> None:
    checked, wrong = 0, []
    for name, operation in _operations(document):
        body = _body(operation)
        if not body:
            continue
        validator = Draft202012Validator({**body["schema"], "components": document["components"]},
                                         format_checker=FormatChecker())
        for example in body.get("examples", {}).values():
            checked += 1
            wrong += [f"{name}: {e.json_path}: {e.message}"
                      for e in validator.iter_errors(example["value"])]
    assert checked > 60
    assert not wrong, wrong


def test_r5_2_a_command_whose_declared_answer_says_it_shows_an_example_answer(
        document: dict[str, Any]) -> None:
    """Commands answering an id, a version or nothing show that answer; each keeps to the
    answer's schema."""
    shown = 0
    for _name, operation in _operations(document):
        answered = operation["responses"].get("200", {}).get("content", {}).get("application/json", {})
        if "example" not in answered:
            continue
        shown += 1
        Draft202012Validator({**answered["schema"], "components": document["components"]},
                             format_checker=FormatChecker()).validate(answered["example"])
    assert shown > 30
