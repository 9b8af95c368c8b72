# --8<-- [start:flags]
import torch

# data: nothing to learn, so no gradient needed
x = torch.tensor([1.0, 2.0, 3.0])
# a parameter: we want dL/dw
w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
z = w * x  # made by an operation on w, so autograd records it
loss = z.sum()

print(f"{'tensor':8}{'requires_grad':>15}{'is_leaf':>9}  grad_fn")
for name, t in [("x", x), ("w", w), ("z", z), ("loss", loss)]:
    grad_fn = t.grad_fn.name() if t.grad_fn else None
    print(f"{name:8}{t.requires_grad!s:>15}{t.is_leaf!s:>9}  {grad_fn}")
# --8<-- [end:flags]

# --8<-- [start:grads]
import warnings

loss.backward()
print("w.grad:", w.grad)  # dL/dw = x
print("x.grad:", x.grad)  # x does not require grad: nothing is computed for it

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("z.grad:", z.grad)  # a non-leaf: its gradient was used, then freed
print("warning:", str(caught[0].message).split(". ")[0] + ".")
# --8<-- [end:grads]

# --8<-- [start:retain_grad]
z = w * x
z.retain_grad()  # ask autograd to keep this non-leaf's gradient
w.grad = None  # start from no gradient (see "Gradients accumulate" below)
z.sum().backward()
print("z.grad:", z.grad)  # dL/dz = 1 for every element of a sum
print("w.grad:", w.grad)
# --8<-- [end:retain_grad]

# --8<-- [start:optimizer]
from torch import nn

layer = nn.Linear(3, 1)
print("layer.weight: is_leaf =", layer.weight.is_leaf,
      " requires_grad =", layer.weight.requires_grad)

h = w * 2  # computed from w: not a leaf
try:
    torch.optim.SGD([h], lr=0.1)
except ValueError as error:
    print("ValueError:", error)
# --8<-- [end:optimizer]
