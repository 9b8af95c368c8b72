# --8<-- [start:loop]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(200, 13)
true_w, true_b = torch.randn(13), 3.0
noise = 0.1 * torch.randn(200)  # standard deviation 0.1, variance 0.01
# a linear target with a little noise, shape (200,)
Y = X @ true_w + true_b + noise

linear_model = nn.Linear(13, 1)
optimizer = torch.optim.SGD(linear_model.parameters(), lr=0.1)
losses = []
for step in range(101):
    optimizer.zero_grad()
    pre_y = linear_model(X)
    loss = nn.MSELoss()(pre_y, Y.reshape(-1, 1))
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if step % 20 == 0:
        print(f"step {step:3}: loss {loss.item():.5f}")
error = (linear_model.weight.detach()[0] - true_w).abs().max().item()
print(f"learned bias {linear_model.bias.item():.3f} (true {true_b}), "
      f"largest weight error {error:.3f}")
# --8<-- [end:loop]

# --8<-- [start:noise_floor]
# Least squares: the best linear fit to these 200 examples, computed
# directly, with the bias as a column of ones. No training loop can beat it.
A = torch.cat([X, torch.ones(200, 1)], dim=1).double()
solution = torch.linalg.lstsq(A, Y.double().reshape(-1, 1)).solution
least_squares_mse = ((A @ solution - Y.double().reshape(-1, 1)) ** 2).mean()
p, N, variance = A.shape[1], A.shape[0], 0.1**2
print(f"variance of the noise, sigma^2:     {variance:.5f}")
print(f"mean square of the noise drawn:     {(noise**2).mean().item():.5f}")
print(f"least-squares training MSE:         {least_squares_mse.item():.5f}")
print(f"the loop's last loss:               {losses[-1]:.5f}")
print(f"sigma^2 (1 - p/N), p = {p}, N = {N}:  {variance * (1 - p / N):.5f}")

# The same fit for 1000 fresh draws of the noise (lstsq solves all 1000 at
# once, one column each): its training MSE averages sigma^2 (1 - p/N).
fresh = 0.1 * torch.randn(200, 1000, dtype=torch.float64)
targets = (X @ true_w + true_b).double().reshape(-1, 1) + fresh
fits = torch.linalg.lstsq(A, targets).solution
mse_per_draw = ((A @ fits - targets) ** 2).mean(dim=0)
print(f"least-squares training MSE, mean of 1000 draws: "
      f"{mse_per_draw.mean().item():.5f}")
# --8<-- [end:noise_floor]

# --8<-- [start:loss_plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
ax.semilogy(losses, color="#0072B2", linewidth=2,
            label="loss at each step (before its update)")
ax.axhline(variance, color="#D55E00", linestyle="--",
           label="variance of the noise, 0.01")
ax.axhline(least_squares_mse.item(), color="#000000", linestyle=":",
           label="least-squares training MSE")
ax.set(xlabel="step", ylabel="MSE (log scale)",
       title="The five lines in a loop: nn.Linear(13, 1), 200 examples")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:loss_plot]
