"""Review, continued: a decision may re-assign a claim's actor or issue; proposals on the agreement layer
(outside options, deadlines) drawn from reviewed evidence, and the decisions on them.

Revision ID: 0006_review_proposals
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_review_proposals"
down_revision = "0005_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the re-assignment columns and the proposal tables."""
    with op.batch_alter_table("evidence_reviews") as batch:
        batch.add_column(sa.Column("actor", sa.String(200), nullable=True))
        batch.add_column(sa.Column("issue", sa.String(200), nullable=True))
    op.create_table(
        "review_proposals",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.String(200), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("claim_id", sa.Integer, sa.ForeignKey("evidence_claims.id", ondelete="CASCADE"), nullable=True),
        sa.Column("deadline_id", sa.Integer, sa.ForeignKey("evidence_deadlines.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scenario_id", "key"),
    )
    op.create_table(
        "review_proposal_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("review_proposals.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("review_proposal_decisions")
    op.drop_table("review_proposals")
    with op.batch_alter_table("evidence_reviews") as batch:
        batch.drop_column("issue")
        batch.drop_column("actor")
