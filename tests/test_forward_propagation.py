"""Chapter 1, Forward propagation: every number, shape and equality that docs/forward-propagation.md states.

Each test recomputes the claim independently (in float64, from closed forms or with loops), so that
it fails if the snippet or the claim is wrong, not only if the printed output changes.
"""

import math
import warnings

import pytest
import torch
from torch import nn

CHAPTER = "forward_propagation"


def f64(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.detach().to(torch.float64)


def sigmoid64(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# --- One neuron (neuron.py) ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def neuron(snippet):
    return snippet(f"{CHAPTER}/neuron.py")


def test_neuron_weighted_sum_by_hand_is_minus_0_7(neuron):
    x, w, b = (f64(neuron[name]).tolist() for name in ("x", "w", "b"))
    expected = sum(xi * wi for xi, wi in zip(x, w)) + b
    assert expected == pytest.approx(-0.7)  # the page's "By hand: ... = -0.7"
    assert neuron["z_sum"].item() == pytest.approx(expected, abs=1e-6)
    assert neuron["z_dot"].item() == pytest.approx(expected, abs=1e-6)


def test_a_tensor_prints_rounded_to_four_decimals_and_item_gives_a_python_number(neuron):
    assert str(neuron["z_sum"]) == "tensor(-0.7000)"
    value = neuron["z_sum"].item()
    assert isinstance(value, float) and value != -0.7  # stored in float32, printed rounded
    assert round(value, 4) == -0.7


def test_float32_is_the_default_and_keeps_about_seven_digits(neuron):
    assert torch.get_default_dtype() == torch.float32 == neuron["x"].dtype
    assert round(-math.log10(torch.finfo(torch.float32).eps)) == 7


def test_a_layers_parameters_are_recorded_and_hand_computed_tensors_are_not(neuron):
    layer = neuron["neuron"]
    assert layer.weight.requires_grad and layer.bias.requires_grad
    assert neuron["z_layer"].grad_fn is not None
    assert neuron["z_dot"].grad_fn is None and "grad_fn" not in str(neuron["z_dot"])
    assert not any(neuron[name].requires_grad for name in ("x", "w", "b"))


def test_neuron_sigmoid_written_out_matches_the_formula(neuron):
    z = neuron["z_dot"].item()
    assert neuron["a"].item() == pytest.approx(sigmoid64(z), abs=1e-6)
    assert torch.allclose(neuron["a"], torch.sigmoid(neuron["z_dot"]))


def test_nn_linear_stores_one_row_per_neuron_and_agrees_with_the_hand_computation(neuron):
    layer = neuron["neuron"]
    assert isinstance(layer, nn.Linear)
    assert tuple(layer.weight.shape) == (1, 3)  # (out_features, in_features), not (3,)
    assert tuple(layer.bias.shape) == (1,)
    assert tuple(neuron["z_layer"].shape) == (1,)  # one entry per neuron
    x, w, b = (f64(neuron[name]) for name in ("x", "w", "b"))
    assert neuron["z_layer"].item() == pytest.approx((x * w).sum().item() + b.item(), abs=1e-6)
    assert neuron["z_layer"].grad_fn is not None  # the page explains the grad_fn= tag


# --- Activation functions (activations.py) ------------------------------------------------------


@pytest.fixture(scope="module")
def act(snippet):
    return snippet(f"{CHAPTER}/activations.py")


def test_grid_runs_from_minus_4_to_4_and_contains_zero_exactly(act):
    z = act["z"]
    assert z[0].item() == -4 and z[-1].item() == 4
    assert (z == 0).sum().item() == 1


def test_activation_functions_match_their_definitions(act):
    z = f64(act["z"])
    assert torch.allclose(f64(act["step"]), (z > 0).double())
    assert torch.allclose(f64(act["sigmoid"]), 1 / (1 + torch.exp(-z)), atol=1e-6)
    assert torch.allclose(f64(act["tanh"]), (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z)), atol=1e-6)
    assert torch.allclose(f64(act["relu"]), torch.maximum(z, torch.zeros_like(z)))


def test_ranges_in_the_table(act):
    assert set(act["step"].tolist()) == {0.0, 1.0}
    assert ((act["sigmoid"] > 0) & (act["sigmoid"] < 1)).all()
    assert ((act["tanh"] > -1) & (act["tanh"] < 1)).all()
    assert (act["relu"] >= 0).all()


def test_derivatives_match_central_differences(act):
    """The formulas' values agree with (f(z+h) - f(z-h)) / 2h away from the kinks."""
    z = f64(act["z"])
    h = 1e-6
    functions = {
        "d_sigmoid": lambda t: 1 / (1 + torch.exp(-t)),
        "d_tanh": torch.tanh,
        "d_relu": lambda t: torch.clamp(t, min=0),
        "d_step": lambda t: (t > 0).double(),
    }
    away_from_zero = z.abs() > 1e-3
    for name, f in functions.items():
        numeric = (f(z + h) - f(z - h)) / (2 * h)
        assert torch.allclose(f64(act[name])[away_from_zero], numeric[away_from_zero], atol=1e-5), name


def test_sigmoid_derivative_peaks_at_0_25_at_zero(act):
    z, d = act["z"], act["d_sigmoid"]
    assert d[z == 0].item() == 0.25
    assert d.max().item() == pytest.approx(0.25)
    assert z[d.argmax()].item() == 0
    # and not only on the grid: sigma(1 - sigma) <= 1/4 with equality at sigma = 1/2
    s = torch.sigmoid(torch.linspace(-50, 50, 100_001, dtype=torch.float64))
    assert (s * (1 - s)).max().item() <= 0.25


def test_tanh_derivative_is_1_at_zero_four_times_sigmoids(act):
    z, d = act["z"], act["d_tanh"]
    assert d[z == 0].item() == 1.0
    assert d.max().item() == pytest.approx(1.0)
    assert d[z == 0].item() == 4 * act["d_sigmoid"][z == 0].item()


def test_tanh_is_a_stretched_sigmoid(act):
    z = f64(act["z"])
    assert torch.allclose(torch.tanh(z), 2 * torch.sigmoid(2 * z) - 1)


def test_relu_derivative_is_1_for_positive_z_and_0_otherwise(act):
    z, d = act["z"], act["d_relu"]
    assert (d[z > 0] == 1).all()
    assert (d[z <= 0] == 0).all()


def test_step_derivative_is_zero_everywhere_it_is_plotted(act):
    assert (act["d_step"] == 0).all()


def test_autograd_agrees_with_the_formulas_and_pytorch_uses_0_for_relu_at_0(act):
    z = f64(act["z"]).requires_grad_()
    for f, name in [(torch.sigmoid, "d_sigmoid"), (torch.tanh, "d_tanh"), (torch.relu, "d_relu")]:
        (grad,) = torch.autograd.grad(f(z).sum(), z)
        assert torch.allclose(grad, f64(act[name]), atol=1e-6), name
    zero = torch.tensor(0.0, requires_grad=True)
    torch.relu(zero).backward()
    assert zero.grad.item() == 0.0


def test_activation_figure_has_two_labelled_panels_with_four_distinct_lines(act):
    fig = act["fig"]
    assert tuple(fig.get_size_inches()) == (8, 3.5)
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        assert [line.get_label() for line in lines] == ["step function", "sigmoid", "tanh", "ReLU"]
        assert len({line.get_linestyle() for line in lines}) == 4  # told apart without colour
        assert len({line.get_color() for line in lines}) == 4
    for ax in fig.axes:  # both panels have a legend
        legend = ax.get_legend()
        assert [text.get_text() for text in legend.get_texts()] == ["step function", "sigmoid", "tanh", "ReLU"]
    # the left panel shows ReLU over the whole grid, up to z = 4
    assert fig.axes[0].get_ylim()[1] > act["relu"].max().item() == 4
    # the step's derivative coincides with ReLU's for negative z, as the alt text says
    z = act["z"]
    assert torch.equal(act["d_step"][z < 0], act["d_relu"][z < 0])


# --- A layer is a matrix product (layers.py) ----------------------------------------------------


@pytest.fixture(scope="module")
def layers(snippet):
    return snippet(f"{CHAPTER}/layers.py")


def test_batch_layer_shapes(layers):
    assert tuple(layers["X"].shape) == (4, 3)
    assert tuple(layers["W"].shape) == (2, 3)
    assert tuple(layers["b"].shape) == (2,)
    assert tuple(layers["Z"].shape) == (4, 2)


def test_batch_product_is_every_neuron_applied_to_every_example(layers):
    X, W, b = (f64(layers[name]) for name in ("X", "W", "b"))
    Z = f64(layers["Z"])
    for i in range(X.shape[0]):
        for j in range(W.shape[0]):
            expected = sum(X[i, k].item() * W[j, k].item() for k in range(X.shape[1])) + b[j].item()
            assert Z[i, j].item() == pytest.approx(expected, abs=1e-5)


def test_nn_linear_weight_is_out_by_in_and_it_computes_x_wt_plus_b(layers):
    layer = layers["layer"]
    assert tuple(layer.weight.shape) == (layer.out_features, layer.in_features) == (2, 3)
    assert tuple(layer.bias.shape) == (2,)
    X = f64(layers["X"])
    expected = X @ f64(layer.weight).T + f64(layer.bias)
    assert torch.allclose(f64(layer(layers["X"])), expected, atol=1e-6)
    assert tuple(layer(layers["X"]).shape) == (4, 2)


# --- A two-layer network (two_layer.py) ---------------------------------------------------------


@pytest.fixture(scope="module")
def two(snippet):
    return snippet(f"{CHAPTER}/two_layer.py")


def test_two_layer_shapes_at_every_step(two):
    assert (two["N"], two["n_in"], two["n_hidden"], two["n_out"]) == (4, 3, 5, 2)
    shapes = {name: tuple(two[name].shape) for name in ("X", "Z1", "H", "Y_hat")}
    assert shapes == {"X": (4, 3), "Z1": (4, 5), "H": (4, 5), "Y_hat": (4, 2)}
    out, seen = two["X"], []
    for layer in two["model"]:
        out = layer(out)
        seen.append(tuple(out.shape))
    assert seen == [(4, 5), (4, 5), (4, 2)]


def test_two_layer_forward_pass_by_hand_is_right(two):
    X, W1, b1, W2, b2 = (f64(two[name]) for name in ("X", "W1", "b1", "W2", "b2"))
    H = torch.relu(X @ W1.T + b1)
    assert torch.allclose(f64(two["H"]), H, atol=1e-5)
    assert torch.allclose(f64(two["Y_hat"]), H @ W2.T + b2, atol=1e-5)


def test_sequential_with_the_same_parameters_computes_the_same_output(two):
    model = two["model"]
    assert [type(m) for m in model] == [nn.Linear, nn.ReLU, nn.Linear]  # model[2] is the second Linear
    assert torch.equal(model[0].weight, two["W1"]) and torch.equal(model[2].weight, two["W2"])
    assert torch.equal(model[0].bias, two["b1"]) and torch.equal(model[2].bias, two["b2"])
    assert torch.allclose(model(two["X"]), two["Y_hat"], atol=1e-6)


def test_two_layer_parameter_count_is_20_plus_12(two):
    model = two["model"]
    counts = [sum(p.numel() for p in m.parameters()) for m in model]
    assert counts == [3 * 5 + 5, 0, 5 * 2 + 2] == [20, 0, 12]
    for m in (model[0], model[2]):
        assert sum(p.numel() for p in m.parameters()) == m.out_features * (m.in_features + 1)
    assert sum(counts) == 32


# --- Check yourself (exercises.py) --------------------------------------------------------------

def shapes_answer(**changed: str) -> str:
    """An answer to exercise 1 that is right but for the entries given (as code)."""
    right = {
        '"W1"': "(n_hidden, n_in)",
        '"b1"': "(n_hidden,)",
        '"W2"': "(n_out, n_hidden)",
        '"b2"': "(n_out,)",
        '"H"': "(N, n_hidden)",
        '"output"': "(N, n_out)",
        '"parameters"': "n_hidden * (n_in + 1) + n_out * (n_hidden + 1)",
    }
    right.update({f'"{key}"': code for key, code in changed.items()})
    body = ", ".join(f"{key}: {code}" for key, code in right.items())
    return f"def shapes(N, n_in, n_hidden, n_out):\n    return {{{body}}}\n"


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
WRONG_ANSWERS = {
    "shapes": [
        # the weights as (in, out), as if the layer computed X @ W
        (shapes_answer(W1="(n_in, n_hidden)", W2="(n_hidden, n_out)"), "your W1 has shape"),
        # the weights counted, the biases forgotten
        (shapes_answer(parameters="n_in * n_hidden + n_hidden * n_out"), "parameters, the model has"),
        # the page's numbers, right for its network only
        (
            shapes_answer(
                W1="(128, 784)", b1="(128,)", W2="(10, 128)", b2="(10,)", H="(32, 128)", output="(32, 10)",
                parameters="101770",
            ),
            "(5, 3, 4, 2): your W1 has shape",
        ),
        # a bias's length, not its shape
        (shapes_answer(b1="n_hidden", b2="n_out"), "b1 should be a shape"),
    ],
    "neuron": [
        (  # the bias forgotten
            "def neuron_by_hand(x):\n"
            "    z = x @ torch.tensor([0.5, -1.0])\n"
            "    a = torch.sigmoid(z)\n"
            "    return z, a, a * (1 - a)\n",
            "but w . x + b is",
        ),
        (  # the slope of the weighted sum, not of the sigmoid
            "def neuron_by_hand(x):\n"
            "    z = x @ torch.tensor([0.5, -1.0]) + 1.0\n"
            "    return z, torch.sigmoid(z), torch.sigmoid(z)\n",
            "differs from autograd's",
        ),
        (  # the three values in a dict, not the tuple the docstring asks for
            "def neuron_by_hand(x):\n"
            "    z = x @ torch.tensor([0.5, -1.0]) + 1.0\n"
            "    a = torch.sigmoid(z)\n"
            "    return {'z': z, 'a': a, 'slope': a * (1 - a)}\n",
            "should return the tuple (z, a, slope)",
        ),
    ],
    "collapse": [
        (  # the bias of the second layer only: W2 b1, the first bias carried through, forgotten
            "def collapse(stack):\n"
            "    single = nn.Linear(stack[0].in_features, stack[1].out_features)\n"
            "    with torch.no_grad():\n"
            "        single.weight.copy_(stack[1].weight @ stack[0].weight)\n"
            "        single.bias.copy_(stack[1].bias)\n"
            "    return single\n",
            "differs from the two layers'",
        ),
        (  # W1^T W2^T, the product X @ W1.T @ W2.T multiplies X by, taken as the weight
            "def collapse(stack):\n"
            "    W1, W2 = stack[0].weight, stack[1].weight\n"
            "    single = nn.Linear(stack[0].in_features, stack[1].out_features)\n"
            "    single.weight = nn.Parameter((W1.T @ W2.T).detach())\n"
            "    with torch.no_grad():\n"
            "        single.bias.copy_(W2 @ stack[0].bias + stack[1].bias)\n"
            "    return single\n",
            "stores its weight as (out, in)",
        ),
    ],
}


@pytest.fixture(scope="module")
def ex(snippet):
    return snippet(f"{CHAPTER}/exercises.py")


def test_exercise_1_shapes_and_parameter_count(ex):
    model = ex["model"]
    assert tuple(ex["X"].shape) == (32, 784) == (32, 28 * 28)
    assert tuple(model[0].weight.shape) == (128, 784) and tuple(model[0].bias.shape) == (128,)
    assert tuple(model[2].weight.shape) == (10, 128) and tuple(model[2].bias.shape) == (10,)
    assert tuple(ex["H"].shape) == (32, 128)
    assert tuple(model(ex["X"]).shape) == (32, 10)
    first, second = 128 * (784 + 1), 10 * (128 + 1)
    assert (first, second) == (100480, 1290)
    assert sum(p.numel() for p in model.parameters()) == first + second == 101770
    # "0.weight is the weight of model[0]"; reshape(32, -1) works out 784
    names = dict(model.named_parameters())
    assert list(names) == ["0.weight", "0.bias", "2.weight", "2.bias"] and names["0.weight"] is model[0].weight
    assert ex["images"].reshape(32, -1).shape == (32, 28 * 28)
    # the solution's function predicts these numbers, for this network and for others
    assert ex["predicted"] == {
        "W1": (128, 784), "b1": (128,), "W2": (10, 128), "b2": (10,), "H": (32, 128), "output": (32, 10),
        "parameters": 101770,
    }
    for N, n_in, n_hidden, n_out in [(1, 1, 1, 1), (7, 2, 9, 4)]:
        other = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))
        predicted = ex["shapes"](N, n_in, n_hidden, n_out)
        assert [predicted[key] for key in ("W1", "b1", "W2", "b2")] == [tuple(p.shape) for p in other.parameters()]
        assert predicted["output"] == tuple(other(torch.zeros(N, n_in)).shape)
        assert predicted["parameters"] == sum(p.numel() for p in other.parameters())


