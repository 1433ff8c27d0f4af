"""The gRPC contracts of the gateway (R5.2): ``contracts/proto/emulation/v1/*.proto`` written
from the services' own entrypoints (``gateway.catalogue``), and the Python code protoc makes of
them in ``gateway/grpc_generated/``. This is the one script that writes both::

    python -m gateway.protos            # write the contracts and the code
    python -m gateway.protos --check    # exit 1, saying what differs, if writing would change anything

One ``.proto`` file per service (``service Initiatives { rpc RaiseIdea(...) returns (Reply); }``),
``auth.proto`` for signing in and ``common.proto`` for the ``Reply`` every call answers. Every
scalar field is ``optional`` (presence is known), so a required field that is missing is refused
by name, as over HTTP, instead of arriving as an empty string.

A field keeps its number for as long as it exists: the numbers are read back from the contracts
already written, a new parameter gets the next free number and a removed one (or one whose type
changed) leaves its number ``reserved``, so reordering a service's signature never breaks a
client built from an older contract. The output depends only on the catalogue and the contracts
already written, so writing twice gives the same bytes; a test keeps the committed files equal
to what this script writes.

This module never edits what protoc produces beyond two things: the imports, rewritten from
``emulation.v1`` to ``gateway.grpc_generated`` so the code imports as a package, and a header
that keeps ruff and mypy off generated code.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gateway.catalogue import Operation, Param, operations
from gateway.limits import LIST_MAX, LONG_TEXT, PAGE_DEFAULT, PAGE_MAX, TEXT_MAX

REPOSITORY = Path(__file__).resolve().parent.parent
PACKAGE = "emulation.v1"
PROTO_ROOT = Path("contracts/proto")  # relative to the repository; the package path lies below
PROTO_DIR = PROTO_ROOT / "emulation" / "v1"
CODE_DIR = Path("gateway/grpc_generated")
CODE_PACKAGE = "gateway.grpc_generated"


TYPES = {  # catalogue kind -> proto field type
    "text": "optional string",
    "integer": "optional int64",
    "number": "optional double",
    "boolean": "optional bool",
    "texts": "repeated string",
    "object": "google.protobuf.Struct",
    "objects": "repeated google.protobuf.Struct",
    "any": "google.protobuf.Value",
}
PAGE_FIELDS = ("offset", "limit")

GENERATED = ("// Written by `python -m gateway.protos` from the services' entrypoints "
             "(gateway/catalogue.py).\n"
             "// Do not edit: change the service and write again; `python -m gateway.protos "
             "--check` fails\n// while this file differs from what the services say.\n")
CODE_HEADER = "# ruff: noqa\n# mypy: ignore-errors\n"


# --- names ----------------------------------------------------------------------------------

def pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def service_name(service: str) -> str:
    """The gRPC service of a backend service: ``initiatives`` -> ``Initiatives``."""
    return pascal(service)


def full_service_name(service: str) -> str:
    return f"{PACKAGE}.{service_name(service)}"


def rpc_name(method: str) -> str:
    return pascal(method)


def request_name(service: str, method: str) -> str:
    """``InitiativesRaiseIdeaRequest``: prefixed with the service, because two services may
    have a method of the same name (``overdue``) and the package is one namespace."""
    return f"{service_name(service)}{pascal(method)}Request"


def paged(op: Operation) -> bool:
    """A query that returns a list and does not page itself gets ``offset`` and ``limit``, as
    over HTTP."""
    return not op.command and op.returns_list and op.param("limit") is None


# --- field numbers kept from the contracts already written -------------------------------------

_MESSAGE = re.compile(r"^message (\w+) \{\n(.*?)^\}", re.M | re.S)
_FIELD = re.compile(r"^  ((?:optional |repeated )?[\w.]+) (\w+) = (\d+);", re.M)
_RESERVED = re.compile(r"^  reserved (\d+(?:, \d+)*);", re.M)


@dataclass(frozen=True)
class Known:
    fields: Mapping[str, tuple[str, int]]  # name -> (type, number)
    reserved: frozenset[int]


def known_messages(texts: Iterable[str]) -> dict[str, Known]:
    found: dict[str, Known] = {}
    for text in texts:
        for match in _MESSAGE.finditer(text):
            body = match.group(2)
            fields = {name: (kind, int(number)) for kind, name, number in _FIELD.findall(body)}
            reserved = {int(n) for line in _RESERVED.findall(body) for n in line.split(", ")}
            found[match.group(1)] = Known(fields, frozenset(reserved))
    return found


def numbered(fields: Sequence[tuple[str, str]], known: Known | None
             ) -> tuple[list[tuple[str, str, int]], list[int]]:
    """Numbers for ``(type, name)`` fields in order, and the numbers to keep reserved."""
    if known is None:
        return [(kind, name, number) for number, (kind, name) in enumerate(fields, 1)], []
    taken = set(known.reserved) | {number for _, number in known.fields.values()}
    kept: dict[str, int] = {name: known.fields[name][1] for kind, name in fields
                            if name in known.fields and known.fields[name][0] == kind}
    result = []
    for kind, name in fields:
        if name not in kept:
            kept[name] = max(taken, default=0) + 1
            taken.add(kept[name])
        result.append((kind, name, kept[name]))
    in_use = {number for _, _, number in result}
    return result, sorted(taken - in_use)


# --- the .proto text --------------------------------------------------------------------------

def comment(text: str, indent: str = "") -> str:
    lines = textwrap.wrap(" ".join(text.split()), width=96 - len(indent) - 3,
                          break_long_words=False, break_on_hyphens=False) or [""]
    return "".join(f"{indent}// {line}\n" for line in lines)


def _describe(param: Param) -> str:
    name, kind, required, default = param.name, param.kind, param.required, param.default
    words = ["Required." if required else "Optional."]
    if not required and default is not None:
        words.append(f"Default: {json.dumps(default, ensure_ascii=False)}.")
    if name == "limit":
        words.append(f"From 1 to {PAGE_MAX}.")
    elif name == "offset":
        words.append("From 0.")
    elif kind == "text":
        words.append(f"At most {LONG_TEXT.get(name, TEXT_MAX)} characters.")
    elif kind == "texts":
        words.append(f"At most {LIST_MAX} items of at most {TEXT_MAX} characters.")
    elif kind == "objects":
        words.append(f"JSON objects, at most {LIST_MAX}.")
    elif kind == "object":
        words.append("A JSON object.")
    elif kind == "any":
        words.append("Any JSON value.")
    return " ".join(words)


def _message(name: str, doc: str, fields: Sequence[tuple[str, str, str]],
             known: Known | None) -> str:
    """A request message: ``fields`` as (type, name, description)."""
    numbers, reserved = numbered([(kind, field) for kind, field, _ in fields], known)
    out = [comment(doc), f"message {name} {{\n"]
    if reserved:
        out.append(f"  reserved {', '.join(str(n) for n in reserved)};\n")
    for (kind, field, number), (_, _, description) in zip(numbers, fields, strict=True):
        out.append(comment(description, "  "))
        out.append(f"  {kind} {field} = {number};\n")
    out.append("}\n")
    return "".join(out)


def _header(file_doc: str, imports: Sequence[str]) -> str:
    lines = [GENERATED, "\n", comment(file_doc), "\n", 'syntax = "proto3";\n', "\n",
             f"package {PACKAGE};\n"]
    if imports:
        lines.append("\n")
        lines.extend(f'import "{path}";\n' for path in imports)
    return "".join(lines)


COMMON = """
// What every command and query of a service answers.
message Reply {
  // The service's answer as JSON: a new record's id, a record, a report, or the items of a
  // list's page (every list: total, offset and limit below, as over HTTP). A document's bytes
  // (as base64) can make a reply of several MB: raise the client's
  // grpc.max_receive_message_length (4 MB by default) to read one.
  google.protobuf.Value result = 1;
  // The version of the one record a get_* query read, as "<record id>:<version>": send it back
  // as the if-match metadata of a command that changes the record; a record changed since is
  // refused with ABORTED, code VERSION_CONFLICT and the current version.
  string etag = 2;
  // true: the idempotency-key metadata was used before with the same request; this is the
  // first request's result and nothing happened a second time.
  bool replayed = 3;
  // A query of a list: how many items the whole list has, and the page given (offset, limit).
  optional int64 total = 4;
  int64 offset = 5;
  int64 limit = 6;
}
"""

AUTH = """
// Signing in, and who a token is for.
service Auth {
  // Sign in with a user name and password: a signed token that expires. Send it on every other
  // call as the metadata authorization: Bearer <token>. A wrong user name or password is
  // UNAUTHENTICATED, code LOGIN_FAILED.
  rpc SignIn(SignInRequest) returns (SignInReply);
  // Who the token in the authorization metadata is for, with their roles.
  rpc Me(MeRequest) returns (User);
  // An administrator makes a user with roles inside the administrator's own scope.
  rpc CreateUser(CreateUserRequest) returns (User);
}

