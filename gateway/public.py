"""The public register, without signing in (R5.2: the door for front ends; R4.5): the
province's award decisions and the decisions recognising initiatives, which are public by law
(Law 06/2022/QH15 on emulation and commendation), searched, paginated, their signed PDFs, and
an open-data export (CSV and JSON) of the same lists; and each store's published
checkpoints (R5.1: its chain's head, signed, ``runtime.checkpoints``), read-only, for anyone to
mirror and check a store against.

Mounted under ``/public/api`` by ``gateway.http``. These routes ask the services' ``public_*``
queries only (``gateway.catalogue`` keeps those off the signed-in routes and gRPC), as an
anonymous actor, and answer the records of ``contracts.public`` — what the published decision
prints — through response models made from them, so a key the records do not declare is
dropped here a second time. Nothing here reads a token.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import typing
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, create_model

from contracts.public import (
    EXPORT_MAX,
    PAGE_MAX,
    STATUS_TITLES,
    PublicAward,
    PublicRecognition,
    PublicUnion,
    Revocation,
)
from gateway.core import Gateway
from runtime import checkpoints as published
from runtime.context import Actor, CommandContext
from runtime.errors import NotFound
from runtime.services import SERVICES

PREFIX = "/public/api"
TAG = "public"
PAGE_DEFAULT = 20
DOCUMENT = "document"  # the key the gateway adds: where the decision's signed PDF is read
KINDS = {"collective": "Tập thể", "individual": "Cá nhân"}


def public_context(request: Request) -> CommandContext:
    """Who asks: nobody signed in. The services record nothing for a query."""
    return CommandContext(actor=Actor("public", "public"),
                          correlation_id=getattr(request.state, "correlation_id", None)
                          or str(uuid.uuid4()))


def _item_model(record: type, name: str) -> type[BaseModel]:
    """A response model with exactly the record's fields, and the document's address."""
    hints = typing.get_type_hints(record)
    defined: dict[str, Any] = {f.name: (hints[f.name], ...) for f in fields(record)}
    defined[DOCUMENT] = (str, ...)
    return create_model(name, __config__=ConfigDict(extra="ignore"), **defined)


AwardItem = _item_model(PublicAward, "PublicAwardItem")
RecognitionItem = _item_model(PublicRecognition, "PublicRecognitionItem")


class AwardPage(BaseModel):
    items: list[AwardItem]  # type: ignore[valid-type]
    total: int
    offset: int
    limit: int


class RecognitionPage(BaseModel):
    items: list[RecognitionItem]  # type: ignore[valid-type]
    total: int
    offset: int
    limit: int


class UnionItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    union_id: str
    name: str


class Unions(BaseModel):
    items: list[UnionItem]


class Checkpoint(BaseModel):
    """One published checkpoint: a store's chain head, signed (``runtime.checkpoints``)."""

    service: str
    position: int
    link: str
    taken_at: str
    key_id: str
    signature: str


class CheckpointStore(BaseModel):
    service: str
    file: str  # where its lines are, one JSON object a line, oldest first
    lines: int
    latest: Checkpoint | None


class Checkpoints(BaseModel):
    algorithm: str
    public_key: str  # where the public key(s) are, PEM
    key_ids: list[str]
    stores: list[CheckpointStore]


# What every list takes: a search, a year, a union, a page.
Q = Annotated[str | None, Query(max_length=200, description="Tìm theo tên, số quyết định, "
                                "đơn vị… (không phân biệt dấu, hoa thường)")]
Year = Annotated[int | None, Query(ge=1900, le=2999, description="Năm")]
Union = Annotated[uuid.UUID | None, Query(description="Công đoàn quyết định (hoặc đơn vị)")]
Offset = Annotated[int, Query(ge=0, le=EXPORT_MAX)]
Limit = Annotated[int, Query(ge=1, le=PAGE_MAX)]

Responses = dict[int | str, dict[str, Any]]
# Refusals are problem details (RFC 9457), as on every route of the gateway.
PROBLEMS: Responses = {
    status: {"content": {"application/problem+json": {}}, "description": description}
    for status, description in ((404, "Không có quyết định này"),
                                (422, "Tham số không hợp lệ"),
                                (503, "Dịch vụ tạm thời không trả lời; thử lại sau"))}
