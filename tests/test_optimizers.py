"""Chapter 6, Optimizers and torch.optim: each from-scratch optimizer equals its torch.optim twin."""

import gzip
import inspect
import io
import math

import pytest
import torch
from conftest import slider_fence, snippet_figures


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


def test_the_score_is_the_largest_of_the_last_ten_losses_and_inf_for_a_run_that_ends_above_its_start(race):
    score, floor = race["score"], race["FLOOR"]
    losses = [5.0] + [1.0] * 90 + [1e-3, 2e-5, 1e-3, 2e-5, 1e-3, 2e-5, 1e-3, 2e-5, 1e-3, 2e-5]
    assert score(losses) == 1e-3  # the tops of the swings, not the last loss
    assert score(losses[:-1] + [1e-20]) == 1e-3
    assert score([5.0] * 91 + [1e-20] * 10) == floor
    assert score([5.0] * 100 + [6.0]) == math.inf and score([5.0] * 100 + [math.nan]) == math.inf
    assert score([5.0] * 100 + [math.inf]) == math.inf


def test_each_optimizer_races_at_the_best_learning_rate_of_one_shared_grid(race):
    """The procedure the page states: 13 log-spaced lrs from 0.01 to 100, the same for all, the largest
    loss of steps 91-100 floored at 1e-12, diverged runs scored inf, the smallest lr among ties."""
    lrs = race["learning_rates"]
    assert len(lrs) == 13 and lrs[0] == pytest.approx(0.01) and lrs[-1] == pytest.approx(100)
    assert all(b / a == pytest.approx(10 ** (1 / 3)) for a, b in zip(lrs, lrs[1:]))
    for scores, best in [(race["scores"], race["best"]), (race["turned_scores"], race["turned_best"])]:
        assert set(scores) == set(best) == {"GD", "Momentum", "AdaGrad", "RMSProp", "Adam"}
        for name, values in scores.items():
            lr, path, losses = best[name]
            i = lrs.index(lr)
            assert values[i] == min(values) and all(value > values[i] for value in values[:i])
            assert values[i] == max(*losses[91:], race["FLOOR"]) and len(losses) == 101 and len(path) == 101
        starts = {tuple(best[name][1][0].tolist()) for name in best}
        assert len(starts) == 1


def test_the_race_ranks_as_the_page_says(race):
    final = {name: race["best"][name][2][-1] for name in race["best"]}
    lr = {name: race["best"][name][0] for name in race["best"]}
    score = {name: race["score"](race["best"][name][2]) for name in race["best"]}
    # AdaGrad and RMSProp reach the minimum; Adam and momentum score near 1e-4; GD hundreds of times higher.
    assert score["AdaGrad"] == score["RMSProp"] == race["FLOOR"]
    assert final["AdaGrad"] < 1e-13 and 1e-19 < final["RMSProp"] < 1e-17  # the alt text: below 1e-13, about 1e-18
    assert all(1e-4 < score[name] < 5e-4 for name in ["Adam", "Momentum"])
    assert 100 * max(score["Adam"], score["Momentum"]) < score["GD"] < 1000 * max(score["Adam"], score["Momentum"])
    # Adam, with momentum inside, overshoots the minimum (x = 0) as momentum does, and ends at its level.
    for name in ["Adam", "Momentum"]:
        assert race["best"][name][1][:, 0].max() > 0.5
    assert score["Momentum"] / 3 < score["Adam"] < score["Momentum"] and final["Adam"] > 1e6 * final["RMSProp"]
    # The adaptive methods' first step moves both coordinates by the same amount: AdaGrad's by lr, RMSProp's by 10 lr.
    for name, factor in [("AdaGrad", 1), ("RMSProp", 10)]:
        first = race["best"][name][1][1] - race["best"][name][1][0]
        assert torch.allclose(first.abs(), torch.full((2,), factor * lr[name], dtype=torch.float64), rtol=1e-6)
    assert 10 * lr["RMSProp"] == pytest.approx(lr["AdaGrad"])  # "2.15 for both here"


