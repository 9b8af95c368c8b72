"""Chapter 9, Classification: softmax and its stability, cross-entropy and its gradient, the binary
case and its threshold, nn.Module, a Dataset and a DataLoader, and the evaluation loop."""

import math

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader


@pytest.fixture(scope="module")
def probabilities(snippet):
    return snippet("classification/probabilities.py")


@pytest.fixture(scope="module")
def cross_entropy(snippet):
    return snippet("classification/cross_entropy.py")


@pytest.fixture(scope="module")
def binary(snippet):
    return snippet("classification/binary.py")


@pytest.fixture(scope="module")
def module(snippet):
    return snippet("classification/module.py")


@pytest.fixture(scope="module")
def spirals(snippet):
    return snippet("classification/spirals.py")


def by_formula(row):
    total = sum(math.exp(v) for v in row)
    return [math.exp(v) / total for v in row]


def test_softmax_by_its_formula_rows_sum_to_1_and_keep_the_order(probabilities):
    for row, probs in zip(probabilities["logits"].tolist(), probabilities["probs"].tolist()):
        assert probs == pytest.approx(by_formula(row), abs=1e-6)
        assert sum(probs) == pytest.approx(1.0, abs=1e-6) and min(probs) > 0
        assert sorted(range(3), key=row.__getitem__) == sorted(range(3), key=probs.__getitem__)


def test_adding_a_constant_to_a_row_changes_no_probability(probabilities):
    logits = probabilities["logits"].double()
    for shift in (-100.0, 3.0, 50.0):
        assert torch.allclose(torch.softmax(logits + shift, dim=1), torch.softmax(logits, dim=1), atol=1e-12)
    assert torch.allclose(probabilities["shifted"], probabilities["probs"])


def test_float32_overflows_between_e_88_and_e_89_and_the_naive_softmax_gives_nan(probabilities):
    largest = torch.finfo(torch.float32).max
    assert 88 < math.log(largest) < 89  # e^88 is finite in float32, e^89 is not
    assert torch.isfinite(torch.tensor(88.0).exp()) and torch.tensor(89.0).exp() == math.inf
    assert torch.isnan(probabilities["naive"]).all()
    # The max-subtracted softmax is the exact one (computed in float64, where nothing overflows here).
    exact = torch.tensor(by_formula([0.0, -1.0, -10.0]))
    assert torch.allclose(probabilities["stable"].double()[0], exact.double(), rtol=1e-5)
    assert torch.allclose(probabilities["stable"], torch.softmax(probabilities["big"], dim=1))
    # After the subtraction the largest term is e^0 = 1, so the sum lies between 1 and K.
    shifted = probabilities["big"] - probabilities["top"]
    assert shifted.max().item() == 0.0 and 1 <= shifted.exp().sum().item() <= 3
    # In float16, whose largest number is 65504, e^z overflows from z = 11.1.
    assert torch.finfo(torch.float16).max == 65504 and round(math.log(65504), 1) == 11.1
    assert torch.isfinite(torch.tensor(11.0, dtype=torch.float16).exp())
    assert torch.tensor(11.1, dtype=torch.float16).exp() == math.inf


def test_a_shifted_exponential_underflows_only_about_104_below_the_largest_and_its_log_is_minus_inf():
    tiny = torch.finfo(torch.float32).smallest_normal * 2.0**-23  # the smallest positive float32
    assert f"{tiny:.1e}" == "1.4e-45" and round(math.log(tiny), 1) == -103.3
    assert torch.tensor(-103.9).exp() > 0 and torch.tensor(-104.0).exp() == 0
    assert math.exp(-104) < 1e-45
    # A logit 104 below the largest: the softmax rounds its probability to 0 and the log is -inf,
    # while the log-softmax computed directly stays exact.
    z = torch.tensor([[0.0, -104.0]])
    assert torch.softmax(z, dim=1)[0, 1] == 0 and torch.softmax(z, dim=1).log()[0, 1] == -math.inf
    assert torch.log_softmax(z, dim=1)[0, 1].item() == pytest.approx(-104.0)


