"""Citizens' reported cases (phản ánh, kiến nghị, tố giác): intake (taking a case in, editing it,
opening its reporter), workflow (its steps and deadlines), listing, figures, keys and sealing (the
reporter's identity readable only by inspectors), workdays (deadlines in working days), reference
(Danh mục). Intake's names are the aggregate's everyday face."""

from app.services.cases.intake import (
    AttachmentLine,
    CaseDetail,
    CaseInput,
    EventLine,
    Reporter,
    add_event,
    attachment,
    conflict,
    delete_case,
    detail,
    id_of,
    identity,
    load,
    receive,
    remove_attachment,
    remove_identity,
    require_visible,
    update,
    validate,
    warnings,
)

__all__ = ["AttachmentLine", "CaseDetail", "CaseInput", "EventLine", "Reporter", "add_event", "attachment",
           "conflict", "delete_case", "detail", "id_of", "identity", "load", "receive", "remove_attachment",
           "remove_identity", "require_visible", "update", "validate", "warnings"]
