"""application former urls

A system's earlier addresses (a ministry renamed in 2024, a host moved): older
inventories still record the system under them, and the analysis recognises a national
system in use by its address (``national.unlinked_use``). Existing rows get an empty list.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The server default fills the rows already there (a NOT NULL column needs one).
    op.add_column(
        "application",
        sa.Column("former_urls", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_column("former_urls")