def test_the_prediction_is_the_argmax_and_the_accuracy_three_of_four(probabilities):
    logits, labels = probabilities["logits"].tolist(), probabilities["labels"].tolist()
    predicted = [max(range(3), key=row.__getitem__) for row in logits]
    assert probabilities["predicted"].tolist() == predicted
    assert sum(p == y for p, y in zip(predicted, labels)) == 3 and probabilities["accuracy"] == 0.75
    # The wrong one is the fourth, predicted with a probability of only 0.39.
    assert predicted[3] != labels[3] and all(p == y for p, y in zip(predicted[:3], labels[:3]))
    assert probabilities["probs"][3].max().item() == pytest.approx(0.39, abs=0.005)
    # Accuracy has no gradient: argmax is piecewise constant.
    z = probabilities["logits"].clone().requires_grad_()
    assert not (z.argmax(dim=1) == probabilities["labels"]).float().mean().requires_grad


def test_cross_entropy_by_hand_equals_nn_cross_entropy_loss_which_takes_int64_labels(cross_entropy):
    logits, labels = cross_entropy["logits"].detach(), cross_entropy["labels"]
    assert labels.dtype == torch.int64 and labels.shape == (4,) and logits.shape == (4, 3)
    per_example = [-math.log(by_formula(row)[c]) for row, c in zip(logits.tolist(), labels.tolist())]
    assert cross_entropy["per_example"].tolist() == pytest.approx(per_example, abs=1e-6)
    assert cross_entropy["by_hand"].item() == pytest.approx(sum(per_example) / 4, abs=1e-6)
    assert cross_entropy["loss"].item() == pytest.approx(sum(per_example) / 4, abs=1e-6)
    # The fourth example, the wrong one, contributes most of the loss: more than the other three together.
    assert per_example[3] == max(per_example) and per_example[3] > sum(per_example[:3])
    with pytest.raises(RuntimeError, match="Long"):
        nn.CrossEntropyLoss()(logits, labels.float())


def test_the_gradient_is_softmax_minus_one_hot_over_n_and_its_rows_sum_to_zero(cross_entropy):
    logits, labels = cross_entropy["logits"].detach().double(), cross_entropy["labels"]
    z = logits.clone().requires_grad_()
    nn.CrossEntropyLoss()(z, labels).backward()
    expected = [[(p - (c == y)) / 4 for c, p in enumerate(by_formula(row))]
                for row, y in zip(logits.tolist(), labels.tolist())]
    assert z.grad.tolist() == [pytest.approx(row, abs=1e-12) for row in expected]
    assert torch.allclose(cross_entropy["logits"].grad, cross_entropy["formula"], atol=1e-7)
    assert torch.allclose(z.grad.sum(dim=1), torch.zeros(4, dtype=torch.float64), atol=1e-15)
    # The largest push is on the wrong example's correct class.
    assert z.grad.abs().argmax().item() == 3 * 3 + 2


def test_a_fresh_model_starts_near_log_k(cross_entropy):
    assert sorted(cross_entropy["first_loss"]) == sorted(cross_entropy["largest_logit"]) == [3, 10]
    for classes, first in cross_entropy["first_loss"].items():
        # Logits close to 0 (all within about 1.6 of it), so the first loss is close to log K.
        assert cross_entropy["largest_logit"][classes] < 1.6
        assert abs(first - math.log(classes)) < 0.04
    # Equal logits give exactly log K, and nn.Linear draws its weights within 1/sqrt(fan_in) of 0.
    assert nn.CrossEntropyLoss()(torch.zeros(1, 3), torch.tensor([1])).item() == pytest.approx(math.log(3))
    layer = cross_entropy["model"][2]
    assert layer.weight.abs().max().item() <= 1 / math.sqrt(32)


def test_inputs_not_standardised_start_far_above_log_k():
    """The same fresh 3-class model, its inputs times 100, starts at a loss above 14, not 1.1."""
    torch.manual_seed(0)
    x = torch.randn(1000, 2)
    y = torch.randint(0, 3, (1000,))
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 3))
    with torch.no_grad():
        standardised = nn.CrossEntropyLoss()(model(x), y).item()
        scaled = nn.CrossEntropyLoss()(model(100 * x), y).item()
    assert f"{standardised:.1f}" == "1.1" and scaled > 14


