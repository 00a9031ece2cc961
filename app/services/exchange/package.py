"""The exchange package: one zip file carrying records, stored files and a signed manifest.

    manifest.json   format, schema, source, destination, sequence number, counts, each member's SHA-256
    signature       Ed25519 over manifest.json, by the source install's key
    records.jsonl   one record per line (rows.py)
    reference.json  Danh mục, holiday moves and the office's public key (sent down only)
    files/<sha256>  stored files the records point at

Reading checks, in this order, and refuses with a Vietnamese message naming the file: a readable
zip, a format this app knows, a known partner's valid signature, this install as destination, and
every member's hash. Nothing is written by reading.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.config import SETTINGS
from app.dbfile import SCHEMA_REVISIONS
from app.services.errors import ServiceError
from app.services.numbers import count_text

MB = 1024 * 1024

FORMAT = 1
KIND = "SoTuyenGiao-goi-trao-doi"
SUFFIX = ".goitd"


class PackageError(ServiceError):
    pass


@dataclass(frozen=True)
class Package:
    name: str
    manifest: dict
    members: dict[str, bytes]   # records.jsonl and reference.json; the stored files stay in the zip until used
    files: tuple[str, ...]      # the SHA-256 of each stored file it carries
    origin: bytes | Path        # the package as it came: read again for its files, or kept whole when held

    @property
    def content(self) -> bytes:
        if isinstance(self.origin, bytes):
            return self.origin
        try:
            return self.origin.read_bytes()
        except OSError as error:
            raise _unreadable(self.origin, error) from error

    @property
    def source(self) -> str:
        return self.manifest["source"]["install_id"]

    @property
    def source_name(self) -> str:
        return self.manifest["source"]["name"]

    @property
    def seq(self) -> int:
        return self.manifest["seq"]

    def records(self) -> Iterator[dict]:
        for line in self.members["records.jsonl"].splitlines():
            if line:
                yield json.loads(line)

    def reference(self) -> dict:
        return json.loads(self.members.get("reference.json", b"{}"))

    @contextmanager
    def file_reader(self) -> Iterator[Callable[[str], bytes]]:
        """Reads stored files one at a time from the package (so no more than one is in memory), each checked
        again against the signed manifest: the file on the stick may have changed since the review."""
        with _open_zip(self.origin, self.name) as archive:
            def read_file(sha256: str) -> bytes:
                member = f"files/{sha256}"
                try:
                    info = archive.getinfo(member)
                except KeyError:
                    info = None
                # The zip may have been swapped since the review: its sizes are checked again before reading.
                limit = _member_limit(member) or 0
                data = _read_member(archive, info, self.name) if info is not None and info.file_size <= limit else b""
                if hashlib.sha256(data).hexdigest() != self.manifest["hashes"].get(member):
                    raise PackageError(f"Tệp đính kèm {sha256[:12]}… trong gói «{self.name}» không khớp bản kê: gói "
                                       "đã bị thay đổi từ lúc xem trước; hãy mở lại gói.")
                return data
            yield read_file


def write_to(stream: BinaryIO, manifest: dict, records: list[dict], reference: dict | None, files: dict[str, int],
             read_file: Callable[[str], bytes], key: Ed25519PrivateKey) -> None:
    """Write the package into `stream`. `files` maps each stored file's SHA-256 to its size; `read_file` gives
    its bytes, asked one at a time as the zip is written, so a package of 300 MB of scans never sits in memory."""
    members = {"records.jsonl": "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
                                        for record in records).encode("utf-8")}
    if reference:
        members["reference.json"] = json.dumps(reference, ensure_ascii=False).encode("utf-8")
    size = sum(len(content) for content in members.values()) + sum(files.values())
    if size > UNPACKED_LIMIT or len(members["records.jsonl"]) > MEMBER_LIMITS["records.jsonl"]:
        raise PackageError(f"Gói sẽ lớn {count_text(size // MB)} MB, quá giới hạn {count_text(UNPACKED_LIMIT // MB)} MB "
                           "mà nơi nhận đọc được: hãy xuất theo từng kỳ (chọn từ ngày, đến ngày).")
    hashes = {name: hashlib.sha256(content).hexdigest() for name, content in members.items()}
    hashes.update({f"files/{sha}": sha for sha in files})   # a stored file is named by its SHA-256
    manifest = dict(manifest, kind=KIND, format=FORMAT, schema=SCHEMA_REVISIONS[-1], hashes=hashes)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("signature", key.sign(manifest_bytes))
        for name, content in members.items():
            archive.writestr(name, content)
        for sha in files:   # scans and PDFs are mostly compressed already: a light pass for them
            archive.writestr(f"files/{sha}", read_file(sha), compresslevel=1)


def write(manifest: dict, records: list[dict], reference: dict | None, files: dict[str, bytes],
          key: Ed25519PrivateKey) -> bytes:
    """The package as bytes, its files given whole (small packages, tests)."""
    buffer = io.BytesIO()
    write_to(buffer, manifest, records, reference, {sha: len(data) for sha, data in files.items()}, files.__getitem__,
             key)
    return buffer.getvalue()


# What a package may hold: anything else, or bigger, is refused before it is unpacked.
MEMBER_LIMITS = {"manifest.json": 16 * MB, "signature": 64, "records.jsonl": 64 * MB, "reference.json": 8 * MB}
UNPACKED_LIMIT = 320 * MB   # everything together (the stored files are most of it), so a package fits old laptops
FILE_MEMBER = re.compile(r"files/[0-9a-f]{64}")


def _member_limit(name: str) -> int | None:
    if name in MEMBER_LIMITS:
        return MEMBER_LIMITS[name]
    return SETTINGS.file_max_bytes if FILE_MEMBER.fullmatch(name) else None


def _damaged(name: str) -> PackageError:
    return PackageError(f"Tệp «{name}» không phải gói trao đổi của Sổ Tuyên giáo, hoặc bị cắt cụt, bị hỏng.")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member, unpacked in chunks: zipfile stops at the size the member declares, already checked."""
    try:
        with archive.open(info) as stream:
            return b"".join(iter(lambda: stream.read(MB), b""))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise _damaged(name) from error


