"""Demo and benchmark data for the registry, in its import format (``emulation.registry.import/v1``).

This module owns the generated data sets: the committed demo province
(``deploy/demo/tra-vinh.json``, from :func:`province`) and the large synthetic trees the
benchmark imports (:func:`scaled`). Both are deterministic (a seeded ``random.Random``),
need no network and use the standard library only. Every text is NFC-normalised.

What the data honours, because the importer refuses anything else:

* unions are listed parent-first, each level under the level it may sit under, and no
  union is founded before its parent;
* people are members of grassroots unions only, joined after the union was founded and
  before 2024-01-01; only officials are full-time, and officials are a minority, the
  full-time ones mostly in the office unions of the provincial and district federations;
* every union from the province down has an executive committee, the province and its
  direct-superior unions a standing committee drawn from it, the province departments, and
  about a third of the grassroots unions an idea-incubation and/or initiative-support team;
  members of a grassroots union's bodies are that union's members, and nobody sits on a
  body whose term started before they joined.

``python -m demo.province OUT.json [--unions N --members M]`` writes a file.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

from services.registry.importer import FORMAT

Record = dict[str, Any]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str, separator: str = ",") -> tuple[str, ...]:
    """A list of Vietnamese words or phrases, NFC-normalised."""
    return tuple(_nfc(word.strip()) for word in text.split(separator))


# --- Dates ---------------------------------------------------------------------------------------

_CONFEDERATION_FOUNDED = date(1929, 7, 28)
_FIRST_DAY = date(1929, 1, 1).toordinal()
_LAST_DAY = date(2031, 12, 31).toordinal()
_EARLY = date(2021, 12, 31).toordinal()      # whoever joined by then may sit on any body
_LAST_JOIN = date(2023, 12, 31).toordinal()  # nobody joined on or after 2024-01-01
_LAST_FOUNDED = date(2019, 12, 31)           # grassroots unions are older than their members
_BIRTH_FROM = date(1964, 1, 1).toordinal()   # nobody is past 60 in 2024
_SENIOR = date(1983, 12, 31).toordinal()     # full-time officials are 40 or over
_LEADER = date(1975, 12, 31).toordinal()     # and the one at the head of them 48 or over
_ADULT = 20 * 365 + 5                        # joined at 20 at the earliest
_YOUNGEST = 21 * 365 + 6                     # born at least 21 years before the latest joining


@cache
def _iso_days() -> tuple[str, ...]:
    return tuple(date.fromordinal(day).isoformat() for day in range(_FIRST_DAY, _LAST_DAY + 1))


def _iso(day: int) -> str:
    return _iso_days()[day - _FIRST_DAY]


def _day_between(rng: Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _term_end(start: date, years: int = 5) -> date:
    """The day before the anniversary: a term from 2023-07-20 runs to 2028-07-19."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def _roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in numerals:
        count, number = divmod(number, value)
        text += letters * count
    return text


# --- Names of people -----------------------------------------------------------------------------

# Family names with rough weights for the Mekong delta; Thạch, Sơn, Kim, Danh and Kiên are
# the common family names of Trà Vinh's Khmer people (about a third of the province).
_FAMILY_WEIGHTS = {
    "Nguyễn": 30, "Trần": 12, "Lê": 10, "Phạm": 6, "Huỳnh": 7, "Võ": 6, "Thạch": 7, "Sơn": 4,
    "Kim": 3, "Dương": 3, "Đặng": 2, "Bùi": 2, "Đỗ": 2, "Hồ": 3, "Ngô": 2, "Phan": 4, "Trương": 2,
    "Lâm": 2, "Lý": 1, "Danh": 1, "Thái": 1, "Đoàn": 1, "Châu": 1, "Mai": 1, "Tô": 1, "Kiên": 1,
}
_FAMILIES = tuple(_nfc(name) for name in _FAMILY_WEIGHTS)
_FAMILY_CUMULATIVE = tuple(accumulate(_FAMILY_WEIGHTS.values()))
_FAMILY_TOTAL = _FAMILY_CUMULATIVE[-1]
_KHMER_FAMILIES = frozenset(_words("Thạch, Sơn, Kim, Danh, Kiên"))
_MALE_MIDDLE = _words("Minh, Hoàng, Quốc, Thanh, Hữu, Công, Đức, Ngọc, Tuấn, Trung, Chí, Quang, Phước")
_FEMALE_MIDDLE = _words("Ngọc, Thu, Kim, Thanh, Hồng, Mỹ, Bích, Diễm, Thúy, Phương, Minh, Cẩm")
_MALE_GIVEN = _words(
    "Anh, Bảo, Bình, Cường, Dũng, Duy, Đạt, Định, Hải, Hậu, Hiếu, Hòa, Hùng, Huy, Khang, Khánh, "
    "Kiệt, Lâm, Lộc, Long, Luân, Minh, Nam, Nghĩa, Nhân, Phát, Phong, Phúc, Phước, Quang, Sang, "
    "Sơn, Tài, Tâm, Tân, Thắng, Thanh, Thành, Thiện, Thịnh, Toàn, Trí, Trung, Tuấn, Vinh, Vũ")
_FEMALE_GIVEN = _words(
    "An, Anh, Bích, Châu, Diễm, Dung, Duyên, Giang, Hà, Hạnh, Hằng, Hiền, Hoa, Hồng, Hương, "
    "Huyền, Kiều, Lan, Liên, Linh, Loan, Mai, My, Nga, Ngân, Ngọc, Nhi, Nhung, Oanh, Phượng, "
    "Quyên, Tâm, Thảo, Thơ, Thủy, Thúy, Trang, Trinh, Tuyết, Uyên, Vân, Xuân, Yến")
_KHMER_MALE_GIVEN = _words("Sa Rết, Sô Phanh, Chanh Đa, Sa Rinh, Sóc Khum, Sô Phol, Rênh, Sang, Kha Na")
_KHMER_FEMALE_GIVEN = _words("Sa Ry, Sô Phi, Sa Rươne, Sóc Khe, Sa Phia, Sa Mây, Chanh Ty, Sa Vi")
_VAN, _THI = _nfc("Văn"), _nfc("Thị")


