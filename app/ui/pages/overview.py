"""«Tổng quan»: the first page after login, each role's own.

- a leader: the month's figures beside the year so far, the units under the target, the tracked
  documents' progress, cases, the reports of the offices below, and two charts;
- a clerk: his units' month so far, what he still has to enter, what falls due this week;
- an inspector: the cases by state, due soon, overdue, the oldest still open;
- an administrator: accounts, the last backup, the exchange partners, the database's size.

Everything is read off the GUI thread (app/services/overview.py, the functions the reports use): the page
paints at once with «Đang tải…», then fills in. Each figure is a link to the list behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from typing import Any

from app import clock
from app.models.enums import CaseStatus, OpinionTendency, Role
from app.services import due, overview
from app.services.auth import Permission
from app.services.cases.listing import DUE_SOON, OVERDUE
from app.services.errors import ServiceError
from app.services.headline import HEADLINE_LABELS
from app.services.numbers import count_text, percent_text, short_date
from app.services.period import Period
from app.ui import charts, style
from app.ui.operations import Background
from app.ui.pages.base import CurrentPage
from app.ui.qt import QComboBox, QGridLayout, QHBoxLayout, QLabel, Qt, QVBoxLayout, QWidget
from app.ui.widgets.common import NO_DATE, Context

MONTHS_OFFERED = 36
MEETINGS, MATERIALS, CASES, DOCUMENTS = "Hội nghị", "Tài liệu, tin bài", "Phản ánh, kiến nghị", "Văn bản"
OPINION, EXAMPLES = "Dư luận xã hội", "Mô hình, điển hình"
# Which headline figure opens which list (the loudspeaker log is a week's dialog, not a list).
FIGURE_PAGES = {"meetings": MEETINGS, "attended": MEETINGS, "crowd": MEETINGS, "copies": MATERIALS,
                "articles": MATERIALS, "cases": CASES, "resolved": CASES}


def link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


@dataclass(frozen=True)
class Loaded:
    """What one refresh read, for the role's sections."""

    today: date
    empty_install: bool
    leader: overview.LeaderOverview | None = None
    months: tuple[list[overview.MonthRate], Any] | None = None
    cases: overview.CasesGlance | None = None
    housekeeping: overview.Housekeeping | None = None


@dataclass(frozen=True)
class Lists:
    """The slower second read (each tracked document's coverage, the reporting matrix): filled in after."""

    documents: tuple[overview.TrackedDocument, ...]
    reports: overview.ReportsGlance | None
    to_enter: overview.ToEnter | None = None
    due: list[due.DueItem] | None = None


