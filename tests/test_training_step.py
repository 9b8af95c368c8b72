"""Chapter 7, The training step: parameters, and what each of the five lines does to the tensors."""

import ast
import contextlib
import inspect
import io
import re

import pytest
import torch
from conftest import SNIPPETS, snippet_sections
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


def test_step_skips_a_none_gradient_but_applies_a_zero_one(five):
    # The page: with weight decay 0.1 and lr 0.1, .grad None leaves 1.0, .grad zeros gives 1 - 0.1 * 0.1 = 0.99.
    assert five["grad_none"].item() == 1.0
    assert five["grad_zeros"].item() == pytest.approx(1 - 0.1 * (0 + 0.1 * 1.0)) == pytest.approx(0.99)
    # The same with momentum instead: a zero gradient still moves a parameter whose buffer is not zero.
    p_none, p_zeros = nn.Parameter(torch.ones(1)), nn.Parameter(torch.ones(1))
    optimizer = torch.optim.SGD([p_none, p_zeros], lr=0.1, momentum=0.9)
    p_none.grad, p_zeros.grad = torch.ones(1), torch.ones(1)
    optimizer.step()  # both move to 0.9 and fill their momentum buffers
    p_none.grad, p_zeros.grad = None, torch.zeros(1)
    optimizer.step()
    assert p_none.item() == pytest.approx(0.9)  # skipped
    assert p_zeros.item() == pytest.approx(0.9 - 0.1 * 0.9)  # moved by the buffer alone


def test_a_second_backward_without_zeroing_doubles_the_gradient(five):
    model = five["linear_model"]
    assert torch.equal(model.weight.grad, 2 * five["first_weight"])
    assert torch.equal(model.bias.grad, 2 * five["first_bias"])
    assert five["first_bias"].abs().item() > 0


@pytest.fixture(scope="module")
def loop(snippet):
    return snippet("training_step/loop.py")


def test_the_loop_trains_to_the_least_squares_fit(loop):
    losses = loop["losses"]
    assert len(losses) == 101 and round(losses[0]) == 18
    assert all(a > b for a, b in zip(losses[:40], losses[1:41]))  # falls at every step until it levels off
    # The figure: it crosses the noise variance 0.01 near step 30 and levels off on least squares.
    assert 25 <= next(step for step, loss in enumerate(losses) if loss < 0.01) <= 35
    assert losses[-1] == pytest.approx(loop["least_squares_mse"].item(), abs=5e-6)  # the same 0.00818
    assert f"{losses[-1]:.5f}" == f"{loop['least_squares_mse'].item():.5f}"
    assert abs(loop["linear_model"].bias.item() - 3.0) < 0.02
    assert (loop["linear_model"].weight.detach()[0] - loop["true_w"]).abs().max().item() < 0.02


def test_the_loss_ends_below_the_noise_variance_for_the_stated_reasons(loop):
    noise, variance = loop["noise"], loop["variance"]
    assert variance == pytest.approx(0.01)
    # The noise drawn has a mean square a little below its variance...
    drawn = (noise.double() ** 2).mean().item()
    assert drawn < variance
    # ...and least squares fits part of it: the residual is the noise minus its projection on the
    # columns of A, so the training MSE is never above the noise's mean square.
    A = loop["A"]
    residual = noise.double() - A @ torch.linalg.lstsq(A, noise.double().reshape(-1, 1)).solution.flatten()
    assert (residual**2).mean().item() == pytest.approx(loop["least_squares_mse"].item(), rel=1e-6)
    assert loop["least_squares_mse"].item() < drawn
    # Expected training MSE: sigma^2 (N - p) / N, since the residual maker I - H has trace N - p.
    p, N = loop["p"], loop["N"]
    assert (p, N) == (14, 200) and variance * (1 - p / N) == pytest.approx(0.0093)
    H = A @ torch.linalg.pinv(A)
    assert torch.trace(torch.eye(N, dtype=torch.float64) - H).item() == pytest.approx(N - p)
    # The mean over 1000 draws is within 4 standard errors of it (sd of one draw: sigma^2 sqrt(2(N-p))/N).
    standard_error = variance * (2 * (N - p)) ** 0.5 / N / 1000**0.5
    assert abs(loop["mse_per_draw"].mean().item() - variance * (1 - p / N)) < 4 * standard_error


