"""Chapter 2, Backpropagation: the update rule, the hand-written backward pass, gradient checks."""

import ast
import math

import pytest
import torch
from conftest import SNIPPETS, snippet_sections


def test_one_update_follows_the_exact_rule_and_lowers_the_loss(snippet):
    step = snippet("backpropagation/update_rule.py")
    x, y, w, lr = step["x"], step["y"], step["w"], step["lr"]
    grad = 2 * (w * x - y) * x
    assert step["grad"] == pytest.approx(grad) == pytest.approx(step["w_t"].grad.item())
    assert step["w_new"] == pytest.approx(w - lr * grad)
    assert (step["w_new"] * x - y) ** 2 < (w * x - y) ** 2


@pytest.fixture(scope="module")
def net(snippet):
    return snippet("backpropagation/two_layer.py")


def test_every_gradient_has_the_shape_of_its_tensor(net):
    for grad, tensor in [
        ("dW1", "W1"),
        ("db1", "b1"),
        ("dW2", "W2"),
        ("db2", "b2"),
        ("dH", "H"),
        ("dZ1", "Z1"),
        ("dY_hat", "Y_hat"),
    ]:
        assert net[grad].shape == net[tensor].shape, grad


def test_hand_written_gradients_match_autograd_to_rounding_in_float64(net):
    assert net["X"].dtype == torch.float64
    for grad, param in zip(["dW1", "db1", "dW2", "db2"], net["params"]):
        # "about 1e-16 ... apart from rounding in the last digit or two" of about sixteen
        assert (net[grad] - param.grad).abs().max() < 1e-15, grad
        assert (net[grad] - param.grad).abs().max() <= 1e-14 * param.grad.abs().max(), grad
    # "A mistake in a formula ... would show up in the first digit": a missing factor changes
    # dW1 by a good part of its size.
    X, H, dY_hat, W2, true = net["X"], net["H"], net["dY_hat"], net["W2"], net["params"][0].grad
    dH = dY_hat @ W2
    for wrong in [dH.T @ X, (dH * H).T @ X, (dH * H * (1 - H)).T @ X / 2]:
        assert (wrong - true).abs().max() > 0.1 * true.abs().max()


def test_the_error_passed_back_is_the_chain_rule(net):
    """dL/dZ1 = (dL/dY_hat W2) * sigmoid'(Z1), computed independently entry by entry."""
    N, h = net["Z1"].shape
    s = torch.sigmoid(net["Z1"])
    for i in range(N):
        for j in range(h):
            expected = (
                sum(net["dY_hat"][i, c] * net["W2"][c, j] for c in range(net["W2"].shape[0])) * s[i, j] * (1 - s[i, j])
            )
            assert net["dZ1"][i, j].item() == pytest.approx(expected.item(), abs=1e-15)


def test_central_differences_and_gradcheck_agree_with_backprop(snippet):
    check = snippet("backpropagation/gradient_check.py")
    assert check["ok"] is True
    assert check["elements"] == 4 * 3 + 4 + 4 + 1 == 21
    loss_fn, W1, b1, W2, b2 = (check[name] for name in ("loss_fn", "W1", "b1", "W2", "b2"))
    # Every entry of W1, not only the three the page prints, by central differences.
    numeric = torch.zeros_like(W1)
    with torch.no_grad():
        for index in range(W1.numel()):
            step = torch.zeros(W1.numel(), dtype=W1.dtype)
            step[index] = 1e-5
            step = step.reshape(W1.shape)
            numeric.view(-1)[index] = (
                loss_fn(W1 + step, b1, W2, b2, check["X"], check["Y"])
                - loss_fn(W1 - step, b1, W2, b2, check["X"], check["Y"])
            ) / 2e-5
    assert torch.allclose(numeric, W1.grad, atol=1e-8)
    # gradcheck perturbs the parameters only: the data do not require grad
    assert [t.requires_grad for t in check["inputs"]] == [True] * 4 + [False] * 2


def test_float64_central_differences_keep_about_nine_digits(snippet):
    """Exercise 3: "float64 numbers near 1.5 are about 2e-16 apart, which leaves about nine correct digits"."""
    check = snippet("backpropagation/gradient_check.py")
    loss_fn, W1, b1, W2, b2, X, Y = (check[name] for name in ("loss_fn", "W1", "b1", "W2", "b2", "X", "Y"))
    L = loss_fn(W1, b1, W2, b2, X, Y).item()
    assert math.ulp(L) == pytest.approx(2e-16, rel=0.15)
    eps = check["eps"]
    with torch.no_grad():
        for i, j in [(0, 0), (2, 1), (3, 2)]:
            plus, minus = W1.clone(), W1.clone()
            plus[i, j] += eps
            minus[i, j] -= eps
            numeric = ((loss_fn(plus, b1, W2, b2, X, Y) - loss_fn(minus, b1, W2, b2, X, Y)) / (2 * eps)).item()
            digits = -math.log10(abs(numeric - W1.grad[i, j].item()) / abs(W1.grad[i, j].item()))
            assert 8.5 < digits < 10, (i, j, digits)


