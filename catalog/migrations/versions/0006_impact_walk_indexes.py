"""covering indexes for the impact walk

The impact of an item (catalog.queries.impact) looks up, level by level, what needs each
item reached so far: relation rows by their target, and the integrations carrying a data
set. With the other end and the type in the index, each look-up is one index seek that
never reads the table row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 04:15:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_relation_target", table_name="relation")
    op.create_index(
        "ix_relation_target",
        "relation",
        ["target_kind", "target_id", "source_kind", "source_id", "type"],
        unique=False,
    )
    op.drop_index("ix_integration_data_set_data_set_id", table_name="integration_data_set")
    op.create_index(
        "ix_integration_data_set_data_set_id",
        "integration_data_set",
        ["data_set_id", "integration_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_integration_data_set_data_set_id", table_name="integration_data_set")
    op.create_index(
        "ix_integration_data_set_data_set_id",
        "integration_data_set",
        ["data_set_id"],
        unique=False,
    )
    op.drop_index("ix_relation_target", table_name="relation")
    op.create_index("ix_relation_target", "relation", ["target_kind", "target_id"], unique=False)
