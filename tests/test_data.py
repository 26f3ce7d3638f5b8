import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics import data

GENERATORS = {
    "linear_regression": lambda **kw: data.make_linear_regression(50, **kw),
    "regression": lambda **kw: data.make_regression(50, 4, **kw),
    "blobs": lambda **kw: data.make_blobs(60, 3, **kw),
    "binary_classification": lambda **kw: data.make_binary_classification(50, **kw),
    "polynomial": lambda **kw: data.make_polynomial_data(30, **kw),
}


# --- generators ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_generators_are_reproducible_from_seed_or_rng(make):
    a = make(seed=3)
    b = make(rng=np.random.default_rng(3))
    c = make(seed=4)
    for u, v, w in zip(a, b, c):
        assert_array_equal(u, v)
    assert not np.allclose(a[0], c[0])


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_generators_reject_rng_and_seed_together(make):
    with pytest.raises(ValueError, match="rng or seed"):
        make(rng=np.random.default_rng(0), seed=0)


@pytest.mark.parametrize("make", GENERATORS.values(), ids=GENERATORS.keys())
def test_generators_follow_the_one_rng_rule(make):
    for u, v in zip(make(rng=5), make(seed=5)):  # an integer rng is a seed
        assert_array_equal(u, v)
    assert not np.array_equal(make()[0], make()[0])  # None: a fresh generator every call
    for bad in ("0", 1.5, np.random.RandomState(0)):
        with pytest.raises(TypeError, match=r"^rng must be None, an integer seed >= 0 or a numpy.random.Generator"):
            make(rng=bad)
    with pytest.raises(TypeError, match=r"^seed must be"):
        make(seed=2.0)
    with pytest.raises(ValueError, match=r"^a seed must be an integer >= 0, got seed=-1$"):
        make(seed=-1)


def test_generators_do_not_touch_the_global_seed():
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    data.make_blobs(seed=0)
    data.make_linear_regression(seed=0)
    assert np.random.random() == expected


def test_linear_regression_without_noise_is_the_line():
    X, y = data.make_linear_regression(40, w=2.0, b=-1.0, noise=0.0, x_range=(0, 5), seed=0)
    assert X.shape == (40, 1) and y.shape == (40,)
    assert np.all((X >= 0) & (X <= 5))
    assert_allclose(y, 2.0 * X[:, 0] - 1.0)


def test_linear_regression_noise_has_the_stated_std():
    X, y = data.make_linear_regression(20000, w=2.0, b=-1.0, noise=0.5, seed=0)
    assert_allclose(np.std(y - (2.0 * X[:, 0] - 1.0)), 0.5, rtol=0.02)


def test_regression_with_given_weights():
    X, y, w = data.make_regression(30, 3, w=[1.0, -2.0, 0.5], b=0.3, noise=0.0, coef=True, seed=0)
    assert X.shape == (30, 3)
    assert_allclose(w, [1.0, -2.0, 0.5])
    assert_allclose(y, X @ w + 0.3)
    with pytest.raises(ValueError, match="w must have shape"):
        data.make_regression(30, 3, w=[1.0, 2.0])


def test_blobs_are_balanced_and_labelled():
    X, y = data.make_blobs(301, 4, seed=0)
    assert X.shape == (301, 2) and y.shape == (301,)
    assert np.issubdtype(y.dtype, np.integer)
    assert_array_equal(np.bincount(y), [76, 75, 75, 75])
    # well separated: each point is nearest its own blob's mean
    means = np.array([X[y == k].mean(axis=0) for k in range(4)])
    nearest = np.argmin(((X[:, None, :] - means) ** 2).sum(axis=2), axis=1)
    assert np.mean(nearest == y) > 0.9


def test_binary_classification_has_two_classes():
    X, y = data.make_binary_classification(101, separation=6.0, seed=0)
    assert X.shape == (101, 2)
    assert_array_equal(np.bincount(y), [51, 50])
    # separated along the diagonal
    assert np.mean((X.sum(axis=1) > 0) == (y == 1)) > 0.95


