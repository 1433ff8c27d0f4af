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

class ReviewsAnswerDifficultyRequest(_message.Message):
    __slots__ = ("difficulty_id", "answered_on", "answer")
    DIFFICULTY_ID_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_ON_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    difficulty_id: str
    answered_on: str
    answer: str
    def __init__(self, difficulty_id: _Optional[str] = ..., answered_on: _Optional[str] = ..., answer: _Optional[str] = ...) -> None: ...

class ReviewsCancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ReviewsChainCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReviewsClassifyRequest(_message.Message):
    __slots__ = ("union_id", "year", "upper_union_id", "classified_on", "appraised_score", "findings", "reason", "evidence", "number")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    UPPER_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    CLASSIFIED_ON_FIELD_NUMBER: _ClassVar[int]
    APPRAISED_SCORE_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    upper_union_id: str
    classified_on: str
    appraised_score: float
    findings: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    number: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., upper_union_id: _Optional[str] = ..., classified_on: _Optional[str] = ..., appraised_score: _Optional[float] = ..., findings: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ..., number: _Optional[str] = ...) -> None: ...

class ReviewsCloseAnnualReviewRequest(_message.Message):
    __slots__ = ("union_id", "year", "closed_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    closed_on: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., closed_on: _Optional[str] = ...) -> None: ...

class ReviewsCorrectClassificationRequest(_message.Message):
    __slots__ = ("union_id", "year", "upper_union_id", "corrected_on", "appraised_score", "reason", "findings", "evidence", "number")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    UPPER_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_ON_FIELD_NUMBER: _ClassVar[int]
    APPRAISED_SCORE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    upper_union_id: str
    corrected_on: str
    appraised_score: float
    reason: str
    findings: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    number: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., upper_union_id: _Optional[str] = ..., corrected_on: _Optional[str] = ..., appraised_score: _Optional[float] = ..., reason: _Optional[str] = ..., findings: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[str]] = ..., number: _Optional[str] = ...) -> None: ...

class ReviewsDifficultiesRequest(_message.Message):
    __slots__ = ("union_id", "federation_id", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    FEDERATION_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    federation_id: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., federation_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ReviewsFlagOverdueRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReviewsFollowUpDifficultyRequest(_message.Message):
    __slots__ = ("difficulty_id", "on", "text")
    DIFFICULTY_ID_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    difficulty_id: str
    on: str
    text: str
    def __init__(self, difficulty_id: _Optional[str] = ..., on: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class ReviewsGetAnnualReviewRequest(_message.Message):
    __slots__ = ("union_id", "year")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class ReviewsGetClassificationRequest(_message.Message):
    __slots__ = ("union_id", "year")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class ReviewsGetDifficultyRequest(_message.Message):
    __slots__ = ("difficulty_id",)
    DIFFICULTY_ID_FIELD_NUMBER: _ClassVar[int]
    difficulty_id: str
    def __init__(self, difficulty_id: _Optional[str] = ...) -> None: ...

class ReviewsHistoryRequest(_message.Message):
    __slots__ = ("aggregate_id", "offset", "limit")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    offset: int
    limit: int
    def __init__(self, aggregate_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ReviewsHoldAnnualReviewRequest(_message.Message):
    __slots__ = ("union_id", "year", "held_on", "results", "self_score", "award_ids", "nomination_ids", "evidence", "self_assessment")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SELF_SCORE_FIELD_NUMBER: _ClassVar[int]
    AWARD_IDS_FIELD_NUMBER: _ClassVar[int]
    NOMINATION_IDS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    SELF_ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    held_on: str
    results: str
    self_score: float
    award_ids: _containers.RepeatedScalarFieldContainer[str]
    nomination_ids: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    self_assessment: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., held_on: _Optional[str] = ..., results: _Optional[str] = ..., self_score: _Optional[float] = ..., award_ids: _Optional[_Iterable[str]] = ..., nomination_ids: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[str]] = ..., self_assessment: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class ReviewsHoldHalfYearReviewRequest(_message.Message):
    __slots__ = ("union_id", "period", "held_on", "summary", "findings", "evidence", "self_assessment")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    SELF_ASSESSMENT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    period: str
    held_on: str
    summary: str
    findings: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    self_assessment: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, union_id: _Optional[str] = ..., period: _Optional[str] = ..., held_on: _Optional[str] = ..., summary: _Optional[str] = ..., findings: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[str]] = ..., self_assessment: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class ReviewsJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class ReviewsLaunchRequest(_message.Message):
    __slots__ = ("union_id", "year", "launched_on", "title", "plan", "evidence", "number")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    LAUNCHED_ON_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    launched_on: str
    title: str
    plan: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    number: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., launched_on: _Optional[str] = ..., title: _Optional[str] = ..., plan: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ..., number: _Optional[str] = ...) -> None: ...

