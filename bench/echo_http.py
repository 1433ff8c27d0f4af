"""The baseline of ``bench.gateway``: a bare nameko echo behind the gateway's own HTTP stack.

``python -m bench.echo_http`` serves ``POST /echo``, which hands its JSON body to the bench
service's ``echo`` RPC and answers ``{"result": <the body back>}``. Everything under the
route is what the gateway runs on — uvicorn configured as in ``gateway.__main__`` (one
process, one asyncio loop), FastAPI, a sync route in the same worker thread pool, the same
``runtime.client.RpcPool`` with the gateway's RPC timeout — and nothing of what the gateway
adds: no token, no scope, no models made from signatures, no idempotency, no service work.

Listens on ``ECHO_HTTP_HOST`` (default 127.0.0.1) and ``ECHO_HTTP_PORT`` (default 8090).
A benchmark tool only: it never touches a service other than ``bench``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

import uvicorn
from fastapi import Body, FastAPI

from runtime.client import RpcPool
from runtime.config import Settings

log = logging.getLogger("emulation.bench.echo_http")


def build(pool: RpcPool) -> FastAPI:
    app = FastAPI(title="bench echo", docs_url=None, redoc_url=None)

    @app.post("/echo")
    def echo(body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return {"result": pool.call("bench", "echo", body)}

    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    # the gateway's own timeout, so both sides' requests expire alike in the services' queues
    pool = RpcPool(settings, timeout=settings.number("GATEWAY_RPC_TIMEOUT", 10.0))
    host, port = settings.get("ECHO_HTTP_HOST", "127.0.0.1"), int(settings.get("ECHO_HTTP_PORT", "8090"))
    config = uvicorn.Config(build(pool), host=host, port=port, log_level="info", access_log=False,
                            timeout_graceful_shutdown=5)
    log.info("bench echo listening on http://%s:%d", host, port)
    try:
        uvicorn.Server(config).run()  # handles SIGTERM and SIGINT itself
    finally:
        pool.close()


if __name__ == "__main__":
    main()
