"""A TCP proxy that tests put between a process and the broker or the database, to make the
network fail the ways a real one does (R5.3).

``pass_through()`` forwards bytes both ways. ``cut()`` closes every connection now, both
sides (the peer sees a reset or end of stream at once); new connections are still accepted.
``delay(seconds)`` holds each chunk that long before forwarding it. ``blackhole()`` is the
half-open connection: the sockets stay open, nothing is closed, but the bytes go nowhere (read
and dropped, so the sender's writes still succeed), in one direction or both, and a connection
opened meanwhile is accepted and then hears nothing: only a timeout of the peer's own
(heartbeats, keepalives, confirm timeouts) can notice.

Threads only, no dependencies: one accept thread and two pump threads per connection.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Iterator

UP, DOWN = "up", "down"  # client -> server, server -> client


class NetProxy:
    def __init__(self, upstream_host: str, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._delay = 0.0
        self._dropped: set[str] = set()
        self._stop = threading.Event()
        self.accepted = 0
        self._thread = threading.Thread(target=self._accept, name="netproxy-accept", daemon=True)
        self._thread.start()

    # --- controls -------------------------------------------------------------------------
    def pass_through(self) -> None:
        with self._lock:
            self._delay, self._dropped = 0.0, set()

    def delay(self, seconds: float) -> None:
        with self._lock:
            self._delay = seconds

    def blackhole(self, *directions: str) -> None:
        """Half-open: bytes in ``directions`` (both when none) are dropped; nothing closes."""
        with self._lock:
            self._dropped = set(directions or (UP, DOWN))

    def cut(self) -> None:
        """Closes every open connection, both sides, now."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                _close(sock)

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._pairs)

    def close(self) -> None:
        self._stop.set()
        _close(self._listener)
        self.cut()
        self._thread.join(timeout=2)

    def __enter__(self) -> NetProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- machinery ------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        # A connection made while the network drops everything hears nothing (not refused).
        client.settimeout(0.2)
        while UP in self._dropped_now() and not self._stop.is_set():
            try:
                if client.recv(65536) == b"":
                    _close(client)
                    return
            except TimeoutError:
                continue
            except OSError:
                _close(client)
                return
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _close(client)
            return
        client.settimeout(None)
        server.settimeout(None)
        with self._lock:
            self._pairs.append((client, server))
        for source, target, direction in ((client, server, UP), (server, client, DOWN)):
            threading.Thread(target=self._pump, args=(source, target, direction, (client, server)),
                             daemon=True).start()

    def _dropped_now(self) -> set[str]:
        with self._lock:
            return set(self._dropped)

    def _pump(self, source: socket.socket, target: socket.socket, direction: str,
              pair: tuple[socket.socket, socket.socket]) -> None:
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([source], [], [], 0.2)
                if not readable:
                    continue
                data = source.recv(65536)
                with self._lock:
                    delay, dropped = self._delay, direction in self._dropped
                if not data and dropped:
                    return  # the end of stream is lost too: the other side stays open
                if not data:
                    break
                if dropped:
                    continue  # the network ate it: the sender never learns
                if delay:
                    time.sleep(delay)
                target.sendall(data)
        except (OSError, ValueError):
            pass
        with self._lock:
            if pair in self._pairs:
                self._pairs.remove(pair)
        for sock in pair:
            _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


@contextlib.contextmanager
def proxy_to(host: str, port: int) -> Iterator[NetProxy]:
    with NetProxy(host, port) as proxy:
        yield proxy