def test_gd_is_capped_by_the_steep_direction(race):
    valley, lrs, scores = race["valley"], race["learning_rates"], race["scores"]["GD"]
    assert all(score == math.inf for lr, score in zip(lrs, scores) if lr > 1.01)
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
    predicted = race["valley"]((-9.0, 2.0)) * mu**91  # the tops of the swings at step 91
    assert predicted == pytest.approx(3.3e-4, abs=5e-6)
    lrs, scores = race["learning_rates"], race["scores"]["Momentum"]
    inside = [score for lr, score in zip(lrs, scores) if low <= lr <= high]
    assert len(inside) == 3 and all(predicted / 1.5 < score < 1.5 * predicted for score in inside)
    assert 30 * predicted < scores[lrs.index(0.1)] < 50 * predicted  # just below the band: "about forty times"
    assert all(score == math.inf for lr, score in zip(lrs, scores) if lr > high)


def test_momentum_recursion_diverges_only_past_2_1_plus_mu_not_at_the_band_end():
    """Between (1 + sqrt(mu))**2 = 3.797 and 2 (1 + mu) = 3.8 the recursion is stable; below the band it never
    changes sign (over-damped), inside it it swings."""
    mu = 0.9

    def path(eta_lambda, steps=20000):
        theta = [1.0, 1.0]
        for _ in range(steps):
            theta.append(theta[-1] - eta_lambda * theta[-1] + mu * (theta[-1] - theta[-2]))
        return theta

    assert (1 + mu**0.5) ** 2 == pytest.approx(3.797, abs=1e-3) and 2 * (1 + mu) == pytest.approx(3.8)
    assert abs(path(3.799)[-1]) < 1e-3 and abs(path(3.801)[-1]) > 1e3
    assert all(theta > 0 for theta in path(0.5 * (1 - mu**0.5) ** 2, 2000))
    assert any(theta < 0 for theta in path(0.5, 100))


def test_turning_the_valley_changes_only_the_adaptive_methods(race):
    aligned = {name: race["best"][name][2][-1] for name in race["best"]}
    turned = {name: race["turned_best"][name][2][-1] for name in race["turned_best"]}
    for name in ["GD", "Momentum"]:
        assert turned[name] == pytest.approx(aligned[name], rel=1e-6)
        assert race["turned_best"][name][0] == race["best"][name][0]
    score = {name: race["turned_scores"][name][race["learning_rates"].index(race["turned_best"][name][0])]
             for name in turned}
    for name in ["AdaGrad", "RMSProp"]:
        assert score[name] > 100 * score["Momentum"] and score["GD"] / 5 < score[name] < score["GD"] / 1.5
    # Adam and momentum are level: scores within 15%, while their final losses are ten times apart and each
    # loss swings by more than that over the last ten steps.
    assert abs(score["Adam"] / score["Momentum"] - 1) < 0.15
    assert 8 < max(turned["Adam"], turned["Momentum"]) / min(turned["Adam"], turned["Momentum"]) < 12
    for name in ["Adam", "Momentum"]:
        last_ten = race["turned_best"][name][2][-10:]
        assert max(last_ten) / min(last_ten) > 12


def test_a_tuned_momentum_closes_the_band_and_beats_the_race(race):
    mu, lr = race["tuned_mu"], race["tuned_lr"]
    lambda_min, lambda_max = race["lambda_min"], race["lambda_max"]
    assert mu == pytest.approx(0.67, abs=0.005) and lr == pytest.approx(1.65, abs=0.005)
    # the band's two ends meet at this mu, with this lr
    assert (1 - mu**0.5) ** 2 / lambda_min == pytest.approx(lr) == pytest.approx((1 + mu**0.5) ** 2 / lambda_max)
    tuned = race["tuned_scores"]
    assert set(tuned) == {"valley", "turned"}
    assert tuned["valley"] == pytest.approx(tuned["turned"], rel=1e-6) and 1e-11 < tuned["valley"] < 2e-11
    assert tuned["valley"] < race["scores"]["Momentum"][race["learning_rates"].index(race["best"]["Momentum"][0])] / 1e7
    turned_scores = {name: min(values) for name, values in race["turned_scores"].items()}
    assert tuned["turned"] < min(turned_scores.values()) / 1e6  # far ahead of every other optimizer
    aligned = {name: min(values) for name, values in race["scores"].items()}
    assert {name for name, value in aligned.items() if value < tuned["valley"]} == {"AdaGrad", "RMSProp"}


