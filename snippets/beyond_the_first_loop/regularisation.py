# --8<-- [start:l2]
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(20, 3, dtype=torch.float64)
y = X @ torch.tensor([[1.0], [-2.0], [0.5]], dtype=torch.float64)
LAMBDA, LR = 0.1, 0.05

# two copies of one linear model, in float64 for an exact comparison
model_wd = nn.Linear(3, 1).double()
model_pen = nn.Linear(3, 1).double()
model_pen.load_state_dict(model_wd.state_dict())
# weight decay: SGD adds LAMBDA * theta to every gradient
opt_wd = torch.optim.SGD(model_wd.parameters(), lr=LR, weight_decay=LAMBDA)
# the penalty: (LAMBDA / 2) * ||theta||^2 added to the loss itself
opt_pen = torch.optim.SGD(model_pen.parameters(), lr=LR)
loss_fn = nn.MSELoss()
l2_gaps = []
for step in range(1, 6):
    opt_wd.zero_grad()
    loss_fn(model_wd(X), y).backward()
    opt_wd.step()
    opt_pen.zero_grad()
    penalty = sum((p**2).sum() for p in model_pen.parameters())
    (loss_fn(model_pen(X), y) + LAMBDA / 2 * penalty).backward()
    opt_pen.step()
    l2_gaps.append(max((a - b).abs().max().item() for a, b in zip(
        model_wd.parameters(), model_pen.parameters())))
    print(f"step {step}: weight {model_wd.weight.detach().numpy().round(6)}"
          f", largest difference {l2_gaps[-1]:.1e}")
# --8<-- [end:l2]

# --8<-- [start:rules]
def adam_l2_step(p, g, state, lr, weight_decay, beta1=0.9, beta2=0.999,
                 eps=1e-8):
    """torch.optim.Adam with weight_decay: the decay joins the gradient,
    so it goes through the moments and is divided by sqrt(v_hat)."""
    g = g + weight_decay * p
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", torch.zeros_like(p)) + (1 - beta1) * g
    v = state.get("v", torch.zeros_like(p))
    state["v"] = beta2 * v + (1 - beta2) * g**2
    m_hat = state["m"] / (1 - beta1**t)
    v_hat = state["v"] / (1 - beta2**t)
    return p - lr * m_hat / (v_hat.sqrt() + eps)


def adamw_step(p, g, state, lr, weight_decay, beta1=0.9, beta2=0.999,
               eps=1e-8):
    """torch.optim.AdamW: shrink the parameter, then Adam on the gradient
    alone."""
    p = p - lr * weight_decay * p  # decoupled: not through the moments
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", torch.zeros_like(p)) + (1 - beta1) * g
    v = state.get("v", torch.zeros_like(p))
    state["v"] = beta2 * v + (1 - beta2) * g**2
    m_hat = state["m"] / (1 - beta1**t)
    v_hat = state["v"] / (1 - beta2**t)
    return p - lr * m_hat / (v_hat.sqrt() + eps)


def valley(p):
    # a mild Rosenbrock valley, as in the optimizers chapter
    return (1 - p[0]) ** 2 + 10 * (p[1] - p[0] ** 2) ** 2


rule_gaps = {}
print("after 50 steps, and the largest difference over the steps:")
for name, step_fn, optimizer_class in [
        ("Adam(weight_decay)", adam_l2_step, torch.optim.Adam),
        ("AdamW", adamw_step, torch.optim.AdamW)]:
    theirs = torch.tensor([-1.5, 2.0], dtype=torch.float64,
                          requires_grad=True)
    optimizer = optimizer_class([theirs], lr=0.01, weight_decay=0.5)
    ours, state, gaps = theirs.detach().clone(), {}, []
    for _ in range(50):
        optimizer.zero_grad()
        valley(theirs).backward()
        optimizer.step()
        q = ours.clone().requires_grad_()
        valley(q).backward()
        ours = step_fn(ours, q.grad, state, lr=0.01, weight_decay=0.5)
        gaps.append((ours - theirs.detach()).abs().max().item())
    rule_gaps[name] = gaps
    print(f"{name:18} ours {ours.numpy().round(4)}, "
          f"torch.optim {theirs.detach().numpy().round(4)}, "
          f"largest difference {max(gaps):.1e}")
# --8<-- [end:rules]

# --8<-- [start:scales]
# two parameters, both at 1, with noisy gradients of very different
# sizes; the same gradients are fed to every run, so that whatever
# differs between the runs is the decay
torch.manual_seed(1)
STEPS, LR_S, WD = 100, 0.01, 0.1
scales = torch.tensor([0.001, 10.0], dtype=torch.float64)
gradients = scales * torch.randn(STEPS, 2, dtype=torch.float64)


def final(step_fn, weight_decay):
    p, state = torch.ones(2, dtype=torch.float64), {}
    for g in gradients:
        p = step_fn(p, g, state, lr=LR_S, weight_decay=weight_decay)
    return p


no_decay = final(adamw_step, 0.0)  # plain Adam
decayed = {"Adam(weight_decay)": final(adam_l2_step, WD),
           "AdamW": final(adamw_step, WD)}
print(f"gradient scales {scales.tolist()}; after {STEPS} steps with "
      f"lr {LR_S}, weight_decay {WD}")
print(f"{'':18}  decayed by (no decay minus decay)")
for name, p in decayed.items():
    print(f"{name:18}  {(no_decay - p).numpy().round(4)}")
print(f"1 - (1 - lr * wd)^{STEPS} = {1 - (1 - LR_S * WD) ** STEPS:.4f}")
# --8<-- [end:scales]

# --8<-- [start:dropout]
torch.manual_seed(0)
net = nn.Sequential(
    nn.Linear(10, 64), nn.ReLU(), nn.Dropout(0.3),  # hidden layer 1
    nn.Linear(64, 64), nn.ReLU(), nn.Dropout(0.3),  # hidden layer 2
    nn.Linear(64, 1),  # the output layer: no dropout after it
)
print(net)
x = torch.randn(4, 10)
net.train()
print("training mode, same input twice, equal:",
      torch.equal(net(x), net(x)))
net.eval()
print("evaluation mode, same input twice, equal:",
      torch.equal(net(x), net(x)))
# --8<-- [end:dropout]
