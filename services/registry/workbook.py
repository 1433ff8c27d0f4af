"""Excel workbooks (XLSX) of unions, people and bodies, as union offices keep their lists
(R1.1–R1.4).

A workbook holds a sheet per list: ``unions`` or ``Công đoàn`` / ``Đơn vị``, ``people`` or
``Đoàn viên``, ``bodies`` or ``Ban chấp hành`` (one row per member; names compared without
diacritics or case, so "DOAN VIEN" is the same sheet); a workbook of a single sheet is that
sheet whatever its name. Its first non-empty row names
the columns, by the import's field codes (``full_name``) or by their Vietnamese headers
(``Họ và tên``, those of the template ``template()`` makes); the other rows are the records.
Dates may be Excel dates or text (``15/03/2024`` or ``2024-03-15``); yes/no columns take a
tick ``x``, ``có``/``không``, TRUE/FALSE; a level may be written in Vietnamese ("Công đoàn
cơ sở").

``read()`` gives the records in the importer's shape, and for each record where it sits in
the workbook (sheet, Excel row number, and each field's column letter and header), so a
refusal names the sheet, the row and the column as the person who made the file sees them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from runtime.text import search_key

LISTS = ("unions", "people", "bodies")
# R1.1, R1.3: each list's columns, in the template's order: (field, Vietnamese header).
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "unions": (("code", "Mã công đoàn"), ("name", "Tên công đoàn"), ("level", "Cấp công đoàn"),
               ("parent_code", "Mã công đoàn cấp trên"), ("founded_on", "Ngày thành lập")),
    "people": (("code", "Mã đoàn viên"), ("full_name", "Họ và tên"), ("birth_date", "Ngày sinh"),
               ("gender", "Giới tính"), ("union_code", "Mã công đoàn"),
               ("joined_on", "Ngày gia nhập"), ("is_official", "Cán bộ công đoàn"),
               ("is_full_time", "Cán bộ chuyên trách")),
    # R1.2, R1.4: bodies, one row per member: the rows of a union's body of one kind,
    # department and term start are that body (its name, end and decision from its first row).
    "bodies": (("union_code", "Mã công đoàn"), ("kind", "Loại"), ("name", "Tên"),
               ("term_start", "Ngày bắt đầu nhiệm kỳ"), ("term_end", "Ngày kết thúc nhiệm kỳ"),
               ("department", "Ban"), ("decision_number", "Số quyết định"),
               ("decision_signed_on", "Ngày quyết định"), ("person_code", "Mã đoàn viên"),
               ("position", "Chức vụ")),
    # R1.5: a reorganisation plan's changes, one a row, in the order they are made.
    "changes": (("action", "Thao tác"), ("union_code", "Mã công đoàn"), ("name", "Tên công đoàn"),
                ("level", "Cấp công đoàn"), ("parent_code", "Mã công đoàn cấp trên"),
                ("successor_code", "Mã công đoàn kế thừa"), ("members", "Đoàn viên chuyển về"),
                ("children", "Công đoàn cấp dưới chuyển về")),
}
# Other headers a column is known by (the labels refusals use elsewhere, English names).
ALSO = {"unions": {"code": ("Mã", "Mã đơn vị"), "name": ("Tên", "Tên đơn vị"),
                   "level": ("Cấp",), "parent_code": ("Mã cấp trên", "Mã đơn vị cấp trên")},
        "people": {"code": ("Mã", "Mã số"), "full_name": ("Họ tên",), "gender": ("Giới",),
                   "union_code": ("Mã đơn vị", "Mã công đoàn cơ sở"),
                   "joined_on": ("Ngày vào công đoàn", "Ngày kết nạp"),
                   "is_official": ("Cán bộ",), "is_full_time": ("Chuyên trách",),
                   "registered_on": ("Ngày đăng ký",)},
        "bodies": {"union_code": ("Mã", "Mã đơn vị"), "kind": ("Loại ban", "Ban, tổ"),
                   "name": ("Tên ban", "Tên ban, tổ"),
                   "term_start": ("Ngày bắt đầu", "Từ ngày", "Nhiệm kỳ từ"),
                   "term_end": ("Ngày kết thúc", "Đến ngày", "Nhiệm kỳ đến"),
                   "department": ("Mã ban",), "decision_number": ("Quyết định",),
                   "decision_signed_on": ("Ngày ký quyết định",),
                   "person_code": ("Mã số", "Mã cán bộ"), "position": ("Chức danh",)},
        "changes": {"action": ("Hình thức", "Nội dung sắp xếp"),
                    "union_code": ("Mã", "Mã đơn vị", "Mã các công đoàn"),
                    "name": ("Tên", "Tên mới"), "level": ("Cấp",),
                    "parent_code": ("Mã cấp trên", "Mã cấp trên mới"),
                    "successor_code": ("Mã công đoàn mới", "Mã đơn vị kế thừa"),
                    "members": ("Đoàn viên",), "children": ("Công đoàn cấp dưới",)}}
# The columns every record of a list needs (people: a joining or registration date).
REQUIRED = {"unions": ("code", "name", "level", "founded_on"),
            "people": ("code", "full_name", "joined_on"),
            "bodies": ("union_code", "kind", "name", "term_start", "person_code"),
            "changes": ("action", "union_code")}
SHEET_NAMES = {"unions": ("unions", "Công đoàn", "Đơn vị", "Đơn vị công đoàn", "Các công đoàn"),
               "people": ("people", "Đoàn viên", "Đoàn viên, cán bộ", "Đoàn viên cán bộ",
                          "Danh sách đoàn viên"),
               "bodies": ("bodies", "Ban chấp hành", "Các ban", "Ban chấp hành, các ban",
                          "Ban, tổ", "Các ban, tổ"),
               "changes": ("changes", "Sắp xếp tổ chức", "Phương án", "Phương án sắp xếp")}
# the templates' sheets
SHEET_TITLES = {"unions": "Công đoàn", "people": "Đoàn viên", "bodies": "Ban chấp hành",
                "changes": "Sắp xếp tổ chức"}
DATES = {"founded_on", "birth_date", "joined_on", "registered_on", "term_start", "term_end",
         "decision_signed_on"}
LEVELS = {"cong doan co so": "grassroots", "cdcs": "grassroots", "co so": "grassroots",
          "cong doan cap tren truc tiep co so": "direct_superior",
          "cap tren truc tiep co so": "direct_superior", "cap tren truc tiep": "direct_superior",
          "lien doan lao dong tinh": "provincial_federation", "ldld tinh": "provincial_federation",
          "tong lien doan lao dong viet nam": "confederation", "tong lien doan": "confederation"}
GENDERS = {"nam": "male", "nu": "female", "khac": "other"}
# R1.2, R1.4: kinds of body and positions as union offices name them (the web's labels).
BODY_KINDS = {"ban chap hanh": "executive_committee", "bch": "executive_committee",
              "ban thuong vu": "standing_committee", "btv": "standing_committee",
              "ban chuyen de": "department", "ban": "department",
              "to uom mam y tuong": "idea_incubation_team",
              "to ho tro sang kien": "initiative_support_team"}
POSITIONS = {"chu tich": "chairman", "pho chu tich": "vice_chairman", "uy vien": "member",
             "uy vien ban chap hanh": "member", "uy vien bch": "member",
             "uy vien ban thuong vu": "member", "uy vien btv": "member", "thanh vien": "member",
             "truong ban": "head", "pho truong ban": "deputy_head", "to truong": "leader"}


def choice(name: str, value: Any) -> Any:
    """A kind of body or a position written in Vietnamese as its code ("Ban Chấp hành" ->
    executive_committee); a code, or a word not known, stays as it is (and is refused)."""
    if not isinstance(value, str):
        return value
    words = {"kind": BODY_KINDS, "position": POSITIONS}.get(name, {})
    return words.get(search_key(value), value)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class NotAWorkbook(ValueError):
    """Not an XLSX file, or no sheet of the list asked for (``sheets``: those it has)."""

    def __init__(self, message: str, sheets: list[str] | None = None) -> None:
        super().__init__(message)
        self.sheets = sheets


@dataclass
class Placed:
    """A list read from a sheet: its records and where each sits in the workbook."""

    sheet: str
    records: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # each record's Excel row number
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)  # field: (letter, header)
    kind: str = "people"
    header_row: int | None = None  # Excel's number of the row naming the columns

    def missing(self) -> list[str]:
        """The required columns the sheet lacks (all of them if no header row was found)."""
        given = set(self.columns) | ({"joined_on"} if "registered_on" in self.columns else set())
        return [name for name in REQUIRED[self.kind] if name not in given]

    def place(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "rows": self.rows,
                "columns": {k: list(v) for k, v in self.columns.items()}}


def _letter(index: int) -> str:
    """Excel's column letter of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _headers(kind: str) -> dict[str, str]:
    """Every header a list's column is known by (as a search key), and its field."""
    known = {}
    for name, header in COLUMNS[kind]:
        for alias in (name, header, *ALSO[kind].get(name, ())):
            known[search_key(alias)] = name
    for name, aliases in ALSO[kind].items():
        for alias in (name, *aliases):
            known.setdefault(search_key(alias), name)
    return known


