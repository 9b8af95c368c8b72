# --8<-- [start:flags_question]
import torch

a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0)
c = a * b
d = c.detach()
e = d * a
# --8<-- [end:flags_question]

# --8<-- [start:flags_task]
def predicted_flags():
    """Return your prediction, made without running more code: a dict
    that maps each of the names "a", "b", "c", "d" and "e" to a tuple
    (requires_grad, is_leaf, grad_fn), grad_fn being None or the name
    t.grad_fn.name() gives (such as "AddBackward0"), and "a.grad" to the
    number a.grad holds after e.backward()."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:flags_task]

# --8<-- [start:flags_solution]
def predicted_flags():
    return {
        "a": (True, True, None),
        "b": (False, True, None),
        "c": (True, False, "MulBackward0"),
        "d": (False, True, None),  # detach(): no history, so a leaf
        "e": (True, False, "MulBackward0"),
        "a.grad": 6.0,
    }


e.backward()
for name, t in [("a", a), ("b", b), ("c", c), ("d", d), ("e", e)]:
    grad_fn = t.grad_fn.name() if t.grad_fn else None
    print(f"{name}: requires_grad={t.requires_grad!s:5} "
          f"is_leaf={t.is_leaf!s:5} grad_fn={grad_fn}")
# de/da = d = 6: the path through c was cut by detach()
print("a.grad:", a.grad)
# --8<-- [end:flags_solution]

# --8<-- [start:flags_check]
def fn_name_check(grad_fn):
    """A grad_fn's name without its number, in lower case, or None."""
    return grad_fn and str(grad_fn).rstrip("0123456789").lower()


got_flags = predicted_flags()
for name_check, t_check in zip("abcde", (a, b, c, d, e)):
    assert len(got_flags.get(name_check, ())) == 3, (
        f"your dict should map {name_check!r} to a tuple "
        "(requires_grad, is_leaf, grad_fn)")
    got_rg, got_leaf, got_fn = got_flags[name_check]
    assert bool(got_rg) == t_check.requires_grad, (
        f"{name_check}.requires_grad: you predicted {bool(got_rg)}, "
        f"torch says {t_check.requires_grad}")
    assert bool(got_leaf) == t_check.is_leaf, (
        f"{name_check}.is_leaf: you predicted {bool(got_leaf)}, "
        f"torch says {t_check.is_leaf}")
    fn_check = t_check.grad_fn and t_check.grad_fn.name()
    assert fn_name_check(got_fn) == fn_name_check(fn_check), (
        f"{name_check}.grad_fn: you predicted {got_fn!r}, torch says "
        f"{fn_check!r}")
# e's own graph may be used up by e.backward(): the same product, afresh
(grad_check,) = torch.autograd.grad(d * a, a)
assert "a.grad" in got_flags, "your dict has no entry 'a.grad'"
assert got_flags["a.grad"] is not None, (
    f"a.grad: you predicted None, autograd gives {grad_check.item():g}")
got_grad = torch.as_tensor(got_flags["a.grad"], dtype=torch.float64)
got_grad = got_grad.detach().item()  # a float or a tensor
assert abs(got_grad - grad_check.item()) < 1e-6, (
    f"a.grad: you predicted {got_grad:g}, autograd gives "
    f"{grad_check.item():g}")
print("Exercise 1: correct.")
# --8<-- [end:flags_check]

# --8<-- [start:missing_line_task]
def learners_loop(steps=3, lr=0.1):
    """The learner's loop: minimise (w - 3)^2 from w = 0 with SGD and
    return w after `steps` steps, as a float. One line is missing: add
    it."""
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        loss = (w - 3) ** 2
        loss.backward()
        optimizer.step()
    return w.item()
# --8<-- [end:missing_line_task]

# --8<-- [start:missing_line_solution]
def learners_loop(steps=3, lr=0.1):
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()  # the missing line
        loss = (w - 3) ** 2
        loss.backward()
        optimizer.step()
    return w.item()


print(f"the loop with the line: w = {learners_loop():.2f} after three steps")


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

# --8<-- [start:missing_line_check]
for steps_check, lr_check in ((3, 0.1), (10, 0.05), (5, 0.3)):
    w_check = 0.0  # gradient descent by hand: the derivative is 2(w - 3)
    for _ in range(steps_check):
        w_check -= lr_check * 2 * (w_check - 3)
    got_w = torch.as_tensor(learners_loop(steps=steps_check, lr=lr_check))
    got_w = got_w.detach().item()  # a float or a tensor
    assert got_w != 0.0, (
        f"with lr {lr_check}, w never moves from 0 in {steps_check} steps: "
        "optimizer.step() sees no gradient")
    assert abs(got_w - w_check) < 1e-5, (
        f"after {steps_check} steps with lr {lr_check} your loop reaches "
        f"w = {got_w:.4f}, but gradient descent reaches {w_check:.4f}")
print("Exercise 2: correct.")
# --8<-- [end:missing_line_check]

# --8<-- [start:derivative_task]
def derivative(x):
    """The derivative of f(x) = x^3 sin x at the number x, computed by
    autograd in float64: return it (a float or a tensor)."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:derivative_task]

# --8<-- [start:derivative_solution]
import math


def derivative(x):
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f = x**3 * torch.sin(x)
    f.backward()
    return x.grad.item()


by_hand = 3 * 1.3**2 * math.sin(1.3) + 1.3**3 * math.cos(1.3)  # product rule
print(f"autograd: {derivative(1.3):.12f}")
print(f"by hand:  {by_hand:.12f}")
# --8<-- [end:derivative_solution]

# --8<-- [start:derivative_check]
import math

for x_check in (1.3, -0.7, 2.5):
    got_slope = torch.as_tensor(derivative(x_check), dtype=torch.float64)
    got_slope = got_slope.detach().item()  # a float or a tensor
    product_rule = (3 * x_check**2 * math.sin(x_check)
                    + x_check**3 * math.cos(x_check))  # in float64
    gap_check = abs(got_slope - product_rule)
    assert gap_check < 1e-5, (
        f"at x = {x_check} your derivative is {got_slope:.6f}, "
        f"the product rule gives {product_rule:.6f}")
    # float32 keeps about 7 digits, float64 about 16
    assert gap_check < 1e-12, (
        f"at x = {x_check} your derivative differs from the product rule "
        f"by {gap_check:.1e}: is it computed in float64?")
print("Exercise 3: correct.")
# --8<-- [end:derivative_check]
