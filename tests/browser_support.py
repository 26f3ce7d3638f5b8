"""Driving the course's JupyterLab in a real browser: a lab server on a copy of the course, and
Chromium through Playwright, with helpers that act as a learner or an instructor would.

The browser tests need Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it) and the
``playwright`` Python package (in the ``dev`` extra). Playwright's own browser download is not used.
"""

import base64
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from mlbasics.course import lab, layout

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / ".artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 1000}
HOW_TO_ENABLE = ("install Debian's Chromium (`apt-get install -y chromium`, as `.ci/run` does) and the dev "
                 "extra (`pip install -e '.[dev]'`), or set MLBASICS_CHROMIUM to a Chromium binary")


def chromium_path():
    """The Chromium binary to drive: $MLBASICS_CHROMIUM, else chromium on PATH, else None."""
    if os.environ.get("MLBASICS_CHROMIUM"):
        given = os.environ["MLBASICS_CHROMIUM"]
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def missing():
    """Why the browser tests cannot run here (with how to enable them), or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"the Python package playwright is not installed: {HOW_TO_ENABLE}"
    if not chromium_path():
        where = f" (MLBASICS_CHROMIUM={os.environ['MLBASICS_CHROMIUM']} is not a file)" \
            if os.environ.get("MLBASICS_CHROMIUM") else ""
        return f"Chromium is not installed{where}: {HOW_TO_ENABLE}"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``make lab`` (for a role) on ``course``, a scratch copy of the course, on a free loopback port."""

    def __init__(self, course, role, scratch, log_path, edition=None):
        self.course, self.role, self.scratch = Path(course), role, Path(scratch)
        self.edition = edition
        self.port = free_port()
        self.token = base64.b32encode(os.urandom(15)).decode().lower()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self.proc = None

    def start(self, timeout=90):
        env = dict(os.environ, MLBASICS_ROOT=str(self.course))
        env.pop("DB_URL", None)  # the copy's own SQLite gradebook, never a real one
        env.update(lab.prepare(self.role, self.course))
        # A fresh JupyterLab: no settings, workspace or config of whoever runs the tests.
        for var, sub in [("JUPYTERLAB_SETTINGS_DIR", "user-settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                         ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime")]:
            (self.scratch / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(self.scratch / sub)
        argv = lab.command(self.role, self.port, root=self.course, open_browser=False, edition=self.edition, extra=[
            "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={self.token}", "--ServerApp.port_retries=0",
            # lets a test read the notebook model (cell outputs, execution counts) through window.jupyterapp
            "--LabApp.expose_app_in_browser=True",
        ])
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(argv, cwd=self.course, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log_tail()}")

    def url(self, path="lab"):
        return f"{self.base}/{path.lstrip('/')}"

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
        if getattr(self, "_log", None):
            self._log.close()


def copy_course(dest):
    """What a lab needs: config, solutions, release (no gradebook, no submissions)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".check-*")
    shutil.copytree(REPO / layout.SOLUTIONS, dest / layout.SOLUTIONS, ignore=ignore)
    for release in [REPO / layout.RELEASE] + sorted(REPO.glob(f"{layout.RELEASE}-*")):  # and notebooks-ko/
        shutil.copytree(release, dest / release.name, ignore=ignore)
    return dest


def finished_copy(root, assignment, through=None):
    """Write ``<id>/<id>-finished.ipynb`` into the release of ``root``: the released notebook with every
    exercise answered (the solutions' answers, typed in as a learner would), no outputs; return its path.
    With ``through`` (a test on a cell), the notebook ends at the first cell it accepts."""
    import nbformat

    answers = {layout.grade_id(c): c.source for c in layout.read_notebook(layout.solution_path(assignment, root)).cells
               if layout.is_solution(c)}
    nb = layout.read_notebook(layout.release_path(assignment, root))
    for cell in nb.cells:
        if layout.is_solution(cell):
            cell.source = re.sub(r"[ \t]*### (BEGIN|END) SOLUTION\n?", "", answers[layout.grade_id(cell)])
    if through is not None:
        nb.cells = nb.cells[:next(i for i, cell in enumerate(nb.cells) if through(cell)) + 1]
    path = layout.release_path(assignment, root).with_name(f"{assignment}-finished.ipynb")
    nbformat.write(nb, str(path))
    return path


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


# --- JavaScript run in the page, against JupyterLab's own objects (window.jupyterapp) ---------------

JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path});
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
  return panel.id;
}"""

# Run every cell as a learner would with Run > Run All Cells: JupyterLab stops at the first error, so
# after each stop carry on from the next cell that has not run (Run > Run Selected Cell and All Below).
JS_RUN_ALL = """async (timeoutMs) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const nb = panel.content;
  await panel.sessionContext.ready;
  const cells = nb.model.cells;
  const pending = (from) => {
    for (let i = from; i < cells.length; i++) {
      const c = cells.get(i);
      if (c.type === 'code' && c.executionCount == null && c.sharedModel.getSource().trim()) return i;
    }
    return -1;
  };
  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
  const deadline = Date.now() + timeoutMs;
  let passes = 0, from = 0, retries = 0;
  while (true) {
    const next = pending(from);
    if (next < 0) return passes;
    if (Date.now() > deadline) throw new Error('cells still running after ' + timeoutMs + ' ms');
    nb.activeCellIndex = next;
    const command = passes === 0 ? 'notebook:run-all-cells' : 'notebook:run-all-below';
    passes += 1;
    const left = deadline - Date.now();
    await Promise.race([app.commands.execute(command),
                        new Promise((_, no) => setTimeout(() => no(new Error('timed out running cells')), left))]);
    if (cells.get(next).executionCount == null) {
      // The kernel drops requests that arrive while it is still abandoning the queue after an error.
      if (++retries > 5) throw new Error('cell ' + next + ' did not run');
      await sleep(300);
      continue;
    }
    from = next + 1;
  }
}"""

# Every cell of the current notebook: its type, nbgrader grade id, execution count and outputs in brief.
JS_CELLS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const out = [];
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    const meta = c.getMetadata('nbgrader') || {};
    const item = {index: i, type: c.type, grade_id: meta.grade_id || null, grade: !!meta.grade,
                  points: meta.points == null ? null : Number(meta.points),
                  solution: !!meta.solution, source: c.sharedModel.getSource(), count: null, errors: [], text: ''};
    if (c.type === 'code') {
      item.count = c.executionCount;
      for (let k = 0; k < c.outputs.length; k++) {
        const o = c.outputs.get(k).toJSON();
        if (o.output_type === 'error') item.errors.push({ename: o.ename, evalue: o.evalue});
        if (o.output_type === 'stream') item.text += Array.isArray(o.text) ? o.text.join('') : o.text;
      }
    }
    out.push(item);
  }
  return out;
}"""

JS_CLOSE = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  if (!panel || !panel.sessionContext) return;
  await panel.sessionContext.shutdown();
  panel.context.model.dirty = false;
  panel.dispose();
}"""

