"""The award documents a union office prints, signs and files: the submission letter (tờ
trình, R4.4 item 1), the award decision (quyết định khen thưởng, R4.5), the list of awardees
attached to a decision and the awardees' certificates (Giấy khen, Bằng khen). Each is a PDF
typeset in the shared administrative layout (``runtime.documents``: fonts embedded, the same
on every reader) and, but the certificates, also a DOCX for an office that edits before it
signs, both from the same data.

They follow the Vietnamese administrative form of Decree 30/2020/NĐ-CP: A4 portrait, margins
20/20/30/15 mm, Times New Roman (Liberation Serif in the PDF, its metric twin), the two-column
header (issuing body | national name with the motto and a rule under it), the document type
and its subject centred, the "Nơi nhận" | signature block at the foot. No internal identifier
(rule book versions, UUIDs) is printed: the record keeps them.

Pure functions from a mapping to bytes: nothing here reads a store, a clock or a file, and the
same input gives the same bytes (the core properties and the zip entries carry fixed dates), so
a rendered document can be compared and its digest recorded. The callers check the input; this
module only lays it out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from runtime import documents as layout
from runtime.documents import PDF_MEDIA_TYPE

__all__ = ["DOCX_MEDIA_TYPE", "PDF_MEDIA_TYPE", "award_decision", "award_decision_pdf",
           "award_list", "award_list_pdf", "certificates_pdf", "minutes_extract_pdf", "submission_letter",
           "submission_letter_pdf", "text_of"]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 12  # the issuing body and the national name (12–13 pt); 12 keeps each on one line
MOTTO_PT = 13
TABLE_PT = 12
RECIPIENTS_PT = 11
# Zip entries otherwise carry the time of saving; 1980-01-01 is the earliest a zip can hold.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# (heading, width in mm) of the nominee tables. Every table is 165 mm wide: the A4 210 mm less
# the left 30 and right 15 mm margins.
LETTER_COLUMNS = (("TT", 10), ("Họ và tên / Tên tập thể", 40), ("Đơn vị", 35),
                  ("Hình thức đề nghị", 35), ("Thành tích", 45))
MINUTES_COLUMNS = (("TT", 10), ("Họ và tên / Tên tập thể", 40), ("Hình thức đề nghị", 40),
                   ("Tán thành", 15), ("Không tán thành", 15), ("Không biểu quyết", 15),
                   ("Kết quả", 30))
LIST_COLUMNS = (("TT", 10), ("Họ và tên / Tên tập thể", 45), ("Đơn vị", 45), ("Thành tích", 65))
SECTIONS = (("collective", "Tập thể"), ("individual", "Cá nhân"))
ROMAN = ("I", "II")

Container = DocxDocument | _Cell
Lines = list[tuple[str, bool]]  # (text, italic) for each line of a table cell


def submission_letter(data: Mapping[str, Any]) -> bytes:
    """R4.4 (1): the proposing BCH/BTV's letter with the collectives and individuals it proposes."""
    doc = _new_document(data, data["subject"])
    _header(doc, data)
    _title(doc, "TỜ TRÌNH", data["subject"])
    _line(doc, f"Kính gửi: {data['recipient']}", size=BODY_PT, before=6, after=6)
    for text in data["body"]:
        _body(doc, text)
    _nominee_table(doc, LETTER_COLUMNS, data["nominees"], _letter_row)
    if attachments := data.get("attachments") or []:
        _body(doc, "Hồ sơ kèm theo:", bold=True)
        for item in attachments:
            _body(doc, f"- {item}")
    _body(doc, f"Kính đề nghị {data['recipient']} xem xét, quyết định.")
    _signature(doc, data)
    return _bytes(doc)


def award_decision(data: Mapping[str, Any]) -> bytes:
    """R4.5: the decision, naming its authority, its grounds, its signer and its rule version."""
    doc = _new_document(data, data["subject"])
    _header(doc, data)
    _title(doc, "QUYẾT ĐỊNH", data["subject"])
    _line(doc, data["deciding_body"], bold=True, size=BODY_PT, before=6, after=6)
    for basis in data["legal_basis"]:
        _body(doc, basis, italic=True)
    if proposal := data.get("proposal"):
        _body(doc, proposal, italic=True)
    _line(doc, "QUYẾT ĐỊNH:", bold=True, size=BODY_PT, before=6, after=6)
    _article(doc, 1, f"Tặng {data['form_title']} cho {_counts(data['awardees'])} (có danh sách kèm "
                     f"theo) đã có thành tích {_merit(data)}.")
    _article(doc, 2, data["article_2"])
    _article(doc, 3, data["article_3"])
    _signature(doc, data)
    return _bytes(doc)