PDF: Responses = {**PROBLEMS, 200: {"content": {"application/pdf": {}},
                                    "description": "Văn bản PDF có chữ ký số"}}
CSV: Responses = {**PROBLEMS, 200: {"content": {"text/csv": {}},
                                    "description": "CSV UTF-8 (có BOM, mở bằng Excel)"}}
JSON_FILE: Responses = {**PROBLEMS, 200: {
    "content": {"application/json": {}},
    "description": "Tệp JSON: mảng các bản ghi, như mục `items` của danh sách"}}


def _dmy(iso: str | None) -> str:
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _revocation(item: Mapping[str, Any]) -> tuple[str, str]:
    revoked = item.get("revocation") or {}
    return revoked.get("number") or "", _dmy(revoked.get("decided_on"))


def _share(share: Any) -> str:
    if share is None:
        return ""
    return f" ({share:g}%)" if isinstance(share, int | float) else f" ({share}%)"


# The open-data columns: heading (Vietnamese, for a person opening the file), cell.
AWARD_COLUMNS: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...] = (
    ("Số quyết định", lambda i: i["number"]),
    ("Ngày quyết định", lambda i: _dmy(i["decided_on"])),
    ("Công đoàn quyết định", lambda i: i["union"]),
    ("Hình thức khen thưởng", lambda i: i["form"]),
    ("Năm", lambda i: i["year"]),
    ("Đối tượng", lambda i: KINDS.get(i["kind"], i["kind"])),
    ("Tên tập thể, cá nhân", lambda i: i["name"]),
    ("Đơn vị", lambda i: i["unit"]),
    ("Thành tích", lambda i: i["achievement"]),
    ("Tình trạng", lambda i: STATUS_TITLES.get(i["status"], i["status"])),
    ("Số quyết định thu hồi", lambda i: _revocation(i)[0]),
    ("Ngày thu hồi", lambda i: _revocation(i)[1]),
    ("Mã hồ sơ", lambda i: i["award_id"]),
    ("Văn bản", lambda i: i[DOCUMENT]),
)
RECOGNITION_COLUMNS: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...] = (
    ("Tên sáng kiến", lambda i: i["name"]),
    ("Tác giả (tỷ lệ đóng góp)", lambda i: "; ".join(
        f"{a['full_name']}{_share(a.get('share'))}" for a in i["authors"])),
    ("Đơn vị", lambda i: i["unit"]),
    ("Công đoàn quyết định", lambda i: i["union"]),
    ("Phạm vi công nhận", lambda i: i["scope_title"]),
    ("Năm", lambda i: i["year"]),
    ("Số quyết định", lambda i: i["number"] or ""),
    ("Ngày quyết định", lambda i: _dmy(i["decided_on"])),
    ("Tình trạng", lambda i: STATUS_TITLES.get(i["status"], i["status"])),
    ("Số quyết định thu hồi", lambda i: _revocation(i)[0]),
    ("Ngày thu hồi", lambda i: _revocation(i)[1]),
    ("Mã hồ sơ", lambda i: i["initiative_id"]),
    ("Văn bản", lambda i: i[DOCUMENT]),
)


