# --8<-- [start:fastest_task]
def steps_to_reach(lr, tolerance=1e-3, x=0.0, max_steps=1000):
    """Gradient descent on f(x) = 5 (x - 1)^2 with learning rate lr, from
    x: return the number of steps after which |x - 1| < tolerance for the
    first time (0 if it already is at the start), or None if that does
    not happen within max_steps steps."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:fastest_task]

# --8<-- [start:fastest_solution]
# f(x) = 5 (x - 1)^2 has f'(x) = 10 (x - 1): each step multiplies x - 1
# by 1 - 10 lr.
def steps_to_reach(lr, tolerance=1e-3, x=0.0, max_steps=1000):
    for step in range(max_steps + 1):
        if abs(x - 1) < tolerance:
            return step
        x -= lr * 10 * (x - 1)
    return None  # not within max_steps


for lr in [0.01, 0.05, 0.1, 0.15, 0.19, 0.2]:
    steps = steps_to_reach(lr)
    print(f"lr = {lr:4}: factor {1 - 10 * lr:5.2f}, steps needed: "
          + (str(steps) if steps is not None else "never"))
# --8<-- [end:fastest_solution]

# --8<-- [start:fastest_check]
import torch


def descent_check(lr, tolerance, x, max_steps):
    """The same count, with the slope from autograd, to compare with."""
    x = torch.tensor(x, dtype=torch.float64)
    for step in range(max_steps + 1):
        if abs(x.item() - 1) < tolerance:
            return step
        x.requires_grad_()
        (5 * (x - 1) ** 2).backward()
        x = (x - lr * x.grad).detach()
    return None


# other starts and tolerances first, then the exercise's own numbers
for lr_check, tolerance_check, x_check, max_check in [
        (0.03, 1e-4, -2.0, 1000), (0.12, 1e-3, 0.0, 1000),
        (0.05, 1e-3, 1.0, 1000), (0.05, 1e-3, 0.0, 1000),
        (0.15, 1e-3, 0.0, 1000), (0.1, 1e-3, 0.0, 1000),
        (0.2, 1e-3, 0.0, 1000), (0.25, 1e-3, 0.0, 100)]:
    got_steps = steps_to_reach(lr_check, tolerance_check, x_check,
                               max_check)
    expected_steps = descent_check(lr_check, tolerance_check, x_check,
                                   max_check)
    where_check = (f"for lr = {lr_check} from x = {x_check} with "
                   f"tolerance {tolerance_check}")
    if expected_steps is None:
        assert got_steps is None, (
            f"{where_check}, descent does not get there within {max_check} "
            f"steps, so return None, not {got_steps}")
    else:
        assert got_steps is not None and int(got_steps) == expected_steps, (
            f"{where_check}, |x - 1| < tolerance first holds after "
            f"{expected_steps} steps, but your function says {got_steps}")
print("Exercise 1: correct.")
# --8<-- [end:fastest_check]

# --8<-- [start:noise_question]
import torch

# the linear regression of the section on batches, and its gradient
torch.manual_seed(0)
N = 1000
X = torch.randn(N, 3, dtype=torch.float64)
y = (X @ torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64) + 0.3
     + 0.1 * torch.randn(N, dtype=torch.float64))
A = torch.cat([X, torch.ones(N, 1, dtype=torch.float64)], dim=1)


def gradient(theta, rows):
    """The gradient of the mean squared error over the given rows."""
    r = A[rows] @ theta - y[rows]  # prediction minus target, row by row
    return 2 * A[rows].T @ r / len(rows)
# --8<-- [end:noise_question]

# --8<-- [start:noise_task]
def tenfold_factor():
    """Your prediction: the factor by which the batch size must grow to
    cut the typical size of the noise tenfold."""
    raise NotImplementedError("Exercise 2: write your code here")


def deviation(batch_size, theta=torch.zeros(4, dtype=torch.float64),
              draws=4000):
    """The typical size of the noise at theta: the root mean square
    distance of the gradient of a random batch (batch_size rows drawn with
    torch.randperm) from the full gradient, over `draws` batches."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:noise_task]

# --8<-- [start:noise_solution]
def tenfold_factor():
    return 100  # the noise's standard deviation falls as 1 / sqrt(B)


def deviation(batch_size, theta=torch.zeros(4, dtype=torch.float64),
              draws=4000):
    full = gradient(theta, torch.arange(N))
    squared = [(gradient(theta, torch.randperm(N)[:batch_size]) - full)
               .norm() ** 2 for _ in range(draws)]
    return torch.stack(squared).mean().sqrt().item()


larger = tenfold_factor()
small, large = deviation(1), deviation(larger)
print(f"B = 1: {small:.4f}   B = {larger}: {large:.4f}   "
      f"ratio {small / large:.2f}")
# rows drawn without replacement: each variance shrinks by (N - B) / (N - 1)
shrink = ((N - 1) / (N - 1)) / ((N - larger) / (N - 1))
print(f"predicted ratio: 10 with independent rows, "
      f"{10 * shrink ** 0.5:.2f} without replacement")
# --8<-- [end:noise_solution]

# --8<-- [start:noise_check]
theta_check = torch.tensor([-1.0, 2.0, 1.5, -2.0], dtype=torch.float64)
# row i: the gradient of example i's squared error, from autograd
grads_check = torch.autograd.functional.jacobian(
    lambda t: (A @ t - y) ** 2, theta_check)


def noise_check(batch_size, draws=4000):
    """The noise of many random batches at once, to compare with."""
    rows = torch.rand(draws, N).argsort(dim=1)[:, :batch_size]
    offsets = grads_check[rows].mean(dim=1) - grads_check.mean(dim=0)
    return offsets.norm(dim=1).pow(2).mean().sqrt().item()


for b_check in (10, 40):
    got_noise = float(deviation(b_check, theta_check, draws=2000))
    expected_noise = noise_check(b_check)
    assert abs(got_noise - expected_noise) < 0.1 * expected_noise, (
        f"for B = {b_check} at theta = {theta_check.tolist()}, your noise "
        f"is {got_noise:.4f}, but the gradients of random batches lie "
        f"{expected_noise:.4f} from the full gradient (root mean square)")
got_factor = float(tenfold_factor())
assert got_factor == 100, (
    f"a batch {got_factor:g} times larger shrinks the noise by a factor "
    f"of {got_factor ** 0.5:.2f} (for rows drawn independently), not 10")
print("Exercise 2: correct.")
# --8<-- [end:noise_check]
