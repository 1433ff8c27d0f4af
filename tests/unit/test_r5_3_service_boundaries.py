"""R5.3: each service is deployed on its own, so none imports another service's package.

What a service needs of another arrives as that service's published events and is read
through ``contracts/`` (the registry's facts: ``contracts/registry/``), which imports no
service at all. Read from the source with ``ast``, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/__init__.py"))


def imports(source: str, package: str) -> set[str]:
    """Every name a module of ``package`` imports, as ``a.b.name`` (relative ones resolved)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[:len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def services_in(names: set[str]) -> set[str]:
    return {name.split(".")[1] for name in names if name.startswith("services.")}


def services_imported(path: Path) -> set[str]:
    package = ".".join(path.relative_to(ROOT).parent.parts)
    return services_in(imports(path.read_text(encoding="utf-8"), package))


@pytest.mark.parametrize("service", SERVICES)
def test_r5_3_a_service_imports_no_other_services_package(service: str) -> None:
    crossings = sorted(f"{path.relative_to(ROOT)} imports services.{other}"
                       for path in (ROOT / "services" / service).rglob("*.py")
                       for other in services_imported(path) - {service})
    assert not crossings


def test_r5_3_contracts_import_no_service() -> None:
    assert not sorted(f"{path.relative_to(ROOT)} imports services.{other}"
                      for path in (ROOT / "contracts").rglob("*.py")
                      for other in services_imported(path))


def test_r5_3_the_check_sees_every_way_of_importing_a_service() -> None:
    source = ("import services.registry.domain\nfrom services.reviews import application\n"
              "def late():\n    from services.awards.facts import Authority\n"
              "from ..initiatives import domain\nfrom . import readmodel\n")
    assert services_in(imports(source, "services.registry")) == {
        "registry", "reviews", "awards", "initiatives"}
    assert set(SERVICES) >= {"registry", "initiatives", "reviews", "awards"}
