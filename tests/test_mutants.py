"""Wrong answers lose points: every exercise's graders are mutation-tested.

For each notebook, solutions/<id>/mutants.py lists plausible wrong answers (at least two per exercise)
with the hint their failure must show; generic mutants (the released stub, a constant answer, an
answer hard-coded to the visible tests, an answer that imports the reference) are built for every
exercise. Each must lose its exercise's points; the stub and the written ones must leave every
other exercise its full marks (mutation.COLLATERAL_KINDS).
"""

import pytest

from helpers import ASSIGNMENTS, REPO
from mlbasics.course import layout, mutation


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request):
    name = request.param
    suite, baseline, verdicts = mutation.run_notebook(
        layout.solution_path(name, REPO), layout.release_path(name, REPO), mutation.mutants_file(name, REPO))
    return name, suite, baseline, verdicts


def test_every_notebook_has_a_mutants_file():
    missing = [a for a in ASSIGNMENTS if not mutation.mutants_file(a, REPO).is_file()]
    assert not missing, f"add solutions/<id>/mutants.py for: {missing}"


def test_wrong_answers_lose_points(graded):
    name, suite, baseline, verdicts = graded
    print(mutation.table(name, suite, verdicts))
    problems = mutation.problems(suite, baseline, verdicts)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_every_generic_mutant_is_present(graded):
    _, suite, _, verdicts = graded
    tests = {gid: src for kind, gid, src in suite.cells if kind == "test"}
    for ex in suite.exercises:
        kinds = {v.mutant.kind for v in verdicts if v.mutant.exercise == ex.grade_id}
        assert {"stub", "constant", "hardcoded"} <= kinds, (ex.grade_id, kinds)
        hidden = "".join(tests[gid].split(mutation.HIDDEN_MARK, 1)[-1] for gid in ex.tests)
        assert "grading.own_work(" in hidden or "grading.forbid_reference(" in hidden, \
            f"{ex.grade_id}: hidden tests must run the answer under grading.own_work (or forbid_reference)"
        if mutation.REFERENCE_IMPORT.search(hidden):
            assert "reference" in kinds, (ex.grade_id, kinds)


def test_a_mutant_that_survives_is_reported(capfd):
    """The machinery itself: a 'mutant' identical to the solution must be reported as not caught."""
    name = ASSIGNMENTS[0]
    suite = mutation.build_suite(layout.read_notebook(layout.solution_path(name, REPO)))
    ex = suite.exercises[0]
    mutant = mutation.Mutant(ex.grade_id, "the solution itself", source=ex.solution, hint="never shown")
    kernel = mutation.Kernel(layout.solution_path(name, REPO).parent)
    try:
        verdict = mutation.judge(suite, mutant, mutation.grade(kernel, suite, mutant))
    finally:
        kernel.close()
    problems = mutation.problems(suite, {}, [verdict], min_written=0)
    assert any("not caught" in p for p in problems)
    printed = capfd.readouterr()
    assert "TCP without encryption" not in printed.out + printed.err, "the mutants' kernel warns on the terminal"


@pytest.mark.parametrize("text, says", [
    ("", "defines no MUTANTS dict: it must contain MUTANTS = {grade_id: [dict(name=..., source=..., hint=...)"),
    ("MUTANTS = {'nope': []}", "MUTANTS names 'nope', which is not an exercise of this notebook"),
    ("MUTANTS = {'numerical_gradient': dict(name='x')}", "MUTANTS['numerical_gradient'] must be a list of dicts"),
    ("MUTANTS = {'numerical_gradient': [dict(name='x')]}", "must be a dict with at least 'name' and 'source'"),
])
def test_a_malformed_mutants_file_says_what_it_must_contain(tmp_path, text, says):
    path = tmp_path / "mutants.py"
    path.write_text(text)
    with pytest.raises(SystemExit) as stop:
        mutation.load_written_mutants(path, ["numerical_gradient", "gradient_descent"])
    assert says in str(stop.value) and str(path) in str(stop.value)


def test_mutants_stay_out_of_the_release():
    for name in ASSIGNMENTS:
        assert mutation.mutants_file(name, REPO).parent == layout.solution_path(name, REPO).parent
        assert not (layout.release_path(name, REPO).parent / "mutants.py").exists(), f"{name}: mutants.py was released"


