# --8<-- [start:split]
import torch
from torch.utils.data import TensorDataset, random_split

torch.manual_seed(0)
x = torch.rand(60, 1) * 2 - 1  # one feature in [-1, 1]
# the target: a smooth curve plus noise of variance 0.09
y = torch.sin(3 * x) + 0.3 * torch.randn(60, 1)
dataset = TensorDataset(x, y)

# its own seeded generator: the same split on every run
generator = torch.Generator().manual_seed(0)
train_set, val_set, test_set = random_split(dataset, [30, 15, 15],
                                            generator=generator)
print("sizes:", len(train_set), len(val_set), len(test_set))
print("first validation rows:", val_set.indices[:5])
distinct = (set(train_set.indices) | set(val_set.indices)
            | set(test_set.indices))
# 60: no row is in two sets
print("distinct rows in the three sets:", len(distinct))
# --8<-- [end:split]

# --8<-- [start:fractions]
parts = random_split(range(506), [0.7, 0.15, 0.15],
                     generator=torch.Generator().manual_seed(0))
print("506 rows split 70/15/15:", [len(part) for part in parts])
# --8<-- [end:fractions]

# --8<-- [start:train]
import copy

from torch import nn


def tensors(subset):
    return x[subset.indices], y[subset.indices]


(x_train, y_train), (x_val, y_val), (x_test, y_test) = map(
    tensors, (train_set, val_set, test_set))
model = nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64),
                      nn.Tanh(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
loss_fn = nn.MSELoss()
train_losses, val_losses = [], []
best_val, best_epoch, best_state = float("inf"), None, None
# copies of the weights at a few epochs, for the figure (0: untrained)
SNAPSHOT_EPOCHS = (0, 10, 100, 250, 1000, 2000)
snapshots = {0: copy.deepcopy(model.state_dict())}
for epoch in range(1, 2001):
    model.train()
    optimizer.zero_grad()
    # only the training set moves the weights
    loss_fn(model(x_train), y_train).backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        train_losses.append(loss_fn(model(x_train), y_train).item())
        # the validation set only watches
        val_losses.append(loss_fn(model(x_val), y_val).item())
    # keep a copy of the weights with the lowest validation loss
    if val_losses[-1] < best_val:
        best_val, best_epoch = val_losses[-1], epoch
        best_state = copy.deepcopy(model.state_dict())
    if epoch in SNAPSHOT_EPOCHS:
        snapshots[epoch] = copy.deepcopy(model.state_dict())
print(f"best validation loss {best_val:.4f} at epoch {best_epoch}; "
      f"training loss there {train_losses[best_epoch - 1]:.4f}")
print(f"after epoch 2000: training loss {train_losses[-1]:.4f}, "
      f"validation loss {val_losses[-1]:.4f}")
# what the true curve itself scores: all that is left is the points' noise
true_train = loss_fn(torch.sin(3 * x_train), y_train).item()
true_val = loss_fn(torch.sin(3 * x_val), y_val).item()
print(f"the true curve sin(3x): training loss {true_train:.4f}, "
      f"validation loss {true_val:.4f}")

# a state_dict: each parameter's name and a tensor of its values
print({name: tuple(t.shape) for name, t in best_state.items()})
# a model of the same shape, given the saved values
best_model = copy.deepcopy(model)
best_model.load_state_dict(best_state)
# --8<-- [end:train]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

grid = torch.linspace(-1, 1, 200).reshape(-1, 1)
snapshot_model = copy.deepcopy(model)
curves, losses_at = {}, {}
print("epoch  training loss  validation loss")
for epoch, state in snapshots.items():
    snapshot_model.load_state_dict(state)
    with torch.no_grad():
        curves[epoch] = snapshot_model(grid)
        losses_at[epoch] = (loss_fn(snapshot_model(x_train), y_train).item(),
                            loss_fn(snapshot_model(x_val), y_val).item())
    print(f"{epoch:5}  {losses_at[epoch][0]:13.4f}  "
          f"{losses_at[epoch][1]:15.4f}")

for epoch in SNAPSHOT_EPOCHS:
    train_loss, val_loss = losses_at[epoch]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5),
                                      layout="constrained")
    fig.suptitle(f"epoch {epoch}: training loss {train_loss:.4f}, "
                 f"validation loss {val_loss:.4f}")
    # the losses up to this epoch, on the same axes in every frame: every
    # epoch of the first 100, then every fifth, a lighter SVG that looks the
    # same, and always this epoch, where the lines meet their dots
    shown = [e for e in range(1, epoch + 1)
             if e <= 100 or e % 5 == 0 or e == epoch]
    left.semilogy(shown, [train_losses[e - 1] for e in shown],
                  color="#0072B2", linewidth=2, label="training loss")
    left.semilogy(shown, [val_losses[e - 1] for e in shown],
                  color="#D55E00", linestyle="--", linewidth=2,
                  label="validation loss")
    left.plot(epoch, train_loss, "o", color="#0072B2")
    left.plot(epoch, val_loss, "s", color="#D55E00")
    if epoch >= best_epoch:  # the lowest validation loss, once it is past
        left.axvline(best_epoch, color="#000000", linestyle=":",
                     label=f"lowest validation loss (epoch {best_epoch})")
    left.set(xlim=(-50, 2050), ylim=(0.01, 2), xlabel="epoch",
             ylabel="MSE (log scale)")
    left.legend(fontsize=8, loc="upper right")
    right.scatter(x_train, y_train, color="#0072B2", s=18,
                  label="training points")
    right.scatter(x_val, y_val, color="#D55E00", marker="s", s=18,
                  label="validation points")
    right.plot(grid, torch.sin(3 * grid), color="#000000", linestyle=":",
               linewidth=1.5, label="the true curve sin(3x)")
    right.plot(grid, curves[epoch], color="#009E73", linewidth=2,
               label="model")
    right.set(ylim=(-2, 2), xlabel="x", ylabel="y")
    right.legend(fontsize=8, loc="lower right")
plt.show()
# --8<-- [end:plot]

# --8<-- [start:test]
best_model.eval()
with torch.no_grad():
    # the test set, used once, at the very end
    test_loss = loss_fn(best_model(x_test), y_test).item()
print(f"chosen model (epoch {best_epoch}): test loss {test_loss:.4f}")
true_test = loss_fn(torch.sin(3 * x_test), y_test).item()
print(f"the true curve sin(3x): test loss {true_test:.4f}")
# --8<-- [end:test]
