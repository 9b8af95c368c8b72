# --8<-- [start:fastest_solution]
# f(x) = 5 (x - 1)^2 has f'(x) = 10 (x - 1): each step multiplies x - 1
# by 1 - 10 lr.
def steps_to_reach(lr, tolerance=1e-3, x=0.0, max_steps=1000):
    """Steps of gradient descent from x until |x - 1| < tolerance."""
    for step in range(max_steps):
        if abs(x - 1) < tolerance:
            return step
        x -= lr * 10 * (x - 1)
    return None  # not within max_steps


for lr in [0.01, 0.05, 0.1, 0.15, 0.19, 0.2]:
    steps = steps_to_reach(lr)
    print(f"lr = {lr:4}: factor {1 - 10 * lr:5.2f}, steps needed: "
          + (str(steps) if steps is not None else "never"))
# --8<-- [end:fastest_solution]