def test_sigmoid_then_bce_loss_stalls_at_100_with_no_gradient_while_bce_with_logits_is_exact(binary):
    z, through_p, from_z = binary["z"].detach(), binary["through_p"].detach(), binary["from_z"].detach()
    exact = [v + math.log1p(math.exp(-v)) for v in z.tolist()]  # log(1 + e^z), label 0
    assert from_z.tolist() == pytest.approx(exact, rel=1e-6)
    assert binary["grad_z"].tolist() == pytest.approx([1 / (1 + math.exp(-v)) for v in z.tolist()], abs=1e-6)
    saturated = torch.sigmoid(z) == 1.0
    assert saturated.tolist() == [False, False, True, True]
    assert (through_p[saturated] == 100.0).all() and (binary["grad_p"][saturated] == 0.0).all()
    # At z = 5 both agree; at z = 10, 1 - sigmoid(10) has lost digits in float32: 9.9996, not 10.0000.
    assert through_p[0].item() == pytest.approx(exact[0], rel=1e-5)
    assert abs(through_p[1].item() - exact[1]) > 3e-4 and f"{through_p[1].item():.4f}" == "9.9996"


def test_two_class_softmax_is_the_sigmoid():
    z = torch.linspace(-8, 8, 17, dtype=torch.float64)
    pair = torch.stack([torch.zeros_like(z), z], dim=1)
    assert torch.allclose(torch.softmax(pair, dim=1)[:, 1], torch.sigmoid(z), atol=1e-15)


def test_precision_and_recall_at_each_threshold(binary):
    p, y = binary["p"].tolist(), binary["y"].tolist()
    assert sum(y) == 6 and len(y) == 12
    stated = {0.3: (5 / 9, 5 / 6, 7 / 12), 0.5: (4 / 6, 4 / 6, 8 / 12), 0.7: (1.0, 3 / 6, 9 / 12)}
    for threshold, (precision, recall, accuracy) in stated.items():
        predicted = [int(v >= threshold) for v in p]
        tp = sum(a == 1 and b == 1 for a, b in zip(predicted, y))
        fp = sum(a == 1 and b == 0 for a, b in zip(predicted, y))
        fn = sum(a == 0 and b == 1 for a, b in zip(predicted, y))
        assert (tp / (tp + fp), tp / (tp + fn), sum(a == b for a, b in zip(predicted, y)) / 12) == pytest.approx(
            (precision, recall, accuracy)
        )
    # "a threshold of 0.5 on p is a threshold of 0 on the logit"
    assert torch.equal(binary["p"] >= 0.5, torch.logit(binary["p"]) >= 0)


def test_a_module_registers_attribute_layers_and_call_runs_the_hooks(module):
    model = module["model"]  # the last model the snippet made: the ModuleList one
    names = [name for name, _ in module["Classifier"](hidden=8, classes=3).named_parameters()]
    assert names == ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert isinstance(model.blocks, nn.ModuleList)
    classifier = module["Classifier"](hidden=8, classes=3)
    calls = []
    handle = classifier.register_forward_hook(lambda m, i, o: calls.append(o.shape))
    x = torch.randn(5, 2)
    classifier(x)
    classifier.forward(x)
    handle.remove()
    classifier(x)
    assert calls == [(5, 3)]  # model(x) fires it; forward(x) and model(x) after remove() do not


def test_pruning_rests_on_a_forward_pre_hook_that_forward_alone_skips():
    from torch.nn.utils import prune

    torch.manual_seed(0)
    layer = nn.Linear(4, 2)
    prune.l1_unstructured(layer, "weight", amount=0.5)
    assert len(layer._forward_pre_hooks) == 1
    with torch.no_grad():
        layer.weight_orig.add_(1.0)  # as an optimizer step would
    x = torch.randn(3, 4)
    masked = x @ (layer.weight_orig * layer.weight_mask).T + layer.bias
    # forward first: model(x) would refresh the weight through the hook for it
    assert not torch.allclose(layer.forward(x), masked)
    assert torch.allclose(layer(x), masked)


