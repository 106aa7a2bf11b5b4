"""logbook: records of four kinds, confirmations, supervisor accreditation, finality triggers

Revision ID: 0004_logbook
Revises: 0003_vignettes
"""
from alembic import op
import sqlalchemy as sa

import app.database

from app.logbook.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = '0004_logbook'
down_revision = '0003_vignettes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supervisor_accreditation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= valid_from', name=op.f('ck_supervisor_accreditation_period_ordered')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_supervisor_accreditation_association_id_association')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user.id'], name=op.f('fk_supervisor_accreditation_granted_by_id_user')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], name=op.f('fk_supervisor_accreditation_supervisor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervisor_accreditation'))
    )
    with op.batch_alter_table('supervisor_accreditation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisor_accreditation_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisor_accreditation_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('logbook_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('returned_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('returned_by_id', sa.Integer(), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('reopened_by_id', sa.Integer(), nullable=True),
    sa.Column('reopen_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('session', 'supervision', 'event', 'observation')", name=op.f('ck_logbook_record_kind_known')),
    sa.CheckConstraint("status != 'signed' OR (signer_id IS NOT NULL AND signed_at IS NOT NULL AND content_hash IS NOT NULL)", name=op.f('ck_logbook_record_signed_has_signature')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'signed', 'returned')", name=op.f('ck_logbook_record_status_known')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_logbook_record_association_id_association')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_logbook_record_author_id_user')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_logbook_record_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['user.id'], name=op.f('fk_logbook_record_reopened_by_id_user')),
    sa.ForeignKeyConstraint(['returned_by_id'], ['user.id'], name=op.f('fk_logbook_record_returned_by_id_user')),
    sa.ForeignKeyConstraint(['signer_id'], ['user.id'], name=op.f('fk_logbook_record_signer_id_user')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['logbook_record.id'], name=op.f('fk_logbook_record_supersedes_id_logbook_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_record')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_logbook_record_supersedes_id'))
    )
    with op.batch_alter_table('logbook_record', schema=None) as batch_op:
        batch_op.create_index('ix_logbook_record_association_status', ['association_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_logbook_record_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_logbook_record_enrolment_status', ['enrolment_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_logbook_record_occurred_on'), ['occurred_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_logbook_record_signer_id'), ['signer_id'], unique=False)

    op.create_table('logbook_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('certificate_key', sa.String(length=80), nullable=True),
    sa.Column('certificate_name', sa.String(length=200), nullable=False),
    sa.Column('certificate_type', sa.String(length=40), nullable=False),
    sa.Column('certificate_size', sa.Integer(), nullable=True),
    sa.Column('certificate_sha256', sa.String(length=64), nullable=True),
    sa.CheckConstraint("event_kind IN ('leadership-workshop', 'residential-weekend', 'intensive', 'seminar', 'international-workshop')", name=op.f('ck_logbook_event_event_kind_known')),
    sa.CheckConstraint('days >= 1', name=op.f('ck_logbook_event_days_positive')),
    sa.ForeignKeyConstraint(['id'], ['logbook_record.id'], name=op.f('fk_logbook_event_id_logbook_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_event'))
    )
    op.create_table('logbook_observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('setting', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.CheckConstraint("outcome IN ('satisfactory', 'needs-development')", name=op.f('ck_logbook_observation_outcome_known')),
    sa.ForeignKeyConstraint(['id'], ['logbook_record.id'], name=op.f('fk_logbook_observation_id_logbook_record')),
    sa.ForeignKeyConstraint(['observer_id'], ['user.id'], name=op.f('fk_logbook_observation_observer_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_observation'))
    )
    with op.batch_alter_table('logbook_observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logbook_observation_observer_id'), ['observer_id'], unique=False)

    op.create_table('logbook_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('group_kind', sa.String(length=30), nullable=False),
    sa.Column('setting_category', sa.String(length=30), nullable=False),
    sa.Column('setting', sa.String(length=200), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('co_leader_id', sa.Integer(), nullable=True),
    sa.Column('co_leader_name', sa.String(length=120), nullable=False),
    sa.Column('is_co_leader_accredited', sa.Boolean(), nullable=False),
    sa.Column('phases_run', sa.String(length=120), nullable=False),
    sa.Column('reflection', sa.Text(), nullable=False),
    sa.CheckConstraint("group_kind IN ('ongoing', 'residential-weekend', 'intensive', 'study-conference', 'large-group')", name=op.f('ck_logbook_session_group_kind_known')),
    sa.CheckConstraint("mode IN ('in-person', 'online')", name=op.f('ck_logbook_session_mode_known')),
    sa.CheckConstraint("role IN ('member', 'presenter', 'co-leader', 'leader')", name=op.f('ck_logbook_session_role_known')),
    sa.CheckConstraint("setting_category IN ('primary-care', 'hospital', 'mental-health', 'education', 'social-care', 'mixed', 'other')", name=op.f('ck_logbook_session_setting_category_known')),
    sa.CheckConstraint('cases >= 0', name=op.f('ck_logbook_session_cases_positive')),
    sa.CheckConstraint('members BETWEEN 1 AND 30', name=op.f('ck_logbook_session_members_range')),
    sa.CheckConstraint('minutes BETWEEN 15 AND 600', name=op.f('ck_logbook_session_minutes_range')),
    sa.ForeignKeyConstraint(['co_leader_id'], ['user.id'], name=op.f('fk_logbook_session_co_leader_id_user')),
    sa.ForeignKeyConstraint(['id'], ['logbook_record.id'], name=op.f('fk_logbook_session_id_logbook_record')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_session'))
    )
    with op.batch_alter_table('logbook_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logbook_session_co_leader_id'), ['co_leader_id'], unique=False)

    op.create_table('logbook_supervision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('has_recording', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.CheckConstraint("channel IN ('in-person', 'online', 'phone')", name=op.f('ck_logbook_supervision_channel_known')),
    sa.CheckConstraint("mode IN ('individual', 'group')", name=op.f('ck_logbook_supervision_mode_known')),
    sa.CheckConstraint('minutes BETWEEN 15 AND 600', name=op.f('ck_logbook_supervision_minutes_range')),
    sa.ForeignKeyConstraint(['id'], ['logbook_record.id'], name=op.f('fk_logbook_supervision_id_logbook_record')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], name=op.f('fk_logbook_supervision_supervisor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_supervision'))
    )
    with op.batch_alter_table('logbook_supervision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logbook_supervision_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('logbook_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['logbook_session.id'], name=op.f('fk_logbook_confirmation_record_id_logbook_session')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_logbook_confirmation_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logbook_confirmation')),
    sa.UniqueConstraint('record_id', 'content_hash', name=op.f('uq_logbook_confirmation_record_id_content_hash'))
    )
    with op.batch_alter_table('logbook_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logbook_confirmation_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_logbook_confirmation_user_id'), ['user_id'], unique=False)


    # Signed records are final: the database itself refuses to change or delete them.
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table('logbook_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logbook_confirmation_user_id'))
        batch_op.drop_index(batch_op.f('ix_logbook_confirmation_record_id'))

    op.drop_table('logbook_confirmation')
    with op.batch_alter_table('logbook_supervision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logbook_supervision_supervisor_id'))

    op.drop_table('logbook_supervision')
    with op.batch_alter_table('logbook_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logbook_session_co_leader_id'))

    op.drop_table('logbook_session')
    with op.batch_alter_table('logbook_observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logbook_observation_observer_id'))

    op.drop_table('logbook_observation')
    op.drop_table('logbook_event')
    with op.batch_alter_table('logbook_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logbook_record_signer_id'))
        batch_op.drop_index(batch_op.f('ix_logbook_record_occurred_on'))
        batch_op.drop_index('ix_logbook_record_enrolment_status')
        batch_op.drop_index(batch_op.f('ix_logbook_record_author_id'))
        batch_op.drop_index('ix_logbook_record_association_status')

    op.drop_table('logbook_record')
    with op.batch_alter_table('supervisor_accreditation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_accreditation_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervisor_accreditation_association_id'))

    op.drop_table('supervisor_accreditation')
