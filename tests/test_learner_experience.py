"""What `make lab` starts and how failures read, without a browser (tests/test_browser.py drives one)."""

import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from conftest import REPO
from mlbasics.course import check, lab, layout
from mlbasics.course.execute import execute


def _option(argv, name):
    return next((a.split("=", 1)[1] for a in argv if a.startswith(f"--{name}=")), None)


def test_learner_lab_serves_the_release_and_instructor_lab_the_course(tmp_path):
    learner = lab.command("learner", 8899, root=tmp_path, open_browser=False)
    assert _option(learner, "ServerApp.root_dir") == str(tmp_path / layout.RELEASE)
    assert _option(learner, "ServerApp.port") == "8899"
    assert _option(learner, "ServerApp.open_browser") == "False"
    instructor = lab.command("instructor", root=tmp_path)
    # formgrader needs the course (where nbgrader_config.py is) inside the server's root
    assert _option(instructor, "ServerApp.root_dir") == str(tmp_path)
    assert _option(instructor, "LabApp.default_url") == f"/lab/tree/{layout.SOLUTIONS}"


def test_lab_settings_turn_off_the_news_prompt():
    path = lab.write_settings()
    settings = json.loads(path.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert path.parent.name == "overrides.d" and path.parent.parent.name == "settings"


def test_learner_lab_hides_the_instructor_tools(course):
    env = lab.prepare("learner", course)
    folder = env["JUPYTER_CONFIG_PATH"].split(":")[0]
    disabled = json.loads((lab.learner_config_dir() / "labconfig" / "page_config.json").read_text())
    assert folder == str(lab.learner_config_dir())
    assert "@jupyter/nbgrader:create-assignment" in disabled["disabledExtensions"]
    assert "@jupyter/nbgrader:validate-assignment" not in disabled["disabledExtensions"]
    instructor = lab.prepare("instructor", course)["JUPYTER_CONFIG_PATH"].split(":")[0]
    assert instructor == str(lab.config_dir("instructor"))
    server = json.loads((lab.config_dir("instructor") / "jupyter_server_config.d" / "mlbasics.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"] == {"mlbasics.course.formgrader": True}
    assert (course / ".exchange").is_dir(), "formgrader warns when the exchange folder is missing"


def _run(*sources):
    nb = new_notebook(cells=[new_code_cell("from mlbasics import grading\nimport numpy as np")]
                      + [new_code_cell(s) for s in sources])
    return execute(nb, REPO).cells[1:]


def _error(cell):
    return next(o for o in cell.outputs if o.output_type == "error")


def test_failures_read_in_plain_words():
    _, unanswered, failed, other = _run(
        "def numerical_gradient(f, x):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
        "numerical_gradient(None, 1)",
        "grading.assert_close([1.0, 2.0], [1.0, 3.0], what='the path', hint='subtract the gradient')",
        "[1, 2][5]",
    )
    err = _error(unanswered)
    assert err.ename == "NotImplementedError"  # what the release checks and the tests count on
    assert check.ANSI.sub("", "\n".join(err.traceback)) == (
        "NotImplementedError: numerical_gradient is not answered yet: replace `raise NotImplementedError()` "
        "in its exercise cell with your code, run that cell, then run this one again.")
    text = check.ANSI.sub("", "\n".join(_error(failed).traceback))
    assert text.startswith("CheckFailed: the path") and "Hint: subtract the gradient" in text
    assert "Traceback" not in text and "grading.py" not in text
    assert "Traceback" in check.ANSI.sub("", "\n".join(_error(other).traceback)), "other errors keep their traceback"


def test_check_table_names_exercises_and_a_broken_exercise_cell(tmp_path):
    nb = layout.read_notebook(layout.release_path("01-gradient-descent", REPO))
    answer = next(c for c in nb.cells if layout.grade_id(c) == "gradient_descent")
    answer.source = answer.source.replace("raise NotImplementedError()", "return (")  # a syntax error
    path = tmp_path / "01-gradient-descent.ipynb"
    nbformat.write(nb, str(path))
    rows, _ = check.check_notebook(path, REPO)
    by_id = {r[0]: r[3] for r in rows}
    assert by_id["test_gradient_descent"][0].startswith("the exercise cell fails: SyntaxError"), by_id
    assert "(line " in by_id["test_gradient_descent"][0] and ".py" not in by_id["test_gradient_descent"][0]
    assert by_id["test_numerical_gradient"] == [check.NOT_ANSWERED]
    table = check.format_table("01-gradient-descent", rows, width=100)
    lines = table.splitlines()
    row = next(line for line in lines if line.strip().startswith("gradient_descent "))
    assert "0/3" in row and "FAILED" in row and "the exercise cell fails" in row
    assert not any(line.strip().startswith("test_") for line in lines), "exercise names, not test ids"
    assert max(len(line) for line in lines) <= 100
