"""The learner-facing checks: messages that explain, hints for known mistakes, and the guards
against answers that call or copy the reference."""

import numpy as np
import pytest

from mlbasics import activations, grading, optim


def _message(fn, *args, **kwargs):
    with pytest.raises(grading.CheckFailed) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_assert_close_passes_on_close_values():
    grading.assert_close([1.0, 2.0], np.array([1.0, 2.0 + 1e-12]), what="x")


def test_assert_close_message_says_what_input_expected_and_got():
    msg = _message(grading.assert_close, [1.0, 2.5], [1.0, 2.0], what="softmax of [1, 2]", inputs=[1.0, 2.0])
    assert "softmax of [1, 2]" in msg and "for input" in msg and "expected" in msg and "got" in msg
    assert "index (1,)" in msg and "2.5" in msg


def test_assert_close_names_a_known_mistake():
    msg = _message(grading.assert_close, [2.0, 4.0], [1.0, 2.0], what="g",
                   mistakes={"divided by h, not 2h": [2.0, 4.0], "other": [9.0, 9.0]})
    assert "Hint: divided by h, not 2h" in msg and "other" not in msg


def test_assert_close_general_hint_when_no_mistake_matches():
    msg = _message(grading.assert_close, [5.0], [1.0], what="g", mistakes={"x": [2.0]}, hint="look again")
    assert "Hint: look again" in msg


@pytest.mark.parametrize("actual, fragment", [
    (None, "returned nothing"),
    ("text", "not a number"),
    (np.ones((2, 1)), "shape"),
    ([np.inf, 1.0], "inf or nan"),
])
def test_assert_close_explains_bad_results(actual, fragment):
    assert fragment in _message(grading.assert_close, actual, [1.0, 1.0], what="f")


def test_shape_mismatch_with_same_size_suggests_reshape():
    assert "reshape/axis/keepdims" in _message(grading.assert_close, np.ones((1, 2)), np.ones(2), what="f")


def test_assert_equal_and_shape_and_true():
    grading.assert_equal(3, 3, what="n")
    assert "expected:  4" in _message(grading.assert_equal, 3, 4, what="count")
    grading.assert_shape(np.zeros((2, 3)), (2, 3), what="p")
    assert "shape (2, 3)" in _message(grading.assert_shape, np.zeros(6), (2, 3), what="p")
    assert "plain words" == _message(grading.assert_true, False, "plain words")


def test_forbid_reference_blocks_the_reference_however_imported():
    from mlbasics.activations import sigmoid as alias

    def mine(x):
        return alias(x)

    with pytest.raises(grading.ReferenceUsed, match="mlbasics.activations.sigmoid"):
        with grading.forbid_reference(activations.sigmoid):
            mine(0.0)
    assert mine(0.0) == 0.5, "the reference must work again after the block"


def test_forbid_reference_blocks_class_methods_and_restores_them():
    params, grads = {"w": np.ones(2)}, {"w": np.ones(2)}
    with pytest.raises(grading.ReferenceUsed):
        with grading.forbid_reference(optim.SGD):
            optim.SGD(lr=0.1).update(params, grads)
    optim.SGD(lr=0.1).update(params, grads)
    np.testing.assert_allclose(params["w"], [0.9, 0.9])


def test_forbid_reference_lets_other_errors_through():
    with pytest.raises(ZeroDivisionError):
        with grading.forbid_reference(activations.sigmoid):
            1 / 0


def test_own_work_rejects_the_reference_an_alias_and_a_subclass():
    with pytest.raises(grading.ReferenceUsed):
        grading.assert_own_work(activations.sigmoid, activations.sigmoid)

    class Mine(optim.Adam):
        pass

    with pytest.raises(grading.ReferenceUsed):
        grading.assert_own_work(Mine, optim.Adam)


