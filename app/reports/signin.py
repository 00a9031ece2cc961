"""Danh sách ký tên: printed before a session, the expected members with a signature column and
blank rows for guests, under the session's title, date and place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from app.db import Database
from app.services import meetings, units
from app.services.auth import Actor, Permission, require
from app.services.numbers import short_date
from app.services.scope import require_unit_in_scope
from app.services.search import clean

GUEST_ROWS = 8


@dataclass(frozen=True)
class SignInRow:
    name: str
    birth_year: int | None
    unit_name: str


@dataclass(frozen=True)
class SignInSheet:
    parent_name: str          # ĐẢNG BỘ XÃ PHONG NIÊN
    unit_name: str            # CHI BỘ THÔN TẢ HÀ
    title: str
    held_on: date
    starts_at: time | None
    place: str
    rows: list[SignInRow]
    guest_rows: int = GUEST_ROWS


def build(db: Database, actor: Actor, data: meetings.MeetingInput) -> SignInSheet:
    """The sheet of a session as entered (saved or not yet): its expected members in roster order."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        require_unit_in_scope(session, actor, data.unit_id, data.held_on)
        unit_name = units.name_on(session, data.unit_id, data.held_on) or ""
        parent = next((n for n in units.nodes_on(session, data.held_on) if n.id == data.unit_id), None)
        parent_name = units.name_on(session, parent.parent_id, data.held_on) if parent and parent.parent_id else ""
    rows = [SignInRow(line.full_name, line.birth_year, line.unit_name) for line in data.roster if not line.is_guest]
    return SignInSheet(parent_name or "", unit_name, clean(data.title), data.held_on, data.starts_at,
                       clean(data.place), rows)


def render(sheet: SignInSheet, path: Path) -> None:
    """A4 portrait in the official layout (HD 36 margins, the header at the rule's sizes, page numbers
    from page 2); the table repeats its header on every page."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from app.reports import official

    layout = official.HD36
    styles = official.Styles(layout)
    family = styles.family
    base = ParagraphStyle("base", fontName=family, fontSize=13, leading=16)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    cell = ParagraphStyle("cell", parent=base, fontSize=12, leading=14)
    left = [Paragraph(official.escape(sheet.parent_name.upper()), styles.header),
            Paragraph(official.escape(sheet.unit_name.upper()), styles.header_bold), Paragraph("*", styles.header)]
    right = [Paragraph(official.PARTY, styles.party),
             official.Rule(stringWidth(official.PARTY, styles.bold, layout.party_size), space_after=6)]
    header = Table([[left, right]], colWidths=[w * mm for w in layout.header_columns_mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    when = f"Ngày {short_date(sheet.held_on)}" + (f", lúc {sheet.starts_at:%H:%M}" if sheet.starts_at else "")
    where = f", tại {sheet.place}" if sheet.place else ""
    story = [header, Spacer(1, 8 * mm),
             Paragraph("<b>DANH SÁCH KÝ TÊN THAM DỰ</b>", ParagraphStyle("h", parent=centre, fontSize=15, leading=19)),
             Paragraph(f"<b>{official.escape(sheet.title)}</b>", centre),
             Paragraph(f"<i>{official.escape(when + where)}</i>", centre), Spacer(1, 5 * mm)]
    body = [["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Ký tên", "Ghi chú"]]
    for number, row in enumerate(sheet.rows, start=1):
        body.append([str(number), Paragraph(official.escape(row.name), cell), str(row.birth_year or ""),
                     Paragraph(official.escape(row.unit_name.removeprefix("Chi bộ ")), cell), "", ""])
    body.append(["", Paragraph("<b>Khách mời</b>", cell), "", "", "", ""])
    guests_from = len(body)
    body += [[str(len(sheet.rows) + n), "", "", "", "", ""] for n in range(1, sheet.guest_rows + 1)]
    # 165 mm between the rule's margins.
    table = Table(body, colWidths=[10 * mm, 50 * mm, 17 * mm, 36 * mm, 32 * mm, 20 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), family, 12), ("FONT", (0, 0), (-1, 0), f"{family}-Bold", 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (2, -1), "CENTER"), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
        ("SPAN", (1, guests_from - 1), (-1, guests_from - 1)),
    ]))
    story += [table, Spacer(1, 4 * mm),
              Paragraph(f"Tổng số đảng viên phải dự: {len(sheet.rows)} đồng chí. "
                        "Có mặt: ....... đồng chí; vắng: ....... đồng chí.", base)]
    with path.open("wb") as target:
        official.build(layout, styles, target, story, title=f"Danh sách ký tên — {sheet.title}")