def test_the_grid_figure_as_its_alt_text_describes_it(race):
    lrs, scores = race["learning_rates"], race["scores"]
    for i, lr in enumerate(lrs):
        others = [scores[name][i] for name in scores if name != "GD" and scores[name][i] < math.inf]
        if 0.2 < lr <= 1.0:
            assert scores["GD"][i] > max(others)  # GD's curve is the highest from 0.2 on
        if lr <= 0.1:
            assert scores["AdaGrad"][i] > scores["GD"][i]
    assert scores["Adam"][0] > scores["GD"][0] and scores["Adam"][1] < scores["GD"][1]
    assert all(1e-4 < score < 6e-4 for lr, score in zip(lrs, scores["Adam"]) if 0.2 < lr < 5)
    assert all(score == race["FLOOR"] for lr, score in zip(lrs, scores["RMSProp"]) if lr > 0.2)
    assert all(score == race["FLOOR"] for lr, score in zip(lrs, scores["AdaGrad"]) if lr > 2)
    assert scores["AdaGrad"][lrs.index(1.0)] > race["FLOOR"] and scores["RMSProp"][lrs.index(0.1)] > race["FLOOR"]


# --- The momentum slider (momentum.py) and the race step by step (race.py:race_steps) ------------


@pytest.fixture(scope="module")
def sweep(snippet):
    return snippet("optimizers/momentum.py")


def slider_values(page: str, section: str) -> list[str]:
    """The values of the slider on the fence of docs/<page> that includes snippets/optimizers/<section>."""
    return list(slider_fence(page, f"optimizers/{section}")[0].values)


def frames_as_drawn(figures: list) -> None:
    """One frame per value: the same size and the same axes' limits in every frame, and all of them
    together light enough for the page: under 120 KiB of gzipped SVG in English, as drawn here, which
    leaves room for the Korean frames' heavier text within tests/test_site.py's 150 KiB."""
    assert len({tuple(figure.get_size_inches()) for figure in figures}) == 1
    limits = {tuple((ax.get_xlim(), ax.get_ylim()) for ax in figure.axes) for figure in figures}
    assert len(limits) == 1
    sizes = []
    for figure in figures:
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg")
        sizes.append(len(gzip.compress(buffer.getvalue().encode())))
    assert sum(sizes) < 120 * 1024


def test_the_momentum_slider_has_one_frame_per_mu_in_both_languages(sweep):
    mus = sweep["mus"]
    assert mus == [0.0, 0.5, 0.75, 0.9, 0.95, 0.99] and list(sweep["runs"]) == mus
    for page in ["optimizers.md", "optimizers.ko.md"]:
        assert slider_values(page, "momentum.py:sweep_plot") == [f"{mu:g}" for mu in mus]
    frames = snippet_figures("optimizers/momentum.py")
    assert len(frames) == len(mus)
    for figure, mu in zip(frames, mus):
        titles = [f"momentum μ = {mu:g}, lr 0.95: the path", f"loss, μ = {mu:g}"]
        assert [ax.get_title() for ax in figure.axes] == titles
    frames_as_drawn(frames)
    assert frames[0].axes[1].get_ylim()[0] < min(min(losses) for _, losses in sweep["runs"].values())


def test_the_momentum_sweep_is_the_race_s_momentum_at_one_learning_rate(sweep, race):
    """torch.optim.SGD from the race's start on the race's valley, 100 steps at lr 0.95."""
    assert inspect.signature(sweep["descend"]).parameters["lr"].default == 0.95
    for mu, (path, losses) in sweep["runs"].items():
        assert len(path) == len(losses) == 101 and path[0].tolist() == [-9.0, 2.0]
        assert losses == pytest.approx([race["valley"](p).item() for p in path], rel=1e-12)
        theirs, _ = race["run"](torch.optim.SGD, dict(momentum=mu), 0.95, race["valley"], (-9.0, 2.0))
        assert torch.allclose(path, theirs, rtol=0, atol=1e-12)
    assert sweep["runs"][0.0][1][0] == pytest.approx(4.81)  # "from 4.81 at the start"


def rates(mu: float, eta_lambda: float) -> list[float]:
    """How much each of the two modes of momentum's recursion shrinks a step along a direction of
    curvature lambda: theta_{t+1} = (1 + mu - eta lambda) theta_t - mu theta_{t-1}."""
    roots = torch.linalg.eigvals(torch.tensor([[1 + mu - eta_lambda, -mu], [1.0, 0.0]], dtype=torch.float64))
    return sorted(roots.abs().tolist())


