"""Windows that fit a 1366×768 commune laptop (1366×728 above the taskbar).

Two general rules rather than a pixel budget per screen: a choice box is as narrow as a few words and grows
with its row (its open list still shows whole lines), and a page or a long form that is still taller or
wider than the window scrolls instead of pushing the window off the screen.
"""

from __future__ import annotations

from app.ui.qt import QComboBox, QFrame, QScrollArea, QWidget

SCREEN_WIDTH, SCREEN_HEIGHT = 1366, 728   # what a commune laptop shows above its taskbar
TITLE_BAR = 32                            # a window's frame above its content


def within_screen(width: int, height: int) -> tuple[int, int]:
    """A window's opening size, cut to what fits the laptop's screen with its title bar."""
    return min(width, SCREEN_WIDTH), min(height, SCREEN_HEIGHT - TITLE_BAR)
COMBO_LETTERS = 12


def narrow_combos(root: QWidget) -> None:
    """Every choice box under `root` asks only for COMBO_LETTERS letters; its list opens as wide as its
    longest line, so nothing is cut where the choice is made."""
    for combo in root.findChildren(QComboBox):
        if combo.isEditable():
            continue
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(min(combo.minimumContentsLength() or COMBO_LETTERS, COMBO_LETTERS))
        _widen_list(combo)
        model = combo.model()
        for signal in (model.rowsInserted, model.modelReset, model.dataChanged):
            signal.connect(lambda *_args, combo=combo: _widen_list(combo))


def _widen_list(combo: QComboBox) -> None:
    view = combo.view()
    wanted = view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 8
    view.setMinimumWidth(min(wanted, SCREEN_WIDTH - 40))


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` inside a frameless scroll area: scroll bars only when the window is smaller than it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area