# --- Names of unions -----------------------------------------------------------------------------

_GRASSROOTS = _nfc("Công đoàn cơ sở")
_OFFICE = _nfc("Công đoàn cơ quan")
_INDUSTRIES = _words(
    "May mặc, Giày da, Chế biến thủy sản, Chế biến dừa, Thực phẩm, Bao bì, Xây dựng, Cơ khí, "
    "Dệt may, Nông sản, Vận tải, Thương mại – Dịch vụ, Điện gió, Vật liệu xây dựng")
_BRANDS = _words(
    "Phước Thịnh, Hưng Long, Tân Thành Phát, Minh Khang, Đại Phát, Kim Long, Thiên Ân, An Phú Thịnh, "
    "Việt Thắng, Hòa Hiệp, Phú Quý, Thành Đạt, Long Đức, Mekong, Cửu Long, Sông Hậu, Đông Hải, "
    "Bảo Châu, Trường Thịnh, Hoàng Gia, Nam Việt, Tín Nghĩa, Vạn Lợi, Ngọc Bích, Hải Đăng")
_COMPANY_FORMS = _words("Công ty TNHH, Công ty TNHH, Công ty TNHH, Công ty Cổ phần")
_SCHOOL_PATRONS = _words(
    "Lý Tự Trọng, Nguyễn Trãi, Võ Văn Kiệt, Đoàn Thị Điểm, Chu Văn An, Nguyễn Thị Minh Khai, "
    "Lê Quý Đôn, Trần Quốc Tuấn, Nguyễn Du, Kim Đồng, Võ Thị Sáu, Hùng Vương, Dương Quang Đông")
_SYLLABLES = _words(
    "Long, Phú, Tân, Hòa, Bình, Mỹ, An, Thạnh, Hưng, Đông, Tây, Vĩnh, Phước, Thuận, Lợi, Hiệp, "
    "Trung, Nhơn, Khánh, Lộc, Thới, Xuân, Hội, Định, Châu, Sơn, Hải, Ninh, Đức, Thành")
_DEPARTMENTS = (("organisation", _nfc("Ban Tổ chức")),
                ("policy_law", _nfc("Ban Chính sách – Pháp luật")),
                ("propaganda", _nfc("Ban Tuyên giáo")))
_AGENCIES = _words(
    "Văn phòng Ủy ban nhân dân tỉnh; Sở Tài chính; Sở Kế hoạch và Đầu tư; Sở Nội vụ; Sở Tư pháp; "
    "Sở Nông nghiệp và Phát triển nông thôn; Sở Lao động – Thương binh và Xã hội; Sở Công Thương; "
    "Sở Tài nguyên và Môi trường; Sở Giao thông vận tải; Sở Văn hóa, Thể thao và Du lịch; "
    "Sở Xây dựng; Sở Khoa học và Công nghệ; Thanh tra tỉnh; Sở Thông tin và Truyền thông", ";")
_PROVINCES = _words(
    "An Giang, Bà Rịa – Vũng Tàu, Bạc Liêu, Bắc Giang, Bắc Kạn, Bắc Ninh, Bến Tre, Bình Dương, "
    "Bình Định, Bình Phước, Bình Thuận, Cà Mau, Cao Bằng, Đắk Lắk, Đắk Nông, Điện Biên, Đồng Nai, "
    "Đồng Tháp, Gia Lai, Hà Giang, Hà Nam, Hà Tĩnh, Hải Dương, Hậu Giang, Hòa Bình, Hưng Yên, "
    "Khánh Hòa, Kiên Giang, Kon Tum, Lai Châu, Lâm Đồng, Lạng Sơn, Lào Cai, Long An, Nam Định, "
    "Nghệ An, Ninh Bình, Ninh Thuận, Phú Thọ, Phú Yên, Quảng Bình, Quảng Nam, Quảng Ngãi, "
    "Quảng Ninh, Quảng Trị, Sóc Trăng, Sơn La, Tây Ninh, Thái Bình, Thái Nguyên, Thanh Hóa, "
    "Thừa Thiên Huế, Tiền Giang, Trà Vinh, Tuyên Quang, Vĩnh Long, Vĩnh Phúc, Yên Bái")
_CITIES = _words("Hà Nội, Hồ Chí Minh, Hải Phòng, Đà Nẵng, Cần Thơ")


@dataclass(frozen=True)
class _District:
    """A district-level unit of a province: its federation sits directly under the province."""

    unit: str                    # "huyện Càng Long"
    founded: int                 # the year its federation was founded
    communes: tuple[str, ...]    # "xã Nhị Long", "thị trấn Càng Long", "Phường 1"

    @property
    def bare(self) -> str:
        for kind in ("thành phố ", "thị xã ", "huyện "):
            if self.unit.startswith(kind):
                return self.unit[len(kind):]
        return self.unit


def _district(unit: str, founded: int, communes: str) -> _District:
    return _District(_nfc(unit), founded, _words(communes))


