#!/usr/bin/env python3
"""The README's two commands, on Debian and on Windows, with nothing but Python installed.

    python3 tasks.py run     set up (the app's own packages only), build the demo database once, open the app
    python3 tasks.py test    set up with the test tools, run the whole test suite (arguments go to pytest)
    python3 tasks.py test-moved-clock
                             the suite again with the machine's clock moved (libfaketime) to a
                             New Year's morning and to a day years ahead: nothing may read the real clock
    python3 tasks.py build   the one-folder app (dist/SoTuyenGiao) and a zip of it; on Windows also the
                             installer (NSIS), elsewhere the installer script compiled as a check
    python3 tasks.py lock    write constraints.txt: the exact versions installed now (after a passing suite)

Every install is held to constraints.txt, the versions the suite last passed on.

Standard library only: this runs before anything is installed. Each step checks first, so a
second run installs nothing that is already there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
VENV_PYTHON = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")
INSTALLED_STAMP = VENV / "tuyengiao-installed.json"
CONSTRAINTS = ROOT / "constraints.txt"
DIST = ROOT / "dist"
DEMO_DB = ROOT / "data" / "demo.sqlite"
RETIRED_PACKAGES = ["PySide6-Pdf"]   # QtPdf comes from PySide6-Addons again (pyproject.toml says why)

# What Qt needs from Debian (shared/reference/platform.md): offscreen for tests, xcb for a window.
DEBIAN_FOR_TESTS = ["libgl1", "libegl1", "libxkbcommon0", "libglib2.0-0", "libfreetype6",
                    "libfontconfig1", "libdbus-1-3"]
# The shared-server tests start a private PostgreSQL cluster from Debian's package (tests/pgserver.py).
DEBIAN_SERVER_FOR_TESTS = ["postgresql"]
# The bundle's test: binutils (objdump, for PyInstaller on Linux), NSIS to compile the installer script.
DEBIAN_FOR_BUILD = ["binutils", "nsis"]
DEBIAN_FOR_WINDOW = DEBIAN_FOR_TESTS + ["libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4",
                                        "libxcb-keysyms1", "libxcb-shape0"]


def say(text: str) -> None:
    print(f"[tasks] {text}", flush=True)


def is_debian() -> bool:
    return Path("/etc/debian_version").exists() and shutil.which("dpkg-query") is not None


def debian_missing(packages: list[str]) -> list[str]:
    missing = []
    for name in packages:
        probe = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                               capture_output=True, text=True)
        if "install ok installed" not in probe.stdout:
            missing.append(name)
    return missing


def apt_install(packages: list[str]) -> None:
    if not is_debian():
        return
    missing = debian_missing(packages)
    if not missing:
        return
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo"):
        prefix = ["sudo"]
    else:
        sys.exit(f"Thiếu gói Debian: {' '.join(missing)}. "
                 f"Hãy chạy với quyền root: apt-get install {' '.join(missing)}")
    say(f"cài gói Debian: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                   check=True, env=env)


def ensure_venv() -> None:
    if VENV_PYTHON.exists():
        return
    say(f"tạo môi trường ảo {VENV}")
    try:
        venv.create(VENV, with_pip=True)
    except (subprocess.CalledProcessError, OSError):
        # Debian's python3 ships without ensurepip until python3-venv is installed.
        shutil.rmtree(VENV, ignore_errors=True)
        major, minor = sys.version_info[:2]
        apt_install(["python3-venv", f"python{major}.{minor}-venv"])
        venv.create(VENV, with_pip=True)


def ensure_packages(extras: tuple[str, ...] = ()) -> None:
    """The project and the extras asked for (`test`, `build`), at the versions of constraints.txt; nothing
    when they are in already (a run after a test installs nothing; a test after a run adds the tools)."""
    held = CONSTRAINTS.exists()   # missing only while `lock` writes it for the first time
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()
                            + (CONSTRAINTS.read_bytes() if held else b"")).hexdigest()
    try:
        stamp = json.loads(INSTALLED_STAMP.read_text())
    except (OSError, ValueError):
        stamp = {}
    have = set(stamp.get("extras", [])) if stamp.get("inputs") == wanted else set()
    if stamp.get("inputs") == wanted and set(extras) <= have:
        return
    extras = tuple(sorted(set(extras) | have))
    say("cài các gói Python của dự án" + (f" (kèm {', '.join(extras)})" if extras else ""))
    pip = [str(VENV_PYTHON), "-m", "pip"]
    subprocess.run([*pip, "install", "-q", "--upgrade", "pip"], check=True)
    # Wheels the project once used and no longer wants; an upgrade would leave them beside their replacements.
    subprocess.run([*pip, "uninstall", "-y", "-q", *RETIRED_PACKAGES], capture_output=True)
    target = f"{ROOT}[{','.join(extras)}]" if extras else str(ROOT)
    subprocess.run([*pip, "install", "-q", *(["-c", str(CONSTRAINTS)] if held else []), "-e", target], check=True)
    INSTALLED_STAMP.write_text(json.dumps({"inputs": wanted, "extras": list(extras)}))


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    env.setdefault("LANG", "C.UTF-8")  # Qt complains about the "C" locale otherwise
    env.setdefault("PYTHONUTF8", "1")
    return env


def demo_is_stale() -> bool:
    """A demo built before the newest migration lacks that issue's data: it is rebuilt, not upgraded."""
    import sqlite3

    newest = max(path.name.split("_")[0] for path in (ROOT / "app" / "migrations" / "versions").glob("0*.py"))
    try:
        with sqlite3.connect(DEMO_DB) as connection:
            built = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return True
    return built is None or built[0] != newest


