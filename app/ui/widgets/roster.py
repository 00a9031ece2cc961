"""The roster of a session, marked from the keyboard.

Type letters to jump to a name (no marks needed: "hoa" finds "Lò Thị Hoa"; a space while typing a name is
part of the name), Space to step the mark (Có mặt → Vắng có lý do → Vắng không lý do), 1/2/3 to set it at
once (2, an excused absence, opens its reason), F2 to write the reason of the member in front of the
user, whichever cell is current; Enter closes the reason and never saves the dialog from the list. A mark set, or a reason written, goes on to the next member. Only
these keys change a mark: a key meant for the reason never reaches a mark.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from app.models.enums import Presence
from app.services.meetings import RosterLine
from app.services.numbers import short_date
from app.services.search import clean, fold
from app.ui import style
from app.ui.qt import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractTableModel,
    QBrush,
    QColor,
    QHeaderView,
    QModelIndex,
    Qt,
    QTableView,
    Signal,
)

STEPS = {None: Presence.PRESENT, Presence.PRESENT: Presence.EXCUSED, Presence.EXCUSED: Presence.UNEXCUSED,
         Presence.UNEXCUSED: Presence.PRESENT}
KEYS = {Qt.Key.Key_1: Presence.PRESENT, Qt.Key.Key_2: Presence.EXCUSED, Qt.Key.Key_3: Presence.UNEXCUSED}
COLOURS = {Presence.PRESENT: QBrush(QColor(style.GOOD)), Presence.EXCUSED: QBrush(QColor(style.WARNING)),
           Presence.UNEXCUSED: QBrush(QColor(style.ERROR)), None: QBrush(QColor(style.MUTED))}
FLAGGED = QBrush(QColor("#fde2e1"))
ERROR_ROW = QBrush(QColor("#ffd7d5"))
REASON_COLUMN = 5
TITLES = ["STT", "Họ và tên", "Năm sinh", "Chi bộ / đơn vị", "Điểm danh", "Lý do vắng / ghi chú", "Học bù"]


class RosterModel(QAbstractTableModel):
    marksChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lines: list[RosterLine] = []
        self.error_rows: dict[int, str] = {}
        self.editable = True

    def set_lines(self, lines: list[RosterLine]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.error_rows = {}
        self.endResetModel()
        self.marksChanged.emit()

    def set_errors(self, rows: dict[int, str]) -> None:
        self.error_rows = rows
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(TITLES) - 1))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(TITLES):
            return TITLES[section]
        return None

    def _text(self, number: int, line: RosterLine, column: int) -> str:
        if column == 0:
            return str(number + 1)
        if column == 1:
            return line.name + (" (khách mời)" if line.is_guest else "")
        if column == 2:
            return str(line.birth_year or "")
        if column == 3:
            return line.guest_note if line.is_guest and not line.unit_name else line.unit_name
        if column == 4:
            return line.presence.label if line.presence else "Chưa điểm danh"
        if column == 5:
            return line.reason
        if line.made_up_on:
            return f"{short_date(line.made_up_on)}: {line.made_up_how}"
        return ""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line, column = self.lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(index.row(), line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.row() in self.error_rows:
                return self.error_rows[index.row()]
            if not line.expected:
                return "Người này không còn sinh hoạt ở chi bộ dự họp vào ngày này: bỏ khỏi danh sách hoặc ghi là khách mời."
            return self._text(index.row(), line, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            return COLOURS[line.presence]
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.row() in self.error_rows:
                return ERROR_ROW
            if not line.expected:
                return FLAGGED
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() == REASON_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() != REASON_COLUMN:
            return False
        line = self.lines[index.row()]
        if line.is_guest:
            self.lines[index.row()] = replace(line, guest_note=clean(str(value)))
        else:
            self.lines[index.row()] = replace(line, reason=clean(str(value)))
        self.dataChanged.emit(index, index)
        return True

    # --- ours ---
    def mark(self, rows: list[int], presence: Presence | None = None) -> None:
        """Set a mark on these rows, or step each one (Space) when no mark is given; guests stay present."""
        for row in rows:
            line = self.lines[row]
            if line.is_guest:
                continue
            new = presence or STEPS[line.presence]
            self.lines[row] = replace(line, presence=new, reason=line.reason if new is Presence.EXCUSED else "",
                                      made_up_on=None if new is Presence.PRESENT else line.made_up_on,
                                      made_up_how="" if new is Presence.PRESENT else line.made_up_how)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(TITLES) - 1))
        self.marksChanged.emit()

    def all_present(self) -> None:
        self.mark([row for row, line in enumerate(self.lines) if not line.is_guest], Presence.PRESENT)

    def add_guest(self, line: RosterLine) -> int:
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(replace(line, is_guest=True, presence=Presence.PRESENT))
        self.endInsertRows()
        self.marksChanged.emit()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.lines[row]
        self.endRemoveRows()
        self.marksChanged.emit()

    def find(self, typed: str, start: int = 0) -> int | None:
        """The first row from `start` whose name has a word starting with what was typed (or contains it)."""
        wanted = fold(typed)
        if not wanted or not self.lines:
            return None
        order = list(range(start, len(self.lines))) + list(range(0, start))
        for test in (lambda name: any(word.startswith(wanted) for word in name.split()),
                     lambda name: wanted in name):
            for row in order:
                if test(fold(self.lines[row].name)):
                    return row
        return None

    def summary(self) -> str:
        members = [line for line in self.lines if not line.is_guest]
        counts = {presence: sum(line.presence is presence for line in members) for presence in (*Presence, None)}
        made_up = sum(line.made_up_on is not None for line in members)
        guests = len(self.lines) - len(members)
        parts = [f"Có mặt {counts[Presence.PRESENT]}/{len(members)}",
                 f"vắng có lý do {counts[Presence.EXCUSED]}", f"vắng không lý do {counts[Presence.UNEXCUSED]}"]
        if made_up:
            parts.append(f"đã học bù {made_up}")
        if counts[None]:
            parts.append(f"chưa điểm danh {counts[None]}")
        if guests:
            parts.append(f"khách mời {guests}")
        return " · ".join(parts)


class RosterView(QTableView):
    """Letters find a name, Space steps the mark of the selected rows, 1/2/3 set it."""

    SEARCH_PAUSE = 1.0  # seconds of silence that start a new name

    def __init__(self, model: RosterModel, parent=None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.roster = model
        self._typed, self._last_key = "", 0.0
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(24)
        vertical.hide()
        header = self.horizontalHeader()
        for column, width in enumerate([36, 190, 64, 170, 120, 170]):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

    def selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return rows or ([self.currentIndex().row()] if self.currentIndex().isValid() else [])

    def go_to(self, row: int) -> None:
        self.selectRow(row)
        self.setCurrentIndex(self.roster.index(row, 1))
        self.scrollTo(self.roster.index(row, 1))

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        key, text = event.key(), event.text()
        plain = not (event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier))
        now = time.monotonic()
        searching = bool(self._typed) and now - self._last_key < self.SEARCH_PAUSE
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return   # the Enter that closed a reason, or a stray one: never the dialog's «Lưu» from here
        if plain and self.roster.editable and self.currentIndex().isValid():
            if key == Qt.Key.Key_F2:
                self.write_reason()
                return
            if key == Qt.Key.Key_Space and not searching:
                self.roster.mark(self.selected_rows())
                return
            if key in KEYS:
                rows = self.selected_rows()
                self.roster.mark(rows, KEYS[key])
                if len(rows) == 1 and KEYS[key] is Presence.EXCUSED:
                    self.write_reason()        # an excused absence has its reason written next
                elif len(rows) == 1:
                    self._next(rows[0])        # one member marked: on to the next
                return
        if plain and text and (text.isalpha() or (text == " " and searching)):
            self._typed = (self._typed if searching else "") + text
            self._last_key = now
            found = self.roster.find(self._typed.strip())
            if found is not None:
                self.go_to(found)
            return
        super().keyPressEvent(event)

    def _next(self, row: int) -> None:
        if row + 1 < self.roster.rowCount():
            self.go_to(row + 1)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 (Qt's name)
        """A reason written (Enter) goes on to the next member; Esc leaves the reason as it was, and stays."""
        row = self.currentIndex().row()
        super().closeEditor(editor, hint)
        if hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            self._next(row)

    def write_reason(self) -> None:
        """Open the reason of the current member for typing, wherever the current cell is."""
        row = self.currentIndex().row()
        self._typed = ""
        reason = self.roster.index(row, REASON_COLUMN)
        self.setCurrentIndex(reason)
        self.edit(reason)
