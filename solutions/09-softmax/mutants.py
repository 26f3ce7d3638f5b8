"""Plausible wrong answers for 09-softmax: `make mutants ASSIGNMENT=09-softmax` grades each one.

``MUTANTS[grade_id]`` lists wrong implementations of the solution cell ``grade_id``. Each entry's
``source`` replaces the whole cell; ``hint`` is a phrase the test cell's failure message must
contain (None when the mistake has no specific hint). Every mutant must lose points for its own
exercise and leave the other exercises at full marks.
"""

MUTANTS = {
    "softmax": [
        dict(
            name="no max subtraction, overflows",
            hint="Subtract the largest score first",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        ),
        dict(
            name="always normalises the columns (axis 0)",
            hint="each column sums to 1 instead of each row",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
''',
        ),
        dict(
            name="normalises over the whole array",
            hint="normalised over the whole array",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)
''',
        ),
        dict(
            name="keepdims missing in max and sum",
            hint="keepdims=True",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis))
    return e / np.sum(e, axis=axis)
''',
        ),
        dict(
            name="keepdims missing in sum only",
            hint="keepdims=True",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis)
''',
        ),
        dict(
            name="subtracts the max of the whole array",
            hint="subtract each",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        ),
        dict(
            name="ignores the axis argument (always the last axis)",
            hint="ignored the axis argument",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
''',
        ),
        dict(
            name="divides the scores by their sum, no exponential",
            hint="exponentiates first",
            source='''
def softmax(z, axis=-1):
    return z / np.sum(z, axis=axis, keepdims=True)
''',
        ),
        dict(
            name="turns float32 into float64",
            hint="keep the input's dtype",
            source='''
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        ),
        dict(
            name="subtracts the max from the caller's array in place",
            hint="changed the scores it was given",
            source='''
def softmax(z, axis=-1):
    z -= np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        ),
        dict(
            name="writes the probabilities into an array shaped like the (integer) input",
            hint="cut to whole numbers",
            source='''
def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    out = np.zeros_like(z)
    out[...] = e / np.sum(e, axis=axis, keepdims=True)
    return out
''',
        ),
    ],
    "hardmax": [
        dict(
            name="ties go to the last index",
            hint="ties go to the first index",
            source='''
def hardmax(z, axis=-1):
    z = np.asarray(z)
    flipped = np.flip(z, axis=axis)
    last = z.shape[axis] - 1 - np.argmax(flipped, axis=axis)
    out = np.zeros(z.shape)
    np.put_along_axis(out, np.expand_dims(last, axis), 1.0, axis=axis)
    return out
''',
        ),
        dict(
            name="marks every tied maximum",
            hint="several 1s",
            source='''
def hardmax(z, axis=-1):
    return (z == np.max(z, axis=axis, keepdims=True)).astype(float)
''',
        ),
        dict(
            name="returns the index instead of a one-hot array",
            hint="not the index",
            source='''
def hardmax(z, axis=-1):
    return np.argmax(z, axis=axis)
''',
        ),
        dict(
            name="one-hot via np.eye, ignores the axis",
            hint="ignored the axis argument",
            source='''
def hardmax(z, axis=-1):
    return np.eye(z.shape[-1])[np.argmax(z, axis=-1)]
''',
        ),
        dict(
            name="argmax over the whole array",
            hint="a single 1 in the whole array",
            source='''
def hardmax(z, axis=-1):
    z = np.asarray(z)
    out = np.zeros(z.size)
    out[np.argmax(z)] = 1.0
    return out.reshape(z.shape)
''',
        ),
    ],
    "softmax_jacobian": [
        dict(
            name="only the diagonal, like an elementwise activation",
            hint="off-diagonal entries are all 0",
            source='''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p * (1 - p))
''',
        ),
        dict(
            name="off-diagonal sign flipped",
            hint="off-diagonal entries are positive",
            source='''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p) + np.outer(p, p) - 2 * np.diag(p * p)
