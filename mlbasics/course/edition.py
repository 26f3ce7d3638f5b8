"""Editions: the course in another language, built from the one English source.

The English notebooks under ``solutions/`` are the only source. A translation is a gettext file
beside each of them, ``solutions/<id>/<edition>.po`` (``ko.po`` for Korean), which translators open
in Poedit or any text editor. Its entries are the learner-facing texts of the notebook:

- each markdown cell, whole;
- in code cells, each comment, and each string literal that holds words (a hint, a message, a
  figure's title or label, a docstring); adjacent literals that Python joins are one text.

One entry per distinct English text; its references (``#: cell-id``) name the cells it occurs in,
so the same text reads the same everywhere. An empty translation is missing; a translation equal
to the English keeps the English on purpose (a key the code looks up, a unit).

The edition's notebook is the English one with every text replaced (:func:`translate`): the same
cells, ids, grade ids, points and code, so that grading gives the same answer the same score in
either edition. ``make release EDITION=ko`` writes it to ``notebooks-ko/``; ``make translations
EDITION=ko`` brings the ``.po`` files up to date after the English changed (new texts empty,
changed ones marked fuzzy with the old translation as a start, removed ones kept as obsolete).
"""

import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat

from mlbasics.course import layout

EDITIONS = {"ko": "한국어 (Korean)"}
"""The editions besides English, by code."""

GLOSSARY = {"ko": "GLOSSARY.ko.md"}
"""Per edition, the glossary under ``solutions/`` that its translations follow."""

SETUP_LINE = 'import mlbasics; mlbasics.use_edition("{edition}")'
"""Appended to the first code cell of an edition's notebook: grading messages and figures in its
language (:func:`mlbasics.use_edition`)."""


class EditionError(ValueError):
    """A translation cannot be applied; the message names the assignment and the cells."""


def check_edition(edition):
    """``edition`` as a code of :data:`EDITIONS`; None or ``en`` for English."""
    if edition in (None, "", "en"):
        return None
    if edition not in EDITIONS:
        raise SystemExit(f"EDITION must be one of en, {', '.join(EDITIONS)}; got {edition!r}")
    return edition


def po_path(assignment, edition, root=None):
    return Path(root or layout.ROOT) / layout.SOLUTIONS / assignment / f"{edition}.po"


def glossary_path(edition, root=None):
    return Path(root or layout.ROOT) / layout.SOLUTIONS / GLOSSARY[edition]


# ---------------------------------------------------------------------------------------------
# What is translated


@dataclass(frozen=True)
class Unit:
    """One learner-facing text of a cell."""
    cell: str  # the cell's id
    kind: str  # "markdown", "comment" or "string"
    text: str  # the English, as the translation file's msgid


@dataclass
class _Span:
    """Where a comment or a string (or a run of adjacent strings) sits in a code cell's source."""
    start: int
    end: int
    kind: str
    text: str
    prefix: str = ""  # string prefix (f, r, rf ...), lower case
    quote: str = ""  # ', ", ''' or \"\"\"
    lines: int = 1  # source lines the run spans
    indent: int = 0  # column of the run's second literal (its continuation lines)


SKIP_COMMENT = re.compile(r"^(#{2,}|\s*YOUR CODE HERE|\s*NBVAL_|\s*noqa|\s*type:|\s*pragma)")
WORDS = re.compile(r"[A-Za-z]{2,}[^\n]*?\s+[^\n]*?[A-Za-z]{2,}")
CODE_KEYWORDS = {"loc", "color", "c", "cmap", "ls", "linestyle", "marker", "ha", "va", "family", "fontfamily",
                 "fmt", "mode", "kind", "method", "dtype", "which", "where", "shading", "norm", "style",
                 "interpolation", "origin", "aspect", "scale", "units", "angles", "scale_units", "extend"}
"""Keyword arguments whose strings are values the code understands, never prose."""
LABEL_CALLS = {"set_title", "set_xlabel", "set_ylabel", "set_zlabel", "xlabel", "ylabel", "zlabel", "title",
               "suptitle", "text", "annotate", "set_text", "print", "set_label", "legend"}
