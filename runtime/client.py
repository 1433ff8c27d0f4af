"""Calling services over RPC from a plain-threads process (the gateway, tools, tests).

Importing this module (or ``runtime.adapter``) registers ``DomainError`` with nameko, so a
domain error raised in a service arrives here as the same typed error with its code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nameko.exceptions import deserialize_to_instance
from nameko.standalone.rpc import ClusterRpcProxy

from runtime.config import Settings
from runtime.context import HEADER_KEY, CommandContext
from runtime.errors import DomainError

deserialize_to_instance(DomainError)  # DomainError(message, details, code) becomes the subclass


@contextmanager
def services(settings: Settings, context: CommandContext | None = None,
             timeout: float | None = None) -> Iterator[Any]:
    """``with services(settings, ctx) as s: s.registry.found_union(...)``."""
    context_data = {HEADER_KEY: context.to_header()} if context else {}
    with ClusterRpcProxy(settings.nameko_config(), context_data=context_data,
                         timeout=timeout or settings.rpc_timeout) as proxy:
        yield proxy
