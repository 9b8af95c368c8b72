# --8<-- [start:neuron]
import matplotlib.pyplot as plt
from matplotlib.patches import Circle

# One neuron with the numbers of the code above: three inputs, three
# weights, a bias, the weighted sum z and the activation a = f(z).
x, w, b = [0.5, -1.0, 2.0], [0.8, 0.2, -0.5], 0.1
z = sum(xi * wi for xi, wi in zip(x, w)) + b

blue, black = "#0072B2", "#000000"
arrow = dict(arrowstyle="-|>", color=black, linewidth=1.3)
circle = dict(facecolor="#ffffff", edgecolor=blue, linewidth=1.5)
sum_at, f_at = (4.4, 1.5), (7.0, 1.5)

fig, ax = plt.subplots(figsize=(8, 3.4))
for i, (xi, wi) in enumerate(zip(x, w)):
    y = 2.7 - 1.2 * i
    ax.add_patch(Circle((0.9, y), 0.38, **circle))
    ax.text(0.9, y, f"$x_{i + 1}$", ha="center", va="center", fontsize=12)
    ax.text(0.3, y, f"{xi:g}", ha="right", va="center", fontsize=11)
    ax.annotate("", xy=sum_at, xytext=(0.9, y),
                arrowprops=dict(arrow, shrinkA=15, shrinkB=44))
    # each weight's label above its arrow, the last one below
    ax.text(1.5, y + (0.12 if i < 2 else -0.42), f"$w_{i + 1} = {wi:g}$",
            fontsize=11)
ax.add_patch(Circle(sum_at, 0.8, **circle))
ax.text(*sum_at, "$\\sum x_i w_i$\n$+\\ b$", ha="center", va="center",
        fontsize=12)
ax.text(sum_at[0], 0.3, f"bias $b = {b:g}$", ha="center", fontsize=11)
ax.annotate("", xy=f_at, xytext=sum_at,
            arrowprops=dict(arrow, shrinkA=44, shrinkB=22))
ax.text((sum_at[0] + f_at[0]) / 2 + 0.15, 1.68, f"$z = {z:.1f}$",
        ha="center", fontsize=11)
ax.add_patch(Circle(f_at, 0.42, **circle))
ax.text(*f_at, "$f$", ha="center", va="center", fontsize=13)
ax.annotate("", xy=(8.7, 1.5), xytext=f_at,
            arrowprops=dict(arrow, shrinkA=24, shrinkB=0))
ax.text(8.8, 1.5, "$a = f(z)$", va="center", fontsize=12)
ax.text(0.9, 3.35, "inputs", ha="center", fontsize=11)
ax.text(sum_at[0], 2.55, "weighted sum", ha="center", fontsize=11)
ax.text(f_at[0], 2.2, "activation", ha="center", fontsize=11)
ax.set_xlim(-0.4, 10.2)
ax.set_ylim(-0.2, 3.7)
ax.set_aspect("equal")
ax.axis("off")
plt.show()
# --8<-- [end:neuron]

# --8<-- [start:network]
import matplotlib.pyplot as plt

# The two-layer network of this section, n = 3 -> h = 5 -> k = 2. The
# circles are one example's input features and neurons; the shapes written
# below them are for a batch of N examples, one row per example.
sizes = {"input": 3, "hidden": 5, "output": 2}
columns = {"input": 0.0, "hidden": 4.0, "output": 8.0}
blue, grey = "#0072B2", "#595959"


def heights(count):  # neurons 0.9 apart, centred on 0
    return [0.9 * ((count - 1) / 2 - i) for i in range(count)]


fig, ax = plt.subplots(figsize=(8, 4))
for left, right in [("input", "hidden"), ("hidden", "output")]:
    for y0 in heights(sizes[left]):
        for y1 in heights(sizes[right]):
            ax.plot([columns[left], columns[right]], [y0, y1], color=grey,
                    linewidth=0.8, zorder=1)
for name, count in sizes.items():
    ax.scatter([columns[name]] * count, heights(count), s=320,
               facecolor="#ffffff", edgecolor=blue, linewidth=1.5, zorder=2)
# Under each column its layer and tensors; above the edges the parameters.
tensors = {
    "input": "input layer\n$X$: $(N, n) = (N, 3)$",
    "hidden": "hidden layer\n$Z_1 = X W_1^\\top + b_1$: $(N, h) = (N, 5)$\n"
              "$H = f(Z_1)$: $(N, h) = (N, 5)$",
    "output": "output layer\n"
              "$\\hat{Y} = H W_2^\\top + b_2$: $(N, k) = (N, 2)$",
}
for name, label in tensors.items():
    ax.text(columns[name], -2.5, label, ha="center", va="top", fontsize=10,
            linespacing=1.7)
for middle, label in [(2.0, "$W_1$: $(h, n) = (5, 3)$\n$b_1$: $(h,) = (5,)$"),
                 (6.0, "$W_2$: $(k, h) = (2, 5)$\n$b_2$: $(k,) = (2,)$")]:
    ax.text(middle, 2.4, label, ha="center", va="bottom", fontsize=10,
            linespacing=1.7)
ax.set_xlim(-1.6, 9.6)
ax.set_ylim(-4.4, 3.5)
ax.axis("off")
plt.show()
# --8<-- [end:network]
