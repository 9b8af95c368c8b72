# --8<-- [start:functions]
import torch

# -4.00, -3.99, ..., 4.00; z = 0 is exactly one of them
z = torch.arange(-400, 401) / 100

# The four activation functions...
step = (z > 0).float()  # 1 if z > 0 else 0
sigmoid = 1 / (1 + torch.exp(-z))
tanh = torch.tanh(z)
relu = torch.clamp(z, min=0)  # max(0, z)

# ...and their derivatives, by formula.
d_step = torch.zeros_like(z)  # 0 wherever it exists; undefined at z = 0
d_sigmoid = sigmoid * (1 - sigmoid)
d_tanh = 1 - tanh**2
# 1 for z > 0, 0 for z < 0; at 0 we pick 0, as PyTorch does
d_relu = (z > 0).float()

at_zero = z == 0
print("at z = 0:  sigmoid' =", d_sigmoid[at_zero].item(),
      " tanh' =", d_tanh[at_zero].item())
print("largest sigmoid' =", d_sigmoid.max().item(),
      "at z =", z[d_sigmoid.argmax()].item())
# --8<-- [end:functions]

# --8<-- [start:autograd]
# Autograd (chapter 3) differentiates the same functions, and agrees with
# the formulas.
z_grad = z.clone().requires_grad_()
for name, f, formula in [
    ("sigmoid", torch.sigmoid, d_sigmoid),
    ("tanh", torch.tanh, d_tanh),
    ("relu", torch.relu, d_relu),
]:
    (derivative,) = torch.autograd.grad(f(z_grad).sum(), z_grad)
    print(f"{name:8s} autograd == formula:",
          torch.allclose(derivative, formula, atol=1e-6))
# --8<-- [end:autograd]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

# Okabe-Ito colours (safe for colour-blind readers), and a line style each.
styles = {
    "step function": dict(color="#000000", linestyle=":", linewidth=2.5),
    "sigmoid": dict(color="#0072B2", linestyle="-", linewidth=2),
    "tanh": dict(color="#009E73", linestyle="--", linewidth=2),
    "ReLU": dict(color="#D55E00", linestyle="-.", linewidth=2),
}
# Leave a gap at z = 0 where a function jumps, rather than a vertical edge.
def gap(t):
    return torch.where(z == 0, float("nan"), t)


functions = {"step function": gap(step), "sigmoid": sigmoid, "tanh": tanh,
             "ReLU": relu}
derivatives = {"step function": gap(d_step), "sigmoid": d_sigmoid,
               "tanh": d_tanh, "ReLU": gap(d_relu)}

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
for name in functions:
    left.plot(z, functions[name], label=name, **styles[name])
    right.plot(z, derivatives[name], label=name, **styles[name])
left.set(xlabel="z", ylabel="f(z)", ylim=(-1.2, 4.2),
         title="activation functions")
right.set(xlabel="z", ylabel="f'(z)", ylim=(-0.1, 1.15), title="derivatives")
for ax in (left, right):
    ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
left.legend(loc="upper left")
right.legend(loc="upper left")
plt.show()
# --8<-- [end:plot]
