"""What tests share that is not a fixture: where the course is, its assignments, a scratch copy, a
tiny course for the grading machinery."""

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


TINY = "00-tiny"
"""The assignment of :func:`tiny_course`."""


def tiny_notebook():
    """A source notebook in the course's shape, small enough to grade in a second: a setup cell, two
    exercises (3 and 2 points), each with a visible and a hidden test."""
    import nbformat

    def cell(kind, source, grade_id=None, points=None):
        meta = {}
        if grade_id:
            meta["nbgrader"] = {"grade": points is not None, "grade_id": grade_id, "locked": points is not None,
                                "schema_version": 3, "solution": points is None, "task": False}
            if points is not None:
                meta["nbgrader"]["points"] = points
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        return make(source, metadata=meta, id=grade_id or f"cell-{len(source):04d}-{sum(map(ord, source)) % 10 ** 6:06d}")

    cells = [
        cell("markdown", "# 00 · A tiny assignment\n\nTwo small exercises."),
        cell("code", "# Setup: run this cell first.\nfrom mlbasics import grading"),
        cell("markdown", "### Exercise 1 (3 points): `double`"),
        cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", "double"),
        cell("code", "grading.assert_close(double(2), 4, what='double(2)')\n"
                     "### BEGIN HIDDEN TESTS\nassert double(-1.5) == -3.0\n### END HIDDEN TESTS",
             "test_double", 3),
        cell("markdown", "### Exercise 2 (2 points): `square`"),
        cell("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION", "square"),
        cell("code", "grading.assert_close(square(3), 9, what='square(3)')\n"
                     "### BEGIN HIDDEN TESTS\nassert square(-2) == 4\n### END HIDDEN TESTS",
             "test_square", 2),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def tiny_course(dest, with_release=True):
    """A course (the config, ``solutions/`` and its release) whose one assignment, :data:`TINY`,
    grades in about a second: for the tests of the grading machinery (databases, clusters,
    concurrency) that no notebook's content bears on. Returns ``dest``."""
    import nbformat

    from mlbasics.course import release

    dest = Path(dest)
    (dest / layout.SOLUTIONS / TINY).mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    nbformat.write(tiny_notebook(), str(layout.solution_path(TINY, dest)))
    if with_release:
        release.generate(TINY, dest)
    return dest