def test_polynomial_data_and_features():
    x, y = data.make_polynomial_data(25, noise=0.0, seed=0)
    assert x.shape == y.shape == (25,)
    assert_allclose(y, np.sin(np.pi * x))
    Phi = data.polynomial_features(np.array([2.0, -1.0]), 3)
    assert_allclose(Phi, [[2.0, 4.0, 8.0], [-1.0, 1.0, -1.0]])
    assert data.polynomial_features(x[:, None], 5).shape == (25, 5)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: data.make_linear_regression(0), "n must be"),
        (lambda: data.make_linear_regression(10, noise=-1.0), "noise"),
        (lambda: data.make_linear_regression(10, x_range=(2, 1)), "x_range"),
        (lambda: data.make_blobs(10, 1), "n_classes"),
        (lambda: data.make_blobs(2, 3), "n must be at least"),
        (lambda: data.make_linear_regression(10, seed=-1), "seed"),
        (lambda: data.polynomial_features(np.zeros((3, 2)), 2), "x must have shape"),
        (lambda: data.polynomial_features(np.zeros(3), 0), "degree"),
    ],
)
def test_generators_reject_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_load_digits():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert_array_equal(np.unique(y), np.arange(10))
    X_raw, _ = data.load_digits(scale=False)
    assert_allclose(X_raw, 16 * X)


def test_standardize_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal(5.0, 3.0, (100, 3))
    X_train[:, 2] = 7.0  # a constant feature
    X_test = rng.normal(0.0, 1.0, (10, 3))
    tr, te = data.standardize(X_train, X_test)
    assert_allclose(tr[:, :2].mean(axis=0), 0.0, atol=1e-12)
    assert_allclose(tr[:, :2].std(axis=0), 1.0)
    assert_allclose(tr[:, 2], 0.0)
    mean, std = X_train[:, :2].mean(axis=0), X_train[:, :2].std(axis=0)
    assert_allclose(te[:, :2], (X_test[:, :2] - mean) / std)
    assert np.all(np.isfinite(te))
    (only,) = data.standardize(X_train)
    assert_allclose(only, tr)
    with pytest.raises(ValueError, match=r"others\[0\]"):
        data.standardize(X_train, np.zeros((4, 2)))


# --- train / validation / test split -------------------------------------------------------------

def _split(n=100, y=None, **kw):
    X = np.arange(n)[:, None] * np.ones((1, 2))  # row i identifies sample i
    y = np.arange(n) if y is None else y
    return data.train_val_test_split(X, y, **kw)


def _ids(part):
    return part[:, 0].astype(int)


@pytest.mark.parametrize(
    "n, val_size, test_size, expected",
    [
        (100, 0.2, 0.1, (70, 20, 10)),
        (100, 20, 10, (70, 20, 10)),
        (100, 0.25, 15, (60, 25, 15)),
        (10, 0.15, 0.25, (5, 2, 3)),  # 1.5 -> 2 and 2.5 -> 3: fractions round half up
        (7, 0, 0.0, (7, 0, 0)),
        (1000, 0.333, 0.333, (334, 333, 333)),
    ],
)
def test_split_sizes(n, val_size, test_size, expected):
    Xtr, Xva, Xte, ytr, yva, yte = _split(n, val_size=val_size, test_size=test_size, seed=0)
    assert (len(Xtr), len(Xva), len(Xte)) == expected
    assert (len(ytr), len(yva), len(yte)) == expected


@pytest.mark.parametrize("stratify", [False, True])
def test_split_is_disjoint_complete_and_aligned(stratify):
    y = np.arange(120) % 3
    Xtr, Xva, Xte, ytr, yva, yte = _split(120, y=y, val_size=0.2, test_size=0.2, stratify=stratify, seed=1)
    ids = np.concatenate([_ids(Xtr), _ids(Xva), _ids(Xte)])
    assert_array_equal(np.sort(ids), np.arange(120))
    for Xp, yp in ((Xtr, ytr), (Xva, yva), (Xte, yte)):
        assert_array_equal(yp, y[_ids(Xp)])


def test_split_is_reproducible_from_the_rng():
    a = _split(val_size=0.2, test_size=0.2, seed=5)
    b = _split(val_size=0.2, test_size=0.2, rng=np.random.default_rng(5))
    c = _split(val_size=0.2, test_size=0.2, seed=6)
    for u, v in zip(a, b):
        assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])


def test_split_shuffles_unless_told_not_to():
    Xtr, Xva, Xte, *_ = _split(100, val_size=0.2, test_size=0.1, seed=0)
    assert not np.array_equal(_ids(Xtr), np.arange(70))
    Xtr, Xva, Xte, *_ = _split(100, val_size=0.2, test_size=0.1, shuffle=False)
    assert_array_equal(_ids(Xtr), np.arange(70))
    assert_array_equal(_ids(Xva), np.arange(70, 90))
    assert_array_equal(_ids(Xte), np.arange(90, 100))


def test_stratified_split_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [500, 300, 200])
    rng = np.random.default_rng(0)
    y = rng.permutation(y)
    *_, ytr, yva, yte = _split(1000, y=y, val_size=0.15, test_size=0.25, stratify=True, rng=rng)
    assert (len(ytr), len(yva), len(yte)) == (600, 150, 250)
    assert_array_equal(np.bincount(yva), [75, 45, 30])
    assert_array_equal(np.bincount(yte), [125, 75, 50])
    assert_array_equal(np.bincount(ytr), [300, 180, 120])


