# --8<-- [start:walk]
import torch

x = torch.tensor(2.0)
w = torch.tensor(0.5, requires_grad=True)
b = torch.tensor(-1.0, requires_grad=True)
y = torch.sigmoid(w * x + b)
print("y.grad_fn:", y.grad_fn.name())


def walk(node, depth=0, edges=None):
    """Print the backward graph below `node`; collect its (parent, child)
    edges."""
    edges = [] if edges is None else edges
    # AccumulateGrad's full name is torch::autograd::AccumulateGrad
    label = node.name().split("::")[-1]
    # an AccumulateGrad node: the leaf whose .grad it fills
    if hasattr(node, "variable"):
        label += f" -> .grad of leaf {node.variable.item():g}"
    print("    " * depth + label)
    for child, _ in node.next_functions:
        # None: an input that does not require grad (here x)
        if child is not None:
            edges.append((node, child))
            walk(child, depth + 1, edges)
    return edges


edges = walk(y.grad_fn)
# --8<-- [end:walk]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

# Lay the nodes out by depth (the output's grad_fn on top), each level spread
# evenly.
depth = {y.grad_fn: 0}
# edges come in walk order: a parent before its children
for parent, child in edges:
    depth[child] = depth[parent] + 1
levels = {}
for node, d in depth.items():
    levels.setdefault(d, []).append(node)
position = {node: ((i + 1) / (len(nodes) + 1), -d)
            for d, nodes in levels.items() for i, node in enumerate(nodes)}

names = {id(w): "w", id(b): "b"}


def label(node):
    text = node.name().split("::")[-1]
    if hasattr(node, "variable"):  # name the leaf an AccumulateGrad node feeds
        text += f"\ninto {names[id(node.variable)]}.grad"
    return text


fig, ax = plt.subplots(figsize=(6, 3.6))
for parent, child in edges:
    ax.annotate("", xy=position[child], xytext=position[parent],
                arrowprops=dict(arrowstyle="->", color="#0072B2",
                                linewidth=1.5, shrinkA=12, shrinkB=22))
for node, (px, py) in position.items():
    ax.text(px, py, label(node), ha="center", va="center", fontsize=11,
            bbox=dict(boxstyle="round", facecolor="#ffffff",
                      edgecolor="#000000"))
ax.set_xlim(0, 1)
ax.set_ylim(-max(depth.values()) - 0.4, 0.3)
ax.axis("off")
ax.set_title("Backward graph of y = sigmoid(w * x + b), walked from y.grad_fn")
plt.show()
# --8<-- [end:plot]
