"""Long work runs off the GUI thread behind a progress dialog whose «Dừng» really stops it."""

from __future__ import annotations

import time

import pytest
import shiboken6

from app.services.errors import Cancelled
from app.ui import operations
from app.ui.qt import QApplication, QProgressDialog, QPushButton, Qt, QTimer, QWidget


def press_stop_when_shown(qtbot, pressed: list[str]) -> None:
    """Click «Dừng» on the progress dialog as soon as it is on screen (it waits 400 ms to show)."""
    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(50, look)
            return
        button = shown[0].findChild(QPushButton)
        pressed.append(button.text())
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, look)


def test_dung_stops_the_work_where_it_checks(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    done: list[int] = []
    painted: list[int] = []
    ticker = QTimer(window, interval=20)
    ticker.timeout.connect(lambda: painted.append(1))   # the GUI thread keeps running meanwhile
    ticker.start()

    def work(progress) -> str:
        for step in range(2000):
            time.sleep(0.005)
            progress.step(step, 2000, "Đã dừng; chưa ghi gì.")
            done.append(step)
        return "xong"

    pressed: list[str] = []
    press_stop_when_shown(qtbot, pressed)
    with pytest.raises(Cancelled, match="chưa ghi gì"):
        operations.run(window, "Đang làm việc dài…", work)
    assert pressed == ["Dừng"]
    assert 0 < len(done) < 2000 and len(painted) >= 3


def test_quick_work_comes_back_as_a_direct_call_would(qtbot):
    assert operations.run(None, "Nhanh…", lambda progress: 6 * 7) == 42
    with pytest.raises(ZeroDivisionError):
        operations.run(None, "Lỗi…", lambda progress: 1 / 0)


def test_a_background_answer_overtaken_by_a_newer_question_is_dropped(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    background = operations.Background(owner)
    answers: list[str] = []
    background.ask(lambda: time.sleep(0.3) or "cũ", answers.append)
    background.ask(lambda: "mới", answers.append)
    qtbot.waitUntil(lambda: not background.waiting, timeout=3000)
    qtbot.wait(400)   # the slow, stale answer arrives meanwhile and is dropped
    assert answers == ["mới"]


def test_a_page_closed_while_its_read_runs_is_not_answered_and_nothing_crashes(qtbot):
    """The worker tells an object that lives as long as the application, never the dead page's."""
    answers: list[str] = []
    for _ in range(20):
        owner = QWidget()
        background = operations.Background(owner)
        background.ask(lambda: time.sleep(0.05) or "muộn", answers.append)
        shiboken6.delete(owner)   # gone at once, its Background with it (deleteLater waits for the event loop)
        assert not shiboken6.isValid(background)
    qtbot.wait(300)   # every late answer has come back by now
    survivor = QWidget()
    qtbot.addWidget(survivor)
    alive = operations.Background(survivor)
    alive.ask(lambda: "còn", answers.append)
    qtbot.waitUntil(lambda: not alive.waiting, timeout=3000)
    assert answers == ["còn"]


def test_python_collects_cycles_on_the_gui_thread_only(qtbot):
    """A collection on a worker thread could finalise a dead dialog there and crash Qt (seen: a workbook
    read off the GUI thread while the previous test's dialogs waited to be collected)."""
    import gc
    import weakref

    from app.ui.operations import GuiThreadCollector

    assert not gc.isenabled() and QApplication.instance().findChild(GuiThreadCollector) is not None

    class Node:
        pass

    cycle = Node()
    cycle.itself = cycle
    gone = weakref.ref(cycle)
    del cycle
    kept = [[] for _ in range(gc.get_threshold()[0] + 100)]   # enough new objects for a collection to be due
    qtbot.waitUntil(lambda: gone() is None, timeout=3000)
    assert kept
