# --8<-- [start:threshold_solution]
# f(x) = 5 (x - 1)^2 has f'' = 10: gradient descent converges only for
# learning rates below 2 / 10.
def distance_after(lr, steps=50, x=0.0):
    for _ in range(steps):
        x -= lr * 10 * (x - 1)
    return abs(x - 1)


for lr in [0.19, 0.21]:
    print(f"lr = {lr}: |x - 1| after 50 steps = {distance_after(lr):.3e}")
# --8<-- [end:threshold_solution]
