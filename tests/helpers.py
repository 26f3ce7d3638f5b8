"""What tests share that is not a fixture: where the course is, its assignments, a scratch copy."""

import shutil
from pathlib import Path

from mlbasics.course import layout

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = layout.assignments(REPO)


def copy_course(dest, with_release=True):
    """Copy what a course needs (config, solutions, release) into ``dest``; return ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(REPO / layout.SOLUTIONS, dest / layout.SOLUTIONS,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "README.md"))
    if with_release and (REPO / layout.RELEASE).is_dir():
        shutil.copytree(REPO / layout.RELEASE, dest / layout.RELEASE,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest
