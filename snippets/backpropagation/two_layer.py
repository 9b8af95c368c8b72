# --8<-- [start:setup]
import torch

torch.manual_seed(0)
# float64: hand and autograd gradients agree to ~1e-16
f64 = dict(dtype=torch.float64)

N, n, h, k = 8, 3, 4, 1  # examples, input features, hidden neurons, outputs
X = torch.randn(N, n, **f64)
Y = torch.randn(N, k, **f64)
W1, b1 = torch.randn(h, n, **f64), torch.randn(h, **f64)
W2, b2 = torch.randn(k, h, **f64), torch.randn(k, **f64)
# --8<-- [end:setup]

# --8<-- [start:forward]
Z1 = X @ W1.T + b1  # (N, h) pre-activations
H = torch.sigmoid(Z1)  # (N, h) hidden activations
Y_hat = H @ W2.T + b2  # (N, k) predictions
L = ((Y_hat - Y) ** 2).mean()  # mean squared error over all N * k entries
print("loss:", round(L.item(), 6))
# --8<-- [end:forward]

# --8<-- [start:backward]
# From the loss back to the input, one layer at a time; every gradient has
# its tensor's shape.
dY_hat = 2 * (Y_hat - Y) / Y_hat.numel()  # dL/dY_hat        (N, k)
dW2 = dY_hat.T @ H  # dL/dW2          (k, h)
db2 = dY_hat.sum(dim=0)  # dL/db2          (k,)
dH = dY_hat @ W2  # dL/dH: the error passed to the hidden layer  (N, h)
dZ1 = dH * H * (1 - H)  # dL/dZ1 = dL/dH * sigmoid'(Z1)  (N, h)
dW1 = dZ1.T @ X  # dL/dW1          (h, n)
db1 = dZ1.sum(dim=0)  # dL/db1          (h,)
for name, grad in [("dW2", dW2), ("db2", db2), ("dH", dH), ("dZ1", dZ1),
                   ("dW1", dW1), ("db1", db1)]:
    print(f"{name:4} {tuple(grad.shape)}")
# --8<-- [end:backward]

# --8<-- [start:by_index]
# One entry at a time: W2[c, j] reaches the loss through Y_hat[i, c] of
# every example i, with dY_hat[i, c] / dW2[c, j] = H[i, j]; add them up.
dW2_entries = torch.zeros(k, h, **f64)
for c in range(k):
    for j in range(h):
        dW2_entries[c, j] = sum(dY_hat[i, c] * H[i, j] for i in range(N))
print("sum over examples == dY_hat.T @ H:", torch.allclose(dW2_entries, dW2))
# --8<-- [end:by_index]

# --8<-- [start:check]
# The same forward pass on copies that autograd tracks (requires_grad_()
# switches the recording on), then one backward().
params = [p.clone().requires_grad_() for p in (W1, b1, W2, b2)]
aW1, ab1, aW2, ab2 = params
loss = ((torch.sigmoid(X @ aW1.T + ab1) @ aW2.T + ab2 - Y) ** 2).mean()
loss.backward()
names = ["W1", "b1", "W2", "b2"]
for name, by_hand, param in zip(names, [dW1, db1, dW2, db2], params):
    difference = (by_hand - param.grad).abs().max().item()
    print(f"d{name}: largest difference from autograd = {difference:.1e}")
# --8<-- [end:check]

# --8<-- [start:order]
true_dW1 = params[0].grad  # autograd's dL/dW1
difference = (dW1 - true_dW1).abs().max().item()
print(f"all gradients first, then update: dW1 differs from autograd by "
      f"{difference:.1e}")
# The deck's order: update W2 first, then pass the error back through the
# updated W2. The W1 gradient that comes out is not dL/dW1 any more.
print("update W2, then pass the error:")
for lr in [0.05, 0.1, 0.2]:
    W2_updated = W2 - lr * dW2  # the output layer is updated first ...
    dH_late = dY_hat @ W2_updated  # ... the error passes through the new W2
    dW1_late = (dH_late * H * (1 - H)).T @ X
    difference = (dW1_late - true_dW1).abs().max().item()
    print(f"  lr {lr:4}: dW1 differs from autograd by {difference:.4f}, "
          f"{difference / lr:.4f} times lr")
print(f"(the largest entry of dL/dW1 is {dW1.abs().max().item():.2f})")
# --8<-- [end:order]
