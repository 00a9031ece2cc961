"""The installed copy against the source: its size, and its cold start to the login window (issue 23's bar:
no more than 1.2× `python -m app` started the same way, in the same run).

    .venv/bin/python bench/bundle.py [--bundle dist/SoTuyenGiao]   (build it first: python3 tasks.py build)

Each start is a new process on the same small demo database; the clock stops when the app prints «ready»
(TUYENGIAO_SAY_READY), i.e. once the login window takes input. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seconds_to_ready(command: list[str], env: dict[str, str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = child.stdout.readline()
        times.append(time.perf_counter() - start)
        child.kill()
        child.wait()
        if line.strip() != "ready":
            raise RuntimeError(f"{command[0]} did not show its login window: {line!r}")
    return statistics.median(times)


def folder_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", default=str(ROOT / "dist" / "SoTuyenGiao"))
    bundle = Path(parser.parse_args().bundle)
    exe = ".exe" if os.name == "nt" else ""
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "demo.sqlite"
        subprocess.run([sys.executable, "-m", "app", "demo", "--db", str(database), "--scale", "small"], check=True,
                       cwd=ROOT, capture_output=True, env=dict(os.environ, TUYENGIAO_DATA=scratch))
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   TUYENGIAO_DATA=scratch, TUYENGIAO_SAY_READY="1")
        source = seconds_to_ready([sys.executable, "-m", "app", "--db", str(database)], dict(env, PYTHONPATH=str(ROOT)))
        installed = seconds_to_ready([str(bundle / f"SoTuyenGiao{exe}"), "--db", str(database)], env)
    size, files = folder_size(bundle)
    print(json.dumps({"source_cold_start_s": round(source, 3), "bundle_cold_start_s": round(installed, 3),
                      "bundle_to_source_ratio": round(installed / source, 2),
                      "bundle_mb": round(size / 1024 / 1024), "bundle_files": files}, indent=2))


if __name__ == "__main__":
    main()
