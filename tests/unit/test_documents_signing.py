"""Signed decisions (R4.5, R5.1): every decision PDF is signed (PAdES) with the deciding
union's key and carries a verification code naming its record and its position in the store's
hash chain; anyone checks the signature offline against the trust root, an auditor also checks
the position against a chain proof and a checkpoint kept outside (``runtime.documents.verify``).

Valid as issued; one changed byte anywhere fails; another key fails, whether from another
authority or another union of the same one; the code is the decision's place in the chain."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from runtime import audit
from runtime.config import Settings
from runtime.documents import signing
from runtime.documents import verify as verifier
from runtime.documents.signing import Keys, VerificationCode
from tests.support.awards_world import World
from tests.support.documents import awards_world, rendered

# The documents of a decision: signed. The submission letter and the minutes extract are no
# decision (the proposing union signs them by hand): unsigned.
SIGNED = ("quyet-dinh-tinh", "danh-sach-tinh", "quyet-dinh-cdcs", "bang-khen-tinh",
          "giay-khen-cdcs", "cong-nhan-sang-kien-cdcs", "cong-nhan-sang-kien-tinh",
          "chung-nhan-sang-kien-cdcs")
UNSIGNED = ("to-trinh", "trich-bien-ban")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, dict[str, bytes], Path]:
    directory = tmp_path_factory.mktemp("signing")
    w = awards_world(directory)
    files = {name: base64.b64decode(f["content_base64"]) for name, f in rendered(w).items()}
    return w, files, directory


@pytest.fixture
def world(made: tuple[World, dict[str, bytes], Path]) -> World:
    return made[0]


@pytest.fixture
def pdfs(made: tuple[World, dict[str, bytes], Path]) -> dict[str, bytes]:
    return made[1]


@pytest.fixture
def trust(world: World) -> bytes:
    return world.awards.signing_keys.trust_path.read_bytes()


NAMES = {"TV": "Liên đoàn Lao động tỉnh Trà Vinh", "TV-CL": "Liên đoàn Lao động huyện Càng Long"}


def union_named(world: World, code: str) -> dict[str, Any]:
    return {"id": world.m.province.unions[code], "name": NAMES[code]}


def proof_of(world: World, code: VerificationCode) -> dict[str, Any]:
    app = world.awards if code.service == "awards" else world.initiatives
    return app.chain_proof(code.position)


def checkpoints(world: World) -> dict[str, Any]:
    return {"awards": world.awards.chain_checkpoint(),
            "initiatives": world.initiatives.chain_checkpoint()}


def changed(pdf: bytes, at: int) -> bytes:
    out = bytearray(pdf)
    out[at] ^= 0x01
    return bytes(out)


def test_r4_5_every_decision_is_signed_by_the_union_that_decided_and_verifies_as_issued(
        world: World, pdfs: dict[str, bytes], trust: bytes) -> None:
    province = union_named(world, "TV")
    for name in SIGNED:
        report = verifier.verify(pdfs[name], trust, proof_of(world, _code(pdfs[name])),
                                 checkpoints(world))
        assert report.ok, (name, report.text())
        assert "KẾT LUẬN: văn bản xác thực." in report.text()
    report = verifier.verify(pdfs["quyet-dinh-tinh"], trust)
    assert report.signer_union == province["id"]
    assert f"Người ký: {province['name']}" in report.text()
    for name in UNSIGNED:
        report = verifier.verify(pdfs[name], trust)
        assert not report.ok and "Văn bản không có chữ ký số." in report.text(), name


def test_r4_5_one_changed_byte_anywhere_fails_verification(
        pdfs: dict[str, bytes], trust: bytes) -> None:
    pdf = pdfs["quyet-dinh-tinh"]
    start, end = _signature_span(pdf)
    der_end = start + 1 + 2 * _der_length(pdf, start, end)
    # the typeset document, the signature dictionary (its code), the signature container (its
    # certificate, its value), the zeros padding it, the last byte: none may change
    spots = [0, 100, len(pdf) // 3, pdf.index(b"/Reason") + 20, start - 40, start + 1,
             start + 400, der_end - 3, der_end + 10, end - 2, len(pdf) - 1]
    spots += list(range(0, len(pdf), len(pdf) // 40))
    # and throughout the container, where CMS leaves bytes unsigned (the digest algorithms it
    # lists, the signer's issuer and serial number, versions)
    spots += list(range(start + 1, der_end, 7))
    for at in spots:
        report = verifier.verify(changed(pdf, at), trust)
        assert not report.ok, (at, report.text())
    assert "KẾT LUẬN: KHÔNG xác thực được văn bản." in verifier.verify(changed(pdf, 100), trust).text()


def test_r4_5_a_decision_signed_with_another_authority_s_key_is_refused(
        world: World, pdfs: dict[str, bytes], trust: bytes, tmp_path: Path) -> None:
    """A key from an authority the verifier does not trust, even one whose certificate copies
    the union's name and id, is refused; so is the real PDF checked against that authority."""
    province = union_named(world, "TV")
    foreign = Keys(Settings({"EMU_DATA_DIR": str(tmp_path)}))
    unsigned = _unsigned(pdfs["quyet-dinh-tinh"])
    forged = signing.sign(unsigned, foreign, UUID(province["id"]), province["name"],
                          _code(pdfs["quyet-dinh-tinh"]))

    report = verifier.verify(forged, trust)
    assert not report.ok
    assert "không do cơ quan chứng thực tin cậy cấp" in report.text()
    assert verifier.verify(forged, foreign.trust_path.read_bytes()).ok  # its own root: valid
    assert not verifier.verify(pdfs["quyet-dinh-tinh"], foreign.trust_path.read_bytes()).ok


