"""A district and a commune install exchanging packages both ways: edits, deletions, conflicts,
repeats and packages out of order, ending with both holding the same records."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from app.db import open_database
from app.models import Meeting, OfficeKey
from app.models.enums import Presence, Role, UnitKind
from app.services import audit_trail, auth, exchange, meetings, setup, users
from app.services.errors import PermissionDenied, ValidationError
from app.services.exchange.package import PackageError
from app.services.exchange.rows import ROOTS, TABLES, Links, content_hash, local_records
from app.services.passwords import hash_password
from app.services.scope import tree_in_scope
from tests.conftest import signed_in
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input
from tests.services.test_profile_setup import commune_office

COMMUNE_PASSWORD = "xaphongnien2026"


def new_commune(path, code: str = "PHONGNIEN", name: str = "Đảng bộ xã Phong Niên"):
    """A new install at a commune: set up with its own top unit, an admin and a clerk."""
    db = open_database(path)
    admin = setup.initialize(db, admin=users.UserInput("quantrixa", "Quản trị xã", Role.ADMIN),
                             password=COMMUNE_PASSWORD, office=commune_office(),
                             root=setup.RootUnitInput(code, name, UnitKind.DANG_BO))
    with db.session_scope() as session:
        root_id = session.scalar(select(TABLES["unit"].c.id).where(TABLES["unit"].c.code == code))
    users.create(db, admin, users.UserInput("canboxa", "Cán bộ xã", Role.CLERK, unit_id=root_id), COMMUNE_PASSWORD)
    return db, admin, signed_in(db, "canboxa", COMMUNE_PASSWORD)


@pytest.fixture
def clerk(db):
    """The district's clerk, logged in: the package-signing key is open."""
    return signed_in(db, "nhaplieu")


def introduce(district, district_admin, commune_db, commune_admin) -> None:
    """Each imports the other's card once (after reading the fingerprints to each other)."""
    card, _ = exchange.my_card(commune_db, commune_admin)
    exchange.add_partner(district, district_admin, exchange.read_card(card), above=False)
    card, _ = exchange.my_card(district, district_admin)
    exchange.add_partner(commune_db, commune_admin, exchange.read_card(card), above=True)


def send(source, actor, destination, folder, name):
    """Export from `source` to `destination`'s install, return the package path."""
    path = folder / name
    exchange.export(source, actor, destination.install_id, path)
    return path


def receive(db, actor, path, decisions=None):
    reviewed = exchange.review(db, actor, exchange.open_package(db, path))
    if reviewed.status == "ready":
        exchange.apply(db, actor, reviewed, decisions or {})
    return reviewed


def records(db, uids=None) -> dict[str, str]:
    """uid -> content hash of every root record (optionally only some)."""
    found = {}
    with db.session_scope() as session:
        connection = session.connection()
        links = Links(connection)
        for kind in ROOTS:
            table = TABLES[kind.table]
            ids = list(connection.scalars(select(table.c.id)))
            for record in local_records(connection, kind.table, ids, links).values():
                if uids is None or record["row"]["uid"] in uids:
                    found[record["row"]["uid"]] = content_hash(record)
    return found


def first_meeting(db, actor, code: str) -> int:
    unit_id = unit_by_code(db, actor, code).id
    with db.session_scope() as session:
        return session.scalar(select(Meeting.id).where(Meeting.unit_id == unit_id, Meeting.deleted_at.is_(None))
                              .order_by(Meeting.held_on.desc(), Meeting.id))