"""Calls whose strings are shown to the learner (figure text, printed lines): one word is enough."""
LABEL_KEYWORDS = {"label", "title", "xlabel", "ylabel", "zlabel", "what", "hint", "message", "labels"}
"""Keyword arguments whose strings are shown to the learner: one word is enough."""
ONE_WORD = re.compile(r"[A-Za-z]{2,}")
PLACES = {f"{a} {b}" for a in ("upper", "lower", "center") for b in ("left", "right", "center")}
STRING = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")(.*)\2$", re.S)


def _has_words(text):
    return bool(WORDS.search(re.sub(r"\{[^{}]*\}", " ", text)))


def _masked(source):
    """``source`` with IPython's ``%magic`` and ``!shell`` lines blanked (same length), for tokenize."""
    return "".join(re.sub(r"[^\n]", " ", line) if line.lstrip().startswith(("%", "!")) else line
                   for line in source.splitlines(keepends=True))


def _offsets(source):
    starts, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def code_spans(source):
    """The translatable comments and string runs of a code cell, in order."""
    starts = _offsets(source)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(_masked(source)).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []

    def pos(rowcol):
        return starts[rowcol[0] - 1] + rowcol[1]

    spans, run = [], []
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]
    before = {id(t): significant[max(0, i - 3):i] for i, t in enumerate(significant)}
    calls, stack = {}, []  # each token's innermost enclosing call: the called name, or None
    for i, t in enumerate(significant):
        calls[id(t)] = stack[-1] if stack else None
        if t.type == tokenize.OP and t.string in "([{":
            name = significant[i - 1].string if t.string == "(" and i and significant[i - 1].type == tokenize.NAME else None
            stack.append(name)
        elif t.type == tokenize.OP and t.string in ")]}" and stack:
            stack.pop()

    def shown(first):
        """Whether the string run starting at ``first`` is figure text or a printed line."""
        prev = before.get(id(first), [])
        keyword = (len(prev) >= 2 and prev[-1].string == "=" and prev[-2].type == tokenize.NAME
                   and (len(prev) < 3 or prev[-3].string in ("(", ",")))
        if keyword:
            return prev[-2].string in LABEL_KEYWORDS
        return calls.get(id(first)) in LABEL_CALLS

    def code_value(first):
        """Whether the string run starting at ``first`` is a keyword argument's code value
        (``loc="upper right"`` in a call; not ``method = "batch GD"``, an assignment)."""
        prev = before.get(id(first), [])
        return (len(prev) == 3 and prev[0].string in ("(", ",") and prev[2].string == "="
                and prev[1].type == tokenize.NAME and prev[1].string in CODE_KEYWORDS)

    def close_run():
        if not run:
            return
        if code_value(run[0]):
            run.clear()
            return
        parsed = [STRING.match(t.string) for t in run]
        prefixes = {m.group(1).lower() for m in parsed}
        if any("b" in p for p in prefixes) or len({"r" in p for p in prefixes}) > 1:
            run.clear()
            return
        bodies = [m.group(3) for m in parsed]
        is_f = any("f" in p for p in prefixes)
        if is_f:  # one f-string of the whole run: literal braces of the plain parts doubled
            bodies = [b if "f" in m.group(1).lower() else b.replace("{", "{{").replace("}", "}}")
                      for b, m in zip(bodies, parsed)]
        text = "".join(bodies)
        worded = _has_words(text) or (shown(run[0]) and ONE_WORD.search(re.sub(r"\{[^{}]*\}", " ", text)))
        if worded and text not in PLACES:
            prefix = ("r" if "r" in next(iter(prefixes)) else "") + ("f" if is_f else "")
            spans.append(_Span(pos(run[0].start), pos(run[-1].end), "string", text, prefix=prefix,
                               quote=parsed[0].group(2), lines=run[-1].end[0] - run[0].start[0] + 1,
                               indent=run[1].start[1] if len(run) > 1 else run[0].start[1]))
        run.clear()

    for tok in tokens:
        if tok.type == tokenize.STRING:
            run.append(tok)
            continue
        if tok.type in (tokenize.NL,) and run:
            continue
        close_run()
        if tok.type == tokenize.COMMENT:
            body = tok.string[1:]
            if SKIP_COMMENT.match(tok.string) or SKIP_COMMENT.match(body) or not _has_words(body):
                continue
            lead = len(body) - len(body.lstrip(" "))
            spans.append(_Span(pos(tok.start) + 1 + lead, pos(tok.end), "comment", body.strip()))
    close_run()
    return spans