def run_app(args: list[str]) -> int:
    apt_install(DEBIAN_FOR_WINDOW)
    ensure_venv()
    ensure_packages()
    if DEMO_DB.exists() and demo_is_stale():
        say("dữ liệu mẫu được tạo bởi phiên bản cũ: tạo lại")
        for path in (DEMO_DB, DEMO_DB.with_name(DEMO_DB.name + "-wal"), DEMO_DB.with_name(DEMO_DB.name + "-shm")):
            path.unlink(missing_ok=True)
    if not DEMO_DB.exists():
        say(f"tạo cơ sở dữ liệu mẫu {DEMO_DB}")
        DEMO_DB.parent.mkdir(exist_ok=True)
        subprocess.run([str(VENV_PYTHON), "-m", "app", "demo", "--db", str(DEMO_DB), "--scale", "small"],
                       check=True, cwd=ROOT, env=environment())
    if not WINDOWS and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                            or os.environ.get("QT_QPA_PLATFORM")):
        say("không thấy màn hình (DISPLAY); trên máy không màn hình hãy dùng: xvfb-run python3 tasks.py run")
    return subprocess.call([str(VENV_PYTHON), "-m", "app", "--db", str(DEMO_DB), *args],
                           cwd=ROOT, env=environment())


def run_tests(args: list[str]) -> int:
    apt_install(DEBIAN_FOR_TESTS + DEBIAN_SERVER_FOR_TESTS + DEBIAN_FOR_BUILD)
    ensure_venv()
    ensure_packages(("test", "build"))   # the suite builds the bundle and runs from it (tests/bundle)
    return subprocess.call([str(VENV_PYTHON), "-m", "pytest", *args], cwd=ROOT,
                           env=environment(QT_QPA_PLATFORM="offscreen"))


def run_tests_with_moved_clock(args: list[str]) -> int:
    """The suite must pass whatever the calendar says: app/clock.py is the only reader of the clock and
    the tests freeze it, so moving the machine's clock must change nothing."""
    from datetime import date

    apt_install(DEBIAN_FOR_TESTS + DEBIAN_SERVER_FOR_TESTS + DEBIAN_FOR_BUILD + ["faketime"])
    ensure_venv()
    ensure_packages(("test", "build"))
    next_year = date.today().year + 1   # noqa: DTZ011 (the machine's own calendar: the next New Year from here)
    for moment in (f"{next_year}-01-02 08:30:00", f"{next_year + 9}-07-15 14:00:00"):
        say(f"chạy kiểm thử với đồng hồ máy đặt lùi/tiến đến {moment}")
        # "@" starts the faked clock at that moment and lets it run (a frozen clock would stop timeouts).
        code = subprocess.call(["faketime", "-f", f"@{moment}", str(VENV_PYTHON), "-m", "pytest", *args],
                               cwd=ROOT, env=environment(QT_QPA_PLATFORM="offscreen"))
        if code:
            return code
    return 0


