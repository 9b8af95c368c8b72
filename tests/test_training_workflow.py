"""Chapter 8, The training workflow: splits, overfitting, epochs and batches, train and eval modes."""

import copy
import gzip
import io
import math

import pytest
import torch
from conftest import DOCS, slider_fence, snippet_figures
from torch import nn
from torch.utils.data import DataLoader, random_split


@pytest.fixture(scope="module")
def validation(snippet):
    return snippet("training_workflow/validation.py")


@pytest.fixture(scope="module")
def epochs(snippet):
    return snippet("training_workflow/epochs.py")


@pytest.fixture(scope="module")
def modes(snippet):
    return snippet("training_workflow/modes.py")


def test_the_seeded_split_has_the_stated_sizes_is_disjoint_and_reproducible(validation):
    sets = validation["train_set"], validation["val_set"], validation["test_set"]
    assert [len(s) for s in sets] == [30, 15, 15]
    assert sorted(i for s in sets for i in s.indices) == list(range(60))
    again = random_split(validation["dataset"], [30, 15, 15], generator=torch.Generator().manual_seed(0))
    assert [s.indices for s in again] == [s.indices for s in sets]
    other = random_split(validation["dataset"], [30, 15, 15], generator=torch.Generator().manual_seed(1))
    assert other[0].indices != sets[0].indices


def test_fractions_round_down_and_hand_out_the_rest_first_set_first(validation):
    def expected(n, fractions):
        sizes = [math.floor(n * f) for f in fractions]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        return sizes

    assert [len(p) for p in validation["parts"]] == expected(506, [0.7, 0.15, 0.15]) == [355, 76, 75]
    assert math.floor(506 * 0.15) == 75 and math.floor(506 * 0.7) == 354  # 15% of 506 is 75.9
    assert 354 + 75 + 75 == 504


def test_the_validation_loss_turns_up_while_the_training_loss_keeps_falling(validation):
    train, val, best = validation["train_losses"], validation["val_losses"], validation["best_epoch"]
    assert len(train) == len(val) == 2000
    assert val[best - 1] == min(val) == validation["best_val"]
    assert best == 250 and best < 2000
    assert val[-1] > 1.5 * min(val)  # it turns up, clearly
    assert train[-1] < train[best - 1]  # the training loss kept going down
    assert train[-1] < val[-1] / 5  # at the end, far below the validation loss
    # Below what the true curve scores on the training points: fitting their noise. At the best epoch
    # the training loss is already at that level.
    true_train = validation["true_train"]
    assert true_train == pytest.approx(torch.mean((torch.sin(3 * validation["x_train"]) - validation["y_train"]) ** 2))
    assert train[-1] < true_train / 3 < true_train < val[-1]
    assert train[best - 1] == pytest.approx(true_train, abs=0.005)
    assert train[-1] == pytest.approx(0.02, abs=0.01) and val[-1] == pytest.approx(0.23, abs=0.02)
    # Almost level from the minimum to about epoch 1000, then rising while the training loss drops again.
    assert max(val[best - 1 : 1000]) < 1.1 * min(val)
    assert val[999] < val[1199] < val[1499] < val[-1]
    assert train[1199] < 0.7 * train[999]


def test_the_losses_have_no_spikes(validation):
    # After Adam's first steps, no epoch raises the training loss by more than 1 %
    # and none the validation loss by more than 5 %.
    train, val = validation["train_losses"], validation["val_losses"]
    assert all(b < 1.01 * a for a, b in zip(train[50:], train[51:]))
    assert all(b < 1.05 * a for a, b in zip(val[50:], val[51:]))


def test_a_state_dict_names_every_parameter_and_shares_its_memory(validation):
    model, best_state = validation["model"], validation["best_state"]
    assert list(best_state) == [name for name, _ in model.named_parameters()]
    assert all(best_state[name].shape == p.shape for name, p in model.named_parameters())
    # Without deepcopy the saved tensors would follow the model: state_dict() shares memory.
    copy_of_model = copy.deepcopy(model)
    shared = copy_of_model.state_dict()
    with torch.no_grad():
        copy_of_model[0].bias.add_(1.0)
    assert torch.equal(shared["0.bias"], copy_of_model[0].bias)
    # The saved weights differ from the last epoch's, and load_state_dict put them into best_model.
    assert not torch.equal(best_state["0.weight"], model.state_dict()["0.weight"])
    assert all(torch.equal(best_state[k], v) for k, v in validation["best_model"].state_dict().items())


