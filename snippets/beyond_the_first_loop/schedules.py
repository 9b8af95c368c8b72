# --8<-- [start:step]
import torch
from torch import nn
from torch.optim.lr_scheduler import StepLR


def lr_per_epoch(optimizer, scheduler, epochs):
    """The learning rate that each epoch trains with."""
    rates = []
    for _ in range(epochs):
        rates.append(scheduler.get_last_lr()[0])
        optimizer.step()  # stands for the epoch's updates
        scheduler.step()  # then once, at the end of the epoch
    return rates


model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=3, gamma=0.5)
step_rates = lr_per_epoch(optimizer, scheduler, 8)
print("StepLR:", [round(rate, 4) for rate in step_rates])
# --8<-- [end:step]

# --8<-- [start:cosine]
from torch.optim.lr_scheduler import CosineAnnealingLR

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = CosineAnnealingLR(optimizer, T_max=8)
cosine_rates = lr_per_epoch(optimizer, scheduler, 8)
print("CosineAnnealingLR:", [round(rate, 4) for rate in cosine_rates])
# --8<-- [end:cosine]

# --8<-- [start:warmup]
import math

from torch.optim.lr_scheduler import LambdaLR, LinearLR, SequentialLR

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
warm = LinearLR(optimizer, start_factor=0.25, total_iters=3)
decay = CosineAnnealingLR(optimizer, T_max=7)
scheduler = SequentialLR(optimizer, [warm, decay], milestones=[3])
warmup_rates = lr_per_epoch(optimizer, scheduler, 10)
print("warm-up, then cosine:", [round(rate, 4) for rate in warmup_rates])


def factor(epoch):
    """The same schedule as one function: a factor of the base rate."""
    if epoch < 3:
        return 0.25 + 0.75 * epoch / 3
    return 0.5 * (1 + math.cos(math.pi * (epoch - 3) / 7))


optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = LambdaLR(optimizer, factor)
lambda_rates = lr_per_epoch(optimizer, scheduler, 10)
print("LambdaLR:            ", [round(rate, 4) for rate in lambda_rates])
# --8<-- [end:warmup]

# --8<-- [start:order]
import warnings

x = torch.randn(8, 3)
y = torch.randn(8, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
used = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for epoch in range(3):
        scheduler.step()  # the wrong place: before the epoch's updates
        used.append(optimizer.param_groups[0]["lr"])
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
print("the rates the three epochs trained with:", used)
print("PyTorch warned:", str(caught[0].message).split(".  ")[0])
# --8<-- [end:order]

# --8<-- [start:compare]
torch.manual_seed(0)
N, EPOCHS, BATCH, LR = 160, 24, 10, 0.1
X = torch.randn(N, 5)
y = X @ torch.randn(5, 1) + 0.5 * torch.randn(N, 1)
# The lowest training loss a linear model can reach: least squares. In
# float64, as the losses below, so that rounding does not blur how far
# above it they end.
A = torch.cat([X, torch.ones(N, 1)], dim=1).double()
floor = nn.functional.mse_loss(A @ torch.linalg.lstsq(A, y.double()).solution,
                               y.double())

SCHEDULES = {
    "constant": lambda opt: LambdaLR(opt, lambda epoch: 1.0),
    "step": lambda opt: StepLR(opt, step_size=6, gamma=0.3),
    "cosine": lambda opt: CosineAnnealingLR(opt, T_max=EPOCHS),
    "warm-up + cosine": lambda opt: SequentialLR(
        opt, [LinearLR(opt, start_factor=0.1, total_iters=3),
              CosineAnnealingLR(opt, T_max=EPOCHS - 3)], milestones=[3]),
}
rates, above = {}, {}  # per epoch: its rate, then its loss above the floor
for name, make_scheduler in SCHEDULES.items():
    torch.manual_seed(1)  # the same initial weights for every schedule
    linear = nn.Linear(5, 1)
    optimizer = torch.optim.SGD(linear.parameters(), lr=LR)
    scheduler = make_scheduler(optimizer)
    shuffle = torch.Generator().manual_seed(2)  # and the same batches
    rates[name], above[name] = [], []
    for epoch in range(EPOCHS):
        rates[name].append(scheduler.get_last_lr()[0])
        for batch in torch.randperm(N, generator=shuffle).split(BATCH):
            loss = nn.functional.mse_loss(linear(X[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
        with torch.no_grad():
            theta = torch.cat([linear.weight.T, linear.bias[:, None]])
            loss = nn.functional.mse_loss(A @ theta.double(), y.double())
        above[name].append((loss - floor).item())
print(f"least-squares floor: {floor:.4f}")
for name in SCHEDULES:
    print(f"{name:16}  last rate {rates[name][-1]:.4f}  "
          f"final loss above the floor {above[name][-1]:.1e}")
# --8<-- [end:compare]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

COLOURS = ["#595959", "#0072B2", "#D55E00", "#009E73"]
epochs = range(1, EPOCHS + 1)
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5))
for (name, colour) in zip(SCHEDULES, COLOURS):
    style = "--" if name == "constant" else "-"
    left.step(epochs, rates[name], style, where="mid", color=colour,
              label=name)
    right.semilogy(epochs, above[name], style, color=colour, label=name)
left.set(xlabel="epoch", ylabel="learning rate", ylim=(0, 0.105),
         title="the schedules")
right.set(xlabel="epoch", ylabel="training loss above the floor",
          title="the losses")
right.legend(fontsize=8)
fig.tight_layout()
plt.show()
# --8<-- [end:plot]