def test_layers_in_a_plain_list_are_not_found_not_saved_and_not_trained(module):
    deep = module["Deep"]
    broken, fixed = deep(list), deep(nn.ModuleList)
    assert len(list(broken.parameters())) == 2 and len(list(fixed.parameters())) == 6
    assert list(broken.state_dict()) == ["out.weight", "out.bias"]
    torch.manual_seed(0)
    model = deep(list)
    first = model.blocks[0].weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    loss = nn.CrossEntropyLoss()(model(module["x"]), module["y"])
    loss.backward()
    optimizer.step()
    assert model.blocks[0].weight.grad is not None  # backward reaches them...
    assert torch.equal(model.blocks[0].weight, first)  # ...the optimizer does not
    # Trained for the snippet's 20 steps, the broken model's loss stays high: only its last layer learns.
    for step in range(19):
        loss = nn.CrossEntropyLoss()(model(module["x"]), module["y"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert torch.equal(model.blocks[0].weight, first)
    assert loss.item() > 1.0 > 2 * module["loss"].item()  # the ModuleList model's, the last one printed
    # zero_grad() does not reach the list's layers either: their .grad accumulates.
    before = model.blocks[0].weight.grad.clone()
    optimizer.zero_grad()
    assert torch.equal(model.blocks[0].weight.grad, before)
    nn.CrossEntropyLoss()(model(module["x"]), module["y"]).backward()
    assert not torch.equal(model.blocks[0].weight.grad, before)
    # Nor does model.eval(): a dropout layer in the list stays in training mode.
    held = deep(list)
    held.blocks.append(nn.Dropout(0.5))
    held.eval()
    assert not held.training and held.blocks[-1].training and not held.out.training


def test_the_dataset_has_the_stated_sizes_items_and_order(spirals):
    train_set, val_set = spirals["train_set"], spirals["val_set"]
    assert (len(train_set), len(val_set)) == (300, 120)
    features, label = train_set[0]
    assert features.shape == (2,) and features.dtype == torch.float32
    assert label.shape == () and label.dtype == torch.int64
    assert train_set.y[:100].unique().tolist() == [0] and train_set.y[-100:].unique().tolist() == [2]
    assert torch.bincount(val_set.y).tolist() == [40, 40, 40]
    # The radius runs from 0.1 to 1: every point lies within the figure's [-1.15, 1.15] square.
    assert val_set.x.abs().max() < 1.15 and train_set.x.abs().max() < 1.15


def test_the_loader_batches_collate_and_shuffle_as_stated(spirals):
    train_set, val_set = spirals["train_set"], spirals["val_set"]
    sizes = [len(y) for _, y in DataLoader(train_set, batch_size=64)]
    assert sizes == [64, 64, 64, 64, 44] and 300 == 4 * 64 + 44
    assert [len(y) for _, y in spirals["val_loader"]] == [64, 56]
    x, y = next(iter(DataLoader(val_set, batch_size=64)))
    assert x.shape == (64, 2) and x.dtype == torch.float32 and y.shape == (64,) and y.dtype == torch.int64
    # Shuffled: a new order every epoch, each batch mixing the classes; in order: the first batch is all class 0.
    loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
    first, second = (next(iter(loader))[1] for _ in range(2))
    assert not torch.equal(first, second) and len(first.unique()) == 3
    assert next(iter(DataLoader(train_set, batch_size=64)))[1].unique().tolist() == [0]


def test_evaluation_sums_over_examples_and_an_untrained_model_is_near_log_3(spirals):
    torch.manual_seed(0)
    model = spirals["MLP"]([2, 32, 32, 3])
    x, y = spirals["val_set"].x, spirals["val_set"].y
    with torch.no_grad():
        logits = model(x)
    loss, accuracy = spirals["evaluate"](model, spirals["val_loader"])
    assert loss == pytest.approx(nn.functional.cross_entropy(logits, y).item(), abs=1e-6)
    assert accuracy == pytest.approx((logits.argmax(dim=1) == y).float().mean().item())
    assert abs(loss - math.log(3)) < 0.01
    # The mean of the two batches' accuracies differs: the 56-example batch weighs as much as the 64.
    batch_means = [(logits[a:b].argmax(dim=1) == y[a:b]).float().mean().item() for a, b in ((0, 64), (64, 120))]
    assert sum(batch_means) / 2 != pytest.approx(accuracy, abs=1e-3)
    assert spirals["batch_means"] == pytest.approx(batch_means)
    # model.eval() alone still records a graph; torch.no_grad() stops it; evaluate restores the mode.
    model.eval()
    assert model(x).requires_grad
    with torch.no_grad():
        assert not model(x).requires_grad
    model.train()
    spirals["evaluate"](model, spirals["val_loader"])
    assert model.training
    assert isinstance(model.hidden, nn.ModuleList) and len(list(model.parameters())) == 6


def test_the_training_run_as_the_page_tells_it(spirals):
    train, validation = spirals["history"]["train"], spirals["history"]["validation"]
    assert len(train) == len(validation) == 61 and sorted(spirals["snapshots"]) == [0, 5, 15, 60]
    losses = [loss for loss, _ in train]
    val_losses = [loss for loss, _ in validation]
    # The training loss falls from near log 3 to under 0.01; training accuracy reaches 1.
    assert abs(losses[0] - math.log(3)) < 0.02 and losses[-1] < 0.01 and train[-1][1] == 1.0
    # From epoch 30 the validation accuracy stays at 118 or 119 of 120 (both accuracies between 0.98 and 1)...
    assert {round(validation[e][1] * 120) for e in range(30, 61)} == {118, 119}
    assert all(0.98 <= acc[e][1] <= 1.0 for acc in (train, validation) for e in range(30, 61))
    # ...while the validation loss wobbles between 0.11 and 0.14 from epoch 26, lowest at epoch 41.
    assert all(0.11 <= val_losses[e] <= 0.14 for e in range(26, 61)) and not 0.11 <= val_losses[25] <= 0.14
    lowest = spirals["lowest"]
    assert val_losses[lowest] == min(val_losses) and lowest == 41
    assert val_losses[-1] > val_losses[lowest]
    # The wobble, a few hundredths from one epoch to the next, is as large as the rise after the minimum.
    steps = [abs(val_losses[e + 1] - val_losses[e]) for e in range(26, 60)]
    assert 0.01 < max(steps) < 0.05 and max(steps) > val_losses[-1] - val_losses[lowest]
    # They fall together until about epoch 10, both from log 3.
    assert all(abs(val_losses[e] - losses[e]) < 0.05 for e in range(11))
    assert abs(val_losses[0] - math.log(3)) < 0.02
    # Both accuracies start near 0.5 and are above 0.9 by epoch 15.
    assert all(abs(acc[0][1] - 0.5) < 0.05 and acc[15][1] > 0.9 for acc in (train, validation))
    # ...and the gap between the two losses grows: more than ten times the training loss at the end.
    assert val_losses[-1] > 10 * losses[-1] and val_losses[30] - losses[30] < val_losses[-1] - losses[-1]
    # The validation accuracy of the figure's panels.
    assert [round(validation[e][1], 2) for e in (0, 5, 15, 60)] == [0.46, 0.64, 0.94, 0.99]
    # The loss keeps falling after the accuracy stops rising: from epoch 30 to 60 on the training set.
    assert train[30][1] >= 0.99 and losses[60] < losses[30] / 5
    assert (f"{losses[30]:.4f}", f"{losses[60]:.4f}") == ("0.0334", "0.0060")
    # The gap between the losses widens steadily: every 10 epochs from 20 on.
    gaps = [val_losses[e] - losses[e] for e in range(20, 61, 10)]
    assert gaps == sorted(gaps)


def test_the_decision_regions_as_the_figure_shows_them(spirals):
    """Epoch 0: two regions, class 0 over the upper left, class 2 elsewhere, class 1 nowhere;
    epoch 5: all three classes have a region."""
    model = spirals["MLP"]([2, 32, 32, 3]).eval()
    points = spirals["points"]
    regions = {}
    for epoch in (0, 5):
        model.load_state_dict(spirals["snapshots"][epoch])
        with torch.no_grad():
            regions[epoch] = model(points).argmax(dim=1)
    counts = torch.bincount(regions[0], minlength=3).tolist()
    assert counts[1] == 0 and counts[0] > 0 and counts[2] > 0
    blue, green = points[regions[0] == 0].mean(dim=0), points[regions[0] == 2].mean(dim=0)
    assert blue[0] < 0 < blue[1] and blue[0] < green[0] and blue[1] > green[1]
    assert all(n > 0 for n in torch.bincount(regions[5], minlength=3).tolist())


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
WRONG_ANSWERS = {
    "softmax": [
        # the formula as written, without the max subtraction: inf / inf
        ("def softmax(logits):\n    e = logits.exp()\n    return e / e.sum(dim=1, keepdim=True)\n", "nan or inf"),
        # one maximum for the whole tensor: rows far below it underflow to 0 / 0
        (
            "def softmax(logits):\n    e = (logits - logits.max()).exp()\n    return e / e.sum(dim=1, keepdim=True)\n",
            "nan or inf for the row of logits [0.0, -1.0, -2.0]",
        ),
        # normalised over the wrong dimension: the columns sum to 1, the rows do not
        (
            "def softmax(logits):\n"
            "    e = (logits - logits.max(dim=0, keepdim=True).values).exp()\n"
            "    return e / e.sum(dim=0, keepdim=True)\n",
            "your rows sum to",
        ),
    ],
    "cross_entropy": [
        # the log of a softmax formed first: log 0 for a very unlikely class
        (
            "def cross_entropy(logits, labels):\n"
            "    p = logits.exp() / logits.exp().sum(dim=1, keepdim=True)\n"
            "    return -p[torch.arange(len(labels)), labels].log().mean()\n",
            "compute the log-probabilities directly",
        ),
        # indexing with the labels alone picks columns for every row: an (N, N) table's mean
        (
            "def cross_entropy(logits, labels):\n"
            "    top = logits.max(dim=1, keepdim=True).values\n"
            "    log_p = logits - top - (logits - top).exp().sum(dim=1, keepdim=True).log()\n"
            "    return -log_p[:, labels].mean()\n",
            "but nn.CrossEntropyLoss gives",
        ),
        # the maximum subtracted inside the log but not added back: log sum e^{z-m}, not log sum e^z
        (
            "def cross_entropy(logits, labels):\n"
            "    top = logits.max(dim=1, keepdim=True).values\n"
            "    log_p = logits - (logits - top).exp().sum(dim=1, keepdim=True).log()\n"
            "    return -log_p[torch.arange(len(labels)), labels].mean()\n",
            "but nn.CrossEntropyLoss gives",
        ),
        # the sum over the batch, not the mean
        (
            "def cross_entropy(logits, labels):\n"
            "    top = logits.max(dim=1, keepdim=True).values\n"
            "    log_p = logits - top - (logits - top).exp().sum(dim=1, keepdim=True).log()\n"
            "    return -log_p[torch.arange(len(labels)), labels].sum()\n",
            "but nn.CrossEntropyLoss gives",
        ),
        # one loss per example, not their mean
        (
            "def cross_entropy(logits, labels):\n"
            "    top = logits.max(dim=1, keepdim=True).values\n"
            "    log_p = logits - top - (logits - top).exp().sum(dim=1, keepdim=True).log()\n"
            "    return -log_p[torch.arange(len(labels)), labels]\n",
            "return one number",
        ),
    ],
    "accuracy": [
        # the mean of the batches' accuracies: the short last batch weighs as much as a full one
        (
            "def accuracy(model, loader):\n"
            "    model.eval()\n"
            "    with torch.no_grad():\n"
            "        scores = [(model(x).argmax(dim=1) == y).float().mean().item() for x, y in loader]\n"
            "    return sum(scores) / len(scores)\n",
            "on 100 examples in batches of 32",
        ),
        # no model.eval(): dropout still zeroes hidden units
        (
            "def accuracy(model, loader):\n"
            "    correct, count = 0, 0\n"
            "    with torch.no_grad():\n"
            "        for x, y in loader:\n"
            "            correct += (model(x).argmax(dim=1) == y).sum().item()\n"
            "            count += len(y)\n"
            "    return correct / count\n",
            "but the model gets",
        ),
        # every batch counted as full
        (
            "def accuracy(model, loader):\n"
            "    model.eval()\n"
            "    correct = 0\n"
            "    with torch.no_grad():\n"
            "        for x, y in loader:\n"
            "            correct += (model(x).argmax(dim=1) == y).sum().item()\n"
            "    return correct / (len(loader) * loader.batch_size)\n",
            "on 100 examples in batches of 32",
        ),
    ],
}


def test_exercise_solutions(snippet):
    exercise = snippet("classification/exercises.py")
    logits = torch.tensor([[1000.0, 999.0], [0.0, -1.0]])
    assert torch.allclose(exercise["softmax"](logits), torch.softmax(logits, dim=1))
    # The solution's example: the second row's loss is 200, its logit's gap to the largest.
    assert exercise["cross_entropy"](exercise["logits"], exercise["labels"]).item() == pytest.approx(
        nn.CrossEntropyLoss()(exercise["logits"], exercise["labels"]).item()
    )
    assert nn.CrossEntropyLoss()(exercise["logits"][1:], exercise["labels"][1:]).item() == pytest.approx(200.0)


# Correct answers other than the page's solution, which each check must accept (the review found
# checks that rejected some of them: float64 results, logsumexp's float32 rounding, float32 accuracies).
RIGHT_ANSWERS = {
    "softmax": [
        # computed in float64
        "def softmax(logits):\n"
        "    z = logits.double()\n"
        "    e = (z - z.max(dim=1, keepdim=True).values).exp()\n"
        "    return e / e.sum(dim=1, keepdim=True)\n",
        # from the log-probabilities: in float32 the row [1000, 999, 0] sums to 1 + 3e-5
        "def softmax(logits):\n    return (logits - logits.logsumexp(1, keepdim=True)).exp()\n",
        # the maximum without keepdim, put back as a column
        "def softmax(logits):\n"
        "    e = (logits - torch.max(logits, 1)[0][:, None]).exp()\n"
        "    return e / e.sum(1)[:, None]\n",
    ],
    "cross_entropy": [
        # the entry at each label with gather, and the log-sum-exp summed separately
        "def cross_entropy(logits, labels):\n"
        "    m = logits.max(dim=1).values\n"
        "    log_sum = m + (logits - m[:, None]).exp().sum(dim=1).log()\n"
        "    picked = logits.gather(1, labels[:, None]).squeeze(1)\n"
        "    return (log_sum - picked).mean()\n",
        # one example at a time, in float64, returning a float
        "def cross_entropy(logits, labels):\n"
        "    total = 0.0\n"
        "    for z, y in zip(logits.double(), labels):\n"
        "        m = z.max()\n"
        "        total += (m + (z - m).exp().sum().log() - z[y]).item()\n"
        "    return total / len(labels)\n",
    ],
    "accuracy": [
        # every batch's hits concatenated, their float32 mean
        "def accuracy(model, loader):\n"
        "    model.eval()\n"
        "    with torch.no_grad():\n"
        "        hits = [model(x).argmax(dim=1) == y for x, y in loader]\n"
        "    return torch.cat(hits).float().mean().item()\n",
        # a float32 tensor of correct predictions divided by the count, left a tensor
        "def accuracy(model, loader):\n"
        "    model.eval()\n"
        "    correct, count = torch.tensor(0.0), 0\n"
        "    with torch.no_grad():\n"
        "        for x, y in loader:\n"
        "            correct += (model(x).argmax(dim=1) == y).float().sum()\n"
        "            count += len(y)\n"
        "    return correct / count\n",
    ],
}


@pytest.mark.parametrize(("name", "answer"), [(n, a) for n, answers in RIGHT_ANSWERS.items() for a in answers])
def test_each_check_accepts_other_correct_answers(name, answer):
    from test_exercises import check_outcome

    assert check_outcome("classification/exercises.py", name, answer) is None


def test_the_checks_rounding_allowances_are_needed():
    """The answers above would fail a float32 comparison or a 1e-9 tolerance: the allowances matter."""
    z = torch.tensor([[1000.0, 999.0, 0.0]])
    assert abs((z - z.logsumexp(1, keepdim=True)).exp().sum().item() - 1) > 1e-6
    hits = torch.rand(100, generator=torch.Generator().manual_seed(0)) < 0.38
    assert hits.float().mean().item() != hits.sum().item() / 100
