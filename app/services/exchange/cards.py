"""Who we exchange with: this install's card, partners' cards taken once after the
fingerprint is checked by phone, and the list of partners."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import ExchangePartner, HeldPackage
from app.services import audit, profile
from app.services.auth import Actor, Permission, require
from app.services.cases.sealing import fingerprint
from app.services.errors import NotFound, ValidationError
from app.services.exchange import signing
from app.services.exchange.rows import (
    TABLES,
)

CARD_KIND = "SoTuyenGiao-the-doi-tac"


# ---- this install's card ----------------------------------------------------------------------

def office_identity(session: Session) -> tuple[str, str]:
    """The office's name (from the profile in force) and the code of the top of its unit tree."""
    current = profile.in_force_in(session, clock.today())
    name = f"{current.issuing_body} ({current.parent_body})" if current else ""
    units, versions = TABLES["unit"], TABLES["unit_version"]
    top = session.scalar(select(units.c.code).join(versions, versions.c.unit_id == units.c.id)
                         .where(versions.c.parent_id.is_(None)).order_by(versions.c.valid_from.desc(), units.c.id)
                         .limit(1))
    return name, top or ""


def my_card(db: Database, actor: Actor) -> tuple[bytes, str]:
    """The file a partner imports once to recognise our packages, and its fingerprint to read aloud."""
    require(actor, Permission.MANAGE_PARTNERS)
    with db.session_scope() as session:
        public = signing.public_key(session)
        if public is None:
            raise ValidationError.one("card", "Chưa có khóa ký gói: khóa được tạo khi một cán bộ nhập liệu đăng nhập "
                                              "lần đầu. Hãy để cán bộ nhập liệu đăng nhập một lần rồi lưu thẻ.")
        name, unit_code = office_identity(session)
    card = {"kind": CARD_KIND, "install_id": db.install_id, "name": name, "unit_code": unit_code,
            "public_key": base64.b64encode(public).decode("ascii")}
    return json.dumps(card, ensure_ascii=False, indent=1).encode("utf-8"), fingerprint(public)


@dataclass(frozen=True)
class PartnerCard:
    install_id: str
    name: str
    unit_code: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def read_card(content: bytes, name: str = "tệp") -> PartnerCard:
    try:
        card = json.loads(content)
        if card.get("kind") != CARD_KIND:
            raise ValueError(card.get("kind"))
        public_key = base64.b64decode(card["public_key"], validate=True)
        if len(public_key) != 32:
            raise ValueError("key length")
        return PartnerCard(str(card["install_id"]), str(card["name"]), str(card.get("unit_code", "")), public_key)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValidationError.one("card", f"Tệp «{name}» không phải tệp khóa đối tác của Sổ Tuyên giáo.") from error


def add_partner(db: Database, actor: Actor, card: PartnerCard, *, above: bool) -> int:
    """Know a partner by its card (checked by its fingerprint, read over the phone)."""
    require(actor, Permission.MANAGE_PARTNERS)
    if card.install_id == db.install_id:
        raise ValidationError.one("card", "Đây là tệp khóa của chính cơ quan này.")
    unit_table = TABLES["unit"]
    with db.session_scope() as session:
        if session.scalar(select(ExchangePartner.id).where(ExchangePartner.install_id == card.install_id)):
            raise ValidationError.one("card", f"«{card.name}» đã là đối tác trao đổi.")
        unit_id = session.scalar(select(unit_table.c.id).where(unit_table.c.code == card.unit_code)) \
            if card.unit_code else None
        partner = ExchangePartner(install_id=card.install_id, name=card.name, public_key=card.public_key,
                                  unit_id=unit_id, above=above, sent_seq=0, received_seq=0, added_at=utcnow(),
                                  added_by=actor.username)
        session.add(partner)
        session.flush()
        audit.record(session, actor, "thêm", "exchange_partner", partner.id,
                     f"Thêm đối tác trao đổi «{card.name}» ({'cấp trên' if above else 'cấp dưới'}), "
                     f"dấu khóa {card.fingerprint}")
        return partner.id


@dataclass(frozen=True)
class PartnerView:
    id: int
    install_id: str
    name: str
    unit_code: str | None
    above: bool
    sent_seq: int
    received_seq: int
    held: list[int]
    fingerprint: str

    @property
    def level(self) -> str:
        return "Cấp trên" if self.above else "Cấp dưới"


def partners(db: Database, actor: Actor) -> list[PartnerView]:
    units = TABLES["unit"]
    with db.session_scope() as session:
        rows = session.execute(select(ExchangePartner, units.c.code).outerjoin(units, units.c.id == ExchangePartner.unit_id)
                               .order_by(ExchangePartner.name)).all()
        waiting: dict[int, list[int]] = {}
        for partner_id, seq in session.execute(select(HeldPackage.partner_id, HeldPackage.seq)
                                               .order_by(HeldPackage.seq)):
            waiting.setdefault(partner_id, []).append(seq)
        return [PartnerView(row.id, row.install_id, row.name, code, row.above, row.sent_seq, row.received_seq,
                            waiting.get(row.id, []), fingerprint(row.public_key)) for row, code in rows]


def partner_by_install(session: Session, install_id: str) -> ExchangePartner:
    partner = session.scalar(select(ExchangePartner).where(ExchangePartner.install_id == install_id))
    if partner is None:
        raise NotFound("Không có đối tác trao đổi này.")
    return partner


def find_partner(db: Database, name_or_code: str) -> str:
    """A partner's install id from its name (or the start of it), for the command line."""
    wanted = name_or_code.casefold()
    with db.session_scope() as session:
        found = [row for row in session.scalars(select(ExchangePartner))
                 if wanted in (row.name.casefold(), row.install_id) or row.name.casefold().startswith(wanted)]
    if len(found) != 1:
        raise NotFound(f"Không tìm thấy đúng một đối tác trao đổi «{name_or_code}».")
    return found[0].install_id
