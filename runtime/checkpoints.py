"""Published checkpoints (R5.1, R4.5): each store's chain head, signed and put where the
store's administrator cannot rewrite it, so that a store rewritten whole — events and links
recomputed so that its chain agrees with itself (``runtime.chain``) — still disagrees with
what was published before.

Each service's relay (one holds the lease at a time) takes its store's head every
``EMU_CHECKPOINT_EVERY`` seconds (3600 by default) and, if the head moved since the last line
published, appends one line to ``<EMU_CHECKPOINT_DIR>/<service>.jsonl``:

    {"service": "awards", "position": 812, "link": "<64 hex>", "taken_at": "<ISO, UTC>",
     "key_id": "<16 hex>", "signature": "<base64 Ed25519 over the other fields>"}

The signature covers the canonical JSON (keys sorted, no spaces) of every field but itself.
The key is Ed25519, from ``EMU_CHECKPOINT_KEY_FILE`` (a PEM private key; in development one
is made once under ``<EMU_DATA_DIR>/.secrets/checkpoints/``, with a warning); its public half is
published beside the lines as ``public-key.pem``, and ``key_id`` is the first 16 hex digits of
the SHA-256 of its raw 32 bytes.

The directory is served read-only, without sign-in, at ``/public/api/checkpoints``
(``gateway.public``) with the same layout, so an auditor mirrors either (rsync, ``wget -m``).
``python -m runtime.audit verify --published DIR_OR_URL [--public-key KEY.pem]`` refuses
every line that is unsigned, malformed, signed by another key or badly signed, and checks
that each store still leads to every checkpoint that was published.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from runtime.config import Settings
from runtime.files import write_once

log = logging.getLogger("emulation.checkpoints")

SUFFIX = ".jsonl"
PUBLIC_KEY = "public-key.pem"
SIGNED = ("service", "position", "link", "taken_at", "key_id")  # what the signature covers

# Why a published line is refused: stable codes, and what an auditor reads.
REFUSALS = {
    "CHECKPOINT_MALFORMED": "Dòng không đúng định dạng điểm kiểm soát",
    "CHECKPOINT_UNSIGNED": "Dòng không có chữ ký",
    "CHECKPOINT_UNKNOWN_KEY": "Dòng được ký bằng khóa không phải khóa đã công bố",
    "CHECKPOINT_SIGNATURE_INVALID": "Chữ ký không khớp với nội dung dòng (dòng bị sửa hoặc giả mạo)",
    "CHECKPOINT_WRONG_STORE": "Dòng thuộc kho dữ liệu khác với tệp chứa nó",
}


def canonical(line: Mapping[str, Any]) -> bytes:
    return json.dumps({k: line[k] for k in SIGNED}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("ascii")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_keys(pem: bytes) -> dict[str, Ed25519PublicKey]:
    """Every Ed25519 public key of a PEM text (one or more, e.g. the current and a previous
    one kept by the auditor), by key id."""
    keys: dict[str, Ed25519PublicKey] = {}
    marker = b"-----END PUBLIC KEY-----"
    for block in pem.split(marker)[:-1]:
        key = serialization.load_pem_public_key(block.strip() + b"\n" + marker + b"\n")
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("a checkpoint key is Ed25519")
        keys[key_id(key)] = key
    return keys


class CheckpointKey:
    """The signing key of the checkpoints (``EMU_CHECKPOINT_KEY_FILE``)."""

    def __init__(self, settings: Settings) -> None:
        self.configured = bool(settings.env.get("EMU_CHECKPOINT_KEY_FILE"))
        self.path = settings.checkpoint_key

    def load(self) -> Ed25519PrivateKey:
        """The key; in development (no ``EMU_CHECKPOINT_KEY_FILE``) made once if absent. A
        configured key that is missing is an error: nothing is signed with a made-up key."""
        if not self.path.exists():
            if self.configured:
                raise FileNotFoundError(f"EMU_CHECKPOINT_KEY_FILE={self.path}: no such key")
            made = write_once(self.path, Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
            if made:
                log.warning("made a development checkpoint key in %s: set "
                            "EMU_CHECKPOINT_KEY_FILE to the operator's key in production",
                            self.path)
        key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.path}: a checkpoint key is Ed25519")
        return key


def sign(key: Ed25519PrivateKey, service: str, head: Mapping[str, Any],
         taken_at: datetime) -> dict[str, Any]:
    line: dict[str, Any] = {
        "service": service, "position": int(head["position"]), "link": str(head["link"]),
        "taken_at": taken_at.astimezone(UTC).isoformat(timespec="seconds"),
        "key_id": key_id(key.public_key())}
    line["signature"] = base64.b64encode(key.sign(canonical(line))).decode("ascii")
    return line


class Publisher:
    """One store's published checkpoints: the schedule and the append-only file."""

    def __init__(self, service: str, directory: Path, key: Ed25519PrivateKey, every: float,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.service = service
        self.directory = directory
        self.key = key
        self.every = every
        self.now = now
        self.monotonic = monotonic
        self.path = directory / f"{service}{SUFFIX}"
        self._next: float | None = None  # the first tick takes the head at once
        directory.mkdir(parents=True, exist_ok=True)
        self._publish_key()

    @classmethod
    def from_settings(cls, service: str, settings: Settings, **clocks: Any) -> Publisher:
        return cls(service, settings.checkpoint_dir, CheckpointKey(settings).load(),
                   settings.checkpoint_every, **clocks)

    def _publish_key(self) -> None:
        pem = public_pem(self.key.public_key())
        target = self.directory / PUBLIC_KEY
        if not write_once(target, pem, mode=0o644) and key_id(self.key.public_key()) not in \
                load_public_keys(target.read_bytes()):
            # A new key: appended, so lines signed with the previous one still verify.
            with target.open("ab") as out:
                out.write(pem)
            log.warning("checkpoint key %s added to %s", key_id(self.key.public_key()), target)

    def last(self) -> dict[str, Any] | None:
        """The last line published for this store (None: none yet)."""
        return last_line(self.path)

    def publish(self, head: Mapping[str, Any]) -> dict[str, Any] | None:
        """Appends the head, signed, unless it is what was published last; the line, or None."""
        last = self.last()
        if last is not None and (last.get("position"), last.get("link")) == (
                head["position"], head["link"]):
            return None
        before = last.get("position") if last is not None else None
        if isinstance(before, int) and int(head["position"]) <= before:
            log.error("the head of %s went from position %s to %s with another link: was the "
                      "store rewritten? publishing it; verification against the earlier "
                      "checkpoints will say", self.service, before, head["position"])
        line = sign(self.key, self.service, head, self.now())
        with self.path.open("a", encoding="ascii") as out:  # one short write: O_APPEND
            out.write(json.dumps(line, separators=(",", ":")) + "\n")
            out.flush()
            os.fsync(out.fileno())
        log.info("checkpoint of %s published at position %d", self.service, line["position"])
        return line

    def tick(self, head: Callable[[], Mapping[str, Any]]) -> dict[str, Any] | None:
        """Called from the relay's loop: publishes the head when the interval has passed (and
        at the first call); the line published, or None."""
        now = self.monotonic()
        if self._next is not None and now < self._next:
            return None
        self._next = now + self.every
        return self.publish(head())


def last_line(path: Path) -> dict[str, Any] | None:
    """The last line of a published file, read from its end (None: none, or not JSON)."""
    if not path.exists():
        return None
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 4096))
        tail = handle.read().splitlines()
    for raw in reversed(tail):
        if raw.strip():
            try:
                found = json.loads(raw)
            except ValueError:
                return None
            return dict(found) if isinstance(found, dict) else None
    return None


