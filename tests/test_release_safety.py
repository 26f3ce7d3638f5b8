"""`make release` is the first command a learner runs: it must never destroy their work, and a
release that fails its checks must leave notebooks/ as it was."""

import nbformat
import pytest

from helpers import copy_course
from mlbasics.course import layout, release

A = "01-gradient-descent"


def _quiet(*_):
    pass


def _edit(path, text="# my own work"):
    nb = layout.read_notebook(path)
    answer = next(c for c in nb.cells if layout.is_solution(c) and c.cell_type == "code")
    answer.source = answer.source.replace("raise NotImplementedError()", text)
    nbformat.write(nb, str(path))
    return nb


def test_release_moves_an_edited_notebook_aside_and_keeps_the_learners_files(course):
    path = layout.release_path(A, course)
    _edit(path, "return 42  # my answer")
    checkpoints = path.parent / ".ipynb_checkpoints"
    checkpoints.mkdir()
    (checkpoints / f"{A}-checkpoint.ipynb").write_text("{}")
    (path.parent / "my_notes.py").write_text("mine")
    lines = []
    release.release(A, course, run_stubs=False, out=lines.append)

    backups = sorted(path.parent.glob(f"{A}.edited-*.ipynb"))
    assert len(backups) == 1, f"no backup of the edited notebook: {sorted(p.name for p in path.parent.iterdir())}"
    assert "return 42  # my answer" in backups[0].read_text()
    assert any(backups[0].name in line and "kept your edited" in line for line in lines), lines
    assert "return 42" not in path.read_text(), "the release did not put the fresh notebook back"
    assert not release.edited(path, layout.read_notebook(path))
    assert (checkpoints / f"{A}-checkpoint.ipynb").is_file(), "the release deleted .ipynb_checkpoints/"
    assert (path.parent / "my_notes.py").read_text() == "mine"


def test_an_unedited_release_is_replaced_quietly_when_the_source_changes(course):
    path = layout.release_path(A, course)
    release.release(A, course, run_stubs=False, out=_quiet)
    source = layout.solution_path(A, course)
    nb = layout.read_notebook(source)
    nb.cells[0].source += "\n\nA sentence the instructor added."
    nbformat.write(nb, str(source))
    lines = []
    release.release(A, course, run_stubs=False, out=lines.append)
    assert "A sentence the instructor added." in path.read_text()
    assert not list(path.parent.glob("*.edited-*")), "an unedited notebook was backed up"
    assert not any("kept your edited" in line for line in lines)


def test_opening_and_saving_is_not_an_edit(course):
    """JupyterLab adds metadata and outputs when it saves: only the cells' text counts."""
    release.release(A, course, run_stubs=False, out=_quiet)
    path = layout.release_path(A, course)
    nb = layout.read_notebook(path)
    nb.metadata["widgets"] = {"state": {}}
    nb.cells[1].metadata["collapsed"] = True
    nbformat.write(nb, str(path))
    assert not release.edited(path, nb)
    nb.cells[1].source += " "
    nbformat.write(nb, str(path))
    assert release.edited(path, nb)


def test_a_notebook_released_before_stamps_counts_as_edited_only_if_it_differs(course):
    path = layout.release_path(A, course)
    staged = release.generate(A, course, dest=course / "staged") / f"{A}.ipynb"
    fresh = layout.read_notebook(staged)
    old = layout.read_notebook(staged)
    del old.metadata["mlbasics"]
    nbformat.write(old, str(path))
    assert not release.edited(path, fresh)
    _edit(path)
    assert release.edited(path, fresh)
    path.write_text("not json")
    assert release.edited(path, fresh), "an unreadable notebook must be moved aside, not overwritten"


def _one_exercise_assignment(course, name="12-demo"):
    nb = layout.read_notebook(layout.solution_path(A, course))
    graded = [c for c in nb.cells if layout.grading_meta(c)]
    keep = {id(c) for c in graded[:2]}  # the first exercise and its tests
    nb.cells = [c for c in nb.cells if not layout.grading_meta(c) or id(c) in keep]
    folder = course / layout.SOLUTIONS / name
    folder.mkdir()
    nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return name


def test_a_failed_release_leaves_nothing_behind(course):
    name = _one_exercise_assignment(course)
    lines = []
    summaries = release.release(name, course, run_stubs=False, out=lines.append)
    assert summaries[0].problems
    assert not (course / layout.RELEASE / name).exists(), "a failed release wrote notebooks/12-demo/"
    text = "\n".join(lines)
    assert "needs at least 3 graded test cells, has 1" in text
    assert "c.CourseRelease.min_exercises" in text, "the message must say where the rule is set"
    assert "Not released" in text and name in text


def test_the_minimum_number_of_exercises_is_a_setting(course):
    name = _one_exercise_assignment(course)
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.CourseRelease.min_exercises = 1\n")
    summaries = release.release(name, course, run_stubs=False, out=_quiet)
    assert not summaries[0].problems, summaries[0].problems
    assert layout.release_path(name, course).is_file()


def test_a_bad_minimum_is_named(course):
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write("\nc.CourseRelease.min_exercises = 'two'\n")
    with pytest.raises(SystemExit, match="c.CourseRelease.min_exercises .* got 'two'"):
        release.release(A, course, run_stubs=False, out=_quiet)


def test_a_full_release_never_deletes_a_learners_own_folder(course):
    own = course / layout.RELEASE / "my-experiments"
    own.mkdir()
    (own / "try.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()))
    lines = []
    release.release(None, course, run_stubs=False, out=lines.append)
    assert (own / "try.ipynb").is_file(), "the release deleted a folder the learner made under notebooks/"
    assert any("my-experiments" in line and "left" in line for line in lines), lines
    # a folder that is only an old, unedited release is cleaned up
    old = course / layout.RELEASE / "00-retired"
    old.mkdir()
    nb = layout.read_notebook(layout.release_path(A, course))
    nbformat.write(nb, str(old / "00-retired.ipynb"))
    release.release(None, course, run_stubs=False, out=lines.append)
    assert not old.exists()
