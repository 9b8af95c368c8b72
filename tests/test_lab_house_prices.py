"""The house-price lab (docs/lab-house-prices.py): every claim its text makes, recomputed here from
data/boston.csv where it can be, or checked against the lab's own variables where it cannot,
including what each exercise's solution shows. WRONG_ANSWERS lists typical wrong answers to its
exercises, on which tests/test_labs.py, which checks what every lab must do (its exercises, its
first cell, its notebook), runs their checks."""

import copy
import re
import warnings

import jupytext
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import DATA, DOCS

LAB = "lab-house-prices.py"
TWINS = [LAB, LAB.replace(".py", ".ko.py")]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def run(lab):
    return lab(LAB).variables


@pytest.fixture(scope="module")
def boston():
    return pd.read_csv(DATA / "boston.csv")


def least_squares_mse(features: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    design = np.c_[features, np.ones(len(features))]
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    return solution, float(np.mean((design @ solution - target) ** 2))


def test_the_decks_arrays_have_the_decks_types_and_shapes(run):
    assert isinstance(run["X"], np.ndarray) and run["X"].shape == (506, 13)
    assert isinstance(run["Y"], np.ndarray) and run["Y"].shape == (506,)
    assert not run["Y"].flags.writeable, "the text says pandas 3 hands out a read-only array"


def test_the_decks_loop_ran_as_written_and_its_evaluation_is_a_training_row(run):
    assert len(run["deck_curve"]) == run["EPOCHS"] == 500
    assert (run["BATCH_SIZE"], run["LR"]) == (100, 0.001)
    assert run["pre"].item() == pytest.approx(29.7, abs=0.05)  # "about 29.7"
    assert run["Y"][0] == 24.0


def test_six_rows_are_never_seen(run):
    assert run["batches"] == 506 // 100 == 5
    assert run["never_seen"] == list(range(5 * 100, 506)) and len(run["never_seen"]) == 6


def test_unshuffled_batches_are_far_from_representative(boston):
    means = [boston["medv"][i * 100 : (i + 1) * 100].mean() for i in range(5)]
    assert round(min(means), 1) == 15.5 and round(max(means), 1) == 29.9  # "from 15.5 to 29.9"
    assert int(np.argmin(means)) == 4, "the last batch of every epoch is the cheapest"


def test_the_features_spreads_run_from_about_01_to_about_170(boston):
    spreads = boston.iloc[:, :13].std(ddof=0)
    assert 0.1 <= spreads.min() < 0.15 and 160 < spreads.max() < 180


def test_the_raw_best_fit_is_out_of_adams_reach(run, boston):
    solution, _ = least_squares_mse(boston.iloc[:, :13].to_numpy(), boston["medv"].to_numpy())
    intercept, nox = solution[-1], solution[list(boston.columns).index("nox")]
    assert round(intercept, 1) == 36.5 and round(nox, 1) == -17.8  # "about 36.5", "about -17.8"
    assert run["raw_best"][-1] == pytest.approx(intercept) and run["raw_best"][4] == pytest.approx(nox)
    assert run["steps"] == 500 * 5 and run["steps"] * run["LR"] == pytest.approx(2.5)
    assert run["moved"] <= 2.5 < min(abs(intercept), abs(nox))  # "nowhere near"; the measured move


def test_adam_moves_a_parameter_at_most_about_lr_per_step_unless_its_gradient_keeps_growing(run):
    """The four made-up gradients: steady ones step LR whatever their size, noisy ones step less,
    only a growing one steps several times LR; the first step is LR for all."""
    made_up, steps, lr = run["made_up"], run["made_up_steps"], run["LR"]
    assert steps.shape == (2500, 4) == (run["steps"], len(made_up))  # as many steps as the deck's loop
    taken = dict(zip(made_up, steps.T))
    steady, large, noisy, growing = (taken[name] for name in made_up)
    gradients = list(made_up.values())
    assert (gradients[0] == 0.01).all() and (gradients[1] == 100).all() and (gradients[3][1:] > gradients[3][:-1]).all()
    assert (gradients[2] > 0).any() and (gradients[2] < 0).any(), "the noisy gradients disagree in sign"
    assert torch.allclose(steps[0], torch.ones(4, dtype=steps.dtype), rtol=1e-5)  # the first step is LR
    for one in (steady, large):  # LR per step, whatever the size; 2.5 in 2500 steps
        assert torch.allclose(one, torch.ones_like(one), rtol=1e-5) and one.sum() * lr == pytest.approx(2.5, rel=1e-5)
    assert noisy.abs().max() < 1.1 and noisy.sum() * lr < 0.5 * 2.5  # at most about LR; moves less
    assert growing.max() > 5 and growing.sum() * lr > 4 * 2.5  # several times LR
    # The four entries of one parameter behave as four parameters of their own.
    alone = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([alone], lr=lr)
    for gradient in gradients[3]:
        alone.grad = torch.tensor([gradient], dtype=torch.float64)
        optimizer.step()
    assert -alone.item() == pytest.approx(growing.sum().item() * lr, rel=1e-9)


def test_the_decks_loop_marks_as_many_added_lines_as_the_text_says(run):
    cells = jupytext.read(DOCS / LAB).cells
    loop = next(cell.source for cell in cells if cell.source.startswith("deck_curve = []"))
    added = sum(line.endswith("# added") for line in loop.splitlines())
    words = {2: "two", 3: "three", 4: "four", 5: "five"}
    assert f'the {words[added]} lines marked "added"' in (DOCS / LAB).read_text()


def test_the_english_lab_translates_each_of_the_decks_korean_comments():
    lines = (DOCS / LAB).read_text().splitlines()
    korean = [n for n, line in enumerate(lines) if line.lstrip().startswith("#") and HANGUL.search(line)]
    code_comments = [n for n in korean if not lines[n].startswith("# This lab")]  # the title's 회귀 실습
    assert len(code_comments) == 5
    for n in code_comments:
        translation = lines[n + 1].strip()
        assert translation.startswith("# (deck: ") and translation.endswith(")") and not HANGUL.search(translation)
        assert len(lines[n + 1]) <= 79


def test_the_decks_loop_ends_more_than_twice_its_floor(run, boston):
    _, floor = least_squares_mse(boston.iloc[:500, :13].to_numpy(), boston["medv"][:500].to_numpy())
    assert run["deck_floor"] == pytest.approx(floor)
    assert run["deck_curve"][-1] > 2 * floor
    # Its last epoch's mean batch loss, and the loss of its final weights: nearly the same, both > 2x.
    assert run["deck_final"] > 2 * floor and run["deck_final"] == pytest.approx(run["deck_curve"][-1], rel=0.01)
    curve = run["deck_curve"]  # the learning-curve figure's description
    assert 550 < curve[0] < 610 and 60 < curve[99] < 68 and 47 < curve[-1] < 49 and 21 < floor < 23


def test_the_split_is_disjoint_and_sized_60_20_20(run):
    rows = [set(run[name].tolist()) for name in ["train_rows", "validation_rows", "test_rows"]]
    assert [len(r) for r in rows] == [304, 101, 101]
    assert set.union(*rows) == set(range(506)) and sum(map(len, rows)) == 506


def test_standardisation_uses_the_training_split_only(run, boston):
    train, validation = run["splits"]["train"][0], run["splits"]["validation"][0]
    assert train.mean(0).abs().max() < 1e-5
    assert torch.allclose(train.std(0, correction=0), torch.ones(13), atol=1e-5)
    assert validation.mean(0).abs().max() > 0.05, "validation rows are scaled with training statistics"
    expected = boston["medv"].to_numpy()[run["train_rows"]].mean()
    assert run["price_mean"].item() == pytest.approx(expected, rel=1e-6)
    assert round(expected) == 23 and expected / run["LR"] > 20_000  # "about 23", "over 20 000 steps"


def test_the_data_loader_keeps_the_last_small_batch(run):
    assert run["sizes"] == [100, 100, 100, 4]


def test_the_fixed_loop_comes_within_2_percent_of_the_least_squares_floor(run, boston):
    features = boston.iloc[:, :13].to_numpy()[run["train_rows"]]
    _, floor = least_squares_mse(features, boston["medv"].to_numpy()[run["train_rows"]])
    assert run["floor"]["train"] == pytest.approx(floor, rel=1e-4)
    final = run["curves"]["train"][-1]
    assert floor <= final < 1.02 * floor  # "within 2 %"
    assert round(100 * run["fixed_gap"], 1) == 1.6  # "ends 1.6 % above its floor"
    assert run["deck_gap"] > 1  # "more than twice as high"
    curves = run["curves"]  # the figure's description
    assert 60 < curves["train"][0] < 70 and 60 < curves["validation"][0] < 70
    assert curves["validation"][-1] < 1.05 * run["floor"]["validation"]


def test_the_test_rmse_is_as_good_as_the_best_linear_fit(run):
    best_rmse = run["mse"](copy.deepcopy(run["best"]), *run["splits"]["test"]) ** 0.5  # mse() sets eval mode
    assert run["test_rmse"] == pytest.approx(best_rmse, rel=0.05)


def test_predicted_against_actual_shows_what_the_text_says(run):
    predicted, actual = run["predicted"], run["target"]
    assert len(actual) == 101
    assert ((predicted - actual).abs() < 5).float().mean() > 0.5  # "most within about 5"
    capped = actual == 50
    assert capped.any() and (predicted[capped] < 40).all()  # "far too low"
    assert (predicted < 0).sum() == 1 and actual[predicted < 0].item() < 15  # "one cheap house"


def prose(page: str) -> str:
    """The text cells of a lab, as one string."""
    return "\n".join(cell.source for cell in jupytext.read(DOCS / page).cells if cell.cell_type == "markdown")


def quoted(text: str, *numbers: float) -> bool:
    """Whether a text quotes each number as the lab prints it, to two decimals."""
    return all(f"{number:.2f}" in text for number in numbers)


def weights_alt_text(page: str) -> str:
    cells = jupytext.read(DOCS / page).cells
    return next(cell.metadata["alt"] for cell in cells if "ax.barh(" in cell.source)


def named_features(text: str, features) -> set[str]:
    """The feature names a text mentions (Korean particles follow a name without a space)."""
    return {name for name in features if re.search(rf"(?<![A-Za-z]){name}(?![A-Za-z])", text)}


def test_the_weights_figure_and_the_rad_tax_valley(run, boston):
    features = run["FEATURES"]
    learned, optimal = (pd.Series(run[name], index=features) for name in ["learned", "optimal"])
    assert set(optimal.abs().nlargest(2).index) == {"lstat", "rm"}
    assert round(optimal["lstat"], 1) == -3.5 and round(optimal["rm"], 1) == 3.1
    gaps = (learned - optimal).abs().sort_values(ascending=False)
    assert list(gaps.index[:2]) == ["tax", "rad"]  # "tax and rad most of all"
    assert gaps.iloc[4:].max() <= 0.305 < gaps.iloc[3]  # "most bars end within about 0.3", four do not
    assert list(run["weights"].index[:4]) == list(gaps.index[:4])
    assert boston["rad"].corr(boston["tax"]) > 0.9
    assert np.sign(learned["rad"] - optimal["rad"]) != np.sign(learned["tax"] - optimal["tax"])
    # "indus and dis, each correlated with nox, lie in less flat valleys, and are off by less".
    correlations = boston.iloc[:, :13].corr().abs()
    assert set(gaps.index[2:4]) == {"indus", "dis"}
    for name in ["indus", "dis"]:
        assert correlations[name].drop(name).idxmax() == "nox"
        assert 0.7 < correlations[name]["nox"] < correlations["rad"]["tax"]


@pytest.mark.parametrize("page", TWINS)
def test_the_weights_alt_text_names_the_bars_that_miss_their_diamonds(run, page):
    features = run["FEATURES"]
    learned, optimal = (pd.Series(run[name], index=features) for name in ["learned", "optimal"])
    off = set((learned - optimal).abs().nlargest(4).index)
    alt = weights_alt_text(page)
    assert named_features(alt, features) == off | {"lstat", "rm"}
    # "lstat (about -3.5 to -3.6) and rm (about +3.1)": the diamond, then the bar; both 3.1 for rm
    lstat = f"{optimal['lstat']:.1f}{' to ' if page == LAB else '~'}{learned['lstat']:.1f}"
    assert lstat in alt and round(optimal["lstat"], 1) != round(learned["lstat"], 1)
    assert round(optimal["rm"], 1) == round(learned["rm"], 1) == 3.1
    if page != LAB:
        return
    short, beyond = alt.split("but four do not:")[1].split("fall short")
    falls_short = {name for name in off if abs(learned[name]) < abs(optimal[name])}
    assert named_features(short, features) == falls_short and named_features(beyond, features) == off - falls_short
    for name in off:  # "name (trained about a against b ...)"
        a, b = re.search(rf"{name} \((?:trained about )?(-?[\d.]+) against (-?[\d.]+)", alt).groups()
        assert (float(a), float(b)) == (round(learned[name], 1), round(optimal[name], 1))


def test_dropping_column_b_changes_the_test_error_only_in_the_third_decimal(run):
    assert "b" not in run["without_b"] and len(run["without_b"]) == 12
    assert round(run["test_rmse"], 2) == round(run["test_rmse_without_b"], 2)


def test_standardising_alone_brings_the_decks_own_loop_to_the_floor(run):
    """The deck's loop, unchanged but for standardised features and target, ends within 1 %."""
    assert run["deck_floor"] <= run["scaled_loss"] < 1.01 * run["deck_floor"]


def test_the_fixed_loop_takes_fewer_steps_yet_ends_nearer_its_floor(run):
    assert len(run["sizes"]) * run["EPOCHS"] == 2000 < run["steps"] == 2500
    # Least squares is the floor on the training rows only: on validation, training dipped below it.
    assert min(run["curves"]["validation"]) < run["floor"]["validation"]


def test_floattensor_warns_about_the_read_only_array_but_returns_a_copy(run):
    """The text: PyTorch warns once that writing would be undefined; the lab silences exactly that
    warning; the tensor is a float32 copy; `torch.tensor` never warns."""
    read_only = run["Y"][:3]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.FloatTensor(read_only)
    assert not caught, "PyTorch warns once a process, and the lab's run above had the warning"
    warn_always = torch.is_warn_always_enabled()
    torch.set_warn_always(True)  # so that it warns again here
    try:
        with pytest.warns(UserWarning) as warned:
            tensor = torch.FloatTensor(read_only)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            torch.tensor(read_only)
            torch.tensor(read_only, dtype=torch.float32)  # what the text recommends
        with pytest.warns(UserWarning, match="not writable"):
            torch.from_numpy(read_only).float()  # "would warn here too"
    finally:
        torch.set_warn_always(warn_always)
    assert len(warned) == 1 and not caught
    message = str(warned[0].message)
    assert message.startswith("The given NumPy array is not writable, and PyTorch does not support non-writable "
                              "tensors. This means writing to this tensor will result in undefined behavior.")
    silenced = re.search(r'^warnings\.filterwarnings\("ignore", "([^"]+)"\)$', (DOCS / LAB).read_text(), re.M)[1]
    assert re.match(silenced, message) and warned[0].category is UserWarning  # filterwarnings' own test
    assert tensor.dtype == torch.float32 and run["Y"].dtype == np.float64
    assert tensor.data_ptr() != run["Y"].ctypes.data


def test_the_model_used_column_b_and_capped_houses_are_in_the_training_split(run):
    b = run["FEATURES"].index("b")
    assert round(float(run["learned"][b]), 1) == 0.9  # "about 0.9 thousand dollars"
    assert (run["Y"][run["train_rows"]] == 50).sum() > 0


def test_exercise_1_validation_chooses_a_learning_rate_that_matches_the_lab_in_a_fifth_of_the_epochs(run):
    sweep, floor = run["sweep"], run["floor"]
    assert list(sweep) == [0.001, 0.003, 0.01, 0.03, 0.1]
    assert all(len(curves["validation"]) == 100 == run["EPOCHS"] / 5 for _, curves in sweep.values())
    final = {lr: curves["validation"][-1] for lr, (_, curves) in sweep.items()}
    assert run["chosen_lr"] == min(final, key=final.get) == 0.01  # "0.01 gives the lowest"
    slow = sweep[0.001][1]["train"][-1]
    assert slow > 1.2 * floor["train"]  # "still well short of the least-squares fit"
    # "400 steps of at most about LR are too few to get there": the least-squares model, in the
    # standardised units the model learns in, lies farther than 400 x LR from where training starts.
    torch.manual_seed(0)
    start = torch.nn.Linear(13, 1)
    best = run["best"]
    distance = max((best.weight - start.weight).abs().max().item(), (best.bias - start.bias).abs().item())
    assert 100 * len(run["sizes"]) == 400 and distance > 400 * 0.001
    assert final[0.01] < floor["validation"] < final[0.003]  # only 0.01 "even ends below" it
    for page in TWINS:
        assert quoted(prose(page), slow, floor["train"], floor["validation"])
    assert max(final[0.003], final[0.03]) < 1.1 * final[0.01] < min(final[0.001], final[0.1])  # "close behind"
    jumpy = sweep[0.1][1]["validation"]
    assert final[0.1] == max(final.values()) and min(jumpy) < 0.7 * final[0.1]  # jumps about; ends high
    assert run["chosen_rmse"] <= run["test_rmse"] + 0.05  # "does as well on the test houses"
    assert run["chosen_model"] is sweep[0.01][0]


def test_exercise_2_a_hidden_layer_goes_below_the_linear_floor(run):
    network, curves, floor = run["network"], run["network_curves"], run["floor"]
    assert sum(p.numel() for p in network.parameters()) == 481 and len(run["train_rows"]) == 304
    assert len(curves["train"]) == 100
    assert curves["train"][-1] < 0.5 * floor["train"]  # "far below the floor"
    assert 0.4 < curves["validation"][-1] / floor["validation"] < 0.6  # "about half"
    best_rmse = run["mse"](copy.deepcopy(run["best"]), *run["splits"]["test"]) ** 0.5
    assert run["linear_rmse"] == pytest.approx(best_rmse)
    assert round(run["network_rmse"], 1) == 3.5 and round(run["linear_rmse"], 1) == 5.7
    gap = curves["validation"][-1] - curves["train"][-1]
    linear_gap = run["curves"]["validation"][-1] - run["curves"]["train"][-1]
    assert gap > 2 and abs(linear_gap) < 1  # "a gap the linear model hardly had"
    # "more epochs would widen the gap": the same network and settings, trained twice as long.
    torch.manual_seed(0)
    longer = torch.nn.Sequential(torch.nn.Linear(13, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    _, longer_curves = run["train"](run["splits"], lr=run["chosen_lr"], epochs=200, model=longer)
    assert longer_curves["validation"][-1] - longer_curves["train"][-1] > gap


def test_exercise_3_the_log_price_model_beats_the_price_model_and_prices_no_house_below_zero(run):
    predicted, splits, rmse = run["log_predicted"], run["splits"], run["rmse"]
    best = copy.deepcopy(run["best"])  # predict() sets eval mode
    price_model = {name: run["predict"](best, x) for name, (x, _) in splits.items()}
    for name in ["train", "validation", "test"]:
        y = splits[name][1]
        assert rmse(predicted[name], y) < rmse(price_model[name], y)
    assert (predicted["test"] > 0).all()
    negative = price_model["test"] < 0
    assert negative.sum() == 1 and splits["test"][1][negative].item() < 15  # "the cheap house"
    # "The log has a cost": its predictions run a little low, the price model's average exactly right.
    y = splits["train"][1]
    log_mean, price_mean, mean_price = predicted["train"].mean(), price_model["train"].mean(), y.mean()
    assert price_mean.item() == pytest.approx(mean_price.item(), rel=1e-5)
    assert 0.97 * mean_price < log_mean < mean_price
    geometric = y.double().log().mean().exp()  # exp of the average log: below the average
    assert predicted["train"].log().mean().exp().item() == pytest.approx(geometric.item(), rel=1e-6)
    assert geometric < mean_price
    for page in TWINS:
        assert quoted(prose(page), log_mean, mean_price)


WRONG_ANSWERS = {
    1: [
        (  # chosen by the training loss: the least-squares model's is the lowest, and the message says where
            "def choose_learning_rate(sweep):\n"
            "    return min(sweep, key=lambda lr: sweep[lr][1]['train'][-1])\n",
            "in the sweep with the least-squares model as LR 0.1, you chose LR 0.1, whose model has the lowest "
            "training loss",
        ),
        (  # chosen by the test loss
            "def choose_learning_rate(sweep):\n"
            "    return min(sweep, key=lambda lr: mse(sweep[lr][0], *splits['test']))\n",
            "whose model has the lowest test loss",
        ),
        (  # by the lowest validation loss at any epoch, not after the last
            "def choose_learning_rate(sweep):\n"
            "    return min(sweep, key=lambda lr: min(sweep[lr][1]['validation']))\n",
            "but another learning rate ends lower",
        ),
        (  # by the validation loss after the first epoch
            "def choose_learning_rate(sweep):\n"
            "    return min(sweep, key=lambda lr: sweep[lr][1]['validation'][0])\n",
            "not the lowest validation loss after the last epoch",
        ),
        (  # the lab's answer, whatever the sweep
            "def choose_learning_rate(sweep):\n    return 0.01\n",
            "in the sweep without LR 0.01, 0.01 is not one of the learning rates tried",
        ),
    ],
    2: [
        (  # no activation between the layers: still a linear model
            "def network_with_hidden_layer():\n    return nn.Sequential(nn.Linear(13, 32), nn.Linear(32, 1))\n",
            "is there a ReLU between its layers?",
        ),
        (  # no output layer
            "def network_with_hidden_layer():\n    return nn.Sequential(nn.Linear(13, 32), nn.ReLU())\n",
            "returns shape (5, 32), not (5, 1)",
        ),
    ],
    3: [
        (  # exp forgotten: log prices
            "def log_price_predictions(features, prices, new_features):\n"
            "    ones = torch.ones(len(features), 1)\n"
            "    fit = torch.linalg.lstsq(torch.cat([features, ones], 1), prices.log().reshape(-1, 1))\n"
            "    return (torch.cat([new_features, torch.ones(len(new_features), 1)], 1) @ fit.solution).squeeze(1)\n",
            "turn them back into thousands of dollars with exp",
        ),
        (  # the price fitted, not its log
            "def log_price_predictions(features, prices, new_features):\n"
            "    ones = torch.ones(len(features), 1)\n"
            "    fit = torch.linalg.lstsq(torch.cat([features, ones], 1), prices.reshape(-1, 1))\n"
            "    return (torch.cat([new_features, torch.ones(len(new_features), 1)], 1) @ fit.solution).squeeze(1)\n",
            "differ from the least-squares fit to the log prices",
        ),
        (  # a column of prices, as the lab's least_squares returns
            "def log_price_predictions(features, prices, new_features):\n"
            "    ones = torch.ones(len(features), 1)\n"
            "    fit = torch.linalg.lstsq(torch.cat([features, ones], 1), prices.log().reshape(-1, 1))\n"
            "    return (torch.cat([new_features, torch.ones(len(new_features), 1)], 1) @ fit.solution).exp()\n",
            "not (101,): one price per house (a column would broadcast",
        ),
    ],
}
