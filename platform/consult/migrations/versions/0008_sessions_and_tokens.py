"""server-side sign-in sessions; API tokens with a name, an expiry and a last use

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisers.id'], name=op.f('fk_sign_in_sessions_organiser_id_organisers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_sign_in_sessions_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_sign_in_sessions'))
    )
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_participant_id'), ['participant_id'], unique=False)

    # Tokens issued before they could expire are ended: their organisers sign in again.
    op.execute("DELETE FROM api_tokens")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=False,
                                      server_default=sa.text("'2000-01-01 00:00:00'")))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('name', server_default=None)
        batch_op.alter_column('expires_at', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('name')
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_participant_id'))
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_organiser_id'))
    op.drop_table('sign_in_sessions')
