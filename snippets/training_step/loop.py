# --8<-- [start:loop]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(200, 13)
true_w, true_b = torch.randn(13), 3.0
# a linear target with a little noise, shape (200,)
Y = X @ true_w + true_b + 0.1 * torch.randn(200)

linear_model = nn.Linear(13, 1)
optimizer = torch.optim.SGD(linear_model.parameters(), lr=0.1)
losses = []
for step in range(101):
    optimizer.zero_grad()
    pre_y = linear_model(X)
    loss = nn.MSELoss()(pre_y, Y.reshape(-1, 1))
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if step % 20 == 0:
        print(f"step {step:3}: loss {loss.item():.5f}")
error = (linear_model.weight.detach()[0] - true_w).abs().max().item()
print(f"learned bias {linear_model.bias.item():.3f} (true {true_b}), "
      f"largest weight error {error:.3f}")
# --8<-- [end:loop]
