"""Chapter 4, Objective and loss functions: every formula against PyTorch, and every trap."""

import math
import warnings

import pytest
import torch


def test_residuals_of_the_least_squares_line_sum_to_zero_errors_do_not(snippet):
    fit = snippet("loss_functions/residuals.py")
    x, y = fit["x"], fit["y"]
    # Closed-form least squares, independently of torch.linalg.lstsq.
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    intercept = y.mean() - slope * x.mean()
    assert fit["w_hat"].item() == pytest.approx(slope.item(), abs=1e-10)
    assert fit["b_hat"].item() == pytest.approx(intercept.item(), abs=1e-10)
    assert abs(fit["residuals"].sum().item()) < 1e-10
    assert abs(fit["errors"].sum().item()) > 0.5



def test_residual_and_error_are_signed_differences_at_an_observation_where_the_lines_are_apart(snippet):
    fit = snippet("loss_functions/residuals.py")
    x, y, i = fit["x"], fit["y"], fit["i"]
    residual = y[i] - (fit["b_hat"] + fit["w_hat"] * x[i])
    error = y[i] - (fit["intercept"] + fit["slope"] * x[i])
    assert fit["residuals"][i].item() == pytest.approx(residual.item(), abs=1e-12)
    assert fit["errors"][i].item() == pytest.approx(error.item(), abs=1e-12)
    # "It lies below both lines, so both differences are negative; the error is the larger in size."
    assert residual < 0 and error < 0 and abs(error) > abs(residual)
    # Near the left end, the population line runs higher than the sample line, by about 0.4 (0.5 at x = 0).
    gap = (fit["intercept"] + fit["slope"] * x[i]) - (fit["b_hat"] + fit["w_hat"] * x[i])
    assert gap.item() > 0.4 and x[i].item() < 1.5
    at_zero = fit["intercept"] - fit["b_hat"].item()
    assert at_zero == pytest.approx(0.5, abs=0.05)
    # ...and the sample line is steeper: above the population line at the right end.
    assert fit["w_hat"].item() > fit["slope"]
    assert (fit["b_hat"] + fit["w_hat"] * x[-1]).item() > fit["intercept"] + fit["slope"] * x[-1].item()
    # Residuals can be of either sign: they sum to zero because some observations lie above the line.
    assert (fit["residuals"] > 0).any() and (fit["residuals"] < 0).any()

def test_mse_is_the_gaussian_negative_log_likelihood_up_to_constants(snippet):
    nll = snippet("loss_functions/likelihood.py")
    y, y_hat, sigma = nll["y"], nll["y_hat"], nll["sigma"]
    by_density = -torch.distributions.Normal(y_hat, sigma).log_prob(y).mean()
    assert nll["gaussian_nll"].item() == pytest.approx(by_density.item(), abs=1e-12)
    constant = 0.5 * math.log(2 * math.pi * sigma**2)
    assert by_density.item() == pytest.approx((((y_hat - y) ** 2).mean() / (2 * sigma**2)).item() + constant, abs=1e-12)


def test_bce_is_the_bernoulli_negative_log_likelihood(snippet):
    nll = snippet("loss_functions/likelihood.py")
    p, labels = nll["p"], nll["labels"]
    by_hand = -sum(math.log(pi) if yi == 1 else math.log(1 - pi) for pi, yi in zip(p.tolist(), labels.tolist())) / 5
    assert nll["bce"].item() == pytest.approx(by_hand, abs=1e-12)
    assert nll["bernoulli_nll"].item() == pytest.approx(by_hand, abs=1e-12)


def test_cross_entropy_is_kl_plus_the_targets_entropy(snippet):
    nll = snippet("loss_functions/likelihood.py")
    p, q = nll["target"].tolist(), nll["q"].tolist()
    kl = sum(pi * math.log(pi / qi) for pi, qi in zip(p, q))
    entropy = -sum(pi * math.log(pi) for pi in p)
    assert nll["kl"].item() == pytest.approx(kl, abs=1e-12)
    assert nll["cross_entropy"].item() == pytest.approx(kl + entropy, abs=1e-12)
    assert kl > 0  # zero only when q = p
    # "never negative, and zero only when q = p": random pairs of distributions, and q = p itself.
    F = torch.nn.functional
    generator = torch.Generator().manual_seed(0)
    for _ in range(200):
        a = torch.softmax(3 * torch.randn(5, generator=generator, dtype=torch.float64), dim=0)
        b = torch.softmax(3 * torch.randn(5, generator=generator, dtype=torch.float64), dim=0)
        assert F.kl_div(b.log(), a, reduction="sum").item() > 0
        assert F.kl_div(a.log(), a, reduction="sum").item() == pytest.approx(0.0, abs=1e-12)


