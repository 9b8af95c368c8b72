# --8<-- [start:one_backward]
import torch

w = torch.tensor(2.0, requires_grad=True)
hook_calls = []
# runs each time autograd has added a gradient into w.grad
w.register_post_accumulate_grad_hook(
    lambda p: hook_calls.append(p.grad.item()))

a = w * 3  # path 1: da/dw = 3
b = w**2  # path 2: db/dw = 2w = 4
loss = a + b
# each path's share of dloss/dw, read from a graph of its own
(share_a,) = torch.autograd.grad(w * 3, w)
(share_b,) = torch.autograd.grad(w**2, w)
print("shares of the two paths:", share_a.item(), "and", share_b.item())

loss.backward()
print("w.grad after one backward():", w.grad.item(), "= 3 + 2w")
print("hook calls, with the .grad each saw:", hook_calls)

add = loss.grad_fn
mul, power = [node for node, _ in add.next_functions]
# both paths end in the same AccumulateGrad node, the one for w
accumulate = mul.next_functions[0][0]
print("one AccumulateGrad node for both paths:",
      accumulate is power.next_functions[0][0])
# --8<-- [end:one_backward]

# --8<-- [start:two_calls]
(w * 3 + w**2).backward()  # a second backward() call, through a new graph
print("w.grad after a second backward():", w.grad.item())
print("hook calls, with the .grad each saw:", hook_calls)
# --8<-- [end:two_calls]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

position = {add: (0.5, 0.0), mul: (0.2, -1.0), power: (0.8, -1.0),
            accumulate: (0.5, -2.0)}
label = {add: add.name() + "\nloss = a + b",
         mul: mul.name() + "\na = w * 3",
         power: power.name() + "\nb = w ** 2",
         accumulate: "AccumulateGrad\ninto w.grad"}
# the gradient each edge carries backward: dloss/d(output of the parent)
# times the parent's local derivative
carried = [(add, mul, "1"), (add, power, "1"),
           (mul, accumulate, f"1 * 3 = {share_a.item():g}"),
           (power, accumulate, f"1 * 2w = {share_b.item():g}")]

fig, ax = plt.subplots(figsize=(6.4, 4.2))
box = {node: ax.text(px, py, label[node], ha="center", va="center",
                     fontsize=10, bbox=dict(boxstyle="round",
                                            facecolor="#ffffff",
                                            edgecolor="#000000"))
       for node, (px, py) in position.items()}
ax.annotate("dloss/dloss = 1", xy=position[add], xytext=(0.5, 0.55),
            ha="center", fontsize=10,
            arrowprops=dict(arrowstyle="->", color="#0072B2", linewidth=1.5,
                            patchB=box[add].get_bbox_patch()))
for parent, child, value in carried:
    (x0, y0), (x1, y1) = position[parent], position[child]
    # patchA and patchB end each arrow at the edges of the two boxes, so
    # its head stays visible
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops=dict(arrowstyle="->", color="#0072B2",
                                linewidth=1.5,
                                patchA=box[parent].get_bbox_patch(),
                                patchB=box[child].get_bbox_patch()))
    left = (x0 + x1) / 2 < 0.5  # write the value on the outer side
    ax.text((x0 + x1) / 2 + (-0.04 if left else 0.04), (y0 + y1) / 2,
            value, ha="right" if left else "left", va="center",
            fontsize=10, color="#B85100")
ax.text(0.5, -2.55, f"{share_a.item():g} + {share_b.item():g} = "
        f"{hook_calls[0]:g}, added to w.grad once (the hook fires once)",
        ha="center", va="center", fontsize=10)
ax.set_xlim(0, 1)
ax.set_ylim(-2.8, 0.7)
ax.axis("off")
ax.set_title("One backward() through loss = 3w + w**2 at w = 2")
plt.show()
# --8<-- [end:plot]
