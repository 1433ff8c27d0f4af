"""Calling services from a plain-threads process, with the actor context attached."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from nameko.standalone.rpc import ClusterRpcProxy

from runtime.config import Settings
from runtime.context import HEADER_KEY, CommandContext


@contextmanager
def services(settings: Settings, context: CommandContext | None = None,
             timeout: float | None = None) -> Iterator[Any]:
    """``with services(settings, ctx) as s: s.registry.found_union(...)``."""
    context_data = {HEADER_KEY: context.to_header()} if context else {}
    with ClusterRpcProxy(settings.nameko_config(), context_data=context_data,
                         timeout=timeout or settings.rpc_timeout) as proxy:
        yield proxy