def units(nb):
    """Every :class:`Unit` of a notebook, in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if cell.source.strip():
                found.append(Unit(cell.id, "markdown", cell.source))
        elif cell.cell_type == "code":
            found += [Unit(cell.id, s.kind, s.text) for s in code_spans(cell.source)]
    return found


# ---------------------------------------------------------------------------------------------
# Applying a translation


def _literal(span, text):
    """Python source for the translated string run ``text`` (written in the same escapes)."""
    q = span.quote
    if len(q) == 1:
        text = re.sub(r"(?<!\\)" + re.escape(q), "\\" + q, text)
        text = text.replace("\n", "\\n")
    if len(q) == 3 or span.lines == 1:
        return f"{span.prefix}{q}{text}{q}"
    # A run over several lines stays one: wrapped at spaces outside {placeholders}, about as wide.
    width = max(40, 100 - span.indent)
    chunks, current, depth = [], "", 0
    for ch in text:
        current += ch
        depth += (ch == "{") - (ch == "}")
        if ch == " " and depth == 0 and len(current) >= width:
            chunks.append(current)
            current = ""
    if current or not chunks:
        chunks.append(current)
    return ("\n" + " " * span.indent).join(f"{span.prefix}{q}{c}{q}" for c in chunks)


def translate_code(source, lookup):
    """``source`` with every translatable comment and string replaced by ``lookup(kind, text)``."""
    out = source
    for span in reversed(code_spans(source)):
        new = lookup(span.kind, span.text)
        if span.kind == "string":
            new = _literal(span, new)
        else:
            new = new.replace("\n", " ")
        out = out[:span.start] + new + out[span.end:]
    return out


def load(assignment, edition, root=None):
    """The translation file of ``assignment`` (a polib POFile)."""
    import polib

    path = po_path(assignment, edition, root)
    if not path.is_file():
        raise EditionError(f"{assignment}: no translation file {path.relative_to(Path(root or layout.ROOT))} "
                           f"(make translations EDITION={edition} creates it)")
    return polib.pofile(str(path), wrapwidth=100)


def places(entry):
    """``[(cell id, kind), ...]`` where an entry's text occurs (its ``#: cell-id:kind`` references)."""
    found = []
    for where, line in entry.occurrences:
        if not line and ":" in where:
            where, line = where.rsplit(":", 1)
        found.append((where, line))
    return found


def tables(assignment, edition, root=None):
    """The translations a learner of ``edition`` reads in ``assignment``: the notebook's and the
    package's messages, each msgid -> msgstr."""
    from mlbasics import i18n

    return [catalog(load(assignment, edition, root)), i18n.catalog(edition)]


def catalog(po):
    """msgid -> msgstr of the entries that are translated and not fuzzy or obsolete."""
    return {e.msgid: e.msgstr for e in po if e.msgstr and not e.fuzzy and not e.obsolete}


