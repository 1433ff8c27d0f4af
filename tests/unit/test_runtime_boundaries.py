"""The runtime stands under the services and knows none of them: nothing in ``runtime/``
imports a service, so a service can change (and be deployed) without the runtime changing
with it (R5.3); the auditors' trail learns how each service's records link, and the
stages of the chain, from the service's own declaration (R5.1); and the errors every domain
imports bring no database library with them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runtime.services import SERVICES
from runtime.trail import AUTHORITY, RECORD_SERVICES, chain_order
from tests.support.awards_world import STAGE_ORDER

RUNTIME = Path(__file__).resolve().parents[2] / "runtime"


def imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def test_r5_3_no_runtime_module_imports_a_service() -> None:
    found = sorted(f"{path.name} imports {module}" for path in RUNTIME.glob("*.py")
                   for module in imported(path) if module.split(".")[0] == "services")
    assert found == []


def test_the_errors_every_domain_imports_load_no_persistence() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, runtime.errors; print(sorted({m.split('.')[0] "
         "for m in sys.modules} & {'sqlalchemy', 'eventsourcing', 'eventsourcing_sqlalchemy', "
         "'psycopg'}))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def declarations() -> dict[str, Mapping[str, Any]]:
    """What each service's ``trail_links`` answers: its ``trail.py``."""
    return {name: SERVICES[name].application_class().trail for name in RECORD_SERVICES}


def test_r5_1_the_trail_names_no_record_and_no_stage_title_of_a_service() -> None:
    source = (RUNTIME / "trail.py").read_text("utf-8")
    texts = {node.value for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    kinds = {kind for declared in declarations().values() for kind in declared.get("steps", {})}
    titles = {title for declared in declarations().values()
              for _stage, title in declared.get("stages", ())}
    assert kinds and titles
    assert [kind for kind in sorted(kinds) if re.search(rf"\b{kind}\b", source)] == []
    assert sorted(titles & texts) == []


def test_r5_1_the_chain_of_stages_follows_from_each_services_own_order() -> None:
    orders = [[stage for stage, _title in declared.get("stages", ())]
              for declared in declarations().values()]
    assert chain_order(orders) == STAGE_ORDER
    assert AUTHORITY not in RECORD_SERVICES and set(RECORD_SERVICES) | {AUTHORITY} == set(SERVICES)


def test_two_orders_that_disagree_still_make_one_chain() -> None:
    assert chain_order([["a", "c"], ["b", "c", "d"]]) == ("a", "b", "c", "d")
    assert chain_order([["a", "b"], ["b", "a"]]) == ("a", "b")
    assert chain_order([]) == ()
