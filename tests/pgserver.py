"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` binaries, ``initdb`` into a
temporary folder, ``pg_ctl start`` on loopback at a free port, stopped and removed afterwards.

``initdb`` refuses to run as root, so as root (CI) the server runs as the ``postgres`` user that
the Debian package creates.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl) not found: `sudo apt-get install postgresql` "
                "(Debian/Ubuntu) installs them; the PostgreSQL gradebook tests need them")


def bindir():
    """The folder holding ``initdb`` and ``pg_ctl`` (newest Debian version first), or None."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                            if Path(p).parent.name.isdigit() else 0, reverse=True):
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def missing_reason():
    """Why no server can be started here (None when one can)."""
    if bindir() is None:
        return INSTALL_HINT
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as: " + INSTALL_HINT
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.bin = bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="mlbasics-pg-"))
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)

    def _run(self, *argv, check=True):
        argv = [str(a) for a in argv]
        if self.user is not None:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        return subprocess.run(argv, cwd=self.dir, capture_output=True, text=True, check=check, timeout=120)

    def start(self):
        data = self.dir / "data"
        try:
            self._run(self.bin / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                      "--no-sync")
            self._run(self.bin / "pg_ctl", "-D", data, "-l", self.dir / "server.log", "-w", "-t", "60",
                      "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        except subprocess.CalledProcessError as err:
            log = (self.dir / "server.log").read_text() if (self.dir / "server.log").is_file() else ""
            self.stop()
            raise RuntimeError(f"could not start PostgreSQL: {err.stderr or err.stdout}\n{log}") from None
        return self

    def url(self, dbname="postgres"):
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name=None):
        """A new empty database; returns its URL."""
        import psycopg2

        name = name or f"gb_{uuid.uuid4().hex[:12]}"
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return self.url(name)

    def stop(self):
        if (self.dir / "data" / "postmaster.pid").is_file():
            self._run(self.bin / "pg_ctl", "-D", self.dir / "data", "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
