"""Reported cases with their events and signs; the reporter's identity and attachments, sealed; the keys
that protect them; the Danh mục lists (shipped in resources/reference/case_lists.json) and the office's
holiday exceptions.

Revision ID: 0005
Revises: 0004
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('holiday_exception',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday_exception'))
    )
    op.create_table('office_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('recovery_wrapped', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_key'))
    )
    reference_item = op.create_table('reference_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list', sa.Enum('sign', 'channel', 'case_kind', 'handling_body', 'action', name='referencelist', native_enum=False, length=32), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=400), nullable=False),
    sa.Column('grouping', sa.String(length=16), nullable=False),
    sa.Column('regime', sa.Enum('state', 'party', name='regime', native_enum=False, length=32), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_item')),
    sa.UniqueConstraint('list', 'code', name=op.f('uq_reference_item_list_code'))
    )
    op.create_table('case_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('receiving_unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('kind_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('information_only', sa.Boolean(), nullable=False),
    sa.Column('reported_name', sa.String(length=120), nullable=False),
    sa.Column('reported_name_folded', sa.String(length=120), nullable=False),
    sa.Column('reported_position', sa.String(length=200), nullable=False),
    sa.Column('reported_unit_id', sa.Integer(), nullable=True),
    sa.Column('reported_is_member', sa.Boolean(), nullable=False),
    sa.Column('reported_is_key_cadre', sa.Boolean(), nullable=False),
    sa.Column('reported_is_head', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('summary_folded', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('received', 'competent', 'not_competent', 'verifying', 'forwarded', 'concluded', 'acted', 'told', 'closed', name='casestatus', native_enum=False, length=32), nullable=False),
    sa.Column('handling_body_id', sa.Integer(), nullable=True),
    sa.Column('regime', sa.Enum('state', 'party', name='regime', native_enum=False, length=32), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('conclusion', sa.Enum('true', 'partly', 'false', 'no_basis', name='conclusion', native_enum=False, length=32), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('told_on', sa.Date(), nullable=True),
    sa.Column('told_how', sa.String(length=200), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('closed_as', sa.Enum('duplicate', 'withdrawn', 'filed', name='closedas', native_enum=False, length=32), nullable=True),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('extensions >= 0', name=op.f('ck_case_file_extensions')),
    sa.ForeignKeyConstraint(['action_id'], ['reference_item.id'], name=op.f('fk_case_file_action_id_reference_item')),
    sa.ForeignKeyConstraint(['channel_id'], ['reference_item.id'], name=op.f('fk_case_file_channel_id_reference_item')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['case_file.id'], name=op.f('fk_case_file_duplicate_of_id_case_file')),
    sa.ForeignKeyConstraint(['handling_body_id'], ['reference_item.id'], name=op.f('fk_case_file_handling_body_id_reference_item')),
    sa.ForeignKeyConstraint(['kind_id'], ['reference_item.id'], name=op.f('fk_case_file_kind_id_reference_item')),
    sa.ForeignKeyConstraint(['receiving_unit_id'], ['unit.id'], name=op.f('fk_case_file_receiving_unit_id_unit')),
    sa.ForeignKeyConstraint(['reported_unit_id'], ['unit.id'], name=op.f('fk_case_file_reported_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('number', name=op.f('uq_case_file_number')),
    sa.UniqueConstraint('receiving_unit_id', 'year', 'seq', name=op.f('uq_case_file_receiving_unit_id_year_seq')),
    sa.UniqueConstraint('uid', name=op.f('uq_case_file_uid'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_received', ['received_on', 'id'], unique=False)
        batch_op.create_index('ix_case_file_status_due', ['status', 'due_on'], unique=False)

    op.create_table('case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_attachment_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_attachment'))
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_case_id'), ['case_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('step', sa.Enum('receive', 'accept', 'decline', 'duplicate', 'withdraw', 'assign', 'extend', 'forward', 'conclude', 'act', 'tell', 'close', 'reopen', 'edit', name='casestep', native_enum=False, length=32), nullable=False),
    sa.Column('from_status', sa.Enum('received', 'competent', 'not_competent', 'verifying', 'forwarded', 'concluded', 'acted', 'told', 'closed', name='casestatus', native_enum=False, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('received', 'competent', 'not_competent', 'verifying', 'forwarded', 'concluded', 'acted', 'told', 'closed', name='casestatus', native_enum=False, length=32), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_case_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_identity',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_identity_case_id_case_file')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_identity'))
    )
    op.create_table('case_sign',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sign_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_sign_case_id_case_file')),
    sa.ForeignKeyConstraint(['sign_id'], ['reference_item.id'], name=op.f('fk_case_sign_sign_id_reference_item')),
    sa.PrimaryKeyConstraint('case_id', 'sign_id', name=op.f('pk_case_sign'))
    )
    with op.batch_alter_table('case_sign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_sign_sign_id'), ['sign_id'], unique=False)

    op.create_table('key_grant',
    sa.Column('office_key_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sealed_private', sa.LargeBinary(), nullable=False),
    sa.Column('granted_by', sa.String(length=64), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_key_id'], ['office_key.id'], name=op.f('fk_key_grant_office_key_id_office_key')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_key_grant_user_id_app_user')),
    sa.PrimaryKeyConstraint('office_key_id', 'user_id', name=op.f('pk_key_grant'))
    )
    op.create_table('user_key',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('kdf', sa.String(length=80), nullable=False),
    sa.Column('salt', sa.LargeBinary(), nullable=False),
    sa.Column('wrapped_private', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_key_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_key'))
    )
    op.bulk_insert(reference_item, _default_lists())


def _default_lists() -> list[dict]:
    """The shipped lists; their codes never change (the exchange and the rules read them)."""
    from app.config import resources_dir

    shipped = json.loads((resources_dir() / "reference" / "case_lists.json").read_text(encoding="utf-8"))
    return [{"list": name, "code": item["code"], "name": item["name"], "grouping": item.get("grouping", ""),
             "regime": item.get("regime"), "position": position, "retired_at": None}
            for name, items in shipped.items() if not name.startswith("_")
            for position, item in enumerate(items)]


def downgrade() -> None:
    op.drop_table('user_key')
    op.drop_table('key_grant')
    with op.batch_alter_table('case_sign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_sign_sign_id'))

    op.drop_table('case_sign')
    op.drop_table('case_identity')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_attachment_case_id'))

    op.drop_table('case_attachment')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_status_due')
        batch_op.drop_index('ix_case_file_received')

    op.drop_table('case_file')
    op.drop_table('reference_item')
    op.drop_table('office_key')
    op.drop_table('holiday_exception')
