"""The Korean edition: one English source, translation files per assignment, the same grading.

Without kernels: what is translated and how it is put back, stale and missing translations named by
cell, the glossary, the package's own messages, and the committed Korean release against a fresh
build. The grading of Korean submissions (same score in either edition, in one gradebook) and the
mutants on the Korean edition are in test_edition_grading.py.
"""

import ast
import json
import re

import nbformat
import polib
import pytest

from helpers import ASSIGNMENTS, REPO, copy_course
from mlbasics import i18n
from mlbasics.course import edition, layout, release

EDITION = "ko"


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for i, (kind, source) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(source, id=f"c{i}"))
    return nb


# ---------------------------------------------------------------------------------------------
# What is translated


def test_markdown_comments_and_worded_strings_are_the_texts():
    nb = notebook(
        ("markdown", "## A heading\n\nSome prose with $x^2$."),
        ("code", '%matplotlib inline\n# Setup: run this first.\nax.set_title("the loss after 30 steps")\n'
                 'ax.legend(loc="upper right")\nplt.plot(x, y, "o-", color="tab:red", label="mini-batch SGD")\n'
                 'd = {"lr": 1}  # lr alone is a key\n'),
        ("code", "def f():\n    ### BEGIN SOLUTION\n    return 1  # YOUR CODE HERE\n    ### END SOLUTION\n"),
    )
    got = [(u.cell, u.kind, u.text) for u in edition.units(nb)]
    assert got == [
        ("c0", "markdown", "## A heading\n\nSome prose with $x^2$."),
        ("c1", "comment", "Setup: run this first."),
        ("c1", "string", "the loss after 30 steps"),
        ("c1", "string", "mini-batch SGD"),
        ("c1", "comment", "lr alone is a key"),
    ]


def test_adjacent_strings_are_one_text_and_plain_braces_stay_literal():
    source = ('raise CheckFailed(f"got {x} where the answer is "\n'
              '                  "{not a placeholder}: look again.")\n')
    (unit,) = edition.units(notebook(("code", source)))
    assert unit.text == "got {x} where the answer is {{not a placeholder}}: look again."
    translated = edition.translate_code(source, lambda kind, text: "결과 {x}, 답과 다릅니다 {{중괄호}}: 다시 보세요.")
    namespace = {"x": 3}
    exec(compile(translated.replace("raise CheckFailed", "message = "), "<cell>", "exec"), namespace)
    assert namespace["message"] == "결과 3, 답과 다릅니다 {중괄호}: 다시 보세요."


def test_quotes_and_escapes_in_a_translation_are_kept_valid_python():
    source = 'hint = "the caller\'s array \\"w\\" changed"\ndoc = """Two\n    lines."""\n'
    table = {"the caller's array \\\"w\\\" changed": '호출한 쪽의 배열 "w"가 바뀌었습니다',
             "Two\n    lines.": "두\n    줄."}
    namespace = {}
    exec(edition.translate_code(source, lambda kind, text: table[text]), namespace)
    assert namespace["hint"] == '호출한 쪽의 배열 "w"가 바뀌었습니다'
    assert namespace["doc"] == "두\n    줄."


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_putting_the_english_back_changes_no_code(assignment):
    """Every code cell of every notebook, with each text replaced by itself, or by a marked copy of
    itself, is the same program: the same syntax tree but for the strings."""
    nb = layout.read_notebook(layout.solution_path(assignment, REPO))

    def tree(source):
        masked = edition._masked(source)
        return ast.parse(masked)

    def shape(source):
        node = tree(source)
        for n in ast.walk(node):
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                n.value = ""
            if isinstance(n, ast.JoinedStr):
                n.values = [v for v in n.values if not isinstance(v, ast.Constant)]
        return ast.dump(node)

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        same = edition.translate_code(cell.source, lambda kind, text: text)
        assert ast.dump(tree(same)) == ast.dump(tree(cell.source)), f"{assignment} {cell.id}"
        marked = edition.translate_code(cell.source, lambda kind, text: "번역 " + text)
        assert shape(marked) == shape(cell.source), f"{assignment} {cell.id}"


# ---------------------------------------------------------------------------------------------
# Stale, missing and broken translations are named by cell


@pytest.fixture
def course_ko(tmp_path):
    """A course copy whose 04-momentum is translated (each text by a marked copy of itself)."""
    root = copy_course(tmp_path / "course", with_release=False)
    po = polib.pofile(str(edition.po_path("04-momentum", EDITION, root)))
    for entry in po:
        entry.msgstr, entry.flags = entry.msgid, []
        if not entry.obsolete and edition.places(entry)[0][1] == "markdown":
            entry.msgstr = entry.msgid + "\n\n(번역)"
    po.save()
    return root


def _edit_cell(root, assignment, cell_id, change):
    path = layout.solution_path(assignment, root)
    nb = layout.read_notebook(path)
    cell = next(c for c in nb.cells if c.id == cell_id)
    cell.source = change(cell.source)
    nbformat.write(nb, str(path))


