"""The documents chain (implements links, attached file) and tracking (required units, deadline, target);
materials with their distribution; the loudspeaker log (broadcast).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('handbook', 'book', 'bulletin', 'leaflet', 'folder', 'poster', 'banner', 'press', 'web', 'tv', 'radio', 'social', name='materialkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_folded', sa.String(length=300), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('distributed', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('quantity >= 0 AND distributed >= 0 AND distributed <= quantity', name=op.f('ck_material_stock')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_material_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material')),
    sa.UniqueConstraint('uid', name=op.f('uq_material_uid'))
    )
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.create_index('ix_material_issued', ['issued_on', 'id'], unique=False)
        batch_op.create_index('ix_material_unit', ['unit_id', 'issued_on'], unique=False)

    op.create_table('broadcast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('aired_on', sa.Date(), nullable=False),
    sa.Column('content', sa.String(length=300), nullable=False),
    sa.Column('content_folded', sa.String(length=300), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('uid', sa.Uuid(), nullable=False),
    sa.Column('origin', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('times >= 1 AND minutes >= 1', name=op.f('ck_broadcast_amounts')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_broadcast_document_id_document')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_broadcast_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcast')),
    sa.UniqueConstraint('uid', name=op.f('uq_broadcast_uid'))
    )
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.create_index('ix_broadcast_aired', ['aired_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_broadcast_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_broadcast_unit', ['unit_id', 'aired_on'], unique=False)

    op.create_table('document_link',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('implements_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('document_id <> implements_id', name=op.f('ck_document_link_not_itself')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_link_document_id_document')),
    sa.ForeignKeyConstraint(['implements_id'], ['document.id'], name=op.f('fk_document_link_implements_id_document')),
    sa.PrimaryKeyConstraint('document_id', 'implements_id', name=op.f('pk_document_link'))
    )
    with op.batch_alter_table('document_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_link_implements_id'), ['implements_id'], unique=False)

    op.create_table('document_unit',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_unit_document_id_document')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_document_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('document_id', 'unit_id', name=op.f('pk_document_unit'))
    )
    op.create_table('material_distribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_material_distribution_quantity')),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_material_distribution_material_id_material')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_material_distribution_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_material_distribution'))
    )
    with op.batch_alter_table('material_distribution', schema=None) as batch_op:
        batch_op.create_index('ix_distribution_unit', ['unit_id', 'given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_material_distribution_material_id'), ['material_id'], unique=False)

    op.create_table('material_document',
    sa.Column('material_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_material_document_document_id_document')),
    sa.ForeignKeyConstraint(['material_id'], ['material.id'], name=op.f('fk_material_document_material_id_material')),
    sa.PrimaryKeyConstraint('material_id', 'document_id', name=op.f('pk_material_document'))
    )
    with op.batch_alter_table('material_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_material_document_document_id'), ['document_id'], unique=False)

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('file_name', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('target', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_document_file_sha256_stored_file'), 'stored_file', ['file_sha256'], ['sha256'])
        batch_op.create_check_constraint(op.f('ck_document_target'), 'target IS NULL OR (target > 0 AND target <= 100)')
        batch_op.create_check_constraint(op.f('ck_document_deadline'), 'deadline IS NULL OR deadline >= issued_on')



def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_document_deadline'), type_='check')
        batch_op.drop_constraint(op.f('ck_document_target'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_document_file_sha256_stored_file'), type_='foreignkey')
        batch_op.drop_column('target')
        batch_op.drop_column('deadline')
        batch_op.drop_column('file_name')
        batch_op.drop_column('file_sha256')

    with op.batch_alter_table('material_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_document_document_id'))

    op.drop_table('material_document')
    with op.batch_alter_table('material_distribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_material_distribution_material_id'))
        batch_op.drop_index('ix_distribution_unit')

    op.drop_table('material_distribution')
    op.drop_table('document_unit')
    with op.batch_alter_table('document_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_link_implements_id'))

    op.drop_table('document_link')
    with op.batch_alter_table('broadcast', schema=None) as batch_op:
        batch_op.drop_index('ix_broadcast_unit')
        batch_op.drop_index(batch_op.f('ix_broadcast_document_id'))
        batch_op.drop_index('ix_broadcast_aired')

    op.drop_table('broadcast')
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_index('ix_material_unit')
        batch_op.drop_index('ix_material_issued')

    op.drop_table('material')
