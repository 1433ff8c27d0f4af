"""The gateway's gRPC API driven with real stubs (``gateway/grpc_generated``) against every
service on RabbitMQ and PostgreSQL (R5.2): sign-in, scoped roles, rich error statuses with
stable codes, idempotency keys, expected versions, bad and extreme input that changes nothing,
health checking and reflection, and a stopped service."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import Any

import grpc
import jwt
import pytest
from google.protobuf import descriptor_pool, json_format, struct_pb2
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from grpc_status import rpc_status

from gateway.accounts import IdempotencyInProgress, IdempotencyKeyReused, TokenExpired
from gateway.catalogue import Operation, operations
from gateway.core import Outcome
from gateway.grpc_generated import (
    auth_pb2,
    auth_pb2_grpc,
    initiatives_pb2,
    initiatives_pb2_grpc,
    registry_pb2,
    registry_pb2_grpc,
    reviews_pb2,
    reviews_pb2_grpc,
)
from gateway.grpc_server import start
from gateway.policy import Principal
from runtime.client import ServiceUnavailable
from runtime.config import Settings
from runtime.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from tests.support.figures import record
from tests.support.gateway_system import (
    PASSWORD,
    SECRET,
    System,
    free_port,
    running,
    with_province,
)
from tests.support.infra import fresh_database, fresh_vhost
from tests.support.processes import eventually
from tests.support.province import Province

pytestmark = [pytest.mark.bus, pytest.mark.postgres, pytest.mark.system]

Metadata = list[tuple[str, str]]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with fresh_vhost() as amqp, fresh_database() as pg, \
            running(tmp_path_factory.mktemp("gateway-grpc"), amqp, pg,
                    # R5.2: health is read when a probe asks, not on a timer: with the Watch
                    # streams' timer set to an hour, every change below is seen through Check
                    env={"GATEWAY_GRPC_HEALTH_WATCH_INTERVAL": "3600",
                         "GATEWAY_GRPC_HEALTH_INTERVAL": "1"}) as running_system:
        w = with_province(running_system)
        running_system.make_user("b", [("official", w.unions["CS-1"])], w.people["B"])
        yield running_system


@pytest.fixture(scope="module")
def channel(system: System) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(f"127.0.0.1:{system.grpc_port}") as opened:
        grpc.channel_ready_future(opened).result(timeout=30)
        yield opened


def province(system: System) -> Province:
    assert system.province is not None
    return system.province


def bearer(system: System, login: str, **extra: str) -> Metadata:
    return [("authorization", f"Bearer {system.tokens[login]}"),
            *((key.replace("_", "-"), value) for key, value in extra.items())]


class Refusal:
    """What a refused call says: its status, and the details every refusal carries."""

    def __init__(self, error: grpc.RpcError) -> None:
        self.status: grpc.StatusCode = error.code()
        trailing = dict(error.trailing_metadata() or ())
        self.error_code = trailing.get("error-code")
        self.correlation_id = trailing.get("x-correlation-id")
        rich = rpc_status.from_call(error)
        assert rich is not None, "a refusal carries google.rpc.Status"
        self.info = error_details_pb2.ErrorInfo()
        self.localized = error_details_pb2.LocalizedMessage()
        self.field_violations: list[str] = []
        for detail in rich.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                detail.Unpack(self.info)
            elif detail.Is(error_details_pb2.LocalizedMessage.DESCRIPTOR):
                detail.Unpack(self.localized)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                self.field_violations = [v.field for v in bad.field_violations]
        assert self.info.domain == "emulation" and self.info.reason == self.error_code
        assert self.localized.message, "a message in the caller's language"

    @property
    def code(self) -> str:
        return self.info.reason

    @property
    def field(self) -> str | None:
        return self.info.metadata.get("field")

    def __repr__(self) -> str:
        return f"Refusal({self.status}, {self.code}, {dict(self.info.metadata)})"


def refused(call: Callable[[], Any]) -> Refusal:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return Refusal(caught.value)


def last_event(system: System, service: str) -> int:
    return int(system.processes.call(service, "health")["last_notification"] or 0)


def new_idea(w: Province, title: str | None = "Sổ theo dõi điện tử", **changes: Any
             ) -> initiatives_pb2.InitiativesRaiseIdeaRequest:
    fields: dict[str, Any] = {"union_id": w.unions["CS-1"], "author_id": w.people["D"],
                              "title": title, "description": "Thay sổ giấy",
                              "raised_on": "2026-01-05", **changes}
    return initiatives_pb2.InitiativesRaiseIdeaRequest(
        **{k: v for k, v in fields.items() if v is not None})


def year(value: float) -> struct_pb2.Value:
    return struct_pb2.Value(number_value=value)


class StandIn:
    """The gateway's core as the gRPC front sees it, answering every call with one outcome or
    one error, so each row of the status table is seen without the system behind it."""

    def __init__(self) -> None:
        self.operations = {op.name: op for op in operations()}
        self.answer: Outcome | BaseException = Outcome(None)
        self.calls: list[dict[str, Any]] = []

    def principal(self, authorization: str | None) -> Principal:
        return Principal("x", None, ())

    def execute(self, op: Operation, args: dict[str, Any], principal: Principal,
                **metadata: Any) -> Outcome:
        self.calls.append({"op": op.name, "args": args, **metadata})
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer

    def ready(self) -> tuple[bool, dict[str, Any]]:
        return True, {"gateway_store": {"ok": True}}


def test_r5_2_grpc_each_kind_of_refusal_has_its_status_and_an_unexpected_error_is_internal(
        caplog: pytest.LogCaptureFixture) -> None:
    """In-process, with a stand-in for the core: no RabbitMQ or PostgreSQL needed."""
    core, port = StandIn(), free_port()
    server = start(core, Settings({"GATEWAY_HOST": "127.0.0.1",  # type: ignore[arg-type]
                                   "GATEWAY_GRPC_PORT": str(port)}))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            reviews = reviews_pb2_grpc.ReviewsStub(channel)
            english = [("authorization", "Bearer x"), ("accept-language", "en")]
            codes = grpc.StatusCode
            for error, status in (
                    (InvalidInput("bad", {"field": "year"}), codes.INVALID_ARGUMENT),
                    (NotFound("none"), codes.NOT_FOUND), (Conflict("no"), codes.FAILED_PRECONDITION),
                    (DomainError("stale", {"current": 3}, "VERSION_CONFLICT"), codes.ABORTED),
                    (IdempotencyKeyReused("again", {"key": "k"}), codes.ABORTED),
                    (IdempotencyInProgress("running", {"key": "k"}), codes.ABORTED),
                    (Forbidden("no"), codes.PERMISSION_DENIED),
                    (TokenExpired("old"), codes.UNAUTHENTICATED),
                    (ServiceUnavailable("down", {"service": "reviews"}), codes.UNAVAILABLE)):
                core.answer = error
                refusal = refused(lambda: reviews.FlagOverdue(
                    reviews_pb2.ReviewsFlagOverdueRequest(), metadata=english))
                assert (refusal.status, refusal.code) == (status, error.code), refusal
                assert refusal.localized.locale == "en"
            assert refusal.info.metadata["service"] == "reviews"
            core.answer = RuntimeError("a secret in a stack trace")
            with caplog.at_level(logging.ERROR, "emulation.gateway"), \
                    pytest.raises(grpc.RpcError) as caught:
                reviews.FlagOverdue(reviews_pb2.ReviewsFlagOverdueRequest(), metadata=english)
            internal = Refusal(caught.value)
            assert (internal.status, internal.code) == (codes.INTERNAL, "INTERNAL_ERROR")
            assert "secret" not in str(caught.value.details())
            assert "a secret in a stack trace" in caplog.text  # logged, with its correlation id
            assert internal.correlation_id and internal.correlation_id in caplog.text

            core.answer = Outcome({"n": 3, "x": 1.5, "none": None, "flags": [True, "s"],
                                   "on": date(2026, 1, 2)}, etag='"e:1"')
            got = reviews.FlagOverdue(reviews_pb2.ReviewsFlagOverdueRequest(), metadata=english)
            assert json_format.MessageToDict(got.result) == {
                "n": 3.0, "x": 1.5, "none": None, "flags": [True, "s"], "on": "2026-01-02"}
            assert got.etag == '"e:1"' and not got.HasField("total")
            core.answer = Outcome(list(range(120)))
            registry = registry_pb2_grpc.RegistryStub(channel)
            tree = registry.Tree(registry_pb2.RegistryTreeRequest(offset=100), metadata=english)
            assert (tree.total, tree.offset, tree.limit) == (120, 100, 50)
            assert [v.number_value for v in tree.result.list_value.values] == list(range(100, 120))
            assert core.calls[-1]["args"] == {}  # offset and limit are the gateway's, not the service's

            core.answer = Outcome("ok")
            launch = reviews_pb2.ReviewsLaunchRequest(
                union_id="u", year=struct_pb2.Value(number_value=2026), launched_on="2026-01-05",
                title="t", plan="p", evidence=[])
            launch.year.number_value = 2026.0
            reviews.Launch(launch, metadata=[*english, ("idempotency-key", "k1"),
                                             ("if-match", '"e:1"'), ("x-correlation-id", "c-1")])
            assert core.calls[-1] == {
                "op": "reviews.launch", "idempotency_key": "k1", "if_match": '"e:1"',
                "correlation_id": "c-1", "args": {"union_id": "u", "year": 2026,
                                                  "launched_on": "2026-01-05", "title": "t",
                                                  "plan": "p"}}
            assert type(core.calls[-1]["args"]["year"]) is int  # a whole number, not 2026.0
    finally:
        server.stop(grace=None).wait()


def test_r5_2_grpc_sign_in_then_a_member_raises_an_idea_and_reads_it_back_with_its_etag(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    auth = auth_pb2_grpc.AuthStub(channel)
    signed = auth.SignIn(auth_pb2.SignInRequest(username="d", password=PASSWORD))
    assert signed.token_type == "Bearer" and signed.expires_in > 0
    assert signed.person_id == w.people["D"] and [g.role for g in signed.roles] == ["member"]
    token = [("authorization", f"Bearer {signed.access_token}")]
    assert auth.Me(auth_pb2.MeRequest(), metadata=token).username == "d"
    wrong = refused(lambda: auth.SignIn(auth_pb2.SignInRequest(username="d", password="sai")))
    assert (wrong.status, wrong.code) == (grpc.StatusCode.UNAUTHENTICATED, "LOGIN_FAILED")
    member = auth_pb2.Grant(role="member", union_id=w.unions["CS-2"])
    made = auth.CreateUser(auth_pb2.CreateUserRequest(
        username="k", password=PASSWORD, person_id=w.people["K"], roles=[member]),
        metadata=bearer(system, "admin"))
    assert (made.username, made.person_id, list(made.roles)) == ("k", w.people["K"], [member])
    assert auth.SignIn(auth_pb2.SignInRequest(username="k", password=PASSWORD)).access_token
    not_admin = refused(lambda: auth.CreateUser(auth_pb2.CreateUserRequest(
        username="k2", password=PASSWORD, roles=[member]), metadata=token))
    assert (not_admin.status, not_admin.code) == (grpc.StatusCode.PERMISSION_DENIED,
                                               "ROLE_NOT_ALLOWED")
    taken = refused(lambda: auth.CreateUser(auth_pb2.CreateUserRequest(
        username="k", password=PASSWORD, roles=[member]), metadata=bearer(system, "admin")))
    assert (taken.status, taken.code) == (grpc.StatusCode.FAILED_PRECONDITION, "USER_EXISTS")

    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    raised, call = initiatives.RaiseIdea.with_call(
        new_idea(w), metadata=[*token, ("x-correlation-id", "grpc-test-1")])
    idea = raised.result.string_value
    assert idea and not raised.replayed
    assert dict(call.trailing_metadata())["x-correlation-id"] == "grpc-test-1"
    read = initiatives.GetIdea(initiatives_pb2.InitiativesGetIdeaRequest(idea_id=idea),
                               metadata=token)
    record = read.result.struct_value
    assert record["title"] == "Sổ theo dõi điện tử" and record["status"] == "open"
    assert record["union_id"] == w.unions["CS-1"]
    assert read.etag == f'"{idea}:1"'


def test_r5_2_grpc_lists_are_paged_as_over_http(system: System, channel: grpc.Channel) -> None:
    w = province(system)
    registry = registry_pb2_grpc.RegistryStub(channel)
    page = registry.Descendants(registry_pb2.RegistryDescendantsRequest(
        union_id=w.unions["TV"], offset=1, limit=2), metadata=bearer(system, "h"))
    assert (page.total, page.offset, page.limit) == (5, 1, 2)
    assert len(page.result.list_value.values) == 2
    whole = registry.Descendants(registry_pb2.RegistryDescendantsRequest(
        union_id=w.unions["TV"]), metadata=bearer(system, "h"))
    assert (whole.total, whole.offset, whole.limit) == (5, 0, 50)
    found = registry.SearchPeople(registry_pb2.RegistrySearchPeopleRequest(q="nguyen van an"),
                                  metadata=bearer(system, "h"))
    assert [p["full_name"] for p in found.result.list_value] == ["Nguyễn Văn An"]
    assert (found.total, found.offset, found.limit) == (1, 0, 20)  # a search's first matches
    # a list the service pages itself: its items in result, the page beside them, as over HTTP
    members = registry.Members(registry_pb2.RegistryMembersRequest(
        union_id="CS-1", offset=1, limit=2), metadata=bearer(system, "h"))  # named by its code
    assert (members.total, members.offset, members.limit) == (5, 1, 2)
    assert len(members.result.list_value.values) == 2
    too_big = refused(lambda: registry.Descendants(registry_pb2.RegistryDescendantsRequest(
        union_id=w.unions["TV"], limit=1000), metadata=bearer(system, "h")))
    assert (too_big.status, too_big.code, too_big.field) == (
        grpc.StatusCode.INVALID_ARGUMENT, "VALIDATION_FAILED", "limit")


def test_r5_2_grpc_missing_forged_and_expired_tokens_are_unauthenticated_and_change_nothing(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    now = int(time.time())
    forged = jwt.encode({"sub": "admin", "exp": now + 600, "iss": "emulation-gateway"},
                        "another-key-another-key-another-key-1234", algorithm="HS256")
    expired = jwt.encode({"sub": "d", "iat": now - 7200, "exp": now - 60,
                          "iss": "emulation-gateway"}, SECRET, algorithm="HS256")
    before = last_event(system, "initiatives")
    for metadata, code in (([], "UNAUTHENTICATED"),
                           ([("authorization", f"Basic {system.tokens['d']}")], "UNAUTHENTICATED"),
                           ([("authorization", f"Bearer {forged}")], "TOKEN_INVALID"),
                           ([("authorization", f"Bearer {expired}")], "TOKEN_EXPIRED"),
                           ([("authorization", "Bearer not.a.token")], "TOKEN_INVALID")):
        refusal = refused(partial(initiatives.RaiseIdea, new_idea(w, "Không token"),
                                  metadata=metadata))
        assert (refusal.status, refusal.code) == (grpc.StatusCode.UNAUTHENTICATED, code), refusal
        assert refusal.correlation_id
    assert last_event(system, "initiatives") == before


def test_r5_2_grpc_roles_and_subtrees_are_permission_denied_with_their_codes(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    reviews = reviews_pb2_grpc.ReviewsStub(channel)
    before = last_event(system, "initiatives")
    outside = refused(lambda: initiatives.RaiseIdea(new_idea(w, author_id=w.people["F"]),
                                                    metadata=bearer(system, "f")))
    assert (outside.status, outside.code) == (grpc.StatusCode.PERMISSION_DENIED,
                                              "OUTSIDE_YOUR_SCOPE")
    assert outside.localized.locale == "vi"  # Vietnamese unless asked otherwise
    assert last_event(system, "initiatives") == before

    launch = reviews_pb2.ReviewsLaunchRequest(union_id=w.unions["CS-1"], year=year(2026),
                                              launched_on="2026-01-05", title="Phát động",
                                              plan="Kế hoạch")
    auditor = refused(lambda: reviews.Launch(launch, metadata=bearer(
        system, "auditor", accept_language="en-GB, vi;q=0.5")))
    assert (auditor.status, auditor.code) == (grpc.StatusCode.PERMISSION_DENIED, "READ_ONLY_ROLE")
    assert auditor.localized.locale == "en"
    member = refused(lambda: reviews.Launch(launch, metadata=bearer(system, "d")))
    assert (member.status, member.code) == (grpc.StatusCode.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    # inside the scope, the service judges the rest: H sits on no committee of CS-1
    service = refused(lambda: reviews.Launch(launch, metadata=bearer(system, "h")))
    assert (service.status, service.code) == (grpc.StatusCode.PERMISSION_DENIED, "NO_AUTHORITY")
    launched = reviews.Launch(launch, metadata=bearer(system, "a"))  # the year, a whole number
    assert launched.result.WhichOneof("kind") is not None
    registry = registry_pb2_grpc.RegistryStub(channel)
    union = registry.GetUnion(registry_pb2.RegistryGetUnionRequest(union_id=w.unions["CS-1"]),
                              metadata=bearer(system, "auditor"))
    assert union.result.struct_value["code"] == "CS-1"
    elsewhere = refused(lambda: registry.GetUnion(registry_pb2.RegistryGetUnionRequest(
        union_id=w.unions["CS-VP"]), metadata=bearer(system, "auditor")))
    assert (elsewhere.status, elsewhere.code) == (grpc.StatusCode.PERMISSION_DENIED,
                                                  "OUTSIDE_YOUR_SCOPE")


def test_r5_2_grpc_an_idempotency_key_repeats_the_first_outcome_and_has_no_second_effect(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    keyed = bearer(system, "d", idempotency_key="y-tuong-grpc-1")
    before = last_event(system, "initiatives")
    first = initiatives.RaiseIdea(new_idea(w, "Hộp thư góp ý"), metadata=keyed)
    again = initiatives.RaiseIdea(new_idea(w, "Hộp thư góp ý"), metadata=keyed)
    assert again.result == first.result and (first.replayed, again.replayed) == (False, True)
    assert last_event(system, "initiatives") == before + 1  # one idea, one event
    other = refused(lambda: initiatives.RaiseIdea(new_idea(w, "Một ý tưởng khác"), metadata=keyed))
    assert (other.status, other.code) == (grpc.StatusCode.ABORTED, "IDEMPOTENCY_KEY_REUSED")
    assert last_event(system, "initiatives") == before + 1
    too_long = refused(lambda: initiatives.RaiseIdea(new_idea(w), metadata=bearer(
        system, "d", idempotency_key="k" * 129)))
    assert (too_long.status, too_long.field) == (grpc.StatusCode.INVALID_ARGUMENT,
                                                 "idempotency-key")
    assert last_event(system, "initiatives") == before + 1


def test_r5_2_grpc_a_stale_if_match_is_aborted_with_the_current_version(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    idea = initiatives.RaiseIdea(new_idea(w, "Thư viện số", raised_on="2026-02-01"),
                                 metadata=bearer(system, "d")).result.string_value
    tag = initiatives.GetIdea(initiatives_pb2.InitiativesGetIdeaRequest(idea_id=idea),
                              metadata=bearer(system, "d")).etag
    assert tag == f'"{idea}:1"'
    initiatives.CoachIdea(initiatives_pb2.InitiativesCoachIdeaRequest(
        idea_id=idea, text="Thêm bước khảo sát", on="2026-02-02"), metadata=bearer(system, "b"))
    withdraw = initiatives_pb2.InitiativesWithdrawIdeaRequest(idea_id=idea, reason="Trùng",
                                                              on="2026-02-03")
    stale = refused(lambda: initiatives.WithdrawIdea(withdraw, metadata=bearer(
        system, "d", if_match=tag)))
    assert (stale.status, stale.code) == (grpc.StatusCode.ABORTED, "VERSION_CONFLICT")
    assert stale.info.metadata["current"] == "2"
    status = initiatives.GetIdea(initiatives_pb2.InitiativesGetIdeaRequest(idea_id=idea),
                                 metadata=bearer(system, "d")).result.struct_value["status"]
    assert status == "open"  # nothing changed
    garbled = refused(lambda: initiatives.WithdrawIdea(withdraw, metadata=bearer(
        system, "d", if_match="not-an-etag")))
    assert garbled.status == grpc.StatusCode.INVALID_ARGUMENT
    initiatives.WithdrawIdea(withdraw, metadata=bearer(system, "d", if_match=f'"{idea}:2"'))
    status = initiatives.GetIdea(initiatives_pb2.InitiativesGetIdeaRequest(idea_id=idea),
                                 metadata=bearer(system, "d")).result.struct_value["status"]
    assert status == "withdrawn"


def _raw(channel: grpc.Channel, method: str) -> Callable[..., bytes]:
    """A call that sends bytes as they are, for messages no stub would make."""
    return channel.unary_unary(method, request_serializer=None, response_deserializer=None)


def _nested(depth: int) -> struct_pb2.Struct:
    inner = struct_pb2.Struct()
    for _ in range(depth):
        outer = struct_pb2.Struct()
        outer.fields["x"].struct_value.CopyFrom(inner)
        inner = outer
    return inner


def test_r5_2_grpc_bad_and_extreme_input_is_refused_by_field_and_changes_nothing(
        system: System, channel: grpc.Channel) -> None:
    w = province(system)
    initiatives = initiatives_pb2_grpc.InitiativesStub(channel)
    reviews = reviews_pb2_grpc.ReviewsStub(channel)
    member = bearer(system, "d")
    before = {s: last_event(system, s) for s in ("initiatives", "reviews")}

    statuses: list[grpc.StatusCode] = []  # issue 10's figures (bad-input/grpc)

    def check(refusal: Refusal, status: grpc.StatusCode, code: str, field: str | None) -> None:
        statuses.append(refusal.status)
        assert (refusal.status, refusal.code, refusal.field) == (status, code, field), refusal
        if field is not None:
            assert refusal.field_violations == [field]

    invalid = grpc.StatusCode.INVALID_ARGUMENT
    long = refused(lambda: initiatives.RaiseIdea(new_idea(w, "ý" * 20_001), metadata=member))
    check(long, invalid, "VALIDATION_FAILED", "title")
    assert "hợp lệ" in long.localized.message  # Vietnamese by default
    missing = refused(lambda: initiatives.RaiseIdea(new_idea(w, None), metadata=member))
    check(missing, invalid, "VALIDATION_FAILED", "title")
    domain = refused(lambda: initiatives.RaiseIdea(new_idea(w, raised_on="2026-13-01"),
                                                   metadata=member))
    check(domain, invalid, "INVALID_DATE", "raised_on")
    not_a_number = refused(lambda: reviews.Classify(reviews_pb2.ReviewsClassifyRequest(
        union_id=w.unions["CS-1"], year=year(2025), upper_union_id=w.unions["TV-CL"],
        classified_on="2026-01-10", appraised_score=float("nan")), metadata=bearer(system, "g")))
    check(not_a_number, invalid, "VALIDATION_FAILED", "appraised_score")
    too_many = refused(lambda: reviews.Launch(reviews_pb2.ReviewsLaunchRequest(
        union_id=w.unions["CS-1"], year=year(2027), launched_on="2026-01-05", title="Phát động",
        plan="Kế hoạch", evidence=["x"] * 1_001), metadata=bearer(system, "a")))
    check(too_many, invalid, "VALIDATION_FAILED", "evidence")
    year_nan = refused(lambda: reviews.Launch(reviews_pb2.ReviewsLaunchRequest(
        union_id=w.unions["CS-1"], year=year(float("inf")), launched_on="2026-01-05",
        title="Phát động", plan="Kế hoạch"), metadata=bearer(system, "a")))
    check(year_nan, invalid, "VALIDATION_FAILED", "year")

    raise_idea = _raw(channel, "/emulation.v1.Initiatives/RaiseIdea")
    valid = new_idea(w, "Đúng").SerializeToString()
    for body, code in ((b"\xff\xff\xff\xff", "MALFORMED_MESSAGE"),  # not protobuf
                       (b"\x1a\x02\xc3\x28", "MALFORMED_MESSAGE"),  # a title that is not UTF-8
                       (valid[:-3], "MALFORMED_MESSAGE"),  # cut short
                       (valid + b"\xf8\x06\x01", "UNKNOWN_FIELD"),  # field 111
                       (b"\x08\x05" + valid, "UNKNOWN_FIELD")):  # field 1 with the wrong wire type
        with pytest.raises(grpc.RpcError) as caught:
            raise_idea(body, metadata=member)
        refusal = Refusal(caught.value)
        statuses.append(refusal.status)
        assert (refusal.status, refusal.code) == (invalid, code), (body[:8], refusal)
    deep = initiatives_pb2.InitiativesRegisterRequest(
        union_id=w.unions["CS-1"], reference="SK-DEEP", kind="initiative",
        registered_on="2026-01-10")
    deep.fields.CopyFrom(_nested(120))
    nested = refused(lambda: initiatives.Register(deep, metadata=member))
    statuses.append(nested.status)
    assert (nested.status, nested.code) == (invalid, "MALFORMED_MESSAGE")

    # over 8 MiB: grpc itself refuses before any handler runs, so no code in the details
    with pytest.raises(grpc.RpcError) as over:
        initiatives.RaiseIdea(new_idea(w, description="x" * (9 * 1024 * 1024)), metadata=member)
    assert over.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    statuses.append(over.value.code())

    unchanged = {s: last_event(system, s) for s in ("initiatives", "reviews")} == before
    server_errors = sum(s in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN) for s in statuses)
    record("bad-input", "grpc", tried=len(statuses), server_errors=server_errors,
           stored=int(not unchanged))
    assert server_errors == 0 and unchanged
    # and the gateway still answers
    assert initiatives.RaiseIdea(new_idea(w, "Sau tất cả"), metadata=member).result.string_value


def test_r5_2_grpc_health_checking_and_reflection(system: System, channel: grpc.Channel) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    serving = health_pb2.HealthCheckResponse.SERVING
    for name in ("", "emulation.v1.Initiatives", "emulation.v1.Reviews", "emulation.v1.Auth"):
        eventually(partial(health_is, health, name, serving), timeout=30,
                   what=f"{name or 'the gateway'} serving")
    unknown = refused_plain(lambda: health.Check(health_pb2.HealthCheckRequest(service="nope")))
    assert unknown == grpc.StatusCode.NOT_FOUND

    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert {"emulation.v1.Auth", "emulation.v1.Registry", "emulation.v1.Initiatives",
            "emulation.v1.Reviews", "emulation.v1.Awards", "grpc.health.v1.Health",
            "grpc.reflection.v1alpha.ServerReflection"} <= services
    pool = descriptor_pool.DescriptorPool(database)
    rpc = pool.FindServiceByName("emulation.v1.Initiatives").methods_by_name["RaiseIdea"]
    assert rpc.input_type.fields_by_name["title"].type == rpc.input_type.fields_by_name[
        "title"].TYPE_STRING
    assert rpc.output_type.full_name == "emulation.v1.Reply"


def health_is(health: health_pb2_grpc.HealthStub, name: str, status: int) -> bool:
    return bool(health.Check(health_pb2.HealthCheckRequest(service=name)).status == status)


def refused_plain(call: Callable[[], Any]) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code()


def test_r5_2_grpc_a_stopped_service_is_unavailable_quickly_and_the_gateway_recovers(
        system: System, channel: grpc.Channel) -> None:
    """Last in the module: it stops a service."""
    w = province(system)
    reviews = reviews_pb2_grpc.ReviewsStub(channel)
    health = health_pb2_grpc.HealthStub(channel)
    schedule = reviews_pb2.ReviewsScheduleRequest(union_id=w.unions["CS-1"], year=year(2026))
    assert reviews.Schedule(schedule, metadata=bearer(system, "g")).result.struct_value
    system.processes.kill("reviews")
    started = time.monotonic()
    down = refused(lambda: reviews.Schedule(schedule, metadata=bearer(system, "g"), timeout=30))
    assert (down.status, down.code) == (grpc.StatusCode.UNAVAILABLE, "SERVICE_UNAVAILABLE")
    assert time.monotonic() - started < 5 + 3  # GATEWAY_RPC_TIMEOUT is 5 s in these tests
    serving, not_serving = (health_pb2.HealthCheckResponse.SERVING,
                            health_pb2.HealthCheckResponse.NOT_SERVING)
    eventually(partial(health_is, health, "emulation.v1.Reviews", not_serving), timeout=30,
               what="health says reviews is not serving")
    assert health_is(health, "emulation.v1.Initiatives", serving)
    assert health_is(health, "", not_serving)

    system.processes.service("reviews")
    answer = eventually(lambda: reviews.Schedule(schedule, metadata=bearer(system, "g"),
                                                 timeout=30),
                        timeout=60, what="reviews answers through the gateway again")
    assert answer.result.struct_value
    eventually(partial(health_is, health, "emulation.v1.Reviews", serving), timeout=30,
               what="health says reviews is serving again")
