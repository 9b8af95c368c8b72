"""Chapter 3, torch.autograd: every claim the page makes about flags, graphs and gradients."""

import contextlib
import io
import math
import re
import runpy

import pytest
import torch
from conftest import SNIPPETS


@pytest.fixture(scope="module")
def leaves(snippet):
    return snippet("autograd/leaves.py")


def test_data_parameters_and_results_have_the_stated_flags(leaves):
    x, w = leaves["x"], leaves["w"]
    assert (x.requires_grad, x.is_leaf, x.grad_fn) == (False, True, None)
    assert (w.requires_grad, w.is_leaf, w.grad_fn) == (True, True, None)
    loss = leaves["loss"]
    assert (loss.requires_grad, loss.is_leaf, loss.grad_fn.name()) == (True, False, "SumBackward0")


def test_the_gradient_of_a_weighted_sum_is_the_data(leaves):
    # loss = sum(w * x), so dloss/dw = x; and after the retain_grad section, a fresh backward gave the same.
    assert torch.equal(leaves["w"].grad, leaves["x"])
    assert leaves["x"].grad is None


def test_a_non_leaf_keeps_its_gradient_only_when_asked(leaves):
    z = leaves["z"]  # the retain_grad() version
    assert z.retains_grad and torch.equal(z.grad, torch.ones(3))
    fresh = leaves["w"].detach().clone().requires_grad_() * leaves["x"]
    fresh.sum().backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert fresh.grad is None


def test_layers_hold_leaves_and_optimizers_refuse_non_leaves(leaves):
    assert leaves["layer"].weight.is_leaf and leaves["layer"].weight.requires_grad
    h = leaves["w"] * 2
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        torch.optim.SGD([h], lr=0.1)


def test_the_backward_graph_is_the_one_printed_and_drawn(snippet):
    graph = snippet("autograd/graph.py")
    names = [(parent.name(), child.name()) for parent, child in graph["edges"]]
    assert names == [
        ("SigmoidBackward0", "AddBackward0"),
        ("AddBackward0", "MulBackward0"),
        ("MulBackward0", "torch::autograd::AccumulateGrad"),
        ("AddBackward0", "torch::autograd::AccumulateGrad"),
    ]
    leaves_reached = [child.variable for _, child in graph["edges"] if hasattr(child, "variable")]
    assert leaves_reached[0] is graph["w"] and leaves_reached[1] is graph["b"]  # x needs no gradient


def test_gradients_accumulate_and_a_freed_graph_cannot_be_reused(snippet):
    accumulate = snippet("autograd/accumulate.py")
    w = accumulate["w"]
    # retain_graph=True on the first pass: the second pass works (two passes of dloss/dw = 6w = 12)...
    assert w.grad.item() == 2 * 6 * w.item() == 24.0
    # ...and, called without the flag, frees the graph, so a third pass fails.
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        accumulate["loss"].backward()
    # Without retain_graph=True, already the second pass fails.
    loss = 3 * torch.tensor(2.0, requires_grad=True) ** 2
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_each_backward_call_adds_the_same_gradient_again():
    # The page: three fresh graphs of 3 w^2 at w = 2 give w.grad = 12, 24, 36 (dloss/dw = 6w = 12 each time).
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(SNIPPETS / "autograd" / "accumulate.py"))
    printed = re.findall(r"after backward\(\) call (\d): w.grad = ([\d.]+)", out.getvalue())
    assert [(int(k), float(g)) for k, g in printed] == [(k, 6 * 2.0 * k) for k in (1, 2, 3)]


