"""Signed decisions (R4.5, R5.1): every decision PDF is signed (PAdES, with pyHanko) with the
key of the union that decided it, and carries a verification code that names where the
decision stands in its store's hash chain (``runtime.chain``), so anyone holding the trust
root, and an auditor holding a chain proof, can check it offline (``runtime.documents.verify``).

Keys. One certificate per union: its subject names the union (common name: its name; UID:
its id), issued by a certification authority whose certificate is the trust root. They live
in ``EMU_SIGNING_DIR`` (``<EMU_DATA_DIR>/.secrets/signing`` by default):

- ``ca.crt``: the trust root (or ``EMU_SIGNING_TRUST``, a path), public: what a verifier needs;
- ``ca.pem``: the authority's key and certificate, present only where this system may issue
  (development: made once, at the first ``make run`` or the first signing, with a warning);
- ``unions/<union id>.pem``: a union's key and certificate. Where ``ca.pem`` is present a
  union's is issued at its first signing; in production the union office's own authority
  issues them and the operator places them here (no ``ca.pem``): a union without one is
  refused ``SIGNING_KEY_MISSING``.

Keys are ECDSA P-256. Files are written once, atomically (a temporary file hard-linked to
its name: of two processes making the same key at once, one wins and both use it).
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from runtime.config import Settings
from runtime.errors import DomainError
from runtime.files import write_once

log = logging.getLogger(__name__)
# pyHanko imports cryptography's DSA key type, which warns at import; our keys are ECDSA
warnings.filterwarnings("ignore", "DSA is deprecated")

FIELD = "ChuKySo"  # the signature field's name
AUTHORITY_NAME = "Chứng thực thử nghiệm (môi trường phát triển)"  # ≤ 64 characters
VALIDITY = timedelta(days=20 * 366)
CODE_LABEL = "Mã xác thực"
# service/record id/position/first 16 hex digits of the chain link at that position
CODE = re.compile(r"(?P<service>[a-z_]+)/(?P<record_id>[0-9a-f-]{36})/(?P<position>[0-9]+)/"
                  r"(?P<link>[0-9a-f]{16,64})")


class SigningKeyMissing(DomainError):
    """The deciding union has no signing key here and this system may not issue one."""

    code = "SIGNING_KEY_MISSING"
    kind = "unavailable"


@dataclass(frozen=True)
class VerificationCode:
    """Where a decision stands in its store's hash chain: the store (service), the record,
    the position of the decision's event and the link there (printed: its first 16 hex
    digits, enough to tell it from any other)."""

    service: str
    record_id: UUID
    position: int
    link: str

    def __str__(self) -> str:
        return f"{self.service}/{self.record_id}/{self.position}/{self.link[:16]}"

    @property
    def printed(self) -> str:
        return f"{CODE_LABEL}: {self}"

    @classmethod
    def parse(cls, text: str) -> VerificationCode | None:
        found = CODE.search(text or "")
        if found is None:
            return None
        return cls(found["service"], UUID(found["record_id"]), int(found["position"]),
                   found["link"])


class Keys:
    """The signing keys of this installation (see the module's note for the files)."""

    def __init__(self, settings: Settings) -> None:
        self.directory = Path(settings.get("EMU_SIGNING_DIR",
                                           str(settings.data_dir / ".secrets" / "signing")))
        self.trust_path = Path(settings.get("EMU_SIGNING_TRUST", str(self.directory / "ca.crt")))
        self.configured = bool(settings.env.get("EMU_SIGNING_DIR")
                               or settings.env.get("EMU_SIGNING_TRUST"))

    # -- the authority

    def ensure_development_authority(self) -> bool:
        """Makes the development authority once, unless keys are configured; True if made."""
        if self.configured or (self.directory / "ca.pem").exists():
            self._publish_trust_root()
            return False
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, AUTHORITY_NAME)])
        now = datetime.now(UTC) - timedelta(days=1)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(now + VALIDITY)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(_usage(cert_sign=True), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                               critical=False)
                .sign(key, hashes.SHA256()))
        made = write_once(self.directory / "ca.pem", _pem(key, cert))
        self._publish_trust_root()
        if made:
            log.warning("made a development signing authority in %s: set EMU_SIGNING_DIR and "
                        "EMU_SIGNING_TRUST to the union office's keys in production",
                        self.directory)
        return made

    def _publish_trust_root(self) -> None:
        authority = self.directory / "ca.pem"
        if authority.exists() and not self.trust_path.exists():
            _, cert = _load(authority)
            write_once(self.trust_path, cert.public_bytes(serialization.Encoding.PEM))

    def trust_root(self) -> x509.Certificate:
        self.ensure_development_authority()
        return x509.load_pem_x509_certificate(self.trust_path.read_bytes())

    # -- the unions

    def union(self, union_id: UUID, name: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        """The union's key and certificate, issued now if this system holds the authority."""
        path = self.directory / "unions" / f"{union_id}.pem"
        if not path.exists():
            self.ensure_development_authority()
            if not (self.directory / "ca.pem").exists():
                raise SigningKeyMissing(f"no signing key for union {union_id} in {path.parent}",
                                        {"union_id": str(union_id)})
            write_once(path, self._issue(union_id, name))
        return _load(path)

    def _issue(self, union_id: UUID, name: str) -> bytes:
        ca_key, ca_cert = _load(self.directory / "ca.pem")
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64] or str(union_id)),
                             x509.NameAttribute(NameOID.USER_ID, str(union_id))])
        now = datetime.now(UTC) - timedelta(days=1)
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now).not_valid_after(min(now + VALIDITY, ca_cert.not_valid_after_utc))
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_usage(cert_sign=False), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256()))
        return _pem(key, cert)


def sign(pdf: bytes, keys: Keys, union_id: UUID, union_name: str, code: VerificationCode,
         place: str = "") -> bytes:
    """The PDF signed (PAdES B-B, an invisible signature over the whole file) with the
    union's key; the signature's reason carries the verification code, so it is signed too."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert = keys.union(union_id, union_name)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())
    meta = signers.PdfSignatureMetadata(field_name=FIELD, subfilter=SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=code.printed,
                                        location=place or None, name=union_name)
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    return bytes(out.getvalue())


def union_of(cert: Any) -> tuple[str, str | None]:
    """(name, union id) named in a certificate's subject (an asn1crypto certificate)."""
    subject = cert.subject.native
    return str(subject.get("common_name", "")), subject.get("user_id")


# -- files


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not cert_sign, content_commitment=not cert_sign,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False,
                         decipher_only=False)


def _pem(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()) + cert.public_bytes(serialization.Encoding.PEM)


def _load(path: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    data = path.read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: not an EC private key")
    return key, x509.load_pem_x509_certificate(data)


def _asn1_cert(cert: x509.Certificate) -> Any:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
