"""The digits lab (docs/lab-digits.py): every number and claim its text and alt texts state, recomputed
here from data/digits.csv and data/breast_cancer.csv where they can be, or checked against the lab's
own variables where they cannot, including what each exercise's solution shows. WRONG_ANSWERS lists
typical wrong answers to its exercises, on which tests/test_labs.py, which checks what every lab
must do (its exercises, its first cell, its notebook), runs their checks."""

import jupytext
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import DATA, DOCS

LAB = "lab-digits.py"


@pytest.fixture(scope="module")
def ran(lab):
    return lab(LAB)


@pytest.fixture(scope="module")
def run(ran):
    return ran.variables


def prose(page: str = LAB) -> str:
    """The text cells of a lab, as one string with its line breaks folded to spaces."""
    cells = jupytext.read(DOCS / page).cells
    return " ".join(" ".join(cell.source for cell in cells if cell.cell_type == "markdown").split())


def alt_texts(page: str = LAB) -> list[str]:
    return [cell.metadata["alt"] for cell in jupytext.read(DOCS / page).cells if "alt" in cell.metadata]


def best(curves: dict) -> int:
    return int(np.argmin(curves["validation loss"]))


# The digits -------------------------------------------------------------------------------------


def test_the_digits_are_scaled_into_0_1_and_three_pixels_are_always_blank_four_in_training(run):
    digits = pd.read_csv(DATA / "digits.csv")
    assert run["images"].shape == (1797, 64) and run["labels"].shape == (1797,)
    assert run["images"].min() == 0 and run["images"].max() == 1
    assert torch.equal(run["images"] * 16, torch.tensor(digits.iloc[:, :64].to_numpy(), dtype=torch.float32))
    assert (run["images"].max(dim=0).values == 0).sum() == 3  # "three pixels are blank in every image"
    train = run["digit_splits"]["train"][0]
    assert (train.max(dim=0).values == 0).sum() == 4  # "and a fourth in every image of the training split"
    assert "and a fourth in every image of the training split" in prose()


def test_the_split_is_stratified_disjoint_and_60_20_20(run):
    rows = run["digit_rows"]
    assert [len(rows[name]) for name in ["train", "validation", "test"]] == [1079, 359, 359]
    together = torch.cat(list(rows.values()))
    assert len(together.unique()) == 1797 == len(together)
    for name, (x, y) in run["digit_splits"].items():
        shares = torch.bincount(y, minlength=10) / len(y)
        assert 0.095 < shares.min() and shares.max() < 0.105, name  # "the same share of each split"
    assert "all 1,079 training images at once" in prose()


def test_the_curves_are_measured_on_the_weights_after_k_steps(run):
    """Index 0 is the untrained model: a loss of about ln 10 and an accuracy of about 10 %."""
    for curves in [run["softmax_curves"], run["mlp_curves"]]:
        assert len(curves["train loss"]) == 300 == run["EPOCHS"]
        assert abs(curves["train loss"][0] - np.log(10)) < 0.1 and abs(curves["validation loss"][0] - 2.3) < 0.1
        assert 0.05 < curves["validation accuracy"][0] < 0.15 and 0.05 < curves["train accuracy"][0] < 0.15


def test_the_kept_model_is_the_one_after_its_best_epoch(run):
    splits, loss = run["digit_splits"], run["cross_entropy"]
    for model, curves, epochs in [
        (run["softmax_model"], run["softmax_curves"], run["softmax_epochs"]),
        (run["mlp_model"], run["mlp_curves"], run["mlp_epochs"]),
    ]:
        assert epochs == best(curves)
        with torch.no_grad():
            again = loss(model(splits["validation"][0]), splits["validation"][1]).item()
        assert again == pytest.approx(curves["validation loss"][epochs], rel=1e-5)


def sweep(run, make, loss_fn, splits):
    """Each rate's best validation loss and its epoch, trained again here with the lab's train()."""
    found = {}
    for lr in run["RATES"]:
        torch.manual_seed(0)
        _, epoch, curves = run["train"](make(), loss_fn, splits, lr, run["EPOCHS"])
        found[lr] = (curves["validation loss"][epoch], epoch, curves["validation accuracy"][epoch])
    return found