def test_a_district_and_a_commune_converge_through_packages(db, admin, clerk, commune, tmp_path):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)

    # Down: units, documents, the commune's own records, reference data and the district's key.
    down = receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "xuong-1.goitd"))
    assert down.count("conflict") == 0 and down.count("new") > 100
    assert [item.title for item in down.items if item.category == "changed"] == ["PHONGNIEN — Đảng bộ xã Phong Niên"]   # its own top unit
    with commune_db.session_scope() as session:
        keys = session.scalars(select(OfficeKey).where(OfficeKey.own.is_(False))).all()
        assert len(keys) == 1 and keys[0].confirmation is None   # kept until the commune's inspector confirms it
    assert "dấu" in down.summary() and "xác nhận" in down.summary()
    commune_side = records(commune_db)
    assert records(db, set(commune_side)) == commune_side

    # Up: an edit, a new session, a deletion.
    edited = first_meeting(commune_db, commune_clerk, "PHONGNIEN-01")
    detail = meetings.get(commune_db, commune_clerk, edited)
    detail.data.title = "Sửa ở xã"
    meetings.update(commune_db, commune_clerk, edited, detail.data, expected_version=detail.version)
    meetings.create(commune_db, commune_clerk, session_input(commune_db, commune_clerk, "PHONGNIEN-01",
                                                                      title="Buổi mới ở xã"))
    gone = first_meeting(commune_db, commune_clerk, "PHONGNIEN-02")
    gone_detail = meetings.get(commune_db, commune_clerk, gone)
    meetings.delete(commune_db, commune_clerk, gone, expected_version=gone_detail.version)
    up_path = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")
    up = receive(db, clerk, up_path)
    assert (up.count("new"), up.count("changed"), up.count("deleted"), up.count("conflict")) == (1, 1, 1, 0)
    assert {item.title.split(" (")[0] for item in up.items} == {"Sửa ở xã", "Buổi mới ở xã",
                                                                gone_detail.data.title}
    # The same package again changes nothing.
    again = receive(db, clerk, up_path)
    assert again.status == "already" and "không thay đổi gì" in again.summary()
    commune_side = records(commune_db)
    assert records(db, set(commune_side)) == commune_side

    # Nothing new: the next packages carry nothing back and forth.
    quiet = receive(db, clerk, send(commune_db, commune_clerk, db, tmp_path, "len-2.goitd"))
    assert quiet.items == []
    quiet = receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "xuong-2.goitd"))
    assert quiet.items == []

    # Both edit the same session: each side sees a conflict and decides.
    at_district = meetings.get(db, clerk, _by_uid(db, commune_db, edited))
    at_district.data.roster[0] = replace(at_district.data.roster[0], presence=Presence.UNEXCUSED)
    meetings.update(db, clerk, at_district.id, at_district.data, expected_version=at_district.version)
    at_commune = meetings.get(commune_db, commune_clerk, edited)
    at_commune.data.title = "Sửa lần hai ở xã"
    meetings.update(commune_db, commune_clerk, edited, at_commune.data, expected_version=at_commune.version)
    up_path = send(commune_db, commune_clerk, db, tmp_path, "len-3.goitd")
    down_path = send(db, clerk, commune_db, tmp_path, "xuong-3.goitd")
    up = exchange.review(db, clerk, exchange.open_package(db, up_path))
    [conflict] = up.conflicts
    assert ("Tên hội nghị", at_district.data.title, "Sửa lần hai ở xã") in conflict.differences
    assert any(what == "Danh sách điểm danh" for what, _, _ in conflict.differences)
    with pytest.raises(Exception, match="Chưa quyết định xung đột"):
        exchange.apply(db, clerk, up, {})
    exchange.apply(db, clerk, up, {conflict.uid: exchange.MINE})      # the district keeps its own
    down = exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, down_path))
    [conflict] = down.conflicts
    exchange.apply(commune_db, commune_clerk, down, {conflict.uid: exchange.THEIRS})   # the commune takes it
    # One more round each way settles the versions; then both hold the same.
    receive(db, clerk, send(commune_db, commune_clerk, db, tmp_path, "len-4.goitd"))
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "xuong-4.goitd"))
    commune_side = records(commune_db)
    assert records(db, set(commune_side)) == commune_side
    final = meetings.get(commune_db, commune_clerk, edited)
    assert final.data.title == at_district.data.title and final.data.roster[0].presence is Presence.UNEXCUSED
    with db.session_scope() as session:
        trail = session.execute(select(TABLES["audit_entry"].c.summary)
                                .where(TABLES["audit_entry"].c.action == "xung đột")).scalars().all()
    assert len(trail) == 1 and "giữ bản của mình" in trail[0]


def _by_uid(district, commune_db, commune_meeting_id: int) -> int:
    with commune_db.session_scope() as session:
        uid = session.scalar(select(Meeting.uid).where(Meeting.id == commune_meeting_id))
    with district.session_scope() as session:
        return session.scalar(select(Meeting.id).where(Meeting.uid == uid))


