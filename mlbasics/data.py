"""Data sets for the course, and the train / validation / test split.

Every generator takes either ``rng=`` or ``seed=``, never both, with the rule of every ``rng=`` in
:mod:`mlbasics`: a ``numpy.random.Generator`` is used as it is, an integer >= 0 seeds a new one (the
same seed gives the same data), and with neither (``None``) a fresh ``numpy.random.default_rng()``
is used and the data differ from run to run; anything else is a ``TypeError``. ``seed=3`` and
``rng=3`` are the same. Nothing reads or sets numpy's global seed.
"""

import numbers

import numpy as np

from mlbasics._checks import count, generator, nonnegative, samples


def _make_rng(rng=None, seed=None):
    """The generator of a data set: ``rng`` or ``seed``, never both (the rule of
    :func:`mlbasics._checks.generator` for each)."""
    if rng is not None and seed is not None:
        raise ValueError(f"give rng or seed, not both (got rng={rng!r}, seed={seed!r})")
    return generator(rng) if seed is None else generator(seed, "seed")


def _check_range(name, value):
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {value!r}") from None
    if not lo < hi:
        raise ValueError(f"{name} must have low < high, got {value!r}")
    return lo, hi


# --- synthetic sets ---------------------------------------------------------------------------

def make_linear_regression(n=100, w=2.0, b=-1.0, noise=0.5, x_range=(-3.0, 3.0), *, rng=None, seed=None):
    """Points on a line plus Gaussian noise, one feature.

    Parameters
    ----------
    n : int
        Number of samples.
    w, b : float
        True slope and intercept.
    noise : float
        Standard deviation of the noise added to ``y``.
    x_range : (float, float)
        ``x`` is uniform on this interval.
    rng : numpy.random.Generator or int, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape ``(n, 1)``
    y : ndarray, shape ``(n,)``

    Notes
    -----
    .. math:: y_i = w x_i + b + \\varepsilon_i, \\qquad \\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)
    """
    n = count("n", n)
    noise = nonnegative("noise", noise)
    lo, hi = _check_range("x_range", x_range)
    rng = _make_rng(rng, seed)
    x = rng.uniform(lo, hi, size=n)
    y = w * x + b + noise * rng.standard_normal(n)
    return x[:, None], y


def make_regression(n=200, n_features=3, *, w=None, b=0.0, noise=0.1, coef=False, rng=None, seed=None):
    """A linear relation with several standard-normal features plus Gaussian noise.

    Parameters
    ----------
    n : int
        Number of samples.
    n_features : int
        Number of features ``d``.
    w : array_like, shape ``(d,)``, optional
        True weights; drawn from a standard normal when omitted.
    b : float
        True intercept.
    noise : float
        Standard deviation of the noise.
    coef : bool
        Also return the true weights.
    rng : numpy.random.Generator or int, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape ``(n, d)``
    y : ndarray, shape ``(n,)``
        :math:`y = Xw + b + \\varepsilon`.
    w : ndarray, shape ``(d,)``
        Only with ``coef=True``.
    """
    n = count("n", n)
    n_features = count("n_features", n_features)
    noise = nonnegative("noise", noise)
    rng = _make_rng(rng, seed)
    if w is None:
        w = rng.standard_normal(n_features)
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (n_features,):
        raise ValueError(f"w must have shape ({n_features},), got shape {w.shape}")
    X = rng.standard_normal((n, n_features))
    y = X @ w + b + noise * rng.standard_normal(n)
    return (X, y, w) if coef else (X, y)


