# --8<-- [start:count_task]
import torch
from torch import nn


def count_parameters(sizes):
    """Return the number of parameters of a network of nn.Linear layers
    of the given sizes, nn.Linear(sizes[0], sizes[1]), then
    nn.Linear(sizes[1], sizes[2]) and so on, with a ReLU between each two:
    by the formula, without building the model."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:count_task]

# --8<-- [start:count_solution]
def count_parameters(sizes):
    # in * out + out for each Linear layer; ReLU has none
    return sum(n_in * n_out + n_out
               for n_in, n_out in zip(sizes[:-1], sizes[1:]))


model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16),
                      nn.ReLU(), nn.Linear(16, 3))
by_formula = count_parameters([4, 16, 16, 3])
counted = sum(p.numel() for p in model.parameters())
print("by formula:", by_formula, " counted:", counted)
# --8<-- [end:count_solution]

# --8<-- [start:count_check]
for sizes_check in ([13, 8, 1], [2, 5, 7, 4, 1], [3, 2], [4, 16, 16, 3]):
    layers_check = []
    for n_in_check, n_out_check in zip(sizes_check[:-1], sizes_check[1:]):
        layers_check += [nn.Linear(n_in_check, n_out_check), nn.ReLU()]
    model_check = nn.Sequential(*layers_check[:-1])  # no ReLU at the end
    expected_count = sum(p.numel() for p in model_check.parameters())
    got_count = count_parameters(list(sizes_check))
    assert got_count == expected_count, (
        f"for the sizes {sizes_check}, you count {got_count} parameters; "
        f"the model has {expected_count}")
print("Exercise 1: correct.")
# --8<-- [end:count_check]

# --8<-- [start:order_task]
torch.manual_seed(0)
x, y = torch.randn(32, 4), torch.randn(32)


def train_steps(model, x, y, steps=10):
    """The learner's code. It should train model in place on the examples
    x and their targets y: `steps` steps of SGD with learning rate 0.1 on
    the MSE loss. Find what is wrong, and fix it."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        pre_y = model(x)
        loss = nn.MSELoss()(pre_y, y.reshape(-1, 1))
        loss.backward()
        optimizer.zero_grad()  # moved: now between backward() and step()
        optimizer.step()
# --8<-- [end:order_task]

# --8<-- [start:order_solution]
linear_model = nn.Linear(4, 1)
start = linear_model.weight.detach().clone()
train_steps(linear_model, x, y)  # the learner's code, as it was
print("weight.grad after the steps:", linear_model.weight.grad)
unchanged = torch.equal(start, linear_model.weight.detach())
print("weights changed in 10 steps:", not unchanged)


def train_steps(model, x, y, steps=10):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        optimizer.zero_grad()  # first, before backward() fills .grad
        loss = nn.MSELoss()(model(x), y.reshape(-1, 1))
        loss.backward()
        optimizer.step()


train_steps(linear_model, x, y)
fixed_changed = not torch.equal(start, linear_model.weight.detach())
print("with zero_grad() first, weights changed:", fixed_changed)
# --8<-- [end:order_solution]

# --8<-- [start:order_check]
for seed_check in (1, 2):
    torch.manual_seed(seed_check)
    x_check, y_check = torch.randn(20, 3), torch.randn(20)
    model_check = nn.Linear(3, 1)
    # The reference: 5 steps of gradient descent, w <- w - 0.1 dL/dw, each
    # with the gradient that torch.autograd.grad returns for that step.
    w_check = model_check.weight.detach().clone().requires_grad_()
    b_check = model_check.bias.detach().clone().requires_grad_()
    for _ in range(5):
        loss_check = ((x_check @ w_check.T + b_check
                       - y_check.reshape(-1, 1)) ** 2).mean()
        dw_check, db_check = torch.autograd.grad(loss_check,
                                                 (w_check, b_check))
        with torch.no_grad():
            w_check -= 0.1 * dw_check
            b_check -= 0.1 * db_check
    start_check = model_check.weight.detach().clone()
    train_steps(model_check, x_check, y_check, steps=5)
    got_w = model_check.weight.detach()
    assert not torch.equal(got_w, start_check), (
        "after train_steps(model, x, y, steps=5), the weights are exactly "
        "as they were before it")
    gap_check = max((got_w - w_check).abs().max().item(),
                    (model_check.bias.detach() - b_check).abs().max().item())
    assert gap_check < 1e-5, (
        f"after 5 steps, your weights and bias differ from those of 5 "
        f"steps of gradient descent by up to {gap_check:.4f}")
print("Exercise 2: correct.")
# --8<-- [end:order_check]