def test_two_paths_are_summed_inside_one_backward_and_reach_grad_once(snippet):
    paths = snippet("autograd/two_paths.py")
    w = paths["w"].item()
    # The page: shares 3 and 2w = 4, summed before the one AccumulateGrad node adds 7 to w.grad.
    assert (paths["share_a"].item(), paths["share_b"].item()) == (3.0, 2 * w) == (3.0, 4.0)
    assert paths["accumulate"] is paths["power"].next_functions[0][0]
    assert paths["accumulate"].variable is paths["w"]
    # The hook ran once per backward() call: 7 after the first, 14 after the second call added 7.
    assert paths["hook_calls"] == [3 + 2 * w, 2 * (3 + 2 * w)] == [7.0, 14.0]
    assert paths["w"].grad.item() == 14.0


@pytest.mark.parametrize("value", [-1.5, 0.0, 2.0, 3.25])
def test_a_tensor_used_twice_gets_one_accumulated_gradient(value):
    w = torch.tensor(value, requires_grad=True)
    calls = []
    w.register_post_accumulate_grad_hook(lambda p: calls.append(p.grad.item()))
    (w * 3 + w**2).backward()
    assert calls == [3 + 2 * value]
    (w * 3 + w**2).backward()  # a second call: accumulation across calls
    assert calls == [3 + 2 * value, 2 * (3 + 2 * value)]


def test_without_zero_grad_w_keeps_swinging_between_0_and_10(snippet):
    train = snippet("autograd/accumulate.py")["train"]
    right = [train(zero_grad=True, steps=k) for k in range(20, 31)]
    wrong = [train(zero_grad=False, steps=k) for k in range(20, 31)]
    assert all(abs(w - 5) < 0.1 for w in right)  # settled at the minimum
    assert min(wrong) < 0.5 and max(wrong) > 9.5  # "between about 0 and about 10"
    assert min(wrong) > -0.5 and max(wrong) < 10.5


def test_forgetting_zero_grad_gives_the_stated_wrong_answer(snippet):
    train = snippet("autograd/accumulate.py")["train"]
    # Gradient descent on (w - 5)^2 with lr 0.1: w <- w + 0.2 (5 - w), from 0.
    w = 0.0
    for _ in range(3):
        w += 0.2 * (5 - w)
    assert train(zero_grad=True) == pytest.approx(w)
    # Without zero_grad each step uses the sum of all gradients so far: 5.04, past the minimum at 5.
    w, total = 0.0, 0.0
    for _ in range(3):
        total += 2 * (w - 5)
        w -= 0.1 * total
    assert train(zero_grad=False) == pytest.approx(w) and w > 5


def test_exercise_2_prints_each_step_of_both_loops(snippet):
    exercise = snippet("autograd/exercises.py")
    # The learner's loop with the missing line is the loop that uses each step's fresh gradient.
    assert exercise["learners_loop"]() == pytest.approx(exercise["w_right"])
    right, wrong = exercise["right"], exercise["wrong"]
    # Each fresh gradient is 2 (w - 3) at the w of that step.
    for w, fresh, _ in right + wrong:
        assert fresh == pytest.approx(2 * (w - 3))
    # With zero_grad() each step uses its fresh gradient; without, the running sum of them.
    assert all(used == pytest.approx(fresh) for _, fresh, used in right)
    assert [used for *_, used in wrong] == pytest.approx(
        [sum(fresh for _, fresh, _ in wrong[: k + 1]) for k in range(3)])
    # The page's numbers: the second step uses -6 - 4.8 = -10.8 instead of -4.8, and takes w to
    # 1.68 instead of 1.08; the third uses -13.44 instead of the fresh -2.64 at w = 1.68, while the
    # correct loop, at w = 1.08, uses -3.84.
    assert right[1][2] == pytest.approx(-4.8) and wrong[1][2] == pytest.approx(-6 - 4.8) == -10.8
    assert right[2][:2] == pytest.approx((1.08, -3.84)) and wrong[2] == pytest.approx((1.68, -2.64, -13.44))
    assert -6 - 4.8 - 2.64 == pytest.approx(-13.44)
    assert exercise["w_right"] == pytest.approx(1.464) and exercise["w_wrong"] == pytest.approx(3.024)
    assert f"{exercise['w_right']:.2f}" == "1.46" and f"{exercise['w_wrong']:.2f}" == "3.02"


