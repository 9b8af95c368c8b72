"""Chapter 5, Gradient descent: convergence, learning rates, minima, saddles, batch vs mini-batch."""

import math

import pytest
import torch
from conftest import slider_fence, snippet_figures

from bookbuild.execute import says


def plain(number: float) -> str:
    """A positive number with two significant digits, written out: 0.014, 0.00027, 0.000059."""
    return f"{number:.{1 - math.floor(math.log10(number))}f}"



def test_descent_stops_at_the_minimum_after_the_predicted_number_of_steps(snippet):
    run = snippet("gradient_descent/one_dimension.py")
    lr, tolerance = run["lr"], run["tolerance"]
    torch.manual_seed(0)
    x0 = (torch.rand(()) * 20 - 10).item()
    # On this quadratic, x_k - 3 = (1 - 2 lr)^k (x0 - 3): the first k with |2 (x_k - 3)| < tolerance.
    k = math.ceil(math.log(tolerance / (2 * abs(x0 - 3))) / math.log(abs(1 - 2 * lr)))
    assert run["step"] == k == 40 == run["k"]  # the snippet's own count of the prediction
    assert run["x0"] == pytest.approx(-0.0749, abs=5e-5)
    assert 3.0749 * 0.8**39 >= 5e-4 > 3.0749 * 0.8**40  # the page's arithmetic
    assert abs(run["x"] - 3) < tolerance / 2
    assert run["x"] - 3 == pytest.approx((1 - 2 * lr) ** k * (x0 - 3), abs=1e-12)


def slider_fences(include: str) -> list[tuple[list[str], str, list[str]]]:
    """(values, start, alt texts) of the slider fence that includes `include`, on each language's page."""
    fences = []
    for page in ("gradient-descent.md", "gradient-descent.ko.md"):
        slider, alts, _ = slider_fence(page, f"gradient_descent/{include}")
        fences.append((list(slider.values), slider.start, alts))
    return fences


def test_the_learning_rate_sweep_shows_every_regime(snippet):
    run = snippet("gradient_descent/learning_rates.py")
    runs = run["runs"]
    for values, start, _ in slider_fences("learning_rates.py:plot"):
        assert values == [str(lr) for lr in run["rates"]] == [str(lr) for lr in runs] and start == "0.3"
    for lr, xs in runs.items():
        # x_k - 3 = (1 - 2 lr)^k (x_0 - 3), from x_0 - 3 = -5
        assert all(x - 3 == pytest.approx((1 - 2 * lr) ** k * -5, abs=1e-12) for k, x in enumerate(xs))
        distances = [abs(x - 3) for x in xs]
        if lr < 0.5:  # creeping or fast, always from the left: monotone
            assert all(x < 3 for x in xs) and distances == sorted(distances, reverse=True)
        elif lr == 0.5:  # one step, exactly
            assert xs[1:] == [3.0] * 20
        elif lr < 1:  # overshooting, but closer each time: zigzags inward
            assert all((x - 3) * (x_next - 3) < 0 for x, x_next in zip(xs, xs[1:]))
            assert all(b < a for a, b in zip(distances, distances[1:]))
        elif lr == 1:  # bounces between -2 and 8 forever
            assert xs == [-2.0, 8.0] * 10 + [-2.0]
        else:  # diverges
            assert all(b > a for a, b in zip(distances, distances[1:]))
    # converges exactly for 0 < lr < 1: of the sweep, all below 1 end closer than they started
    assert [lr for lr, xs in runs.items() if abs(xs[-1] - 3) < 5] == [lr for lr in runs if lr < 1]


