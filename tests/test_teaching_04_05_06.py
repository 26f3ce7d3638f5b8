"""The shared noisy problem of the optimizer notebooks (mlbasics.problems), and the numbers their prose quotes.

A "What just happened" cell quotes the numbers its experiment prints; these tests read both from the stored
source notebooks (which nbval checks against a fresh run) and fail when a re-run changes a quoted number.
"""

import re

import nbformat
import numpy as np
import pytest

from helpers import REPO
from mlbasics import data, problems
from mlbasics.optim import SGD, Momentum


# --- mlbasics.problems ------------------------------------------------------------------------

def test_loss_per_epoch_starts_at_log_10_and_has_one_value_per_epoch():
    losses = problems.loss_per_epoch(SGD(lr=0.5), epochs=3)
    assert losses.shape == (4,)
    np.testing.assert_allclose(losses[0], np.log(10), rtol=1e-12)
    assert np.all(np.diff(losses) < 0), "gradient descent with a small lr should lower the loss every epoch here"


def test_the_same_seed_gives_every_optimizer_the_same_batches():
    first = problems.loss_per_epoch(Momentum(lr=0.05, momentum=0.9), epochs=2)
    again = problems.loss_per_epoch(Momentum(lr=0.05, momentum=0.9), epochs=2)
    other = problems.loss_per_epoch(Momentum(lr=0.05, momentum=0.9), epochs=2, seed=1)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_digits_are_scikit_learns_read_only_and_drawn_without_replacement():
    model, X, y = problems.digits_problem()
    X_all, y_all = data.load_digits()
    assert X.shape == (problems.N_SAMPLES, 64) and y.shape == (problems.N_SAMPLES,)
    assert (model.n_features, model.n_classes) == (64, 10)
    pick = np.random.default_rng(0).permutation(len(X_all))[:problems.N_SAMPLES]
    np.testing.assert_array_equal(X, X_all[pick])
    np.testing.assert_array_equal(y, y_all[pick])
    assert not X.flags.writeable and not y.flags.writeable
    with pytest.raises(ValueError, match="at most 1797"):
        problems.digits_problem(n=1798)


# --- quoted numbers ----------------------------------------------------------------------------

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")

# (notebook, prose cell id, experiment cell id, numbers the prose quotes, as written there)
QUOTED = [
    ("04-momentum", "digits-race-what", "digits-race",
     ["0.123", "0.405", "0.403", "0.217", "0.219", "0.543", "0.794", "0.078", "0.059", "0.060"]),
    ("04-momentum", "stable-lr-what", "stable-lr-check", ["1e-22", "1e-3", "1e6", "1e26"]),
    ("05-adagrad", "rotated-what", "rotated-race", ["9", "89", "135", "0.63", "0.65", "6.8", "0.66"]),
    ("05-adagrad", "cell-023", "cell-022", ["14.7", "44.0"]),
    ("05-adagrad", "stall-what", "stall-run", ["16.4", "0.75", "3.3", "3.6", "100", "910", "9900", "2e-6"]),
    ("05-adagrad", "digits-what", "digits-race", ["0.109", "0.052", "0.038", "0.219", "0.123", "0.078", "9", "37", "5"]),
    ("06-rmsprop", "cell-023", "cell-022", ["2.1", "0.15", "0.5"]),
    ("06-rmsprop", "digits-what", "digits-race", ["0.038", "0.039", "0.078", "0.209", "0.415"]),
]


def _cells(assignment):
    nb = nbformat.read(str(REPO / "solutions" / assignment / f"{assignment}.ipynb"), as_version=4)
    return {cell.get("id"): cell for cell in nb.cells}


def _printed(cell):
    text = "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream")
    return [float(x) for x in NUMBER.findall(text)]


def _close(quoted, printed):
    """``printed`` rounds to ``quoted`` at the precision quoted (a power of ten for 1e-22, 2e-6, ...)."""
    value = float(quoted)
    if "e" in quoted:
        mantissa = quoted.split("e")[0]
        return printed != 0 and abs(np.log10(abs(printed)) - np.log10(abs(value))) <= (0.5 if mantissa == "1" else 0.2)
    decimals = len(quoted.split(".")[1]) if "." in quoted else 0
    step = 10.0 ** -decimals
    if decimals == 0 and value >= 100:  # "910", "9900": three significant digits
        step = 10.0 ** (len(quoted) - 3)
    return abs(printed - value) <= step / 2 + 1e-12


@pytest.mark.parametrize("assignment, prose_id, output_id, numbers", QUOTED,
                         ids=[f"{a}:{p}" for a, p, _, _ in QUOTED])
def test_prose_quotes_the_numbers_its_experiment_prints(assignment, prose_id, output_id, numbers):
    cells = _cells(assignment)
    prose = cells[prose_id].source
    printed = _printed(cells[output_id])
    assert printed, f"{assignment}: {output_id} printed no numbers (not executed?)"
    for quoted in numbers:
        shown = quoted.replace("1e-22", "10^{-22}").replace("1e-3", "10^{-3}").replace("1e6", "10^{6}") \
            .replace("1e26", "10^{26}").replace("2e-6", "2 \\times 10^{-6}")
        assert shown in prose, f"{assignment}: {prose_id} no longer quotes {quoted} (update this test with the prose)"
        assert any(_close(quoted, p) for p in printed), \
            f"{assignment}: {prose_id} quotes {quoted}, but {output_id} prints none such: {sorted(set(printed))[:40]}"
