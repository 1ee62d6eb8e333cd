"""participant email

Registered participants are imported with their email: it is how a second import of the same
list finds who is already there. Participants who join with a room code have none.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        # Unique per event; NULLs never collide, so code-joined participants are unaffected.
        batch_op.create_index('ix_participants_event_id_email', ['event_id', 'email'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_event_id_email')
        batch_op.drop_column('email')
