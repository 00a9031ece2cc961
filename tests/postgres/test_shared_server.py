"""The same app on a shared PostgreSQL server: the same figures, optimistic locking between clerks,
unique report numbers under concurrent issuing, and upgrades only through `migrate` by an admin."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text

from app.db import DatabaseOpenError, open_database
from app.models.enums import Presence
from app.reports import data, issuing
from app.services import auth, meetings, overview
from app.services.errors import Conflict
from app.services.period import Period
from tests.conftest import PASSWORDS
from tests.meeting_factory import session_input
from tests.reports.test_report_register import WRITTEN
from tests.test_cli import run


def login(db, username: str):
    return auth.login(db, username, PASSWORDS[username])


def test_the_server_gives_the_same_report_as_a_sqlite_file(pg_db, db):
    """The whole demo built on both engines: every figure of a year's report agrees."""
    for period in (Period.year(2024), Period.year(2026)):   # the demo's sessions, and its cases
        on_server = data.build(pg_db, login(pg_db, "lanhdao"), period, made_on=date(2026, 11, 5))
        on_file = data.build(db, login(db, "lanhdao"), period, made_on=date(2026, 11, 5))
        assert on_server == on_file


def test_the_server_gives_the_same_overview_and_charts_as_a_sqlite_file(pg_db, db):
    april = Period.month(2026, 4)
    for role in ("lanhdao", "nhaplieu"):
        on_server, on_file = login(pg_db, role), login(db, role)
        assert overview.leader(pg_db, on_server, april) == overview.leader(db, on_file, april)
        assert overview.attendance_by_month(pg_db, on_server, april) == overview.attendance_by_month(db, on_file, april)
        assert overview.to_enter(pg_db, on_server, april) == overview.to_enter(db, on_file, april)
    assert overview.tracked_documents(pg_db, login(pg_db, "lanhdao")) == overview.tracked_documents(db, login(db, "lanhdao"))