def test_kl_div_default_mean_also_divides_by_the_number_of_classes(snippet):
    nll = snippet("loss_functions/likelihood.py")
    F = torch.nn.functional
    target, q, kl = nll["target"], nll["q"], nll["kl"].item()
    k = target.numel()
    batch_p, batch_q = torch.stack([target, q.flip(0)]), torch.stack([q, target])  # a batch of 2 distributions
    total = F.kl_div(batch_q.log(), batch_p, reduction="sum").item()
    with pytest.warns(UserWarning, match="batchmean"):
        mean = F.kl_div(batch_q.log(), batch_p).item()  # the default reduction="mean"
    assert mean == pytest.approx(total / (2 * k), rel=1e-12)
    assert F.kl_div(batch_q.log(), batch_p, reduction="batchmean").item() == pytest.approx(total / 2, rel=1e-12)
    # For one distribution, a 1-D tensor as here, "sum" is the KL divergence; "batchmean" would divide by K.
    assert F.kl_div(q.log(), target, reduction="batchmean").item() == pytest.approx(kl / k, rel=1e-12)


def test_each_loss_by_its_formula_equals_pytorch(snippet):
    losses = snippet("loss_functions/losses.py")
    y, y_hat = losses["y"].tolist(), losses["y_hat"].tolist()
    assert sum((a - b) ** 2 for a, b in zip(y_hat, y)) / 4 == 0.375
    assert sum(abs(a - b) for a, b in zip(y_hat, y)) / 4 == 0.5
    logits, classes = losses["logits"].tolist(), losses["classes"].tolist()
    ce = -sum(row[c] - math.log(sum(math.exp(v) for v in row)) for row, c in zip(logits, classes)) / 2
    assert torch.nn.functional.cross_entropy(losses["logits"], losses["classes"]).item() == pytest.approx(ce, abs=1e-6)
    z, labels = losses["z"].tolist(), losses["labels"].tolist()
    bce = (
        -sum(
            t * math.log(1 / (1 + math.exp(-v))) + (1 - t) * math.log(1 - 1 / (1 + math.exp(-v)))
            for v, t in zip(z, labels)
        )
        / 4
    )
    assert torch.nn.BCELoss()(losses["p"], losses["labels"]).item() == pytest.approx(bce, abs=1e-6)
    assert torch.nn.BCEWithLogitsLoss()(losses["z"], losses["labels"]).item() == pytest.approx(bce, abs=1e-6)



def test_softmax_by_its_formula(snippet):
    losses = snippet("loss_functions/losses.py")
    for row, probs in zip(losses["logits"].tolist(), losses["probs"].tolist()):
        total = sum(math.exp(v) for v in row)
        assert probs == pytest.approx([math.exp(v) / total for v in row], abs=1e-6)
        assert sum(probs) == pytest.approx(1.0, abs=1e-6) and min(probs) > 0
        # "in the same order as the logits"
        assert sorted(range(3), key=lambda c: row[c]) == sorted(range(3), key=lambda c: probs[c])
    assert torch.allclose(losses["probs"], torch.softmax(losses["logits"], dim=1))