def test_packages_out_of_order_are_held_then_applied_in_sequence(db, admin, clerk, commune, tmp_path):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    first = send(db, clerk, commune_db, tmp_path, "1.goitd")
    detail = meetings.get(db, clerk, first_meeting(db, clerk, "PHONGNIEN-01"))
    detail.data.title = "Sửa sau gói 1"
    meetings.update(db, clerk, detail.id, detail.data, expected_version=detail.version)
    second = send(db, clerk, commune_db, tmp_path, "2.goitd")

    early = receive(commune_db, commune_clerk, second)
    assert early.status == "held" and "được giữ lại" in early.summary()
    assert exchange.partners(commune_db, commune_admin)[0].held == [2]
    with commune_db.session_scope() as session:
        assert session.scalar(select(Meeting.id).limit(1)) is None          # nothing written yet
    reviewed = exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, first))
    result = exchange.apply(commune_db, commune_clerk, reviewed, {})
    assert result.next_held == 2
    held = exchange.held_package(commune_db, db.install_id, 2)
    then = exchange.review(commune_db, commune_clerk, held)
    assert [item.title.split(" (")[0] for item in then.items] == ["Sửa sau gói 1"]
    exchange.apply(commune_db, commune_clerk, then, {})
    assert exchange.partners(commune_db, commune_admin)[0].held == []
    commune_side = records(commune_db)
    assert records(db, set(commune_side)) == commune_side


def test_reference_lists_and_attached_files_come_down_as_the_district_keeps_them(db, admin, clerk, commune,
                                                                                  tmp_path):
    from app.models import StoredFile
    from app.models.enums import ReferenceList
    from app.services.cases import reference
    from app.services.meetings import FileLine

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    renamed, retired = reference.items(db, admin, ReferenceList.SIGN)[:2]
    reference.save(db, admin, ReferenceList.SIGN, renamed.id,
                   reference.ReferenceInput(renamed.code, "Tên mới do huyện sửa", renamed.grouping))
    reference.set_retired(db, admin, retired.id, True)
    detail = meetings.get(db, clerk, first_meeting(db, clerk, "PHONGNIEN-01"))
    detail.data.files.append(FileLine("bien-ban.pdf", data=b"%PDF-1.4 bien ban"))
    meetings.update(db, clerk, detail.id, detail.data, expected_version=detail.version)

    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "2.goitd"))
    at_commune = {row.code: row for row in reference.items(commune_db, commune_admin, ReferenceList.SIGN,
                                                           with_retired=True)}
    assert at_commune[renamed.code].name == "Tên mới do huyện sửa"
    assert at_commune[retired.code].retired and not at_commune[renamed.code].retired
    with commune_db.session_scope() as session:
        stored = session.scalar(select(StoredFile).where(StoredFile.data == b"%PDF-1.4 bien ban"))
        assert stored.media_type == "application/pdf"


def test_a_stored_file_changed_on_the_stick_after_the_review_is_refused_and_nothing_is_written(
        db, admin, clerk, commune, tmp_path):
    from app.services.meetings import FileLine

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    detail = meetings.get(db, clerk, first_meeting(db, clerk, "PHONGNIEN-01"))
    detail.data.files.append(FileLine("bien-ban.pdf", data=b"%PDF-1.4 bien ban goc"))
    meetings.update(db, clerk, detail.id, detail.data, expected_version=detail.version)
    path = send(db, clerk, commune_db, tmp_path, "2.goitd")
    package = exchange.open_package(commune_db, path)
    assert len(package.files) == 1 and set(package.members) == {"records.jsonl", "reference.json"}
    reviewed = exchange.review(commune_db, commune_clerk, package)
    _tamper(path, f"files/{package.files[0]}", lambda data: data.replace(b"goc", b"sua"))
    before = records(commune_db)
    with pytest.raises(PackageError, match="bị thay đổi từ lúc xem trước"):
        exchange.apply(commune_db, commune_clerk, reviewed, {})
    assert records(commune_db) == before and exchange.partners(commune_db, commune_admin)[0].received_seq == 1


def test_a_record_pointing_outside_the_partners_part_brings_what_it_points_at(db, admin, clerk, commune,
                                                                              tmp_path):
    from app.models import Case

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    # A case received at Phong Niên, closed as a repeat of one the district received first.
    with db.session_scope() as session:
        here = session.scalars(select(Case).where(
            Case.receiving_unit_id == unit_by_code(db, admin, "PHONGNIEN").id).order_by(Case.id)).first()
        original = session.scalars(select(Case).where(
            Case.receiving_unit_id == unit_by_code(db, admin, "BAOTHANG").id).order_by(Case.id)).first()
        here.duplicate_of_id = original.id
        wanted = (here.uid, original.uid)
    down = receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    assert down.status == "ready" and original_title(down, wanted[1])
    with commune_db.session_scope() as session:
        repeat = session.scalar(select(Case).where(Case.uid == wanted[0]))
        assert session.get(Case, repeat.duplicate_of_id).uid == wanted[1]
        taken = session.scalar(select(func.count()).select_from(Case))
    assert taken == 4 + 1            # Phong Niên's own cases, and the one a repeat points at


