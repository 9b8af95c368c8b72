# --8<-- [start:tanh_solution]
import torch

torch.manual_seed(1)
X = torch.randn(5, 3, dtype=torch.float64)
Y = torch.randn(5, 2, dtype=torch.float64)
W1 = torch.randn(4, 3, dtype=torch.float64)
b1 = torch.randn(4, dtype=torch.float64)
W2 = torch.randn(2, 4, dtype=torch.float64)
b2 = torch.randn(2, dtype=torch.float64)

# Forward with tanh and backward by hand: only the activation's derivative
# changes.
H = torch.tanh(X @ W1.T + b1)
Y_hat = H @ W2.T + b2
dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()
dW2, db2 = dY_hat.T @ H, dY_hat.sum(dim=0)
dZ1 = (dY_hat @ W2) * (1 - H**2)  # tanh'(z) = 1 - tanh(z)^2
dW1, db1 = dZ1.T @ X, dZ1.sum(dim=0)

params = [p.clone().requires_grad_() for p in (W1, b1, W2, b2)]
aW1, ab1, aW2, ab2 = params
((torch.tanh(X @ aW1.T + ab1) @ aW2.T + ab2 - Y) ** 2).mean().backward()
print("db2 shape:", tuple(db2.shape))
by_hand = (dW1, db1, dW2, db2)
match = all(torch.allclose(g, p.grad, atol=1e-12)
            for g, p in zip(by_hand, params))
print("all four match autograd:", match)
# --8<-- [end:tanh_solution]
