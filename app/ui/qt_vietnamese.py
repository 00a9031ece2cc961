"""Qt's own words (Yes/No, OK, the file and print dialogs, the edit menus) in Vietnamese.

Qt ships no Vietnamese translation, so the app keeps its own in resources/translations/qt_vi.ts, the format
Qt Linguist opens, and a translator reads it directly: no compiled .qm file to keep in step with it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from functools import cache
from pathlib import Path

from app.config import resources_dir
from app.ui.qt import QCoreApplication, QTranslator

TS_FILE = Path("translations") / "qt_vi.ts"
_installed: list[QTranslator] = []   # Qt holds only a pointer: the translator must outlive the call


@cache
def table(path: Path | None = None) -> dict[tuple[str, str], str]:
    """(context, source) -> Vietnamese, from the .ts file."""
    root = ElementTree.parse(path or resources_dir() / TS_FILE).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.findtext("translation")
            if translation:
                found[(name, message.findtext("source", ""))] = translation
    return found


class QtInVietnamese(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return table().get((context, source))   # None: Qt keeps its own text (shortcuts such as Alt+Left)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt's name)
        return False


def install() -> None:
    if not _installed:
        _installed.append(QtInVietnamese())
        QCoreApplication.installTranslator(_installed[0])
