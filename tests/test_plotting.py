import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

from mlbasics import optim, plotting, surfaces  # noqa: E402
from mlbasics.activations import sigmoid, sigmoid_grad, softmax  # noqa: E402
from mlbasics.data import make_blobs  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _paths():
    return {
        name: surfaces.run_optimizer(opt, surfaces.elongated_bowl, (-7.0, 2.0), 30)
        for name, opt in [("SGD", optim.SGD(lr=0.95)), ("Adam", optim.Adam(lr=0.3))]
    }


def test_plot_contour_of_a_surface():
    ax = plotting.plot_contour(surfaces.himmelblau)
    assert isinstance(ax, Axes)
    assert len(ax.collections) >= 1  # the contour set
    assert len(ax.lines) == 4  # one star per minimum
    assert ax.get_title() == surfaces.himmelblau.formula
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "y"
    assert ax.get_xlim() == (-5.0, 5.0)


def test_plot_contour_of_a_plain_function_needs_an_extent():
    ax = plotting.plot_contour(lambda x, y: x**2 + 3 * y**2, extent=(-1, 1, -2, 2), levels=10)
    assert len(ax.collections) >= 1 and len(ax.lines) == 0
    assert ax.get_title() == "f(x, y)"
    with pytest.raises(ValueError, match="extent"):
        plotting.plot_contour(lambda x, y: x + y)


def test_plot_contour_log_levels():
    ax = plotting.plot_contour(surfaces.rosenbrock, log_levels=True, levels=20)
    levels = ax.collections[0].levels
    assert_allclose(np.diff(np.log(levels)), np.diff(np.log(levels))[0])  # geometric spacing
    with pytest.raises(ValueError, match="log_levels"):
        plotting.plot_contour(surfaces.saddle, log_levels=True)


def test_plot_trajectory_marks_start_and_end():
    _, ax = plt.subplots()
    path = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    out = plotting.plot_trajectory(path, ax=ax, label="run")
    assert out is ax
    assert len(ax.lines) == 3  # path, start, end
    assert_allclose(ax.lines[0].get_xydata(), path)
    assert_allclose(ax.lines[1].get_xydata(), [[0.0, 0.0]])
    assert_allclose(ax.lines[2].get_xydata(), [[2.0, 0.5]])
    assert ax.get_legend() is not None


def test_plot_trajectory_skips_non_finite_points():
    ax = plotting.plot_trajectory([[1.0, 1.0], [-2.0, -2.0], [np.nan, np.nan]])
    assert len(ax.lines[0].get_xydata()) == 2


def test_plot_contour_with_paths_draws_every_path():
    paths = _paths()
    ax = plotting.plot_contour_with_paths(surfaces.elongated_bowl, paths)
    assert len(ax.lines) == 1 + 3 * len(paths)  # minimum star + (path, start, end) per path
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["minimum", "SGD", "Adam"]


def test_plot_contour_with_paths_of_a_plain_function_fits_the_paths():
    ax = plotting.plot_contour_with_paths(lambda x, y: x**2 + y**2, {"a": [[3.0, 4.0], [0.0, 0.0]]})
    xmin, xmax = ax.get_xlim()
    assert xmin < 0.0 and xmax > 3.0


def test_plot_surface_3d():
    X, Y = surfaces.grid(surfaces.bowl.extent, 30)
    ax = plotting.plot_surface_3d(X, Y, surfaces.bowl.f(X, Y), title="bowl")
    assert ax.name == "3d"
    assert len(ax.collections) == 1
    assert ax.get_title() == "bowl"
    with pytest.raises(ValueError, match="3-D"):
        plotting.plot_surface_3d(X, Y, X, ax=plt.subplots()[1])
    with pytest.raises(ValueError, match="one shape"):
        plotting.plot_surface_3d(X, Y, X[:-1])


def test_plot_loss_curves():
    ax = plotting.plot_loss_curves({"BGD": [3.0, 2.0, 1.0], "SGD": [3.0, 2.5, 1.2, 0.9]}, log=True, xlabel="epoch")
    assert len(ax.lines) == 2
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "epoch"
    assert_allclose(ax.lines[1].get_xdata(), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="curves"):
        plotting.plot_loss_curves([1.0, 2.0])


def test_plot_activation_with_its_derivative():
    ax = plotting.plot_activation(sigmoid, sigmoid_grad)
    assert ax.get_title() == "sigmoid"
    curves = [line for line in ax.lines if len(line.get_xdata()) > 2]
    assert len(curves) == 2
    assert_allclose(np.max(curves[1].get_ydata()), 0.25, atol=1e-4)


def test_plot_softmax_bars():
    scores = np.array([2.0, 1.0, 0.1])
    ax = plotting.plot_softmax_bars(scores, labels=["cat", "dog", "bird"])
    heights = [bar.get_height() for bar in ax.patches]
    assert_allclose(heights, softmax(scores))
    assert len(ax.texts) == 3
    assert "cat" in ax.get_xticklabels()[0].get_text()
    with pytest.raises(ValueError, match="probs"):
        plotting.plot_softmax_bars(scores, probs=[0.5, 0.5])


def test_plot_decision_regions():
    X, y = make_blobs(90, 3, seed=0)
    ax = plotting.plot_decision_regions(lambda P: np.argmin(np.abs(P[:, 0:1] - [-2.0, 0.0, 2.0]), axis=1), X, y)
    assert len(ax.collections) >= 4  # the filled regions and one scatter per class
    assert ax.get_title() == "decision regions"
    with pytest.raises(ValueError, match="X must have shape"):
        plotting.plot_decision_regions(lambda P: np.zeros(len(P)), X[:, :1], y)


def test_functions_draw_on_the_given_axes():
    fig, axes = plt.subplots(1, 3)
    assert plotting.plot_contour(surfaces.bowl, ax=axes[0]) is axes[0]
    assert plotting.plot_loss_curves({"a": [1, 2]}, ax=axes[1]) is axes[1]
    assert plotting.plot_activation(np.tanh, ax=axes[2]) is axes[2]
    assert len(fig.axes) == 3
