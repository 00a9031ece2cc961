"""Long work off the GUI thread, the one way every page and dialog runs it (after Anki's operations).

`run(parent, label, work)` calls `work(progress)` on a worker thread behind a progress dialog. The
`progress` is the services' Progress tied to the dialog's «Dừng»: the service checks it at safe
points and raises Cancelled, so a stopped write rolls back and writes nothing. The window keeps
painting meanwhile; the result, or the error, comes back to the caller as if the call were direct.

`Background` is for quick reads a page asks again and again (its totals as the user types): each
answer is delivered on the GUI thread, and only if nothing newer was asked since.
"""

from __future__ import annotations

import gc
import itertools
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from app.services.progress import Progress
from app.ui.qt import (
    QApplication,
    QCoreApplication,
    QEventLoop,
    QObject,
    QProgressDialog,
    Qt,
    QTimer,
    QWidget,
    Signal,
    is_valid,
)

T = TypeVar("T")


class GuiThreadCollector(QObject):
    """Python's cycle collector, run on the GUI thread only (as pyqtgraph does).

    Left automatic, it runs on whichever thread happens to allocate: on a worker reading a workbook or
    building a report it may finalise a dead dialog's widgets there, and Qt crashes. So automatic
    collection is off, and a timer on the GUI thread collects as often as Python would have.
    """

    def __init__(self, parent: QObject, interval_ms: int = 300) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()

    def collect_if_due(self) -> None:
        counts = gc.get_count()
        due = [generation for generation in (2, 1, 0) if counts[generation] > self.thresholds[generation]]
        if due:
            gc.collect(due[0])


def collect_on_the_gui_thread(app: QApplication) -> None:
    """Once per application (the tests make it again and again)."""
    if not app.findChild(GuiThreadCollector):
        GuiThreadCollector(app)


class _Relay(QObject):
    """Carries the worker's news to the GUI thread (signals emitted there arrive queued)."""

    progressed = Signal(int, int)
    finished = Signal()


def run(parent: QWidget | None, label: str, work: Callable[[Progress], T]) -> T:
    """`work(progress)` off the GUI thread with a progress dialog and «Dừng»; its result or its error."""
    stop = threading.Event()
    outcome: dict[str, Any] = {}
    dialog = QProgressDialog(label, "Dừng", 0, 0, parent)
    dialog.setWindowTitle("Đang xử lý")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick work finishes without a flash of the dialog
    dialog.canceled.connect(stop.set)
    dialog.canceled.connect(lambda: dialog.setLabelText("Đang dừng…"))
    relay = _Relay()
    loop = QEventLoop()

    def show_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    relay.progressed.connect(show_progress)
    relay.finished.connect(loop.quit)

    def job() -> None:
        try:
            outcome["value"] = work(Progress(stop.is_set, relay.progressed.emit))
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


class _Answers(QObject):
    """The one object workers tell of an answer, living as long as the application.

    A page may be closed, its Background deleted with it, while a read is still running: a worker emitting
    on that dead object crashed the whole program. The worker tells this one instead, on the GUI thread it
    finds the Background that asked, if it still exists, and hands the answer over.
    """

    # Only the ticket crosses threads: PySide6 miscounts references to Python objects (None above all)
    # sent through queued signals, which crashed a long run; the answer waits in the Background.
    answered = Signal(int)

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.askers: weakref.WeakValueDictionary[int, Background] = weakref.WeakValueDictionary()
        self.tickets = itertools.count(1)
        self.answered.connect(self._deliver)

    @classmethod
    def of_application(cls) -> _Answers:
        """Made on the GUI thread by the first question asked (one per application: the tests make many)."""
        app = QCoreApplication.instance()
        found = app.findChild(cls)
        return found if found is not None else cls(app)

    def _deliver(self, ticket: int) -> None:
        asker = self.askers.pop(ticket, None)
        if asker is not None and is_valid(asker):
            asker._deliver(ticket)


class Background(QObject):
    """Reads off the GUI thread whose answers only matter while they are the newest asked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self._answers: dict[int, tuple[Any, BaseException | None]] = {}
        self._lock = threading.Lock()

    def ask(self, work: Callable[[], T], then: Callable[[T], None],
            failed: Callable[[BaseException], None] | None = None) -> int:
        """Run `work()` on a thread, then `then(result)` on the GUI thread unless asked again since."""
        answers = _Answers.of_application()
        ticket = next(answers.tickets)
        self._latest = ticket
        self._callbacks = {ticket: (then, failed)}
        answers.askers[ticket] = self
        answered, lock, kept = answers.answered, self._lock, self._answers   # not `self` in the thread

        def job() -> None:
            try:
                answer = (work(), None)
            except Exception as failure:   # shown by `failed` on the GUI thread, or dropped with the stale
                answer = (None, failure)
            with lock:
                kept[ticket] = answer
            try:
                answered.emit(ticket)
            except RuntimeError:   # the application itself is gone (its last window closed meanwhile)
                pass

        threading.Thread(target=job, name="doc-nen", daemon=True).start()
        return ticket

    def forget(self) -> None:
        """Whatever was asked and is still running: its answer will be dropped."""
        self._callbacks = {}

    @property
    def waiting(self) -> bool:
        return bool(self._callbacks)

    def _deliver(self, ticket: int) -> None:
        with self._lock:
            result, error = self._answers.pop(ticket)
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks is None:      # a newer question was asked meanwhile: this answer is stale
            return
        then, failed = callbacks
        if error is None:
            then(result)
        elif failed is not None:
            failed(error)
        else:
            raise error