def make_blobs(n=300, n_classes=3, *, spread=1.0, radius=3.0, rng=None, seed=None):
    """Gaussian blobs in the plane, one per class, for softmax decision regions.

    Parameters
    ----------
    n : int
        Total number of samples, shared as evenly as possible between the classes.
    n_classes : int
        Number of classes, at least 2.
    spread : float
        Standard deviation of each blob.
    radius : float
        The blob centres sit evenly on a circle of this radius around the origin.
    rng : numpy.random.Generator or int, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape ``(n, 2)``
    y : ndarray of int, shape ``(n,)``
        Labels ``0 .. n_classes - 1``, in a random order.
    """
    n = count("n", n)
    n_classes = count("n_classes", n_classes, minimum=2)
    if n < n_classes:
        raise ValueError(f"n must be at least n_classes={n_classes}, got {n}")
    spread = nonnegative("spread", spread)
    radius = nonnegative("radius", radius)
    rng = _make_rng(rng, seed)
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 2
    centres = radius * np.column_stack([np.cos(angles), np.sin(angles)])
    y = rng.permutation(np.arange(n) % n_classes)
    X = centres[y] + spread * rng.standard_normal((n, 2))
    return X, y


def make_binary_classification(n=200, *, separation=3.0, spread=1.0, rng=None, seed=None):
    """Two Gaussian blobs in the plane with labels 0 and 1, for logistic regression.

    Parameters
    ----------
    n : int
        Number of samples, half of each class (class 0 gets the extra one when ``n`` is odd).
    separation : float
        Distance between the two centres, which sit at :math:`\\pm` ``separation / 2`` along
        the diagonal ``(1, 1)/sqrt(2)``; the larger, the easier the problem.
    spread : float
        Standard deviation of each blob.
    rng : numpy.random.Generator or int, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape ``(n, 2)``
    y : ndarray of int, shape ``(n,)``, values 0 and 1
    """
    n = count("n", n, minimum=2)
    separation = nonnegative("separation", separation)
    spread = nonnegative("spread", spread)
    rng = _make_rng(rng, seed)
    y = rng.permutation(np.arange(n) % 2)
    direction = np.array([1.0, 1.0]) / np.sqrt(2.0)
    centres = np.outer(np.array([-0.5, 0.5]) * separation, direction)
    X = centres[y] + spread * rng.standard_normal((n, 2))
    return X, y


def make_polynomial_data(n=20, *, noise=0.2, x_range=(-1.0, 1.0), rng=None, seed=None):
    """Noisy samples of a smooth curve, to overfit with high-degree polynomials.

    Parameters
    ----------
    n : int
        Number of samples.
    noise : float
        Standard deviation of the noise.
    x_range : (float, float)
        ``x`` is uniform on this interval.
    rng : numpy.random.Generator or int, optional
    seed : int, optional

    Returns
    -------
    x : ndarray, shape ``(n,)``
    y : ndarray, shape ``(n,)``
        :math:`y = \\sin(\\pi x) + \\varepsilon`. Expand ``x`` with :func:`polynomial_features`.
    """
    n = count("n", n)
    noise = nonnegative("noise", noise)
    lo, hi = _check_range("x_range", x_range)
    rng = _make_rng(rng, seed)
    x = rng.uniform(lo, hi, size=n)
    return x, true_curve(x) + noise * rng.standard_normal(n)


def true_curve(x):
    """The noiseless curve of :func:`make_polynomial_data`, :math:`\\sin(\\pi x)`."""
    return np.sin(np.pi * np.asarray(x, dtype=np.float64))


