"""Party documents: register (the sổ văn bản and its "implements" chain), listing (the paged list),
coverage (which required units have disseminated a tracked document). The register's names are the
aggregate's everyday face."""

from app.services.documents.register import (
    ChainLine,
    DocumentDetail,
    DocumentInput,
    DocumentRow,
    chain,
    create,
    delete,
    file_bytes,
    get,
    kind_of_number,
    row,
    rows_by_id,
    search,
    tracking_day,
    update,
    validate,
)

__all__ = ["ChainLine", "DocumentDetail", "DocumentInput", "DocumentRow", "chain", "create", "delete",
           "file_bytes", "get", "kind_of_number", "row", "rows_by_id", "search", "tracking_day", "update",
           "validate"]