def _value(cell: object, name: str) -> Any:
    """A cell's value as the importer reads a CSV cell: text, or None when empty; dates as
    YYYY-MM-DD; yes/no cells as they are (the importer reads ticks and words)."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    if not text:
        return None
    if name in DATES:
        text = iso_date(text)
    elif name == "level":
        text = LEVELS.get(search_key(text), text)
    elif name == "gender":
        text = GENDERS.get(search_key(text), text)
    elif name in ("kind", "position"):
        text = choice(name, text)
    return text


def iso_date(text: str) -> str:
    """dd/mm/yyyy, as Vietnamese offices write dates, as YYYY-MM-DD; other text as it is (an
    impossible date stays, refused as not a date)."""
    found = _DMY.fullmatch(text.strip())
    if not found:
        return text
    day, month, year = (int(x) for x in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _sheet_for(kind: str, names: list[str]) -> str | None:
    wanted = {search_key(n) for n in SHEET_NAMES[kind]}
    for name in names:
        if search_key(name) in wanted:
            return name
    return None


def read(content: bytes, kind: str) -> dict[str, Placed]:
    """The lists of a workbook: ``kind`` people or unions (that sheet, or the only sheet),
    or province (every sheet named as a list, at least one)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise NotAWorkbook(f"not an Excel workbook (.xlsx): {error}") from None
    try:
        names = list(book.sheetnames)
        found: dict[str, str] = {}
        for listed in LISTS if kind == "province" else (kind,):
            name = _sheet_for(listed, names)
            if name is None and kind != "province" and len(names) == 1:
                name = names[0]
            if name is not None:
                found[listed] = name
        if not found:
            raise NotAWorkbook(f"no sheet of {kind} in the workbook", names)
        return {listed: _sheet(book[name], listed) for listed, name in found.items()}
    finally:
        book.close()