def test_a_unit_made_in_both_places_under_one_code_is_refused_by_name(db, admin, clerk, commune, tmp_path):
    from app.services import units
    from app.services.errors import ServiceError

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    for where, actor, name in ((db, admin, "Chi bộ thôn Khe Lếch"), (commune_db, commune_admin, "Chi bộ thôn Nậm Cáy")):
        units.create(where, actor, code="PHONGNIEN-05", name=name, kind=UnitKind.CHI_BO, valid_from=date(2026, 11, 1),
                     parent_id=unit_by_code(where, actor, "PHONGNIEN").id)
    path = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")
    before = records(db)
    with pytest.raises(ServiceError, match="mã PHONGNIEN-05 .* hai đơn vị khác nhau"):
        exchange.review(db, clerk, exchange.open_package(db, path))
    assert records(db) == before and unit_by_code(db, admin, "PHONGNIEN-05").name == "Chi bộ thôn Khe Lếch"


def test_a_case_taken_in_at_the_commune_reaches_the_district_readable_only_with_its_key(db, admin, clerk, commune,
                                                                                        keyholder, tmp_path):
    from app.models import Case
    from app.services import cases
    from app.services.cases import keys as case_keys
    from tests.case_factory import case_input

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))   # the district's key
    users.create(commune_db, commune_admin, users.UserInput("kiemtraxa", "Kiểm tra xã", Role.INSPECTOR),
                 COMMUNE_PASSWORD)
    commune_keyholder = auth.login(commune_db, "kiemtraxa", COMMUNE_PASSWORD)
    case_keys.setup(commune_db, commune_keyholder, COMMUNE_PASSWORD, name="Đảng ủy xã Phong Niên")
    district_key = case_keys.status(commune_db, commune_keyholder).waiting[0]   # read over the phone, then confirmed
    case_keys.confirm(commune_db, commune_keyholder, district_key.id, district_key.fingerprint)
    reporter = cases.Reporter("Vàng Thị Mỷ", "thôn Tả Hà, xã Phong Niên", "0987 000 111")
    taken = cases.receive(commune_db, commune_clerk, case_input(commune_db, commune_clerk, reporter=reporter,
                                                                received_on=date(2026, 11, 20)))
    with commune_db.session_scope() as session:
        uid = session.scalar(select(Case.uid).where(Case.id == taken))
    receive(db, clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    with db.session_scope() as session:
        arrived = session.scalar(select(Case.id).where(Case.uid == uid))
        sealed = session.scalar(select(TABLES["case_identity"].c.sealed)
                                .where(TABLES["case_identity"].c.case_id == arrived))
    assert reporter.name.encode() not in sealed                       # still sealed on the way and at rest
    assert cases.identity(db, keyholder, arrived).name == reporter.name   # the district's inspector opens it


def original_title(reviewed, uid) -> bool:
    return any(item.uid == str(uid) and item.category == "new" for item in reviewed.items)


def _tamper(path, member: str, change) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members[member] = change(members[member])
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]), "bị cắt cụt, bị hỏng"),
    (lambda path: path.write_bytes(b"not a package"), "không phải gói trao đổi"),
    (lambda path: _tamper(path, "records.jsonl", lambda data: data.replace(b"PHONGNIEN", b"PHONGNIEM", 1)),
     "không khớp với bản kê"),
    (lambda path: _tamper(path, "manifest.json", lambda data: data.replace(b'"seq": 1', b'"seq": 7')),
     "Chữ ký của gói .* không hợp lệ"),
])
def test_a_spoiled_package_is_refused_and_nothing_is_written(db, admin, clerk, commune, tmp_path, spoil, message):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    path = send(db, clerk, commune_db, tmp_path, "1.goitd")
    spoil(path)
    before = records(commune_db)
    with pytest.raises(PackageError, match=message):
        exchange.open_package(commune_db, path)
    assert records(commune_db) == before and exchange.partners(commune_db, commune_admin)[0].received_seq == 0


