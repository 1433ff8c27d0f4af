"""The documents as PDF (runtime/documents, the awards service's render queries), read back
with poppler (pdftotext, pdffonts, pdfinfo): the Decree 30 elements, the date rule, the
issuing union's place, no internal identifier, every font embedded, Vietnamese read back as
typeset, and the same bytes for the same input."""

from __future__ import annotations

import base64
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from runtime import documents
from runtime.errors import DomainError
from tests.support.awards_world import World
from tests.support.documents import awards_world, rendered

UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
VERIFICATION = re.compile(r"Mã xác thực: [a-z_]+/[0-9a-f-]{36}/[0-9]+/[0-9a-f]{16}")
SIGNER = {"on_behalf": "TM. Ban Thường vụ", "position": "Chủ tịch", "name": "Lâm Thị Hạnh"}
# Every letter of Vietnamese, lower and upper case, with every tone mark.
ALPHABET = ("aàảãáạ ăằẳẵắặ âầẩẫấậ bcdđ eèẻẽéẹ êềểễếệ ghiìỉĩíị klmnoòỏõóọ ôồổỗốộ ơờởỡớợ "
            "pqrstuùủũúụ ưừửữứự vxyỳỷỹýỵ")


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                          check=True, capture_output=True, text=True).stdout


def text(pdf: bytes, tmp_path: Path) -> str:
    """The text in reading order, each run of white space (a wrapped line) made one space."""
    return re.sub(r"\s+", " ", poppler("pdftotext", pdf, tmp_path))


def content(file: dict[str, Any]) -> bytes:
    return base64.b64decode(file["content_base64"])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, dict[str, dict[str, Any]]]:
    w = awards_world(tmp_path_factory.mktemp("awards"))
    return w, rendered(w)


