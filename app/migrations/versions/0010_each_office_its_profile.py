"""each issuing office its own profile and register: office_profile.unit_id, issued_report.office_unit_id

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 16:30:00

An install held one office profile, so a commune clerk's report on a district server came out under the
district's name and number. A profile now belongs to the unit whose office issues (the district's Đảng bộ,
a commune's Đảng bộ xã), and reports are numbered in that office's register. Profiles and reports kept so
far belong to the install's own office (the first unit it made itself); a report received from a partner
goes to the unit that partner leads here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The install's own top unit: the first it made itself (a commune that has taken the district's units down
# has BAOTHANG above its own), else the first with no parent.
OWN_TOP_UNIT = ("(SELECT COALESCE((SELECT u.id FROM unit u WHERE u.origin = (SELECT value FROM install_meta "
                "WHERE key = 'install_id') ORDER BY u.id LIMIT 1), (SELECT u.id FROM unit u WHERE NOT EXISTS "
                "(SELECT 1 FROM unit_version v WHERE v.unit_id = u.id AND v.parent_id IS NOT NULL) ORDER BY u.id "
                "LIMIT 1)))")
# A report received from a partner is in that partner's register: the unit it leads here, where known.
SENDERS_UNIT = ("(SELECT p.unit_id FROM exchange_partner p WHERE p.install_id = issued_report.origin "
                "AND p.unit_id IS NOT NULL)")


def upgrade() -> None:
    with op.batch_alter_table("office_profile") as table:
        table.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE office_profile SET unit_id = {OWN_TOP_UNIT}")
    with op.batch_alter_table("office_profile") as table:
        table.alter_column("unit_id", existing_type=sa.Integer(), nullable=False)
        table.drop_constraint("uq_office_profile_valid_from", type_="unique")
        table.create_unique_constraint("uq_office_profile_unit_id_valid_from", ["unit_id", "valid_from"])
        table.create_foreign_key("fk_office_profile_unit_id_unit", "unit", ["unit_id"], ["id"])

    with op.batch_alter_table("issued_report") as table:
        table.add_column(sa.Column("office_unit_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE issued_report SET office_unit_id = COALESCE({SENDERS_UNIT}, {OWN_TOP_UNIT})")
    with op.batch_alter_table("issued_report") as table:
        table.alter_column("office_unit_id", existing_type=sa.Integer(), nullable=False)
        table.drop_constraint("uq_issued_report_issuing_code_kind_code_term_number", type_="unique")
        # with the ký hiệu: a partner's reports kept under the own office (its unit unknown here) never collide
        table.create_unique_constraint("uq_issued_report_register",
                                       ["office_unit_id", "issuing_code", "kind_code", "term", "number"])
        table.create_foreign_key("fk_issued_report_office_unit_id_unit", "unit", ["office_unit_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("issued_report") as table:
        table.drop_constraint("fk_issued_report_office_unit_id_unit", type_="foreignkey")
        table.drop_constraint("uq_issued_report_register", type_="unique")
        table.create_unique_constraint("uq_issued_report_issuing_code_kind_code_term_number",
                                       ["issuing_code", "kind_code", "term", "number"])
        table.drop_column("office_unit_id")
    with op.batch_alter_table("office_profile") as table:
        table.drop_constraint("fk_office_profile_unit_id_unit", type_="foreignkey")
        table.drop_constraint("uq_office_profile_unit_id_valid_from", type_="unique")
        table.create_unique_constraint("uq_office_profile_valid_from", ["valid_from"])
        table.drop_column("unit_id")
