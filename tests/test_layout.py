"""Where things are: importing the course tooling changes nothing; loading its configuration makes
nbgrader's helper programs reachable."""

import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO

PROBE = """
import os, sys
before = os.environ["PATH"]
import mlbasics.course.layout, mlbasics.course.gradebook, mlbasics.course.autograde, mlbasics.course.release
assert os.environ["PATH"] == before, "importing the course tooling changed PATH"
mlbasics.course.layout.nbgrader_config(sys.argv[1])
assert os.path.dirname(sys.executable) in os.environ["PATH"].split(os.pathsep), "alembic is not reachable"
print("ok")
"""


def test_importing_changes_nothing_and_loading_the_config_reaches_alembic():
    env = dict(os.environ, PATH="/usr/bin:/bin")
    done = subprocess.run([sys.executable, "-c", PROBE, str(REPO)], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
    assert (Path(sys.executable).parent / "alembic").exists()
