"""nbgrader configuration for the mlbasics course.

Assignments are the folders under ``solutions/`` that hold a notebook of the same name
(``solutions/<id>/<id>.ipynb``); nothing here lists them by hand.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
ASSIGNMENTS = sorted(
    p.name for p in (ROOT / "solutions").iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").is_file()
)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = "mlbasics"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
# SQLite by default (one grader); any SQLAlchemy URL through DB_URL, for PostgreSQL
# postgresql+psycopg2://USER@HOST:PORT/DBNAME (docs/scaling.md). A URL that cannot work stops here.
from mlbasics.course.gradebook import url_from_environment  # noqa: E402

c.CourseDirectory.db_url = url_from_environment(ROOT)
# The course is graded from submitted/; nbgrader's exchange (JupyterHub) is not used.
c.Exchange.root = str(ROOT / ".exchange")
# mutants.py (an assignment's known wrong answers, for `make mutants`) and the translations
# (<edition>.po, for `make release EDITION=...`) stay out of the release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "mutants.py", "*.po"]

# The slowest solution cell takes a few seconds; a learner's slow-but-correct answer gets ten times more.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# A test cell the learner deleted comes back on autograde.
c.OverwriteCells.add_missing_cells = True
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# `make release` refuses a notebook with fewer graded exercises (and test cells) than this.
c.CourseRelease.min_exercises = 3

# Feedback shows what failed, never the hidden tests (nbgrader shows them by default); it reads
# offline (formulas as MathML, no MathJax from a CDN) and its contents name each exercise.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from mlbasics.course.feedback import NBGRADER_TEMPLATES, TEMPLATES, FeedbackExporter, StripHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, StripHiddenTests]
c.GenerateFeedback.exporter_class = FeedbackExporter
c.FeedbackExporter.template_name = "mlbasics_feedback"  # extends nbgrader's "feedback"
c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES), str(NBGRADER_TEMPLATES)]
