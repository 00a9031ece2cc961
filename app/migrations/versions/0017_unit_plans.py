"""units' own plans implementing a tracked document: unit_plan

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 22:00:00

Which of a document's required units have issued their own implementing plan (number, day); the coverage
view, sheet and reminder letter show and chase them. Nothing to fill in for existing installs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_unit_plan_document_id_document")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_plan_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_plan")),
        sa.UniqueConstraint("uid", name=op.f("uq_unit_plan_uid")),
    )
    op.create_index("ix_unit_plan_document", "unit_plan", ["document_id", "unit_id"])
    op.create_index(op.f("ix_unit_plan_unit_id"), "unit_plan", ["unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_plan_unit_id"), table_name="unit_plan")
    op.drop_index("ix_unit_plan_document", table_name="unit_plan")
    op.drop_table("unit_plan")
