"""a period closed by its issued report is opened again only with a reason: period_reopening

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 19:30:00

Issuing a periodic report closes its period for its scope (app/services/closed_periods.py): records dated in it are
refused until a leader reopens it, saying why. Each reopening is kept here, beside the audit trail.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "period_reopening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(), nullable=False),
        sa.Column("reopened_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["issued_report.id"],
                                name=op.f("fk_period_reopening_report_id_issued_report")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_reopening")),
    )
    op.create_index(op.f("ix_period_reopening_report_id"), "period_reopening", ["report_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_period_reopening_report_id"), table_name="period_reopening")
    op.drop_table("period_reopening")
