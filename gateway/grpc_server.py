"""The gRPC front of the gateway (R5.2): every command and query of every service as an rpc of
the contracts in ``contracts/proto/emulation/v1`` (written by ``gateway.protos``), the standard
health-checking and reflection services, served by grpcio's own thread pool.

Plain threads only: grpcio deadlocks under eventlet's monkey-patching, so nothing here imports
eventlet or nameko's eventlet side; the calls go through ``gateway.core.Gateway``, the one path
the HTTP front takes too (who calls, whether they may, idempotency keys, expected versions, a
bounded wait for the service).

A request is read field by field from the catalogue's parameters: only the fields present are
passed, a missing required one is refused by name, texts and lists are bounded as over HTTP,
``Struct`` and ``Value`` become plain JSON values (a whole number arrives as an ``int``). A
refusal is a gRPC status mapped from the error's kind in one table (``status_code``), with the
stable code in ``google.rpc.ErrorInfo.reason``, the message in the caller's language in
``google.rpc.LocalizedMessage``, the field at fault in ``google.rpc.BadRequest``, and the code
again in the trailing metadata ``error-code``.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import ModuleType
from typing import Any, NamedTuple

import grpc
from google.protobuf import any_pb2, struct_pb2, unknown_fields
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import DecodeError, Message
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gateway import protos
from gateway.catalogue import Operation, Param
from gateway.core import Gateway, Outcome, as_page
from gateway.grpc_generated import auth_pb2, common_pb2
from gateway.limits import (
    IDEMPOTENCY_KEY_MAX,
    IF_MATCH_MAX,
    LIST_MAX,
    LONG_TEXT,
    MAX_BODY,
    OFFSET_MAX,
    PAGE_DEFAULT,
    PAGE_MAX,
    TEXT_MAX,
)
from gateway.messages import detail as localized_detail
from gateway.messages import language_from
from gateway.policy import Principal
from runtime.config import Settings
from runtime.errors import DomainError, InvalidInput, MalformedMessage
from runtime.store import store_unavailable

log = logging.getLogger("emulation.gateway")

StatusCode = grpc.StatusCode
STATUS = {"invalid": StatusCode.INVALID_ARGUMENT, "not_found": StatusCode.NOT_FOUND,
          "conflict": StatusCode.FAILED_PRECONDITION, "forbidden": StatusCode.PERMISSION_DENIED,
          "unauthenticated": StatusCode.UNAUTHENTICATED, "unavailable": StatusCode.UNAVAILABLE,
          "throttled": StatusCode.RESOURCE_EXHAUSTED}
# Conflicts a client resolves by reading again or choosing another key: ABORTED (AIP-193).
ABORTED = frozenset({"VERSION_CONFLICT", "IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_IN_PROGRESS"})
DOMAIN = "emulation"
AUTH_SERVICE = f"{protos.PACKAGE}.Auth"
METADATA_MAX = {"idempotency-key": IDEMPOTENCY_KEY_MAX, "if-match": IF_MATCH_MAX}  # as over HTTP
SAFE_INTEGER = 2 ** 53  # a double holds every whole number below it exactly


def status_code(error: DomainError) -> grpc.StatusCode:
    """The one table from a refusal to a gRPC status."""
    if error.code in ABORTED:
        return StatusCode.ABORTED
    return STATUS.get(error.kind, StatusCode.INVALID_ARGUMENT)


def invalid(field: str, problem: str, code: str = "VALIDATION_FAILED", **details: Any) -> InvalidInput:
    return InvalidInput(f"{field}: {problem}", {"field": field, "problem": problem, **details}, code)


# --- requests: protobuf fields to the service's arguments -------------------------------------

def plain(value: struct_pb2.Value, field: str) -> Any:
    """A ``google.protobuf.Value`` as the JSON value it stands for."""
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = value.number_value
        if not math.isfinite(number):
            raise invalid(field, "a number is finite")
        return int(number) if number.is_integer() and abs(number) < SAFE_INTEGER else number
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return structure(value.struct_value, field)
    if kind == "list_value":
        return [plain(item, f"{field}.{i}") for i, item in enumerate(value.list_value.values)]
    return None  # null_value, or no kind at all


def structure(value: struct_pb2.Struct, field: str) -> dict[str, Any]:
    return {key: plain(value.fields[key], f"{field}.{key}") for key in sorted(value.fields)}


def _text(value: str, field: str, limit: int) -> str:
    if len(value) > limit:
        raise invalid(field, f"at most {limit} characters", max_length=limit)
    return value


def _items(values: Any, field: str) -> list[Any]:
    if len(values) > LIST_MAX:
        raise invalid(field, f"at most {LIST_MAX} items", max_items=LIST_MAX)
    return list(values)


_MISSING = object()


def _argument(request: Message, param: Param) -> Any:
    """The argument a field gives, or ``_MISSING``."""
    name, kind = param.name, param.kind
    if kind in ("texts", "objects"):
        values = _items(getattr(request, name), name)
        if not values and not param.required:
            return _MISSING  # a repeated field has no presence: empty is "not given"
        if kind == "texts":
            return [_text(v, f"{name}.{i}", TEXT_MAX) for i, v in enumerate(values)]
        return [structure(v, f"{name}.{i}") for i, v in enumerate(values)]
    if not request.HasField(name):
        return _MISSING
    value = getattr(request, name)
    if kind == "text":
        return _text(value, name, LONG_TEXT.get(name, TEXT_MAX))
    if kind == "integer":
        return _bounded(int(value), name)
    if kind == "number":
        if not math.isfinite(value):
            raise invalid(name, "a number is finite")
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "object":
        return structure(value, name)
    return plain(value, name)  # any


def _bounded(value: int, name: str) -> int:
    """``limit`` and ``offset`` are bounded wherever they appear, as over HTTP."""
    if name == "limit" and not 1 <= value <= PAGE_MAX:
        raise invalid(name, f"from 1 to {PAGE_MAX}", maximum=PAGE_MAX)
    if name == "offset" and not 0 <= value <= OFFSET_MAX:
        raise invalid(name, f"from 0 to {OFFSET_MAX}", maximum=OFFSET_MAX)
    return value


def arguments(op: Operation, request: Message) -> dict[str, Any]:
    """The arguments of a call: the fields present, each checked; a required one missing is
    refused by name."""
    found: dict[str, Any] = {}
    for param in op.params:
        value = _argument(request, param)
        if value is _MISSING:
            if param.required:
                raise invalid(param.name, "required")
            continue
        found[param.name] = value
    return found


def page(request: Message) -> tuple[int, int]:
    """The page a paged query asks for: (offset, limit)."""
    offset = _bounded(request.offset, "offset") if request.HasField("offset") else 0
    limit = _bounded(request.limit, "limit") if request.HasField("limit") else PAGE_DEFAULT
    return offset, limit


def decode(message_class: type[Message], raw: bytes) -> Message:
    """A request from its bytes: one that does not parse is MALFORMED_MESSAGE; fields this
    contract does not have (a newer or a wrong client) are UNKNOWN_FIELD, as over HTTP."""
    try:
        request = message_class.FromString(raw)
    except DecodeError:
        raise MalformedMessage(f"the request is not a valid {message_class.DESCRIPTOR.full_name}",
                               {"message": message_class.DESCRIPTOR.full_name}) from None
    unknown = sorted({f.field_number for f in unknown_fields.UnknownFieldSet(request)})
    if unknown:
        raise invalid(f"#{unknown[0]}", "this contract has no field of that number",
                      "UNKNOWN_FIELD", numbers=unknown)
    return request


# --- replies ----------------------------------------------------------------------------------

def value(data: Any) -> struct_pb2.Value:
    """A JSON value (what a service answers) as a ``google.protobuf.Value``."""
    result = struct_pb2.Value()
    if data is None:
        result.null_value = struct_pb2.NULL_VALUE
    elif isinstance(data, bool):
        result.bool_value = data
    elif isinstance(data, int | float):
        result.number_value = float(data)
    elif isinstance(data, str):
        result.string_value = data
    elif isinstance(data, Mapping):
        result.struct_value.SetInParent()
        for key, item in data.items():
            result.struct_value.fields[str(key)].CopyFrom(value(item))
    elif isinstance(data, list | tuple):
        result.list_value.SetInParent()
        result.list_value.values.extend(value(item) for item in data)
    else:  # as the HTTP front's JSON would (a date, a decimal): its text
        result.string_value = str(data)
    return result


def reply(op: Operation, outcome: Outcome, args: Mapping[str, Any],
          paging: tuple[int, int] | None) -> common_pb2.Reply:
    """A record in ``result``; a list, whoever paged it, as over HTTP: its page's items in
    ``result``, ``total``, ``offset`` and ``limit`` beside it (``gateway.core.as_page``)."""
    if not op.listing:
        return common_pb2.Reply(result=value(outcome.result), etag=outcome.etag or "",
                                replayed=outcome.replayed)
    found = as_page(op, outcome.result, args, paging)
    return common_pb2.Reply(result=value(found["items"]), etag=outcome.etag or "",
                            replayed=outcome.replayed, total=found["total"],
                            offset=found["offset"], limit=found["limit"])


def _grants(grants: Any) -> list[auth_pb2.Grant]:
    return [auth_pb2.Grant(role=g["role"], union_id=g.get("union_id")) for g in grants]


# --- errors -----------------------------------------------------------------------------------

class _Status(NamedTuple):
    code: grpc.StatusCode
    details: str
    trailing_metadata: tuple[tuple[str, str | bytes], ...]


class _RichStatus(_Status, grpc.Status):
    """A status with ``google.rpc.Status`` in ``grpc-status-details-bin`` (what
    ``grpc_status.rpc_status.from_call`` reads) and the code in ``error-code``."""


def rich_status(code: grpc.StatusCode, error_code: str, text: str, details: Any, language: str,
                correlation_id: str, service: str | None = None) -> grpc.Status:
    """The status message is the developer's English text; the person's sentence, in the
    caller's language, is the ``LocalizedMessage`` (as for HTTP's ``detail``)."""
    details = details if isinstance(details, Mapping) else {"details": details}
    info = error_details_pb2.ErrorInfo(reason=error_code, domain=DOMAIN, metadata={
        str(k): v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True,
                                                        default=str)
        for k, v in details.items() if v is not None})
    localized = error_details_pb2.LocalizedMessage(
        locale=language, message=localized_detail(error_code, details, language, service))
    packed = [any_pb2.Any(), any_pb2.Any()]
    packed[0].Pack(info)
    packed[1].Pack(localized)
    if isinstance(details.get("field"), str):
        violation = error_details_pb2.BadRequest.FieldViolation(field=details["field"],
                                                                description=text)
        packed.append(any_pb2.Any())
        packed[-1].Pack(error_details_pb2.BadRequest(field_violations=[violation]))
    status = status_pb2.Status(code=code.value[0], message=text, details=packed)
    return _RichStatus(code, text, (("grpc-status-details-bin", status.SerializeToString()),
                                    ("error-code", error_code),
                                    ("x-correlation-id", correlation_id)))


# --- calls ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """What a call's metadata says."""

    metadata: Mapping[str, str]
    language: str
    correlation_id: str
    address: str | None = None  # the client's address, for the sign-in limits (R5.2)

    @classmethod
    def of(cls, context: grpc.ServicerContext) -> Call:
        found: dict[str, str] = {}
        for key, item in context.invocation_metadata() or ():
            if isinstance(item, str):
                found.setdefault(key.lower(), item)  # the first of a repeated key
        given = found.get("x-correlation-id", "")
        correlation = given if 0 < len(given) <= 64 and given.isprintable() else str(uuid.uuid4())
        peer = context.peer() or ""  # "ipv4:127.0.0.1:52314", "ipv6:[::1]:52314"
        address = peer.partition(":")[2].rpartition(":")[0].strip("[]") or None
        return cls(found, language_from(found.get("accept-language")), correlation, address)

    def get(self, key: str) -> str | None:
        item = self.metadata.get(key)
        if item is not None and len(item) > METADATA_MAX.get(key, len(item)):
            raise invalid(key, f"at most {METADATA_MAX[key]} characters",
                          max_length=METADATA_MAX[key])
        return item


