# --8<-- [start:softmax]
import torch
import torch.nn.functional as F
from torch import nn

logits = torch.tensor([[4.0, 1.0, -2.0]], requires_grad=True)
target = torch.tensor([0])
loss_fn = nn.CrossEntropyLoss()

right = loss_fn(logits, target)  # CrossEntropyLoss applies log-softmax itself
# softmax twice: probabilities treated as logits
wrong = loss_fn(F.softmax(logits, dim=1), target)
print(f"right (logits):             {right.item():.4f}")
print(f"wrong (softmax first):      {wrong.item():.4f}")
one_hot = torch.tensor([[1.0, 0.0, 0.0]])
print(f"best possible wrong loss:   {loss_fn(one_hot, target).item():.4f}")
grad_right = torch.autograd.grad(right, logits)[0]
grad_wrong = torch.autograd.grad(wrong, logits)[0]
print("gradient, right:       ", grad_right)
print("gradient, wrong:       ", grad_wrong)
# the right gradient, by formula: predicted probabilities minus the target
print("softmax(z) - onehot(y):", F.softmax(logits, dim=1).detach() - one_hot)
# --8<-- [end:softmax]

# --8<-- [start:bce_logits]
# a very confident logit, float32
z = torch.tensor([40.0], requires_grad=True)
label = torch.tensor([0.0])  # ...and wrong: the label is 0
p = torch.sigmoid(z)
print("sigmoid(40) in float32:", p.item())  # rounds to exactly 1
# log(1 - 1) = -inf, clamped to -100: a constant, so the gradient is 0
through_sigmoid = nn.BCELoss()(p, label)
print("BCELoss(sigmoid(z)):  ", through_sigmoid.item(), "  gradient:",
      torch.autograd.grad(through_sigmoid, z)[0].item())
# exact: log(1 + e^40)
print("BCEWithLogitsLoss(z): ", nn.BCEWithLogitsLoss()(z, label).item())
# the same loss, written so that no exponential can overflow
stable = z.clamp(min=0) - label * z + torch.log1p(torch.exp(-z.abs()))
print("max(z, 0) - yz + log(1 + e^-|z|):", stable.item())
try:
    nn.BCELoss()(z, label)  # a logit is not a probability
except RuntimeError as error:
    print("BCELoss(z) on a logit: RuntimeError:", str(error).split(",")[0])
# --8<-- [end:bce_logits]

# --8<-- [start:saturation]
import math

# From which logit does the sigmoid round to 1? Scan in steps of 0.01.
grid = torch.arange(0.0, 40.0, 0.01)
saturated = grid[torch.sigmoid(grid) == 1.0]
print(f"sigmoid(z) rounds to 1 in float32 from z = {saturated[0].item():.2f}")
for logit in [16.0, 17.0]:
    loss_at = nn.BCELoss()(torch.sigmoid(torch.tensor([logit])), label)
    print(f"BCELoss(sigmoid({logit:.0f})) with label 0: {loss_at.item():.2f}"
          f"   (exact: {math.log1p(math.exp(logit)):.2f})")
# --8<-- [end:saturation]

# --8<-- [start:broadcast]
import warnings

pred = torch.tensor([[1.0], [2.0], [3.0]])  # a model's output: shape (N, 1)
y = torch.tensor([1.0, 2.0, 3.0])  # the targets: shape (N,)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = nn.MSELoss()(pred, y)  # broadcasts (3, 1) against (3,) to (3, 3)
with warnings.catch_warnings(record=True) as caught_by_hand:
    warnings.simplefilter("always")
    by_hand = ((pred - y) ** 2).mean()  # the same (3, 3) table
print(f"MSELoss(pred, y):                {wrong.item():.4f}   "
      f"warnings: {len(caught)}")
print(f"((pred - y)**2).mean():          {by_hand.item():.4f}   "
      f"warnings: {len(caught_by_hand)}")
print("the warning:", str(caught[0].message).split(". ")[0] + ".")
reshaped = nn.MSELoss()(pred, y.reshape(-1, 1))
print(f"MSELoss(pred, y.reshape(-1, 1)): {reshaped.item():.4f}")
squeezed = nn.MSELoss()(pred.squeeze(1), y)
print(f"MSELoss(pred.squeeze(1), y):     {squeezed.item():.4f}")
try:
    nn.BCEWithLogitsLoss()(pred, torch.tensor([0.0, 1.0, 1.0]))
except ValueError as error:
    print("BCEWithLogitsLoss: ValueError:", error)
# --8<-- [end:broadcast]
