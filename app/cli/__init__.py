"""Headless commands on the same services as the GUI: `python -m app <lệnh> …`.

One module per command group; each command is declared beside its body with its arguments
(registry.py). Each command takes --db and --user (password from TUYENGIAO_PASSWORD or a prompt)
and exits non-zero with a one-line Vietnamese message on bad input.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import DBAPIError

from app.cli import (
    backup,
    cases,
    database,
    documents,
    exchange,
    exemplars,
    meetings,
    opinion,
    people,
    report,
    reporting,
    schedule,
    speakers,
    users,
)
from app.cli.common import CliError
from app.cli.registry import build_parser as _build
from app.config import APP_TITLE, program_name
from app.db import DatabaseOpenError
from app.errors import database_failure

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    return _build(program_name(), f"{APP_TITLE}: các lệnh chạy không cần giao diện. Không có lệnh thì mở giao diện.",
                  [database, users, people, meetings, speakers, documents, cases, opinion, exemplars, report, reporting, schedule, backup, exchange])   # as --help lists them


def main(argv: list[str]) -> int:
    from app.services.errors import ServiceError

    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (ServiceError, DatabaseOpenError, CliError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DBAPIError as error:   # the database failed outside a transaction of the services
        meaning = database_failure(error)
        if meaning is None:
            raise
        print(f"Lỗi: {meaning}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 0
    return 0
