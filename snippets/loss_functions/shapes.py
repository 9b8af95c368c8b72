# --8<-- [start:mse_vs_l1]
import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

y = 0.0  # the target
y_hat = torch.linspace(-3, 3, 601)  # candidate predictions
mse, l1 = (y_hat - y) ** 2, (y_hat - y).abs()
# their derivatives with respect to y_hat
d_mse, d_l1 = 2 * (y_hat - y), torch.sign(y_hat - y)
# PyTorch's own derivative of the L1 loss at errors -1, 0 and 1
e = torch.tensor([-1.0, 0.0, 1.0], requires_grad=True)
F.l1_loss(e, torch.zeros(3), reduction="sum").backward()
print("L1 derivative at errors -1, 0, 1:", e.grad)

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
left.plot(y_hat, mse, color="#0072B2", linewidth=2,
          label="MSE $(\\hat{y}-y)^2$")
left.plot(y_hat, l1, color="#D55E00", linestyle="--", linewidth=2,
          label="L1 $|\\hat{y}-y|$")
left.set(xlabel="prediction (target y = 0)", ylabel="loss", title="loss")
left.legend()
right.plot(y_hat, d_mse, color="#0072B2", linewidth=2,
           label="MSE: $2(\\hat{y}-y)$")
right.plot(y_hat, d_l1, color="#D55E00", linestyle="--", linewidth=2,
           label="L1: sign$(\\hat{y}-y)$")
right.set(xlabel="prediction (target y = 0)", ylabel="derivative",
          title="gradient")
right.legend()
plt.show()
# --8<-- [end:mse_vs_l1]

# --8<-- [start:best_constant]
import torch

# One outlier among five targets: the best constant prediction under each loss.
targets = torch.tensor([1.0, 2.0, 2.5, 3.0, 20.0], dtype=torch.float64)
# candidate constants, step 0.001
c = torch.linspace(0, 21, 21001, dtype=torch.float64)
best_mse = c[((c[:, None] - targets) ** 2).mean(dim=1).argmin()]
best_l1 = c[(c[:, None] - targets).abs().mean(dim=1).argmin()]
print(f"best constant under MSE: {best_mse.item():.3f}   "
      f"mean of the targets:   {targets.mean().item():.3f}")
print(f"best constant under L1:  {best_l1.item():.3f}   "
      f"median of the targets: {targets.median().item():.3f}")
# --8<-- [end:best_constant]

# --8<-- [start:bce]
p = torch.linspace(0.001, 0.999, 999)
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(p, -torch.log(p), color="#0072B2", linewidth=2,
        label="label y = 1: $-\\log p$")
ax.plot(p, -torch.log(1 - p), color="#D55E00", linestyle="--", linewidth=2,
        label="label y = 0: $-\\log(1-p)$")
ax.set(xlabel="predicted probability p of label 1",
       ylabel="binary cross-entropy", ylim=(0, 5))
ax.legend()
plt.show()
# --8<-- [end:bce]
