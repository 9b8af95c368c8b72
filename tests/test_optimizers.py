"""Chapter 6, Optimizers and torch.optim: each from-scratch optimizer equals its torch.optim twin."""

import math

import pytest
import torch


@pytest.fixture(scope="module")
def scratch(snippet):
    return snippet("optimizers/from_scratch.py")


@pytest.mark.parametrize(
    ("step", "optimizer", "torch_hyper", "scratch_hyper"),
    [
        ("momentum_step", torch.optim.SGD, dict(lr=0.01, momentum=0.9), dict(lr=0.01, mu=0.9)),
        ("adagrad_step", torch.optim.Adagrad, dict(lr=0.1), dict(lr=0.1)),
        ("rmsprop_step", torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6), dict(lr=0.01, alpha=0.9, eps=1e-6)),
        ("adadelta_step", torch.optim.Adadelta, dict(lr=0.5, rho=0.8), dict(lr=0.5, rho=0.8)),
        ("adam_step", torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.99)), dict(lr=0.05, beta1=0.8, beta2=0.99)),
    ],
)
def test_from_scratch_equals_torch_optim_on_a_regression(scratch, step, optimizer, torch_hyper, scratch_hyper):
    """60 steps on a 5-parameter least-squares problem (other hyper-parameters than the page's)."""
    torch.manual_seed(3)
    X, y = torch.randn(40, 5, dtype=torch.float64), torch.randn(40, dtype=torch.float64)
    start = torch.randn(5, dtype=torch.float64)

    def loss(w):
        return ((X @ w - y) ** 2).mean()

    theirs = start.clone().requires_grad_()
    opt = optimizer([theirs], **torch_hyper)
    ours, state = start.clone(), {}
    for _ in range(60):
        opt.zero_grad()
        loss(theirs).backward()
        opt.step()
        q = ours.clone().requires_grad_()
        loss(q).backward()
        ours = scratch[step](ours, q.grad, state, **scratch_hyper)
        assert torch.allclose(ours, theirs.detach(), rtol=0, atol=1e-12)
    assert not torch.equal(ours, start)


def test_the_page_comparison_agrees_to_rounding(scratch):
    assert set(scratch["differences"]) == {"Momentum", "AdaGrad", "RMSProp", "AdaDelta", "Adam"}
    assert all(difference < 1e-12 for difference in scratch["differences"].values())


def test_momentum_first_step_is_plain_sgd_and_adam_first_step_is_lr_sized(scratch):
    g = torch.tensor([0.3, -4.0], dtype=torch.float64)
    p = torch.zeros(2, dtype=torch.float64)
    assert torch.allclose(scratch["momentum_step"](p, g, {}, lr=0.1), -0.1 * g)
    # Bias correction makes Adam's first step lr * g / |g|: every parameter moves by about lr.
    assert torch.allclose(scratch["adam_step"](p, g, {}, lr=0.1), -0.1 * torch.sign(g), atol=1e-7)


@pytest.fixture(scope="module")
def race(snippet):
    return snippet("optimizers/race.py")


def test_each_optimizer_races_at_the_best_learning_rate_of_one_shared_grid(race):
    """The procedure the page states: 13 log-spaced lrs from 0.01 to 100, the same for all, the final
    loss floored at 1e-12, diverged runs scored inf, the smallest lr among ties."""
    lrs = race["learning_rates"]
    assert len(lrs) == 13 and lrs[0] == pytest.approx(0.01) and lrs[-1] == pytest.approx(100)
    assert all(b / a == pytest.approx(10 ** (1 / 3)) for a, b in zip(lrs, lrs[1:]))
    for scores, best in [(race["scores"], race["best"]), (race["turned_scores"], race["turned_best"])]:
        assert set(scores) == set(best) == {"GD", "Momentum", "AdaGrad", "RMSProp", "Adam"}
        for name, values in scores.items():
            lr, path, losses = best[name]
            i = lrs.index(lr)
            assert values[i] == min(values) and all(value > values[i] for value in values[:i])
            assert values[i] == max(losses[-1], race["FLOOR"]) and len(losses) == 101 and len(path) == 101
        starts = {tuple(best[name][1][0].tolist()) for name in best}
        assert len(starts) == 1