def test_r4_5_a_decision_signed_by_another_union_is_refused_against_its_chain(
        world: World, pdfs: dict[str, bytes], trust: bytes) -> None:
    """Signed by a union of the same authority, but not the one that decided: the signature
    holds, the chain's decision record names another union."""
    other = union_named(world, "TV-CL")
    original = pdfs["quyet-dinh-tinh"]
    code = _code(original)
    resigned = signing.sign(_unsigned(original), world.awards.signing_keys, UUID(other["id"]),
                            other["name"], code)

    report = verifier.verify(resigned, trust, proof_of(world, code), checkpoints(world))
    assert not report.ok
    assert "Đơn vị ký không phải đơn vị đã ra quyết định" in report.text()


def test_r5_1_the_verification_code_is_the_decision_s_position_in_its_store_s_chain(
        world: World, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    award = next(a for a in world.awards.awards(None) if a["number"].startswith("99/"))
    code = _code(pdfs["quyet-dinh-tinh"])
    at = world.awards.chain_position(UUID(award["award_id"]), 1)  # the Decided event
    assert (code.service, str(code.record_id), code.position) == \
        ("awards", award["award_id"], at["position"])
    assert at["link"].startswith(code.link) and len(code.link) == 16
    path = tmp_path / "decision.pdf"
    path.write_bytes(pdfs["quyet-dinh-tinh"])
    printed = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(path), "-"], check=True,
                                                 capture_output=True, text=True).stdout)
    assert f"Mã xác thực: {code}" in printed  # the code the signature carries is printed
    recognised = _code(pdfs["cong-nhan-sang-kien-tinh"])
    assert recognised.service == "initiatives" and recognised.position > \
        _code(pdfs["cong-nhan-sang-kien-cdcs"]).position  # the province recognised it later


def test_r5_1_a_proof_or_checkpoint_that_does_not_hold_fails(
        world: World, pdfs: dict[str, bytes], trust: bytes) -> None:
    pdf = pdfs["quyet-dinh-tinh"]
    code = _code(pdf)
    proof = proof_of(world, code)
    kept = checkpoints(world)

    altered = json.loads(json.dumps(proof))
    state = altered["events"][0]["state"]
    altered["events"][0]["state"] = state[:-2] + ("00" if state[-2:] != "00" else "01")
    assert "gãy ở vị trí" in verifier.verify(pdf, trust, altered, kept).text()
    wrong = dict(kept, awards={"position": kept["awards"]["position"], "link": "0" * 64})
    assert "không khớp điểm kiểm soát" in verifier.verify(pdf, trust, proof, wrong).text()
    later = world.awards.chain_proof(code.position + 1)
    assert not verifier.verify(pdf, trust, later, kept).ok
    other = _code(pdfs["quyet-dinh-cdcs"])
    assert not verifier.verify(pdf, trust, proof_of(world, other), kept).ok


def test_r4_5_a_union_without_a_key_where_none_may_be_issued_is_refused(tmp_path: Path) -> None:
    keys = Keys(Settings({"EMU_SIGNING_DIR": str(tmp_path / "keys"),
                          "EMU_SIGNING_TRUST": str(tmp_path / "ca.crt")}))
    with pytest.raises(signing.SigningKeyMissing) as refused:
        keys.union(UUID(int=1), "Công đoàn cơ sở xã Tân An")
    assert refused.value.code == "SIGNING_KEY_MISSING"


