"""Writes the deployment files from the one list of processes (``runtime.services``).

    python deploy/render.py           # (re)write docker-compose.yml, deploy/postgres-init.sql, deploy/k8s/
    python deploy/render.py --check   # write nothing; exit 1 and show a diff if any file differs

``make run`` starts ``runtime.services.processes()`` after ``setup_steps()``; the files written
here run exactly those processes with exactly those commands, in containers (compose) and on
Kubernetes. Adding a service to ``SERVICES`` and running this script gives it its database,
its container, its relay, its Deployment, Service and HorizontalPodAutoscaler.
``tests/unit/test_deploy.py`` fails when the files on disk are not what this script renders.

A process is one of three kinds, told by its command: a service (``runtime.serve <name>``), a
relay (``runtime.relay <name>``) or the gateway (``gateway``). A process of any other kind
stops the script: how to run it (ports, probes, scaling) has to be decided here first.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: the repository's packages are importable
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from runtime.config import Settings  # noqa: E402
from runtime.errors import PoolBudgetExceeded  # noqa: E402
from runtime.pools import Demand, check_budget, per_process  # noqa: E402
from runtime.services import Process, processes, setup_steps  # noqa: E402

IMAGE = "emulation-platform"
IMAGE_TAG = "local"
APP_DIR = "/app"  # WORKDIR of deploy/Dockerfile
DEMO_DATA = "deploy/demo/tra-vinh.json"  # copied into the image by deploy/Dockerfile
METRICS_PORT = 9100  # EMU_METRICS_PORT: /healthz and /metrics of every service and relay
# Inside a container the process listens on the pod's own network namespace: every interface
# there is the container's, reached only through its Service (bandit B104 judged safe).
ALL_INTERFACES = "0.0.0.0"  # nosec B104
HTTP_PORT = 8080  # the gateway: HTTP/JSON, /health, /ready, /metrics
GRPC_PORT = 50051  # the gateway: gRPC
RUN_AS = 10001  # the image's user (numeric, so Kubernetes can verify runAsNonRoot)
CONFIG_MAP = "emulation-config"
SECRET = "emulation-secrets"
PART_OF = "emulation-platform"

COMPOSE_FILE = "docker-compose.yml"
POSTGRES_INIT = "deploy/postgres-init.sql"
K8S_DIR = "deploy/k8s"

# Values an operator must give (compose reads them from the environment or `.env`): never
# written into a file of the repository. deploy/compose.env.example lists them.
REQUIRED = "see deploy/compose.env.example"
POSTGRES_PASSWORD = f"${{POSTGRES_PASSWORD:?set POSTGRES_PASSWORD, {REQUIRED}}}"
RABBITMQ_PASSWORD = f"${{RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD, {REQUIRED}}}"
TOKEN_SECRET = f"${{GATEWAY_TOKEN_SECRET:?set GATEWAY_TOKEN_SECRET, {REQUIRED}}}"
ADMIN_PASSWORD = f"${{GATEWAY_ADMIN_PASSWORD:?set GATEWAY_ADMIN_PASSWORD, {REQUIRED}}}"
ERLANG_COOKIE = f"${{RABBITMQ_ERLANG_COOKIE:?set RABBITMQ_ERLANG_COOKIE, {REQUIRED}}}"
RABBITMQ_USER = "emulation"

# The broker is a cluster of three RabbitMQ nodes and every durable queue a quorum queue on it
# (EMU_QUEUE_TYPE, runtime/bus.py): a node's loss loses no acknowledged message (R5.3). The
# processes name every node in AMQP_URI (kombu's failover: the next node when one is gone).
RABBITMQ_NODES = ("rabbitmq-1", "rabbitmq-2", "rabbitmq-3")
RABBITMQ_CONF = "deploy/rabbitmq-cluster.conf"
QUEUE_TYPE = "quorum"

# Settings an operator may tune without editing the file (empty: the process's default).
TUNABLES = {
    "service": ("EMU_LOG_LEVEL", "EMU_MAX_WORKERS", "EMU_RPC_TIMEOUT", "EMU_RETRY_DELAYS_MS",
                "EMU_CATCH_UP_INTERVAL", "EMU_PULL_TIMEOUT"),
    "relay": ("EMU_LOG_LEVEL", "EMU_RELAY_POLL_INTERVAL", "EMU_CHECKPOINT_EVERY"),
    "gateway": ("EMU_LOG_LEVEL", "GATEWAY_TOKEN_TTL", "GATEWAY_RPC_TIMEOUT", "GATEWAY_GRPC_WORKERS"),
}


# Connections to PostgreSQL (runtime/pools.py, deploy/README.md "Connection pools"). Services and
# the gateway reach their stores through PgBouncer in transaction pooling: any number of their
# instances share a few server connections. Relays connect to PostgreSQL directly: they LISTEN
# and hold their lease as a session advisory lock (runtime/wakeup.py), which a transaction
# pooler would hand to another client between two transactions.
PGBOUNCER = "pgbouncer"
PGBOUNCER_IMAGE = "edoburu/pgbouncer:v1.25.2-p0"  # PgBouncer 1.25.2: prepared statements (>= 1.22)
PGBOUNCER_PORT = 6432
PGBOUNCER_UID = 70  # the image's user `postgres`
POSTGRES_MAX_CONNECTIONS = 100  # compose's PostgreSQL (its default), stated in its command
# What each process opens at most (pool + overflow): services and the gateway 5 + 5 (nameko's 10
# workers each holding one); a relay 2 + 1 (plus its LISTEN session), it works in one thread.
POOLS = {"service": (5, 5), "gateway": (5, 5), "relay": (2, 1)}
# The most replicas the budget allows for: the HPA's maxReplicas on Kubernetes, `--scale` in
# compose (the gateway publishes host ports there: one). Relays stay at one.
MAX_REPLICAS = {"k8s": {"service": 10, "gateway": 10, "relay": 1, PGBOUNCER: 2},
                "compose": {"service": 10, "gateway": 1, "relay": 1, PGBOUNCER: 1}}
# PgBouncer's side: server connections it opens per database (each instance), the clients it
# accepts, and the prepared statements it keeps per server connection (psycopg prepares a query
# run 5 times; PgBouncer >= 1.22 maps them onto its server connections).
PGBOUNCER_SETTINGS = {
    "k8s": {"DEFAULT_POOL_SIZE": "5", "MAX_DB_CONNECTIONS": "5"},
    "compose": {"DEFAULT_POOL_SIZE": "10", "MAX_DB_CONNECTIONS": "10"},
}
PGBOUNCER_COMMON = {"LISTEN_PORT": str(PGBOUNCER_PORT), "POOL_MODE": "transaction",
                    "AUTH_TYPE": "scram-sha-256", "MAX_CLIENT_CONN": "1000",
                    "MAX_PREPARED_STATEMENTS": "200", "SERVER_CONNECT_TIMEOUT": "5"}


# Decision PDFs are signed with the deciding union's key (runtime/documents/signing.py). In
# compose, one volume shared by the services holds the development authority, made once by the
# first to sign; in Kubernetes the operator's keys come from a Secret (flat: <union id>.pem)
# and the trust root from a ConfigMap, and no authority is present, so nothing is issued.
SIGNING_DIR = "/data/.secrets/signing"
SIGNING_KEYS_SECRET = "emulation-signing-keys"
SIGNING_TRUST_CONFIG_MAP = "emulation-signing-trust"
K8S_SIGNING = {"EMU_SIGNING_DIR": "/signing", "EMU_SIGNING_TRUST": "/signing-trust/ca.crt"}

# Published checkpoints (runtime/checkpoints.py, R5.1): each relay appends its store's signed
# chain head to a directory the gateway serves read-only, and that the stores' administrator
# cannot rewrite (deploy/README.md). In compose, a named volume (and the development key, made
# once by the first relay, in another); in Kubernetes a ReadWriteMany claim, written by the
# relays and mounted read-only by the gateway, and the operator's key from a Secret.
CHECKPOINT_DIR = "/data/checkpoints"
CHECKPOINT_KEY_DIR = "/data/.secrets/checkpoints"
CHECKPOINTS_CLAIM = "emulation-checkpoints"
CHECKPOINT_KEY_SECRET = "emulation-checkpoint-key"
K8S_CHECKPOINTS = {"EMU_CHECKPOINT_DIR": "/checkpoints",
                   "EMU_CHECKPOINT_KEY_FILE": "/checkpoint-key/ed25519.pem"}


@dataclass(frozen=True)
class Unit:
    """One process of ``processes()`` with what deploying it needs."""

    process: Process
    kind: str  # service | relay | gateway
    store: str  # whose database it opens: <STORE>_DATABASE_URL

    @property
    def name(self) -> str:
        return self.process.name

    @property
    def command(self) -> list[str]:
        return list(self.process.argv)


def classify(process: Process) -> Unit:
    argv = process.argv
    if argv[1:3] == ("-m", "runtime.serve") and len(argv) == 4:
        return Unit(process, "service", argv[3])
    if argv[1:3] == ("-m", "runtime.relay") and len(argv) == 4:
        return Unit(process, "relay", argv[3])
    if argv[1:] == ("-m", "gateway"):
        return Unit(process, "gateway", "gateway")
    raise SystemExit(f"deploy/render.py does not know how to deploy {process.name!r} "
                     f"({' '.join(argv)}): teach classify() its kind first")


def units(plan: Iterable[Process] | None = None) -> list[Unit]:
    return [classify(p) for p in (processes(python="python") if plan is None else plan)]


def import_steps() -> list[Process]:
    """The one-off steps ``make run`` runs first, as the container runs them."""
    return setup_steps(Path(APP_DIR) / DEMO_DATA, python="python")


def stores(plan: list[Unit]) -> list[str]:
    return list(dict.fromkeys(u.store for u in plan))


# --- YAML with comments -------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Block style, except a short list of scalars (a command, a probe) on one line; a value
    used twice is written twice (no anchors)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
    flow = (all(isinstance(i, str | int) for i in items)
            and sum(len(str(i)) + 2 for i in items) <= 60)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_Dumper.add_representer(list, _list)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True, width=200)


def _comment(text: str, indent: str = "") -> str:
    """Comment lines; a paragraph longer than a line is wrapped, a line starting with spaces
    (an example command) is kept as it is."""
    out = []
    for line in text.strip("\n").splitlines():
        wrapped = [line] if line.startswith(" ") or not line else textwrap.wrap(
            line, 96 - len(indent), break_on_hyphens=False)
        out += [f"{indent}# {part}".rstrip() + "\n" for part in wrapped]
    return "".join(out)


def _indented(data: Any, indent: str) -> str:
    return "".join(indent + line if line.strip() else line
                   for line in _dump(data).splitlines(keepends=True))


GENERATED = "Generated by `python deploy/render.py` from runtime/services.py: do not edit by hand."


# --- docker-compose.yml -------------------------------------------------------------------

def _python_probe(url: str) -> list[str]:
    """A health check with the image's own Python (the slim image has no curl): exits non-zero
    on a refused connection, a timeout or any status but 2xx (urlopen raises on 503)."""
    return ["CMD", "python", "-c", f"import urllib.request; urllib.request.urlopen('{url}', timeout=4)"]


def _database_url(store: str, through: str = "postgres") -> str:
    port = PGBOUNCER_PORT if through == PGBOUNCER else 5432
    return f"postgresql+psycopg://postgres:{POSTGRES_PASSWORD}@{through}:{port}/{store}"


def _through(unit: Unit) -> str:
    """Where a process's store connections go: PgBouncer, or PostgreSQL for a relay (its
    LISTEN and session advisory lock need a session of their own)."""
    return "postgres" if unit.kind == "relay" else PGBOUNCER


def _pool_env(kind: str) -> dict[str, str]:
    size, overflow = POOLS[kind]
    return {"EMU_DB_POOL_SIZE": str(size), "EMU_DB_MAX_OVERFLOW": str(overflow)}


def _compose_environment(unit: Unit) -> dict[str, str]:
    env = {
        "AMQP_URI": ";".join(f"amqp://{RABBITMQ_USER}:{RABBITMQ_PASSWORD}@{node}:5672/"
                             for node in RABBITMQ_NODES),
        f"{unit.store.upper()}_DATABASE_URL": _database_url(unit.store, _through(unit)),
        "EMU_QUEUE_TYPE": QUEUE_TYPE,
        **_pool_env(unit.kind),
    }
    if unit.kind == "gateway":
        env |= {"GATEWAY_HOST": ALL_INTERFACES, "GATEWAY_PORT": str(HTTP_PORT),
                "GATEWAY_GRPC_PORT": str(GRPC_PORT), "GATEWAY_TOKEN_SECRET": TOKEN_SECRET,
                "GATEWAY_ADMIN_PASSWORD": ADMIN_PASSWORD}
    else:
        env |= {"EMU_METRICS_HOST": ALL_INTERFACES, "EMU_METRICS_PORT": str(METRICS_PORT)}
    for key in TUNABLES[unit.kind]:
        env[key] = f"${{{key}:-}}"
    return env


def _app(command: list[str], environment: dict[str, str]) -> dict[str, Any]:
    return {
        "image": f"${{EMU_IMAGE:-{IMAGE}:{IMAGE_TAG}}}",
        "build": {"context": ".", "dockerfile": "deploy/Dockerfile"},
        "command": command,
        "environment": environment,
    }


def compose(plan: list[Unit]) -> str:
    steps = import_steps()
    infra = {**{node: {"condition": "service_healthy"} for node in RABBITMQ_NODES},
             "postgres": {"condition": "service_healthy"},
             PGBOUNCER: {"condition": "service_healthy"}}
    services: dict[str, tuple[str, dict[str, Any]]] = {
        node: (f"RabbitMQ node {i} of {len(RABBITMQ_NODES)} (nameko RPC and the published "
               f"events): the nodes form one cluster ({RABBITMQ_CONF}) and every queue is a "
               "quorum queue, replicated on the three." if i == 1 else
               f"RabbitMQ node {i} of {len(RABBITMQ_NODES)}: joins the others at start.", {
            "image": "rabbitmq:3.13-management",
            "hostname": node,
            "restart": "unless-stopped",
            "environment": {"RABBITMQ_DEFAULT_USER": RABBITMQ_USER,
                            "RABBITMQ_DEFAULT_PASS": RABBITMQ_PASSWORD,
                            "RABBITMQ_ERLANG_COOKIE": ERLANG_COOKIE},
            "volumes": [f"{node}:/var/lib/rabbitmq",
                        f"./{RABBITMQ_CONF}:/etc/rabbitmq/conf.d/20-cluster.conf:ro"],
            "healthcheck": {"test": ["CMD", "rabbitmq-diagnostics", "-q", "ping"],
                            "interval": "10s", "timeout": "10s", "retries": 12,
                            "start_period": "30s"},
        }) for i, node in enumerate(RABBITMQ_NODES, 1)
    }
    services |= {
        "postgres": (f"One database per service and one for the gateway ({POSTGRES_INIT}). "
                     f"max_connections is what the connection budget is checked against.", {
            "image": "postgres:16",
            "command": ["postgres", "-c", f"max_connections={POSTGRES_MAX_CONNECTIONS}"],
            "restart": "unless-stopped",
            "environment": {"POSTGRES_PASSWORD": POSTGRES_PASSWORD},
            "volumes": ["postgres:/var/lib/postgresql/data",
                        f"./{POSTGRES_INIT}:/docker-entrypoint-initdb.d/init.sql:ro"],
            "healthcheck": {"test": ["CMD", "pg_isready", "-U", "postgres"],
                            "interval": "5s", "timeout": "5s", "retries": 20},
        }),
    }
    services[PGBOUNCER] = (
        "PgBouncer in transaction pooling: the services and the gateway connect here, and share "
        f"at most {PGBOUNCER_SETTINGS['compose']['MAX_DB_CONNECTIONS']} connections to each "
        "database however far they are scaled. The relays connect to postgres directly "
        "(LISTEN and a session lock). deploy/README.md: Connection pools.", {
            "image": PGBOUNCER_IMAGE,
            "restart": "unless-stopped",
            "environment": {"DB_HOST": "postgres", "DB_USER": "postgres",
                            "DB_PASSWORD": POSTGRES_PASSWORD, **PGBOUNCER_COMMON,
                            **PGBOUNCER_SETTINGS["compose"]},
            "depends_on": {"postgres": {"condition": "service_healthy"}},
            "expose": [str(PGBOUNCER_PORT)],
            "healthcheck": {"test": ["CMD", "pg_isready", "-h", "127.0.0.1", "-p",
                                     str(PGBOUNCER_PORT)],
                            "interval": "5s", "timeout": "5s", "retries": 20},
        })
    waits = dict(infra)
    for step in steps:
        unit_env = {"REGISTRY_DATABASE_URL": _database_url("registry")}
        services[step.name] = (
            "One-off, as `make run` does first: loads the demo province into the registry "
            "(skipping what is already there) and exits; every process waits for it to succeed.",
            _app(list(step.argv), unit_env) | {
                "restart": "no", "depends_on": {"postgres": {"condition": "service_healthy"}}})
        waits[step.name] = {"condition": "service_completed_successfully"}
    for unit in plan:
        spec = _app(unit.command, _compose_environment(unit)) | {
            "restart": "unless-stopped", "x-max-replicas": MAX_REPLICAS["compose"][unit.kind]}
        if unit.kind == "gateway":
            spec["depends_on"] = waits | {u.name: {"condition": "service_healthy"}
                                          for u in plan if u.kind == "service"}
            spec["ports"] = [f"${{HOST_HTTP_PORT:-{HTTP_PORT}}}:{HTTP_PORT}",
                             f"${{HOST_GRPC_PORT:-{GRPC_PORT}}}:{GRPC_PORT}"]
            spec["healthcheck"] = {"test": _python_probe(f"http://127.0.0.1:{HTTP_PORT}/ready"),
                                   "interval": "10s", "timeout": "5s", "retries": 6,
                                   "start_period": "30s"}
            spec["volumes"] = [f"checkpoints:{CHECKPOINT_DIR}:ro"]
            note = ("The API: HTTP/JSON on 8080 (/docs, /health, /ready, /metrics), gRPC on 50051. "
                    "Healthy when /ready says every service and store answers. Serves the "
                    "published checkpoints read-only (/public/api/checkpoints).")
        else:
            spec["depends_on"] = dict(waits)
            if unit.kind == "service":
                spec["volumes"] = [f"signing:{SIGNING_DIR}"]
            else:
                spec["volumes"] = [f"checkpoints:{CHECKPOINT_DIR}",
                                   f"checkpoint-key:{CHECKPOINT_KEY_DIR}"]
            spec["expose"] = [str(METRICS_PORT)]
            spec["healthcheck"] = {
                "test": _python_probe(f"http://127.0.0.1:{METRICS_PORT}/healthz"),
                "interval": "10s", "timeout": "5s", "retries": 6, "start_period": "20s"}
            note = (f"The {unit.store} service (nameko RPC over RabbitMQ); /healthz and /metrics on "
                    f"{METRICS_PORT}. Scale with --scale {unit.name}=N."
                    if unit.kind == "service" else
                    f"The {unit.store} relay: publishes the {unit.store} store's events in order, "
                    "and its signed checkpoints. One is the normal state (a second is harmless: "
                    "consumers dedupe).")
        services[unit.name] = (note, spec)

    out = [_comment(f"""
{GENERATED}

