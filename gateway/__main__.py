"""The gateway process: the HTTP/JSON API (uvicorn, one asyncio loop, calls to the services
in worker threads) and the gRPC API (grpcio's own thread pool), in plain threads — never
under eventlet, where grpcio deadlocks (R5.2). Stops cleanly on SIGTERM."""

from __future__ import annotations

import logging

import uvicorn

from gateway.core import Gateway
from gateway.grpc_server import start as start_grpc
from gateway.http import build
from runtime.config import Settings

log = logging.getLogger("emulation.gateway")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    gateway = Gateway(settings)
    grpc_server = start_grpc(gateway, settings)
    config = uvicorn.Config(build(gateway), host=settings.gateway_host, port=settings.gateway_port,
                            log_level="info", access_log=False, timeout_graceful_shutdown=5)
    log.info("gateway listening on http://%s:%d", settings.gateway_host, settings.gateway_port)
    try:
        uvicorn.Server(config).run()  # handles SIGTERM and SIGINT itself
    finally:
        grpc_server.stop(grace=5).wait()
        gateway.close()


if __name__ == "__main__":
    main()