def test_a_package_from_a_stranger_for_another_office_or_a_newer_app_is_refused(db, admin, clerk, commune,
                                                                                  tmp_path, monkeypatch):
    commune_db, commune_admin, commune_clerk = commune
    path = tmp_path / "1.goitd"
    card, _ = exchange.my_card(commune_db, commune_admin)
    exchange.add_partner(db, admin, exchange.read_card(card), above=False)
    exchange.export(db, clerk, commune_db.install_id, path)
    with pytest.raises(PackageError, match="chưa phải đối tác trao đổi"):
        exchange.open_package(commune_db, path)                    # the commune never took the district's card
    other_db, other_admin, _ = new_commune(tmp_path / "xa-khac.sqlite", "XUANQUANG", "Đảng bộ xã Xuân Quang")
    card, _ = exchange.my_card(db, admin)
    exchange.add_partner(other_db, other_admin, exchange.read_card(card), above=True)
    with pytest.raises(PackageError, match="gửi cho .* không phải cho cơ quan này"):
        exchange.open_package(other_db, path)                      # meant for Phong Niên, not Xuân Quang
    other_db.close()
    from app.services.exchange import package as exchange_package

    monkeypatch.setattr(exchange_package, "FORMAT", exchange_package.FORMAT + 1)
    exchange.add_partner(commune_db, commune_admin, exchange.read_card(card), above=True)
    exchange.export(db, clerk, commune_db.install_id, tmp_path / "2.goitd")
    monkeypatch.undo()
    with pytest.raises(PackageError, match="phiên bản Sổ Tuyên giáo mới hơn"):
        exchange.open_package(commune_db, tmp_path / "2.goitd")


def test_cards_and_partners_are_checked(db, admin, clerk, commune):
    commune_db, commune_admin, _ = commune
    with pytest.raises(Exception, match="không phải tệp khóa đối tác"):
        exchange.read_card(b'{"kind": "khac"}', "sai.json")
    own, _ = exchange.my_card(db, admin)
    with pytest.raises(Exception, match="chính cơ quan này"):
        exchange.add_partner(db, admin, exchange.read_card(own), above=False)
    card, fingerprint = exchange.my_card(commune_db, commune_admin)
    assert exchange.read_card(card).fingerprint == fingerprint and len(fingerprint.split()) == 5
    exchange.add_partner(db, admin, exchange.read_card(card), above=False)
    with pytest.raises(Exception, match="đã là đối tác"):
        exchange.add_partner(db, admin, exchange.read_card(card), above=False)
    from app.services.errors import PermissionDenied
    with pytest.raises(PermissionDenied):
        exchange.my_card(db, clerk)
    with pytest.raises(PermissionDenied):
        exchange.export(db, admin, commune_db.install_id, "x.goitd")   # the admin sets up; clerks exchange


def test_a_clerk_sends_only_his_own_units(db, admin, clerk, commune, tmp_path):
    """The Phong Niên clerk at the district: another commune's unit, or a partner that is another commune,
    is refused before anything is written; his own commune goes, and nothing else with it."""
    from app.services.errors import PermissionDenied, ValidationError

    commune_db, commune_admin, _commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    other_db, other_admin, _other_clerk = new_commune(tmp_path / "xq.sqlite", "XUANQUANG", "Đảng bộ xã Xuân Quang")
    introduce(db, admin, other_db, other_admin)
    path = tmp_path / "goi.goitd"
    with pytest.raises(ValidationError, match="XUANQUANG"):
        exchange.export(db, clerk, commune_db.install_id, path, unit_code="XUANQUANG")
    with pytest.raises(PermissionDenied, match="nằm ngoài phạm vi"):
        exchange.export(db, clerk, other_db.install_id, path)
    assert not path.exists()
    made = exchange.export(db, clerk, commune_db.install_id, path)
    assert made.seq == 1 and made.counts["meeting"] > 0
    units_table = TABLES["unit"]
    with db.session_scope() as session:   # a package names units by their uid
        phong_nien = {str(uid) for uid in session.scalars(select(units_table.c.uid).where(units_table.c.id.in_(
            [node.id for node in tree_in_scope(db, clerk)])))}
    package = exchange.open_package(commune_db, path)
    sent_units = {record["row"]["unit_id"] for record in package.records() if record["table"] == "meeting"}
    assert sent_units and sent_units <= phong_nien
    other_db.close()


# ---- the package-signing key: a copy of the file cannot sign --------------------------------------

