"""Feedback pages: what failed, in the words the notebook used, readable offline, with each exercise named."""

import html
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from helpers import REPO, copy_course, needs_sandbox
from mlbasics import grading
from mlbasics.course import autograde, layout

A = "01-gradient-descent"
UNANSWERED_IN_THE_NOTEBOOK = (f"NotImplementedError: {grading.not_answered('numerical_gradient')}, "
                              "run that cell, then run this one again.")


def _feedback_page(cells, score=0.0, max_score=3.0):
    """The HTML that nbgrader's GenerateFeedback makes of an autograded notebook with the course's
    configuration; the scores that GetGrades would read from the gradebook are given here."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades

    config = layout.nbgrader_config(REPO)
    config.GenerateFeedback.preprocessors = [p for p in config.GenerateFeedback.preprocessors if p is not GetGrades]
    app = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    app.update_config(Config({"HTMLExporter": {"template_name": "feedback"}}))  # as nbgrader's API does
    exporter = app.exporter_class(parent=app, config=app.config)
    for preprocessor in app.preprocessors:
        exporter.register_preprocessor(preprocessor)
    resources = {"nbgrader": {"notebook": A, "score": score, "max_score": max_score, "late_penalty": 0}}
    page, _ = exporter.from_notebook_node(new_notebook(cells=cells), resources=resources)
    return page


def _test_cell(grade_id, traceback, points=3):
    meta = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id, "points": points, "score": 0.0}
    source = f'"""{grade_id}."""\nnumerical_gradient(f, x)\n### BEGIN HIDDEN TESTS\n_secret = 1\n### END HIDDEN TESTS\n'
    error = new_output("error", ename="NotImplementedError", evalue="", traceback=traceback)
    return new_code_cell(source, metadata={"nbgrader": meta}, outputs=[error])


def _text(page):
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_an_unanswered_exercise_reads_as_in_the_notebook():
    """nbgrader's error value for `raise NotImplementedError()` is empty: the page says what the notebook said."""
    kernel_line = f"\x1b[0;31mNotImplementedError\x1b[0m: {UNANSWERED_IN_THE_NOTEBOOK[len('NotImplementedError: '):]}"
    frames = ["\x1b[0;31m---------\x1b[0m", "Cell In[3], line 2\n----> 2 numerical_gradient(f, x)\n_secret = 1",
              "\x1b[0;31mNotImplementedError\x1b[0m: "]
    text = _text(_feedback_page([_test_cell("test_numerical_gradient", [kernel_line]),
                                 _test_cell("test_gradient_descent", frames, points=2)], max_score=5.0))
    assert UNANSWERED_IN_THE_NOTEBOOK in text, "the notebook's own words"
    # without them (a kernel that did not run the course's setup), the same message, for the test cell's exercise
    assert f"NotImplementedError: {grading.not_answered('gradient_descent')}" in text
    assert "_secret" not in text and "Cell In[3]" not in text, "no hidden test, no traceback"


def test_formulas_render_offline_and_the_contents_name_each_exercise():
    page = _feedback_page([
        new_markdown_cell("The gradient $\\nabla f(x) = 2x$, and\n\n$$\\frac{f(x+h) - f(x-h)}{2h} \\approx f'(x)$$"),
        _test_cell("test_numerical_gradient", ["NotImplementedError: "]),
    ])
    scripts = re.findall(r"<script[^>]*>", page, flags=re.I)
    assert not [s for s in scripts if re.search(r"src=[\"']?https?:", s)], scripts
    assert not re.search(r"https?://[^\s\"'<>]*mathjax", page, flags=re.I), "MathJax from the network"
    assert page.count("<math") == 2 and "<mfrac>" in page, "formulas are MathML, drawn by the browser"
    assert "$" not in _text(page[page.index("<body"):]), "no raw TeX left"
    contents = _text(page[page.index('<div id="toc">'):page.index("</ol>")])
    assert "numerical_gradient (Score: 0.0 / 3.0)" in " ".join(contents.split()), contents
    assert "Test cell" not in contents, contents


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """`make autograde` on one learner's 01: numerical_gradient answered with the sign flipped, the rest not answered."""
    root = copy_course(tmp_path_factory.mktemp("feedback") / "course")
    nb = layout.read_notebook(layout.release_path(A, root))
    answer = next(c for c in nb.cells if layout.grade_id(c) == "numerical_gradient")
    answer.source = ("def numerical_gradient(f, x, h=1e-5):\n    x = np.array(x, dtype=float)\n"
                     "    grad = np.zeros_like(x)\n    for i in np.ndindex(x.shape):\n"
                     "        e = np.zeros_like(x)\n        e[i] = h\n"
                     "        grad[i] = (f(x - e) - f(x + e)) / (2 * h)\n    return grad\n")
    folder = root / layout.SUBMITTED / "ada" / A
    folder.mkdir(parents=True)
    nbformat.write(nb, str(folder / f"{A}.ipynb"))
    shutil.rmtree(root / layout.FEEDBACK, ignore_errors=True)
    autograde.main(root, jobs=1, out=lambda line: None, progress=False)
    return (root / layout.FEEDBACK / "ada" / A / f"{A}.html").read_text()


@needs_sandbox
def test_a_graded_submissions_feedback_page(graded):
    """Through `make autograde`: the notebook's words, the sign hint, MathML, exercises named, no MathJax."""
    text = " ".join(_text(graded).split())
    assert "NotImplementedError: gradient_descent is not answered yet" in text
    assert not re.search(r"NotImplementedError:\s*$", _text(graded), re.M), "a bare NotImplementedError"
    assert "the sign is flipped" in text
    assert "<math" in graded and not re.search(r"https?://[^\s\"'<>]*mathjax", graded, flags=re.I)
    assert "numerical_gradient (Score: 0.0 / 3.0)" in text and "Test cell" not in text


def test_a_figure_has_an_alt_text():
    from mlbasics.course import feedback

    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    figure = new_code_cell("plt.plot([1, 2])", outputs=[new_output("display_data", data={"image/png": png})])
    page = _feedback_page([figure, _test_cell("test_numerical_gradient", ["NotImplementedError: "])])
    images = re.findall(r"<img[^>]*>", page)
    assert len(images) == 1 and f'alt="{feedback.FIGURE_ALT}"' in images[0], images
