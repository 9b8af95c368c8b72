# --8<-- [start:data]
import torch

torch.manual_seed(0)
N, B = 1000, 50  # examples, mini-batch size: 20 equal batches per epoch
X = torch.randn(N, 3, dtype=torch.float64)
true_w = torch.tensor([2.0, -1.0, 0.5], dtype=torch.float64)
y = X @ true_w + 0.3 + 0.1 * torch.randn(N, dtype=torch.float64)
# a column of ones for the bias
A = torch.cat([X, torch.ones(N, 1, dtype=torch.float64)], dim=1)


def loss(theta):
    return ((A @ theta - y) ** 2).mean()


def gradient(theta, rows):
    """The gradient of the mean squared error over the given rows."""
    r = A[rows] @ theta - y[rows]  # prediction minus target, row by row
    return 2 * A[rows].T @ r / len(rows)


# the same gradient from autograd, for one set of rows
check = torch.randn(4, dtype=torch.float64, requires_grad=True)
rows = torch.arange(10)
((A[rows] @ check - y[rows]) ** 2).mean().backward()
print("2 A^T r / n equals autograd's gradient:",
      torch.allclose(gradient(check.detach(), rows), check.grad))

# the parameters with the lowest possible loss, solved directly
solution = torch.linalg.lstsq(A, y.unsqueeze(1)).solution.squeeze(1)
best = loss(solution).item()
print(f"least-squares loss, the floor: {best:.5f}")
# --8<-- [end:data]

# --8<-- [start:unbiased]
theta = torch.zeros(4, dtype=torch.float64)  # one fixed point
full = gradient(theta, torch.arange(N))
print("full gradient:                 ", full)
one_batch = gradient(theta, torch.randperm(N)[:B])
print("one random batch of 50:        ", one_batch)
# the expectation over random batches, estimated with many of them
draws = torch.stack([gradient(theta, torch.randperm(N)[:B])
                     for _ in range(5000)])
print("mean over 5,000 random batches:", draws.mean(dim=0))
# one shuffled epoch's 20 batches, all evaluated at the same theta
batches = torch.randperm(N).split(B)
average = sum(gradient(theta, rows) for rows in batches) / len(batches)
print("mean over one epoch's batches: ", average)
# --8<-- [end:unbiased]

# --8<-- [start:train]
lr, epochs = 0.1, 10
batch_theta, batch_losses = torch.zeros(4, dtype=torch.float64), []
sgd_theta, sgd_losses = torch.zeros(4, dtype=torch.float64), []
for epoch in range(epochs):
    # one update per epoch
    batch_theta = batch_theta - lr * gradient(batch_theta, torch.arange(N))
    batch_losses.append(loss(batch_theta).item())
    for rows in torch.randperm(N).split(B):  # N / B = 20 updates per epoch
        sgd_theta = sgd_theta - lr * gradient(sgd_theta, rows)
        sgd_losses.append(loss(sgd_theta).item())
print(f"after {epochs} epochs: "
      f"batch GD loss {batch_losses[-1]:.5f} ({len(batch_losses)} updates), "
      f"mini-batch SGD loss {sgd_losses[-1]:.5f} ({len(sgd_losses)} updates)")
# --8<-- [end:train]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

per_epoch = N // B
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
left.loglog(range(1, len(batch_losses) + 1), batch_losses, color="#0072B2",
            marker="o", label="batch GD")
left.loglog(range(1, len(sgd_losses) + 1), sgd_losses, color="#D55E00",
            linestyle="--", label="mini-batch SGD (B = 50)")
left.set(xlabel="update (log scale)", ylabel="loss on all data",
         title="per update")
right.semilogy(range(1, epochs + 1), batch_losses, color="#0072B2", marker="o",
               label="batch GD")
right.semilogy(range(1, epochs + 1), sgd_losses[per_epoch - 1 :: per_epoch],
               color="#D55E00", marker="s", linestyle="--",
               label="mini-batch SGD (B = 50)")
right.set(xlabel="epoch (one pass over the data)", ylabel="loss on all data",
          title="per epoch")
for ax in (left, right):
    ax.axhline(best, color="#000000", linestyle=":",
               label="least-squares floor")
    ax.legend(fontsize=8)
plt.show()
# --8<-- [end:plot]

# --8<-- [start:sizes]
import math

torch.manual_seed(1)  # its own seed: these numbers do not depend on the above
sizes = [1, 4, 16, 64, N]  # each 4 times the last, then the full batch
# at the fixed point theta = 0 above, whose full gradient is `full`;
# s2: the mean squared distance of one example's gradient from the full one
singles = torch.stack([gradient(theta, [i]) for i in range(N)])
s2 = (singles - full).pow(2).sum(dim=1).mean().item()
spreads, predicted, batch_gradients, excess, curves = {}, {}, {}, {}, {}
for size in sizes:
    # the rows of a batch are drawn without replacement, as in an epoch
    batch_gradients[size] = torch.stack(
        [gradient(theta, torch.randperm(N)[:size]) for _ in range(2000)])
    offsets = (batch_gradients[size] - full).norm(dim=1)
    spreads[size] = offsets.pow(2).mean().sqrt().item()
    predicted[size] = math.sqrt(s2 / size * (N - size) / (N - 1))
    # 100 updates from theta = 0, each on a fresh random batch of this size
    run_theta, curves[size] = theta, []
    for _ in range(100):
        run_theta = run_theta - lr * gradient(run_theta,
                                              torch.randperm(N)[:size])
        curves[size].append(loss(run_theta).item() - best)
    excess[size] = sum(curves[size][50:]) / 50
print(f"{'B':>5} {'spread':>7} {'predicted':>9}   "
      "loss - floor, updates 51-100")
for size in sizes:
    print(f"{size:5} {spreads[size]:7.3f} {predicted[size]:9.3f}   "
          f"{excess[size]:.1e}")
# --8<-- [end:sizes]

# --8<-- [start:sizes_plot]
for size in sizes:
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5),
                                      layout="constrained")
    fig.suptitle(f"batch size {size}")
    # two of the four components, for the first 200 batches
    shown = batch_gradients[size][:200]
    left.scatter(shown[:, 0], shown[:, 1], s=6, color="#0072B2",
                 label="batch gradients")
    left.scatter(full[0], full[1], s=80, marker="x", color="#000000",
                 label="full gradient")
    left.set(xlabel="first component", ylabel="second component",
             title=f"spread {spreads[size]:.2f}", xlim=(-16, 8),
             ylim=(-10, 14))
    left.legend(fontsize=8, loc="upper right")
    right.semilogy(range(1, 101), curves[size], color="#D55E00")
    # the same limits in every frame, so that only the runs change
    right.set(xlabel="update", ylabel="loss - floor (log scale)",
              xlim=(0, 100), ylim=(1e-6, 10))
plt.show()
# --8<-- [end:sizes_plot]

# --8<-- [start:never_zero]
print("at the least-squares solution, the lowest loss there is:")
# its exact length is rounding noise, which differs from run to run
length = gradient(solution, torch.arange(N)).norm().item()
print(f"  full gradient, length below 1e-12: {length < 1e-12}")
for rows in torch.randperm(N).split(B)[:3]:
    print(f"  gradient of a batch of {B}, length "
          f"{gradient(solution, rows).norm().item():.4f}")
# --8<-- [end:never_zero]