The whole system as operators run it: RabbitMQ, PostgreSQL (one database per service and one
for the gateway), the demo import, and the processes `make run` starts, one container each.

    cp deploy/compose.env.example .env    # then put real secrets in .env (never commit it)
    docker compose up -d --build
    docker compose ps                     # every container healthy; the API on :8080

Scale a service on its own (R5.3): `docker compose up -d --scale initiatives=3`. Instances
share the service's RPC queue and its event consumers; the tracking records make a second
instance's work harmless (no double effect). Relays stay at one, the gateway at one (it
publishes host ports). More in deploy/README.md.
""")]
    out.append(_dump({"name": PART_OF}))
    out.append("\nservices:\n")
    for name, (note, spec) in services.items():
        out.append(_comment(note, "  "))
        out.append(_indented({name: spec}, "  "))
        out.append("\n")
    out.append(_comment("checkpoints: the published checkpoints; in production somewhere the "
                        "database administrator cannot rewrite (deploy/README.md)."))
    out.append(_dump({"volumes": {"postgres": {}, **{node: {} for node in RABBITMQ_NODES},
                                  "signing": {}, "checkpoints": {}, "checkpoint-key": {}}}))
    return "".join(out)


def rabbitmq_cluster_conf() -> str:
    """The compose cluster's formation: each node finds the others by name at start."""
    lines = [f"# {GENERATED}", "# The RabbitMQ nodes of docker-compose.yml form one cluster.",
             "cluster_formation.peer_discovery_backend = classic_config"]
    lines += [f"cluster_formation.classic_config.nodes.{i} = rabbit@{node}"
              for i, node in enumerate(RABBITMQ_NODES, 1)]
    lines += ["# A node cut off from the majority pauses rather than diverge.",
              "cluster_partition_handling = pause_minority"]
    return "\n".join(lines) + "\n"


