# --8<-- [start:by_hand]
import torch
from torch import nn

logits = torch.tensor([[2.0, 1.0, 0.1],
                       [0.5, 2.5, -1.0],
                       [-1.0, 0.0, 3.0],
                       [1.2, 1.0, 0.9]], requires_grad=True)
labels = torch.tensor([0, 1, 2, 2])  # class indices, not one-hot rows
print("logits:", logits.dtype, tuple(logits.shape),
      "  labels:", labels.dtype, tuple(labels.shape))

# log-softmax: z_c - log sum_j e^{z_j}, with logsumexp's max subtraction
log_probs = logits - logits.logsumexp(dim=1, keepdim=True)
# each example's loss: minus the log-probability of its correct class
per_example = -log_probs[torch.arange(len(labels)), labels]
print("loss of each example:", per_example.detach())
by_hand = per_example.mean()
loss = nn.CrossEntropyLoss()(logits, labels)  # logits in, not softmax
print(f"by hand: {by_hand.item():.6f}   "
      f"nn.CrossEntropyLoss: {loss.item():.6f}")
try:
    nn.CrossEntropyLoss()(logits, labels.float())  # labels as floats
except RuntimeError as error:
    print("float labels of shape (N,): RuntimeError:", error)
# --8<-- [end:by_hand]

# --8<-- [start:gradient]
import torch.nn.functional as F

loss.backward()
one_hot = F.one_hot(labels, num_classes=3).float()
# the mean over N examples divides each row by N
formula = (torch.softmax(logits.detach(), dim=1) - one_hot) / len(labels)
print("autograd:\n", logits.grad)
print("(softmax(z) - onehot(y)) / N:\n", formula)
print("equal:", torch.allclose(logits.grad, formula))
print("each row sums to 0:",
      torch.allclose(logits.grad.sum(dim=1), torch.zeros(4), atol=1e-7))
# --8<-- [end:gradient]

# --8<-- [start:log_k]
import math

torch.manual_seed(0)
x = torch.randn(1000, 2)  # inputs of a made-up problem
largest_logit, first_loss = {}, {}  # for each number of classes K
for classes in [3, 10]:
    y = torch.randint(0, classes, (1000,))
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(),
                          nn.Linear(32, classes))  # freshly initialised
    with torch.no_grad():
        scores = model(x)
    largest_logit[classes] = scores.abs().max().item()
    first_loss[classes] = nn.CrossEntropyLoss()(scores, y).item()
    print(f"K = {classes:2}: logits within {largest_logit[classes]:.2f} "
          f"of 0, first loss {first_loss[classes]:.4f}, "
          f"log K = {math.log(classes):.4f}")
# --8<-- [end:log_k]
