"""Feedback pages that tell learners what failed, read offline, and never show the hidden tests.

nbgrader's feedback (``GenerateFeedback``, configured in ``nbgrader_config.py``) shows every test
cell as the grader ran it, hidden tests and tracebacks included, loads MathJax from a CDN, and lists
the graded cells as "Test cell". Here:

- :class:`StripHiddenTests`, a preprocessor, removes hidden-test regions and replaces each test
  cell's traceback by what the notebook showed the learner: the message of a failed check, or
  :data:`mlbasics.grading.NOT_ANSWERED` for an exercise not answered yet;
- :class:`FeedbackExporter`, the HTML exporter, renders every formula to MathML when the page is
  made (browsers draw MathML themselves: no script, no network), and uses the course's template,
  ``templates/mlbasics_feedback``, which extends nbgrader's to name each exercise in the contents.
"""

import re
from pathlib import Path

import nbgrader
from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import default

from mlbasics import grading
from mlbasics.course.check import NOT_ANSWERED_LINE, exercise_name

try:
    from jinja2 import pass_context as contextfilter
except ImportError:  # jinja2 < 3
    from jinja2 import contextfilter

HIDDEN = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
FIGURE_ALT = "A figure the code above drew"

TEMPLATES = Path(__file__).with_name("templates")
"""Holds ``mlbasics_feedback/``, the course's feedback template."""
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
"""nbgrader's templates, ``feedback/`` among them (the one the course's extends)."""


def strip_hidden(source):
    return HIDDEN.sub("", source)


def shown_error(output, exercise=None):
    """The one line, or the message, that the notebook showed for an error output, without traceback
    frames (they may quote hidden tests): ``Name: message``. An exercise not answered yet raises a
    bare ``NotImplementedError()``, whose message is empty: it reads as the notebook says."""
    name, value = output.get("ename", ""), ANSI.sub("", str(output.get("evalue", "")))
    if name == "NotImplementedError" and not value.strip():
        shown = ANSI.sub("", "\n".join(output.get("traceback", []))).strip()
        if NOT_ANSWERED_LINE.match(shown) and "\n" not in shown:
            return shown  # the notebook's own words, naming the function that is not written
        return f"{name}: {grading.not_answered(exercise or 'this exercise')}"
    return f"{name}: {value}"


class StripHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests and their tracebacks from the notebook a feedback page is made from."""

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("grade") or meta.get("locked")):
            cell.source = strip_hidden(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [shown_error(output, exercise_name(meta.get("grade_id")))]
        return cell, resources


def tex_to_mathml(tex, display=False):
    """MathML for the TeX formula ``tex``, or None when it cannot be converted."""
    from html import escape

    from latex2mathml.converter import convert

    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # an unusual formula stays TeX, as the notebook's source has it
        return None
    # HTML needs no namespace on <math>; alttext is what a screen reader, or a copy, gets
    return mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', f' alttext="{escape(tex.strip())}"', 1)


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with ``$...$``, ``$$...$$`` and ``\\begin{..}`` formulas as MathML."""

    def inline_math(self, body):
        return tex_to_mathml(body) or super().inline_math(body)

    def block_math(self, body):
        return tex_to_mathml(body, display=True) or super().block_math(body)

    def latex_environment(self, name, body):
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True) \
            or super().latex_environment(name, body)


class FeedbackExporter(HTMLExporter):
    """nbgrader's HTML exporter for feedback pages, with formulas rendered to MathML.

    ``nbgrader_config.py`` makes it ``GenerateFeedback``'s exporter, on the course's template
    (``FeedbackExporter.template_name``, which wins over the ``HTMLExporter.template_name`` that
    nbgrader sets). nbgrader's templates folder is searched last, so that the course's template can
    extend ``feedback/index.html.j2``.
    """

    @default("template_paths")
    def _template_paths(self, prune=True, root_dirs=None):
        return [*super()._template_paths(prune=prune, root_dirs=root_dirs), str(NBGRADER_TEMPLATES)]

    def default_filters(self):
        yield from super().default_filters()
        yield ("markdown2html", self.markdown2html)
        yield ("exercise_name", exercise_name)

    def from_notebook_node(self, nb, resources=None, **kw):
        """HTMLExporter's page, without its last pass: it reads the whole page back with BeautifulSoup
        (a third of the time a page takes, its figures being most of its bytes) to give images an alt
        text and JupyterLab's cells a tabindex. The template here has no JupyterLab cells; images get
        :data:`FIGURE_ALT` from a search instead."""
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get("highlight_code",
                                                                Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata,
                                                                       parent=self, resources=resources))
        page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return IMG_WITHOUT_ALT.sub(f'<img alt="{FIGURE_ALT}"', page), resources

    @contextfilter
    def markdown2html(self, context, source):
        """HTMLExporter's Markdown filter, with :class:`MathMLRenderer`."""
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return MarkdownWithMath(renderer=renderer).render(source)
