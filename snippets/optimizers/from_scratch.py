# --8<-- [start:momentum]
import torch


def momentum_step(p, g, state, lr=0.001, mu=0.9):
    """SGD with momentum, PyTorch's convention: b = mu b + g (b = g on the
    first step), then p -= lr b."""
    b = g.clone() if "b" not in state else mu * state["b"] + g
    state["b"] = b
    return p - lr * b
# --8<-- [end:momentum]


# --8<-- [start:adagrad]
def adagrad_step(p, g, state, lr=0.01, eps=1e-10):
    """AdaGrad: divide by the root of the sum of all squared gradients."""
    state["sum"] = state.get("sum", torch.zeros_like(p)) + g**2
    return p - lr * g / (state["sum"].sqrt() + eps)
# --8<-- [end:adagrad]


# --8<-- [start:rmsprop]
def rmsprop_step(p, g, state, lr=0.01, alpha=0.99, eps=1e-8):
    """RMSProp: a moving average of squared gradients instead of their sum."""
    v = state.get("v", torch.zeros_like(p))
    state["v"] = alpha * v + (1 - alpha) * g**2
    return p - lr * g / (state["v"].sqrt() + eps)
# --8<-- [end:rmsprop]


# --8<-- [start:adadelta]
def adadelta_step(p, g, state, lr=1.0, rho=0.9, eps=1e-6):
    """AdaDelta: the step's own moving average sets its scale, so no
    learning rate is needed."""
    state["v"] = rho * state.get("v", torch.zeros_like(p)) + (1 - rho) * g**2
    u = state.get("u", torch.zeros_like(p))
    delta = (u + eps).sqrt() / (state["v"] + eps).sqrt() * g
    state["u"] = rho * u + (1 - rho) * delta**2
    return p - lr * delta
# --8<-- [end:adadelta]


# --8<-- [start:adam]
def adam_step(p, g, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam: momentum (m) and RMSProp (v) together, both corrected for
    starting at zero."""
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", torch.zeros_like(p)) + (1 - beta1) * g
    v = state.get("v", torch.zeros_like(p))
    state["v"] = beta2 * v + (1 - beta2) * g**2
    m_hat = state["m"] / (1 - beta1**t)
    v_hat = state["v"] / (1 - beta2**t)
    return p - lr * m_hat / (v_hat.sqrt() + eps)
# --8<-- [end:adam]


# --8<-- [start:compare]
def loss_fn(p):
    # a mild Rosenbrock valley
    return (1 - p[0]) ** 2 + 10 * (p[1] - p[0] ** 2) ** 2


def run_scratch(step, steps=50, **hyper):
    p, state = torch.tensor([-1.5, 2.0], dtype=torch.float64), {}
    for _ in range(steps):
        q = p.clone().requires_grad_()
        loss_fn(q).backward()
        p = step(p, q.grad, state, **hyper)
    return p


def run_torch(optimizer_class, steps=50, **hyper):
    p = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([p], **hyper)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(p).backward()
        optimizer.step()
    return p.detach()


pairs = {
    "Momentum": (momentum_step, torch.optim.SGD,
                 dict(lr=0.01, momentum=0.9), dict(lr=0.01, mu=0.9)),
    "AdaGrad": (adagrad_step, torch.optim.Adagrad,
                dict(lr=0.1), dict(lr=0.1)),
    "RMSProp": (rmsprop_step, torch.optim.RMSprop,
                dict(lr=0.01), dict(lr=0.01)),
    "AdaDelta": (adadelta_step, torch.optim.Adadelta,
                 dict(lr=1.0), dict(lr=1.0)),
    "Adam": (adam_step, torch.optim.Adam, dict(lr=0.01), dict(lr=0.01)),
}
differences = {}
for name, (step, optimizer_class, torch_hyper, scratch_hyper) in pairs.items():
    ours = run_scratch(step, **scratch_hyper)
    theirs = run_torch(optimizer_class, **torch_hyper)
    differences[name] = (ours - theirs).abs().max().item()
    print(f"{name:9} after 50 steps: ours {ours.numpy().round(6)}, "
          f"torch.optim {theirs.numpy().round(6)}, "
          f"largest difference {differences[name]:.1e}")
# --8<-- [end:compare]
