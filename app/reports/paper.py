"""What any report prints, whatever it reports: the periodic report and the report on one directive both
hand the Word and Excel renderers one of these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.reports.annex import AnnexTable
from app.reports.sentences import Section
from app.services.profile import ProfileInput


@dataclass(frozen=True)
class Paper:
    office: ProfileInput
    made_on: date
    number: str                 # "Số 15-BC/BTGHU", or the blank a draft leaves
    summary: str                # the line under BÁO CÁO
    sections: list[Section]
    annex_heading: str          # "Số liệu công tác tuyên giáo tháng 11 năm 2026"
    attached: str               # "(Kèm theo Báo cáo số …)"
    tables: list[AnnexTable]
    period_label: str = ""      # after each table's title in the workbook ("tháng 11 năm 2026")
