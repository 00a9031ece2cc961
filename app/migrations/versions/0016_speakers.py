"""the register of báo cáo viên and tuyên truyền viên: speaker, meeting_presenter.speaker_id

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 21:40:00

Sessions named their presenters in free text. The register is filled from those names: one entry per
name and title written alike (case and spacing aside, tone marks kept: Hùng is not Hưng) at one unit, each
session's line linked to it. A line whose name is not a person's (a role such as «Lãnh đạo Ban Tuyên giáo»)
stays text. Every line keeps the name and title it was written with: nothing written before is lost. The
entry's uid and dates come from what it is made of, so two installs upgrading apart make the same record.
"""

import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time

import sqlalchemy as sa
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A person's name: two to six words, each starting with a capital (Vàng A Sính, Nguyễn Thị Minh).
PERSON_NAME = re.compile(r"^(?:[^\W\d_][^\W\d_]*)(?: [^\W\d_]+){1,5}$")
# How a role or a body begins, never a name («Ban Tuyên giáo Huyện ủy», «Đại diện Hội Nông dân», «BCV huyện»).
NOT_A_NAME = ("ban ", "trung tam ", "dang ", "uy ", "ubnd ", "mttq ", "hoi ", "doan thanh nien", "lanh dao ",
              "dai dien ", "thuong truc ", "bi thu ", "pho bi thu ", "bcv ", "bao cao vien ", "can bo ", "chi bo ",
              "dong chi ", "cac ", "giang vien ")
# Every install that upgrades makes the same entry for the same name at the same unit: its uid comes from them,
# so the district and a commune hold one record, not two, when their packages meet.
SPEAKER_NAMESPACE = uuid.UUID("6f0c3a52-6b1e-4f0e-9a57-2d1c0e6b5a10")


def _fold(text: str) -> str:
    """app.services.search.fold, kept here as it was: a migration does not follow later code."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split()).lower().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _spelling(text: str) -> str:
    """Written alike: the same letters and marks, whatever the case and spacing (Hùng is not Hưng)."""
    return " ".join(unicodedata.normalize("NFC", text or "").split()).casefold()


def _is_person(name: str) -> bool:
    name = " ".join(unicodedata.normalize("NFC", name).split())
    return (bool(PERSON_NAME.match(name)) and all(word[0].isupper() for word in name.split())
            and not (_fold(name) + " ").startswith(NOT_A_NAME))


def _level(title: str, unit_has_parent: bool) -> str:
    folded = _fold(title)
    if "tinh" in folded.split():
        return "province"
    if "huyen" in folded.split() or not unit_has_parent:
        return "district"
    return "grassroots"


def _most_used(spellings: list[str]) -> str:
    """The spelling most lines use; on a tie, one not in capitals, then the first in order (the same everywhere)."""
    counts = Counter(" ".join(unicodedata.normalize("NFC", text).split()) for text in spellings)
    return min(counts, key=lambda text: (-counts[text], text.isupper(), text))


def upgrade() -> None:
    op.create_table(
        "speaker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=120), nullable=False),
        sa.Column("name_folded", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_speaker_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker")),
        sa.UniqueConstraint("uid", name=op.f("uq_speaker_uid")),
    )
    op.create_index("ix_speaker_name", "speaker", ["name_folded", "id"])
    op.create_index(op.f("ix_speaker_unit_id"), "speaker", ["unit_id"])
    with op.batch_alter_table("meeting_presenter") as batch:
        batch.add_column(sa.Column("speaker_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_meeting_presenter_speaker_id_speaker"), "speaker", ["speaker_id"], ["id"])
        batch.create_index(op.f("ix_meeting_presenter_speaker_id"), ["speaker_id"])
    _register_the_names_written()


def _register_the_names_written() -> None:
    connection = op.get_bind()
    lines = connection.execute(sa.text(
        "SELECT p.id, p.name, p.title, m.unit_id, m.held_on, u.uid, u.origin, "
        "(SELECT count(*) FROM unit_version v WHERE v.unit_id = m.unit_id AND v.parent_id IS NOT NULL) "
        "FROM meeting_presenter p JOIN meeting m ON m.id = p.meeting_id JOIN unit u ON u.id = m.unit_id")).all()
    groups: dict[tuple, list] = defaultdict(list)
    for line in lines:   # one entry per name and title written alike, at one unit (two units' namesakes are two)
        if _is_person(line.name):
            groups[(line.unit_id, _spelling(line.name), _spelling(line.title))].append(line)
    speaker = sa.table("speaker", sa.column("id", sa.Integer()), sa.column("uid", sa.Uuid()),
                       sa.column("created_at", sa.DateTime()), sa.column("updated_at", sa.DateTime()),
                       *(sa.column(name) for name in ("full_name", "name_folded", "title", "unit_id", "role", "level",
                                                      "stopped_on", "origin", "version", "updated_by", "deleted_at")))
    for (unit_id, name_key, title_key), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1:])):
        first = group[0]
        name, title = _most_used([line.name for line in group]), _most_used([line.title for line in group])
        held = min(line.held_on for line in group)
        since = datetime.combine(held if isinstance(held, date) else date.fromisoformat(str(held)), time())
        unit_uid = str(first.uid if isinstance(first.uid, uuid.UUID) else uuid.UUID(str(first.uid)))
        speaker_id = connection.execute(sa.insert(speaker).values(
            full_name=name, name_folded=_fold(name), title=title, unit_id=unit_id, role="presenter",
            level=_level(title, bool(first[7])), stopped_on=None,
            uid=uuid.uuid5(SPEAKER_NAMESPACE, f"{unit_uid}|{name_key}|{title_key}"), origin=first.origin, version=1,
            created_at=since, updated_at=since, updated_by="(nâng cấp)", deleted_at=None)
            .returning(speaker.c.id)).scalar_one()
        ids = [line.id for line in group]
        for start in range(0, len(ids), 500):
            connection.execute(sa.text("UPDATE meeting_presenter SET speaker_id = :speaker WHERE id IN :ids")
                               .bindparams(sa.bindparam("ids", expanding=True)),
                               {"speaker": speaker_id, "ids": ids[start:start + 500]})


def downgrade() -> None:
    with op.batch_alter_table("meeting_presenter") as batch:
        batch.drop_index(op.f("ix_meeting_presenter_speaker_id"))
        batch.drop_constraint(op.f("fk_meeting_presenter_speaker_id_speaker"), type_="foreignkey")
        batch.drop_column("speaker_id")
    op.drop_index(op.f("ix_speaker_unit_id"), table_name="speaker")
    op.drop_index("ix_speaker_name", table_name="speaker")
    op.drop_table("speaker")
