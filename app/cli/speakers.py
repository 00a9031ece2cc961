"""`presenters`: the register of báo cáo viên and tuyên truyền viên."""

from __future__ import annotations

import argparse

from app.cli.common import login, open_db, unit_id_of
from app.cli.registry import arg, command, group
from app.models.enums import SpeakerLevel, SpeakerRole

PRESENTERS = group("presenters", "danh sách báo cáo viên, tuyên truyền viên")


@command("add", "thêm một báo cáo viên, tuyên truyền viên",
         arg("--name", required=True, help="họ và tên"), arg("--title", default="", help="chức vụ"),
         arg("--unit", required=True, help="mã đơn vị công tác"),
         arg("--role", default="presenter", choices=[r.value for r in SpeakerRole],
             help="presenter: báo cáo viên, propagandist: tuyên truyền viên"),
         arg("--level", required=True, choices=[level.value for level in SpeakerLevel],
             help="central: Trung ương, province: Tỉnh ủy, district: Huyện ủy, grassroots: cơ sở"),
         group=PRESENTERS)
def add(args: argparse.Namespace) -> None:
    from app.services import speakers

    db = open_db(args)
    actor = login(db, args)
    speaker_id = speakers.create(db, actor, speakers.SpeakerInput(
        args.name, args.title, unit_id_of(db, actor, args.unit), SpeakerRole(args.role), SpeakerLevel(args.level)))
    print(f"Đã thêm báo cáo viên số {speaker_id}: {args.name}.")


@command("list", "báo cáo viên, tuyên truyền viên và số lượt báo cáo",
         arg("--search", default="", help="tên (gõ không dấu cũng được)"),
         arg("--level", default=None, choices=[level.value for level in SpeakerLevel]),
         group=PRESENTERS)
def list_speakers(args: argparse.Namespace) -> None:
    from app.services import speakers

    db = open_db(args)
    actor = login(db, args)
    flt = speakers.SpeakerFilter(level=SpeakerLevel(args.level) if args.level else None, text=args.search)
    after = None
    while rows := speakers.list_page(db, actor, flt, after=after):
        for row in rows:
            print(f"{row.full_name}\t{row.title}\t{row.unit_name}\t{row.role.label}\t{row.level.label}\t"
                  f"{row.appearances}\t{'đã thôi' if row.stopped_on else ''}")
        after = (rows[-1].sort_value, rows[-1].id)
    print(f"Cộng: {speakers.count(db, actor, flt)} báo cáo viên, tuyên truyền viên.")
