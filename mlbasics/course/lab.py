"""``make lab``: JupyterLab on the release (learners) or on the course with its solutions (instructors).

Learners get ``notebooks/`` as the server's root, with nbgrader's Validate button and none of its
instructor tools. Instructors get the course root (formgrader only works when the course, the folder
of ``nbgrader_config.py``, lies inside the server's root), opened on ``solutions/``. Both start with
the course's JupyterLab settings (``SETTINGS``) and from the course root as working directory, where
nbgrader's Validate button and formgrader read ``nbgrader_config.py``.
"""

import json
import os
import sys
from pathlib import Path

from mlbasics.course import layout

ROLES = ("learner", "instructor")

# JupyterLab defaults for every course lab; a learner can still change them in Settings.
SETTINGS = {
    # No "Would you like to get notified about official Jupyter news?" prompt on the first start,
    # and no requests to the internet for news or updates.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Long lines of tests and hints wrap at the notebook's width instead of running off its right edge.
    "@jupyterlab/notebook-extension:tracker": {
        "codeCellConfig": {"lineNumbers": False, "lineWrap": True},
        "markdownCellConfig": {"lineNumbers": False, "matchBrackets": False, "lineWrap": True},
        "rawCellConfig": {"lineNumbers": False, "matchBrackets": False, "lineWrap": True},
    },
}


def settings_file():
    """Where the course's defaults go: ``overrides.d/`` of this environment's JupyterLab settings.

    JupyterLab reads every ``overrides.d/*.json`` there (before the user's own ``overrides.json``).
    """
    from jupyterlab.commands import get_app_dir

    return Path(get_app_dir()) / "settings" / "overrides.d" / "mlbasics.json"


def write_settings():
    """Write ``SETTINGS`` where JupyterLab reads them (only when they changed); return the path."""
    path = settings_file()
    text = json.dumps(SETTINGS, indent=2, sort_keys=True) + "\n"
    try:
        if not path.is_file() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    except OSError as exc:
        print(f"Could not write the course's JupyterLab settings to {path} ({exc}); "
              "JupyterLab will start with its own defaults.", file=sys.stderr)
    return path


def command(role="learner", port=None, extra=(), root=None, open_browser=True, edition=None):
    """The ``jupyter lab`` command line of ``make lab`` (``ROLE=instructor`` for the instructor's;
    ``EDITION=ko``: the learner's lab on the Korean release, ``notebooks-ko/``)."""
    if role not in ROLES:
        raise SystemExit(f"ROLE must be 'learner' or 'instructor', got {role!r} (make lab ROLE=instructor)")
    root = Path(root or layout.ROOT)
    argv = [sys.executable, "-m", "jupyter", "lab", "--LabApp.news_url=",
            f"--ServerApp.open_browser={open_browser}"]
    if role == "instructor":
        argv += [f"--ServerApp.root_dir={root}", f"--LabApp.default_url=/lab/tree/{layout.SOLUTIONS}"]
    else:
        argv += [f"--ServerApp.root_dir={root / layout.release_dir(edition)}"]
    if port:
        argv.append(f"--ServerApp.port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")  # containers and CI machines often run as root
    return argv + list(extra)


# nbgrader's instructor tools, hidden from learners (the Validate button stays): the Nbgrader menu
# (assignment and course lists of the exchange the course does not use, formgrader) and the
# Create Assignment sidebar, which would let a learner change how cells are graded.
INSTRUCTOR_ONLY = ["@jupyter/nbgrader:menu", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                   "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list"]


def config_dir(role):
    """A Jupyter config folder for one role, added to JUPYTER_CONFIG_PATH when its lab starts."""
    return Path(sys.prefix) / "etc" / "mlbasics" / role


def learner_config_dir():
    return config_dir("learner")


# Each role's Jupyter configuration: learners do without nbgrader's instructor tools; instructors'
# formgrader hides the buttons of the exchange the course does not use (mlbasics.course.formgrader).
ROLE_CONFIG = {
    "learner": ("labconfig/page_config.json", {"disabledExtensions": {name: True for name in INSTRUCTOR_ONLY}},
                "learners will see nbgrader's instructor tools"),
    "instructor": ("jupyter_server_config.d/mlbasics.json",
                   {"ServerApp": {"jpserver_extensions": {"mlbasics.course.formgrader": True}}},
                   "formgrader will show the Release and Collect buttons of an exchange the course does not use"),
}


def _write_role_config(role):
    relative, content, without = ROLE_CONFIG[role]
    folder = config_dir(role)
    path = folder / relative
    text = json.dumps(content, indent=2) + "\n"
    try:
        if not path.is_file() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    except OSError as exc:
        print(f"Could not write {path} ({exc}); {without}.", file=sys.stderr)
        return None
    return folder


def prepare(role="learner", root=None):
    """What the lab needs before it starts; returns the environment variables to start it with.

    Writes the course's JupyterLab settings and the role's Jupyter configuration (:data:`ROLE_CONFIG`);
    for instructors, also creates the (unused) nbgrader exchange folder, without which formgrader
    greets them with a warning."""
    write_settings()
    env = {}
    if role == "instructor":
        exchange = layout.nbgrader_config(root).Exchange.get("root")
        if exchange:
            Path(exchange).mkdir(parents=True, exist_ok=True)
    folder = _write_role_config(role)
    if folder:
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            p for p in [str(folder), os.environ.get("JUPYTER_CONFIG_PATH", "")] if p)
    return env


def main(role="learner", port=None, extra=(), root=None, edition=None):
    from mlbasics.course.edition import check_edition

    edition = check_edition(edition)
    root = Path(root or layout.ROOT)
    if role != "instructor" and not (root / layout.release_dir(edition)).is_dir():
        raise SystemExit(f"no {layout.release_dir(edition)}/ yet: run `make release EDITION={edition}` first")
    argv = command(role, port, extra, root=root, edition=edition)
    os.environ.update(prepare(role, root))
    os.chdir(root)
    folder = layout.SOLUTIONS if role == "instructor" else layout.release_dir(edition)
    print(f"Opening JupyterLab on {folder}/ (Ctrl-C to stop)")
    os.execv(sys.executable, argv)
