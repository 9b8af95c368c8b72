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
z = torch.tensor([40.0])  # a very confident logit, float32
label = torch.tensor([0.0])  # ...and wrong: the label is 0
p = torch.sigmoid(z)
print("sigmoid(40) in float32:", p.item())  # rounds to exactly 1
# log(1 - 1) = -inf, clamped to -100
print("BCELoss(sigmoid(z)):  ", nn.BCELoss()(p, label).item())
# exact: log(1 + e^40)
print("BCEWithLogitsLoss(z): ", nn.BCEWithLogitsLoss()(z, label).item())
try:
    nn.BCELoss()(z, label)  # a logit is not a probability
except RuntimeError as error:
    print("BCELoss(z) on a logit: RuntimeError:", str(error).split(",")[0])
# --8<-- [end:bce_logits]

# --8<-- [start:broadcast]
import warnings

pred = torch.tensor([[1.0], [2.0], [3.0]])  # a model's output: shape (N, 1)
y = torch.tensor([1.0, 2.0, 3.0])  # the targets: shape (N,)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = nn.MSELoss()(pred, y)  # broadcasts (3, 1) against (3,) to (3, 3)
print(f"MSELoss(pred, y):                {wrong.item():.4f}")
reshaped = nn.MSELoss()(pred, y.reshape(-1, 1))
print(f"MSELoss(pred, y.reshape(-1, 1)): {reshaped.item():.4f}")
print("warning:", str(caught[0].message).split(". ")[0] + ".")
# --8<-- [end:broadcast]
