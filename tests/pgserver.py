"""A throw-away PostgreSQL server for the tests, from Debian's package.

`tasks.py test` installs the package when it is missing; this starts a private cluster in a temporary
folder (trust authentication, a free port on 127.0.0.1) and stops it at the end. As root, the
cluster runs as Debian's `postgres` user, since PostgreSQL refuses to run as root.
TUYENGIAO_TEST_PG=postgresql://… uses a server you already have instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class NoServer(Exception):
    pass


def _binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    if not found:
        raise NoServer("PostgreSQL chưa được cài (Debian: apt-get install postgresql; tasks.py test cài sẵn).")
    return found[-1].parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    folder: Path | None = None
    run_as: list[str] | None = None

    def stop(self) -> None:
        if self.folder is None:
            return
        subprocess.run([*self.run_as, str(_binaries() / "pg_ctl"), "stop", "-D", str(self.folder / "data"),
                        "-m", "immediate"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url.replace("+psycopg", ""), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"


def start() -> Server:
    given = os.environ.get("TUYENGIAO_TEST_PG")
    if given:
        return Server(given)
    binaries = _binaries()
    folder = Path(tempfile.mkdtemp(prefix="tuyengiao-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(data), "-U", "tuyengiao", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(binaries / "pg_ctl"), "start", "-w", "-D", str(data), "-l", str(folder / "log"),
                    "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"],
                   check=True, capture_output=True)
    return Server(f"postgresql+psycopg://tuyengiao@127.0.0.1:{port}/postgres", folder, run_as)
