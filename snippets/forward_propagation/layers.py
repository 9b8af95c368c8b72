# --8<-- [start:by_hand]
import torch

torch.manual_seed(0)
N, n_in, n_out = 4, 3, 2  # 4 examples, 3 features each, a layer of 2 neurons

X = torch.randn(N, n_in)  # one example per row
W = torch.randn(n_out, n_in)  # one neuron's weights per row
b = torch.randn(n_out)  # one bias per neuron

# (N, n_in) @ (n_in, n_out) -> (N, n_out); b is added to every row
Z = X @ W.T + b
print("X:", tuple(X.shape), " W:", tuple(W.shape), " b:", tuple(b.shape),
      " Z:", tuple(Z.shape))

# Row 0 of Z is the layer applied to example 0 alone: W x + b.
print("Z[0] == W @ X[0] + b:", torch.allclose(Z[0], W @ X[0] + b))
# Column 1 of Z is neuron 1 applied to every example: the single-neuron sum
# of the last section.
print("Z[:, 1] == X @ W[1] + b[1]:", torch.allclose(Z[:, 1], X @ W[1] + b[1]))
# --8<-- [end:by_hand]

# --8<-- [start:nn_linear]
from torch import nn

layer = nn.Linear(n_in, n_out)  # its own random weight and bias
print("layer.weight:", tuple(layer.weight.shape),
      " layer.bias:", tuple(layer.bias.shape))

# the formula, with the layer's parameters
by_hand = X @ layer.weight.T + layer.bias
print("layer(X) == X @ W.T + b:", torch.allclose(layer(X), by_hand))
print("layer(X) shape:", tuple(layer(X).shape))
# --8<-- [end:nn_linear]