def test_the_race_ranks_as_the_page_says(race):
    final = {name: race["best"][name][2][-1] for name in race["best"]}
    lr = {name: race["best"][name][0] for name in race["best"]}
    # AdaGrad and RMSProp reach the minimum; Adam and momentum end near 1e-4; GD a thousand times higher.
    assert final["AdaGrad"] < race["FLOOR"] and final["RMSProp"] < race["FLOOR"]
    assert all(1e-5 < final[name] < 3e-4 for name in ["Adam", "Momentum"])
    assert final["GD"] > 300 * max(final["Adam"], final["Momentum"])
    # The adaptive methods' first step moves both coordinates by the same amount: AdaGrad's by lr, RMSProp's by 10 lr.
    for name, factor in [("AdaGrad", 1), ("RMSProp", 10)]:
        first = race["best"][name][1][1] - race["best"][name][1][0]
        assert torch.allclose(first.abs(), torch.full((2,), factor * lr[name], dtype=torch.float64), rtol=1e-6)
    assert 10 * lr["RMSProp"] == pytest.approx(lr["AdaGrad"])  # "2.15 for both here"


def test_gd_is_capped_by_the_steep_direction(race):
    valley, lrs, scores = race["valley"], race["learning_rates"], race["scores"]["GD"]
    assert all(score == math.inf or score > 1e100 for lr, score in zip(lrs, scores) if lr > 1.01)
    assert scores[lrs.index(1.0)] == pytest.approx(4.0, abs=0.05)  # bounces between y = 2 and y = -2
    # Even just below the limit, the floor's share of the loss shrinks by at most 0.98**2 a step.
    bound = valley((-9.0, 0.0)) * 0.98**200
    assert min(scores) > bound > 1e-2 and bound == pytest.approx(0.014, abs=5e-4)  # "at least 0.014"
    _, losses = race["run"](torch.optim.SGD, {}, 0.999, valley, (-9.0, 2.0))
    assert losses[-1] > bound


def test_momentum_converges_at_rate_sqrt_mu_inside_its_band(race):
    low, high, mu = race["low"], race["high"], race["mu"]
    assert low == pytest.approx(0.1317, abs=1e-4) and high == pytest.approx(1.899, abs=1e-3)
    assert high > 1.8 * 1  # almost twice GD's limit of 1
    predicted = race["valley"]((-9.0, 2.0)) * mu**100
    lrs, scores = race["learning_rates"], race["scores"]["Momentum"]
    inside = [score for lr, score in zip(lrs, scores) if low <= lr <= high]
    assert len(inside) == 3 and all(predicted / 2 < score < 2 * predicted for score in inside)
    assert scores[lrs.index(0.1)] > 50 * predicted  # just below the band: over-damped along the floor
    assert all(score > 1e50 for lr, score in zip(lrs, scores) if lr > high)


def test_turning_the_valley_changes_only_the_adaptive_methods(race):
    aligned = {name: race["best"][name][2][-1] for name in race["best"]}
    turned = {name: race["turned_best"][name][2][-1] for name in race["turned_best"]}
    for name in ["GD", "Momentum"]:
        assert turned[name] == pytest.approx(aligned[name], rel=1e-6)
        assert race["turned_best"][name][0] == race["best"][name][0]
    for name in ["AdaGrad", "RMSProp"]:
        assert turned[name] > 100 * turned["Momentum"] and turned[name] < turned["GD"]
    assert turned["Adam"] == min(turned.values())


def test_adagrad_effective_learning_rate_shrinks_rmsprops_does_not(snippet):
    run = snippet("optimizers/effective_lr.py")
    adagrad, rmsprop, corrected = run["adagrad_lr"], run["rmsprop_lr"], run["corrected_lr"]
    assert all(a > b for a, b in zip(adagrad, adagrad[1:]))
    assert adagrad[-1] < adagrad[0] / 50 and adagrad[-1] < 0.01 < 0.3 < adagrad[0]
    assert rmsprop[-1] == pytest.approx(0.1, rel=0.2)  # about lr / |g| with |g| about 1
    # RMSProp's first effective lr is 1 / sqrt(1 - alpha) = 10 times AdaGrad's: v starts at 0, uncorrected.
    assert rmsprop[0] / adagrad[0] == pytest.approx(1 / math.sqrt(1 - run["alpha"]), rel=1e-6)
    assert rmsprop[0] / adagrad[0] == pytest.approx(10, rel=1e-6)
    # With Adam's bias correction it starts where AdaGrad does and settles at the same level as RMSProp.
    assert corrected[0] == pytest.approx(adagrad[0], rel=1e-6)
    assert corrected[-1] == pytest.approx(rmsprop[-1], rel=0.1) and max(corrected) < 2 * corrected[0]


