# --8<-- [start:one_step]
import torch

x, y = 2.0, 3.0  # one example: input and target
w = 0.5  # the weight before the update
lr = 0.1  # the learning rate, eta

# Forward: prediction and squared-error loss L = (w x - y)^2.
y_hat = w * x
loss = (y_hat - y) ** 2

# Chain rule: dL/dw = dL/dy_hat * dy_hat/dw = 2 (y_hat - y) * x.
grad = 2 * (y_hat - y) * x
w_new = w - lr * grad  # the update: step against the gradient
print(f"loss = {loss:.4f}, dL/dw = {grad:.4f}, new w = {w_new:.4f}")

# Autograd computes the same derivative.
w_t = torch.tensor(w, requires_grad=True)
((w_t * x - y) ** 2).backward()
print("autograd dL/dw =", w_t.grad.item())
print(f"loss after the update = {(w_new * x - y) ** 2:.4f}")
# --8<-- [end:one_step]