def test_the_learning_rate_numbers_of_the_prose_and_the_alt_texts(snippet):
    runs = snippet("gradient_descent/learning_rates.py")["runs"]
    after = {lr: abs(xs[20] - 3) for lr, xs in runs.items()}
    assert round(after[0.02], 2) == 2.21 and round(after[0.1], 4) == 0.0576
    assert f"{after[0.3]:.1e}" == "5.5e-08" and f"{after[0.75]:.2e}" == "4.77e-06"
    assert after[0.9] == pytest.approx(after[0.1], rel=1e-12)  # factors 0.8 and -0.8: the same speed
    assert after[0.75] < after[0.1] and after[0.5] == 0.0
    assert round(after[1.05], 1) == 33.6 and after[1.05] == pytest.approx(5 * 1.1**20)
    # the alt texts' points: where the paths are after 7 steps, and the steps they name
    assert round(runs[0.02][7], 2) == -0.76 and round(runs[0.1][7], 2) == 1.95
    assert [round(x, 2) for x in runs[0.75][:4]] == [-2, 5.5, 1.75, 3.62]
    assert [round(x, 2) for x in runs[0.9][:4]] == [-2, 7, -0.2, 5.56]
    assert (runs[1.0][0] - 3) ** 2 + 1 == (runs[1.0][1] - 3) ** 2 + 1 == 26
    seventh = runs[1.05][7]
    assert round(seventh, 2) == 12.74 and round((seventh - 3) ** 2 + 1) == 96
    for _, _, alts in slider_fences("learning_rates.py:plot"):
        for alt, number in zip(alts, ["2.21", "0.0576", "5.5e-8", "0", "4.77e-6", "0.0576", "5", "33.6"]):
            # the number as a word of its own: "0" is not the 0 of "0.5", nor "5" the 5 of "1.05"
            assert says(alt, number), (number, alt)


def test_the_learning_rate_frames_share_their_limits_and_name_their_rate(snippet):
    run = snippet("gradient_descent/learning_rates.py")
    frames = snippet_figures("gradient_descent/learning_rates.py")
    assert len(frames) == len(run["rates"]) == 8
    for figure, (lr, xs) in zip(frames, run["runs"].items()):
        left, right = figure.axes
        assert figure.get_suptitle().startswith(f"learning rate {lr}: ")
        assert figure.get_size_inches().tolist() == [8, 3.5]
        assert (left.get_xlim(), left.get_ylim()) == ((-7, 13), (0, 100))
        assert (right.get_xlim(), right.get_ylim()) == ((0, 20), (1e-9, 1e2))
        for x in xs[:8]:  # the start and 7 steps: every point inside the left panel
            assert -7 < x < 13 and 0 < (x - 3) ** 2 + 1 < 100
        # every distance inside the right panel, but the 0 of learning rate 0.5, which a log scale lacks
        assert all(1e-9 < abs(x - 3) < 1e2 for x in xs) == (lr != 0.5)
        assert bool(right.texts) == (lr == 0.5)  # "exactly 0 from step 1 on"


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


def test_a_large_step_can_jump_the_hump_by_luck(snippet):
    minima = snippet("gradient_descent/minima.py")
    df, hump, jumps = minima["df"], minima["hump"], minima["jumps"]
    # The hump is the local maximum between the valleys: df changes sign from + to - there.
    assert round(hump, 2) == 0.17 and df(hump - 1e-3) > 0 > df(hump + 1e-3)
    assert 12 * hump**2 - 6 < 0
    left, right = -1.3008, 1.1309
    first, end = jumps[2.0, 0.1]  # from x = 2, lr 0.1: lands beyond the hump, ends in the global minimum
    assert first == pytest.approx(-0.1) and first < hump and end == pytest.approx(left, abs=1e-4)
    for key in [(2.0, 0.05), (1.8, 0.1)]:  # short of the hump: the local minimum
        first, end = jumps[key]
        assert first > hump and end == pytest.approx(right, abs=1e-4)
    # The same learning rate from 1.8 or from 2 ends in different valleys: luck, not search.
    assert jumps[1.8, 0.1][1] != pytest.approx(jumps[2.0, 0.1][1])


def test_a_saddle_holds_only_an_exact_start(snippet):
    saddle = snippet("gradient_descent/saddle.py")
    x, y = 1.0, 0.0
    for _ in range(100):
        x, y = saddle["step"](x, y)
    assert y == 0 and abs(x) < 1e-9
    assert saddle["y"] == pytest.approx(1e-6 * 1.2**100)  # y grows by 1 + 2 lr per step


