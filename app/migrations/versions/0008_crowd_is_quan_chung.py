"""a session's crowd count is quần chúng: every audience group but party members

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 10:00:00

The sessions list and `meetings list --totals` counted the party members' audience group as quần
chúng while the report did not; the stored count now means what the report says (DOMAIN.md).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE meeting SET crowd_total = (SELECT COALESCE(SUM(total), 0) FROM audience_count "
               "WHERE audience_count.meeting_id = meeting.id AND audience_count.kind <> 'party_members')")


def downgrade() -> None:
    op.execute("UPDATE meeting SET crowd_total = (SELECT COALESCE(SUM(total), 0) FROM audience_count "
               "WHERE audience_count.meeting_id = meeting.id)")
