# --8<-- [start:output_bias_task]
import torch

torch.manual_seed(0)


def output_bias_grad(Y_hat, Y):
    """Y_hat holds the network's predictions and Y the targets, both of
    shape (N, k), and L is the mean squared error over all N * k entries.
    Return dL/db2, the gradient of L with respect to the output layer's
    bias b2, a tensor of shape (k,)."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:output_bias_task]

# --8<-- [start:output_bias_solution]
def output_bias_grad(Y_hat, Y):
    dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()  # the 1/N of the mean is here
    return dY_hat.sum(dim=0)  # every example adds its part


predictions, targets = torch.randn(4, 2), torch.randn(4, 2)
print("dL/db2:                          ",
      output_bias_grad(predictions, targets))
# each example's own gradient, 2/k (Y_hat_i - Y_i), one row per example
own = 2 / targets.shape[1] * (predictions - targets)
print("the mean of the examples' own:   ", own.mean(dim=0))
# --8<-- [end:output_bias_solution]

# --8<-- [start:output_bias_check]
for N_check, k_check in ((8, 1), (5, 3)):
    Y_check = torch.randn(N_check, k_check, dtype=torch.float64)
    b2_check = torch.zeros(k_check, dtype=torch.float64, requires_grad=True)
    # the output layer adds b2 to every row, as in H @ W2.T + b2
    Y_hat_check = torch.randn(N_check, k_check, dtype=torch.float64)
    Y_hat_check = Y_hat_check + b2_check
    ((Y_hat_check - Y_check) ** 2).mean().backward()  # autograd's dL/db2
    got_db2 = torch.as_tensor(
        output_bias_grad(Y_hat_check.detach(), Y_check)).detach().double()
    assert got_db2.shape == b2_check.shape, (
        f"dL/db2 has the shape of b2, {tuple(b2_check.shape)}: one entry "
        f"per output; yours has shape {tuple(got_db2.shape)}")
    assert torch.allclose(got_db2, b2_check.grad), (
        f"for Y_hat of shape {(N_check, k_check)}, your dL/db2 is "
        f"{[round(g, 4) for g in got_db2.tolist()]}, "
        f"autograd's {[round(g, 4) for g in b2_check.grad.tolist()]}")
print("Exercise 1: correct.")
# --8<-- [end:output_bias_check]

# --8<-- [start:tanh_task]
def backward_tanh(X, Y, W1, b1, W2, b2):
    """The chapter's forward and backward pass, with tanh instead of the
    sigmoid in the hidden layer: H = tanh(X W1^T + b1),
    Y_hat = H W2^T + b2, and L the mean squared error over all entries of
    Y_hat. It should return the gradients of L with respect to W1, b1, W2
    and b2, in that order, but its backward pass is still the sigmoid's:
    change the line that must change."""
    # Forward.
    H = torch.tanh(X @ W1.T + b1)
    Y_hat = H @ W2.T + b2
    # Backward, by hand.
    dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()
    dW2, db2 = dY_hat.T @ H, dY_hat.sum(dim=0)
    dZ1 = (dY_hat @ W2) * H * (1 - H)
    dW1, db1 = dZ1.T @ X, dZ1.sum(dim=0)
    return dW1, db1, dW2, db2
# --8<-- [end:tanh_task]

# --8<-- [start:tanh_solution]
def backward_tanh(X, Y, W1, b1, W2, b2):
    H = torch.tanh(X @ W1.T + b1)
    Y_hat = H @ W2.T + b2
    dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()
    dW2, db2 = dY_hat.T @ H, dY_hat.sum(dim=0)
    dZ1 = (dY_hat @ W2) * (1 - H**2)  # tanh'(z) = 1 - tanh(z)^2
    dW1, db1 = dZ1.T @ X, dZ1.sum(dim=0)
    return dW1, db1, dW2, db2


torch.manual_seed(1)
X = torch.randn(5, 3, dtype=torch.float64)
Y = torch.randn(5, 2, dtype=torch.float64)
W1 = torch.randn(4, 3, dtype=torch.float64)
b1 = torch.randn(4, dtype=torch.float64)
W2 = torch.randn(2, 4, dtype=torch.float64)
b2 = torch.randn(2, dtype=torch.float64)
dW1, db1, dW2, db2 = backward_tanh(X, Y, W1, b1, W2, b2)

params = [p.clone().requires_grad_() for p in (W1, b1, W2, b2)]
aW1, ab1, aW2, ab2 = params
((torch.tanh(X @ aW1.T + ab1) @ aW2.T + ab2 - Y) ** 2).mean().backward()
print("db2 shape:", tuple(db2.shape))
by_hand = (dW1, db1, dW2, db2)
match = all(torch.allclose(g, p.grad, atol=1e-12)
            for g, p in zip(by_hand, params))
print("all four match autograd:", match)
# --8<-- [end:tanh_solution]

# --8<-- [start:tanh_check]
for N_check, n_check, h_check, k_check in ((6, 3, 4, 2), (4, 2, 5, 3)):
    X_check = torch.randn(N_check, n_check, dtype=torch.float64)
    Y_check = torch.randn(N_check, k_check, dtype=torch.float64)
    shapes_check = ((h_check, n_check), (h_check,), (k_check, h_check),
                    (k_check,))
    leaves_check = [torch.randn(shape, dtype=torch.float64,
                                requires_grad=True) for shape in shapes_check]
    W1_check, b1_check, W2_check, b2_check = leaves_check
    # autograd's gradients, in the leaves' .grad, to compare with yours
    H_check = torch.tanh(X_check @ W1_check.T + b1_check)
    ((H_check @ W2_check.T + b2_check - Y_check) ** 2).mean().backward()
    got_grads = backward_tanh(X_check, Y_check,
                              *(leaf.detach() for leaf in leaves_check))
    for name, got_grad, leaf in zip(("W1", "b1", "W2", "b2"), got_grads,
                                    leaves_check):
        got_grad = torch.as_tensor(got_grad).detach()
        assert got_grad.shape == leaf.shape, (
            f"your d{name} has shape {tuple(got_grad.shape)}, but {name} "
            f"has shape {tuple(leaf.shape)}")
        gap_check = (got_grad - leaf.grad).abs().max().item()
        assert gap_check < 1e-8, (
            f"for a network with {k_check} outputs, your d{name} differs "
            f"from autograd's by up to {gap_check:.3g}")
print("Exercise 2: correct.")
# --8<-- [end:tanh_check]

# --8<-- [start:precision_task]
def resolution(L, eps, dtype):
    """A loss near L (a positive number, not a power of two) is computed
    in dtype at theta + eps and at theta - eps. Return, as a float, the
    smallest positive value that the central difference
    (L(theta + eps) - L(theta - eps)) / (2 eps) can take."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:precision_task]