def test_the_numbers_of_exercise_2_differ_from_the_section_they_test():
    # By hand: with zero_grad each step moves w a fifth of the remaining distance to 3.
    assert 3 * (1 - 0.8**3) == pytest.approx(1.464)
    # Without it: gradients 2 (w - 3) are -6, -4.8, -2.64, and the third step uses their sum -13.44.
    w, grads = 0.0, []
    for _ in range(3):
        grads.append(2 * (w - 3))
        w -= 0.1 * sum(grads)
    assert grads == pytest.approx([-6, -4.8, -2.64]) and sum(grads) == pytest.approx(-13.44)
    assert w == pytest.approx(3.024)
    # The exercise is not answered by the section "Gradients accumulate", which prints 2.44 and 5.04.
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(str(SNIPPETS / "autograd" / "accumulate.py"))
    assert "w = 2.4400" in out.getvalue() and "w = 5.0400" in out.getvalue()
    assert "1.46" not in out.getvalue() and "3.02" not in out.getvalue()


def test_no_grad_and_inference_mode_record_nothing(snippet):
    no_grad = snippet("autograd/no_grad.py")
    assert no_grad["tracked"].requires_grad and no_grad["tracked"].grad_fn is not None
    assert not no_grad["untracked"].requires_grad and no_grad["untracked"].grad_fn is None
    prediction = no_grad["prediction"]
    assert prediction.is_inference() and not prediction.requires_grad
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        (prediction * no_grad["w"]).sum().backward()


def test_an_inference_tensor_may_enter_a_graph_but_not_be_saved_for_backward(snippet):
    no_grad = snippet("autograd/no_grad.py")
    assert torch.equal(no_grad["shift"].grad, torch.ones(2))  # prediction + shift worked
    with torch.inference_mode():
        p = torch.tensor([1.0, 2.0]) * 2
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    (p + w).sum().backward()  # addition saves no input
    assert torch.equal(w.grad, torch.ones(2))
    with pytest.raises(RuntimeError) as error:
        (p * w).sum().backward()  # multiplication saves p
    # The first sentence is the exact rule; the page quotes the next one as the safe rule.
    assert str(error.value).startswith("Inference tensors cannot be saved for backward.")
    assert "Please do not use Tensors created in inference mode in computation tracked by autograd." in str(
        error.value)
    # The workaround the page gives: a clone is a normal tensor.
    (p.clone() * w).sum().backward()


def test_detach_shares_storage_but_not_the_graph(snippet):
    no_grad = snippet("autograd/no_grad.py")
    y, d = no_grad["y"], no_grad["d"]
    assert not d.requires_grad and d.grad_fn is None
    assert y[0].item() == 100.0  # the in-place change to d shows in y


def test_a_vector_output_needs_a_gradient_argument(snippet):
    no_grad = snippet("autograd/no_grad.py")
    w = no_grad["w"]
    assert torch.equal(w.grad, 2 * w.detach())
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (w**2).backward()
    # The Jacobian of v = w^2 is diagonal with 2 w_i, and u^T J with u all ones is w.grad.
    jacobian = no_grad["jacobian"]
    assert jacobian.shape == (2, 2) and torch.equal(jacobian, torch.diag(2 * w.detach()))
    assert torch.equal(no_grad["u"] @ jacobian, w.grad)


def test_the_printed_jacobian_has_no_signed_zero(snippet):
    jacobian = snippet("autograd/no_grad.py")["jacobian"]
    assert torch.signbit(jacobian[jacobian == 0]).any()  # autograd does produce a -0. here...
    shown = jacobian + 0.0
    assert not torch.signbit(shown[shown == 0]).any() and "-0." not in str(shown)  # ...which + 0.0 removes