def test_cross_entropy_takes_class_indices_or_class_probabilities(snippet):
    losses = snippet("loss_functions/losses.py")
    logits, classes, one_hot = losses["logits"], losses["classes"], losses["one_hot"]
    n, k = logits.shape
    assert classes.dtype == torch.int64 and classes.shape == (n,)
    assert one_hot.dtype == torch.float32 and one_hot.shape == (n, k)
    F = torch.nn.functional
    # A one-hot float row gives exactly the loss of the index (0.175456, the reviewer's 0.1755).
    assert F.cross_entropy(logits, one_hot).item() == pytest.approx(F.cross_entropy(logits, classes).item(), abs=1e-7)
    # Label smoothing: 1 - eps on the correct class, eps spread evenly over all K.
    eps, smoothed = losses["eps"], losses["smoothed"]
    assert torch.allclose(smoothed.sum(dim=1), torch.ones(n))
    for row, c in zip(smoothed.tolist(), classes.tolist()):
        assert row[c] == pytest.approx(1 - eps + eps / k)
        assert [v for j, v in enumerate(row) if j != c] == pytest.approx([eps / k] * (k - 1))
    # The loss with probability targets is the full cross-entropy -sum_c p_c log q_c, averaged over the batch.
    by_formula = 0.0
    for z, p in zip(logits.tolist(), smoothed.tolist()):
        log_total = math.log(sum(math.exp(v) for v in z))
        by_formula -= sum(pc * (zc - log_total) for pc, zc in zip(p, z)) / n
    assert F.cross_entropy(logits, smoothed).item() == pytest.approx(by_formula, abs=1e-6)
    assert losses["smoothed_by_hand"].item() == pytest.approx(by_formula, abs=1e-6)
    assert F.cross_entropy(logits, classes, label_smoothing=eps).item() == pytest.approx(by_formula, abs=1e-6)
    # Smoothing costs something on a confident, correct model: the loss rises above the hard-target loss.
    assert by_formula > F.cross_entropy(logits, classes).item()

def test_reduction_sum_is_mean_times_count(snippet):
    losses = snippet("loss_functions/losses.py")
    mse = torch.nn.MSELoss
    y, y_hat = losses["y"], losses["y_hat"]
    assert mse(reduction="sum")(y_hat, y).item() == 4 * mse()(y_hat, y).item() == 1.5
    assert torch.equal(mse(reduction="none")(y_hat, y), torch.tensor([0.25, 0.25, 0.0, 1.0]))


def test_mse_loss_averages_over_every_element_not_over_the_batch(snippet):
    losses = snippet("loss_functions/losses.py")
    Y, Y_hat, total = losses["Y"], losses["Y_hat"], losses["total"]
    n, d = Y.shape
    assert d > 1 and total > 0
    assert torch.nn.MSELoss()(Y_hat, Y).item() == pytest.approx(total / (n * d))
    assert torch.nn.MSELoss()(Y_hat, Y).item() != pytest.approx(total / n)
    # The reviewer's check: N = 2 examples with D = 3 outputs, each off by 1.
    assert torch.nn.MSELoss()(torch.ones(2, 3), torch.zeros(2, 3)).item() == 1.0


def test_logsumexp_does_not_overflow_where_the_naive_formula_does(snippet):
    losses = snippet("loss_functions/losses.py")
    big = losses["big"]
    assert big.exp().sum().log().item() == math.inf
    assert big.logsumexp(dim=0).item() == pytest.approx(big.max().item() + math.log1p(math.exp(-1000.0)))
    # Cross-entropy, computed from the log-softmax, stays finite and exact for such logits.
    loss = torch.nn.functional.cross_entropy(big[None, :], torch.tensor([1]))
    assert loss.item() == pytest.approx(1000.0)


def test_probability_targets_are_not_checked_to_sum_to_one(snippet):
    losses = snippet("loss_functions/losses.py")
    F = torch.nn.functional
    logits, classes, one_hot = losses["logits"], losses["classes"], losses["one_hot"]
    # Rows summing to 2 are accepted, and the loss doubles with them.
    assert F.cross_entropy(logits, 2 * one_hot).item() == pytest.approx(2 * F.cross_entropy(logits, classes).item())
    # The reviewer's example: equal logits, a row [2, 0, 0]: 2 log 3, no error.
    assert F.cross_entropy(torch.zeros(1, 3), torch.tensor([[2.0, 0.0, 0.0]])).item() == pytest.approx(2 * math.log(3))


def test_mse_picks_the_mean_and_l1_the_median(snippet):
    shapes = snippet("loss_functions/shapes.py")
    assert shapes["best_mse"].item() == pytest.approx(5.7, abs=1e-9)
    assert shapes["best_l1"].item() == pytest.approx(2.5, abs=1e-9)
    assert torch.equal(shapes["d_l1"].abs().unique(), torch.tensor([1.0]))  # L1's slope is always +-1
    # ...and PyTorch's L1 loss uses 0 at exactly zero error.
    assert shapes["e"].tolist() == [-1.0, 0.0, 1.0]
    assert shapes["e"].grad.tolist() == [-1.0, 0.0, 1.0]
    for loss in (torch.nn.L1Loss(), torch.nn.functional.l1_loss):
        at_zero = torch.tensor([2.0], requires_grad=True)
        loss(at_zero, torch.tensor([2.0])).backward()
        assert at_zero.grad.item() == 0.0
    assert shapes["d_mse"][-1].item() == pytest.approx(6.0)  # MSE's slope grows with the error


