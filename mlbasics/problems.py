"""A small, noisy, real training problem on which the optimizer notebooks (04-06) compare their
optimizers.

The 2-D test functions of :mod:`mlbasics.surfaces` show *how* an optimizer moves; they are
deterministic and have two parameters. This problem is what training looks like instead: softmax
regression (640 weights and 10 biases) on real images, scikit-learn's bundled 8x8 handwritten digits,
trained with mini-batches of 16, so every gradient is a noisy estimate. Every optimizer sees the same
samples in the same mini-batches in the same order (one seed), so two runs differ only by their
optimizer.

>>> from mlbasics.optim import SGD
>>> losses = loss_per_epoch(SGD(lr=0.5), epochs=2)
>>> losses.shape, round(float(losses[0]), 4)  # before training every class has probability 1/10
((3,), 2.3026)
"""

import functools
import importlib.util
from pathlib import Path

import numpy as np

from mlbasics import batching, data, models
from mlbasics._checks import count

__all__ = ["N_SAMPLES", "BATCH_SIZE", "EPOCHS", "digits_problem", "loss_per_epoch"]

N_SAMPLES = 800  # digits used for training: a few seconds for a dozen runs on a laptop
BATCH_SIZE = 16  # small mini-batches: noisy gradients
EPOCHS = 10


def _load_digits():
    """:func:`mlbasics.data.load_digits`, read from scikit-learn's bundled file without importing
    scikit-learn, whose import costs more than all the training runs of a notebook."""
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz" if spec and spec.origin else None
    if path is None or not path.is_file():
        return data.load_digits()
    table = np.loadtxt(path, delimiter=",")
    return table[:, :-1] / 16.0, table[:, -1].astype(np.int64)


@functools.lru_cache(maxsize=4)
def _digits(n, seed):
    X, y = _load_digits()  # pixel values scaled to [0, 1]
    pick = np.random.default_rng(seed).permutation(len(X))[:n]
    X, y = X[pick], y[pick]
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def digits_problem(n=N_SAMPLES, seed=0):
    """The model and the training data of the shared problem.

    Parameters
    ----------
    n : int
        Number of digits, drawn at random (without replacement) from the 1797 of
        :func:`mlbasics.data.load_digits`.
    seed : int
        Which digits are drawn.

    Returns
    -------
    model : mlbasics.models.SoftmaxRegression
        64 pixel features, 10 classes.
    X : ndarray, shape ``(n, 64)``
        Pixel values in [0, 1], read-only.
    y : ndarray of int, shape ``(n,)``
        The digits, 0 to 9, read-only.
    """
    n = count("n", n)
    if n > 1797:
        raise ValueError(f"n must be at most 1797 (the number of digits), got {n}")
    X, y = _digits(n, seed)
    return models.SoftmaxRegression(X.shape[1], 10), X, y


def loss_per_epoch(optimizer, *, epochs=EPOCHS, batch_size=BATCH_SIZE, n=N_SAMPLES, seed=0):
    """Train softmax regression on the digits with ``optimizer``; return the loss after every epoch.

    Parameters
    ----------
    optimizer : object
        Anything with ``update(params, grads)`` that changes ``params`` in place (the course's
        optimizer interface). Use a fresh one per call: its state is kept.
    epochs : int
        Passes over the ``n`` training digits.
    batch_size : int
        Samples per update.
    n : int
        Number of digits (see :func:`digits_problem`).
    seed : int
        Picks the digits and the order of the mini-batches: the same seed gives every optimizer the
        same mini-batches in the same order.

    Returns
    -------
    ndarray, shape ``(epochs + 1,)``
        Mean cross-entropy on the ``n`` training digits, before training (``log 10``, the parameters
        start at zero) and after every epoch.
    """
    model, X, y = digits_problem(n, seed)
    params = model.init_params()
    history = batching.train(model, params, X, y, optimizer=optimizer, epochs=epochs,
                             batch_size=batch_size, rng=seed)
    return np.array(history.epoch_loss)
