"""Every `make` command the README types, run exactly as typed, on a fresh copy of the course.

The copy has its own Makefile, package and notebooks, and borrows this checkout's environment
(``.venv`` is a symlink), so nothing here touches the working tree.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers import REPO, copy_course, needs_sandbox
from mlbasics.course import layout

pytestmark = pytest.mark.slow

README = REPO / "README.md"
# Variables a user's shell or make itself already defines: a Makefile variable of that name never
# takes its `?=` default (make predefines AS, the assembler, so `AS ?= learner` never applied).
ENVIRONMENT_NAMES = {"LANG", "LANGUAGE", "HOME", "PATH", "USER", "TERM", "PWD", "TMPDIR", "DISPLAY", "EDITOR"}


def readme_commands():
    """The `make ...` lines of the README's shell blocks, without their comments."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)
    lines = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return list(dict.fromkeys(line for line in lines if line.startswith("make")))


def makefile_variables():
    text = (REPO / "Makefile").read_text()
    """The variables the Makefile gives a default with ``?=`` (which applies only when unset)."""
    return set(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)\s*\?=", text, re.M))


def makes_own_variables():
    """The variables GNU make defines before reading any Makefile (its database's defaults)."""
    dump = subprocess.run(["make", "-p", "-f", "/dev/null"], capture_output=True, text=True,
                          env={"PATH": os.environ["PATH"]}).stdout
    names = set()
    origin = None
    for line in dump.splitlines():
        if line.startswith("# "):
            origin = line[2:].strip()
            continue
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_.-]*) :?= ", line)
        if match and origin in ("default", "automatic", "makefile"):
            names.add(match.group(1))
    return names


def test_the_readme_starts_with_the_two_commands():
    first = re.search(r"```bash\n(.*?)```", README.read_text(), re.S).group(1)
    assert [line.split("#")[0].strip() for line in first.strip().splitlines()] == ["make release", "make test"]


def test_no_makefile_variable_is_one_that_make_or_the_shell_already_sets():
    own = makes_own_variables()
    assert "AS" in own and "CC" in own, "could not read make's own variables"
    clashes = sorted(makefile_variables() & (own | ENVIRONMENT_NAMES))
    assert not clashes, f"these Makefile variables are predefined by make or the shell, so `?=` never applies: {clashes}"
    assert {"ROLE", "NB", "JOBS"} <= makefile_variables()


def test_every_command_line_command_is_listed_in_its_help():
    out = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "mlbasics.course", "--help"],
                         capture_output=True, text=True, cwd=REPO).stdout
    commands = re.search(r"\{([a-z,-]+)\}", out).group(1).split(",")
    assert len(commands) >= 7, out
    assert all(name in out.split("positional arguments")[0] for name in commands)
    for name in commands:
        assert re.search(rf"^\s+{re.escape(name)}\s+\S", out, re.M), f"`--help` does not describe {name}:\n{out}"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A copy of the course as a clone has it, with this checkout's environment."""
    root = copy_course(tmp_path_factory.mktemp("readme") / "course")
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "mlbasics", root / "mlbasics", ignore=shutil.ignore_patterns("__pycache__"))
    (root / ".venv").symlink_to((REPO / ".venv").resolve())
    # The copy shares this checkout's environment: its `make install` must never run, or it would
    # re-install the package from the copy. An old pyproject.toml keeps the stamp up to date.
    os.utime(root / "pyproject.toml", (0, 0))
    if make(root, "make -q install").returncode != 0:
        pytest.fail("the environment is not installed (.venv/.installed is missing): run `make install` first")
    return root


def _env(root):
    # A user's shell: none of this test run's own settings (make's, when `make test` runs it, among them).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MLBASICS_", "JUPYTER_", "PYTEST_")) and k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    env.update(BROWSER="true", JUPYTER_TOKEN="readme-test", JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
               PYTHONDONTWRITEBYTECODE="1")
    return env