def postgres_init(plan: list[Unit]) -> str:
    lines = [f"-- {GENERATED}",
             "-- One database per service and one for the gateway (each owns its store).",
             *(f"CREATE DATABASE {store};" for store in stores(plan))]
    return "\n".join(lines) + "\n"


# --- Kubernetes ---------------------------------------------------------------------------

def _labels(unit: Unit) -> dict[str, str]:
    return {"app.kubernetes.io/name": unit.name, "app.kubernetes.io/component": unit.kind,
            "app.kubernetes.io/part-of": PART_OF}


def _selector(unit: Unit) -> dict[str, str]:
    return {"app.kubernetes.io/name": unit.name, "app.kubernetes.io/part-of": PART_OF}


def _probe(path: str, port: str, period: int, failures: int) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": port}, "periodSeconds": period,
            "timeoutSeconds": 3, "failureThreshold": failures}


def _secret_env(entries: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"name": name, "valueFrom": {"secretKeyRef": {"name": SECRET, "key": key}}}
            for name, key in entries]


def secret_entries(unit: Unit) -> list[tuple[str, str]]:
    """(variable, key of the Secret) a process reads: a relay's store URL is the direct one
    (``<STORE>_DIRECT_DATABASE_URL``), the others' go through PgBouncer."""
    url = f"{unit.store.upper()}_DATABASE_URL"
    entries = [("AMQP_URI", "AMQP_URI"),
               (url, f"{unit.store.upper()}_DIRECT_DATABASE_URL" if unit.kind == "relay" else url)]
    if unit.kind == "gateway":
        entries += [(key, key) for key in ("GATEWAY_TOKEN_SECRET", "GATEWAY_ADMIN_PASSWORD")]
    return entries


