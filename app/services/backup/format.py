"""The backup file: a header, then the SQLite file in compressed (and optionally encrypted) chunks.

    MAGIC, header length (4 bytes), header (JSON), then chunks: length (4 bytes) + bytes, ending
    with a zero length and the SHA-256 of the header.

Each chunk is 4 MiB of the database, deflated; with a passphrase it is then sealed with AES-256-GCM
under a key derived by Argon2id, its nonce a random prefix plus the chunk's index (so chunks cannot
be reordered) and the header as associated data (so the header cannot be altered). The header holds
the SHA-256 of the whole database, which catches a file cut short, and a check value that tells a
wrong passphrase from a damaged file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.services import passwords

MAGIC = b"SoTuyenGiao-backup\n"
FORMAT = 1
CHUNK = 4 * 1024 * 1024
_LENGTH = struct.Struct(">I")
_NONCE_PREFIX = 8
_CHECK_INDEX = 0xFFFFFFFF        # the check value's nonce, never a chunk's


class BackupFileError(Exception):
    """Not a backup, damaged, or the wrong passphrase; the message is for the user."""


@dataclass(frozen=True)
class Header:
    fields: dict
    raw: bytes

    @property
    def encrypted(self) -> bool:
        return self.fields.get("encryption") is not None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def write(source: Path, target: BinaryIO, facts: dict, passphrase: str | None,
          step: Callable[[int, int], None] = lambda _done, _total: None) -> None:
    """Write `source` (a SQLite file nobody else writes) into `target` with `facts` in the header;
    `step(done, total)` is told the bytes packed after each chunk."""
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    fields = dict(facts, format=FORMAT, size=source.stat().st_size, sha256=digest.hexdigest(),
                  compression="zlib", encryption=None)
    cipher = prefix = None
    if passphrase:
        salt, prefix = os.urandom(16), os.urandom(_NONCE_PREFIX)
        cost = passwords.key_cost()
        cipher = AESGCM(passwords.derive_key(passphrase, salt, cost))
        fields["encryption"] = {"cipher": "AES-256-GCM", "kdf": cost, "salt": _b64(salt), "nonce": _b64(prefix),
                                "check": _b64(cipher.encrypt(_nonce(prefix, _CHECK_INDEX), b"", None))}
    raw = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
    target.write(MAGIC + _LENGTH.pack(len(raw)) + raw)
    with source.open("rb") as handle:
        for index, block in enumerate(iter(lambda: handle.read(CHUNK), b"")):
            chunk = zlib.compress(block, 1)
            if cipher is not None:
                chunk = cipher.encrypt(_nonce(prefix, index), chunk, raw)
            target.write(_LENGTH.pack(len(chunk)) + chunk)
            step(index * CHUNK + len(block), fields["size"])
    target.write(_LENGTH.pack(0) + hashlib.sha256(raw).digest())


def _exactly(handle: BinaryIO, size: int, name: str) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise BackupFileError(f"Tệp «{name}» bị cắt cụt: bản sao lưu không đầy đủ.")
    return data


def read_header(handle: BinaryIO, name: str) -> Header:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupFileError(f"Tệp «{name}» không phải bản sao lưu của Sổ Tuyên giáo.")
    (length,) = _LENGTH.unpack(_exactly(handle, _LENGTH.size, name))
    raw = _exactly(handle, length, name)
    try:
        fields = json.loads(raw)
    except ValueError as error:
        raise BackupFileError(f"Phần đầu của bản sao lưu «{name}» bị hỏng.") from error
    if not isinstance(fields, dict) or not isinstance(fields.get("format"), int):
        raise BackupFileError(f"Phần đầu của bản sao lưu «{name}» bị hỏng.")
    if fields["format"] > FORMAT:
        raise BackupFileError(f"Bản sao lưu «{name}» được tạo bởi phiên bản Sổ Tuyên giáo mới hơn; "
                              "hãy cập nhật phần mềm.")
    return Header(fields, raw)


def _cipher(header: Header, passphrase: str | None, name: str) -> tuple[AESGCM, bytes] | None:
    spec = header.fields.get("encryption")
    if spec is None:
        return None
    if not passphrase:
        raise BackupFileError(f"Bản sao lưu «{name}» được mã hóa: hãy nhập mật khẩu của bản sao lưu.")
    try:
        key = passwords.derive_key(passphrase, base64.b64decode(spec["salt"]), spec["kdf"])
        prefix = base64.b64decode(spec["nonce"])
        cipher = AESGCM(key)
        cipher.decrypt(_nonce(prefix, _CHECK_INDEX), base64.b64decode(spec["check"]), None)
    except InvalidTag as error:
        raise BackupFileError(f"Mật khẩu của bản sao lưu «{name}» không đúng.") from error
    except (KeyError, ValueError, TypeError) as error:
        raise BackupFileError(f"Phần đầu của bản sao lưu «{name}» bị hỏng.") from error
    return cipher, prefix


def _blocks(handle: BinaryIO, header: Header, passphrase: str | None, name: str) -> Iterator[bytes]:
    sealed = _cipher(header, passphrase, name)
    damaged = f"Bản sao lưu «{name}» bị hỏng (dữ liệu không khớp); không dùng được."
    index = 0
    while True:
        (length,) = _LENGTH.unpack(_exactly(handle, _LENGTH.size, name))
        if length == 0:
            return
        chunk = _exactly(handle, length, name)
        try:
            if sealed is not None:
                cipher, prefix = sealed
                chunk = cipher.decrypt(_nonce(prefix, index), chunk, header.raw)
            yield zlib.decompress(chunk)
        except (InvalidTag, zlib.error) as error:
            raise BackupFileError(damaged) from error
        index += 1


def extract(path: Path, target: Path, passphrase: str | None,
            step: Callable[[int, int], None] = lambda _done, _total: None) -> Header:
    """Write the database inside the backup to `target`, checking every byte against the header;
    `step(done, total)` is told the bytes unpacked after each chunk."""
    name = path.name
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle, target.open("wb") as out:
            header = read_header(handle, name)
            for block in _blocks(handle, header, passphrase, name):
                digest.update(block)
                out.write(block)
                step(out.tell(), int(header.fields.get("size") or 0))
            if _exactly(handle, 32, name) != hashlib.sha256(header.raw).digest():
                raise BackupFileError(f"Phần đầu của bản sao lưu «{name}» bị sửa hoặc bị hỏng; không dùng được.")
            if handle.read(1):
                raise BackupFileError(f"Bản sao lưu «{name}» có dữ liệu lạ ở cuối tệp; không dùng được.")
    except struct.error as error:
        raise BackupFileError(f"Tệp «{name}» bị cắt cụt: bản sao lưu không đầy đủ.") from error
    if digest.hexdigest() != header.fields.get("sha256") or target.stat().st_size != header.fields.get("size"):
        raise BackupFileError(f"Bản sao lưu «{name}» bị hỏng (mã kiểm tra không khớp); không dùng được.")
    return header
