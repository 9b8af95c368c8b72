# --8<-- [start:count_solution]
import torch
from torch import nn

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
# in * out + out for each Linear layer; ReLU has none
by_formula = (4 * 16 + 16) + (16 * 3 + 3)
counted = sum(p.numel() for p in model.parameters())
print("by formula:", by_formula, " counted:", counted)
# --8<-- [end:count_solution]

# --8<-- [start:order_question]
torch.manual_seed(0)
x, y = torch.randn(32, 4), torch.randn(32)
linear_model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(linear_model.parameters(), lr=0.1)
start = linear_model.weight.detach().clone()
for _ in range(10):
    pre_y = linear_model(x)
    loss = nn.MSELoss()(pre_y, y.reshape(-1, 1))
    loss.backward()
    optimizer.zero_grad()  # moved: now between backward() and step()
    optimizer.step()
# --8<-- [end:order_question]

# --8<-- [start:order_solution]
print("weight.grad when step() runs:", linear_model.weight.grad)
print("weights changed in 10 steps:",
      not torch.equal(start, linear_model.weight.detach()))
# --8<-- [end:order_solution]

# --8<-- [start:halves_solution]
loss_fn = nn.MSELoss()
optimizer.zero_grad()
loss_fn(linear_model(x), y.reshape(-1, 1)).backward()
full = linear_model.weight.grad.clone()

optimizer.zero_grad()
# two halves of the batch, no zero_grad() in between
for rows in torch.arange(32).split(16):
    (loss_fn(linear_model(x[rows]), y[rows].reshape(-1, 1)) / 2).backward()
print("full batch:    ", full)
print("two halves / 2:", linear_model.weight.grad)
print("equal:", torch.allclose(full, linear_model.weight.grad))
# --8<-- [end:halves_solution]