def secret_keys(unit: Unit) -> list[str]:
    return [key for _, key in secret_entries(unit)]


def _pool_overrides(unit: Unit) -> list[dict[str, Any]]:
    """A relay's smaller pool, over the ConfigMap's (which the services and gateway use)."""
    if unit.kind != "relay":
        return []
    return [{"name": name, "value": value} for name, value in _pool_env(unit.kind).items()]


def deployment(unit: Unit) -> dict[str, Any]:
    if unit.kind == "gateway":
        ports = [{"name": "http", "containerPort": HTTP_PORT},
                 {"name": "grpc", "containerPort": GRPC_PORT}]
        readiness, liveness = _probe("/ready", "http", 10, 3), _probe("/health", "http", 10, 6)
        startup = _probe("/health", "http", 2, 30)
        scrape, resources = str(HTTP_PORT), {"requests": {"cpu": "250m", "memory": "256Mi"},
                                             "limits": {"cpu": "2", "memory": "1Gi"}}
    else:
        ports = [{"name": "metrics", "containerPort": METRICS_PORT}]
        readiness, liveness = _probe("/healthz", "metrics", 10, 3), _probe("/healthz", "metrics", 10, 6)
        startup = _probe("/healthz", "metrics", 2, 60)
        scrape = str(METRICS_PORT)
        resources = ({"requests": {"cpu": "200m", "memory": "256Mi"},
                      "limits": {"cpu": "1", "memory": "768Mi"}} if unit.kind == "service" else
                     {"requests": {"cpu": "50m", "memory": "128Mi"},
                      "limits": {"cpu": "500m", "memory": "256Mi"}})
    spec: dict[str, Any] = {"selector": {"matchLabels": _selector(unit)}}
    if unit.kind == "relay":
        spec = {"replicas": MAX_REPLICAS["k8s"]["relay"], "strategy": {"type": "Recreate"}} | spec
    else:  # replicas are the HorizontalPodAutoscaler's to set
        spec["strategy"] = {"type": "RollingUpdate",
                            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    spec["template"] = {
        "metadata": {"labels": _labels(unit),
                     "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": scrape,
                                     "prometheus.io/path": "/metrics"}},
        "spec": {
            "automountServiceAccountToken": False,
            "terminationGracePeriodSeconds": 30,
            "securityContext": {"runAsNonRoot": True, "runAsUser": RUN_AS, "runAsGroup": RUN_AS,
                                "fsGroup": RUN_AS, "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{
                "name": unit.name,
                "image": f"{IMAGE}:{IMAGE_TAG}",
                "imagePullPolicy": "IfNotPresent",
                "command": unit.command,
                "ports": ports,
                "envFrom": [{"configMapRef": {"name": CONFIG_MAP}}],
                "env": _secret_env(secret_entries(unit)) + _pool_overrides(unit),
                "startupProbe": startup,
                "readinessProbe": readiness,
                "livenessProbe": liveness,
                "resources": resources,
                "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False,
                                    "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]}},
                "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"},  # nosec B108: its own emptyDir
                                 {"name": "data", "mountPath": "/data"}],
            }],
            "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "data", "emptyDir": {}}],
        },
    }
    if unit.kind == "service":
        container = spec["template"]["spec"]["containers"][0]
        container["volumeMounts"] += [
            {"name": "signing-keys", "mountPath": f"{K8S_SIGNING['EMU_SIGNING_DIR']}/unions",
             "readOnly": True},
            {"name": "signing-trust", "mountPath": "/signing-trust", "readOnly": True}]
        spec["template"]["spec"]["volumes"] += [
            {"name": "signing-keys", "secret": {"secretName": SIGNING_KEYS_SECRET,
                                                "optional": True}},
            {"name": "signing-trust", "configMap": {"name": SIGNING_TRUST_CONFIG_MAP,
                                                    "optional": True}}]
    if unit.kind in ("relay", "gateway"):  # the relays write the checkpoints, the gateway reads
        container = spec["template"]["spec"]["containers"][0]
        container["volumeMounts"].append(
            {"name": "checkpoints", "mountPath": K8S_CHECKPOINTS["EMU_CHECKPOINT_DIR"]}
            | ({"readOnly": True} if unit.kind == "gateway" else {}))
        spec["template"]["spec"]["volumes"].append(
            {"name": "checkpoints", "persistentVolumeClaim": {
                "claimName": CHECKPOINTS_CLAIM, "readOnly": unit.kind == "gateway"}})
    if unit.kind == "relay":
        key_dir = str(Path(K8S_CHECKPOINTS["EMU_CHECKPOINT_KEY_FILE"]).parent)
        container["volumeMounts"].append(
            {"name": "checkpoint-key", "mountPath": key_dir, "readOnly": True})
        spec["template"]["spec"]["volumes"].append(
            {"name": "checkpoint-key", "secret": {"secretName": CHECKPOINT_KEY_SECRET,
                                                  "optional": True, "defaultMode": 0o440}})
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": unit.name, "labels": _labels(unit)}, "spec": spec}


