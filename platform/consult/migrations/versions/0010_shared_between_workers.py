"""shared between workers: the token buckets and who is here, in tables every worker process
shares on PostgreSQL (SQLite serves one process and keeps both in memory), and the progress
of exports written in a worker thread

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 07:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rate_buckets',
        sa.Column('limiter', sa.String(length=16), nullable=False),
        sa.Column('bucket', sa.String(length=320), nullable=False),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('limiter', 'bucket', name=op.f('pk_rate_buckets')),
    )
    op.create_index(op.f('ix_rate_buckets_at'), 'rate_buckets', ['at'], unique=False)
    op.create_table(
        'here',
        sa.Column('process', sa.String(length=32), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('who', sa.String(length=40), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('process', 'room_id', 'who', name=op.f('pk_here')),
    )
    op.create_index(op.f('ix_here_room_id'), 'here', ['room_id'], unique=False)
    op.create_table(
        'export_jobs',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('owner', sa.String(length=40), nullable=False),
        sa.Column('sheet', sa.Integer(), nullable=False),
        sa.Column('sheets', sa.Integer(), nullable=False),
        sa.Column('sheet_name', sa.String(length=80), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=400), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=True),
        sa.Column('failed', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    )
    op.create_index(op.f('ix_export_jobs_created_at'), 'export_jobs', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_export_jobs_created_at'), table_name='export_jobs')
    op.drop_table('export_jobs')
    op.drop_index(op.f('ix_here_room_id'), table_name='here')
    op.drop_table('here')
    op.drop_index(op.f('ix_rate_buckets_at'), table_name='rate_buckets')
    op.drop_table('rate_buckets')