Work = Callable[[Call, bytes], Message]
Handler = Callable[[bytes, grpc.ServicerContext], bytes]


class Front:
    """The handlers: each reads its call, does its work, and answers a reply or a status."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def answer(self, name: str, work: Work) -> Handler:
        def handle(raw: bytes, context: grpc.ServicerContext) -> bytes:
            call = Call.of(context)
            try:
                try:
                    result = work(call, raw)
                except Exception as error:  # the gateway's own store: ask again, not INTERNAL
                    unavailable = store_unavailable(error)
                    if unavailable is None:
                        raise
                    raise unavailable from error
            except DomainError as error:
                status = rich_status(status_code(error), error.code, error.message,
                                     error.details, call.language, call.correlation_id,
                                     name.split(".")[0])
            except Exception:
                log.exception("unexpected error on %s (correlation id %s)", name,
                              call.correlation_id)
                status = rich_status(StatusCode.INTERNAL, "INTERNAL_ERROR",
                                     "an unexpected error; it was logged", {}, call.language,
                                     call.correlation_id)
            else:
                context.set_trailing_metadata((("x-correlation-id", call.correlation_id),))
                return bytes(result.SerializeToString())
            context.abort_with_status(status)
            raise AssertionError("abort_with_status returns only by raising")

        return handle

    def principal(self, call: Call) -> Principal:
        return self.gateway.principal(call.metadata.get("authorization"))

    def operation(self, op: Operation, request_class: type[Message]) -> Handler:
        paged = protos.paged(op)

        def work(call: Call, raw: bytes) -> Message:
            principal = self.principal(call)  # no token: refused before the body is read
            request = decode(request_class, raw)
            args, paging = arguments(op, request), page(request) if paged else None
            outcome = self.gateway.execute(op, args, principal,
                                           idempotency_key=call.get("idempotency-key"),
                                           if_match=call.get("if-match"),
                                           correlation_id=call.correlation_id)
            return reply(op, outcome, args, paging)

        return self.answer(op.name, work)

    # --- Auth -----------------------------------------------------------------------------

    def sign_in(self, call: Call, raw: bytes) -> Message:
        request = decode(auth_pb2.SignInRequest, raw)
        _text(request.username, "username", 64)
        _text(request.password, "password", 200)
        signed = self.gateway.sign_in(request.username, request.password, call.address)
        return auth_pb2.SignInReply(
            access_token=signed["access_token"], token_type=signed["token_type"],
            expires_in=int(signed["expires_in"]), username=signed["username"],
            person_id=signed.get("person_id"), roles=_grants(signed["roles"]))

    def me(self, call: Call, raw: bytes) -> Message:
        # answered to a person who must first change a reset password, too (as GET /v1/me)
        principal = self.gateway.accounts.principal(
            self.gateway.subject(call.metadata.get("authorization")), pending_change=True)
        decode(auth_pb2.MeRequest, raw)
        return auth_pb2.User(username=principal.username, person_id=principal.person_id,
                             roles=_grants([g.to_dict() for g in principal.grants]))

    def create_user(self, call: Call, raw: bytes) -> Message:
        principal = self.principal(call)
        request = decode(auth_pb2.CreateUserRequest, raw)
        _text(request.username, "username", 64)
        _text(request.password, "password", 200)
        if request.HasField("person_id"):
            _text(request.person_id, "person_id", 36)
        if len(request.roles) > 50:
            raise invalid("roles", "at most 50 items", max_items=50)
        made = self.gateway.create_user(principal, {
            "username": request.username, "password": request.password,
            "person_id": request.person_id if request.HasField("person_id") else None,
            "roles": [{"role": g.role, "union_id": g.union_id if g.HasField("union_id") else None}
                      for g in request.roles]})
        return auth_pb2.User(username=made["username"], person_id=made.get("person_id"),
                             roles=_grants(made["roles"]))


# --- the server -------------------------------------------------------------------------------

class StaleContracts(RuntimeError):
    """gateway/grpc_generated is not what the services' entrypoints say."""