def service(unit: Unit) -> dict[str, Any]:
    ports = ([{"name": "http", "port": HTTP_PORT, "targetPort": "http"},
              {"name": "grpc", "port": GRPC_PORT, "targetPort": "grpc"}]
             if unit.kind == "gateway" else
             [{"name": "metrics", "port": METRICS_PORT, "targetPort": "metrics"}])
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": unit.name, "labels": _labels(unit)},
            "spec": {"type": "ClusterIP", "selector": _selector(unit), "ports": ports}}


def autoscaler(unit: Unit) -> dict[str, Any]:
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": unit.name, "labels": _labels(unit)},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                        "name": unit.name},
                     "minReplicas": 2, "maxReplicas": MAX_REPLICAS["k8s"][unit.kind],
                     "metrics": [{"type": "Resource", "resource": {
                         "name": "cpu", "target": {"type": "Utilization",
                                                   "averageUtilization": 70}}}]}}


def config_map(plan: list[Unit]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": CONFIG_MAP, "labels": {"app.kubernetes.io/part-of": PART_OF}},
            "data": {"EMU_QUEUE_TYPE": QUEUE_TYPE,
                     "EMU_METRICS_HOST": ALL_INTERFACES, "EMU_METRICS_PORT": str(METRICS_PORT),
                     "EMU_DATA_DIR": "/data", **K8S_SIGNING, **K8S_CHECKPOINTS,
                     "GATEWAY_HOST": ALL_INTERFACES, "GATEWAY_PORT": str(HTTP_PORT),
                     "GATEWAY_GRPC_PORT": str(GRPC_PORT), "EMU_LOG_FORMAT": "json",
                     "EMU_LOG_LEVEL": "INFO",
                     **_pool_env("service")}}  # the gateway's pool is the services' size


