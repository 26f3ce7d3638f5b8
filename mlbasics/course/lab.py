"""``make lab``: JupyterLab on the release (learners) or on the solutions (instructors)."""

import os
import sys

from mlbasics.course import layout


def main(as_="learner", port=None, extra=()):
    folder = layout.SOLUTIONS if as_ == "instructor" else layout.RELEASE
    if as_ not in ("learner", "instructor"):
        raise SystemExit(f"AS must be 'learner' or 'instructor', got {as_!r}")
    argv = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={layout.ROOT / folder}",
            "--LabApp.news_url=", "--ServerApp.open_browser=True"]
    if port:
        argv.append(f"--ServerApp.port={port}")
    argv += list(extra)
    print(f"Opening JupyterLab on {folder}/ (Ctrl-C to stop)")
    os.execv(sys.executable, argv)
