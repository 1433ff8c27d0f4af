"""The deployment files run exactly the processes ``make run`` starts (R5.3): one definition,
``runtime.services``, rendered by ``deploy/render.py``; no drift, and no secret in a file.

``docker compose`` is not installed on the development and CI machines, so compose is checked
against the Compose Specification's schema (``deploy/schemas/``) and the rules below; the
Kubernetes manifests against the Kubernetes schemas that ``kubernetes-validate`` bundles, in
strict mode (an unknown field is an error).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from deploy import render
from runtime.services import SERVICES, Process, processes

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")  # the oldest we claim to support, and the newest bundled
REQUIRED_VAR = re.compile(r"^\$\{[A-Z][A-Z0-9_]*:\?[^}]+\}$")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|_PASS$|_KEY$")


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))


def manifests() -> list[tuple[str, dict[str, Any]]]:
    """Every Kubernetes document under deploy/k8s/, with its file name."""
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [(path.name, doc) for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
    return docs


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in manifests() if doc["kind"] == kind}


def kinds() -> dict[str, str]:
    return {unit.name: unit.kind for unit in render.units()}


# --- one definition, no drift --------------------------------------------------------------

def test_r5_3_the_deploy_files_are_what_render_writes_from_runtime_services() -> None:
    differences = render.drift(render.render())
    assert not differences, ("deploy files out of date: run `python deploy/render.py`\n"
                             + "".join(differences.values()))


def test_render_check_fails_on_a_hand_edit_and_on_a_new_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    rendered = render.render()
    for path, text in rendered.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, "utf-8")
    monkeypatch.setattr(render, "ROOT", tmp_path)
    assert render.main(["--check"]) == 0

    compose_file = tmp_path / "docker-compose.yml"
    compose_file.write_text(compose_file.read_text("utf-8").replace(
        "runtime.serve, awards]", "runtime.serve, award]"), "utf-8")
    assert render.main(["--check"]) == 1
    assert "-    command: [python, -m, runtime.serve, award]" in capsys.readouterr().out
    assert render.main([]) == 0 and render.main(["--check"]) == 0  # rewritten

    (tmp_path / "deploy/k8s/stray.yaml").write_text("kind: ConfigMap\n", "utf-8")
    assert "deploy/k8s/stray.yaml" in render.drift(render.render(), tmp_path)
    (tmp_path / "deploy/k8s/stray.yaml").unlink()

    # A service added to runtime/services.py: every file that must change is out of date.
    more = [*processes(python="python"),
            Process("payments", ("python", "-m", "runtime.serve", "payments")),
            Process("payments-relay", ("python", "-m", "runtime.relay", "payments"))]
    stale = render.drift(render.render(render.units(more)), tmp_path)
    assert {"docker-compose.yml", "deploy/postgres-init.sql", "deploy/k8s/payments.yaml",
            "deploy/k8s/payments-relay.yaml", "deploy/k8s/kustomization.yaml",
            "deploy/k8s/secret.example.yaml"} <= set(stale)


def test_a_process_of_an_unknown_kind_stops_the_renderer() -> None:
    with pytest.raises(SystemExit, match="teach classify"):
        render.classify(Process("worker", ("python", "-m", "runtime.worker")))


# --- docker-compose.yml -------------------------------------------------------------------

def test_compose_is_valid_by_the_compose_specification_schema() -> None:
    schema = json.loads((ROOT / "deploy" / "schemas" / "compose-spec.json").read_text("utf-8"))
    jsonschema.Draft7Validator(schema).validate(compose())
    with pytest.raises(jsonschema.ValidationError):  # the schema does catch a mistake
        broken = compose()
        broken["services"]["gateway"]["healthcheck"]["intervall"] = "5s"
        jsonschema.Draft7Validator(schema).validate(broken)


def test_r5_3_compose_runs_the_processes_make_run_starts_after_its_setup_steps() -> None:
    services = compose()["services"]
    steps = {step.name: list(step.argv) for step in render.import_steps()}
    running = {name: spec["command"] for name, spec in services.items()
               if "build" in spec and name not in steps}  # the project's image, not postgres
    assert running == {p.name: list(p.argv) for p in processes(python="python")}
    assert steps and {name: services[name]["command"] for name in steps} == steps
    for name in running:
        for step in steps:
            assert services[name]["depends_on"][step] == {"condition": "service_completed_successfully"}
    for step in steps:
        assert services[step]["restart"] == "no"


def test_compose_demo_data_is_in_the_image() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text("utf-8")
    copied = re.findall(r"^COPY (\S+) (\S+)$", dockerfile, re.M)
    for step in render.import_steps():
        data = Path(step.argv[-1])
        assert any(data.is_relative_to(Path("/app") / Path(target)) and (ROOT / source).is_dir()
                   and (ROOT / source / data.relative_to(Path("/app") / Path(target))).is_file()
                   for source, target in copied), f"{data} is not copied into the image"


def test_compose_gives_every_service_and_the_gateway_its_own_database() -> None:
    services = compose()["services"]
    created = re.findall(r"^CREATE DATABASE (\w+);$",
                         (ROOT / "deploy" / "postgres-init.sql").read_text("utf-8"), re.M)
    assert sorted(created) == sorted([*SERVICES, "gateway"])
    for name, kind in kinds().items():
        store = "gateway" if kind == "gateway" else name.removesuffix("-relay")
        urls = {k: v for k, v in services[name]["environment"].items() if k.endswith("_DATABASE_URL")}
        assert list(urls) == [f"{store.upper()}_DATABASE_URL"]  # its own store only
        assert urls[f"{store.upper()}_DATABASE_URL"].startswith("postgresql+psycopg://")
        # through PgBouncer, but a relay straight to PostgreSQL (its LISTEN and lease)
        target = "postgres:5432" if kind == "relay" else f"pgbouncer:{render.PGBOUNCER_PORT}"
        assert urls[f"{store.upper()}_DATABASE_URL"].endswith(f"@{target}/{store}"), name


def test_compose_health_checks_restarts_and_scaling() -> None:
    services = compose()["services"]
    for name, spec in services.items():
        if name in {s.name for s in render.import_steps()}:
            continue
        assert spec["restart"] == "unless-stopped", name
        assert spec["healthcheck"]["test"][0] == "CMD", name
    for name, kind in kinds().items():
        spec = services[name]
        test = spec["healthcheck"]["test"]
        assert test[1:3] == ["python", "-c"] and "curl" not in " ".join(test)  # the image has no curl
        url = (f"http://127.0.0.1:{render.HTTP_PORT}/ready" if kind == "gateway"
               else f"http://127.0.0.1:{render.METRICS_PORT}/healthz")
        assert url in test[3]
        compile(test[3], "healthcheck", "exec")
        if kind != "gateway":
            assert spec["environment"]["EMU_METRICS_PORT"] == str(render.METRICS_PORT)
            # `--scale name=N` needs no fixed name and no host port
            assert "ports" not in spec and "container_name" not in spec
        for dependency in (*render.RABBITMQ_NODES, "postgres"):
            assert spec["depends_on"][dependency] == {"condition": "service_healthy"}
    assert "--scale" in (ROOT / "docker-compose.yml").read_text("utf-8")


def _is_secret_reference(value: str) -> bool:
    return bool(REQUIRED_VAR.fullmatch(value))


def test_compose_takes_every_secret_from_the_operators_environment() -> None:
    example = (ROOT / "deploy" / "compose.env.example").read_text("utf-8")
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.M))
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?",
                              (ROOT / "docker-compose.yml").read_text("utf-8")))
    optional = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):-", (ROOT / "docker-compose.yml").read_text("utf-8")))
    assert required and required | optional <= documented
    for line in example.splitlines():
        key, _, value = line.partition("=")
        if key in required:
            assert value == "REPLACE-ME", line  # placeholders only
    for name, spec in compose()["services"].items():
        for key, value in spec.get("environment", {}).items():
            if SECRET_NAME.search(key):
                assert _is_secret_reference(value), f"{name}: {key} must come from the environment"
            for password in re.findall(r"://[^:/@]+:([^@]+)@", str(value)):
                assert _is_secret_reference(password), f"{name}: {key} has a literal password"


def test_the_image_runs_as_a_numeric_non_root_user_with_the_pinned_packages() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text("utf-8")
    assert re.search(r"^RUN pip install --no-cache-dir -r requirements\.lock$", dockerfile, re.M)
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and re.fullmatch(r"[1-9]\d*(:\d+)?", user[-1]), "USER must be numeric, not root"
    assert user[-1].split(":")[0] == str(render.RUN_AS)
    ignored = (ROOT / ".dockerignore").read_text("utf-8").split()
    assert {".git", ".venv", "data", ".env"} <= set(ignored)


# --- Kubernetes ----------------------------------------------------------------------------

@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_is_valid_by_the_kubernetes_schemas_strict(version: str) -> None:
    docs = manifests()
    assert len(docs) >= 3 * len(SERVICES)
    for name, doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            where = ".".join(str(part) for part in error.path)
            pytest.fail(f"{name}: {doc['kind']} {doc['metadata']['name']}: {where}: {error.message}")
    broken = of_kind("Deployment")["gateway"]
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):  # strict: an unknown field fails
        kubernetes_validate.validate(broken, version, strict=True)


def test_kustomization_lists_every_manifest_but_the_secret_template() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text("utf-8"))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert sorted(kustomization["resources"]) == sorted(files)


def _container(deployment: dict[str, Any]) -> dict[str, Any]:
    [container] = deployment["spec"]["template"]["spec"]["containers"]
    return container


def _port(container: dict[str, Any], port: int | str) -> int:
    named = {p["name"]: p["containerPort"] for p in container["ports"]}
    return named[port] if isinstance(port, str) else port


def test_r5_3_kubernetes_runs_every_process_with_its_command_and_scales_each_service() -> None:
    deployments, autoscalers, services = (of_kind("Deployment"), of_kind("HorizontalPodAutoscaler"),
                                          of_kind("Service"))
    plan = processes(python="python")
    assert set(deployments) == {p.name for p in plan} | {render.PGBOUNCER}
    for process in plan:
        assert _container(deployments[process.name])["command"] == list(process.argv)
    for name, kind in kinds().items():
        deployment = deployments[name]
        if kind == "relay":
            assert deployment["spec"]["replicas"] == 1
            assert deployment["spec"]["strategy"] == {"type": "Recreate"}
            assert name not in autoscalers
            continue
        hpa = autoscalers[name]
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": name}
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        assert "replicas" not in deployment["spec"]  # the autoscaler's to set
        ports = {p["name"]: p["port"] for p in services[name]["spec"]["ports"]}
        assert services[name]["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
        assert ports == ({"http": 8080, "grpc": 50051} if kind == "gateway"
                         else {"metrics": render.METRICS_PORT})


def test_every_container_has_probes_limits_and_runs_as_non_root() -> None:
    config = of_kind("ConfigMap")[render.CONFIG_MAP]["data"]
    for name, kind in kinds().items():
        deployment = of_kind("Deployment")[name]
        pod, container = deployment["spec"]["template"]["spec"], _container(deployment)
        expected = ({"readinessProbe": ("/ready", 8080), "livenessProbe": ("/health", 8080)}
                    if kind == "gateway" else
                    {"readinessProbe": ("/healthz", 9100), "livenessProbe": ("/healthz", 9100)})
        for probe, (path, port) in expected.items():
            get = container[probe]["httpGet"]
            assert (get["path"], _port(container, get["port"])) == (path, port), (name, probe)
        if kind != "gateway":
            assert config["EMU_METRICS_PORT"] == str(render.METRICS_PORT)
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert [e["configMapRef"]["name"] for e in container["envFrom"]] == [render.CONFIG_MAP]


def test_no_literal_secret_in_the_manifests() -> None:
    for name, doc in manifests():
        if doc["kind"] == "Deployment":
            for entry in _container(doc)["env"]:
                if "value" in entry:  # a literal: only a setting that is no secret (a pool size)
                    assert not SECRET_NAME.search(entry["name"]) and "@" not in entry["value"] \
                        and not entry["name"].endswith("_URL"), f"{name}: {entry['name']}"
                    continue
                assert entry["valueFrom"]["secretKeyRef"]["name"] == render.SECRET
        if doc["kind"] == "ConfigMap":
            for key, value in doc["data"].items():
                assert not SECRET_NAME.search(key) and "@" not in value, f"{name}: {key}"
        if doc["kind"] == "Secret":
            assert name == "secret.example.yaml"
            for key, value in doc["stringData"].items():
                assert "REPLACE-ME" in value or "USER:PASSWORD@" in value, f"{key} is not a placeholder"
    secrets = of_kind("Secret")[render.SECRET]["stringData"]
    wanted = {entry["valueFrom"]["secretKeyRef"]["key"]
              for doc in of_kind("Deployment").values() for entry in _container(doc)["env"]
              if "valueFrom" in entry}
    assert set(secrets) == wanted  # the template names every key a Deployment reads


def test_r4_5_signing_keys_outlive_a_container_and_come_from_the_operator_in_kubernetes() -> None:
    # compose: one development authority shared by every service, kept in a named volume
    services = compose()["services"]
    signers = [name for name, spec in services.items()
               if spec.get("command", [])[:3] == ["python", "-m", "runtime.serve"]]
    assert signers and all(f"signing:{render.SIGNING_DIR}" in services[name].get("volumes", [])
                           for name in signers)
    assert "signing" in compose()["volumes"]
    # Kubernetes: the union keys from a Secret, the trust root from a ConfigMap, both read-only,
    # and the settings that point at them; no authority key, so nothing is issued in the cluster
    config = of_kind("ConfigMap")[render.CONFIG_MAP]["data"]
    assert config["EMU_SIGNING_DIR"] == "/signing"
    assert config["EMU_SIGNING_TRUST"] == "/signing-trust/ca.crt"
    for name, doc in of_kind("Deployment").items():
        if doc["spec"]["template"]["spec"]["containers"][0].get("command", [""] * 3)[2] \
                != "runtime.serve":
            continue
        mounts = {m["mountPath"]: m for m in _container(doc)["volumeMounts"]}
        assert mounts["/signing/unions"]["readOnly"] and mounts["/signing-trust"]["readOnly"], name
        volumes = {v["name"]: v for v in doc["spec"]["template"]["spec"]["volumes"]}
        assert volumes["signing-keys"]["secret"]["secretName"] == render.SIGNING_KEYS_SECRET
        assert volumes["signing-trust"]["configMap"]["name"] == render.SIGNING_TRUST_CONFIG_MAP


def test_r5_1_checkpoints_are_written_by_the_relays_and_served_read_only_by_the_gateway() -> None:
    # compose: the relays write the publication volume and share the development key; the
    # gateway reads the publication read-only; no service (nor its database) is given either
    services = compose()["services"]
    for name, kind in kinds().items():
        volumes = services[name].get("volumes", [])
        if kind == "relay":
            assert f"checkpoints:{render.CHECKPOINT_DIR}" in volumes, name
            assert f"checkpoint-key:{render.CHECKPOINT_KEY_DIR}" in volumes, name
            assert "EMU_CHECKPOINT_EVERY" in services[name]["environment"], name
        elif kind == "gateway":
            assert f"checkpoints:{render.CHECKPOINT_DIR}:ro" in volumes
            assert not any("checkpoint-key" in v for v in volumes)
        else:
            assert not any("checkpoint" in v for v in volumes), name
    assert {"checkpoints", "checkpoint-key"} <= set(compose()["volumes"])
    assert not any("checkpoint" in v for v in services["postgres"]["volumes"])
    # Kubernetes: the settings in the ConfigMap, a ReadWriteMany claim mounted read-write by
    # the relays and read-only by the gateway, the operator's key from a Secret, read-only
    config = of_kind("ConfigMap")[render.CONFIG_MAP]["data"]
    assert config["EMU_CHECKPOINT_DIR"] == "/checkpoints"
    assert config["EMU_CHECKPOINT_KEY_FILE"] == "/checkpoint-key/ed25519.pem"
    claim = of_kind("PersistentVolumeClaim")[render.CHECKPOINTS_CLAIM]
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for name, kind in kinds().items():
        doc = of_kind("Deployment")[name]
        mounts = {m["name"]: m for m in _container(doc)["volumeMounts"]}
        volumes = {v["name"]: v for v in doc["spec"]["template"]["spec"]["volumes"]}
        if kind == "service":
            assert "checkpoints" not in mounts and "checkpoint-key" not in mounts, name
            continue
        assert mounts["checkpoints"]["mountPath"] == config["EMU_CHECKPOINT_DIR"], name
        claimed = volumes["checkpoints"]["persistentVolumeClaim"]
        assert claimed["claimName"] == render.CHECKPOINTS_CLAIM
        assert bool(mounts["checkpoints"].get("readOnly")) == claimed["readOnly"] == (
            kind == "gateway"), name
        if kind == "relay":
            key = mounts["checkpoint-key"]
            assert key["readOnly"] and config["EMU_CHECKPOINT_KEY_FILE"].startswith(
                key["mountPath"] + "/"), name
            assert volumes["checkpoint-key"]["secret"]["secretName"] == render.CHECKPOINT_KEY_SECRET
        else:
            assert "checkpoint-key" not in mounts  # the gateway never holds the signing key
    readme = (ROOT / "deploy" / "README.md").read_text("utf-8")
    assert render.CHECKPOINTS_CLAIM in readme and render.CHECKPOINT_KEY_SECRET in readme


def test_r5_3_compose_runs_a_three_node_rabbitmq_cluster_and_quorum_queues() -> None:
    services = compose()["services"]
    nodes = [name for name in services if name.startswith("rabbitmq")]
    assert nodes == list(render.RABBITMQ_NODES) and len(nodes) == 3
    conf = (ROOT / render.RABBITMQ_CONF).read_text("utf-8")
    for node in nodes:
        assert services[node]["hostname"] == node
        assert f"rabbit@{node}" in conf  # each finds the others (classic_config discovery)
        assert services[node]["environment"]["RABBITMQ_ERLANG_COOKIE"].startswith(
            "${RABBITMQ_ERLANG_COOKIE:?")  # one cookie for the three, from the operator
        assert any(v.endswith(":/etc/rabbitmq/conf.d/20-cluster.conf:ro")
                   for v in services[node]["volumes"])
    for name in kinds():
        env = services[name]["environment"]
        assert env["EMU_QUEUE_TYPE"] == "quorum", name
        # kombu's failover: every node, so a process goes on when one node is gone
        assert [uri.split("@")[-1] for uri in env["AMQP_URI"].split(";")] == \
            [f"{node}:5672/" for node in nodes], name


def test_r5_3_kubernetes_declares_quorum_queues_on_a_cluster() -> None:
    config = next(doc for _, doc in manifests() if doc["kind"] == "ConfigMap"
                  and doc["metadata"]["name"] == render.CONFIG_MAP)
    assert config["data"]["EMU_QUEUE_TYPE"] == "quorum"
    secret = yaml.safe_load((ROOT / "deploy" / "k8s" / "secret.example.yaml").read_text("utf-8"))
    assert len(secret["stringData"]["AMQP_URI"].split(";")) == 3


# --- connection pools: PgBouncer and the budget (R5.3, runtime/pools.py) -------------------

PGBOUNCER_TAG = re.compile(r"^edoburu/pgbouncer:v(\d+)\.(\d+)\.(\d+)-p\d+$")


def _k8s_url_keys() -> dict[str, tuple[str, str]]:
    """Deployment -> (the store URL variable, the Secret key it is read from)."""
    out = {}
    for name, doc in of_kind("Deployment").items():
        for entry in _container(doc)["env"]:
            if entry["name"].endswith("_DATABASE_URL") and "valueFrom" in entry:
                out[name] = (entry["name"], entry["valueFrom"]["secretKeyRef"]["key"])
    return out


def test_r5_3_compose_has_pgbouncer_in_transaction_mode_between_services_and_postgres() -> None:
    services = compose()["services"]
    bouncer = services[render.PGBOUNCER]
    assert PGBOUNCER_TAG.match(bouncer["image"]), "a pinned, maintained image"
    env = bouncer["environment"]
    assert env["POOL_MODE"] == "transaction" and env["DB_HOST"] == "postgres"
    assert env["LISTEN_PORT"] == str(render.PGBOUNCER_PORT)
    assert bouncer["depends_on"]["postgres"] == {"condition": "service_healthy"}
    for name, kind in kinds().items():
        spec = services[name]
        assert spec["depends_on"][render.PGBOUNCER] == {"condition": "service_healthy"}
        if kind == "relay":  # LISTEN and the lease's session lock: a session of its own
            assert "@postgres:5432/" in str(spec["environment"])
            assert "@pgbouncer:" not in str(spec["environment"])
        else:
            assert f"@pgbouncer:{render.PGBOUNCER_PORT}/" in str(spec["environment"])


def test_r5_3_kubernetes_has_pgbouncer_services_point_at_it_relays_do_not() -> None:
    deployment = of_kind("Deployment")[render.PGBOUNCER]
    container = _container(deployment)
    assert PGBOUNCER_TAG.match(container["image"])
    assert [p["containerPort"] for p in container["ports"]] == [render.PGBOUNCER_PORT]
    assert container["readinessProbe"] and container["livenessProbe"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    service = of_kind("Service")[render.PGBOUNCER]
    assert [p["port"] for p in service["spec"]["ports"]] == [render.PGBOUNCER_PORT]
    config = of_kind("ConfigMap")[render.PGBOUNCER_CONFIG_MAP]["data"]
    assert config["POOL_MODE"] == "transaction"
    secret = of_kind("Secret")[render.SECRET]["stringData"]
    keys = _k8s_url_keys()
    for name, kind in kinds().items():
        variable, key = keys[name]
        if kind == "relay":
            assert key == variable.replace("_DATABASE_URL", "_DIRECT_DATABASE_URL")
            assert "@POSTGRES-HOST:5432/" in secret[key]
        else:
            assert key == variable
            assert f"@pgbouncer:{render.PGBOUNCER_PORT}/" in secret[key]


def test_pgbouncer_keeps_psycopgs_prepared_statements_in_transaction_mode() -> None:
    """psycopg prepares a query run 5 times; in transaction mode that needs PgBouncer >= 1.22
    with max_prepared_statements (psycopg closes them with the protocol's Close, libpq >= 17)."""
    import psycopg

    assert psycopg.pq.version() >= 170000  # the libpq psycopg-binary bundles
    for image, settings in [(compose()["services"][render.PGBOUNCER]["image"],
                             compose()["services"][render.PGBOUNCER]["environment"]),
                            (_container(of_kind("Deployment")[render.PGBOUNCER])["image"],
                             of_kind("ConfigMap")[render.PGBOUNCER_CONFIG_MAP]["data"])]:
        match = PGBOUNCER_TAG.match(image)
        assert match and tuple(int(part) for part in match.groups()[:2]) >= (1, 22), image
        assert int(settings["MAX_PREPARED_STATEMENTS"]) > 0


def test_r5_3_every_process_states_its_pool_and_replicas() -> None:
    services = compose()["services"]
    config = of_kind("ConfigMap")[render.CONFIG_MAP]["data"]
    for name, kind in kinds().items():
        size, overflow = render.POOLS[kind]
        env = services[name]["environment"]
        assert (env["EMU_DB_POOL_SIZE"], env["EMU_DB_MAX_OVERFLOW"]) == (str(size), str(overflow))
        assert services[name]["x-max-replicas"] == render.MAX_REPLICAS["compose"][kind]
        literal = {e["name"]: e["value"] for e in _container(of_kind("Deployment")[name])["env"]
                   if "value" in e}
        merged = {**config, **literal}
        assert (merged["EMU_DB_POOL_SIZE"], merged["EMU_DB_MAX_OVERFLOW"]) == \
            (str(size), str(overflow)), name


def test_r5_3_the_rendered_connection_budgets_fit() -> None:
    from runtime.config import Settings

    assert render.budget_problems(render.render(), Settings({})) == []
    postgres, clients = render.compose_budget(compose(), reserved=10)
    # 1 PgBouncer x 6 databases x 10 + 5 relays x (2 + 1 + 1) = 80 <= 100 - 10
    assert postgres == 1 * 6 * 10 + 5 * 4 and postgres <= 90
    assert clients <= int(compose()["services"][render.PGBOUNCER]["environment"]["MAX_CLIENT_CONN"])
    docs = [doc for _, doc in manifests()]
    postgres, clients = render.k8s_budget(docs, max_connections=100, reserved=10)
    assert postgres == 2 * 6 * 5 + 5 * 4  # two PgBouncers; relays direct
    assert clients == 5 * 10 * 10 + 10 * 10  # every service and the gateway at maxReplicas


def test_r5_3_render_refuses_a_configuration_whose_pools_cannot_fit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from runtime.config import Settings
    from runtime.errors import PoolBudgetExceeded

    # PgBouncer given 20 server connections per database: 2 x 6 x 20 + 20 = 260 on Kubernetes
    monkeypatch.setitem(render.PGBOUNCER_SETTINGS, "k8s",
                        {"DEFAULT_POOL_SIZE": "20", "MAX_DB_CONNECTIONS": "20"})
    rendered = render.render()
    problems = render.budget_problems(rendered, Settings({}))
    assert len(problems) == 1 and problems[0].startswith("deploy/k8s: DB_POOL_BUDGET_EXCEEDED")
    assert "= 260), more than max_connections 100 - reserved 10 = 90" in problems[0]
    for path, text in rendered.items():  # the files on disk are these: no drift, only the budget
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, "utf-8")
    monkeypatch.setattr(render, "ROOT", tmp_path)
    monkeypatch.delenv("EMU_DB_MAX_CONNECTIONS", raising=False)
    monkeypatch.delenv("EMU_DB_RESERVED_CONNECTIONS", raising=False)
    assert render.main(["--check"]) == 1
    assert "DB_POOL_BUDGET_EXCEEDED" in capsys.readouterr().err
    monkeypatch.setenv("EMU_DB_MAX_CONNECTIONS", "300")  # the operator's bigger server: fits
    assert render.main(["--check"]) == 0

    # Relays given SQLAlchemy's default pools, straight to PostgreSQL, on a smaller server
    docs = [doc for _, doc in manifests()]
    with pytest.raises(PoolBudgetExceeded, match=r"80 connections to PostgreSQL .* = 69"):
        render.k8s_budget(docs, max_connections=79, reserved=10)
    broken = compose()
    broken["services"]["registry-relay"]["x-max-replicas"] = 10  # 60 + 16 + 10 x 4 = 116
    with pytest.raises(PoolBudgetExceeded, match="116 connections"):
        render.compose_budget(broken, reserved=10)
    broken = compose()
    broken["services"]["gateway"]["x-max-replicas"] = 60  # 500 + 600 clients > 1000
    with pytest.raises(PoolBudgetExceeded, match=r"1100 connections to pgbouncer .*max_client_conn"):
        render.compose_budget(broken, reserved=10)
