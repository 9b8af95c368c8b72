# --8<-- [start:descend]
import torch


def f(x):
    return (x - 3) ** 2 + 1  # the minimum is at x = 3, where f = 1


def df(x):
    return 2 * (x - 3)  # the derivative, by hand


torch.manual_seed(0)
# step 1: a random starting point in [-10, 10]
x0 = (torch.rand(()) * 20 - 10).item()
x = x0
lr, tolerance, max_steps = 0.1, 1e-3, 1000

print(f"{'step':>4} {'x':>9} {'f(x)':>9} {'df(x)':>9}")
for step in range(max_steps):
    gradient = df(x)  # step 2: the gradient at the current point
    if step < 5 or abs(gradient) < tolerance:
        print(f"{step:4d} {x:9.4f} {f(x):9.4f} {gradient:9.4f}")
    # step 4: stop when the gradient is (nearly) 0
    if abs(gradient) < tolerance:
        break
    # step 3: move against the gradient by the learning rate
    x = x - lr * gradient
print(f"stopped after {step} updates at x = {x:.5f}")

# the prediction: |2 (x_k - 3)| < tolerance means |x_k - 3| < tolerance / 2,
# and |x_k - 3| = 0.8^k |x0 - 3|
k = 0
while (1 - 2 * lr) ** k * abs(x0 - 3) >= tolerance / 2:
    k += 1
print(f"first k with 0.8^k * {abs(x0 - 3):.4f} < {tolerance / 2}: {k}")
# --8<-- [end:descend]
