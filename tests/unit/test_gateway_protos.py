"""R5.2: the gRPC contracts in ``contracts/proto`` and their code in ``gateway/grpc_generated``
are exactly what ``python -m gateway.protos`` writes from the services' entrypoints (the check
that fails when writing them again would change anything), every command and query has its rpc,
and a field keeps its number when a signature changes."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from gateway import protos
from gateway.catalogue import Operation, Param, operations

REPOSITORY = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes()
            for directory in (protos.PROTO_DIR, protos.CODE_DIR)
            for p in sorted((root / directory).glob("*")) if p.is_file()}


def test_r5_2_writing_the_contracts_again_gives_exactly_the_committed_files(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "gateway.protos", "--into", str(tmp_path)],
                          cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written, committed = _tree(tmp_path), _tree(REPOSITORY)
    assert sorted(written) == sorted(committed), "run `python -m gateway.protos` and commit"
    changed = [str(path) for path in written if written[path] != committed[path]]
    assert not changed, f"{changed} differ from what the services say: run `python -m gateway.protos`"
    assert protos.PROTO_DIR / "initiatives.proto" in written
    assert protos.CODE_DIR / "initiatives_pb2_grpc.py" in written


def test_r5_2_the_check_fails_while_a_file_differs(tmp_path: Path) -> None:
    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gateway.protos", "--check", "--into",
                               str(tmp_path)], cwd=REPOSITORY, capture_output=True, text=True,
                              timeout=120)

    assert subprocess.run([sys.executable, "-m", "gateway.protos", "--into", str(tmp_path)],
                          cwd=REPOSITORY, capture_output=True, timeout=120).returncode == 0
    assert check().returncode == 0
    contract = tmp_path / protos.PROTO_DIR / "reviews.proto"
    contract.write_text(contract.read_text("utf-8").replace("rpc Launch(", "rpc Start("), "utf-8")
    (tmp_path / protos.CODE_DIR / "stale_pb2.py").write_text("", "utf-8")
    failed = check()
    assert failed.returncode == 1
    assert "differs: contracts/proto/emulation/v1/reviews.proto" in failed.stderr
    assert "+  rpc Launch(" in failed.stderr  # the diff says what writing would change
    assert "stale, would be removed: gateway/grpc_generated/stale_pb2.py" in failed.stderr


def test_r5_2_every_command_and_query_has_an_rpc_with_its_fields() -> None:
    found = 0
    for op in operations():
        module = importlib.import_module(f"gateway.grpc_generated.{op.service}_pb2")
        service = module.DESCRIPTOR.services_by_name[protos.service_name(op.service)]
        method = service.methods_by_name[protos.rpc_name(op.method)]
        assert method.input_type.name == protos.request_name(op.service, op.method)
        assert method.output_type.full_name == "emulation.v1.Reply"
        fields = method.input_type.fields_by_name
        assert set(fields) == {p.name for p in op.params} | (
            {"offset", "limit"} if protos.paged(op) else set()), op.name
        for param in op.params:
            field = fields[param.name]
            assert field.is_repeated == (param.kind in ("texts", "objects")), op.name
            assert field.has_presence or field.is_repeated, op.name  # a missing one is known
        found += 1
    assert found == len(operations()) > 80
    services = {s for op in operations() for s in [protos.service_name(op.service)]}
    assert services == {"Registry", "Initiatives", "Reviews", "Awards", "Notifications", "Audit"}
    auth = importlib.import_module("gateway.grpc_generated.auth_pb2")
    assert set(auth.DESCRIPTOR.services_by_name["Auth"].methods_by_name) == {
        "SignIn", "Me", "CreateUser"}


def test_r5_2_a_field_keeps_its_number_when_a_signature_changes() -> None:
    before = Operation("reviews", "launch", True, (
        Param("union_id", "text", True), Param("year", "any", True), Param("title", "text", True)),
        "R2.1: launch.")
    first = protos._service_proto("reviews", [before], {})
    assert "optional string title = 3;" in first
    # reordered, one removed, one whose type changed, one new
    after = Operation("reviews", "launch", True, (
        Param("title", "text", True), Param("union_id", "text", True),
        Param("year", "integer", True), Param("plan", "text", False)), "R2.1: launch.")
    second = protos._service_proto("reviews", [after], protos.known_messages([first]))
    assert "optional string title = 3;" in second and "optional string union_id = 1;" in second
    assert "optional int64 year = 4;" in second and "optional string plan = 5;" in second
    assert "reserved 2;" in second
    # the numbers hold from then on: writing again from what was written changes nothing
    assert protos._service_proto("reviews", [after], protos.known_messages([second])) == second
    dropped = Operation("reviews", "launch", True, (Param("union_id", "text", True),), "R2.1.")
    third = protos._service_proto("reviews", [dropped], protos.known_messages([second]))
    assert "reserved 2, 3, 4, 5;" in third and "optional string union_id = 1;" in third


@pytest.mark.parametrize("name", ["common", "auth", "registry", "initiatives", "reviews", "awards"])
def test_r5_2_the_generated_code_imports_as_a_package(name: str) -> None:
    code = (REPOSITORY / protos.CODE_DIR / f"{name}_pb2_grpc.py").read_text("utf-8")
    assert "from emulation.v1 import" not in code
    importlib.import_module(f"gateway.grpc_generated.{name}_pb2_grpc")
