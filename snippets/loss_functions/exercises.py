# --8<-- [start:ce_solution]
import math

import torch
from torch import nn

# Four classes, a model that is completely unsure: all logits equal.
logits = torch.zeros(1, 4)
loss = nn.CrossEntropyLoss()(logits, torch.tensor([2]))
print(f"loss = {loss.item():.6f}, log 4 = {math.log(4):.6f}")
# --8<-- [end:ce_solution]

# --8<-- [start:binary_solution]
# Logits, some confident, and labels: the derivative of the binary
# cross-entropy with respect to each logit, by autograd and by formula.
z = torch.tensor([-2.0, 0.0, 0.8, 3.0, 40.0], requires_grad=True)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])
# reduction="sum": each example's own derivative, not divided by N
bce = nn.BCEWithLogitsLoss(reduction="sum")(z, labels)
bce.backward()
print("autograd:        ", z.grad)
print("sigmoid(z) - y:  ", torch.sigmoid(z).detach() - labels)
# --8<-- [end:binary_solution]

# --8<-- [start:broadcast_solution]
import warnings

torch.manual_seed(0)
x = torch.randn(64, 1)  # one feature, shape (64, 1)
y = 1.0 + 3.0 * x.squeeze(1) + 0.1 * torch.randn(64)  # targets: (64,)


def train(targets):
    """Fit a linear model by gradient descent; return it and its loss."""
    torch.manual_seed(1)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning from the question
        for step in range(300):
            loss = nn.MSELoss()(model(x), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model, loss.item()


model, stalled = train(y)  # the bug: (64, 1) predictions, (64,) targets
print(f"loss with the bug:   {stalled:.4f}")
print(f"Var(y):              {y.var(correction=0).item():.4f}")
print(f"weight {model.weight.item():.4f}, bias {model.bias.item():.4f}, "
      f"mean of y {y.mean().item():.4f}")
fixed, fixed_loss = train(y.reshape(-1, 1))
print(f"loss with y.reshape(-1, 1): {fixed_loss:.4f}")
# --8<-- [end:broadcast_solution]
