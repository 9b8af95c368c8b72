# --8<-- [start:train]
import torch

torch.manual_seed(0)
# A small regression problem: 64 points of a smooth curve with a little noise.
X = torch.linspace(-2, 2, 64, dtype=torch.float64).reshape(-1, 1)
Y = torch.sin(1.5 * X) + 0.05 * torch.randn(64, 1, dtype=torch.float64)

h, lr, steps = 16, 0.15, 2000
W1 = torch.randn(h, 1, dtype=torch.float64)
b1 = torch.zeros(h, dtype=torch.float64)
W2 = 0.1 * torch.randn(1, h, dtype=torch.float64)
b2 = torch.zeros(1, dtype=torch.float64)
# kept to compare with autograd below
start = [p.clone() for p in (W1, b1, W2, b2)]


def train(lr):
    """Train from `start` with the backward pass written by hand: the final
    parameters and the loss at every step."""
    W1, b1, W2, b2 = start
    losses = []
    for step in range(steps):
        # Forward.
        H = torch.sigmoid(X @ W1.T + b1)
        Y_hat = H @ W2.T + b2
        losses.append(((Y_hat - Y) ** 2).mean().item())
        # Backward, by hand.
        dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()
        dW2, db2 = dY_hat.T @ H, dY_hat.sum(dim=0)
        dZ1 = (dY_hat @ W2) * H * (1 - H)
        dW1, db1 = dZ1.T @ X, dZ1.sum(dim=0)
        # Update every parameter: theta <- theta - lr * dL/dtheta.
        W1, b1, W2, b2 = (W1 - lr * dW1, b1 - lr * db1,
                          W2 - lr * dW2, b2 - lr * db2)
    return (W1, b1, W2, b2), losses


(W1, b1, W2, b2), losses = train(lr)
print(f"loss at step 0: {losses[0]:.4f}, "
      f"at step {steps - 1}: {losses[-1]:.4f}")
# --8<-- [end:train]

# --8<-- [start:same_with_autograd]
params = [p.clone().requires_grad_() for p in start]
for step in range(steps):
    aW1, ab1, aW2, ab2 = params
    loss = ((torch.sigmoid(X @ aW1.T + ab1) @ aW2.T + ab2 - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():  # the update is not part of what is differentiated
        for p in params:
            p -= lr * p.grad  # in place: p stays the tensor autograd tracks
            p.grad = None  # backward() adds to .grad: clear it for next step
difference = max((p - q).abs().max().item()
                 for p, q in zip(params, (W1, b1, W2, b2)))
print(f"after {steps} steps, largest difference from the autograd loop: "
      f"{difference:.1e}")
# --8<-- [end:same_with_autograd]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
left.plot(losses, color="#0072B2", linewidth=2, label="training loss")
left.set(xlabel="step", ylabel="mean squared error", yscale="log")
left.legend()
with torch.no_grad():
    fit = torch.sigmoid(X @ W1.T + b1) @ W2.T + b2
right.plot(X, Y, "o", color="#000000", markersize=3, label="data")
right.plot(X, fit, color="#D55E00", linestyle="--", linewidth=2,
           label=f"network after {steps} steps")
right.set(xlabel="x", ylabel="y")
right.legend()
plt.show()
# --8<-- [end:plot]

# --8<-- [start:learning_rates]
# The same training from the same start, with larger learning rates.
for lr_tried in [0.15, 0.3, 0.4, 0.8, 1.0]:
    _, run = train(lr_tried)
    print(f"lr {lr_tried:4}: highest loss {max(run):9.4f}, "
          f"loss at step {steps - 1}: {run[-1]:.4f}")
# --8<-- [end:learning_rates]
