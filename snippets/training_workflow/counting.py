# --8<-- [start:sizes]
import torch
from torch.utils.data import DataLoader

N, BATCH_SIZE, EPOCHS = 506, 100, 3  # the lab's houses and batch size
# the lab's split: shuffle once, then 20 % test, 20 % validation, the rest
# for training
order = torch.randperm(N, generator=torch.Generator().manual_seed(0))
test_rows, val_rows, train_rows = order[:101], order[101:202], order[202:]
print("training, validation, test rows:",
      len(train_rows), len(val_rows), len(test_rows))

loader = DataLoader(train_rows, batch_size=BATCH_SIZE, shuffle=True)
batches = []  # (epoch, iteration, rows in the batch)
iteration = 0
for epoch in range(1, EPOCHS + 1):
    for rows in loader:  # a new order in every epoch
        iteration += 1  # one iteration: one batch, one update
        batches.append((epoch, iteration, len(rows)))
print("batch sizes in epoch 1:", [n for e, _, n in batches if e == 1])
print(f"{EPOCHS} epochs x {len(loader)} iterations = {iteration} updates")
# --8<-- [end:sizes]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
colours = {"training": "#0072B2", "validation": "#D55E00", "test": "#009E73"}
start = 0
for name, rows in zip(colours, (train_rows, val_rows, test_rows)):
    # a light fill ("40": a quarter opaque) inside a full-colour edge
    ax.barh(0, len(rows), left=start, height=0.6, color=colours[name] + "40",
            edgecolor=colours[name], linewidth=1.5)
    ax.text(start + len(rows) / 2, 0, f"{name}\n{len(rows)} rows",
            ha="center", va="center", fontsize=8)
    start += len(rows)
for epoch, iteration, n in batches:
    left = sum(size for e, i, size in batches if e == epoch and i < iteration)
    ax.barh(epoch, n, left=left, height=0.6, color=colours["training"] + "40",
            edgecolor=colours["training"], linewidth=1.5)
    if n == BATCH_SIZE:
        ax.text(left + n / 2, epoch, f"iteration {iteration}\n{n} rows",
                ha="center", va="center", fontsize=8)
    else:  # the short last batch, a sliver: its label goes beside it
        ax.text(left + n + 4, epoch, f"iteration {iteration}: only {n} rows",
                ha="left", va="center", fontsize=8)
ax.set_yticks(range(EPOCHS + 1),
              ["split, once"] + [f"epoch {e}" for e in range(1, EPOCHS + 1)])
ax.invert_yaxis()
ax.set(xlim=(0, N), xlabel="rows (each epoch: the training rows, reshuffled)",
       title=f"{N} rows: split once; batches of {BATCH_SIZE}, "
             f"{len(loader)} iterations an epoch, {iteration} in all")
plt.show()
# --8<-- [end:plot]