def award_list(data: Mapping[str, Any]) -> bytes:
    """The list of awardees attached to a decision (the decision's Điều 1 counts them)."""
    doc = _new_document(data, data["title"])
    _header(doc, data, attachment=True)
    _line(doc, data["title"], bold=True, size=BODY_PT, before=12)
    _line(doc, data["reference"], italic=True, size=BODY_PT, after=6)
    _nominee_table(doc, LIST_COLUMNS, data["rows"], _list_row)
    return _bytes(doc)


# -- the same documents as PDF, in the shared layout


def submission_letter_pdf(data: Mapping[str, Any]) -> bytes:
    """R4.4 (1): the submission letter as PDF (the same data as ``submission_letter``)."""
    blocks = [layout.recipient(f"Kính gửi: {data['recipient']}"),
              *(layout.paragraph(text) for text in data["body"]),
              _table(LETTER_COLUMNS, data["nominees"], _letter_cells)]
    if attachments := data.get("attachments") or []:
        blocks.append(layout.paragraph("Hồ sơ kèm theo:", bold=True))
        blocks += [layout.paragraph(f"- {item}") for item in attachments]
    blocks.append(layout.paragraph(f"Kính đề nghị {data['recipient']} xem xét, quyết định./."))
    return _administrative(data, "TỜ TRÌNH", data["subject"], blocks)


def award_decision_pdf(data: Mapping[str, Any]) -> bytes:
    """R4.5: the award decision as PDF (the same data as ``award_decision``)."""
    blocks = [layout.centered(data["deciding_body"]),
              *(layout.paragraph(basis, italic=True) for basis in data["legal_basis"])]
    if proposal := data.get("proposal"):
        blocks.append(layout.paragraph(proposal, italic=True))
    blocks += [layout.centered("QUYẾT ĐỊNH:"),
               layout.article("Điều 1.", f"Tặng {data['form_title']} cho "
                                         f"{_counts(data['awardees'])} (có danh sách kèm theo) "
                                         f"đã có thành tích {_merit(data)}."),
               layout.article("Điều 2.", data["article_2"]),
               layout.article("Điều 3.", data["article_3"] + "/.")]
    return _administrative(data, "QUYẾT ĐỊNH", data["subject"], blocks)


def award_list_pdf(data: Mapping[str, Any]) -> bytes:
    """The list attached to a decision as PDF: no number, place or signer of its own."""
    issuer = data["issuer"]
    return layout.administrative(
        issuer=issuer["name"], superior=issuer.get("parent_name"), number=None, place_date=None,
        kind=data["title"], subject=None, reference=data["reference"],
        blocks=[_table(LIST_COLUMNS, data["rows"], _list_cells)], signer=None,
        on=_day(data), verification=data.get("verification"))


def certificates_pdf(data: Mapping[str, Any]) -> bytes:
    """Each awardee's certificate, one landscape page each: the kind (Giấy khen, Bằng khen),
    the body that confers it, the awardee, their unit and achievement, the decision's number
    and date, the place-date and the signer."""
    on = _day(data)
    signer = data["signer"]
    reference = f"Quyết định số {data['number']} ngày {_short(on)}" if on else ""
    items = [layout.certificate(
        kind=data["kind"], conferred_by=data["conferred_by"],
        name_label="Tập thể" if row["kind"] == "collective" else "Đồng chí", name=row["name"],
        unit=None if row["kind"] == "collective" else row["unit"],
        achievement=f"Đã có thành tích {row['achievement'][:1].lower()}{row['achievement'][1:]}"
                    if row.get("achievement") else f"Đã có thành tích {_merit(data)}",
        reference=reference, place_date=_place_date(data), signer=signer)
        for _, section in _sections(data["awardees"]) for row in section]
    return layout.certificates(f"{data['kind']} – Quyết định số {data['number']}",
                               data["conferred_by"], items, on, data.get("verification"))