message SignInRequest {
  // At most 64 characters.
  string username = 1;
  // At most 200 characters.
  string password = 2;
}

// A role over one union's subtree, or over the whole system (no union_id).
message Grant {
  // member, official, executive, standing, auditor or administrator.
  string role = 1;
  optional string union_id = 2;
}

message SignInReply {
  string access_token = 1;
  // Bearer.
  string token_type = 2;
  // Seconds from now.
  int64 expires_in = 3;
  string username = 4;
  optional string person_id = 5;
  repeated Grant roles = 6;
}

message MeRequest {
}

message User {
  string username = 1;
  // The person in the registry this user is, if any.
  optional string person_id = 2;
  repeated Grant roles = 3;
}

message CreateUserRequest {
  // At most 64 characters.
  string username = 1;
  // From 10 to 200 characters.
  string password = 2;
  optional string person_id = 3;
  // At most 50.
  repeated Grant roles = 4;
}
"""


def _service_proto(service: str, ops: Sequence[Operation], known: Mapping[str, Known]) -> str:
    lines = [_header(f"The {service} service's commands and queries (R5.2), one rpc each, "
                     "from its entrypoints.",
                     ["emulation/v1/common.proto", "google/protobuf/struct.proto"]), "\n"]
    lines.append(comment(
        f"The {service} service. Every call needs the metadata authorization: Bearer <token> "
        "(from Auth.SignIn); accept-language (vi by default, or en) chooses the language of "
        "the message in an error's details, x-correlation-id ties the call to the events it "
        "causes. A command also reads idempotency-key (the same key again: the first outcome, "
        "no second effect) and if-match (the etag of the record as read). Struct and Value "
        "fields carry JSON; a number in them without a fraction is read as a whole number. A "
        "refusal's status carries google.rpc.ErrorInfo (reason: the stable code; metadata: the "
        "details, field among them), google.rpc.LocalizedMessage and, for a field at fault, "
        "google.rpc.BadRequest; the code is also in the trailing metadata error-code."))
    lines.append(f"service {service_name(service)} {{\n")
    for op in ops:
        if op.command:
            kind, http = "Command.", f"As HTTP: POST {op.path}."
        else:
            kind = {"whole": "Query of a list, paged by offset and limit: the page's items in "
                             "Reply.result, with Reply.total, offset and limit.",
                    "page": "Query of a list, paged by its own offset and limit: the page's "
                            "items in Reply.result, with Reply.total, offset and limit.",
                    "capped": "Query of a list, the first matches up to limit: the items in "
                              "Reply.result, with Reply.total, offset and limit.",
                    }.get(op.listing or "", "Query.")
            http = f"As HTTP: GET {op.path}."
        summary = op.summary if op.summary.endswith((".", ")")) else f"{op.summary}."
        lines.append(comment(f"{kind} {summary} {http}", "  "))
        lines.append(f"  rpc {rpc_name(op.method)}({request_name(service, op.method)}) "
                     "returns (Reply);\n")
    lines.append("}\n")
    for op in ops:
        fields = [(TYPES[p.kind], p.name, _describe(p)) for p in op.params]
        if paged(op):
            fields += [("optional int64", "offset", "Optional. The first item of the page. From 0; "
                                                    "default 0."),
                       ("optional int64", "limit", f"Optional. The page's size. From 1 to "
                                                   f"{PAGE_MAX}; default {PAGE_DEFAULT}.")]
        name = request_name(service, op.method)
        lines.append("\n")
        lines.append(_message(name, f"The arguments of {op.name}.", fields,
                              known.get(name)))
    return "".join(lines)


def proto_files(previous: Iterable[str] = ()) -> dict[str, str]:
    """Every ``.proto`` file, by its name under ``contracts/proto/emulation/v1``; ``previous``
    are the contracts already written, whose field numbers are kept."""
    known = known_messages(previous)
    by_service: dict[str, list[Operation]] = {}
    for op in operations():
        by_service.setdefault(op.service, []).append(op)
    files = {
        "common.proto": _header("What every service's calls answer.",
                                ["google/protobuf/struct.proto"]) + COMMON,
        "auth.proto": _header("Signing in (R5.2): a token for the authorization metadata.", [])
        + AUTH,
    }
    for service in sorted(by_service):
        files[f"{service}.proto"] = _service_proto(service, by_service[service], known)
    return files


# --- the Python code --------------------------------------------------------------------------

_IMPORT = re.compile(r"^from emulation\.v1 import ", re.M)

CODE_INIT = ('"""The Python code protoc makes of ``contracts/proto/emulation/v1`` (R5.2). Written '
             'by\n``python -m gateway.protos``; do not edit."""\n')