def test_softmax_regression_sweep(run):
    found = sweep(run, lambda: torch.nn.Linear(64, 10), run["cross_entropy"], run["digit_splits"])
    assert list(found) == [0.01, 0.03, 0.1, 0.3] == run["RATES"]
    assert found[0.01][1] == found[0.03][1] == 299  # "still falling at the last epoch measured"
    assert "still falling at the last epoch measured" in prose()
    assert run["softmax_lr"] == min(found, key=lambda lr: found[lr][0]) == 0.3 and run["softmax_epochs"] == 37
    assert found[0.3][0] < found[0.1][0] < found[0.03][0]  # "0.1 gets lower, and 0.3 lower still"
    assert (round(found[0.3][0], 3), round(found[0.1][0], 3)) == (0.110, 0.117)
    assert "0.3 lower still, in only 37 epochs" in prose() and run["softmax_lr"] == max(run["RATES"])


def test_widening_each_sweep_at_its_end_finds_nothing_better(run):
    """Softmax regression at 1.0, above the highest rate tried; DigitNet at 0.003, below the lowest."""
    torch.manual_seed(0)
    _, epoch, curves = run["train"](torch.nn.Linear(64, 10), run["cross_entropy"], run["digit_splits"], 1.0, 300)
    higher = curves["validation loss"][epoch]
    assert round(higher, 3) == 0.181 and higher > run["softmax_curves"]["validation loss"][run["softmax_epochs"]]
    assert "at 1.0 the best validation loss is 0.181, worse than 0.3's 0.110 (and 0.1's 0.117)" in prose()
    torch.manual_seed(0)
    _, epoch, curves = run["train"](run["DigitNet"](), run["cross_entropy"], run["digit_splits"], 0.003, 300)
    lower = curves["validation loss"][epoch]
    assert epoch == 299 and round(lower, 3) == 0.125
    assert lower > run["mlp_curves"]["validation loss"][run["mlp_epochs"]]
    assert "at 0.003 the best validation loss, after all 300 epochs, is 0.125, no better than 0.01's 0.124" in " ".join(
        prose().split()
    )


def test_digitnet_sweep_and_size(run):
    found = sweep(run, run["DigitNet"], run["cross_entropy"], run["digit_splits"])
    assert round(100 * found[0.3][2], 1) == 81.1  # "at 0.3 its validation accuracy ... 81.1 %"
    assert run["mlp_lr"] == min(found, key=lambda lr: found[lr][0]) == 0.01 == min(run["RATES"])
    assert run["parameters"] == {"softmax regression": 650, "DigitNet": 64 * 64 + 64 + 64 * 10 + 10}
    assert isinstance(run["mlp_model"], torch.nn.Module) and type(run["mlp_model"]).__name__ == "DigitNet"
    assert "4,810 parameters for 1,079 training images, against softmax regression's 650" in prose()


def test_the_learning_curves_alt_text(run):
    softmax, mlp = run["softmax_curves"], run["mlp_curves"]
    alt = alt_texts()[0]
    assert 2.5 < softmax["train loss"][1] < 3.5 and int(np.argmax(softmax["train loss"])) == 1  # "jumps to about 3"
    numbers = [
        ("lowest, {:.3f}, after {} epochs", softmax["validation loss"][37], 37),
        ("lowest, {:.3f}, after {} epochs", mlp["validation loss"][71], 71),
    ]
    for text, value, epoch in numbers:
        assert text.format(value, epoch) in alt
    assert best(softmax) == 37 and best(mlp) == 71
    assert f"rises to {softmax['validation loss'][-1]:.3f} by the end" in alt
    assert f"training loss falls to {softmax['train loss'][-1]:.3f}" in alt
    assert f"ends at {mlp['validation loss'][-1]:.3f}" in alt and f"falls to {mlp['train loss'][-1]:.3f}" in alt
    assert max(mlp["train accuracy"]) == 1.0 and mlp["train accuracy"][-1] == 1.0
    # "the accuracy curves start below the plot and enter it within the first 15 epochs"
    assert "the accuracy axis runs from 0.80 to 1.00, so the accuracy curves start below the plot" in alt
    assert run["accuracy_ax"].get_ylim() == (0.8, 1.005)
    for curves in [softmax, mlp]:
        for split in ["train", "validation"]:
            below = [epoch for epoch, share in enumerate(curves[f"{split} accuracy"]) if share < 0.8]
            assert below[0] == 0 and max(below) < 15, below
    rises = sum(b > a for a, b in zip(softmax["train loss"][:25], softmax["train loss"][1:26]))
    assert rises >= 5 and "then falls unevenly over its first 25 epochs" in alt  # "unevenly"
    ends = (100 * softmax["validation accuracy"][-1], 100 * mlp["validation accuracy"][-1])
    assert f"end at {ends[0]:.1f} % and {ends[1]:.1f} %" in alt
    # "after its lowest point, creeps up again"; "peaks at other epochs than the loss"
    for curves in [softmax, mlp]:
        assert curves["validation loss"][-1] > min(curves["validation loss"])
        assert curves["train loss"][-1] < curves["train loss"][best(curves)]
        assert int(np.argmax(curves["validation accuracy"])) != best(curves)
    assert round(100 / 359, 2) == 0.28


