# --8<-- [start:starts]
import matplotlib.pyplot as plt


def f(x):
    return x**4 - 3 * x**2 + x  # two valleys of different depth


def df(x):
    return 4 * x**3 - 6 * x + 1


paths = {}
for x0 in [-2.0, -0.5, 0.5, 2.0]:
    x, path = x0, [x0]
    for _ in range(200):
        x -= 0.02 * df(x)
        path.append(x)
    paths[x0] = path
    print(f"start {x0:5.1f} -> x = {x:7.4f}, f(x) = {f(x):7.4f}")
# --8<-- [end:starts]

# --8<-- [start:plot]
grid = [i / 100 for i in range(-220, 221)]
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(grid, [f(g) for g in grid], color="#000000", linewidth=1.5,
        label="f(x) = x^4 - 3x^2 + x")
colours = ["#0072B2", "#009E73", "#D55E00", "#CC79A7"]
for (x0, path), colour, marker in zip(paths.items(), colours, "os^D"):
    ax.plot(path[::10], [f(x) for x in path[::10]], color=colour,
            marker=marker, linestyle="none", label=f"start at {x0}")
ax.set(xlabel="x", ylabel="f(x)")
ax.annotate("global minimum", xy=(-1.30, f(-1.30)), xytext=(-0.75, -3.7),
            arrowprops=dict(arrowstyle="->"))
ax.annotate("local minimum", xy=(1.13, f(1.13)), xytext=(0.9, 2.5),
            arrowprops=dict(arrowstyle="->"))
ax.legend(fontsize=8, loc="upper center")
plt.show()
# --8<-- [end:plot]

# --8<-- [start:jump]
# the hump between the valleys: the local maximum, where df changes sign
hump = 0.0
while df(hump) > 0:
    hump += 0.0001
print(f"the hump, a local maximum, at x = {hump:.2f}")
# larger learning rates: the first step can land beyond the hump
jumps = {}  # (start, learning rate): (first step, end)
for x0, lr in [(2.0, 0.05), (2.0, 0.1), (1.8, 0.1)]:
    x = x0
    for step in range(200):
        x -= lr * df(x)
        if step == 0:
            first = x
    jumps[x0, lr] = first, x
    print(f"start {x0}, lr {lr:4}: first step to {first:6.3f}, "
          f"ends at x = {x:7.4f}, f(x) = {f(x):7.4f}")
# --8<-- [end:jump]
