# --8<-- [start:adam_first_solution]
import torch

p = torch.zeros(2, requires_grad=True)
optimizer = torch.optim.Adam([p], lr=0.1)
p.grad = torch.tensor([-4.0, 0.3])  # the two gradients of the first step
optimizer.step()
print("Adam's first step:", p.detach())
print("lr * sign(-g):    ", -0.1 * torch.sign(p.grad))
# --8<-- [end:adam_first_solution]

# --8<-- [start:adagrad_solution]
import torch

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
        print(f"step {t:3}: AdaGrad moves {steps[0]:.4f} = 0.1 / sqrt({t})"
              f", RMSProp moves {steps[1]:.4f}")
# --8<-- [end:adagrad_solution]

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
