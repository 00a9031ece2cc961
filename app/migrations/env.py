"""Alembic environment: always run by app.db with a connection it opened (no alembic.ini)."""

from alembic import context

import app.models  # noqa: F401  (registers every table on the metadata)
from app.models.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by rebuilding them
    compare_type=True,
)
context.run_migrations()
