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
# Two outputs per example, shape (N, D) = (2, 2): the mean runs over N * D.
Y, Y_hat = y.reshape(2, 2), y_hat.reshape(2, 2)
total = ((Y_hat - Y) ** 2).sum().item()
print("(N, D) = (2, 2): nn.MSELoss():", nn.MSELoss()(Y_hat, Y).item(),
      "  sum / (N*D):", total / 4, "  sum / N:", total / 2)
# --8<-- [end:regression]

# --8<-- [start:cross_entropy]
# 2 examples, 3 classes: raw scores
logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
# the correct class of each example, as an index: int64, shape (N,)
classes = torch.tensor([0, 2])

# softmax: e^z_c / sum_j e^z_j, one probability per class, rows sum to 1
probs = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
print("softmax by hand:", probs)
print("F.softmax:      ", F.softmax(logits, dim=1))
print("row sums:", probs.sum(dim=1))
# log softmax, computed stably
log_probs = logits - logits.logsumexp(dim=1, keepdim=True)
# logsumexp subtracts the largest logit before exponentiating:
big = torch.tensor([1000.0, 0.0])
print("log(sum(exp(z))) for z = [1000, 0]:", big.exp().sum().log().item(),
      "  logsumexp:", big.logsumexp(dim=0).item())
# minus the log-probability of the right class
by_hand = -log_probs[torch.arange(2), classes].mean()
print("cross-entropy by hand:      ", round(by_hand.item(), 6))
print("nn.CrossEntropyLoss():      ",
      round(nn.CrossEntropyLoss()(logits, classes).item(), 6))
print("F.cross_entropy:            ",
      round(F.cross_entropy(logits, classes).item(), 6))
# --8<-- [end:cross_entropy]

# --8<-- [start:soft_targets]
# The same targets as class probabilities: float, shape (N, K)
one_hot = F.one_hot(classes, num_classes=3).float()
print("one-hot targets:", one_hot)
print("class indices:               ",
      round(F.cross_entropy(logits, classes).item(), 6))
print("one-hot rows (float):        ",
      round(F.cross_entropy(logits, one_hot).item(), 6))

# Label smoothing: keep 1 - eps on the correct class, spread eps over all K.
eps, K = 0.1, 3
smoothed = (1 - eps) * one_hot + eps / K
print("smoothed targets:", smoothed)
# the cross-entropy -sum_c p_c log q_c of each example, averaged
smoothed_by_hand = -(smoothed * log_probs).sum(dim=1).mean()
print("smoothed rows, by hand:      ", round(smoothed_by_hand.item(), 6))
print("smoothed rows:               ",
      round(F.cross_entropy(logits, smoothed).item(), 6))
print("indices, label_smoothing=0.1:",
      round(F.cross_entropy(logits, classes, label_smoothing=eps).item(), 6))
# PyTorch does not check the rows: rows summing to 2 double the loss.
print("one-hot rows times 2:        ",
      round(F.cross_entropy(logits, 2 * one_hot).item(), 6))
# --8<-- [end:soft_targets]

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