def slider_block(page: str) -> tuple[str, list[str], str, list[str]]:
    """The label, values, start value and alt texts of the slider that includes the plot section,
    a folded block."""
    slider, alts, options = slider_fence(page, "training_workflow/validation.py:plot")
    assert options.get("fold") == "on", f"{page}: the plotting code is not folded"
    return slider.label, list(slider.values), slider.start, alts


def paragraph_after_the_slider(page: str) -> str:
    text = (DOCS / page).read_text()
    after = text[text.index('--8<-- "snippets/training_workflow/validation.py:plot"') :]
    return after.split("\n\n")[1]


def test_the_slider_frames_are_weights_saved_in_the_one_training_run(validation):
    snapshots, losses_at = validation["snapshots"], validation["losses_at"]
    train, val, best = validation["train_losses"], validation["val_losses"], validation["best_epoch"]
    epochs = validation["SNAPSHOT_EPOCHS"]
    assert list(snapshots) == list(losses_at) == list(epochs) and best in epochs and epochs[-1] == 2000
    # Each frame's losses are the run's own at that epoch (epoch 0: the untrained model's).
    for epoch in epochs[1:]:
        assert losses_at[epoch] == pytest.approx((train[epoch - 1], val[epoch - 1]))
    assert losses_at[0][0] > train[0] and losses_at[0][1] > val[0]
    # Copies, not views: the best epoch's copy is the saved best, the last one the model's weights.
    assert all(torch.equal(snapshots[best][k], v) for k, v in validation["best_state"].items())
    assert all(torch.equal(snapshots[2000][k], v) for k, v in validation["model"].state_dict().items())
    assert not torch.equal(snapshots[0]["0.weight"], snapshots[10]["0.weight"])
    # The story the slider tells: the validation loss falls to its minimum at the best epoch, stays
    # almost level to epoch 1000 and then rises, while the training loss falls at every frame.
    saved_val = [losses_at[e][1] for e in epochs]
    saved_train = [losses_at[e][0] for e in epochs]
    i = epochs.index(best)
    assert saved_val[: i + 1] == sorted(saved_val[: i + 1], reverse=True) and min(saved_val) == validation["best_val"]
    assert saved_val[i:] == sorted(saved_val[i:]) and losses_at[1000][1] < 1.02 * losses_at[best][1]
    assert saved_train == sorted(saved_train, reverse=True)


@pytest.mark.parametrize("page, label", [("training-workflow.md", "epoch"), ("training-workflow.ko.md", "에포크")])
def test_the_slider_fence_and_prose_state_the_runs_numbers(validation, page, label):
    losses_at, epochs = validation["losses_at"], validation["SNAPSHOT_EPOCHS"]
    got_label, values, start, alts = slider_block(page)
    assert got_label == label and values == [str(e) for e in epochs] and start == "2000"
    assert len(alts) == len(values)
    for epoch, alt in zip(epochs, alts):
        train_loss, val_loss = losses_at[epoch]
        assert f"{train_loss:.4f}" in alt and f"{val_loss:.4f}" in alt, (epoch, alt)
    prose = paragraph_after_the_slider(page)
    for epoch in epochs:
        assert f"{losses_at[epoch][1]:.4f}" in prose, epoch
    assert f"{losses_at[2000][0]:.4f}" in prose
    best = validation["best_epoch"]
    assert f"{validation['best_val']:.4f}" in alts[epochs.index(best)]