def test_float32_central_differences_are_multiples_of_one_gap_and_far_off(snippet):
    """Exercise 3's float32 run: L ~ 1.53, gaps of 1.2e-7 worth 0.0596 each after dividing by 2 eps,
    differences of about 3e-7 (the eighth significant digit), and results wrong by 100, 9 and 19 per cent."""
    check = snippet("backpropagation/gradient_check.py")
    eps, W1, L32, gap = check["eps"], check["W1"], check["L32"], check["gap"]
    assert L32.dtype == torch.float32 and L32.item() == pytest.approx(1.53, abs=0.005)
    assert gap == pytest.approx(1.2e-7, rel=0.01) == torch.finfo(torch.float32).eps  # spacing in [1, 2)
    assert gap / (2 * eps) == pytest.approx(0.0596, abs=5e-5)
    loss32 = check["loss_fn"]
    W1_32, rest = check["W1_32"], [check[name] for name in ("b1_32", "W2_32", "b2_32", "X32", "Y32")]
    wrong_by = []
    for (i, j), percent in zip([(0, 0), (2, 1), (3, 2)], (100, 9, 19)):
        true = W1.grad[i, j].item()
        # the float64 losses differ by about 2 eps dL/dtheta; for the larger two that is about 3e-7, in
        # the eighth significant digit of L
        if abs(true) > 0.1:
            assert 2 * eps * true == pytest.approx(3e-7, rel=0.15)
            assert math.floor(math.log10(L32.item())) - math.floor(math.log10(2 * eps * true)) + 1 == 8
        plus, minus = W1_32.clone(), W1_32.clone()
        plus[i, j] += eps
        minus[i, j] -= eps
        difference = (loss32(plus, *rest) - loss32(minus, *rest)).item()
        gaps = difference / gap
        assert gaps == round(gaps) and 0 <= gaps <= 3  # a whole number of gaps, only a few
        numeric = difference / (2 * eps)
        assert numeric == pytest.approx(round(gaps) * gap / (2 * eps), rel=1e-6)  # a multiple of 0.0596
        assert round(100 * abs(numeric - true) / abs(true)) == percent
        wrong_by.append(abs(numeric - true) / abs(true))
    assert min(wrong_by) > 0.05  # useless for a check


def test_gradcheck_catches_a_wrong_backward():
    class WrongSigmoid(torch.autograd.Function):
        @staticmethod
        def forward(ctx, z):
            s = torch.sigmoid(z)
            ctx.save_for_backward(s)
            return s

        @staticmethod
        def backward(ctx, grad):
            (s,) = ctx.saved_tensors
            return grad * s  # wrong: the derivative is s * (1 - s)

    z = torch.randn(5, dtype=torch.float64, requires_grad=True)
    assert not torch.autograd.gradcheck(WrongSigmoid.apply, (z,), raise_exception=False)


def test_training_by_hand_lowers_the_loss_and_equals_autograd(snippet):
    train = snippet("backpropagation/training.py")
    losses = train["losses"]
    assert len(losses) == train["steps"] == 2000
    assert losses[-1] < losses[0] / 50
    assert all(after <= before for before, after in zip(losses, losses[1:]))  # falls at every step
    assert train["difference"] < 1e-10


def tanh_answer(dY_hat: str = "2 * (Y_hat - Y) / Y_hat.numel()", dZ1: str = "(dY_hat @ W2) * (1 - H**2)",
                dW2: str = "dY_hat.T @ H") -> str:
    """An answer to exercise 2 that is right but for the lines given (as code)."""
    return (
        "def backward_tanh(X, Y, W1, b1, W2, b2):\n"
        "    Z1 = X @ W1.T + b1\n"
        "    H = torch.tanh(Z1)\n"
        "    Y_hat = H @ W2.T + b2\n"
        f"    dY_hat = {dY_hat}\n"
        f"    dW2, db2 = {dW2}, dY_hat.sum(dim=0)\n"
        f"    dZ1 = {dZ1}\n"
        "    return dZ1.T @ X, dZ1.sum(dim=0), dW2, db2\n"
    )