def test_softmax_before_cross_entropy_gives_a_wrong_loss_and_smaller_gradients(snippet):
    traps = snippet("loss_functions/traps.py")
    right = traps["right"].item()
    # (`wrong` is reused by the broadcasting block further down; recompute the softmax-first loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either: the mistake is silent
        wrong = traps["loss_fn"](torch.softmax(traps["logits"], dim=1), traps["target"]).item()
    logits = [4.0, 1.0, -2.0]
    assert right == pytest.approx(-(4.0 - math.log(sum(math.exp(v) for v in logits))), abs=1e-6)
    assert wrong > right
    q = [math.exp(v) / sum(math.exp(u) for u in logits) for v in logits]
    assert wrong == pytest.approx(-(q[0] - math.log(sum(math.exp(v) for v in q))), abs=1e-6)
    # Even a one-hot probability vector [1, 0, 0], read as logits, gives log(e + 2) - 1, never 0.
    assert traps["loss_fn"](torch.tensor([[1.0, 0.0, 0.0]]), traps["target"]).item() == pytest.approx(
        math.log(math.e + 2) - 1, abs=1e-6
    )
    assert traps["grad_wrong"].abs().max() < traps["grad_right"].abs().max()



def test_the_cross_entropy_gradient_is_softmax_minus_the_target_over_n(snippet):
    traps = snippet("loss_functions/traps.py")
    logits, target = traps["logits"].detach(), traps["target"]
    expected = torch.softmax(logits, dim=1) - torch.nn.functional.one_hot(target, 3).float()
    assert torch.allclose(traps["grad_right"], expected, atol=1e-7)
    # "here comes out at about 0.63 times the right one": every component, and the largest
    ratios = (traps["grad_wrong"] / traps["grad_right"]).flatten().tolist()
    assert all(0.62 < r < 0.64 for r in ratios)
    ratio = (traps["grad_wrong"].abs().max() / traps["grad_right"].abs().max()).item()
    assert ratio == pytest.approx(0.63, abs=0.005)
    # With the mean over a batch of N examples each row is divided by N; with probability targets p it is softmax - p.
    losses = snippet("loss_functions/losses.py")
    n = losses["logits"].shape[0]
    for targets, rows in [(losses["classes"], losses["one_hot"]), (losses["smoothed"], losses["smoothed"])]:
        z = losses["logits"].clone().requires_grad_()
        torch.nn.functional.cross_entropy(z, targets).backward()
        assert torch.allclose(z.grad, (torch.softmax(losses["logits"], dim=1) - rows) / n, atol=1e-7)

def test_bce_on_sigmoid_saturates_while_bce_with_logits_is_exact(snippet):
    traps = snippet("loss_functions/traps.py")
    assert traps["p"].item() == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # silent: no warning
        assert torch.nn.BCELoss()(traps["p"], traps["label"]).item() == 100.0
    assert traps["through_sigmoid"].item() == 100.0
    # "its gradient is exactly zero"
    z = traps["z"].detach().clone().requires_grad_()
    torch.nn.BCELoss()(torch.sigmoid(z), traps["label"]).backward()
    assert z.grad.item() == 0.0
    exact = 40.0 + math.log1p(math.exp(-40.0))  # log(1 + e^40)
    assert torch.nn.BCEWithLogitsLoss()(traps["z"], traps["label"]).item() == pytest.approx(exact, rel=1e-6)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        torch.nn.BCELoss()(traps["z"], traps["label"])


def test_bce_with_logits_equals_the_overflow_free_formula(snippet):
    traps = snippet("loss_functions/traps.py")
    assert traps["stable"].item() == pytest.approx(40.0, rel=1e-6)
    z = torch.tensor([-100.0, -40.0, -3.0, -0.5, 0.0, 0.5, 3.0, 40.0, 100.0])
    for label in (0.0, 1.0):
        y = torch.full_like(z, label)
        formula = z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))
        assert torch.isfinite(formula).all()
        pytorch = torch.nn.BCEWithLogitsLoss(reduction="none")(z, y)
        assert torch.allclose(formula, pytorch, rtol=1e-6, atol=1e-6)
        # ...and it is the binary cross-entropy, computed in float64 where that does not overflow
        z64 = z.double()
        p64 = torch.sigmoid(z64)
        small = z.abs() <= 30
        by_definition = -(label * p64.log() + (1 - label) * (1 - p64).log())
        assert torch.allclose(formula.double()[small], by_definition[small], rtol=1e-5, atol=1e-6)


