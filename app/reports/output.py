"""Writing a finished document: to a temporary file beside the target, then renamed over it, so a
failure (a full disk, a read-only folder, a power cut) never leaves a half-written report behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.services.errors import ServiceError


class OutputError(ServiceError):
    pass


def save(path: Path | str, content: bytes) -> Path:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"Không lưu được «{path}»: thư mục «{folder}» không tồn tại.")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        reason = error.strerror or str(error)
        raise OutputError(f"Không lưu được «{path}»: {reason} (tệp có thể đang mở trong chương trình khác, "
                          "hoặc thư mục không cho phép ghi).") from error
    return path
