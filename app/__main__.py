"""`python -m app` opens the GUI; `python -m app <lệnh>` runs a headless command."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # A command is a word (`people list …`); the window takes only options (`--db FILE`).
    if argv and not argv[0].startswith("--") or "-h" in argv[:1] or "--help" in argv[:1]:
        from app.cli import main as cli_main

        return cli_main(argv)
    from app.ui.app import run  # GUI: the only path that imports Qt

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