# --- reading and checking what was published ----------------------------------------------

@dataclass
class Published:
    """What was published for one store, checked: the lines that hold and those refused."""

    service: str
    source: str
    lines: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "lines": self.lines, "accepted": len(self.accepted),
                "refused": self.refused,
                "latest": ({k: self.accepted[-1][k] for k in ("position", "link", "taken_at")}
                           if self.accepted else None)}


def _read(source: str, name: str) -> bytes | None:
    """A published file from a directory or a base URL (None if there is none)."""
    if source.startswith(("http://", "https://")):
        try:
            # bandit B310 (urlopen of any scheme): only http(s) reach here, checked above
            with urllib.request.urlopen(f"{source.rstrip('/')}/{name}", timeout=30) as answer:  # nosec B310
                return bytes(answer.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise
    path = Path(source) / name
    return path.read_bytes() if path.exists() else None


def published_keys(source: str) -> dict[str, Ed25519PublicKey]:
    pem = _read(source, PUBLIC_KEY)
    if pem is None:
        raise FileNotFoundError(f"{source}: no {PUBLIC_KEY}")
    return load_public_keys(pem)


def check(service: str, text: bytes, keys: Mapping[str, Ed25519PublicKey],
          source: str = "") -> Published:
    """Every line of a store's published file checked against the trusted keys."""
    result = Published(service, source)
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        result.lines += 1
        code = _refusal(service, raw, keys)
        if code is None:
            result.accepted.append(json.loads(raw))
        else:
            result.refused.append({"line": number, "code": code, "message": REFUSALS[code]})
    return result


def _refusal(service: str, raw: bytes, keys: Mapping[str, Ed25519PublicKey]) -> str | None:
    try:
        line = json.loads(raw)
    except ValueError:
        return "CHECKPOINT_MALFORMED"
    if not isinstance(line, dict) or not all(k in line for k in SIGNED) \
            or not isinstance(line["position"], int) or not isinstance(line["link"], str) \
            or len(line["link"]) != 64:
        return "CHECKPOINT_MALFORMED"
    if not line.get("signature"):
        return "CHECKPOINT_UNSIGNED"
    key = keys.get(str(line["key_id"]))
    if key is None:
        return "CHECKPOINT_UNKNOWN_KEY"
    try:
        key.verify(base64.b64decode(str(line["signature"]), validate=True), canonical(line))
    except (InvalidSignature, binascii.Error, ValueError):
        return "CHECKPOINT_SIGNATURE_INVALID"
    if line["service"] != service:
        return "CHECKPOINT_WRONG_STORE"
    return None


def read_published(source: str, services: Iterable[str],
                   keys: Mapping[str, Ed25519PublicKey] | None = None) -> dict[str, Published]:
    """Each store's published checkpoints, from a directory or a URL, checked against the
    given keys (the auditor's own copy) or else against the published ``public-key.pem``."""
    trusted = dict(keys) if keys else published_keys(source)
    out = {}
    for service in services:
        text = _read(source, f"{service}{SUFFIX}")
        out[service] = check(service, text or b"", trusted, source)
    return out