def test_gd_zig_zags_across_and_crawls_along(sweep):
    path, losses = sweep["runs"][0.0]
    assert all(b / a == pytest.approx(-0.9) for a, b in zip(path[:-1, 1], path[1:, 1]))  # 1 - 2 * 0.95
    assert all(b / a == pytest.approx(0.981) for a, b in zip(path[:-1, 0], path[1:, 0]))  # 1 - 0.02 * 0.95
    assert path[20:, 1].abs().max() == pytest.approx(0.24, abs=0.005)
    assert 9 + path[10, 0] == pytest.approx(1.57, abs=0.005) and 9 + path[100, 0] == pytest.approx(7.68, abs=0.005)
    assert path[100, 0] == pytest.approx(-1.32, abs=0.005)  # the alt text
    assert losses[100] == pytest.approx(0.017, abs=5e-4) and max(losses[91:]) == pytest.approx(2.5e-2, rel=0.02)


def test_half_momentum_damps_the_zig_zag_and_doubles_the_pace(sweep):
    gd = sweep["runs"][0.0][1][100]
    path, losses = sweep["runs"][0.5]
    assert path[20:, 1].abs().max() < 0.003
    assert rates(0.5, 2 * 0.95) == pytest.approx([0.5**0.5] * 2)
    # along the floor: over-damped, creeping as GD would with twice the learning rate
    slow = rates(0.5, 0.02 * 0.95)[-1]
    assert slow == pytest.approx(0.960, abs=5e-4)
    assert all(b / a == pytest.approx(slow, abs=1e-6) for a, b in zip(path[50:-1, 0], path[51:, 0]))
    assert (1 - slow) / (1 - 0.981) == pytest.approx(2, rel=0.1)  # "only twice as fast as GD"
    assert path[:, 0].max() == path[100, 0] == pytest.approx(-0.17, abs=0.005)  # stops short of the minimum
    assert losses[100] == pytest.approx(2.7e-4, rel=0.02) and 55 < gd / losses[100] < 70  # "60 times lower"


def test_three_quarters_is_the_best_of_the_six_just_past_where_the_floor_swings(sweep, race):
    runs = sweep["runs"]
    path, losses = runs[0.75]
    assert min(runs, key=lambda mu: runs[mu][1][100]) == min(runs, key=lambda mu: max(runs[mu][1][91:])) == 0.75
    assert losses[100] == pytest.approx(3.7e-12, rel=0.02) and runs[0.0][1][100] / losses[100] > 1e9
    assert 1.5e-5 < path[:, 0].max() < 2.5e-5  # it passes x = 0 only invisibly: "2e-5"
    assert path[20:, 1].abs().max() == pytest.approx(0.12, abs=0.005)
    assert 0.45 < path[20:, 1].abs().max() / runs[0.0][0][20:, 1].abs().max() < 0.55  # "half GD's"
    assert path[20:, 1].abs().max() > runs[0.5][0][20:, 1].abs().max()  # "for longer than with 0.5"
    # the floor starts to swing at the band's lower end, read for lr 0.95
    critical = (1 - (0.02 * 0.95) ** 0.5) ** 2
    assert critical == pytest.approx(0.743, abs=5e-4) and critical < 0.75
    assert rates(critical - 0.01, 0.019)[0] != pytest.approx(rates(critical - 0.01, 0.019)[1])  # over-damped
    assert rates(0.75, 0.019) == pytest.approx([0.75**0.5] * 2) and rates(0.75, 1.9) == pytest.approx([0.75**0.5] * 2)
    assert 0.75**0.5 == pytest.approx(0.87, abs=0.005)
    # scanning mu finely, the best score lies at the critical mu
    scores = {mu: max(sweep["descend"](mu)[1][91:]) for mu in [0.70, 0.72, 0.74, 0.75, 0.76, 0.78, 0.80]}
    assert min(scores, key=scores.get) in {0.74, 0.75}