def version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def build_bundle(dist: Path, work: Path) -> Path:
    """PyInstaller's one-folder app from build.spec: dist/SoTuyenGiao."""
    subprocess.run([str(VENV_PYTHON), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build.spec")],
                   check=True, cwd=ROOT, env=environment())
    return dist / "SoTuyenGiao"


def compile_installer(folder: Path, out: Path) -> None:
    """The installer from packaging/installer.nsi over the built folder (NSIS's makensis)."""
    makensis = shutil.which("makensis") or next(
        (str(path) for path in (Path(os.environ.get("ProgramFiles(x86)", "")) / "NSIS" / "makensis.exe",
                                Path(os.environ.get("ProgramFiles", "")) / "NSIS" / "makensis.exe") if path.exists()),
        None)
    if makensis is None:
        sys.exit("Thiếu NSIS (makensis) để làm bộ cài: cài từ https://nsis.sourceforge.io (Windows) hoặc "
                 "apt-get install nsis (Debian).")
    flag = "/" if WINDOWS else "-"
    subprocess.run([makensis, f"{flag}V2", f"{flag}DVERSION={version()}", f"{flag}DSOURCE={folder}",
                    f"{flag}DOUTFILE={out}", str(ROOT / "packaging" / "installer.nsi")], check=True)


def build(args: list[str]) -> int:
    """dist/SoTuyenGiao, dist/SoTuyenGiao-<version>-<system>.zip, and the installer
    dist/SoTuyenGiao-<version>-cai-dat.exe (on Windows; elsewhere compiled into build/ only as a check)."""
    apt_install(DEBIAN_FOR_BUILD)
    ensure_venv()
    ensure_packages(("build",))
    folder = build_bundle(DIST, ROOT / "build" / "pyinstaller")
    system = "windows" if WINDOWS else sys.platform
    archive = shutil.make_archive(str(DIST / f"SoTuyenGiao-{version()}-{system}"), "zip", DIST, folder.name)
    say(f"đã làm {folder} và {archive}")
    installer = (DIST if WINDOWS else ROOT / "build") / f"SoTuyenGiao-{version()}-cai-dat.exe"
    compile_installer(folder, installer)
    say(f"đã làm bộ cài {installer}" if WINDOWS else f"kịch bản bộ cài biên dịch được ({installer})")
    return 0


def lock(_args: list[str]) -> int:
    """constraints.txt from what is installed now (every extra), for the next install anywhere."""
    ensure_venv()
    ensure_packages(("build", "test"))
    frozen = subprocess.run([str(VENV_PYTHON), "-m", "pip", "freeze", "--exclude-editable"], check=True,
                            capture_output=True, text=True).stdout
    needed = subprocess.run([str(VENV_PYTHON), str(ROOT / "packaging" / "needed_packages.py")], check=True,
                            capture_output=True, text=True).stdout.split()
    lines = [line for line in frozen.splitlines()
             if re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() in needed]   # names as packaging spells them
    CONSTRAINTS.write_text("# The exact versions the suite passed on (python3 tasks.py lock). Every install is held\n"
                           "# to them: tasks.py run/test/build pass this file to pip with -c.\n"
                           + "\n".join(sorted(lines, key=str.lower)) + "\n")
    say(f"đã ghi {CONSTRAINTS} ({len(lines)} gói)")
    return 0


def main() -> int:
    commands = {"run": run_app, "test": run_tests, "test-moved-clock": run_tests_with_moved_clock,
                "build": build, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
