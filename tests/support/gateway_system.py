"""The whole system behind its gateway, for tests that drive it as a front end would: every
service and relay as its own process on PostgreSQL and RabbitMQ, the gateway process serving
HTTP and gRPC, a real HTTP client, and the small province of ``tests.support.province``
built through the API by an administrator, with a login for each person who acts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from gateway.catalogue import operation
from runtime.adapter import upstream_sources
from runtime.services import SERVICES as SPECS
from tests.support.processes import Processes, eventually, free_port
from tests.support.province import Province, build

SERVICES = tuple(SPECS)  # every service of the system, as `make run` starts them
ADMIN_PASSWORD = "quản-trị-viên-2026"
PASSWORD = "mật-khẩu-thử-nghiệm"
SECRET = "a-test-signing-secret-that-is-long-enough-1234567890"


class ApiError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.body = response.json() if response.content else {}
        self.code = self.body.get("code")
        super().__init__(f"{self.status} {self.code}: {self.body.get('detail')}")


@dataclass
class System:
    processes: Processes
    base_url: str
    grpc_port: int
    tokens: dict[str, str] = field(default_factory=dict)  # login -> token
    province: Province | None = None

    def http(self, token: str | None = None, **headers: str) -> httpx.Client:
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def sign_in(self, username: str, password: str = PASSWORD) -> str:
        with self.http() as client:
            response = client.post("/v1/auth/token", json={"username": username,
                                                            "password": password})
        if response.status_code != 200:
            raise ApiError(response)
        token = str(response.json()["access_token"])
        self.tokens[username] = token
        return token

    def call(self, login: str, service: str, method: str, *args: Any,
             headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """A command (POST) or query (GET) through the API as a signed-in user; positional
        arguments are named from the service's signature."""
        op = operation(service, method)
        assert op is not None, f"no operation {service}.{method}"
        kwargs.update({p.name: a for p, a in zip(op.params, args, strict=False)})
        with self.http(self.tokens[login], **(headers or {})) as client:
            if op.command:
                response = client.post(op.path, json=kwargs)
            else:
                response = client.get(op.path, params={k: v for k, v in kwargs.items()
                                                       if v is not None})
        if response.status_code >= 300:
            raise ApiError(response)
        body = response.json()
        return body.get("result", body)

    def make_user(self, username: str, roles: list[tuple[str, str | None]],
                  person_id: str | None = None) -> str:
        with self.http(self.tokens["admin"]) as client:
            response = client.post("/v1/users", json={
                "username": username, "password": PASSWORD, "person_id": person_id,
                "roles": [{"role": r, "union_id": u} for r, u in roles]})
        if response.status_code != 201:
            raise ApiError(response)
        return self.sign_in(username)


class AsAdministrator:
    """The registry through the API as the administrator, in the application's shape, so
    ``tests.support.province.build`` drives it."""

    def __init__(self, system: System) -> None:
        self.system = system

    def __getattr__(self, method: str) -> Any:
        return lambda *args, **kwargs: self.system.call("admin", "registry", method, *args,
                                                        **kwargs)


@contextmanager
def running(tmp_path: Path, amqp_uri: str, pg_url: str, env: dict[str, str] | None = None,
            process_env: Mapping[str, Mapping[str, str]] | None = None) -> Iterator[System]:
    """The whole system as processes; ``process_env`` adds settings to one process by name
    (``initiatives``, ``initiatives-relay``…), such as its own metrics port."""
    process_env = process_env or {}
    port, grpc_port = free_port(), free_port()
    settings = {"AMQP_URI": amqp_uri, "EMU_DATA_DIR": str(tmp_path / "data"),
                "EMU_FIXED_CLOCK": "2026-06-30T12:00:00+07:00",
                "GATEWAY_HOST": "127.0.0.1", "GATEWAY_PORT": str(port),
                "GATEWAY_GRPC_PORT": str(grpc_port), "GATEWAY_ADMIN_PASSWORD": ADMIN_PASSWORD,
                "GATEWAY_TOKEN_SECRET": SECRET, "GATEWAY_RPC_TIMEOUT": "5",
                **{f"{s.upper()}_DATABASE_URL": pg_url for s in (*SERVICES, "gateway")},
                **(env or {})}
    processes = Processes(tmp_path, settings)
    for name in SERVICES:
        processes.service(name, env=dict(process_env.get(name, {})))
        processes.relay(name, env=dict(process_env.get(f"{name}-relay", {})))
    processes.start("gateway", "-m", "gateway")
    system = System(processes, f"http://127.0.0.1:{port}", grpc_port)
    try:
        processes.wait_ready(*SERVICES)
        eventually(lambda: httpx.get(f"{system.base_url}/ready", timeout=5).status_code == 200,
                   timeout=30, what="the gateway is ready")
        system.sign_in("admin", ADMIN_PASSWORD)
        yield system
    finally:
        processes.stop_all()


def caught_up(system: System, consumer: str, upstream: str) -> bool:
    """The consumer has processed every event the upstream has published so far: the
    upstream's log holds no published event after the consumer's position. (Its last event
    may be internal, never published, so positions alone cannot be compared.)"""
    processed = system.processes.call(consumer, "processed", upstream, timeout=5)
    page = system.processes.call(upstream, "notifications", processed, None, 1000, timeout=10)
    return not page["envelopes"]


def wait_caught_up(system: System, upstreams: tuple[str, ...] = SERVICES,
                   timeout: float = 180.0, interval: float = 0.5) -> None:
    """Each service has every event published so far by each upstream (of ``upstreams``) it
    consumes (its ``consume_events`` entrypoints)."""
    for consumer in SERVICES:
        for upstream in upstream_sources(SPECS[consumer].service_class()):
            if upstream in upstreams:
                eventually(partial(caught_up, system, consumer, upstream), timeout, interval,
                           f"{consumer} has every event of {upstream}")


def with_province(system: System) -> Province:
    """The province built through the API, each consumer caught up, and a login per person
    who acts: ``a`` (CS-1 executive), ``d`` (CS-1 member), ``f`` (CS-2 executive), ``g``
    (TV-CL standing), ``h`` (TV standing), ``auditor`` (auditor of TV-CL's subtree)."""
    w = build(AsAdministrator(system))
    system.province = w
    wait_caught_up(system, ("registry",), timeout=20, interval=0.1)
    for login, letter, role, code in (("a", "A", "executive", "CS-1"), ("d", "D", "member", "CS-1"),
                                      ("f", "F", "executive", "CS-2"),
                                      ("g", "G", "standing", "TV-CL"), ("h", "H", "standing", "TV")):
        system.make_user(login, [(role, w.unions[code])], w.people[letter])
    system.make_user("auditor", [("auditor", w.unions["TV-CL"])])
    return w
