# --8<-- [start:fit]
import torch

torch.manual_seed(0)
# The population: y = 2 + 0.5 x + noise. In real data this line is unknown.
intercept, slope = 2.0, 0.5
x = torch.linspace(0, 10, 20, dtype=torch.float64)
y = intercept + slope * x + torch.randn(20, dtype=torch.float64)

# The sample regression line: least squares on these 20 observations.
A = torch.stack([torch.ones_like(x), x], dim=1)
b_hat, w_hat = torch.linalg.lstsq(A, y.unsqueeze(1)).solution.squeeze(1)
# observation minus the sample line: computable
residuals = y - (b_hat + w_hat * x)
# observation minus the population line: unknowable in practice
errors = y - (intercept + slope * x)
print(f"sample line:     y = {b_hat.item():.3f} + {w_hat.item():.3f} x")
print(f"population line: y = {intercept:.3f} + {slope:.3f} x")
print("sum of residuals is 0 (to rounding):",
      abs(residuals.sum().item()) < 1e-10)
print(f"sum of errors: {errors.sum().item():.3f}")
# --8<-- [end:fit]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

i = 15  # one observation, to show its residual and its error
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(x, y, "o", color="#000000", markersize=4, label="observations")
ax.plot(x, intercept + slope * x, color="#0072B2", linewidth=2,
        label="population line (unknown)")
ax.plot(x, b_hat + w_hat * x, color="#D55E00", linestyle="--", linewidth=2,
        label="sample regression line")
ax.vlines(x[i] - 0.08, y[i], b_hat + w_hat * x[i], color="#D55E00",
          linewidth=2.5, label="residual of one observation")
ax.vlines(x[i] + 0.08, y[i], intercept + slope * x[i], color="#0072B2",
          linewidth=2.5, linestyle=":", label="error of the same observation")
ax.set(xlabel="x", ylabel="y")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:plot]
