"""rooms left out of a document's consolidations

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consolidation_excluded_rooms',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('excluded_by', sa.String(length=254), nullable=False),
    sa.Column('excluded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                            name=op.f('fk_consolidation_excluded_rooms_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'],
                            name=op.f('fk_consolidation_excluded_rooms_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'room_id', name=op.f('pk_consolidation_excluded_rooms'))
    )


def downgrade() -> None:
    op.drop_table('consolidation_excluded_rooms')