def test_own_work_rejects_copied_source_even_renamed(tmp_path):
    import importlib.util
    import inspect

    source = inspect.getsource(activations.hardmax).replace("out", "result").replace("hardmax", "my_hardmax")
    path = tmp_path / "copied.py"
    path.write_text("import numpy as np\nfrom mlbasics.activations import _float_array, _result\n" + source)
    spec = importlib.util.spec_from_file_location("copied", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(grading.ReferenceUsed, match="copy"):
        grading.assert_own_work(module.my_hardmax, activations.hardmax)


def test_own_work_accepts_an_honest_answer():
    def sigmoid(x):
        x = np.asarray(x, dtype=float)
        return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))

    with grading.own_work(sigmoid, activations.sigmoid):
        got = sigmoid(np.array([-1.0, 0.0, 1.0]))
    np.testing.assert_allclose(got, activations.sigmoid(np.array([-1.0, 0.0, 1.0])))


def test_a_short_textbook_answer_is_not_taken_for_a_copy():
    """`s = sigmoid(x); return s * (1 - s)` is how everyone writes it: too short to call a copy."""
    import importlib.util
    import pathlib
    import tempfile

    code = "from mlbasics.activations import sigmoid\n\ndef sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "answer.py"
        path.write_text(code)
        spec = importlib.util.spec_from_file_location("answer", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        grading.assert_own_work(module.sigmoid_grad, activations.sigmoid_grad)


def test_a_copied_helper_is_found_through_the_answer(tmp_path):
    """The answer itself is one line, but the helper it calls is the reference's, copied."""
    import importlib.util
    import inspect

    from mlbasics import descent

    code = ("import numpy as np\n" + inspect.getsource(descent._run).replace("_run", "_helper")
            + "\ndef gradient_descent(grad_f, x0, lr, steps):\n    return _helper(grad_f, x0, lr, steps, -1.0)\n")
    path = tmp_path / "copied_helper.py"
    path.write_text(code)
    spec = importlib.util.spec_from_file_location("copied_helper", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(grading.ReferenceUsed, match="copy"):
        grading.assert_own_work(module.gradient_descent, descent.gradient_descent)


def test_a_negated_answer_is_diagnosed_as_a_flipped_sign():
    """numerical_gradient returning [-6, -8] for [6, 8]: every check gets the hint, no named mistake needed."""
    msg = _message(grading.assert_close, [-6.0, -8.0], [6.0, 8.0], what="numerical_gradient of x0**2 + x1**2")
    assert "expected:  [6., 8.]" in msg and "got:       [-6., -8.]" in msg
    assert "Hint: your result is the negative of the expected one: the sign is flipped." in msg, msg
    assert "sign is flipped" in _message(grading.assert_close, -0.5, 0.5, what="a scalar")
    with_general = _message(grading.assert_close, [-1.0, 2.0], [1.0, -2.0], what="g", hint="look again")
    assert "sign is flipped" in with_general and "look again" in with_general, "the general hint still shows"


def test_a_named_mistake_wins_over_the_flipped_sign():
    named = _message(grading.assert_close, [-6.0, -8.0], [6.0, 8.0], what="g",
                     mistakes={"you climbed: subtract the gradient.": [-6.0, -8.0]})
    assert "Hint: you climbed: subtract the gradient." in named and "sign is flipped" not in named
    diagnosed = _message(grading.assert_close, [-6.0, -8.0], [6.0, 8.0], what="g",
                         diagnose=lambda got: "all negative" if np.all(got < 0) else None)
    assert "Hint: all negative" in diagnosed and "sign is flipped" not in diagnosed
    assert "sign is flipped" not in _message(grading.assert_close, [-6.0, 8.0], [6.0, 8.0], what="g")
    assert "sign is flipped" not in _message(grading.assert_close, [1.0, 0.0], [0.0, 0.0], what="zero")


@pytest.mark.parametrize("got, expected, inputs, says", [
    (np.array([1, 2, 3]), [1.5, 2.5, 3.5], None, "the arithmetic ran on integers"),
    (np.array([1.0, 2.0, 3.0]), [1.5, 2.5, 3.5], [np.array([3, 5, 7])], "fractions cut off: an integer input"),
    (np.array([2.0, 4.0, 6.0]), [1.0, 2.0, 3.0], None, "every value is 2 times the expected one"),
    (np.array([0.5, 1.0, 1.5]), [1.0, 2.0, 3.0], None, "every value is 0.5 times the expected one"),
    (np.array([0.0, 1.0, 2.0, 3.0]), [1.0, 2.0, 3.0, 4.0], None, "shifted by one position"),
    (6.0, [1.0, 2.0, 3.0], None, "a reduction (sum, mean, max) over the whole array"),
    (np.array([1.0, 2.0, 3.0, 4.0]), [1.0, 2.0, 3.0], None, "one element too many"),
    (np.array([1.0, 2.0]), [1.0, 2.0, 3.0], None, "one element too few"),
    (np.array([1.0, 2.0, 3.0, 4.0]), [1.0, 2.0], [np.ones((2, 4))], "the reduction ran over the wrong axis"),
])
def test_mistakes_every_exercise_can_make_are_named_by_their_property(got, expected, inputs, says):
    with pytest.raises(grading.CheckFailed) as failed:
        grading.assert_close(got, expected, what="the result", inputs=inputs)
    hint = [line for line in str(failed.value).splitlines() if line.strip().startswith("Hint:")]
    assert hint and says in hint[0], str(failed.value)


def test_a_wrong_answer_with_no_such_property_gets_no_made_up_hint():
    with pytest.raises(grading.CheckFailed) as failed:
        grading.assert_close([1.0, 7.0, 3.0], [1.0, 2.0, 3.0], what="the result")
    assert "Hint:" not in str(failed.value)
    with pytest.raises(grading.CheckFailed) as failed:  # a named mistake wins over the family
        grading.assert_close([2.0, 4.0], [1.0, 2.0], what="the result", mistakes={"you used h, not 2h.": [2.0, 4.0]})
    assert "you used h, not 2h." in str(failed.value) and "times the expected" not in str(failed.value)


def test_the_references_shapes_come_from_one_reading_of_each_module():
    """Every module's functions and classes are read from one parse of its source; the shapes must
    be those read from each object's own source, for every module of the package."""
    import importlib
    import pkgutil

    import mlbasics

    names = [m.name for m in pkgutil.walk_packages(mlbasics.__path__, "mlbasics.")
             if not m.name.startswith("mlbasics.course") and not m.name.endswith("__main__")]
    compared = 0
    for name in names:
        module = importlib.import_module(name)
        one_by_one = grading._shapes_of(vars(module).values(), name)
        assert grading._shapes_of(vars(module).values(), name, grading._definitions(module)) == one_by_one, name
        compared += len(one_by_one)
    assert compared > 100  # the optimizers, activations, losses, models... are all judged


def test_a_function_made_by_other_code_is_judged_by_its_own_source(tmp_path):
    """A top-level name bound to a function made elsewhere (not by the ``def`` of that name) keeps
    the shape of the code that made it."""
    import importlib.util

    path = tmp_path / "made.py"
    path.write_text("def step(x):\n    return x\n\n\ndef _make():\n    def step(x, lr=0.1):\n"
                    "        y = x * 2\n        z = y - lr * x\n        return z + y * z - x / (1 + lr)\n"
                    "    return step\n\n\nstep = _make()\n")
    spec = importlib.util.spec_from_file_location("made", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    node = grading._definitions(module)["step"]
    assert not grading._defined_by(module.step, node)  # the top-level `def step` is not this function
    shapes = grading._shapes_of([module.step], "made")
    assert shapes and grading._shapes_of([module.step], "made", grading._definitions(module)) \
        == shapes
