# --8<-- [start:symmetry]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(64, 2)  # 64 examples, 2 features
y = torch.sin(x[:, :1]) + x[:, 1:] ** 2  # a target to fit


def train(start, steps=200):
    """Train a 2-8-1 tanh network from a given start; return it."""
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    if start != "random":  # every weight and bias set to one value
        for p in model.parameters():
            nn.init.constant_(p, start)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model, loss.item()


def row_spread(weight):
    """The largest distance between two rows (two hidden units)."""
    return torch.cdist(weight, weight).max().item()


for start in ["random", 0.5, 0.0]:
    model, loss = train(start)
    print(f"start {start!s:6}: rows of the first layer "
          f"{row_spread(model[0].weight):.4f} apart, loss {loss:.4f}")
# --8<-- [end:symmetry]

# --8<-- [start:zeros]
model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
for p in model.parameters():
    nn.init.zeros_(p)
nn.functional.mse_loss(model(x), y).backward()
for name, p in model.named_parameters():
    print(f"{name:8} gradient: largest |value| "
          f"{p.grad.abs().max().item():.4f}")
# --8<-- [end:zeros]

# --8<-- [start:default]
layer = nn.Linear(256, 128)  # fan_in 256: each output sums 256 inputs
fan_in = layer.in_features
bound = 1 / fan_in**0.5
print(f"1/sqrt(fan_in) = {bound:.4f}")
print(f"largest |weight| = {layer.weight.abs().max().item():.4f}, "
      f"largest |bias| = {layer.bias.abs().max().item():.4f}")
print(f"std of the weights {layer.weight.std().item():.4f}, "
      f"1/sqrt(3 fan_in) = {1 / (3 * fan_in) ** 0.5:.4f}")
# --8<-- [end:default]

# --8<-- [start:xavier_kaiming]
fan_out = layer.out_features
nn.init.xavier_normal_(layer.weight)  # for tanh and sigmoid
print(f"Xavier:  std {layer.weight.std().item():.4f}, "
      f"sqrt(2/(fan_in+fan_out)) = {(2 / (fan_in + fan_out)) ** 0.5:.4f}")
nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")  # for ReLU
print(f"Kaiming: std {layer.weight.std().item():.4f}, "
      f"sqrt(2/fan_in) = {(2 / fan_in) ** 0.5:.4f}")
# --8<-- [end:xavier_kaiming]

# --8<-- [start:spread]
def activation_stds(activation, init, depth=20, width=256):
    """The std of each layer's activations in a deep MLP, one batch."""
    torch.manual_seed(2)
    h = torch.randn(256, width)
    stds = []
    for _ in range(depth):
        layer = nn.Linear(width, width)
        if init is not None:
            init(layer.weight)
        nn.init.zeros_(layer.bias)  # only the weights differ
        with torch.no_grad():
            h = activation(layer(h))
        stds.append(h.std().item())
    return stds


runs = {
    ("tanh", "default"): activation_stds(torch.tanh, None),
    ("tanh", "Xavier"): activation_stds(torch.tanh, nn.init.xavier_normal_),
    ("ReLU", "default"): activation_stds(torch.relu, None),
    ("ReLU", "Kaiming"): activation_stds(
        torch.relu, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
}
for (activation, init), stds in runs.items():
    print(f"{activation:4} {init:8}: std after layer 1 {stds[0]:.3g}, "
          f"layer 10 {stds[9]:.3g}, layer 20 {stds[19]:.3g}")
# --8<-- [end:spread]

# --8<-- [start:spread_plot]
import matplotlib.pyplot as plt

layers = range(1, 21)
fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True)
for ax, activation, good in zip(axes, ["tanh", "ReLU"],
                                ["Xavier", "Kaiming"]):
    ax.plot(layers, runs[(activation, "default")], "o-", color="#D55E00",
            label="nn.Linear's default")
    ax.plot(layers, runs[(activation, good)], "s-", color="#0072B2",
            label=good)
    ax.set_yscale("log")
    ax.set_title(f"{activation} activations")
    ax.set_xlabel("layer")
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.legend()
axes[0].set_ylabel("std of the activations")
fig.tight_layout()
plt.show()
# --8<-- [end:spread_plot]
