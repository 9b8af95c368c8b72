# --8<-- [start:no_grad]
import torch

w = torch.tensor([1.0, -2.0], requires_grad=True)
x = torch.tensor([3.0, 4.0])

tracked = w * x
with torch.no_grad():
    untracked = w * x
print("tracked:   requires_grad =", tracked.requires_grad,
      " grad_fn =", tracked.grad_fn.name())
print("no_grad(): requires_grad =", untracked.requires_grad,
      " grad_fn =", untracked.grad_fn)
# --8<-- [end:no_grad]

# --8<-- [start:inference_mode]
with torch.inference_mode():
    prediction = w * x
print("inference tensor:", prediction.is_inference(),
      " requires_grad:", prediction.requires_grad)

shift = torch.zeros(2, requires_grad=True)
# addition saves nothing for backward: its derivative is 1 whatever the inputs
(prediction + shift).sum().backward()
print("prediction + shift works: shift.grad =", shift.grad)
try:
    # multiplication saves its inputs, and an inference tensor cannot be saved
    (prediction * shift).sum().backward()
except RuntimeError as error:
    print("prediction * shift fails:", str(error).split(".")[0] + ".")
# --8<-- [end:inference_mode]

# --8<-- [start:detach]
y = w * x
d = y.detach()  # the same numbers, cut from the graph
print("detached: requires_grad =", d.requires_grad, " grad_fn =", d.grad_fn,
      " shares memory:", d.data_ptr() == y.data_ptr())
d[0] = 100.0  # an in-place change to the detached tensor...
print("y after changing d:", y)  # ...changes y too: they share storage
print("for NumPy or plotting:", w.detach().numpy())
# --8<-- [end:detach]

# --8<-- [start:vjp]
v = w**2  # a vector output
try:
    v.backward()
except RuntimeError as error:
    print("RuntimeError:", error)
u = torch.ones_like(v)
# the gradient of u^T v, a vector-Jacobian product
v.backward(gradient=u)
print("w.grad:", w.grad, " = 2 * w:", 2 * w.detach())

# The Jacobian itself, dv_i/dw_j, formed here only to compare: v_i depends
# on w_i alone, so it is diagonal
jacobian = torch.autograd.functional.jacobian(lambda t: t**2, w.detach())
# + 0.0 turns a signed zero, -0., into 0. for printing
print("Jacobian:", jacobian + 0.0)
print("u^T J:", u @ jacobian)
# --8<-- [end:vjp]