''',
        ),
        dict(
            name="one formula p_i (1 - p_j) for every entry",
            hint="off-diagonal entries are positive",
            source='''
def softmax_jacobian(z):
    p = softmax(z)
    return p[:, None] * (1 - p[None, :])
''',
        ),
        dict(
            name="the diagonal term forgotten",
            hint="the case i = j is missing a term",
            source='''
def softmax_jacobian(z):
    p = softmax(z)
    return -np.outer(p, p)
''',
        ),
        dict(
            name="scores where the probabilities belong",
            hint="use the scores z",
            source='''
def softmax_jacobian(z):
    return np.diag(z) - np.outer(z, z)
''',
        ),
        dict(
            name="outer minus diag (sign flipped)",
            hint="the wrong sign: the sign is flipped",
            source='''
def softmax_jacobian(z):
    p = softmax(z)
    return np.outer(p, p) - np.diag(p)
''',
        ),
        dict(
            name="naive exponentials inside, overflows",
            hint="your stable softmax",
            source='''
def softmax_jacobian(z):
    e = np.exp(z)
    p = e / e.sum()
    return np.diag(p) - np.outer(p, p)
''',
        ),
        dict(
            name="computed numerically with central differences",
            hint="close, but not exact",
            source='''
def softmax_jacobian(z):
    z = np.asarray(z, dtype=float)
    J = np.zeros((len(z), len(z)))
    for j in range(len(z)):
        step = np.zeros(len(z))
        step[j] = 1e-5
        J[:, j] = (softmax(z + step) - softmax(z - step)) / 2e-5
    return J
''',
        ),
    ],
    "softmax_cross_entropy": [
        dict(
            name="loss through the probabilities, clipped",
            hint="you went through the probabilities",
            source='''
def softmax_cross_entropy(z, y):
    p = softmax(z, axis=1)
    n = len(z)
    loss = -np.mean(np.log(np.clip(p[np.arange(n), y], 1e-12, 1.0)))
    return float(loss), (p - np.eye(z.shape[1])[y]) / n
''',
        ),
        dict(
            name="loss summed over the batch",
            hint="sum over the 2 samples",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.sum(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
        dict(
            name="no max shift in the log-sum-exp",
            hint="subtract each row's own max",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    loss = np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
        dict(
            name="max of the whole batch subtracted",
            hint="subtract each row's own max",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max()
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
        dict(
            name="log-sum-exp over the whole batch",
            hint="taken per sample, along axis 1",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum()) - s[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
        dict(
            name="gradient not divided by n",
            hint="not averaged over the batch",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), softmax(z, axis=1) - np.eye(z.shape[1])[y]
''',
        ),
        dict(
            name="gradient y - p",
            hint="the sign is flipped",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), (np.eye(z.shape[1])[y] - softmax(z, axis=1)) / len(z)
''',
        ),
        dict(
            name="labels subtracted as a column, without one-hot encoding",
            hint="y holds labels, not one-hot rows",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - y[:, None]) / len(z)
''',
        ),
        dict(
            name="gradient divided by n * C",
            hint="divided by n * C",
            source='''
def softmax_cross_entropy(z, y):
    z = np.asarray(z, dtype=float)
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / z.size
''',
        ),
        dict(
            name="shifts the caller's scores in place",
            hint="changed the scores it was given",
            source='''
def softmax_cross_entropy(z, y):
    z -= z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(z)), y])
    return float(loss), (softmax(z, axis=1) - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
        dict(
            name="gradient written into an array shaped like integer scores",
            hint="cut to whole numbers",
            source='''
def softmax_cross_entropy(z, y):
    s = z - z.max(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(s).sum(axis=1)) - s[np.arange(len(z)), y])
    grad = np.zeros_like(z)
    grad[...] = softmax(z, axis=1) - np.eye(z.shape[1])[y]
    return float(loss), grad / len(z)
''',
        ),
    ],
}
