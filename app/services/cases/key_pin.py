"""This machine's memory of the office's own identity key, kept outside the database.

The own key's row is in the database, which whoever can write the file (or the server) can edit: with his own
key in that row, every identity recorded afterwards would be sealed to him. So each machine remembers, in its
data folder, the fingerprint of the own key it first saw for each database, and refuses to seal to another
one. A key holder opening the key on this machine proves the real key (their grant opens it) and remembers it
again; so do setting up the key, recovering it and building the demo, which make the key themselves.

What it cannot stop: someone who can also edit this machine's data folder, or who replaces the key before the
machine's first identity (trust on first use). Both are said in the README.
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy.engine import URL

from app.config import data_dir
from app.services import safe_write
from app.services.cases import sealing
from app.services.errors import ValidationError

PIN_FILE = "khoa-co-quan-da-ghi-nhan.json"
log = logging.getLogger(__name__)


def _database(url: URL) -> str:
    """A database's name in the file: a hash, so the file does not list servers and paths."""
    return hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()


def _read() -> dict[str, str]:
    path = data_dir() / PIN_FILE
    try:
        pins = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:   # a damaged file is as good as none: the next key is trusted anew
        log.warning("Không đọc được %s (%s); ghi nhận lại khóa của cơ quan.", path, error)
        return {}
    return {k: v for k, v in pins.items() if isinstance(v, str)} if isinstance(pins, dict) else {}


def pin_of(public_key: bytes, confirming_key: bytes | None) -> str:
    """What is remembered of the own key: its fingerprint, and its confirming key's (which vouches for the
    other offices' keys, so replacing it alone would let a planted key in)."""
    confirming = hashlib.sha256(confirming_key).hexdigest()[:16] if confirming_key else "-"
    return f"{sealing.fingerprint(public_key)}/{confirming}"


def pinned(url: URL) -> str | None:
    return _read().get(_database(url))


def remember(url: URL, public_key: bytes, confirming_key: bytes | None) -> None:
    """Remember the key; a data folder that cannot be written leaves the machine without its memory (said in
    the log), never the user without the key."""
    pins = _read()
    pins[_database(url)] = pin_of(public_key, confirming_key)
    try:
        safe_write.save(data_dir() / PIN_FILE, json.dumps(pins, indent=1, sort_keys=True).encode("utf-8"))
    except safe_write.OutputError as error:
        log.warning("Không ghi nhận được khóa của cơ quan trên máy này: %s", error)


def check(url: URL, public_key: bytes, confirming_key: bytes | None) -> None:
    """Refuse an own key other than the one this machine remembers for the database; remember the first."""
    kept = pinned(url)
    if kept is None:
        remember(url, public_key, confirming_key)
    elif kept != pin_of(public_key, confirming_key):
        raise ValidationError.one(
            "reporter", f"Khóa bảo vệ danh tính của cơ quan trong cơ sở dữ liệu (dấu {sealing.fingerprint(public_key)})"
                        f" khác khóa máy này đã ghi nhận (dấu {kept.split('/')[0]}): cơ sở dữ liệu có thể đã bị sửa "
                        "ngoài phần mềm. Chưa ghi danh tính nào. Cán bộ kiểm tra giữ khóa hãy đăng nhập trên máy này "
                        "để xác minh khóa thật, rồi ghi lại.")
