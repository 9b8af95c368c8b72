# --8<-- [start:regression]
import torch
import torch.nn.functional as F
from torch import nn

y = torch.tensor([3.0, -0.5, 2.0, 7.0])
y_hat = torch.tensor([2.5, 0.0, 2.0, 8.0])

print("MSE by hand:", ((y_hat - y) ** 2).mean().item())
print("nn.MSELoss():", nn.MSELoss()(y_hat, y).item(),
      "  F.mse_loss:", F.mse_loss(y_hat, y).item())
print("MAE by hand:", (y_hat - y).abs().mean().item())
print("nn.L1Loss(): ", nn.L1Loss()(y_hat, y).item(),
      "  F.l1_loss: ", F.l1_loss(y_hat, y).item())
for reduction in ["mean", "sum", "none"]:
    print(f"reduction={reduction!r}:",
          nn.MSELoss(reduction=reduction)(y_hat, y))
# --8<-- [end:regression]

# --8<-- [start:cross_entropy]
# 2 examples, 3 classes: raw scores
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
# the correct class of each example, as an index
classes = torch.tensor([0, 2])

# log softmax, computed stably
log_probs = logits - logits.logsumexp(dim=1, keepdim=True)
# minus the log-probability of the right class
by_hand = -log_probs[torch.arange(2), classes].mean()
print("cross-entropy by hand:      ", round(by_hand.item(), 6))
print("nn.CrossEntropyLoss():      ",
      round(nn.CrossEntropyLoss()(logits, classes).item(), 6))
print("F.cross_entropy:            ",
      round(F.cross_entropy(logits, classes).item(), 6))
# --8<-- [end:cross_entropy]

# --8<-- [start:binary]
z = torch.tensor([1.5, -0.3, 2.2, -2.0])  # one logit per example
labels = torch.tensor([1.0, 0.0, 0.0, 0.0])
p = torch.sigmoid(z)  # predicted probability of label 1

by_hand = -(labels * p.log() + (1 - labels) * (1 - p).log()).mean()
print("BCE by hand:            ", round(by_hand.item(), 6))
print("nn.BCELoss() on p:      ", round(nn.BCELoss()(p, labels).item(), 6))
print("nn.BCEWithLogitsLoss() on z:",
      round(nn.BCEWithLogitsLoss()(z, labels).item(), 6))
# --8<-- [end:binary]
