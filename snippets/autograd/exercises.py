# --8<-- [start:flags_question]
import torch

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0)
c = a * b
d = c.detach()
e = d * a
# --8<-- [end:flags_question]

# --8<-- [start:flags_solution]
e.backward()
for name, t in [("a", a), ("b", b), ("c", c), ("d", d), ("e", e)]:
    grad_fn = t.grad_fn.name() if t.grad_fn else None
    print(f"{name}: requires_grad={t.requires_grad!s:5} "
          f"is_leaf={t.is_leaf!s:5} grad_fn={grad_fn}")
# de/da = d = 6: the path through c was cut by detach()
print("a.grad:", a.grad)
# --8<-- [end:flags_solution]

# --8<-- [start:missing_line_solution]
def three_steps(zero_grad, lr=0.1):
    """Minimise (w - 3)^2 from w = 0; print and return what each step uses."""
    w, used = torch.tensor(0.0, requires_grad=True), []
    optimizer = torch.optim.SGD([w], lr=lr)
    for step in range(1, 4):
        if zero_grad:
            optimizer.zero_grad()
        before = 0.0 if w.grad is None else w.grad.item()
        ((w - 3) ** 2).backward()
        fresh = w.grad.item() - before  # this step's own gradient, 2(w - 3)
        used.append((w.item(), fresh, w.grad.item()))
        print(f"  step {step}: at w = {w.item():.2f} the fresh gradient is "
              f"{fresh:.2f}; the step uses w.grad = {w.grad.item():.2f}")
        optimizer.step()
    print(f"  after three steps: w = {w.item():.2f}")
    return used, w.item()


print("with zero_grad():")
right, w_right = three_steps(zero_grad=True)
print("without zero_grad():")
wrong, w_wrong = three_steps(zero_grad=False)
# --8<-- [end:missing_line_solution]

# --8<-- [start:derivative_solution]
import math

x = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
f = x**3 * torch.sin(x)
f.backward()
by_hand = 3 * 1.3**2 * math.sin(1.3) + 1.3**3 * math.cos(1.3)  # product rule
print(f"autograd: {x.grad.item():.12f}")
print(f"by hand:  {by_hand:.12f}")
# --8<-- [end:derivative_solution]
