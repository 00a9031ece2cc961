"""the register of báo cáo viên and tuyên truyền viên: speaker, meeting_presenter.speaker_id

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 21:40:00

Sessions named their presenters in free text. The register is filled from those names: one entry per
name and title written alike (diacritics and case aside), each session's line linked to it. A line whose
name is not a person's (a role such as «Lãnh đạo Ban Tuyên giáo») stays text. Every line keeps the name
and title it was written with: nothing written before is lost.
"""

import os
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from app.clock import utcnow

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A person's name: two to six words, each starting with a capital (Vàng A Sính, Nguyễn Thị Minh).
PERSON_NAME = re.compile(r"^(?:[^\W\d_][^\W\d_]*)(?: [^\W\d_]+){1,5}$")


def _fold(text: str) -> str:
    """app.services.search.fold, kept here as it was: a migration does not follow later code."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split()).lower().replace("đ", "d")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _is_person(name: str) -> bool:
    name = " ".join(name.split())
    return bool(PERSON_NAME.match(name)) and all(word[0].isupper() for word in name.split())


def _uid(now: datetime) -> uuid.UUID:
    """A UUIDv7, as new rows get."""
    ms = int(now.replace(tzinfo=UTC).timestamp() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def _level(title: str, unit_has_parent: bool) -> str:
    folded = _fold(title)
    if "tinh" in folded.split():
        return "province"
    if "huyen" in folded.split() or not unit_has_parent:
        return "district"
    return "grassroots"


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
        "SELECT p.id, p.name, p.title, m.unit_id, (SELECT count(*) FROM unit_version v WHERE v.unit_id = m.unit_id "
        "AND v.parent_id IS NOT NULL) FROM meeting_presenter p JOIN meeting m ON m.id = p.meeting_id")).all()
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for line in lines:
        if _is_person(line[1]):
            groups[(_fold(line[1]), _fold(line[2]))].append(line)
    if not groups:
        return
    origin = connection.execute(sa.text("SELECT value FROM install_meta WHERE key = 'install_id'")).scalar() or ""
    now = utcnow()   # time comes from the app's one clock (tests freeze it)
    speaker = sa.table("speaker", sa.column("id", sa.Integer()), sa.column("uid", sa.Uuid()),
                       sa.column("created_at", sa.DateTime()), sa.column("updated_at", sa.DateTime()),
                       *(sa.column(name) for name in ("full_name", "name_folded", "title", "unit_id", "role", "level",
                                                      "stopped_on", "origin", "version", "updated_by", "deleted_at")))
    for (folded, _title), group in groups.items():
        name = Counter(line[1] for line in group).most_common(1)[0][0]      # the spelling most used
        title = Counter(line[2] for line in group).most_common(1)[0][0]
        unit_id, has_parent = Counter((line[3], bool(line[4])) for line in group).most_common(1)[0][0]
        speaker_id = connection.execute(sa.insert(speaker).values(
            full_name=name, name_folded=folded, title=title, unit_id=unit_id, role="presenter",
            level=_level(title, has_parent), stopped_on=None, uid=_uid(now), origin=origin, version=1,
            created_at=now, updated_at=now, updated_by="(nâng cấp)", deleted_at=None)
            .returning(speaker.c.id)).scalar_one()
        ids = [line[0] for line in group]
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
