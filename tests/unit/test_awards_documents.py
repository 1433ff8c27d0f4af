"""The award documents (R4.4 item 1, R4.5) read back from their DOCX bytes with python-docx:
content, order, administrative form, page setup, and byte-identical renders."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from services.awards.documents import (
    DOCX_MEDIA_TYPE,
    award_decision,
    award_list,
    submission_letter,
    text_of,
)

ISSUER = {"parent_name": "Liên đoàn Lao động tỉnh Trà Vinh", "name": "Liên đoàn Lao động huyện Càng Long"}
SIGNER = {"name": "Nguyễn Thị Ánh Tuyết", "position": "Chủ tịch", "on_behalf": "TM. Ban Thường vụ"}
RECIPIENT = "Ban Thường vụ Liên đoàn Lao động tỉnh Trà Vinh"
SA_RAI = {"kind": "individual", "name": "Thạch Thị Sa Rai", "unit": "Công đoàn cơ sở Trường THCS Đồng Tháp",
          "form_title": "Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh",
          "achievement": "Sáng kiến số hóa hồ sơ đoàn viên, tiết kiệm 200 giờ công mỗi năm",
          "recognition": "Quyết định số 12/QĐ-CĐCS ngày 10/02/2025"}
TUYET = {"kind": "individual", "name": "Nguyễn Thị Ánh Tuyết", "unit": "Đồng Tháp",
         "form_title": "Bằng khen", "achievement": "Giải pháp tiết kiệm điện năng", "recognition": None}
TAN_AN = {"kind": "collective", "name": "Công đoàn cơ sở xã Tân An",
          "unit": "Liên đoàn Lao động huyện Càng Long", "form_title": "Bằng khen",
          "achievement": "Dẫn đầu phong trào thi đua cụm Càng Long"}
# Every letter of Vietnamese, lower and upper case, with every tone mark.
ALPHABET = ("aàảãáạ ăằẳẵắặ âầẩẫấậ bcdđ eèẻẽéẹ êềểễếệ ghiìỉĩíị klmnoòỏõóọ ôồổỗốộ ơờởỡớợ "
            "pqrstuùủũúụ ưừửữứự vxyỳỷỹýỵ")
ALPHABET += " " + ALPHABET.upper()


def common(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "issuer": ISSUER, "number": "15/TTr-LĐLĐ", "number_suffix": "TTr-LĐLĐ", "place": "Càng Long",
        "date": "2025-03-05", "year": 2025, "signer": SIGNER, "recipients": ["Như trên;", "Lưu: VT."]}
    return data | changes


def letter(**changes: Any) -> dict[str, Any]:
    return common(
        recipient=RECIPIENT,
        subject="Về việc đề nghị tặng Bằng khen phong trào thi đua Đổi mới, sáng tạo, hiệu quả năm 2025",
        body=["Thực hiện Kế hoạch số 05/KH-LĐLĐ của Ban Thường vụ Liên đoàn Lao động tỉnh;",
              "Ban Thường vụ Liên đoàn Lao động huyện Càng Long đề nghị như sau:"],
        nominees=[SA_RAI, TAN_AN, TUYET],
        attachments=["Báo cáo tóm tắt thành tích;", "Trích biên bản họp Ban Thường vụ."]) | changes


def decision(**changes: Any) -> dict[str, Any]:
    return common(
        issuer={"parent_name": "Tổng Liên đoàn Lao động Việt Nam",
                "name": "Liên đoàn Lao động tỉnh Trà Vinh"},
        number="99/QĐ-LĐLĐ", number_suffix="QĐ-LĐLĐ", place="Trà Vinh", date="2025-12-20",
        signer={"name": "Trần Văn Minh", "position": "Chủ tịch", "on_behalf": "TM. Ban Thường vụ"},
        recipients=["Như Điều 3;", "Lưu: VT, ToC."],
        form_title="Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh",
        subject="Về việc tặng Bằng khen phong trào thi đua năm 2025",
        deciding_body="BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH",
        legal_basis=["Căn cứ Điều lệ Công đoàn Việt Nam;", "Căn cứ Quy chế khen thưởng của Liên đoàn;"],
        proposal="Xét đề nghị của Ban Thường vụ Liên đoàn Lao động huyện Càng Long tại Tờ trình số "
                 "15/TTr-LĐLĐ ngày 20/11/2025,",
        awardees=[SA_RAI, TAN_AN, TUYET],
        article_2="Kèm theo Bằng khen là tiền thưởng theo quy định.",
        article_3="Văn phòng và các tập thể, cá nhân có tên tại Điều 1 thi hành Quyết định này./.",
        rule_set={"book": "awards", "version": "awards-2025.1", "in_force_from": "2025-01-01"}) | changes


def awardee_list(**changes: Any) -> dict[str, Any]:
    return common(
        number=None, number_suffix="DS-LĐLĐ",
        title="DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN",
        reference="(Kèm theo Quyết định số 99/QĐ-LĐLĐ ngày 20/12/2025 của Ban Thường vụ "
                  "Liên đoàn Lao động tỉnh Trà Vinh)",
        rows=[TUYET, TAN_AN]) | changes


def read(docx: bytes) -> DocxDocument:
    return Document(io.BytesIO(docx))


def paragraph(doc: DocxDocument, text: str) -> Paragraph:
    """The body paragraph (outside tables) whose text is exactly ``text``."""
    found = [p for p in doc.paragraphs if p.text == text]
    assert len(found) == 1, f"{text!r} found {len(found)} times"
    return found[0]


def cell_lines(table: Table) -> list[list[list[str]]]:
    """Each row as its distinct cells, each cell as its paragraphs' texts."""
    rows = []
    for row in table.rows:
        cells: list[tuple[_Cell, list[str]]] = []
        for cell in row.cells:
            if not cells or cell is not cells[-1][0]:
                cells.append((cell, [p.text for p in cell.paragraphs]))
        rows.append([lines for _, lines in cells])
    return rows


