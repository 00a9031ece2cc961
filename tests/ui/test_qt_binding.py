"""The Qt binding itself, as the app uses it for a whole working day."""

from __future__ import annotations

import sys

from app.ui.qt import QApplication, QLabel


def test_qt_calls_keep_their_references_to_none(qtbot):
    """PySide6 6.12.0 dropped a reference to None on every call returning nothing (setText,
    processEvents…): on Python 3.11, where None is counted like any object, a clerk's day of clicks
    ended the app with "none_dealloc". The binding is held at a release without it."""
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(2000):
        label.setText(str(number))
        QApplication.processEvents()
    assert sys.getrefcount(None) - before > -100   # a few may come and go; two thousand lost would show