def test_the_weights_figure_alt_text(run, ran):
    weights = torch.as_tensor(run["weights"])
    assert weights.shape == (10, 8, 8)
    assert torch.equal(weights, run["softmax_model"].weight.detach().reshape(10, 8, 8))
    assert 6.5 < weights.abs().max() < 7.5  # "from about -7 to +7"
    assert (weights.abs() <= 3).float().mean() > 0.85  # "most weights lie within ±3"
    ink = run["digit_splits"]["train"][0].mean(dim=0).reshape(8, 8)
    flat = weights.reshape(10, 64)
    train_images = run["digit_splits"]["train"][0].reshape(-1, 8, 8)
    largest = flat.abs().flatten().topk(4).indices
    described = []
    for index in largest.tolist():
        digit, pixel = divmod(index, 64)
        row, column = divmod(pixel, 8)
        inked = int((train_images[:, row, column] > 0).sum())
        assert column in (0, 7) and 0 < inked <= 4 and ink[row, column] < 0.01, (digit, row, column)
        described.append((digit, f"{weights[digit, row, column]:+.1f}"))
    assert described == [(8, "+7.4"), (4, "+7.0"), (7, "-7.0"), (8, "+6.8")]
    alt = alt_texts()[1]
    assert "+7.4 and +6.8 for the digit 8, +7.0 for the digit 4 and -7.0 for the digit 7" in alt
    assert "at most 4 of the 1,079 training images ink" in alt and "each inked in at most 4 training images" in prose()
    printed = [line for line in ran.stdout.splitlines() if line.startswith("digit ") and "inked in" in line]
    assert len(printed) == 4 and all(int(line.split("inked in ")[1].split()[0]) <= 4 for line in printed)
    assert weights[0, 3:6, 3:5].max() < -2  # "the 0 has negative weights down its middle"


