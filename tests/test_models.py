import numpy as np
import pytest
from numpy.testing import assert_allclose

from mlbasics.gradients import numerical_gradient
from mlbasics.models import MLP, LinearRegression, LogisticRegression, SoftmaxRegression


def _data(model, n=12, seed=0):
    """Inputs and matching targets for ``model``."""
    rng = np.random.default_rng(seed)
    if isinstance(model, MLP):
        d_in, d_out = model.layer_sizes[0], model.layer_sizes[-1]
    else:
        d_in, d_out = model.n_features, getattr(model, "n_classes", 1)
    X = rng.standard_normal((n, d_in))
    if isinstance(model, (SoftmaxRegression,)) or (isinstance(model, MLP) and model.output == "softmax"):
        y = rng.integers(0, d_out, n)
    elif isinstance(model, LogisticRegression) or (isinstance(model, MLP) and model.output == "sigmoid"):
        y = rng.integers(0, 2, n if d_out == 1 else (n, d_out))
    else:
        y = rng.standard_normal(n if d_out == 1 else (n, d_out))
    return X, y


def _random_params(model, seed=1):
    """Non-zero parameters, so that no gradient is trivially zero."""
    rng = np.random.default_rng(seed)
    return {k: rng.normal(0.0, 0.5, v.shape) for k, v in model.init_params(np.random.default_rng(0)).items()}


MODELS = {
    "linear": LinearRegression(3),
    "logistic": LogisticRegression(3),
    "softmax": SoftmaxRegression(3, 4),
    "mlp-relu-softmax": MLP([3, 5, 4, 3], activation="relu", output="softmax"),
    "mlp-sigmoid-softmax": MLP([3, 6, 4], activation="sigmoid", output="softmax"),
    "mlp-tanh-linear": MLP([3, 5, 1], activation="tanh", output="linear"),
    "mlp-tanh-linear-2out": MLP([3, 5, 2], activation="tanh", output="linear"),
    "mlp-relu-sigmoid": MLP([3, 4, 4, 1], activation="relu", output="sigmoid"),
    "mlp-no-hidden": MLP([3, 4], activation="relu", output="softmax"),
}


@pytest.mark.parametrize("model", MODELS.values(), ids=MODELS.keys())
def test_gradients_match_central_differences(model):
    X, y = _data(model)
    params = _random_params(model)
    loss, grads = model.loss_and_grads(params, X, y)
    assert_allclose(loss, model.loss(params, X, y), rtol=1e-12)
    assert grads.keys() == params.keys()
    for key in params:

        def f(value, key=key):
            return model.loss({**params, key: value}, X, y)

        assert grads[key].shape == params[key].shape, key
        assert_allclose(grads[key], numerical_gradient(f, params[key]), rtol=1e-6, atol=1e-8, err_msg=key)


@pytest.mark.parametrize("model", MODELS.values(), ids=MODELS.keys())
def test_loss_and_grads_leave_params_untouched(model):
    X, y = _data(model)
    params = _random_params(model)
    before = {k: v.copy() for k, v in params.items()}
    model.loss_and_grads(params, X, y)
    for key in params:
        assert_allclose(params[key], before[key], rtol=0, atol=0)


# --- hand-computed values -----------------------------------------------------------------------

def test_linear_regression_by_hand():
    model = LinearRegression(2)
    params = {"W": np.array([[2.0], [-1.0]]), "b": np.array([0.5])}
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([2.0, 0.0, 1.0])
    assert_allclose(model.forward(params, X), [2.5, -0.5, 1.5])
    # residuals 0.5, -0.5, 0.5
    assert_allclose(model.loss(params, X, y), 0.25)
    _, grads = model.loss_and_grads(params, X, y)
    assert_allclose(grads["W"], (2 / 3) * np.array([[1.0], [0.0]]))
    assert_allclose(grads["b"], [(2 / 3) * 0.5])


def test_zero_init_gives_uninformed_classifiers():
    X = np.random.default_rng(0).standard_normal((10, 3))
    logistic = LogisticRegression(3)
    params = logistic.init_params()
    assert_allclose(logistic.forward(params, X), 0.5)
    assert_allclose(logistic.loss(params, X, np.arange(10) % 2), np.log(2))
    softmax = SoftmaxRegression(3, 5)
    params = softmax.init_params()
    assert_allclose(softmax.forward(params, X), 0.2)
    assert_allclose(softmax.loss(params, X, np.arange(10) % 5), np.log(5))


