"""Long work off the GUI thread, behind a progress dialog the user can stop.

The work is a plain function (a service call) that takes `should_stop` and `progress` callbacks;
the window keeps painting while it runs, and its result or its error comes back to the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from app.ui.qt import QEventLoop, QObject, QProgressDialog, Qt, QWidget, Signal

T = TypeVar("T")
Work = Callable[[Callable[[], bool], Callable[[int, int], None]], T]


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (signals emitted there arrive queued)."""

    progressed = Signal(int, int)
    finished = Signal()


def run_with_progress(parent: QWidget | None, label: str, work: Work[T]) -> T:
    stop = threading.Event()
    outcome: dict[str, Any] = {}
    dialog = QProgressDialog(label, "Dừng", 0, 0, parent)
    dialog.setWindowTitle("Đang xử lý")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick work finishes without a flash of the dialog
    dialog.canceled.connect(stop.set)
    relay = _Relay()
    loop = QEventLoop()

    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    relay.progressed.connect(show_progress)
    relay.finished.connect(loop.quit)

    def job() -> None:
        try:
            outcome["value"] = work(stop.is_set, relay.progressed.emit)
        except BaseException as error:  # handed back to the GUI thread below
            outcome["error"] = error
        finally:
            relay.finished.emit()

    worker = threading.Thread(target=job, name="cong-viec-dai", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.reset()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
