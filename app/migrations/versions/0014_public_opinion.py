"""the register of public opinion (tình hình tư tưởng, dư luận xã hội): opinion, opinion_group

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 20:40:00

What offices hear among cadres and the people, per unit and day, with the groups it runs among; section I
of the periodic report is drafted from it. Nothing to fill in for existing installs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opinion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("topic_folded", sa.String(length=300), nullable=False),
        sa.Column("heard_at", sa.String(length=200), nullable=False),
        sa.Column("tendency", sa.String(length=32), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("reported_up", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_opinion_unit_id_unit")),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_opinion_document_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion")),
        sa.UniqueConstraint("uid", name=op.f("uq_opinion_uid")),
    )
    op.create_index("ix_opinion_noted", "opinion", ["noted_on", "id"])
    op.create_index("ix_opinion_unit", "opinion", ["unit_id", "noted_on"])
    op.create_index(op.f("ix_opinion_document_id"), "opinion", ["document_id"])
    op.create_table(
        "opinion_group",
        sa.Column("opinion_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["opinion_id"], ["opinion.id"], name=op.f("fk_opinion_group_opinion_id_opinion")),
        sa.PrimaryKeyConstraint("opinion_id", "group", name=op.f("pk_opinion_group")),
    )


def downgrade() -> None:
    op.drop_table("opinion_group")
    op.drop_index(op.f("ix_opinion_document_id"), table_name="opinion")
    op.drop_index("ix_opinion_unit", table_name="opinion")
    op.drop_index("ix_opinion_noted", table_name="opinion")
    op.drop_table("opinion")
