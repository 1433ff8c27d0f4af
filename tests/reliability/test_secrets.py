"""Issue 10: secrets come from the environment, never from the repository (R5.2).

- No tracked file outside the tests holds a private key, a cloud access key, or a secret
  setting (the token signing key, a password) with a literal value: the deployment files
  name them as ``${VAR:?…}`` and the examples say ``REPLACE-ME``.
- The files where an operator keeps secrets (``.env``, ``data/``, where ``make run`` keeps
  the administrator's password) are ignored by git.
- Without ``GATEWAY_TOKEN_SECRET`` (or with one too short), the gateway signs with a key made
  for the process: two gateways started that way do not accept each other's tokens, and
  neither accepts one signed with the empty or a guessable key.
"""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from gateway.accounts import TokenInvalid, Tokens
from runtime.config import Settings

ROOT = Path(__file__).resolve().parents[2]
# The settings that are secrets, set as NAME=value, NAME: value or "NAME": "value" at the
# start of a line; the value must be a reference (${NAME:?…}) or the examples' placeholder.
SECRETS = ("GATEWAY_TOKEN_SECRET", "GATEWAY_ADMIN_PASSWORD", "POSTGRES_PASSWORD",
           "RABBITMQ_PASSWORD", "RABBITMQ_DEFAULT_PASS", "PGPASSWORD")
ASSIGNMENT = re.compile(rf"""^\s*-?\s*["']?({'|'.join(SECRETS)})["']?\s*[:=]\s*f?["']?([^\s"'#,}}]*)""")
# a reference, the placeholder, or (in Python) the name of a constant checked on its own line
ALLOWED_VALUES = re.compile(r"^(\$\{?.*|REPLACE-ME|[A-Z][A-Z_]*|)$")
# a password inside a URL: scheme://user:password@host
URL_PASSWORD = re.compile(r"[a-z+]+://[^:/@\s]+:([^@\s/]+)@")
LOCAL_DEFAULTS = {"guest", "REPLACE-ME", "PASSWORD", "password"}  # local default, placeholders
KEYS = re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"
                  r"|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36}\b")


def tracked() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    return [ROOT / n for n in names if n and (ROOT / n).is_file()]


def findings(path: Path, text: str) -> list[str]:
    found = [f"{path}: a key ({m.group(0)[:20]}…)" for m in KEYS.finditer(text)]
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith("tests/"):
        return found  # test fixtures sign with a made-up key on purpose
    for number, line in enumerate(text.splitlines(), 1):
        match = ASSIGNMENT.match(line)
        if match and not ALLOWED_VALUES.match(match.group(2)):
            found.append(f"{relative}:{number}: {match.group(1)} has a literal value")
        for password in URL_PASSWORD.findall(line):
            if not password.startswith(("$", "{", "<")) and password not in LOCAL_DEFAULTS:
                found.append(f"{relative}:{number}: a URL with a literal password")
    return found


def test_r5_2_no_tracked_file_holds_a_secret() -> None:
    files = tracked()
    assert len(files) > 100
    found = []
    for path in files:
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary: images, documents
        found += findings(path, text)
    assert not found, "\n".join(found)


def test_r5_2_the_scan_finds_a_secret_put_in_a_file(tmp_path: Path) -> None:
    """The scan itself can fail: a literal key, a private key and a password are found."""
    planted = ROOT / "deploy" / "planted.env"
    text = ("GATEWAY_TOKEN_SECRET=Xq9v2mB7sLwT4nC8pR6yK1fD3hJ5gZ0a\n"
            "      POSTGRES_PASSWORD: 'hunter2-hunter2'\n"
            "AMQP_URI=amqp://emulation:s3cr3t-pass@rabbitmq:5672/\n"
            "-----BEGIN RSA " "PRIVATE KEY-----\n")  # split, or this file would hold one
    assert len(findings(planted, text)) == 4
    assert findings(planted, "GATEWAY_TOKEN_SECRET=${GATEWAY_TOKEN_SECRET:?set it}\n") == []


@pytest.mark.parametrize("path", [".env", "data/.secrets/admin-password", "deploy/.env"])
def test_r5_2_where_operators_keep_secrets_is_ignored_by_git(path: str) -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT)
    assert ignored.returncode == 0, f"{path} is not ignored"


@pytest.mark.parametrize("secret", [None, "", "short-secret"])
def test_r5_2_without_a_signing_secret_each_gateway_makes_its_own(
        secret: str | None, caplog: pytest.LogCaptureFixture) -> None:
    env = {} if secret is None else {"GATEWAY_TOKEN_SECRET": secret}
    with caplog.at_level(logging.WARNING, "emulation.gateway"):
        one, two = Tokens.from_settings(Settings(env)), Tokens.from_settings(Settings(env))
    assert "GATEWAY_TOKEN_SECRET is not set" in caplog.text
    assert one.secret != two.secret and len(one.secret) >= 32
    assert secret is None or secret not in (one.secret, two.secret)
    token = one.issue("admin")["access_token"]
    assert one.subject(token) == "admin"
    with pytest.raises(TokenInvalid):
        two.subject(token)
    for guess in ("secret", "short-secret", "change-me"):
        with pytest.warns(InsecureKeyLengthWarning):  # PyJWT warns of the forger's short key
            forged = jwt.encode({"sub": "admin", "exp": 9_999_999_999, "iss": "emulation-gateway"},
                                guess, algorithm="HS256")
        with pytest.raises(TokenInvalid):
            one.subject(forged)


def test_r5_2_a_signing_secret_from_the_environment_is_used_as_given() -> None:
    secret = "s" * 40
    tokens = Tokens.from_settings(Settings({"GATEWAY_TOKEN_SECRET": secret}))
    assert tokens.secret == secret
    assert Tokens.from_settings(Settings({"GATEWAY_TOKEN_SECRET": secret})).subject(
        tokens.issue("a")["access_token"]) == "a"
