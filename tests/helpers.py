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
    if with_release:  # the English release, and each edition's (notebooks-ko/ ...)
        for release in [REPO / layout.RELEASE] + sorted(REPO.glob(f"{layout.RELEASE}-*")):
            if release.is_dir():
                shutil.copytree(release, dest / release.name,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest
