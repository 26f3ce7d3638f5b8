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
            hint="round up",
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
    ],
}