def test_two_clerks_saving_the_same_session_at_once_one_is_refused(pg_url, pg_db):
    clerk, admin = login(pg_db, "nhaplieu"), login(pg_db, "quantri")
    meeting_id = meetings.create(pg_db, clerk, session_input(pg_db, clerk, "PHONGNIEN-01"))
    copies = {actor.username: meetings.get(pg_db, actor, meeting_id) for actor in (clerk, admin)}
    outcomes, gate = {}, threading.Barrier(2)

    def save(actor, row: int) -> None:   # each marks a different member absent
        detail = copies[actor.username]
        detail.data.roster[row] = replace(detail.data.roster[row], presence=Presence.UNEXCUSED)
        database = open_database(pg_url)
        gate.wait()
        try:
            meetings.update(database, actor, meeting_id, detail.data, expected_version=detail.version)
            outcomes[actor.username] = "saved"
        except Conflict as refusal:
            outcomes[actor.username] = str(refusal)
        finally:
            database.close()

    threads = [threading.Thread(target=save, args=(clerk, 0)), threading.Thread(target=save, args=(admin, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values(), key=len)[0] == "saved"
    refused = [message for message in outcomes.values() if message != "saved"]
    assert len(refused) == 1 and "chưa được lưu" in refused[0]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    final = meetings.get(pg_db, clerk, meeting_id)
    assert final.version == copies[winner].version + 1
    absent = [row for row, line in enumerate(final.data.roster) if line.presence is Presence.UNEXCUSED]
    assert absent == ([0] if winner == "nhaplieu" else [1])   # the refused save left no trace


def test_leaders_issuing_at_once_on_the_server_get_consecutive_numbers(pg_url, pg_db):
    leader = login(pg_db, "lanhdao")
    reports = [data.build(pg_db, leader, Period.month(2026, month), made_on=date(2026, 10, 5), written=WRITTEN)
               for month in (6, 7, 8, 9)]
    numbers, errors, gate = [], [], threading.Barrier(4)

    def issue_one(report) -> None:
        database = open_database(pg_url)
        try:
            gate.wait()
            numbers.append(issuing.issue(database, leader, report)[0].number)
        except Exception as error:   # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            database.close()

    threads = [threading.Thread(target=issue_one, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sorted(numbers) == [1, 2, 3, 4]


def test_a_new_server_is_set_up_by_migrate(pg_server):
    url = pg_server.create_database("moi")
    with pytest.raises(DatabaseOpenError, match="chưa được khởi tạo"):
        open_database(url)
    first = run("migrate", "--db", url)                 # an empty server needs no account yet
    assert first.returncode == 0, first.stderr
    open_database(url).close()


def test_only_migrate_by_an_admin_upgrades_the_server(pg_url):
    url = pg_url
    db = open_database(url)
    # Pretend the server is one revision behind this app.
    with db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE meeting_presenter DROP COLUMN speaker_id"))   # what 0016 adds
        for table in ("unit_plan", "speaker", "exemplar_spread", "exemplar", "opinion_group", "opinion"):   # 0017…0014
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("DROP TABLE report_decision"))    # what 0013 adds (its receipts name partners)
        connection.execute(text("DROP TABLE report_receipt"))
        connection.execute(text("ALTER TABLE issued_report DROP COLUMN figures"))
        for table in ("exchange_state", "exchange_held", "exchange_partner"):   # what 0007 adds
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("DROP TABLE signing_grant"))   # and what 0009 adds
        for column in ("confirming_key", "confirmation", "confirmed_by", "confirmed_at"):
            connection.execute(text(f"ALTER TABLE office_key DROP COLUMN {column}"))
        # and what 0010 adds: one office's profiles, numbered per ký hiệu
        connection.execute(text("DELETE FROM office_profile WHERE unit_id <> (SELECT min(unit_id) FROM office_profile)"))
        connection.execute(text("ALTER TABLE office_profile DROP COLUMN unit_id"))
        connection.execute(text("ALTER TABLE issued_report DROP COLUMN office_unit_id"))
        connection.execute(text("ALTER TABLE office_profile ADD CONSTRAINT uq_office_profile_valid_from UNIQUE (valid_from)"))
        connection.execute(text("ALTER TABLE issued_report ADD CONSTRAINT uq_issued_report_issuing_code_kind_code_term_number "
                                "UNIQUE (issuing_code, kind_code, term, number)"))
        connection.execute(text("DROP TABLE period_reopening"))   # and what 0011 adds
        connection.execute(text("DROP TABLE report_duty"))        # and 0012
        connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    db.close()
    with pytest.raises(DatabaseOpenError, match="cũ hơn.*migrate"):
        open_database(url)
    clerk = run("migrate", "--db", url, "--user", "nhaplieu", password=PASSWORDS["nhaplieu"])
    assert clerk.returncode == 2 and "nâng cấp cơ sở dữ liệu" in clerk.stderr
    with pytest.raises(DatabaseOpenError, match="cũ hơn"):
        open_database(url)                              # the clerk's attempt changed nothing
    admin = run("migrate", "--db", url, "--user", "quantri", password=PASSWORDS["quantri"])
    assert admin.returncode == 0, admin.stderr
    db = open_database(url)
    with db.session_scope() as session:
        assert session.execute(text("SELECT count(*) FROM exchange_partner")).scalar_one() == 0
        assert session.execute(text("SELECT count(DISTINCT unit_id) FROM office_profile")).scalar_one() == 1
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.close()
    with pytest.raises(DatabaseOpenError, match="mới hơn"):
        open_database(url)


def test_a_district_on_the_server_exchanges_with_a_commune_on_a_file(pg_db, tmp_path):
    """Packages both ways with the district on PostgreSQL: the commune's new session arrives, an edit
    at the district goes back, and both end holding the same records."""
    from tests.conftest import signed_in
    from tests.services.test_exchange import first_meeting, introduce, new_commune, receive, records, send

    clerk, admin = signed_in(pg_db, "nhaplieu"), login(pg_db, "quantri")
    commune_db, commune_admin, commune_clerk = new_commune(tmp_path / "xa.sqlite")
    try:
        introduce(pg_db, admin, commune_db, commune_admin)
        receive(commune_db, commune_clerk, send(pg_db, clerk, commune_db, tmp_path, "xuong-1.goitd"))
        meetings.create(commune_db, commune_clerk, session_input(commune_db, commune_clerk, "PHONGNIEN-01",
                                                                 title="Buổi mới ở xã"))
        up = receive(pg_db, clerk, send(commune_db, commune_clerk, pg_db, tmp_path, "len-1.goitd"))
        assert [item.title.split(" (")[0] for item in up.items] == ["Buổi mới ở xã"]
        detail = meetings.get(pg_db, clerk, first_meeting(pg_db, clerk, "PHONGNIEN-01"))
        detail.data.title = "Sửa ở huyện"
        meetings.update(pg_db, clerk, detail.id, detail.data, expected_version=detail.version)
        down = receive(commune_db, commune_clerk, send(pg_db, clerk, commune_db, tmp_path, "xuong-2.goitd"))
        assert [item.category for item in down.items] == ["changed"]
        commune_side = records(commune_db)
        assert records(pg_db, set(commune_side)) == commune_side
        meetings.create(pg_db, clerk, session_input(pg_db, clerk, "PHONGNIEN-01"))  # ids still free after imports
    finally:
        commune_db.close()
