"""reports travel up and decisions come down: issued_report.figures, report_receipt, report_decision

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 22:10:00

A commune's issued report carries its figures as data; the district keeps the day each one arrived and
approves or returns it (the decision travels back down). Reports issued before this revision have no
figures: the office above reads their PDF as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issued_report") as batch:
        batch.add_column(sa.Column("figures", sa.Text(), nullable=True))
    op.create_table(
        "report_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("package_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["issued_report.id"], name=op.f("fk_report_receipt_report_id_issued_report")),
        sa.ForeignKeyConstraint(["partner_id"], ["exchange_partner.id"],
                                name=op.f("fk_report_receipt_partner_id_exchange_partner")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_receipt")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_receipt_report_id")),
    )
    op.create_table(
        "report_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("office_unit_id", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("deciding_office", sa.String(length=200), nullable=False),
        sa.Column("uid", sa.Uuid(), nullable=False),
        sa.Column("origin", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["report_id"], ["issued_report.id"], name=op.f("fk_report_decision_report_id_issued_report")),
        sa.ForeignKeyConstraint(["office_unit_id"], ["unit.id"], name=op.f("fk_report_decision_office_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_decision")),
        sa.UniqueConstraint("uid", name=op.f("uq_report_decision_uid")),
    )
    op.create_index(op.f("ix_report_decision_report_id"), "report_decision", ["report_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_report_decision_report_id"), table_name="report_decision")
    op.drop_table("report_decision")
    op.drop_table("report_receipt")
    with op.batch_alter_table("issued_report") as batch:
        batch.drop_column("figures")
