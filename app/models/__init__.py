"""The ORM: one module per aggregate; importing this package registers every table."""

from app.models.audit import AuditEntry
from app.models.base import Base
from app.models.cases import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseIdentity,
    CaseSign,
    HolidayException,
    ReferenceItem,
)
from app.models.documents import Document, DocumentLink, RequiredUnit, UnitPlan
from app.models.exchange import ExchangePartner, ExchangeState, HeldPackage, SigningGrant
from app.models.exemplars import Exemplar, ExemplarSpread
from app.models.files import StoredFile
from app.models.keys import KeyGrant, OfficeKey, UserKey
from app.models.materials import Broadcast, Distribution, Material, MaterialDocument
from app.models.meetings import (
    Attendance,
    AudienceCount,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MeetingUnit,
    Presenter,
)
from app.models.meta import InstallMeta
from app.models.opinion import Opinion, OpinionAmong
from app.models.org import Unit, UnitVersion
from app.models.people import Membership, Person
from app.models.profile import OfficeProfile
from app.models.reports import (
    IssuedReport,
    PeriodReopening,
    ReportDecision,
    ReportDraft,
    ReportDuty,
    ReportReceipt,
)
from app.models.speakers import Speaker
from app.models.users import User

__all__ = ["Attendance", "AudienceCount", "AuditEntry", "Base", "Broadcast", "Case", "CaseAttachment",
           "CaseEvent", "CaseIdentity", "CaseSign", "HolidayException", "KeyGrant", "OfficeKey", "ReferenceItem",
           "UserKey", "Distribution", "Exemplar", "ExemplarSpread", "ExchangePartner", "ExchangeState", "HeldPackage", "SigningGrant", "Document", "DocumentLink",
           "InstallMeta", "Material", "MaterialDocument", "Meeting", "MeetingDocument", "MeetingFile", "MeetingUnit",
           "IssuedReport", "Membership", "OfficeProfile", "Opinion", "OpinionAmong", "PeriodReopening", "Person", "ReportDecision", "ReportDraft", "ReportDuty", "ReportReceipt", "Presenter", "Speaker", "RequiredUnit", "StoredFile", "Unit", "UnitPlan", "UnitVersion",
           "User"]
