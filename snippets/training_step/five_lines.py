# --8<-- [start:setup]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(8, 13)  # a batch: 8 examples, 13 features each
y = torch.randn(8)  # their targets, shape (8,): one column of a table
linear_model = nn.Linear(13, 1)
lr = 0.1
optimizer = torch.optim.SGD(linear_model.parameters(), lr=lr)
print("before anything: weight.grad =", linear_model.weight.grad)
# --8<-- [end:setup]

# --8<-- [start:zero_grad]
# 1. clear the gradients of every parameter the optimizer holds
optimizer.zero_grad()
print("after zero_grad(): weight.grad =", linear_model.weight.grad)
# --8<-- [end:zero_grad]

# --8<-- [start:forward]
pre_y = linear_model(x)  # 2. the forward pass, recorded by autograd
print("pre_y:", tuple(pre_y.shape), pre_y.grad_fn.name())
print("after the forward pass: weight.grad =", linear_model.weight.grad)
# --8<-- [end:forward]

# --8<-- [start:loss]
print("y:", tuple(y.shape),
      " y.reshape(-1, 1):", tuple(y.reshape(-1, 1).shape))
# 3. one number: the mean squared error of the batch
loss = nn.MSELoss()(pre_y, y.reshape(-1, 1))
print(f"loss: {loss.item():.4f}", loss.grad_fn.name())
# --8<-- [end:loss]

# --8<-- [start:backward]
weight_before = linear_model.weight.detach().clone()
loss.backward()  # 4. fill .grad of every parameter with dloss/dparameter
print("weight.grad[0, :4]:", linear_model.weight.grad[0, :4])
print("bias.grad:", linear_model.bias.grad)

# The same gradients from the formula: loss = mean((pre_y - y)^2), so
# dloss/dpre_y = 2 (pre_y - y) / N.
residual = (pre_y - y.reshape(-1, 1)).detach()
grad_weight_by_hand = 2 * residual.T @ x / len(x)
grad_bias_by_hand = 2 * residual.sum(0) / len(x)
print("autograd equals the formula:",
      torch.allclose(linear_model.weight.grad, grad_weight_by_hand),
      torch.allclose(linear_model.bias.grad, grad_bias_by_hand))
print("backward() changed the weights:",
      not torch.equal(weight_before, linear_model.weight))
# --8<-- [end:backward]

# --8<-- [start:step]
# plain SGD: w <- w - lr * grad
expected = weight_before - lr * linear_model.weight.grad
optimizer.step()  # 5. update every parameter in place from its .grad
print("weight[0, :4] before:", weight_before[0, :4])
print("weight[0, :4] after: ", linear_model.weight.detach()[0, :4])
difference = (linear_model.weight.detach() - expected).abs().max().item()
# float32 rounding, nothing more
print(f"largest difference from w - lr * grad: {difference:.1e}")
print("step() left .grad as it was:", linear_model.weight.grad is not None)
with torch.no_grad():
    after = nn.MSELoss()(linear_model(x), y.reshape(-1, 1))
    print(f"loss on this batch: before {loss.item():.4f}, "
          f"after {after.item():.4f}")
# --8<-- [end:step]

# --8<-- [start:set_to_none]
optimizer.zero_grad()  # set_to_none=True is the default
print("zero_grad():                   weight.grad =", linear_model.weight.grad)
nn.MSELoss()(linear_model(x), y.reshape(-1, 1)).backward()
optimizer.zero_grad(set_to_none=False)  # the older behaviour: tensors of zeros
print("zero_grad(set_to_none=False):  bias.grad =", linear_model.bias.grad)
# --8<-- [end:set_to_none]

# --8<-- [start:none_or_zeros]
# Two parameters at 1.0: one with .grad None, one with .grad zeros. With
# weight decay, SGD's step is p <- p - lr * (grad + weight_decay * p).
grad_none = nn.Parameter(torch.ones(1))
grad_zeros = nn.Parameter(torch.ones(1))
grad_zeros.grad = torch.zeros(1)
decaying = torch.optim.SGD([grad_none, grad_zeros], lr=0.1, weight_decay=0.1)
decaying.step()
print(f".grad None:  skipped, still {grad_none.item():.4f}")
print(f".grad zeros: updated, now   {grad_zeros.item():.4f}")
# --8<-- [end:none_or_zeros]

# --8<-- [start:accumulate]
optimizer.zero_grad()
nn.MSELoss()(linear_model(x), y.reshape(-1, 1)).backward()
first_weight = linear_model.weight.grad.clone()
first_bias = linear_model.bias.grad.clone()
# the same batch again, no zero_grad()
nn.MSELoss()(linear_model(x), y.reshape(-1, 1)).backward()
print("bias.grad after one backward():", first_bias)
print("bias.grad after two:           ", linear_model.bias.grad)
print("exactly twice:",
      torch.equal(linear_model.weight.grad, 2 * first_weight)
      and torch.equal(linear_model.bias.grad, 2 * first_bias))
# --8<-- [end:accumulate]
