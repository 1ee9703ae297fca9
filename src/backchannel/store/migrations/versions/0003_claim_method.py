"""Claims from a local model: which method found the claim and the verbatim evidence span.

Revision ID: 0003_claim_method
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_claim_method"
down_revision = "0002_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add nullable columns; rule-based claims leave them empty."""
    with op.batch_alter_table("evidence_claims") as batch:
        batch.add_column(sa.Column("method", sa.String(40), nullable=True))
        batch.add_column(sa.Column("evidence_start", sa.Integer, nullable=True))
        batch.add_column(sa.Column("evidence_end", sa.Integer, nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("evidence_claims") as batch:
        batch.drop_column("evidence_end")
        batch.drop_column("evidence_start")
        batch.drop_column("method")
