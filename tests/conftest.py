"""Shared fixtures: a scratch copy of the course, so tests never touch the working tree."""

import contextlib
import shutil
from pathlib import Path

import pytest

from mlbasics.fast import _blocks
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


@pytest.fixture
def course(tmp_path):
    return copy_course(tmp_path / "course")


@contextlib.contextmanager
def blocks(block_bytes, threads):
    """Force mlbasics.fast._blocks' blocked, threaded path, even on small arrays."""
    saved = _blocks.BLOCK_BYTES, _blocks.THREADS
    _blocks.BLOCK_BYTES, _blocks.THREADS = block_bytes, threads
    try:
        yield
    finally:
        _blocks.BLOCK_BYTES, _blocks.THREADS = saved
