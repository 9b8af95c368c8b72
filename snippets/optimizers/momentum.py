# --8<-- [start:sweep]
import torch


def valley(p):
    # a long, narrow valley: curvature 0.02 along x, 2 along y
    return 0.01 * p[0] ** 2 + p[1] ** 2


def descend(mu, lr=0.95, start=(-9.0, 2.0), steps=100):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr, momentum=mu)
    path, losses = [p.detach().clone()], [valley(p).item()]
    for _ in range(steps):
        optimizer.zero_grad()
        valley(p).backward()
        optimizer.step()
        path.append(p.detach().clone())
        losses.append(valley(p).item())  # the loss after each step
    return torch.stack(path), losses


mus = [0.0, 0.5, 0.75, 0.9, 0.95, 0.99]
runs = {mu: descend(mu) for mu in mus}
# x: how far along the floor; y: the zig-zag across; the loss's last swings
print("  mu  1/(1-mu)  x, step 10  max x  max |y|, 20-100  loss, step 100  "
      "max loss, 91-100")
for mu, (path, losses) in runs.items():
    print(f"{mu:4g}  {1 / (1 - mu):8.0f}  {path[10, 0]:10.2f}  "
          f"{path[:, 0].max():5.2f}  {path[20:, 1].abs().max():15.4f}  "
          f"{losses[100]:14.1e}  {max(losses[91:]):16.1e}")
# --8<-- [end:sweep]

# --8<-- [start:sweep_plot]
import matplotlib.pyplot as plt

xs, ys = torch.meshgrid(torch.linspace(-10, 10, 120),
                        torch.linspace(-3, 3, 60), indexing="xy")
for mu, (path, losses) in runs.items():
    fig, (ax, losses_ax) = plt.subplots(
        1, 2, figsize=(9, 3.4), width_ratios=[1.6, 1], layout="constrained")
    ax.contour(xs, ys, valley((xs, ys)), levels=[0.25, 1, 2.25, 4],
               colors="#bbbbbb", linewidths=0.6)
    ax.plot(path[:, 0], path[:, 1], color="#0072B2", linewidth=1,
            marker=".", markersize=3)
    ax.plot(0, 0, "k*", markersize=9)
    ax.set(xlim=(-10, 10), ylim=(-3, 3), xlabel="x", ylabel="y",
           title=f"momentum μ = {mu:g}, lr 0.95: the path")
    losses_ax.semilogy(losses, color="#0072B2", linewidth=1.5)
    losses_ax.set(xlim=(0, 100), ylim=(1e-13, 30), xlabel="step",
                  ylabel="loss (log scale)",
                  title=f"loss, μ = {mu:g}")
plt.show()
# --8<-- [end:sweep_plot]