def minutes_extract_pdf(data: Mapping[str, Any]) -> bytes:
    """R4.4 (3): the extract of a selection meeting's minutes with its results, signed by the
    secretary and the chair. ``rows``: kind, name, form_title, for, against, abstain,
    selected; ``members`` and ``attended`` count the body."""
    on = _day(data)
    members, attended = data["members"], data["attended"]
    blocks = [
        layout.paragraph(f"Thời gian: {layout.date_line(on)}." if on else "Thời gian:"),
        layout.paragraph(f"Thành phần: {attended}/{members} ủy viên {data['body']} dự họp."),
        layout.paragraph(f"Chủ trì: đồng chí {data['chair']}." if data.get("chair")
                         else "Chủ trì:"),
        layout.paragraph(f"Nội dung: {data['minutes']}"),
        layout.paragraph(f"Kết quả bình xét (tỷ lệ tán thành tính trên tổng số {members} ủy "
                         f"viên):"),
        _table(MINUTES_COLUMNS, data["rows"], lambda row: _minutes_cells(row, members)),
        layout.paragraph(f"Trích biên bản này đúng với biên bản gốc lưu tại {data['issuer']['name']}."
                         , italic=True)]
    issuer = data["issuer"]
    return layout.administrative(
        issuer=issuer["name"], superior=issuer.get("parent_name"),
        number=layout.number_line(None, data.get("number_suffix", "TrBB")),
        place_date=_place_date(data), kind="TRÍCH BIÊN BẢN", subject=data["subject"],
        blocks=blocks, signer={"on_behalf": None, "position": "Chủ trì",
                               "name": data.get("chair") or ""},
        signer_left={"on_behalf": None, "position": "Thư ký",
                     "name": data.get("secretary") or ""}, on=on)


def _minutes_cells(row: Mapping[str, Any], members: int) -> list[Any]:
    share = round(100 * row["for"] / members) if members else 0
    return [row["name"], row["form_title"], str(row["for"]), str(row["against"]),
            str(row["abstain"]), f"{'Được chọn' if row['selected'] else 'Không được chọn'} "
                                 f"({share}%)"]


def _administrative(data: Mapping[str, Any], kind: str, subject: str,
                    blocks: list[layout.Block]) -> bytes:
    issuer = data["issuer"]
    return layout.administrative(
        issuer=issuer["name"], superior=issuer.get("parent_name"), number=_number(data),
        place_date=_place_date(data), kind=kind, subject=subject, blocks=blocks,
        signer=data["signer"], recipients=data.get("recipients") or [], on=_day(data),
        verification=data.get("verification"))


def _table(columns: Sequence[tuple[str, int]], rows: Sequence[Mapping[str, Any]],
           cells: Callable[[Mapping[str, Any]], list[Any]]) -> layout.Block:
    return layout.table(columns, [(f"{roman}. {label}", [cells(row) for row in section])
                                  for roman, (label, section) in zip(ROMAN, _sections(rows),
                                                                     strict=False)])


def _letter_cells(row: Mapping[str, Any]) -> list[Any]:
    achievement: list[Any] = [row["achievement"]]
    if recognition := row.get("recognition"):
        achievement.append({"text": recognition})
    return [row["name"], row["unit"], row["form_title"], achievement]


def _list_cells(row: Mapping[str, Any]) -> list[Any]:
    return [row["name"], row["unit"], row["achievement"]]


def _day(data: Mapping[str, Any]) -> date | None:
    return date.fromisoformat(data["date"]) if data.get("date") else None


def _short(on: date) -> str:
    """10/04/2026: dd/mm/yyyy, as the list attached to the decision cites it."""
    return f"{on.day:02d}/{on.month:02d}/{on.year}"


def text_of(docx: bytes) -> str:
    """The text of a rendered document, paragraph by paragraph and cell by cell in document
    order, one line each (empty paragraphs left out)."""
    return "\n".join(text for text in _texts(Document(io.BytesIO(docx))) if text)


def _texts(container: Container) -> Iterator[str]:
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text
            continue
        for row in item.rows:
            previous: _Cell | None = None
            for cell in row.cells:
                if cell is not previous:  # a merged cell is listed once per column it spans
                    yield from _texts(cell)
                previous = cell


# -- the document and its parts


def _new_document(data: Mapping[str, Any], title: str) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _set_fonts(doc)
    moment = _moment(data)
    props = doc.core_properties
    props.author = props.last_modified_by = data["issuer"]["name"]
    props.title = title
    props.comments = ""
    props.revision = 1
    props.created = props.modified = moment
    return doc


