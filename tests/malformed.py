"""A corpus of malformed inputs, the same on every run (a fixed seed): spreadsheets and CSV files, exchange
packages (damaged, and well signed but holding records of the wrong shape), backups and database files.
Each is (label, file name, bytes); the label says how it was made, for the failure message."""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator

Sample = tuple[str, str, bytes]
SEED = 20261128


def byte_damage(label: str, name: str, good: bytes, rng: random.Random, count: int) -> Iterator[Sample]:
    """Cut short, bytes flipped, a block zeroed, junk inserted: what a bad USB stick or a mailer does."""
    for index in range(count):
        data = bytearray(good)
        how = index % 4
        if how == 0:
            data = data[:rng.randrange(0, max(1, len(data)))]
        elif how == 1:
            for _ in range(rng.randint(1, 12)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif how == 2:
            start = rng.randrange(len(data))
            data[start:start + rng.randint(16, 512)] = bytes(min(len(data) - start, 512))
        else:
            at = rng.randrange(len(data))
            data[at:at] = rng.randbytes(rng.randint(1, 64))
        yield f"{label}: {('cắt', 'lật bit', 'xóa khối', 'chèn rác')[how]} #{index}", name, bytes(data)


def zip_members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_damage(good: bytes, rng: random.Random) -> Iterator[Sample]:
    """Well-zipped workbooks whose parts are wrong: what a half-working export tool writes."""
    members = zip_members(good)
    parts = sorted(members)
    nasty = [b"", b"<not xml", b"<?xml version='1.0'?><worksheet/>", b"\x00" * 64,
             b"<a>" * 5000 + b"</a>" * 5000, "<x>\u0001\u0002\u001f</x>".encode(),
             b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;&a;</x>']
    for part in parts:
        for index, junk in enumerate(nasty):
            changed = dict(members, **{part: junk})
            yield f"xlsx: {part} thay bằng mẫu {index}", "hong.xlsx", zipped(changed)
        without = {name: content for name, content in members.items() if name != part}
        yield f"xlsx: thiếu {part}", "thieu.xlsx", zipped(without)
    sheet = "xl/worksheets/sheet1.xml"
    if sheet in members:
        for reference in ("A0", "XFD1048577", "ZZZZ1", "A-1", "1A"):
            text = members[sheet].replace(b'r="A1"', f'r="{reference}"'.encode(), 1)
            yield f"xlsx: ô {reference}", "o-la.xlsx", zipped(dict(members, **{sheet: text}))
        text = members[sheet].replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell '
                                                       b'ref="A1:XFD1048576"/></mergeCells>', 1)
        yield "xlsx: gộp ô khắp trang", "gop.xlsx", zipped(dict(members, **{sheet: text}))
    for _ in range(8):
        part = rng.choice(parts)
        data = bytearray(members[part])
        if data:
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        yield f"xlsx: {part} lật byte", "lat.xlsx", zipped(dict(members, **{part: bytes(data)}))


def csv_damage(rng: random.Random) -> Iterator[Sample]:
    header = "Họ và tên;Năm sinh;Chi bộ\n"
    fixed = [
        ("rỗng", b""), ("chỉ BOM", b"\xef\xbb\xbf"), ("UTF-16 lẻ byte", b"\xff\xfe" + "Họ".encode("utf-16-le") + b"x"),
        ("UTF-16 BE lẻ", b"\xfe\xff\x00H\x00"), ("NUL giữa tệp", header.encode() + b"A\x00B;1970;C\n" * 3),
        ("ký tự điều khiển", (header + "Lò\x01 Thị\x1b Mai;1975;Cốc\x7f Sâm\n").encode()),
        ("ô dài 200 KB", (header + "A" * 200_000 + ";1970;x\n").encode()),
        ("ngoặc kép không đóng", (header + '"Lò Thị Mai;1975;Cốc Sâm\n' * 50).encode()),
        ("một dòng rất nhiều cột", (header + ";" * 5000 + "\n").encode()),
        ("chỉ dấu phân cách", b";;;;\n;;;\n"), ("nhị phân", bytes(range(256)) * 8),
        ("cp1258 hỏng", header.encode() + b"\x81\x8d\x8f\x90\x9d;1970;\xff\n"),
        ("dòng rất nhiều", (header + "a;1;b\n" * 120_000).encode()),
        ("năm sinh lạ", (header + "Lò Thị Mai;99999999999999999999;Cốc Sâm\nA;-5;B\nC;1e400;D\n").encode()),
        ("công thức", (header + "=1+1;1970;Cốc Sâm\n@SUM(A1);1970;x\n").encode()),
    ]
    for label, content in fixed:
        yield f"csv: {label}", "danh-sach.csv", content
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠ;,\t\"\n\r\x00\x0b"
    for index in range(20):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400)))
        yield f"csv: ngẫu nhiên #{index}", "ngau-nhien.csv", (header + text).encode("utf-8", "surrogatepass")


def record_damage(records: list[dict], rng: random.Random, count: int) -> Iterator[tuple[str, list]]:
    """Records a partner's faulty (or hostile) app might sign: wrong types, missing keys, deep nesting."""
    odd_values: list[Callable[[], object]] = [
        lambda: None, lambda: "", lambda: "x" * 5000, lambda: -1, lambda: 10 ** 30, lambda: 1.5, lambda: True,
        lambda: [], lambda: {}, lambda: [[[[[]]]]], lambda: {"a": {"b": {"c": {}}}}, lambda: "2026-13-45",
        lambda: "không-phải-mã", lambda: "\u0000\u0001", lambda: ["PHONGNIEN"], lambda: "00000000-0000-0000-0000-000000000000",
    ]
    for index in range(count):
        changed = json.loads(json.dumps(records))
        record = rng.choice(changed)
        how = index % 6
        if how == 0:   # a field of the root gets a value of another type
            field = rng.choice(sorted(record["row"]))
            record["row"][field] = rng.choice(odd_values)()
            label = f"row.{field}"
        elif how == 1:   # a field goes missing
            field = rng.choice(sorted(record["row"]))
            del record["row"][field]
            label = f"thiếu row.{field}"
        elif how == 2:   # a child's field
            children = [(name, items) for name, items in record.get("children", {}).items() if items]
            if not children:
                record["children"] = rng.choice(odd_values)()
                label = "children"
            else:
                name, items = rng.choice(children)
                item = rng.choice(items)
                field = rng.choice(sorted(item))
                item[field] = rng.choice(odd_values)()
                label = f"{name}.{field}"
        elif how == 3:   # the record's own shape
            key = rng.choice(["table", "row", "children"])
            record[key] = rng.choice(odd_values)()
            label = f"bản ghi.{key}"
        elif how == 4:   # a line that is not a record at all
            changed[rng.randrange(len(changed))] = rng.choice(odd_values)()
            label = "dòng không phải bản ghi"
        else:   # nesting deeper than any reader should follow
            record["row"]["title"] = json.loads("[" * 200 + "]" * 200)
            label = "lồng sâu"
        yield f"gói ký đúng, {label} #{index}", changed
