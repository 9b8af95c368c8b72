# --8<-- [start:gaussian]
import math

import torch
from torch import nn

torch.manual_seed(0)
y = torch.randn(6, dtype=torch.float64)  # targets
y_hat = torch.randn(6, dtype=torch.float64)  # predictions
sigma = 0.7  # an assumed, fixed noise level

mse = nn.MSELoss()(y_hat, y)
# Mean negative log-likelihood of y under a Gaussian centred on y_hat.
variance = torch.full_like(y, sigma**2)
gaussian_nll = nn.GaussianNLLLoss(full=True)(y_hat, y, variance)
constant = 0.5 * math.log(2 * math.pi * sigma**2)
print(f"Gaussian NLL:                    {gaussian_nll.item():.6f}")
print(f"MSE / (2 sigma^2) + constant:    "
      f"{(mse / (2 * sigma**2) + constant).item():.6f}")
# --8<-- [end:gaussian]

# --8<-- [start:bernoulli]
labels = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0], dtype=torch.float64)
# predicted P(label = 1)
p = torch.tensor([0.9, 0.2, 0.6, 0.99, 0.45], dtype=torch.float64)

bce = nn.BCELoss()(p, labels)
bernoulli_nll = -torch.distributions.Bernoulli(probs=p).log_prob(labels).mean()
print(f"BCE: {bce.item():.6f}   Bernoulli NLL: {bernoulli_nll.item():.6f}")
# --8<-- [end:bernoulli]

# --8<-- [start:kl]
import torch.nn.functional as F

# the true distribution p
target = torch.tensor([0.7, 0.2, 0.1], dtype=torch.float64)
# the model's distribution q
q = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64)

cross_entropy = -(target * q.log()).sum()  # H(p, q)
# H(p): fixed by the data, not by the model
entropy = -(target * target.log()).sum()
# KL(p || q); note: kl_div takes log q first
kl = F.kl_div(q.log(), target, reduction="sum")
print(f"H(p, q) = {cross_entropy.item():.6f}")
print(f"KL(p || q) + H(p) = {kl.item():.6f} + {entropy.item():.6f} "
      f"= {(kl + entropy).item():.6f}")
# --8<-- [end:kl]