def _sheet(sheet: Any, kind: str) -> Placed:
    known = _headers(kind)
    placed = Placed(sheet.title, kind=kind)
    fields: list[str | None] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue  # empty rows (Excel keeps formatted ones) are no records
        if not fields:  # the header row
            for index, cell in enumerate(row):
                header = str(cell).strip() if cell is not None else ""
                name = known.get(search_key(header)) if header else None
                if name is not None and name not in placed.columns:
                    placed.columns[name] = (_letter(index), header)
                    fields.append(name)
                else:
                    fields.append(None)
            if not placed.columns:
                fields = []  # no header known yet: a title row above the table, say
            else:
                placed.header_row = number
            continue
        record = {}
        for index, cell in enumerate(row[:len(fields)]):
            name = fields[index]
            if name is not None:
                record[name] = _value(cell, name)
        placed.records.append(record)
        placed.rows.append(number)
    return placed


def template() -> bytes:
    """An empty workbook to fill in: a sheet per list with its Vietnamese headers, and a
    sheet that says what goes in each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    notes = {
        "code": "Mã không trùng, không đổi (ví dụ CS-001, DV-0001)",
        "name": "Tên đầy đủ của công đoàn", "full_name": "Họ và tên đầy đủ",
        "level": "Công đoàn cơ sở / Công đoàn cấp trên trực tiếp cơ sở / Liên đoàn Lao động tỉnh",
        "parent_code": "Mã của công đoàn cấp trên (trống nếu là cấp cao nhất)",
        "founded_on": "Ngày/tháng/năm, ví dụ 15/03/2024", "birth_date": "Ngày/tháng/năm (có thể trống)",
        "gender": "Nam / Nữ (có thể trống)", "union_code": "Mã công đoàn cơ sở của đoàn viên",
        "joined_on": "Ngày/tháng/năm gia nhập", "is_official": "x nếu là cán bộ công đoàn",
        "is_full_time": "x nếu là cán bộ chuyên trách",
        "kind": "Ban Chấp hành / Ban Thường vụ / Ban chuyên đề / Tổ hỗ trợ sáng kiến / "
                "Tổ ươm mầm ý tưởng",
        "term_start": "Ngày/tháng/năm bắt đầu nhiệm kỳ; các dòng cùng công đoàn, loại, ban và "
                      "ngày bắt đầu là một ban (mỗi dòng một thành viên)",
        "term_end": "Ngày/tháng/năm kết thúc nhiệm kỳ (có thể trống)",
        "department": "Mã ban chuyên đề (chỉ với Ban chuyên đề, ví dụ policy_law)",
        "decision_number": "Số quyết định (bắt buộc với các tổ)",
        "decision_signed_on": "Ngày/tháng/năm ký quyết định",
        "person_code": "Mã đoàn viên của thành viên",
        "position": "Chủ tịch / Phó Chủ tịch / Ủy viên / Trưởng ban / Phó Trưởng ban / Tổ trưởng"}
    examples = {"unions": ["CS-001", "Công đoàn cơ sở Công ty Mẫu", "Công đoàn cơ sở", "TV-CL",
                           "15/03/2024"],
                "people": ["DV-0001", "Nguyễn Văn A", "01/02/1990", "Nam", "CS-001",
                           "15/03/2024", "x", ""],
                "bodies": ["CS-001", "Ban Chấp hành", "Ban Chấp hành Công đoàn cơ sở Công ty Mẫu",
                           "15/03/2024", "14/03/2029", "", "", "", "DV-0001", "Chủ tịch"]}
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    first = True
    for kind in ("people", "unions", "bodies"):
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = SHEET_TITLES[kind]
        sheet.append([header for _, header in COLUMNS[kind]])
        for index, _ in enumerate(COLUMNS[kind]):
            cell = sheet.cell(row=1, column=index + 1)
            cell.font, cell.fill = bold, shade
            sheet.column_dimensions[_letter(index)].width = 24
        sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Trang", "Cột", "Ghi", "Ví dụ"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, shade
    for kind in ("people", "unions", "bodies"):
        notes_of = {**notes, "union_code": "Mã công đoàn có ban", "name": "Tên ban, tổ"} \
            if kind == "bodies" else notes
        for (name, header), example in zip(COLUMNS[kind], examples[kind], strict=True):
            guide.append([SHEET_TITLES[kind], header, notes_of[name], example])
    guide.append([])
    guide.append(["Cả tệp được kiểm tra trước khi lưu: nếu có một dòng lỗi thì không dòng nào "
                  "được lưu. Hồ sơ đã có (cùng mã) được bỏ qua."])
    for letter, width in (("A", 14), ("B", 24), ("C", 70), ("D", 30)):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PLAN_NOTES = (
    ("Thành lập", "Mã công đoàn mới, tên, cấp, mã công đoàn cấp trên",
     "CS-MOI, Công đoàn cơ sở Công ty Mới, Công đoàn cơ sở, TV-CL"),
    ("Chuyển", "Mã công đoàn, mã công đoàn cấp trên mới", "CS-001, TV-KV1"),
    ("Đổi tên", "Mã công đoàn, tên mới", "TV-CL, Liên đoàn Lao động thị xã Càng Long"),
    ("Hợp nhất", "Mã các công đoàn hợp nhất (cách nhau bằng dấu phẩy), mã công đoàn kế thừa "
     "(đã có, hoặc mới: ghi thêm tên và mã cấp trên). Đoàn viên và công đoàn cấp dưới chuyển "
     "về công đoàn kế thừa", "CS-001, CS-002 → CS-003"),
    ("Chia tách", "Mỗi phần một dòng liền nhau, cùng mã công đoàn bị chia tách: mã và tên phần "
     "mới, mã đoàn viên và mã công đoàn cấp dưới chuyển về phần đó (dấu * là tất cả những người, "
     "đơn vị còn lại)", "CS-001 → CS-001A (DV-0001, DV-0002), CS-001B (*)"),
    ("Giải thể", "Mã công đoàn (không còn công đoàn cấp dưới đang hoạt động)", "TV-CK"),
)


def plan_template() -> bytes:
    """R1.5: an empty reorganisation plan to fill in: the sheet of changes with its
    Vietnamese headers, and a sheet that says what each action takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    sheet = book.active
    sheet.title = SHEET_TITLES["changes"]
    sheet.append([header for _, header in COLUMNS["changes"]])
    for index, _ in enumerate(COLUMNS["changes"]):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font, cell.fill = bold, shade
        sheet.column_dimensions[_letter(index)].width = 24
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Thao tác", "Ghi", "Ví dụ"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, shade
    for row in PLAN_NOTES:
        guide.append(list(row))
    guide.append([])
    guide.append(["Các dòng được kiểm tra theo thứ tự, mỗi dòng trên cây tổ chức như các dòng "
                  "trước để lại; nếu có một dòng lỗi thì cả phương án không được lưu."])
    for letter, width in (("A", 14), ("B", 90), ("C", 50)):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