def test_the_slider_frames_share_their_axes_and_show_fitting_then_overfitting(validation):
    figures, epochs = snippet_figures("training_workflow/validation.py"), validation["SNAPSHOT_EPOCHS"]
    assert len(figures) == len(epochs)
    sizes = {tuple(f.get_size_inches()) for f in figures}
    limits = {tuple(tuple(axes.get_xlim()) + tuple(axes.get_ylim()) for axes in f.axes) for f in figures}
    assert len(sizes) == 1 and len(limits) == 1
    (losses_limits, fit_limits), = limits
    losses_at, curves, best = validation["losses_at"], validation["curves"], validation["best_epoch"]
    for epoch, figure in zip(epochs, figures):
        assert figure.get_suptitle().startswith(f"epoch {epoch}: ")
        losses, _ = figure.axes
        lines = losses.get_lines()
        # The loss curves end at the frame's epoch, where a dot of each curve's colour marks each
        # loss; the best epoch is marked once it has passed.
        for line, dot, loss in zip(lines[:2], lines[2:4], losses_at[epoch]):
            assert max(line.get_xdata(), default=epoch) == epoch
            assert list(dot.get_xdata()) == [epoch] and list(dot.get_ydata()) == [loss]
            assert dot.get_color() == line.get_color()
        assert any(line.get_linestyle() == ":" for line in lines) == (epoch >= best)
        assert all(losses_limits[2] < v < losses_limits[3] for v in losses_at[epoch])
        assert fit_limits[2] < curves[epoch].min() and curves[epoch].max() < fit_limits[3]
    assert min(validation["train_losses"]) > losses_limits[2] and max(validation["val_losses"]) < losses_limits[3]

    grid = validation["grid"]
    truth = torch.sin(3 * grid)
    distance = {e: torch.mean((curves[e] - truth) ** 2).item() for e in epochs}

    def turns(curve):  # how often the curve changes direction along the grid
        steps = torch.sign(torch.diff(curve.flatten()))
        return int((steps[1:] != steps[:-1]).sum())

    assert curves[0].max() - curves[0].min() < 0.05 and 0 < curves[0].mean() < 0.1  # flat, just above 0
    assert turns(curves[10]) == 0  # a rising line, no bends yet
    assert (round(curves[10].min().item(), 1), round(curves[10].max().item(), 1)) == (-1.4, 1.5)
    assert (round(curves[100].min().item(), 2), round(curves[100].max().item(), 2)) == (-0.76, 0.92)
    assert turns(truth) == 2 and turns(curves[best]) == 2
    assert min(distance, key=distance.get) == best  # the best epoch's curve is the closest to the truth
    # At the end: wiggles through the training points, away from the truth.
    assert turns(curves[2000]) >= 5 * turns(truth) and distance[2000] > 4 * distance[best]
    assert turns(curves[1000]) <= turns(truth) + 1  # still smooth before the second drop


def test_the_slider_frames_are_light(validation):
    sizes = []
    for figure in snippet_figures("training_workflow/validation.py"):
        svg = io.StringIO()
        figure.savefig(svg, format="svg")
        sizes.append(len(gzip.compress(svg.getvalue().encode())))
    assert sum(sizes) < 120 * 1024


def test_the_test_loss_is_low_because_the_test_points_are_quiet(validation):
    true_val, true_test = validation["true_val"], validation["true_test"]
    best_val, test_loss = validation["best_val"], validation["test_loss"]
    assert true_test == pytest.approx(torch.mean((torch.sin(3 * validation["x_test"]) - validation["y_test"]) ** 2))
    assert test_loss < best_val and true_test < true_val
    # The noise gap between the two sets more than explains the gap between the model's losses.
    assert best_val - test_loss < true_val - true_test


def test_the_noise_has_the_stated_variance(validation):
    noise = validation["y"] - torch.sin(3 * validation["x"])
    assert noise.std().item() == pytest.approx(0.3, rel=0.25)


def test_the_saved_model_is_the_best_validation_epoch_and_the_test_loss_is_its_own(validation):
    best_model, loss_fn = validation["best_model"], nn.MSELoss()
    with torch.no_grad():
        assert loss_fn(best_model(validation["x_val"]), validation["y_val"]).item() == pytest.approx(
            validation["best_val"]
        )
        assert loss_fn(best_model(validation["x_test"]), validation["y_test"]).item() == pytest.approx(
            validation["test_loss"]
        )
        # The chosen curve is closer to the true one than the last epoch's.
        grid = torch.linspace(-1, 1, 200).reshape(-1, 1)
        truth = torch.sin(3 * grid)
        assert loss_fn(best_model(grid), truth) < loss_fn(validation["model"](grid), truth)


def test_the_decks_example_gives_5_iterations_and_50_updates(epochs):
    assert epochs["iterations_per_epoch"] == 5 and epochs["total_updates"] == 50
    assert len(epochs["loader"]) == 5 and epochs["updates"] == 50
    assert epochs["total_updates"] == epochs["updates"]


