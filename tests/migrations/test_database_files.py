"""Opening database files: new, older (backed up then upgraded), newer, foreign, not a database."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from app.db import APPLICATION_ID, DatabaseOpenError, alembic_config, open_database
from app.dbfile import HEAD_REVISION, SCHEMA_REVISIONS, ready_for_login
from app.models import Base
from app.services import units


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def upgrade_to(path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        with connection.begin():
            command.upgrade(config, revision)
    engine.dispose()


def revisions_oldest_first() -> list[str]:
    from alembic.script import ScriptDirectory

    return [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def test_the_revisions_known_without_alembic_are_alembics_own():
    # the login path checks a file's revision against this list before Alembic is imported
    assert list(SCHEMA_REVISIONS) == revisions_oldest_first()


def test_only_an_up_to_date_file_with_accounts_goes_straight_to_login(tmp_path, db_path, empty_db):
    assert ready_for_login(db_path)
    assert not ready_for_login(tmp_path / "missing.sqlite")
    old = tmp_path / "old.sqlite"
    upgrade_to(old, SCHEMA_REVISIONS[0])
    assert not ready_for_login(old)
    (tmp_path / "text.sqlite").write_text("không phải cơ sở dữ liệu")
    assert not ready_for_login(tmp_path / "text.sqlite")
    assert not ready_for_login(tmp_path / "empty.sqlite")  # no account yet: first-run setup


def test_a_new_file_gets_the_whole_schema_and_the_pragmas(tmp_path):
    db = open_database(tmp_path / "new.sqlite")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("application_id") == APPLICATION_ID
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("secure_delete") == 1
        assert pragma("trusted_schema") == 0
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert len(db.install_id) == 36
    db.close()


@pytest.mark.parametrize("start", revisions_oldest_first()[:-1])
def test_an_older_file_is_backed_up_then_upgraded_keeping_its_data(tmp_path, start):
    path = tmp_path / "old.sqlite"
    upgrade_to(path, start)
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO unit (code, kind, uid, origin, version, created_at, updated_at, updated_by) "
                           "VALUES ('XA', 'dang_bo', X'00', 'o', 1, '2020-01-01', '2020-01-01', 'a')")
        connection.execute("INSERT INTO unit_version (unit_id, valid_from, name, name_folded) "
                           "VALUES (1, '2020-01-01', 'Đảng bộ xã A', 'dang bo xa a')")
    connection.close()

    db = open_database(path)

    backups = list(tmp_path.glob(f"old.truoc-nang-cap-{start}-*.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == start
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.exec_driver_sql("SELECT name FROM unit_version").scalar() == "Đảng bộ xã A"
    db.close()


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.sqlite"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseOpenError, match="mới hơn"):
        open_database(path)
    assert digest(path) == before
    assert list(tmp_path.glob("*truoc-nang-cap*")) == []


def test_a_sqlite_file_of_another_program_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('x')")
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseOpenError, match="phần mềm khác") as refused:
        open_database(path)
    assert "other.db" in str(refused.value)
    assert digest(path) == before


@pytest.mark.parametrize("content", [b"Ho va ten;Nam sinh\n", b"SQLite format 3\x00" + b"\x07" * 4000])
def test_a_file_that_is_not_a_database_or_is_damaged_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "ds.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match="ds.sqlite"):
        open_database(path)
    assert path.read_bytes() == content


def test_a_folder_given_as_the_database_is_refused(tmp_path):
    with pytest.raises(DatabaseOpenError, match="thư mục"):
        open_database(tmp_path)


def test_a_malformed_server_address_is_refused():
    with pytest.raises(DatabaseOpenError, match="không hợp lệ"):
        open_database("postgresql://:::")


def test_query_plans_use_the_declared_indexes(db, admin):
    """Each index serves a named query: check SQLite really uses it."""
    with db.engine.connect() as connection:
        def plan(sql: str) -> str:
            return " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))

        people_page = plan("SELECT p.id FROM person p JOIN membership m ON m.person_id = p.id AND m.valid_to IS NULL "
                           "WHERE p.deleted_at IS NULL ORDER BY p.name_sort, p.id LIMIT 200")
        assert "ix_person_sort" in people_page and "ix_membership_open" in people_page
        roster = plan("SELECT person_id FROM membership WHERE unit_id IN (1, 2) AND status IN ('active') "
                      "AND valid_from <= '2026-01-01' AND (valid_to IS NULL OR valid_to > '2026-01-01')")
        assert "COVERING INDEX ix_membership_roster" in roster
        history = plan("SELECT * FROM audit_entry WHERE entity = 'person' AND entity_id = '1' ORDER BY at")
        assert "ix_audit_entry_entity" in history
        page = plan("SELECT id FROM meeting WHERE deleted_at IS NULL ORDER BY held_on DESC, id DESC LIMIT 200")
        assert "ix_meeting_held" in page
        unit_period = plan("SELECT id FROM meeting WHERE unit_id IN (7, 8) AND held_on BETWEEN '2026-01-01' "
                           "AND '2026-12-31'")
        assert "ix_meeting_unit" in unit_period
        figures = plan("SELECT count(DISTINCT person_id) FROM attendance WHERE meeting_id IN (1, 2, 3) "
                       "AND presence = 'present'")
        assert "COVERING INDEX ix_attendance_figures" in figures
        made_up = plan("SELECT person_id FROM attendance WHERE made_up_on IS NOT NULL "
                       "AND made_up_on BETWEEN '2026-01-01' AND '2026-03-31'")
        assert "ix_attendance_made_up" in made_up
        on_document = plan("SELECT meeting_id FROM meeting_document WHERE document_id = 3")
        assert "ix_meeting_document_document" in on_document
        opinion_page = plan("SELECT id FROM opinion WHERE deleted_at IS NULL ORDER BY noted_on DESC, id DESC LIMIT 200")
        assert "ix_opinion_noted" in opinion_page
        opinion_period = plan("SELECT count(*) FROM opinion WHERE unit_id IN (7, 8) AND noted_on BETWEEN '2026-10-01' "
                              "AND '2026-10-31'")
        assert "ix_opinion_unit" in opinion_period
        examples = plan("SELECT id FROM exemplar WHERE deleted_at IS NULL ORDER BY recognised_on DESC, id DESC LIMIT 200")
        assert "ix_exemplar_recognised" in examples
        taken_up = plan("SELECT exemplar_id FROM exemplar_spread WHERE unit_id IN (7, 8) "
                        "AND since BETWEEN '2026-10-01' AND '2026-10-31'")
        assert "ix_exemplar_spread_unit" in taken_up
        document_plans = plan("SELECT unit_id, number FROM unit_plan WHERE document_id = 3 AND deleted_at IS NULL")
        assert "ix_unit_plan_document" in document_plans
    assert units.tree(db, admin)  # the database under test is the seeded one


def test_the_migrations_build_exactly_the_tables_the_models_declare(db):
    """A model changed without its migration (or the reverse) shows up here, not on a user's laptop."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_an_unreachable_server_is_refused_with_its_host_named():
    with pytest.raises(DatabaseOpenError, match="127.0.0.1"):
        open_database("postgresql://tuyengiao@127.0.0.1:1/tuyengiao")


