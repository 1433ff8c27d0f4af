"""The award documents rendered from the unit tier's province (a SQLite store in a temporary
directory), for the tests and for ``make documents``, which draws each page as PNG under
``docs/documents/`` (pdftoppm -r 60) so a reader sees them without running anything.

``rendered()`` gives every document as {file name: the render query's answer}."""

from __future__ import annotations

import base64
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from runtime.config import Settings
from tests.support.awards_world import World, to_the_province, world


def awards_world(directory: Path) -> World:
    url = f"sqlite:///{directory / 'store.sqlite'}"
    env = {"EMU_DATA_DIR": str(directory / "data")}
    for service in ("registry", "initiatives", "reviews", "awards", "tally"):
        env[f"{service.upper()}_DATABASE_URL"] = url
    return world(Settings(env))


def rendered(w: World, fmt: str = "pdf") -> dict[str, dict[str, Any]]:
    """The province's decision (its list and certificates) and the letter that proposed it,
    the grassroots union's own decision, and (as PDF) the recognition decisions of an initiative
    and its authors' certificates, as the offices download them."""
    ids = to_the_province(w.call, w.m)
    province, grassroots = ids["award"], ids["grassroots_award"]
    out = {
        "to-trinh": w.call("awards", "render_submission_letter", "G", ids["submissions"][1],
                           w.m.province.people["G"], fmt),
        "quyet-dinh-tinh": w.call("awards", "render_decision", "H", province, fmt),
        "danh-sach-tinh": w.call("awards", "render_award_list", "H", province, fmt),
        "quyet-dinh-cdcs": w.call("awards", "render_decision", "A", grassroots, fmt)}
    if fmt == "pdf":
        meeting = w.call("awards", "proceedings", "A", ids["nominations"][1])["meetings"][0]
        out["trich-bien-ban"] = w.call("awards", "render_minutes_extract", "A", meeting)
        out["bang-khen-tinh"] = w.call("awards", "render_certificates", "H", province)
        out["giay-khen-cdcs"] = w.call("awards", "render_certificates", "A", grassroots)
        sk01 = w.m.initiatives["SK-01"]  # recognised by CS-1, then by Càng Long and the province
        out["cong-nhan-sang-kien-cdcs"] = w.call("initiatives", "render_recognition", "A", sk01)
        out["cong-nhan-sang-kien-tinh"] = w.call("initiatives", "render_recognition", "H", sk01,
                                                 "province")
        out["chung-nhan-sang-kien-cdcs"] = w.call(
            "initiatives", "render_recognition_certificates", "A", sk01)
    return out


def main(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        files = rendered(awards_world(Path(scratch)))
        for stem, file in files.items():
            pdf = Path(scratch) / f"{stem}.pdf"
            pdf.write_bytes(base64.b64decode(file["content_base64"]))
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(target / stem)],
                           check=True)
    print("\n".join(sorted(p.name for p in target.glob("*.png"))))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/documents"))
