"""Writing a finished document whole or not at all (see app.services.safe_write)."""

from app.services.safe_write import OutputError, save  # noqa: F401  (the reports' names for them)
