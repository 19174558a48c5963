"""Content-addressed file store under the data dir: the same bytes are kept once, forever."""

import hashlib
import os
from pathlib import Path


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Files named by their sha256 (`ab/cdef….ext`), written atomically."""

    def __init__(self, root: Path, *, base: Path | None = None) -> None:
        self.root = root
        self.base = base or root.parent  # paths stored in rows are relative to this

    def put(self, data: bytes, *, suffix: str = "") -> tuple[str, str]:
        """Store `data`; returns (sha256, path relative to `base`)."""
        digest = sha256_bytes(data)
        path = self.root / digest[:2] / f"{digest[2:]}{suffix.lower()}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return digest, str(path.relative_to(self.base))

    def path(self, relative: str) -> Path:
        return self.base / relative