def nominee_table(doc: DocxDocument) -> Table:
    found = [t for t in doc.tables if t.rows[0].cells[0].text == "TT"]
    assert len(found) == 1
    return found[0]


def bold(p: Paragraph) -> bool:
    return bool(p.runs) and all(run.bold for run in p.runs)


def italic(p: Paragraph) -> bool:
    return bool(p.runs) and all(run.italic for run in p.runs)


def ruled(p: Paragraph) -> bool:
    """A solid line under the paragraph (its bottom border)."""
    ppr = p._p.pPr
    borders = ppr.find(qn("w:pBdr")) if ppr is not None else None
    bottom = borders.find(qn("w:bottom")) if borders is not None else None
    return bottom is not None and bottom.get(qn("w:val")) == "single"


def test_r4_4_the_submission_letter_lists_collectives_then_individuals_with_recognition() -> None:
    doc = read(submission_letter(letter()))

    title = paragraph(doc, "TỜ TRÌNH")
    assert bold(title) and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph(doc, f"Kính gửi: {RECIPIENT}").alignment == WD_ALIGN_PARAGRAPH.CENTER
    table = nominee_table(doc)
    assert table.style is not None and table.style.name == "Table Grid"
    assert cell_lines(table) == [
        [["TT"], ["Họ và tên / Tên tập thể"], ["Đơn vị"], ["Hình thức đề nghị"], ["Thành tích"]],
        [["I. Tập thể"]],
        [["1"], [TAN_AN["name"]], [TAN_AN["unit"]], [TAN_AN["form_title"]], [TAN_AN["achievement"]]],
        [["II. Cá nhân"]],
        [["1"], [SA_RAI["name"]], [SA_RAI["unit"]], [SA_RAI["form_title"]],
         [SA_RAI["achievement"], SA_RAI["recognition"]]],
        [["2"], [TUYET["name"]], [TUYET["unit"]], [TUYET["form_title"]], [TUYET["achievement"]]],
    ]
    recognition = table.rows[4].cells[4].paragraphs[1]
    assert italic(recognition)
    body = paragraph(doc, "Ban Thường vụ Liên đoàn Lao động huyện Càng Long đề nghị như sau:")
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent is not None
    assert body.paragraph_format.first_line_indent > 0
    text = text_of(submission_letter(letter()))
    assert text.index("đề nghị như sau:") < text.index("I. Tập thể") < text.index("- Báo cáo tóm tắt")
    assert text.index("- Trích biên bản họp Ban Thường vụ.") < text.index(
        f"Kính đề nghị {RECIPIENT} xem xét, quyết định.") < text.index("Nơi nhận:")


