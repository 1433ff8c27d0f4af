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

class RegistryAncestorsRequest(_message.Message):
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

class RegistryApplyReorganisationRequest(_message.Message):
    __slots__ = ("number", "signed_on", "effective_on", "legal_basis", "union_id", "file_content", "format", "dry_run", "filename")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    LEGAL_BASIS_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    number: str
    signed_on: str
    effective_on: str
    legal_basis: str
    union_id: str
    file_content: str
    format: str
    dry_run: bool
    filename: str
    def __init__(self, number: _Optional[str] = ..., signed_on: _Optional[str] = ..., effective_on: _Optional[str] = ..., legal_basis: _Optional[str] = ..., union_id: _Optional[str] = ..., file_content: _Optional[str] = ..., format: _Optional[str] = ..., dry_run: _Optional[bool] = ..., filename: _Optional[str] = ...) -> None: ...

class RegistryAppointRequest(_message.Message):
    __slots__ = ("body_id", "person_id", "position", "effective_on")
    BODY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    body_id: str
    person_id: str
    position: str
    effective_on: str
    def __init__(self, body_id: _Optional[str] = ..., person_id: _Optional[str] = ..., position: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryBodiesRequest(_message.Message):
    __slots__ = ("union_id", "as_of", "kind", "offset", "limit")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    as_of: str
    kind: str
    offset: int
    limit: int
    def __init__(self, union_id: _Optional[str] = ..., as_of: _Optional[str] = ..., kind: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistryCancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class RegistryChainCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RegistryConstituteBodyRequest(_message.Message):
    __slots__ = ("union_id", "kind", "name", "term_start", "term_end", "department", "decision")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TERM_START_FIELD_NUMBER: _ClassVar[int]
    TERM_END_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    kind: str
    name: str
    term_start: str
    term_end: str
    department: str
    decision: _struct_pb2.Struct
    def __init__(self, union_id: _Optional[str] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., term_start: _Optional[str] = ..., term_end: _Optional[str] = ..., department: _Optional[str] = ..., decision: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class RegistryDepartmentRequest(_message.Message):
    __slots__ = ("union_id", "department", "as_of")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    department: str
    as_of: str
    def __init__(self, union_id: _Optional[str] = ..., department: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class RegistryDescendantsRequest(_message.Message):
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

class RegistryDirectSuperiorRequest(_message.Message):
    __slots__ = ("union_id", "as_of")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    as_of: str
    def __init__(self, union_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class RegistryDissolveUnionRequest(_message.Message):
    __slots__ = ("union_id", "effective_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    effective_on: str
    def __init__(self, union_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryEndBodyRequest(_message.Message):
    __slots__ = ("body_id", "effective_on", "reason")
    BODY_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    body_id: str
    effective_on: str
    reason: str
    def __init__(self, body_id: _Optional[str] = ..., effective_on: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RegistryFoundUnionRequest(_message.Message):
    __slots__ = ("code", "name", "level", "founded_on", "parent_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    FOUNDED_ON_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    level: str
    founded_on: str
    parent_id: str
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[str] = ..., founded_on: _Optional[str] = ..., parent_id: _Optional[str] = ...) -> None: ...

class RegistryGetBodyRequest(_message.Message):
    __slots__ = ("body_id",)
    BODY_ID_FIELD_NUMBER: _ClassVar[int]
    body_id: str
    def __init__(self, body_id: _Optional[str] = ...) -> None: ...

class RegistryGetPersonRequest(_message.Message):
    __slots__ = ("person_id", "as_of")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    as_of: str
    def __init__(self, person_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class RegistryGetReorganisationRequest(_message.Message):
    __slots__ = ("plan_id",)
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    def __init__(self, plan_id: _Optional[str] = ...) -> None: ...

class RegistryGetUnionRequest(_message.Message):
    __slots__ = ("union_id", "as_of")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    as_of: str
    def __init__(self, union_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class RegistryHeldPositionsRequest(_message.Message):
    __slots__ = ("person_id", "union_id", "as_of", "kind", "offset", "limit")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    union_id: str
    as_of: str
    kind: str
    offset: int
    limit: int
    def __init__(self, person_id: _Optional[str] = ..., union_id: _Optional[str] = ..., as_of: _Optional[str] = ..., kind: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistryHistoryRequest(_message.Message):
    __slots__ = ("aggregate_id", "offset", "limit")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    offset: int
    limit: int
    def __init__(self, aggregate_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistryImportProgressRequest(_message.Message):
    __slots__ = ("upload_id",)
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    upload_id: str
    def __init__(self, upload_id: _Optional[str] = ...) -> None: ...

class RegistryImportRecordsRequest(_message.Message):
    __slots__ = ("file_content", "format", "kind", "dry_run", "filename", "upload_id")
    FILE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    file_content: str
    format: str
    kind: str
    dry_run: bool
    filename: str
    upload_id: str
    def __init__(self, file_content: _Optional[str] = ..., format: _Optional[str] = ..., kind: _Optional[str] = ..., dry_run: _Optional[bool] = ..., filename: _Optional[str] = ..., upload_id: _Optional[str] = ...) -> None: ...

class RegistryImportTemplateRequest(_message.Message):
    __slots__ = ("format",)
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    format: str
    def __init__(self, format: _Optional[str] = ...) -> None: ...

class RegistryJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class RegistryJoinUnionRequest(_message.Message):
    __slots__ = ("person_id", "union_id", "effective_on")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    union_id: str
    effective_on: str
    def __init__(self, person_id: _Optional[str] = ..., union_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryLeaveUnionRequest(_message.Message):
    __slots__ = ("person_id", "effective_on")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    effective_on: str
    def __init__(self, person_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryMembersRequest(_message.Message):
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

class RegistryMergeUnionsRequest(_message.Message):
    __slots__ = ("union_ids", "effective_on", "into_union_id", "new_union")
    UNION_IDS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    INTO_UNION_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_UNION_FIELD_NUMBER: _ClassVar[int]
    union_ids: _containers.RepeatedScalarFieldContainer[str]
    effective_on: str
    into_union_id: str
    new_union: _struct_pb2.Struct
    def __init__(self, union_ids: _Optional[_Iterable[str]] = ..., effective_on: _Optional[str] = ..., into_union_id: _Optional[str] = ..., new_union: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class RegistryMoveUnionRequest(_message.Message):
    __slots__ = ("union_id", "parent_id", "effective_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    parent_id: str
    effective_on: str
    def __init__(self, union_id: _Optional[str] = ..., parent_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryRegisterPersonRequest(_message.Message):
    __slots__ = ("code", "full_name", "registered_on", "union_id", "birth_date", "gender", "is_official", "is_full_time")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_ON_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    GENDER_FIELD_NUMBER: _ClassVar[int]
    IS_OFFICIAL_FIELD_NUMBER: _ClassVar[int]
    IS_FULL_TIME_FIELD_NUMBER: _ClassVar[int]
    code: str
    full_name: str
    registered_on: str
    union_id: str
    birth_date: str
    gender: str
    is_official: bool
    is_full_time: bool
    def __init__(self, code: _Optional[str] = ..., full_name: _Optional[str] = ..., registered_on: _Optional[str] = ..., union_id: _Optional[str] = ..., birth_date: _Optional[str] = ..., gender: _Optional[str] = ..., is_official: _Optional[bool] = ..., is_full_time: _Optional[bool] = ...) -> None: ...

class RegistryRelieveRequest(_message.Message):
    __slots__ = ("body_id", "person_id", "effective_on")
    BODY_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    body_id: str
    person_id: str
    effective_on: str
    def __init__(self, body_id: _Optional[str] = ..., person_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryRenameUnionRequest(_message.Message):
    __slots__ = ("union_id", "name", "effective_on")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    name: str
    effective_on: str
    def __init__(self, union_id: _Optional[str] = ..., name: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryReorganisationTemplateRequest(_message.Message):
    __slots__ = ("format",)
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    format: str
    def __init__(self, format: _Optional[str] = ...) -> None: ...

class RegistryReplayCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RegistrySearchPeopleRequest(_message.Message):
    __slots__ = ("q", "union_id", "as_of", "limit")
    Q_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    q: str
    union_id: str
    as_of: str
    limit: int
    def __init__(self, q: _Optional[str] = ..., union_id: _Optional[str] = ..., as_of: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistrySearchUnionsRequest(_message.Message):
    __slots__ = ("q", "as_of", "limit")
    Q_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    q: str
    as_of: str
    limit: int
    def __init__(self, q: _Optional[str] = ..., as_of: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistrySetOfficialStatusRequest(_message.Message):
    __slots__ = ("person_id", "is_official", "is_full_time", "effective_on")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    IS_OFFICIAL_FIELD_NUMBER: _ClassVar[int]
    IS_FULL_TIME_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    is_official: bool
    is_full_time: bool
    effective_on: str
    def __init__(self, person_id: _Optional[str] = ..., is_official: _Optional[bool] = ..., is_full_time: _Optional[bool] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistrySplitUnionRequest(_message.Message):
    __slots__ = ("union_id", "effective_on", "parts")
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    effective_on: str
    parts: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Struct]
    def __init__(self, union_id: _Optional[str] = ..., effective_on: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[_struct_pb2.Struct, _Mapping]]] = ...) -> None: ...

class RegistryStartJobRequest(_message.Message):
    __slots__ = ("kind", "position", "link")
    KIND_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    kind: str
    position: int
    link: str
    def __init__(self, kind: _Optional[str] = ..., position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class RegistryStateAsOfRequest(_message.Message):
    __slots__ = ("aggregate_id", "version", "on")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    version: int
    on: str
    def __init__(self, aggregate_id: _Optional[str] = ..., version: _Optional[int] = ..., on: _Optional[str] = ...) -> None: ...

class RegistryTransferPersonRequest(_message.Message):
    __slots__ = ("person_id", "union_id", "effective_on")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_ON_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    union_id: str
    effective_on: str
    def __init__(self, person_id: _Optional[str] = ..., union_id: _Optional[str] = ..., effective_on: _Optional[str] = ...) -> None: ...

class RegistryTreeRequest(_message.Message):
    __slots__ = ("as_of", "root_id", "offset", "limit")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    root_id: str
    offset: int
    limit: int
    def __init__(self, as_of: _Optional[str] = ..., root_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class RegistryUnionByCodeRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class RegistryUnionHistoryRequest(_message.Message):
    __slots__ = ("union_id",)
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    union_id: str
    def __init__(self, union_id: _Optional[str] = ...) -> None: ...

class RegistryVerifyChainRequest(_message.Message):
    __slots__ = ("position", "link")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    position: int
    link: str
    def __init__(self, position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...
