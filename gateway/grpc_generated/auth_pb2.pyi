# ruff: noqa
# mypy: ignore-errors
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignInRequest(_message.Message):
    __slots__ = ("username", "password")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class Grant(_message.Message):
    __slots__ = ("role", "union_id")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    UNION_ID_FIELD_NUMBER: _ClassVar[int]
    role: str
    union_id: str
    def __init__(self, role: _Optional[str] = ..., union_id: _Optional[str] = ...) -> None: ...

class SignInReply(_message.Message):
    __slots__ = ("access_token", "token_type", "expires_in", "username", "person_id", "roles")
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_TYPE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_IN_FIELD_NUMBER: _ClassVar[int]
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    token_type: str
    expires_in: int
    username: str
    person_id: str
    roles: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, access_token: _Optional[str] = ..., token_type: _Optional[str] = ..., expires_in: _Optional[int] = ..., username: _Optional[str] = ..., person_id: _Optional[str] = ..., roles: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...

class MeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class User(_message.Message):
    __slots__ = ("username", "person_id", "roles")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    username: str
    person_id: str
    roles: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, username: _Optional[str] = ..., person_id: _Optional[str] = ..., roles: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("username", "password", "person_id", "roles")
    USERNAME_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    username: str
    password: str
    person_id: str
    roles: _containers.RepeatedCompositeFieldContainer[Grant]
    def __init__(self, username: _Optional[str] = ..., password: _Optional[str] = ..., person_id: _Optional[str] = ..., roles: _Optional[_Iterable[_Union[Grant, _Mapping]]] = ...) -> None: ...
