# --8<-- [start:shrink]
import matplotlib.pyplot as plt
import torch

torch.manual_seed(0)
# a gradient that stays about 1
gradients = 1 + 0.3 * torch.randn(300, dtype=torch.float64)
lr, eps, alpha = 0.1, 1e-10, 0.99
squared_sum, moving_average = 0.0, 0.0
adagrad_lr, rmsprop_lr = [], []
for g in gradients:
    squared_sum = squared_sum + g**2  # AdaGrad: grows without bound
    # RMSProp: forgets old gradients
    moving_average = alpha * moving_average + (1 - alpha) * g**2
    adagrad_lr.append((lr / (squared_sum.sqrt() + eps)).item())
    rmsprop_lr.append((lr / (moving_average.sqrt() + 1e-8)).item())
print(f"AdaGrad effective learning rate: step 1 {adagrad_lr[0]:.4f}, "
      f"step 300 {adagrad_lr[-1]:.4f}")
print(f"RMSProp effective learning rate: step 1 {rmsprop_lr[0]:.4f}, "
      f"step 300 {rmsprop_lr[-1]:.4f}")

fig, ax = plt.subplots(figsize=(6, 4))
ax.semilogy(range(1, 301), adagrad_lr, color="#009E73", linewidth=2,
            label="AdaGrad: lr / sqrt(sum of g^2)")
ax.semilogy(range(1, 301), rmsprop_lr, color="#D55E00", linestyle="--",
            linewidth=2, label="RMSProp: lr / sqrt(moving average of g^2)")
ax.set(xlabel="step", ylabel="effective learning rate (log scale)")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:shrink]
