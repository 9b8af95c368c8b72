# --8<-- [start:required]
import torch
from torch import nn
from torch.optim import Adam

torch.manual_seed(0)
LR = 0.001
linear_model = nn.Linear(13, 1)
# the deck's two arguments: parameters and lr
optimizer = Adam(linear_model.parameters(), lr=LR)
print("Adam:",
      {key: optimizer.defaults[key] for key in ["lr", "betas", "eps"]})
print("SGD without lr uses lr =",
      torch.optim.SGD(linear_model.parameters()).defaults["lr"])
# --8<-- [end:required]

# --8<-- [start:groups]
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
optimizer = torch.optim.SGD(
    # the first layer: its own learning rate
    [{"params": model[0].parameters(), "lr": 0.01},
     {"params": model[2].parameters()}],  # the rest: the default below
    lr=0.1,
)
for i, group in enumerate(optimizer.param_groups):
    shapes = [tuple(p.shape) for p in group["params"]]
    print(f"group {i}: lr = {group['lr']}, tensors = {shapes}")
# --8<-- [end:groups]

# --8<-- [start:step]
optimizer = Adam(model.parameters(), lr=0.1)
before = [p.detach().clone() for p in model.parameters()]
optimizer.step()  # no backward() yet: every .grad is None, so nothing changes
print("changed without backward():",
      any(not torch.equal(b, p) for b, p in zip(before, model.parameters())))

model(torch.ones(2, 3)).sum().backward()
model[0].bias.grad = None  # a parameter without a gradient is skipped
optimizer.step()
for (name, p), b in zip(model.named_parameters(), before):
    print(f"{name:9} changed: {not torch.equal(b, p)}")
print("Adam's state for one parameter:",
      sorted(optimizer.state[model[2].weight]))
# --8<-- [end:step]
