# --8<-- [start:bce]
import torch
from torch import nn

# one logit per example, all confident that the class is 1; all are 0
z = torch.tensor([5.0, 10.0, 17.0, 30.0], requires_grad=True)
y = torch.zeros(4)
p = torch.sigmoid(z)
print("sigmoid(z) in float32:", p.detach())
# reduction="none": one loss, and one gradient, per example
through_p = nn.BCELoss(reduction="none")(p, y)  # log(1 - 1) clamped
from_z = nn.BCEWithLogitsLoss(reduction="none")(z, y)
grad_p = torch.autograd.grad(through_p.sum(), z)[0]
grad_z = torch.autograd.grad(from_z.sum(), z)[0]
print("z    sigmoid + BCELoss (gradient)   BCEWithLogitsLoss (gradient)")
for i in range(len(z)):
    print(f"{z[i].item():2.0f}   {through_p[i]:8.4f} ({grad_p[i]:.4f})"
          f"{from_z[i]:24.4f} ({grad_z[i]:.4f})")
# --8<-- [end:bce]

# --8<-- [start:threshold]
# 12 examples: the model's probability of class 1, and the true labels
p = torch.tensor([0.95, 0.85, 0.75, 0.65, 0.60, 0.55,
                  0.45, 0.40, 0.35, 0.25, 0.15, 0.05])
y = torch.tensor([1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0])
# a threshold of 0.5 on p is a threshold of 0 on the logit
print("p >= 0.5 is logit >= 0:",
      torch.equal(p >= 0.5, torch.logit(p) >= 0))
for threshold in [0.3, 0.5, 0.7]:
    predicted = (p >= threshold).long()
    tp = ((predicted == 1) & (y == 1)).sum().item()  # true positives
    fp = ((predicted == 1) & (y == 0)).sum().item()  # false positives
    fn = ((predicted == 0) & (y == 1)).sum().item()  # false negatives
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    accuracy = (predicted == y).float().mean().item()
    print(f"threshold {threshold}: TP {tp} FP {fp} FN {fn}  "
          f"precision {precision:.3f}  recall {recall:.3f}  "
          f"accuracy {accuracy:.3f}")
# --8<-- [end:threshold]
