"""Plausible wrong answers for 10-train-val-test: `make mutants ASSIGNMENT=10-train-val-test` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "split_sizes": [
        dict(
            name="a NumPy integer count is taken for a fraction",
            hint="np.int64(8) is a count too",
            source='''
def split_sizes(n, val_size, test_size):
    def count(size):
        if isinstance(size, int):
            return size
        return int(np.floor(size * n + 0.5))
    n_val, n_test = count(val_size), count(test_size)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError("no training sample left")
    return n_train, n_val, n_test
''',
        ),
        dict(
            name="int() truncates the fractions",
            hint="int() truncates",
            source='''
def split_sizes(n, val_size, test_size):
    count = lambda size: int(size) if isinstance(size, (int, np.integer)) else int(size * n)
    n_val, n_test = count(val_size), count(test_size)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError("no training sample left")
    return n_train, n_val, n_test
''',
        ),
        dict(
            name="Python's round() (halves to even)",
            hint="Python's round()",
            source='''
def split_sizes(n, val_size, test_size):
    count = lambda size: int(size) if isinstance(size, (int, np.integer)) else round(size * n)
    n_val, n_test = count(val_size), count(test_size)
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError("no training sample left")
    return n_train, n_val, n_test
''',
        ),
        dict(
            name="the training size is its own rounded fraction",
            hint="must add up to n",
            source='''
def split_sizes(n, val_size, test_size):
    frac = lambda size: size / n if isinstance(size, (int, np.integer)) else size
    count = lambda f: int(np.floor(f * n + 0.5))
    n_val, n_test = count(frac(val_size)), count(frac(test_size))
    n_train = count(1 - frac(val_size) - frac(test_size))
    if n_train < 1:
        raise ValueError("no training sample left")
    return n_train, n_val, n_test
''',
        ),
        dict(
            name="no ValueError when nothing is left for training",
            hint="should raise ValueError",
            source='''
def split_sizes(n, val_size, test_size):
    count = lambda size: int(size) if isinstance(size, (int, np.integer)) else int(np.floor(size * n + 0.5))
    n_val, n_test = count(val_size), count(test_size)
    return max(n - n_val - n_test, 0), n_val, n_test
''',
        ),
    ],
    "stratified_counts": [
        dict(
            name="rounds every class on its own",
            hint="rounding or flooring every class on its own",
            source='''
def stratified_counts(class_counts, n_part):
    class_counts = np.asarray(class_counts)
    return np.round(n_part * class_counts / class_counts.sum()).astype(np.int64)
''',
        ),
        dict(
            name="leftovers to the largest classes",
            hint="not to the largest class",
            source='''
def stratified_counts(class_counts, n_part):
    class_counts = np.asarray(class_counts)
    counts = n_part * class_counts // class_counts.sum()
    order = np.argsort(-class_counts, kind="stable")
    counts[order[:n_part - counts.sum()]] += 1
    return counts
''',
        ),
        dict(
            name="ties go to the later class",
            hint="the earlier class gets it",
            source='''
def stratified_counts(class_counts, n_part):
    class_counts = np.asarray(class_counts)
    counts, remainders = n_part * class_counts // class_counts.sum(), n_part * class_counts % class_counts.sum()
    order = np.argsort(remainders, kind="stable")[::-1]
    missing = n_part - counts.sum()
    if missing:
        counts[order[:missing]] += 1
    return counts
''',
        ),
    ],
    "train_val_test_split": [
        dict(
            name="X and y shuffled with two different permutations",
            hint="not two different permutations",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n = len(X)
    n_train, n_val, n_test = split_sizes(n, val_size, test_size)
    rng = np.random.default_rng() if rng is None else rng
    ox = rng.permutation(n) if shuffle else np.arange(n)
    oy = rng.permutation(n) if shuffle else np.arange(n)
    cut = lambda o: (o[:n_train], o[n_train:n_train + n_val], o[n_train + n_val:])
    (a, b, c), (d, e, f) = cut(ox), cut(oy)
    return X[a], X[b], X[c], y[d], y[e], y[f]
''',
        ),
        dict(
            name="the validation slice starts one too early (overlap)",
            hint="overlaps the training part",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n_train, n_val, n_test = split_sizes(len(X), val_size, test_size)
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    train, val, test = order[:n_train], order[n_train - 1:n_train + n_val], order[n_train + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''',
        ),
        dict(
            name="the test slice loses the last sample",
            hint="one sample short",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n = len(X)
    n_train, n_val, n_test = split_sizes(n, val_size, test_size)
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n) if shuffle else np.arange(n)
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:n - 1]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''',
        ),
        dict(
            name="returns the parts pairwise (X_train, y_train, X_val, ...)",
            hint="in this order",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n_train, n_val, n_test = split_sizes(len(X), val_size, test_size)
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    return X[train], y[train], X[val], y[val], X[test], y[test]
''',
        ),
        dict(
            name="stratify is ignored",
            hint="keeps the class proportions",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n_train, n_val, n_test = split_sizes(len(X), val_size, test_size)
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''',
        ),
        dict(
            name="never shuffles",
            hint="just the first 20 samples",
            source='''
def train_val_test_split(X, y, *, val_size, test_size, stratify=False, shuffle=True, rng=None):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError("lengths differ")
    n_train, n_val, n_test = split_sizes(len(X), val_size, test_size)
    order = np.arange(len(X))
    train, val, test = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]
    return X[train], X[val], X[test], y[train], y[val], y[test]
''',
        ),
    ],
    "select_by_validation": [
        dict(
            name="keeps the highest validation loss",
            hint="highest validation loss",
            source='''
def select_by_validation(candidates, train_fn, val_loss_fn):
    best, best_params, val_losses = None, None, []
    for c in candidates:
        params = train_fn(c)
        loss = float(val_loss_fn(c, params))
        if not val_losses or loss > max(val_losses):
            best, best_params = c, params
        val_losses.append(loss)
    return best, best_params, val_losses
''',
        ),
        dict(
            name="a tie goes to the later candidate",
            hint="keep the first one",
            source='''
def select_by_validation(candidates, train_fn, val_loss_fn):
    best, best_params, val_losses = None, None, []
    for c in candidates:
        params = train_fn(c)
        loss = float(val_loss_fn(c, params))
        if not val_losses or loss <= min(val_losses):
            best, best_params = c, params
        val_losses.append(loss)
    return best, best_params, val_losses
''',
        ),
        dict(
            name="returns the params of the last candidate trained",
            hint="not those of the last candidate trained",
            source='''
def select_by_validation(candidates, train_fn, val_loss_fn):
    candidates = list(candidates)
    val_losses = []
    for c in candidates:
        params = train_fn(c)
        val_losses.append(float(val_loss_fn(c, params)))
    return candidates[int(np.argmin(val_losses))], params, val_losses
''',
        ),
        dict(
            name="trains the winner again",
            hint="do not train the winner again",
            source='''
def select_by_validation(candidates, train_fn, val_loss_fn):
    candidates = list(candidates)
    val_losses = [float(val_loss_fn(c, train_fn(c))) for c in candidates]
    best = candidates[int(np.argmin(val_losses))]
    return best, train_fn(best), val_losses
''',
        ),
    ],
    "accuracy_standard_error": [
        dict(
            name="the variance instead of the standard deviation",
            hint="a variance, not a standard deviation",
            source='''
def accuracy_standard_error(p, n):
    return p * (1 - p) / n
''',
        ),
        dict(
            name="the spread of one example, not of the mean",
            hint="the spread of one example",
            source='''
def accuracy_standard_error(p, n):
    return np.sqrt(p * (1 - p))
''',
        ),
        dict(
            name="standard deviation divided by n",
            hint="shrinks much faster as n grows",
            source='''
def accuracy_standard_error(p, n):
    return np.sqrt(p * (1 - p)) / n
''',
        ),
        dict(
            name="the spread of the count of right answers",
            hint="the number of right answers",
            source='''
def accuracy_standard_error(p, n):
    return np.sqrt(n * p * (1 - p))
''',
        ),
        dict(
            name="integer division truncates the variance",
            hint=None,
            source='''
def accuracy_standard_error(p, n):
    return np.sqrt(p * (1 - p) // (1 / n))
''',
        ),
    ],
    "kfold_splits": [
        dict(
            name="the last fold gets all the leftover samples",
            hint="the last fold got all the leftover samples",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    size = n // k
    folds = []
    for i in range(k):
        stop = (i + 1) * size if i < k - 1 else n
        folds.append((np.concatenate([order[:i * size], order[stop:]]), order[i * size:stop]))
    return folds
''',
        ),
        dict(
            name="the leftover samples are dropped",
            hint="samples are lost",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    size = n // k
    return [(np.concatenate([order[:i * size], order[(i + 1) * size:]]), order[i * size:(i + 1) * size]) for i in range(k)]
''',
        ),
        dict(
            name="each fold's slice one sample too long (folds overlap)",
            hint="one sample too long",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    base, extra = divmod(n, k)
    folds, start = [], 0
    for i in range(k):
        stop = start + base + (1 if i < extra else 0)
        folds.append((np.concatenate([order[:start], order[stop + 1:]]), order[start:stop + 1]))
        start = stop
    return folds
''',
        ),
        dict(
            name="the training part keeps the fold's own samples",
            hint="trains on samples",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    base, extra = divmod(n, k)
    folds, start = [], 0
    for i in range(k):
        stop = start + base + (1 if i < extra else 0)
        folds.append((order.copy(), order[start:stop]))
        start = stop
    return folds
''',
        ),
        dict(
            name="a new permutation for every fold",
            hint="more than one validation fold",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    base, extra = divmod(n, k)
    folds, start = [], 0
    for i in range(k):
        order = rng.permutation(n)
        stop = start + base + (1 if i < extra else 0)
        folds.append((np.concatenate([order[:start], order[stop:]]), order[start:stop]))
        start = stop
    return folds
''',
        ),
        dict(
            name="the training part is only what comes after the fold",
            hint="training indices for",
            source='''
def kfold_splits(n, k, *, rng=None):
    if k < 2 or k > n:
        raise ValueError("k out of range")
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    base, extra = divmod(n, k)
    folds, start = [], 0
    for i in range(k):
        stop = start + base + (1 if i < extra else 0)
        folds.append((order[stop:], order[start:stop]))
        start = stop
    return folds
''',
        ),
        dict(
            name="no check of k",
            hint="should raise ValueError",
            source='''
def kfold_splits(n, k, *, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    order = rng.permutation(n)
    base, extra = divmod(n, max(k, 1))
    folds, start = [], 0
    for i in range(k):
        stop = start + base + (1 if i < extra else 0)
        folds.append((np.concatenate([order[:start], order[stop:]]), order[start:stop]))
        start = stop
    return folds
''',
        ),
    ],
}
