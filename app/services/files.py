"""Files inside the database, addressed by SHA-256 (scans, photos, attached documents)."""

from __future__ import annotations

import hashlib
import mimetypes

from sqlalchemy.orm import Session

from app.clock import utcnow
from app.config import SETTINGS
from app.models import StoredFile
from app.services.errors import NotFound, ValidationError


def store(session: Session, data: bytes, media_type: str = "application/octet-stream", *,
          name: str = "tệp") -> str:
    """Keep the bytes once (the same scan attached twice is stored once) and return their address."""
    if not data:
        raise ValidationError.one("file", f"Tệp «{name}» rỗng.")
    if len(data) > SETTINGS.file_max_bytes:
        limit = SETTINGS.file_max_bytes // (1024 * 1024)
        raise ValidationError.one("file", f"Tệp «{name}» lớn quá {limit} MB.")
    digest = hashlib.sha256(data).hexdigest()
    if session.get(StoredFile, digest) is None:
        session.add(StoredFile(sha256=digest, size=len(data), media_type=media_type, data=data, created_at=utcnow()))
        session.flush()
    return digest


def media_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"




def size_of(session: Session, digest: str) -> int:
    found = session.get(StoredFile, digest)
    return found.size if found is not None else 0


def load(session: Session, digest: str) -> bytes:
    found = session.get(StoredFile, digest)
    if found is None:
        raise NotFound("Không tìm thấy tệp đính kèm trong cơ sở dữ liệu.")
    return found.data