def test_the_sigmoid_rounds_to_1_in_float32_from_about_16_6(snippet):
    traps = snippet("loss_functions/traps.py")
    grid, saturated = traps["grid"], traps["saturated"]
    threshold = saturated[0].item()
    assert 16.55 < threshold < 16.7  # "from about 16.6 up"
    # every logit from there up rounds to 1, every one below does not
    assert (torch.sigmoid(grid[grid >= threshold]) == 1.0).all()
    assert (torch.sigmoid(grid[grid < threshold]) < 1.0).all()
    assert grid.dtype == torch.float32
    # "there the loss jumps to 100": at 16 it is still finite (if already off), at 17 it is 100
    label = torch.tensor([0.0])
    at_16 = torch.nn.BCELoss()(torch.sigmoid(torch.tensor([16.0])), label).item()
    at_17 = torch.nn.BCELoss()(torch.sigmoid(torch.tensor([17.0])), label).item()
    assert 15.5 < at_16 < 16.0 + 1e-6 and at_17 == 100.0
    assert traps["loss_at"].item() == 100.0  # the last one printed, z = 17


def test_the_broadcasting_bug_averages_a_3_by_3_table_and_warns(snippet):
    traps = snippet("loss_functions/traps.py")
    pred, y = traps["pred"].squeeze(1).tolist(), traps["y"].tolist()
    table = [(p - t) ** 2 for p in pred for t in y]  # every prediction against every target
    assert traps["wrong"].item() == pytest.approx(sum(table) / 9)
    assert torch.nn.MSELoss()(traps["pred"], traps["y"].reshape(-1, 1)).item() == 0.0
    assert traps["wrong"].item() == pytest.approx(12 / 9)  # the 1.3333 the page quotes
    with pytest.warns(UserWarning, match="Using a target size"):
        torch.nn.MSELoss()(traps["pred"], traps["y"])
    # "nn.MSELoss only warns, and a hand-written mean does not even do that"
    assert len(traps["caught"]) == 1 and len(traps["caught_by_hand"]) == 0
    assert traps["by_hand"].item() == pytest.approx(traps["wrong"].item())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ((traps["pred"] - traps["y"]) ** 2).mean().item() == pytest.approx(12 / 9)
    # "nn.BCEWithLogitsLoss refuses the mismatch with a ValueError"
    with pytest.raises(ValueError, match="same as input size"):
        torch.nn.BCEWithLogitsLoss()(traps["pred"], torch.tensor([0.0, 1.0, 1.0]))
    # Reshaping the targets or squeezing the predictions gives 0.
    assert traps["reshaped"].item() == 0.0 and traps["squeezed"].item() == 0.0


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
_FIXED_LOSS = "def training_loss(predictions, targets):\n    return nn.MSELoss()(predictions, targets.reshape(-1, 1))\n"
WRONG_ANSWERS = {
    "ce": [
        # the probability each class gets, not its negative log
        ("def unsure_loss(num_classes):\n    return 1 / num_classes\n", "but nn.CrossEntropyLoss gives"),
        # the page's four classes only
        ("import math\ndef unsure_loss(num_classes):\n    return math.log(4)\n", "with 2 classes your loss is"),
        # log to base 10
        (
            "import math\ndef unsure_loss(num_classes):\n    return math.log10(num_classes)\n",
            "with 2 classes your loss is 0.3010",
        ),
    ],
    "binary": [
        # the sign flipped: label minus probability
        ("def bce_gradient(z, y):\n    return y - torch.sigmoid(z)\n", "differs from autograd's"),
        # the chain rule through p, not simplified: 0 / 0 where sigmoid(z) rounds to 1
        (
            "def bce_gradient(z, y):\n"
            "    p = torch.sigmoid(z)\n"
            "    return (-y / p + (1 - y) / (1 - p)) * p * (1 - p)\n",
            "nan or inf at z = 40",
        ),
        # the mean's 1/N, which the question's per-example loss does not have
        ("def bce_gradient(z, y):\n    return (torch.sigmoid(z) - y) / z.numel()\n", "differs from autograd's"),
        # the derivative of the mean loss, one number: the examples' derivatives averaged
        ("def bce_gradient(z, y):\n    return (torch.sigmoid(z) - y).mean()\n", "one derivative per logit"),
    ],
    "broadcast": [
        # the targets made a row, not a column: the 64 x 64 table again
        (
            "def training_loss(predictions, targets):\n    return nn.MSELoss()(predictions, targets.reshape(1, -1))\n",
            "over the 64 pairs",
        ),
        # the sample variance, dividing by N - 1
        (_FIXED_LOSS + "def stalled_loss(targets):\n    return targets.var()\n", "the loss with the bug stalls at"),
        # the mean of the targets, which the model learns to predict
        (_FIXED_LOSS + "def stalled_loss(targets):\n    return targets.mean()\n", "the loss with the bug stalls at"),
    ],
}


