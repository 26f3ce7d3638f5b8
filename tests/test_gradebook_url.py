"""Gradebook URLs: the default, and a plain error for a URL that cannot work (no server needed)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlbasics.course import gradebook, layout

no_psycopg3 = pytest.mark.skipif(importlib.util.find_spec("psycopg") is not None,
                                 reason="psycopg 3 is installed here, so a bare postgresql:// URL works")
BARE = "postgresql://grader:secret@127.0.0.1:5432/gradebook"


def test_default_is_sqlite_at_the_course_root(course, monkeypatch):
    monkeypatch.delenv("DB_URL", raising=False)
    config = layout.nbgrader_config(course)
    assert config.CourseDirectory.db_url == f"sqlite:///{course / 'gradebook.db'}"


def test_db_url_is_read_from_the_environment(course, monkeypatch):
    url = "postgresql+psycopg2://grader@127.0.0.1:5432/gradebook"
    monkeypatch.setenv("DB_URL", url)
    assert layout.nbgrader_config(course).CourseDirectory.db_url == url


@no_psycopg3
def test_bare_postgresql_url_says_what_to_write(course, monkeypatch):
    monkeypatch.setenv("DB_URL", BARE)
    with pytest.raises(SystemExit) as err:
        layout.nbgrader_config(course)
    message = str(err.value)
    assert "psycopg 3 is not installed" in message and "postgresql+psycopg2://" in message
    assert "secret" not in message  # the password is never printed


@no_psycopg3
def test_bare_postgresql_url_in_the_config_file_is_caught_too(course, monkeypatch):
    monkeypatch.delenv("DB_URL", raising=False)
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.CourseDirectory.db_url = {BARE!r}\n")
    with pytest.raises(SystemExit, match="postgresql\\+psycopg2://"):
        layout.nbgrader_config(course)


@no_psycopg3
@pytest.mark.slow
def test_nbgrader_itself_stops_on_a_bare_postgresql_url(course):
    """nbgrader logs and ignores ordinary errors in nbgrader_config.py (and would fall back on
    SQLite): the check must stop it instead."""
    env = dict(os.environ, DB_URL=BARE, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--to", "out.csv"], cwd=course, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "postgresql+psycopg2://" in result.stdout + result.stderr
    assert not (course / "out.csv").exists() and not (course / "gradebook.db").exists()


@pytest.mark.parametrize("url, phrase", [
    ("not a url", "is not a database URL"),
    ("nosuchdb+driver://x/y", "is not a database URL"),
])
def test_other_unusable_urls_are_plain_errors(url, phrase):
    with pytest.raises(gradebook.DatabaseURLError, match=phrase):
        gradebook.check_url(url)


def test_the_working_postgresql_form_passes_the_check():
    url = "postgresql+psycopg2://grader@127.0.0.1:5432/gradebook"
    assert gradebook.check_url(url) == url


def _schema(path):
    import sqlite3

    with sqlite3.connect(path) as conn:
        tables = sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index')"))
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return tables, version


def test_a_new_gradebook_is_the_one_nbgrader_creates(tmp_path):
    """gradebook.create makes the tables and alembic version nbgrader's own Gradebook makes (without
    its `alembic heads` process), and leaves a gradebook that has tables as it is."""
    from nbgrader.api import Gradebook

    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    gradebook.create(f"sqlite:///{ours}")
    gradebook.tools_on_path()
    Gradebook(f"sqlite:///{theirs}").close()
    assert _schema(ours) == _schema(theirs)
    assert _schema(ours)[1] and _schema(ours)[1][0][0]

    with Gradebook(f"sqlite:///{ours}", "mlbasics") as gb:  # nbgrader uses it as its own
        gb.add_student("ada")
    before = ours.read_bytes()
    gradebook.create(f"sqlite:///{ours}")
    assert ours.read_bytes() == before
