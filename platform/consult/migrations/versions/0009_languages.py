"""languages: a participant's interface language, the language each comment and amendment was
written in, and the languages an event offers with its default

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        # None until the participant chooses: then their browser decides.
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    # What was written before languages were recorded was written in the English interface.
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='en'))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.String(length=64), nullable=False, server_default='en fr de nl'))
        batch_op.add_column(sa.Column('default_language', sa.String(length=8), nullable=False, server_default='en'))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('default_language')
        batch_op.drop_column('languages')
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('language')