def test_r4_4_the_letter_is_signed_on_behalf_of_the_body_with_its_recipients() -> None:
    doc = read(submission_letter(letter()))

    signature = doc.tables[-1]
    recipients, signer = signature.rows[0].cells
    assert [p.text for p in recipients.paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert bold(recipients.paragraphs[0]) and italic(recipients.paragraphs[0])
    lines = [p.text for p in signer.paragraphs]
    assert lines[:2] == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]
    assert lines[-1] == "Nguyễn Thị Ánh Tuyết" and bold(signer.paragraphs[-1])
    assert lines[2:-1] == ["", "", "", ""]  # room for the signature and the seal


def test_r4_4_a_letter_without_optional_parts_or_nominees_still_renders() -> None:
    data = letter(nominees=[])
    del data["attachments"]
    del data["recipients"]

    doc = read(submission_letter(data))

    assert cell_lines(nominee_table(doc)) == [
        [["TT"], ["Họ và tên / Tên tập thể"], ["Đơn vị"], ["Hình thức đề nghị"], ["Thành tích"]]]
    assert "Hồ sơ kèm theo:" not in text_of(submission_letter(data))
    assert [p.text for p in doc.tables[-1].rows[0].cells[0].paragraphs] == ["Nơi nhận:"]


def test_r4_4_individuals_only_are_the_first_section_and_an_unknown_kind_is_refused() -> None:
    doc = read(submission_letter(letter(nominees=[TUYET])))
    assert cell_lines(nominee_table(doc))[1] == [["I. Cá nhân"]]

    with pytest.raises(ValueError, match="team"):
        submission_letter(letter(nominees=[TUYET, TAN_AN | {"kind": "team"}]))


def test_r4_5_the_decision_names_form_awardee_counts_and_signer_and_no_internal_identifier(
        ) -> None:
    doc = read(award_decision(decision()))

    assert bold(paragraph(doc, "QUYẾT ĐỊNH"))
    assert bold(paragraph(doc, "Về việc tặng Bằng khen phong trào thi đua năm 2025"))
    deciding = paragraph(doc, "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH")
    assert bold(deciding) and deciding.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert italic(paragraph(doc, "Căn cứ Điều lệ Công đoàn Việt Nam;"))
    assert italic(paragraph(doc, "Căn cứ Quy chế khen thưởng của Liên đoàn;"))
    assert italic(paragraph(doc, decision()["proposal"]))
    assert bold(paragraph(doc, "QUYẾT ĐỊNH:"))
    article_1 = paragraph(
        doc, "Điều 1. Tặng Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh cho 1 tập thể và "
             "2 cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong phong trào thi đua "
             "“Đổi mới, sáng tạo, hiệu quả” năm 2025.")
    assert article_1.runs[0].text == "Điều 1. " and article_1.runs[0].bold
    assert not article_1.runs[1].bold
    paragraph(doc, "Điều 2. Kèm theo Bằng khen là tiền thưởng theo quy định.")
    paragraph(doc, "Điều 3. Văn phòng và các tập thể, cá nhân có tên tại Điều 1 thi hành Quyết định này./.")
    signer = [p.text for p in doc.tables[-1].rows[0].cells[1].paragraphs]
    assert (signer[0], signer[1], signer[-1]) == ("TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Trần Văn Minh")
    text = text_of(award_decision(decision()))
    assert "awards-2025.1" not in text and "quy tắc" not in text  # the record keeps the version
    assert text.index("Căn cứ Điều lệ") < text.index("Xét đề nghị") < text.index("QUYẾT ĐỊNH:") \
        < text.index("Điều 1.") < text.index("Điều 2.") < text.index("Điều 3.") < text.index("Nơi nhận:")


