"""The gateway's RPC pools: every call waits ``GATEWAY_RPC_TIMEOUT`` (10 s) for its service,
except the few that take long by nature, which wait ``GATEWAY_IMPORT_TIMEOUT`` (120 s): a
registry file of 10,000 people is read, checked row by row and stored in one command (R1.1,
R1.3), which takes longer than any other call (measured: see the README's registry section).

The long calls get their own pool (a nameko proxy's timeout is fixed when it starts) and a
deadline as far off as the gateway waits, so the service's ``DEADLINE_PASSED`` guard
(``runtime.requests``) still refuses to commit once the caller has stopped waiting.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from runtime.client import RpcPool
from runtime.config import Settings
from runtime.context import CommandContext

LONG_CALLS = frozenset({("registry", "import_records"), ("registry", "apply_reorganisation")})


class Pools:
    """``call`` as ``RpcPool.call``, through the pool whose timeout fits the call."""

    def __init__(self, settings: Settings) -> None:
        self.short = RpcPool(settings, timeout=settings.number("GATEWAY_RPC_TIMEOUT", 10.0))
        self.long = RpcPool(settings, timeout=max(
            settings.number("GATEWAY_IMPORT_TIMEOUT", 120.0), self.short.timeout))
        # /ready asks every service at once and answers within this, up or not: a readiness
        # probe (Kubernetes, the launcher, a test) waits seconds, not a call's full timeout.
        self.probe = RpcPool(settings, timeout=min(
            settings.number("GATEWAY_READY_TIMEOUT", 3.0), self.short.timeout))
        self.timeout = self.short.timeout

    def call(self, service: str, method: str, *args: Any,
             context: CommandContext | None = None, **kwargs: Any) -> Any:
        if (service, method) not in LONG_CALLS:
            return self.short.call(service, method, *args, context=context, **kwargs)
        if context is not None and context.deadline is not None:
            context = replace(context, deadline=datetime.now(UTC)
                              + timedelta(seconds=self.long.timeout))
        return self.long.call(service, method, *args, context=context, **kwargs)

    def close(self) -> None:
        self.short.close()
        self.long.close()
        self.probe.close()
