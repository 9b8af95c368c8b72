# --8<-- [start:formula]
import math

N, BATCH_SIZE, EPOCHS = 100, 20, 10  # the deck's example
iterations_per_epoch = math.ceil(N / BATCH_SIZE)
total_updates = iterations_per_epoch * EPOCHS
print("iterations per epoch:", iterations_per_epoch,
      " updates in all:", total_updates)
# --8<-- [end:formula]

# --8<-- [start:count]
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X, Y = torch.randn(N, 13), torch.randn(N)
# a new order every epoch
loader = DataLoader(TensorDataset(X, Y), batch_size=BATCH_SIZE, shuffle=True)
model = nn.Linear(13, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
updates = 0
for epoch in range(EPOCHS):
    for x, y in loader:  # one iteration: one batch, one update
        optimizer.zero_grad()
        loss = nn.MSELoss()(model(x), y.reshape(-1, 1))
        loss.backward()
        optimizer.step()
        updates += 1
print("len(loader):", len(loader), " optimizer steps counted:", updates)
# --8<-- [end:count]

# --8<-- [start:last_batch]
# the Boston housing table's 506 rows, by number
rows = TensorDataset(torch.arange(506))
print("batch_size=100:                 ",
      [len(batch) for (batch,) in DataLoader(rows, batch_size=100)])
print("batch_size=100, drop_last=True: ",
      [len(batch) for (batch,)
       in DataLoader(rows, batch_size=100, drop_last=True)])

seen = []
for i in range(506 // 100):  # the deck's loop: len(X) // BATCH_SIZE batches
    start = i * 100
    end = start + 100
    seen.extend(range(start, end))
print("the deck's loop:", 506 // 100, "batches,", len(seen),
      "rows; never sees rows", sorted(set(range(506)) - set(seen)))
# --8<-- [end:last_batch]

# --8<-- [start:short_batch]
# the lab's 304 training rows: batches of 100, 100, 100 and 4 every epoch
torch.manual_seed(0)
features = torch.randn(304, 13)
target = features @ torch.randn(13) + torch.randn(304)
w = torch.zeros(13)  # the weights at some moment of training


def batch_gradient(rows):
    """The mean squared error's gradient for a linear model, over rows."""
    r = features[rows] @ w - target[rows]  # prediction minus target
    return 2 * features[rows].T @ r / len(rows)


full = batch_gradient(torch.arange(304))
noise = {}
for size in (100, 4):
    off = [(batch_gradient(torch.randperm(304)[:size]) - full).norm() ** 2
           for _ in range(2000)]
    noise[size] = torch.stack(off).mean().sqrt().item()
    print(f"random batch of {size:3}: typical distance from the full "
          f"gradient {noise[size]:.2f}")
print(f"ratio {noise[4] / noise[100]:.1f}; sqrt(100 / 4) = 5")
# --8<-- [end:short_batch]