def checkpoints_claim() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": CHECKPOINTS_CLAIM,
                         "labels": {"app.kubernetes.io/part-of": PART_OF}},
            "spec": {"accessModes": ["ReadWriteMany"],
                     "resources": {"requests": {"storage": "1Gi"}}}}


def all_secret_keys(plan: list[Unit]) -> list[str]:
    return list(dict.fromkeys([*(key for unit in plan for key in secret_keys(unit)),
                               PGBOUNCER_SECRET_KEY]))


PGBOUNCER_SECRET_KEY = "PGBOUNCER_DATABASE_URL"  # PgBouncer's way to PostgreSQL (no database)
PGBOUNCER_CONFIG_MAP = "emulation-pgbouncer"


def _pgbouncer_labels() -> dict[str, str]:
    return {"app.kubernetes.io/name": PGBOUNCER, "app.kubernetes.io/component": "pooler",
            "app.kubernetes.io/part-of": PART_OF}


def pgbouncer_docs() -> list[tuple[str, dict[str, Any]]]:
    labels = _pgbouncer_labels()
    selector = {"app.kubernetes.io/name": PGBOUNCER, "app.kubernetes.io/part-of": PART_OF}
    probe = {"tcpSocket": {"port": "postgres"}, "periodSeconds": 10, "timeoutSeconds": 3,
             "failureThreshold": 3}
    config = {"apiVersion": "v1", "kind": "ConfigMap",
              "metadata": {"name": PGBOUNCER_CONFIG_MAP, "labels": labels},
              "data": {**PGBOUNCER_COMMON, **PGBOUNCER_SETTINGS["k8s"],
                       "SERVER_TLS_SSLMODE": "require"}}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": PGBOUNCER, "labels": labels},
        "spec": {
            "replicas": MAX_REPLICAS["k8s"][PGBOUNCER],
            "selector": {"matchLabels": selector},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {"runAsNonRoot": True, "runAsUser": PGBOUNCER_UID,
                                        "runAsGroup": PGBOUNCER_UID,
                                        "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [{
                        "name": PGBOUNCER,
                        "image": PGBOUNCER_IMAGE,
                        "imagePullPolicy": "IfNotPresent",
                        "ports": [{"name": "postgres", "containerPort": PGBOUNCER_PORT}],
                        "envFrom": [{"configMapRef": {"name": PGBOUNCER_CONFIG_MAP}}],
                        "env": _secret_env([("DATABASE_URL", PGBOUNCER_SECRET_KEY)]),
                        "readinessProbe": probe,
                        "livenessProbe": probe | {"failureThreshold": 6},
                        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                      "limits": {"cpu": "1", "memory": "256Mi"}},
                        # The image writes pgbouncer.ini and userlist.txt from the environment
                        # at start, into its own /etc/pgbouncer: the root filesystem stays
                        # writable, the rest is locked down.
                        "securityContext": {"runAsNonRoot": True,
                                            "allowPrivilegeEscalation": False,
                                            "readOnlyRootFilesystem": False,
                                            "capabilities": {"drop": ["ALL"]}},
                    }],
                },
            },
        },
    }
    service_doc = {"apiVersion": "v1", "kind": "Service",
                   "metadata": {"name": PGBOUNCER, "labels": labels},
                   "spec": {"type": "ClusterIP", "selector": selector,
                            "ports": [{"name": "postgres", "port": PGBOUNCER_PORT,
                                       "targetPort": "postgres"}]}}
    return [("Transaction pooling for the services and the gateway (runtime/pools.py).",
             config),
            (f"{MAX_REPLICAS['k8s'][PGBOUNCER]} instances, each opening at most "
             f"{PGBOUNCER_SETTINGS['k8s']['MAX_DB_CONNECTIONS']} connections to each database: "
             "the connection budget counts them, not the clients' pools. The relays do not come "
             "here (LISTEN and a session advisory lock need a session of their own).", deployment),
            ("The services and the gateway connect to pgbouncer:6432 (their *_DATABASE_URL).",
             service_doc)]


def secret_example(plan: list[Unit]) -> dict[str, Any]:
    data = {}
    for key in all_secret_keys(plan):
        if key == "AMQP_URI":
            data[key] = ";".join(f"amqp://USER:PASSWORD@RABBITMQ-{i}:5672/VHOST"
                                 for i in range(1, len(RABBITMQ_NODES) + 1))
        elif key == PGBOUNCER_SECRET_KEY:
            data[key] = "postgres://USER:PASSWORD@POSTGRES-HOST:5432"
        elif key.endswith("_DIRECT_DATABASE_URL"):
            store = key.removesuffix("_DIRECT_DATABASE_URL").lower()
            data[key] = f"postgresql+psycopg://USER:PASSWORD@POSTGRES-HOST:5432/{store}?sslmode=require"
        elif key.endswith("_DATABASE_URL"):
            store = key.removesuffix("_DATABASE_URL").lower()
            data[key] = f"postgresql+psycopg://USER:PASSWORD@{PGBOUNCER}:{PGBOUNCER_PORT}/{store}"
        else:
            data[key] = "REPLACE-ME"
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": SECRET, "labels": {"app.kubernetes.io/part-of": PART_OF}},
            "type": "Opaque", "stringData": data}


def _documents(docs: list[tuple[str, dict[str, Any]]], header: str) -> str:
    parts = [_comment(f"{GENERATED}\n{header}")]
    for i, (note, doc) in enumerate(docs):
        if i:
            parts.append("---\n")
        if note:
            parts.append(_comment(note))
        parts.append(_dump(doc))
    return "".join(parts)