def test_stratified_split_rounds_so_that_totals_match():
    y = np.repeat([0, 1, 2], [7, 7, 7])
    *_, ytr, yva, yte = _split(21, y=y, val_size=4, test_size=5, stratify=True, seed=0)
    assert (len(ytr), len(yva), len(yte)) == (12, 4, 5)
    for part, size in ((yva, 4), (yte, 5)):
        counts = np.bincount(part, minlength=3)
        assert np.all(np.abs(counts - size / 3) < 1)


def test_stratified_split_without_shuffle_is_in_order():
    y = np.array([0, 1] * 10)
    Xtr, Xva, Xte, ytr, *_ = _split(20, y=y, val_size=4, test_size=4, stratify=True, shuffle=False)
    assert_array_equal(_ids(Xtr), np.sort(_ids(Xtr)))
    assert_array_equal(_ids(Xtr), np.arange(12))
    assert_array_equal(np.bincount(ytr), [6, 6])


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(val_size=-0.1, test_size=0.2), "val_size"),
        (dict(val_size=0.1, test_size=-3), "test_size"),
        (dict(val_size=1.0, test_size=0.0), "val_size"),
        (dict(val_size=0.1, test_size=101), "test_size"),
        (dict(val_size="10%", test_size=0.1), "val_size"),
        (dict(val_size=True, test_size=0.1), "val_size"),
        (dict(val_size=float("nan"), test_size=0.1), "val_size"),
        (dict(val_size=0.5, test_size=0.5), "leave no training data"),
        (dict(val_size=50, test_size=50), "leave no training data"),
    ],
)
def test_split_rejects_bad_sizes(kw, match):
    with pytest.raises(ValueError, match=match):
        _split(100, **kw)


def test_split_rejects_mismatched_lengths_and_tiny_classes():
    with pytest.raises(ValueError, match="same length"):
        data.train_val_test_split(np.zeros((10, 2)), np.zeros(9), val_size=0.2, test_size=0.2)
    y = np.array([0] * 20 + [1] * 2)
    with pytest.raises(ValueError, match="stratify: class 1 has 2"):
        _split(22, y=y, val_size=0.2, test_size=0.2, stratify=True, seed=0)
    with pytest.raises(ValueError, match="stratify needs y"):
        _split(10, y=np.zeros((10, 2)), val_size=2, test_size=2, stratify=True, seed=0)
    with pytest.raises(ValueError, match="fewer than the 3 classes"):
        _split(12, y=np.arange(12) % 3, val_size=5, test_size=5, stratify=True, seed=0)


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 300),
    val=st.one_of(st.floats(0, 0.6), st.integers(0, 150)),
    test=st.one_of(st.floats(0, 0.6), st.integers(0, 150)),
    n_classes=st.integers(1, 4),
    stratify=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_split_properties(n, val, test, n_classes, stratify, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n)
    X = np.arange(n)
    n_val = val if isinstance(val, int) else int(np.floor(val * n + 0.5))
    n_test = test if isinstance(test, int) else int(np.floor(test * n + 0.5))
    try:
        Xtr, Xva, Xte, ytr, yva, yte = data.train_val_test_split(
            X, y, val_size=val, test_size=test, stratify=stratify, seed=seed
        )
    except ValueError as err:
        # only for the documented reasons
        counts = np.bincount(y)[np.bincount(y) > 0]
        parts = 1 + (n_val > 0) + (n_test > 0)
        assert (
            n_val > n or n_test > n or n - n_val - n_test < 1
            or (stratify and (counts.min() < parts or n - n_val - n_test < len(counts)))
        ), str(err)
        return
    assert (len(Xtr), len(Xva), len(Xte)) == (n - n_val - n_test, n_val, n_test)
    assert_array_equal(np.sort(np.concatenate([Xtr, Xva, Xte])), X)
    for Xp, yp in ((Xtr, ytr), (Xva, yva), (Xte, yte)):
        assert_array_equal(yp, y[Xp])
    if stratify:
        for part in (ytr, yva, yte):
            ideal = np.bincount(y, minlength=n_classes) * len(part) / n
            assert np.all(np.abs(np.bincount(part, minlength=n_classes) - ideal) < 2)
        assert set(ytr) == set(y)
    again = data.train_val_test_split(X, y, val_size=val, test_size=test, stratify=stratify, seed=seed)
    assert_array_equal(again[0], Xtr)
