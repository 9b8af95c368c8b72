# --8<-- [start:figure]
import matplotlib.pyplot as plt

# The two-layer network as a computation graph: tensors in boxes, operations
# on the arrows.
nodes = {
    "X": (0, 1), "W1, b1": (0, 0), "Z1": (1.6, 0.5), "H": (3.0, 0.5),
    "W2, b2": (3.0, -0.5), "Y_hat": (4.6, 0.5), "Y": (4.6, -0.5),
    "L": (6.1, 0.5),
}
labels = {"Y_hat": r"$\hat{Y}$", "W1, b1": r"$W_1,\ b_1$",
          "W2, b2": r"$W_2,\ b_2$", "Z1": r"$Z_1$"}
forward = [("X", "Z1", "linear"), ("W1, b1", "Z1", ""),
           ("Z1", "H", "sigmoid"), ("H", "Y_hat", "linear"),
           ("W2, b2", "Y_hat", ""), ("Y_hat", "L", "MSE"), ("Y", "L", "")]
backward = [("L", "Y_hat", r"$\partial L/\partial \hat{Y}$"),
            ("Y_hat", "H", r"$\partial L/\partial H$"),
            ("Y_hat", "W2, b2", r"$\partial L/\partial W_2$"),
            ("H", "Z1", r"$\partial L/\partial Z_1$"),
            ("Z1", "W1, b1", r"$\partial L/\partial W_1$")]

# Dark orange, not the usual #D55E00: 10-pt labels need 4.5:1 on white.
backward_colour = "#B85100"
fig, ax = plt.subplots(figsize=(8, 3.6))
for start, end, op in forward:
    (x0, y0), (x1, y1) = nodes[start], nodes[end]
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops=dict(arrowstyle="-|>", color="#000000",
                                linewidth=1.4, shrinkA=16, shrinkB=16))
    if op:
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, op, ha="center",
                fontsize=10, color="#000000")
for start, end, label in backward:
    (x0, y0), (x1, y1) = nodes[start], nodes[end]
    ax.annotate("", xy=(x1, y1 - 0.08), xytext=(x0, y0 - 0.08),
                arrowprops=dict(arrowstyle="-|>", color=backward_colour,
                                linewidth=1.4, linestyle="--",
                                shrinkA=16, shrinkB=16,
                                connectionstyle="arc3,rad=-0.3"))
    ax.text((x0 + x1) / 2 + 0.15, (y0 + y1) / 2 - 0.6, label, ha="center",
            fontsize=10, color=backward_colour)
for name, (x, y) in nodes.items():
    ax.text(x, y, labels.get(name, f"${name}$"), ha="center", va="center",
            fontsize=12, bbox=dict(boxstyle="round", facecolor="#ffffff",
                                   edgecolor="#0072B2", linewidth=1.5))
ax.plot([], [], color="#000000", label="forward: compute values")
ax.plot([], [], color=backward_colour, linestyle="--",
        label="backward: gradients of L")
ax.legend(loc="lower right", fontsize=9, frameon=False)
ax.set_xlim(-0.5, 6.6)
ax.set_ylim(-1.4, 1.4)
ax.axis("off")
plt.show()
# --8<-- [end:figure]
