"""The learner's and the instructor's experience in a real browser: JupyterLab as `make lab` starts it,
driven in Chromium with Playwright. Every step leaves a screenshot in .artifacts/screenshots/.

Run only these: make test PYTEST_ARGS="tests/test_browser.py". Without Chromium or playwright they are
skipped with a message saying how to enable them.
"""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # then every test here is skipped, saying why
    expect = None

import browser_support as bs
from helpers import ASSIGNMENTS

MISSING = bs.missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"browser tests skipped: {MISSING}")

# Notebooks with an interactive figure: (which slider to move, how far to drag it in pixels).
SLIDERS = {
    "01-gradient-descent": (0, 100),  # the learning rate
    "04-momentum": (0, -30),          # the momentum coefficient
    "07-adam": (0, -20),              # the learning rate (and the optimizer drop-down)
}


@pytest.fixture(scope="module")
def shots():
    """The screenshot folder, emptied of the previous run's pictures."""
    if bs.SCREENSHOTS.is_dir():
        for old in bs.SCREENSHOTS.glob("*.png"):
            old.unlink()
    bs.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return bs.SCREENSHOTS


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return bs.copy_course(tmp_path_factory.mktemp("browser") / "course")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = bs.launch_browser(p)
        yield b
        b.close()


def _server(course, role, tmp_path_factory):
    scratch = tmp_path_factory.mktemp(f"lab-{role}")
    return bs.LabServer(course, role, scratch, bs.REPO / ".artifacts" / f"lab-{role}.log").start()


@pytest.fixture(scope="module")
def learner(course, browser, shots, tmp_path_factory):
    """One `make lab` server and one page for every learner test: each opens, runs and closes notebooks."""
    server = _server(course, "learner", tmp_path_factory)
    page = None
    try:
        page = browser.new_page(viewport=bs.VIEWPORT)
        person = bs.Learner(page, server, shots)
        person.open_lab()
        yield person
    finally:
        if page:
            page.close()
        server.stop()


@pytest.fixture(scope="module")
def instructor(course, browser, shots, tmp_path_factory):
    """`make lab ROLE=instructor` on the same copy of the course."""
    server = _server(course, "instructor", tmp_path_factory)
    page = None
    try:
        page = browser.new_page(viewport=bs.VIEWPORT)
        yield bs.Instructor(page, server, shots)
    finally:
        if page:
            page.close()
        server.stop()


def test_first_start_has_no_pop_ups(learner):
    """`make lab` opens on the release with no "Jupyter news" prompt or other notification."""
    learner.page.wait_for_timeout(3000)  # the news prompt, when enabled, comes a moment after start-up
    learner.shot("learner-01-first-start")
    assert learner.page.get_by_text("Jupyter news").count() == 0, "the Jupyter news prompt is shown"
    assert learner.page.locator(".Toastify__toast").count() == 0, "a notification pops up on start"
    listing = learner.page.locator(".jp-DirListing-content").inner_text()
    assert all(name in listing for name in ASSIGNMENTS), listing
    # nbgrader's instructor tools are hidden from learners
    assert learner.page.locator(".lm-MenuBar-itemLabel").get_by_text("Nbgrader", exact=True).count() == 0
    assert learner.page.locator('.lm-TabBar-tab[title="Nbgrader Create Assignment"]').count() == 0


# Run All in the lab on the release of the first and the last notebook. That every released notebook
# runs with only its exercises' NotImplementedErrors is checked for all of them, in a kernel without
# the lab, by `make release` (tests/test_readme_commands.py runs it as typed); the finished 01, 04 and
# 07 run in the lab below, with their widgets.
RUN_ALL = [ASSIGNMENTS[0], ASSIGNMENTS[-1]]


@pytest.mark.parametrize("assignment", RUN_ALL)
def test_released_notebook_runs_with_only_the_expected_errors(learner, assignment):
    """Run > Run All on the release: the only errors are the NotImplementedErrors of unanswered exercises."""
    learner.open(f"{assignment}/{assignment}.ipynb")
    try:
        learner.run_all()
        cells = learner.cells()
        code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
        not_run = [c["index"] for c in code if c["count"] is None]
        assert not not_run, f"{assignment}: cells {not_run} never ran"
        unexpected = [(c["index"], e["ename"], e["evalue"][:200]) for c in code for e in c["errors"]
                      if e["ename"] != "NotImplementedError"]
        assert not unexpected, f"{assignment}: errors other than NotImplementedError: {unexpected}"
        tests = [c for c in code if c["grade"] and not c["solution"]]
        unanswered = [c for c in tests if any(e["ename"] == "NotImplementedError" for e in c["errors"])]
        assert tests and len(unanswered) == len(tests), \
            f"{assignment}: every test cell should say its exercise is not answered yet"
        first = unanswered[0]["index"]
        learner.scroll_to(first)
        learner.shot(f"run-all-{assignment}")
    finally:
        learner.close()


CORRECT = '''def gradient_descent(grad_f, x0, lr, steps):
    """Minimise by stepping against the gradient; return the trajectory."""
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for t in range(steps):
        rate = lr(t) if callable(lr) else lr
        x = x - rate * grad_f(x)
        path.append(x.copy())
    return np.array(path)'''