def resolution_answer(body: str) -> str:
    return f"def resolution(L, eps, dtype):\n    {body}\n"


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
WRONG_ANSWERS = {
    "output_bias": [
        # the mean over the examples: the 1/N counted twice
        ("def output_bias_grad(Y_hat, Y):\n    return (2 * (Y_hat - Y) / Y_hat.numel()).mean(dim=0)\n", "autograd's"),
        # 2 (Y_hat - Y) averaged over the examples: right for one output, the 1/k forgotten
        ("def output_bias_grad(Y_hat, Y):\n    return 2 * (Y_hat - Y).mean(dim=0)\n", "shape (5, 3), your dL/db2"),
        # added up along the wrong dimension: one number per example
        (
            "def output_bias_grad(Y_hat, Y):\n    return (2 * (Y_hat - Y) / Y_hat.numel()).sum(dim=1)\n",
            "yours has shape",
        ),
    ],
    "tanh": [
        # (the starter code keeps the sigmoid's derivative, H (1 - H))
        # the derivative written with Z1 instead of tanh(Z1)
        (tanh_answer(dZ1="(dY_hat @ W2) * (1 - Z1**2)"), "your dW1 differs from autograd's"),
        # tanh applied twice: H is already tanh(Z1)
        (tanh_answer(dZ1="(dY_hat @ W2) * (1 - torch.tanh(H) ** 2)"), "your dW1 differs from autograd's"),
        # the square forgotten
        (tanh_answer(dZ1="(dY_hat @ W2) * (1 - H)"), "your dW1 differs from autograd's"),
        # lines the task gives changed too: the mean over the N examples only, not over all N * k
        # entries, wrong with two outputs
        (tanh_answer(dY_hat="2 * (Y_hat - Y) / len(Y)"), "with 2 outputs, your dW1 differs"),
        # the product in the other order, H^T dY_hat: W2's transpose
        (tanh_answer(dW2="H.T @ dY_hat"), "your dW2 has shape"),
    ],
    "precision": [
        # machine epsilon, the gap near 1 only: right for L = 1.53, not for L = 40
        (resolution_answer("return torch.finfo(dtype).eps / (2 * eps)"), "near 40.0 in torch.float32"),
        # the gap itself, not divided by 2 eps
        (
            resolution_answer("L = torch.tensor(L, dtype=dtype)\n    return (torch.nextafter(L, L + 1) - L).item()"),
            "smallest positive central difference",
        ),
        # eps relative to L, L times machine epsilon: up to twice the gap
        (resolution_answer("return L * torch.finfo(dtype).eps / (2 * eps)"), "near 1.53 in torch.float32"),
    ],
}


@pytest.fixture(scope="module")
def ex(snippet):
    return snippet("backpropagation/exercises.py")


def test_exercise_1_the_sum_of_the_rows_is_the_mean_of_the_examples_own_gradients(ex):
    assert torch.allclose(ex["output_bias_grad"](ex["predictions"], ex["targets"]), ex["own"].mean(dim=0))
    # the solution's function is autograd's gradient, for one output and for several
    for N, k in [(3, 1), (6, 4)]:
        g = torch.Generator().manual_seed(N)
        Y_hat = torch.randn(N, k, generator=g, dtype=torch.float64, requires_grad=True)
        Y = torch.randn(N, k, generator=g, dtype=torch.float64)
        b2 = torch.zeros(k, dtype=torch.float64, requires_grad=True)
        ((Y_hat + b2 - Y) ** 2).mean().backward()
        assert torch.allclose(ex["output_bias_grad"](Y_hat.detach(), Y), b2.grad, rtol=0, atol=1e-15)


def test_exercise_tanh_backward_matches_autograd(ex):
    assert ex["db2"].shape == (2,)
    for grad, param in zip(("dW1", "db1", "dW2", "db2"), ex["params"]):
        assert torch.allclose(ex[grad], param.grad, atol=1e-12), grad


def test_exercise_2_the_task_is_the_chapters_backward_pass_with_one_line_to_change():
    """The task gives the chapter's code with tanh in the forward pass; the reader changes one line."""

    def statements(code: str, name: str) -> list[str]:
        function = next(node for node in ast.parse(code).body if getattr(node, "name", None) == name)
        body = [node for node in function.body if not isinstance(node, ast.Expr)]  # no docstring
        return [ast.unparse(node) for node in body]

    sections = dict(snippet_sections(SNIPPETS / "backpropagation/exercises.py"))
    task = statements(sections["tanh_task"], "backward_tanh")
    solution = statements(sections["tanh_solution"], "backward_tanh")
    changed = [(a, b) for a, b in zip(task, solution, strict=True) if a != b]
    assert changed == [("dZ1 = dY_hat @ W2 * H * (1 - H)", "dZ1 = dY_hat @ W2 * (1 - H ** 2)")]
    # the rest is the chapter's loop body, the forward pass with tanh for the sigmoid
    chapter = "\n".join(statements(dict(snippet_sections(SNIPPETS / "backpropagation/training.py"))["train"], "train"))
    for line in task:
        assert line.replace("tanh", "sigmoid") in chapter or line.startswith("return"), line


