import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from mlbasics import optim
from mlbasics.batching import History, iterate_minibatches, iterations_per_epoch, train
from mlbasics.data import make_blobs, make_linear_regression
from mlbasics.descent import step_decay
from mlbasics.models import LinearRegression, SoftmaxRegression


# --- counting ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "n, batch_size, drop_last, expected",
    [(1000, 10, False, 100), (1001, 10, False, 101), (1001, 10, True, 100), (1000, 1000, False, 1),
     (1000, 1, False, 1000), (5, 10, False, 1), (7, 3, True, 2)],
)
def test_iterations_per_epoch(n, batch_size, drop_last, expected):
    assert iterations_per_epoch(n, batch_size, drop_last) == expected
    X = np.zeros((n, 1))
    batches = list(iterate_minibatches(X, np.zeros(n), batch_size, rng=np.random.default_rng(0), drop_last=drop_last))
    assert len(batches) == expected


# --- iterating -----------------------------------------------------------------------------------

def test_every_sample_once_per_epoch_with_a_partial_last_batch():
    X = np.arange(23)[:, None] * np.ones((1, 3))
    y = np.arange(23)
    batches = list(iterate_minibatches(X, y, 5, rng=np.random.default_rng(0)))
    assert [len(xb) for xb, _ in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([yb for _, yb in batches])
    assert_array_equal(np.sort(seen), np.arange(23))
    assert not np.array_equal(seen, np.arange(23))  # shuffled
    for xb, yb in batches:
        assert_array_equal(xb[:, 0], yb)  # rows stay paired


def test_drop_last_skips_the_partial_batch():
    batches = list(iterate_minibatches(np.arange(23), np.arange(23), 5, shuffle=False, drop_last=True))
    assert [len(xb) for xb, _ in batches] == [5, 5, 5, 5]
    assert_array_equal(np.concatenate([xb for xb, _ in batches]), np.arange(20))


def test_no_shuffle_keeps_the_order():
    batches = list(iterate_minibatches(np.arange(10), np.arange(10), 4, shuffle=False))
    assert [list(xb) for xb, _ in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffling_is_reproducible_and_changes_every_epoch():
    X = np.arange(50)

    def epoch(rng):
        return np.concatenate([xb for xb, _ in iterate_minibatches(X, X, 8, rng=rng)])

    a, b = np.random.default_rng(3), np.random.default_rng(3)
    first_a, first_b = epoch(a), epoch(b)
    assert_array_equal(first_a, first_b)
    assert not np.array_equal(epoch(a), first_a)  # the next epoch has another order
    assert not np.array_equal(epoch(np.random.default_rng(4)), first_a)


def test_rng_none_still_shuffles():
    X = np.arange(200)
    order = np.concatenate([xb for xb, _ in iterate_minibatches(X, X, 200)])
    assert_array_equal(np.sort(order), X)
    assert not np.array_equal(order, X)


@pytest.mark.parametrize(
    "X, y, kw, match",
    [
        (np.zeros(10), np.zeros(10), dict(batch_size=0), "batch_size"),
        (np.zeros(10), np.zeros(10), dict(batch_size=-2), "batch_size"),
        (np.zeros(10), np.zeros(10), dict(batch_size=2.5), "batch_size"),
        (np.zeros(10), np.zeros(10), dict(batch_size=4.0), "batch_size"),
        (np.zeros(10), np.zeros(10), dict(batch_size=True), "batch_size"),
        (np.zeros(10), np.zeros(9), dict(batch_size=2), "same length"),
        (np.zeros(0), np.zeros(0), dict(batch_size=2), "at least one sample"),
        (np.zeros(10), np.zeros(10), dict(batch_size=11, drop_last=True), "no batch"),
        (np.zeros(10), np.zeros(10), dict(batch_size=2, rng=-1), "seed"),
    ],
)
def test_iterate_minibatches_rejects_bad_input_at_the_call(X, y, kw, match):
    with pytest.raises(ValueError, match=match):
        iterate_minibatches(X, y, **kw)  # no next(): the error comes at once


@pytest.mark.parametrize("rng", ["42", 4.0, np.random.RandomState(0)])
def test_iterate_minibatches_refuses_what_is_not_a_generator_or_seed_at_the_call(rng):
    with pytest.raises(TypeError, match="^rng must be None, an integer seed"):
        iterate_minibatches(np.zeros(10), np.zeros(10), 2, rng=rng)


def test_an_integer_rng_is_a_seed():
    X = np.arange(50)

    def epoch(rng):
        return np.concatenate([xb for xb, _ in iterate_minibatches(X, X, 8, rng=rng)])

    assert_array_equal(epoch(42), epoch(np.random.default_rng(42)))
    assert_array_equal(epoch(42), epoch(42))  # the same seed, the same order


@pytest.mark.parametrize(
    "n, batch_size, drop_last, match",
    [(0, 10, False, "n_samples"), (10, 0, False, "batch_size"), (10, 11, True, "no batch"), (10.0, 2, False, "n_samples")],
)
def test_iterations_per_epoch_rejects_bad_input(n, batch_size, drop_last, match):
    with pytest.raises(ValueError, match=match):
        iterations_per_epoch(n, batch_size, drop_last)


# --- training ------------------------------------------------------------------------------------

@pytest.fixture
def line():
    return make_linear_regression(200, w=2.0, b=-1.0, noise=0.1, seed=0)


@pytest.mark.parametrize("batch_size, lr", [(200, 0.1), (1, 0.01), (20, 0.05)], ids=["BGD", "SGD", "mini-batch"])
def test_train_lowers_the_loss_and_counts_updates(line, batch_size, lr):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    history = train(model, params, X, y, optimizer=optim.SGD(lr=lr), epochs=5, batch_size=batch_size,
                    rng=np.random.default_rng(0))
    assert isinstance(history, History)
    assert history.n_updates == 5 * iterations_per_epoch(200, batch_size) == len(history.iteration_loss)
    assert history.iterations_per_epoch == iterations_per_epoch(200, batch_size)
    assert len(history.epoch_loss) == 6 and len(history.epoch_time) == 5
    assert history.epoch_loss[-1] < 0.5 * history.epoch_loss[0]
    assert_allclose(history.epoch_loss[-1], model.loss(params, X, y))  # params changed in place
    assert history.val_loss == []


def test_bgd_converges_to_least_squares(line):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    history = train(model, params, X, y, optimizer=optim.SGD(lr=0.1), epochs=300, batch_size=len(X), shuffle=False)
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.column_stack([X[:, 0], np.ones(len(X))]), y, rcond=None)
    assert_allclose([params["W"][0, 0], params["b"][0]], [w_ls, b_ls], rtol=1e-6)
    # BGD: one update per epoch, and the full-batch loss never goes up
    assert history.n_updates == 300
    assert np.all(np.diff(history.epoch_loss) <= 1e-15)


def test_first_bgd_update_by_hand(line):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    train(model, params, X, y, optimizer=optim.SGD(lr=0.1), epochs=1, batch_size=len(X), shuffle=False)
    # from W = b = 0: grad W = -2 mean(x y), grad b = -2 mean(y)
    assert_allclose(params["W"][0, 0], 0.1 * 2 * np.mean(X[:, 0] * y))
    assert_allclose(params["b"][0], 0.1 * 2 * np.mean(y))


def test_train_is_reproducible_from_the_rng():
    X, y = make_blobs(120, 3, seed=1)
    model = SoftmaxRegression(2, 3)
    results = []
    for seed in (5, 5, 6):
        params = model.init_params()
        h = train(model, params, X, y, optimizer=optim.Momentum(lr=0.05), epochs=3, batch_size=16,
                  rng=np.random.default_rng(seed))
        results.append((params["W"].copy(), h.iteration_loss))
    assert_array_equal(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]
    assert not np.allclose(results[0][0], results[2][0])


def test_validation_loss_is_recorded_and_not_trained_on(line):
    X, y = line
    model = LinearRegression(1)
    p_with, p_without = model.init_params(), model.init_params()
    kw = dict(epochs=4, batch_size=10, rng=None, shuffle=False)
    h = train(model, p_with, X, y, optimizer=optim.SGD(lr=0.05), X_val=X[:50] + 1, y_val=y[:50], **kw)
    train(model, p_without, X, y, optimizer=optim.SGD(lr=0.05), **kw)
    assert len(h.val_loss) == 5
    assert_allclose(h.val_loss[-1], model.loss(p_with, X[:50] + 1, y[:50]))
    assert_array_equal(p_with["W"], p_without["W"])


def test_early_stopping_restores_the_best_params(line):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    # validation targets of the opposite sign: fitting the training set only hurts
    h = train(model, params, X, y, optimizer=optim.SGD(lr=0.05), epochs=50, batch_size=20,
              rng=np.random.default_rng(0), X_val=X, y_val=-y, patience=3)
    assert h.stopped_early and h.best_epoch == 0
    assert len(h.epoch_loss) == 4  # before training + 3 epochs without improvement
    assert h.n_updates == 3 * 10
    assert_allclose(params["W"], 0.0)
    assert_allclose(params["b"], 0.0)


def test_early_stopping_keeps_training_while_validation_improves(line):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    h = train(model, params, X, y, optimizer=optim.SGD(lr=0.05), epochs=10, batch_size=20,
              rng=np.random.default_rng(0), X_val=X, y_val=y, patience=3)
    assert not h.stopped_early and h.n_updates == 100
    assert h.best_epoch == int(np.argmin(h.val_loss))
    assert_allclose(model.loss(params, X, y), min(h.val_loss))


@pytest.mark.parametrize("as_object", [False, True], ids=["callable", "LRScheduler"])
def test_scheduler_sets_the_rate_before_every_update(line, as_object):
    X, y = line
    model = LinearRegression(1)
    opt = optim.SGD(lr=1.0)
    schedule = step_decay(0.1, 0.5, every=10)
    scheduler = optim.LRScheduler(opt, schedule) if as_object else schedule
    h = train(model, model.init_params(), X, y, optimizer=opt, epochs=3, batch_size=20, shuffle=False,
              scheduler=scheduler)
    assert h.n_updates == 30
    assert_allclose(opt.lr, schedule(29))  # the rate of the last update
    assert_allclose(opt.lr, 0.1 * 0.5**2)


def test_record_params_gives_the_trajectory(line):
    X, y = line
    model = LinearRegression(1)
    params = model.init_params()
    h = train(model, params, X, y, optimizer=optim.SGD(lr=0.1), epochs=2, batch_size=50,
              rng=np.random.default_rng(0), record_params=True)
    assert len(h.param_history) == h.n_updates + 1 == 9
    assert_allclose(h.param_history[0]["W"], 0.0)
    assert_array_equal(h.param_history[-1]["W"], params["W"])
    assert h.param_history[-1]["W"] is not params["W"]


def test_progress_bar_runs(line, capsys):
    X, y = line
    model = LinearRegression(1)
    h = train(model, model.init_params(), X, y, optimizer=optim.SGD(lr=0.1), epochs=2, batch_size=50,
              rng=np.random.default_rng(0), progress=True)
    assert h.n_updates == 8
    assert "epochs" in capsys.readouterr().err


class NoUpdate:
    lr = 0.1


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(epochs=0), "epochs"),
        (dict(epochs=2.0), "epochs"),
        (dict(batch_size=0), "batch_size"),
        (dict(batch_size=1.5), "batch_size"),
        (dict(optimizer=NoUpdate()), "optimizer"),
        (dict(X_val=np.zeros((5, 1))), "X_val and y_val"),
        (dict(X_val=np.zeros((5, 1)), y_val=np.zeros(4)), "same length"),
        (dict(patience=2), "patience"),
        (dict(patience=0, X_val=np.zeros((5, 1)), y_val=np.zeros(5)), "patience"),
        (dict(rng=-3), "seed"),
        (dict(scheduler=0.1), "scheduler"),
        (dict(scheduler=optim.LRScheduler(optim.SGD(lr=0.1), lambda t: 0.1)), "scheduler"),
        (dict(y=np.zeros(9)), "same length"),
        (dict(model=object()), "model"),
        (dict(params={}), "params"),
    ],
)
def test_train_rejects_bad_input(line, kw, match):
    X, y = line
    model = LinearRegression(1)
    args = dict(model=model, params=model.init_params(), X=X, y=y, optimizer=optim.SGD(lr=0.1), epochs=2,
                batch_size=10)
    args.update(kw)
    with pytest.raises(ValueError, match=match):
        train(**args)
