# --8<-- [start:figure]
import matplotlib.pyplot as plt

# The two-layer network as a computation graph: tensors in boxes, operations
# on the arrows.
nodes = {
    "X": (0, 1), "W1, b1": (0, 0), "Z1": (1.6, 0.5), "H": (3.0, 0.5),
    "W2, b2": (3.0, -0.5), "Y_hat": (4.6, 0.5), "Y": (5.4, -0.5),
    "L": (6.1, 0.5),
}
labels = {"Y_hat": r"$\hat{Y}$", "W1, b1": r"$W_1,\ b_1$",
          "W2, b2": r"$W_2,\ b_2$", "Z1": r"$Z_1$"}
forward = [("X", "Z1", "linear"), ("W1, b1", "Z1", ""),
           ("Z1", "H", "sigmoid"), ("H", "Y_hat", "linear"),
           ("W2, b2", "Y_hat", ""), ("Y_hat", "L", "MSE"), ("Y", "L", "")]
# Backward: each gradient from the one before it (the chain rule), written
# beside its arrow; (start, end, label, where the label goes). The arrows
# along the chain bend above it, those to the parameters below.
backward = [
    ("L", "Y_hat", r"$\delta_{\hat{Y}} = 2(\hat{Y} - Y) / (Nk)$",
     (5.5, 1.1)),
    ("Y_hat", "H", r"$\delta_H = \delta_{\hat{Y}} W_2$", (3.8, 1.1)),
    ("H", "Z1", "$\\delta_{Z_1} =$\n$\\delta_H \\odot \\sigma'(Z_1)$",
     (2.3, 1.2)),
    ("Y_hat", "W2, b2", "$\\delta_{W_2} = \\delta_{\\hat{Y}}^\\top H$\n"
     "$\\delta_{b_2} = \\sum_i (\\delta_{\\hat{Y}})_{i,:}$", (4.6, -0.95)),
    ("Z1", "W1, b1", "$\\delta_{W_1} = \\delta_{Z_1}^\\top X$\n"
     "$\\delta_{b_1} = \\sum_i (\\delta_{Z_1})_{i,:}$", (1.2, -0.62)),
]

# Dark orange, not the usual #D55E00: 10-pt labels need 4.5:1 on white.
backward_colour = "#B85100"
fig, ax = plt.subplots(figsize=(8, 3.9))
for start, end, op in forward:
    (x0, y0), (x1, y1) = nodes[start], nodes[end]
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops=dict(arrowstyle="-|>", color="#000000",
                                linewidth=1.4, shrinkA=16, shrinkB=16))
    if op:  # the operation's name under its arrow
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 - 0.2, op, ha="center",
                fontsize=10, color="#000000")
for start, end, label, (x, y) in backward:
    bend = -0.4 if "," in end else 0.4
    (x0, y0), (x1, y1) = nodes[start], nodes[end]
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops=dict(arrowstyle="-|>", color=backward_colour,
                                linewidth=1.4, linestyle="--",
                                shrinkA=16, shrinkB=16 if bend > 0 else 26,
                                connectionstyle=f"arc3,rad={bend}"))
    ax.text(x, y, label, ha="center", va="center", fontsize=10,
            color=backward_colour)
for name, (x, y) in nodes.items():
    ax.text(x, y, labels.get(name, f"${name}$"), ha="center", va="center",
            fontsize=12, bbox=dict(boxstyle="round", facecolor="#ffffff",
                                   edgecolor="#0072B2", linewidth=1.5))
ax.plot([], [], color="#000000", label="forward: compute values")
ax.plot([], [], color=backward_colour, linestyle="--",
        label="backward: gradients of L")
ax.legend(loc="lower left", fontsize=9, frameon=False)
ax.set_xlim(-0.5, 6.6)
ax.set_ylim(-1.55, 1.45)
ax.axis("off")
plt.show()
# --8<-- [end:figure]
