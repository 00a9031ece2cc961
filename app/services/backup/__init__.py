"""Backups: copies (made while the app runs, checked, restored), schedule (automatic ones, rotated),
format (the checked, optionally encrypted file). The names below are its everyday face."""

from app.services.backup.copies import (
    SUFFIX,
    BackupError,
    BackupInfo,
    after_restore,
    check_new_passphrase,
    database_file,
    make,
    peek,
    restore,
    verify,
)
from app.services.backup.schedule import auto_folder, automatic_backups, backup_if_due, is_due, made_at

__all__ = ["SUFFIX", "BackupError", "BackupInfo", "after_restore", "auto_folder", "automatic_backups",
           "backup_if_due", "check_new_passphrase", "database_file", "is_due", "made_at", "make", "peek", "restore",
           "verify"]