def make(root, command, timeout=600):
    return subprocess.run(command.split(), cwd=root, env=_env(root), capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_every_readme_command_is_a_make_target():
    commands = readme_commands()
    assert "make lab" in commands and "make release" in commands and len(commands) >= 6, commands
    for command in commands:
        dry = subprocess.run(command.replace("<id>", "01-gradient-descent").split() + ["-n"], cwd=REPO,
                             capture_output=True, text=True)
        assert dry.returncode == 0, f"`{command}` is not a working make target: {dry.stderr}"


def _listing(port, wait=60):
    """The names at the root of the server on ``port``, once it answers."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token=readme-test", timeout=30) as r:
                return {item["name"] for item in json.load(r)["content"]}
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _serve(root, command, expect_in_root):
    """Start ``command`` (a `make lab`), wait until it serves, list its root, stop it."""
    proc = subprocess.Popen(command.split(), cwd=root, env=_env(root), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True, stdin=subprocess.DEVNULL)
    log = []
    try:
        port = None
        deadline = time.monotonic() + 120
        while port is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                if proc.poll() is not None:
                    break
                continue
            log.append(line)
            found = re.search(r"http://(?:127\.0\.0\.1|localhost):(\d+)/", line)
            port = int(found.group(1)) if found else None
        assert port, f"`{command}` did not start a server (exit {proc.poll()}):\n{''.join(log)}"
        listing = _listing(port)
        assert expect_in_root <= listing, f"`{command}` serves {sorted(listing)}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return "".join(log)


def test_make_lab_serves_the_release(fresh):
    assert "make lab" in readme_commands()
    log = _serve(fresh, "make lab", set(layout.assignments(fresh)))
    assert "Opening JupyterLab on notebooks/" in log


def test_make_lab_for_instructors_serves_the_course(fresh):
    command = next(c for c in readme_commands() if c.startswith("make lab ") and "instructor" in c)
    _serve(fresh, command, {layout.SOLUTIONS, layout.RELEASE, "nbgrader_config.py"})


def test_make_check_as_typed_reports_the_stub_and_fails(fresh):
    command = next(c for c in readme_commands() if c.startswith("make check"))
    result = make(fresh, command)
    exercises = sum(layout.is_graded_test(c) for c in layout.read_notebook(layout.release_path("01-gradient-descent", fresh)).cells)
    assert f"0 of {exercises} exercises pass" in result.stdout, result.stdout + result.stderr
    assert result.returncode != 0, "make check must exit non-zero while exercises fail"


def test_make_release_as_typed_keeps_the_release_as_it_is(fresh):
    before = {p: p.read_bytes() for p in (fresh / layout.RELEASE).rglob("*") if p.is_file()}
    result = make(fresh, "make release")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "problem" not in result.stdout, result.stdout
    after = {p: p.read_bytes() for p in (fresh / layout.RELEASE).rglob("*") if p.is_file()}
    assert before == after, "make release on a fresh clone changed the committed release"
    assert "TCP without encryption" not in result.stdout + result.stderr, "the terminal is not clean"


@needs_sandbox
def test_make_autograde_as_typed_with_nothing_submitted_says_where_submissions_go(fresh):
    command = next(c for c in readme_commands() if c.startswith("make autograde"))
    result = make(fresh, command)
    assert result.returncode != 0, "make autograde must fail when there is nothing to grade"
    assert "Nothing to grade" in result.stdout and str(fresh / layout.SUBMITTED) in result.stdout, result.stdout
    assert not (fresh / "grades.csv").exists()


def test_every_command_returns_the_documented_codes(tmp_path, capsys):
    """0 done, 1 done with failures, 2 could not start (argparse's own code for a wrong argument)."""
    from mlbasics.course import __main__ as cli

    assert {c.name for c in cli.COMMANDS} >= {"release", "check", "autograde", "lab", "mutants", "report", "collect",
                                               "return", "execute", "db-migrate-to"}
    with pytest.raises(SystemExit) as wrong:
        cli.main(["no-such-command"])
    assert wrong.value.code == 2
    assert cli.main(["check", "01-gradient-descent", "--path", str(tmp_path / "missing.ipynb")]) == 2
    assert "missing.ipynb" in capsys.readouterr().err
    assert cli.main(["release", "--assignment", "nope"]) == 2
    assert "no assignment 'nope'" in capsys.readouterr().err
