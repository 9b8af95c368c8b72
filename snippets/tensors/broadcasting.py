# --8<-- [start:rules]
import torch

x = torch.arange(12.0).reshape(3, 4)  # shape (3, 4)
row = torch.tensor([10.0, 20.0, 30.0, 40.0])  # shape (4,)
print("(3, 4) + (4,):")
print(x + row)  # row is added to each of the 3 rows

column = torch.tensor([[100.0], [200.0], [300.0]])  # shape (3, 1)
print("(3, 1) + (4,) ->", tuple((column + row).shape))
print(column + row)  # every pair: a (3, 4) table

print("broadcast_shapes((5, 1, 4), (3, 1)) =",
      torch.broadcast_shapes((5, 1, 4), (3, 1)))
try:
    x + torch.tensor([1.0, 2.0, 3.0])  # (3, 4) + (3,): 4 against 3
except RuntimeError as error:
    print("(3, 4) + (3,): RuntimeError:", error)
# --8<-- [end:rules]

# --8<-- [start:figure]
import matplotlib.pyplot as plt


def draw_table(ax, values, left, top, stretched_rows=0, stretched_cols=0):
    """Draw a table of numbers, one unit per cell; cells that
    broadcasting adds (the last rows or columns) are drawn dashed."""
    rows, cols = values.shape
    for i in range(rows):
        for j in range(cols):
            added = i >= rows - stretched_rows or j >= cols - stretched_cols
            ax.add_patch(plt.Rectangle(
                (left + j, top - i - 1), 1, 1,
                facecolor="#ffffff" if added else "#dbeaf6",
                edgecolor="#595959" if added else "#333333",
                linestyle="--" if added else "-"))
            ax.text(left + j + 0.5, top - i - 0.5, f"{values[i, j]:g}",
                    ha="center", va="center", fontsize=10,
                    color="#595959" if added else "#000000")


col3 = torch.tensor([[100.0], [200.0], [300.0]])
row4 = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
fig, ax = plt.subplots(figsize=(8, 2.6), layout="constrained")
draw_table(ax, col3.expand(3, 4), 0, 3, stretched_cols=3)
ax.text(2, 3.35, "(3, 1), stretched to (3, 4)", ha="center")
ax.text(4.5, 1.5, "+", ha="center", va="center", fontsize=16)
draw_table(ax, row4.expand(3, 4), 5, 3, stretched_rows=2)
ax.text(7, 3.35, "(4,) = (1, 4), stretched to (3, 4)", ha="center")
ax.text(9.5, 1.5, "=", ha="center", va="center", fontsize=16)
draw_table(ax, col3 + row4, 10, 3)
ax.text(12, 3.35, "(3, 4)", ha="center")
ax.set(xlim=(-0.2, 14.2), ylim=(-0.2, 3.8))
ax.set_aspect("equal")
ax.axis("off")
plt.show()
# --8<-- [end:figure]

# --8<-- [start:trap]
pred = torch.tensor([[1.0], [2.0], [3.0]])  # a model's output: (N, 1)
y = torch.tensor([1.0, 2.0, 3.0])  # the targets: (N,)
diff = pred - y  # (3, 1) - (3,) -> (3, 3): every prediction - every target
print("pred - y has shape", tuple(diff.shape))
print(diff)
print(f"mean squared error, broadcast: {(diff**2).mean().item():.4f}")
fixed_y = ((pred - y.unsqueeze(1)) ** 2).mean()  # (3, 1) - (3, 1)
fixed_pred = ((pred.squeeze(1) - y) ** 2).mean()  # (3,) - (3,)
print(f"with y.unsqueeze(1):   {fixed_y.item():.4f}")
print(f"with pred.squeeze(1):  {fixed_pred.item():.4f}")
# --8<-- [end:trap]
