# --8<-- [start:twice]
import torch

w = torch.tensor(2.0, requires_grad=True)
for call in range(1, 4):
    loss = 3 * w**2  # a fresh graph each time; dloss/dw = 6w = 12
    loss.backward()
    print(f"after backward() call {call}: w.grad = {w.grad.item()}")
# --8<-- [end:twice]

# --8<-- [start:retain_graph]
w.grad = None
loss = 3 * w**2
# keep the graph's saved tensors for a second pass
loss.backward(retain_graph=True)
loss.backward()
print("two passes over one graph: w.grad =", w.grad.item())
try:
    loss.backward()  # the second pass freed them
except RuntimeError as error:
    print("RuntimeError:", str(error).split(".")[0] + ".")
# --8<-- [end:retain_graph]

# --8<-- [start:zero_grad]
def train(zero_grad, steps=3, lr=0.1):
    """Minimise (w - 5)^2 from w = 0 with plain gradient descent."""
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        if zero_grad:
            optimizer.zero_grad()  # sets w.grad to None
        loss = (w - 5) ** 2
        loss.backward()
        optimizer.step()
    return w.item()


print(f"with zero_grad():    w = {train(zero_grad=True):.4f}")
print(f"without zero_grad(): w = {train(zero_grad=False):.4f}")
# --8<-- [end:zero_grad]

# --8<-- [start:zero_grad_plot]
import matplotlib.pyplot as plt

steps = range(31)
fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
for zero_grad, colour, style, name in [
        (True, "#0072B2", "-", "with zero_grad()"),
        (False, "#D55E00", "--", "without zero_grad()")]:
    path = [train(zero_grad, steps=k) for k in steps]  # w after k steps
    print(f"{name + ':':21} w in steps 20 to 30 stays between "
          f"{min(path[20:]):.2f} and {max(path[20:]):.2f}")
    ax.plot(steps, path, color=colour, linestyle=style, marker="o",
            markersize=3, linewidth=2, label=name)
ax.axhline(5, color="#000000", linestyle=":", label="the minimum, w = 5")
ax.set(xlabel="step", ylabel="w",
       title="Gradient descent on (w - 5)^2 from w = 0, learning rate 0.1")
ax.set_ylim(-0.5, 12.5)
ax.legend(fontsize=8, loc="upper center", ncols=3)
plt.show()
# --8<-- [end:zero_grad_plot]
