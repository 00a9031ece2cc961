"""the register of good examples and commendations: exemplar, exemplar_spread

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 21:00:00

Models, commended collectives and persons, with the units that took each up (nhân rộng); section II.5 of the
periodic report is drafted from it. Nothing to fill in for existing installs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exemplar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_folded", sa.String(length=300), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("recognised_on", sa.Date(), nullable=False),
        sa.Column("commendation", sa.String(length=32), nullable=False),
        sa.Column("awarded_by", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_exemplar_unit_id_unit")),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_exemplar_document_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemplar")),
        sa.UniqueConstraint("uid", name=op.f("uq_exemplar_uid")),
    )
    op.create_index("ix_exemplar_recognised", "exemplar", ["recognised_on", "id"])
    op.create_index("ix_exemplar_unit", "exemplar", ["unit_id", "recognised_on"])
    op.create_index(op.f("ix_exemplar_document_id"), "exemplar", ["document_id"])
    op.create_table(
        "exemplar_spread",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exemplar_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["exemplar_id"], ["exemplar.id"], name=op.f("fk_exemplar_spread_exemplar_id_exemplar")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_exemplar_spread_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemplar_spread")),
    )
    op.create_index("ix_exemplar_spread_unit", "exemplar_spread", ["unit_id", "since"])
    op.create_index(op.f("ix_exemplar_spread_exemplar_id"), "exemplar_spread", ["exemplar_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_exemplar_spread_exemplar_id"), table_name="exemplar_spread")
    op.drop_index("ix_exemplar_spread_unit", table_name="exemplar_spread")
    op.drop_table("exemplar_spread")
    op.drop_index(op.f("ix_exemplar_document_id"), table_name="exemplar")
    op.drop_index("ix_exemplar_unit", table_name="exemplar")
    op.drop_index("ix_exemplar_recognised", table_name="exemplar")
    op.drop_table("exemplar")
