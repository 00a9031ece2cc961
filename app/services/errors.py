"""Errors the services raise; every message is Vietnamese and names the field, row or file."""

from __future__ import annotations

from app.errors import DatabaseBusy, DatabaseUnavailable, ServiceError

__all__ = ["Cancelled", "Conflict", "DatabaseBusy", "DatabaseUnavailable", "IdentityLocked", "LoginRefused",
           "NotFound", "PermissionDenied", "ServiceError", "ValidationError"]


class ValidationError(ServiceError):
    """Bad input: `errors` maps a field name to its message, so a dialog can show it in place."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))

    @classmethod
    def one(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class LooksLikeExisting(ServiceError):
    """What is being added matches a record already kept; `existing_id` names it, so the user can open it or
    say that this is someone else."""

    def __init__(self, message: str, existing_id: int) -> None:
        self.existing_id = existing_id
        super().__init__(message)


class PermissionDenied(ServiceError):
    pass


class IdentityLocked(PermissionDenied):
    """Reading an identity needs the key holder's key, which is not open (or locked itself when idle)."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Somebody else changed the record since it was read (optimistic locking)."""


class LoginRefused(ServiceError):
    pass


class Cancelled(ServiceError):
    """The user stopped a long action; its transaction was rolled back."""