# --8<-- [start:precision_solution]
def resolution(L, eps, dtype):
    L = torch.tensor(L, dtype=dtype)
    # The two losses are numbers of dtype near L, a whole number of gaps
    # apart: the smallest difference is one gap, to the next number.
    gap = torch.nextafter(L, L + 1) - L
    return gap.item() / (2 * eps)


for dtype in (torch.float32, torch.float64):
    print(f"{dtype}: a central difference near L = 1.53 moves in steps "
          f"of {resolution(1.53, 1e-6, dtype):.3g}")
# --8<-- [end:precision_solution]

# --8<-- [start:precision_check]
cases_check = ((1.53, 1e-6, torch.float32), (1.53, 1e-6, torch.float64),
               (40.0, 1e-6, torch.float32), (0.3, 1e-4, torch.float64))
for L_check, eps_check, dtype_check in cases_check:
    # Central differences as they happen: straight lines through the loss
    # L_check, with 10,000 slopes from 1e-14 to 10, each at a random
    # point theta, every number in dtype_check.
    slopes_check = 10 ** (15 * torch.rand(10_000, dtype=dtype_check) - 14)
    theta_check = torch.rand(10_000, dtype=dtype_check)
    L_t = torch.tensor(L_check, dtype=dtype_check)
    central_check = ((L_t + slopes_check * (theta_check + eps_check))
                     - (L_t + slopes_check * (theta_check - eps_check))
                     ) / (2 * eps_check)
    smallest_check = central_check[central_check > 0].min().item()
    got_step = float(resolution(L_check, eps_check, dtype_check))
    assert abs(got_step - smallest_check) < 1e-3 * smallest_check, (
        f"for a loss near {L_check} in {dtype_check} and eps = "
        f"{eps_check}, your smallest value is {got_step:.4g}, but the "
        f"smallest positive central difference there is "
        f"{smallest_check:.4g}")
print("Exercise 3: correct.")
# --8<-- [end:precision_check]
