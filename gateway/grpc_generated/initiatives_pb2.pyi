# ruff: noqa
# mypy: ignore-errors
from gateway.grpc_generated import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InitiativesAcceptTopicRequest(_message.Message):
    __slots__ = ("initiative_id", "on", "result", "reason", "number")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    on: str
    result: str
    reason: str
    number: str
    def __init__(self, initiative_id: _Optional[str] = ..., on: _Optional[str] = ..., result: _Optional[str] = ..., reason: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesAdoptRequest(_message.Message):
    __slots__ = ("initiative_id", "union_id", "adopted_on", "reason", "note")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    ADOPTED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    union_id: str
    adopted_on: str
    reason: str
    note: str
    def __init__(self, initiative_id: _Optional[str] = ..., union_id: _Optional[str] = ..., adopted_on: _Optional[str] = ..., reason: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class InitiativesCancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class InitiativesChainCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InitiativesCoachIdeaRequest(_message.Message):
    __slots__ = ("idea_id", "text", "on")
    IDEA_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    idea_id: str
    text: str
    on: str
    def __init__(self, idea_id: _Optional[str] = ..., text: _Optional[str] = ..., on: _Optional[str] = ...) -> None: ...

class InitiativesConstituteCouncilRequest(_message.Message):
    __slots__ = ("initiative_id", "members", "on", "reason", "number")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    members: _containers.RepeatedScalarFieldContainer[str]
    on: str
    reason: str
    number: str
    def __init__(self, initiative_id: _Optional[str] = ..., members: _Optional[_Iterable[str]] = ..., on: _Optional[str] = ..., reason: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesDeclineAtLevelRequest(_message.Message):
    __slots__ = ("initiative_id", "scope", "decided_on", "reasons", "number")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    scope: str
    decided_on: str
    reasons: str
    number: str
    def __init__(self, initiative_id: _Optional[str] = ..., scope: _Optional[str] = ..., decided_on: _Optional[str] = ..., reasons: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesDesignFormRequest(_message.Message):
    __slots__ = ("union_id", "fields", "effective_on", "reason", "number")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    fields: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    effective_on: str
    reason: str
    number: str
    def __init__(self, union_id: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ..., effective_on: _Optional[str] = ..., reason: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesExportBookRequest(_message.Message):
    __slots__ = ("union_id", "format", "period_from", "period_to", "status")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FROM_FIELD_NUMBER: _ClassVar[int]
    PERIOD_TO_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    format: str
    period_from: str
    period_to: str
    status: str
    def __init__(self, union_id: _Optional[str] = ..., format: _Optional[str] = ..., period_from: _Optional[str] = ..., period_to: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class InitiativesGetFormRequest(_message.Message):
    __slots__ = ("union_id", "version", "as_of")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    version: int
    as_of: str
    def __init__(self, union_id: _Optional[str] = ..., version: _Optional[int] = ..., as_of: _Optional[str] = ...) -> None: ...

class InitiativesGetIdeaRequest(_message.Message):
    __slots__ = ("idea_id",)
    IDEA_ID_FIELD_NUMBER: _ClassVar[int]
    idea_id: str
    def __init__(self, idea_id: _Optional[str] = ...) -> None: ...

class InitiativesGetInitiativeRequest(_message.Message):
    __slots__ = ("initiative_id",)
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    def __init__(self, initiative_id: _Optional[str] = ...) -> None: ...

class InitiativesGetReplicationRequest(_message.Message):
    __slots__ = ("initiative_id", "union_id")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    union_id: str
    def __init__(self, initiative_id: _Optional[str] = ..., union_id: _Optional[str] = ...) -> None: ...

class InitiativesHistoryRequest(_message.Message):
    __slots__ = ("aggregate_id", "offset", "limit")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    offset: int
    limit: int
    def __init__(self, aggregate_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesIdeasRequest(_message.Message):
    __slots__ = ("union_id", "author_id", "status", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    author_id: str
    status: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., author_id: _Optional[str] = ..., status: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class InitiativesOpenItemsRequest(_message.Message):
    __slots__ = ("union_ids", "on", "action", "successor_id", "offset", "limit")
    UNION_IDS_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    SUCCESSOR_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_ids: _containers.RepeatedScalarFieldContainer[str]
    on: str
    action: str
    successor_id: str
    offset: int
    limit: int
    def __init__(self, union_ids: _Optional[_Iterable[str]] = ..., on: _Optional[str] = ..., action: _Optional[str] = ..., successor_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesOverdueRequest(_message.Message):
    __slots__ = ("union_id", "as_of", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    as_of: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., as_of: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesProposeRequest(_message.Message):
    __slots__ = ("initiative_id", "proposed_on", "reason", "evidence", "number")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    proposed_on: str
    reason: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    number: str
    def __init__(self, initiative_id: _Optional[str] = ..., proposed_on: _Optional[str] = ..., reason: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesRaiseIdeaRequest(_message.Message):
    __slots__ = ("union_id", "author_id", "title", "description", "raised_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    RAISED_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    author_id: str
    title: str
    description: str
    raised_on: str
    def __init__(self, union_id: _Optional[str] = ..., author_id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., raised_on: _Optional[str] = ...) -> None: ...

class InitiativesRecogniseRequest(_message.Message):
    __slots__ = ("initiative_id", "decided_on", "reason", "number", "evidence")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    decided_on: str
    reason: str
    number: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, initiative_id: _Optional[str] = ..., decided_on: _Optional[str] = ..., reason: _Optional[str] = ..., number: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class InitiativesRecogniseAtLevelRequest(_message.Message):
    __slots__ = ("initiative_id", "scope", "decided_on", "reason", "number", "evidence")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    scope: str
    decided_on: str
    reason: str
    number: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, initiative_id: _Optional[str] = ..., scope: _Optional[str] = ..., decided_on: _Optional[str] = ..., reason: _Optional[str] = ..., number: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class InitiativesRecordEvaluationRequest(_message.Message):
    __slots__ = ("initiative_id", "on", "scores", "votes", "minutes")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    VOTES_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    on: str
    scores: _struct_pb2.Struct
    votes: _struct_pb2.Struct
    minutes: str
    def __init__(self, initiative_id: _Optional[str] = ..., on: _Optional[str] = ..., scores: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., votes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., minutes: _Optional[str] = ...) -> None: ...

class InitiativesRefuseRequest(_message.Message):
    __slots__ = ("initiative_id", "decided_on", "reasons", "number", "evidence")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    decided_on: str
    reasons: str
    number: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, initiative_id: _Optional[str] = ..., decided_on: _Optional[str] = ..., reasons: _Optional[str] = ..., number: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class InitiativesRegisterRequest(_message.Message):
    __slots__ = ("union_id", "reference", "kind", "fields", "authors", "registered_on", "form_version", "idea_id")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    AUTHORS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_ON_FIELD_NUMBER: _ClassVar[int]
    FORM_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEA_ID_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    reference: str
    kind: str
    fields: _struct_pb2.Struct
    authors: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    registered_on: str
    form_version: int
    idea_id: str
    def __init__(self, union_id: _Optional[str] = ..., reference: _Optional[str] = ..., kind: _Optional[str] = ..., fields: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., authors: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ..., registered_on: _Optional[str] = ..., form_version: _Optional[int] = ..., idea_id: _Optional[str] = ...) -> None: ...

class InitiativesRegistrantsRequest(_message.Message):
    __slots__ = ("union_id", "year")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: int
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[int] = ...) -> None: ...

class InitiativesRenderRecognitionRequest(_message.Message):
    __slots__ = ("initiative_id", "scope")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    scope: str
    def __init__(self, initiative_id: _Optional[str] = ..., scope: _Optional[str] = ...) -> None: ...

class InitiativesRenderRecognitionCertificatesRequest(_message.Message):
    __slots__ = ("initiative_id", "scope")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    scope: str
    def __init__(self, initiative_id: _Optional[str] = ..., scope: _Optional[str] = ...) -> None: ...

class InitiativesReplayCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class InitiativesReplicationsRequest(_message.Message):
    __slots__ = ("union_id", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesReportApplicationRequest(_message.Message):
    __slots__ = ("initiative_id", "applied_from", "benefit", "value_saved_vnd", "reported_on", "applied_to")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FROM_FIELD_NUMBER: _ClassVar[int]
    BENEFIT_FIELD_NUMBER: _ClassVar[int]
    VALUE_SAVED_VND_FIELD_NUMBER: _ClassVar[int]
    REPORTED_ON_FIELD_NUMBER: _ClassVar[int]
    APPLIED_TO_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    applied_from: str
    benefit: str
    value_saved_vnd: _struct_pb2.Value
    reported_on: str
    applied_to: str
    def __init__(self, initiative_id: _Optional[str] = ..., applied_from: _Optional[str] = ..., benefit: _Optional[str] = ..., value_saved_vnd: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., reported_on: _Optional[str] = ..., applied_to: _Optional[str] = ...) -> None: ...

class InitiativesReportReplicationRequest(_message.Message):
    __slots__ = ("initiative_id", "union_id", "reported_on", "benefit", "value_saved_vnd")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTED_ON_FIELD_NUMBER: _ClassVar[int]
    BENEFIT_FIELD_NUMBER: _ClassVar[int]
    VALUE_SAVED_VND_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    union_id: str
    reported_on: str
    benefit: str
    value_saved_vnd: _struct_pb2.Value
    def __init__(self, initiative_id: _Optional[str] = ..., union_id: _Optional[str] = ..., reported_on: _Optional[str] = ..., benefit: _Optional[str] = ..., value_saved_vnd: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class InitiativesRevokeRequest(_message.Message):
    __slots__ = ("initiative_id", "decided_on", "ground", "reason", "evidence", "number")
    INITIATIVE_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    initiative_id: str
    decided_on: str
    ground: str
    reason: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    number: str
    def __init__(self, initiative_id: _Optional[str] = ..., decided_on: _Optional[str] = ..., ground: _Optional[str] = ..., reason: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ..., number: _Optional[str] = ...) -> None: ...

class InitiativesSearchInitiativesRequest(_message.Message):
    __slots__ = ("q", "union_id", "limit")
    Q_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    q: str
    union_id: str
    limit: int
    def __init__(self, q: _Optional[str] = ..., union_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesSimilarRecognisedRequest(_message.Message):
    __slots__ = ("name", "description", "union_id", "offset", "limit")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    union_id: str
    offset: int
    limit: int
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., union_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesStartJobRequest(_message.Message):
    __slots__ = ("kind", "position", "link")
    KIND_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    kind: str
    position: int
    link: str
    def __init__(self, kind: _Optional[str] = ..., position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class InitiativesStateAsOfRequest(_message.Message):
    __slots__ = ("aggregate_id", "version", "on")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    version: int
    on: str
    def __init__(self, aggregate_id: _Optional[str] = ..., version: _Optional[int] = ..., on: _Optional[str] = ...) -> None: ...

class InitiativesStatisticsRequest(_message.Message):
    __slots__ = ("year", "union_id", "union_ids", "offset", "limit")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_IDS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    year: int
    union_id: str
    union_ids: _containers.RepeatedScalarFieldContainer[str]
    offset: int
    limit: int
    def __init__(self, year: _Optional[int] = ..., union_id: _Optional[str] = ..., union_ids: _Optional[_Iterable[str]] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesTrackingBookRequest(_message.Message):
    __slots__ = ("union_id", "period_from", "period_to", "status", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FROM_FIELD_NUMBER: _ClassVar[int]
    PERIOD_TO_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    period_from: str
    period_to: str
    status: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., period_from: _Optional[str] = ..., period_to: _Optional[str] = ..., status: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class InitiativesVerifyChainRequest(_message.Message):
    __slots__ = ("position", "link")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    position: int
    link: str
    def __init__(self, position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class InitiativesWithdrawIdeaRequest(_message.Message):
    __slots__ = ("idea_id", "reason", "on")
    IDEA_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    idea_id: str
    reason: str
    on: str
    def __init__(self, idea_id: _Optional[str] = ..., reason: _Optional[str] = ..., on: _Optional[str] = ...) -> None: ...