def polynomial_features(x, degree):
    """Powers of a single feature, for polynomial regression with a linear model.

    Parameters
    ----------
    x : array_like, shape ``(n,)`` or ``(n, 1)``
    degree : int
        Highest power, at least 1.

    Returns
    -------
    ndarray, shape ``(n, degree)``
        Columns :math:`x, x^2, \\dots, x^{degree}`. No constant column: the model's bias ``b``
        plays that part.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"x must have shape (n,) or (n, 1), got shape {x.shape}")
    degree = count("degree", degree)
    return x[:, None] ** np.arange(1, degree + 1)


def load_digits(scale=True):
    """scikit-learn's bundled 8x8 handwritten digits (1797 images; no download needed).

    Parameters
    ----------
    scale : bool
        Divide the pixel values (0..16) by 16, so that they lie in [0, 1].

    Returns
    -------
    X : ndarray, shape ``(1797, 64)``
        One flattened image per row (``X[i].reshape(8, 8)`` to show it).
    y : ndarray of int, shape ``(1797,)``
        The digit, 0 to 9.
    """
    raw = _bundled_digits()
    X = raw[:, :-1]
    return (X / 16.0 if scale else X), raw[:, -1].astype(np.int64)


def _bundled_digits():
    """The 1797 x 65 table (64 pixels, then the label) that scikit-learn ships as ``digits.csv.gz``,
    read without importing scikit-learn (which takes a second or more)."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("sklearn")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = os.path.join(folder, "datasets", "data", "digits.csv.gz")
        if os.path.isfile(path):
            return np.loadtxt(path, delimiter=",")
    from sklearn.datasets import load_digits as _sklearn_load_digits

    digits = _sklearn_load_digits()
    return np.column_stack([digits.data, digits.target]).astype(np.float64)