def test_exercise_answers(snippet):
    exercise = snippet("loss_functions/exercises.py")
    assert exercise["loss"].item() == pytest.approx(math.log(4), abs=1e-6)
    # log K for any K: the loss of equal logits over K classes.
    for classes in (2, 4, 10):
        equal = torch.nn.CrossEntropyLoss()(torch.zeros(1, classes), torch.tensor([1]))
        assert exercise["unsure_loss"](classes) == pytest.approx(equal.item(), abs=1e-6)


def test_exercise_2_the_binary_cross_entropy_gradient_is_sigmoid_minus_the_label(snippet):
    exercise = snippet("loss_functions/exercises.py")
    z, labels = exercise["z"].detach(), exercise["labels"]
    assert set(labels.tolist()) == {0.0, 1.0}  # both labels
    for value, label, grad in zip(z.tolist(), labels.tolist(), exercise["z"].grad.tolist()):
        sigma = 1 / (1 + math.exp(-value))
        assert grad == pytest.approx(sigma - label, abs=1e-6)
        # ...and by the chain rule through p, term by term, where p is not rounded to 0 or 1
        if 0 < sigma < 1:
            assert grad == pytest.approx((-label / sigma + (1 - label) / (1 - sigma)) * sigma * (1 - sigma), abs=1e-6)
    # The solution's formula gives what autograd gives.
    assert torch.allclose(exercise["bce_gradient"](z, labels), exercise["z"].grad, atol=1e-6)
    # A confident wrong prediction, z = 40 with label 0: the gradient is about 1, the largest it can be.
    assert 40.0 in z.tolist()
    confident = z.tolist().index(40.0)
    assert labels[confident].item() == 0.0 and exercise["z"].grad[confident].item() == pytest.approx(1.0, abs=1e-6)
    # Through a sigmoid that rounds to 1 and BCELoss, the same example gets no gradient at all.
    w = torch.tensor([40.0], requires_grad=True)
    torch.nn.BCELoss()(torch.sigmoid(w), torch.tensor([0.0])).backward()
    assert w.grad.item() == 0.0


def test_exercise_3_the_broadcast_loss_stalls_at_the_variance_of_the_targets(snippet):
    exercise = snippet("loss_functions/exercises.py")
    y = exercise["y"].double()
    variance = y.var(correction=0).item()  # the population variance, dividing by N
    # The identity: the mean of the N x N table = mean_i (p_i - mean y)^2 + Var(y), for any predictions.
    p = torch.randn(64, dtype=torch.float64)
    table = ((p[:, None] - y[None, :]) ** 2).mean().item()
    assert table == pytest.approx(((p - y.mean()) ** 2).mean().item() + variance, rel=1e-12)
    # The solution's stalled_loss is that variance.
    assert exercise["stalled_loss"](exercise["y"]).item() == pytest.approx(variance, rel=1e-6)
    # Trained with the bug, the model predicts the mean for every input and the loss stalls at Var(y).
    assert exercise["stalled"] == pytest.approx(variance, rel=1e-4)
    assert exercise["model"].weight.item() == pytest.approx(0.0, abs=1e-4)
    assert exercise["model"].bias.item() == pytest.approx(y.mean().item(), abs=1e-4)
    # The printed "weight 0.0000, bias ..., mean of y ..." agree to the digits shown.
    assert f"{exercise['model'].bias.item():.4f}" == f"{y.mean().item():.4f}"
    assert f"{exercise['stalled']:.4f}" == f"{variance:.4f}"
    # With the targets reshaped, the same model gets down to the noise (standard deviation 0.1).
    assert exercise["fixed_loss"] < 0.02 < variance