def test_the_counting_figure_split_batches_and_iterations(snippet):
    counting = snippet("training_workflow/counting.py")
    sizes = [len(counting[k]) for k in ("train_rows", "val_rows", "test_rows")]
    assert sizes == [304, 101, 101] and 304 == 3 * 100 + 4 and sum(sizes) == 506
    rows = torch.cat([counting["train_rows"], counting["val_rows"], counting["test_rows"]])
    assert sorted(rows.tolist()) == list(range(506))  # no row in two sets
    batches = counting["batches"]
    assert [n for _, _, n in batches] == [100, 100, 100, 4] * 3
    assert [i for _, i, _ in batches] == list(range(1, 13)) and counting["iteration"] == 12
    assert [e for e, _, _ in batches] == [1] * 4 + [2] * 4 + [3] * 4


def test_a_short_last_batch_is_about_six_times_noisier(epochs):
    noise = epochs["noise"]
    ratio = noise[4] / noise[100]
    assert ratio > math.sqrt(100 / 4)  # more than 5...
    # ...as sampling without repeats predicts: the variance scales as (N - B) / (B (N - 1)).
    expected = math.sqrt((304 - 4) / 4 / ((304 - 100) / 100))
    assert ratio == pytest.approx(expected, rel=0.08) and round(expected) == 6
    assert 304 % 76 == 0 and [len(b) for b in DataLoader(range(304), batch_size=76)] == [76] * 4


def test_a_short_last_batch_and_drop_last(epochs):
    rows = epochs["rows"]
    assert [len(b) for (b,) in DataLoader(rows, batch_size=100)] == [100] * 5 + [6]
    assert len(DataLoader(rows, batch_size=100)) == 6 == math.ceil(506 / 100)
    assert len(DataLoader(rows, batch_size=100, drop_last=True)) == 5 == 506 // 100
    assert epochs["seen"] == list(range(500))  # the deck's loop: the same 500 rows every epoch


def test_modes_set_the_flag_on_every_submodule(modes):
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.BatchNorm1d(2)))
    assert model.training
    model.eval()
    assert not any(m.training for m in model.modules())
    model.train(False)
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    assert modes["model"].training  # the page's model, back in training mode


def test_eval_mode_keeps_gradients_and_step_updates(modes):
    assert modes["loss"].requires_grad and modes["loss"].grad_fn is not None
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in modes["model"].parameters())
    assert all(modes["changed"]) and len(modes["changed"]) == 6
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 1)).eval()
    model(torch.randn(3, 4)).sum().backward()
    assert all(p.grad.abs().sum() > 0 for p in model.parameters())


def test_dropout_zeroes_about_p_and_scales_by_one_over_one_minus_p(modes):
    drop = copy.deepcopy(modes["drop"])  # the page's layer, whose mode other tests share
    out = drop.train()(torch.ones(10_000))
    assert set(out.unique().tolist()) == {0.0, 1.25} and 1 / (1 - 0.2) == 1.25
    assert (out == 0).float().mean().item() == pytest.approx(0.2, abs=0.015)
    assert out.mean().item() == pytest.approx(1.0, abs=0.02)
    x = torch.randn(100)
    assert torch.equal(drop.eval()(x), x)


def test_batch_norm_in_training_and_evaluation_mode(modes):
    torch.manual_seed(7)
    batch = 5 + 2 * torch.randn(64, 3)
    bn = nn.BatchNorm1d(3)
    out = bn.train()(batch)
    assert torch.allclose(out.mean(0), torch.zeros(3), atol=1e-5)
    assert torch.allclose(out.var(0, unbiased=False), torch.ones(3), atol=1e-3)
    assert torch.allclose(bn.running_mean, 0.1 * batch.mean(0))
    assert torch.allclose(bn.running_var, 0.9 + 0.1 * batch.var(0, unbiased=True))
    assert not torch.allclose(bn.running_var, 0.9 + 0.1 * batch.var(0, unbiased=False))
    mean, var = bn.running_mean.clone(), bn.running_var.clone()
    out = bn.eval()(batch)
    assert torch.allclose(out, (batch - mean) / torch.sqrt(var + bn.eps))
    assert torch.equal(bn.running_mean, mean) and torch.equal(bn.running_var, var)
    assert (out.mean(0) > 3).all()  # far from normalised after one batch's update
    assert bn(batch[:1]).shape == (1, 3)
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        bn.train()(batch[:1])
    # The page's batch norm: one training batch moved the running statistics, nothing else did.
    page_bn, page_batch = modes["bn"], modes["batch"]
    assert torch.allclose(page_bn.running_mean, 0.1 * page_batch.mean(0))
    assert torch.allclose(page_bn.running_var, 0.9 + 0.1 * page_batch.var(0))
    assert page_bn.momentum == 0.1 and torch.equal(page_bn.weight.detach(), torch.ones(3))


