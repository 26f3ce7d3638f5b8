"""Mini-batches and the training loop.

Vocabulary (claim C7): a *batch* is the set of samples used for one update, an *iteration* is one
update, an *epoch* is one pass over the training set. With 1000 samples and batches of 10, an
epoch is 100 iterations. The batch size picks the method:

- ``batch_size = len(X)``: batch gradient descent (BGD), one update per epoch;
- ``batch_size = 1``: stochastic gradient descent (SGD), one update per sample;
- ``1 < batch_size < len(X)``: mini-batch gradient descent.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from mlbasics._checks import count, generator, samples


def _check_batch_size(n_samples, batch_size, drop_last):
    count("n_samples", n_samples)
    count("batch_size", batch_size)
    if drop_last and batch_size > n_samples:
        raise ValueError(
            f"batch_size={batch_size} is larger than the {n_samples} samples: with drop_last=True "
            "an epoch would have no batch"
        )


def iterations_per_epoch(n_samples, batch_size, drop_last=False):
    """Number of updates in one epoch.

    Parameters
    ----------
    n_samples : int
        Size of the training set.
    batch_size : int
        Samples per update.
    drop_last : bool, optional
        Whether a last, smaller batch is skipped.

    Returns
    -------
    int
        :math:`\\lceil n / m \\rceil`, or :math:`\\lfloor n / m \\rfloor` with ``drop_last``:
        1000 samples in batches of 10 give 100; 1001 give 101 (100 with ``drop_last``).
    """
    _check_batch_size(n_samples, batch_size, drop_last)
    return n_samples // batch_size if drop_last else math.ceil(n_samples / batch_size)


def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None, drop_last=False):
    """Split ``(X, y)`` into the mini-batches of one epoch.

    Parameters
    ----------
    X : array_like, shape ``(n, ...)``
        Inputs, one row per sample.
    y : array_like, shape ``(n, ...)``
        Targets, one row per sample.
    batch_size : int
        Samples per batch, at least 1.
    shuffle : bool, optional
        Visit the samples in a random order (default) or in their stored order.
    rng : numpy.random.Generator or int, optional
        Source of the random order. ``None`` with ``shuffle=True`` uses a fresh
        ``numpy.random.default_rng()``, so the order differs from call to call; pass a seed or a
        seeded generator to reproduce it. Calling again with the same generator gives the next
        epoch's (different) order; calling again with the same seed gives the same order.
    drop_last : bool, optional
        Skip the last batch when it is smaller than ``batch_size`` (default: keep it).

    Yields
    ------
    Xb : ndarray, shape ``(m, ...)``
    yb : ndarray, shape ``(m, ...)``
        ``m = batch_size``, except possibly for the last batch. Without ``drop_last`` every
        sample appears in exactly one batch per epoch.

    Raises
    ------
    ValueError
        For ``batch_size`` not an integer >= 1, ``X`` and ``y`` of different lengths, empty
        data, a negative seed, or ``drop_last=True`` with ``batch_size > len(X)`` (which would
        give no batch); ``TypeError`` for an ``rng`` that is not None, a seed or a Generator.
        Raised at the call, not at the first ``next()``.
    """
    X, y = samples(X, y)
    _check_batch_size(len(X), batch_size, drop_last)
    order = generator(rng).permutation(len(X)) if shuffle else np.arange(len(X))
    stop = len(X) - len(X) % batch_size if drop_last else len(X)

    def batches():
        for start in range(0, stop, batch_size):
            idx = order[start:start + batch_size]
            yield X[idx], y[idx]

    return batches()


@dataclass
class History:
    """What :func:`train` recorded.

    Attributes
    ----------
    iteration_loss : list of float
        Loss of each update's batch, computed just before that update (noisy for small batches).
    epoch_loss : list of float
        Loss on the whole training set after 0, 1, 2, ... epochs (entry 0 is before training).
    val_loss : list of float
        The same on the validation set (empty without validation data).
    epoch_time : list of float
        Wall-clock seconds spent in each epoch.
    n_updates : int
        Number of parameter updates made.
    iterations_per_epoch : int
        Updates per epoch.
    best_epoch : int or None
        With early stopping, the epoch (0 = before training) whose parameters were kept.
    stopped_early : bool
        Whether early stopping ended training before ``epochs``.
    param_history : list of dict
        With ``record_params=True``, a copy of the parameters before the first update and after
        every update (``n_updates + 1`` entries).
    """

    iteration_loss: list = field(default_factory=list)
    epoch_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    epoch_time: list = field(default_factory=list)
    n_updates: int = 0
    iterations_per_epoch: int = 0
    best_epoch: int | None = None
    stopped_early: bool = False
    param_history: list = field(default_factory=list)


def _snapshot(params):
    return {key: np.array(value, copy=True) for key, value in params.items()}


def train(model, params, X, y, *, optimizer, epochs, batch_size, rng=None, shuffle=True,
          drop_last=False, X_val=None, y_val=None, scheduler=None, patience=None,
          record_params=False, progress=False):
    """Train ``params`` of ``model`` on ``(X, y)`` by (mini-)batch gradient descent, in place.

    Parameters
    ----------
    model : object
        A model from :mod:`mlbasics.models` (anything with ``loss(params, X, y)`` and
        ``loss_and_grads(params, X, y) -> (loss, grads)``).
    params : dict of str to ndarray
        Parameters, updated in place.
    X, y : array_like, ``n`` rows each
        Training data.
    optimizer : object
        Anything with ``update(params, grads)`` that changes ``params`` in place, e.g. from
        :mod:`mlbasics.optim`.
    epochs : int
        Passes over the training set, at least 1.
    batch_size : int
        ``len(X)`` for BGD, ``1`` for SGD, anything in between for mini-batch.
    rng : numpy.random.Generator or int, optional
        Shuffles the training set at every epoch. ``None`` uses a fresh
        ``numpy.random.default_rng()`` (not reproducible); an integer seeds one.
    shuffle : bool, optional
        Reshuffle at every epoch (default); ``False`` visits samples in order.
    drop_last : bool, optional
        Skip an incomplete last batch (see :func:`iterate_minibatches`).
    X_val, y_val : array_like, optional
        Validation data, used only to measure ``val_loss``, never to fit (claims C30-C31).
    scheduler : callable or mlbasics.optim.LRScheduler, optional
        A schedule ``scheduler(step) -> lr`` (as in :mod:`mlbasics.descent`), ``step`` counting
        updates from 0: ``optimizer.lr`` is set to ``scheduler(t)`` before update ``t``. Or an
        :class:`~mlbasics.optim.LRScheduler` wrapping ``optimizer``, whose ``step()`` is called
        before every update (and which keeps counting across calls to ``train``).
    patience : int, optional
        Early stopping: stop once the validation loss has not improved for ``patience`` epochs
        in a row, and put back the parameters with the lowest validation loss. Needs
        validation data.
    record_params : bool, optional
        Keep a copy of the parameters after every update in ``History.param_history`` (to draw
        trajectories on a loss surface; costs memory).
    progress : bool, optional
        Show a ``tqdm`` progress bar over epochs.

    Returns
    -------
    History

    Notes
    -----
    Every update averages the gradient over its batch :math:`B` of size :math:`m`:

    .. math:: \\theta \\leftarrow \\mathrm{update}\\Big(\\theta, \\;
              \\frac{1}{m} \\sum_{i \\in B} \\nabla_\\theta \\ell(\\theta; x_i, y_i)\\Big),

    so one epoch makes ``iterations_per_epoch(len(X), batch_size, drop_last)`` updates, and
    ``History.n_updates == epochs * iterations_per_epoch`` unless training stops early.
    """
    X, y = samples(X, y)
    for name in ("loss", "loss_and_grads"):
        if not callable(getattr(model, name, None)):
            raise ValueError(f"model must have a {name}() method, got {model!r}")
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of arrays, got {type(params).__name__}")
    if not callable(getattr(optimizer, "update", None)):
        raise ValueError(f"optimizer must have an update(params, grads) method, got {optimizer!r}")
    count("epochs", epochs)
    n_iter = iterations_per_epoch(len(X), batch_size, drop_last)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together")
    if X_val is not None:
        X_val, y_val = samples(X_val, y_val, "X_val", "y_val")
    if patience is not None:
        count("patience", patience)
        if X_val is None:
            raise ValueError("patience (early stopping) needs validation data X_val and y_val")
    if callable(getattr(scheduler, "step", None)):
        if getattr(scheduler, "optimizer", optimizer) is not optimizer:
            raise ValueError("scheduler drives another optimizer than the one passed as optimizer")
    elif scheduler is not None and not callable(scheduler):
        raise ValueError(f"scheduler must be a schedule(step) -> lr or an LRScheduler, got {scheduler!r}")
    rng = generator(rng) if shuffle else None

    history = History(iterations_per_epoch=n_iter)
    history.epoch_loss.append(float(model.loss(params, X, y)))
    if X_val is not None:
        history.val_loss.append(float(model.loss(params, X_val, y_val)))
    if record_params:
        history.param_history.append(_snapshot(params))
    best = (history.val_loss[0], 0, _snapshot(params)) if patience is not None else None
    epochs_without_improvement = 0

    epoch_range = range(1, epochs + 1)
    if progress:
        from tqdm.auto import tqdm

        epoch_range = tqdm(epoch_range, desc="epochs")
    for epoch in epoch_range:
        started = time.perf_counter()
        for Xb, yb in iterate_minibatches(X, y, batch_size, shuffle=shuffle, rng=rng, drop_last=drop_last):
            if callable(getattr(scheduler, "step", None)):
                scheduler.step()
            elif scheduler is not None:
                optimizer.lr = scheduler(history.n_updates)
            loss, grads = model.loss_and_grads(params, Xb, yb)
            optimizer.update(params, grads)
            history.iteration_loss.append(float(loss))
            history.n_updates += 1
            if record_params:
                history.param_history.append(_snapshot(params))
        history.epoch_time.append(time.perf_counter() - started)
        history.epoch_loss.append(float(model.loss(params, X, y)))
        if X_val is not None:
            history.val_loss.append(float(model.loss(params, X_val, y_val)))
        if progress:
            shown = {"loss": f"{history.epoch_loss[-1]:.4g}"}
            if X_val is not None:
                shown["val_loss"] = f"{history.val_loss[-1]:.4g}"
            epoch_range.set_postfix(shown)
        if best is not None:
            if history.val_loss[-1] < best[0]:
                best = (history.val_loss[-1], epoch, _snapshot(params))
                epochs_without_improvement = 0
            else:
                epochs_without_improvement += 1
                if epochs_without_improvement >= patience:
                    history.stopped_early = epoch < epochs
                    break
    if progress:
        epoch_range.close()
    if best is not None:
        history.best_epoch = best[1]
        for key, value in best[2].items():
            params[key][...] = value
    return history



def fit(model, params, data, optimizer, epochs, batch_size, patience=None, *, rng=None, progress=False):
    """Mini-batch training with a validation set and early stopping; the capstone's training loop.

    A thin layer over :func:`train` with the data passed as one tuple and the history as a dict.

    Parameters
    ----------
    model : object
        Anything with ``loss(params, X, y)`` and ``loss_and_grads(params, X, y)``.
    params : dict of str to ndarray
        Updated in place; with ``patience``, the best parameters are put back at the end.
    data : tuple
        ``(X_train, y_train, X_val, y_val)``. Only the training pair fits parameters; the
        validation pair is only measured (claims C30-C31).
    optimizer : object
        Anything with ``update(params, grads)``.
    epochs : int
        The most epochs to run.
    batch_size : int
        Samples per update.
    patience : int, optional
        Stop once the validation loss has not improved (strictly) for ``patience`` epochs in a
        row, and restore the parameters of the epoch with the lowest validation loss (epoch 0 is
        before training). ``None``: run every epoch and keep the last parameters.
    rng : numpy.random.Generator, optional
        Shuffles the training set at every epoch, with one ``rng.permutation(n)`` per epoch (see
        :func:`iterate_minibatches`).
    progress : bool, optional
        A ``tqdm`` progress bar over the epochs.

    Returns
    -------
    dict
        ``"train_loss"`` and ``"val_loss"``: lists of the loss on the whole training and
        validation sets before training and after every epoch run; ``"batch_loss"``: the loss of
        every update's batch, computed before that update; ``"best_epoch"``: the epoch whose
        parameters were kept (``None`` without ``patience``).
    """
    try:
        X_train, y_train, X_val, y_val = data
    except (TypeError, ValueError):
        raise ValueError("data must be a tuple (X_train, y_train, X_val, y_val)") from None
    history = train(model, params, X_train, y_train, optimizer=optimizer, epochs=epochs, batch_size=batch_size,
                    rng=rng, X_val=X_val, y_val=y_val, patience=patience, progress=progress)
    return {"train_loss": history.epoch_loss, "val_loss": history.val_loss,
            "batch_loss": history.iteration_loss, "best_epoch": history.best_epoch}


def batch_gradient_std(sigma, batch_size, n_samples):
    """Standard deviation of a mini-batch gradient around the full gradient.

    The batch gradient is the mean of ``batch_size`` different per-sample gradients drawn at random
    from the ``n_samples`` of the training set, as one batch of :func:`iterate_minibatches` is.

    Parameters
    ----------
    sigma : float or array_like
        Standard deviation of the per-sample gradients over the training set (dividing by ``n``),
        one per coordinate.
    batch_size : int
        ``m``, between 1 and ``n_samples``.
    n_samples : int
        ``n``, at least 2.

    Returns
    -------
    float or ndarray of the shape of ``sigma``

    Notes
    -----
    Drawing without replacement (claim C13):

    .. math:: \\operatorname{std} = \\sigma \\sqrt{\\frac{n - m}{m (n - 1)}},

    which is :math:`\\sigma` for :math:`m = 1`, about :math:`\\sigma / \\sqrt m` while :math:`m \\ll n`,
    and 0 for :math:`m = n` (batch gradient descent's gradient is exact).
    """
    n_samples = count("n_samples", n_samples, minimum=2)
    batch_size = count("batch_size", batch_size)
    if batch_size > n_samples:
        raise ValueError(f"batch_size must be at most n_samples={n_samples}, got {batch_size}")
    sigma = np.asarray(sigma, dtype=np.float64)
    if not np.all(np.isfinite(sigma)) or np.any(sigma < 0):
        raise ValueError(f"sigma must hold finite numbers >= 0, got {sigma!r}")
    std = sigma * math.sqrt((n_samples - batch_size) / (batch_size * (n_samples - 1)))
    return float(std) if std.ndim == 0 else std
