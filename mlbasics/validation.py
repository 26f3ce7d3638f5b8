"""Measuring a model on held-out data, and choosing by it.

- :func:`accuracy_standard_error`: how far an accuracy measured on ``n`` examples typically is
  from the true one;
- :func:`kfold_splits`: the folds of K-fold cross-validation, for data too small to spare a
  validation set;
- :func:`select_model`: train every candidate (model and optimizer) with early stopping and keep
  the one with the lowest validation loss (the capstone's model-selection loop).

The train / validation / test split itself and :func:`mlbasics.data.select_by_validation` are in
:mod:`mlbasics.data`.
"""

import numbers

import numpy as np

from mlbasics._checks import count, generator


def accuracy_standard_error(p, n):
    """Standard deviation of the accuracy measured on ``n`` independent examples.

    Parameters
    ----------
    p : float or array_like
        The model's true accuracy (the probability that it gets a new example right), in [0, 1].
    n : int or array_like of int
        Number of examples the accuracy is measured on, >= 1.

    Returns
    -------
    float or ndarray
        :math:`\\sqrt{p(1-p)/n}`, broadcast over ``p`` and ``n``.

    Notes
    -----
    Each example is right (1) with probability ``p`` and wrong (0) otherwise: a Bernoulli
    variable of variance :math:`p(1-p)`. The measured accuracy is the mean of ``n`` of them, whose
    variance is ``n`` times smaller.
    """
    p = np.asarray(p, dtype=np.float64)
    n = np.asarray(n)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if not np.issubdtype(n.dtype, np.integer) or np.any(n < 1):
        raise ValueError(f"n must be a whole number of examples >= 1, got {n!r}")
    se = np.sqrt(p * (1 - p) / n)
    return float(se) if se.ndim == 0 else se


def kfold_splits(n, k, *, rng=None):
    """The ``k`` (training, validation) index pairs of K-fold cross-validation.

    Parameters
    ----------
    n : int
        Number of samples, >= ``k``.
    k : int
        Number of folds, >= 2.
    rng : numpy.random.Generator, int or None
        Shuffles the samples once (see :func:`mlbasics._checks.generator`).

    Returns
    -------
    list of (ndarray, ndarray)
        ``k`` pairs ``(train_idx, val_idx)`` of int arrays. The validation folds are consecutive
        pieces of one permutation ``order = rng.permutation(n)``; the first ``n % k`` folds have
        ``n // k + 1`` samples, the others ``n // k``. ``train_idx`` is every other sample, in
        the order of ``order``. Every sample is in exactly one validation fold, and never in the
        training part of its own fold.
    """
    n = count("n", n)
    k = count("k", k, minimum=2)
    if k > n:
        raise ValueError(f"k must be at most the number of samples n={n}, got {k}")
    order = generator(rng).permutation(n)
    sizes = np.full(k, n // k)
    sizes[:n % k] += 1
    stops = np.cumsum(sizes)
    folds = []
    for start, stop in zip(stops - sizes, stops):
        folds.append((np.concatenate([order[:start], order[stop:]]), order[start:stop]))
    return folds


def select_model(candidates, data, *, epochs, batch_size, patience, seed=0, fit=None):
    """Train every candidate with early stopping; keep the lowest validation loss (claim C31).

    Parameters
    ----------
    candidates : dict
        ``name -> (make_model, make_optimizer)``: two functions without arguments that return a
        fresh model (with ``init_params(rng)``) and a fresh optimizer.
    data : tuple
        ``(X_train, y_train, X_val, y_val)``; the test set has no place here (claim C32).
    epochs, batch_size, patience : int
        Passed to ``fit`` for every candidate.
    seed : int
        Every candidate starts from ``model.init_params(np.random.default_rng(seed))`` and is
        trained with ``rng=np.random.default_rng(seed + 1)``: the same start and the same order of
        batches, so that only the candidate differs.
    fit : callable, optional
        The training loop, :func:`mlbasics.batching.fit` by default.

    Returns
    -------
    best : str
        The name of the candidate with the lowest validation loss at its best epoch (the first
        one on ties).
    runs : dict
        ``name -> (model, params, history)`` for every candidate, in the order of
        ``candidates``; ``params`` are those of the best epoch.
    """
    if fit is None:
        from mlbasics.batching import fit
    if not isinstance(candidates, dict) or not candidates:
        raise ValueError(f"candidates must be a non-empty dict name -> (make_model, make_optimizer), got {candidates!r}")
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    patience = count("patience", patience)
    runs, best, best_loss = {}, None, None
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        history = fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                      rng=np.random.default_rng(seed + 1))
        runs[name] = (model, params, history)
        loss = history["val_loss"][history["best_epoch"]]
        if best is None or loss < best_loss:
            best, best_loss = name, loss
    return best, runs