@pytest.fixture
def files(made: tuple[World, dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return made[1]


def test_r4_5_every_document_is_a_pdf_with_the_decree_30_heading(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    for name, file in files.items():
        assert file["media_type"] == "application/pdf" and file["filename"].endswith(".pdf")
        pdf = content(file)
        assert pdf.startswith(b"%PDF-"), name
        words = text(pdf, tmp_path)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words, name
        assert "Độc lập - Tự do - Hạnh phúc" in words, name


def test_r4_5_the_decision_has_number_place_date_title_bases_articles_recipients_and_signer(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    words = text(content(files["quyet-dinh-tinh"]), tmp_path)

    in_order = ["TỔNG LIÊN ĐOÀN LAO ĐỘNG", "LIÊN ĐOÀN LAO ĐỘNG TỈNH", "Số: 99/QĐ-LĐLĐ",
                "QUYẾT ĐỊNH", "Về việc tặng Bằng khen", "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH",
                "Căn cứ", "Xét đề nghị của Liên đoàn Lao động huyện Càng Long", "QUYẾT ĐỊNH:",
                "Điều 1.", "cho 1 cá nhân (có danh sách kèm theo)", "Điều 2.", "Điều 3.",
                "Nơi nhận:", "Lâm Thị Hạnh"]
    at = [words.find(w) for w in in_order]
    assert -1 not in at and at == sorted(at), dict(zip(in_order, at, strict=True))
    assert "Trà Vinh, ngày 10 tháng 4 năm 2026" in words  # the province's place, Decree 30 date
    assert "TM. BAN THƯỜNG VỤ" in words and "CHỦ TỊCH" in words


def test_r4_4_the_letter_carries_its_union_s_place_and_counts_no_zero_part(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    words = text(content(files["to-trinh"]), tmp_path)

    assert "Càng Long, ngày 26 tháng 3 năm 2026" in words  # the district's, not the province's
    assert "Số: 15/TTr-LĐLĐ" in words and "TỜ TRÌNH" in words and "Kính gửi:" in words
    assert "cho 1 cá nhân" in words and "0 tập thể" not in words


def test_r4_5_the_attached_list_has_neither_a_blank_number_nor_a_date_line(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    words = text(content(files["danh-sach-tinh"]), tmp_path)

    assert "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG" in words and "Thạch Thị Sa Rai" in words
    assert "Kèm theo Quyết định số 99/QĐ-LĐLĐ" in words
    assert "Số:" not in words and ", ngày" not in words


def test_r4_5_each_awardee_has_a_landscape_certificate_naming_the_decision_and_signer(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    pdf = content(files["bang-khen-tinh"])
    words = text(pdf, tmp_path)
    info = poppler("pdfinfo", pdf, tmp_path)

    assert re.search(r"Pages:\s+1\n", info) and "841.89 x 595.276 pts (A4)" in info  # landscape
    for expected in ("BẰNG KHEN", "BAN CHẤP HÀNH LIÊN ĐOÀN LAO ĐỘNG TỈNH TRÀ VINH", "TẶNG",
                     "Thạch Thị Sa Rai", "Công đoàn cơ sở Trường Tiểu học Càng Long",
                     "Quyết định số 99/QĐ-LĐLĐ ngày 10/04/2026",
                     "Trà Vinh, ngày 10 tháng 4 năm 2026", "Lâm Thị Hạnh"):
        assert expected in words, expected
    grassroots = text(content(files["giay-khen-cdcs"]), tmp_path)
    assert "GIẤY KHEN" in grassroots and "Càng Long, ngày 05 tháng 3 năm 2026" in grassroots


def test_no_document_prints_an_internal_identifier(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    """But a signed decision's verification code (R4.5, R5.1), which names its record and
    its place in the store's hash chain on purpose, in the footer."""
    for name, file in files.items():
        words = VERIFICATION.sub("", text(content(file), tmp_path))
        assert not UUID_TEXT.search(words), name
        assert "awards/" not in words and "quy tắc" not in words, name


def test_every_font_is_embedded_and_is_the_shipped_liberation_serif(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    for name, file in files.items():
        rows = poppler("pdffonts", content(file), tmp_path).splitlines()[2:]
        assert rows, name
        for row in rows:
            family, *_, emb, _sub, _uni, _obj, _gen = row.split()
            assert emb == "yes", (name, row)
            assert "LiberationSerif" in family, (name, row)


def test_the_same_award_renders_to_the_same_bytes(
        made: tuple[World, dict[str, dict[str, Any]]]) -> None:
    """The document as typeset is the same bytes; the signature appended to it (an
    incremental update) is made anew at each signing: its time, and ECDSA's random nonce."""
    w, files = made
    file = w.call("awards", "render_decision", "H", w.awards.awards(None)[0]["award_id"])
    again = content(file)
    first = content(next(f for f in files.values() if f["filename"] == file["filename"]))
    typeset = first.index(b"%%EOF") + len(b"%%EOF")  # the end of the unsigned revision
    assert again[:typeset] == first[:typeset] and b"/ByteRange" not in first[:typeset]


def test_the_docx_stays_available_for_an_office_that_edits(
        made: tuple[World, dict[str, dict[str, Any]]]) -> None:
    w, _ = made
    award = w.awards.awards(None)[0]["award_id"]
    docx = w.call("awards", "render_decision", "H", award, "docx")
    assert docx["filename"].endswith(".docx") and content(docx).startswith(b"PK")


def test_vietnamese_is_read_back_as_it_was_typeset(tmp_path: Path) -> None:
    pdf = documents.administrative(
        issuer="Công đoàn cơ sở xã Tân An", superior="Liên đoàn Lao động huyện Càng Long",
        number="Số: 01/TB-CĐCS", place_date=documents.place_date("Càng Long", date(2025, 1, 2)),
        kind="THÔNG BÁO", subject="Về việc thử chữ", on=date(2025, 1, 2), signer=SIGNER,
        blocks=[documents.paragraph(ALPHABET), documents.paragraph(ALPHABET.upper())])
    words = text(pdf, tmp_path)

    for word in (ALPHABET + " " + ALPHABET.upper()).split():
        assert word in words, word
    assert "Càng Long, ngày 02 tháng 01 năm 2025" in words


@pytest.mark.parametrize(("on", "written"), [
    (date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"), (date(2025, 1, 31), "ngày 31 tháng 01 năm 2025"),
    (date(2025, 4, 20), "ngày 20 tháng 4 năm 2025"), (date(2025, 12, 9), "ngày 09 tháng 12 năm 2025"),
    (date(2025, 3, 10), "ngày 10 tháng 3 năm 2025")])
def test_decree_30_dates_pad_only_days_1_to_9_and_months_1_and_2(on: date, written: str) -> None:
    assert documents.date_line(on) == written


def test_the_place_is_the_nearest_district_or_province_named_in_the_union_s_chain() -> None:
    chain = ["Công đoàn cơ sở Trường Tiểu học Càng Long", "Liên đoàn Lao động huyện Càng Long",
             "Liên đoàn Lao động tỉnh Trà Vinh", "Tổng Liên đoàn Lao động Việt Nam"]
    assert documents.place_of(chain) == "Càng Long"
    assert documents.place_of(chain[2:]) == "Trà Vinh"
    assert documents.place_of(["Liên đoàn Lao động thành phố Hồ Chí Minh"]) == "Thành phố Hồ Chí Minh"
    assert documents.place_of(chain[3:]) == ""
    assert documents.place_date("", date(2025, 4, 20)) == "Ngày 20 tháng 4 năm 2025"


def test_a_count_leaves_out_its_zero_parts() -> None:
    assert documents.counted([(0, "tập thể"), (1, "cá nhân")]) == "1 cá nhân"
    assert documents.counted([(2, "tập thể"), (3, "cá nhân")]) == "2 tập thể và 3 cá nhân"


def test_r3_4_the_recognition_decision_names_the_initiative_authors_scope_and_council(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    words = text(content(files["cong-nhan-sang-kien-cdcs"]), tmp_path)

    for heading in ("LIÊN ĐOÀN LAO ĐỘNG HUYỆN", "CÔNG ĐOÀN CƠ SỞ TRƯỜNG", "Số: 12/QĐ-CĐCS-SK-01",
                    "Càng Long, ngày 10 tháng 02 năm 2025"):  # the two columns of the heading
        assert heading in words, heading
    in_order = ["QUYẾT ĐỊNH",
                "Về việc công nhận sáng kiến", "Căn cứ Nghị định 13/2012/NĐ-CP",
                "Căn cứ Quyết định số 05/QĐ-CĐCS ngày 20/01/2025", "3/3 thành viên tán thành",
                "QUYẾT ĐỊNH:", "Điều 1. Công nhận sáng kiến “Sổ theo dõi đoàn viên điện tử”",
                "Thạch Thị Sa Rai (60%), Nguyễn Văn An (40%)", "trong phạm vi cơ sở", "Điều 3.",
                "Nơi nhận:", "TM. BAN CHẤP HÀNH"]
    at = [words.find(w) for w in in_order]
    assert words.rfind("Nguyễn Văn An") > at[-1]  # an author, and the chairman who signs
    assert -1 not in at and at == sorted(at), dict(zip(in_order, at, strict=True))
    province = text(content(files["cong-nhan-sang-kien-tinh"]), tmp_path)
    assert "Trà Vinh, ngày" in province and "trong phạm vi toàn tỉnh" in province


def test_r3_4_each_author_has_a_certificate_of_the_recognition(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    pdf = content(files["chung-nhan-sang-kien-cdcs"])
    pages = [text(pdf, tmp_path)]
    assert re.search(r"Pages:\s+2\n", poppler("pdfinfo", pdf, tmp_path))
    for expected in ("GIẤY CHỨNG NHẬN SÁNG KIẾN", "Thạch Thị Sa Rai", "Nguyễn Văn An",
                     "Quyết định số 12/QĐ-CĐCS-SK-01 ngày 10/02/2025"):
        assert expected in pages[0], expected


def test_r3_4_a_scope_the_initiative_was_not_recognised_at_is_refused(
        made: tuple[World, dict[str, dict[str, Any]]]) -> None:
    w, _ = made
    other = w.m.initiatives["SK-02"]  # recognised by its own union only
    assert "province" not in w.initiatives.initiative(other).recognitions
    with pytest.raises(DomainError) as refused:
        w.call("initiatives", "render_recognition", "A", other, "province")
    assert refused.value.code == "NOT_RECOGNISED"


def test_r4_4_the_minutes_extract_gives_attendance_votes_and_results_signed_by_two(
        files: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    words = text(content(files["trich-bien-ban"]), tmp_path)

    in_order = ["TRÍCH BIÊN BẢN", "bình xét khen thưởng", "Thời gian: ngày 07 tháng 3 năm 2026.",
                "Thành phần: 3/3 ủy viên", "Chủ trì: đồng chí Nguyễn Văn An.",
                "Nội dung: Họp BCH bình xét: 3/3 tán thành", "Thạch Thị Sa Rai",
                "Được chọn (100%)", "biên bản gốc", "THƯ KÝ", "CHỦ TRÌ"]
    at = [words.find(w) for w in in_order]
    assert -1 not in at and at == sorted(at), dict(zip(in_order, at, strict=True))
    assert "Càng Long, ngày 07 tháng 3 năm 2026" in words and "/TrBB" in words  # no number yet


def test_r4_4_an_unknown_meeting_is_refused_with_its_code(
        made: tuple[World, dict[str, dict[str, Any]]]) -> None:
    w, _ = made
    with pytest.raises(DomainError) as refused:
        w.call("awards", "render_minutes_extract", "A", "00000000-0000-4000-8000-000000000000")
    assert refused.value.code == "MEETING_NOT_FOUND"


def test_r4_5_a_collective_and_an_individual_each_get_a_page_collectives_first(tmp_path: Path) -> None:
    from services.awards.documents import certificates_pdf

    pdf = certificates_pdf({
        "kind": "Giấy khen", "conferred_by": "Ban Chấp hành Liên đoàn Lao động huyện Càng Long",
        "number": "07/QĐ-LĐLĐ", "date": "2025-02-05", "place": "Càng Long", "year": 2024,
        "signer": SIGNER, "awardees": [
            {"kind": "individual", "name": "Thạch Thị Sa Rai", "unit": "Công đoàn cơ sở xã Tân An",
             "achievement": "Sáng kiến số hóa hồ sơ đoàn viên"},
            {"kind": "collective", "name": "Công đoàn cơ sở xã Tân An", "unit": "",
             "achievement": "Dẫn đầu phong trào thi đua cụm Càng Long"}]})
    pages = poppler("pdftotext", pdf, tmp_path).split("\f")

    assert re.search(r"Pages:\s+2\n", poppler("pdfinfo", pdf, tmp_path))
    assert "Tập thể:" in pages[0] and "Công đoàn cơ sở xã Tân An" in pages[0]
    assert "Đồng chí:" in pages[1] and "Thạch Thị Sa Rai" in pages[1]
    assert "Quyết định số 07/QĐ-LĐLĐ ngày 05/02/2025" in pages[1]
    assert "Càng Long, ngày 05 tháng 02 năm 2025" in re.sub(r"\s+", " ", pages[1])