def _unreadable(path: Path, error: OSError) -> PackageError:
    return PackageError(f"Không đọc được tệp «{path}»: {error.strerror or error}.")


@contextmanager
def _open_zip(origin: bytes | Path, name: str) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(origin) if isinstance(origin, bytes) else origin)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as error:
        raise _damaged(name) from error   # NotImplementedError: a damaged table claiming an unknown zip version
    except OSError as error:
        raise _unreadable(origin, error) if isinstance(origin, Path) else _damaged(name) from error
    with archive:
        yield archive


def _member_hash(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> str:
    """A member's SHA-256, unpacked in chunks and not kept."""
    digest = hashlib.sha256()
    try:
        with archive.open(info) as stream:
            for chunk in iter(lambda: stream.read(MB), b""):
                digest.update(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise _damaged(name) from error
    return digest.hexdigest()


def read(origin: bytes | Path, name: str, *, partner_keys: dict[str, bytes], own_install: str) -> Package:
    """A checked package (see the module's docstring), or a PackageError. The members' sizes are checked
    from the zip's table, and the signature and destination from the manifest, before any other member
    is unpacked; the stored files are only hashed here, and read again when they are stored."""
    with _open_zip(origin, name) as archive:
        try:
            infos = {info.filename: info for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise _damaged(name) from error
        manifest = _checked_manifest(archive, infos, name, partner_keys, own_install)
        members = {}
        for member, info in infos.items():
            if FILE_MEMBER.fullmatch(member):
                digest = _member_hash(archive, info, name)
            else:
                members[member] = _read_member(archive, info, name)
                digest = hashlib.sha256(members[member]).hexdigest()
            if digest != manifest["hashes"][member]:
                raise PackageError(f"Nội dung gói «{name}» không khớp với bản kê (mã kiểm tra sai): gói bị hỏng hoặc "
                                   "bị sửa; hãy xin gửi lại.")
    files = tuple(member.removeprefix("files/") for member in infos if FILE_MEMBER.fullmatch(member))
    return Package(name, manifest, members, files, origin)


def _checked_manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str,
                      partner_keys: dict[str, bytes], own_install: str) -> dict:
    """The signed manifest, once the members' names and sizes, the signature and the destination are
    right; the manifest and signature are taken out of `infos`."""
    for member, info in infos.items():
        limit = _member_limit(member)
        if limit is None:
            raise PackageError(f"Gói «{name}» chứa «{member[:80]}», không phải phần nào của gói trao đổi.")
        if info.file_size > limit:
            raise PackageError(f"Phần «{member[:80]}» của gói «{name}» giải nén ra {count_text(info.file_size // MB)} MB, "
                               f"vượt giới hạn {count_text(limit // MB)} MB.")
    unpacked = sum(info.file_size for info in infos.values())
    if unpacked > UNPACKED_LIMIT:
        raise PackageError(f"Gói «{name}» giải nén ra {count_text(unpacked // MB)} MB, vượt giới hạn "
                           f"{count_text(UNPACKED_LIMIT // MB)} MB của một gói; hãy gửi thành nhiều gói theo kỳ.")
    if "manifest.json" not in infos or "signature" not in infos:
        raise PackageError(f"Tệp «{name}» không phải gói trao đổi của Sổ Tuyên giáo (thiếu bản kê hoặc chữ ký).")
    manifest_bytes = _read_member(archive, infos.pop("manifest.json"), name)
    signature = _read_member(archive, infos.pop("signature"), name)
    try:
        manifest = json.loads(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
            raise ValueError("kind")
    except (ValueError, RecursionError) as error:
        raise PackageError(f"Bản kê của gói «{name}» bị hỏng.") from error
    if not isinstance(manifest.get("format"), int) or manifest["format"] > FORMAT \
            or manifest.get("schema") not in SCHEMA_REVISIONS:
        raise PackageError(f"Gói «{name}» được tạo bởi phiên bản Sổ Tuyên giáo mới hơn; hãy cập nhật phần mềm "
                           "rồi nhập lại.")
    source = manifest.get("source")
    source = source if isinstance(source, dict) else {}
    source_name = str(source.get("name", "?"))[:200]
    public_key = partner_keys.get(source.get("install_id")) if isinstance(source.get("install_id"), str) else None
    if public_key is None:
        raise PackageError(f"Gói «{name}» được ký bởi «{source_name}», chưa phải đối tác trao đổi của "
                           "cơ quan. Hãy thêm đối tác (nhận tệp khóa của họ) trước.")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, manifest_bytes)
    except (InvalidSignature, ValueError) as error:
        raise PackageError(f"Chữ ký của gói «{name}» không hợp lệ: gói đã bị sửa hoặc không phải do "
                           f"«{source_name}» tạo.") from error
    if manifest.get("destination") != own_install:
        raise PackageError(f"Gói «{name}» được gửi cho {str(manifest.get('destination_name', 'cơ quan khác'))[:200]}, "
                           "không phải cho cơ quan này.")
    # Signed by a partner from here on; still, every member must be the one the manifest names.
    hashes = manifest.get("hashes")
    if not isinstance(hashes, dict) or set(hashes) != set(infos) or "records.jsonl" not in infos \
            or not isinstance(manifest.get("seq"), int) or not isinstance(source.get("name"), str):
        raise PackageError(f"Bản kê của gói «{name}» bị hỏng.")
    return manifest
