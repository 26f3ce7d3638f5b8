"""What tests share that is not a fixture: where the course is, its assignments, a scratch copy, a
notebook without its experiments, a tiny course for the grading machinery."""

import shutil
from pathlib import Path

import pytest

from mlbasics.course import layout, sandbox

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENTS = layout.assignments(REPO)

# Grading is sandboxed by default: a test that grades with the default needs bubblewrap.
needs_sandbox = pytest.mark.skipif(not sandbox.available(), reason=sandbox.install_hint())


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


def without_experiments(nb):
    """``nb`` with its experiments emptied: every code cell after the setup cell that is neither an
    answer nor a test (so: not graded, and free for a learner to change). The grades do not depend
    on them (the mutants' grading runs only the setup, the answers and the tests); running them is
    most of the time a notebook takes to grade. Returns ``nb``, changed in place."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code[1:]:
        meta = layout.grading_meta(cell)
        if not (meta.get("solution") or meta.get("grade") or meta.get("locked")):
            cell.source, cell.outputs, cell.execution_count = "", [], None
    return nb


TINY = "00-tiny"
"""The assignment of :func:`tiny_course`."""


def _meta(**nbgrader):
    return {"nbgrader": {"schema_version": 3, "task": False, "locked": False, "solution": False,
                         "grade": False, **nbgrader}}


def tiny_notebook(answer="return 2 * x"):
    """A source notebook in the course's shape, small enough to grade in a second and without
    imports: two exercises, ``double`` (its answer is ``answer``) and ``square``, each with a
    visible and a hidden test (2 and 1 points)."""
    import nbformat

    v4 = nbformat.v4
    return v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                  "language_info": {"name": "python"}},
        cells=[
            v4.new_markdown_cell("# 00 · Doubling and squaring", id="title"),
            v4.new_code_cell(f"def double(x):\n    ### BEGIN SOLUTION\n    {answer}\n    ### END SOLUTION",
                             metadata=_meta(grade_id="double", solution=True), id="double"),
            v4.new_code_cell('"""double doubles."""\nassert double(2) == 4, "double(2) should be 4"\n'
                             "### BEGIN HIDDEN TESTS\nassert double(-3) == -6\n### END HIDDEN TESTS",
                             metadata=_meta(grade_id="test_double", grade=True, locked=True, points=2),
                             id="test_double"),
            v4.new_code_cell("def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION",
                             metadata=_meta(grade_id="square", solution=True), id="square"),
            v4.new_code_cell('"""square squares."""\nassert square(3) == 9, "square(3) should be 9"\n'
                             "### BEGIN HIDDEN TESTS\nassert square(-2) == 4\n### END HIDDEN TESTS",
                             metadata=_meta(grade_id="test_square", grade=True, locked=True, points=1),
                             id="test_square"),
        ])


def add_tiny(root, answer="return 2 * x", with_release=True):
    """Add the assignment :data:`TINY` to the course at ``root`` (its solution of ``double`` is
    ``answer``), with its release unless ``with_release`` is false. Returns ``root``."""
    import nbformat

    from mlbasics.course import release

    root = Path(root)
    (root / layout.SOLUTIONS / TINY).mkdir(parents=True, exist_ok=True)
    nbformat.write(tiny_notebook(answer), str(layout.solution_path(TINY, root)))
    if with_release:
        release.generate(TINY, root)
    return root


def tiny_course(dest, answer="return 2 * x", with_release=True):
    """A course (the config, ``solutions/`` and its release) whose one assignment, :data:`TINY`,
    grades in about a second: for the tests of the grading machinery (databases, clusters,
    concurrency, the grading set-up) that no notebook's content bears on; its solution of
    ``double`` is ``answer``. Returns ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    return add_tiny(dest, answer, with_release)
