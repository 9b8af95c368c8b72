# --8<-- [start:compare]
def descend(lr, x0=-2.0, steps=20):
    """Gradient descent on f(x) = (x - 3)^2 + 1; returns every x visited."""
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * 2 * (xs[-1] - 3))
    return xs


runs = {"too small (0.02)": descend(0.02), "good (0.3)": descend(0.3),
        "too large (1.05)": descend(1.05)}
for name, xs in runs.items():
    print(f"{name:17} after 20 steps: x = {xs[-1]:10.4f}, "
          f"distance to 3: {abs(xs[-1] - 3):.2e}")
# --8<-- [end:compare]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

styles = {"too small (0.02)": ("#0072B2", "o", "-"),
          "good (0.3)": ("#009E73", "s", "--"),
          "too large (1.05)": ("#D55E00", "^", ":")}
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
grid = [i / 10 for i in range(-70, 131)]
left.plot(grid, [(g - 3) ** 2 + 1 for g in grid], color="#000000", linewidth=1,
          label="f(x)")
for name, xs in runs.items():
    colour, marker, line = styles[name]
    # the start and the first 7 steps
    left.plot(xs[:8], [(x - 3) ** 2 + 1 for x in xs[:8]], color=colour,
              marker=marker, linestyle=line, label=name)
    right.semilogy([abs(x - 3) for x in xs], color=colour, marker=marker,
                   linestyle=line, label=name)
left.set(xlabel="x", ylabel="f(x)", title="start and first 7 steps",
         xlim=(-7, 13), ylim=(0, 100))
right.set(xlabel="step", ylabel="|x - 3| (log scale)",
          title="distance to the minimum")
left.legend(fontsize=8, loc="lower right")
right.legend(fontsize=8)
plt.show()
# --8<-- [end:plot]