def test_revision_0010_gives_each_office_its_register_on_a_commune_that_exchanged(tmp_path):
    """A commune install that took the district's units down (BAOTHANG above its own top) and holds the
    district's issued reports beside its own, numbered alike: the upgrade keeps them all, each in its
    office's register, and the commune's profile stays on its own unit."""
    path = tmp_path / "xa.sqlite"
    upgrade_to(path, "0009")
    sync = "X'{uid}', '{origin}', 1, '2025-01-01', '2025-01-01', 'a'"
    with sqlite3.connect(path) as connection:
        run = connection.execute
        run("INSERT OR REPLACE INTO install_meta VALUES ('install_id', 'xa')")
        run(f"INSERT INTO unit (id, code, kind, uid, origin, version, created_at, updated_at, updated_by) VALUES "
            f"(1, 'PHONGNIEN', 'dang_bo', {sync.format(uid='01', origin='xa')})")
        run(f"INSERT INTO unit (id, code, kind, uid, origin, version, created_at, updated_at, updated_by) VALUES "
            f"(2, 'BAOTHANG', 'dang_bo', {sync.format(uid='02', origin='huyen')})")
        run("INSERT INTO unit_version (unit_id, valid_from, name, name_folded, parent_id) VALUES "
            "(2, '2015-01-01', 'Đảng bộ huyện', 'dang bo huyen', NULL), (1, '2015-01-01', 'Đảng bộ xã', 'dang bo xa', 2)")
        run("INSERT INTO exchange_partner (install_id, name, public_key, unit_id, above, sent_seq, received_seq, "
            "added_at, added_by) VALUES ('huyen', 'Huyện', X'00', NULL, 1, 0, 3, '2025-01-01', 'a')")
        run(f"INSERT INTO office_profile (valid_from, parent_body, issuing_body, issuing_code, place_name, unit_word, "
            f"signer_authority, signer_position, signer_name, recipients, term, attendance_target, heading_style, uid, "
            f"origin, version, created_at, updated_at, updated_by) VALUES ('2025-07-01', 'ĐẢNG BỘ HUYỆN', 'ĐẢNG ỦY XÃ', "
            f"'ĐU', 'Xã', 'toàn xã', '', 'BÍ THƯ', 'A', '- Lưu', '2025-2030', 95, 'I-', {sync.format(uid='03', origin='xa')})")
        run("INSERT INTO stored_file VALUES ('ab', 1, 'application/pdf', X'00', '2025-01-01')")
        for number, (code, origin, uid) in enumerate((("BTGHU", "huyen", "04"), ("ĐU", "xa", "05")), start=1):
            run(f"INSERT INTO issued_report (issuing_code, kind_code, term, number, period_key, scope_code, made_on, "
                f"title, written, profile_valid_from, pdf_sha256, uid, origin, version, created_at, updated_at, "
                f"updated_by) VALUES ('{code}', 'BC', '2025-2030', 1, 'k{number}', '', '2025-10-05', 't', '{{}}', "
                f"'2025-07-01', 'ab', {sync.format(uid=uid, origin=origin)})")
    connection.close()
    db = open_database(path)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT unit_id FROM office_profile").scalar() == 1   # the commune's own
        kept = connection.exec_driver_sql("SELECT issuing_code, office_unit_id FROM issued_report ORDER BY id").all()
    assert [tuple(row) for row in kept] == [("BTGHU", 1), ("ĐU", 1)]
    db.close()


