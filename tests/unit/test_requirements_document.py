"""The project stands alone: the requirements it implements are inside it (docs/), nothing a
reader follows points outside the repository, and every R-number a test names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
R_NUMBER = re.compile(r"\bR(\d)\.(\d+)\b")


def test_nothing_points_outside_the_repository() -> None:
    readers = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("deploy/**/*.md")]
    outside = [f"{path.relative_to(ROOT)}:{number}" for path in readers
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if "../shared" in line or "MISSION.md" in line]
    assert outside == []


def test_every_requirement_a_test_names_is_in_the_requirements_in_both_languages() -> None:
    english = set(R_NUMBER.findall((ROOT / "docs" / "requirements.md").read_text(encoding="utf-8")))
    vietnamese = set(R_NUMBER.findall((ROOT / "docs" / "requirements.vi.md").read_text(encoding="utf-8")))
    assert len(english) >= 25 and vietnamese == english
    named = {(major, minor) for path in ROOT.glob("tests/**/test_*.py")
             for major, minor in re.findall(r"def test_r(\d)_(\d+)_", path.read_text(encoding="utf-8"))}
    assert named - english == set()
