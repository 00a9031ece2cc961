"""Writing a file whole or not at all: to a temporary file beside the target, flushed to disk, then
renamed over it, so a full disk, a read-only folder or a power cut never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from app.services.errors import ServiceError


class OutputError(ServiceError):
    pass


@contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """A stream to write `path` through; the file appears only when the block ends without error."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"Không lưu được «{path}»: thư mục «{folder}» không tồn tại.")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        reason = error.strerror or str(error)
        raise OutputError(f"Không lưu được «{path}»: {reason} (tệp có thể đang mở trong chương trình khác, "
                          "hoặc thư mục không cho phép ghi).") from error
    finally:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)


def save(path: Path | str, content: bytes) -> Path:
    with atomic_writer(path) as stream:
        stream.write(content)
    return Path(path)
