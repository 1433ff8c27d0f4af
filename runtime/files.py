"""Files the platform makes once and never rewrites (keys, trust roots, published public
keys), written so that two processes starting at once cannot both write one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_once(path: Path, content: bytes, mode: int = 0o600) -> bool:
    """Writes the file if it does not exist, atomically (a temporary file linked to its name),
    with ``mode`` (a private file's folder is made 0700, a public one's 0755); False if it was
    there, or another process wrote it first."""
    path.parent.mkdir(mode=0o700 if mode == 0o600 else 0o755, parents=True, exist_ok=True)
    if path.exists():
        return False
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, mode)
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)