def test_a_complete_translation_has_no_problems(course_ko):
    assert edition.problems("04-momentum", EDITION, course_ko) == []


def test_an_english_cell_changed_after_its_translation_is_named_stale(course_ko):
    _edit_cell(course_ko, "04-momentum", "cell-003", lambda s: s.replace("a ravine", "a narrow ravine", 1))
    found = edition.problems("04-momentum", EDITION, course_ko)
    assert len(found) == 1 and "cell cell-003 (markdown): stale" in found[0], found
    # make translations keeps the old translation, marked fuzzy: still stale until reviewed
    assert edition.update("04-momentum", EDITION, course_ko) == (0, 1, 0)
    found = edition.problems("04-momentum", EDITION, course_ko)
    assert len(found) == 1 and "cell-003 (markdown): stale, marked fuzzy" in found[0], found
    entry = next(e for e in polib.pofile(str(edition.po_path("04-momentum", EDITION, course_ko))) if e.fuzzy)
    assert "a narrow ravine" in entry.msgid and "a ravine" in entry.previous_msgid and "(번역)" in entry.msgstr


def test_a_missing_translation_is_named(course_ko):
    path = edition.po_path("04-momentum", EDITION, course_ko)
    po = polib.pofile(str(path))
    gone = next(e for e in po if ("cell-009", "string") in edition.places(e))
    po.remove(gone)
    po.save()
    found = edition.problems("04-momentum", EDITION, course_ko)
    assert len(found) == 1 and found[0].startswith("04-momentum cell cell-009 (string): missing"), found
    with pytest.raises(edition.EditionError, match="cell-009"):
        edition.source_notebook("04-momentum", EDITION, course_ko)
    _edit_cell(course_ko, "04-momentum", "cell-010", lambda s: s + "\n\nA new paragraph.")
    assert any("cell-010 (markdown)" in p for p in edition.problems("04-momentum", EDITION, course_ko))


def test_a_translation_that_loses_a_formula_or_a_placeholder_is_named(course_ko):
    path = edition.po_path("04-momentum", EDITION, course_ko)
    po = polib.pofile(str(path))
    md = next(e for e in po if ("cell-003", "markdown") in edition.places(e))
    md.msgstr = md.msgstr.replace("$(0, 0)$", "(0, 0)")
    fs = next(e for e in po if "{grading.describe(result)}" in e.msgid)
    fs.msgstr = fs.msgstr.replace("{grading.describe(result)}", "{result}")
    po.save()
    found = edition.problems("04-momentum", EDITION, course_ko)
    assert any("cell-003 (markdown): the formulas differ" in p and "(0, 0)" in p for p in found), found
    assert any("placeholders ['{grading.describe(result)}'] became ['{result}']" in p for p in found), found


def test_make_translations_creates_the_file_of_a_new_notebook_and_lists_it(course_ko, capsys):
    edition.po_path("04-momentum", EDITION, course_ko).unlink()
    assert edition.main(EDITION, "04-momentum", course_ko) == 1
    printed = capsys.readouterr().out
    assert "solutions/04-momentum/ko.po:" in printed and "0 of" in printed and "missing" in printed
    assert edition.po_path("04-momentum", EDITION, course_ko).is_file()


def test_a_bad_edition_is_named():
    with pytest.raises(SystemExit, match="EDITION must be one of en, ko; got 'kr'"):
        edition.check_edition("kr")


# ---------------------------------------------------------------------------------------------
# The course's own translation


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_notebook_is_translated_and_current(assignment):
    found = edition.problems(assignment, EDITION, REPO)
    assert not found, f"{len(found)} problem(s), e.g.:\n  " + "\n  ".join(found[:15])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_translations_follow_the_glossary(assignment):
    found = edition.glossary_problems(assignment, EDITION, REPO)
    assert not found, f"{len(found)} problem(s), e.g.:\n  " + "\n  ".join(found[:15])


def test_the_glossary_is_checked():
    rows = dict(edition.glossary(EDITION, REPO))
    assert rows["gradient descent"] == "경사 하강법" and rows["learning rate"] == "학습률" and len(rows) > 40
    entry = polib.POEntry(msgid="Gradient descent with a small learning rate.", msgstr="학습률이 작은 기울기 하강.",
                          occurrences=[("c1", "markdown")])
    terms = [(en, ko, edition._term(en)) for en, ko in edition.glossary(EDITION, REPO)]
    text, missing = edition._prose(entry.msgid), []
    for en, ko, pattern in terms:
        if pattern.search(text):
            text = pattern.sub(" ", text)
            missing += [en] if ko not in entry.msgstr else []
    assert missing == ["gradient descent"]  # "learning rate" is there; "gradient" is not asked twice


