# --8<-- [start:compare]
def descend(lr, x0=-2.0, steps=20):
    """Gradient descent on f(x) = (x - 3)^2 + 1; returns every x visited."""
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * 2 * (xs[-1] - 3))
    return xs


rates = [0.02, 0.1, 0.3, 0.5, 0.75, 0.9, 1.0, 1.05]
runs = {lr: descend(lr) for lr in rates}
# x - 3 starts at -5 and is multiplied by 1 - 2 lr at every step
print(f"{'lr':>5} {'1 - 2 lr':>9} {'x - 3 after 19':>15} {'after 20':>10}")
for lr, xs in runs.items():
    print(f"{lr:5} {1 - 2 * lr:9.2f} {xs[19] - 3:15.2e} {xs[20] - 3:10.2e}")
# --8<-- [end:compare]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

grid = [i / 10 for i in range(-70, 131)]
for lr, xs in runs.items():
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5),
                                      layout="constrained")
    fig.suptitle(f"learning rate {lr}: "
                 f"each step multiplies x - 3 by {1 - 2 * lr:.2f}")
    left.plot(grid, [(g - 3) ** 2 + 1 for g in grid], color="#000000",
              linewidth=1)
    # the start and the first 7 steps: the 8th of 1.05 leaves the panel
    left.plot(xs[:8], [(x - 3) ** 2 + 1 for x in xs[:8]], color="#D55E00",
              marker="o")
    left.set(xlabel="x", ylabel="f(x)", title="the first 7 steps",
             xlim=(-7, 13), ylim=(0, 100))
    distances = [abs(x - 3) for x in xs]
    right.semilogy(range(len(xs)), distances, color="#0072B2", marker="o",
                   markersize=3)
    if 0 in distances:  # a log scale has no 0: say where the line went
        right.text(1.5, 1e-8, "exactly 0 from step 1 on")
    # the same limits in every frame, so that only the runs change
    right.set(xlabel="step", ylabel="distance |x - 3| (log scale)",
              xlim=(0, 20), ylim=(1e-9, 1e2))
plt.show()
# --8<-- [end:plot]