def test_a_copy_of_the_file_holds_no_signing_key_and_a_package_forged_from_it_is_refused(
        db, db_path, admin, clerk, commune, tmp_path):
    import shutil

    from app.models import InstallMeta, UserKey
    from app.services.exchange import signing
    from app.services.exchange.package import write as write_package

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    copy = tmp_path / "ban-sao.sqlite"
    db.engine.dispose()
    shutil.copy(db_path, copy)
    stolen = open_database(copy)
    with stolen.session_scope() as session:
        raw_meta = {row.key: row.value for row in session.scalars(select(InstallMeta))}
        assert signing.LEGACY_CLEAR not in raw_meta   # only the public half is stored in the clear
        # The thief sets the clerk's password in the copy: the clerk's sealed key pair does not open with it.
        session.execute(TABLES["app_user"].update().where(TABLES["app_user"].c.username == "nhaplieu")
                        .values(password_hash=hash_password("mat-khau-cua-ke-trom")))
    thief = auth.login(stolen, "nhaplieu", "mat-khau-cua-ke-trom")
    with pytest.raises(ValidationError, match="Mật khẩu không đúng"):
        signing.open_at_login(stolen, thief, "mat-khau-cua-ke-trom")
    with stolen.session_scope() as session:   # nor with the pair dropped: no grant is made for a new one
        session.execute(UserKey.__table__.delete())
    assert not signing.open_at_login(stolen, thief, "mat-khau-cua-ke-trom")
    with pytest.raises(PermissionDenied, match="Khóa ký gói"):
        exchange.export(stolen, thief, commune_db.install_id, tmp_path / "gia.goitd")
    # Signed with a key of his own, the package is refused by the partner.
    made = send(db, clerk, commune_db, tmp_path, "that.goitd")
    forged = exchange.open_package(commune_db, made)
    content = write_package(forged.manifest, list(forged.records()), forged.reference(), {},
                            Ed25519PrivateKey.generate())
    (tmp_path / "gia.goitd").write_bytes(content)
    with pytest.raises(PackageError, match="Chữ ký của gói .* không hợp lệ"):
        exchange.open_package(commune_db, tmp_path / "gia.goitd")
    stolen.close()


def test_a_signing_key_left_in_the_clear_by_an_older_version_is_sealed_at_the_next_login(db, admin, commune,
                                                                                         tmp_path):
    import base64

    from cryptography.hazmat.primitives import serialization

    from app.models import InstallMeta, SigningGrant
    from app.services.exchange import signing

    commune_db, commune_admin, commune_clerk = commune
    old = Ed25519PrivateKey.generate()
    with db.session_scope() as session:   # as revision 0008 left it
        session.execute(SigningGrant.__table__.delete())
        session.execute(InstallMeta.__table__.delete().where(InstallMeta.key == signing.PUBLIC))
        session.add(InstallMeta(key=signing.LEGACY_CLEAR, value=base64.b64encode(old.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())).decode()))
    introduce(db, admin, commune_db, commune_admin)   # the commune paired with the old key
    clerk = signed_in(db, "nhaplieu")
    with db.session_scope() as session:
        assert session.get(InstallMeta, signing.LEGACY_CLEAR) is None
    down = receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    assert down.status == "ready" and down.count("new") > 100   # the partner still knows our packages
    trail = audit_trail.list_page(db, admin, audit_trail.AuditFilter(entity="signing_key"))
    assert "không còn lưu trần" in trail[0].summary


# ---- every field of a package is checked at review ---------------------------------------------

def _resigned(db, clerk, made, target, change):
    """The package as a faulty or hostile partner app would sign it, after `change(records, reference)`."""
    from app.services.exchange import signing
    from app.services.exchange.package import write as write_package

    with zipfile.ZipFile(made) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        records = [json.loads(line) for line in archive.read("records.jsonl").splitlines() if line]
        reference = json.loads(archive.read("reference.json")) if "reference.json" in archive.namelist() else {}
    change(records, reference)
    manifest = {name: value for name, value in manifest.items() if name not in ("kind", "format", "schema", "hashes")}
    target.write_bytes(write_package(manifest, records, reference, {}, signing.private_key(db, clerk)))
    return target


