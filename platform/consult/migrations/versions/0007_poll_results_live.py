"""polls: the rapporteur may show results while a poll is open

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('polls') as batch:
        batch.add_column(sa.Column('results_live', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('polls') as batch:
        batch.drop_column('results_live')
