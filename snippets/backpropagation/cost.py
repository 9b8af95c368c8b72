# --8<-- [start:count]
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)  # the same random numbers on every run
# Four linear layers with sigmoids between them, and a batch of 32 examples.
model = nn.Sequential(nn.Linear(3, 64), nn.Sigmoid(), nn.Linear(64, 64),
                      nn.Sigmoid(), nn.Linear(64, 64), nn.Sigmoid(),
                      nn.Linear(64, 1))
X, Y = torch.randn(32, 3), torch.randn(32, 1)

# Count the floating-point operations of the matrix products, not the time.
with FlopCounterMode(display=False) as forward_count:
    loss = ((model(X) - Y) ** 2).mean()
with FlopCounterMode(display=False) as backward_count:
    loss.backward()
forward_flops = forward_count.get_total_flops()
backward_flops = backward_count.get_total_flops()
print(f"forward:  {forward_flops:>9,} FLOPs in matrix products")
print(f"backward: {backward_flops:>9,} FLOPs in matrix products, "
      f"{backward_flops / forward_flops:.2f} times the forward pass")
# --8<-- [end:count]