def test_r4_5_the_development_authority_and_a_union_s_key_are_made_once(tmp_path: Path) -> None:
    """``make run`` makes the authority (the first signing would too); another process finds
    it made, and a union's key, issued at its first decision, is kept and reused."""
    settings = Settings({"EMU_DATA_DIR": str(tmp_path)})
    first, second = Keys(settings), Keys(settings)
    assert first.ensure_development_authority() and not second.ensure_development_authority()
    assert first.trust_path == tmp_path / ".secrets" / "signing" / "ca.crt"
    assert oct(first.trust_path.stat().st_mode & 0o777) == "0o600"
    union = UUID(int=7)
    _, cert = first.union(union, "Công đoàn cơ sở xã Tân An")
    _, again = second.union(union, "Công đoàn cơ sở xã Tân An")
    assert cert == again and cert.issuer == first.trust_root().subject
    assert [a.value for a in cert.subject] == ["Công đoàn cơ sở xã Tân An", str(union)]
    configured = Keys(Settings({"EMU_DATA_DIR": str(tmp_path / "other"),
                                "EMU_SIGNING_DIR": str(tmp_path / "office")}))
    assert not configured.ensure_development_authority()  # production keys: never made here
    assert not (tmp_path / "office" / "ca.pem").exists()


def test_r5_1_the_command_line_checks_a_decision_offline(
        world: World, made: tuple[World, dict[str, bytes], Path], pdfs: dict[str, bytes],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    store = made[2] / "store.sqlite"
    monkeypatch.setenv("AWARDS_DATABASE_URL", f"sqlite:///{store}")
    monkeypatch.setenv("EMU_DATA_DIR", str(made[2] / "data"))
    code = _code(pdfs["quyet-dinh-tinh"])
    files = {"pdf": pdfs["quyet-dinh-tinh"], "bad": changed(pdfs["quyet-dinh-tinh"], 500)}
    for name, content in files.items():
        (tmp_path / f"{name}.pdf").write_bytes(content)
    assert audit.main(["proof", "awards", str(code.position)]) == 0
    (tmp_path / "proof.json").write_text(capsys.readouterr().out)
    assert audit.main(["checkpoint", "awards"]) == 0
    (tmp_path / "checkpoints.json").write_text(capsys.readouterr().out)

    chained = ["--proof", str(tmp_path / "proof.json"),
               "--checkpoints", str(tmp_path / "checkpoints.json")]
    assert verifier.main([str(tmp_path / "pdf.pdf"), *chained]) == 0
    said = capsys.readouterr().out
    assert "Chuỗi băm dẫn tới điểm kiểm soát" in said and "văn bản xác thực" in said
    assert verifier.main([str(tmp_path / "bad.pdf"), *chained]) == 1
    assert "KHÔNG xác thực" in capsys.readouterr().out


def _code(pdf: bytes) -> VerificationCode:
    """The code the signature carries (its reason, signed with it)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reason = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].sig_object["/Reason"]
    found = VerificationCode.parse(str(reason))
    assert found is not None
    return found


def _signature_span(pdf: bytes) -> tuple[int, int]:
    ranges = re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", pdf)
    assert ranges is not None
    return int(ranges[2]), int(ranges[3])


def _der_length(pdf: bytes, start: int, end: int) -> int:
    from asn1crypto import cms

    return len(cms.ContentInfo.load(bytes.fromhex(pdf[start + 1:end - 1].decode())).dump())


def _unsigned(pdf: bytes) -> bytes:
    """The document as typeset, before its signature was appended."""
    return pdf[:pdf.index(b"%%EOF") + len(b"%%EOF")] + b"\n"


def test_r5_1_what_happened_to_the_record_after_its_decision_is_said(
        world: World, pdfs: dict[str, bytes], trust: bytes) -> None:
    """A revoked award's decision is still the decision that was signed (it verifies), and the
    proof shows the revocation that followed it."""
    pdf = pdfs["quyet-dinh-cdcs"]
    code = _code(pdf)
    before = verifier.verify(pdf, trust, proof_of(world, code), checkpoints(world))
    assert before.ok and not before.notes
    world.call("awards", "revoke_award", "A", str(code.record_id), "2026-05-01",
               "false_declaration", "Kê khai không trung thực",
               {"certificate": True, "money_vnd": 500_000})

    after = verifier.verify(pdf, trust, proof_of(world, code), checkpoints(world))
    assert after.ok
    assert any(n.startswith("Sau quyết định, hồ sơ có thêm sự kiện Revoked") for n in after.notes)