def compile_python(protos: Mapping[str, str]) -> dict[str, bytes]:
    """protoc (grpc_tools) on the contracts: ``*_pb2.py``, ``*_pb2.pyi`` and ``*_pb2_grpc.py``
    by file name, importable as ``gateway.grpc_generated``."""
    include = resources.files("grpc_tools") / "_proto"
    with tempfile.TemporaryDirectory() as work:
        source, out = Path(work, "proto"), Path(work, "out")
        (source / "emulation" / "v1").mkdir(parents=True)
        out.mkdir()
        for name, text in protos.items():
            (source / "emulation" / "v1" / name).write_text(text, encoding="utf-8")
        command = [sys.executable, "-m", "grpc_tools.protoc", f"-I{source}", f"-I{include}",
                   f"--python_out={out}", f"--pyi_out={out}", f"--grpc_python_out={out}",
                   *(f"emulation/v1/{name}" for name in sorted(protos))]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"protoc failed:\n{done.stderr}")
        code: dict[str, bytes] = {"__init__.py": CODE_INIT.encode()}
        for path in sorted((out / "emulation" / "v1").iterdir()):
            text = _IMPORT.sub(f"from {CODE_PACKAGE} import ", path.read_text(encoding="utf-8"))
            first, _, rest = text.partition("\n")
            text = f"{first}\n{CODE_HEADER}{rest}" if first.startswith("# -*- coding") \
                else CODE_HEADER + text
            code[path.name] = text.encode()
    return code


