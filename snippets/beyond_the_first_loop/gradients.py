# --8<-- [start:vanishing]
import torch
from torch import nn


def deep_mlp(activation, init, depth=10, width=64):
    """depth linear layers of width 64, each followed by activation."""
    torch.manual_seed(0)
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        init(linear.weight)
        nn.init.zeros_(linear.bias)
        layers += [linear, activation]
    return nn.Sequential(*layers[:-1])  # no activation after the last


def weight_grad_norms(model):
    """One backward pass on one batch; each layer's weight-gradient norm."""
    torch.manual_seed(1)
    x, target = torch.randn(128, 64), torch.randn(128, 64)
    nn.functional.mse_loss(model(x), target).backward()
    return [m.weight.grad.norm().item() for m in model
            if isinstance(m, nn.Linear)]


sigmoid_norms = weight_grad_norms(deep_mlp(nn.Sigmoid(),
                                           nn.init.xavier_normal_))
relu_norms = weight_grad_norms(deep_mlp(
    nn.ReLU(), lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")))
for name, norms in [("sigmoid", sigmoid_norms), ("ReLU", relu_norms)]:
    ratio = norms[0] / norms[-1]  # over 9 layers
    print(f"{name:7}: layer 1 {norms[0]:.2e}, layer 10 {norms[-1]:.2e}, "
          f"ratio {ratio:.2e}, {ratio ** (1 / 9):.2f} per layer")
# --8<-- [end:vanishing]

# --8<-- [start:vanishing_plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 4))
layers = range(1, 11)
ax.plot(layers, sigmoid_norms, "o-", color="#D55E00",
        label="sigmoid, Xavier init")
ax.plot(layers, relu_norms, "s-", color="#0072B2",
        label="ReLU, Kaiming init")
ax.set_yscale("log")
ax.set_xticks(list(layers))
ax.set_xlabel("layer (1 = next to the input)")
ax.set_ylabel("norm of the weight's gradient")
ax.legend()
fig.tight_layout()
plt.show()
# --8<-- [end:vanishing_plot]

# --8<-- [start:exploding]
torch.manual_seed(0)
x = torch.randn(64, 8)
y = 2 * x[:, :1] - x[:, 1:2]  # a linear target


def deep_linear(scale=1.5, depth=6, width=32):
    """A deep linear network whose weights start too large."""
    torch.manual_seed(1)
    sizes = [8] + [width] * (depth - 1) + [1]
    layers = [nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    for layer in layers:
        nn.init.normal_(layer.weight, std=scale / layer.in_features**0.5)
        nn.init.zeros_(layer.bias)
    return nn.Sequential(*layers)


def run(max_norm=None, steps=100):
    model = deep_linear()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    losses, norms = [], []
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        if max_norm is not None:  # between backward() and step()
            norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            norms.append(norm.item())  # the norm before clipping
        optimizer.step()
        losses.append(loss.item())
    return losses, norms


plain_losses, _ = run()
MAX_NORM = 50.0
clipped_losses, clipped_norms = run(max_norm=MAX_NORM)
for step in [0, 1, 2, 3, 20, 99]:
    print(f"step {step:3}: loss without clipping {plain_losses[step]:9.4g},"
          f" with clipping {clipped_losses[step]:9.4g}")
print("norms before clipping, steps 0 to 4:",
      [round(n, 1) for n in clipped_norms[:5]])
clipped_steps = [i for i, n in enumerate(clipped_norms) if n > MAX_NORM]
print(f"steps clipped: {len(clipped_steps)} of 100, "
      f"the last at step {clipped_steps[-1]}")
# --8<-- [end:exploding]

# --8<-- [start:exploding_plot]
import math

fig, ax = plt.subplots(figsize=(7, 4))
finite = [v for v in plain_losses if math.isfinite(v)]
ax.plot(range(len(finite)), finite, "o-", color="#D55E00",
        label="without clipping (nan from step 3)")
ax.plot(clipped_losses, color="#0072B2", label="clip_grad_norm_, max_norm 50")
ax.axvline(clipped_steps[-1], color="#595959", linestyle=":",
           label=f"last clipped step ({clipped_steps[-1]})")
ax.set_yscale("log")
ax.set_xlabel("step")
ax.set_ylabel("training loss (MSE)")
ax.legend()
fig.tight_layout()
plt.show()
# --8<-- [end:exploding_plot]
