"""Chapter 4, Objective and loss functions: every formula against PyTorch, and every trap."""

import math

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


def test_mse_picks_the_mean_and_l1_the_median(snippet):
    shapes = snippet("loss_functions/shapes.py")
    assert shapes["best_mse"].item() == pytest.approx(5.7, abs=1e-9)
    assert shapes["best_l1"].item() == pytest.approx(2.5, abs=1e-9)
    assert torch.equal(shapes["d_l1"].abs().unique(), torch.tensor([1.0]))  # L1's slope is always +-1
    assert shapes["d_mse"][-1].item() == pytest.approx(6.0)  # MSE's slope grows with the error


def test_softmax_before_cross_entropy_gives_a_wrong_loss_and_smaller_gradients(snippet):
    traps = snippet("loss_functions/traps.py")
    right, wrong = traps["right"].item(), traps["wrong"].item()
    logits = [4.0, 1.0, -2.0]
    assert right == pytest.approx(-(4.0 - math.log(sum(math.exp(v) for v in logits))), abs=1e-6)
    assert wrong > right
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
    # "here comes out about a third smaller"
    ratio = (traps["grad_wrong"].abs().max() / traps["grad_right"].abs().max()).item()
    assert 0.6 < ratio < 0.72
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
    assert torch.nn.BCELoss()(traps["p"], traps["label"]).item() == 100.0
    exact = 40.0 + math.log1p(math.exp(-40.0))  # log(1 + e^40)
    assert torch.nn.BCEWithLogitsLoss()(traps["z"], traps["label"]).item() == pytest.approx(exact, rel=1e-6)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        torch.nn.BCELoss()(traps["z"], traps["label"])


def test_the_broadcasting_bug_averages_a_3_by_3_table_and_warns(snippet):
    traps = snippet("loss_functions/traps.py")
    pred, y = traps["pred"].squeeze(1).tolist(), traps["y"].tolist()
    table = [(p - t) ** 2 for p in pred for t in y]  # every prediction against every target
    assert traps["wrong"].item() == pytest.approx(sum(table) / 9)
    assert torch.nn.MSELoss()(traps["pred"], traps["y"].reshape(-1, 1)).item() == 0.0
    assert traps["wrong"].item() == pytest.approx(12 / 9)  # the 1.3333 the page quotes
    with pytest.warns(UserWarning, match="Using a target size"):
        torch.nn.MSELoss()(traps["pred"], traps["y"])


def test_exercise_answers(snippet):
    exercise = snippet("loss_functions/exercises.py")
    assert exercise["loss"].item() == pytest.approx(math.log(4), abs=1e-6)


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
    # Trained with the bug, the model predicts the mean for every input and the loss stalls at Var(y).
    assert exercise["stalled"] == pytest.approx(variance, rel=1e-4)
    assert exercise["model"].weight.item() == pytest.approx(0.0, abs=1e-4)
    assert exercise["model"].bias.item() == pytest.approx(y.mean().item(), abs=1e-4)
    # The printed "weight 0.0000, bias ..., mean of y ..." agree to the digits shown.
    assert f"{exercise['model'].bias.item():.4f}" == f"{y.mean().item():.4f}"
    assert f"{exercise['stalled']:.4f}" == f"{variance:.4f}"
    # With the targets reshaped, the same model gets down to the noise (standard deviation 0.1).
    assert exercise["fixed_loss"] < 0.02 < variance
