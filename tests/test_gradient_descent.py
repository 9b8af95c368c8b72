"""Chapter 5, Gradient descent: convergence, learning rates, minima, saddles, batch vs mini-batch."""

import math

import pytest
import torch


def test_descent_stops_at_the_minimum_after_the_predicted_number_of_steps(snippet):
    run = snippet("gradient_descent/one_dimension.py")
    lr, tolerance = run["lr"], run["tolerance"]
    torch.manual_seed(0)
    x0 = (torch.rand(()) * 20 - 10).item()
    # On this quadratic, x_k - 3 = (1 - 2 lr)^k (x0 - 3): the first k with |2 (x_k - 3)| < tolerance.
    k = math.ceil(math.log(tolerance / (2 * abs(x0 - 3))) / math.log(abs(1 - 2 * lr)))
    assert run["step"] == k == 40
    assert abs(run["x"] - 3) < tolerance / 2
    assert run["x"] - 3 == pytest.approx((1 - 2 * lr) ** k * (x0 - 3), abs=1e-12)


def test_learning_rates_too_small_good_and_too_large(snippet):
    runs = snippet("gradient_descent/learning_rates.py")["runs"]
    small, good, large = (abs(runs[name][-1] - 3) for name in runs)
    assert good < 1e-6 < small < 5 < large  # the large one is further away than where it started
    assert large == pytest.approx(5 * 1.1**20)  # |1 - 2 * 1.05| = 1.1 per step, from distance 5


def test_the_learning_rate_threshold_is_one_over_a(snippet):
    descend = snippet("gradient_descent/learning_rates.py")["descend"]
    # f = (x - 3)^2 + 1 has a = 1: converges for lr < 1, diverges above.
    assert abs(descend(0.99, steps=2000)[-1] - 3) < 1e-6
    assert abs(descend(1.01, steps=2000)[-1] - 3) > 1e6


def test_the_start_decides_the_minimum(snippet):
    minima = snippet("gradient_descent/minima.py")
    ends = {x0: path[-1] for x0, path in minima["paths"].items()}
    assert ends[-2.0] == pytest.approx(ends[-0.5]) and ends[0.5] == pytest.approx(ends[2.0])
    for x in ends.values():
        assert abs(4 * x**3 - 6 * x + 1) < 1e-6  # a critical point
        assert 12 * x**2 - 6 > 0  # with positive curvature: a minimum
    f = minima["f"]
    assert f(ends[-2.0]) < f(ends[2.0])  # the left valley is the global minimum
    assert ends[-2.0] == pytest.approx(-1.3008, abs=1e-4) and ends[2.0] == pytest.approx(1.1309, abs=1e-4)


def test_a_saddle_holds_only_an_exact_start(snippet):
    saddle = snippet("gradient_descent/saddle.py")
    x, y = 1.0, 0.0
    for _ in range(100):
        x, y = saddle["step"](x, y)
    assert y == 0 and abs(x) < 1e-9
    assert saddle["y"] == pytest.approx(1e-6 * 1.2**100)  # y grows by 1 + 2 lr per step


def test_minima_become_rare_as_dimension_grows(snippet):
    saddle = snippet("gradient_descent/saddle.py")
    torch.manual_seed(1)  # an independent sample from the page's
    fractions = []
    for n in [1, 2, 3, 5]:
        A = torch.randn(4000, n, n)
        hessians = (A + A.transpose(1, 2)) / 2
        fractions.append((torch.linalg.eigvalsh(hessians) > 0).all(dim=1).float().mean().item())
    assert fractions[0] == pytest.approx(0.5, abs=0.03)
    assert fractions == sorted(fractions, reverse=True) and fractions[-1] < 0.005
    assert saddle["minima"] < 0.001  # dimension 8 on the page


def test_mini_batch_gradients_average_to_the_full_gradient(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    assert torch.allclose(run["average"], run["gradient"](run["theta"], torch.arange(run["N"])), atol=1e-12)


def test_sgd_makes_n_over_b_updates_per_epoch_and_reaches_the_floor_first(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    assert len(run["batch_losses"]) == run["epochs"] == 10
    assert len(run["sgd_losses"]) == run["epochs"] * run["N"] // run["B"] == 200
    assert run["sgd_losses"][-1] < 1.01 * run["best"]
    assert run["batch_losses"][-1] > 5 * run["best"]
    assert all(a > b for a, b in zip(run["batch_losses"], run["batch_losses"][1:]))  # batch GD: monotone


def test_exercise_threshold(snippet):
    distance_after = snippet("gradient_descent/exercises.py")["distance_after"]
    assert distance_after(0.19) < 0.01 and distance_after(0.21) > 100


def test_per_update_the_two_methods_progress_alike(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    for batch, sgd in zip(run["batch_losses"], run["sgd_losses"]):  # the first ten updates
        assert 0.7 < sgd / batch < 1.5
