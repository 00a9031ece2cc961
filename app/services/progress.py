"""Long work told whether to stop, and telling how far it has come.

Services that run long (a year's report and its rendering, an exchange package, a backup, a restore,
an import) take a `Progress`. The GUI hands one tied to its «Dừng» button; the command line and
quick callers use `QUIET`. `check()` at safe points raises Cancelled, so a write stopped half-way
rolls its transaction back and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from app.services.errors import Cancelled

STOPPED = "Đã dừng theo yêu cầu; chưa ghi gì."


class Progress:
    def __init__(self, should_stop: Callable[[], bool] | None = None,
                 report: Callable[[int, int], None] | None = None) -> None:
        self._should_stop = should_stop or (lambda: False)
        self._report = report or (lambda _done, _total: None)


    def check(self, message: str = STOPPED) -> None:
        """Raise Cancelled (with what was left undone) if the user asked to stop."""
        if self._should_stop():
            raise Cancelled(message)

    def step(self, done: int, total: int, message: str = STOPPED) -> None:
        """Tell how far the work has come, then stop here if asked."""
        self._report(done, total)
        self.check(message)


QUIET = Progress()   # never stops, tells nobody