def _matches(field: FieldDescriptor | None, kind: str) -> bool:
    if field is None:
        return False
    repeated = kind in ("texts", "objects")
    if field.is_repeated != repeated:
        return False
    message_type = {"object": "google.protobuf.Struct", "objects": "google.protobuf.Struct",
                    "any": "google.protobuf.Value"}.get(kind)
    if message_type is not None:
        return field.type == FieldDescriptor.TYPE_MESSAGE \
            and field.message_type.full_name == message_type
    scalar = {"text": FieldDescriptor.TYPE_STRING, "texts": FieldDescriptor.TYPE_STRING,
              "integer": FieldDescriptor.TYPE_INT64, "number": FieldDescriptor.TYPE_DOUBLE,
              "boolean": FieldDescriptor.TYPE_BOOL}[kind]
    return field.type == scalar and (repeated or field.has_presence)


def request_class(module: ModuleType, op: Operation) -> type[Message]:
    """The generated request message of an operation, checked field by field against the
    catalogue: a stale generation fails the start, not a call."""
    name = protos.request_name(op.service, op.method)
    service = module.DESCRIPTOR.services_by_name.get(protos.service_name(op.service))
    method = service.methods_by_name.get(protos.rpc_name(op.method)) if service else None
    message_class = getattr(module, name, None)
    descriptor: Descriptor | None = getattr(message_class, "DESCRIPTOR", None)
    expected = [(p.name, p.kind) for p in op.params]
    if protos.paged(op):
        expected += [("offset", "integer"), ("limit", "integer")]
    if method is None or descriptor is None \
            or method.input_type.full_name != descriptor.full_name \
            or method.output_type.full_name != f"{protos.PACKAGE}.Reply" \
            or any(not _matches(descriptor.fields_by_name.get(n), k) for n, k in expected):
        raise StaleContracts(f"{op.name} is not in gateway/grpc_generated as the service "
                             "declares it: run `python -m gateway.protos`")
    assert message_class is not None
    return message_class


