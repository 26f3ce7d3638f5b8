"""What `make test` proves about the course: the release is in sync, leaks nothing, has the
required structure, and `make check` reports a learner's results in plain words. (That every graded
test fails on the released stub is `make release`'s own check, run as the README types it by
tests/test_readme_commands.py; that it passes on the solution, nbval's and the mutants'.)"""

import re

import nbformat
import pytest

from helpers import ASSIGNMENTS, REPO, copy_course
from mlbasics.course.checks import source as source_checks
from mlbasics.course import check, layout, release


def test_there_are_assignments():
    assert ASSIGNMENTS, "no assignments found under solutions/"
    assert ASSIGNMENTS[0] == "01-gradient-descent"


def _tree_diff(a, b):
    """Relative paths that differ between two folders: missing, extra or changed files."""
    def files(root):
        return {p.relative_to(root): p for p in root.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts}

    fa, fb = files(a), files(b)
    out = [f"{p} only in {a}" for p in fa.keys() - fb.keys()] + [f"{p} only in {b}" for p in fb.keys() - fa.keys()]
    out += [f"{p} differs" for p in fa.keys() & fb.keys() if fa[p].read_bytes() != fb[p].read_bytes()]
    return sorted(out)


def test_release_is_exactly_what_make_release_makes(tmp_path):
    """notebooks/ is what release generates from solutions/, and generating twice changes nothing."""
    root = copy_course(tmp_path / "course", with_release=False)
    for name in ASSIGNMENTS:
        release.generate(name, root)
    first = _tree_diff(REPO / layout.RELEASE, root / layout.RELEASE)
    assert not first, ("notebooks/ is out of date with solutions/: run `make release` and commit. "
                       f"Differences: {first}")
    for name in ASSIGNMENTS:
        release.generate(name, root)
    assert not _tree_diff(REPO / layout.RELEASE, root / layout.RELEASE), "a second release changed the output"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_structure(assignment):
    nb = layout.read_notebook(layout.solution_path(assignment, REPO))
    problems = source_checks.structure_problems(nb, min_exercises=4 if assignment.startswith("01-") else 3)
    assert not problems, f"{assignment}: " + "; ".join(problems)


def test_structure_check_names_what_is_missing():
    nb = layout.read_notebook(layout.solution_path(ASSIGNMENTS[0], REPO))
    nb.cells = [c for c in nb.cells if not re.search(r"^#+ .*summary", c.source, re.I | re.M)]
    test_cell = next(c for c in nb.cells if layout.is_graded_test(c))
    test_cell.source = test_cell.source.split("### BEGIN HIDDEN TESTS")[0]
    problems = source_checks.structure_problems(nb)
    assert "missing section: a summary" in problems
    assert any("has no hidden tests" in p and layout.grade_id(test_cell) in p for p in problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_leaks_no_solution_or_hidden_test(assignment):
    source = layout.read_notebook(layout.solution_path(assignment, REPO))
    text = layout.release_path(assignment, REPO).read_text()
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    leaked = source_checks.leaks(source, text)
    assert not leaked, f"{assignment}: lines from solutions or hidden tests appear in the release: {leaked[:5]}"
    assert source_checks.private_lines(source), "the leak check found no private lines: it would not notice a leak"


def test_leak_check_catches_a_leak():
    source = layout.read_notebook(layout.solution_path(ASSIGNMENTS[0], REPO))
    text = layout.release_path(ASSIGNMENTS[0], REPO).read_text()
    private = sorted(source_checks.private_lines(source))
    assert source_checks.leaks(source, text + "\n" + private[0] + "\n") == [private[0]]


@pytest.mark.kernel
def test_learner_check_on_the_release():
    """`make check` on a released notebook: every exercise fails on the stub, in plain words. (That
    every test of every release fails on its stub is checked by `make release`, which
    tests/test_readme_commands.py runs as the README types it; every solution, hidden tests included,
    is run by nbval.)"""
    assignment = ASSIGNMENTS[0]
    rows, _ = check.check_notebook(layout.release_path(assignment, REPO), REPO)
    assert rows and all(score == 0 for _, score, _, _ in rows)
    table = " ".join(check.format_table(assignment, rows).split())
    assert table.count("is not answered yet") == len(rows), table


@pytest.mark.kernel
def test_check_reports_a_wrong_answer_with_its_hint(tmp_path):
    nb = layout.read_notebook(layout.solution_path("01-gradient-descent", REPO))
    cell = next(c for c in nb.cells if layout.grade_id(c) == "gradient_descent")
    cell.source = cell.source.replace("x = x - rate * grad_f(x)", "x = x + rate * grad_f(x)")
    path = tmp_path / "01-gradient-descent.ipynb"
    nbformat.write(nb, str(path))
    rows, _ = check.check_notebook(path, REPO)
    by_id = {r[0]: r for r in rows}
    assert by_id["test_gradient_descent"][1] == 0
    assert any("goes uphill" in line for line in by_id["test_gradient_descent"][3])
    assert by_id["test_numerical_gradient"][1] == by_id["test_numerical_gradient"][2]
    table = check.format_table("01-gradient-descent", rows)
    assert "FAILED" in table and "passed" in table