RELAY_NOTE = """\
One relay per service is the normal state: replicas 1 and strategy Recreate (the old pod stops
before the new one starts). A second relay for a moment would be harmless: it publishes the
same notifications again and every consumer dedupes them by its tracking records. No HPA."""


def k8s(plan: list[Unit]) -> dict[str, str]:
    files: dict[str, str] = {}
    for unit in plan:
        if unit.kind == "relay":
            docs = [(RELAY_NOTE, deployment(unit))]
            header = f"The {unit.store} relay: reads the {unit.store} store's log and publishes it."
        elif unit.kind == "service":
            docs = [("", deployment(unit)),
                    ("The metrics port, for Prometheus; nameko RPC itself goes over RabbitMQ.",
                     service(unit)),
                    ("Instances share the RPC queue and the consumers' work (R5.3).",
                     autoscaler(unit))]
            header = f"The {unit.store} service."
        else:
            docs = [("Ready (/ready) when every service and the gateway's store answer; alive "
                     "(/health) while the process serves.", deployment(unit)),
                    ("HTTP/JSON (also /metrics) and gRPC.", service(unit)),
                    ("", autoscaler(unit))]
            header = "The gateway: the API front ends use."
        files[f"{K8S_DIR}/{unit.name}.yaml"] = _documents(docs, header)
    files[f"{K8S_DIR}/{PGBOUNCER}.yaml"] = _documents(
        pgbouncer_docs(), f"PgBouncer ({PGBOUNCER_IMAGE}) in front of PostgreSQL: see "
        "deploy/README.md, Connection pools.")
    files[f"{K8S_DIR}/configmap.yaml"] = _documents(
        [("", config_map(plan))],
        "Settings that are not secret; any EMU_* or GATEWAY_* setting of runtime/config.py may be "
        "added here.")
    files[f"{K8S_DIR}/checkpoints.yaml"] = _documents(
        [("", checkpoints_claim())],
        "The published checkpoints (runtime/checkpoints.py, R5.1): written by the relays, read\n"
        "by the gateway (read-only), so ReadWriteMany. It must be storage the databases'\n"
        "administrator cannot rewrite: a separate storage class and account, ideally mirrored\n"
        "to object storage with retention (write once) - see deploy/README.md.")
    files[f"{K8S_DIR}/secret.example.yaml"] = _documents(
        [("", secret_example(plan))],
        "A TEMPLATE, not applied by kustomization.yaml: placeholders only. Create the real Secret\n"
        "yourself (deploy/README.md), e.g. kubectl create secret generic emulation-secrets "
        "--from-env-file=secrets.env\n"
        "Decision signing keys (one per union, <union id>.pem) and the trust root:\n"
        f"kubectl create secret generic {SIGNING_KEYS_SECRET} --from-file=unions/\n"
        f"kubectl create configmap {SIGNING_TRUST_CONFIG_MAP} --from-file=ca.crt\n"
        "The checkpoint signing key (Ed25519), read by the relays:\n"
        "  openssl genpkey -algorithm ed25519 -out ed25519.pem\n"
        f"  kubectl create secret generic {CHECKPOINT_KEY_SECRET} --from-file=ed25519.pem")
    resources = ["configmap.yaml", "checkpoints.yaml", f"{PGBOUNCER}.yaml",
                 *(f"{unit.name}.yaml" for unit in plan)]
    files[f"{K8S_DIR}/kustomization.yaml"] = _comment(
        f"{GENERATED}\nThe Secret {SECRET} is not here: the operator creates it (secret.example.yaml "
        "shows its keys).\nSet the image with: kustomize edit set image "
        f"{IMAGE}=REGISTRY/{IMAGE}:TAG") + _dump(
        {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
         "resources": resources})
    return files


# --- the connection budget (runtime/pools.py) ---------------------------------------------

_URL_TARGET = re.compile(r"@([\w.-]+):\d+/\w+")


def _process_demand(name: str, command: list[str], env: dict[str, str], url_key: str,
                    replicas: int) -> tuple[str, Demand]:
    """The store a process opens, and what it may open to it."""
    store = url_key.removesuffix("_DATABASE_URL").lower()
    return store, Demand(name, replicas, per_process(Settings(env), store,
                                                     relay="runtime.relay" in command))


def _through_pgbouncer(pooled: list[tuple[str, Demand]], replicas: int,
                       settings: dict[str, Any]) -> Demand:
    """PgBouncer's server side: each instance opens up to MAX_DB_CONNECTIONS to each database
    its clients use, whatever their number."""
    databases = len({store for store, _ in pooled})
    return Demand(f"{PGBOUNCER} ({databases} databases x MAX_DB_CONNECTIONS)", replicas,
                  databases * int(settings["MAX_DB_CONNECTIONS"]))


def compose_budget(doc: dict[str, Any], reserved: int) -> tuple[int, int]:
    """Checks docker-compose.yml's budget: the relays (direct) and PgBouncer's server
    connections against the postgres service's max_connections; the services' and gateway's
    pools, at their ``x-max-replicas``, against PgBouncer's max_client_conn. Returns both sums;
    raises ``PoolBudgetExceeded``."""
    services = doc["services"]
    max_connections = int(next(arg.split("=", 1)[1] for arg in services["postgres"]["command"]
                               if arg.startswith("max_connections=")))
    direct: list[tuple[str, Demand]] = []
    pooled: list[tuple[str, Demand]] = []
    for name, spec in services.items():
        env = {k: str(v) for k, v in spec.get("environment", {}).items()}
        urls = [key for key in env if key.endswith("_DATABASE_URL")]
        if "command" not in spec or spec.get("restart") == "no" or not urls:
            continue  # infrastructure, or a one-off step (it ends before the others start)
        [url_key] = urls
        match = _URL_TARGET.search(env[url_key])
        demand = _process_demand(name, spec["command"], env, url_key,
                                 int(spec.get("x-max-replicas", 1)))
        (pooled if match and match.group(1) == PGBOUNCER else direct).append(demand)
    bouncer = services[PGBOUNCER]["environment"]
    server_side = _through_pgbouncer(pooled, int(services[PGBOUNCER].get("x-max-replicas", 1)),
                                     bouncer)
    return (check_budget([server_side, *(d for _, d in direct)], max_connections, reserved),
            check_budget([d for _, d in pooled], int(bouncer["MAX_CLIENT_CONN"]), 0, PGBOUNCER,
                         "max_client_conn"))


