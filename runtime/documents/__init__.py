"""Documents as PDF in Vietnamese administrative form (Decree 30/2020/NĐ-CP), shared by every
service: the layout lives here once (``administrative.typ``), each service supplies its words.

Typeset by Typst (the ``typst`` wheel: a self-contained compiler, no system tools) with the
Liberation Serif fonts shipped beside this file (metric-compatible with Times New Roman, SIL
OFL 1.1, ``fonts/COPYRIGHT``); system fonts are ignored, so the PDF embeds exactly these fonts
and every reader shows the Vietnamese marks as typeset. The same data gives the same bytes:
the document's date is fixed and nothing reads a clock.

Two layouts:

- ``administrative(...)``: the issuing body (and its superior) top left with a short rule under
  it and the number and symbol below; the national name and motto top right with a rule under
  the motto and the place and date line in italics below; the kind of document and its subject
  with a short rule; the body blocks (paragraphs, centred lines, articles, tables); "Nơi nhận"
  on the left and the signature block on the right.
- ``certificate(...)``: a landscape A4 certificate in a frame.

A decision's PDF is then signed by the service that decided (``signing.py``: the deciding
union's key, a verification code in its footer; ``verify.py`` checks it offline): the
signature is appended to these bytes as an incremental update, so they stay as typeset.

Body blocks are plain mappings: ``paragraph(text)``, ``centered(text)``, ``article(label, text)``,
``recipient(text)`` and ``table(columns, sections)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typst

PDF_MEDIA_TYPE = "application/pdf"
HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
MAIN = HERE / "main.typ"
# The PDF's creation date when the document carries none: fixed, so the bytes depend only on
# the data.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

Block = dict[str, Any]


# -- words every document writes alike


def date_line(on: date | None, year: int | None = None) -> str:
    """The date as Decree 30 writes it: a leading zero for days 1–9 and months 1–2 only
    ("ngày 05 tháng 02 năm 2025", "ngày 20 tháng 4 năm 2025"); with no date, blanks to fill in
    by hand when it is signed."""
    if on is None:
        return f"ngày     tháng     năm {year or '       '}"
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"ngày {on.day:02d} tháng {month} năm {on.year}"


def place_date(place: str, on: date | None, year: int | None = None) -> str:
    """"Trà Vinh, ngày 20 tháng 4 năm 2025"; without a place, the date line alone."""
    line = date_line(on, year)
    return f"{place}, {line}" if place else line[:1].upper() + line[1:]


def number_line(number: str | None, symbol: str) -> str:
    """"Số: 12/QĐ-LĐLĐ"; with no number yet, room to write it by hand before the symbol."""
    if number:
        return f"Số: {number}"
    return f"Số:          /{symbol}"


def counted(parts: Sequence[tuple[int, str]]) -> str:
    """"1 tập thể và 2 cá nhân": the parts with a count, zero parts left out."""
    return " và ".join(f"{n} {label}" for n, label in parts if n)


def paragraph(text: str, *, italic: bool = False, bold: bool = False) -> Block:
    return {"type": "paragraph", "text": text, "italic": italic, "bold": bold}


def centered(text: str) -> Block:
    return {"type": "centered", "text": text}


def article(label: str, text: str) -> Block:
    return {"type": "article", "label": label, "text": text}


def recipient(text: str) -> Block:
    return {"type": "recipient", "text": text}


def table(columns: Sequence[tuple[str, int]], sections: Sequence[tuple[str, Sequence[Sequence[Any]]]]
          ) -> Block:
    """A bordered table numbered per section: ``columns`` are (heading, relative width), the
    first being the number column; each row gives the cells after its number, a cell being a
    text or a list of lines (a line ``{"text": …}`` is set in italics)."""
    return {"type": "table", "columns": [list(c) for c in columns],
            "sections": [{"label": label, "rows": [list(r) for r in rows]}
                         for label, rows in sections]}


# -- the two layouts


def administrative(*, issuer: str, superior: str | None, number: str | None,
                   place_date: str | None, kind: str,
                   subject: str | None, blocks: Sequence[Block], signer: Mapping[str, Any] | None,
                   recipients: Sequence[str] = (), reference: str | None = None,
                   signer_left: Mapping[str, Any] | None = None, on: date | None = None,
                   verification: str | None = None) -> bytes:
    """A document in Decree 30 form, as PDF bytes. ``signer``: on_behalf (or None), position,
    name. An attachment (a list "kèm theo" a decision) has no number, no place-date line and
    no signer of its own: pass None. ``signer_left`` takes the place of "Nơi nhận" (minutes,
    signed by their secretary and their chair). ``verification``: a signed decision's line
    (``verification_line``), in the footer of every page."""
    return _compile({"form": "administrative", "title": f"{kind} {subject or ''}".strip(),
                     "author": issuer, "issuer": issuer, "superior": superior, "number": number,
                     "place_date": place_date, "kind": kind, "subject": subject,
                     "reference": reference, "blocks": list(blocks), "signer": signer,
                     "signer_left": signer_left, "recipients": list(recipients),
                     "verification": verification}, on)


def certificate(*, kind: str, conferred_by: str, name_label: str, name: str, unit: str | None,
                achievement: str, reference: str, place_date: str, signer: Mapping[str, Any],
                register: str | None = None, verb: str = "TẶNG") -> dict[str, Any]:
    """One certificate (Giấy khen, Bằng khen…): a page of ``certificates``. ``verb`` is the
    line between the conferring body and the kind ("TẶNG"; "CẤP" for a certificate of
    recognition)."""
    return {"kind": kind, "verb": verb, "conferred_by": conferred_by, "name_label": name_label, "name": name,
            "unit": unit, "achievement": achievement, "reference": reference,
            "register": register, "place_date": place_date, "signer": signer}


def certificates(title: str, author: str, items: Sequence[Mapping[str, Any]],
                 on: date | None = None, verification: str | None = None) -> bytes:
    """Certificates on landscape A4, one page each, as PDF bytes; ``verification``: the
    signed decision's line, under each page's reference."""
    return _compile({"form": "certificates", "title": title, "author": author,
                     "items": [dict(item, verification=verification) for item in items]}, on)


def verification_line(signer: str, code: object) -> str:
    """What a signed decision prints: who signed it and its verification code
    (``runtime.documents.signing.VerificationCode``)."""
    return f"Ký số: {signer}.\nMã xác thực: {code}"


# Words that open the name of a district or province in a body's name, and how its documents
# then write the place (Decree 30: the province's or district's name, "Thành phố" kept).
_LOCALITIES = (("thành phố ", "Thành phố "), ("tỉnh ", ""), ("thị xã ", ""), ("huyện ", ""),
               ("quận ", "Quận "))


def place_of(names: Sequence[str]) -> str:
    """The place name (địa danh) a body's documents carry, from its own name and those of the
    bodies above it, nearest first: the locality the nearest name is of ("Ủy ban nhân dân
    huyện Càng Long" → "Càng Long", "… thành phố Hồ Chí Minh" → "Thành phố Hồ Chí Minh");
    "" when none names a district or province (the caller then prints the date line alone)."""
    for name in names:
        lowered = name.lower()
        for marker, prefix in _LOCALITIES:
            at = lowered.rfind(marker)
            if at >= 0 and (at == 0 or lowered[at - 1] == " "):
                place = name[at + len(marker):].strip()
                if place:
                    return prefix + place
    return ""


def _compile(data: Mapping[str, Any], on: date | None) -> bytes:
    moment = datetime(on.year, on.month, on.day, tzinfo=UTC) if on else EPOCH
    pdf = typst.compile(str(MAIN), root=str(HERE), font_paths=[str(FONTS)],
                        ignore_system_fonts=True, format="pdf",
                        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                        timestamp=int(moment.timestamp()))
    assert isinstance(pdf, bytes)
    return pdf