_TRA_VINH_DISTRICTS = {
    district.unit: district for district in (
        _district("thành phố Trà Vinh", 1992,
                  "Phường 1, Phường 2, Phường 3, Phường 4, Phường 5, Phường 6, Phường 7, Phường 8, "
                  "Phường 9, xã Long Đức"),
        _district("thị xã Duyên Hải", 2015,
                  "Phường 1, Phường 2, xã Dân Thành, xã Hiệp Thạnh, xã Long Hữu, xã Long Toàn, "
                  "xã Trường Long Hòa"),
        _district("huyện Càng Long", 1992,
                  "thị trấn Càng Long, xã An Trường, xã An Trường A, xã Bình Phú, xã Đại Phúc, "
                  "xã Đại Phước, xã Đức Mỹ, xã Huyền Hội, xã Mỹ Cẩm, xã Nhị Long, xã Nhị Long Phú, "
                  "xã Phương Thạnh, xã Tân An, xã Tân Bình"),
        _district("huyện Cầu Kè", 1992,
                  "thị trấn Cầu Kè, xã An Phú Tân, xã Châu Điền, xã Hòa Ân, xã Hòa Tân, xã Ninh Thới, "
                  "xã Phong Phú, xã Phong Thạnh, xã Tam Ngãi, xã Thạnh Phú, xã Thông Hòa"),
        _district("huyện Tiểu Cần", 1992,
                  "thị trấn Tiểu Cần, thị trấn Cầu Quan, xã Hiếu Trung, xã Hiếu Tử, xã Hùng Hòa, "
                  "xã Long Thới, xã Ngãi Hùng, xã Phú Cần, xã Tân Hòa, xã Tân Hùng, xã Tập Ngãi"),
        _district("huyện Châu Thành", 1992,
                  "thị trấn Châu Thành, xã Đa Lộc, xã Hòa Lợi, xã Hòa Minh, xã Hòa Thuận, xã Hưng Mỹ, "
                  "xã Long Hòa, xã Lương Hòa, xã Lương Hòa A, xã Mỹ Chánh, xã Nguyệt Hóa, "
                  "xã Phước Hảo, xã Song Lộc, xã Thanh Mỹ"),
        _district("huyện Cầu Ngang", 1992,
                  "thị trấn Cầu Ngang, thị trấn Mỹ Long, xã Hiệp Hòa, xã Hiệp Mỹ Đông, xã Hiệp Mỹ Tây, "
                  "xã Kim Hòa, xã Long Sơn, xã Mỹ Hòa, xã Mỹ Long Bắc, xã Mỹ Long Nam, xã Nhị Trường, "
                  "xã Thạnh Hòa Sơn, xã Thuận Hòa, xã Trường Thọ, xã Vinh Kim"),
        _district("huyện Trà Cú", 1992,
                  "thị trấn Trà Cú, thị trấn Định An, xã An Quảng Hữu, xã Đại An, xã Định An, "
                  "xã Hàm Giang, xã Hàm Tân, xã Kim Sơn, xã Lưu Nghiệp Anh, xã Ngãi Xuyên, "
                  "xã Ngọc Biên, xã Phước Hưng, xã Tân Hiệp, xã Tân Sơn, xã Tập Sơn, xã Thanh Sơn"),
        _district("huyện Duyên Hải", 1992,
                  "thị trấn Long Thành, xã Đôn Châu, xã Đôn Xuân, xã Đông Hải, xã Long Khánh, "
                  "xã Long Vĩnh, xã Ngũ Lạc"),
    )
}

# The direct-superior unions of Trà Vinh, in the order province() takes them: any prefix is
# a mix of district federations and sectoral unions: (kind, district unit or union name).
_TRA_VINH_SUPERIORS: tuple[tuple[str, str], ...] = tuple((kind, _nfc(name)) for kind, name in (
    ("district", "thành phố Trà Vinh"),
    ("education", "Công đoàn ngành Giáo dục {pf}"),
    ("district", "huyện Càng Long"),
    ("health", "Công đoàn ngành Y tế {pf}"),
    ("district", "huyện Trà Cú"),
    ("zones", "Công đoàn các Khu kinh tế {pf}"),
    ("district", "huyện Châu Thành"),
    ("civil_service", "Công đoàn Viên chức {pf}"),
    ("district", "huyện Cầu Kè"),
    ("district", "thị xã Duyên Hải"),
    ("district", "huyện Tiểu Cần"),
    ("district", "huyện Cầu Ngang"),
    ("district", "huyện Duyên Hải"),
))
_SECTORS = ("education", "health", "civil_service", "zones")
_SECTOR_NAMES = {"education": _nfc("Công đoàn ngành Giáo dục {pf}"),
                 "health": _nfc("Công đoàn ngành Y tế {pf}"),
                 "civil_service": _nfc("Công đoàn Viên chức {pf}"),
                 "zones": _nfc("Công đoàn các Khu kinh tế {pf}")}
_SECTOR_FOUNDED = {"education": 1992, "health": 1992, "civil_service": 2009, "zones": 2012}
_SECTOR_HOMES = {"education": _nfc("Sở Giáo dục và Đào tạo"), "health": _nfc("Sở Y tế"),
                 "civil_service": _nfc("Văn phòng Tỉnh ủy"),
                 "zones": _nfc("Ban Quản lý Khu kinh tế {pf}")}
_PROVINCE_DIRECT = _words(
    "Công ty TNHH Một thành viên Xổ số kiến thiết {p}, Công ty Cổ phần Cấp thoát nước {p}, "
    "Bưu điện {pf}, Báo {p}, Trường Đại học {p}, Công ty Điện lực {p}")
_TRA_VINH_HIGH_SCHOOLS = _words(
    "Trường THPT Chuyên Nguyễn Thiện Thành, Trường THPT Phạm Thái Bường, "
    "Trường Phổ thông Dân tộc nội trú tỉnh Trà Vinh")
_HOSPITALS = _words(
    "Bệnh viện Đa khoa {pf}, Bệnh viện Y dược cổ truyền {pf}, Trung tâm Kiểm soát bệnh tật {pf}, "
    "Bệnh viện Lao và Bệnh phổi {pf}")
_PROVINCE_CONGRESS = 10  # "khóa X": the provincial federations' congress of 2023


# --- The tree while it is being built ------------------------------------------------------------

@dataclass(eq=False)
class _Grassroots:
    union: Record
    role: str                 # "federation_office", "district_office", "sector_home", "ordinary"
    size: int = 0
    full_time: int = 0
    officials: int = 0
    people: list[Record] = field(default_factory=list)
    chair: Record | None = None
    vices: list[Record] = field(default_factory=list)
    executive: list[Record] = field(default_factory=list)
    term_end: date | None = None


@dataclass(eq=False)
class _Upper:
    union: Record
    home: _Grassroots | None = None
    grassroots: list[_Grassroots] = field(default_factory=list)
    superiors: list[_Upper] = field(default_factory=list)
    chair: Record | None = None


