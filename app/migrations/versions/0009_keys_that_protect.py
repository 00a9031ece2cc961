"""keys a copy of the file cannot misuse: confirmed office keys, a sealed package-signing key

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 13:00:00

A key that came in a package, or was pasted, was sealed to at once. Now each key but the office's own
carries a confirmation signed by a key holder; keys already in the table have none, so an inspector
confirms them once (Phản ánh, kiến nghị › «Khóa danh tính…»). The own key's confirming key is filled in the
next time a key holder opens it.

The package-signing key was stored in the clear (install_meta "signing_key"): anyone with a copy of the
file could sign packages. It is now sealed to each exporting user's own key pair (signing_grant). Sealing
needs that user's password, which a migration does not have, so the first exporting user to log in after
this upgrade takes the clear key, seals it to themself and deletes it (app/services/exchange/signing.py).
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
    op.create_table(
        "signing_grant",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sealed_private", sa.LargeBinary(), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_key.user_id"], name=op.f("fk_signing_grant_user_id_user_key"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_signing_grant")),
    )


def downgrade() -> None:
    op.drop_table("signing_grant")
    with op.batch_alter_table("office_key") as table:
        for name in ("confirmed_at", "confirmed_by", "confirmation", "confirming_key"):
            table.drop_column(name)
