# --8<-- [start:by_hand]
import torch

# One example with n = 3 features, and one neuron's weights and bias.
x = torch.tensor([0.5, -1.0, 2.0])
w = torch.tensor([0.8, 0.2, -0.5])
b = torch.tensor(0.1)

z_sum = (x * w).sum() + b  # x1*w1 + x2*w2 + x3*w3 + b, term by term
z_dot = torch.dot(x, w) + b  # the same weighted sum as one dot product
print("elementwise product and sum:", z_sum)
print("dot product:                ", z_dot)
# --8<-- [end:by_hand]

# --8<-- [start:activate]
a = 1 / (1 + torch.exp(-z_dot))  # sigmoid, written out
print(f"z = {z_dot.item():.4f}, a = sigmoid(z) = {a.item():.4f}")
print("torch.sigmoid agrees:", torch.allclose(a, torch.sigmoid(z_dot)))
# --8<-- [end:activate]

# --8<-- [start:nn_linear]
from torch import nn

# nn.Linear draws random initial values (overwritten below)
torch.manual_seed(0)
neuron = nn.Linear(in_features=3, out_features=1)
print("weight shape:", tuple(neuron.weight.shape),
      " bias shape:", tuple(neuron.bias.shape))

# Overwrite the random initial values with ours. no_grad(): we are setting
# values, not computing something that training should differentiate.
with torch.no_grad():
    neuron.weight.copy_(w.reshape(1, 3))  # one row per neuron
    neuron.bias.fill_(b)

z_layer = neuron(x)
print("nn.Linear:", z_layer)
print("same as by hand:", torch.allclose(z_layer, z_dot))
# --8<-- [end:nn_linear]
