# --8<-- [start:tune]
import math

import torch


def valley(p):
    # a long, narrow valley: curvature 0.02 along x, 2 along y
    return 0.01 * p[0] ** 2 + p[1] ** 2


contestants = {
    "GD": (torch.optim.SGD, {}),  # plain gradient descent
    "Momentum": (torch.optim.SGD, dict(momentum=0.9)),
    "AdaGrad": (torch.optim.Adagrad, {}),
    "RMSProp": (torch.optim.RMSprop, {}),
    "Adam": (torch.optim.Adam, {}),
}
# one grid for all: 0.01 to 100, three learning rates a decade
learning_rates = torch.logspace(-2, 2, 13, dtype=torch.float64).tolist()
FLOOR = 1e-12  # a loss below this counts as the minimum itself


def run(optimizer_class, hyper, lr, f, start, steps=100):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([p], lr=lr, **hyper)
    path, losses = [p.detach().clone()], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = f(p)
        losses.append(loss.item())  # the loss where this step starts
        loss.backward()
        optimizer.step()
        path.append(p.detach().clone())
    losses.append(f(p).item())  # and where the last step ends
    return torch.stack(path), losses


def score(losses):
    """The largest loss of the last 10 steps, floored: a run that still
    swings is judged by its swings' tops, not by where step 100 lands."""
    last = losses[-10:]
    if not all(loss <= losses[0] for loss in last):  # nan fails too
        return math.inf  # it ended above its start: it diverged
    return max(max(last), FLOOR)


def tune(f, start):
    """Run every optimizer at every learning rate; keep each one's best."""
    scores, best = {}, {}
    for name, (optimizer_class, hyper) in contestants.items():
        runs = [run(optimizer_class, hyper, lr, f, start)
                for lr in learning_rates]
        scores[name] = [score(losses) for _, losses in runs]
        i = scores[name].index(min(scores[name]))  # ties: the smallest lr
        best[name] = (learning_rates[i], *runs[i])
        print(f"{name:9} best lr {learning_rates[i]:7.3f}, "
              f"score {scores[name][i]:.1e}, "
              f"final loss {runs[i][1][-1]:.1e}")
    return scores, best


scores, best = tune(valley, start=(-9.0, 2.0))
# --8<-- [end:tune]

# --8<-- [start:band]
# the valley's curvatures: 0.02 along its floor, 2 across it
lambda_min, lambda_max, mu = 0.02, 2.0, 0.9
# GD is stable for lr < 2 / lambda_max; along the floor the loss then
# shrinks by (1 - lr * lambda_min) ** 2 a step, at best by 0.98 ** 2
print(f"GD: lr below {2 / lambda_max:.0f}; after 100 steps, the loss along "
      f"the floor is at least {valley((-9.0, 0.0)) * 0.98**200:.1e}")
# momentum: every direction swings, its swings shrinking by sqrt(mu) a
# step, for any lr in this band; the loss's swings shrink by mu a step
low, high = (1 - mu**0.5) ** 2 / lambda_min, (1 + mu**0.5) ** 2 / lambda_max
print(f"momentum: lr from {low:.2f} to {high:.2f}; the loss shrinks by "
      f"mu = {mu} a step, to {valley((-9.0, 2.0)) * mu**91:.1e} at step 91")
# --8<-- [end:band]

# --8<-- [start:tune_plot]
import matplotlib.pyplot as plt

styles = dict(zip(contestants, [("#000000", "-", "o"), ("#0072B2", "--", "s"),
                                 ("#009E73", "-.", "^"), ("#D55E00", ":", "D"),
                                 ("#CC79A7", "-", "v")]))
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.axvspan(low, high, color="#0072B2", alpha=0.12, label="_band")
ax.text(0.5, 3e-12, "momentum's\nfast band", color="#005A8C",
        ha="center", fontsize=8)
ax.text(90, 1.6e-12, "counts as the minimum", color="#555555", ha="right",
        va="bottom", fontsize=8)
for name, values in scores.items():
    colour, line, marker = styles[name]
    ax.loglog(learning_rates, values, color=colour, linestyle=line,
              marker=marker, markersize=4, linewidth=1.5, label=name)
    ax.plot(best[name][0], min(values), marker=marker, markersize=11,
            markerfacecolor="none", markeredgecolor=colour,
            markeredgewidth=1.5, label="_chosen")
