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

class AwardsAttachDocumentRequest(_message.Message):
    __slots__ = ("submission_id", "kind", "filename", "media_type", "content_base64", "attached_on", "nomination_id", "title")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_BASE64_FIELD_NUMBER: _ClassVar[int]
    ATTACHED_ON_FIELD_NUMBER: _ClassVar[int]
    NOMINATION_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    kind: str
    filename: str
    media_type: str
    content_base64: str
    attached_on: str
    nomination_id: str
    title: str
    def __init__(self, submission_id: _Optional[str] = ..., kind: _Optional[str] = ..., filename: _Optional[str] = ..., media_type: _Optional[str] = ..., content_base64: _Optional[str] = ..., attached_on: _Optional[str] = ..., nomination_id: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class AwardsAttestRequest(_message.Message):
    __slots__ = ("union_id", "subject", "subject_id", "year", "attested_on", "statement", "evidence", "met")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    ATTESTED_ON_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    MET_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    subject: str
    subject_id: str
    year: _struct_pb2.Value
    attested_on: str
    statement: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    met: bool
    def __init__(self, union_id: _Optional[str] = ..., subject: _Optional[str] = ..., subject_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., attested_on: _Optional[str] = ..., statement: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ..., met: _Optional[bool] = ...) -> None: ...

class AwardsAwardsRequest(_message.Message):
    __slots__ = ("union_id", "year", "subject_id", "status", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    subject_id: str
    status: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., subject_id: _Optional[str] = ..., status: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class AwardsCancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class AwardsChainCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AwardsCitedEventsRequest(_message.Message):
    __slots__ = ("event_ids", "offset", "limit")
    EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    event_ids: _containers.RepeatedScalarFieldContainer[str]
    offset: int
    limit: int
    def __init__(self, event_ids: _Optional[_Iterable[str]] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class AwardsDecideAwardRequest(_message.Message):
    __slots__ = ("union_id", "form", "decided_on", "number", "nomination_ids", "reason", "signer_id", "evidence")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    DECIDED_ON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NOMINATION_IDS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SIGNER_ID_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    form: str
    decided_on: str
    number: str
    nomination_ids: _containers.RepeatedScalarFieldContainer[str]
    reason: str
    signer_id: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, union_id: _Optional[str] = ..., form: _Optional[str] = ..., decided_on: _Optional[str] = ..., number: _Optional[str] = ..., nomination_ids: _Optional[_Iterable[str]] = ..., reason: _Optional[str] = ..., signer_id: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsDossierCheckRequest(_message.Message):
    __slots__ = ("submission_id", "as_of")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    as_of: str
    def __init__(self, submission_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class AwardsDraftSubmissionRequest(_message.Message):
    __slots__ = ("union_id", "year", "nomination_ids", "drafted_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    NOMINATION_IDS_FIELD_NUMBER: _ClassVar[int]
    DRAFTED_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    year: _struct_pb2.Value
    nomination_ids: _containers.RepeatedScalarFieldContainer[str]
    drafted_on: str
    def __init__(self, union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., nomination_ids: _Optional[_Iterable[str]] = ..., drafted_on: _Optional[str] = ...) -> None: ...

class AwardsEvaluateRequest(_message.Message):
    __slots__ = ("subject", "subject_id", "year", "form", "as_of", "initiative_ids")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    INITIATIVE_IDS_FIELD_NUMBER: _ClassVar[int]
    subject: str
    subject_id: str
    year: _struct_pb2.Value
    form: str
    as_of: str
    initiative_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, subject: _Optional[str] = ..., subject_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., form: _Optional[str] = ..., as_of: _Optional[str] = ..., initiative_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsFormsRequest(_message.Message):
    __slots__ = ("as_of",)
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    def __init__(self, as_of: _Optional[str] = ...) -> None: ...

class AwardsGetAwardRequest(_message.Message):
    __slots__ = ("award_id",)
    AWARD_ID_FIELD_NUMBER: _ClassVar[int]
    award_id: str
    def __init__(self, award_id: _Optional[str] = ...) -> None: ...

class AwardsGetDocumentRequest(_message.Message):
    __slots__ = ("sha256",)
    SHA256_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    def __init__(self, sha256: _Optional[str] = ...) -> None: ...

class AwardsGetNominationRequest(_message.Message):
    __slots__ = ("nomination_id",)
    NOMINATION_ID_FIELD_NUMBER: _ClassVar[int]
    nomination_id: str
    def __init__(self, nomination_id: _Optional[str] = ...) -> None: ...

class AwardsGetSubmissionRequest(_message.Message):
    __slots__ = ("submission_id",)
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    def __init__(self, submission_id: _Optional[str] = ...) -> None: ...

class AwardsHistoryRequest(_message.Message):
    __slots__ = ("aggregate_id", "offset", "limit")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    offset: int
    limit: int
    def __init__(self, aggregate_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class AwardsHoldSelectionRequest(_message.Message):
    __slots__ = ("union_id", "held_on", "attendees", "votes", "minutes", "evidence")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    ATTENDEES_FIELD_NUMBER: _ClassVar[int]
    VOTES_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    held_on: str
    attendees: _containers.RepeatedScalarFieldContainer[str]
    votes: _struct_pb2.Struct
    minutes: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, union_id: _Optional[str] = ..., held_on: _Optional[str] = ..., attendees: _Optional[_Iterable[str]] = ..., votes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., minutes: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class AwardsNominateRequest(_message.Message):
    __slots__ = ("union_id", "subject", "subject_id", "year", "form", "achievement", "nominated_on", "initiative_ids", "carries", "reason", "evidence")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    ACHIEVEMENT_FIELD_NUMBER: _ClassVar[int]
    NOMINATED_ON_FIELD_NUMBER: _ClassVar[int]
    INITIATIVE_IDS_FIELD_NUMBER: _ClassVar[int]
    CARRIES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    subject: str
    subject_id: str
    year: _struct_pb2.Value
    form: str
    achievement: str
    nominated_on: str
    initiative_ids: _containers.RepeatedScalarFieldContainer[str]
    carries: str
    reason: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, union_id: _Optional[str] = ..., subject: _Optional[str] = ..., subject_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., form: _Optional[str] = ..., achievement: _Optional[str] = ..., nominated_on: _Optional[str] = ..., initiative_ids: _Optional[_Iterable[str]] = ..., carries: _Optional[str] = ..., reason: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsNominationsRequest(_message.Message):
    __slots__ = ("union_id", "to_union_id", "year", "status", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    TO_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    to_union_id: str
    year: _struct_pb2.Value
    status: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., to_union_id: _Optional[str] = ..., year: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., status: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class AwardsOpenItemsRequest(_message.Message):
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

class AwardsProceedingsRequest(_message.Message):
    __slots__ = ("nomination_id",)
    NOMINATION_ID_FIELD_NUMBER: _ClassVar[int]
    nomination_id: str
    def __init__(self, nomination_id: _Optional[str] = ...) -> None: ...

class AwardsRenderAwardListRequest(_message.Message):
    __slots__ = ("award_id", "format")
    AWARD_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    award_id: str
    format: str
    def __init__(self, award_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class AwardsRenderCertificatesRequest(_message.Message):
    __slots__ = ("award_id",)
    AWARD_ID_FIELD_NUMBER: _ClassVar[int]
    award_id: str
    def __init__(self, award_id: _Optional[str] = ...) -> None: ...

class AwardsRenderDecisionRequest(_message.Message):
    __slots__ = ("award_id", "format")
    AWARD_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    award_id: str
    format: str
    def __init__(self, award_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class AwardsRenderMinutesExtractRequest(_message.Message):
    __slots__ = ("meeting_id",)
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    def __init__(self, meeting_id: _Optional[str] = ...) -> None: ...

class AwardsRenderSubmissionLetterRequest(_message.Message):
    __slots__ = ("submission_id", "signer_id", "format")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNER_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    signer_id: str
    format: str
    def __init__(self, submission_id: _Optional[str] = ..., signer_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class AwardsReplayCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AwardsReturnSubmissionRequest(_message.Message):
    __slots__ = ("submission_id", "returned_on", "reason", "missing", "evidence")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    RETURNED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    returned_on: str
    reason: str
    missing: _containers.RepeatedScalarFieldContainer[str]
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, submission_id: _Optional[str] = ..., returned_on: _Optional[str] = ..., reason: _Optional[str] = ..., missing: _Optional[_Iterable[str]] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsRevokeAwardRequest(_message.Message):
    __slots__ = ("award_id", "revoked_on", "ground", "reason", "recovery", "subject_id", "number", "evidence")
    AWARD_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_ON_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    award_id: str
    revoked_on: str
    ground: str
    reason: str
    recovery: _struct_pb2.Struct
    subject_id: str
    number: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, award_id: _Optional[str] = ..., revoked_on: _Optional[str] = ..., ground: _Optional[str] = ..., reason: _Optional[str] = ..., recovery: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., subject_id: _Optional[str] = ..., number: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsStartJobRequest(_message.Message):
    __slots__ = ("kind", "position", "link")
    KIND_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    kind: str
    position: int
    link: str
    def __init__(self, kind: _Optional[str] = ..., position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class AwardsStateAsOfRequest(_message.Message):
    __slots__ = ("aggregate_id", "version", "on")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    version: int
    on: str
    def __init__(self, aggregate_id: _Optional[str] = ..., version: _Optional[int] = ..., on: _Optional[str] = ...) -> None: ...

class AwardsSubmissionsRequest(_message.Message):
    __slots__ = ("to_union_id", "union_id", "status", "offset", "limit")
    TO_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    to_union_id: str
    union_id: str
    status: str
    offset: int
    limit: int
    def __init__(self, to_union_id: _Optional[str] = ..., union_id: _Optional[str] = ..., status: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class AwardsSubmitRequest(_message.Message):
    __slots__ = ("submission_id", "submitted_on", "number", "reason", "evidence")
    SUBMISSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_ON_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    submission_id: str
    submitted_on: str
    number: str
    reason: str
    evidence: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, submission_id: _Optional[str] = ..., submitted_on: _Optional[str] = ..., number: _Optional[str] = ..., reason: _Optional[str] = ..., evidence: _Optional[_Iterable[str]] = ...) -> None: ...

class AwardsVerifyChainRequest(_message.Message):
    __slots__ = ("position", "link")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    position: int
    link: str
    def __init__(self, position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...
