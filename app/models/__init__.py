"""The ORM: one module per aggregate; importing this package registers every table."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.files import StoredFile
from app.models.meta import InstallMeta
from app.models.org import Unit, UnitVersion
from app.models.people import Membership, Person
from app.models.profile import OfficeProfile
from app.models.users import User

__all__ = ["AuditEntry", "Base", "InstallMeta", "Membership", "OfficeProfile", "Person", "StoredFile",
           "Unit", "UnitVersion", "User"]
