"""The copy a commune installs: the one-folder app PyInstaller builds from build.spec, run from its own folder
with nothing of the project's environment (no source tree on the path, a clean data folder).

The build takes a minute or two; it is kept under build/bundle-test/<hash of its inputs>, so a second run of the
suite on the same tree (CI runs it three times) reuses it and a changed file builds it again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import PASSWORDS, cli_environment

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ["build.spec", "pyproject.toml", "constraints.txt", "app", "resources", "packaging"]
EXE = ".exe" if os.name == "nt" else ""


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for top in INPUTS:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(
            found for found in path.rglob("*") if found.is_file() and "__pycache__" not in found.parts)
        for found in files:
            digest.update(found.relative_to(ROOT).as_posix().encode())
            digest.update(found.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def bundle() -> Path:
    kept = ROOT / "build" / "bundle-test"
    target = kept / inputs_hash()
    folder = target / "dist" / "SoTuyenGiao"
    if not (folder / f"tuyengiao-cli{EXE}").exists():
        shutil.rmtree(kept, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                        "--distpath", str(target / "dist"), "--workpath", str(target / "work"), str(ROOT / "build.spec")],
                       check=True, cwd=ROOT, timeout=900)
    return folder


def run(program: Path, *args: str, data: Path, password: str | None = None) -> subprocess.CompletedProcess:
    """A program of the bundle, started from an empty folder, as a user would (no PYTHONPATH, no venv)."""
    env = {key: value for key, value in cli_environment().items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(TUYENGIAO_DATA=str(data), QT_QPA_PLATFORM="offscreen")
    if password is not None:
        env["TUYENGIAO_PASSWORD"] = password
    result = subprocess.run([str(program), *args], capture_output=True, text=True, env=env, cwd=data.parent,
                            stdin=subprocess.DEVNULL, timeout=300)
    assert result.returncode == 0, f"{program.name} {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_two_programs_name_themselves_in_their_help(bundle, tmp_path):
    cli = run(bundle / f"tuyengiao-cli{EXE}", "--help", data=tmp_path / "data")
    assert cli.stdout.startswith("usage: tuyengiao-cli ")
    for command in ("demo", "report", "backup", "restore", "exchange"):
        assert command in cli.stdout
    bare = run(bundle / f"tuyengiao-cli{EXE}", data=tmp_path / "data")   # no command: the help, not a window
    assert bare.stdout.startswith("usage: tuyengiao-cli ")
    window = run(bundle / f"SoTuyenGiao{EXE}", "--help", data=tmp_path / "data")
    assert window.stdout.startswith("usage: SoTuyenGiao ")


def test_from_the_bundle_a_demo_its_report_in_three_formats_the_preview_and_a_backup(bundle, tmp_path):
    data = tmp_path / "data"
    cli = bundle / f"tuyengiao-cli{EXE}"
    database = tmp_path / "xa.sqlite"
    made = run(cli, "demo", "--db", str(database), "--scale", "tiny", data=data)
    assert "Đã tạo dữ liệu mẫu (tiny)" in made.stdout

    out = {kind: tmp_path / f"bao-cao.{kind}" for kind in ("pdf", "xlsx", "docx")}
    run(cli, "report", "--kind", "thang", "--period", "2026-10", "--db", str(database), "--user", "lanhdao",
        "--pdf", str(out["pdf"]), "--xlsx", str(out["xlsx"]), "--docx", str(out["docx"]), "--charts", data=data,
        password=PASSWORDS["lanhdao"])
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(out["pdf"]).pages)
    assert "BÁO CÁO" in text and "tháng 10 năm 2026" in text.lower() and "Biểu đồ 1." in text
    assert load_workbook(out["xlsx"]).sheetnames
    from docx import Document  # the Word copy opens: python-docx's template travelled in the bundle

    assert any("BÁO CÁO" in paragraph.text for paragraph in Document(str(out["docx"])).paragraphs)

    # The preview and the print path: QtPdf draws the first page, QtPrintSupport prints them all.
    page = tmp_path / "trang-1.png"
    run(bundle / f"SoTuyenGiao{EXE}", "--render-first-page", str(out["pdf"]), str(page), data=data)
    width, height = png_size(page)
    assert 1000 < width < height   # an A4 page, upright, at 144 dpi
    assert len(PdfReader(page.with_suffix(".in.pdf")).pages) == len(PdfReader(out["pdf"]).pages)
    assert png_size(page.with_suffix(".chart.png")) == (640, 300)   # QtCharts, for «Tổng quan», travelled too

    copy = tmp_path / "ban-sao.saoluu"
    saved = run(cli, "backup", "--db", str(database), "--user", "quantri", "--to", str(copy), data=data,
                password=PASSWORDS["quantri"])
    assert f"Đã sao lưu vào {copy}" in saved.stdout
    restored = tmp_path / "may-moi.sqlite"   # its check: restored onto a new laptop, then read
    run(cli, "restore", str(copy), "--db", str(restored), "--yes", data=data)
    people = run(cli, "people", "list", "--db", str(restored), "--user", "quantri", data=data,
                 password=PASSWORDS["quantri"])
    assert len(people.stdout.splitlines()) > 100
