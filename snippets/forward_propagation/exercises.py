# --8<-- [start:shapes_question]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
# stand-ins for 32 greyscale images of 28 x 28 pixels
images = torch.rand(32, 28, 28)
X = images.reshape(32, -1)  # flatten each image into a row of 784 features
# --8<-- [end:shapes_question]

# --8<-- [start:shapes_solution]
for name, parameter in model.named_parameters():
    print(f"{name:10s}{tuple(parameter.shape)}")
H = model[1](model[0](X))  # the hidden layer's activations
print("hidden:", tuple(H.shape), " output:", tuple(model(X).shape))
print("parameters:", sum(p.numel() for p in model.parameters()))
# --8<-- [end:shapes_solution]

# --8<-- [start:neuron_solution]
neuron = nn.Linear(2, 1)
with torch.no_grad():
    neuron.weight.copy_(torch.tensor([[0.5, -1.0]]))
    neuron.bias.fill_(1.0)
z = neuron(torch.tensor([2.0, 1.0]))
a = torch.sigmoid(z)
slope = a * (1 - a)  # sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))
print(f"z = {z.item():.4f}, a = {a.item():.4f}, "
      f"sigmoid'(z) = {slope.item():.4f}")
# --8<-- [end:neuron_solution]

# --8<-- [start:collapse_solution]
# no activation in between
stack = nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 2))
W1, b1 = stack[0].weight, stack[0].bias
W2, b2 = stack[1].weight, stack[1].bias

single = nn.Linear(3, 2)
with torch.no_grad():
    single.weight.copy_(W2 @ W1)  # (2, 5) @ (5, 3) -> (2, 3)
    single.bias.copy_(W2 @ b1 + b2)

X_small = torch.randn(4, 3)
print("two linear layers == one:",
      torch.allclose(stack(X_small), single(X_small), atol=1e-6))
# ... up to rounding: (X W1^T) W2^T and X (W2 W1)^T round differently
print("equal to the last bit:", torch.equal(stack(X_small), single(X_small)))
# --8<-- [end:collapse_solution]
