"""The Party document layout (Hướng dẫn 36-HD/VPTW, 2018) as one data profile and the flowables
drawn from it: header block, title, body styles, Nơi nhận and signature, page numbers.

Every size and margin lives in `Layout`, so a new guidance with other numbers is a new profile, not
new code. Rendering only: the words come from the office profile and the report's data. (ReportLab is
imported here at the top: this module loads only when a document is drawn, never at start-up.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.fonts import register
from app.services.numbers import long_date
from app.services.profile import ProfileInput

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
DRAFT_NUMBER = "\u00a0" * 4   # "Số     -BC/BTGHU" (five spaces after Số): room for the number by hand


@dataclass(frozen=True)
class Layout:
    name: str
    margins_mm: tuple[float, float, float, float]   # top, bottom, left, right
    body_size: float = 14
    body_leading: float = 19                         # exact line spacing
    body_after: float = 6                            # points after each paragraph
    first_line_indent_mm: float = 10
    header_size: float = 14                          # parent body, issuing body, number, date line
    party_size: float = 15                           # ĐẢNG CỘNG SẢN VIỆT NAM
    title_size: float = 16                           # BÁO CÁO
    summary_size: float = 14
    page_number_size: float = 14
    page_number_top_mm: float = 10
    recipients_title_size: float = 14
    recipients_size: float = 12
    signature_size: float = 14
    signature_space_mm: float = 24                   # room for the signature and the seal
    table_size: float = 12
    header_columns_mm: tuple[float, float] = (72, 93)


HD36 = Layout("Hướng dẫn 36-HD/VPTW (2018)", margins_mm=(20, 20, 30, 15))


def number_text(number: int | None, kind_code: str, issuing_code: str) -> str:
    """"Số 05-BC/BTGHU" (a leading zero under 10), or the blank draft number "Số     -BC/BTGHU"."""
    shown = DRAFT_NUMBER if number is None else f"{number:02d}"
    return f"Số {shown}-{kind_code}/{issuing_code}"


COMMITTEES = {"đảng", "huyện", "tỉnh", "thành", "quận", "thị"}       # Đảng ủy, Huyện ủy, Tỉnh ủy, Thành ủy…
PLACE_LEVELS = {"xã", "phường", "trấn", "huyện", "tỉnh", "quận", "phố"}  # what a place's own name follows


def body_name(upper: str) -> str:
    """A body's name in running text from its upper-case form: BAN TUYÊN GIÁO → Ban Tuyên giáo,
    BAN XÂY DỰNG ĐẢNG → Ban Xây dựng Đảng, BAN TUYÊN GIÁO VÀ DÂN VẬN → Ban Tuyên giáo và Dân vận,
    BAN TUYÊN GIÁO TỈNH ỦY LÀO CAI → Ban Tuyên giáo Tỉnh ủy Lào Cai, ĐẢNG ỦY THỊ TRẤN PHỐ LU → Đảng ủy thị trấn Phố Lu."""
    words = upper.lower().split()
    found, in_place_name = [], False
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        if word == "ủy" and before in COMMITTEES:
            capital = False
        elif word in COMMITTEES and after == "ủy":
            capital = True
        else:
            capital = (index == 0 or (index == 1 and words[0] != "đảng") or before == "và" or word == "đảng"
                       or in_place_name)
        found.append(word[:1].upper() + word[1:] if capital else word)
        in_place_name = in_place_name or (word in PLACE_LEVELS and after != "ủy") \
            or (word == "ủy" and before in COMMITTEES - {"đảng"})   # Tỉnh ủy Lào Cai
    return " ".join(found)


def date_line(office: ProfileInput, on: date) -> str:
    return f"{office.place_name}, {long_date(on)}"


class Styles:
    """The paragraph styles of one layout, built once per document."""

    def __init__(self, layout: Layout) -> None:
        family = self.family = register()
        self.bold = f"{family}-Bold"
        size = layout.header_size
        self.header = ParagraphStyle("header", fontName=family, fontSize=size, leading=size * 1.2, alignment=TA_CENTER)
        self.header_bold = ParagraphStyle("header_bold", parent=self.header, fontName=self.bold)
        self.party = ParagraphStyle("party", parent=self.header, fontName=self.bold, fontSize=layout.party_size,
                                    leading=layout.party_size * 1.2)
        self.date = ParagraphStyle("date", parent=self.header, fontName=f"{family}-Italic")
        self.title = ParagraphStyle("title", parent=self.header, fontName=self.bold, fontSize=layout.title_size,
                                    leading=layout.title_size * 1.25)
        self.summary = ParagraphStyle("summary", parent=self.header, fontName=self.bold, fontSize=layout.summary_size,
                                      leading=layout.summary_size * 1.25)
        self.body = ParagraphStyle("body", fontName=family, fontSize=layout.body_size, leading=layout.body_leading,
                                   alignment=TA_JUSTIFY, firstLineIndent=layout.first_line_indent_mm * mm,
                                   spaceAfter=layout.body_after)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=self.bold)
        self.placeholder = ParagraphStyle("placeholder", parent=self.body, fontName=f"{family}-Italic")
        self.recipients_title = ParagraphStyle(
            "recipients_title", fontName=family, fontSize=layout.recipients_title_size,
            leading=layout.recipients_title_size * 1.2, alignment=TA_LEFT, underlineOffset="-0.3*F",
            underlineWidth=0.6)
        self.recipients = ParagraphStyle("recipients", fontName=family, fontSize=layout.recipients_size,
                                         leading=layout.recipients_size * 1.15, alignment=TA_LEFT)
        self.addressee = ParagraphStyle("addressee", parent=self.header, alignment=TA_LEFT)   # Kính gửi: - …
        self.signature = ParagraphStyle("signature", fontName=self.bold, fontSize=layout.signature_size,
                                        leading=layout.signature_size * 1.3, alignment=TA_CENTER)
        self.cell = ParagraphStyle("cell", fontName=family, fontSize=layout.table_size,
                                   leading=layout.table_size * 1.2)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=self.bold, alignment=TA_CENTER,
                                        fontSize=layout.table_size - 1, leading=(layout.table_size - 1) * 1.15)
        self.annex_title = ParagraphStyle("annex_title", parent=self.summary)
        self.annex_note = ParagraphStyle("annex_note", parent=self.header, fontName=f"{family}-Italic")
        self.table_title = ParagraphStyle("table_title", parent=self.body, fontName=self.bold, firstLineIndent=0,
                                          spaceBefore=6, keepWithNext=1)   # never alone at a page's foot


class Rule(Flowable):
    """A solid rule of a given width, centred: under ĐẢNG CỘNG SẢN VIỆT NAM and under the summary."""

    def __init__(self, width: float, *, thickness: float = 0.6, space_before: float = 1, space_after: float = 4):
        super().__init__()
        self.rule_width, self.thickness = width, thickness
        self.space_before, self.space_after = space_before, space_after
        self.available = width

    def wrap(self, available_width, available_height):
        self.available = available_width
        return available_width, self.thickness + self.space_before + self.space_after

    def draw(self):
        left = (self.available - self.rule_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(left, self.space_after, left + self.rule_width, self.space_after)


def header(layout: Layout, styles: Styles, office: ProfileInput, *, number: str, on: date,
           subject: str = "") -> object:
    """The two borderless header columns; `subject` is a công văn's trích yếu under the number."""
    left = [Paragraph(escape(office.parent_body.upper()), styles.header),
            Paragraph(escape(office.issuing_body.upper()), styles.header_bold),
            Paragraph("*", styles.header), Paragraph(escape(number), styles.header)]
    if subject:
        left.append(Paragraph(escape(subject), ParagraphStyle("subject", parent=styles.header, fontSize=12,
                                                              leading=14.5, spaceBefore=2)))
    party_width = stringWidth(PARTY, styles.bold, layout.party_size)
    right = [Paragraph(PARTY, styles.party), Rule(party_width, space_after=6),
             Paragraph(escape(date_line(office, on)), styles.date)]
    table = Table([[left, right]], colWidths=[w * mm for w in layout.header_columns_mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return table


def addressed_to(styles: Styles, names: list[str], label_mm: float = 30) -> object:
    """A công văn's «Kính gửi:» on one line, or its addressees one under another, each with its dash."""
    if len(names) == 1:
        return Paragraph(f"Kính gửi: {escape(names[0])}", styles.header)
    rows = [[Paragraph("Kính gửi:", styles.header), Paragraph(f"- {escape(names[0])},", styles.addressee)]]
    rows += [["", Paragraph(f"- {escape(name)}{'.' if index == len(names) - 1 else ','}", styles.addressee)]
             for index, name in enumerate(names[1:], start=1)]
    table = Table(rows, colWidths=[label_mm * mm, (140 - label_mm) * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def as_letter(office: ProfileInput) -> ProfileInput:
    """A letter's Nơi nhận: «Như trên» (its addressees) and the office's own «Lưu» lines."""
    keep = [line for line in office.recipients.splitlines() if line.strip().lower().startswith("- lưu")]
    return ProfileInput(**{**office.__dict__, "recipients": "\n".join(["- Như trên,", *keep])})


def closing(layout: Layout, styles: Styles, office: ProfileInput) -> object:
    """Nơi nhận on the left, the signature block on the right, kept together on one page."""
    recipients = [Paragraph("<u>Nơi nhận:</u>", styles.recipients_title)]
    recipients += [Paragraph(escape(line), styles.recipients) for line in office.recipients.splitlines() if line.strip()]
    signer = [Paragraph(escape(line), styles.signature) for line in (office.signer_authority, office.signer_position) if line]
    signer += [Spacer(1, layout.signature_space_mm * mm), Paragraph(escape(office.signer_name), styles.signature)]
    table = Table([[recipients, signer]], colWidths=[w * mm for w in layout.header_columns_mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 4 * mm), table])


def page_number_painter(layout: Layout, styles: Styles):
    """Draws the page number, 14 pt centred near the top, on every page but the first."""
    def paint(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(styles.family, layout.page_number_size)
        width, height = document.pagesize
        # The number's cap height sits about `page_number_top_mm` below the page's top edge.
        baseline = height - layout.page_number_top_mm * mm - layout.page_number_size * 0.66
        canvas.drawCentredString(width / 2, baseline, str(document.page))
        canvas.restoreState()

    return paint


def build(layout: Layout, styles: Styles, target, story: list, *, title: str, subject: str = "") -> None:
    """A4 portrait with the layout's margins exactly (frames without ReportLab's 6 pt padding), the
    page number from page 2; `invariant=1`: the same input gives the same bytes."""
    top, bottom, left, right = (value * mm for value in layout.margins_mm)
    width, height = A4
    frame = Frame(left, bottom, width - left - right, height - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    template = BaseDocTemplate(target, pagesize=A4, topMargin=top, bottomMargin=bottom, leftMargin=left,
                               rightMargin=right, invariant=1, title=title, subject=subject, author="Sổ Tuyên giáo",
                               creator="Sổ Tuyên giáo", initialFontName=styles.family)   # no stray Helvetica
    template.addPageTemplates([PageTemplate("first", [frame], autoNextPageTemplate="later"),
                               PageTemplate("later", [frame], onPage=page_number_painter(layout, styles))])
    template.build(story)