def test_too_much_momentum_overshoots_and_keeps_swinging(sweep):
    runs, gd = sweep["runs"], sweep["runs"][0.0][1]
    path, losses = runs[0.9]
    assert next(step for step, x in enumerate(path[:, 0]) if x > 0) == 15
    assert path[:, 0].max() == pytest.approx(2.56, abs=0.005)
    assert path[20:, 1].abs().max().item() == pytest.approx(0.70, abs=0.005)
    assert path[20:, 1].abs().max() > runs[0.0][0][20:, 1].abs().max()
    assert losses[100] == pytest.approx(1.3e-4, rel=0.03) and max(losses[91:]) == pytest.approx(2.7e-4, rel=0.02)
    assert 100 < gd[100] / losses[100] < 200  # "a hundred times below GD's"
    assert [runs[mu][0][:, 0].max().item() for mu in [0.95, 0.99]] == pytest.approx([5.01, 8.04], abs=0.005)
    assert max(runs[0.95][1][91:]) == pytest.approx(7.9e-2, rel=0.02) and max(runs[0.95][1][91:]) > max(gd[91:])
    path, losses = runs[0.99]
    assert losses[100] == pytest.approx(1.9, abs=0.05) and path[:, 0].min() == -9.0
    assert min(losses) == pytest.approx(0.11, abs=0.005) and max(losses) == pytest.approx(6.8, abs=0.05)
    # every larger mu shrinks the swings more slowly, in both directions: sqrt(mu) a step
    for mu, rate, rounding in [(0.9, 0.95, 0.005), (0.99, 0.995, 0.0005)]:
        assert rates(mu, 1.9) == pytest.approx([mu**0.5] * 2) and rates(mu, 0.019) == pytest.approx([mu**0.5] * 2)
        assert mu**0.5 == pytest.approx(rate, abs=rounding)


def test_a_steady_gradient_makes_momentum_s_step_1_over_1_minus_mu_times_gd_s():
    for mu in [0.5, 0.75, 0.9, 0.99]:
        p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        optimizer = torch.optim.SGD([p], lr=0.1, momentum=mu)
        for _ in range(3000):
            before = p.detach().clone()
            optimizer.zero_grad()
            (3 * p).sum().backward()  # the gradient is 3 everywhere
            optimizer.step()
        assert (before - p.detach()).item() == pytest.approx(0.1 * 3 / (1 - mu))


def test_the_race_step_by_step_draws_every_optimizer_up_to_each_step(race):
    steps, best = race["shown_steps"], race["best"]
    assert steps == [1, 5, 10, 20, 40, 70, 100]
    for page in ["optimizers.md", "optimizers.ko.md"]:
        assert slider_values(page, "race.py:race_steps") == [str(step) for step in steps]
    frames = snippet_figures("optimizers/race.py")[-len(steps) :]
    for figure, step in zip(frames, steps):
        (ax,) = figure.axes
        assert ax.get_title() == f"step {step} of 100"
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == [f"{name}: loss {best[name][2][step]:.1e}" for name in best]
        lines = {line.get_label(): line for line in ax.get_lines()}
        for name, (_, path, _) in best.items():
            marker = lines[labels[list(best).index(name)]]
            assert (marker.get_xdata()[0], marker.get_ydata()[0]) == (path[step, 0], path[step, 1])
        assert max(len(line.get_xdata()) for line in ax.get_lines()) == step + 1
    frames_as_drawn(frames)


# Where each optimizer is, and its loss, at the steps the alt texts of the step slider describe.
RACE_ALT_TEXTS = {
    1: {"AdaGrad": (-6.85, -0.15, 0.49), "RMSProp": (-6.85, -0.15, 0.49), "GD": (-8.92, 0.14, 0.82),
        "Momentum": (-8.92, 0.14, 0.82), "Adam": (-8.0, 1.0, 1.6)},
    5: {"AdaGrad": (-3.3, None, 0.11), "RMSProp": (-3.2, None, 0.10), "Momentum": (-7.93, 1.38, 2.5),
        "Adam": (-4.09, -1.17, 1.5), "GD": (-8.59, None, 0.74)},
    10: {"AdaGrad": (-1.5, None, 0.022), "RMSProp": (-1.4, None, 0.020), "Adam": (0.07, None, 0.13),
         "Momentum": (-5.81, None, 0.40), "GD": (-8.20, None, 0.67)},
    20: {"AdaGrad": (None, None, 1.0e-3), "RMSProp": (None, None, 7.7e-4), "Adam": (2.44, None, 0.29),
         "Momentum": (-1.46, None, 0.28), "GD": (-7.47, None, 0.56)},
    40: {"AdaGrad": (None, None, 2.4e-6), "RMSProp": (None, None, 6.5e-7), "Momentum": (1.20, None, 0.039),
         "Adam": (-0.82, None, 6.7e-3), "GD": (-6.20, None, 0.38)},
    70: {"Momentum": (None, None, 2.6e-3), "Adam": (None, None, 2.1e-3), "AdaGrad": (None, None, 2.6e-10),
         "RMSProp": (None, None, 3.2e-12), "GD": (-4.69, None, 0.22)},
    100: {"GD": (-3.54, None, 0.13), "Momentum": (None, None, 1.3e-4), "Adam": (None, None, 9.0e-5),
          "AdaGrad": (None, None, 2.9e-14), "RMSProp": (None, None, 1.7e-18)},
}