class _Namer:
    """Names grassroots unions of one province, avoiding repeats where it can."""

    def __init__(self, rng: Random, place: str, place_full: str) -> None:
        self.rng = rng
        self.place, self.place_full = place, place_full
        self.used: set[str] = set()

    def fill(self, template: str) -> str:
        return _nfc(template.replace("{pf}", self.place_full).replace("{p}", self.place))

    def take(self, name: str) -> str | None:
        if name in self.used:
            return None
        self.used.add(name)
        return name

    def first_free(self, candidates: Iterable[str], fallback: Callable[[], str]) -> str:
        for candidate in candidates:
            if (name := self.take(self.fill(candidate))) is not None:
                return name
        for _ in range(20):
            if (name := self.take(fallback())) is not None:
                return name
        return fallback()

    def place_name(self) -> str:
        first, second = self.rng.sample(_SYLLABLES, 2)
        return f"{first} {second}"

    def company(self) -> str:
        rng = self.rng
        return (f"{rng.choice(_COMPANY_FORMS)} {rng.choice(_INDUSTRIES)} {rng.choice(_BRANDS)}")

    def grassroots(self, kind: str, district: _District | None, districts: Sequence[_District],
                   turn: int) -> str:
        rng = self.rng
        body: str
        if kind == "district" and district is not None:
            communes = list(district.communes)
            rng.shuffle(communes)
            what = ("commune", "lower_secondary", "company", "primary", "commune", "company",
                    "kindergarten")[turn % 7]
            if what == "company":
                body = self.first_free((), self.company)
            elif what == "commune":
                ordered = [c for c in communes if c.startswith("xã ")]
                ordered += [c for c in communes if c.startswith("thị trấn ")]
                ordered += [f"{c}, {district.unit}" for c in communes if c.startswith("Phường")]
                body = self.first_free(ordered, self.company)
            else:
                school = {"lower_secondary": "Trường THCS", "primary": "Trường Tiểu học",
                          "kindergarten": "Trường Mầm non"}[what]
                names = [_commune_bare(c) for c in communes if not c.startswith("Phường")]
                names += rng.sample(_SCHOOL_PATRONS, len(_SCHOOL_PATRONS))
                body = self.first_free((_nfc(f"{school} {n}") for n in names), self.company)
        elif kind == "education":
            schools = [*(_TRA_VINH_HIGH_SCHOOLS if self.place == _nfc("Trà Vinh") else ()),
                       *(f"Trường THPT {_school_place(d)}" for d in districts)]
            body = self.first_free(schools, lambda: _nfc(f"Trường THCS và THPT {self.place_name()}"))
        elif kind == "health":
            units = [*_HOSPITALS, *(f"Trung tâm Y tế {d.unit}" for d in districts)]
            body = self.first_free(units,
                                   lambda: _nfc(f"Phòng khám Đa khoa khu vực {self.place_name()}"))
        elif kind == "civil_service":
            body = self.first_free(_AGENCIES, self.company)
        else:
            body = self.first_free((), self.company)
        return _nfc(f"{_GRASSROOTS} {body}")


def _school_place(district: _District) -> str:
    """High schools are named after the district, a city's with "Thành phố" in front."""
    if district.unit.startswith("thành phố "):
        return "Thành phố " + district.bare
    return district.bare


def _commune_bare(commune: str) -> str:
    for kind in ("thị trấn ", "xã "):
        if commune.startswith(kind):
            return commune[len(kind):]
    return commune


def _federation_of(district: _District) -> str:
    return _nfc(f"Liên đoàn Lao động {district.unit}")


def _place_of(name: str) -> tuple[str, str]:
    """"Liên đoàn Lao động tỉnh Trà Vinh" → ("Trà Vinh", "tỉnh Trà Vinh")."""
    full = name.removeprefix(_nfc("Liên đoàn Lao động ")).strip() or name
    for kind in ("tỉnh ", "thành phố "):
        if full.startswith(kind):
            return full[len(kind):], full
    return full, full


# --- The builder ---------------------------------------------------------------------------------