def test_exercise_2_neuron_by_hand(ex):
    z = 2 * 0.5 + 1 * (-1) + 1
    a = sigmoid64(z)
    assert z == 1
    assert round(a, 4) == 0.7311 and round(1 - a, 4) == 0.2689
    assert round(a * (1 - a), 4) == 0.1966
    assert ex["z"].item() == pytest.approx(z, abs=1e-6)
    assert ex["a"].item() == pytest.approx(a, abs=1e-6)
    assert ex["slope"].item() == pytest.approx(a * (1 - a), abs=1e-6)


def test_exercise_2_check_accepts_a_slope_from_autograd():
    """The chapter shows torch.autograd.grad for an activation's slope, so a reader may use it: the check
    must not call the function under no_grad(), and must read values that require grad."""
    from test_exercises import check_outcome

    answer = (
        "def neuron_by_hand(x):\n"
        "    z = (x @ torch.tensor([0.5, -1.0]) + 1.0).requires_grad_()\n"
        "    a = torch.sigmoid(z)\n"
        "    (slope,) = torch.autograd.grad(a.sum(), z, create_graph=True)\n"
        "    return z, a, slope\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # float() of a tensor that requires grad warns
        assert check_outcome(f"{CHAPTER}/exercises.py", "neuron", answer) is None
    # and plain Python floats
    floats = "def neuron_by_hand(x):\n    z = 0.5 * float(x[0]) - float(x[1]) + 1\n    a = 1 / (1 + math.exp(-z))\n"
    floats += "    return z, a, a * (1 - a)\n"
    assert check_outcome(f"{CHAPTER}/exercises.py", "neuron", "import math\n" + floats) is None


def test_exercise_3_two_linear_layers_collapse_into_one(ex):
    stack, single = ex["stack"], ex["single"]
    W1, b1 = f64(stack[0].weight), f64(stack[0].bias)
    W2, b2 = f64(stack[1].weight), f64(stack[1].bias)
    assert tuple(single.weight.shape) == (2, 3)
    assert torch.allclose(f64(single.weight), W2 @ W1, atol=1e-6)
    assert torch.allclose(f64(single.bias), W2 @ b1 + b2, atol=1e-6)
    X = torch.randn(100, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert torch.allclose((X @ W1.T + b1) @ W2.T + b2, X @ (W2 @ W1).T + (W2 @ b1 + b2))
    assert torch.allclose(stack(X.float()), single(X.float()), atol=1e-5)
    # "not bit for bit": in float32 the two orders of multiplying round differently
    assert torch.allclose(stack(ex["X_small"]), single(ex["X_small"]), atol=1e-6)
    assert not torch.equal(stack(ex["X_small"]), single(ex["X_small"]))
    assert sum(p.numel() for p in stack.parameters()) == 32
    assert sum(p.numel() for p in single.parameters()) == 8
    # the solution's function builds the single layer for two layers of any sizes
    deeper = nn.Sequential(nn.Linear(6, 2), nn.Linear(2, 4)).double()
    one = ex["collapse"](deeper).double()
    assert isinstance(one, nn.Linear) and (one.in_features, one.out_features) == (6, 4)
    assert torch.allclose(one(X.new_ones(3, 6)), deeper(X.new_ones(3, 6)))


# --- Diagrams (diagrams.py) ---------------------------------------------------------------------


def test_bias_is_broadcast_to_every_row(layers):
    X, W, b, Z = (layers[name] for name in ("X", "W", "b", "Z"))
    assert torch.equal(Z, X @ W.T + b.repeat(X.shape[0], 1))  # as if b were copied to N rows
    assert b.expand(X.shape[0], -1).stride(0) == 0  # ... which broadcasting does without copying


def test_neuron_diagram_shows_the_numbers_of_the_first_code_block(snippet, neuron):
    diagram = snippet(f"{CHAPTER}/diagrams.py")
    assert diagram["x"] == pytest.approx(neuron["x"].tolist())
    assert diagram["w"] == pytest.approx(neuron["w"].tolist())
    assert diagram["b"] == pytest.approx(neuron["b"].item())
    assert diagram["z"] == pytest.approx(neuron["z_dot"].item(), abs=1e-6)


def test_network_diagram_gives_the_shape_of_every_tensor_of_the_two_layer_code(snippet, two):
    import matplotlib.pyplot as plt

    plt.close("all")
    diagram = snippet(f"{CHAPTER}/diagrams.py")
    assert diagram["sizes"] == {"input": two["n_in"], "hidden": two["n_hidden"], "output": two["n_out"]}
    texts = " ".join(t.get_text() for t in diagram["fig"].axes[0].texts)
    n, h, k = two["n_in"], two["n_hidden"], two["n_out"]
    for tensor, shape in [("X", "X"), ("Z_1", "Z1"), ("H", "H"), ("hat{Y}", "Y_hat")]:
        assert tensor in texts
        assert f"(N, {two[shape].shape[1]})" in texts, shape
    assert f"({h}, {n})" in texts and f"({k}, {h})" in texts  # W1, W2: (out, in)
    assert f"({h},)" in texts and f"({k},)" in texts  # b1, b2
    assert tuple(two["model"][0].weight.shape) == (h, n) and tuple(two["model"][2].weight.shape) == (k, h)
    # One edge per weight: n h + h k lines between the neurons.
    assert len(diagram["fig"].axes[0].get_lines()) == n * h + h * k


def test_parameters_can_be_changed_in_place_only_without_recording(neuron):
    layer = nn.Linear(3, 1)
    with pytest.raises(RuntimeError, match="in-place operation"):
        layer.weight.copy_(neuron["w"].reshape(1, 3))  # "PyTorch refuses ... while it records"
    with torch.no_grad():
        returned = layer.weight.fill_(2.0)
    assert returned is layer.weight and (layer.weight == 2).all()  # in place: the same tensor


def test_the_derivative_of_the_sum_is_the_elementwise_derivative(act):
    assert act["z_grad"].numel() == 801 and act["z_grad"].requires_grad
    # z_grad is a copy: z itself stays unrecorded
    assert not act["z"].requires_grad and act["z_grad"].data_ptr() != act["z"].data_ptr()
    # torch.autograd.grad returns a tuple, one gradient per tensor it differentiates with respect to
    returned = torch.autograd.grad(torch.sigmoid(act["z_grad"]).sum(), act["z_grad"])
    assert isinstance(returned, tuple) and len(returned) == 1
    z = torch.linspace(-3, 3, 7, dtype=torch.float64)
    for f in (torch.sigmoid, torch.tanh):
        jacobian = torch.autograd.functional.jacobian(f, z)
        assert torch.equal(jacobian, torch.diag(torch.diagonal(jacobian)))  # f(z_i) depends on z_i only
        (of_sum,) = torch.autograd.grad(f(z.requires_grad_()).sum(), z)
        assert torch.allclose(of_sum, torch.diagonal(jacobian))
