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

# --8<-- [start:neuron_task]
def neuron_by_hand(x):
    """The neuron with weights (0.5, -1), bias 1 and the sigmoid: return
    its weighted sum z, its output a and the slope sigmoid'(z) for the
    input x, a tensor of two features."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:neuron_task]

# --8<-- [start:neuron_solution]
def neuron_by_hand(x):
    neuron = nn.Linear(2, 1)
    with torch.no_grad():
        neuron.weight.copy_(torch.tensor([[0.5, -1.0]]))
        neuron.bias.fill_(1.0)
    z = neuron(x)
    a = torch.sigmoid(z)
    slope = a * (1 - a)  # sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))
    return z, a, slope


z, a, slope = neuron_by_hand(torch.tensor([2.0, 1.0]))
print(f"z = {z.item():.4f}, a = {a.item():.4f}, "
      f"sigmoid'(z) = {slope.item():.4f}")
# --8<-- [end:neuron_solution]

# --8<-- [start:neuron_check]
for x_check in (torch.tensor([2.0, 1.0]), torch.tensor([-1.5, 0.25])):
    with torch.no_grad():  # the check only reads the values
        got_z, got_a, got_slope = map(float, neuron_by_hand(x_check))
    w_dot_x_plus_b = float(x_check @ torch.tensor([0.5, -1.0]) + 1.0)
    assert abs(got_z - w_dot_x_plus_b) < 1e-5, (
        f"for x = {x_check.tolist()}, your z is {got_z:.4f}, "
        f"but w . x + b is {w_dot_x_plus_b:.4f}")
    assert abs(got_a - torch.sigmoid(torch.tensor(got_z))) < 1e-5, (
        f"a = {got_a:.4f} is not the sigmoid of z = {got_z:.4f}")
    z_leaf = torch.tensor(got_z, requires_grad=True)
    torch.sigmoid(z_leaf).backward()  # autograd's slope, to compare with
    assert abs(got_slope - z_leaf.grad.item()) < 1e-5, (
        f"your slope {got_slope:.4f} differs from autograd's "
        f"{z_leaf.grad.item():.4f} at z = {got_z:.4f}")
print("Exercise 2: correct.")
# --8<-- [end:neuron_check]

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
