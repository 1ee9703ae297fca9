"""The question ledger: questions, the probability each forecast run gave them, and their resolutions.

Revision ID: 0004_questions
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_questions"
down_revision = "0003_claim_method"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three ledger tables."""
    op.create_table(
        "questions",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
        sa.Column("outcome", sa.String(200), nullable=False),
        sa.Column("resolves_by", sa.Date, nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "question_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_id", sa.String(200), sa.ForeignKey("questions.id"), nullable=False, index=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False, index=True),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("headline", sa.Boolean, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("choices", sa.Integer, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "question_resolutions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_id", sa.String(200), sa.ForeignKey("questions.id"), nullable=False, index=True),
        sa.Column("answer", sa.Boolean, nullable=False),
        sa.Column("resolved_on", sa.Date, nullable=False),
        sa.Column("amend_reason", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("question_resolutions")
    op.drop_table("question_records")
    op.drop_table("questions")