def _package_messages():
    """Every message the package translates at run time: the literal arguments of ``_()`` and the
    module constants passed to it."""
    from mlbasics import grading

    found = {}
    for path in sorted((REPO / "mlbasics").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = path.name
                elif isinstance(arg, ast.Name) and hasattr(grading, arg.id):
                    found[getattr(grading, arg.id)] = path.name
    return found


def test_every_message_of_the_package_is_translated():
    messages = _package_messages()
    assert len(messages) > 30 and "expected:" in messages and "Hint: {hint}" in messages
    table = i18n.catalog(EDITION)
    missing = [m for m in messages if m not in table]
    assert not missing, f"add to mlbasics/locale/{EDITION}.po: {missing}"
    for english, translated in table.items():
        assert edition._placeholders(english) == edition._placeholders(translated), english


def test_checks_speak_the_edition_in_use():
    from mlbasics import grading

    try:
        i18n.use_edition(EDITION)
        with pytest.raises(grading.CheckFailed) as failed:
            grading.assert_close([-6.0, -8.0], [6.0, 8.0], what="기울기")
        assert "기댓값:" in str(failed.value) and "부호" in str(failed.value)
        assert grading.not_answered("momentum_step").startswith("momentum_step은(는) 아직 답하지 않았습니다")
    finally:
        i18n.use_edition(None)
    with pytest.raises(grading.CheckFailed) as failed:
        grading.assert_close([-6.0, -8.0], [6.0, 8.0], what="gradient")
    assert "expected:" in str(failed.value) and "the sign is flipped" in str(failed.value)


def test_figures_draw_korean_text_with_a_korean_font_or_say_which_to_install(monkeypatch, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        font = i18n.use_edition(EDITION)
        if i18n.font_for(EDITION) is None:
            pytest.skip("no Korean font installed (.ci/run installs fonts-noto-cjk)")
        assert font in matplotlib.rcParams["font.family"]
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a missing glyph warns: it must not
            fig, ax = plt.subplots()
            ax.set_title("경사 하강법, 학습률 = 0.1")
            fig.savefig(tmp_path / "ko.png")
            plt.close(fig)
        monkeypatch.setattr(i18n, "font_for", lambda edition: None)
        with pytest.warns(UserWarning, match="install a Korean font .*fonts-noto-cjk"):
            i18n.use_edition(EDITION)
    finally:
        i18n.use_edition(None)
    assert matplotlib.rcParams["font.family"] == matplotlib.rcParamsDefault["font.family"]


# ---------------------------------------------------------------------------------------------
# The Korean release is what a fresh build gives


def test_the_korean_release_is_a_fresh_build(tmp_path):
    source, dest = tmp_path / "source", tmp_path / "release"
    differences = []
    for assignment in ASSIGNMENTS:
        committed = layout.release_path(assignment, REPO, EDITION)
        if not committed.is_file():
            differences.append(f"{committed.relative_to(REPO)} is missing: run make release EDITION={EDITION}")
            continue
        edition.write_source(assignment, EDITION, REPO, source)
        fresh = release.generate(assignment, REPO, dest=dest, source=source) / f"{assignment}.ipynb"
        new, old = layout.read_notebook(fresh), layout.read_notebook(committed)
        if [c.id for c in new.cells] != [c.id for c in old.cells]:
            differences.append(f"{assignment}: its cells are not those of a fresh build")
            continue
        for a, b in zip(new.cells, old.cells):
            if a.source != b.source or a.cell_type != b.cell_type:
                differences.append(f"{assignment} cell {b.id} differs from a fresh build")
        if new.metadata.get("mlbasics") != old.metadata.get("mlbasics"):
            differences.append(f"{assignment}: its edition or release stamp differs from a fresh build")
    assert not differences, "run make release EDITION=ko:\n  " + "\n  ".join(differences[:20])


def test_the_korean_release_speaks_korean_and_keeps_the_grading():
    for assignment in ASSIGNMENTS:
        english = layout.read_notebook(layout.release_path(assignment, REPO))
        korean = layout.read_notebook(layout.release_path(assignment, REPO, EDITION))
        assert korean.metadata["mlbasics"]["edition"] == EDITION
        assert [c.id for c in korean.cells] == [c.id for c in english.cells]
        for a, b in zip(english.cells, korean.cells):
            meta_a, meta_b = a.metadata.get("nbgrader", {}), b.metadata.get("nbgrader", {})
            assert {k: meta_a.get(k) for k in ("grade_id", "points", "grade", "solution", "locked")} == \
                   {k: meta_b.get(k) for k in ("grade_id", "points", "grade", "solution", "locked")}
        prose = "".join(c.source for c in korean.cells if c.cell_type == "markdown")
        hangul = len(re.findall(r"[\uac00-\ud7a3]", prose))
        assert hangul > 0.3 * len(re.findall(r"[A-Za-z]", prose)), f"{assignment}: little Korean in its prose"
        assert 'mlbasics.use_edition("ko")' in next(c for c in korean.cells if c.cell_type == "code").source


def test_the_english_release_is_untouched_by_the_editions():
    for assignment in ASSIGNMENTS:
        nb = json.loads(layout.release_path(assignment, REPO).read_text())
        assert "edition" not in nb["metadata"].get("mlbasics", {})
        assert not any("use_edition" in "".join(c["source"]) for c in nb["cells"])
    assert not list((REPO / layout.RELEASE).rglob("*.po")), "a translation file was released"