def k8s_budget(docs: list[dict[str, Any]], max_connections: int,
               reserved: int) -> tuple[int, int]:
    """The same for deploy/k8s: replicas are an HPA's maxReplicas or the Deployment's;
    a process reaches PostgreSQL directly when its URL is a ``*_DIRECT_DATABASE_URL`` of the
    Secret; ``max_connections`` is the operator's server's (``EMU_DB_MAX_CONNECTIONS``)."""
    config_maps = {d["metadata"]["name"]: d["data"] for d in docs if d["kind"] == "ConfigMap"}
    most = {d["spec"]["scaleTargetRef"]["name"]: int(d["spec"]["maxReplicas"])
            for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    direct: list[tuple[str, Demand]] = []
    pooled: list[tuple[str, Demand]] = []
    bouncer_replicas = 0
    for doc in docs:
        if doc["kind"] != "Deployment":
            continue
        name = doc["metadata"]["name"]
        replicas = most.get(name, int(doc["spec"].get("replicas", 1)))
        [container] = doc["spec"]["template"]["spec"]["containers"]
        if name == PGBOUNCER:
            bouncer_replicas = replicas
            continue
        env = {k: str(v) for ref in container.get("envFrom", [])
               for k, v in config_maps[ref["configMapRef"]["name"]].items()}
        env |= {e["name"]: str(e["value"]) for e in container.get("env", []) if "value" in e}
        keys = {e["name"]: e["valueFrom"]["secretKeyRef"]["key"]
                for e in container.get("env", []) if "valueFrom" in e}
        urls = [key for key in keys if key.endswith("_DATABASE_URL")]
        if not urls:
            continue
        [url_key] = urls
        demand = _process_demand(name, container["command"], env, url_key, replicas)
        (direct if keys[url_key].endswith("_DIRECT_DATABASE_URL") else pooled).append(demand)
    bouncer = config_maps[PGBOUNCER_CONFIG_MAP]
    server_side = _through_pgbouncer(pooled, bouncer_replicas, bouncer)
    return (check_budget([server_side, *(d for _, d in direct)], max_connections, reserved),
            check_budget([d for _, d in pooled], int(bouncer["MAX_CLIENT_CONN"]), 0, PGBOUNCER,
                         "max_client_conn"))


def budget_problems(rendered: dict[str, str], settings: Settings | None = None) -> list[str]:
    """Each rendered deployment whose pools cannot fit, as ``where: CODE: message``; none when
    every one fits. PostgreSQL's max_connections for Kubernetes and the reserve (both
    deployments) come from ``EMU_DB_MAX_CONNECTIONS`` and ``EMU_DB_RESERVED_CONNECTIONS``."""
    settings = Settings.from_env() if settings is None else settings
    reserved = settings.db_reserved_connections
    k8s_docs = [doc for path, text in rendered.items()
                if path.startswith(K8S_DIR + "/") and not path.endswith("kustomization.yaml")
                for doc in yaml.safe_load_all(text) if doc]
    checks = [(COMPOSE_FILE, lambda: compose_budget(yaml.safe_load(rendered[COMPOSE_FILE]), reserved)),
              (K8S_DIR, lambda: k8s_budget(k8s_docs, settings.db_max_connections, reserved))]
    problems = []
    for where, check in checks:
        try:
            check()
        except PoolBudgetExceeded as refused:
            problems.append(f"{where}: {refused}")
    return problems


def render(plan: list[Unit] | None = None) -> dict[str, str]:
    """Every generated file: its path under the repository and its text."""
    plan = units() if plan is None else plan
    return {COMPOSE_FILE: compose(plan), POSTGRES_INIT: postgres_init(plan),
            RABBITMQ_CONF: rabbitmq_cluster_conf(), **k8s(plan)}


def drift(rendered: dict[str, str], root: Path | None = None) -> dict[str, str]:
    """The files that differ from what would be rendered (path -> a unified diff); a file in
    deploy/k8s that the script does not render counts too."""
    root = ROOT if root is None else root
    out = {}
    for path, text in rendered.items():
        target = root / path
        current = target.read_text("utf-8") if target.exists() else ""
        if current != text:
            out[path] = "".join(difflib.unified_diff(
                current.splitlines(keepends=True), text.splitlines(keepends=True),
                f"{path} (on disk)", f"{path} (rendered)"))
    k8s_dir = root / K8S_DIR
    for extra in sorted(k8s_dir.glob("*.yaml")) if k8s_dir.exists() else []:
        rel = extra.relative_to(root).as_posix()
        if rel not in rendered:
            out[rel] = f"{rel}: not rendered by deploy/render.py (remove it)\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python deploy/render.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file differs from what would be rendered")
    args = parser.parse_args(argv)
    rendered = render()
    problems = budget_problems(rendered)
    for problem in problems:  # R5.3: a deployment that cannot fit is refused, not written
        print(problem, file=sys.stderr)
    if problems:
        return 1
    differences = drift(rendered)
    if args.check:
        for diff in differences.values():
            sys.stdout.write(diff)
        if differences:
            print(f"deploy files out of date: {', '.join(differences)}; "
                  "run `python deploy/render.py`", file=sys.stderr)
            return 1
        print(f"deploy files match runtime/services.py ({len(rendered)} files); "
              "their connection budgets fit")
        return 0
    for path in differences:
        target = ROOT / path
        if path in rendered:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(rendered[path], "utf-8")
            print(f"wrote {path}")
        else:
            print(f"{path} is not rendered by this script; remove it", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
