"""Table models: paged over service queries (rows arrive a page at a time, sorted in SQL), or a
short list already in hand (a file's preview).

Like Anki's browser model, the paged model keeps only the rows fetched so far; the view asks for
more (canFetchMore/fetchMore) as the user scrolls, and the service pages by key, never by OFFSET.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.ui.qt import QAbstractTableModel, QModelIndex, Qt

Fetch = Callable[[str, bool, Any, int], list[Any]]  # (sort, descending, after, limit) -> rows


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    sort: str | None = None          # the service's sort name; None: not sortable
    align_right: bool = False


class RowsModel(QAbstractTableModel):
    """Rows shown through Columns; `colour` and `background` pick a brush per row (or None)."""

    def __init__(self, columns: list[Column], *, colour: Callable[[Any], Any] | None = None,
                 background: Callable[[Any], Any] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._colour, self._background = colour, background
        self._rows: list[Any] = []

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):  # the tip shows clipped text
            value = column.value(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._colour is not None:
            return self._colour(row)
        if role == Qt.ItemDataRole.BackgroundRole and self._background is not None:
            return self._background(row)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def row_at(self, index: int) -> Any:
        return self._rows[index]


class ListTableModel(RowsModel):
    """A short list already in memory (a file being imported), replaced as a whole."""

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


class PagedTableModel(RowsModel):
    def __init__(self, columns: list[Column], fetch: Fetch, key_of: Callable[[Any], Any], *,
                 page_size: int = 200, sort: str = "name", descending: bool = False,
                 colour: Callable[[Any], Any] | None = None, background: Callable[[Any], Any] | None = None,
                 parent=None) -> None:
        super().__init__(columns, colour=colour, background=background, parent=parent)
        self._fetch, self._key_of = fetch, key_of
        self.page_size, self.sort_name, self.descending = page_size, sort, descending
        self._exhausted = False
        self._fetching = False
        self._loaded = False

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        # Views (and the model tester) may ask again while rows are being inserted: one page at a time.
        self._fetching = True
        try:
            after = self._key_of(self._rows[-1]) if self._rows else None
            page = self._fetch(self.sort_name, self.descending, after, self.page_size)
            self._exhausted = len(page) < self.page_size
            if page:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
                self._rows.extend(page)
                self.endInsertRows()
        finally:
            self._fetching = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or self.columns[column].sort is None:
            return
        wanted = (self.columns[column].sort, order == Qt.SortOrder.DescendingOrder)
        if not self._loaded and wanted == (self.sort_name, self.descending):
            return   # a view turning sorting on at the page's own order: the page's first load follows
        self.sort_name, self.descending = wanted
        self.reload()

    # --- ours ---
    def every_row(self, page_size: int = 1000):
        """All the rows of the list as it is sorted and filtered now, fetched a page at a time (an export)."""
        after = None
        while True:
            page = self._fetch(self.sort_name, self.descending, after, page_size)
            yield from page
            if len(page) < page_size:
                return
            after = self._key_of(page[-1])

    def shown_values(self, row: Any) -> list[str]:
        """A row as its cells show it."""
        return ["" if (value := column.value(row)) is None else str(value) for column in self.columns]

    def reload(self) -> None:
        """Start again from the first page (after a filter, a sort or an edit)."""
        # Views ask for rows while they handle the reset; the first page comes after it, not inside it.
        self._fetching, self._loaded = True, True
        try:
            self.beginResetModel()
            self._rows, self._exhausted = [], False
            self.endResetModel()
        finally:
            self._fetching = False
        self.fetchMore()
