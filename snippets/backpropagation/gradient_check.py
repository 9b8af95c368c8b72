# --8<-- [start:central]
import torch

torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
Y = torch.randn(8, 1, dtype=torch.float64)
W1 = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
b1 = torch.randn(4, dtype=torch.float64, requires_grad=True)
W2 = torch.randn(1, 4, dtype=torch.float64, requires_grad=True)
b2 = torch.randn(1, dtype=torch.float64, requires_grad=True)


def loss_fn(W1, b1, W2, b2):
    return ((torch.sigmoid(X @ W1.T + b1) @ W2.T + b2 - Y) ** 2).mean()


loss_fn(W1, b1, W2, b2).backward()

eps = 1e-6
with torch.no_grad():  # these evaluations need no gradient: don't record
    for i, j in [(0, 0), (2, 1), (3, 2)]:
        plus, minus = W1.clone(), W1.clone()
        plus[i, j] += eps
        minus[i, j] -= eps
        numeric = ((loss_fn(plus, b1, W2, b2) - loss_fn(minus, b1, W2, b2))
                   / (2 * eps))
        print(f"dL/dW1[{i},{j}]: central difference {numeric.item():+.10f}, "
              f"backprop {W1.grad[i, j].item():+.10f}")
# --8<-- [end:central]

# --8<-- [start:gradcheck]
# gradcheck perturbs every element of every input that requires grad, both
# ways, and compares the numerical Jacobian with the one backward() computes.
ok = torch.autograd.gradcheck(loss_fn, (W1, b1, W2, b2), eps=1e-6, atol=1e-5)
elements = sum(p.numel() for p in (W1, b1, W2, b2))
print("gradcheck passed:", ok)
print(f"{elements} parameters -> {2 * elements} extra forward passes "
      "for one numerical gradient")
# --8<-- [end:gradcheck]
