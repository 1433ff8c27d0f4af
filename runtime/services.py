"""The one list of the system's services and processes.

``make run`` (``runtime.launcher``), the relay, the service runner and (later) compose and
Kubernetes all read this list, so the processes they start cannot drift apart.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def resolve(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str  # services.<name>, with application.py and service.py

    def application_class(self) -> Any:
        return resolve(f"{self.package}.application:APPLICATION")

    def service_class(self) -> Any:
        return resolve(f"{self.package}.service:SERVICE")


SERVICES: dict[str, ServiceSpec] = {
    name: ServiceSpec(name, f"services.{name}")
    for name in ("registry", "initiatives", "reviews", "awards", "notifications")
}


@dataclass(frozen=True)
class Process:
    name: str
    argv: tuple[str, ...]


def setup_steps(demo_data: Path | None, python: str = sys.executable) -> list[Process]:
    """One-off steps run to completion before the processes start: loading the demo data.
    The importer skips what is already loaded, so this runs on every start."""
    if demo_data is None:
        return []
    return [Process("registry-import", (python, "-m", "services.registry.importer", str(demo_data)))]


def processes(python: str = sys.executable) -> list[Process]:
    """Every process of the system: each service, its relay, and the gateway."""
    result = []
    for name in SERVICES:
        result.append(Process(name, (python, "-m", "runtime.serve", name)))
        result.append(Process(f"{name}-relay", (python, "-m", "runtime.relay", name)))
    result.append(Process("gateway", (python, "-m", "gateway")))
    return result
