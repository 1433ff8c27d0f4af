"""The gateway process: the HTTP/JSON API (uvicorn, one asyncio loop, calls to the services
in worker threads) and the gRPC API (grpcio's own thread pool), in plain threads — never
under eventlet, where grpcio deadlocks (R5.2). Stops cleanly on SIGTERM. Logs JSON lines
(``runtime.observability``); its metrics are at ``/metrics`` on the HTTP port (issue 9)."""

from __future__ import annotations

import logging
import warnings

with warnings.catch_warnings(record=True) as _early:  # logged once logging is set up
    warnings.simplefilter("always")
    import uvicorn

    from gateway.core import Gateway
    from gateway.grpc_server import start as start_grpc
    from gateway.http import build
    from runtime.config import Settings
    from runtime.observability import observe_rpc_pool, setup_logging

log = logging.getLogger("emulation.gateway")


def main() -> None:
    settings = Settings.from_env()
    setup_logging("gateway", settings, early=_early)
    gateway = Gateway(settings)
    observe_rpc_pool(gateway.pool)  # every RPC call, from either front, by service and outcome
    grpc_server = start_grpc(gateway, settings)
    # log_config=None: uvicorn's loggers go to the root handler (JSON), not its own format.
    config = uvicorn.Config(build(gateway), host=settings.gateway_host, port=settings.gateway_port,
                            log_level=settings.log_level.lower(), log_config=None,
                            access_log=False, timeout_graceful_shutdown=5)
    log.info("gateway listening on http://%s:%d", settings.gateway_host, settings.gateway_port)
    try:
        uvicorn.Server(config).run()  # handles SIGTERM and SIGINT itself
    finally:
        grpc_server.stop(grace=5).wait()
        gateway.close()


if __name__ == "__main__":
    main()