WRONG = CORRECT.replace("x = x - rate", "x = x + rate")


def test_learner_round_trip(learner):
    """Open 01 from the file browser, answer an exercise right then wrong, read the tests, press Validate."""
    name = "01-gradient-descent"
    learner.open_from_file_browser(name, f"{name}.ipynb")
    try:
        learner.shot("learner-02-notebook-opened")
        cells = learner.cells()
        setup = next(c["index"] for c in cells if c["type"] == "code")
        answer = next(c["index"] for c in cells if c["grade_id"] == "gradient_descent")
        test = next(c["index"] for c in cells if c["grade_id"] == "test_gradient_descent")
        assert test == answer + 1, "the test cell should follow its exercise"
        learner.run_with_keyboard(setup)

        learner.type_into(answer, CORRECT)
        learner.run_with_keyboard(answer, cells=2)  # the answer, then its test cell
        out = learner.output_text(test)
        assert "gradient_descent looks right." in out, out
        learner.scroll_to(answer)
        learner.shot("learner-03-correct-answer-passes")

        learner.type_into(answer, WRONG)
        learner.run_with_keyboard(answer, cells=2)
        out = learner.output_text(test)
        assert "CheckFailed" in out and "Hint: your path goes uphill" in out, out
        assert "Traceback" not in out, "a failed check should read as its message, not a traceback"
        learner.scroll_to(answer)
        learner.shot("learner-04-wrong-answer-shows-the-hint")

        header, body = learner.validate()
        assert "Validation Results" in header, header
        assert "goes uphill" in body, body
        assert "Traceback" not in body, "Validate should show each failure in plain words"
        learner.shot("learner-05-validate-verdict")
        learner.scroll_dialog_to("Hint: your path goes uphill")
        learner.shot("learner-06-validate-verdict-on-the-wrong-answer")
        learner.close_dialog()
    finally:
        learner.close()


def _is_widget_cell(cell):
    """The cell with the slider (a notebook cell, or a cell as the page reports it)."""
    kind = cell.get("cell_type", cell.get("type"))
    return kind == "code" and cell["source"].startswith("# NBVAL_IGNORE_OUTPUT") and "Slider" in cell["source"]


@pytest.mark.parametrize("assignment", list(SLIDERS))
def test_slider_redraws_the_figure_from_the_learners_code(learner, course, assignment):
    """A finished notebook: moving the slider redraws the figure with the learner's own implementation."""
    # Every exercise answered, as a learner would; the notebook ends at the widget's cell (the cells
    # after it do not touch the widget; the finished solutions run whole under nbval).
    finished = bs.finished_copy(course, assignment, through=_is_widget_cell)
    learner.open(str(finished.relative_to(course / "notebooks")))
    try:
        learner.run_all()
        cells = learner.cells()
        errors = [(c["index"], e["ename"], e["evalue"][:200]) for c in cells for e in c["errors"]]
        assert not errors, f"a finished {assignment} should run without errors: {errors}"
        widget = next(c["index"] for c in cells if _is_widget_cell(c))
        assert widget == len(cells) - 1, f"the finished copy should end at the widget's cell, not {len(cells)} cells"
        cell = learner.cell(widget)
        cell.locator(".widget-slider .noUi-handle").first.wait_for(timeout=30_000)
        static = learner.images(widget)
        assert static, "the widget cell should draw its figure once without the widgets"
        outputs = cell.locator(".jp-Cell-outputWrapper")
        outputs.scroll_into_view_if_needed()
        learner.shot(f"slider-{assignment}-1-before", outputs)

        which, dx = SLIDERS[assignment]
        before = cell.locator(".widget-slider .widget-readout").nth(which).inner_text()
        after = learner.drag_slider(widget, which, dx)
        assert after != before, f"the slider did not move (still {before})"
        redrawn = learner.wait_new_image(widget, static)
        assert all(redrawn != bs.png_bytes(src) for src in static), "the figure did not change"
        learner.shot(f"slider-{assignment}-2-after", outputs)

        if assignment == "07-adam":  # the optimizer choice redraws it too
            seen = learner.images(widget)
            cell.locator(".widget-dropdown select").select_option("SGD")
            redrawn = learner.wait_new_image(widget, seen)
            assert all(redrawn != bs.png_bytes(src) for src in seen)
            learner.shot(f"slider-{assignment}-3-optimizer", outputs)
    finally:
        learner.close()


def test_instructor_lab_opens_on_the_solutions(instructor):
    instructor.open_lab("")  # `make lab ROLE=instructor` opens the browser on the server's default page
    assert instructor.page.url.split("?")[0].endswith("/lab/tree/solutions"), instructor.page.url
    listing = instructor.page.locator(".jp-DirListing-content")
    for name in ASSIGNMENTS:  # the file browser shows solutions/ once it has followed the address
        expect(listing).to_contain_text(name)
    instructor.shot("instructor-01-lab-on-solutions")


