"""Checks a signed decision offline (R4.5, R5.1): anyone with the PDF and the trust root (the
certificate of the authority that issues the unions' keys) checks its signature; an auditor
with a chain proof and a checkpoint kept outside the system also checks that the decision
is in its store's hash chain at the position its verification code names.

    python -m runtime.documents.verify quyet-dinh.pdf [--trust ca.crt]
        [--proof proof.json [--checkpoints checkpoints.json]]

- the signature: one PAdES signature over the whole file, intact (not one byte changed),
  by a certificate the trust root issued; its subject names the signing union;
- the verification code (service/record/position/link), carried in the signature;
- with ``--proof`` (``python -m runtime.audit proof <service> <position>``): the event at
  that position is the record's, its link is the one the code names, the proof's links
  follow from each other, and the decision it records was taken by the union that signed;
- with ``--checkpoints`` (``python -m runtime.audit checkpoint``, kept by the auditor): the
  proof's chain leads to the checkpoint of that store, so the decision is still in the log.

Prints each check in Vietnamese and exits 0 when all pass, 1 otherwise. Reads only files.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.chain import link
from runtime.documents.signing import VerificationCode, union_of

HEX_CONTENTS = re.compile(rb"<([0-9A-F]*)>")  # as pyHanko writes it: upper case only


@dataclass
class Report:
    lines: list[tuple[bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signer_union: str | None = None
    code: VerificationCode | None = None

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(passed for passed, _ in self.lines)

    def check(self, passed: bool, text: str) -> bool:
        self.lines.append((passed, text))
        return passed

    def text(self) -> str:
        out = [f"{'✔' if passed else '✘'} {line}" for passed, line in self.lines]
        out += [f"• {note}" for note in self.notes]
        out.append("KẾT LUẬN: văn bản xác thực." if self.ok else
                   "KẾT LUẬN: KHÔNG xác thực được văn bản.")
        return "\n".join(out)


def verify(pdf: bytes, trust_root: bytes, proof: Mapping[str, Any] | None = None,
           checkpoints: Mapping[str, Any] | None = None) -> Report:
    """Every check on one PDF; ``trust_root`` is a PEM (or DER) certificate."""
    report = Report()
    if _signature(pdf, trust_root, report) and report.code is not None and proof is not None:
        _chain(report.code, report.signer_union, proof, checkpoints, report)
    elif report.ok:
        report.notes.append("Chưa đối chiếu chuỗi băm: cần tệp chứng cứ chuỗi (--proof), lấy "
                            "bằng `python -m runtime.audit proof <kho> <vị trí>`.")
    return report


def _signature(pdf: bytes, trust_root: bytes, report: Report) -> bool:
    from asn1crypto import cms
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if asn1_pem.detect(trust_root):
        _, _, trust_root = asn1_pem.unarmor(trust_root)
    root = asn1_x509.Certificate.load(trust_root)
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as error:  # any unreadable file is a failed check
        return report.check(False, f"Không đọc được tệp PDF ({type(error).__name__}).")
    if len(signatures) != 1:
        return report.check(False, "Văn bản không có chữ ký số." if not signatures else
                            f"Văn bản có {len(signatures)} chữ ký số, không phải một.")
    signature = signatures[0]
    try:
        start, end = signature.byte_range[1], signature.byte_range[2]
        contents = HEX_CONTENTS.fullmatch(pdf[start:end])
        raw = bytes.fromhex(contents[1].decode("ascii")) if contents else b""
        expected = _as_signed(cms.ContentInfo.load(raw))
        if not contents or raw[:len(expected)] != expected or raw[len(expected):].strip(b"\0"):
            return report.check(False, "Vùng chữ ký số đã bị sửa.")
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    except Exception as error:  # a damaged signature is a failed check
        return report.check(False, f"Chữ ký số bị hỏng, không kiểm tra được ({type(error).__name__}).")
    name, union_id = union_of(signature.signer_cert)
    report.signer_union = union_id
    checks = [
        (status.intact, "Nội dung văn bản còn nguyên như khi ký (không một byte nào bị đổi).",
         "Nội dung văn bản đã bị thay đổi sau khi ký."),
        (status.valid, "Chữ ký số hợp lệ với khóa công khai của người ký.",
         "Chữ ký số không khớp với khóa công khai của người ký."),
        (status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
         "Chữ ký phủ toàn bộ tệp.", "Có phần được thêm vào tệp sau khi ký."),
        (status.trusted, f"Người ký: {name} (mã đơn vị {union_id}), chứng thư do "
                         f"{root.subject.native.get('common_name', '')} cấp.",
         f"Chứng thư của người ký «{name}» không do cơ quan chứng thực tin cậy cấp "
         f"(ký bằng khóa khác)."),
    ]
    passed = all([report.check(ok, good if ok else bad) for ok, good, bad in checks])
    code = VerificationCode.parse(str(signature.sig_object.get("/Reason", "")))
    report.code = code
    if code is None:
        return report.check(False, "Chữ ký không mang mã xác thực.")
    report.check(True, f"Mã xác thực: {code} — hồ sơ {code.record_id}, vị trí {code.position} "
                       f"trong chuỗi băm của kho «{code.service}».")
    return passed


def _as_signed(container: Any) -> bytes:
    """The signature container as ``runtime.documents.signing`` writes it, rebuilt from its
    signed parts (the signer's certificate, the signed attributes, the signature): CMS leaves
    some bytes outside what is signed (the digest algorithms listed, the signer's issuer and
    serial number, versions), so a byte changed there, or in the zeros after the container,
    is caught by comparing with this, not by the signature."""
    from asn1crypto import algos, cms

    signed = container["content"]
    (signer,), (cert,) = list(signed["signer_infos"]), [c.chosen for c in signed["certificates"]]
    digest = algos.DigestAlgorithm({"algorithm": signer["digest_algorithm"]["algorithm"].native})
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData({
        "version": "v1", "digest_algorithms": [digest],
        "encap_content_info": {"content_type": "data"}, "certificates": [cert],
        "signer_infos": [cms.SignerInfo({
            "version": "v1", "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
                "issuer": cert.issuer, "serial_number": cert.serial_number}}),
            "digest_algorithm": digest, "signed_attrs": signer["signed_attrs"],
            "signature_algorithm": signer["signature_algorithm"],
            "signature": signer["signature"]})]})}).dump())


def _chain(code: VerificationCode, signer_union: str | None, proof: Mapping[str, Any],
           checkpoints: Mapping[str, Any] | None, report: Report) -> None:
    events: Sequence[Mapping[str, Any]] = proof.get("events") or []
    if proof.get("service") != code.service or not events or \
            int(events[0]["position"]) != code.position:
        report.check(False, f"Tệp chứng cứ chuỗi không bắt đầu ở vị trí {code.position} của kho "
                            f"«{code.service}».")
        return
    previous, links = str(proof.get("previous", "")), {}
    for event in events:
        previous = link(previous, int(event["position"]), event["originator_id"],
                        int(event["version"]), event["topic"], bytes.fromhex(event["state"]))
        if previous != event.get("link"):
            report.check(False, f"Chuỗi băm trong tệp chứng cứ gãy ở vị trí {event['position']}.")
            return
        links[int(event["position"])] = previous
    first = events[0]
    if str(first["originator_id"]) != str(code.record_id) or \
            not links[code.position].startswith(code.link):
        report.check(False, f"Sự kiện ở vị trí {code.position} không phải quyết định mà mã xác "
                            f"thực nêu.")
        return
    report.check(True, f"Sự kiện ở vị trí {code.position} là quyết định của hồ sơ "
                       f"{code.record_id} ({first['topic'].rpartition(':')[2]}), khớp mã xác thực.")
    for later in events[1:]:  # a revocation, say: the document stays authentic, and says so
        if str(later["originator_id"]) == str(code.record_id):
            report.notes.append(f"Sau quyết định, hồ sơ có thêm sự kiện "
                                f"{later['topic'].rpartition('.')[2]} ở vị trí {later['position']}.")
    deciding = _deciding_union(first["state"])
    if deciding is not None:
        report.check(deciding == signer_union,
                     "Đơn vị ký là đơn vị đã ra quyết định." if deciding == signer_union else
                     f"Đơn vị ký không phải đơn vị đã ra quyết định ({deciding}).")
    if checkpoints is None:
        report.notes.append("Chưa đối chiếu điểm kiểm soát (--checkpoints): chuỗi trong tệp chứng "
                            "cứ chỉ được kiểm tra tự thân.")
        return
    kept = checkpoints.get(code.service)
    if not isinstance(kept, Mapping) or "position" not in kept:
        report.check(False, f"Tệp điểm kiểm soát không có kho «{code.service}».")
        return
    position = int(kept["position"])
    if position not in links:
        report.check(False, f"Điểm kiểm soát ở vị trí {position} nằm ngoài tệp chứng cứ "
                            f"({code.position}–{max(links)}).")
        return
    report.check(links[position] == kept.get("link"),
                 f"Chuỗi băm dẫn tới điểm kiểm soát vị trí {position} của kiểm toán viên."
                 if links[position] == kept.get("link") else
                 f"Chuỗi băm không khớp điểm kiểm soát ở vị trí {position}.")


def _deciding_union(state_hex: str) -> str | None:
    """The union whose authority the decision names (its decision record), if readable."""
    try:
        state = json.loads(bytes.fromhex(state_hex))
        return str(state["decision"]["authority"]["union_id"])
    except (ValueError, KeyError, TypeError):
        return None


def main(argv: list[str] | None = None) -> int:
    from runtime.config import Settings
    from runtime.documents.signing import Keys

    parser = argparse.ArgumentParser(prog="python -m runtime.documents.verify",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, help="the signed decision")
    parser.add_argument("--trust", type=Path, default=None,
                        help="the trust root certificate (default: EMU_SIGNING_TRUST, or the "
                             "development authority's ca.crt)")
    parser.add_argument("--proof", type=Path, default=None,
                        help="the chain proof: python -m runtime.audit proof <service> <position>")
    parser.add_argument("--checkpoints", type=Path, default=None,
                        help="the checkpoints the auditor kept: python -m runtime.audit checkpoint")
    args = parser.parse_args(argv)
    trust = args.trust or Keys(Settings.from_env()).trust_path
    if not trust.exists():
        print(f"✘ Không có chứng thư gốc tin cậy: {trust} (--trust).")
        return 1
    proof = json.loads(args.proof.read_text("utf-8")) if args.proof else None
    checkpoints = json.loads(args.checkpoints.read_text("utf-8")) if args.checkpoints else None
    report = verify(args.pdf.read_bytes(), trust.read_bytes(), proof, checkpoints)
    print(f"Kiểm tra văn bản: {args.pdf}")
    print(report.text())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
