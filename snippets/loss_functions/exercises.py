# --8<-- [start:ce_task]
import torch
from torch import nn


def unsure_loss(num_classes):
    """The cross-entropy loss of an example to which a classifier with
    num_classes classes gives equal logits: work it out by hand and
    return it (a float or a tensor)."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:ce_task]

# --8<-- [start:ce_solution]
import math


def unsure_loss(num_classes):
    return math.log(num_classes)  # -log(1 / K): each class gets 1 / K


# Four classes, a model that is completely unsure: all logits equal.
logits = torch.zeros(1, 4)
loss = nn.CrossEntropyLoss()(logits, torch.tensor([2]))
print(f"loss = {loss.item():.6f}, log 4 = {unsure_loss(4):.6f}")
# --8<-- [end:ce_solution]

# --8<-- [start:ce_check]
for classes_check in (2, 10, 4):
    got_loss = torch.as_tensor(unsure_loss(classes_check))
    got_loss = got_loss.detach().item()  # a float or a tensor
    for logit_check in (0.0, -3.5):  # any logit, as long as all are equal
        logits_check = torch.full((1, classes_check), logit_check)
        for target_check in range(classes_check):  # whatever the class
            ce_check = nn.CrossEntropyLoss()(
                logits_check, torch.tensor([target_check])).item()
            assert abs(got_loss - ce_check) < 1e-5, (
                f"with {classes_check} classes your loss is {got_loss:.4f}, "
                f"but nn.CrossEntropyLoss gives {ce_check:.4f}")
print("Exercise 1: correct.")
# --8<-- [end:ce_check]

# --8<-- [start:binary_task]
def bce_gradient(z, y):
    """dL/dz of the binary cross-entropy, for a tensor z of logits and
    a tensor y of labels (0. or 1.) of the same shape: return each
    example's own derivative, from your formula (not from autograd)."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:binary_task]

# --8<-- [start:binary_solution]
def bce_gradient(z, y):
    return torch.sigmoid(z) - y


# Logits, some confident, and labels: the derivative of the binary
# cross-entropy with respect to each logit, by autograd and by formula.
z = torch.tensor([-2.0, 0.0, 0.8, 3.0, 40.0], requires_grad=True)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])
# reduction="sum": each example's own derivative, not divided by N
bce = nn.BCEWithLogitsLoss(reduction="sum")(z, labels)
bce.backward()
print("autograd:        ", z.grad)
print("sigmoid(z) - y:  ", bce_gradient(z.detach(), labels))
# --8<-- [end:binary_solution]

# --8<-- [start:binary_check]
torch.manual_seed(0)
for z_check in (5 * torch.randn(3, 4),
                torch.tensor([-40.0, -3.0, -0.5, 0.0, 1.2, 40.0])):
    for y_check in (torch.zeros_like(z_check), torch.ones_like(z_check),
                    torch.randint(0, 2, z_check.shape).float()):
        z_leaf = z_check.clone().requires_grad_()
        nn.BCEWithLogitsLoss(reduction="sum")(z_leaf, y_check).backward()
        got_grad = torch.as_tensor(bce_gradient(z_check, y_check)).detach()
        assert got_grad.shape == z_check.shape, (
            f"bce_gradient should return one derivative per logit, shape "
            f"{tuple(z_check.shape)}, not {tuple(got_grad.shape)}")
        bad_check = z_check[~torch.isfinite(got_grad)]
        assert len(bad_check) == 0, (
            f"your gradient is nan or inf at z = {bad_check[0].item():g}, "
            "where float32 rounds sigmoid(z) to 0 or 1")
        gaps_check = (got_grad - z_leaf.grad).abs()
        worst_check = gaps_check.argmax()
        assert gaps_check.max() < 1e-5, (
            f"at z = {z_check.flatten()[worst_check]:.3g} with label "
            f"{y_check.flatten()[worst_check]:g}, your gradient "
            f"{got_grad.flatten()[worst_check]:.4f} differs from autograd's "
            f"{z_leaf.grad.flatten()[worst_check]:.4f}")
