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

# --8<-- [start:one_observation]
# One observation near the left end, where the two lines are far apart.
i = 2
sample_at_i = (b_hat + w_hat * x[i]).item()
population_at_i = intercept + slope * x[i].item()
print(f"observation {i}: x = {x[i].item():.3f}, y = {y[i].item():.3f}")
print(f"residual e_{i}   = y - sample line     = {residuals[i].item():+.3f}")
print(f"error    eps_{i} = y - population line = {errors[i].item():+.3f}")
print(f"the two lines are {abs(sample_at_i - population_at_i):.3f} apart here")
# --8<-- [end:one_observation]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(x, y, "o", color="#000000", markersize=4, label="observations")
ax.plot(x, intercept + slope * x, color="#0072B2", linewidth=2,
        label="population line (unknown)")
ax.plot(x, b_hat + w_hat * x, color="#D55E00", linestyle="--", linewidth=2,
        label="sample regression line")
ax.vlines(x[i] - 0.12, y[i], sample_at_i, color="#D55E00",
          linewidth=2.5, label="residual of one observation")
ax.vlines(x[i] + 0.12, y[i], population_at_i, color="#0072B2",
          linewidth=2.5, linestyle=":", label="error of the same observation")
# Both are negative: the observation lies below both lines.
ax.text(x[i] + 0.4, y[i] - 0.3,
        f"residual $e_{i}$ = {residuals[i].item():+.2f}\n"
        f"error $\\varepsilon_{i}$ = {errors[i].item():+.2f}",
        va="top", fontsize=9)
ax.set(xlabel="x", ylabel="y")
ax.legend(fontsize=8, loc="lower right")
plt.show()
# --8<-- [end:plot]