@pytest.mark.parametrize(("change", "message"), [
    (lambda records, reference: reference.update(office_key={"name": "Huyện", "public_key": "A" * 43 + "="}),
     "khóa bảo vệ danh tính không hợp lệ"),
    (lambda records, reference: reference["holidays"].append({"day": "2026-02-30", "working": True, "note": ""}),
     "bản ghi sai cấu trúc"),
    (lambda records, reference: reference["reference_items"].append({"list": "channel", "code": 7, "name": "x"}),
     "bản ghi sai cấu trúc"),
    (lambda records, reference: records[-1]["row"].update(version="một"), "bản ghi sai cấu trúc"),
])
def test_a_well_signed_package_with_a_wrong_field_is_refused_at_review(db, admin, clerk, commune, tmp_path,
                                                                       change, message):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    made = send(db, clerk, commune_db, tmp_path, "that.goitd")
    bad = _resigned(db, clerk, made, tmp_path / "sai.goitd", change)
    before = records(commune_db)
    with pytest.raises(PackageError, match=message):
        exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, bad))
    assert records(commune_db) == before and exchange.partners(commune_db, commune_admin)[0].received_seq == 0


def test_a_package_too_big_for_the_partner_is_not_written_and_one_that_unpacks_too_big_is_refused(
        db, admin, clerk, commune, tmp_path, monkeypatch):
    from app.services.exchange import package as package_format

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    made = send(db, clerk, commune_db, tmp_path, "1.goitd")
    monkeypatch.setattr(package_format, "UNPACKED_LIMIT", 1000)
    with pytest.raises(PackageError, match="hãy xuất theo từng kỳ"):
        exchange.export(db, clerk, commune_db.install_id, tmp_path / "2.goitd")
    assert not (tmp_path / "2.goitd").exists()
    with pytest.raises(PackageError, match="vượt giới hạn 0 MB của một gói"):
        exchange.open_package(commune_db, made)


# ---- the sender's own office travels with its packages, and only that (issue 21.1) -------------------

def test_a_communes_own_office_goes_up_with_its_package_and_nothing_else_is_taken(db, admin, clerk, leader, commune,
                                                                                   tmp_path):
    from app.services import profile

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    district_own = profile.versions(db)
    phong_nien = unit_by_code(db, admin, "PHONGNIEN").id
    receive(db, clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    sent = profile.versions(commune_db)
    taken = profile.versions(db, phong_nien)
    assert [(v.valid_from, v.issuing_body, v.signer_name) for v in taken] == \
        [(v.valid_from, v.issuing_body, v.signer_name) for v in sent]
    assert profile.versions(db) == district_own   # the district's own office is untouched
    from app.services import report_register
    from app.services.errors import ValidationError as Refused

    with pytest.raises(Refused, match="tự ban hành"):   # its register stays on the commune's install
        report_register.issue(db, leader, kind_code="BC", period_key="k", scope_code="PHONGNIEN",
                              period_end=date(2026, 10, 31), made_on=date(2026, 11, 5), title="t",
                              written={"situation": "a", "assessment": "b", "tasks": "c"}, render=lambda _n: b"%PDF")
    trail = audit_trail.list_page(db, admin, audit_trail.AuditFilter(entity="office_profile"))
    assert any(entry.action == "nhận" and sent[-1].issuing_body in entry.summary for entry in trail)
    # The district's own office never comes down into the commune's.
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "2.goitd"))
    assert profile.versions(commune_db) == sent


def test_a_package_naming_another_office_changes_nothing_and_a_bad_one_is_refused(db, admin, clerk, commune, tmp_path):
    from app.services import profile

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, clerk, commune_db, tmp_path, "1.goitd"))
    made = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")
    before = {code: profile.versions(db, unit_by_code(db, admin, code).id) for code in ("BAOTHANG", "XUANQUANG")}

    def unsigned(records, reference):
        reference["office"]["versions"][-1]["signer_name"] = ""

    bad = _resigned(commune_db, commune_clerk, made, tmp_path / "sai.goitd", unsigned)
    with pytest.raises(PackageError, match="Thông tin cơ quan trong gói .* «Họ tên người ký» không được để trống"):
        exchange.review(db, clerk, exchange.open_package(db, bad))

    def as_the_district(records, reference):
        reference["office"]["unit_code"] = "BAOTHANG"
        reference["office"]["versions"][-1]["signer_name"] = "Kẻ Mạo Danh"

    receive(db, clerk, _resigned(commune_db, commune_clerk, made, tmp_path / "mao.goitd", as_the_district))
    assert {code: profile.versions(db, unit_by_code(db, admin, code).id) for code in before} == before
