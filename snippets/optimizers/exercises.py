# --8<-- [start:adam_first_task]
def adam_first_move(g, lr):
    """The change that Adam's first step, with learning rate lr and
    PyTorch's other defaults, makes to parameters whose gradients are the
    tensor g: work it out from the update rule, not with torch.optim."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:adam_first_task]

# --8<-- [start:adam_first_solution]
import torch


def adam_first_move(g, lr):
    # after bias correction m_hat = g and v_hat = g^2
    return -lr * g / (g.abs() + 1e-8)


p = torch.zeros(2, requires_grad=True)
optimizer = torch.optim.Adam([p], lr=0.1)
p.grad = torch.tensor([-4.0, 0.3])  # the two gradients of the first step
optimizer.step()
print("torch.optim.Adam's first step:", p.detach())
print("adam_first_move:              ", adam_first_move(p.grad, 0.1))
print("lr * sign(-g):                ", -0.1 * torch.sign(p.grad))
# --8<-- [end:adam_first_solution]

# --8<-- [start:adam_first_check]
import torch

for g_check, lr_check in [(torch.tensor([2.5, -0.125, 0.0, 40.0]), 0.003),
                          (torch.tensor([-4.0, 0.3]), 0.1)]:
    p_check = torch.zeros_like(g_check, requires_grad=True)
    adam_check = torch.optim.Adam([p_check], lr=lr_check)
    p_check.grad = g_check.clone()
    adam_check.step()  # torch.optim's first step, to compare with
    moved_check = p_check.detach()
    got_move = torch.as_tensor(adam_first_move(g_check, lr_check),
                               dtype=moved_check.dtype).detach()
    assert got_move.shape == moved_check.shape, (
        f"adam_first_move should return one change per parameter, shape "
        f"{tuple(moved_check.shape)}, not {tuple(got_move.shape)}")
    where_check = f"for g = {g_check.tolist()} and lr = {lr_check}"
    assert not torch.allclose(got_move, -moved_check, rtol=1e-4, atol=1e-7), (
        f"{where_check}, your moves have the wrong sign: a step goes "
        f"against the gradient")
    assert torch.allclose(got_move, moved_check, rtol=1e-4, atol=1e-7), (
        f"{where_check}, Adam moves the parameters by "
        f"{[round(v, 5) for v in moved_check.tolist()]}, your function says "
        f"{[round(v, 5) for v in got_move.tolist()]}")
print("Exercise 1: correct.")
# --8<-- [end:adam_first_check]

# --8<-- [start:adagrad_task]
def adagrad_move(t, lr):
    """How far (a positive distance) AdaGrad with learning rate lr
    (PyTorch's other defaults) moves a parameter on step t, counted from
    1, when its gradient is exactly 1 at every step: return a number."""
    raise NotImplementedError("Exercise 2: write your code here")


def rmsprop_move(t, lr, alpha=0.99):
    """The same for RMSProp, with the smoothing constant alpha."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:adagrad_task]

# --8<-- [start:adagrad_solution]
import torch


def adagrad_move(t, lr):
    # s_t = 1 + 1 + ... + 1 = t
    return lr / (t**0.5 + 1e-10)


def rmsprop_move(t, lr, alpha=0.99):
    # v_t = (1 - alpha) (1 + alpha + ... + alpha^(t - 1)) = 1 - alpha^t
    return lr / ((1 - alpha**t) ** 0.5 + 1e-8)


# a gradient of exactly 1 at every step: the loss is p itself
p_adagrad = torch.zeros(1, requires_grad=True)
p_rmsprop = torch.zeros(1, requires_grad=True)
adagrad = torch.optim.Adagrad([p_adagrad], lr=0.1)
rmsprop = torch.optim.RMSprop([p_rmsprop], lr=0.1)
for t in range(1, 257):
    steps = []
    for p, optimizer in [(p_adagrad, adagrad), (p_rmsprop, rmsprop)]:
        before = p.item()
        optimizer.zero_grad()
        p.sum().backward()
        optimizer.step()
        steps.append(before - p.item())
    if t in (1, 4, 16, 64, 256):
        print(f"step {t:3}: AdaGrad {steps[0]:.4f} "
              f"(formula {adagrad_move(t, 0.1):.4f}), "
              f"RMSProp {steps[1]:.4f} (formula {rmsprop_move(t, 0.1):.4f})")
# --8<-- [end:adagrad_solution]

# --8<-- [start:adagrad_check]
import torch


def moves_check(optimizer_class, **hyper):
    """How far torch.optim moves a parameter at steps 1 to 100 when its
    gradient is 1, in float64 so that each move is exact to many digits."""
    p_check = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer_check = optimizer_class([p_check], **hyper)
    moves = []
    for _ in range(100):
        before = p_check.item()
        optimizer_check.zero_grad()
        p_check.sum().backward()
        optimizer_check.step()
        moves.append(before - p_check.item())
    return moves


for lr_check, alpha_check in [(0.02, 0.9), (0.1, 0.99)]:
    adagrad_check = moves_check(torch.optim.Adagrad, lr=lr_check)
    rmsprop_check = moves_check(torch.optim.RMSprop, lr=lr_check,
                                alpha=alpha_check)
    for t_check in range(1, 101):
        moved_check = adagrad_check[t_check - 1]
        got_move = float(adagrad_move(t_check, lr_check))
        assert abs(got_move - moved_check) < 1e-6 * moved_check, (
            f"at step {t_check} with lr = {lr_check}, AdaGrad moves "
            f"{moved_check:.6f}, your adagrad_move says {got_move:.6f}")
        moved_check = rmsprop_check[t_check - 1]
        got_move = float(rmsprop_move(t_check, lr_check, alpha_check))
        assert abs(got_move - moved_check) < 1e-6 * moved_check, (
            f"at step {t_check} with lr = {lr_check} and alpha = "
            f"{alpha_check}, RMSProp moves {moved_check:.6f}, your "
            f"rmsprop_move says {got_move:.6f}")
print("Exercise 2: correct.")
# --8<-- [end:adagrad_check]

# --8<-- [start:nesterov_task]
def nesterov_step(p, g, state, lr, mu=0.9, weight_decay=0.0):
    """One step of SGD with Nesterov momentum and weight decay, in the
    style of momentum_step: return the new parameters, given the
    parameters p, their gradient g, and the dictionary state, which
    keeps the velocity from one step to the next."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:nesterov_task]

# --8<-- [start:nesterov_solution]
import torch


def nesterov_step(p, g, state, lr, mu=0.9, weight_decay=0.0):
    """SGD with Nesterov momentum and weight decay, PyTorch's convention."""
    g = g + weight_decay * p  # weight decay: one more gradient term
    b = g.clone() if "b" not in state else mu * state["b"] + g
    state["b"] = b
    return p - lr * (g + mu * b)  # look ahead: g + mu b instead of b


def loss_fn(p):
    # the mild Rosenbrock valley of the comparison above
    return (1 - p[0]) ** 2 + 10 * (p[1] - p[0] ** 2) ** 2


hyper = dict(lr=0.01, momentum=0.9, nesterov=True, weight_decay=0.1)
theirs = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([theirs], **hyper)
ours, state = theirs.detach().clone(), {}
for _ in range(50):
    optimizer.zero_grad()
    loss_fn(theirs).backward()
    optimizer.step()
    q = ours.clone().requires_grad_()
    loss_fn(q).backward()
    ours = nesterov_step(ours, q.grad, state, lr=0.01, mu=0.9,
                         weight_decay=0.1)
print("ours:       ", ours)
print("torch.optim:", theirs.detach())
print("largest difference:", (ours - theirs.detach()).abs().max().item())
# --8<-- [end:nesterov_solution]

# --8<-- [start:nesterov_check]
import torch


def valley_check(p):
    return (1 - p[0]) ** 2 + 10 * (p[1] - p[0] ** 2) ** 2


# the valley of the comparison, from another start and with other
# values than the solution's: without weight decay first, then with it
for wd_check in (0.0, 0.2):
    start_check = torch.tensor([1.5, -1.0], dtype=torch.float64)
    theirs_check = start_check.clone().requires_grad_()
    sgd_check = torch.optim.SGD([theirs_check], lr=0.005, momentum=0.8,
                                nesterov=True, weight_decay=wd_check)
    ours_check, state_check = start_check, {}
    for step_check in range(1, 21):
        q_check = ours_check.clone().requires_grad_()
        valley_check(q_check).backward()
        ours_check = nesterov_step(ours_check, q_check.grad, state_check,
                                   lr=0.005, mu=0.8, weight_decay=wd_check)
        assert ours_check is not None, (
            "nesterov_step returned None: return the new parameters")
        sgd_check.zero_grad()
        valley_check(theirs_check).backward()
        sgd_check.step()
        gap_check = (ours_check - theirs_check.detach()).abs().max().item()
        assert gap_check < 1e-9, (
            ("without weight decay" if wd_check == 0 else
             f"with weight_decay = {wd_check}")
            + f", after step {step_check} your parameters differ from "
            f"torch.optim.SGD's by {gap_check:.2g}")
print("Exercise 3: correct.")
# --8<-- [end:nesterov_check]