def test_r4_5_the_decision_counts_only_the_kinds_it_awards_and_needs_no_proposal() -> None:
    data = decision(awardees=[TUYET, SA_RAI], merit="xuất sắc năm 2025")
    del data["proposal"]

    text = text_of(award_decision(data))

    assert "cho 2 cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc năm 2025." in text
    assert "Xét đề nghị" not in text and "tập thể" not in text.split("Điều 1.")[1].split("Điều 2.")[0]


def test_r4_5_the_attached_list_has_its_title_reference_and_sections_but_no_number_or_date(
        ) -> None:
    doc = read(award_list(awardee_list()))

    assert bold(paragraph(doc, "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN"))
    assert italic(paragraph(doc, awardee_list()["reference"]))
    assert cell_lines(nominee_table(doc)) == [
        [["TT"], ["Họ và tên / Tên tập thể"], ["Đơn vị"], ["Thành tích"]],
        [["I. Tập thể"]],
        [["1"], [TAN_AN["name"]], [TAN_AN["unit"]], [TAN_AN["achievement"]]],
        [["II. Cá nhân"]],
        [["1"], [TUYET["name"]], [TUYET["unit"]], [TUYET["achievement"]]],
    ]
    assert text_of(award_list(awardee_list())).splitlines() == [  # a merged cell is read once
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH", "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CÀNG LONG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN", awardee_list()["reference"],
        "TT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích",
        "I. Tập thể", "1", TAN_AN["name"], TAN_AN["unit"], TAN_AN["achievement"],
        "II. Cá nhân", "1", TUYET["name"], TUYET["unit"], TUYET["achievement"]]


def test_every_document_carries_the_administrative_header() -> None:
    for docx in (submission_letter(letter()), award_decision(decision(date="2025-03-05")),
                 award_list(awardee_list())):
        header = read(docx).tables[0]
        issuer, motto = header.rows[0].cells
        parent, name = issuer.paragraphs
        national, independence = motto.paragraphs
        assert parent.text == parent.text.upper() and not bold(parent)
        assert name.text == name.text.upper() and bold(name)
        assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and bold(national)
        assert independence.text == "Độc lập - Tự do - Hạnh phúc" and bold(independence)
        assert not any(run.underline for run in independence.runs)  # a rule under it instead
        assert ruled(independence) and ruled(name)
        assert header.style is None or header.style.name != "Table Grid"  # no borders
        if len(header.rows) > 1:  # the attached list has no number or date of its own
            dated = header.rows[1].cells[1].paragraphs[0]
            assert dated.text.endswith(", ngày 05 tháng 3 năm 2025") and italic(dated)

    header = read(submission_letter(letter())).tables[0]
    assert [p.text for p in header.rows[0].cells[0].paragraphs] == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH", "LIÊN ĐOÀN LAO ĐỘNG HUYỆN CÀNG LONG"]
    assert header.rows[1].cells[0].text == "Số: 15/TTr-LĐLĐ"
    assert header.rows[1].cells[1].text == "Càng Long, ngày 05 tháng 3 năm 2025"


@pytest.mark.parametrize(("on", "written"), [
    ("2025-02-05", "ngày 05 tháng 02 năm 2025"), ("2025-01-31", "ngày 31 tháng 01 năm 2025"),
    ("2025-04-20", "ngày 20 tháng 4 năm 2025"), ("2025-12-09", "ngày 09 tháng 12 năm 2025"),
    ("2025-03-10", "ngày 10 tháng 3 năm 2025")])
