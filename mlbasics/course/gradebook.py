"""The gradebook's database: which one, checks on its URL, and moving a SQLite gradebook to PostgreSQL.

The gradebook is SQLite (``gradebook.db`` at the course root) unless ``DB_URL`` names another
database. For several graders at once, or grading through a cluster, use PostgreSQL with the
psycopg2 driver (installed with the course)::

    DB_URL=postgresql+psycopg2://USER@HOST:PORT/DBNAME

SQLAlchemy 2.1 reads a bare ``postgresql://`` URL as the psycopg 3 driver, which the course does
not install: such a URL stops every command with a message saying what to write instead.

``make db-migrate-to DB_URL=...`` (:func:`migrate`) copies an existing SQLite gradebook into
PostgreSQL in one transaction, checks the copy row by row before committing it, and refuses a
target that already holds a gradebook with data unless forced.
"""

import os
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PSYCOPG2_FORM = "postgresql+psycopg2://USER@HOST:PORT/DBNAME"


class DatabaseURLError(SystemExit):
    """A gradebook URL that cannot work. A SystemExit, so that it stops nbgrader's own commands too
    (they log and ignore ordinary errors raised while loading ``nbgrader_config.py``)."""


class MigrationError(RuntimeError):
    pass


def tools_on_path():
    """Put this interpreter's folder on PATH: nbgrader creates a gradebook by running ``alembic``,
    which is installed there, whether or not the environment was activated."""
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")


def create(url):
    """Create the gradebook at ``url`` if it has no tables yet, as nbgrader's ``Gradebook`` does
    (its tables, and the alembic version they are at), but with alembic's head read in this
    process: nbgrader runs an ``alembic heads`` process for it, which takes seconds. Nothing is
    changed in a gradebook that has tables."""
    from alembic.script import ScriptDirectory
    from nbgrader import dbutil
    from nbgrader.api import Base
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url, future=True, poolclass=_null_pool())
    try:
        with engine.begin() as conn:
            if inspect(conn).get_table_names():
                return
            Base.metadata.create_all(bind=conn)
            head = ScriptDirectory(dbutil.ALEMBIC_DIR).get_current_head()
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    finally:
        engine.dispose()


def default_url(root):
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def redact(url):
    """``url`` with its password hidden, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return str(url).split("@")[-1]


def check_url(url, source="DB_URL"):
    """Return ``url`` if SQLAlchemy can use it here; otherwise raise :class:`DatabaseURLError`
    with what to do."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        dialect = parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as err:
        raise DatabaseURLError(f"{source}={redact(url)!r} is not a database URL SQLAlchemy understands ({err}). "
                               f"For PostgreSQL write {PSYCOPG2_FORM}.") from None
    try:
        dialect.import_dbapi()
    except ImportError as err:
        if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
            raise DatabaseURLError(
                f"{source}={redact(url)!r}: a bare postgresql:// URL means the psycopg 3 driver to SQLAlchemy 2.1, "
                f"and psycopg 3 is not installed ({err}). Write {PSYCOPG2_FORM} (psycopg2 is installed with "
                f"the course), or install psycopg 3 (pip install 'psycopg[binary]').") from None
        raise DatabaseURLError(f"{source}={redact(url)!r} needs the database driver {parsed.drivername!r}, "
                               f"which is not installed ({err}). For PostgreSQL write {PSYCOPG2_FORM}.") from None
    return url


def url_from_environment(root):
    """The gradebook URL for the course at ``root``: ``DB_URL`` if set (checked), else SQLite."""
    url = os.environ.get("DB_URL", "").strip()
    return check_url(url) if url else default_url(root)


def is_postgresql(url):
    return str(url).startswith(("postgresql", "postgres"))


