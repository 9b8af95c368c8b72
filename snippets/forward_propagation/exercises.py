# --8<-- [start:shapes_question]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
# stand-ins for 32 greyscale images of 28 x 28 pixels
images = torch.rand(32, 28, 28)
X = images.reshape(32, -1)  # flatten each image into a row of 784 features
# --8<-- [end:shapes_question]

# --8<-- [start:shapes_task]
def shapes(N, n_in, n_hidden, n_out):
    """The network nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(),
    nn.Linear(n_hidden, n_out)) receives a batch of N examples. Return a
    dict with the shapes, as tuples, of "W1" and "b1" (the first layer's
    weight and bias), "W2" and "b2" (the second layer's), "H" (the hidden
    layer's activations) and "output", and with "parameters", the number
    of parameters."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:shapes_task]

# --8<-- [start:shapes_solution]
def shapes(N, n_in, n_hidden, n_out):
    return {
        # a weight is stored as (out, in): one row per neuron
        "W1": (n_hidden, n_in), "b1": (n_hidden,),
        "W2": (n_out, n_hidden), "b2": (n_out,),
        # one row per example, one column per neuron
        "H": (N, n_hidden), "output": (N, n_out),
        # each neuron has a weight per input, and a bias
        "parameters": n_hidden * (n_in + 1) + n_out * (n_hidden + 1),
    }


predicted = shapes(32, 784, 128, 10)
H = model[1](model[0](X))  # the hidden layer's activations
# what the model has, beside the prediction; named_parameters() yields
# each parameter with its name
actual = [(name, tuple(p.shape)) for name, p in model.named_parameters()]
actual += [("hidden", tuple(H.shape)), ("output", tuple(model(X).shape)),
           ("parameters", sum(p.numel() for p in model.parameters()))]
keys = ["W1", "b1", "W2", "b2", "H", "output", "parameters"]
for (name, value), key in zip(actual, keys):
    print(f"{name:11s}{str(value):12s}predicted {predicted[key]}")
# --8<-- [end:shapes_solution]

# --8<-- [start:shapes_check]
for sizes_check in ((5, 3, 4, 2), (32, 784, 128, 10)):
    N_check, n_in_check, n_hidden_check, n_out_check = sizes_check
    model_check = nn.Sequential(nn.Linear(n_in_check, n_hidden_check),
                                nn.ReLU(),
                                nn.Linear(n_hidden_check, n_out_check))
    X_check = torch.zeros(N_check, n_in_check)
    with torch.no_grad():  # the check only reads the shapes
        H_check = model_check[1](model_check[0](X_check))
        out_check = model_check(X_check)
    expected_check = {
        "W1": model_check[0].weight.shape, "b1": model_check[0].bias.shape,
        "W2": model_check[2].weight.shape, "b2": model_check[2].bias.shape,
        "H": H_check.shape, "output": out_check.shape,
    }
    got_shapes = shapes(*sizes_check)
    for key in [*expected_check, "parameters"]:
        assert key in got_shapes, f"your dict has no entry {key!r}"
    for key, expected_shape in expected_check.items():
        got_shape = got_shapes[key]
        assert isinstance(got_shape, (tuple, list, torch.Size)), (
            f"{key} should be a shape, a tuple such as (2, 3) or (5,), "
            f"not {got_shape!r}")
        assert tuple(got_shape) == tuple(expected_shape), (
            f"for N, n_in, n_hidden, n_out = {sizes_check}: your {key} "
            f"has shape {tuple(got_shape)}, the model's is "
            f"{tuple(expected_shape)}")
    count_check = sum(p.numel() for p in model_check.parameters())
    assert got_shapes["parameters"] == count_check, (
        f"for N, n_in, n_hidden, n_out = {sizes_check}: you count "
        f"{got_shapes['parameters']} parameters, the model has "
        f"{count_check}")
print("Exercise 1: correct.")
# --8<-- [end:shapes_check]

# --8<-- [start:neuron_task]
def neuron_by_hand(x):
    """The neuron with weights (0.5, -1), bias 1 and the sigmoid: return
    the tuple (z, a, slope): its weighted sum, its output and sigmoid'(z),
    for the input x, a tensor of two features."""
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
for x_check in (torch.tensor([-1.5, 0.25]), torch.tensor([2.0, 1.0])):
    got_neuron = neuron_by_hand(x_check)
    assert isinstance(got_neuron, (tuple, list)) and len(got_neuron) == 3, (
        f"neuron_by_hand should return the tuple (z, a, slope), not "
        f"{got_neuron!r}")
    got_z, got_a, got_slope = (float(torch.as_tensor(v).detach())
                               for v in got_neuron)
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

# --8<-- [start:collapse_task]
def collapse(stack):
    """stack is nn.Sequential(nn.Linear(n, h), nn.Linear(h, k)), two
    layers with no activation between them. Return one nn.Linear(n, k)
    that computes the same function."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:collapse_task]

# --8<-- [start:collapse_solution]
def collapse(stack):
    W1, b1 = stack[0].weight, stack[0].bias
    W2, b2 = stack[1].weight, stack[1].bias
    single = nn.Linear(stack[0].in_features, stack[1].out_features)
    with torch.no_grad():
        single.weight.copy_(W2 @ W1)  # (k, h) @ (h, n) -> (k, n)
        single.bias.copy_(W2 @ b1 + b2)
    return single


# no activation in between
stack = nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 2))
single = collapse(stack)
X_small = torch.randn(4, 3)
print("two linear layers == one:",
      torch.allclose(stack(X_small), single(X_small), atol=1e-6))
# ... up to rounding: (X W1^T) W2^T and X (W2 W1)^T round differently
print("equal to the last bit:", torch.equal(stack(X_small), single(X_small)))
# --8<-- [end:collapse_solution]

# --8<-- [start:collapse_check]
for sizes_check in ((3, 5, 2), (4, 6, 3)):
    n_check, h_check, k_check = sizes_check
    stack_check = nn.Sequential(nn.Linear(n_check, h_check),
                                nn.Linear(h_check, k_check))
    X_check = torch.randn(10, n_check)
    with torch.no_grad():  # the two layers' outputs, before your function runs
        expected_check = stack_check(X_check)
    got_layer = collapse(stack_check)
    assert isinstance(got_layer, nn.Linear), (
        f"collapse should return one nn.Linear, not "
        f"{type(got_layer).__name__}")
    assert tuple(got_layer.weight.shape) == (k_check, n_check), (
        f"your layer's weight has shape {tuple(got_layer.weight.shape)}, "
        f"but nn.Linear({n_check}, {k_check}) stores its weight as "
        f"(out, in)")
    with torch.no_grad():
        gap_check = (got_layer(X_check) - expected_check).abs().max()
    assert gap_check < 1e-5, (
        f"for nn.Linear({n_check}, {h_check}) then nn.Linear({h_check}, "
        f"{k_check}), your layer's output differs from the two layers' "
        f"by up to {gap_check.item():.4f}")
print("Exercise 3: correct.")
# --8<-- [end:collapse_check]
