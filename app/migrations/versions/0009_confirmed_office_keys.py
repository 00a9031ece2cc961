"""another body's office key seals nothing until a key holder confirms it

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 13:00:00

A key that came in a package, or was pasted, was sealed to at once. Now each key but the office's own
carries a confirmation signed by a key holder; keys already in the table have none, so an inspector
confirms them once (Danh mục › Khóa bảo vệ danh tính). The own key's confirming key is filled in the
next time a key holder opens it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("office_key") as table:
        table.add_column(sa.Column("confirming_key", sa.LargeBinary(), nullable=True))
        table.add_column(sa.Column("confirmation", sa.LargeBinary(), nullable=True))
        table.add_column(sa.Column("confirmed_by", sa.String(64), nullable=True))
        table.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("office_key") as table:
        for name in ("confirmed_at", "confirmed_by", "confirmation", "confirming_key"):
            table.drop_column(name)