def test_the_race_step_by_step_as_its_alt_texts_describe_it(race):
    best = race["best"]
    for step, described in RACE_ALT_TEXTS.items():
        for name, (x, y, loss) in described.items():
            _, path, losses = best[name]
            digits = len(f"{x}".split(".")[1]) if x is not None else 0
            if x is not None:
                assert path[step, 0].item() == pytest.approx(x, abs=0.5 * 10**-max(digits, 1) + 1e-9), (step, name)
            if y is not None:
                assert path[step, 1].item() == pytest.approx(y, abs=0.005), (step, name)
            assert float(f"{losses[step]:.2g}") == pytest.approx(loss, rel=0.06), (step, name)
    assert all(best[name][1][70].norm() < 0.21 for name in ["Momentum", "Adam"])


def test_the_race_step_by_step_as_the_page_tells_it(race):
    best = race["best"]
    path = {name: best[name][1] for name in best}
    losses = {name: best[name][2] for name in best}
    # Who leaves first: AdaGrad and RMSProp, 2.15 in each coordinate, a quarter of the way along the floor.
    assert torch.allclose(path["AdaGrad"][1], path["RMSProp"][1], atol=1e-5)
    assert path["AdaGrad"][1][0] + 9 == pytest.approx(2.15, abs=0.005) and 0.23 < 2.15 / 9 < 0.25
    assert torch.equal(path["GD"][1], path["Momentum"][1]) and path["GD"][1][0] + 9 == pytest.approx(0.08, abs=0.005)
    assert (path["Adam"][1] - path["Adam"][0]).abs().tolist() == pytest.approx([1.0, 1.0], abs=1e-6)
    for step in race["shown_steps"]:
        leaders = sorted(losses, key=lambda name: losses[name][step])[:2]
        assert set(leaders) == {"AdaGrad", "RMSProp"}, step
    # Who zig-zags: momentum, across the floor and back; Adam sweeps below the floor in one arc.
    assert path["Momentum"][3][1] == pytest.approx(-1.74, abs=0.005)
    assert path["Momentum"][5][1] == pytest.approx(1.38, abs=0.005)
    assert all(y < 0 for y in path["Adam"][3:9, 1]) and path["Adam"][5][1] == pytest.approx(-1.17, abs=0.005)
    assert all(y > 0 for y in path["Adam"][9:12, 1]) and all(y > 0 for y in path["Adam"][1:3, 1])  # one arc

    def first_past(name):
        return next(step for step, x in enumerate(path[name][:, 0]) if x >= 0)

    # Who overshoots: Adam first, at step 10, on to 2.65 at step 18; momentum at step 25, to 1.25 at step 37.
    assert first_past("Adam") == 10 and first_past("Momentum") == 25
    assert all(path[name][:, 0].max() < 0 for name in ["GD", "AdaGrad", "RMSProp"])
    for name, top, step in [("Adam", 2.65, 18), ("Momentum", 1.25, 37)]:
        assert path[name][:, 0].max() == pytest.approx(top, abs=0.005) and path[name][:, 0].argmax() == step
        assert 1.5e-3 < losses[name][70] < 3e-3 and 5e-5 < losses[name][100] < 2e-4
    # Who arrives: AdaGrad and RMSProp; GD last at every step from 19 on, 5.46 of 9 units along.
    for name in ["AdaGrad", "RMSProp"]:
        assert path[name][20].norm() < 0.33 and 7e-4 < losses[name][20] < 1.1e-3 and losses[name][40] < 3e-6
    last = [step for step in range(101) if losses["GD"][step] < max(losses[name][step] for name in losses)]
    assert last[-1] == 18
    assert path["GD"][100][0] + 9 == pytest.approx(5.46, abs=0.005)
    assert losses["GD"][100] == pytest.approx(0.13, abs=0.005)


