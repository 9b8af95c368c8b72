# --8<-- [start:init_task]
import torch
from torch import nn


def init_for(layer, activation):
    """Initialise layer, an nn.Linear, in place for the activation that
    follows it, "tanh" or "relu": its weight with the matching rule of
    this chapter (with gain 1), from a normal or a uniform
    distribution, and its bias with zeros."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:init_task]

# --8<-- [start:init_solution]
def init_for(layer, activation):
    if activation == "tanh":
        nn.init.xavier_normal_(layer.weight)  # Var 2/(fan_in + fan_out)
    elif activation == "relu":
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    else:
        raise ValueError(f"no rule for {activation!r}")
    nn.init.zeros_(layer.bias)


torch.manual_seed(0)
layer = nn.Linear(256, 64)
init_for(layer, "relu")
print(f"std of the weights {layer.weight.std().item():.4f}")
# --8<-- [end:init_solution]

# --8<-- [start:init_check]
torch.manual_seed(0)
for fan_in, fan_out in [(128, 128), (256, 64), (64, 256), (300, 100)]:
    for activation in ["tanh", "relu"]:
        layer_check = nn.Linear(fan_in, fan_out)
        init_for(layer_check, activation)
        # The variance each rule asks for, then its square root.
        variance = (2 / (fan_in + fan_out) if activation == "tanh"
                    else 2 / fan_in)
        expected = variance**0.5
        got = layer_check.weight.std().item()
        gain_hint = (" (did you pass a gain? the rule here has gain 1)"
                     if abs(got / expected - 5 / 3) < 0.1 else "")
        assert abs(got / expected - 1) < 0.05, (
            f"nn.Linear({fan_in}, {fan_out}) before {activation}: the std "
            f"of your weights is {got:.4f}, but the rule gives "
            f"{expected:.4f}{gain_hint}")
        assert torch.all(layer_check.bias == 0), (
            f"nn.Linear({fan_in}, {fan_out}) before {activation}: your "
            f"bias is not all zeros")
print("Exercise 1 is correct: each weight has its rule's spread, "
      "each bias is 0.")
# --8<-- [end:init_check]

# --8<-- [start:adamw_task]
import torch


@torch.no_grad()
def adamw_step_(p, state, lr=0.001, betas=(0.9, 0.999), eps=1e-8,
                weight_decay=0.01):
    """One AdamW step on the parameter p, in place, as torch.optim.AdamW
    takes it: read the gradient from p.grad, update p itself and the
    dictionary state, which starts empty and keeps the step count "step"
    and the moving averages "exp_avg" (of the gradients) and "exp_avg_sq"
    (of their squares) from one step to the next."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:adamw_task]

# --8<-- [start:adamw_solution]
import torch


@torch.no_grad()
def adamw_step_(p, state, lr=0.001, betas=(0.9, 0.999), eps=1e-8,
                weight_decay=0.01):
    """AdamW, in place: shrink p, then the Adam step on the gradient."""
    beta1, beta2 = betas
    if not state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(p)
        state["exp_avg_sq"] = torch.zeros_like(p)
    state["step"] += 1
    t, g = state["step"], p.grad
    p.mul_(1 - lr * weight_decay)  # the decay, decoupled from the gradient
    state["exp_avg"].mul_(beta1).add_((1 - beta1) * g)
    state["exp_avg_sq"].mul_(beta2).add_((1 - beta2) * g**2)
    m_hat = state["exp_avg"] / (1 - beta1**t)
    v_hat = state["exp_avg_sq"] / (1 - beta2**t)
    p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


# one linear model, two copies: ours and torch.optim.AdamW's
torch.manual_seed(0)
X, Y = torch.randn(32, 4), torch.randn(32, 2)
theirs = torch.nn.Linear(4, 2)
ours = torch.nn.Linear(4, 2)
ours.load_state_dict(theirs.state_dict())
optimizer = torch.optim.AdamW(theirs.parameters(), lr=0.01,
                              weight_decay=0.1)
states = {p: {} for p in ours.parameters()}
for _ in range(20):
    for model in (ours, theirs):
        model.zero_grad()
        torch.nn.functional.mse_loss(model(X), Y).backward()
    optimizer.step()
    for p in ours.parameters():
        adamw_step_(p, states[p], lr=0.01, weight_decay=0.1)
gap = max((a - b).abs().max().item()
          for a, b in zip(ours.parameters(), theirs.parameters()))
print(f"largest difference after 20 steps: {gap:.1e}")
# --8<-- [end:adamw_solution]

# --8<-- [start:adamw_check]
import torch

