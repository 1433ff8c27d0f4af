"""The gateway process (the skeleton): ``/health`` asks every service over RPC.

The HTTP/JSON API with OpenAPI and the gRPC server grow here (issue: gateway).
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from runtime.client import services
from runtime.config import Settings
from runtime.services import SERVICES

log = logging.getLogger("emulation.gateway")


def health(settings: Settings) -> tuple[int, dict[str, Any]]:
    report: dict[str, Any] = {}
    with services(settings, timeout=3) as proxy:
        for name in SERVICES:
            try:
                report[name] = {"ok": True, **getattr(proxy, name).health()}
            except Exception as exc:  # a service that does not answer is reported, not fatal
                report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return (200 if all(r["ok"] for r in report.values()) else 503), report


def make_handler(settings: Settings) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/health":
                self._send(404, {"code": "NOT_FOUND", "message": "no such path"})
                return
            status, report = health(settings)
            self._send(status, {"status": "ok" if status == 200 else "degraded", "services": report})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            log.info("%s %s", self.address_string(), format % args)

    return Handler


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    server = ThreadingHTTPServer((settings.gateway_host, settings.gateway_port), make_handler(settings))

    def stop(signum: int, _frame: object) -> None:
        log.info("gateway stopping (signal %d)", signum)
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("gateway listening on http://%s:%d", settings.gateway_host, settings.gateway_port)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
