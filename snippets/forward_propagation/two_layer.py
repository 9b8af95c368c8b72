# --8<-- [start:by_hand]
import torch

torch.manual_seed(0)
N, n_in, n_hidden, n_out = 4, 3, 5, 2

X = torch.randn(N, n_in)
W1, b1 = torch.randn(n_hidden, n_in), torch.randn(n_hidden)  # layer 1: 3 -> 5
W2, b2 = torch.randn(n_out, n_hidden), torch.randn(n_out)  # layer 2: 5 -> 2

Z1 = X @ W1.T + b1  # weighted sums of the hidden layer
H = torch.clamp(Z1, min=0)  # ReLU, elementwise: the shape does not change
Y_hat = H @ W2.T + b2  # the output layer: no activation here
for name, tensor in [("X", X), ("Z1", Z1), ("H", H), ("Y_hat", Y_hat)]:
    print(f"{name:6s}{tuple(tensor.shape)}")
# --8<-- [end:by_hand]

# --8<-- [start:sequential]
from torch import nn

model = nn.Sequential(
    nn.Linear(n_in, n_hidden),
    nn.ReLU(),
    nn.Linear(n_hidden, n_out),
)
with torch.no_grad():  # give the model the parameters we used by hand
    model[0].weight.copy_(W1)
    model[0].bias.copy_(b1)
    model[2].weight.copy_(W2)
    model[2].bias.copy_(b2)

# Run the layers one at a time, as model(X) does, to see each shape.
out = X
print(f"{'input':50s}{tuple(out.shape)}")
for layer in model:
    out = layer(out)
    print(f"{str(layer):50s}{tuple(out.shape)}")

print("model(X) == by hand:", torch.allclose(model(X), Y_hat))
print("parameters:", sum(p.numel() for p in model.parameters()))
# --8<-- [end:sequential]
