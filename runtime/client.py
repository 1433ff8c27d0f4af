"""Calling services over RPC from a plain-threads process (the gateway, tools, tests).

Importing this module (or ``runtime.adapter``) registers ``DomainError`` with nameko, so a
domain error raised in a service arrives here as the same typed error with its code.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from amqp.exceptions import AMQPError
from kombu.exceptions import KombuError
from nameko.exceptions import RpcTimeout, UnknownService, deserialize_to_instance
from nameko.rpc import ServiceProxy
from nameko.standalone.rpc import (
    ClusterRpcProxy,
    PollingQueueConsumer,
    SingleThreadedReplyListener,
    StandaloneProxyBase,
)

from runtime.bus import typed
from runtime.config import Settings
from runtime.context import HEADER_KEY, CommandContext
from runtime.errors import DomainError

deserialize_to_instance(DomainError)  # DomainError(message, details, code) becomes the subclass
log = logging.getLogger("emulation.client")


@contextmanager
def services(settings: Settings, context: CommandContext | None = None,
             timeout: float | None = None) -> Iterator[Any]:
    """``with services(settings, ctx) as s: s.registry.found_union(...)``."""
    context_data = {HEADER_KEY: context.to_header()} if context else {}
    with ClusterRpcProxy(settings.nameko_config(), context_data=context_data,
                         timeout=timeout or settings.rpc_timeout,
                         reply_listener_cls=TypedReplyListener) as proxy:
        yield proxy


class TypedReplyListener(SingleThreadedReplyListener):
    """The caller's reply queue with the configured type (``EMU_QUEUE_TYPE``): kombu declares
    it durable, so on a cluster it is a quorum queue like every durable queue (``runtime.bus``)
    and a node's death does not leave its name undeclarable elsewhere."""

    def __init__(self, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout)
        self.queue_consumer = _TypedQueueConsumer(timeout=timeout)


class _TypedQueueConsumer(PollingQueueConsumer):
    def register_provider(self, provider: Any) -> None:  # declares the queue at once
        typed(provider.queue, str(provider.container.config.get("EMU_QUEUE_TYPE", "classic")))
        super().register_provider(provider)


class ServiceUnavailable(DomainError):
    """A service did not answer in time, or is not running: the caller may try again later
    (the request expired unconsumed, so it never runs late)."""

    code = "SERVICE_UNAVAILABLE"
    kind = "unavailable"


class _Proxy(StandaloneProxyBase):
    """One connection and reply queue; requests expire in the service's queue when the
    caller stops waiting, so a call that timed out is never executed afterwards."""

    def __init__(self, config: dict[str, Any], timeout: float) -> None:
        super().__init__(config, timeout=timeout, reply_listener_cls=TypedReplyListener)
        self.timeout = timeout
        self._services: dict[str, ServiceProxy] = {}

    def call(self, context: CommandContext | None, service: str, method: str,
             args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self._worker_ctx.data = {HEADER_KEY: context.to_header()} if context else {}
        proxy = self._services.get(service)
        if proxy is None:
            # The broker's confirm of the request is awaited at most the call's timeout: on a
            # half-open connection it would be awaited forever (R5.3).
            proxy = self._services[service] = ServiceProxy(
                self._worker_ctx, service, self._reply_listener, expiration=self.timeout,
                confirm_timeout=self.timeout,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 1,
                              "interval_max": 1})
        return getattr(proxy, method)(*args, **kwargs)


class RpcPool:
    """RPC clients shared by the threads of one process (the gateway): each call borrows a
    started proxy, so a call costs one round trip, not a new connection. A proxy that failed
    at the transport level is dropped and a fresh one made on the next call, so the caller
    recovers by itself when a service or the broker comes back."""

    def __init__(self, settings: Settings, timeout: float | None = None) -> None:
        self.config = settings.nameko_config()
        self.timeout = timeout or settings.rpc_timeout
        self._idle: list[_Proxy] = []
        self._lock = threading.Lock()

    def call(self, service: str, method: str, *args: Any, context: CommandContext | None = None,
             **kwargs: Any) -> Any:
        proxy = self._borrow()
        try:
            result = proxy.call(context, service, method, args, kwargs)
        except DomainError:
            self._give_back(proxy)
            raise
        except (RpcTimeout, UnknownService, OSError, ConnectionError, KombuError,
                AMQPError) as exc:
            # Dropped aside: closing a half-open connection waits for a goodbye that never
            # comes, and the caller is answered now (R5.3).
            threading.Thread(target=self._drop, args=(proxy,), daemon=True,
                             name="rpc-drop").start()
            raise ServiceUnavailable(f"{service} did not answer", {
                "service": service, "error": type(exc).__name__}) from None
        except BaseException:
            self._drop(proxy)
            raise
        self._give_back(proxy)
        return result

    def _borrow(self) -> _Proxy:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        proxy = _Proxy(self.config, self.timeout)
        try:
            proxy.start()
        except (OSError, ConnectionError, KombuError, AMQPError) as exc:
            raise ServiceUnavailable("the message broker does not answer",
                                     {"error": type(exc).__name__}) from None
        return proxy

    def _give_back(self, proxy: _Proxy) -> None:
        with self._lock:
            self._idle.append(proxy)

    @staticmethod
    def _drop(proxy: _Proxy) -> None:
        try:
            proxy.stop()
        except Exception:  # the connection is already broken: nothing to keep
            log.debug("dropping a broken RPC proxy", exc_info=True)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for proxy in idle:
            self._drop(proxy)
