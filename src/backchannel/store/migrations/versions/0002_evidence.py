"""Evidence from news: documents by content hash, extractions per scenario, and extracted items.

Revision ID: 0002_evidence
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_evidence"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _item_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("extraction_id", sa.Integer, nullable=False, index=True),
        sa.Column("document_id", sa.Integer, nullable=False, index=True),
        sa.Column("scenario_hash", sa.String(64), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
    ]


def upgrade() -> None:
    """Create the evidence tables."""
    op.create_table(
        "evidence_documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("published", sa.String(10), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "evidence_extractions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("evidence_documents.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("scenario_hash", sa.String(64), sa.ForeignKey("scenarios.hash"), nullable=False, index=True),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("document_id", "scenario_hash"),
    )
    op.create_table("evidence_mentions", *_item_columns(), sa.Column("actor", sa.String(200), nullable=False))
    op.create_table("evidence_quotes", *_item_columns(), sa.Column("speaker", sa.Text, nullable=True),
                    sa.Column("actor", sa.String(200), nullable=True))
    op.create_table("evidence_claims", *_item_columns(),
                    sa.Column("actor", sa.String(200), nullable=False, index=True),
                    sa.Column("issue", sa.String(200), nullable=False, index=True),
                    sa.Column("position", sa.Float, nullable=True),
                    sa.Column("confidence", sa.Float, nullable=False))
    op.create_table("evidence_deadlines", *_item_columns(), sa.Column("days", sa.Integer, nullable=True),
                    sa.Column("due", sa.String(10), nullable=True), sa.Column("actor", sa.String(200), nullable=True),
                    sa.Column("target", sa.String(200), nullable=True))
    op.create_table("evidence_events", *_item_columns(), sa.Column("kind", sa.String(40), nullable=False),
                    sa.Column("actor", sa.String(200), nullable=True), sa.Column("target", sa.String(200), nullable=True))


def downgrade() -> None:
    """Drop the evidence tables."""
    for name in ("evidence_events", "evidence_deadlines", "evidence_claims", "evidence_quotes", "evidence_mentions",
                 "evidence_extractions", "evidence_documents"):
        op.drop_table(name)