def test_batch_norm_needs_more_than_one_value_per_channel_not_more_than_one_example(modes):
    torch.manual_seed(8)
    with pytest.raises(ValueError):
        nn.BatchNorm1d(3).train()(torch.randn(1, 3))
    with pytest.raises(ValueError):
        nn.BatchNorm1d(3).train()(torch.randn(1, 3, 1))  # (N, C, L) with L = 1: one value again
    for layer, shape in [(nn.BatchNorm1d(3), (1, 3, 5)), (nn.BatchNorm2d(3), (1, 3, 4, 4))]:
        one = torch.randn(shape)
        out = layer.train()(one)
        # Statistics per channel over the N * L (or N * H * W) values: each channel comes out normalised.
        per_channel = out.transpose(0, 1).reshape(3, -1)
        assert torch.allclose(per_channel.mean(1), torch.zeros(3), atol=1e-5)
        assert torch.allclose(per_channel.var(1, unbiased=False), torch.ones(3), atol=1e-3)
    assert modes["values"] == 16 and modes["result"].startswith("works")


def test_no_grad_and_inference_mode_stop_recording(modes):
    # A copy: in training mode each forward pass moves batch norm's running statistics.
    model, x = copy.deepcopy(modes["model"]), modes["x"]
    for context in (torch.no_grad, torch.inference_mode):
        with context():
            out = model(x)
        assert not out.requires_grad and out.grad_fn is None
        with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
            out.sum().backward()


def test_the_evaluation_function_is_deterministic_and_restores_the_mode(modes):
    model, evaluate, x, y = copy.deepcopy(modes["model"]), modes["evaluate"], modes["x"], modes["y"]
    model.train()
    assert evaluate(model, x, y) == evaluate(model, x, y) and model.training
    model.eval()
    evaluate(model, x, y)
    assert not model.training
    model.train()
    with torch.no_grad():  # in training mode dropout makes two calls differ
        assert not torch.equal(model(x), model(x))


# --- Check yourself (exercises.py) --------------------------------------------------------------

WRONG_ANSWERS = {
    "count": [
        (  # floor division for every epoch: the incomplete last batch forgotten
            "def count(n_examples, batch_size, epochs, drop_last=False):\n"
            "    iterations = n_examples // batch_size\n"
            "    return iterations, n_examples % batch_size, epochs * iterations\n",
            "iterations an epoch; the DataLoader makes",
        ),
        (  # the remainder as the last batch, even when drop_last leaves it out (or there is none)
            "import math\n\n\n"
            "def count(n_examples, batch_size, epochs, drop_last=False):\n"
            "    if drop_last:\n"
            "        iterations = n_examples // batch_size\n"
            "    else:\n"
            "        iterations = math.ceil(n_examples / batch_size)\n"
            "    return iterations, n_examples % batch_size, epochs * iterations\n",
            "your last batch has",
        ),
    ],
    "dropout": [
        (  # torch.no_grad() alone: no graph, but dropout still on
            "def predict(model, x):\n"
            "    with torch.no_grad():\n"
            "        return model(x)\n",
            "gave different predictions",
        ),
        (  # model.eval without the call: a method named, nothing switched
            "def predict(model, x):\n"
            "    model.eval\n"
            "    return model(x)\n",
            "gave different predictions",
        ),
        (  # the same random units dropped at every call: the same prediction, but not the model's
            "def predict(model, x):\n"
            "    torch.manual_seed(0)\n"
            "    return model(x)\n",
            "not the model's",
        ),
    ],
}


def test_exercise_answers(snippet):
    exercise = snippet("training_workflow/exercises.py")
    assert math.ceil(1000 / 64) == 16 and 1000 - 15 * 64 == 40 and 1000 // 64 == 15
    assert len(DataLoader(exercise["data"], batch_size=64)) * 3 == 48
    assert len(DataLoader(exercise["data"], batch_size=64, drop_last=True)) * 3 == 45
    model, house = copy.deepcopy(exercise["model"]), exercise["house"]
    assert not model.training and exercise["first"] == exercise["second"]
    model.train()
    torch.manual_seed(0)
    assert model(house).item() != model(house).item()