def csv_bytes(items: Iterable[Mapping[str, Any]],
              columns: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the Vietnamese letters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([heading for heading, _ in columns])
    for item in items:
        writer.writerow([cell(item) for _, cell in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def router(gateway: Gateway) -> APIRouter:
    """The public routes, under ``/public/api``, with no token."""
    api = APIRouter(prefix=PREFIX, tags=[TAG])

    def ask(request: Request, service: str, method: str, **kwargs: Any) -> Any:
        return gateway.pool.call(service, method, context=public_context(request), **kwargs)

    def awards_page(request: Request, q: str | None, year: int | None,
                    union_id: uuid.UUID | None, offset: int, limit: int) -> dict[str, Any]:
        answer = ask(request, "awards", "public_awards", q=q, year=year,
                     union_id=str(union_id) if union_id else None, offset=offset, limit=limit)
        answer["items"] = [_with_document(_allowed(i, PublicAward),
                                          f"{PREFIX}/awards/{i['award_id']}/decision.pdf")
                           for i in answer["items"]]
        return dict(answer)

    def recognitions_page(request: Request, q: str | None, year: int | None,
                          union_id: uuid.UUID | None, offset: int, limit: int) -> dict[str, Any]:
        answer = ask(request, "initiatives", "public_initiatives", q=q, year=year,
                     union_id=str(union_id) if union_id else None, offset=offset, limit=limit)
        answer["items"] = [_with_document(
            _allowed(i, PublicRecognition),
            f"{PREFIX}/initiatives/{i['initiative_id']}/decision.pdf?scope={i['scope']}")
            for i in answer["items"]]
        return dict(answer)

    def everything(page: Callable[..., dict[str, Any]], request: Request, q: str | None,
                   year: int | None, union_id: uuid.UUID | None) -> list[dict[str, Any]]:
        """Every row of the list, up to ``EXPORT_MAX``, in one call of the service (a page of
        the public API is at most ``PAGE_MAX``; the service answers up to ``EXPORT_MAX``)."""
        return list(page(request, q, year, union_id, 0, EXPORT_MAX)["items"])

    @api.get("/awards", response_model=AwardPage, responses=PROBLEMS,
             summary="Khen thưởng đã quyết định — the award decisions, one row per awardee")
    def awards(request: Request, q: Q = None, year: Year = None, union_id: Union = None,
               offset: Offset = 0, limit: Limit = PAGE_DEFAULT) -> dict[str, Any]:
        """Public, no sign-in (Law 06/2022/QH15): each awardee of each award decision, newest
        first, with what the published decision prints — number, date, deciding union, form,
        year, the awardee's name, unit and achievement — and its status: ``revoked`` with the
        revoking decision's number and date. ``document``: the signed PDF."""
        return awards_page(request, q, year, union_id, offset, limit)

    @api.get("/initiatives", response_model=RecognitionPage, responses=PROBLEMS,
             summary="Sáng kiến được công nhận — the decisions recognising initiatives")
    def initiatives(request: Request, q: Q = None, year: Year = None, union_id: Union = None,
                    offset: Offset = 0, limit: Limit = PAGE_DEFAULT) -> dict[str, Any]:
        """Public, no sign-in (Law 06/2022/QH15): each decision recognising an initiative at a
        scope, newest first: title, unit, authors and shares as printed, scope, number, date,
        deciding union, and its status (``revoked`` with the revoking decision's number and
        date). ``document``: the signed PDF."""
        return recognitions_page(request, q, year, union_id, offset, limit)

    @api.get("/unions", response_model=Unions, responses=PROBLEMS,
             summary="Các công đoàn đã có quyết định — for the register's union filter")
    def unions(request: Request) -> dict[str, Any]:
        """The unions that decided an award or recognised an initiative, by name."""
        seen: dict[str, str] = {}
        for service, method in (("awards", "public_award_unions"),
                                ("initiatives", "public_initiative_unions")):
            for union in ask(request, service, method):
                seen.setdefault(union["union_id"], union["name"])
        return {"items": [_allowed(PublicUnion(u, n).__dict__, PublicUnion)
                          for u, n in sorted(seen.items(), key=lambda x: x[1])]}

    @api.get("/awards/{award_id}/decision.pdf", response_class=Response, responses=PDF,
             summary="Quyết định khen thưởng (PDF có chữ ký số)")
    def award_decision(request: Request, award_id: uuid.UUID) -> Response:
        """The award decision as published, signed (PAdES) by the deciding union; anyone
        checks it offline: ``python -m runtime.documents.verify quyet-dinh.pdf --trust
        ca.crt`` with the trust root of ``/public/api/trust-root.crt``."""
        return _pdf(ask(request, "awards", "public_decision", award_id=str(award_id)))

    @api.get("/initiatives/{initiative_id}/decision.pdf", response_class=Response,
             responses=PDF, summary="Quyết định công nhận sáng kiến (PDF có chữ ký số)")
    def recognition_decision(request: Request, initiative_id: uuid.UUID,
                             scope: Annotated[str, Query(
                                 pattern="^(grassroots|direct_superior|province)$")] =
                             "grassroots") -> Response:
        """The decision recognising the initiative at the scope, as published and signed."""
        return _pdf(ask(request, "initiatives", "public_recognition_decision",
                        initiative_id=str(initiative_id), scope=scope))

    @api.get("/trust-root.crt", response_class=Response,
             responses={**PROBLEMS, 200: {"content": {"application/x-pem-file": {}}}},
             summary="Chứng thư gốc để kiểm tra chữ ký số của quyết định")
    def trust_root(request: Request) -> Response:
        """The certificate of the authority that issues the unions' signing keys: what
        ``python -m runtime.documents.verify … --trust ca.crt`` checks a decision against."""
        root = ask(request, "awards", "public_trust_root")
        return _file(root["pem"].encode("ascii"), root["media_type"], root["filename"])

    @api.get("/awards.csv", response_class=Response, responses=CSV,
             summary="Dữ liệu mở: khen thưởng (CSV)")
    def awards_csv(request: Request, q: Q = None, year: Year = None,
                   union_id: Union = None) -> Response:
        """The same rows as ``/public/api/awards`` with the same filters, every page (up to
        10,000), as CSV in UTF-8 with a byte-order mark; dates dd/mm/yyyy."""
        rows = everything(awards_page, request, q, year, union_id)
        return _file(csv_bytes(rows, AWARD_COLUMNS), "text/csv; charset=utf-8",
                     "khen-thuong.csv")

    @api.get("/awards.json", response_class=Response, responses=JSON_FILE,
             summary="Dữ liệu mở: khen thưởng (JSON)")
    def awards_json(request: Request, q: Q = None, year: Year = None,
                    union_id: Union = None) -> Response:
        """The same rows as ``/public/api/awards``, every page (up to 10,000), as a JSON
        array."""
        rows = everything(awards_page, request, q, year, union_id)
        return _file(_json(rows), "application/json", "khen-thuong.json")

    @api.get("/initiatives.csv", response_class=Response, responses=CSV,
             summary="Dữ liệu mở: sáng kiến được công nhận (CSV)")
    def initiatives_csv(request: Request, q: Q = None, year: Year = None,
                        union_id: Union = None) -> Response:
        """The same rows as ``/public/api/initiatives``, every page (up to 10,000), as CSV in
        UTF-8 with a byte-order mark; dates dd/mm/yyyy."""
        rows = everything(recognitions_page, request, q, year, union_id)
        return _file(csv_bytes(rows, RECOGNITION_COLUMNS), "text/csv; charset=utf-8",
                     "sang-kien.csv")

    @api.get("/initiatives.json", response_class=Response, responses=JSON_FILE,
             summary="Dữ liệu mở: sáng kiến được công nhận (JSON)")
    def initiatives_json(request: Request, q: Q = None, year: Year = None,
                         union_id: Union = None) -> Response:
        """The same rows as ``/public/api/initiatives``, every page (up to 10,000), as a JSON
        array."""
        rows = everything(recognitions_page, request, q, year, union_id)
        return _file(_json(rows), "application/json", "sang-kien.json")

    checkpoints_router(api, gateway)
    return api


def checkpoints_router(api: APIRouter, gateway: Gateway) -> None:
    """R5.1: the published checkpoints, read from ``EMU_CHECKPOINT_DIR`` (mounted read-only
    here), the same layout as the directory, so that ``python -m runtime.audit verify
    --published https://…/public/api/checkpoints`` and a mirror read them alike."""
    base = f"{PREFIX}/checkpoints"
    lines = {**PROBLEMS, 200: {"content": {"application/jsonl": {}}, "description":
                               "Mỗi dòng một điểm kiểm soát (JSON), cũ trước mới sau"}}

    def directory() -> Any:
        return gateway.settings.checkpoint_dir

    @api.get("/checkpoints", response_model=Checkpoints, responses=PROBLEMS,
             summary="Điểm kiểm soát đã công bố của từng kho dữ liệu (đầu chuỗi băm, có chữ ký)")
    def checkpoints() -> dict[str, Any]:
        """Public, no sign-in (R5.1): for each store, where its published checkpoints are —
        the head of its hash chain (position and link), taken on a schedule when it moved and
        signed Ed25519 — and the latest. Anyone keeps a copy and checks the system against it:
        ``python -m runtime.audit verify --published <this address>``; a store rewritten
        whole, even with its chain recomputed, no longer leads to what was published here."""
        key = directory() / published.PUBLIC_KEY
        stores = []
        for service in sorted(SERVICES):
            path = directory() / f"{service}{published.SUFFIX}"
            text = path.read_bytes() if path.exists() else b""
            stores.append({"service": service, "file": f"{base}/{service}{published.SUFFIX}",
                           "lines": sum(1 for raw in text.splitlines() if raw.strip()),
                           "latest": published.last_line(path)})
        return {"algorithm": "Ed25519", "public_key": f"{base}/{published.PUBLIC_KEY}",
                "key_ids": sorted(published.load_public_keys(key.read_bytes()))
                if key.exists() else [], "stores": stores}

    @api.get("/checkpoints/public-key.pem", response_class=Response,
             responses={**PROBLEMS, 200: {"content": {"application/x-pem-file": {}}}},
             summary="Khóa công khai để kiểm tra chữ ký của điểm kiểm soát")
    def checkpoint_key() -> Response:
        """The Ed25519 public key(s) the checkpoints are signed with (PEM; after a change of
        key, the earlier ones too). An auditor keeps a copy and passes it as ``--public-key``."""
        path = directory() / published.PUBLIC_KEY
        if not path.exists():
            raise NotFound("no checkpoint key published yet", {"file": published.PUBLIC_KEY})
        return _file(path.read_bytes(), "application/x-pem-file", published.PUBLIC_KEY)

    @api.get("/checkpoints/{service}.jsonl", response_class=Response, responses=lines,
             summary="Các điểm kiểm soát đã công bố của một kho dữ liệu")
    def checkpoint_lines(service: str) -> Response:
        """Every checkpoint published for the store, one signed JSON object a line, oldest
        first: ``service``, ``position``, ``link``, ``taken_at``, ``key_id`` and
        ``signature`` (base64 Ed25519 over the canonical JSON of the other fields)."""
        if service not in SERVICES:
            raise NotFound("no such store", {"service": service})
        path = directory() / f"{service}{published.SUFFIX}"
        return Response(path.read_bytes() if path.exists() else b"",
                        media_type="application/jsonl",
                        headers={"Cache-Control": "no-cache"})


def _allowed(item: Mapping[str, Any], record: type) -> dict[str, Any]:
    """Only the record's own keys (the allow-list), its revocation only number and date."""
    kept = {name: item.get(name) for name in (f.name for f in fields(record))}
    revocation, authors = kept.get("revocation"), kept.get("authors")
    if isinstance(revocation, Mapping):
        kept["revocation"] = {f.name: revocation.get(f.name) for f in fields(Revocation)}
    if isinstance(authors, list):
        kept["authors"] = [{"full_name": a.get("full_name"), "share": a.get("share")}
                           for a in authors if isinstance(a, Mapping)]
    return kept


def _with_document(item: dict[str, Any], path: str) -> dict[str, Any]:
    return {**item, DOCUMENT: path}


def _json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


def disposition(kind: str, filename: str) -> str:
    """A Content-Disposition whose file name keeps its Vietnamese letters (RFC 6266: an ASCII
    name for old clients, ``filename*`` in UTF-8 for the rest): "quyet-dinh-99-QĐ-LĐLĐ.pdf"."""
    ascii_name = _ascii_name(filename)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii_name(filename: str) -> str:
    """The file name in ASCII letters (Đ as D, diacritics dropped), '-' for anything else."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", filename.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in plain)


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": disposition("attachment", filename)})


def _pdf(document: Mapping[str, Any]) -> Response:
    return Response(base64.b64decode(document["content_base64"]), media_type="application/pdf",
                    headers={"Content-Disposition": disposition("inline", document["filename"]),
                             "X-Content-SHA256": document["sha256"]})