def test_adagrad_effective_learning_rate_shrinks_rmsprops_does_not(snippet):
    run = snippet("optimizers/effective_lr.py")
    adagrad, rmsprop, corrected = run["adagrad_lr"], run["rmsprop_lr"], run["corrected_lr"]
    assert run["gradients"][0] == 1.0 and abs(run["gradients"].mean().item() - 1) < 0.05
    assert all(a > b for a, b in zip(adagrad, adagrad[1:]))
    assert adagrad[0] == pytest.approx(0.1) and rmsprop[0] == pytest.approx(1.0) and corrected[0] == pytest.approx(0.1)
    assert adagrad[-1] < adagrad[0] / 10 and adagrad[-1] < 0.01
    assert rmsprop[-1] == pytest.approx(0.1, rel=0.2)  # about lr / |g| with |g| about 1
    # RMSProp's first effective lr is 1 / sqrt(1 - alpha) = 10 times AdaGrad's: v starts at 0, uncorrected.
    assert rmsprop[0] / adagrad[0] == pytest.approx(1 / math.sqrt(1 - run["alpha"]), rel=1e-6)
    assert rmsprop[0] / adagrad[0] == pytest.approx(10, rel=1e-6)
    # With Adam's bias correction it starts where AdaGrad does and settles at the same level as RMSProp.
    assert corrected[0] == pytest.approx(adagrad[0], rel=1e-6)
    assert corrected[-1] == pytest.approx(rmsprop[-1], rel=0.1) and max(corrected) < 2 * corrected[0]
    assert all(0.08 < value < 0.13 for value in corrected)  # "stays near 0.1 throughout"


def test_rmsprop_first_step_is_ten_times_lr_in_torch_optim():
    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.RMSprop([p], lr=0.01)
    p.grad = torch.tensor([-4.0, 0.3], dtype=torch.float64)
    optimizer.step()
    assert torch.allclose(p.detach(), 0.1 * torch.tensor([1.0, -1.0], dtype=torch.float64), rtol=1e-6)


# --- Check yourself (exercises.py) --------------------------------------------------------------

_ADAGRAD = "def adagrad_move(t, lr):\n    return lr / t**0.5\n"
_RMSPROP = "def rmsprop_move(t, lr, alpha=0.99):\n    return lr / (1 - alpha**t) ** 0.5\n"


def _nesterov_step(body: str) -> str:
    return "def nesterov_step(p, g, state, lr, mu=0.9, weight_decay=0.0):\n" + body


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
WRONG_ANSWERS = {
    "adam_first": [
        # no bias correction: m_1 = (1 - beta1) g and v_1 = (1 - beta2) g^2
        (
            "def adam_first_move(g, lr):\n"
            "    m, v = 0.1 * g, 0.001 * g**2\n"
            "    return -lr * m / (v.sqrt() + 1e-8)\n",
            "Adam moves the parameters by",
        ),
        # plain gradient descent's step
        ("def adam_first_move(g, lr):\n    return -lr * g\n", "Adam moves the parameters by"),
        # g / |g| without epsilon: 0 / 0 where the gradient is 0
        ("def adam_first_move(g, lr):\n    return -lr * g / g.abs()\n", "Adam moves the parameters by"),
        # along the gradient
        ("def adam_first_move(g, lr):\n    return lr * torch.sign(g)\n", "against the gradient"),
        # one number for all the parameters: the size of the step
        ("def adam_first_move(g, lr):\n    return torch.tensor(lr)\n", "one change per parameter"),
    ],
    "adagrad": [
        # the sum of squares without its root
        ("def adagrad_move(t, lr):\n    return lr / t\n" + _RMSPROP, "AdaGrad moves"),
        # exercise 1's signed change, not the distance the docstring asks for
        ("def adagrad_move(t, lr):\n    return -lr / t**0.5\n" + _RMSPROP, "your adagrad_move says -"),
        # RMSProp as if it corrected its average as Adam does: the step is lr from the start
        (_ADAGRAD + "def rmsprop_move(t, lr, alpha=0.99):\n    return lr\n", "RMSProp moves"),
        # the first step's size for ever: the average taken as (1 - alpha) g^2 at every step
        (_ADAGRAD + "def rmsprop_move(t, lr, alpha=0.99):\n    return lr / (1 - alpha) ** 0.5\n", "RMSProp moves"),
    ],
    "nesterov": [
        # plain momentum: no look-ahead
        (
            _nesterov_step(
                "    g = g + weight_decay * p\n"
                "    b = g.clone() if 'b' not in state else mu * state['b'] + g\n"
                "    state['b'] = b\n"
                "    return p - lr * b\n"
            ),
            "without weight decay, after step 1",
        ),
        # the decay added to the step but left out of the velocity
        (
            _nesterov_step(
                "    b = g.clone() if 'b' not in state else mu * state['b'] + g\n"
                "    state['b'] = b\n"
                "    return p - lr * (g + weight_decay * p + mu * b)\n"
            ),
            "with weight_decay = 0.2",
        ),
        # looking ahead with the previous step's velocity
        (
            _nesterov_step(
                "    g = g + weight_decay * p\n"
                "    new = p - lr * (g + mu * state.get('b', torch.zeros_like(g)))\n"
                "    state['b'] = mu * state['b'] + g if 'b' in state else g.clone()\n"
                "    return new\n"
            ),
            "your parameters differ from torch.optim.SGD's",
        ),
        # updated in place, as torch.optim does, but not returned
        (
            _nesterov_step(
                "    g = g + weight_decay * p\n"
                "    b = g.clone() if 'b' not in state else mu * state['b'] + g\n"
                "    state['b'] = b\n"
                "    p -= lr * (g + mu * b)\n"
            ),
            "return the new parameters",
        ),
    ],
}


