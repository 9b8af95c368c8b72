# --8<-- [start:elementwise]
import torch

a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.tensor([[10.0, 20.0], [30.0, 40.0]])
print("a + b =", (a + b).tolist())
print("a * b =", (a * b).tolist())  # elementwise, not a matrix product
print("a ** 2 =", (a**2).tolist())
print("exp(a) =", torch.exp(a))
print("max(a, 2.5) =", a.clamp(min=2.5).tolist())  # clamp: cut at 2.5
# --8<-- [end:elementwise]

# --8<-- [start:reductions]
x = torch.tensor([[3.0, 1.0, 4.0, 1.0],
                  [5.0, 9.0, 2.0, 6.0],
                  [5.0, 3.0, 5.0, 8.0]])  # shape (3, 4)
print("x.sum()       =", x.sum())  # every entry: no dimensions left
print("x.sum(dim=0)  =", x.sum(dim=0))  # down the rows: shape (4,)
print("x.sum(dim=1)  =", x.sum(dim=1))  # along each row: shape (3,)
print("x.mean(dim=1) =", x.mean(dim=1))
print("keepdim=True: ", tuple(x.sum(dim=1, keepdim=True).shape))
values, indices = x.max(dim=1)  # the largest of each row, and where
print("x.max(dim=1)  =", values, indices)
print("x.argmax(dim=1) =", x.argmax(dim=1))
# --8<-- [end:reductions]

# --8<-- [start:reduction_figure]
import matplotlib.pyplot as plt


def draw_grid(ax, values, left, top, fill, label):
    """Draw a 2-D table of numbers as cells, its top-left corner at
    (left, top), one unit per cell, with a label above it."""
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(plt.Rectangle((left + j, top - i - 1), 1, 1,
                                       facecolor=fill, edgecolor="#333333"))
            ax.text(left + j + 0.5, top - i - 0.5, f"{values[i, j]:g}",
                    ha="center", va="center", fontsize=11)
    ax.text(left + cols / 2, top + 0.35, label, ha="center",
            fontsize=11)


fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), layout="constrained")
light_blue, light_orange = "#dbeaf6", "#fbe3cf"
panels = [
    (axes[0], x.sum(dim=0, keepdim=True),
     "x.sum(dim=0): shape (4,)\nwith keepdim=True: (1, 4)",
     "dim 0 (down the rows) is summed away"),
    (axes[1], x.sum(dim=1, keepdim=True),
     "x.sum(dim=1): shape (3,)\nwith keepdim=True: (3, 1)",
     "dim 1 (along each row) is summed away"),
]
for ax, result, result_label, title in panels:
    draw_grid(ax, x, 0, 3, light_blue, "x: shape (3, 4)")
    if result.shape[0] == 1:  # a row under x
        draw_grid(ax, result, 0, -1.2, light_orange, "")
        ax.text(2, -2.4, result_label, ha="center", va="top", ma="center",
                fontsize=11)
        for j in range(4):
            ax.annotate("", xy=(j + 0.5, -1.15), xytext=(j + 0.5, -0.05),
                        arrowprops=dict(arrowstyle="-|>",
                                        color="#D55E00"))
        ax.set(xlim=(-0.5, 6.9), ylim=(-3.6, 3.8))
    else:  # a column beside x
        draw_grid(ax, result, 5.4, 3, light_orange, "")
        ax.text(2, -0.4, result_label, ha="center", va="top", ma="center",
                fontsize=11)
        for i in range(3):
            ax.annotate("", xy=(5.35, 2.5 - i), xytext=(4.05, 2.5 - i),
                        arrowprops=dict(arrowstyle="-|>",
                                        color="#D55E00"))
        ax.set(xlim=(-0.5, 6.9), ylim=(-3.6, 3.8))
    ax.set_title(title, fontsize=12)
    ax.set_aspect("equal")
    ax.axis("off")
plt.show()
# --8<-- [end:reduction_figure]

# --8<-- [start:keepdim]
row_means = x.mean(dim=1, keepdim=True)  # shape (3, 1)
centred = x - row_means  # each row minus its own mean
print("x - x.mean(dim=1, keepdim=True) =")
print(centred)
try:
    x - x.mean(dim=1)  # shape (3,) against (3, 4)
except RuntimeError as error:
    print("without keepdim: RuntimeError:", error)
# --8<-- [end:keepdim]

# --8<-- [start:matmul]
X = torch.arange(6.0).reshape(2, 3)  # 2 examples, 3 features: (N, n)
W = torch.ones(4, 3)  # a layer of 4 neurons, one row each: (m, n)
print("X @ W.T:", tuple((X @ W.T).shape))  # (N, n) @ (n, m) -> (N, m)
print("same as torch.matmul:", torch.equal(X @ W.T, torch.matmul(X, W.T)))
print("matrix @ vector:", tuple((X @ torch.ones(3)).shape))  # (N,)
print("vector @ vector:", torch.tensor([1.0, 2.0]) @ torch.tensor([3.0, 4.0]))
try:
    X @ W  # (2, 3) @ (4, 3): the inner sizes 3 and 4 differ
except RuntimeError as error:
    print("X @ W: RuntimeError:", error)

# A batch of matrices: the leading dimensions are batch dimensions.
batch = torch.ones(5, 2, 3)  # 5 matrices of shape (2, 3)
print("(5, 2, 3) @ (3, 4):", tuple((batch @ W.T).shape))
print("(5, 2, 3) @ (5, 3, 4):",
      tuple((batch @ torch.ones(5, 3, 4)).shape))
# --8<-- [end:matmul]
