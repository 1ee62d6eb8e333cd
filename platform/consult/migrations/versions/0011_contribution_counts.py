"""contribution_counts: the visible comments and amendments of each room's threads, kept with
every post, approval, hiding and restoring, so that a post does not count the room's rows

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contribution_counts',
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('comments', sa.Integer(), nullable=False),
        sa.Column('amendments', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_contribution_counts_room_id_rooms'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('room_id', 'paragraph_id', name=op.f('pk_contribution_counts')),
    )
    # What is there already, counted once (paragraph 0: general comments).
    op.execute("""
        INSERT INTO contribution_counts (room_id, paragraph_id, comments, amendments)
        SELECT room_id, paragraph_id, SUM(comments), SUM(amendments) FROM (
            SELECT room_id, COALESCE(paragraph_id, 0) AS paragraph_id, 1 AS comments, 0 AS amendments
            FROM comments WHERE visibility = 'visible'
            UNION ALL
            SELECT room_id, paragraph_id, 0, 1 FROM amendments WHERE visibility = 'visible'
        ) AS visible GROUP BY room_id, paragraph_id
    """)


def downgrade() -> None:
    op.drop_table('contribution_counts')