@pytest.fixture(scope="module")
def ex(snippet):
    return snippet("optimizers/exercises.py")


def test_exercise_solutions(ex):
    # Exercise 3: the reader's Nesterov step with weight decay matches torch.optim.SGD.
    assert (ex["ours"] - ex["theirs"].detach()).abs().max() < 1e-12
    assert not torch.allclose(ex["ours"], torch.tensor([-1.5, 2.0], dtype=torch.float64))
    state, p, g = {}, torch.tensor([1.0, -2.0]), torch.tensor([0.5, 0.5])
    first = ex["nesterov_step"](p, g, state, lr=0.1, mu=0.9, weight_decay=0.1)
    assert torch.allclose(first, p - 0.1 * 1.9 * (g + 0.1 * p))  # b_1 = g_1, step along g + mu b


def test_exercise_1_adams_first_step_is_lr_times_the_sign(ex):
    p = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.Adam([p], lr=0.1)
    p.grad = torch.tensor([-4.0, 0.3])
    optimizer.step()
    assert torch.allclose(p.detach(), torch.tensor([0.1, -0.1]))
    # The solution's formula gives the same moves, the page's +0.1 and -0.1, 13 times apart in gradient.
    assert torch.allclose(ex["adam_first_move"](p.grad, 0.1), torch.tensor([0.1, -0.1]))
    assert 4.0 / 0.3 > 13


def test_exercise_2_adagrad_step_halves_when_t_quadruples_and_rmsprop_levels_off(ex):
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
    # The solution's formulas: AdaGrad's lr / sqrt(t); RMSProp's from 10 lr (no bias correction) to lr.
    adagrad_move, rmsprop_move = ex["adagrad_move"], ex["rmsprop_move"]
    for t in [1, 4, 16, 64, 256]:
        assert adagrad_move(t, 0.1) == pytest.approx(steps[1][t - 1], rel=1e-4)
        assert rmsprop_move(t, 0.1) == pytest.approx(steps[2][t - 1], rel=1e-4)
        assert adagrad_move(4 * t, 0.1) == pytest.approx(adagrad_move(t, 0.1) / 2)
    assert rmsprop_move(1, 0.1) == pytest.approx(10 * 0.1) and rmsprop_move(10_000, 0.1) == pytest.approx(0.1)


def test_every_torch_optim_optimizer_has_a_default_learning_rate():
    optimizers = [
        cls
        for cls in vars(torch.optim).values()
        if inspect.isclass(cls) and issubclass(cls, torch.optim.Optimizer) and cls is not torch.optim.Optimizer
    ]
    assert len(optimizers) > 10
    for cls in optimizers:
        default = inspect.signature(cls).parameters["lr"].default
        assert default is not inspect.Parameter.empty and default > 0, cls.__name__


def test_the_scratch_learning_rate_defaults_are_pytorchs(scratch):
    for step, cls in [("momentum_step", torch.optim.SGD), ("adagrad_step", torch.optim.Adagrad),
                      ("rmsprop_step", torch.optim.RMSprop), ("adadelta_step", torch.optim.Adadelta),
                      ("adam_step", torch.optim.Adam)]:
        ours = inspect.signature(scratch[step]).parameters["lr"].default
        assert ours == inspect.signature(cls).parameters["lr"].default, step


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