JS_SCROLL_TO = """async (index) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = index;
  await nb.scrollToItem(index, 'start');
}"""


class Learner:
    """A page of the lab, with the steps a person takes, each able to leave a screenshot."""

    def __init__(self, page, server, shots=SCREENSHOTS):
        self.page, self.server, self.shots = page, server, Path(shots)

    def open_lab(self, path="lab"):
        sep = "&" if "?" in path else "?"
        self.page.goto(self.server.url(f"{path}{sep}token={self.server.token}"))
        self.page.wait_for_function("window.jupyterapp && window.jupyterapp.started", timeout=90_000)
        self.page.evaluate("async () => { await window.jupyterapp.restored; }")
        self.page.wait_for_selector("#jp-main-dock-panel", timeout=30_000)

    def open(self, path):
        """Open the notebook at ``path`` (relative to the server's root) and wait for its kernel."""
        self.panel = "#" + self.page.evaluate(JS_OPEN, path)
        self.page.wait_for_selector(f"{self.panel} .jp-Notebook .jp-Cell", timeout=30_000)
        self.wait_idle()

    def wait_idle(self, timeout=60_000):
        self.page.wait_for_function(
            "() => { const p = window.jupyterapp.shell.currentWidget;"
            " const k = p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;"
            " return !!k && k.status === 'idle'; }", timeout=timeout)

    def run_all(self, timeout=150_000):
        passes = self.page.evaluate(JS_RUN_ALL, timeout)
        self.wait_idle()
        return passes

    def cells(self):
        return self.page.evaluate(JS_CELLS)

    def cell(self, index):
        """The DOM node of cell ``index`` of the current notebook."""
        return self.page.locator(self._cell_selector(index))

    def _cell_selector(self, index):
        return f'{self.panel} .jp-Notebook .jp-Cell[data-windowed-list-index="{index}"]'

    def scroll_to(self, index):
        """Scroll the notebook so that cell ``index`` starts at the top of the window."""
        self.page.evaluate(JS_SCROLL_TO, index)
        self.cell(index).evaluate("node => node.scrollIntoView({block: 'start'})")
        self.page.wait_for_timeout(300)

    def close(self):
        self.page.evaluate(JS_CLOSE)

    # --- as a person does it: mouse and keyboard ------------------------------------------------------

    def open_from_file_browser(self, *parts):
        """Double-click through the file browser: folders, then the notebook (the last of ``parts``)."""
        page = self.page
        page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").click()
        for name in parts:
            page.locator(".jp-DirListing-content .jp-DirListing-itemText").get_by_text(name, exact=True).dblclick()
        page.wait_for_function("(name) => { const w = window.jupyterapp.shell.currentWidget;"
                               " return !!w && !!w.context && w.context.path.endsWith(name); }", arg=parts[-1])
        self.panel = "#" + page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
        page.wait_for_selector(f"{self.panel} .jp-Notebook .jp-Cell", timeout=30_000)
        page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.sessionContext.ready; }")
        self.wait_idle()

    def count(self, index):
        return self.page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.model.cells.get(i)"
                                  ".executionCount", index)

    def run_with_keyboard(self, index, cells=1):
        """Click cell ``index`` and press Shift+Enter ``cells`` times; wait until the last one has run."""
        last = index + cells - 1
        before = self.count(last)
        self.cell(index).locator(".jp-InputPrompt").click()
        for _ in range(cells):
            self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_function(
            "([i, before]) => { const p = window.jupyterapp.shell.currentWidget;"
            " const n = p.content.model.cells.get(i).executionCount;"
            " return n != null && n !== before && p.sessionContext.session.kernel.status === 'idle'; }",
            arg=[last, before], timeout=60_000)

    def type_into(self, index, code):
        """Replace the code of cell ``index`` by ``code``, typed into its editor."""
        editor = self.cell(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.press("Delete")
        # insert_text enters the code as typed text without the editor's auto-indent doubling the indents
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Escape")

    def output_text(self, index):
        return self.cell(index).locator(".jp-OutputArea").inner_text()

    def show_output(self, index):
        """Scroll so that the end of cell ``index``'s output is on screen."""
        self.cell(index).locator(".jp-OutputArea-output").last.scroll_into_view_if_needed()
        self.page.wait_for_timeout(200)

    def validate(self, timeout=120_000):
        """Press nbgrader's Validate button; return the text of the dialog it opens (left open)."""
        self.page.locator(f"{self.panel} .validate-button").click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(timeout=timeout)
        self.page.wait_for_timeout(300)
        return dialog.locator(".jp-Dialog-header").inner_text(), dialog.locator(".jp-Dialog-body").inner_text()

    def scroll_dialog_to(self, text):
        """Scroll the open dialog to the first block that contains ``text``."""
        block = self.page.locator(".jp-Dialog-body pre").filter(has_text=text).first
        block.evaluate("node => node.scrollIntoView({block: 'end'})")
        self.page.wait_for_timeout(200)

    def close_dialog(self):
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached")

    def images(self, index):
        """The ``src`` of every image in cell ``index``'s outputs (data URLs), in order."""
        return self.cell(index).locator(".jp-OutputArea img").evaluate_all("imgs => imgs.map(i => i.src)")

    def drag_slider(self, index, which=0, dx=90):
        """Drag the handle of slider ``which`` in cell ``index`` by ``dx`` pixels; return its readout."""
        handle = self.cell(index).locator(".widget-slider .noUi-handle").nth(which)
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        for step in range(1, 11):
            self.page.mouse.move(x + dx * step / 10, y)
        self.page.mouse.up()
        return self.cell(index).locator(".widget-slider .widget-readout").nth(which).inner_text()

    def wait_new_image(self, index, seen, timeout=30_000):
        """Wait for an image in cell ``index`` that is not among ``seen``; return its PNG bytes."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                "([sel, seen]) => Array.from(document.querySelectorAll(sel)).some(i => i.src && !seen.includes(i.src)"
                " && i.complete && i.naturalWidth > 0)",
                arg=[f"{self._cell_selector(index)} .jp-OutputArea img", list(seen)],
                timeout=timeout)
        except PlaywrightTimeout:
            raise AssertionError(f"no new figure in cell {index} within {timeout / 1000:g} s: "
                                 "the widget did not redraw it") from None
        # A drag sends several values: wait for the last redraw (the figures unchanged for a second).
        current, steady = self.images(index), 0
        while steady < 4:
            self.page.wait_for_timeout(300)
            self.wait_idle()
            latest = self.images(index)
            steady = steady + 1 if latest == current else 0
            current = latest
        new = [s for s in current if s not in seen]
        return png_bytes(new[-1])

    def shot(self, name, locator=None):
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        (locator or self.page).screenshot(path=str(path))
        return path


class Instructor(Learner):
    """The same page helpers, on the instructor's lab (the course root, opened on solutions/)."""

    def create_assignment_panel(self):
        """Open the Create Assignment sidebar; return, per cell, the nbgrader type, id and points it shows."""
        self.page.locator('.lm-TabBar-tab[title="Nbgrader Create Assignment"]').click()
        self.page.wait_for_selector("#nbgrader-create_assignemnt .nbgrader-CellWidget")
        return self.page.evaluate("""() => Array.from(
          document.querySelectorAll('#nbgrader-create_assignemnt .nbgrader-CellWidget')).map(item => {
            const s = item.querySelector('select');
            const inputs = Array.from(item.querySelectorAll('input')).map(i => i.value);
            return {type: s.value, label: s.options[s.selectedIndex].text,
                    id: s.value ? inputs[0] : null, points: s.value === 'tests' ? Number(inputs[1]) : null};
          })""")

    def menu(self, menu, item):
        self.page.locator(".lm-MenuBar-itemLabel").get_by_text(menu, exact=True).click()
        self.page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def png_bytes(src):
    """The bytes of an image given as a data URL."""
    assert src.startswith("data:image/png;base64,"), src[:40]
    return base64.b64decode(src.split(",", 1)[1])
