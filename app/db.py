"""Opening a database: SQLite pragmas, schema checks, migrations, one transaction per action.

A SQLite file is checked before anything writes to it: not SQLite, not ours, or newer than this
app -> refused and left untouched; older -> copied aside, then upgraded. A PostgreSQL server is
shared, so only `python -m app migrate`, run by an admin, changes its schema.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.config import SETTINGS
from app.dbfile import (  # noqa: F401  (APPLICATION_ID and the error are re-exported)
    APPLICATION_ID,
    HEAD_REVISION,
    SCHEMA_REVISIONS,
    DatabaseOpenError,
    backup_before_upgrade,
    inspect_sqlite_file,
)
from app.errors import database_failure

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL",
                   f"busy_timeout={SETTINGS.database_busy_seconds * 1000}", "secure_delete=ON", "trusted_schema=OFF"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def to_url(target: str | Path) -> str:
    """A path becomes a SQLite URL; a URL (postgresql://…) stays as it is."""
    text = str(target)
    if "://" in text:
        try:
            make_url(text)
        except (ArgumentError, ValueError) as error:
            raise DatabaseOpenError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {text}") from error
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


class Changes:
    """What this process has written, table by table, as counters that only grow: a page notes them
    when it fills its lists and filter choices, and reloads when shown if any it shows moved since
    (a unit added on the units page appears in the sessions page's filter)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def note(self, tables: Iterable[str]) -> None:
        with self._lock:
            self._counts.update(set(tables))

    def stamp(self, tables: Iterable[str]) -> tuple[int, ...]:
        """Where the counters of these tables stand now (compare two stamps of the same tables)."""
        with self._lock:
            return tuple(self._counts[table] for table in tables)


def _note_flushed(session: Session, _context) -> None:
    """Remember the tables an ORM flush wrote; they count once the transaction commits."""
    written = session.info.setdefault("written", set())
    for record in (*session.new, *session.dirty, *session.deleted):
        written.add(record.__table__.name)


def _note_statement(state) -> None:
    """The same for insert/update/delete statements run through the session (bulk writes)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None:
            state.session.info.setdefault("written", set()).add(table.name)


class Database:
    """An engine and a session factory; services open one `session_scope()` per user action."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "after_flush", _note_flushed)
        event.listen(self._sessions, "do_orm_execute", _note_statement)
        self.changes = Changes()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @cached_property
    def install_id(self) -> str:
        """This install's identity, the `origin` of every record it creates."""
        with self.engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT value FROM install_meta WHERE key = 'install_id'").scalar_one()


    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """One transaction: everything inside commits together or not at all."""
        session = self._sessions()
        try:
            yield session
            session.commit()
            self.changes.note(session.info.pop("written", ()))
        except DBAPIError as error:
            session.rollback()
            meaning = database_failure(error)
            if meaning is None:
                raise
            raise meaning from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def advance_sequences(session: Session) -> None:
    """After rows were written with their ids given (the demo, an import), PostgreSQL's id sequences
    must move past them, or the next ordinary insert collides. SQLite needs nothing."""
    from app.models import Base

    if session.get_bind().dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.primary_key or not column.autoincrement:
            continue
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 0) + 1, false) "
            f"FROM {table.name}"))   # noqa: S608 (our own table names)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    parsed = make_url(url)
    if parsed.drivername == "postgresql":   # psycopg 3 is the driver we ship, not SQLAlchemy's default
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def open_database(target: str | Path, *, migrate_server: bool = False) -> Database:
    """Open (creating or upgrading a SQLite file as needed) and check the schema revision."""
    url = to_url(target)
    if url.startswith("sqlite:///"):
        return _open_sqlite(Path(url.removeprefix("sqlite:///")))
    return _open_server(url, migrate_server)


def _open_sqlite(path: Path) -> Database:
    if path.is_dir():
        raise DatabaseOpenError(f"«{path}» là một thư mục, không phải tệp cơ sở dữ liệu.")
    if path.exists() and path.stat().st_size > 0:
        revision = inspect_sqlite_file(path)
        if revision != HEAD_REVISION:
            backup_before_upgrade(path, revision)
            _upgrade(make_engine(to_url(path)))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        _upgrade(make_engine(to_url(path)))
    return Database(make_engine(to_url(path)))


def _upgrade(engine: Engine) -> None:
    """Run every pending revision in one transaction, foreign keys off while tables are rebuilt."""
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            config = alembic_config()
            config.attributes["connection"] = connection
            with connection.begin():
                command.upgrade(config, "head")
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    finally:
        engine.dispose()


def server_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _open_server(url: str, migrate_server: bool) -> Database:
    try:
        engine = make_engine(url)
        revision = server_revision(engine)
    except Exception as error:  # no driver, a server that is down or refuses us: say so plainly
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:160]   # one line, not the driver's page
        raise DatabaseOpenError(f"Không kết nối được máy chủ cơ sở dữ liệu {make_url(url).host}: {reason}") \
            from error
    if migrate_server:
        if revision is not None and revision not in SCHEMA_REVISIONS:
            raise DatabaseOpenError("Máy chủ có cấu trúc mới hơn phiên bản phần mềm này; không nâng cấp.")
        _upgrade(engine)
        return Database(make_engine(url))
    if revision is None:
        raise DatabaseOpenError("Cơ sở dữ liệu trên máy chủ chưa được khởi tạo: quản trị viên hãy chạy "
                                "«python -m app migrate --db …».")
    if revision not in SCHEMA_REVISIONS:
        raise DatabaseOpenError("Máy chủ có cấu trúc mới hơn phiên bản phần mềm này: hãy cập nhật phần mềm.")
    if revision != HEAD_REVISION:
        raise DatabaseOpenError("Máy chủ có cấu trúc cũ hơn phiên bản phần mềm này: quản trị viên hãy chạy "
                                "«python -m app migrate --db …» để nâng cấp.")
    return Database(engine)