def test_the_hessian_of_the_saddle_and_its_eigenvalues(snippet):
    saddle = snippet("gradient_descent/saddle.py")
    H = saddle["H"]
    assert torch.equal(H, torch.tensor([[2.0, 0.0], [0.0, -2.0]]))
    low, high = torch.linalg.eigvalsh(H).tolist()
    assert (low, high) == (-2.0, 2.0)  # one direction up, one down: a saddle point
    v = torch.tensor([0.6, 0.8])
    assert (v @ H @ v).item() == pytest.approx(2 * 0.36 - 2 * 0.64)  # -0.56, between the eigenvalues
    torch.manual_seed(2)
    for _ in range(100):  # any direction's curvature lies between the smallest and largest eigenvalue
        v = torch.randn(2)
        v = v / v.norm()
        assert low - 1e-6 <= (v @ H @ v).item() <= high + 1e-6


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
    # The page's reading: about 14% in two dimensions, 2% in three, far below halving per dimension.
    assert fractions[1] == pytest.approx(0.14, abs=0.02) and fractions[2] == pytest.approx(0.02, abs=0.01)
    assert all(f < 0.7 * 0.5**n for f, n in zip(fractions[1:], [2, 3, 5]))
    assert 4000 * 0.5**5 == 125


def test_the_gradient_formula_and_the_least_squares_floor(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    assert torch.allclose(run["gradient"](run["check"].detach(), torch.arange(10)), run["check"].grad)
    # The floor is the lowest loss: the gradient vanishes there and any nudge raises the loss.
    solution, loss = run["solution"], run["loss"]
    assert run["gradient"](solution, torch.arange(run["N"])).norm() < 1e-12
    torch.manual_seed(3)
    for _ in range(10):
        assert loss(solution + 1e-3 * torch.randn(4, dtype=torch.float64)).item() > run["best"]


def test_a_mini_batch_gradient_is_unbiased_and_an_epoch_partition_averages_exactly(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    full, draws = run["full"], run["draws"]
    assert torch.equal(full, run["gradient"](run["theta"], torch.arange(run["N"])))
    # The mean over 5000 random batches is within a few standard errors of the full gradient...
    standard_error = draws.std(dim=0) / math.sqrt(len(draws))
    assert ((draws.mean(dim=0) - full).abs() < 4 * standard_error).all()
    # ...and much closer than one batch, which is clearly off.
    assert (run["one_batch"] - full).norm() > 10 * (draws.mean(dim=0) - full).norm()
    # More draws, closer: the first 50 draws' mean is further off than all 5000.
    assert (draws[:50].mean(dim=0) - full).norm() > (draws.mean(dim=0) - full).norm()
    # At one fixed theta, the 20 batches of a shuffled epoch average to it exactly.
    assert len(run["batches"]) == 20 and torch.allclose(run["average"], full, atol=1e-12)
    assert all(len(rows) == 50 for rows in run["batches"])
    # With a shorter last batch the plain average of the batch gradients is off; weighting by size is exact.
    gradient, theta, N = run["gradient"], run["theta"], run["N"]
    uneven = torch.randperm(N).split(300)  # 300, 300, 300, 100
    plain = sum(gradient(theta, rows) for rows in uneven) / len(uneven)
    weighted = sum(len(rows) * gradient(theta, rows) for rows in uneven) / N
    assert torch.allclose(weighted, full, atol=1e-12) and (plain - full).norm() > 1e-3


def test_the_epoch_average_is_not_the_full_gradient_once_theta_moves(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    gradient, N, B = run["gradient"], run["N"], run["B"]
    theta, used = torch.zeros(4, dtype=torch.float64), []
    for rows in torch.randperm(N).split(B):
        used.append(gradient(theta, rows))
        theta = theta - run["lr"] * used[-1]
    average = torch.stack(used).mean(dim=0)
    start = gradient(torch.zeros(4, dtype=torch.float64), torch.arange(N))
    assert (average - start).norm() > 0.5 * start.norm()  # far from the full gradient at the start


def test_sgd_makes_n_over_b_updates_per_epoch_and_reaches_the_floor_first(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    assert len(run["batch_losses"]) == run["epochs"] == 10
    assert len(run["sgd_losses"]) == run["epochs"] * run["N"] // run["B"] == 200
    assert run["sgd_losses"][-1] < 1.01 * run["best"]
    assert run["batch_losses"][-1] > 5 * run["best"]
    assert all(a > b for a, b in zip(run["batch_losses"], run["batch_losses"][1:]))  # batch GD: monotone
    # The figure's alt text: SGD is at the floor after about 20 updates, and not before 10.
    assert run["sgd_losses"][19] < 1.1 * run["best"] < 2 * run["best"] < run["sgd_losses"][9]


def test_per_update_the_two_methods_progress_alike(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    for batch, sgd in zip(run["batch_losses"], run["sgd_losses"]):  # the first ten updates
        assert 0.65 < sgd / batch < 1.5


def test_the_spread_of_batch_gradients_shrinks_as_one_over_the_root_of_the_batch_size(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    N, sizes, spreads, predicted = run["N"], run["sizes"], run["spreads"], run["predicted"]
    for values, start, _ in slider_fences("batch_vs_minibatch.py:sizes_plot"):
        assert values == [str(size) for size in sizes] == ["1", "4", "16", "64", "1000"] and start == "16"
    # s^2 from each example's gradient, 2 r_i a_i, written out here rather than with `gradient`
    A, y, full = run["A"], run["y"], run["full"]
    per_example = 2 * A * (A @ torch.zeros(4, dtype=torch.float64) - y).unsqueeze(1)
    assert torch.allclose(per_example.mean(dim=0), full)
    s2 = (per_example - full).pow(2).sum(dim=1).mean().item()
    assert run["s2"] == pytest.approx(s2) and round(math.sqrt(s2), 3) == 10.085
    for size in sizes:
        assert predicted[size] == pytest.approx(math.sqrt(s2 / size * (N - size) / (N - 1)))
    assert predicted[N] == 0 and spreads[N] < 1e-12  # every batch of 1,000 holds all the rows
    for size in sizes[:-1]:
        assert abs(spreads[size] / predicted[size] - 1) < 0.02  # "each within 2% of the prediction"
    for size, bigger in zip(sizes[:3], sizes[1:4]):  # each fourfold batch halves it
        assert bigger == 4 * size and spreads[size] / spreads[bigger] == pytest.approx(2, abs=0.1)
    # the factor on the variance, and what its square root takes off the spread
    assert round((N - 64) / (N - 1), 2) == 0.94 and round(1 - math.sqrt((N - 64) / (N - 1)), 2) == 0.03
    assert [f"{spreads[size]:.3f}" for size in sizes] == ["9.950", "5.092", "2.509", "1.220", "0.000"]


def test_the_batch_size_sets_how_far_above_the_floor_the_loss_jitters(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    sizes, curves, excess = run["sizes"], run["curves"], run["excess"]
    start = run["loss"](torch.zeros(4, dtype=torch.float64)).item() - run["best"]
    assert round(start, 1) == 5.2
    for size in sizes:
        assert len(curves[size]) == 100 and excess[size] == pytest.approx(sum(curves[size][50:]) / 50)
        assert 0.056 <= round(curves[size][9], 3) and round(curves[size][9], 2) <= 0.15  # all descend alike
    assert [plain(excess[size]) for size in sizes[:-1]] == ["0.014", "0.0015", "0.00027", "0.000059"]
    for size, bigger in zip(sizes[:3], sizes[1:4]):  # each fourfold batch lowers it more than fourfold
        assert excess[size] > 4 * excess[bigger]
    assert excess[run["N"]] < 1e-9  # the full batch: no noise, on to the floor
    # the alt texts: single examples are below 0.02 after 20 updates; the full batch leaves the panel at 36
    assert curves[1][19] < 0.02 and min(curves[1][20:]) > 1e-3  # then it jitters, never near the floor
    assert next(number for number, value in enumerate(curves[run["N"]], 1) if value < 1e-6) == 36


def test_the_batch_size_frames_share_their_limits_and_their_numbers_are_in_the_alt_texts(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    frames = snippet_figures("gradient_descent/batch_vs_minibatch.py")[1:]  # after the comparison's figure
    sizes, batch_gradients, full = run["sizes"], run["batch_gradients"], run["full"]
    assert len(frames) == len(sizes)
    for figure, size in zip(frames, sizes):
        left, right = figure.axes
        assert figure.get_suptitle() == f"batch size {size}"
        assert figure.get_size_inches().tolist() == [8, 3.5]
        assert (left.get_xlim(), left.get_ylim()) == ((-16, 8), (-10, 14))
        assert (right.get_xlim(), right.get_ylim()) == ((0, 100), (1e-6, 10))
        assert len(left.collections[0].get_offsets()) == 200
    outside = []  # of the 200 points of each frame, how many lie beyond the panel
    for size in sizes:
        x, y = batch_gradients[size][:200, 0], batch_gradients[size][:200, 1]
        outside.append(((x < -16) | (x > 8) | (y < -10) | (y > 14)).sum().item())
    assert outside == [20, 2, 0, 0, 0]
    assert [round(v, 2) for v in full[:2].tolist()] == [-3.95, 1.92]
    leaves = next(number for number, value in enumerate(run["curves"][run["N"]], 1) if value < 1e-6)
    phrases = [("{} of them beyond the panel", "below 1e-6 at update {}"),  # English, Korean
               ("그중 {}개는 그래프 밖에", "{}번째 업데이트에서 1e-6 아래로")]
    for (_, _, alts), (beyond, below) in zip(slider_fences("batch_vs_minibatch.py:sizes_plot"), phrases):
        assert all("(-3.95, 1.92)" in alt for alt in alts) and below.format(leaves) in alts[-1]
        for alt, count in zip(alts, outside):
            assert (beyond.format(count) in alt) == (count > 0)
        for alt, size in zip(alts, sizes[:-1]):
            assert f"{run['spreads'][size]:.2f}" in alt and plain(run["excess"][size]) in alt


def test_at_the_minimum_the_full_gradient_is_zero_but_no_batch_gradient_is(snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    gradient, solution = run["gradient"], run["solution"]
    assert gradient(solution, torch.arange(run["N"])).norm() < 1e-12
    norms = [gradient(solution, rows).norm().item() for rows in torch.arange(run["N"]).split(run["B"])]
    assert min(norms) > 1e-3  # every batch of one epoch: far from 0, 1e9 times the full gradient's


# --- Check yourself (exercises.py) --------------------------------------------------------------

_DEVIATION = (  # a right measurement of the noise, for the wrong predictions below
    "def deviation(batch_size, theta=torch.zeros(4, dtype=torch.float64), draws=4000):\n"
    "    full = gradient(theta, torch.arange(N))\n"
    "    return torch.stack([(gradient(theta, torch.randperm(N)[:batch_size]) - full).norm()\n"
    "                        for _ in range(draws)]).pow(2).mean().sqrt()\n"
)
_HUNDRED = "def tenfold_factor():\n    return 100.0\n"


def _steps_to_reach(stop: str = "abs(x - 1) < tolerance", update: str = "x -= lr * 10 * (x - 1)",
                    found: str = "step", missed: str = "None") -> str:
    return (
        "def steps_to_reach(lr, tolerance=1e-3, x=0.0, max_steps=1000):\n"
        "    for step in range(max_steps + 1):\n"
        f"        if {stop}:\n"
        f"            return {found}\n"
        f"        {update}\n"
        f"    return {missed}\n"
    )


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
WRONG_ANSWERS = {
    "fastest": [
        # the first section's stopping rule, on the gradient, not on the distance to the minimum
        (_steps_to_reach(stop="abs(10 * (x - 1)) < tolerance"), "first holds after"),
        # the slope of (x - 1)^2, the 5 forgotten
        (_steps_to_reach(update="x -= lr * 2 * (x - 1)"), "first holds after"),
        # the update counted before the test: one step too many
        (_steps_to_reach(found="step + 1"), "but your function says"),
        # max_steps instead of "never"
        (_steps_to_reach(missed="max_steps"), "so return None"),
    ],
    "noise": [
        # the noise shrinks as the batch grows, in proportion
        (_DEVIATION + "def tenfold_factor():\n    return 10\n", "by a factor of 3.16"),
        # the chapter's fourfold, which halves the noise, taken ten times over
        (_DEVIATION + "def tenfold_factor():\n    return 40\n", "by a factor of 6.32"),
        # the size of the batch's gradient, not its distance from the full gradient
        (
            _HUNDRED + "def deviation(batch_size, theta=torch.zeros(4, dtype=torch.float64), draws=4000):\n"
            "    return torch.stack([gradient(theta, torch.randperm(N)[:batch_size]).norm()\n"
            "                        for _ in range(draws)]).pow(2).mean().sqrt()\n",
            "from the full gradient",
        ),
        # the mean squared distance, without its root: a variance
        (_HUNDRED + _DEVIATION.replace(".mean().sqrt()", ".mean()"), "your noise"),
        # always at theta = 0, whatever theta it is given
        (_HUNDRED + _DEVIATION.replace("gradient(theta,", "gradient(0 * theta,"), "your noise"),
    ],
}


@pytest.fixture(scope="module")
def ex(snippet):
    return snippet("gradient_descent/exercises.py")


def test_exercise_the_fastest_learning_rate(ex):
    steps_to_reach = ex["steps_to_reach"]
    assert steps_to_reach(0.1) == 1
    assert steps_to_reach(0.05) == steps_to_reach(0.15) == 10 == math.ceil(math.log(1e3) / math.log(2))
    assert steps_to_reach(0.01) == steps_to_reach(0.19)  # lr and 0.2 - lr: the same |factor|
    assert steps_to_reach(0.2) is None
    assert steps_to_reach(0.05, x=1.0) == 0  # the docstring's "0 if it already is at the start"
    fastest = min((steps_to_reach(lr / 1000), lr / 1000) for lr in range(1, 200))
    assert fastest == (1, 0.1)


def test_exercise_a_hundredfold_batch_cuts_the_noise_tenfold(ex, snippet):
    run = snippet("gradient_descent/batch_vs_minibatch.py")
    # The exercise's regression is the chapter's, rebuilt so that the exercise runs on its own.
    assert torch.equal(ex["A"], run["A"]) and torch.equal(ex["y"], run["y"]) and ex["N"] == run["N"]
    assert ex["tenfold_factor"]() == 100 and ex["larger"] == 100
    N = ex["N"]
    assert 10.2 < ex["small"] / ex["large"] < 11.3  # "good to a few per cent" of the predicted 10.5
    assert ex["shrink"] == pytest.approx((N - 1) / (N - 100))  # drawn without replacement
    assert round(10 * math.sqrt(ex["shrink"]), 1) == 10.5  # the solution's "about 10.5"
    # Against the formula for batches drawn without repeats: E|g_B - g|^2 = s2 / B * (N - B) / (N - 1).
    A, y = ex["A"], ex["y"]
    per_example = 2 * A * (A @ torch.zeros(4, dtype=torch.float64) - y).unsqueeze(1)
    s2 = ((per_example - per_example.mean(0)) ** 2).sum(1).mean().item()
    for B, measured in [(1, ex["small"]), (100, ex["large"])]:
        assert measured == pytest.approx(math.sqrt(s2 / B * (N - B) / (N - 1)), rel=0.05)