def test_the_training_loss_underestimates_the_loss_on_new_examples(loop):
    generator = torch.Generator().manual_seed(1)
    X = torch.randn(10_000, 13, generator=generator)
    Y = X @ loop["true_w"] + loop["true_b"] + 0.1 * torch.randn(10_000, generator=generator)
    with torch.no_grad():
        new = nn.MSELoss()(loop["linear_model"](X), Y.reshape(-1, 1)).item()
    assert new > loop["variance"] > loop["losses"][-1]


def test_the_timeline_shows_what_each_line_does(snippet):
    timeline = snippet("training_step/timeline.py")
    five = snippet("training_step/five_lines.py")
    right, wrong = timeline["with_zero"], timeline["without_zero"]
    lines = [line for line, _, _ in right]
    assert lines == ["start"] + ["zero_grad()", "forward", "loss", "backward()", "step()"] * 2
    # The first step is the page's step: same starting weight, same gradient, same new weight.
    assert right[0][1] == five["weight_before"][0, 0].item()
    assert right[4][2] == pytest.approx(five["grad_weight_by_hand"][0, 0].item(), rel=1e-5)
    for record in (right, wrong):
        # Only backward() changes .grad (or zero_grad() clears it), and only step() moves the weight.
        for (_, w0, g0), (line, w1, g1) in zip(record, record[1:]):
            if line != "step()":
                assert w1 == w0
            if line not in ("backward()", "zero_grad()"):
                assert g1 == g0
    assert [g for _, _, g in right[6:9]] == [None] * 3  # cleared at the start of step 2
    # "three touch these numbers": zero_grad() clears .grad (from -0.3680 to None), backward() fills it,
    # step() moves the weight; the forward pass and the loss change neither.
    assert right[5][0] == "step()" and right[5][2] is not None and right[6][0] == "zero_grad()"
    changed = {line for record in (right, wrong) for (_, w0, g0), (line, w1, g1) in zip(record, record[1:])
               if w1 != w0 or g1 != g0}
    assert changed == {"zero_grad()", "backward()", "step()"}
    g1, g2 = right[4][2], right[10][2]
    assert wrong[8][2] == g1 and wrong[10][2] == pytest.approx(g1 + g2)  # added: -0.3680 - 0.3759
    assert f"{g1 + g2:.4f}" == f"{wrong[10][2]:.4f}"
    # "about twice as far" in the second step
    ratio = (wrong[10][1] - wrong[9][1]) / (right[10][1] - right[9][1])
    assert 1.8 < ratio < 2.2


def test_without_zero_grad_the_weights_swing_for_ever_or_diverge_at_a_large_learning_rate(snippet):
    # Accumulated gradients make SGD a heavy ball with no friction: on a quadratic of curvature lam,
    # w swings with constant amplitude for lr * lam < 4 and diverges above. For (w - 5)^2, lam = 2.
    train = snippet("autograd/accumulate.py")["train"]
    swings = [train(zero_grad=False, steps=k, lr=0.1) for k in range(100, 131)]
    assert min(swings) < 1 and max(swings) > 9 and all(-1 < w < 11 for w in swings)
    assert abs(train(zero_grad=False, steps=30, lr=2.5) - 5) > 1e6


