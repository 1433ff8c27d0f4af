# ruff: noqa
# mypy: ignore-errors
from gateway.grpc_generated import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class AuditAuditReportRequest(_message.Message):
    __slots__ = ("record_id", "service", "format", "verify")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    VERIFY_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    service: str
    format: str
    verify: bool
    def __init__(self, record_id: _Optional[str] = ..., service: _Optional[str] = ..., format: _Optional[str] = ..., verify: _Optional[bool] = ...) -> None: ...

class AuditDecisionTrailRequest(_message.Message):
    __slots__ = ("record_id", "service")
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    service: str
    def __init__(self, record_id: _Optional[str] = ..., service: _Optional[str] = ...) -> None: ...
