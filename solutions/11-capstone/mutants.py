"""Plausible wrong answers for 11-capstone: `make mutants ASSIGNMENT=11-capstone` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks (the test of ``fit`` runs with the course's
``iterate_minibatches`` in place of the learner's, so mistakes there cost points only once).
"""

_FIT_HEAD = '''
def fit(model, params, data, optimizer, epochs, batch_size, patience=None, *, rng=None, progress=False):
    X_train, y_train, X_val, y_val = data
    rng = np.random.default_rng() if rng is None else rng
'''

MUTANTS = {
    "iterate_minibatches": [
        dict(
            name="drops the last, smaller batch",
            hint="the last, smaller batch",
            source='''
def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    for k in range(len(X) // batch_size):
        idx = order[k * batch_size:(k + 1) * batch_size]
        yield X[idx], y[idx]
''',
        ),
        dict(
            name="shuffles X and y with two different permutations",
            hint="indexed with the same permutation",
            source='''
def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    rng = np.random.default_rng() if rng is None else rng
    ox = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    oy = rng.permutation(len(y)) if shuffle else np.arange(len(y))
    for start in range(0, len(X), batch_size):
        yield X[ox[start:start + batch_size]], y[oy[start:start + batch_size]]
''',
        ),
        dict(
            name="shuffles the caller's arrays in place",
            hint="changed the X it was given",
            source='''
def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    if shuffle:
        order = rng.permutation(len(X))
        X[:], y[:] = X[order], y[order]
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
''',
        ),
        dict(
            name="a new seeded generator at every call",
            hint="do not make a new seeded generator",
            source='''
def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    order = np.random.default_rng(0).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]
''',
        ),
    ],
    "softmax_cross_entropy": [
        dict(
            name="exp without subtracting the max (overflow)",
            hint="subtract each row's maximum",
            source='''
def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, dtype=np.float64)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    n = len(z)
    loss = -np.log(p[np.arange(n), y]).mean()
    grad = p.copy()
    grad[np.arange(n), y] -= 1
    return float(loss), grad / n
''',
        ),
        dict(
            name="gradient not divided by n",
            hint="n = 2 times too large",
            source='''
def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(z)
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), grad
''',
        ),
        dict(
            name="loss summed over the batch",
            hint="this is the sum over the samples",
            source='''
def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(z)
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].sum()), grad / n
''',
        ),
        dict(
            name="one-hot minus probabilities (wrong sign)",
            hint="wrong sign",
            source='''
def softmax_cross_entropy(logits, y):
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(z)
    grad = -np.exp(log_p)
    grad[np.arange(n), y] += 1
    return float(-log_p[np.arange(n), y].mean()), grad / n
''',
        ),
        dict(
            name="subtracts the max from the caller's logits in place",
            hint="changed the logits it was given",
            source='''
def softmax_cross_entropy(logits, y):
    z = logits
    z -= z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(z)
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1
    return float(-log_p[np.arange(n), y].mean()), grad / n
''',
        ),
    ],
    "Adam": [
        dict(
            name="no bias correction",
            hint="no bias correction",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if lr <= 0 or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
            raise ValueError("bad hyperparameter")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            params[k] -= self.lr * self.m[k] / (np.sqrt(self.v[k]) + self.eps)
''',
        ),
        dict(
            name="eps inside the square root",
            hint="eps goes after the square root",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if lr <= 0 or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
            raise ValueError("bad hyperparameter")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / np.sqrt(v_hat + self.eps)
''',
        ),
        dict(
            name="t counted once per key",
            hint="not once per key",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if lr <= 0 or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
            raise ValueError("bad hyperparameter")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for k in params:
            self.t += 1
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="puts new arrays in params instead of updating in place",
            hint="in place",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if lr <= 0 or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
            raise ValueError("bad hyperparameter")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] = params[k] - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="state reset at every update",
            hint="keep m, v and t from one update to the next",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        if lr <= 0 or not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
            raise ValueError("bad hyperparameter")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps

    def update(self, params, grads):
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
        dict(
            name="no check of the hyperparameters",
            hint="should raise ValueError",
            source='''
class Adam:
    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
''',
        ),
    ],
    "fit": [
        dict(
            name="no entry for epoch 0",
            hint="before training (epoch 0)",
            source=_FIT_HEAD + '''
    history = {"train_loss": [], "val_loss": [], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = model.loss(params, X_val, y_val), 0, {k: v.copy() for k, v in params.items()}
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        if history["val_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["val_loss"][-1], epoch, {k: v.copy() for k, v in params.items()}
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    if patience is not None:
        for k in params:
            params[k][...] = best[k]
        history["best_epoch"] = best_epoch
    return history
''',
        ),
        dict(
            name="patience off by one (one epoch too many)",
            hint="one epoch too many",
            source=_FIT_HEAD + '''
    history = {"train_loss": [float(model.loss(params, X_train, y_train))],
               "val_loss": [float(model.loss(params, X_val, y_val))], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = history["val_loss"][0], 0, {k: v.copy() for k, v in params.items()}
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        if history["val_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["val_loss"][-1], epoch, {k: v.copy() for k, v in params.items()}
            waited = 0
        else:
            waited += 1
            if waited > patience:
                break
    if patience is not None:
        for k in params:
            params[k][...] = best[k]
        history["best_epoch"] = best_epoch
    return history
''',
        ),
        dict(
            name="saves the best params without copying them",
            hint="put the best epoch's values back",
            source=_FIT_HEAD + '''
    history = {"train_loss": [float(model.loss(params, X_train, y_train))],
               "val_loss": [float(model.loss(params, X_val, y_val))], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = history["val_loss"][0], 0, dict(params)
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        if history["val_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["val_loss"][-1], epoch, dict(params)
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    if patience is not None:
        for k in params:
            params[k][...] = best[k]
        history["best_epoch"] = best_epoch
    return history
''',
        ),
        dict(
            name="restores the best params only after an early stop",
            hint="even when training did not stop early",
            source=_FIT_HEAD + '''
    history = {"train_loss": [float(model.loss(params, X_train, y_train))],
               "val_loss": [float(model.loss(params, X_val, y_val))], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = history["val_loss"][0], 0, {k: v.copy() for k, v in params.items()}
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        history["best_epoch"] = best_epoch
        if history["val_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["val_loss"][-1], epoch, {k: v.copy() for k, v in params.items()}
            history["best_epoch"] = best_epoch
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                for k in params:
                    params[k][...] = best[k]
                break
    return history
''',
        ),
        dict(
            name="early stopping watches the training loss",
            hint="early stopping never stopped",
            source=_FIT_HEAD + '''
    history = {"train_loss": [float(model.loss(params, X_train, y_train))],
               "val_loss": [float(model.loss(params, X_val, y_val))], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = history["train_loss"][0], 0, {k: v.copy() for k, v in params.items()}
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        if history["train_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["train_loss"][-1], epoch, {k: v.copy() for k, v in params.items()}
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    if patience is not None:
        for k in params:
            params[k][...] = best[k]
        history["best_epoch"] = best_epoch
    return history
''',
        ),
        dict(
            name="rebinds params to the best copy instead of writing into the caller's arrays",
            hint="put the best epoch's values back",
            source=_FIT_HEAD + '''
    history = {"train_loss": [float(model.loss(params, X_train, y_train))],
               "val_loss": [float(model.loss(params, X_val, y_val))], "batch_loss": [], "best_epoch": None}
    best_loss, best_epoch, best = history["val_loss"][0], 0, {k: v.copy() for k, v in params.items()}
    waited = 0
    for epoch in tqdm(range(1, epochs + 1), disable=not progress):
        for X_b, y_b in iterate_minibatches(X_train, y_train, batch_size, rng=rng):
            loss, grads = model.loss_and_grads(params, X_b, y_b)
            optimizer.update(params, grads)
            history["batch_loss"].append(float(loss))
        history["train_loss"].append(float(model.loss(params, X_train, y_train)))
        history["val_loss"].append(float(model.loss(params, X_val, y_val)))
        if patience is None:
            continue
        if history["val_loss"][-1] < best_loss:
            best_loss, best_epoch, best = history["val_loss"][-1], epoch, {k: v.copy() for k, v in params.items()}
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    if patience is not None:
        params = best
        history["best_epoch"] = best_epoch
    return history
''',
        ),
    ],
}
