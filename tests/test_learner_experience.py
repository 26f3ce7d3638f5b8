"""What `make lab` starts and how failures read, without a browser (tests/test_browser.py drives one)."""

import json
import os
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import REPO
from mlbasics import grading
from mlbasics.course import check, lab, layout
from mlbasics.course.__main__ import main
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


@pytest.mark.kernel
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


@pytest.mark.kernel
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
    assert by_id["test_numerical_gradient"] == [grading.not_answered("numerical_gradient")]
    table = check.format_table("01-gradient-descent", rows, width=100)
    lines = table.splitlines()
    row = next(line for line in lines if line.strip().startswith("gradient_descent "))
    assert "0/3" in row and "FAILED" in row and "the exercise cell fails" in row
    assert not any(line.strip().startswith("test_") for line in lines), "exercise names, not test ids"
    assert max(len(line) for line in lines) <= 100


# --- `make check` on a notebook of one's own: a tiny course notebook, checked once from the command line


def _graded(source, grade_id, points=None):
    meta = {"grade_id": grade_id, "locked": points is not None, "schema_version": 3,
            "solution": points is None, "grade": points is not None, "task": False}
    if points is not None:
        meta["points"] = points
    return new_code_cell(source, metadata={"nbgrader": meta})


def tiny_notebook(path):
    """Three exercises: one with a wrong answer, one not answered, one right."""
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nfrom mlbasics import grading"),
        _graded("def numerical_gradient(f, x):\n    return np.array([12.0, 16.0])", "numerical_gradient"),
        _graded('"""numerical_gradient at (3, 4)."""\n'
                "grading.assert_close(numerical_gradient(None, [3.0, 4.0]), [6.0, 8.0], inputs=np.array([3.0, 4.0]),\n"
                "                     what='numerical_gradient of f(x) = x0**2 + x1**2', hint='divide by 2h, not h.')",
                "test_numerical_gradient", 3),
        _graded("def gradient_descent(grad_f, x0, lr, steps):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
                "gradient_descent"),
        _graded('"""gradient_descent runs."""\ngradient_descent(None, 0.0, 0.1, 1)', "test_gradient_descent", 2),
        _graded("def double(x):\n    return 2 * x", "double"),
        _graded('"""double doubles."""\ngrading.assert_close(double(2.0), 4.0, what="double(2)")', "test_double", 1),
    ])
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """`python -m mlbasics.course check` (what `make check NB=... FILE=...` runs) on the tiny notebook."""
    path = tiny_notebook(tmp_path_factory.mktemp("mine") / "my-answers.ipynb")
    return subprocess.run([sys.executable, "-m", "mlbasics.course", "check", "01-gradient-descent", "--path", str(path)],
                          capture_output=True, text=True, cwd=REPO, env=dict(os.environ, COLUMNS="100"), timeout=300)


@pytest.mark.kernel
def test_check_table_shows_what_the_test_cell_shows(checked):
    """Expected, got and the hint, as under the test cell, wrapped to the terminal; one message for unanswered."""
    table = checked.stdout
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("numerical_gradient "))
    row = "\n".join(lines[start:start + 9])
    flat = " ".join(row.split())  # the hint wraps over several lines
    assert "numerical_gradient of f(x) = x0**2 + x1**2" in row, table
    assert "for input: [3., 4.]" in row and "expected:  [6., 8.]" in row and "got:       [12., 16.]" in row, table
    assert "Hint: every value is 2 times the expected one" in flat and "divide by 2h, not h." in flat, table
    assert grading.not_answered("gradient_descent") in " ".join(table.split()), table
    assert max(len(line) for line in lines) <= 100, table


@pytest.mark.kernel
def test_check_exits_non_zero_when_an_exercise_fails(checked, monkeypatch):
    assert "1 of 3 exercises pass" in checked.stdout, checked.stdout + checked.stderr
    assert checked.returncode == 1, f"exit status {checked.returncode} with failing exercises"
    monkeypatch.setattr(check, "check_notebook", lambda path, root=None: ([("test_double", 1.0, 1.0, [])], []))
    assert check.main("01-gradient-descent", layout.release_path("01-gradient-descent", REPO)) == 0


def test_check_of_a_missing_file_says_so(tmp_path, capsys):
    missing = tmp_path / "nowhere.ipynb"
    code = main(["check", "01-gradient-descent", "--path", str(missing)])
    said = capsys.readouterr().err
    assert code == 2, "a set-up to fix (no such file) is exit status 2"
    assert str(missing) in said and "FILE=" in said, said


def test_make_check_passes_file_to_the_command():
    dry = subprocess.run(["make", "-n", "check", "NB=01-gradient-descent", "FILE=some where/my.ipynb"],
                         capture_output=True, text=True, cwd=REPO)
    line = next(ln for ln in dry.stdout.splitlines() if "mlbasics.course check" in ln)
    assert "check 01-gradient-descent --path 'some where/my.ipynb'" in line, dry.stdout


@pytest.mark.kernel
def test_kernels_do_not_warn_about_unencrypted_tcp(checked):
    """`make check` and `make release` start kernels on this machine: their terminal stays clean."""
    assert "TCP without encryption" not in checked.stderr, checked.stderr
    run = subprocess.run([sys.executable, "-c",
                          "from nbformat.v4 import new_notebook, new_code_cell\n"
                          "from mlbasics.course.execute import execute\n"
                          "nb = execute(new_notebook(cells=[new_code_cell('1 + 1')]), '.')\n"
                          "print(nb.cells[0].outputs[0]['data']['text/plain'])"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.stdout.strip() == "2", run.stderr
    assert "TCP without encryption" not in run.stderr, run.stderr


def test_readme_says_what_validate_does_and_what_make_check_does():
    """Validate is nbgrader's stock dialog, not `make check`: the README must not say they are the same."""
    text = " ".join((REPO / "README.md").read_text().split())
    assert "**Validate** button does the same" not in text
    assert "**Validate** button in JupyterLab is not the same: it saves the notebook first" in text
    assert "each failing cell's whole source followed by its error" in text
    assert "expected, got, and the hint" in text and "exits with status 1" in text and "FILE=" in text


def test_long_lines_wrap_in_jupyterlab():
    """Test cells and hints have long lines: the course's JupyterLab settings wrap them at the
    notebook's width instead of letting them run off its right edge."""
    settings = json.loads(lab.write_settings().read_text())["@jupyterlab/notebook-extension:tracker"]
    assert settings["codeCellConfig"]["lineWrap"] is True
    assert settings["markdownCellConfig"]["lineWrap"] is True