def test_exercise_3_the_step_of_a_central_difference(ex, snippet):
    """float32 near 1.53: one gap, 1.2e-7, is worth 0.0596 after dividing by 2 eps; float64's gaps are
    about 2e-16, worth about 1e-10: small next to the gradients, which leaves about nine digits."""
    check = snippet("backpropagation/gradient_check.py")
    step32 = ex["resolution"](check["L32"].item(), check["eps"], torch.float32)
    assert step32 == pytest.approx(check["gap"] / (2 * check["eps"]), rel=1e-6)
    assert round(step32, 4) == 0.0596
    step64 = ex["resolution"](1.53, 1e-6, torch.float64)
    assert step64 * 2e-6 == pytest.approx(2.2e-16, rel=0.01)  # "about 2e-16 apart"
    assert f"{step64:.3g}" == "1.11e-10"  # as printed
    assert step32 / step64 == 2**29  # float64 has 29 more bits of mantissa
    for L in (0.3, 1.53, 40.0):  # the step is the gap to the next number, over 2 eps
        assert ex["resolution"](L, 1e-6, torch.float64) * 2e-6 == pytest.approx(math.ulp(L), rel=1e-12)
        assert ex["resolution"](L, 1e-6, torch.float32) * 2e-6 == pytest.approx(math.ulp(L) * 2**29, rel=1e-12)


def test_the_numbers_the_page_quotes(snippet):
    step = snippet("backpropagation/update_rule.py")
    assert step["loss"] == 4.0 and step["w_new"] * step["x"] - step["y"] == pytest.approx(-0.4)  # loss 0.16
    losses = snippet("backpropagation/training.py")["losses"]
    assert losses[0] == pytest.approx(0.47, abs=0.005) and losses[-1] < 0.01


def test_gradcheck_warns_about_float32():
    z = torch.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision"):
        torch.autograd.gradcheck(torch.sigmoid, (z,), raise_exception=False)



def test_the_index_sum_is_the_matrix_product_for_both_layer_gradients(net):
    """dL/dW2[c, j] = sum_i dY_hat[i, c] H[i, j] and dL/dH[i, j] = sum_c dY_hat[i, c] W2[c, j]."""
    dY_hat, H, W2 = net["dY_hat"], net["H"], net["W2"]
    assert torch.allclose(net["dW2_entries"], net["dW2"], rtol=0, atol=1e-15)
    assert torch.allclose(net["dW2_entries"], net["params"][2].grad, rtol=0, atol=1e-12)
    (N, k), h = dY_hat.shape, H.shape[1]
    for i in range(N):
        for j in range(h):
            expected = sum(dY_hat[i, c] * W2[c, j] for c in range(k))
            assert net["dH"][i, j].item() == pytest.approx(expected.item(), abs=1e-15)
    # The shapes force the layout: of the products of dY_hat (N, k) and H (N, h), only
    # dY_hat.T @ H has W2's shape (k, h); H.T @ dY_hat is its transpose.
    assert (dY_hat.T @ H).shape == W2.shape != (H.T @ dY_hat).shape
    # The same for a network with several outputs, where the sum over c has several terms.
    g = torch.Generator().manual_seed(3)
    X, Y = torch.randn(6, 3, generator=g, dtype=torch.float64), torch.randn(6, 2, generator=g, dtype=torch.float64)
    W1 = torch.randn(4, 3, generator=g, dtype=torch.float64)
    W2 = torch.randn(2, 4, generator=g, dtype=torch.float64, requires_grad=True)
    H = torch.sigmoid(X @ W1.T).requires_grad_()
    ((H @ W2.T - Y) ** 2).mean().backward()
    dY_hat = 2 * (H @ W2.T - Y).detach() / Y.numel()
    assert torch.allclose(H.grad, dY_hat @ W2.detach(), atol=1e-15)
    assert torch.allclose(W2.grad, dY_hat.T @ H.detach(), atol=1e-15)


