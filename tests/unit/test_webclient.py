"""R5.2: the web application's client of the API (``gateway/web/js/operations.js``) is what
``python -m gateway.webclient`` generates from the document the gateway serves, and every
call the screens make names an operation of that document with its HTTP method."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from gateway import webclient

WEB = Path(webclient.__file__).resolve().parent / "web" / "js"
CALL = re.compile(r"\b(get|getPage|post)\(\s*\"([a-z]+)\",\s*\"([a-z_-]+)\"")


def _table(text: str) -> dict[str, dict[str, Any]]:
    body = text.split("export const OPERATIONS = Object.freeze(", 1)[1].rsplit(");", 1)[0]
    return json.loads(body)


def test_r5_2_the_web_client_is_what_the_served_document_generates(tmp_path: Path) -> None:
    document = webclient.served_document()
    assert webclient.main(["--check"]) == 0, "run `python -m gateway.webclient` and commit"
    table = _table(webclient.TARGET.read_text("utf-8"))
    assert table["initiatives/register"]["params"]["authors"] == "object[]!"
    assert table["registry/members"]["list"] is True and table["registry/members"]["verb"] == "GET"
    drifted = copy.deepcopy(document)  # an operation renamed in the document
    drifted["paths"]["/v1/registry/renamed"] = drifted["paths"].pop("/v1/registry/tree")
    (tmp_path / "operations.js").write_text(webclient.render(drifted), "utf-8")
    assert webclient.main(["--check", "--into", str(tmp_path / "operations.js")]) == 1


def test_r5_2_every_call_of_the_screens_names_an_operation_of_the_document() -> None:
    table = _table(webclient.TARGET.read_text("utf-8"))
    calls = [(path.name, *match.groups()) for path in sorted(WEB.rglob("*.js"))
             for match in CALL.finditer(path.read_text("utf-8"))]
    assert len(calls) > 50
    wrong = [(file, function, f"{service}/{method}") for file, function, service, method in calls
             if table.get(f"{service}/{method}", {}).get("verb")
             != ("POST" if function == "post" else "GET")]
    assert wrong == []