def test_create_assignment_toolbar_shows_the_cell_types(instructor):
    name = "01-gradient-descent"
    instructor.open(f"solutions/{name}/{name}.ipynb")
    try:
        items = instructor.create_assignment_panel()
        cells = instructor.cells()
        assert len(items) == len(cells)
        graded = 0
        for cell, item in zip(cells, items):
            if cell["solution"]:
                assert (item["label"], item["id"]) == ("Autograded answer", cell["grade_id"]), item
                graded += 1
            elif cell["grade"]:
                assert (item["label"], item["id"]) == ("Autograded tests", cell["grade_id"]), item
                assert item["points"] == cell["points"] > 0, item
                graded += 1
            else:
                assert item["type"] == "", item
        assert graded >= 8
        first = next(c["index"] for c in cells if c["solution"])
        instructor.page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
        instructor.cell(first).locator(".jp-InputPrompt").click()
        instructor.scroll_to(first)
        instructor.page.locator("#nbgrader-create_assignemnt .nbgrader-CellWidget").nth(first) \
            .evaluate("node => node.scrollIntoView({block: 'start'})")
        instructor.shot("instructor-02-create-assignment-toolbar")
    finally:
        instructor.page.locator('.lm-TabBar-tab[title="Nbgrader Create Assignment"]').click()  # fold it away
        instructor.page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
        instructor.close()


def test_formgrader_lists_every_assignment(instructor):
    instructor.menu("Nbgrader", "Formgrader")
    frame = instructor.page.frame_locator("iframe[src*='formgrader']")
    table = frame.locator("table").first
    for name in ASSIGNMENTS:
        table.get_by_text(name, exact=True).wait_for(timeout=60_000)
    page_text = frame.locator("body").inner_text()
    assert "does not exist" not in page_text, "formgrader warns about the course setup:\n" + page_text[:1500]
    instructor.page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    table.get_by_text(ASSIGNMENTS[-1], exact=True).scroll_into_view_if_needed()
    instructor.shot("instructor-03-formgrader-manage-assignments")
    headers = [h.strip() for h in frame.locator("table thead th:visible").all_inner_texts()]
    assert "Preview" in headers and "# Submissions" in headers, headers
    hidden = {"Generate", "Release", "Collect", "Release Feedback"} & set(headers)
    assert not hidden, f"formgrader shows buttons of the exchange the course does not use: {sorted(hidden)}"
    rows = frame.locator("#main-table tr").first
    assert rows.locator("td:visible").count() == len(headers), "the table's cells are not aligned with its headers"
    assert "make autograde" in page_text, "formgrader does not say how this course releases and grades"


WRONG_MOMENTUM = '''def momentum_step(w, v, g, lr, momentum):
    v_new = momentum * v + lr * g
    return w + v_new, v_new'''


def test_a_korean_notebook_in_the_korean_lab(course, browser, shots, tmp_path_factory):
    """`make lab EDITION=ko` opens notebooks-ko/: 04 in Korean runs with only its unanswered exercises
    failing, its figures draw Korean text, and a wrong answer's test says what is wrong in Korean."""
    name = "04-momentum"
    scratch = tmp_path_factory.mktemp("lab-ko")
    server = bs.LabServer(course, "learner", scratch, bs.REPO / ".artifacts" / "lab-ko.log", edition="ko").start()
    page = browser.new_page(viewport=bs.VIEWPORT)
    person = bs.Learner(page, server, shots)
    try:
        person.open_lab()
        listing = page.locator(".jp-DirListing-content").inner_text()
        assert all(a in listing for a in ASSIGNMENTS), listing
        person.open(f"{name}/{name}.ipynb")
        person.run_all()
        cells = person.cells()
        code = [c for c in cells if c["type"] == "code" and c["source"].strip()]
        unexpected = [(c["index"], e["ename"]) for c in code for e in c["errors"] if e["ename"] != "NotImplementedError"]
        assert not unexpected, unexpected
        first_test = next(c for c in cells if c["grade_id"] == "test_momentum_step")
        person.scroll_to(first_test["index"])  # JupyterLab draws only the cells on screen
        out = person.output_text(first_test["index"])
        assert "아직 답하지 않았습니다" in out, out
        person.shot("korean-00-unanswered-exercise")
        assert any(c["type"] == "markdown" and "## 학습 목표" in c["source"] for c in cells)
        person.scroll_to(0)
        person.shot("korean-01-notebook-opened")
        figure = next(c["index"] for c in cells if c["type"] == "code" and "plotting.plot_contour" in c["source"])
        person.scroll_to(figure)
        person.shot("korean-02-figure-with-korean-labels")
        answer = next(c["index"] for c in cells if c["grade_id"] == "momentum_step")
        person.type_into(answer, WRONG_MOMENTUM)
        person.run_with_keyboard(answer, cells=2)
        out = person.output_text(first_test["index"])
        assert "CheckFailed" in out and "힌트:" in out and "기댓값:" in out, out
        person.show_output(first_test["index"])
        person.shot("korean-03-wrong-answer-hint-in-korean")
        person.close()
    finally:
        page.close()
        server.stop()
