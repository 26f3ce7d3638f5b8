"""Plausible wrong answers for 03-batch-sgd-minibatch: `make mutants ASSIGNMENT=03-batch-sgd-minibatch` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "iterations_per_epoch": [
        dict(
            name="rounds down: the partial batch is not counted",
            hint="is an iteration too",
            source='''
def iterations_per_epoch(n_samples, batch_size):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    return n_samples // batch_size
''',
        ),
        dict(
            name="always adds one for the partial batch",
            hint="exactly 100",
            source='''
def iterations_per_epoch(n_samples, batch_size):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    return n_samples // batch_size + 1
''',
        ),
        dict(
            name="returns a float",
            hint="must return an int",
            source='''
def iterations_per_epoch(n_samples, batch_size):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    return np.ceil(n_samples / batch_size)
''',
        ),
        dict(
            name="no check of the batch size",
            hint="should raise ValueError",
            source='''
def iterations_per_epoch(n_samples, batch_size):
    return -(-n_samples // batch_size)
''',
        ),
        dict(
            name="int() of the division truncates the partial batch away",
            hint="is an iteration too",
            source='''
def iterations_per_epoch(n_samples, batch_size):
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    return int(n_samples / batch_size)
''',
        ),
    ],
    "iterate_minibatches": [
        dict(
            name="drops the last, smaller batch",
            hint="last, smaller batch is missing",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(X) - batch_size + 1, batch_size)]
''',
        ),
        dict(
            name="shuffles X and y with different permutations",
            hint="no longer match",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
''',
        ),
        dict(
            name="does not shuffle",
            hint="stored order",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
''',
        ),
        dict(
            name="uses numpy's global random state instead of rng",
            hint="from the rng you are given",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
''',
        ),
        dict(
            name="the same order every epoch (a fixed seed)",
            hint="draw a fresh rng.permutation at every call",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]
''',
        ),
        dict(
            name="overlapping batches: each slice one index too long",
            hint="your batches overlap",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size + 1]], y[order[s:s + batch_size + 1]]) for s in range(0, len(X), batch_size)]
''',
        ),
        dict(
            name="shuffles the caller's X and y in place",
            hint="changed the caller's X or y",
            source='''
def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:], y[:] = X[order], y[order]
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]
''',
        ),
    ],
    "train": [
        dict(
            name="builds a new params dict instead of updating in place",
            hint="update the caller's arrays in place",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            params = {k: params[k] - rate * grads[k] for k in params}
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="records the batch loss after the update",
            hint="before the update",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            _, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(model.loss(params, X[idx], y[idx]))
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="epoch_loss without the loss before training",
            hint="epoch_loss must start with the loss before training",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="param_history stores the live arrays, not copies",
            hint="store copies",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)], "param_history": [dict(params)]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append(dict(params))
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="drops the last, smaller batch",
            hint="last, smaller batch is missing",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X) - batch_size + 1, batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="shuffles once, before the first epoch",
            hint="at the start of EVERY epoch",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    order = rng.permutation(len(X))
    for _ in range(epochs):
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="never shuffles",
            hint="stored order",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        for s in range(0, len(X), batch_size):
            loss, grads = model.loss_and_grads(params, X[s:s + batch_size], y[s:s + batch_size])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="the schedule counts epochs instead of updates",
            hint="t must count updates, not epochs",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    for epoch in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(epoch) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="the update counter restarts every epoch",
            hint="keep counting across epochs",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for t, s in enumerate(range(0, len(X), batch_size)):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="calls the reference training loop",
            hint="reference implementation",
            source='''
from mlbasics import batching, optim

def train(model, params, X, y, lr, epochs, batch_size, rng):
    opt = optim.SGD(lr=lr if not callable(lr) else 1.0)
    h = batching.train(model, params, X, y, optimizer=opt, epochs=epochs, batch_size=batch_size, rng=rng,
                       scheduler=lr if callable(lr) else None, record_params=True)
    return {"iteration_loss": h.iteration_loss, "epoch_loss": h.epoch_loss, "param_history": h.param_history}
''',
        ),
        dict(
            name="rebinds params[key] to a new array instead of updating it in place",
            hint="replaced params['W'] by a new array",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] = params[k] - rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="one epoch too many",
            hint="one epoch too many",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs + 1):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
            t += 1
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
        dict(
            name="the update counter starts at 1",
            hint="t starts at 0",
            source='''
def train(model, params, X, y, lr, epochs, batch_size, rng):
    history = {"iteration_loss": [], "epoch_loss": [model.loss(params, X, y)],
               "param_history": [{k: v.copy() for k, v in params.items()}]}
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), batch_size):
            idx = order[s:s + batch_size]
            loss, grads = model.loss_and_grads(params, X[idx], y[idx])
            t += 1
            rate = lr(t) if callable(lr) else lr
            for k in params:
                params[k] -= rate * grads[k]
            history["iteration_loss"].append(loss)
            history["param_history"].append({k: v.copy() for k, v in params.items()})
        history["epoch_loss"].append(model.loss(params, X, y))
    return history
''',
        ),
    ],
    "minibatch_gradient": [
        dict(
            name="sums the per-sample gradients instead of averaging them",
            hint="you summed the per-sample gradients",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = (X_batch @ params["W"])[:, 0] + params["b"][0] - y_batch
    return {"W": (2 * r[:, None] * X_batch).sum(axis=0)[:, None], "b": np.array([(2 * r).sum()])}
''',
        ),
        dict(
            name="forgets the factor 2",
            hint="factor 2",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = (X_batch @ params["W"])[:, 0] + params["b"][0] - y_batch
    return {"W": (r[:, None] * X_batch).mean(axis=0)[:, None], "b": np.array([r.mean()])}
''',
        ),
        dict(
            name="divides by the number of features",
            hint="number of features",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = (X_batch @ params["W"])[:, 0] + params["b"][0] - y_batch
    d = X_batch.shape[1]
    return {"W": (2 * r[:, None] * X_batch).sum(axis=0)[:, None] / d, "b": np.array([(2 * r).sum() / d])}
''',
        ),
        dict(
            name="averages over the features (axis 1) instead of the samples",
            hint="averaged over the features",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = (X_batch @ params["W"])[:, 0] + params["b"][0] - y_batch
    return {"W": (2 * r[:, None] * X_batch).mean(axis=1)[:, None], "b": np.array([(2 * r).mean()])}
''',
        ),
        dict(
            name="X @ W of shape (m, 1) minus y of shape (m,) broadcasts to (m, m)",
            hint="broadcasts to an (m, m) matrix",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = X_batch @ params["W"] + params["b"] - y_batch
    return {"W": 2 * X_batch.T @ r / len(y_batch), "b": np.array([2 * r.mean()])}
''',
        ),
        dict(
            name="per-sample gradients stored in an integer array (integer inputs truncated)",
            hint="integer array",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    m = len(X_batch)
    per_W, per_b = np.zeros_like(X_batch), np.zeros_like(y_batch)
    for i in range(m):
        r = X_batch[i] @ params["W"][:, 0] + params["b"][0] - y_batch[i]
        per_W[i] = 2 * r * X_batch[i]
        per_b[i] = 2 * r
    return {"W": per_W.mean(axis=0)[:, None], "b": np.array([per_b.mean()])}
''',
        ),
        dict(
            name="residual target minus prediction",
            hint="the sign is flipped",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    r = y_batch - ((X_batch @ params["W"])[:, 0] + params["b"][0])
    return {"W": (2 * r[:, None] * X_batch).mean(axis=0)[:, None], "b": np.array([(2 * r).mean()])}
''',
        ),
        dict(
            name="writes the per-sample gradients into the caller's X (np.asarray does not copy)",
            hint="changed its inputs",
            source='''
def minibatch_gradient(params, X_batch, y_batch):
    X = np.asarray(X_batch, dtype=np.float64)
    r = (X @ params["W"])[:, 0] + params["b"][0] - y_batch
    X *= 2 * r[:, None]
    return {"W": X.mean(axis=0)[:, None], "b": np.array([2 * r.mean()])}
''',
        ),
    ],
    "batch_gradient_std": [
        dict(
            name="sigma / sqrt(m): the rule for independent draws",
            hint="noise of m independent draws",
            source='''
def batch_gradient_std(sigma, batch_size, n_samples):
    return np.asarray(sigma, dtype=float) / np.sqrt(batch_size)
''',
        ),
        dict(
            name="sigma / m: the variance's rule applied to the standard deviation",
            hint="VARIANCE of a mean falls as 1/m",
            source='''
def batch_gradient_std(sigma, batch_size, n_samples):
    return np.asarray(sigma, dtype=float) * np.sqrt((n_samples - batch_size) / (n_samples - 1)) / batch_size
''',
        ),
        dict(
            name="correction (n - m) / n, not 1 at m = 1",
            hint="a batch of one sample",
            source='''
def batch_gradient_std(sigma, batch_size, n_samples):
    return np.asarray(sigma, dtype=float) * np.sqrt((n_samples - batch_size) / (batch_size * n_samples))
''',
        ),
        dict(
            name="the correction multiplies the standard deviation, not the variance",
            hint="gets its square root",
            source='''
def batch_gradient_std(sigma, batch_size, n_samples):
    return np.asarray(sigma, dtype=float) / np.sqrt(batch_size) * (n_samples - batch_size) / (n_samples - 1)
''',
        ),
        dict(
            name="integer division in the correction",
            hint="integer division",
            source='''
def batch_gradient_std(sigma, batch_size, n_samples):
    return np.asarray(sigma, dtype=float) / np.sqrt(batch_size) * np.sqrt((n_samples - batch_size) // (n_samples - 1))
''',
        ),
        dict(
            name="math.sqrt on a float sigma only (fails for an array of sigmas)",
            hint="NumPy operations",
            source='''
import math

def batch_gradient_std(sigma, batch_size, n_samples):
    try:
        return float(sigma) * math.sqrt((n_samples - batch_size) / (batch_size * (n_samples - 1)))
    except TypeError:
        return sigma
''',
        ),
    ],
}