def test_updating_w2_before_passing_the_error_back_gives_a_wrong_w1_gradient(net):
    true_dW1 = net["params"][0].grad
    assert torch.equal(net["true_dW1"], true_dW1)
    assert (net["dW1"] - true_dW1).abs().max() < 1e-12  # the right order: the gradient
    # The deck's order, recomputed independently for the learning rates the snippet tries.
    X, H, dY_hat, W2, dW2 = (net[name] for name in ("X", "H", "dY_hat", "W2", "dW2"))
    errors = {}
    for lr in (0.05, 0.1, 0.2, 0.4):
        dW1 = ((dY_hat @ (W2 - lr * dW2)) * H * (1 - H)).T @ X
        errors[lr] = (dW1 - true_dW1).abs().max().item()
    assert net["lr"] == 0.2 and errors[0.2] == pytest.approx(net["difference"], rel=1e-12)  # the loop's last
    # "With learning rate 0.1 it is off by about a tenth of its own size"
    assert 0.08 < errors[0.1] / true_dW1.abs().max().item() < 0.12
    # "proportional to the learning rate": the same error per unit of learning rate, and the term
    # the prose names, delta_H - lr dY_hat dW2
    per_lr = [error / lr for lr, error in errors.items()]
    assert max(per_lr) == pytest.approx(min(per_lr), rel=1e-9)
    assert errors[0.2] == pytest.approx(2 * errors[0.1], rel=1e-9)
    assert torch.allclose(dY_hat @ (W2 - 0.1 * dW2), net["dH"] - 0.1 * dY_hat @ dW2, rtol=0, atol=1e-15)


def test_the_bias_gradients_are_column_sums_over_the_examples(net):
    """delta_b = sum_i (delta)_{i,:}: the sum of the rows, dimension 0, with shape (k,) and (h,)."""
    assert torch.allclose(net["db2"], sum(net["dY_hat"][i, :] for i in range(net["N"])), rtol=0, atol=1e-15)
    assert torch.allclose(net["db1"], sum(net["dZ1"][i, :] for i in range(net["N"])), rtol=0, atol=1e-15)
    assert net["db2"].shape == (net["k"],) and net["db1"].shape == (net["h"],)
    # Exercise 1: the 1/N of the mean is inside dY_hat, so the sum of its rows is the mean, over the
    # examples, of each example's own gradient 2/k (Y_hat_i - Y_i)
    own = [2 / net["k"] * (net["Y_hat"][i, :] - net["Y"][i, :]) for i in range(net["N"])]
    assert torch.allclose(net["db2"], sum(own) / net["N"], rtol=0, atol=1e-15)
    assert not torch.allclose(net["db2"], sum(own), rtol=0, atol=1e-6)


def test_graph_labels_every_dashed_arrow_with_the_gradients_it_computes(snippet):
    graph = snippet("backpropagation/graph.py")
    labels = {(start, end): label for start, end, label, _ in graph["backward"]}
    assert "2(\\hat{Y} - Y) / (Nk)" in labels[("L", "Y_hat")]
    assert "\\delta_{W_2}" in labels[("Y_hat", "W2, b2")] and "\\delta_{b_2}" in labels[("Y_hat", "W2, b2")]
    assert "\\delta_{W_1}" in labels[("Z1", "W1, b1")] and "\\delta_{b_1}" in labels[("Z1", "W1, b1")]


def test_backward_costs_about_twice_the_forward_pass(snippet):
    cost = snippet("backpropagation/cost.py")
    forward, backward = cost["forward_flops"], cost["backward_flops"]
    linears = [m for m in cost["model"] if isinstance(m, torch.nn.Linear)]
    N = cost["X"].shape[0]
    # One product per linear layer forward: 2 N n_in n_out FLOPs (a multiply and an add each).
    assert forward == sum(2 * N * m.in_features * m.out_features for m in linears)
    # Two backward (for the input and for the weight), except the input gradient of the first
    # layer, which nobody needs: X does not require grad.
    first = linears[0]
    assert backward == 2 * forward - 2 * N * first.in_features * first.out_features
    assert 1.9 < backward / forward <= 2


def test_a_larger_learning_rate_spikes_and_is_not_better(snippet):
    train = snippet("backpropagation/training.py")
    runs = {lr: train["train"](lr)[1] for lr in (0.15, 0.3, 0.4, 0.8, 1.0)}
    final = {lr: run[-1] for lr, run in runs.items()}
    assert 50 < max(runs[0.3]) < 100  # "jumps to about 70"
    assert 100 < max(runs[0.3]) / runs[0.3][0] < 200  # "a spike of a factor 150"
    assert final[0.3] < final[0.15]  # ... and yet ends lower here
    assert final[0.4] > final[0.15]  # a little more and it ends higher
    assert final[0.8] > runs[0.8][0]  # ends above where it started
    assert not math.isfinite(max(runs[1.0])) and math.isnan(final[1.0])  # overflows
