# --8<-- [start:solution]
import torch
from torch import nn

# The data: 500 examples, 3 features, a linear target with a little noise.
generator = torch.Generator().manual_seed(7)
X = torch.randn(500, 3, generator=generator)
y = (X @ torch.tensor([2.0, -1.0, 0.5]) + 1.0
     + 0.1 * torch.randn(500, generator=generator))


def check(model, X=X.clone(), y=y.clone()):
    """Compare the model's weights and bias with least squares, the best
    linear fit to the data above; True if none is off by more than 0.05.
    X and y are copied when check is defined, so a program that later
    reuses those names does not change what check compares with."""
    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    best = torch.linalg.lstsq(A, y.reshape(-1, 1)).solution.flatten()
    learned = torch.cat([model.weight.detach().flatten(),
                         model.bias.detach()])
    gap = (learned - best).abs().max().item()
    print("least squares:", [round(v, 4) for v in best.tolist()])
    print(f"largest gap from least squares: {gap:.4f}",
          "(passed)" if gap < 0.05 else "(not yet: more steps, another "
          "learning rate, or check the shapes of prediction and target)")
    return gap < 0.05


# The model, the loss and the optimizer
torch.manual_seed(0)
model = nn.Linear(3, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

# The loop: the five lines, 200 times on the whole data set
for step in range(200):
    optimizer.zero_grad()
    pre_y = model(X)
    loss = loss_fn(pre_y, y.reshape(-1, 1))
    loss.backward()
    optimizer.step()

print(f"final loss: {loss.item():.5f}")
print("learned weights:",
      [round(v, 4) for v in model.weight.detach().flatten().tolist()])
print(f"learned bias: {model.bias.item():.4f}")
passed = check(model)
# --8<-- [end:solution]

# --8<-- [start:own_copy]
# check() keeps the data it was defined with. A program that reuses the name
# y for its predictions does not make an untrained model pass.
untrained = nn.Linear(3, 1)
y = untrained(X).detach()
untrained_passed = check(untrained)
# --8<-- [end:own_copy]
