"""Plausible wrong answers for 11-capstone: `make mutants ASSIGNMENT=11-capstone` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks (the tests of ``two_layer_backward``, ``fit`` and
``select_model`` run with the course's versions of the functions they call, so a mistake costs points only once).
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
    "two_layer_forward": [
        dict(
            name="no ReLU on the hidden layer",
            hint="H has negative entries",
            source='''
def two_layer_forward(params, X):
    H = X @ params["W1"] + params["b1"]
    return H, H @ params["W2"] + params["b2"]
''',
        ),
        dict(
            name="ReLU on the scores too",
            hint="your scores are never negative",
            source='''
def two_layer_forward(params, X):
    H = np.maximum(X @ params["W1"] + params["b1"], 0)
    return H, np.maximum(H @ params["W2"] + params["b2"], 0)
''',
        ),
        dict(
            name="returns the pre-activations as H",
            hint="H has negative entries",
            source='''
def two_layer_forward(params, X):
    Z1 = X @ params["W1"] + params["b1"]
    return Z1, np.maximum(Z1, 0) @ params["W2"] + params["b2"]
''',
        ),
        dict(
            name="hidden bias forgotten",
            hint="b1 is missing",
            source='''
def two_layer_forward(params, X):
    H = np.maximum(X @ params["W1"], 0)
    return H, H @ params["W2"] + params["b2"]
''',
        ),
        dict(
            name="output bias forgotten",
            hint="b2 is missing",
            source='''
def two_layer_forward(params, X):
    H = np.maximum(X @ params["W1"] + params["b1"], 0)
    return H, H @ params["W2"]
''',
        ),
        dict(
            name="a sigmoid hidden layer",
            hint="that is a sigmoid",
            source='''
def two_layer_forward(params, X):
    H = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    return H, H @ params["W2"] + params["b2"]
''',
        ),
    ],
    "two_layer_backward": [
        dict(
            name="ReLU's derivative forgotten",
            hint="wrong now that some are off",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = G @ params["W2"].T
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": H.T @ G, "b2": G.sum(axis=0)}
''',
        ),
        dict(
            name="W2's gradient from the pre-activations",
            hint="W2's gradient is wrong while b2's is right",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    Z1 = X @ params["W1"] + params["b1"]
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"].T) * (Z1 > 0)
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": Z1.T @ G, "b2": G.sum(axis=0)}
''',
        ),
        dict(
            name="W2 not transposed on the way back",
            hint="the error is on the way back to the hidden layer",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"]) * (H > 0)
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": H.T @ G, "b2": G.sum(axis=0)}
''',
        ),
        dict(
            name="divides by n again",
            hint="divided by n twice",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G = G / len(X)
    G1 = (G @ params["W2"].T) * (H > 0)
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": H.T @ G, "b2": G.sum(axis=0)}
''',
        ),
        dict(
            name="bias gradients averaged instead of summed",
            hint="divided by n twice",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"].T) * (H > 0)
    return loss, {"W1": X.T @ G1, "b1": G1.mean(axis=0), "W2": H.T @ G, "b2": G.mean(axis=0)}
''',
        ),
        dict(
            name="bias gradients summed over the wrong axis",
            hint="summed over the samples (axis 0)",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"].T) * (H > 0)
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=1), "W2": H.T @ G, "b2": G.sum(axis=1)}
''',
        ),
        dict(
            name="W1's gradient from H instead of X",
            hint="its parameter's shape",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"].T) * (H > 0)
    return loss, {"W1": H.T @ G1, "b1": G1.sum(axis=0), "W2": H.T @ G, "b2": G.sum(axis=0)}
''',
        ),
        dict(
            name="gradients under other keys",
            hint="keys W1, b1, W2, b2",
            source='''
def two_layer_backward(params, X, y):
    H, Z = two_layer_forward(params, X)
    loss, G = softmax_cross_entropy(Z, y)
    G1 = (G @ params["W2"].T) * (H > 0)
    return loss, {"dW1": X.T @ G1, "db1": G1.sum(axis=0), "dW2": H.T @ G, "db2": G.sum(axis=0)}
''',
        ),
    ],
    "predicted_start": [
        dict(
            name="log(1/C), the wrong sign",
            hint="check the sign",
            source='''
def predicted_start(y, n_classes):
    share = np.bincount(y, minlength=n_classes) / len(y)
    return float(np.log(1 / n_classes)), 1 / n_classes - share
''',
        ),
        dict(
            name="targets minus probabilities",
            hint="your gradient has the opposite sign",
            source='''
def predicted_start(y, n_classes):
    share = np.bincount(y, minlength=n_classes) / len(y)
    return float(np.log(n_classes)), share - 1 / n_classes
''',
        ),
        dict(
            name="summed over the batch",
            hint="this is the sum over the batch",
            source='''
def predicted_start(y, n_classes):
    counts = np.bincount(y, minlength=n_classes)
    return float(np.log(n_classes)), len(y) / n_classes - counts
''',
        ),
        dict(
            name="assumes a balanced batch",
            hint="this batch is not balanced",
            source='''
def predicted_start(y, n_classes):
    return float(np.log(n_classes)), np.zeros(n_classes)
''',
        ),
        dict(
            name="integer division truncates the class shares",
            hint="integer division",
            source='''
def predicted_start(y, n_classes):
    share = np.bincount(y, minlength=n_classes) // len(y)
    return float(np.log(n_classes)), 1 / n_classes - share
''',
        ),
        dict(
            name="classes absent from the batch forgotten",
            hint="also for classes absent from the batch",
            source='''
def predicted_start(y, n_classes):
    share = np.bincount(y) / len(y)
    return float(np.log(n_classes)), 1 / n_classes - share
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
    "select_model": [
        dict(
            name="chooses by the last validation loss",
            hint="you compared the last validation losses",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs = {}
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][-1]), runs
''',
        ),
        dict(
            name="chooses by the training loss",
            hint="chose by the training loss",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs = {}
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["train_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
        dict(
            name="keeps the highest validation loss",
            hint="highest validation loss",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs = {}
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return max(runs, key=lambda n: runs[n][2]["val_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
        dict(
            name="one generator shared by all the starts",
            hint="a shared generator or a shared params dict",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs, init_rng = {}, np.random.default_rng(seed)
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(init_rng)
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
        dict(
            name="one params dict trained by every candidate in turn",
            hint="a params dict shared by the candidates",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs, params = {}, None
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed)) if params is None else params
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
        dict(
            name="one generator shared by all the trainings",
            hint="so that all see the same batches",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs, batch_rng = {}, np.random.default_rng(seed + 1)
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience, rng=batch_rng))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
        dict(
            name="no early stopping",
            hint="without early stopping",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs = {}
    for name, (make_model, make_optimizer) in candidates.items():
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][-1]), runs
''',
        ),
        dict(
            name="a new optimizer made twice per candidate, the first one unused",
            hint="call it once per candidate",
            source='''
def select_model(candidates, data, *, epochs, batch_size, patience, seed=0):
    runs = {}
    for name, (make_model, make_optimizer) in candidates.items():
        make_optimizer()
        model = make_model()
        params = model.init_params(np.random.default_rng(seed))
        runs[name] = (model, params, fit(model, params, data, make_optimizer(), epochs, batch_size, patience,
                                         rng=np.random.default_rng(seed + 1)))
    return min(runs, key=lambda n: runs[n][2]["val_loss"][runs[n][2]["best_epoch"]]), runs
''',
        ),
    ],
}
