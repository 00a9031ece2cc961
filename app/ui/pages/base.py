"""What every list page shares (sessions, documents, materials, cases, people, the audit trail).

A search box and filters that refresh the table (typing and dates debounced), a table paged and
sorted in SQL, an empty state that says what to do next, a count or totals line worked out off the
GUI thread, and being current whenever it is shown: dates that follow the calendar move to the new
day (unless the user chose one), and the list and its filter choices reload if anything they show
was written meanwhile, on any page (the change hub: `Database.changes`). Column widths and the
filters chosen are kept per user (ViewState).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from app import clock
from app.services.numbers import count_text
from app.ui.operations import Background
from app.ui.qt import QCheckBox, QComboBox, QDateEdit, QHeaderView, QLabel, QLineEdit, Qt, QTimer, QWidget
from app.ui.tables import Column, PagedTableModel
from app.ui.view_state import ViewState
from app.ui.widgets.common import (
    NO_DATE,
    Context,
    date_edit,
    optional_date_edit,
    row_table,
    show_error,
    to_date,
    to_qdate,
)

if TYPE_CHECKING:
    from app.db import Database

DEBOUNCE_MS = 250   # typing and date spinning wait this long before the list is asked again


class ClockDefault:
    """A filter or field whose default is reckoned from today (1 January of this year, today, this
    month): `follow()` moves it to today's default when the page is shown on a later day, unless the
    user has set it to something of their own."""

    def __init__(self, read: Callable[[], Any], write: Callable[[Any], None], default: Callable[[date], Any]) -> None:
        self.read, self.write, self.default = read, write, default
        self.given = default(clock.today())
        write(self.given)

    def follow(self) -> bool:
        """True if it moved."""
        wanted = self.default(clock.today())
        if wanted == self.given or self.read() != self.given:
            return False
        self.write(wanted)
        self.given = wanted
        return True


def following_date(edit: QDateEdit, default: Callable[[date], date | None]) -> ClockDefault:
    """A date edit's default from today, set without a change signal (the page refreshes itself)."""
    def write(day: date | None) -> None:
        edit.blockSignals(True)
        edit.setDate(to_qdate(day or NO_DATE))
        edit.blockSignals(False)

    return ClockDefault(lambda: _date_or_none(edit), write, default)


def _date_or_none(edit: QDateEdit) -> date | None:
    day = to_date(edit.date())
    return None if day == NO_DATE else day


class ChangeWatch:
    """Whether any of some tables was written, by anyone in this process, since last asked."""

    def __init__(self, db: Database, tables: tuple[str, ...]) -> None:
        self.db, self.tables = db, tables
        self._seen = db.changes.stamp(tables)

    def moved(self) -> bool:
        stamp = self.db.changes.stamp(self.tables)
        moved, self._seen = stamp != self._seen, stamp
        return moved


class CurrentPage(QWidget):
    """A page that is current when shown: its calendar defaults follow the day (`clock_defaults`) and it
    reloads (`refresh`) if any table it shows (`watches`) was written meanwhile."""

    watches: tuple[str, ...] = ()

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.watched = ChangeWatch(context.db, self.watches)
        self.clock_defaults: list[ClockDefault] = []

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        moved = [field.follow() for field in self.clock_defaults]
        if self.watched.moved() or any(moved):
            self.refresh()


