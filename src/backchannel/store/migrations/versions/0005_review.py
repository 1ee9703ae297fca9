"""Reviewed evidence: decisions on claims (who, when, why) and scenario versions made from them.

Revision ID: 0005_review
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_review"
down_revision = "0004_questions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the review tables."""
    op.create_table(
        "evidence_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("evidence_claims.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("position", sa.Float, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), sa.ForeignKey("scenarios.hash"), nullable=False, index=True),
        sa.Column("parent_hash", sa.String(64), nullable=True),
        sa.Column("as_of", sa.String(10), nullable=True),
        sa.Column("rule", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scenario_id", "number"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("scenario_versions")
    op.drop_table("evidence_reviews")