@contextmanager
def lock(url, name):
    """Hold a lock named ``name`` across every grader of the gradebook at ``url``: a PostgreSQL
    advisory lock (released if the holder dies). SQLite is for a single grader: no lock."""
    if not is_postgresql(url):
        yield
        return
    from sqlalchemy import create_engine, text

    key = zlib.crc32(f"mlbasics:{name}".encode())
    engine = create_engine(url, poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
    finally:
        engine.dispose()


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


# ----------------------------------------------------------------------------------------------
# SQLite -> PostgreSQL

# The tables an empty gradebook already has rows in (nbgrader creates its course on first use).
_BOOKKEEPING = {"course", "alembic_version"}


@dataclass
class Copied:
    source: str
    target: str
    rows: dict = field(default_factory=dict)  # table -> rows copied
    students: int = 0
    submissions: int = 0
    grades: int = 0
    comments: int = 0

    def line(self):
        return (f"{self.students} student(s), {self.submissions} submission(s), {self.grades} grade(s) and "
                f"{self.comments} comment(s) copied from {self.source} to {redact(self.target)} and verified")


def _tables():
    from nbgrader.api import Base

    return list(Base.metadata.sorted_tables)


def _rows(conn, table):
    """Every row of ``table``, as sorted tuples of plain values (comparable across databases)."""
    result = conn.execute(table.select())
    return sorted((tuple(row) for row in result), key=repr)


def _alembic_version(conn):
    from sqlalchemy import inspect, text

    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _connect_error(url, err):
    message = str(getattr(err, "orig", err)).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    hint = ""
    if "does not exist" in message and "database" in message:
        hint = " Create it first, e.g. `createdb -h HOST -p PORT -U USER DBNAME`."
    return MigrationError(f"cannot open the target gradebook {redact(url)}: {message}.{hint}")


def target_data(url):
    """``{table: rows}`` for the nbgrader tables of ``url`` that hold data (bookkeeping aside)."""
    from sqlalchemy import create_engine, func, inspect, select
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url, poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            counts = {}
            for table in _tables():
                if table.name in present and table.name not in _BOOKKEEPING:
                    n = conn.execute(select(func.count()).select_from(table)).scalar()
                    if n:
                        counts[table.name] = n
            return counts
    except OperationalError as err:
        raise _connect_error(url, err) from None
    finally:
        engine.dispose()


def migrate(target, source=None, *, root=None, force=False, out=print):
    """Copy the SQLite gradebook ``source`` (default: the course's ``gradebook.db``) into ``target``.

    One transaction: the target's tables are (re)created, every row copied, and the copy compared
    row by row with the source before it is committed; on any failure nothing is written. A target
    that already holds a gradebook with data is refused unless ``force`` (which replaces it).
    Returns a :class:`Copied` summary, checked once more through nbgrader's own API.
    """
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import OperationalError

    if source is None and root is None:
        raise TypeError("migrate needs the gradebook to copy: source, or the course's root")
    source_path = Path(source) if source else Path(root) / "gradebook.db"
    if not source_path.is_file():
        raise MigrationError(f"no SQLite gradebook at {source_path} to copy")
    check_url(target, source="target")
    if not is_postgresql(target):
        raise MigrationError(f"the target must be a PostgreSQL URL ({PSYCOPG2_FORM}), got {redact(target)}")
    held = target_data(target)
    if held and not force:
        listing = ", ".join(f"{n} {t}" for t, n in sorted(held.items()))
        raise MigrationError(f"{redact(target)} already holds a gradebook with data ({listing}); nothing was "
                             f"written. To replace it with {source_path.name}, run again with FORCE=1 (--force).")

    src_engine = create_engine(f"sqlite:///file:{source_path.resolve()}?mode=ro&uri=true", poolclass=_null_pool())
    dst_engine = create_engine(target, poolclass=_null_pool())
    tables = _tables()
    copied = Copied(str(source_path), target)
    try:
        with src_engine.connect() as src:
            present = set(inspect(src).get_table_names())
            missing = [t.name for t in tables if t.name not in present]
            if missing:
                raise MigrationError(f"{source_path} is not an nbgrader gradebook (no table {', '.join(missing)})")
            version = _alembic_version(src)
            data = {t.name: _rows(src, t) for t in tables}
        try:
            with dst_engine.begin() as dst:
                existing = set(inspect(dst).get_table_names())
                from nbgrader.api import Base

                Base.metadata.drop_all(dst, checkfirst=True)
                if "alembic_version" in existing:
                    dst.execute(text("DROP TABLE alembic_version"))
                Base.metadata.create_all(dst)
                dst.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
                if version:
                    dst.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
                for table in tables:
                    rows = data[table.name]
                    if rows:
                        columns = [c.name for c in table.columns]
                        dst.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
                    copied.rows[table.name] = len(rows)
                # The check, inside the transaction: a copy that differs is never committed.
                for table in tables:
                    if _rows(dst, table) != data[table.name]:
                        raise MigrationError(f"the copy of table {table.name} differs from the source; "
                                             "nothing was written")
                if _alembic_version(dst) != version:
                    raise MigrationError("the copied schema version differs from the source; nothing was written")
        except OperationalError as err:
            raise _connect_error(target, err) from None
    finally:
        src_engine.dispose()
        dst_engine.dispose()

    # Once more through nbgrader itself: what a grader sees in either gradebook is the same.
    before, after = summary(f"sqlite:///{source_path.resolve()}"), summary(target)
    if before != after:
        raise MigrationError(f"{redact(target)} does not show the same gradebook as {source_path} "
                             "through nbgrader; keep using the SQLite gradebook and report this")
    copied.students = len(before["students"])
    copied.submissions = len(before["submissions"])
    copied.grades = len(before["grades"])
    copied.comments = len(before["comments"])
    out(copied.line())
    out(f"From now on grade with DB_URL={redact(target)} (e.g. make autograde DB_URL=...).")
    return copied


def summary(url):
    """What nbgrader shows of the gradebook at ``url``: students, submissions with scores, every
    grade and comment, as sorted lists of plain tuples (for comparing two gradebooks)."""
    from nbgrader.api import Comment, Grade, Gradebook, Student, SubmittedAssignment

    tools_on_path()
    with Gradebook(url, "mlbasics") as gb:
        db = gb.db
        students = sorted(((s.id, s.first_name, s.last_name, s.email) for s in db.query(Student)), key=repr)
        submissions = sorted(((s.assignment.name, s.student.id, str(s.timestamp), float(s.score),
                              float(s.max_score)) for s in db.query(SubmittedAssignment)), key=repr)
        grades = sorted(((g.assignment.name, g.student.id, g.notebook.name, g.name, g.auto_score, g.manual_score,
                          g.extra_credit, float(g.score)) for g in db.query(Grade)), key=repr)
        comments = sorted(((c.assignment.name, c.student.id, c.notebook.name, c.name, c.auto_comment or "",
                            c.manual_comment or "") for c in db.query(Comment)), key=repr)
    return {"students": students, "submissions": submissions, "grades": grades, "comments": comments}


def main(target, source=None, force=False, out=print, root=None):
    """``make db-migrate-to``: 0 when copied and verified, 1 with a plain reason otherwise."""
    try:
        migrate(target, source, root=root, force=force, out=out)
    except (MigrationError, DatabaseURLError) as err:
        out(f"db-migrate-to: {err}")
        return 1
    return 0
