# ruff: noqa
# mypy: ignore-errors
from gateway.grpc_generated import common_pb2 as _common_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class NotificationsCancelJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class NotificationsChainCheckpointRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NotificationsHistoryRequest(_message.Message):
    __slots__ = ("aggregate_id", "offset", "limit")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    offset: int
    limit: int
    def __init__(self, aggregate_id: _Optional[str] = ..., offset: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class NotificationsJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class NotificationsMarkAllReadRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NotificationsMarkReadRequest(_message.Message):
    __slots__ = ("reminder_id",)
    REMINDER_ID_FIELD_NUMBER: _ClassVar[int]
    reminder_id: str
    def __init__(self, reminder_id: _Optional[str] = ...) -> None: ...

class NotificationsMyEmailRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NotificationsMyNotificationsRequest(_message.Message):
    __slots__ = ("unread_only", "limit")
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    unread_only: bool
    limit: int
    def __init__(self, unread_only: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class NotificationsReplayCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NotificationsSetEmailRequest(_message.Message):
    __slots__ = ("email_enabled", "address")
    EMAIL_ENABLED_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    email_enabled: bool
    address: str
    def __init__(self, email_enabled: _Optional[bool] = ..., address: _Optional[str] = ...) -> None: ...

class NotificationsStartJobRequest(_message.Message):
    __slots__ = ("kind", "position", "link")
    KIND_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    kind: str
    position: int
    link: str
    def __init__(self, kind: _Optional[str] = ..., position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...

class NotificationsStateAsOfRequest(_message.Message):
    __slots__ = ("aggregate_id", "version", "on")
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ON_FIELD_NUMBER: _ClassVar[int]
    aggregate_id: str
    version: int
    on: str
    def __init__(self, aggregate_id: _Optional[str] = ..., version: _Optional[int] = ..., on: _Optional[str] = ...) -> None: ...

class NotificationsUndeliveredMailRequest(_message.Message):
    __slots__ = ("status", "limit")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    status: str
    limit: int
    def __init__(self, status: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class NotificationsVerifyChainRequest(_message.Message):
    __slots__ = ("position", "link")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    position: int
    link: str
    def __init__(self, position: _Optional[int] = ..., link: _Optional[str] = ...) -> None: ...