def translate(nb, table, edition, assignment="", cells=None, strict=True):
    """An edition's notebook from the English ``nb``: each unit replaced from ``table`` (msgid ->
    msgstr), the setup line appended to the first code cell, the edition in the metadata.
    ``cells`` (a predicate) translates only the cells it accepts (grading: the cells nbgrader
    restored from the English source); with ``strict`` False a text without a translation stays
    English (grading: the note nbgrader adds to a cell it put back).

    Raises :class:`EditionError` naming the cells whose texts have no translation.
    """
    nb = nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4))  # a deep copy
    missing = []

    def lookup(cell):
        def get(kind, text):
            if text not in table:
                missing.append(f"{cell.get('id', '?')} ({kind}: {_short(text)})")
                return text
            return table[text]
        return get

    first_code = next((c for c in nb.cells if c.cell_type == "code"), None)
    for cell in nb.cells:
        if cells is not None and not cells(cell):
            continue
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = lookup(cell)("markdown", cell.source)
        elif cell.cell_type == "code":
            cell.source = translate_code(cell.source, lookup(cell))
            if cell is first_code:
                cell.source = cell.source.rstrip("\n") + "\n" + SETUP_LINE.format(edition=edition)
    if missing and strict:
        raise EditionError(f"{assignment}: {len(missing)} text(s) have no {edition} translation (make translations EDITION={edition} ASSIGNMENT={assignment} lists them): "
                           + "; ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""))
    nb.metadata.setdefault("mlbasics", {})["edition"] = edition
    return nb


ESCAPES = {"n": "\n", "t": "\t", "'": "'", '"': '"', "\\": "\\"}


def shown_text(text):
    """What a string text looks like when printed: its escapes (``\\n``, ``\\'`` ...) as the
    characters they stand for (a string's entry holds it as written in the code)."""
    return re.sub(r"\\([nt'\"\\])", lambda m: ESCAPES[m.group(1)], text)


def _short(text, n=60):
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def source_notebook(assignment, edition, root=None, nb=None):
    """The edition's source notebook of ``assignment`` (solutions, tests and all)."""
    nb = nb if nb is not None else layout.read_notebook(layout.solution_path(assignment, root))
    return translate(nb, catalog(load(assignment, edition, root)), edition, assignment)


def edition_of(nb):
    """The edition a notebook belongs to, from its metadata (None: English, or an edition this
    course does not have)."""
    code = nb.metadata.get("mlbasics", {}).get("edition") or None
    return code if code in EDITIONS else None


def restore_for_grading(nb, assignment, edition, root=None):
    """A sanitized submission of ``edition``, with the cells nbgrader restored from the (English)
    gradebook put back in the edition's words: the locked cells, the tests among them, so that the
    learner's feedback reads as their notebook did. Their code is the same in every edition, so the
    score is too. Answer cells keep the checksum of the edition's stub (nbgrader's "No response")."""
    from nbgrader.utils import compute_checksum

    root = Path(root or layout.ROOT)
    table = catalog(load(assignment, edition, root))

    def restored(cell):
        meta = layout.grading_meta(cell)
        return bool(meta.get("locked")) and not meta.get("solution")

    nb = translate(nb, table, edition, assignment, cells=restored, strict=False)
    released = layout.release_path(assignment, root, edition)
    if released.is_file():
        stubs = {layout.grade_id(c): c for c in layout.read_notebook(released).cells if layout.is_solution(c)}
        for cell in nb.cells:
            stub = stubs.get(layout.grade_id(cell))
            if layout.is_solution(cell) and stub is not None:
                cell.metadata["nbgrader"]["checksum"] = compute_checksum(stub)
    return nb


# ---------------------------------------------------------------------------------------------
# Keeping the translation files up to date


def update(assignment, edition, root=None):
    """Bring ``solutions/<id>/<edition>.po`` up to date with the English notebook; returns
    ``(new, changed, removed)`` counts. Nothing translated is ever dropped: a text whose English
    changed keeps its old translation, marked fuzzy (with the old English); a text no longer in
    the notebook stays as an obsolete entry."""
    import polib

    root = Path(root or layout.ROOT)
    path = po_path(assignment, edition, root)
    old = polib.pofile(str(path), wrapwidth=100) if path.is_file() else None
    nb = layout.read_notebook(layout.solution_path(assignment, root))
    po = polib.POFile(wrapwidth=100)
    po.metadata = (old.metadata if old is not None else {}) or {
        "Project-Id-Version": f"mlbasics {assignment}",
        "Language": edition,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    previous = {e.msgid: e for e in (old or []) if not e.obsolete}
    by_place = {}
    for e in old or []:
        for cell, kind in places(e):
            by_place.setdefault((cell, kind), []).append(e)
    entries, used = {}, set()
    new = changed = 0
    current = units(nb)
    texts = {u.text for u in current}
    for unit in current:
        if unit.text in entries:
            entries[unit.text].occurrences.append((unit.cell, unit.kind))
            continue
        entry = polib.POEntry(msgid=unit.text, msgstr="", occurrences=[(unit.cell, unit.kind)])
        if unit.text in previous:
            was = previous[unit.text]
            entry.msgstr, entry.flags = was.msgstr, list(was.flags)
            entry.comment = was.comment
            used.add(id(was))
        else:
            # the text that was at this place before, if it is gone: a change of the English
            candidates = [e for e in by_place.get((unit.cell, unit.kind), [])
                          if e.msgstr and id(e) not in used and e.msgid not in texts]
            if candidates:
                was = candidates[0]
                entry.msgstr, entry.previous_msgid = was.msgstr, was.msgid
                entry.flags = ["fuzzy"]
                used.add(id(was))
                changed += 1
            else:
                new += 1
        entries[unit.text] = entry
        po.append(entry)
    removed = 0
    for e in old or []:
        if id(e) in used or e.msgid in entries or not e.msgstr:
            continue
        e.obsolete = True
        po.append(e)
        removed += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return new, changed, removed


def problems(assignment, edition, root=None):
    """What keeps ``assignment``'s translation from being complete and current, one line per text,
    each naming its cell: missing, stale (the English changed after it was translated), or broken
    (placeholders or formulas that differ from the English)."""
    root = Path(root or layout.ROOT)
    nb = layout.read_notebook(layout.solution_path(assignment, root))
    try:
        po = load(assignment, edition, root)
    except EditionError as err:
        return [str(err)]
    active = {e.msgid: e for e in po if not e.obsolete}
    current = units(nb)
    texts = {u.text for u in current}
    where = {}  # the entries of texts no longer in the notebook, by the place they were at
    for e in po:
        if e.msgid in texts and not e.obsolete:
            continue
        for cell, kind in places(e):
            where.setdefault((cell, kind), []).append(e)
    found, seen = [], set()
    for unit in current:
        if unit.text in seen:
            continue
        seen.add(unit.text)
        label = f"{assignment} cell {unit.cell} ({unit.kind})"
        entry = active.get(unit.text)
        if entry is None:
            if where.get((unit.cell, unit.kind)):
                found.append(f"{label}: stale, the English changed after it was translated "
                             f"(now {_short(unit.text)!r}; make translations EDITION={edition} marks it fuzzy)")
            else:
                found.append(f"{label}: missing, no entry for {_short(unit.text)!r} "
                             f"(make translations EDITION={edition} adds it)")
        elif entry.fuzzy:
            found.append(f"{label}: stale, marked fuzzy: the English changed from {_short(entry.previous_msgid or '')!r} "
                         f"to {_short(unit.text)!r}; review the translation, then remove the fuzzy flag")
        elif not entry.msgstr:
            found.append(f"{label}: missing, {_short(unit.text)!r} is not translated")
        else:
            found += [f"{label}: {p}" for p in broken(unit, entry.msgstr)]
    return found


def _placeholders(text):
    """The ``{...}`` fields of a string (not the braces of a formula: ``$W^{(0)}$``)."""
    text = re.sub(r"\$[^$]*\$", " ", text)
    return sorted(re.findall(r"(?<!\{)\{(?!\{)[^{}]*\}", text))


def broken(unit, translated):
    """Why ``translated`` cannot stand for ``unit``'s English: placeholders, formulas or code differ."""
    found = []
    if unit.kind == "string" and _placeholders(unit.text) != _placeholders(translated):
        found.append(f"the placeholders {_placeholders(unit.text)} became {_placeholders(translated)}")
    if unit.kind == "markdown":
        english, korean = _math(unit.text), _math(translated)
        if english != korean:
            lost = [m for m in english if m not in korean][:2]
            found.append(f"the formulas differ from the English ({len(english)} in English, {len(korean)} "
                         f"translated{'; e.g. ' + repr(lost[0][:60]) + ' is missing' if lost else ''})")
        if unit.text.lstrip().startswith("#") != translated.lstrip().startswith("#"):
            found.append("the English starts with a heading and the translation does not (or the other way)")
    return found


def _math(text):
    """The formulas of a markdown text, as a sorted list (display first, then inline)."""
    display = re.findall(r"\$\$.*?\$\$", text, re.S)
    rest = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    inline = re.findall(r"(?<!\\)\$[^$\n]+?(?<!\\)\$", rest)
    return sorted(" ".join(m.split()) for m in display + inline)


# ---------------------------------------------------------------------------------------------
# The glossary


def glossary(edition, root=None):
    """``[(english, translated), ...]`` from the edition's glossary table, longest English first."""
    path = glossary_path(edition, root)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and line.lstrip().startswith("|") and cells[0] not in ("English", "") \
                and not set(cells[0]) <= set("-: "):
            rows.append((cells[0], cells[1]))
    return sorted(rows, key=lambda r: -len(r[0]))


def _term(english):
    words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", english))
    # a whole word, not an identifier: sigmoid(-50) and np.exp are code
    return re.compile(rf"(?<![A-Za-z_.]){words}(?:s|es)?(?![A-Za-z_(])", re.I)


def _prose(text):
    """A text without its code and formulas (``code``, $math$): where glossary terms are prose."""
    # numpydoc's section headers (Parameters, Returns ...) stay English in a docstring
    text = re.sub(r"^[ \t]*[A-Z][a-z]+( [A-Z][a-z]+)?[ \t]*\n[ \t]*-{3,}[ \t]*$", " ", text, flags=re.M)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    return re.sub(r"\{[^{}]*\}", " ", text)


def glossary_problems(assignment, edition, root=None):
    """Translations that do not use the glossary's term for an English term of their text."""
    terms = [(en, ko, _term(en)) for en, ko in glossary(edition, root)]
    try:
        po = load(assignment, edition, root)
    except EditionError:
        return []
    found = []
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgstr or entry.msgstr == entry.msgid:
            continue
        text = _prose(entry.msgid)
        for en, ko, pattern in terms:
            if pattern.search(text):
                text = pattern.sub(" ", text)
                if ko not in " ".join(entry.msgstr.split()):
                    cell = places(entry)[0][0] if entry.occurrences else "?"
                    found.append(f"{assignment} cell {cell}: {en!r} is {ko!r} in the glossary, not found in "
                                 f"the translation of {_short(entry.msgid)!r}")
    return found


# ---------------------------------------------------------------------------------------------
# The command


def main(edition, assignment=None, root=None, update_files=True, run=False, out=print):
    """``make translations EDITION=..``: update each assignment's translation file, then list what
    is missing, stale, broken or off the glossary (with ``run``, then run each complete translation's
    solution notebook). Returns 1 when anything is, else 0."""
    edition = check_edition(edition)
    if edition is None:
        raise SystemExit(f"EDITION must name a translation ({', '.join(EDITIONS)}): English is the source")
    root = Path(root or layout.ROOT)
    names = layout.selected(assignment, root)
    total = []
    for name in names:
        if update_files:
            new, changed, removed = update(name, edition, root)
            if new or changed or removed:
                out(f"{po_path(name, edition, root).relative_to(root)}: {new} new, {changed} changed "
                    f"(fuzzy), {removed} no longer used (obsolete)")
        found = problems(name, edition, root) + glossary_problems(name, edition, root)
        if run and not found:
            found += run_problems(name, edition, root)[0]
        po = load(name, edition, root)
        done = sum(1 for e in po if e.msgstr and not e.fuzzy and not e.obsolete)
        active = sum(1 for e in po if not e.obsolete)
        out(f"{name:<26} {done:>4} of {active:>4} texts translated" + (f", {len(found)} problem(s)" if found else ""))
        for line in found[:40]:
            out(f"    - {line}")
        if len(found) > 40:
            out(f"    ... and {len(found) - 40} more")
        total += found
    return 1 if total else 0


def run_problems(assignment, edition, root=None, nb=None):
    """Run the edition's solution notebook top to bottom: every cell must run without an error, as
    the English one does (a translation can break code: a key the code looks up, a placeholder)."""
    import shutil
    import tempfile

    from mlbasics.course.execute import error_of, execute

    root = Path(root or layout.ROOT)
    nb = nb if nb is not None else source_notebook(assignment, edition, root)
    folder = layout.solution_path(assignment, root).parent
    with tempfile.TemporaryDirectory(prefix=f"mlbasics-{edition}-") as work:
        for item in folder.iterdir():
            if item.is_file() and item.suffix not in (".ipynb", ".po") and item.name != "mutants.py":
                shutil.copy(item, Path(work) / item.name)
        execute(nb, work)
    found = []
    for index, cell in enumerate(nb.cells):
        err = error_of(cell) if cell.cell_type == "code" else None
        if err:
            label = layout.grade_id(cell) or cell.id
            found.append(f"{assignment} cell {label}: the {edition} solution fails with {err[0]}: {err[1][:200]}")
    return found, nb


def write_source(assignment, edition, root, dest):
    """Write the edition's source folder of ``assignment`` under ``dest`` (``dest/<id>/<id>.ipynb``
    and the assignment's data files), for nbgrader to generate its release from. Outputs are left
    out: the English ones would not match the translated code."""
    import shutil

    root = Path(root or layout.ROOT)
    nb = source_notebook(assignment, edition, root)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    folder = Path(dest) / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for item in layout.solution_path(assignment, root).parent.iterdir():
        if item.is_file() and item.suffix not in (".ipynb", ".po") and item.name != "mutants.py":
            shutil.copy(item, folder / item.name)
    nbformat.write(nb, str(folder / f"{assignment}.ipynb"))
    return folder / f"{assignment}.ipynb"
