"""Dissemination sessions (meeting), their rosters, crowds, presenters, files, and the documents register.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('NQ', 'CT', 'KL', 'QĐi', 'QĐ', 'QC', 'KH', 'HD', 'CV', 'TB', 'CTr', name='documentkind', native_enum=False, length=32), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('number_folded', sa.String(length=40), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('summary_folded', sa.Text(), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('uid', name=op.f('uq_document_uid'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('ix_document_issued', ['issued_on', 'id'], unique=False)
        batch_op.create_index('ix_document_number', ['number_folded'], unique=False)

    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('ends_at', sa.Time(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_folded', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('study', 'propaganda', 'presenters', 'seminar', 'thematic', 'chi_bo', name='meetingkind', native_enum=False, length=32), nullable=False),
    sa.Column('form', sa.Enum('in_person', 'online', 'mixed', name='meetingform', native_enum=False, length=32), nullable=False),
    sa.Column('bridge_points', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('chair', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'postponed', 'cancelled', name='meetingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('expected_count', sa.Integer(), nullable=False),
    sa.Column('present_count', sa.Integer(), nullable=False),
    sa.Column('excused_count', sa.Integer(), nullable=False),
    sa.Column('unexcused_count', sa.Integer(), nullable=False),
    sa.Column('made_up_count', sa.Integer(), nullable=False),
    sa.Column('guest_count', sa.Integer(), nullable=False),
    sa.Column('crowd_total', sa.Integer(), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('bridge_points IS NULL OR bridge_points >= 1', name=op.f('ck_meeting_bridge_points')),
    sa.CheckConstraint('expected_count >= 0 AND present_count >= 0 AND excused_count >= 0 AND unexcused_count >= 0 AND made_up_count >= 0 AND guest_count >= 0 AND crowd_total >= 0', name=op.f('ck_meeting_counts')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_meeting_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting')),
    sa.UniqueConstraint('uid', name=op.f('uq_meeting_uid'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_held', ['held_on', 'id'], unique=False)
        batch_op.create_index('ix_meeting_unit', ['unit_id', 'held_on'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.Column('guest_name', sa.String(length=120), nullable=True),
    sa.Column('guest_note', sa.String(length=200), nullable=False),
    sa.Column('presence', sa.Enum('present', 'excused', 'unexcused', name='presence', native_enum=False, length=32), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('made_up_on', sa.Date(), nullable=True),
    sa.Column('made_up_how', sa.String(length=200), nullable=False),
    sa.Column('made_up_meeting_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("made_up_on IS NULL OR presence <> 'present'", name=op.f('ck_attendance_made_up_absent')),
    sa.CheckConstraint('person_id IS NOT NULL OR (is_guest AND guest_name IS NOT NULL)', name=op.f('ck_attendance_who')),
    sa.ForeignKeyConstraint(['made_up_meeting_id'], ['meeting.id'], name=op.f('fk_attendance_made_up_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_attendance_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_attendance_meeting_id_person_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_figures', ['meeting_id', 'presence', 'person_id'], unique=False)
        batch_op.create_index('ix_attendance_made_up', ['made_up_on'], unique=False, sqlite_where=sa.text('made_up_on IS NOT NULL'), postgresql_where=sa.text('made_up_on IS NOT NULL'))

    op.create_table('audience_count',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('party_members', 'cadres', 'union_members', 'people', 'pupils', name='audiencegroup', native_enum=False, length=32), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('women', sa.Integer(), nullable=False),
    sa.Column('minority', sa.Integer(), nullable=False),
    sa.CheckConstraint('total >= 0 AND women >= 0 AND minority >= 0 AND women <= total AND minority <= total', name=op.f('ck_audience_count_within_total')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_audience_count_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('meeting_id', 'kind', name=op.f('pk_audience_count'))
    )
    op.create_table('meeting_document',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_meeting_document_document_id_document')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_document_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('meeting_id', 'document_id', name=op.f('pk_meeting_document'))
    )
    with op.batch_alter_table('meeting_document', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_document_document', ['document_id', 'meeting_id'], unique=False)

    op.create_table('meeting_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_file_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['sha256'], ['stored_file.sha256'], name=op.f('fk_meeting_file_sha256_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_file'))
    )
    with op.batch_alter_table('meeting_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_file_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_presenter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_presenter_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_presenter'))
    )
    with op.batch_alter_table('meeting_presenter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_presenter_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_unit',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_unit_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_meeting_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('meeting_id', 'unit_id', name=op.f('pk_meeting_unit'))
    )


def downgrade() -> None:
    for table in ("meeting_unit", "meeting_presenter", "meeting_file", "meeting_document", "audience_count",
                  "attendance", "meeting", "document"):
        op.drop_table(table)
