# --8<-- [start:shrink]
import torch

torch.manual_seed(0)
# a gradient that starts at 1 and stays about 1
gradients = 1 + 0.3 * torch.randn(300, dtype=torch.float64)
gradients[0] = 1.0
lr, eps, alpha = 0.1, 1e-10, 0.99
squared_sum, moving_average = 0.0, 0.0
adagrad_lr, rmsprop_lr, corrected_lr = [], [], []
for t, g in enumerate(gradients, start=1):
    squared_sum = squared_sum + g**2  # AdaGrad: grows without bound
    # RMSProp: forgets old gradients
    moving_average = alpha * moving_average + (1 - alpha) * g**2
    adagrad_lr.append((lr / (squared_sum.sqrt() + eps)).item())
    rmsprop_lr.append((lr / (moving_average.sqrt() + 1e-8)).item())
    # the same average with Adam's bias correction, 1 / (1 - alpha**t)
    corrected = moving_average / (1 - alpha**t)
    corrected_lr.append((lr / (corrected.sqrt() + 1e-8)).item())
print(f"AdaGrad effective learning rate: step 1 {adagrad_lr[0]:.4f}, "
      f"step 300 {adagrad_lr[-1]:.4f}")
print(f"RMSProp effective learning rate: step 1 {rmsprop_lr[0]:.4f}, "
      f"step 300 {rmsprop_lr[-1]:.4f}")
print(f"RMSProp / AdaGrad at step 1: {rmsprop_lr[0] / adagrad_lr[0]:.2f}"
      f" = 1 / sqrt(1 - alpha) = {1 / (1 - alpha) ** 0.5:.2f}")
print(f"RMSProp, bias-corrected:         step 1 {corrected_lr[0]:.4f}, "
      f"step 300 {corrected_lr[-1]:.4f}")
# --8<-- [end:shrink]

# --8<-- [start:shrink_plot]
import matplotlib.pyplot as plt

steps = range(1, 301)
fig, ax = plt.subplots(figsize=(6, 4))
ax.semilogy(steps, adagrad_lr, color="#009E73", linewidth=2,
            label="AdaGrad: lr / sqrt(sum of g^2)")
ax.semilogy(steps, rmsprop_lr, color="#D55E00", linestyle="--",
            linewidth=2, label="RMSProp: lr / sqrt(moving average of g^2)")
ax.semilogy(steps, corrected_lr, color="#0072B2", linestyle=":",
            linewidth=2, label="RMSProp with Adam's bias correction")
ax.set(xlabel="step", ylabel="effective learning rate (log scale)")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:shrink_plot]