def test_rmsprop_first_step_is_ten_times_lr_in_torch_optim():
    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.RMSprop([p], lr=0.01)
    p.grad = torch.tensor([-4.0, 0.3], dtype=torch.float64)
    optimizer.step()
    assert torch.allclose(p.detach(), 0.1 * torch.tensor([1.0, -1.0], dtype=torch.float64), rtol=1e-6)


def test_exercise_solutions(snippet):
    run = snippet("optimizers/exercises.py")
    # Exercise 3: the reader's Nesterov step with weight decay matches torch.optim.SGD.
    assert (run["ours"] - run["theirs"].detach()).abs().max() < 1e-12
    assert not torch.allclose(run["ours"], torch.tensor([-1.5, 2.0], dtype=torch.float64))
    state, p, g = {}, torch.tensor([1.0, -2.0]), torch.tensor([0.5, 0.5])
    first = run["nesterov_step"](p, g, state, lr=0.1, mu=0.9, weight_decay=0.1)
    assert torch.allclose(first, p - 0.1 * 1.9 * (g + 0.1 * p))  # b_1 = g_1, step along g + mu b


def test_exercise_1_adams_first_step_is_lr_times_the_sign():
    p = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.Adam([p], lr=0.1)
    p.grad = torch.tensor([-4.0, 0.3])
    optimizer.step()
    assert torch.allclose(p.detach(), torch.tensor([0.1, -0.1]))


def test_exercise_2_adagrad_step_halves_when_t_quadruples_and_rmsprop_levels_off():
    p_adagrad, p_rmsprop = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)
    adagrad, rmsprop = torch.optim.Adagrad([p_adagrad], lr=0.1), torch.optim.RMSprop([p_rmsprop], lr=0.1)
    steps = {1: [], 2: []}
    for _ in range(256):
        for key, p, optimizer in [(1, p_adagrad, adagrad), (2, p_rmsprop, rmsprop)]:
            before = p.item()
            optimizer.zero_grad()
            p.sum().backward()
            optimizer.step()
            steps[key].append(before - p.item())
    for t in [1, 4, 16, 64]:
        assert steps[1][4 * t - 1] == pytest.approx(steps[1][t - 1] / 2, rel=1e-4)
    assert steps[2][0] == pytest.approx(1.0, rel=1e-6) and steps[2][-1] == pytest.approx(0.1, rel=0.05)


def test_torch_optim_usage(snippet):
    usage = snippet("optimizers/usage.py")
    assert torch.optim.SGD(usage["linear_model"].parameters()).defaults["lr"] == 0.001
    assert torch.optim.Adam(usage["linear_model"].parameters()).defaults["lr"] == 0.001
    groups = usage["optimizer"].param_groups
    assert [group["lr"] for group in groups] == [0.1]  # the last optimizer: Adam with one group
    model = usage["model"]
    assert not torch.equal(usage["before"][0], model[0].weight.detach())
    assert torch.equal(usage["before"][1], model[0].bias.detach())  # no .grad: skipped
    assert set(usage["optimizer"].state[model[2].weight]) == {"step", "exp_avg", "exp_avg_sq"}


def test_parameter_groups_keep_their_own_learning_rate():
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    optimizer = torch.optim.SGD(
        [{"params": model[0].parameters(), "lr": 0.01}, {"params": model[2].parameters()}], lr=0.1
    )
    model(torch.ones(1, 3)).sum().backward()
    before = model[2].bias.detach().clone(), model[0].bias.detach().clone()
    optimizer.step()
    assert torch.allclose(model[2].bias.detach(), before[0] - 0.1 * model[2].bias.grad)
    assert torch.allclose(model[0].bias.detach(), before[1] - 0.01 * model[0].bias.grad)
