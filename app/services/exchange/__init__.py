"""Exchange between installs by file (communes without a network): cards (partners and keys), outgoing
(a package out), incoming (a package in, reviewed), merge (applied in one transaction), rows (what
travels, table by table), package (the signed file). The names below are its everyday face."""

from app.services.exchange.cards import (
    PartnerCard,
    PartnerView,
    add_partner,
    find_partner,
    my_card,
    partners,
    read_card,
)
from app.services.exchange.incoming import (
    CATEGORY_LABELS,
    CHANGED,
    CONFLICT,
    DELETED,
    MINE,
    NEW,
    SAME,
    THEIRS,
    Item,
    Review,
    open_package,
    review,
)
from app.services.exchange.merge import ApplyResult, apply, held_package
from app.services.exchange.outgoing import ExportResult, export

__all__ = ["CATEGORY_LABELS", "CHANGED", "CONFLICT", "DELETED", "MINE", "NEW", "SAME", "THEIRS", "ApplyResult",
           "ExportResult", "Item", "PartnerCard", "PartnerView", "Review", "add_partner", "apply", "export",
           "find_partner", "held_package", "my_card", "open_package", "partners", "read_card", "review"]