# random data, float64, other hyperparameters than the solution's
torch.manual_seed(2)
X_check = torch.randn(16, 3, dtype=torch.float64)
Y_check = torch.randn(16, 1, dtype=torch.float64)
for hyper_check in (dict(lr=0.05, weight_decay=0.2),
                    dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.5)):
    theirs_check = torch.nn.Linear(3, 1).double()
    ours_check = torch.nn.Linear(3, 1).double()
    ours_check.load_state_dict(theirs_check.state_dict())
    adamw_check = torch.optim.AdamW(theirs_check.parameters(), **hyper_check)
    states_check = {p: {} for p in ours_check.parameters()}
    for step_check in range(1, 11):
        for model_check in (ours_check, theirs_check):
            model_check.zero_grad()
            torch.nn.functional.mse_loss(model_check(X_check),
                                         Y_check).backward()
        adamw_check.step()
        before_check = [p.detach().clone() for p in ours_check.parameters()]
        for p_check in ours_check.parameters():
            adamw_step_(p_check, states_check[p_check], **hyper_check)
        assert any(not torch.equal(a, p) for a, p in zip(
            before_check, ours_check.parameters())), (
            "adamw_step_ did not change the parameter: update p in place "
            "(p.mul_, p.sub_), do not return a new tensor")
        for (name_check, p_check), q_check in zip(
                ours_check.named_parameters(), theirs_check.parameters()):
            gap_check = (p_check - q_check).abs().max().item()
            assert gap_check < 1e-9, (
                f"with {hyper_check}, after step {step_check} your "
                f"{name_check} differs from torch.optim.AdamW's by "
                f"{gap_check:.2g}")
print("Exercise 2: correct.")
# --8<-- [end:adamw_check]

# --8<-- [start:resume_task]
import torch


def save(path, model, optimizer, scheduler, generator, epoch):
    """Write a checkpoint to path, after `epoch` epochs of training,
    with everything that load needs to continue the run exactly.
    (generator is the torch.Generator that the DataLoader shuffles
    with.)"""
    torch.save({"model": model.state_dict(), "epoch": epoch}, path)


def load(path, model, optimizer, scheduler, generator):
    """Read the checkpoint at path into a freshly built model,
    optimizer, scheduler and generator; return the number of epochs
    done."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    return checkpoint["epoch"]
# --8<-- [end:resume_task]

# --8<-- [start:resume_solution]
def save(path, model, optimizer, scheduler, generator, epoch):
    torch.save({
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),  # Adam's moments and steps
        "scheduler": scheduler.state_dict(),  # where the schedule is
        "generator": generator.get_state(),  # the next epoch's order
    }, path)


def load(path, model, optimizer, scheduler, generator):
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    generator.set_state(checkpoint["generator"])
    return checkpoint["epoch"]
# --8<-- [end:resume_solution]

# --8<-- [start:resume_check]
import tempfile
from pathlib import Path

from torch import nn
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

check_x = torch.randn(48, 4, generator=torch.Generator().manual_seed(0))
check_y = check_x.sum(dim=1, keepdim=True).sin()


def build_run():
    """A model, optimizer, scheduler, generator and loader, built afresh
    the same way every time."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    scheduler = StepLR(optimizer, step_size=2, gamma=0.5)
    generator = torch.Generator().manual_seed(4)
    loader = DataLoader(TensorDataset(check_x, check_y), batch_size=12,
                        shuffle=True, generator=generator)
    return model, optimizer, scheduler, generator, loader


def train_run(run, epochs):
    model, optimizer, scheduler, generator, loader = run
    for _ in range(epochs):
        for x_batch, y_batch in loader:
            loss = nn.functional.mse_loss(model(x_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


def same_tensors(a, b):
    """Whether two (nested) states hold exactly the same values."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(
            same_tensors(a[key], b[key]) for key in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same_tensors, a, b))
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and torch.equal(a, b)
    return a == b


for total, stop in [(6, 3), (5, 4)]:
    straight = build_run()
    train_run(straight, total)
    first = build_run()
    train_run(first, stop)
    second = build_run()  # as a new start would build it
    with tempfile.TemporaryDirectory() as check_folder:
        save(Path(check_folder) / "checkpoint.pt", *first[:4], stop)
        done = load(Path(check_folder) / "checkpoint.pt", *second[:4])
    assert done == stop, (
        f"the run stopped after {stop} epochs, but load returns {done}")
    assert same_tensors(second[0].state_dict(), first[0].state_dict()), (
        "after load, the model's parameters are not those saved")
    assert same_tensors(second[1].state_dict(), first[1].state_dict()), (
        "after load, the optimizer's state (Adam's moments and step "
        "count, its learning rate) is not the saved run's")
    assert second[2].last_epoch == first[2].last_epoch, (
        f"after load, the scheduler is at epoch {second[2].last_epoch}, "
        f"the saved run's at {first[2].last_epoch}")
    assert torch.equal(second[3].get_state(), first[3].get_state()), (
        "after load, the loader's generator would shuffle the next epoch "
        "differently from the saved run")
    train_run(second, total - done)
    difference = max((p - q).abs().max().item() for p, q in zip(
        second[0].parameters(), straight[0].parameters()))
    assert difference == 0, (
        f"resumed after {stop} of {total} epochs, the parameters differ "
        f"from the straight run's by up to {difference:.1e}")
print("Exercise 3 is correct: the resumed run is the straight run, "
      "exactly.")
# --8<-- [end:resume_check]
