"""the reports the offices under an office owe it, and by when: report_duty

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 20:10:00

The district declares what each commune owes (monthly by the 20th, quarterly, 6- and 9-month, yearly); the
defaults live in app/services/schedule.py and an admin adjusts them. Nothing to fill in for existing installs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["office_unit_id"], ["unit.id"], name=op.f("fk_report_duty_office_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_duty")),
        sa.UniqueConstraint("office_unit_id", "kind", name=op.f("uq_report_duty_office_unit_id_kind")),
    )


def downgrade() -> None:
    op.drop_table("report_duty")