def _at_0015_with_presenters_typed(path) -> tuple[int, int]:
    """The demo file as it was before the register: its presenter lines as text; the first line names a role,
    the second the district's Trần Đức Thắng in capitals and twice spaced. Their ids."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        with connection.begin():
            command.downgrade(config, "0015")
    engine.dispose()
    with sqlite3.connect(path) as connection:
        first, second = (row[0] for row in connection.execute("SELECT id FROM meeting_presenter ORDER BY id LIMIT 2"))
        connection.execute("UPDATE meeting_presenter SET name = 'Lãnh đạo Ban Tuyên giáo', title = '' WHERE id = ?",
                           (first,))
        connection.execute("UPDATE meeting_presenter SET name = 'TRẦN ĐỨC  THẮNG', title = 'Phó Trưởng Ban Tuyên giáo "
                           "Huyện ủy' WHERE id = ?", (second,))
    connection.close()
    return first, second


def test_revision_0016_registers_the_presenters_written_as_text_and_keeps_every_name(db_path):
    """Sessions named their báo cáo viên in free text before the register: the upgrade makes one entry per
    name and title written alike at a unit, links each line to it, leaves a line naming a role as text, and
    every line keeps the name and title it was written with."""
    from app.services.search import clean

    first, second = _at_0015_with_presenters_typed(db_path)
    with sqlite3.connect(db_path) as connection:
        before = connection.execute("SELECT p.id, p.name, p.title, m.unit_id FROM meeting_presenter p "
                                    "JOIN meeting m ON m.id = p.meeting_id ORDER BY p.id").fetchall()
    connection.close()

    db = open_database(db_path)
    with db.engine.connect() as connection:
        after = connection.exec_driver_sql("SELECT id, name, title FROM meeting_presenter ORDER BY id").fetchall()
        linked = dict(connection.exec_driver_sql(
            "SELECT p.id, s.full_name FROM meeting_presenter p JOIN speaker s ON s.id = p.speaker_id").fetchall())
        speakers = connection.exec_driver_sql("SELECT full_name, title, level, unit_id FROM speaker").fetchall()
    db.close()
    assert [tuple(row) for row in after] == [(line_id, name, title) for line_id, name, title, _unit in before]
    assert first not in linked                                                   # a role stays text
    assert all(line_id in linked for line_id, *_rest in before if line_id != first)
    assert linked[second].casefold() == "trần đức thắng"
    written_alike = {(unit, clean(name).casefold(), clean(title).casefold())
                     for line_id, name, title, unit in before if line_id != first}
    assert len(speakers) == len(written_alike)
    assert ("Nguyễn Thị Minh", "Phó Trưởng Ban Tuyên giáo Huyện ủy", "district") in [s[:3] for s in speakers]


def test_two_installs_upgrading_apart_make_the_same_register(db_path, tmp_path):
    """A commune and the district each fill the register from the same sessions: the same uids, the same
    content, so their packages meet as one record, not two."""
    import shutil

    other = tmp_path / "other.sqlite"
    shutil.copy(db_path, other)
    registers = []
    for path in (db_path, other):
        _at_0015_with_presenters_typed(path)
        db = open_database(path)
        with db.engine.connect() as connection:
            registers.append(sorted(tuple(row) for row in connection.exec_driver_sql(
                "SELECT uid, full_name, title, level, origin, created_at FROM speaker")))
        db.close()
    assert registers[0] and registers[0] == registers[1]