ax.axhline(FLOOR, color="#777777", linewidth=0.8, linestyle=":")
ax.set(xlabel="learning rate (log scale)",
       ylabel="largest loss, steps 91-100 (log)", ylim=(3e-13, 30),
       title="each optimizer on the same 13 learning rates")
ax.legend(fontsize=8, loc="lower left")
plt.show()
# --8<-- [end:tune_plot]

# --8<-- [start:race_plot]
xs, ys = torch.meshgrid(torch.linspace(-10, 3, 200),
                        torch.linspace(-3, 3, 200), indexing="xy")
fig, axes = plt.subplots(2, 3, figsize=(9, 5.5), layout="constrained")
for ax, name in zip(axes.flat, contestants):
    colour, line, marker = styles[name]
    lr, path, losses = best[name]
    ax.contour(xs, ys, valley((xs, ys)), levels=12, colors="#bbbbbb",
               linewidths=0.6)
    ax.plot(path[:, 0], path[:, 1], color=colour, linewidth=1.2,
            marker=".", markersize=3, label=name)
    ax.plot(0, 0, "k*", markersize=9)
    ax.set(xlim=(-10, 3), ylim=(-3, 3), xlabel="x", ylabel="y",
           title=f"{name}, lr {lr:.3g}")
losses_ax = axes.flat[-1]
for name in contestants:
    colour, line, marker = styles[name]
    losses_ax.semilogy(best[name][2], color=colour, linestyle=line,
                       linewidth=1.5, label=name)
losses_ax.set(xlabel="step", ylabel="loss (log scale)", title="loss")
losses_ax.legend(fontsize=7)
plt.show()
# --8<-- [end:race_plot]

# --8<-- [start:race_steps]
shown_steps = [1, 5, 10, 20, 40, 70, 100]
for step in shown_steps:
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    ax.contour(xs, ys, valley((xs, ys)), levels=[0.25, 1, 2.25, 4],
               colors="#bbbbbb", linewidths=0.6)
    ax.plot(0, 0, "k*", markersize=9)
    for name in contestants:
        colour, line, marker = styles[name]
        lr, path, losses = best[name]
        ax.plot(path[:step + 1, 0], path[:step + 1, 1], color=colour,
                linestyle=line, linewidth=1.2)
        # where it is after this step, and the loss there
        ax.plot(path[step, 0], path[step, 1], color=colour, marker=marker,
                markersize=7, linestyle="none",
                label=f"{name}: loss {losses[step]:.1e}")
    ax.set(xlim=(-10, 3), ylim=(-3, 3), xlabel="x", ylabel="y",
           title=f"step {step} of 100")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
plt.show()
# --8<-- [end:race_steps]

# --8<-- [start:turned]
def turned(p):
    # the same valley turned by 45 degrees: its floor runs along x = y
    u, v = (p[0] + p[1]) / 2**0.5, (p[1] - p[0]) / 2**0.5
    return 0.01 * u**2 + v**2


# the same start, turned with it: u = -9, v = 2
turned_scores, turned_best = tune(turned, start=(-11 / 2**0.5, -7 / 2**0.5))
for name in ["Momentum", "Adam"]:
    last_ten = turned_best[name][2][-10:]
    print(f"{name}: steps 91 to 100 swing between {min(last_ten):.1e} "
          f"and {max(last_ten):.1e}")
# --8<-- [end:turned]

# --8<-- [start:tuned_mu]
# the smallest mu whose band is not empty, and the one lr left in it
root_min, root_max = lambda_min**0.5, lambda_max**0.5
tuned_mu = ((root_max - root_min) / (root_max + root_min)) ** 2
tuned_lr = 4 / (root_max + root_min) ** 2
tuned_scores = {}
for f, start in [(valley, (-9.0, 2.0)),
                 (turned, (-11 / 2**0.5, -7 / 2**0.5))]:
    _, losses = run(torch.optim.SGD, dict(momentum=tuned_mu), tuned_lr,
                    f, start)
    tuned_scores[f.__name__] = score(losses)
    print(f"{f.__name__:6}: momentum {tuned_mu:.2f}, lr {tuned_lr:.2f}, "
          f"score {tuned_scores[f.__name__]:.1e}")
# --8<-- [end:tuned_mu]
