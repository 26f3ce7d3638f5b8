"""The reference functions behind the exercises of notebooks 10 and 11 (mlbasics.validation and the
two-layer network of mlbasics.models)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlbasics import validation
from mlbasics.batching import fit
from mlbasics.gradients import numerical_gradient
from mlbasics.models import MLP, two_layer_backward, two_layer_forward
from mlbasics.optim import SGD


def test_accuracy_standard_error_by_hand_and_by_simulation():
    assert validation.accuracy_standard_error(0.9, 100) == pytest.approx(0.03)
    assert validation.accuracy_standard_error(0.5, 400) == pytest.approx(0.025)
    assert validation.accuracy_standard_error(1.0, 10) == 0.0
    rng = np.random.default_rng(0)
    measured = (rng.random((20000, 50)) < 0.8).mean(axis=1)
    assert measured.std() == pytest.approx(validation.accuracy_standard_error(0.8, 50), rel=0.03)
    assert_allclose(validation.accuracy_standard_error(np.array([0.5, 0.9]), np.array([100, 900])), [0.05, 0.01])


@pytest.mark.parametrize("p, n", [(-0.1, 10), (1.5, 10), (0.5, 0), (0.5, 2.5)])
def test_accuracy_standard_error_rejects_what_is_not_a_probability_or_a_count(p, n):
    with pytest.raises(ValueError):
        validation.accuracy_standard_error(p, n)


@pytest.mark.parametrize("n, k", [(10, 3), (12, 4), (5, 5), (37, 6)])
def test_kfold_splits_cover_every_sample_once(n, k):
    folds = validation.kfold_splits(n, k, rng=np.random.default_rng(1))
    assert len(folds) == k
    vals = np.concatenate([val for _, val in folds])
    assert np.array_equal(np.sort(vals), np.arange(n))
    sizes = [len(val) for _, val in folds]
    assert sizes == sorted(sizes, reverse=True) and max(sizes) - min(sizes) <= 1
    for train, val in folds:
        assert len(np.intersect1d(train, val)) == 0 and len(train) + len(val) == n


def test_kfold_splits_are_pieces_of_one_permutation():
    order = np.random.default_rng(3).permutation(10)
    folds = validation.kfold_splits(10, 3, rng=np.random.default_rng(3))
    assert np.array_equal(folds[0][1], order[:4]) and np.array_equal(folds[2][1], order[7:])
    assert np.array_equal(folds[1][0], np.concatenate([order[:4], order[7:]]))


@pytest.mark.parametrize("n, k", [(3, 4), (10, 1), (10, 2.0)])
def test_kfold_splits_rejects_bad_sizes(n, k):
    with pytest.raises(ValueError):
        validation.kfold_splits(n, k, rng=0)


class _Pull:
    """loss = (w - mean(y))**2; init_params draws w from the rng."""

    def init_params(self, rng):
        return {"w": np.array([rng.uniform(3, 5)])}

    def loss(self, params, X, y):
        return float((params["w"][0] - np.mean(y)) ** 2)

    def loss_and_grads(self, params, X, y):
        d = params["w"][0] - np.mean(y)
        return float(d * d), {"w": np.array([2 * d])}


def test_select_model_keeps_the_lowest_validation_loss_at_the_best_epoch():
    data = (np.zeros((8, 1)), np.ones(8), np.zeros((4, 1)), np.full(4, 2.0))
    candidates = {f"lr {lr}": (_Pull, lambda lr=lr: SGD(lr)) for lr in (0.001, 0.1, 0.4)}
    best, runs = validation.select_model(candidates, data, epochs=6, batch_size=4, patience=2, seed=5)
    scores = {name: h["val_loss"][h["best_epoch"]] for name, (_, _, h) in runs.items()}
    assert best == min(scores, key=scores.get) and list(runs) == list(candidates)
    for name, (model, params, history) in runs.items():
        assert model.loss(params, data[2], data[3]) == pytest.approx(scores[name])
        again = fit(_Pull(), _Pull().init_params(np.random.default_rng(5)), data, candidates[name][1](), 6, 4, 2,
                    rng=np.random.default_rng(6))
        assert_allclose(history["val_loss"], again["val_loss"])


def test_two_layer_network_is_the_relu_mlp_and_its_gradient_checks():
    rng = np.random.default_rng(2)
    mlp = MLP([5, 4, 3])
    params = mlp.init_params(rng)
    params["b1"] = rng.normal(size=4)
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, size=6)
    H, Z = two_layer_forward(params, X)
    assert_allclose(H, mlp.hidden_activations(params, X)[0])
    assert_allclose(Z, mlp.logits(params, X))
    loss, grads = two_layer_backward(params, X, y)
    assert loss == pytest.approx(mlp.loss(params, X, y))
    for key in params:
        numeric = numerical_gradient(lambda w: two_layer_backward({**params, key: w}, X, y)[0], params[key])
        assert_allclose(grads[key], numeric, rtol=1e-5, atol=1e-8)
    with pytest.raises(ValueError):
        two_layer_forward({k: v for k, v in params.items() if k != "b2"}, X)
