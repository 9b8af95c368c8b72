"""Chapter 2, Backpropagation: the update rule, the hand-written backward pass, gradient checks."""

import pytest
import torch


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


def test_hand_written_gradients_match_autograd_to_1e_6_in_float64(net):
    assert net["X"].dtype == torch.float64
    for grad, param in zip(["dW1", "db1", "dW2", "db2"], net["params"]):
        assert torch.allclose(net[grad], param.grad, rtol=0, atol=1e-6), grad
        assert (net[grad] - param.grad).abs().max() < 1e-12  # in fact to rounding


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
            numeric.view(-1)[index] = (loss_fn(W1 + step, b1, W2, b2) - loss_fn(W1 - step, b1, W2, b2)) / 2e-5
    assert torch.allclose(numeric, W1.grad, atol=1e-8)


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


def test_exercise_tanh_backward_matches_autograd(snippet):
    exercise = snippet("backpropagation/exercises.py")
    assert exercise["db2"].shape == (2,)
    for grad, param in zip(("dW1", "db1", "dW2", "db2"), exercise["params"]):
        assert torch.allclose(exercise[grad], param.grad, atol=1e-12), grad


def test_the_numbers_the_page_quotes(snippet):
    step = snippet("backpropagation/update_rule.py")
    assert step["loss"] == 4.0 and step["w_new"] * step["x"] - step["y"] == pytest.approx(-0.4)  # loss 0.16
    losses = snippet("backpropagation/training.py")["losses"]
    assert losses[0] == pytest.approx(0.47, abs=0.005) and losses[-1] < 0.01


def test_gradcheck_warns_about_float32():
    z = torch.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision"):
        torch.autograd.gradcheck(torch.sigmoid, (z,), raise_exception=False)


def test_twice_the_learning_rate_first_makes_the_loss_jump(snippet):
    train = snippet("backpropagation/training.py")
    X, Y, (W1, b1, W2, b2) = train["X"], train["Y"], train["start"]
    peak = 0.0
    for _ in range(50):
        H = torch.sigmoid(X @ W1.T + b1)
        Y_hat = H @ W2.T + b2
        peak = max(peak, ((Y_hat - Y) ** 2).mean().item())
        dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()
        dZ1 = (dY_hat @ W2) * H * (1 - H)
        W1, b1, W2, b2 = W1 - 0.3 * dZ1.T @ X, b1 - 0.3 * dZ1.sum(0), W2 - 0.3 * dY_hat.T @ H, b2 - 0.3 * dY_hat.sum(0)
    assert 50 < peak < 100  # "jumps to about 70"
