"""The base of every refusal a user reads, at the bottom so that the database layer can raise one too
(app/services/errors.py holds the services' own kinds)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError


class ServiceError(Exception):
    """Base of every refusal a user should read."""

    @property
    def message(self) -> str:
        return str(self)


class DatabaseBusy(ServiceError):
    """Another writer held the database longer than this one would wait: nothing was written."""


class DatabaseUnavailable(ServiceError):
    """The database file is damaged, or the server cannot be reached: nothing was written."""


def database_failure(error: BaseException) -> ServiceError | None:
    """What a failure of the database itself means to the person, or None for any other error and for a
    fault of the program (a broken constraint, a bad statement), which stays a bug to report."""
    if not isinstance(error, DBAPIError) or isinstance(error, IntegrityError | ProgrammingError):
        return None
    text = str(error.orig).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy("Cơ sở dữ liệu đang bận: một người khác đang ghi một việc lớn (nhập tệp, nhận gói…). "
                            "Chưa ghi gì; những gì bạn nhập vẫn còn, hãy thử lại sau ít phút.")
    if isinstance(error.orig, sqlite3.DatabaseError) and not isinstance(error.orig, sqlite3.OperationalError) \
            or "malformed" in text or "not a database" in text or "disk i/o" in text:
        return DatabaseUnavailable("Tệp cơ sở dữ liệu bị hỏng hoặc không đọc được. Chưa ghi gì; hãy khôi phục từ "
                                   f"bản sao lưu gần nhất (chi tiết: {str(error.orig)[:120]}).")
    return DatabaseUnavailable("Không làm việc được với cơ sở dữ liệu (máy chủ không trả lời, mất kết nối mạng "
                               f"hoặc đĩa đầy). Chưa ghi gì; hãy thử lại (chi tiết: {str(error.orig)[:120]}).")