# --8<-- [start:halves_task]
def accumulate(model, x, y, parts=2):
    """Fill the .grad of model's parameters with the gradient of the MSE
    loss of the whole batch x, y, without computing that loss: split the
    batch into `parts` equal parts, and call backward() once on each
    part's loss, with no zero_grad() in between."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:halves_task]

# --8<-- [start:halves_solution]
def accumulate(model, x, y, parts=2):
    loss_fn = nn.MSELoss()
    for rows in torch.arange(len(x)).split(len(x) // parts):
        # the batch's MSE is the mean of the MSEs of its equal parts
        (loss_fn(model(x[rows]), y[rows].reshape(-1, 1)) / parts).backward()


linear_model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(linear_model.parameters(), lr=0.1)
nn.MSELoss()(linear_model(x), y.reshape(-1, 1)).backward()
full = linear_model.weight.grad.clone()

optimizer.zero_grad()
accumulate(linear_model, x, y)  # two halves of 16
print("full batch:    ", full)
print("two halves / 2:", linear_model.weight.grad)
print("equal:", torch.allclose(full, linear_model.weight.grad))
# --8<-- [end:halves_solution]

# --8<-- [start:halves_check]
for parts_check in (2, 3):
    torch.manual_seed(parts_check)
    x_check, y_check = torch.randn(24, 3), torch.randn(24)
    model_check = nn.Linear(3, 1)
    loss_check = nn.MSELoss()(model_check(x_check), y_check.reshape(-1, 1))
    # autograd's gradient of the whole batch's loss (.grad stays None)
    expected_check = torch.autograd.grad(loss_check,
                                         list(model_check.parameters()))
    accumulate(model_check, x_check, y_check, parts=parts_check)
    for (name_check, p_check), e_check in zip(
            model_check.named_parameters(), expected_check):
        assert p_check.grad is not None, (
            f"after accumulate, {name_check}.grad is None: no backward() "
            f"reached it")
        gap_check = (p_check.grad - e_check).abs().max().item()
        assert gap_check < 1e-5, (
            f"with a batch of 24 in {parts_check} parts, your accumulated "
            f"{name_check} gradient differs from the whole batch's by up to "
            f"{gap_check:.4f}")
print("Exercise 3: correct.")
# --8<-- [end:halves_check]

# --8<-- [start:loop_task]
import torch
from torch import nn

# The data: 500 examples, 3 features, a linear target with a little noise.
generator = torch.Generator().manual_seed(7)
X = torch.randn(500, 3, generator=generator)
y = (X @ torch.tensor([2.0, -1.0, 0.5]) + 1.0
     + 0.1 * torch.randn(500, generator=generator))


def train(X, y):
    """Train a model nn.Linear(3, 1) on the examples X, shape (N, 3), and
    their targets y, shape (N,), with the MSE loss, an optimizer and a
    loop of the five lines. Print the final loss; return the model."""
    raise NotImplementedError("Exercise 4: write your code here")
# --8<-- [end:loop_task]

# --8<-- [start:loop_solution]
def train(X, y):
    # The model, the loss and the optimizer
    model = nn.Linear(3, 1)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    # The loop: the five lines, 200 times on the whole data set
    for step in range(200):
        optimizer.zero_grad()
        pre_y = model(X)
        loss = loss_fn(pre_y, y.reshape(-1, 1))
        loss.backward()
        optimizer.step()
    print(f"final loss: {loss.item():.5f}")
    return model


torch.manual_seed(0)
model = train(X, y)
print("learned weights:",
      [round(v, 4) for v in model.weight.detach().flatten().tolist()])
print(f"learned bias: {model.bias.item():.4f}")
# --8<-- [end:loop_solution]

# --8<-- [start:loop_check]
# The page's data, then 300 examples with other weights: the check makes
# its own, so that a program that reuses the names X and y does not change
# what it compares with.
for seed_check, n_check, w_check, b_check in (
        (7, 500, [2.0, -1.0, 0.5], 1.0), (8, 300, [-1.5, 0.5, 3.0], -2.0)):
    generator_check = torch.Generator().manual_seed(seed_check)
    X_check = torch.randn(n_check, 3, generator=generator_check)
    y_check = (X_check @ torch.tensor(w_check) + b_check
               + 0.1 * torch.randn(n_check, generator=generator_check))
    got_model = train(X_check, y_check)
    assert isinstance(got_model, nn.Linear) and (
        got_model.weight.shape == (1, 3)), (
        f"train should return the trained nn.Linear(3, 1), not {got_model}")
    got_params = torch.cat([got_model.weight.detach().flatten(),
                            got_model.bias.detach()])
    assert torch.isfinite(got_params).all(), (
        "your weights are not finite numbers: the loss grew at every step "
        "(is the learning rate too large?)")
    # Least squares: the best weights and bias any linear model can reach.
    A_check = torch.cat([X_check, torch.ones(n_check, 1)], dim=1)
    best_check = torch.linalg.lstsq(
        A_check, y_check.reshape(-1, 1)).solution.flatten()
    gap_check = (got_params - best_check).abs().max().item()
    # weights near 0 and the bias at the mean of y: MSE of shapes (N, 1)
    # and (N,) compares every prediction with every target
    mean_check = (got_params[:3].abs().max() < 0.05
                  and abs(got_params[3] - y_check.mean()) < 0.05)
    assert gap_check < 0.05 or not mean_check, (
        "your model predicts the mean of y for every example, whatever its "
        "features: are the prediction and the target of the same shape?")
    assert gap_check < 0.05, (
        f"on {n_check} examples, your weights and bias are up to "
        f"{gap_check:.3f} from least squares, the best linear fit (0.05 "
        f"passes): train longer or with another learning rate; if the loss "
        f"stops falling far above 0.01, look for a bug")
print("Exercise 4: correct.")
# --8<-- [end:loop_check]