def test_decree_30_dates_have_a_leading_zero_only_for_days_1_to_9_and_months_1_and_2(
        on: str, written: str) -> None:
    header = read(submission_letter(letter(date=on))).tables[0]

    assert header.rows[1].cells[1].text == f"Càng Long, {written}"


def test_a_number_and_a_date_not_yet_given_are_left_blank_for_the_pen() -> None:
    header = read(submission_letter(letter(number=None, number_suffix="TTr-CĐ", date=None))).tables[0]

    assert header.rows[1].cells[0].text == "Số:          /TTr-CĐ"
    assert header.rows[1].cells[1].text == "Càng Long, ngày     tháng     năm 2025"


def test_a_body_without_parent_prints_only_its_own_name() -> None:
    data = letter(issuer={"parent_name": None, "name": "Liên đoàn Lao động tỉnh Trà Vinh"})

    issuer = read(submission_letter(data)).tables[0].rows[0].cells[0]

    assert [p.text for p in issuer.paragraphs] == ["LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH"]


def test_the_page_is_a4_portrait_with_the_decree_margins_and_times_new_roman() -> None:
    for docx in (submission_letter(letter()), award_decision(decision()), award_list(awardee_list())):
        doc = read(docx)
        section = doc.sections[0]
        mm = [round(length.mm, 1) for length in (section.page_width, section.page_height,
                                                  section.top_margin, section.bottom_margin,
                                                  section.left_margin, section.right_margin)
              if length is not None]
        assert mm == [210.0, 297.0, 20.0, 20.0, 30.0, 15.0]
        fonts = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
            qn("w:rPr")).find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
        normal = doc.styles["Normal"]
        assert normal.font.name == "Times New Roman"
        assert normal.font.size is not None and normal.font.size.pt == 14


def test_vietnamese_text_of_any_length_round_trips_unchanged() -> None:
    long = " ".join([ALPHABET] * 60)
    names = ["Nguyễn Thị Ánh Tuyết", "Đồng Tháp", "Thạch Thị Sa Rai", ALPHABET]
    nominee = SA_RAI | {"name": names[0], "unit": names[1], "achievement": long, "recognition": ALPHABET}
    signer = SIGNER | {"name": names[2]}

    rendered = {  # the decision names no awardee: they are on the list attached to it
        submission_letter(letter(nominees=[nominee], body=[long], signer=signer)): [*names, long],
        award_decision(decision(awardees=[nominee], legal_basis=[long], signer=signer,
                                deciding_body=ALPHABET)): [names[2], ALPHABET, long],
        award_list(awardee_list(rows=[nominee], reference=long)): [names[0], names[1], long],
    }

    for docx, values in rendered.items():
        text = text_of(docx)
        for value in values:
            assert value in text


def test_two_renders_are_byte_identical_whenever_they_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    renders = [(submission_letter, letter()), (award_decision, decision()), (award_list, awardee_list())]
    first = [render(data) for render, data in renders]
    later = time.time() + 3 * 86400
    monkeypatch.setattr(time, "time", lambda: later)

    assert [render(data) for render, data in renders] == first
    with zipfile.ZipFile(io.BytesIO(first[1])) as package:
        assert {entry.date_time for entry in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = read(first[1]).core_properties
    assert props.created == props.modified == datetime(2025, 12, 20, tzinfo=UTC)
    assert props.author == props.last_modified_by == "Liên đoàn Lao động tỉnh Trà Vinh"
    undated = read(award_list(awardee_list(date=None))).core_properties
    assert undated.created == datetime(2000, 1, 1, tzinfo=UTC)


def test_the_bytes_are_a_word_document() -> None:
    with zipfile.ZipFile(io.BytesIO(award_decision(decision()))) as package:
        types = package.read("[Content_Types].xml").decode()
    assert "wordprocessingml.document.main+xml" in types
    assert DOCX_MEDIA_TYPE == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
