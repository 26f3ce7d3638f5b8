"""Shared fixtures: a scratch copy of the course (so tests never touch the working tree), and the
suite's lanes (markers by what a test needs; `make test-fast` deselects the heavy ones)."""

import contextlib

import pytest

from helpers import copy_course

from mlbasics.fast import _blocks

@pytest.fixture
def course(tmp_path):
    return copy_course(tmp_path / "course")


@pytest.fixture
def blocks(monkeypatch):
    """``with blocks(block_bytes, threads):`` forces mlbasics.fast._blocks' blocked, threaded path,
    even on small arrays; the block sizes are back when the block (or the test) ends."""
    @contextlib.contextmanager
    def force(block_bytes, threads):
        with monkeypatch.context() as patch:
            patch.setattr(_blocks, "BLOCK_BYTES", block_bytes)
            patch.setattr(_blocks, "THREADS", threads)
            yield

    return force


# The suite's lanes. A test is marked by what it needs, so that `make test-fast` (the unit and
# reference tests, well under two minutes) can leave out everything that starts kernels, browsers,
# servers or clusters; `make test` runs every lane.
MODULE_LANES = {
    "test_browser.py": ("browser", "kernel", "slow"),
    "test_gradebook_postgres.py": ("postgres", "kernel", "slow"),
    "test_dask.py": ("cluster", "kernel", "slow"),
    "test_autograde.py": ("kernel", "slow"),
    "test_hostile.py": ("kernel", "slow"),
    "test_mutants.py": ("kernel", "slow"),
    "test_grading_setup.py": ("kernel", "slow"),
    "test_sandbox.py": ("kernel", "slow"),
    "test_feedback.py": ("kernel", "slow"),
    "test_readme_commands.py": ("kernel", "slow"),
    "test_report.py": ("kernel", "slow"),
    "test_lms.py": ("kernel", "slow"),
    "test_edition_grading.py": ("kernel", "slow"),
}


# The longest files, longest first (as measured under `make test`). `make test` runs one pytest
# process per core, a file at a time each; files are handed out in the order collected, so these go
# first and the short ones fill in behind them, instead of one core finishing a long file alone.
LONGEST_FIRST = ["test_hostile.py", "test_autograde.py", "test_mutants.py", "test_browser.py",
                 "test_edition_grading.py", "test_report.py", "test_readme_commands.py",
                 "test_gradebook_postgres.py", "test_dask.py", "test_grading_setup.py"]


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order
    for item in items:
        if item.path.suffix == ".ipynb":  # nbval: a solution notebook run top to bottom
            marks = ("kernel", "slow")
        else:
            marks = MODULE_LANES.get(item.path.name, ())
        for mark in marks:
            item.add_marker(mark)
