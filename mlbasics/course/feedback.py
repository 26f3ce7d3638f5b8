"""Feedback that tells learners what failed without showing the hidden tests.

nbgrader's feedback shows every test cell as the grader ran it, hidden tests and tracebacks
included. :class:`StripHiddenTests` runs in ``GenerateFeedback`` (see ``nbgrader_config.py``):
it removes hidden-test regions and replaces each test cell's traceback by its last line, the
learner-facing message.
"""

import re

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def strip_hidden(source):
    return HIDDEN.sub("", source)


class StripHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests and their tracebacks from the notebook a feedback page is made from."""

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("grade") or meta.get("locked")):
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = ANSI.sub("", f"{output.get('ename', '')}: {output.get('evalue', '')}")
                    output["traceback"] = [message]
        return cell, resources