class _Builder:
    def __init__(self, rng: Random, person_digits: int) -> None:
        self.rng = rng
        self.person_digits = person_digits
        self.unions: list[Record] = []
        self.people: list[Record] = []
        self.bodies: dict[str, list[Record]] = {}
        self._people_made = 0

    # Unions

    def union(self, code: str, name: str, level: str, parent: Record | None,
              founded: date) -> Record:
        if parent is not None:
            founded = max(founded, date.fromisoformat(parent["founded_on"]))
        record: Record = {"code": code, "name": _nfc(name), "level": level,
                          "parent_code": parent["code"] if parent else None,
                          "founded_on": founded.isoformat()}
        self.unions.append(record)
        return record

    def grassroots(self, parent: _Upper, code: str, name: str, role: str) -> _Grassroots:
        parent_founded = date.fromisoformat(parent.union["founded_on"])
        earliest = max(parent_founded + timedelta(days=30), date(1993, 1, 1))
        if " Công ty " in f" {name} ":
            earliest = max(earliest, date(2003, 1, 1))
        last = _LAST_FOUNDED if " Công ty " in f" {name} " else date(2012, 12, 31)
        founded = min(_day_between(self.rng, earliest, last), _LAST_FOUNDED)
        if role != "ordinary":  # office unions open with their federation
            founded = min(founded, parent_founded + timedelta(days=self.rng.randint(20, 120)))
        node = _Grassroots(self.union(code, name, "grassroots", parent.union, founded), role)
        parent.grassroots.append(node)
        if role != "ordinary" and parent.home is None:
            parent.home = node
        return node

    # People

    def staff(self, node: _Grassroots) -> None:
        """How many of a union's people are officials, and how many of them full-time."""
        rng, size = self.rng, node.size
        if node.role == "federation_office":
            node.full_time = min(size, rng.randint(8, 10))
            node.officials = node.full_time
        elif node.role == "district_office":
            node.full_time = min(size, rng.randint(2, 3))
            node.officials = node.full_time
        elif node.role == "sector_home":
            node.full_time = min(size, rng.randint(1, 2))
            node.officials = node.full_time
        else:
            node.officials = min(size, int(size * 0.05 + rng.random()))

    def populate(self, node: _Grassroots, prefix: str, keep: bool) -> None:
        """Makes the union's people: full-time officials first, then other officials, then
        everyone else; the first five (and every official) joined early enough for any body."""
        random = self.rng.random
        iso = _iso_days()
        union_code = node.union["code"]
        founded = date.fromisoformat(node.union["founded_on"]).toordinal()
        late_from = max(founded, _EARLY + 1)
        early_count = max(5, node.officials)
        full_time, officials = node.full_time, node.officials
        digits = self.person_digits
        people = self.people
        made = self._people_made
        kept: list[Record] = []
        for index in range(node.size):
            if index < early_count or random() < 0.85:
                first, last = founded, _EARLY
            else:
                first, last = late_from, _LAST_JOIN
            latest_birth = last - _YOUNGEST
            if index < full_time:
                latest_birth = _LEADER if index == 0 else _SENIOR
            birth = _BIRTH_FROM + int(random() * (latest_birth - _BIRTH_FROM + 1))
            first = max(first, birth + _ADULT)
            joined = first + int(random() * (last - first + 1))
            female = random() < 0.5
            made += 1
            person: Record = {
                "code": f"{prefix}-DV-{made:0{digits}d}",
                "full_name": self.full_name(female),
                "birth_date": iso[birth - _FIRST_DAY],
                "gender": "female" if female else "male",
                "union_code": union_code,
                "joined_on": iso[joined - _FIRST_DAY],
                "is_official": index < officials,
                "is_full_time": index < full_time,
            }
            people.append(person)
            if keep:
                kept.append(person)
        self._people_made = made
        node.people = kept

    def full_name(self, female: bool) -> str:
        random = self.rng.random
        family = _FAMILIES[bisect_right(_FAMILY_CUMULATIVE, random() * _FAMILY_TOTAL)]
        if family in _KHMER_FAMILIES and random() < 0.4:
            if female:
                return f"{family} {_THI} {_pick(_KHMER_FEMALE_GIVEN, random())}"
            return f"{family} {_pick(_KHMER_MALE_GIVEN, random())}"
        if female:
            middle = _THI if random() < 0.6 else _pick(_FEMALE_MIDDLE, random())
            given = _pick(_FEMALE_GIVEN, random())
        else:
            middle = _VAN if random() < 0.45 else _pick(_MALE_MIDDLE, random())
            given = _pick(_MALE_GIVEN, random())
        if given == middle:
            given = _pick(_FEMALE_GIVEN if female else _MALE_GIVEN, random())
        return f"{family} {middle} {given}"

    # Bodies

    def body(self, union: Record, kind: str, name: str, start: date, end: date,
             members: Sequence[tuple[Record, str]], *, department: str | None = None,
             decision: Record | None = None) -> None:
        self.bodies.setdefault(union["code"], []).append({
            "union_code": union["code"], "kind": kind, "name": _nfc(name),
            "term_start": start.isoformat(), "term_end": end.isoformat(),
            "department": department, "decision": decision,
            "members": [{"person_code": person["code"], "position": position}
                        for person, position in members],
        })

    def grassroots_bodies(self, node: _Grassroots) -> None:
        rng, union = self.rng, node.union
        if not node.people:
            return
        start = date(2022, 3, 1) + timedelta(days=rng.randint(0, 240))
        end = _term_end(start)
        starts = start.isoformat()
        eligible = [person for person in node.people if person["joined_on"] <= starts]
        chair_at = {"federation_office": 3, "district_office": 1,
                    "sector_home": node.full_time}.get(node.role, 0)
        chair = node.people[chair_at] if chair_at < len(node.people) else eligible[0]
        if chair["joined_on"] > starts:
            chair = eligible[0]
        count = len(eligible)
        size = count if count <= 5 else rng.randint(5, min(15, max(5, count * 2 // 3)))
        others = rng.sample([person for person in eligible if person is not chair], size - 1)
        vices = others[:0 if size < 4 else rng.choice((1, 1, 2))]
        node.chair, node.vices, node.executive, node.term_end = chair, vices, [chair, *others], end
        founded = date.fromisoformat(union["founded_on"])
        self.body(union, "executive_committee", _executive_name(union["name"], founded, start),
                  start, end, _positions(chair, vices, others[len(vices):]))
        if rng.random() < 1 / 3:
            kinds = rng.choice((("idea_incubation_team",), ("initiative_support_team",),
                                ("idea_incubation_team", "initiative_support_team")))
            for kind in kinds:
                self.team(node, kind, end)

    def team(self, node: _Grassroots, kind: str, union_term_end: date) -> None:
        rng = self.rng
        signed = date(2024, 1, 8) + timedelta(days=rng.randint(0, 100))
        chosen = rng.sample(node.people, min(len(node.people), rng.randint(3, 5)))
        title = "Tổ ươm tạo ý tưởng" if kind == "idea_incubation_team" else "Tổ hỗ trợ sáng kiến"
        self.body(node.union, kind, f"{title} {node.union['name']}", signed, union_term_end,
                  [(chosen[0], "leader"), *((person, "member") for person in chosen[1:])],
                  decision={"number": f"{rng.randint(3, 48)}/QĐ-CĐCS",
                            "signed_on": signed.isoformat()})

    def superior_bodies(self, upper: _Upper) -> None:
        rng, union = self.rng, upper.union
        start = date(2023, 3, 1) + timedelta(days=rng.randint(0, 100))
        end = _term_end(start)
        starts = start.isoformat()
        home = upper.home
        full_time = [p for p in (home.people[:home.full_time] if home else [])
                     if p["joined_on"] <= starts]
        ordinary = [node for node in upper.grassroots if node is not home]
        candidates = _distinct(
            full_time,
            (node.chair for node in ordinary if node.chair),
            (vice for node in ordinary for vice in node.vices),
            (person for node in ordinary for person in node.executive),
            home.executive if home else ())
        executive = candidates[:rng.randint(15, 21)]
        if not executive:
            return
        chair = executive[0]
        vices = [p for p in executive[1:3] if any(p is q for q in full_time)]
        rest = executive[1 + len(vices):]
        upper.chair = chair
        founded = date.fromisoformat(union["founded_on"])
        self.body(union, "executive_committee", _executive_name(union["name"], founded, start),
                  start, end, _positions(chair, vices, rest))
        standing_size = min(len(executive), max(3, 1 + len(vices) + rng.randint(1, 3)))
        if standing_size >= 3:
            self.body(union, "standing_committee", _standing_name(union["name"], founded, start),
                      start, end, _positions(chair, vices, rest[:standing_size - 1 - len(vices)]))

    def province_bodies(self, upper: _Upper, start: date) -> None:
        rng, union = self.rng, upper.union
        end = _term_end(start)
        starts = start.isoformat()
        office = upper.home
        office_people = [p for p in (office.people if office else []) if p["joined_on"] <= starts]
        full_time = [p for p in office_people if p["is_full_time"]]
        leaders, staff = full_time[:6], full_time[6:]
        direct = [node for node in upper.grassroots if node is not office]
        below = [node for superior in upper.superiors for node in superior.grassroots
                 if node.role == "ordinary"]
        candidates = _distinct(
            leaders,
            (superior.chair for superior in upper.superiors if superior.chair),
            (node.chair for node in direct if node.chair),
            (node.chair for node in rng.sample(below, min(len(below), 12)) if node.chair),
            staff)
        executive = [p for p in candidates if p["joined_on"] <= starts][:rng.randint(17, 23)]
        if not executive:
            return
        chair = executive[0]
        vices = [p for p in executive[1:3] if any(p is q for q in full_time)]
        rest = executive[1 + len(vices):]
        upper.chair = chair
        name = union["name"]
        term = f"khóa {_roman(_PROVINCE_CONGRESS)}, nhiệm kỳ {start.year}–{start.year + 5}"
        self.body(union, "executive_committee", f"Ban Chấp hành {name} {term}", start, end,
                  _positions(chair, vices, rest))
        top = {chair["code"], *(p["code"] for p in vices)}
        heads = [p for p in _distinct(leaders, staff, office_people, rest)
                 if p["code"] not in top][:len(_DEPARTMENTS)]
        # The standing committee: chairman, vice chairmen, the department heads on the
        # executive committee and the chairman of the first direct-superior union.
        first_chairs = [s.chair for s in upper.superiors[:1] if s.chair]
        standing = [p for p in _distinct(heads, first_chairs) if any(p is q for q in rest)]
        standing += [p for p in rest if not any(p is q for q in standing)][:max(0, 2 - len(vices))]
        standing = standing[:8 - len(vices)]
        if 1 + len(vices) + len(standing) >= 3:
            self.body(union, "standing_committee", f"Ban Thường vụ {name} {term}", start, end,
                      _positions(chair, vices, standing))
        if not heads:
            return
        department_start = start + timedelta(days=rng.randint(10, 30))
        spare = [p for p in staff if not any(p is h for h in heads)]
        for index, (department, title) in enumerate(_DEPARTMENTS):
            head = heads[index % len(heads)]
            team = spare[index::len(_DEPARTMENTS)]
            members: list[tuple[Record, str]] = [(head, "head")]
            if team:
                members.append((team[0], "deputy_head" if rng.random() < 0.6 else "member"))
                members.extend((person, "member") for person in team[1:])
            elif vices and vices[index % len(vices)] is not head:
                members.append((vices[index % len(vices)], "member"))
            self.body(union, "department", title, department_start, end, members,
                      department=department)

    def bodies_of(self, province: _Upper, start: date) -> None:
        for superior in province.superiors:
            for node in superior.grassroots:
                self.grassroots_bodies(node)
            self.superior_bodies(superior)
        for node in province.grassroots:
            self.grassroots_bodies(node)
        self.province_bodies(province, start)

    def document(self) -> dict[str, Any]:
        bodies = [body for union in self.unions for body in self.bodies.get(union["code"], ())]
        return {"format": FORMAT, "unions": self.unions, "people": self.people, "bodies": bodies}


def _pick(words: Sequence[str], fraction: float) -> str:
    return words[int(fraction * len(words))]


def _distinct(*groups: Iterable[Record]) -> list[Record]:
    seen: set[str] = set()
    out: list[Record] = []
    for group in groups:
        for person in group:
            if person["code"] not in seen:
                seen.add(person["code"])
                out.append(person)
    return out


def _positions(chair: Record, vices: Sequence[Record],
               members: Sequence[Record]) -> list[tuple[Record, str]]:
    return [(chair, "chairman"), *((p, "vice_chairman") for p in vices),
            *((p, "member") for p in members)]


def _congress(founded: date, start: date) -> str:
    return f"khóa {_roman(max(1, (start.year - founded.year) // 5 + 1))}, " \
           f"nhiệm kỳ {start.year}–{start.year + 5}"


def _executive_name(union_name: str, founded: date, start: date) -> str:
    return f"Ban Chấp hành {union_name} {_congress(founded, start)}"


def _standing_name(union_name: str, founded: date, start: date) -> str:
    return f"Ban Thường vụ {union_name} {_congress(founded, start)}"


# --- Building a province -------------------------------------------------------------------------

@dataclass(frozen=True)
class _SuperiorPlan:
    kind: str                      # "district" or one of _SECTORS
    district: _District | None     # for a district federation
    name: str                      # for a sectoral union (may hold {p}/{pf})
    grassroots: int                # how many grassroots unions, its office/home union included


def _build_province(builder: _Builder, confederation: Record, code: str, name: str,
                    founded: date, districts: Sequence[_District], plans: Sequence[_SuperiorPlan],
                    direct: int, digits: int) -> tuple[_Upper, list[_Grassroots]]:
    """Founds a province with its direct-superior and grassroots unions, parent-first."""
    rng = builder.rng
    place, place_full = _place_of(name)
    namer = _Namer(rng, place, place_full)
    province = _Upper(builder.union(code, name, "provincial_federation", confederation, founded))
    grassroots: list[_Grassroots] = []
    made = 0

    def next_code() -> str:
        nonlocal made
        made += 1
        return f"{code}-CS-{made:0{digits}d}"

    for index in range(direct):
        if index == 0:
            node = builder.grassroots(province, next_code(), f"{_OFFICE} {name}", "federation_office")
        else:
            unit = namer.first_free(_PROVINCE_DIRECT[index - 1:], namer.company)
            node = builder.grassroots(province, next_code(), f"{_GRASSROOTS} {unit}", "ordinary")
        grassroots.append(node)
    for number, plan in enumerate(plans, start=1):
        if plan.district is not None:
            superior_name = _federation_of(plan.district)
            year = plan.district.founded
        else:
            superior_name = namer.fill(plan.name)
            year = _SECTOR_FOUNDED.get(plan.kind, 1992)
        province_founded = date.fromisoformat(province.union["founded_on"])
        superior_founded = _day_between(
            rng, max(date(year, 1, 1), province_founded + timedelta(days=30)),
            max(date(year, 12, 31), province_founded + timedelta(days=180)))
        superior = _Upper(builder.union(f"{code}-CT-{number:02d}", superior_name, "direct_superior",
                                        province.union, superior_founded))
        province.superiors.append(superior)
        for turn in range(plan.grassroots):
            if turn == 0 and plan.district is not None:
                node = builder.grassroots(superior, next_code(), f"{_OFFICE} {superior_name}",
                                          "district_office")
            elif turn == 0:
                home = namer.take(namer.fill(_SECTOR_HOMES[plan.kind])) or namer.company()
                node = builder.grassroots(superior, next_code(), f"{_GRASSROOTS} {home}",
                                          "sector_home")
            else:
                unit_name = namer.grassroots(plan.kind, plan.district, districts, turn - 1)
                node = builder.grassroots(superior, next_code(), unit_name, "ordinary")
            grassroots.append(node)
    return province, grassroots


def _confederation(builder: _Builder) -> Record:
    return builder.union("VN", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None,
                         _CONFEDERATION_FOUNDED)


def province(*, seed: int = 2024, code: str = "TV", name: str = "Liên đoàn Lao động tỉnh Trà Vinh",
             direct_superiors: int = 9, grassroots_per_direct_superior: int = 6,
             grassroots_under_province: int = 4, members_per_grassroots: tuple[int, int] = (5, 12),
             bodies: bool = True, neighbour: bool = True) -> dict[str, Any]:
    """The demo province: Trà Vinh's district federations and sectoral unions, their
    grassroots unions, a few hundred people and (unless ``bodies`` is false) their bodies;
    and (unless ``neighbour`` is false) the small neighbouring province of Vĩnh Long, which
    the demo's reorganisation of 01/07/2026 merges with it (R1.5)."""
    low, high = members_per_grassroots
    if not 1 <= low <= high:
        raise ValueError("members_per_grassroots must be (low, high) with 1 <= low <= high")
    if not 0 <= direct_superiors <= len(_TRA_VINH_SUPERIORS):
        raise ValueError(f"direct_superiors must be between 0 and {len(_TRA_VINH_SUPERIORS)}")
    if grassroots_per_direct_superior < 1 or grassroots_under_province < 1:
        raise ValueError("every federation needs at least its office union")
    rng = Random(seed)
    builder = _Builder(rng, person_digits=6)
    confederation = _confederation(builder)
    plans = [_SuperiorPlan(kind, _TRA_VINH_DISTRICTS.get(what) if kind == "district" else None,
                           what, grassroots_per_direct_superior)
             for kind, what in _TRA_VINH_SUPERIORS[:direct_superiors]]
    upper, grassroots = _build_province(
        builder, confederation, code, name, date(1992, 5, 1), tuple(_TRA_VINH_DISTRICTS.values()),
        plans, grassroots_under_province, digits=4)
    for node in grassroots:
        drawn = round(rng.triangular(low, high, low))
        if node.role == "federation_office":
            node.size = rng.randint(max(low, 12), max(high, 16))
        elif node.role != "ordinary":
            node.size = max(drawn, 6)
        else:
            node.size = drawn
        builder.staff(node)
        builder.populate(node, code, keep=bodies)
    if bodies:
        builder.bodies_of(upper, date(2023, 7, 20))
    document = builder.document()
    if neighbour:
        document = _with_neighbour(document, seed, confederation, low, high, bodies)
    return document


# The neighbouring province the demo's reorganisation merges with the demo province (R1.5):
# one city federation and a few grassroots unions, made apart (its own random stream) so that
# the demo province's own data does not change with it.
_VINH_LONG_CITY = _district("thành phố Vĩnh Long", 1992,
                            "Phường 1, Phường 2, Phường 3, Phường 4, Phường 5, Phường 8, "
                            "Phường 9, Phường Tân Ngãi, Phường Tân Hòa, Phường Tân Hội, "
                            "Phường Trường An")


def _with_neighbour(document: dict[str, Any], seed: int, confederation: Record, low: int,
                    high: int, bodies: bool) -> dict[str, Any]:
    rng = Random(seed + 1)
    builder = _Builder(rng, person_digits=6)
    plans = [_SuperiorPlan("district", _VINH_LONG_CITY, "", 3)]
    upper, grassroots = _build_province(
        builder, confederation, "VL", "Liên đoàn Lao động tỉnh Vĩnh Long", date(1992, 5, 1),
        (_VINH_LONG_CITY,), plans, 2, digits=4)
    for node in grassroots:
        node.size = rng.randint(max(low, 12), max(high, 16)) \
            if node.role == "federation_office" else max(round(rng.triangular(low, high, low)), 6)
        builder.staff(node)
        builder.populate(node, "VL", keep=bodies)
    if bodies:
        builder.bodies_of(upper, date(2023, 7, 25))
    extra = builder.document()
    return {"format": document["format"], "unions": document["unions"] + extra["unions"],
            "people": document["people"] + extra["people"],
            "bodies": document["bodies"] + extra["bodies"]}


# --- The scaled tree for the benchmark -----------------------------------------------------------

def scaled(unions: int, members: int, seed: int = 7, bodies: bool = False,
           provinces: int | None = None) -> dict[str, Any]:
    """Exactly ``unions`` unions (one confederation, a few provinces, their direct-superior
    unions, the rest grassroots, some directly under a province) and exactly ``members``
    people spread unevenly over the grassroots unions. ``provinces``: how many, at most (one
    per 2,500 unions by default; 34 is the country since the 2025 merger)."""
    if unions < 4:
        raise ValueError("a tree needs at least 4 unions: confederation, province, "
                         "direct superior, grassroots")
    if members < 0:
        raise ValueError("members must not be negative")
    rng = Random(seed)
    provinces = max(1, min(len(_PROVINCES) + len(_CITIES), unions // 2500, (unions - 1) // 4,
                           provinces or unions))
    rest = unions - 1 - provinces
    superiors = max(provinces, rest // 20)
    grassroots = rest - superiors
    # Every province has its office union, every direct-superior union its home union (while
    # there are grassroots unions to go round); of the rest one in twenty sits under a province.
    superiors_of = [superiors // provinces + (index < superiors % provinces)
                    for index in range(provinces)]
    direct_of = [0] * provinces
    below_of = [[0] * count for count in superiors_of]
    left = grassroots
    for index in range(provinces):
        if left:
            direct_of[index] += 1
            left -= 1
    for counts in below_of:
        for position in range(len(counts)):
            if left:
                counts[position] += 1
                left -= 1
    for _ in range(left):
        index = rng.randrange(provinces)
        if rng.random() < 0.05 or not below_of[index]:
            direct_of[index] += 1
        else:
            below_of[index][rng.randrange(len(below_of[index]))] += 1

    builder = _Builder(rng, person_digits=7)
    confederation = _confederation(builder)
    names = [f"Liên đoàn Lao động thành phố {city}" for city in _CITIES]
    names += [f"Liên đoàn Lao động tỉnh {name}" for name in _PROVINCES]
    names = rng.sample(names, provinces)
    uppers: list[_Upper] = []
    nodes: list[_Grassroots] = []
    for index in range(provinces):
        code = f"P{index + 1:02d}"
        counts = below_of[index]
        sectors: tuple[str, ...] = _SECTORS if len(counts) >= 8 else ()
        districts = _made_up_districts(rng, len(counts) - len(sectors))
        plans = [_SuperiorPlan(sector, None, _SECTOR_NAMES[sector], counts[number])
                 for number, sector in enumerate(sectors)]
        plans += [_SuperiorPlan("district", district, "", counts[len(sectors) + number])
                  for number, district in enumerate(districts)]
        founded = _day_between(rng, date(1976, 1, 1), date(1997, 12, 31))
        upper, made = _build_province(builder, confederation, code, _nfc(names[index]), founded,
                                      districts, plans, direct_of[index], digits=5)
        uppers.append(upper)
        nodes.extend(made)

    # Uneven sizes adding up to exactly `members`; no union is left empty while there are
    # people enough (up to three each), so that every union can have its bodies.
    floor = min(3, members // len(nodes)) if nodes else 0
    spread = members - floor * len(nodes)
    weights = [rng.lognormvariate(0, 0.75) for _ in nodes]
    total = sum(weights) or 1.0
    sizes = [floor + int(spread * weight / total) for weight in weights]
    for index in rng.sample(range(len(nodes)), members - sum(sizes)) if nodes else ():
        sizes[index] += 1
    for node, size in zip(nodes, sizes, strict=True):
        node.size = size
        builder.staff(node)
        builder.populate(node, node.union["code"].split("-", 1)[0], keep=bodies)
    if bodies:
        for upper in uppers:
            builder.bodies_of(upper, date(2023, 6, 15) + timedelta(days=rng.randint(0, 75)))
    return builder.document()


def _made_up_districts(rng: Random, count: int) -> list[_District]:
    used: set[str] = set()
    districts: list[_District] = []
    while len(districts) < count:
        first, second = rng.sample(_SYLLABLES, 2)
        bare = f"{first} {second}"
        if bare in used and len(used) < len(_SYLLABLES) ** 2 // 2:
            continue
        used.add(bare)
        unit = ("thành phố " if not districts else "thị xã " if len(districts) == 1 else "huyện ") + bare
        communes = tuple(f"xã {a} {b}" for a, b in (rng.sample(_SYLLABLES, 2) for _ in range(12)))
        districts.append(_District(_nfc(unit), rng.randint(1992, 2005), communes))
    return districts


# --- Command line --------------------------------------------------------------------------------

def write(data: dict[str, Any], path: Path) -> None:
    """Pretty-printed UTF-8 JSON, Vietnamese left readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
        out.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.province",
                                     description="Write registry import data.")
    parser.add_argument("out", type=Path, help="the JSON file to write")
    parser.add_argument("--unions", type=int, help="a scaled tree of about this many unions")
    parser.add_argument("--members", type=int, help="and exactly this many people")
    parser.add_argument("--seed", type=int, help="the random seed")
    parser.add_argument("--bodies", action="store_true", help="bodies in the scaled tree too")
    args = parser.parse_args(argv)
    if (args.unions is None) != (args.members is None):
        parser.error("--unions and --members go together")
    if args.unions is not None:
        data = scaled(args.unions, args.members, seed=7 if args.seed is None else args.seed,
                      bodies=args.bodies)
    else:
        data = province(seed=2024 if args.seed is None else args.seed)
    write(data, args.out)
    print(f"{args.out}: {len(data['unions'])} unions, {len(data['people'])} people, "
          f"{len(data['bodies'])} bodies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