def test_adam_not_the_gradient_made_the_edge_weights_large(run):
    """Plain SGD at the same rate for the same 37 steps leaves those weights small."""
    torch.manual_seed(0)
    model = torch.nn.Linear(64, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
    x, y = run["digit_splits"]["train"]
    for _ in range(run["softmax_epochs"]):
        optimizer.zero_grad()
        run["cross_entropy"](model(x), y).backward()
        optimizer.step()
    adam = run["softmax_model"].weight.detach()
    largest = adam.abs().flatten().topk(4).indices
    assert adam.flatten()[largest].abs().min() > 6.5
    assert model.weight.detach().flatten()[largest].abs().max() < 0.2
    assert "whatever the size of its gradient" in prose() and "weight decay" in prose()


def test_the_test_is_used_once_for_digitnet_which_wins_by_one_validation_image(run, ran):
    validation = run["validation_accuracy"]
    # the criterion, accuracy, is stated before; validation loss would pick softmax regression
    loss = run["validation_loss"]
    assert (round(loss["softmax regression"], 3), round(loss["DigitNet"], 3)) == (0.110, 0.124)
    assert min(loss, key=loss.get) == "softmax regression" != run["final_name"]
    text = prose()
    assert text.index("The criterion is fixed before the comparison") < text.index("DigitNet wins by a single")
    assert "it is lower for softmax regression (0.110 against 0.124)" in text
    assert run["final_name"] == "DigitNet" and run["final_model"] is run["mlp_model"]
    assert round(359 * (validation["DigitNet"] - validation["softmax regression"])) == 1
    assert (round(100 * validation["DigitNet"], 1), round(100 * validation["softmax regression"], 1)) == (96.7, 96.4)
    test_x, test_y = run["digit_splits"]["test"]
    with torch.no_grad():
        predicted = run["mlp_model"](test_x).argmax(dim=1)
    assert (predicted != test_y).sum() == 6 == len(run["wrong"])
    assert round(100 * run["test_accuracy"], 1) == 98.3
    assert run["test_accuracy"] > validation["DigitNet"]  # "higher than the validation accuracy"
    assert "The test accuracy, 98.3 %, is higher than the validation accuracy, 96.7 %" in prose()
    assert "the same 13 writers" in prose()
    assert ran.stdout.count("test accuracy") == 1


def test_the_confusion_matrix_and_the_mistakes(run):
    confusion, test_y, predicted = run["confusion"], run["test_labels"], run["test_predicted"]
    assert confusion.sum() == 359 and confusion.trace() == 353
    assert torch.equal(confusion.sum(dim=1), torch.bincount(test_y, minlength=10))
    assert (confusion.diagonal().min(), confusion.diagonal().max()) == (34, 36)
    off = confusion - torch.diag(confusion.diagonal())
    assert off.max() == 2
    mistakes = [(test_y[row].item(), predicted[row].item()) for row in run["wrong"]]
    assert mistakes == [(5, 9), (3, 8), (1, 9), (4, 8), (4, 8), (1, 8)]
    assert sorted(t for t, p in mistakes if p == 8) == [1, 3, 4, 4]
    assert sorted(t for t, p in mistakes if p == 9) == [1, 5]
    confusion_alt = alt_texts()[2]
    assert "353 counts lie on the diagonal, 34 to 36 per digit" in confusion_alt
    assert "four digits predicted as 8 (a 1, a 3 and two 4s) and two as 9 (a 1 and a 5)" in confusion_alt
    assert {p for _, p in mistakes} == {8, 9}  # "every one of the six mistakes is a prediction of 8 or 9"
    alt = alt_texts()[3]
    assert "true 5 predicted 9, true 3 predicted 8, true 1 predicted 9, true 4 predicted 8 (twice)" in alt


def test_the_figures_are_drawn(ran):
    assert len(ran.figures) == 4 == len(alt_texts())
    grid = ran.figures[3]
    titles = [ax.get_title() for ax in grid.axes if ax.get_title()]
    assert titles == [f"true {t}, predicted {p}" for t, p in [(5, 9), (3, 8), (1, 9), (4, 8), (4, 8), (1, 8)]]


# The binary classifier --------------------------------------------------------------------------


def test_the_cancer_data_are_standardised_with_training_statistics(run):
    cancer = pd.read_csv(DATA / "breast_cancer.csv")
    assert cancer.shape == (569, 31)
    assert cancer["area_mean"].between(100, 2600).all() and cancer["smoothness_mean"].mean() == pytest.approx(0.1, 0.1)
    rows = run["cancer_rows"]
    assert [len(rows[name]) for name in ["train", "validation", "test"]] == [343, 113, 113]
    features = torch.tensor(cancer.iloc[:, :30].to_numpy(), dtype=torch.float32)
    train = features[rows["train"]]
    assert torch.allclose(run["mean"], train.mean(dim=0)) and torch.allclose(run["spread"], train.std(dim=0))
    x_train = run["cancer_splits"]["train"][0]
    assert x_train.mean(dim=0).abs().max() < 1e-4
    assert run["cancer_splits"]["validation"][0].mean(dim=0).abs().max() > 0.05
    for name in ["validation", "test"]:
        assert int(run["cancer_splits"][name][1].sum()) == 42  # "42 malignant masses in each split"
    assert round(100 * cancer["malignant"].mean()) == 37


def test_the_binary_model_and_its_loss(run):
    model = run["cancer_model"]
    assert isinstance(model, torch.nn.Linear) and (model.in_features, model.out_features) == (30, 1)
    assert isinstance(run["bce"], torch.nn.BCEWithLogitsLoss)
    assert (run["cancer_lr"], run["cancer_epochs"]) == (0.03, 40)


def counts(p, y, threshold):
    called = p >= threshold
    return int((called & (y == 1)).sum()), int((called & (y == 0)).sum())  # found, false alarms


def test_precision_and_recall_on_the_validation_split_and_the_chosen_threshold(run, ran):
    p, y = run["validation_probabilities"], run["validation_targets"]
    assert counts(p, y, 0.5) == (39, 0) and counts(p, y, 0.4) == (40, 3) and counts(p, y, 0.1) == (41, 10)
    assert run["threshold"] == 0.4
    for t in run["THRESHOLDS"]:
        precision, recall = run["precision_recall"](p, y, t)
        found, alarms = counts(p, y, t)
        assert recall == found / 42 and precision == found / (found + alarms)
    assert [run["precision_recall"](p, y, t)[1] >= 0.95 for t in run["THRESHOLDS"]].index(True) == 1
    recalls = [run["precision_recall"](p, y, t)[1] for t in run["THRESHOLDS"]]  # thresholds from high to low
    assert recalls == sorted(recalls), "lowering the threshold, recall never falls"
    assert recalls[1] == recalls[2] == recalls[3]  # "(it rises or stays)"
    assert "recall never falls (it rises or stays)" in prose()
    printed = ran.stdout
    for t in run["THRESHOLDS"]:
        found, alarms = counts(p, y, t)
        assert f"(found {found} of 42, false alarms {alarms})" in printed
    assert "(found 42 of 42, false alarms 26)" in printed  # at the lowest malignant mass's probability
    lowest = p[y == 1].min()
    assert lowest < 0.05 and counts(p, y, lowest.item()) == (42, 26) and int((y == 0).sum()) == 71


def test_the_test_split_at_both_thresholds(run, ran):
    p, y = run["test_probabilities"], run["test_targets"]
    assert counts(p, y, 0.5) == (42, 2) and counts(p, y, 0.4) == (42, 6)
    lines = [line for line in ran.stdout.splitlines() if line.startswith("test, threshold")]
    assert len(lines) == 2 and lines[0].endswith("for comparison only") and lines[1].endswith("chosen")
    assert "for comparison only: it must not be used to choose" in prose()
    assert run["precision_recall"](p, y, 0.4) == (42 / 48, 1.0)


# The exercises ----------------------------------------------------------------------------------


def test_exercise_1_solution_output(run):
    assert torch.tensor(1000.0).exp().isinf()  # "a naive exp of a logit of 1000 overflows"
    largest = run["largest"]
    assert (largest[[0, 2, 3, 4]] > 0.99).all() and round(largest[1].item(), 3) == 0.900
    assert torch.equal(run["first_probabilities"].argmax(dim=1), run["test_labels"][:5])
    change = run["difference"].max().item()
    assert 0 < change < 1e-6  # "to within rounding: in float32 the largest change here is below 1e-6"
    assert "in float32 the largest change here is below 1e-6" in prose()


def test_exercise_2_solution_output(run, ran):
    p, y = run["validation_probabilities"], run["validation_targets"]
    t95 = run["t95"]
    assert round(t95, 3) == 0.436 and t95 > run["threshold"]
    assert counts(p, y, t95) == (40, 1)  # recall 0.952, precision 0.976
    assert counts(run["test_probabilities"], run["test_targets"], t95) == (42, 4)  # precision 0.913
    assert round(40 / 41, 3) == 0.976 and round(42 / 46, 3) == 0.913 and round(40 / 43, 3) == 0.930
    lines = [line for line in ran.stdout.splitlines() if "threshold 0.436" in line]
    assert [line.split(",")[0] for line in lines] == ["validation", "test"]  # the test reported once
    assert "0.875" not in prose()  # the test split compares no thresholds


WRONG_ANSWERS = {
    1: [
        (  # no shift: overflows
            "def softmax(logits):\n    e = logits.exp()\n    return e / e.sum(dim=1, keepdim=True)\n",
            "exp overflowed",
        ),
        (  # normalised over the batch
            "def softmax(logits):\n"
            "    e = (logits - logits.max()).exp()\n"
            "    return e / e.sum(dim=0, keepdim=True)\n",
            "not 1: normalise each row",
        ),
        (  # the shift taken over the whole batch, then normalised over everything
            "def softmax(logits):\n    e = (logits - logits.max()).exp()\n    return e / e.sum()\n",
            "not 1: normalise each row",
        ),
        (  # the logits' shares, not the exponentials'
            "def softmax(logits):\n"
            "    shifted = logits - logits.min(dim=1, keepdim=True).values\n"
            "    return shifted / shifted.sum(dim=1, keepdim=True)\n",
            "differ from the softmax",
        ),
    ],
    2: [
        (  # the recall's share of the positives rounded down: too few found
            "def threshold_for_recall(probabilities, targets, recall):\n"
            "    positives = probabilities[targets == 1].sort(descending=True).values\n"
            "    return positives[max(int(recall * len(positives)) - 1, 0)].item()\n",
            "below",
        ),
        (  # the lowest positive probability: always enough, rarely the highest
            "def threshold_for_recall(probabilities, targets, recall):\n"
            "    return probabilities[targets == 1].min().item()\n",
            "choose the highest",
        ),
        (  # a quantile of all the probabilities, positives and negatives together
            "def threshold_for_recall(probabilities, targets, recall):\n"
            "    return probabilities.quantile(1 - recall).item()\n",
            "at your threshold",
        ),
    ],
}


