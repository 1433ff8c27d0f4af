"""Configuration: environment variables only, read when asked, never at import time.

Defaults run everything on one machine: SQLite files under ``EMU_DATA_DIR`` and RabbitMQ on
localhost. Each service's store is chosen by one URL, ``<SERVICE>_DATABASE_URL``; a
PostgreSQL URL (``postgresql+psycopg://...``) switches that service to PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from runtime.clock import Clock, FixedClock, SystemClock

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"
REPOSITORY = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Settings:
    env: Mapping[str, str]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        return cls(dict(os.environ if env is None else env))

    def get(self, key: str, default: str) -> str:
        value = self.env.get(key)
        return default if value in (None, "") else str(value)

    @property
    def data_dir(self) -> Path:
        return Path(self.get("EMU_DATA_DIR", "data")).resolve()

    @property
    def demo_data(self) -> Path | None:
        """The file ``make run`` loads into the registry before starting (``none``: nothing)."""
        value = self.get("EMU_DEMO_DATA", str(REPOSITORY / "deploy" / "demo" / "tra-vinh.json"))
        return None if value.lower() == "none" else Path(value)

    @property
    def amqp_uri(self) -> str:
        return self.get("AMQP_URI", DEFAULT_AMQP_URI)

    @property
    def queue_type(self) -> str:
        """``classic`` (the default: one broker, ``make run``) or ``quorum`` (a RabbitMQ
        cluster: every durable queue the system declares replicated on its nodes, R5.3;
        ``runtime.bus``)."""
        value = self.get("EMU_QUEUE_TYPE", "classic").lower()
        if value not in ("classic", "quorum"):
            raise ValueError(f"EMU_QUEUE_TYPE={value!r}: classic or quorum")
        return value

    @property
    def delivery_limit(self) -> int:
        """Deliveries of one event to a quorum inbox queue before it is parked
        (``runtime.bus``)."""
        return int(self.number("EMU_DELIVERY_LIMIT", 20))

    def database_url(self, service: str) -> str:
        url = self.env.get(f"{service.upper()}_DATABASE_URL")
        if url:
            return url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / (service + '.sqlite')}"

    def connection_url(self, service: str) -> str:
        """``database_url`` as a process connects to it: on PostgreSQL with libpq's network
        timeouts (R5.3), so a connection to a database the network lost is noticed in
        seconds, not when the kernel gives up after minutes: connecting waits at most
        ``EMU_DB_CONNECT_TIMEOUT`` seconds, and an open connection that stops answering
        (keepalives unanswered, or data sent and never acknowledged) is dropped after about
        ``EMU_DB_DEAD_AFTER`` seconds. Parameters the URL already sets are kept."""
        url = self.database_url(service)
        if not url.startswith("postgresql"):
            return url
        dead_after = self.number("EMU_DB_DEAD_AFTER", 15.0)
        parameters = {
            "connect_timeout": str(max(2, int(self.number("EMU_DB_CONNECT_TIMEOUT", 5.0)))),
            "keepalives": "1",
            "keepalives_idle": str(max(1, int(dead_after / 3))),
            "keepalives_interval": str(max(1, int(dead_after / 9))),
            "keepalives_count": "3",
            "tcp_user_timeout": str(int(dead_after * 1000)),
        }
        present = {part.split("=", 1)[0] for part in urlsplit(url).query.split("&") if part}
        extra = "&".join(f"{key}={value}" for key, value in parameters.items()
                         if key not in present)
        if not extra:
            return url
        return url + ("&" if "?" in url else "?") + extra

    def per_store(self, store: str, key: str, default: str) -> str:
        """A setting one process may override: ``<STORE>_<KEY>`` (``REGISTRY_DB_POOL_SIZE``)
        if set, else ``EMU_<KEY>``, else ``default``."""
        return self.get(f"{store.upper()}_{key}", self.get(f"EMU_{key}", default))

    def _count(self, store: str | None, key: str, default: int, least: int) -> int:
        """A whole number >= ``least``: ``<STORE>_<KEY>`` or ``EMU_<KEY>`` (``store`` None:
        only the latter, a setting of the whole deployment)."""
        raw = (self.per_store(store, key, str(default)) if store
               else self.get(f"EMU_{key}", str(default)))
        try:
            value = int(raw)
        except ValueError:
            value = least - 1
        if value < least:
            names = f"{store.upper()}_{key} / EMU_{key}" if store else f"EMU_{key}"
            raise ValueError(f"{names}={raw!r}: a whole number >= {least}")
        return value

    def db_pool_size(self, store: str) -> int:
        """Connections a process keeps open to its PostgreSQL store (``EMU_DB_POOL_SIZE``,
        ``<STORE>_DB_POOL_SIZE`` for one process); with ``db_max_overflow`` the most it ever
        opens, which the deployment's budget counts (``runtime.pools``)."""
        return self._count(store, "DB_POOL_SIZE", 5, 1)

    def db_max_overflow(self, store: str) -> int:
        """Connections opened beyond the pool at a peak and closed after
        (``EMU_DB_MAX_OVERFLOW``, ``<STORE>_DB_MAX_OVERFLOW``). 5 + 5 covers nameko's 10
        workers (``EMU_MAX_WORKERS``) each holding one."""
        return self._count(store, "DB_MAX_OVERFLOW", 5, 0)

    def db_prepare_threshold(self, store: str) -> int | None:
        """Executions of one query before psycopg prepares it on the server
        (``EMU_DB_PREPARE_THRESHOLD``, ``<STORE>_DB_PREPARE_THRESHOLD``); ``none``: never, for
        a PgBouncer older than 1.22 in transaction mode, which cannot keep prepared
        statements (deploy/README.md)."""
        raw = self.per_store(store, "DB_PREPARE_THRESHOLD", "5").lower()
        if raw in ("none", "off"):
            return None
        return self._count(store, "DB_PREPARE_THRESHOLD", 5, 0)

    def engine_options(self, store: str) -> dict[str, Any]:
        """What ``sqlalchemy.create_engine`` is given for a store: on PostgreSQL a pool sized
        from the settings above, and ``pool_pre_ping``, so a connection left dead by a
        PostgreSQL restart is noticed when taken from the pool and replaced, instead of failing
        the request with STORE_UNAVAILABLE (R5.3). SQLite keeps SQLAlchemy's own pool."""
        if not self.database_url(store).startswith("postgresql"):
            return {}
        options: dict[str, Any] = {"pool_size": self.db_pool_size(store),
                                   "max_overflow": self.db_max_overflow(store),
                                   "pool_pre_ping": True}
        threshold = self.db_prepare_threshold(store)
        if threshold != 5:  # psycopg's own default
            options["connect_args"] = {"prepare_threshold": threshold}
        return options

    @property
    def db_max_connections(self) -> int:
        """The PostgreSQL server's ``max_connections`` the deployment is sized against
        (``EMU_DB_MAX_CONNECTIONS``, PostgreSQL's default 100)."""
        return self._count(None, "DB_MAX_CONNECTIONS", 100, 1)

    @property
    def db_reserved_connections(self) -> int:
        """Connections of ``db_max_connections`` the processes must leave free: for an
        administrator's psql, a backup, the one-off import, a migration
        (``EMU_DB_RESERVED_CONNECTIONS``)."""
        return self._count(None, "DB_RESERVED_CONNECTIONS", 10, 0)

    @property
    def db_replicas(self) -> int:
        """How many processes like this one the deployment runs (``EMU_DB_REPLICAS``): at
        start a process checks that so many of its pools fit in the server's
        ``max_connections`` (``runtime.pools.check_server``)."""
        return self._count(None, "DB_REPLICAS", 1, 1)

    def clock(self) -> Clock:
        """The system clock, or one stopped at ``EMU_FIXED_CLOCK`` (an ISO date-time with its
        offset): how a test injects time into a service running as its own process."""
        value = self.get("EMU_FIXED_CLOCK", "")
        if not value:
            return SystemClock()
        try:
            return FixedClock(datetime.fromisoformat(value))
        except ValueError as exc:
            raise ValueError(f"EMU_FIXED_CLOCK={value!r} is not an ISO date-time with an "
                             f"offset: {exc}") from exc

    def number(self, key: str, default: float) -> float:
        return float(self.get(key, str(default)))

    @property
    def relay_poll_interval(self) -> float:
        """Seconds between a quiet relay's reads: a commit wakes it sooner
        (``runtime.wakeup``), so this bounds only the delay of a lost wake-up."""
        return self.number("EMU_RELAY_POLL_INTERVAL", 5.0)

    @property
    def amqp_heartbeat(self) -> float:
        """Seconds between AMQP heartbeats, for every process's broker connections (the
        relays', the services' and the gateway's): a connection that hears nothing for two
        of them is dropped and opened again, so a half-open one (the network gone, no reset)
        is noticed within seconds, not when the kernel gives up (R5.3). 0: none."""
        return self.number("EMU_AMQP_HEARTBEAT", 10.0)

    @property
    def confirm_timeout(self) -> float:
        """Seconds a relay waits for the broker to confirm a publication; then the connection
        is taken as dead, dropped and opened again, and the batch published again (nothing is
        recorded as published before the broker confirmed it)."""
        return self.number("EMU_CONFIRM_TIMEOUT", 5.0)

    @property
    def catch_up_interval(self) -> float:
        """Seconds from an inbox's last delivery to its next catch-up (what the bus did not
        bring: a lost last event shows no gap until the next one)."""
        return self.number("EMU_CATCH_UP_INTERVAL", 10.0)

    @property
    def catch_up_max_interval(self) -> float:
        """While nothing is delivered, each catch-up that follows another waits twice as long
        as the one before, up to this: a system at rest is not asked every few seconds."""
        return max(self.catch_up_interval, self.number("EMU_CATCH_UP_MAX_INTERVAL", 300.0))

    @property
    def pull_timeout(self) -> float:
        """How long a consumer waits for an upstream's log when filling a gap."""
        return self.number("EMU_PULL_TIMEOUT", 5.0)

    @property
    def retry_delays_ms(self) -> tuple[int, ...]:
        """Delays before each redelivery of a failed event; after the last, it is parked."""
        raw = self.get("EMU_RETRY_DELAYS_MS", "200,1000,5000,30000")
        return tuple(int(part) for part in raw.split(",") if part.strip())

    @property
    def smtp_host(self) -> str:
        """The mail server reminders are sent through; none (the default): they are written
        as files under ``<EMU_DATA_DIR>/mail/`` instead."""
        return self.get("EMU_SMTP_HOST", "")

    @property
    def smtp_port(self) -> int:
        return int(self.get("EMU_SMTP_PORT", "25"))

    @property
    def mail_sender(self) -> str:
        return self.get("EMU_MAIL_FROM", "Phong trào thi đua <thongbao@thidua.invalid>")

    @property
    def mail_domain(self) -> str:
        """The right-hand side of every reminder's Message-ID."""
        return self.get("EMU_MAIL_DOMAIN", "thongbao.thidua.invalid")

    @property
    def mail_retry_delays(self) -> tuple[float, ...]:
        """Seconds before each new attempt at a mail the server refused; after the last, the
        mail is parked (kept, shown, not tried again)."""
        raw = self.get("EMU_MAIL_RETRY_DELAYS", "60,300,1800,7200")
        return tuple(float(part) for part in raw.split(",") if part.strip())

    @property
    def checkpoint_dir(self) -> Path:
        """Where each store's signed chain heads are published (``runtime.checkpoints``): a
        place the stores' administrator cannot rewrite (deploy/README.md)."""
        return Path(self.get("EMU_CHECKPOINT_DIR", str(self.data_dir / "checkpoints"))).resolve()

    @property
    def checkpoint_key(self) -> Path:
        """The Ed25519 private key (PEM) the checkpoints are signed with; in development one
        is made there once."""
        return Path(self.get("EMU_CHECKPOINT_KEY_FILE", str(
            self.data_dir / ".secrets" / "checkpoints" / "ed25519.pem"))).resolve()

    @property
    def checkpoint_every(self) -> float:
        """Seconds between two looks at a store's head; a line is published when it moved."""
        return self.number("EMU_CHECKPOINT_EVERY", 3600.0)

    @property
    def gateway_host(self) -> str:
        return self.get("GATEWAY_HOST", "127.0.0.1")

    @property
    def gateway_port(self) -> int:
        return int(self.get("GATEWAY_PORT", "8080"))

    @property
    def rpc_timeout(self) -> float:
        return self.number("EMU_RPC_TIMEOUT", 10.0)

    @property
    def log_format(self) -> str:
        """``json`` (one object per line, the default) or ``text`` (for people)."""
        value = self.get("EMU_LOG_FORMAT", "json").lower()
        if value not in ("json", "text"):
            raise ValueError(f"EMU_LOG_FORMAT={value!r}: json or text")
        return value

    @property
    def log_level(self) -> str:
        return self.get("EMU_LOG_LEVEL", "INFO").upper()

    @property
    def metrics_port(self) -> int:
        """Where a service or relay serves /metrics and /healthz; 0 (the default): nowhere."""
        return int(self.get("EMU_METRICS_PORT", "0"))

    @property
    def metrics_host(self) -> str:
        """Where /metrics and /healthz listen: where the gateway does (127.0.0.1 by default)
        unless ``EMU_METRICS_HOST`` says otherwise (0.0.0.0 in containers, for the probes)."""
        return self.get("EMU_METRICS_HOST", self.gateway_host)

    @property
    def metrics_port_base(self) -> int:
        """``make run``: the first of the consecutive metrics ports of the services and
        relays, in the order of ``runtime.services.processes()``; 0: none."""
        return int(self.get("EMU_METRICS_PORT_BASE", "9100"))

    def nameko_config(self) -> dict[str, object]:
        return {
            "AMQP_URI": self.amqp_uri,
            "max_workers": int(self.number("EMU_MAX_WORKERS", 10)),
            "serializer": "json",
            "EMU_QUEUE_TYPE": self.queue_type,
            "EMU_DELIVERY_LIMIT": self.delivery_limit,
            "HEARTBEAT": self.amqp_heartbeat,
        }
