"""Every GUI test: our fonts and names on pytest-qt's QApplication, and no modal message box."""

from __future__ import annotations

import pytest

from app.ui.app import make_application


@pytest.fixture(autouse=True)
def application(qapp):
    make_application([])  # our fonts and names on pytest-qt's QApplication
    return qapp


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    """A modal message box would wait forever offscreen: fail the test with its text instead."""
    def refuse(_parent, title, text, *args, **kwargs):
        raise AssertionError(f"message box «{title}»: {text}")

    def ask(_parent, title, text, *args, **kwargs):
        if title == "Chưa lưu":   # the test's windows closed at its end drop what it left typed
            return QMessageBox.StandardButton.Yes
        return refuse(_parent, title, text)

    from app.ui.qt import QMessageBox

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QMessageBox, "question", ask)   # a test that expects a question answers it itself


@pytest.fixture(autouse=True)
def own_settings(tmp_path):
    """Each test keeps its window sizes, columns and last filters in its own folder: none leak into the next."""
    from app.ui.qt import QSettings

    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(tmp_path / "settings"))