def standardize(X_train, *others):
    """Scale every feature to zero mean and unit variance, with statistics of the training set.

    Parameters
    ----------
    X_train : array_like, shape ``(n, d)``
        The training inputs: the only data the mean and standard deviation come from (claim C30).
    *others : array_like, shape ``(m, d)``
        Validation / test inputs, transformed with the training statistics.

    Returns
    -------
    tuple of ndarray
        ``(X_train_std, *others_std)``, always a tuple, e.g.
        ``X_tr, X_va, X_te = standardize(X_tr, X_va, X_te)`` or ``(X_tr,) = standardize(X_tr)``.

    Notes
    -----
    .. math:: x' = \\frac{x - \\mu_{train}}{\\sigma_{train}}

    A feature that is constant on the training set (:math:`\\sigma = 0`, e.g. a blank pixel
    of the digits) is only centred, not divided.
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    if X_train.ndim != 2 or len(X_train) == 0:
        raise ValueError(
            f"X_train must have shape (n_samples, n_features) with n_samples >= 1, got {X_train.shape}"
        )
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    out = [(X_train - mean) / std]
    for i, X in enumerate(others):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != X_train.shape[1]:
            raise ValueError(
                f"others[{i}] must have shape (m, {X_train.shape[1]}) like X_train, got {X.shape}"
            )
        out.append((X - mean) / std)
    return tuple(out)


# --- train / validation / test ----------------------------------------------------------------

def _part_size(name, size, n):
    """A fraction in [0, 1) or a count in [0, n], as a count."""
    if isinstance(size, bool) or not isinstance(size, numbers.Real):
        raise ValueError(f"{name} must be a fraction in [0, 1) or a count of samples, got {size!r}")
    if isinstance(size, numbers.Integral):
        if not 0 <= size <= n:
            raise ValueError(f"{name} as a count must be in [0, {n}] (n_samples = {n}), got {size}")
        return int(size)
    if not (np.isfinite(size) and 0 <= size < 1):
        raise ValueError(f"{name} as a fraction must be in [0, 1), got {size}")
    return int(np.floor(size * n + 0.5))  # round half up


def _apportion(weights, total, caps):
    """Integers ``k`` with ``sum(k) == total``, ``k <= caps``, close to ``total * weights``.

    Largest remainder: floors first, then one more for the largest fractional parts; when a
    class is full, the rest goes to classes with room left.
    """
    quota = total * weights
    k = np.minimum(np.floor(quota).astype(np.int64), caps)
    left = total - k.sum()
    for c in np.argsort(-(quota - np.floor(quota)), kind="stable"):
        if left == 0:
            break
        if k[c] < caps[c]:
            k[c] += 1
            left -= 1
    while left > 0:  # only when rounding filled some classes: give to those with most room
        c = int(np.argmax(caps - k))
        k[c] += 1
        left -= 1
    return k


def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None, seed=None):
    """Split a data set into disjoint training, validation and test sets.

    Parameters
    ----------
    X : array_like, shape ``(n, ...)``
    y : array_like, shape ``(n, ...)``
    val_size, test_size : float or int
        A float in [0, 1) is a fraction of ``n``, rounded to the nearest count (halves up); an int
        is a number of samples. The training set gets the rest, which must be at least one sample.
    stratify : bool
        Keep the class proportions of ``y`` (1-D class labels) in each part: each class is split
        on its own, with counts rounded so that the parts still have exactly the requested
        sizes; the training set keeps at least one sample of every class. A class with fewer
        samples than there are non-empty parts is an error.
    shuffle : bool
        Assign samples at random (default). With ``shuffle=False`` the parts are taken in the
        stored order: training first, then validation, then test (within each class when
        stratified), and ``rng`` is unused.
    rng : numpy.random.Generator or int, optional
    seed : int, optional
        Source of randomness: the same seed gives the same split. With neither, a fresh
        ``numpy.random.default_rng()``.

    Returns
    -------
    X_train, X_val, X_test, y_train, y_val, y_test : ndarray
        In this order (the inputs first, as with scikit-learn's ``train_test_split``). Together
        the three parts hold every sample exactly once.

    Notes
    -----
    Only the training set fits parameters; the validation set chooses hyperparameters and
    detects overfitting; the test set is used once, at the end (claims C30-C32).

    Raises
    ------
    ValueError
        Mismatched lengths, sizes that are negative, not numbers, too large, or that leave no
        training sample, ``stratify`` with labels that are not 1-D or with a class too small.
    """
    X, y = samples(X, y)
    n = len(X)
    n_val = _part_size("val_size", val_size, n)
    n_test = _part_size("test_size", test_size, n)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError(
            f"val_size={val_size!r} and test_size={test_size!r} leave no training data: "
            f"{n_val} validation + {n_test} test samples out of {n}"
        )
    rng = _make_rng(rng, seed) if shuffle else None

    if not stratify:
        order = rng.permutation(n) if shuffle else np.arange(n)
        train, val, test = np.split(order, [n_train, n_train + n_val])
    else:
        if y.ndim != 1:
            raise ValueError(f"stratify needs y to be 1-D class labels, got shape {y.shape}")
        classes, y_idx, counts = np.unique(y, return_inverse=True, return_counts=True)
        n_parts = 1 + (n_val > 0) + (n_test > 0)
        if counts.min() < n_parts:
            small = classes[np.argmin(counts)].item()
            raise ValueError(
                f"stratify: class {small!r} has {counts.min()} sample(s), fewer than the {n_parts} "
                "non-empty parts it must be split into"
            )
        if n_train < len(classes):
            raise ValueError(
                f"stratify: val_size={val_size!r} and test_size={test_size!r} leave {n_train} training "
                f"samples, fewer than the {len(classes)} classes"
            )
        weights = counts / n
        test_counts = _apportion(weights, n_test, counts - 1)
        val_counts = _apportion(weights, n_val, counts - 1 - test_counts)
        parts = ([], [], [])
        for c in range(len(classes)):
            members = np.flatnonzero(y_idx == c)
            if shuffle:
                members = rng.permutation(members)
            n_tr_c = counts[c] - val_counts[c] - test_counts[c]
            for part, chunk in zip(parts, np.split(members, [n_tr_c, n_tr_c + val_counts[c]])):
                part.append(chunk)
        train, val, test = (np.concatenate(p) for p in parts)
        if shuffle:  # mix the classes, which were appended one after another
            train, val, test = rng.permutation(train), rng.permutation(val), rng.permutation(test)
        else:
            train, val, test = np.sort(train), np.sort(val), np.sort(test)
    return X[train], X[val], X[test], y[train], y[val], y[test]


def split_sizes(n, val_size, test_size):
    """Sizes of the training, validation and test parts, as :func:`train_val_test_split` makes them.

    Parameters
    ----------
    n : int
        Number of samples, at least 1.
    val_size, test_size : float or int
        A float in [0, 1) is a fraction of ``n``, rounded to the nearest count with halves rounded
        up (``floor(size * n + 0.5)``); an int is a number of samples.

    Returns
    -------
    (n_train, n_val, n_test) : tuple of int
        ``n_train = n - n_val - n_test``: the training set gets the rest, so the three add up to
        ``n`` whatever the rounding.

    Raises
    ------
    ValueError
        For sizes that are negative, not numbers or too large, and when no training sample is left.
    """
    n = count("n", n)
    n_val = _part_size("val_size", val_size, n)
    n_test = _part_size("test_size", test_size, n)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError(
            f"val_size={val_size!r} and test_size={test_size!r} leave no training data: "
            f"{n_val} validation + {n_test} test samples out of {n}"
        )
    return n_train, n_val, n_test


def stratified_counts(class_counts, n_part):
    """How many samples of each class a part of ``n_part`` samples gets when stratified.

    Parameters
    ----------
    class_counts : array_like of int, shape ``(C,)``
        Number of samples of each class in the whole data set.
    n_part : int
        Size of the part, ``0 <= n_part <= sum(class_counts)``.

    Returns
    -------
    ndarray of int64, shape ``(C,)``
        Counts that add up to ``n_part``, each the floor or the ceiling of the class's share
        :math:`q_c = n_{part}\\, n_c / n`.

    Notes
    -----
    Largest remainder (Hamilton's method): every class first gets :math:`\\lfloor q_c \\rfloor`;
    the samples still missing go, one each, to the classes with the largest fractional parts
    :math:`q_c - \\lfloor q_c \\rfloor`, the earlier class first on ties. The floors and
    fractional parts are computed in integers (``n_part * n_c // n`` and ``n_part * n_c % n``), so
    that equal fractional parts are recognised as ties, whatever floating-point rounding would do.
    """
    counts = np.asarray(class_counts)
    if counts.ndim != 1 or counts.size == 0 or not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0:
        raise ValueError(f"class_counts must be a non-empty 1-D array of integers >= 0, got {class_counts!r}")
    total = int(counts.sum())
    if total == 0:
        raise ValueError(f"class_counts must not all be zero, got {class_counts!r}")
    if isinstance(n_part, bool) or not isinstance(n_part, numbers.Integral) or not 0 <= n_part <= total:
        raise ValueError(f"n_part must be an integer in [0, {total}], got {n_part!r}")
    scaled = int(n_part) * counts.astype(np.int64)
    floors, remainders = scaled // total, scaled % total
    order = np.argsort(-remainders, kind="stable")  # largest fractional part first, ties in class order
    floors[order[:int(n_part) - int(floors.sum())]] += 1
    return floors


def select_by_validation(candidates, train_fn, val_loss_fn):
    """Pick the hyperparameter whose model has the lowest validation loss (claim C31).

    Parameters
    ----------
    candidates : sequence
        Hyperparameter values to try (degrees, L2 strengths, learning rates, ...), at least one.
    train_fn : callable
        ``train_fn(candidate) -> params``: fits on the training set only (claim C30). Called
        exactly once per candidate, in order.
    val_loss_fn : callable
        ``val_loss_fn(candidate, params) -> float``: the loss of those params on the validation set.

    Returns
    -------
    best : object
        The candidate with the lowest validation loss (the first one on ties).
    best_params : object
        What ``train_fn(best)`` returned (the model is not retrained).
    val_losses : list of float
        The validation loss of every candidate, in the order of ``candidates``.

    Notes
    -----
    The test set plays no part: its score is computed once, afterwards, for the chosen model
    (claim C32).
    """
    candidates = list(candidates)
    if not candidates:
        raise ValueError("candidates must hold at least one hyperparameter value, got none")
    val_losses, best, best_params = [], None, None
    for candidate in candidates:
        params = train_fn(candidate)
        loss = float(val_loss_fn(candidate, params))
        if not val_losses or loss < min(val_losses):
            best, best_params = candidate, params
        val_losses.append(loss)
    return best, best_params, val_losses