def handlers(front: Front) -> tuple[list[grpc.GenericRpcHandler], list[str]]:
    """One generic handler per gRPC service, and the services' full names."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for op in front.gateway.operations.values():
        module = importlib.import_module(f"gateway.grpc_generated.{op.service}_pb2")
        by_service.setdefault(protos.full_service_name(op.service), {})[protos.rpc_name(op.method)] = \
            grpc.unary_unary_rpc_method_handler(front.operation(op, request_class(module, op)))
    by_service[AUTH_SERVICE] = {
        name: grpc.unary_unary_rpc_method_handler(front.answer(f"Auth.{name}", work))
        for name, work in (("SignIn", front.sign_in), ("Me", front.me),
                           ("CreateUser", front.create_user))}
    names = sorted(by_service)
    return [grpc.method_handlers_generic_handler(n, by_service[n]) for n in names], names


class ReadyHealth(health.HealthServicer):
    """gRPC health from ``gateway.ready()``: overall, the gateway's own store for Auth, and the
    store and the service for each service. Read when a probe asks and the last reading is
    older than ``fresh`` seconds, and on a slow timer for ``Watch`` streams, so an idle system
    is not asked every few seconds whether it is up (asking every service every 5 s was about
    a fifth of the whole system's CPU at rest: ``python -m bench.idle``)."""

    def __init__(self, gateway: Gateway, names: list[str], fresh: float) -> None:
        super().__init__(
            experimental_non_blocking=True,
            experimental_thread_pool=ThreadPoolExecutor(max_workers=2,
                                                        thread_name_prefix="health"))
        self.gateway, self.names, self.fresh = gateway, names, fresh
        self._read_at = -math.inf
        self._reading = threading.Lock()
        for name in ("", *names):
            self.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)  # until the first check

    def refresh(self, older_than: float = 0.0) -> None:
        """Reads the system's readiness again unless a reading is newer than ``older_than``
        seconds (one probe at a time reads; the others wait for its answer)."""
        with self._reading:
            if time.monotonic() - self._read_at < older_than:
                return
            try:
                ok, report = self.gateway.ready()
            except Exception:
                log.exception("the readiness check failed")
                ok, report = False, {}
            self._read_at = time.monotonic()
        serving, not_serving = (health_pb2.HealthCheckResponse.SERVING,
                                health_pb2.HealthCheckResponse.NOT_SERVING)
        store = bool(report.get("gateway_store", {}).get("ok"))
        self.set("", serving if ok else not_serving)
        for name in self.names:
            service = name.removeprefix(f"{protos.PACKAGE}.").lower()
            up = store if name == AUTH_SERVICE else store and bool(report.get(service, {}).get("ok"))
            self.set(name, serving if up else not_serving)

    def Check(self, request: Any, context: Any) -> Any:
        self.refresh(older_than=self.fresh)
        return super().Check(request, context)

    def watch(self, server: grpc.Server, interval: float) -> None:
        """Refreshes every ``interval`` seconds for the ``Watch`` streams, until the server
        stops."""
        while True:
            self.refresh(older_than=interval / 2)
            if not server.wait_for_termination(timeout=interval):
                return  # the server stopped