def _set_fonts(doc: DocxDocument) -> None:
    """Times New Roman for every script: the template's theme fonts would otherwise win for the
    East Asian and complex-script ranges, where Word may look for Vietnamese glyphs. The text
    is marked Vietnamese so that Word's proofing does not flag every word as misspelt English."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    for element in (rpr, doc.styles["Normal"].element.get_or_add_rPr()):
        fonts = element.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            element.insert(0, fonts)
        fonts.attrib.clear()
        for script in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{script}"), FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _header(doc: DocxDocument, data: Mapping[str, Any], attachment: bool = False) -> None:
    """Issuing body and number on the left, the national name and motto, a rule under the
    motto, and the place-date on the right. An attachment has no number or date of its own."""
    table = _layout_table(doc, rows=1 if attachment else 2, widths=(65, 100))
    issuer, motto = table.rows[0].cells
    if parent := data["issuer"].get("parent_name"):
        _line(issuer, parent.upper(), size=HEADER_PT)
    _rule_under(_line(issuer, data["issuer"]["name"].upper(), bold=True, size=HEADER_PT), 20)
    _line(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=HEADER_PT)
    _rule_under(_line(motto, "Độc lập - Tự do - Hạnh phúc", bold=True, size=MOTTO_PT), 19)
    if attachment:
        return
    number, place = table.rows[1].cells
    _line(number, _number(data), size=HEADER_PT, before=6)
    _line(place, _place_date(data), italic=True, size=BODY_PT, before=6)


def _rule_under(paragraph: Paragraph, indent_mm: int) -> None:
    """A solid line under a centred line (Decree 30: under the motto and under the issuing
    body), as the paragraph's bottom border narrowed by ``indent_mm`` on either side."""
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _title(doc: DocxDocument, kind: str, subject: str) -> None:
    _line(doc, kind, bold=True, size=BODY_PT, before=18)
    _line(doc, subject, bold=True, size=BODY_PT)


def _article(doc: DocxDocument, number: int, text: str) -> None:
    paragraph = _body(doc, f"Điều {number}. ", bold=True)
    _run(paragraph, text, bold=False, italic=False, underline=False, size=BODY_PT)


def _signature(doc: DocxDocument, data: Mapping[str, Any]) -> None:
    """"Nơi nhận" on the left; on the right the authority, the signer's position, room for the
    signature and seal, and the signer's name."""
    table = _layout_table(doc, rows=1, widths=(75, 90))
    recipients, signer = table.rows[0].cells
    _line(recipients, "Nơi nhận:", align=LEFT, bold=True, italic=True, size=TABLE_PT, before=12)
    for recipient in data.get("recipients") or []:
        _line(recipients, f"- {recipient}", align=LEFT, size=RECIPIENTS_PT)
    who = data["signer"]
    if on_behalf := who.get("on_behalf"):
        _line(signer, on_behalf.upper(), bold=True, size=BODY_PT, before=12)
    _line(signer, who["position"].upper(), bold=True, size=BODY_PT)
    for _ in range(4):  # room for the signature and the seal
        signer.add_paragraph()
    _line(signer, who["name"], bold=True, size=BODY_PT)


def _nominee_table(doc: DocxDocument, columns: Sequence[tuple[str, int]],
                   rows: Sequence[Mapping[str, Any]],
                   cells: Callable[[Mapping[str, Any]], list[Lines]]) -> None:
    """The bordered list: collectives first, then individuals, each section numbered from 1.
    ``cells(row)`` gives the texts of a row after its number (a cell may hold several lines)."""
    table = doc.add_table(rows=1, cols=len(columns), style="Table Grid")
    _widths(table, [width for _, width in columns])
    for cell, (heading, _) in zip(table.rows[0].cells, columns, strict=True):
        _line(cell, heading, bold=True, size=TABLE_PT)
    _repeat_as_header(table)
    for roman, (label, section) in zip(ROMAN, _sections(rows), strict=False):
        heading = table.add_row().cells
        _line(heading[0].merge(heading[-1]), f"{roman}. {label}", align=LEFT, bold=True, size=TABLE_PT)
        for number, row in enumerate(section, start=1):
            number_cell, *rest = table.add_row().cells
            _line(number_cell, str(number), size=TABLE_PT)
            for cell, lines in zip(rest, cells(row), strict=True):
                for text, italic in lines:
                    _line(cell, text, align=LEFT, italic=italic, size=TABLE_PT)