class ReviewsLinkReviewRewardsRequest(_message.Message):
    __slots__ = ("union_id", "year", "linked_on", "award_ids", "nomination_ids")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    LINKED_ON_FIELD_NUMBER: _ClassVar[int]
    AWARD_IDS_FIELD_NUMBER: _ClassVar[int]
    NOMINATION_IDS_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    linked_on: str
    award_ids: _containers.RepeatedScalarFieldContainer[str]
    nomination_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., linked_on: _Optional[str] = ..., award_ids: _Optional[_Iterable[str]] = ..., nomination_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReviewsOpenItemsRequest(_message.Message):
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

class ReviewsOverdueRequest(_message.Message):
    __slots__ = ("upper_union_id", "as_of", "offset", "limit")
    UPPER_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    upper_union_id: str
    as_of: str
    offset: int
    limit: int
    def __init__(self, upper_union_id: _Optional[str] = ..., as_of: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ReviewsPledgeTargetKindsRequest(_message.Message):
    __slots__ = ("on", "offset", "limit")
    ON_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    on: str
    offset: int
    limit: int
    def __init__(self, on: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ReviewsPledgeTargetsRequest(_message.Message):
    __slots__ = ("union_id", "period")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    period: str
    def __init__(self, union_id: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ReviewsRecordDisseminationRequest(_message.Message):
    __slots__ = ("union_id", "year", "kind", "held_on", "title", "audience", "reach")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    REACH_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    kind: str
    held_on: str
    title: str
    audience: str
    reach: int
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., kind: _Optional[str] = ..., held_on: _Optional[str] = ..., title: _Optional[str] = ..., audience: _Optional[str] = ..., reach: _Optional[int] = ...) -> None: ...

class ReviewsReplayCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReviewsReportDifficultyRequest(_message.Message):
    __slots__ = ("union_id", "reported_on", "subject", "description")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTED_ON_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    reported_on: str
    subject: str
    description: str
    def __init__(self, union_id: _Optional[str] = ..., reported_on: _Optional[str] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ReviewsReviewAwardLinksRequest(_message.Message):
    __slots__ = ("union_id", "year")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class ReviewsScheduleRequest(_message.Message):
    __slots__ = ("union_id", "year", "as_of")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    as_of: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., as_of: _Optional[str] = ...) -> None: ...

class ReviewsScoreGapRequest(_message.Message):
    __slots__ = ("year", "union_id", "upper_union_id")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    UPPER_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    year: _struct_pb2.Value
    union_id: str
    upper_union_id: str
    def __init__(self, year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., union_id: _Optional[str] = ..., upper_union_id: _Optional[str] = ...) -> None: ...

class ReviewsSignPledgeRequest(_message.Message):
    __slots__ = ("union_id", "year", "signed_on", "content", "commitments", "evidence", "items")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    COMMITMENTS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    signed_on: str
    content: str
    commitments: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    items: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., signed_on: _Optional[str] = ..., content: _Optional[str] = ..., commitments: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[str]] = ..., items: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class ReviewsStartJobRequest(_message.Message):
    __slots__ = ("kind", "position", "link")
    KIND_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    kind: str
    position: int
    link: str
    def __init__(self, kind: _Optional[str] = ..., position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class ReviewsStateAsOfRequest(_message.Message):
    __slots__ = ("aggregate_id", "version", "on")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    version: int
    on: str
    def __init__(self, aggregate_id: _Optional[str] = ..., version: _Optional[int] = ..., on: _Optional[str] = ...) -> None: ...

class ReviewsVerifyChainRequest(_message.Message):
    __slots__ = ("position", "link")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    position: int
    link: str
    def __init__(self, position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...