def test_sgd_on_the_whole_data_set_is_deterministic_gradient_descent(loop):
    # With the same data at every step, torch.optim.SGD has nothing random in it: one step equals
    # w - lr * (full-batch gradient), and two runs from the same start agree exactly.
    def run():
        torch.manual_seed(3)
        model = nn.Linear(13, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(5):
            optimizer.zero_grad()
            nn.MSELoss()(model(loop["X"]), loop["Y"].reshape(-1, 1)).backward()
            optimizer.step()
        return model.weight.detach().clone()

    assert torch.equal(run(), run())


# --- Check yourself (exercises.py) --------------------------------------------------------------

EXERCISES = SNIPPETS / "training_step" / "exercises.py"

WRONG_ANSWERS = {
    "count": [
        (  # the biases forgotten
            "def count_parameters(sizes):\n    return sum(a * b for a, b in zip(sizes, sizes[1:]))\n",
            "parameters; the model has",
        ),
        (  # a bias per input instead of one per neuron
            "def count_parameters(sizes):\n    return sum(a * b + a for a, b in zip(sizes, sizes[1:]))\n",
            "parameters; the model has",
        ),
        (  # the formula of two layers, as in chapter 1's exercise
            "def count_parameters(sizes):\n"
            "    n_in, n_hidden, n_out = sizes[0], sizes[1], sizes[-1]\n"
            "    return (n_in * n_hidden + n_hidden) + (n_hidden * n_out + n_out)\n",
            "for the sizes [2, 5, 7, 4, 1], you count",
        ),
        (  # a bias for every size, the inputs' included
            "def count_parameters(sizes):\n    return sum(a * b for a, b in zip(sizes, sizes[1:])) + sum(sizes)\n",
            "parameters; the model has",
        ),
    ],
    "order": [
        (  # zero_grad() taken out instead of put back first: the gradients accumulate
            "def train_steps(model, x, y, steps=10):\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "    for _ in range(steps):\n"
            "        nn.MSELoss()(model(x), y.reshape(-1, 1)).backward()\n"
            "        optimizer.step()\n",
            "differ from those of 5 steps of gradient descent",
        ),
        (  # zero_grad() first, but step() before backward(): step() never finds a gradient
            "def train_steps(model, x, y, steps=10):\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "    for _ in range(steps):\n"
            "        optimizer.zero_grad()\n"
            "        loss = nn.MSELoss()(model(x), y.reshape(-1, 1))\n"
            "        optimizer.step()\n"
            "        loss.backward()\n",
            "exactly as they were",
        ),
    ],
    "halves": [
        (  # each part's loss not divided: the sum of the parts' gradients
            "def accumulate(model, x, y, parts=2):\n"
            "    for rows in torch.arange(len(x)).split(len(x) // parts):\n"
            "        nn.MSELoss()(model(x[rows]), y[rows].reshape(-1, 1)).backward()\n",
            "differs from the whole batch's",
        ),
        (  # zeroed between the parts: only the last part's gradient is left
            "def accumulate(model, x, y, parts=2):\n"
            "    for rows in torch.arange(len(x)).split(len(x) // parts):\n"
            "        model.zero_grad()\n"
            "        (nn.MSELoss()(model(x[rows]), y[rows].reshape(-1, 1)) / parts).backward()\n",
            "differs from the whole batch's",
        ),
        (  # divided by 2 whatever the number of parts
            "def accumulate(model, x, y, parts=2):\n"
            "    for rows in torch.arange(len(x)).split(len(x) // parts):\n"
            "        (nn.MSELoss()(model(x[rows]), y[rows].reshape(-1, 1)) / 2).backward()\n",
            "differs from the whole batch's",
        ),
    ],
    "loop": [
        (  # the targets not reshaped: MSE broadcasts (N, 1) against (N,)
            "def train(X, y):\n"
            "    model = nn.Linear(3, 1)\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "    for _ in range(200):\n"
            "        optimizer.zero_grad()\n"
            "        loss = nn.MSELoss()(model(X), y)\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "    return model\n",
            "are the prediction and the target of the same shape?",
        ),
        (  # zero_grad() forgotten: every step uses the sum of all gradients so far
            "def train(X, y):\n"
            "    model = nn.Linear(3, 1)\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "    for _ in range(200):\n"
            "        nn.MSELoss()(model(X), y.reshape(-1, 1)).backward()\n"
            "        optimizer.step()\n"
            "    return model\n",
            "from least squares",
        ),
        (  # a small learning rate and too few steps: not there yet
            "def train(X, y):\n"
            "    model = nn.Linear(3, 1)\n"
            "    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
            "    for _ in range(100):\n"
            "        optimizer.zero_grad()\n"
            "        nn.MSELoss()(model(X), y.reshape(-1, 1)).backward()\n"
            "        optimizer.step()\n"
            "    return model\n",
            "from least squares",
        ),
    ],
}


def _exercise_4(answer: str, check: bool = True) -> tuple[dict, str, Exception | None]:
    """Exercise 4 as the reader's file: the starter code copied as it is, then `answer`, then the check
    (when `check`), alone in an empty namespace; the namespace, what it printed and what it raised."""
    sections = dict(snippet_sections(EXERCISES))
    namespace, printed, error = {"__name__": "__main__"}, io.StringIO(), None
    with contextlib.redirect_stdout(printed):
        try:
            for code in (sections["loop_task"], answer, sections["loop_check"] if check else ""):
                exec(compile(code, str(EXERCISES), "exec"), namespace)
        except Exception as raised:
            error = raised
    return namespace, printed.getvalue(), error


def _least_squares(X, y):
    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    return torch.linalg.lstsq(A, y.reshape(-1, 1)).solution.flatten()


def test_exercise_4_solution_is_a_complete_file_that_fits_least_squares():
    # "below the code above, a complete file that runs on its own"
    solution = dict(snippet_sections(EXERCISES))["loop_solution"]
    first, printed, error = _exercise_4(solution, check=False)
    assert error is None, repr(error)
    model = first["model"]
    assert isinstance(model, nn.Linear) and model.weight.shape == (1, 3)
    # "to least squares to four decimals"
    learned = torch.cat([model.weight.detach().flatten(), model.bias.detach()])
    assert (learned - _least_squares(first["X"], first["y"])).abs().max().item() < 5e-5
    # "the final loss is close to 0.01", the variance of the noise in y
    final = float(re.search(r"final loss: ([\d.]+)", printed)[1])
    assert abs(final - 0.01) < 0.0015
    # The check passes it; an untrained model fails it.
    assert _exercise_4(solution)[2] is None
    untrained = _exercise_4("def train(X, y):\n    return nn.Linear(3, 1)\n")[2]
    assert isinstance(untrained, AssertionError) and "from least squares" in str(untrained)


def test_the_exercise_4_check_is_not_fooled_by_a_reassigned_y():
    # The check makes its data itself and reads neither X nor y: a program that reuses those names
    # cannot change what it compares with. Were it to fit least squares to a y that the program
    # set to a model's own predictions, that untrained model would pass.
    check = dict(snippet_sections(EXERCISES))["loop_check"]
    read = {node.id for node in ast.walk(ast.parse(check)) if isinstance(node, ast.Name)}
    assert not read & {"X", "y"}
    fooling = "untrained = nn.Linear(3, 1)\ny = untrained(X).detach().flatten()\ntrain = lambda X, y: untrained\n"
    namespace, _, error = _exercise_4(fooling)
    untrained = namespace["untrained"]
    own = torch.cat([untrained.weight.detach().flatten(), untrained.bias.detach()])
    assert (_least_squares(namespace["X"], namespace["y"]) - own).abs().max() < 1e-4  # the trap
    assert isinstance(error, AssertionError) and "from least squares" in str(error)
    # "it runs your train on these data and on a second set with other weights"
    solution = dict(snippet_sections(EXERCISES))["loop_solution"]
    recording = "seen, fit = [], train\n\n\ndef train(X, y):\n    seen.append((X, y))\n    return fit(X, y)\n"
    namespace, _, error = _exercise_4(solution + "\n" + recording)
    assert error is None, repr(error)
    (X1, y1), (X2, y2) = namespace["seen"]
    assert torch.equal(X1, namespace["X"]) and torch.equal(y1, namespace["y"])
    assert X2.shape == (300, 3) and (_least_squares(X2, y2) - _least_squares(X1, y1)).abs().min() > 0.5


def test_the_exercise_4_hint_covers_the_likeliest_bug():
    # Forgetting y.reshape(-1, 1): MSE broadcasts (500, 1) against (500,), the weights go to 0 and the bias
    # to the mean of y, the loss stops far above 0.01, and more steps do not help.
    namespace = _exercise_4("", check=False)[0]
    X, y = namespace["X"], namespace["y"]
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    with pytest.warns(UserWarning, match="different to the input size"):
        for _ in range(400):
            optimizer.zero_grad()
            loss = nn.MSELoss()(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    assert model.weight.abs().max().item() < 1e-4 and model.bias.item() == pytest.approx(y.mean().item(), abs=1e-4)
    assert losses[199] == pytest.approx(losses[399], rel=1e-4) and losses[-1] > 100 * 0.01
    # The check names it: the model predicts the mean, a question of shapes.
    with pytest.warns(UserWarning, match="different to the input size"):
        error = _exercise_4(WRONG_ANSWERS["loop"][0][0])[2]
    assert isinstance(error, AssertionError) and "same shape" in str(error)


def test_exercise_answers(snippet):
    exercise = snippet("training_step/exercises.py")
    assert exercise["counted"] == exercise["by_formula"] == 403 == 80 + 272 + 51
    # "whatever the other layers are": a network's count is the sum of its layers' counts
    for sizes in ([4, 16, 3], [7, 1], [3, 8, 8, 8, 2]):
        layers = [nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])]
        assert exercise["count_parameters"](sizes) == sum(p.numel() for layer in layers for p in layer.parameters())
    assert exercise["count_parameters"]([4, 16, 3]) == 131  # chapter 1's network of two layers
    # Exercise 2: zero_grad() between backward() and step() leaves step() nothing to do; put back first,
    # the same 10 steps train.
    assert exercise["unchanged"] and exercise["fixed_changed"]
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
