"""tuyengiao-cli: the headless commands in a console program (the windowed one hides their output on
Windows). Without a command it shows the help instead of opening the window."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["--help"]))