def start(gateway: Gateway, settings: Settings) -> grpc.Server:
    """The gRPC server, started on ``GATEWAY_HOST``:``GATEWAY_GRPC_PORT``."""
    host, port = settings.gateway_host, int(settings.number("GATEWAY_GRPC_PORT", 50051))
    workers = int(settings.number("GATEWAY_GRPC_WORKERS", 16))
    server = grpc.server(
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc"),
        maximum_concurrent_rpcs=int(settings.number("GATEWAY_GRPC_MAX_CONCURRENT", 8 * workers)),
        options=[("grpc.max_receive_message_length", MAX_BODY),
                 ("grpc.so_reuseport", 0)])  # a port taken by another process fails the start
    generic, names = handlers(Front(gateway))
    server.add_generic_rpc_handlers(generic)
    servicer = ReadyHealth(gateway, names, settings.number("GATEWAY_GRPC_HEALTH_INTERVAL", 5.0))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    reflection.enable_server_reflection((*names, health.SERVICE_NAME, reflection.SERVICE_NAME),
                                        server)
    bound = server.add_insecure_port(f"{host}:{port}")
    if not bound:
        raise RuntimeError(f"gRPC could not listen on {host}:{port}")
    server.start()
    threading.Thread(target=servicer.watch, name="grpc-health", daemon=True,
                     args=(server, settings.number("GATEWAY_GRPC_HEALTH_WATCH_INTERVAL",
                                                   60.0))).start()
    log.info("gateway gRPC listening on %s:%d", host, bound)
    return server