print("Exercise 2: correct.")
# --8<-- [end:binary_check]

# --8<-- [start:broadcast_task]
def training_loss(predictions, targets):
    """The training loop's loss: the mean squared error of predictions
    of shape (N, 1) against targets of shape (N,). It has the bug: fix
    it."""
    return nn.MSELoss()(predictions, targets)


def stalled_loss(targets):
    """The value at which the loss with the bug stalls, for targets of
    shape (N,): return it (a float or a tensor), from the targets
    alone."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:broadcast_task]

# --8<-- [start:broadcast_solution]
import warnings


def training_loss(predictions, targets):
    # the targets as a column, (N, 1) like the predictions
    return nn.MSELoss()(predictions, targets.reshape(-1, 1))


def stalled_loss(targets):
    return targets.var(correction=0)  # Var(y), dividing by N


torch.manual_seed(0)
x = torch.randn(64, 1)  # one feature, shape (64, 1)
y = 1.0 + 3.0 * x.squeeze(1) + 0.1 * torch.randn(64)  # targets: (64,)


def train(loss_function):
    """Fit a linear model by gradient descent; return it and its loss."""
    torch.manual_seed(1)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning from the question
        for step in range(300):
            loss = loss_function(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model, loss.item()


# the bug: (64, 1) predictions, (64,) targets
model, stalled = train(nn.MSELoss())
print(f"loss with the bug:   {stalled:.4f}")
print(f"Var(y):              {stalled_loss(y):.4f}")
print(f"weight {model.weight.item():.4f}, bias {model.bias.item():.4f}, "
      f"mean of y {y.mean().item():.4f}")
fixed, fixed_loss = train(training_loss)
print(f"loss with y.reshape(-1, 1): {fixed_loss:.4f}")
# --8<-- [end:broadcast_solution]

# --8<-- [start:broadcast_check]
import warnings

torch.manual_seed(0)
for n_check in (64, 10):
    x_check = torch.randn(n_check, 1)  # one feature
    y_check = 2.0 - x_check[:, 0] + 0.3 * torch.randn(n_check)  # (N,)
    pred_check = 2.0 - x_check  # a good model's predictions, (N, 1)
    with warnings.catch_warnings(record=True) as caught_check:
        warnings.simplefilter("always")  # to say so below, not to print
        got_loss = torch.as_tensor(training_loss(pred_check, y_check))
    got_loss = got_loss.detach().item()  # a float or a tensor
    pairs_check = sum((p - t) ** 2 for (p,), t in zip(
        pred_check.tolist(), y_check.tolist())) / n_check
    assert abs(got_loss - pairs_check) < 1e-4, (
        f"for {n_check} examples your loss is {got_loss:.4f}, but the "
        f"mean of (prediction - target)^2 over the {n_check} pairs "
        f"is {pairs_check:.4f}")
    assert not caught_check, (
        f"your loss is right, but torch warns: {caught_check[0].message}")
    # where the loss with the bug stalls: fit a line to it
    line_check = torch.zeros(2, requires_grad=True)  # slope, intercept
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the bug's warning, on purpose
        for _ in range(100):
            stall_check = nn.MSELoss()(
                line_check[0] * x_check + line_check[1], y_check)
            (grad_check,) = torch.autograd.grad(stall_check, line_check)
            with torch.no_grad():
                line_check -= 0.1 * grad_check
    got_stall = torch.as_tensor(stalled_loss(y_check))
    got_stall = got_stall.detach().item()  # a float or a tensor
    assert abs(got_stall - stall_check.item()) < 1e-4 * stall_check.item(), (
        f"for these {n_check} targets the loss with the bug stalls at "
        f"{stall_check.item():.4f}, not at {got_stall:.4f}")
print("Exercise 3: correct.")
# --8<-- [end:broadcast_check]