def test_softmax_probabilities_sum_to_one_and_predict_takes_argmax():
    model = SoftmaxRegression(2, 3)
    params = {"W": np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]]), "b": np.array([0.0, 0.0, 0.1])}
    X = np.array([[3.0, 0.0], [0.0, 3.0], [-3.0, 0.0]])
    P = model.forward(params, X)
    assert_allclose(P.sum(axis=1), 1.0)
    assert_allclose(model.predict(params, X), [0, 1, 2])


def test_softmax_accepts_one_hot_targets():
    model = SoftmaxRegression(3, 4)
    X, y = _data(model)
    params = _random_params(model)
    loss, grads = model.loss_and_grads(params, X, y)
    loss_oh, grads_oh = model.loss_and_grads(params, X, np.eye(4)[y])
    assert_allclose(loss_oh, loss)
    assert_allclose(grads_oh["W"], grads["W"])


def test_logistic_predict_thresholds_at_one_half():
    model = LogisticRegression(1)
    params = {"W": np.array([[1.0]]), "b": np.array([-1.0])}
    assert_allclose(model.predict(params, np.array([[0.5], [1.0], [2.0]])), [0, 1, 1])


def test_mlp_without_hidden_layer_is_softmax_regression():
    mlp = MLP([3, 4], output="softmax")
    soft = SoftmaxRegression(3, 4)
    X, y = _data(soft)
    p = _random_params(soft)
    params = {"W1": p["W"], "b1": p["b"]}
    assert_allclose(mlp.forward(params, X), soft.forward(p, X))
    loss, grads = mlp.loss_and_grads(params, X, y)
    loss_s, grads_s = soft.loss_and_grads(p, X, y)
    assert_allclose(loss, loss_s)
    assert_allclose(grads["W1"], grads_s["W"])


def test_mlp_forward_by_hand():
    mlp = MLP([2, 2, 1], activation="relu", output="linear")
    params = {
        "W1": np.array([[1.0, -1.0], [2.0, 0.0]]),
        "b1": np.array([0.0, 1.0]),
        "W2": np.array([[1.0], [3.0]]),
        "b2": np.array([-1.0]),
    }
    X = np.array([[1.0, 1.0], [2.0, -2.0]])
    # hidden: relu([3, 0]) = [3, 0]; relu([-2, -1]) = [0, 0]
    assert_allclose(mlp.forward(params, X), [3.0 - 1.0, -1.0])
    assert_allclose(mlp.hidden_activations(params, X)[0], [[3.0, 0.0], [0.0, 0.0]])


def test_sigmoid_hidden_outputs_are_all_positive():
    mlp = MLP([4, 8, 8, 3], activation="sigmoid")
    params = mlp.init_params(np.random.default_rng(0))
    X = np.random.default_rng(1).standard_normal((20, 4))
    hidden = mlp.hidden_activations(params, X)
    assert [h.shape for h in hidden] == [(20, 8), (20, 8)]
    assert all(np.all((h > 0) & (h < 1)) for h in hidden)


def test_deep_sigmoid_network_has_vanishing_gradients():
    # each backward step multiplies by sigmoid' <= 1/4: the first layer learns slowest
    mlp = MLP([10] + [10] * 8 + [3], activation="sigmoid", weight_scale=1.0)
    rng = np.random.default_rng(0)
    params = mlp.init_params(rng)
    X, y = rng.standard_normal((200, 10)), rng.integers(0, 3, 200)
    _, grads = mlp.loss_and_grads(params, X, y)
    size = [np.abs(grads[f"W{l}"]).mean() for l in range(1, mlp.n_layers + 1)]
    assert size[0] < 0.01 * size[-1]


# --- initialisation -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "model, shapes",
    [
        (LinearRegression(4), {"W": (4, 1), "b": (1,)}),
        (LogisticRegression(4), {"W": (4, 1), "b": (1,)}),
        (SoftmaxRegression(4, 3), {"W": (4, 3), "b": (3,)}),
        (MLP([4, 7, 5, 3]), {"W1": (4, 7), "b1": (7,), "W2": (7, 5), "b2": (5,), "W3": (5, 3), "b3": (3,)}),
    ],
)
def test_init_params_shapes(model, shapes):
    params = model.init_params(np.random.default_rng(0))
    assert {k: v.shape for k, v in params.items()} == shapes
    assert all(v.dtype == np.float64 for v in params.values())


