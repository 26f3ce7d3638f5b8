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
    ],
    "softmax_cross_entropy_grad": [
        dict(
            name="not divided by n",
            hint="not averaged over the batch",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p - np.eye(z.shape[1])[y]
''',
        ),
        dict(
            name="y - p",
            hint="wrong sign",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (np.eye(z.shape[1])[y] - p) / len(z)
''',
        ),
        dict(
            name="labels subtracted without one-hot encoding",
            hint="one-hot",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - y) / len(z)
''',
        ),
        dict(
            name="labels as a column, without one-hot encoding",
            hint="y holds labels, not one-hot rows",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - y[:, None]) / len(z)
''',
        ),
        dict(
            name="divided by n * C",
            hint="divided by n * C",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(z.shape[1])[y]) / z.size
''',
        ),
        dict(
            name="naive softmax inside, nan for large scores",
            hint="subtract each row's max",
            source='''
def softmax_cross_entropy_grad(z, y):
    e = np.exp(z)
    p = e / e.sum(axis=1, keepdims=True)
    return (p - np.eye(z.shape[1])[y]) / len(z)
''',
        ),
    ],
}