def _letter_row(row: Mapping[str, Any]) -> list[Lines]:
    achievement: Lines = [(row["achievement"], False)]
    if recognition := row.get("recognition"):
        achievement.append((recognition, True))
    return [[(row["name"], False)], [(row["unit"], False)], [(row["form_title"], False)],
            achievement]


def _list_row(row: Mapping[str, Any]) -> list[Lines]:
    return [[(row["name"], False)], [(row["unit"], False)], [(row["achievement"], False)]]


# -- paragraphs, runs and tables


def _line(container: Container, text: str, *, align: WD_ALIGN_PARAGRAPH = CENTER,
          bold: bool = False, italic: bool = False, underline: bool = False,
          size: int = BODY_PT, before: int = 0, after: int = 0) -> Paragraph:
    """One paragraph of one run; a fresh table cell's own empty paragraph is used first."""
    paragraph = _fresh_paragraph(container)
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def _body(doc: DocxDocument, text: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
    """A body paragraph: justified, first line indented, 6 pt apart."""
    paragraph = _line(doc, text, align=JUSTIFY, bold=bold, italic=italic, before=6)
    paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _run(paragraph: Paragraph, text: str, *, bold: bool, italic: bool, underline: bool,
         size: int) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    run.font.size = Pt(size)


def _fresh_paragraph(container: Container) -> Paragraph:
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].runs:
            return paragraphs[0]
    return container.add_paragraph()


def _layout_table(doc: DocxDocument, rows: int, widths: Sequence[int]) -> Table:
    """A borderless table used only to place blocks side by side (the default table style has
    no borders)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    _widths(table, widths)
    return table


def _widths(table: Table, widths_mm: Sequence[int]) -> None:
    """Fixed column widths: Word reads them from the cells, LibreOffice from the grid."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_as_header(table: Table) -> None:
    """The heading row repeats at the top of every page a long list runs onto."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(marker)


def _bytes(doc: DocxDocument) -> bytes:
    """The saved package, its zip entries rewritten in the same order with one fixed time (the
    zip module would stamp each with the time of saving)."""
    saved = io.BytesIO()
    doc.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0  # otherwise it depends on the platform that saved it
            target.writestr(fixed, source.read(entry))
    return out.getvalue()


# -- words


def _number(data: Mapping[str, Any]) -> str:
    """"Số: 12/QĐ-LĐLĐ"; with no number yet, a blank numbered by hand when issued."""
    return layout.number_line(data.get("number"), data.get("number_suffix", ""))


def _date_line(data: Mapping[str, Any]) -> str:
    """"ngày 05 tháng 02 năm 2025", "ngày 20 tháng 4 năm 2025" (Decree 30: a leading zero for
    days 1–9 and months 1–2 only); with no date, blanks to fill in by hand when it is signed."""
    day = data.get("date")
    return layout.date_line(date.fromisoformat(day) if day else None, data.get("year"))


def _place_date(data: Mapping[str, Any]) -> str:
    """The place (from the issuing union's registry record) and the date line."""
    day = data.get("date")
    return layout.place_date(data.get("place") or "", date.fromisoformat(day) if day else None,
                             data.get("year"))


def _moment(data: Mapping[str, Any]) -> datetime:
    on = date.fromisoformat(data["date"]) if data.get("date") else date(2000, 1, 1)
    return datetime(on.year, on.month, on.day, tzinfo=UTC)


def _sections(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """The rows by kind, collectives first, empty kinds left out. An unknown kind is refused
    rather than dropped: a list that leaves someone out must not be printed."""
    if unknown := {str(row["kind"]) for row in rows} - {kind for kind, _ in SECTIONS}:
        raise ValueError(f"unknown kind of nominee: {', '.join(sorted(unknown))}")
    grouped = [(label, [row for row in rows if row["kind"] == kind]) for kind, label in SECTIONS]
    return [(label, section) for label, section in grouped if section]


def _counts(awardees: Sequence[Mapping[str, Any]]) -> str:
    """"1 tập thể và 2 cá nhân", or "2 cá nhân" when there is no collective."""
    return layout.counted([(len(section), label.lower()) for label, section in _sections(awardees)])


def _merit(data: Mapping[str, Any]) -> str:
    return data.get("merit") or (
        f"xuất sắc trong phong trào thi đua “Đổi mới, sáng tạo, hiệu quả” năm {data['year']}")