def build(repository: Path = REPOSITORY) -> dict[Path, bytes]:
    """Everything this script writes, by path relative to the repository, from the catalogue
    and the contracts already in ``repository``."""
    written = repository / PROTO_DIR
    previous = [p.read_text(encoding="utf-8") for p in sorted(written.glob("*.proto"))] \
        if written.is_dir() else []
    protos = proto_files(previous)
    files: dict[Path, bytes] = {PROTO_DIR / name: text.encode() for name, text in protos.items()}
    files.update({CODE_DIR / name: data for name, data in compile_python(protos).items()})
    return files


def _owned(root: Path) -> set[Path]:
    """The files under ``root`` this script owns (so a stale one is found and removed)."""
    found = {p.relative_to(root) for p in (root / PROTO_DIR).glob("*.proto")}
    found |= {p.relative_to(root) for p in (root / CODE_DIR).glob("*") if p.is_file()
              and (p.name == "__init__.py" or re.search(r"_pb2(_grpc)?\.pyi?$", p.name))}
    return found


def write(files: Mapping[Path, bytes], root: Path) -> None:
    for stale in sorted(_owned(root) - set(files)):
        (root / stale).unlink()
    for path, data in sorted(files.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)


def differences(files: Mapping[Path, bytes], root: Path) -> list[str]:
    """What writing ``files`` under ``root`` would change: one line per file, and a unified
    diff of each ``.proto`` file that changes."""
    report: list[str] = []
    for path in sorted(set(files) | _owned(root)):
        target = root / path
        if path not in files:
            report.append(f"stale, would be removed: {path}")
        elif not target.exists():
            report.append(f"missing, would be written: {path}")
        elif target.read_bytes() != files[path]:
            report.append(f"differs: {path}")
            if path.suffix == ".proto":
                diff = difflib.unified_diff(
                    target.read_text(encoding="utf-8").splitlines(),
                    files[path].decode().splitlines(), f"{path} (written)", f"{path} (now)",
                    lineterm="")
                report.extend(f"    {line}" for line in list(diff)[:80])
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.protos", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if writing would change any file")
    parser.add_argument("--into", type=Path, default=REPOSITORY,
                        help="write (or check) under this directory instead of the repository; "
                             "field numbers still come from the repository's contracts")
    options = parser.parse_args(argv)
    files = build()
    if options.check:
        report = differences(files, options.into)
        if report:
            print("the gRPC contracts or their code are not what `python -m gateway.protos` "
                  "writes:", *report, sep="\n", file=sys.stderr)
            return 1
        print(f"{len(files)} files up to date")
        return 0
    write(files, options.into)
    print(f"{len(files)} files written under {options.into}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
