# --8<-- [start:central]
import torch

torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
Y = torch.randn(8, 1, dtype=torch.float64)
W1 = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
b1 = torch.randn(4, dtype=torch.float64, requires_grad=True)
W2 = torch.randn(1, 4, dtype=torch.float64, requires_grad=True)
b2 = torch.randn(1, dtype=torch.float64, requires_grad=True)


def loss_fn(W1, b1, W2, b2, X, Y):
    return ((torch.sigmoid(X @ W1.T + b1) @ W2.T + b2 - Y) ** 2).mean()


loss_fn(W1, b1, W2, b2, X, Y).backward()

eps = 1e-6
with torch.no_grad():  # these evaluations need no gradient: don't record
    for i, j in [(0, 0), (2, 1), (3, 2)]:
        plus, minus = W1.clone(), W1.clone()
        plus[i, j] += eps
        minus[i, j] -= eps
        numeric = ((loss_fn(plus, b1, W2, b2, X, Y)
                    - loss_fn(minus, b1, W2, b2, X, Y)) / (2 * eps))
        print(f"dL/dW1[{i},{j}]: central difference {numeric.item():+.10f}, "
              f"backprop {W1.grad[i, j].item():+.10f}")
# --8<-- [end:central]

# --8<-- [start:gradcheck]
# gradcheck perturbs every element of every input that requires grad (not X
# and Y), both ways, and compares the numerical Jacobian with backward()'s.
inputs = (W1, b1, W2, b2, X, Y)
ok = torch.autograd.gradcheck(loss_fn, inputs, eps=1e-6, atol=1e-5)
elements = sum(p.numel() for p in (W1, b1, W2, b2))
print("gradcheck passed:", ok)
print(f"{elements} parameters -> {2 * elements} extra forward passes "
      "for one numerical gradient")
# --8<-- [end:gradcheck]

# --8<-- [start:float32]
# The same central differences with every tensor in float32. inputs holds
# the float64 parameters and data of the gradcheck above.
W1_32, b1_32, W2_32, b2_32, X32, Y32 = (t.detach().float() for t in inputs)
true_dW1 = inputs[0].grad  # backprop's dL/dW1, in float64
L32 = loss_fn(W1_32, b1_32, W2_32, b2_32, X32, Y32)
# the gap between L and the next larger float32 number
gap = (torch.nextafter(L32, torch.tensor(2.0)) - L32).item()
print(f"float32: L = {L32.item():.7f}, the next float32 number is "
      f"{gap:.2e} higher")
print(f"one such gap divided by 2 eps: {gap / (2 * eps):.4f}")
for i, j in [(0, 0), (2, 1), (3, 2)]:
    plus, minus = W1_32.clone(), W1_32.clone()
    plus[i, j] += eps
    minus[i, j] -= eps
    difference = (loss_fn(plus, b1_32, W2_32, b2_32, X32, Y32)
                  - loss_fn(minus, b1_32, W2_32, b2_32, X32, Y32))
    numeric = difference / (2 * eps)
    gaps = difference.item() / gap
    print(f"dL/dW1[{i},{j}]: L(+eps) - L(-eps) = {gaps:.0f} gaps, "
          f"central difference {numeric.item():+.4f}, "
          f"true {true_dW1[i, j].item():+.4f}")
# --8<-- [end:float32]