def test_forked_grading_gives_what_a_rerun_from_the_top_gives():
    """Each mutant in a fork of one kernel (the cells before its exercise run once) must give the
    results of a fresh run of the whole notebook, hard-coded answers and a cell that never ends too."""
    name = ASSIGNMENTS[0]
    source = layout.read_notebook(layout.solution_path(name, REPO))
    suite = mutation.build_suite(source, layout.read_notebook(layout.release_path(name, REPO)))
    second = suite.exercises[1]
    written = mutation.load_written_mutants(mutation.mutants_file(name, REPO))
    mutants = ([m for m in written if m.exercise == second.grade_id][:2]
               + [m for m in mutation.generic_mutants(suite) if m.exercise == second.grade_id
                  and m.kind in ("hardcoded", "constant")]
               + [mutation.Mutant(second.grade_id, "never ends", source="while True:\n    pass")])
    assert {m.kind for m in mutants} == {"written", "hardcoded", "constant"}
    kernel = mutation.Kernel(layout.solution_path(name, REPO).parent, timeout=3)
    try:
        forked_baseline, forked = mutation.grade_forked(kernel, suite, mutants, jobs=2)
        plain_baseline = mutation.grade(kernel, suite)
        plain = []
        for mutant in mutants:
            if mutant.kind == "hardcoded":
                mutation.grade(kernel, suite, record_visible=mutant.exercise)
            plain.append(mutation.grade(kernel, suite, mutant))
    finally:
        kernel.close()

    def rows(results):
        return {gid: (r.passed, r.ename, r.evalue) for gid, r in results.items()}

    assert rows(forked_baseline) == rows(plain_baseline) and all(r.passed for r in plain_baseline.values())
    for mutant, a, b in zip(mutants, forked, plain):
        if mutant.name != "never ends":  # a rerun reads the stopped cell's late reply: not comparable
            assert rows(a) == rows(b), mutant.label
        assert not all(r.passed for gid, r in a.items() if gid in second.tests), f"{mutant.label} was not caught"
    # the endless answer was stopped after 3 s: its test finds no function, the exercises before it pass
    assert forked[-1][second.tests[0]].ename == "NameError"
    assert all(r.passed for gid, r in forked[-1].items() if gid in suite.exercises[0].tests)


def test_without_collateral_a_mutant_runs_its_own_exercise_only():
    """The Korean edition's mutants try their own exercise's tests only (the exercises after it
    are tried in English): the fork's cells stop before the next exercise's answer."""
    suite = mutation.build_suite(layout.read_notebook(layout.solution_path(ASSIGNMENTS[0], REPO)))
    first = suite.exercises[0]
    mutant = mutation.Mutant(first.grade_id, "wrong", source="pass")
    own = mutation._mutated_cells(suite, first.grade_id, mutant, collateral=False)
    assert [(kind, gid) for kind, gid, _ in own] == [("solution", first.grade_id)] + [("test", t) for t in first.tests]
    everything = mutation._mutated_cells(suite, first.grade_id, mutant)
    assert {gid for kind, gid, _ in everything if kind == "test"} == {t for ex in suite.exercises for t in ex.tests}


def test_only_the_stub_and_the_written_mutants_are_tried_on_later_exercises():
    """A constant, hard-coded or reference answer reaches a later exercise through its name only,
    as the stub does: those stop at their own exercise's tests, the stub and the written ones go on."""
    suite = mutation.build_suite(layout.read_notebook(layout.solution_path(ASSIGNMENTS[0], REPO)),
                                 layout.read_notebook(layout.release_path(ASSIGNMENTS[0], REPO)))
    first = suite.exercises[0]
    every_test = {t for ex in suite.exercises for t in ex.tests}
    mutants = [m for m in mutation.generic_mutants(suite) if m.exercise == first.grade_id]
    mutants.append(mutation.Mutant(first.grade_id, "wrong", source="pass"))
    assert {m.kind for m in mutants} >= {"stub", "constant", "hardcoded", "written"}
    for mutant in mutants:
        tried = {gid for kind, gid, _ in mutation._mutated_cells(suite, first.grade_id, mutant) if kind == "test"}
        assert tried == (every_test if mutant.kind in ("stub", "written") else set(first.tests)), mutant.label