def test_exercise_answers(snippet):
    exercise = snippet("autograd/exercises.py")
    flags = {name: (exercise[name].requires_grad, exercise[name].is_leaf) for name in "abcde"}
    assert flags == {"a": (True, True), "b": (False, True), "c": (True, False), "d": (False, True), "e": (True, False)}
    assert exercise["a"].grad.item() == exercise["d"].item() == 6.0
    # The solution's written prediction is what torch reports.
    predicted = exercise["predicted_flags"]()
    assert {name: predicted[name][:2] for name in "abcde"} == flags and predicted["a.grad"] == 6.0
    x, slope = 1.3, exercise["derivative"](1.3)
    assert slope == pytest.approx(3 * x**2 * math.sin(x) + x**3 * math.cos(x), abs=1e-12)
    assert slope == pytest.approx(exercise["by_hand"], abs=1e-12)
    # "agree to the last printed digit": the two 12-decimal strings the page prints are identical.
    assert f"{slope:.12f}" == f"{3 * x**2 * math.sin(x) + x**3 * math.cos(x):.12f}"


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
_PREDICTED = (
    "def predicted_flags():\n"
    "    return {{'a': (True, True, None), 'b': (False, True, None),\n"
    "            'c': (True, False, 'MulBackward0'), 'd': {d},\n"
    "            'e': (True, False, 'MulBackward0'), 'a.grad': {grad}}}\n"
)
_LOOP = (
    "def learners_loop(steps=3, lr=0.1):\n"
    "    w = torch.tensor(0.0, requires_grad=True)\n"
    "    optimizer = torch.optim.SGD([w], lr=lr)\n"
    "{before}"
    "    for _ in range(steps):\n"
    "        ((w - 3) ** 2).backward()\n"
    "{between}"
    "        optimizer.step()\n"
    "    return w.item()\n"
)
WRONG_ANSWERS = {
    "flags": [
        # detach() thought to keep the tensor in the graph
        (_PREDICTED.format(d="(True, False, 'DetachBackward0')", grad=6.0), "d.requires_grad: you predicted True"),
        # the path through c counted as well: d(a * b * a)/da = 2ab = 12
        (_PREDICTED.format(d="(False, True, None)", grad=12.0), "a.grad: you predicted 12"),
        # a detached tensor taken for a non-leaf, since it was computed
        (_PREDICTED.format(d="(False, False, None)", grad=6.0), "d.is_leaf: you predicted False"),
        # detach() thought to cut a off the graph: no gradient at all
        (_PREDICTED.format(d="(False, True, None)", grad=None), "a.grad: you predicted None, autograd gives 6"),
        # grad_fn written as the string "None"
        (_PREDICTED.format(d="(False, True, 'None')", grad=6.0), "you predicted 'None', torch says None"),
    ],
    "missing_line": [
        # zero_grad() between backward() and step(): the step sees a zero gradient
        (_LOOP.format(before="", between="        optimizer.zero_grad()\n"), "w never moves from 0"),
        # zero_grad() once, before the loop: the gradients still accumulate
        (_LOOP.format(before="    optimizer.zero_grad()\n", between=""), "but gradient descent reaches"),
    ],
    "derivative": [
        # the default float32
        (
            "def derivative(x):\n"
            "    x = torch.tensor(x, requires_grad=True)\n"
            "    (x**3 * torch.sin(x)).backward()\n"
            "    return x.grad\n",
            "is it computed in float64?",
        ),
        # the function's value, not its derivative
        (
            "def derivative(x):\n"
            "    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)\n"
            "    f = x**3 * torch.sin(x)\n"
            "    f.backward()\n"
            "    return f.item()\n",
            "the product rule gives",
        ),
    ],
}


def test_eval_mode_does_not_switch_off_autograd():
    """The page's warning: model.eval() changes dropout, and gradients still flow."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Dropout(0.5), torch.nn.Linear(4, 1))
    model.eval()
    model(torch.ones(2, 3)).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.parameters())
    with torch.no_grad():
        assert not model(torch.ones(2, 3)).requires_grad
