"""Small pieces shared by pages and dialogs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app import clock
from app.db import Database
from app.services import documents, units
from app.services.auth import Actor
from app.services.scope import tree_in_scope
from app.services.units import UnitNode
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDate,
    QDateEdit,
    QHeaderView,
    QMessageBox,
    QTableView,
    QWidget,
)

UNIT_TABLES = ("unit", "unit_version")


@dataclass(frozen=True)
class Context:
    """What every page needs: the database and who is acting."""

    db: Database
    actor: Actor
    _trees: dict = field(default_factory=dict, compare=False, repr=False)

    def unit_tree(self, *, in_scope: bool = True) -> list[UnitNode]:
        """The units today (the user's own, or all), read again only once a unit was written here or the
        day turned: every page's filters list them, and over a district that read is not free. A page
        reloads its choices on the same signal, so it never shows a tree older than it would have."""
        key = (in_scope, clock.today(), self.db.changes.stamp(UNIT_TABLES))
        if key not in self._trees:
            for stale in [kept for kept in self._trees if kept[1:] != key[1:]]:
                del self._trees[stale]
            reader = tree_in_scope if in_scope else units.tree
            self._trees[key] = reader(self.db, self.actor)
        return self._trees[key]


def show_error(parent: QWidget | None, message: str, title: str = "Không thực hiện được") -> None:
    QMessageBox.warning(parent, title, message)


def confirm(parent: QWidget | None, question: str, title: str = "Xác nhận") -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def delete_confirmed(parent: QWidget, load, question, delete) -> bool:
    """Read the record, ask `question(record)`, delete it at the version read; a refusal is shown.
    True when it was deleted."""
    from app.services.errors import ServiceError

    try:
        record = load()
        if not confirm(parent, question(record)):
            return False
        delete(record.version)
    except ServiceError as error:
        show_error(parent, str(error))
        return False
    return True


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(to_qdate(value or clock.today()))
    return edit


NO_DATE = date(2000, 1, 1)


def optional_date_edit(value: date | None, none_text: str = "— không đặt —") -> QDateEdit:
    """A date that may be left unset: its lowest value stands for "none" and shows `none_text`."""
    edit = date_edit(value or NO_DATE)
    edit.setMinimumDate(to_qdate(NO_DATE))
    edit.setSpecialValueText(none_text)
    return edit


def optional_date(edit: QDateEdit) -> date | None:
    value = to_date(edit.date())
    return None if value == NO_DATE else value


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def fill_units(combo: QComboBox, nodes: list[UnitNode], *, members_only: bool = False,
               first: str | None = None, active_only: bool = True) -> None:
    """Units indented by depth; `members_only` offers only chi bộ (where members belong)."""
    depth: dict[int, int] = {}
    names = units.distinct_names(nodes)   # two villages with one name are told apart
    combo.clear()
    if first is not None:
        combo.addItem(first, None)
    for node in nodes:
        depth[node.id] = depth.get(node.parent_id, -1) + 1 if node.parent_id in depth else 0
        if active_only and not node.active:
            continue
        if members_only and not node.kind.holds_members:
            continue
        combo.addItem("    " * depth[node.id] + names[node.id], node.id)


def fill_documents(combo: QComboBox, rows, first: str = "Mọi văn bản") -> None:
    """A document filter: "54-KL/TW — Tiếp tục thực hiện…", the summary cut short."""
    combo.addItem(first, None)
    for row in rows:
        combo.addItem(f"{row.number} — {row.summary[:60]}", row.id)


def select_data(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


def row_table(model, widths: list[int], *, single: bool = False) -> QTableView:
    """A read-only table chosen by whole rows: fixed row height, no row numbers, columns at these widths,
    but for the widest (a name, a title), which takes what is left: the table fits the window, no figure
    at its right end is pushed off a 1366-pixel screen, and clipped text shows whole as a tip."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(24)
    vertical.hide()
    header = table.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    if widths:
        header.setSectionResizeMode(widths.index(max(widths)), QHeaderView.ResizeMode.Stretch)
    return table


def select_document(context: Context, combo: QComboBox, document_id: int | None) -> None:
    """Choose a record's document in a combo of the newest ones, adding it when it is older than those listed."""
    if document_id is not None and combo.findData(document_id) < 0:
        row = documents.row(context.db, context.actor, document_id)
        combo.addItem(f"{row.number} — {row.summary[:60]}", document_id)
    select_data(combo, document_id)