class ListPage(QWidget):
    title = ""
    watches: tuple[str, ...] = ()   # tables whose changes reload the page when it is next shown
    search_hint = "Tìm…"
    has_figures = False             # a totals line worked out by `figures` off the GUI thread

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.watched = ChangeWatch(context.db, self.watches)   # before any list or choice is read
        self.clock_defaults: list[ClockDefault] = []
        self._counting, self._totals = Background(self), Background(self)
        self.totals_note = ""   # said after the totals line until the next refresh (a file just imported)
        self._open_dialogs: dict[Any, QWidget] = {}   # record id -> its dialog, while open
        self.filter_widgets: list[QWidget] = []         # what an export names as the list's filters
        self._unit_names: dict[int, str] | None = None  # units told apart where two share a name
        self.state = ViewState(context.actor.username, type(self).__name__)
        self.search = QLineEdit(placeholderText=self.search_hint)
        self.search.setClearButtonEnabled(True)
        self.empty_label = QLabel(wordWrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.totals = QLabel(wordWrap=True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)

    # ---- parts a page builds itself from ---------------------------------------------------------
    def clock_date(self, default: Callable[[date], date | None], none_text: str | None = None) -> QDateEdit:
        """A date filter starting at `default(today)`, moved on when the page is shown on a later day."""
        edit = date_edit() if none_text is None else optional_date_edit(None, none_text)
        self.clock_defaults.append(following_date(edit, default))
        edit.dateChanged.connect(self._debounce.start)
        self.filter_widgets.append(edit)
        return edit

    def refresh_on(self, *widgets: QWidget) -> None:
        """Each filter widget refreshes the list when changed (dates and text after a pause)."""
        self.filter_widgets.extend(widgets)
        for widget in widgets:
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.refresh)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self.refresh)
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(self._debounce.start)
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._debounce.start)

    def paged_table(self, columns: list[Column], widths: list[int], *, sort: str, descending: bool = False,
                    colour=None, background=None) -> None:
        """`self.model` over `fetch`, sorted in SQL from the header, and `self.table` showing it."""
        self.model = PagedTableModel(
            columns, lambda by, desc, after, limit: self.fetch(self.filter(), by, desc, after, limit),
            lambda row: (row.sort_value, row.id), sort=sort, descending=descending, colour=colour,
            background=background, parent=self)
        self.table = row_table(self.model, widths, single=True)
        sorted_column = next(index for index, column in enumerate(columns) if column.sort == sort)
        self.table.horizontalHeader().setSortIndicator(
            sorted_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        # Kept widths under a new name since the tables fit the window (widths kept before would not fit).
        self.state.remember("columns-fit", header)
        # Widths kept from last time, but the widest column still takes what is left (a kept state may not).
        header.setSectionResizeMode(widths.index(max(widths)), QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda index: self.open_once(self.model.row_at(index.row())))

    def unit_label(self, unit_id: int, name: str) -> str:
        """A unit's name in the list, with its commune (or code) where another unit has the same name."""
        if self._unit_names is None:
            from app.services import units

            self._unit_names = units.distinct_names(self.context.unit_tree(in_scope=False))
        return self._unit_names.get(unit_id, name)

    # ---- the list as shown, to a workbook ---------------------------------------------------------
    def filter_description(self) -> list[str]:
        """The filters in words, as the page shows them: «Tìm: …», each choice made, each date set."""
        described = [f"Tìm: «{self.search.text().strip()}»"] if self.search.text().strip() else []
        dates = [widget for widget in self.filter_widgets if isinstance(widget, QDateEdit)]
        for widget in self.filter_widgets:
            if isinstance(widget, QComboBox) and widget.currentIndex() > 0:
                described.append(widget.currentText().strip())
            elif isinstance(widget, QDateEdit) and widget.date() != widget.minimumDate():
                word = ("từ ngày", "đến ngày")[min(dates.index(widget), 1)]   # the pages' dates go in pairs
                described.append(f"{word} {widget.date().toString('dd/MM/yyyy')}")
            elif isinstance(widget, QCheckBox) and widget.isChecked():
                described.append(widget.text())
        return list(dict.fromkeys(described))

    def export_xlsx(self, path) -> int:
        """The list as shown (every row, not just those scrolled to) into a print-ready workbook."""
        from app import clock as app_clock
        from app.reports import list_export

        header = self.table.horizontalHeader()
        widths = [header.sectionSize(index) for index in range(len(self.model.columns))]
        return list_export.write(path, self.title, self.filter_description(), [c.title for c in self.model.columns],
                                 widths, (self.model.shown_values(row) for row in self.export_rows()),
                                 app_clock.local_now())

    def export_rows(self):
        """Every row of the list as filtered and sorted now, for the export."""
        return self.model.every_row()

    # ---- what each page fills in ----------------------------------------------------------------
    def filter(self) -> Any:
        raise NotImplementedError

    def fetch(self, flt: Any, sort: str, descending: bool, after: Any, limit: int) -> list[Any]:
        raise NotImplementedError

    def count(self, flt: Any) -> int | None:
        """How many rows the filter finds (None: the page shows no count)."""
        return None

    def empty_text(self) -> str:
        return "Không có gì khớp với điều kiện đã chọn."

    def figures(self, flt: Any) -> Any:
        """The filtered set's figures (`has_figures`), asked off the GUI thread: services only, no widget."""
        raise NotImplementedError

    def totals_text(self, total: int | None, figures: Any) -> str:
        """The line under the table from the count and the figures, each None until it comes."""
        return ""

    def reload_choices(self) -> None:
        """Fill the filter combos again (something they list was written meanwhile)."""

    def open_row(self, row: Any) -> QWidget | None:
        """Open a row's record (Enter or a double click); the dialog, when it stays open beside the page."""

    def open_record(self, make: Callable[[], QWidget]) -> QWidget | None:
        """A record's dialog opened beside the page, the page refreshed when it is saved; a record that cannot
        open (deleted meanwhile, not the user's on its day) is said in a box."""
        from app.services.errors import ServiceError

        try:
            dialog = make()
        except ServiceError as error:
            show_error(self, str(error))
            return None
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def open_once(self, row: Any, label: str | None = None) -> QWidget | None:
        """One dialog per record: a record already open is brought forward, not opened a second time. It is
        kept among the user's recent records under `label` (by default its first cells as shown)."""
        key = getattr(row, "id", None)
        dialog = self._open_dialogs.get(key)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = self.open_row(row)
        if key is not None:
            from app.ui import recent

            if label is None:
                label = " · ".join(value for value in self.model.shown_values(row)[:3] if value)
            recent.remember(self.context.actor.username, self.title, key, label)
        if dialog is not None and key is not None:
            self._open_dialogs[key] = dialog
            dialog.finished.connect(lambda _result, key=key: self._open_dialogs.pop(key, None))
        return dialog

    # ---- the page at work --------------------------------------------------------------------------
    def refresh(self) -> None:
        """The first page of rows now; the count and figures of the whole filtered set off the GUI thread
        (over ten years a count alone can take longer than a keystroke may)."""
        flt = self.filter()
        self.model.reload()
        empty = self.model.rowCount() == 0   # the first page tells, without counting them all
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText(self.empty_text())
        self.show_totals(flt)

    def show_totals(self, flt: Any) -> None:
        """The line under the table: the count and the figures each shown as it comes, unless a newer
        filter was asked meanwhile."""
        found: dict[str, Any] = {"total": None, "figures": None}

        def show(**answer: Any) -> None:
            found.update(answer)
            self.totals.setText(self.totals_text(found["total"], found["figures"]) + self.totals_note)

        def failed(error: BaseException) -> None:
            self.totals.setText(f"{self.totals.text()} · {error}")

        self.totals_note = ""
        show()
        if type(self).count is not ListPage.count:
            self._counting.ask(lambda: self.count(flt), lambda total: show(total=total), failed)
        if self.has_figures:
            self._totals.ask(lambda: self.figures(flt), lambda figures: show(figures=figures), failed)

    def show_filtered(self, **wanted: Any) -> None:
        """The rows behind a figure clicked elsewhere (the overview): every filter back to «Mọi…» and the
        search cleared, then the filters named (`start=`, `unit_filter=`…) set to the values given."""
        widgets = [self.search, *self.filter_widgets, *(getattr(self, name) for name in wanted)]
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for widget in self.filter_widgets:
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
        for name, value in wanted.items():
            widget = getattr(self, name)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QDateEdit):
                widget.setDate(to_qdate(value or NO_DATE))
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    @property
    def totals_waiting(self) -> bool:
        """A count or figures still being worked out."""
        return self._counting.waiting or self._totals.waiting

    def bring_up_to_date(self) -> bool:
        """Follow the calendar and what was written elsewhere; True if the list was asked again."""
        dates_moved = [field.follow() for field in self.clock_defaults]
        written = self.watched.moved()
        if written:
            self._unit_names = None
            self.reload_choices()
        if written or any(dates_moved):
            self.refresh()
            return True
        return False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.bring_up_to_date()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.state.save()
        super().hideEvent(event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_row(self) -> Any | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_id(self) -> int | None:
        row = self.selected_row()
        return row.id if row is not None else None


def counted(total: int | None, noun: str, *, bold: bool = True) -> str:
    """«1.234 người», or that it is being counted."""
    if total is None:
        return "Đang đếm…"
    return f"<b>{count_text(total)}</b> {noun}" if bold else f"{count_text(total)} {noun}"


def refill(combo: QComboBox, fill: Callable[[QComboBox], None]) -> None:
    """Fill a filter combo again keeping what was chosen (by its data), without a refresh per item."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    fill(combo)
    index = combo.findData(chosen)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)
