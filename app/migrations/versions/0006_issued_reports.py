"""The periodic report's drafts (its written sections per period and scope) and the register of
issued reports (number per body, type and term; the PDF as issued; the profile version used).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('scope_code', sa.String(length=20), nullable=False),
    sa.Column('written', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_draft')),
    sa.UniqueConstraint('period_key', 'scope_code', name=op.f('uq_report_draft_period_key_scope_code'))
    )
    op.create_table('issued_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuing_code', sa.String(length=30), nullable=False),
    sa.Column('kind_code', sa.String(length=10), nullable=False),
    sa.Column('term', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('scope_code', sa.String(length=20), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('written', sa.Text(), nullable=False),
    sa.Column('profile_valid_from', sa.Date(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pdf_sha256'], ['stored_file.sha256'], name=op.f('fk_issued_report_pdf_sha256_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_report')),
    sa.UniqueConstraint('issuing_code', 'kind_code', 'term', 'number', name=op.f('uq_issued_report_issuing_code_kind_code_term_number')),
    sa.UniqueConstraint('uid', name=op.f('uq_issued_report_uid'))
    )
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.create_index('ix_issued_report_made_on', ['made_on', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('issued_report', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_report_made_on')

    op.drop_table('issued_report')
    op.drop_table('report_draft')
