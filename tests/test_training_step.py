"""Chapter 7, The training step: parameters, and what each of the five lines does to the tensors."""

import inspect

import pytest
import torch
from torch import nn


@pytest.fixture(scope="module")
def parameters(snippet):
    return snippet("training_step/parameters.py")


@pytest.fixture(scope="module")
def five(snippet):
    return snippet("training_step/five_lines.py")


def test_linear_13_1_has_the_stated_names_shapes_and_count(parameters):
    named = {
        name: (tuple(p.shape), p.requires_grad, p.is_leaf) for name, p in parameters["linear_model"].named_parameters()
    }
    assert named == {"weight": ((1, 13), True, True), "bias": ((1,), True, True)}
    assert parameters["count"] == 14 == 13 * 1 + 1


@pytest.mark.parametrize(("n_in", "n_out"), [(13, 1), (13, 8), (8, 1), (4, 16), (16, 3), (7, 5)])
def test_the_parameter_formula_matches_numel(parameters, n_in, n_out):
    counted = sum(p.numel() for p in nn.Linear(n_in, n_out).parameters())
    assert counted == n_in * n_out + n_out == parameters["linear_count"](n_in, n_out)


def test_sequential_names_skip_the_relu_and_count_121(parameters):
    model = parameters["model"]
    assert [(name, tuple(p.shape)) for name, p in model.named_parameters()] == [
        ("0.weight", (8, 13)), ("0.bias", (8,)), ("2.weight", (1, 8)), ("2.bias", (1,))]
    assert parameters["total"] == 121 == (13 * 8 + 8) + (8 * 1 + 1) == 112 + 9
    assert list(model[1].parameters()) == []


def test_parameters_is_a_one_pass_generator_of_the_models_own_tensors(parameters):
    model = parameters["model"]
    assert inspect.isgenerator(model.parameters()) and inspect.isgenerator(model.named_parameters())
    params = model.parameters()
    assert len(list(params)) == 4 and len(list(params)) == 0
    assert parameters["same"]
    assert next(model.parameters()) is model[0].weight


def test_grad_is_none_until_backward_and_the_forward_pass_is_recorded(five):
    model = five["linear_model"]
    assert five["pre_y"].shape == (8, 1) and five["pre_y"].grad_fn.name() == "AddmmBackward0"
    assert five["y"].shape == (8,) and five["y"].reshape(-1, 1).shape == (8, 1)
    assert five["loss"].grad_fn.name() == "MseLossBackward0"
    fresh = nn.Linear(13, 1)
    assert fresh.weight.grad is None
    torch.optim.SGD(fresh.parameters(), lr=0.1).zero_grad()
    assert fresh.weight.grad is None
    fresh(five["x"])
    assert fresh.weight.grad is None
    assert model.weight.grad is not None  # after the page's later sections


def test_backward_gives_the_mse_formula_and_does_not_move_the_weights(five):
    torch.manual_seed(1)
    model = nn.Linear(13, 1).double()
    x, y = torch.randn(8, 13, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
    before = model.weight.detach().clone()
    nn.MSELoss()(model(x), y.reshape(-1, 1)).backward()
    residual = (model(x) - y.reshape(-1, 1)).detach()
    assert torch.allclose(model.weight.grad, 2 * residual.T @ x / 8, atol=1e-14)
    assert torch.allclose(model.bias.grad, 2 * residual.sum(0) / 8, atol=1e-14)
    assert torch.equal(before, model.weight.detach())
    # The page's own batch, in float32:
    assert torch.allclose(five["grad_weight_by_hand"], 2 * five["residual"].T @ five["x"] / 8)


def test_sgd_step_is_w_minus_lr_grad(five):
    assert five["difference"] < 1e-6  # float32 rounding
    assert not torch.equal(five["weight_before"], five["expected"])  # the step did move the weights
    torch.manual_seed(2)
    model = nn.Linear(13, 1).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(8, 13, dtype=torch.float64), torch.randn(8, dtype=torch.float64)
    nn.MSELoss()(model(x), y.reshape(-1, 1)).backward()
    w, g = model.weight.detach().clone(), model.weight.grad.clone()
    optimizer.step()
    assert torch.allclose(model.weight.detach(), w - 0.1 * g, rtol=0, atol=1e-15)
    assert torch.equal(model.weight.detach(), w.add(g, alpha=-0.1))  # how SGD computes it
    assert torch.equal(model.weight.grad, g)  # step() leaves .grad alone


def test_one_step_lowers_the_loss_on_the_batch():
    torch.manual_seed(0)
    x, y = torch.randn(8, 13), torch.randn(8)
    model = nn.Linear(13, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = nn.MSELoss()(model(x), y.reshape(-1, 1))
    before.backward()
    optimizer.step()
    assert nn.MSELoss()(model(x), y.reshape(-1, 1)).item() < before.item()


def test_zero_grad_sets_to_none_by_default():
    assert inspect.signature(torch.optim.Optimizer.zero_grad).parameters["set_to_none"].default is True
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model(torch.ones(2, 3)).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert torch.equal(model.bias.grad, torch.zeros(1))
    optimizer.zero_grad()
    assert model.bias.grad is None and model.weight.grad is None


def test_a_second_backward_without_zeroing_doubles_the_gradient(five):
    model = five["linear_model"]
    assert torch.equal(model.weight.grad, 2 * five["first_weight"])
    assert torch.equal(model.bias.grad, 2 * five["first_bias"])
    assert five["first_bias"].abs().item() > 0


def test_the_loop_trains_to_the_noise_level(snippet):
    loop = snippet("training_step/loop.py")
    losses = loop["losses"]
    assert len(losses) == 101 and round(losses[0]) == 18
    assert all(a > b for a, b in zip(losses[:40], losses[1:41]))  # falls at every step until it levels off
    assert max(losses[40:]) < 0.0083
    assert 0.005 < losses[-1] < 0.01  # about 0.008, below the noise variance 0.1^2
    assert abs(loop["linear_model"].bias.item() - 3.0) < 0.02
    assert (loop["linear_model"].weight.detach()[0] - loop["true_w"]).abs().max().item() < 0.02


def test_exercise_answers(snippet):
    exercise = snippet("training_step/exercises.py")
    assert exercise["counted"] == exercise["by_formula"] == 131 == 80 + 51
    # Exercise 2: zero_grad() between backward() and step() leaves step() nothing to do.
    assert torch.equal(exercise["start"], exercise["linear_model"].weight.detach())  # the page's loop: no change
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    start = [p.detach().clone() for p in model.parameters()]
    for _ in range(10):
        model(torch.randn(32, 4)).sum().backward()
        optimizer.zero_grad()
        optimizer.step()
    assert all(torch.equal(s, p) for s, p in zip(start, model.parameters()))
    # Exercise 3: halves' losses divided by 2 accumulate to the full-batch gradient.
    assert torch.allclose(exercise["full"], exercise["linear_model"].weight.grad)
    assert not torch.equal(exercise["full"], torch.zeros_like(exercise["full"]))
