# --8<-- [start:dataset]
import math

import torch
from torch.utils.data import Dataset


class Spirals(Dataset):
    """Points on interleaved spiral arms in the plane, one class per arm:
    item i is (its 2 coordinates, its class)."""

    def __init__(self, per_class, classes=3, noise=0.25, seed=0):
        generator = torch.Generator().manual_seed(seed)
        radius = torch.linspace(0.1, 1.0, per_class).repeat(classes)
        self.y = torch.arange(classes).repeat_interleave(per_class)
        # each arm starts at its own angle and turns as the radius grows
        angle = (self.y * 2 * math.pi / classes + 4 * radius
                 + noise * torch.randn(len(self.y), generator=generator))
        self.x = torch.stack([radius * torch.cos(angle),
                              radius * torch.sin(angle)], dim=1)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


train_set = Spirals(per_class=100, seed=0)
val_set = Spirals(per_class=40, seed=1)  # fresh points, the same arms
print("examples:", len(train_set), "for training,", len(val_set),
      "for validation")
features, label = train_set[0]
print("train_set[0]:", features, label)
print("labels of the first 100 and the last 100:",
      train_set.y[:100].unique().tolist(),
      train_set.y[-100:].unique().tolist())
# --8<-- [end:dataset]

# --8<-- [start:loader]
from torch.utils.data import DataLoader

# training: a new order every epoch, from a seeded generator
train_loader = DataLoader(train_set, batch_size=64, shuffle=True,
                          generator=torch.Generator().manual_seed(0))
val_loader = DataLoader(val_set, batch_size=64)  # in order
print("training batch sizes:  ", [len(y) for x, y in train_loader])
print("validation batch sizes:", [len(y) for x, y in val_loader])
x, y = next(iter(train_loader))
print("one batch: x", tuple(x.shape), x.dtype, "  y", tuple(y.shape), y.dtype)
print("classes in two epochs' first batches:",
      [torch.bincount(next(iter(train_loader))[1]).tolist()
       for epoch in range(2)])
in_order = next(iter(DataLoader(train_set, batch_size=64)))
print("without shuffling, the first batch's classes:",
      in_order[1].unique().tolist())
# the batch is the items stacked: x along a new first dimension
first_items = [val_set[i] for i in range(64)]
x, y = next(iter(val_loader))
print("collated batch equals stacked items:",
      torch.equal(x, torch.stack([f for f, _ in first_items])),
      torch.equal(y, torch.stack([c for _, c in first_items])))
# --8<-- [end:loader]

# --8<-- [start:evaluate]
from torch import nn


class MLP(nn.Module):
    """Hidden layers of ReLU units, then one logit per class."""

    def __init__(self, sizes):
        super().__init__()
        # [2, 32, 32, 3]: Linear(2, 32), Linear(32, 32), then out Linear(32, 3)
        self.hidden = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(sizes[:-2], sizes[1:-1]))
        self.out = nn.Linear(sizes[-2], sizes[-1])

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.out(x)


def evaluate(model, loader):
    """Mean loss and accuracy over every example the loader yields."""
    was_training = model.training
    model.eval()  # dropout, batch norm: evaluation behaviour
    total_loss, correct, count = 0.0, 0, 0
    with torch.no_grad():  # no graph: nothing to backpropagate here
        for x, y in loader:
            logits = model(x)
            # sums, not batch means: the short last batch counts less
            total_loss += nn.functional.cross_entropy(
                logits, y, reduction="sum").item()
            correct += (logits.argmax(dim=1) == y).sum().item()
            count += len(y)
    model.train(was_training)
    return total_loss / count, correct / count


torch.manual_seed(0)
model = MLP([2, 32, 32, 3])
val_loss, val_accuracy = evaluate(model, val_loader)
print(f"untrained: validation loss {val_loss:.4f} (log 3 = "
      f"{math.log(3):.4f}), accuracy {val_accuracy:.4f}")
# a list holding one batch serves as a loader of that batch alone
batch_means = [evaluate(model, [batch])[1] for batch in val_loader]
print("accuracy of each validation batch:",
      [round(a, 4) for a in batch_means],
      f" their mean {sum(batch_means) / len(batch_means):.4f}")
print("model still in training mode:", model.training)
# --8<-- [end:evaluate]

# --8<-- [start:train]
import copy

optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
history = {"train": [evaluate(model, train_loader)],
           "validation": [evaluate(model, val_loader)]}
snapshots = {0: copy.deepcopy(model.state_dict())}
for epoch in range(1, 61):
    model.train()
    for x, y in train_loader:
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    # after each epoch: loss and accuracy on both sets, as they stand
    history["train"].append(evaluate(model, train_loader))
    history["validation"].append(evaluate(model, val_loader))
    if epoch in (5, 15, 60):
        snapshots[epoch] = copy.deepcopy(model.state_dict())
    if epoch in (1, 5, 15, 30, 60):
        (train_loss, train_acc), (val_loss, val_acc) = (
            history["train"][-1], history["validation"][-1])
        print(f"epoch {epoch:2}: train loss {train_loss:.4f} accuracy "
              f"{train_acc:.4f} | validation loss {val_loss:.4f} "
              f"accuracy {val_acc:.4f}")
lowest = min(range(61), key=lambda e: history["validation"][e][0])
print(f"lowest validation loss {history['validation'][lowest][0]:.4f}"
      f" at epoch {lowest}")
# --8<-- [end:train]

# --8<-- [start:boundaries]
import matplotlib.pyplot as plt

colours = ["#0072B2", "#D55E00", "#009E73"]  # one per class
light = torch.tensor([[0.80, 0.89, 0.96], [0.98, 0.85, 0.76],
                      [0.80, 0.93, 0.88]])  # the same, lightened
markers = ["o", "s", "^"]
grid = torch.linspace(-1.15, 1.15, 200)
gx, gy = torch.meshgrid(grid, grid, indexing="xy")
points = torch.stack([gx.flatten(), gy.flatten()], dim=1)
snapshot_model = MLP([2, 32, 32, 3]).eval()

fig, axes = plt.subplots(1, len(snapshots), figsize=(10, 2.9),
                         layout="constrained")
for ax, (epoch, state) in zip(axes, snapshots.items()):
    snapshot_model.load_state_dict(state)
    with torch.no_grad():
        regions = snapshot_model(points).argmax(dim=1).reshape(200, 200)
    ax.imshow(light[regions].numpy(), origin="lower",
              extent=(-1.15, 1.15, -1.15, 1.15))
    for c in range(3):
        ax.scatter(*val_set.x[val_set.y == c].T.numpy(), s=9,
                   color=colours[c], marker=markers[c], label=f"class {c}")
    accuracy = history["validation"][epoch][1]
    ax.set(title=f"epoch {epoch}: accuracy {accuracy:.2f}",
           xticks=[], yticks=[])
axes[0].legend(loc="lower left", fontsize=7)
plt.show()
# --8<-- [end:boundaries]

# --8<-- [start:curves]
epochs = range(len(history["train"]))
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2),
                                  layout="constrained")
for name, colour, style in [("train", "#0072B2", "-"),
                            ("validation", "#D55E00", "--")]:
    losses, accuracies = zip(*history[name])
    left.plot(epochs, losses, color=colour, linestyle=style, label=name)
    right.plot(epochs, accuracies, color=colour, linestyle=style,
               label=name)
left.axhline(math.log(3), color="#555555", linestyle=":", label="log 3")
left.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
right.set(xlabel="epoch", ylabel="accuracy", title="accuracy", ylim=(0, 1))
left.legend()
right.legend(loc="lower right")
plt.show()
# --8<-- [end:curves]