class OverviewPage(CurrentPage):
    title = "Tổng quan"
    watches = ("meeting", "attendance", "material", "material_distribution", "broadcast", "case_file", "case_event",
               "document", "document_unit", "issued_report", "report_receipt", "report_decision", "membership",
               "app_user", "exchange_partner", "audit_entry", "unit", "unit_version", "office_profile")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.role = context.actor.role
        self.loaded: Loaded | None = None
        self.lists: Lists | None = None
        self._reader, self._lists_reader = Background(self), Background(self)
        self._list_labels: dict[str, QLabel] = {}   # the sections the second read fills
        self.month = QComboBox()
        self._months_from: date | None = None
        self._fill_months()
        self.month.setVisible(self.role is not Role.ADMIN)
        self.heading = QLabel()
        self.heading.setObjectName("overviewHeading")
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.status = QLabel("Đang tải…")
        self.status.setWordWrap(True)
        self.tiles = QGridLayout()
        self.tiles.setHorizontalSpacing(18)
        self.charts = QHBoxLayout()
        self.more_charts = QHBoxLayout()   # against last year; a tracked document's communes (second read)
        self.sections = QHBoxLayout()
        self.sections.setSpacing(18)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Kỳ:") if self.role is not Role.ADMIN else QWidget())
        top.addWidget(self.month)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(self.tiles)
        layout.addLayout(self.charts)
        layout.addLayout(self.sections)
        layout.addLayout(self.more_charts)
        layout.addStretch(1)
        self.month.currentIndexChanged.connect(self.refresh)
        self.refresh()

    # ---- the period ---------------------------------------------------------------------------------
    def _fill_months(self) -> None:
        """This month first, then back three years; refilled when the page is shown in a later month."""
        today = clock.today()
        self._months_from = date(today.year, today.month, 1)
        self.month.blockSignals(True)
        self.month.clear()
        year, month = today.year, today.month
        for _ in range(MONTHS_OFFERED):
            self.month.addItem(f"Tháng {month}/{year}", f"{year}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        self.month.blockSignals(False)

    def period(self) -> Period:
        return Period.parse("thang", self.month.currentData())

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        today = clock.today()
        if self.month.currentIndex() == 0 and self._months_from != date(today.year, today.month, 1):
            self._fill_months()
            self.refresh()
        super().showEvent(event)

    # ---- reading -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.status.setText("Đang tải…")
        period, db, actor, role = self.period(), self.context.db, self.context.actor, self.role

        def read() -> Loaded:
            today = clock.today()
            if not overview.has_anything(db, actor):
                housekeeping = overview.housekeeping(db, actor) if role is Role.ADMIN else None
                return Loaded(today, True, housekeeping=housekeeping)
            if role is Role.ADMIN:
                return Loaded(today, False, housekeeping=overview.housekeeping(db, actor))
            if role is Role.INSPECTOR:
                return Loaded(today, False, cases=overview.cases(db, actor, period))
            return Loaded(today, False, leader=overview.leader(db, actor, period),
                          months=overview.attendance_by_month(db, actor, period))

        def read_lists() -> Lists | None:
            if role in (Role.ADMIN, Role.INSPECTOR):
                return None
            found = Lists(overview.tracked_documents(db, actor), overview.reports_below(db, actor),
                          due=due.this_week(db, actor))
            if role is Role.CLERK:
                return replace(found, to_enter=overview.to_enter(db, actor, period))
            return found

        def then(loaded: Loaded) -> None:
            self.show_loaded(loaded)
            # Asked once the figures are in, not beside them: the charts then have the computer to themselves.
            self._lists_reader.ask(read_lists, self.show_lists, self._lists_failed)

        self.lists = None
        self._lists_reader.forget()   # a second read still running is of the period shown until now
        self._reader.ask(read, then, self._failed)

    @property
    def waiting(self) -> bool:
        return self._reader.waiting or self._lists_reader.waiting

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, ServiceError):   # a fault, not a refusal: into the log with its traceback
            logging.getLogger(__name__).error("Tổng quan", exc_info=error)
        self.status.setText(f"Chưa đọc được số liệu tổng quan: {error}")

    def _lists_failed(self, error: BaseException) -> None:
        """The second read's fault is said where its lists would be; the figures above stay."""
        if not isinstance(error, ServiceError):
            logging.getLogger(__name__).error("Tổng quan", exc_info=error)
        if "documents" in self._list_labels:
            self._list_labels["documents"].setText(f"Chưa đọc được danh sách: {escape(str(error))}")

    # ---- showing -------------------------------------------------------------------------------------
    def _clear(self) -> None:
        for layout in (self.tiles, self.charts, self.sections, self.more_charts):
            while layout.count():
                widget = layout.takeAt(0).widget()
                if widget is not None:
                    widget.deleteLater()

    def _label(self, html: str, *, box: bool = False) -> QLabel:
        label = QLabel(html)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.linkActivated.connect(self.open_link)
        if box:
            label.setFrameShape(QLabel.Shape.StyledPanel)
            label.setMargin(8)
        return label

    def show_loaded(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self._clear()
        self._list_labels = {}
        if loaded.empty_install:
            self.heading.setText("Bắt đầu sử dụng")
            self.status.setText("")
            self.sections.addWidget(self._label(self._first_steps(), box=True))
            if loaded.housekeeping:
                self.sections.addWidget(self._label(self._housekeeping_html(loaded.housekeeping), box=True))
            return
        if loaded.housekeeping is not None:
            self.heading.setText("Tình trạng hệ thống")
            self.status.setText("")
            self.sections.addWidget(self._label(self._housekeeping_html(loaded.housekeeping), box=True))
            return
        if loaded.leader is None and loaded.cases is not None:
            self._show_cases(loaded.cases)
            return
        self._show_leader(loaded)

    def _show_leader(self, loaded: Loaded) -> None:
        found = loaded.leader
        period = found.period
        self.heading.setText(f"{found.scope_name}: {period.label}")
        rate = (f"Tỷ lệ đảng viên tham dự (lượt): <b>{percent_text(found.rate)}</b> "
                f"({count_text(found.current.attended)}/{count_text(found.expected)}; chỉ tiêu "
                f"{percent_text(float(found.target))}); {count_text(found.people)} người tham gia.")
        if found.empty:
            self.status.setText(f"{period.label.capitalize()} chưa có số liệu nào: chưa nhập hội nghị, tài liệu, "
                                "buổi phát loa hay phản ánh nào trong kỳ. Số liệu lũy kế từ đầu năm xem bên dưới.")
        else:
            self.status.setText(rate if found.expected else "Các hội nghị trong kỳ chưa có danh sách đảng viên dự.")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        for index, (name, label) in enumerate(HEADLINE_LABELS.items()):
            value = getattr(found.current, name)
            year = getattr(found.year_to_date, name) if found.year_to_date else None
            year_shown = link("year:" + name, count_text(year)) if name in FIGURE_PAGES else count_text(year or 0)
            year_text = f"<br><span style='color:{style.MUTED}'>Từ đầu năm: </span>{year_shown}" \
                if year is not None else ""
            if name == "airings":
                label += f" ({count_text(found.airing_minutes)} phút)"
            shown = link("figure:" + name, count_text(value)) if name in FIGURE_PAGES else count_text(value)
            tile = self._label(f"<span style='font-size:17pt'>{shown}</span><br>{escape(label)}{year_text}", box=True)
            self.tiles.addWidget(tile, index // 4, index % 4)
        if loaded.months is not None:
            months, target = loaded.months
            if any(month.expected for month in months):
                self.charts.addWidget(charts.rate_by_month([overview.month_label(m.period) for m in months],
                                                           [m.rate for m in months], float(target)), 3)
        if found.forms:
            self.charts.addWidget(charts.bars("Hội nghị, buổi sinh hoạt trong kỳ theo loại",
                                              [kind.label for kind, _n in found.forms],
                                              [n for _kind, n in found.forms]), 2)
        changes = [(label, round(found.change(name))) for name, label in HEADLINE_LABELS.items()
                   if found.change(name) is not None]
        if changes:
            before = found.year_before.period
            self.more_charts.addWidget(charts.bars(
                f"Tăng (+), giảm (−) so với cùng kỳ năm {before.start.year} (%)",
                [label for label, _n in changes], [n for _label, n in changes], percent=True), 1)
        waiting = "<i>Đang tải…</i>"
        if self.role is Role.CLERK:
            self._list_labels["to_enter"] = self._label(waiting, box=True)
            self.sections.addWidget(self._list_labels["to_enter"], 1)
        self.sections.addWidget(self._label(self._below_html(found), box=True), 1)
        self._list_labels["documents"] = self._label(waiting, box=True)
        self.sections.addWidget(self._list_labels["documents"], 1)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._label(self._cases_html(found.cases), box=True))
        column.addWidget(self._label(self._opinion_html(found.opinion) + "<br><br>" + self._examples_html(found.examples),
                                     box=True))
        self._list_labels["reports"] = self._label("", box=True)
        self._list_labels["reports"].setVisible(False)
        column.addWidget(self._list_labels["reports"])
        column.addStretch(1)
        self.sections.addWidget(side, 1)

    def show_lists(self, lists: Lists | None) -> None:
        """The second read's sections, filled in under the figures."""
        self.lists = lists
        if lists is None or not self._list_labels:
            return
        labels = self._list_labels
        labels["documents"].setText(self._documents_html(lists.documents))
        latest = next((doc for doc in lists.documents if len(doc.communes) > 1), None)
        if latest is not None:
            self.more_charts.addWidget(charts.bars(
                f"{latest.title}: tỷ lệ đơn vị đã tổ chức quán triệt, theo đảng bộ (%)",
                [commune.name for commune in latest.communes],
                [round(commune.share or 0) for commune in latest.communes], percent=True), 1)
        owed = [item for item in lists.due or [] if item.kind == due.REPORTS]
        if self.role is not Role.CLERK and (lists.reports is not None or owed):   # a clerk has them in his list
            parts = [self._reports_html(lists.reports)] if lists.reports is not None else []
            if owed:
                parts.append("<b>Báo cáo phải gửi cấp trên</b><ul>"
                             + "".join(f"<li>{escape(item.text)}</li>" for item in owed) + "</ul>")
            labels["reports"].setText("<br>".join(parts))
            labels["reports"].setVisible(True)
        if "to_enter" in labels and lists.to_enter is not None:
            labels["to_enter"].setText(self._to_enter_html(lists.to_enter, lists.due or []))

    def _show_cases(self, cases: overview.CasesGlance) -> None:
        self.heading.setText(f"Phản ánh, kiến nghị: {self.period().label}")
        self.status.setText("")
        still_open = [(status, n) for status, n in cases.by_state if not status.resolved]
        if still_open:
            self.charts.addWidget(charts.bars("Vụ việc chưa giải quyết xong, theo trạng thái",
                                              [status.label for status, _n in still_open],
                                              [n for _status, n in still_open]), 1)
        if any(n for _name, n in cases.by_sign_group):
            self.charts.addWidget(charts.bars("Vụ việc trong kỳ theo nhóm biểu hiện",
                                              [name for name, _n in cases.by_sign_group],
                                              [n for _name, n in cases.by_sign_group]), 1)
        states = "".join(f"<li>{escape(status.label)}: {link('cases:' + status.value, count_text(n))}</li>"
                         for status, n in cases.by_state)
        self.sections.addWidget(self._label(self._cases_html(cases), box=True), 1)
        self.sections.addWidget(self._label(f"<b>Toàn bộ vụ việc theo trạng thái</b><ul>{states}</ul>", box=True), 1)

    # ---- the sections' text -----------------------------------------------------------------------------
    def _first_steps(self) -> str:
        steps = [("Đơn vị", "Nhập cây đơn vị: đảng bộ, chi bộ trực thuộc (hoặc nhận từ cấp trên qua «Trao đổi dữ liệu»)."),
                 ("Thông tin cơ quan", "Nhập tên cơ quan, ký hiệu, người ký, nơi nhận: báo cáo in theo đó."),
                 ("Đảng viên", "Nhập danh sách đảng viên (từ tệp Excel được)."),
                 (MEETINGS, "Nhập hội nghị, buổi sinh hoạt và danh sách tham dự.")]
        items = "".join(f"<li>{link('page:' + title, title)}: {escape(text)}</li>" for title, text in steps
                        if self.context.actor.can(Permission.VIEW_MEETINGS) or title != MEETINGS)
        return ("<b>Chưa có số liệu nào.</b> Biểu đồ và số liệu tổng quan sẽ hiện ở đây khi đã nhập. "
                f"Nên làm theo thứ tự:<ol>{items}</ol>")

    def _below_html(self, found: overview.LeaderOverview) -> str:
        target = percent_text(float(found.target))
        if not found.below:
            return f"<b>Đơn vị dưới chỉ tiêu ({target})</b><br>Không có đơn vị nào dưới chỉ tiêu trong kỳ."
        lines = "".join(f"<li>{escape(unit.name) if unit.own else link(f'unit:{unit.unit_id}', unit.name)}: "
                        f"{percent_text(unit.rate)} ({count_text(unit.attended)}/{count_text(unit.expected)})</li>"
                        for unit in found.below)
        return f"<b>Đơn vị dưới chỉ tiêu ({target})</b><ul>{lines}</ul>"

    def _documents_html(self, documents: tuple[overview.TrackedDocument, ...]) -> str:
        if not documents:
            return "<b>Văn bản theo dõi thực hiện</b><br>Chưa có văn bản nào được đặt thời hạn thực hiện."
        lines = "".join(
            f"<li>{link(f'document:{doc.document_id}', doc.title)}"
            f"{', hạn ' + short_date(doc.deadline) if doc.deadline else ''}: {doc.done}/{doc.required} đơn vị đã "
            f"tổ chức ({percent_text(doc.share)}); {count_text(doc.people_attended)}/"
            f"{count_text(doc.people_required)} đảng viên, đạt {percent_text(doc.rate)}"
            + (f"; {doc.plans_done}/{doc.plans_expected} đơn vị đã ban hành kế hoạch" if doc.plans_expected else "")
            + "</li>" for doc in documents)
        return f"<b>Văn bản theo dõi thực hiện</b><ul>{lines}</ul>"

    def _cases_html(self, cases: overview.CasesGlance) -> str:
        oldest = f"; vụ việc tồn lâu nhất tiếp nhận ngày {short_date(cases.oldest_open)}" if cases.oldest_open else ""
        overdue = (f"<span style='color:{style.OVERDUE}'>{link('cases:' + OVERDUE, count_text(cases.overdue))}</span>"
                   if cases.overdue else "0")
        soon = link("cases:" + DUE_SOON, count_text(cases.due_soon)) if cases.due_soon else "0"
        return (f"<b>Phản ánh, kiến nghị</b><br>Trong kỳ: tiếp nhận "
                f"{link('cases:period', count_text(cases.received))}, đã giải quyết {count_text(cases.resolved)}."
                f"<br>Chưa giải quyết xong: {count_text(cases.open)}{oldest}.<br>"
                f"Quá hạn xác minh: {overdue}; sắp đến hạn: {soon}.")

    def _opinion_html(self, heard: tuple[tuple[OpinionTendency, int], ...]) -> str:
        if not heard:
            return "<b>Dư luận xã hội</b><br>Trong kỳ chưa ghi nhận ý kiến, dư luận nào."
        parts = ", ".join(f"{escape(tendency.label.lower())} {link('opinion:' + tendency.value, count_text(n))}"
                          for tendency, n in heard)
        return (f"<b>Dư luận xã hội</b><br>Trong kỳ: {link('opinion:', count_text(sum(n for _t, n in heard)))} ý kiến, "
                f"dư luận ({parts}).")

    def _examples_html(self, found: overview.ExamplesGlance) -> str:
        if not (found.recognised or found.spread_units):
            return "<b>Mô hình, điển hình</b><br>Trong kỳ chưa có mô hình, điển hình được công nhận, nhân rộng."
        parts = []
        if found.recognised:   # a zero is worded, never counted as a result
            praised = f" (biểu dương, khen thưởng {count_text(found.commended)})" if found.commended else ""
            parts.append(f"công nhận {link('examples:', count_text(found.recognised))}{praised}")
        parts.append(f"nhân rộng tại {count_text(found.spread_units)} lượt đơn vị" if found.spread_units
                     else "chưa có đơn vị nhân rộng")
        return "<b>Mô hình, điển hình</b><br>Trong kỳ: " + "; ".join(parts) + "."

    def _reports_html(self, reports: overview.ReportsGlance) -> str:
        missing = ", ".join(reports.missing[:6]) + (f" và {len(reports.missing) - 6} đơn vị khác"
                                                      if len(reports.missing) > 6 else "")
        rates = reports.rates
        received = f"{count_text(rates.received)}/{count_text(rates.expected)}"
        text = (f"<b>Báo cáo của cấp dưới, {reports.period.label}</b><br>"
                f"Đã nhận {link('page:Tình hình báo cáo', received)} "
                f"({percent_text(rates.reporting_rate)}), đúng hạn {count_text(rates.on_time)} "
                f"({percent_text(rates.on_time_rate)}).")
        return text + (f"<br>Chưa gửi: {escape(missing)}." if missing else "")

    def _to_enter_html(self, todo: overview.ToEnter, items: list[due.DueItem]) -> str:
        lines = []
        if todo.without_roster:
            lines.append(f"{link('figure:meetings', count_text(todo.without_roster))} hội nghị đã tổ chức chưa có "
                         "danh sách đảng viên dự")
        if todo.absent_not_made_up:
            lines.append(f"{link('page:' + MEETINGS, count_text(todo.absent_not_made_up))} lượt đảng viên vắng chưa "
                         "học bù (bấm «Học bù…» ở trang Hội nghị)")
        lines += [f"{escape(name)}: tuần trước chưa ghi buổi phát loa nào" for name in todo.silent_stations]
        lines += [escape(item.text) for item in items]
        body = "".join(f"<li>{line}</li>" for line in lines) or "<li>Không còn việc nào phải nhập.</li>"
        return f"<b>Việc còn phải làm</b> ({count_text(todo.held)} hội nghị đã tổ chức trong kỳ)<ul>{body}</ul>"

    def _housekeeping_html(self, house: overview.Housekeeping) -> str:
        age = house.backup_age_days
        if house.last_backup is None:
            backup = f"<span style='color:{style.ERROR}'>chưa sao lưu lần nào</span> (Tệp › Sao lưu dữ liệu…)"
        else:
            old = f"<span style='color:{style.ERROR}'>{age} ngày trước</span>" if age > 7 else f"{age} ngày trước"
            backup = f"{house.last_backup:%H:%M %d/%m/%Y}" + (f" ({old})" if age else " (hôm nay)")
        partners = "".join(
            f"<li>{escape(name)}: gửi lần cuối {f'{sent:%d/%m/%Y}' if sent else 'chưa gửi'}, nhận lần cuối "
            f"{f'{got:%d/%m/%Y}' if got else 'chưa nhận'}</li>" for name, sent, got in house.partners)
        size = (f"{count_text(round(house.database_bytes / 1_048_576))} MB" if house.database_bytes is not None
                else "trên máy chủ dùng chung")
        return (f"<b>Tài khoản</b>: {link('page:Người dùng', count_text(house.active_accounts))} đang dùng / "
                f"{count_text(house.accounts)}<br><b>Sao lưu gần nhất</b>: {backup}<br><b>Cơ sở dữ liệu</b>: {size}<br>"
                f"<b>Đơn vị trao đổi dữ liệu</b>: "
                + (f"<ul>{partners}</ul>" if partners else "chưa có (trang «Trao đổi dữ liệu»)"))

    # ---- following a link ----------------------------------------------------------------------------
    def open_link(self, href: str) -> QWidget | None:
        """The list behind a figure, in the main window."""
        window = self.window()
        if not hasattr(window, "show_page"):
            return None
        what, _, value = href.partition(":")
        period = self.period()
        if what == "page":
            return window.show_page(value) if value in window.pages else None
        if what in ("figure", "year"):   # the period's, or the year's up to the period's end
            title = FIGURE_PAGES[value]
            if title not in window.pages:
                return None
            page = window.show_page(title)
            page.show_filtered(start=period.start if what == "figure" else date(period.end.year, 1, 1), end=period.end)
            return page
        if what == "unit":
            page = window.show_page(MEETINGS)
            page.show_filtered(start=period.start, end=period.end, unit_filter=int(value))
            return page
        if what == "document":
            page = window.show_page(MEETINGS)
            page.show_filtered(start=NO_DATE, end=max(period.end, clock.today()), document_filter=int(value))
            return page
        if what == "examples" and EXAMPLES in window.pages:
            page = window.show_page(EXAMPLES)
            page.show_filtered(start=period.start, end=period.end)
            return page
        if what == "opinion" and OPINION in window.pages:
            page = window.show_page(OPINION)
            page.show_filtered(start=period.start, end=period.end, tendency_filter=value or None)
            return page
        if what == "cases" and CASES in window.pages:
            page = window.show_page(CASES)
            if value == "period":
                page.show_filtered(start=period.start, end=period.end)
            elif value in (OVERDUE, DUE_SOON):
                page.show_filtered(start=None, end=None, urgency_filter=value)
            elif value in {status.value for status in CaseStatus}:
                page.show_filtered(start=None, end=None, status_filter=value)
            else:
                page.show_filtered(start=None, end=None)
            return page
        return None
