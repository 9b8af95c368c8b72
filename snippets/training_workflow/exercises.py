# --8<-- [start:count_task]
import torch
from torch.utils.data import DataLoader, TensorDataset


def count(n_examples, batch_size, epochs, drop_last=False):
    """An epoch of a DataLoader over n_examples (at least batch_size) with
    this batch_size and drop_last: return the number of iterations it
    takes, the size of its last batch, and the number of updates that
    `epochs` epochs make, as a tuple of three numbers."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:count_task]

# --8<-- [start:count_solution]
import math


def count(n_examples, batch_size, epochs, drop_last=False):
    if drop_last:  # the incomplete batch is left out: the last one is full
        iterations, last = n_examples // batch_size, batch_size
    else:
        iterations = math.ceil(n_examples / batch_size)
        last = n_examples - (iterations - 1) * batch_size
    return iterations, last, epochs * iterations


data = TensorDataset(torch.randn(1000, 5))
for drop_last in (False, True):
    loader = DataLoader(data, batch_size=64, drop_last=drop_last)
    sizes = [len(batch) for (batch,) in loader]
    print(f"drop_last={drop_last}: {len(loader)} iterations an epoch, "
          f"last batch {sizes[-1]}, {3 * len(loader)} updates in 3 epochs")
    print("  by formula:", count(1000, 64, 3, drop_last=drop_last))
# --8<-- [end:count_solution]

# --8<-- [start:count_check]
for n_check, batch_check, epochs_check in ((1000, 64, 3), (640, 64, 2),
                                           (100, 30, 5)):
    for drop_check in (False, True):
        loader_check = DataLoader(TensorDataset(torch.zeros(n_check, 1)),
                                  batch_size=batch_check,
                                  drop_last=drop_check)
        sizes_check = [len(batch) for (batch,) in loader_check]
        setting_check = (f"{n_check} examples, batch size {batch_check}, "
                         f"drop_last={drop_check}")
        got_count = count(n_check, batch_check, epochs_check,
                          drop_last=drop_check)
        assert len(got_count) == 3, (
            f"count should return three numbers, not {got_count}")
        got_iterations, got_last, got_updates = got_count
        assert got_iterations == len(sizes_check), (
            f"for {setting_check}: you count {got_iterations} iterations an "
            f"epoch; the DataLoader makes {len(sizes_check)}")
        assert got_last == sizes_check[-1], (
            f"for {setting_check}: your last batch has {got_last} examples; "
            f"the DataLoader's has {sizes_check[-1]}")
        assert got_updates == epochs_check * len(sizes_check), (
            f"for {setting_check}: you count {got_updates} updates in "
            f"{epochs_check} epochs; the DataLoader makes "
            f"{epochs_check * len(sizes_check)}")
print("Exercise 1: correct.")
# --8<-- [end:count_check]

# --8<-- [start:dropout_task]
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(p=0.5),
                      nn.Linear(16, 1))
house = torch.tensor([[0.2, -1.0, 0.5]])


def predict(model, x):
    """The learner's code. It should return the model's predictions for
    the inputs x, one row per house, the same at every call. Find what
    they forgot, and fix it."""
    return model(x)


print("prediction:", predict(model, house).item())
print("prediction:", predict(model, house).item())
# --8<-- [end:dropout_task]

# --8<-- [start:dropout_solution]
def predict(model, x):
    model.eval()  # dropout off: every hidden unit is used, every time
    with torch.no_grad():  # no graph: a prediction needs no backward()
        return model(x)


first, second = predict(model, house).item(), predict(model, house).item()
print("eval mode:", first, second, " equal:", first == second)
# --8<-- [end:dropout_solution]

# --8<-- [start:dropout_check]
torch.manual_seed(1)
for model_check in (
        nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(p=0.5),
                      nn.Linear(16, 1)),
        nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Dropout(p=0.2),
                      nn.Linear(8, 8), nn.ReLU(), nn.Dropout(p=0.5),
                      nn.Linear(8, 1))):
    houses_check = torch.randn(5, 3)
    # the same layers without dropout: the prediction with every unit used
    with torch.no_grad():
        expected_check = nn.Sequential(*[
            layer_check for layer_check in model_check
            if not isinstance(layer_check, nn.Dropout)])(houses_check)
    got_first = torch.as_tensor(predict(model_check, houses_check)).detach()
    got_second = torch.as_tensor(predict(model_check, houses_check)).detach()
    assert got_first.shape == expected_check.shape, (
        f"predict should return one prediction per house, shape "
        f"{tuple(expected_check.shape)}, not {tuple(got_first.shape)}")
    assert torch.equal(got_first, got_second), (
        f"two calls of predict with the same 5 houses gave different "
        f"predictions, up to {(got_first - got_second).abs().max():.4f} "
        f"apart")
    gap_check = (got_first - expected_check).abs().max().item()
    assert gap_check < 1e-6, (
        f"your predictions are the same at every call, but they are not "
        f"the model's: up to {gap_check:.4f} away from them")
print("Exercise 2: correct.")
# --8<-- [end:dropout_check]