@pytest.mark.parametrize(
    "activation, weight_scale, expected_std",
    [("relu", None, np.sqrt(2 / 400)), ("sigmoid", None, np.sqrt(1 / 400)), ("tanh", None, np.sqrt(1 / 400)),
     ("sigmoid", "he", np.sqrt(2 / 400)), ("relu", "xavier", np.sqrt(1 / 400)), ("sigmoid", 0.01, 0.01)],
)
def test_mlp_init_scale(activation, weight_scale, expected_std):
    mlp = MLP([400, 300, 10], activation=activation, weight_scale=weight_scale)
    params = mlp.init_params(np.random.default_rng(0))
    assert_allclose(params["W1"].std(), expected_std, rtol=0.02)
    assert_allclose(params["b1"], 0.0)


def test_mlp_init_is_reproducible():
    mlp = MLP([3, 5, 2])
    a = mlp.init_params(np.random.default_rng(7))
    b = mlp.init_params(np.random.default_rng(7))
    c = mlp.init_params(np.random.default_rng(8))
    assert_allclose(a["W1"], b["W1"])
    assert not np.allclose(a["W1"], c["W1"])


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: LinearRegression(0), "n_features"),
        (lambda: LinearRegression(2.0), "n_features"),
        (lambda: SoftmaxRegression(3, 1), "n_classes"),
        (lambda: MLP([3]), "layer_sizes"),
        (lambda: MLP([3, 0, 2]), "layer_sizes"),
        (lambda: MLP([3, 4, 2], activation="softplus"), "activation"),
        (lambda: MLP([3, 4, 2], output="tanh"), "output"),
        (lambda: MLP([3, 4, 1], output="softmax"), "softmax"),
        (lambda: MLP([3, 4, 2], weight_scale=-1.0), "weight_scale"),
    ],
)
def test_bad_construction_raises(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_mlp_init_params_follows_the_one_rng_rule():
    mlp = MLP([3, 5, 2])
    assert_allclose(mlp.init_params(42)["W1"], mlp.init_params(np.random.default_rng(42))["W1"])
    assert not np.allclose(mlp.init_params(None)["W1"], mlp.init_params(None)["W1"])
    with pytest.raises(TypeError, match="^rng must be None, an integer seed"):
        mlp.init_params("42")


@pytest.mark.parametrize(
    "model, X, y, params_change, match",
    [
        (LinearRegression(3), np.zeros((5, 2)), np.zeros(5), None, "X must have shape"),
        (LinearRegression(3), np.zeros(5), np.zeros(5), None, "X must have shape"),
        (LinearRegression(3), np.zeros((5, 3)), np.zeros(4), None, "y must have shape"),
        (LogisticRegression(3), np.zeros((5, 3)), np.full(5, 0.5), None, "0/1"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.array([0, 1, 2, 3, 4]), None, "labels"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.array([0, 1, -1, 3, 2]), None, "labels"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.array([0.5, 1, 1, 3, 2]), None, "integer"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.zeros((5, 3)), None, "y must be"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.zeros(5, dtype=int), ("W", np.zeros((3, 3))), r"params\['W'\]"),
        (SoftmaxRegression(3, 4), np.zeros((5, 3)), np.zeros(5, dtype=int), ("b", None), "missing"),
        (MLP([3, 4, 2]), np.zeros((5, 3)), np.zeros(5, dtype=int), ("W2", np.zeros((2, 4))), r"params\['W2'\]"),
        (MLP([3, 4, 2], output="linear"), np.zeros((5, 3)), np.zeros(5), None, "y must have shape"),
        (MLP([3, 4, 1], output="sigmoid"), np.zeros((5, 3)), np.full(5, 2.0), None, "0/1"),
    ],
)
def test_bad_input_raises(model, X, y, params_change, match):
    params = model.init_params(np.random.default_rng(0))
    if params_change is not None:
        key, value = params_change
        if value is None:
            del params[key]
        else:
            params[key] = value
    with pytest.raises(ValueError, match=match):
        model.loss_and_grads(params, X, y)
