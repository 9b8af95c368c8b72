# --8<-- [start:saddle]
# f(x, y) = x^2 - y^2: a minimum along x, a maximum along y, a saddle point
# at (0, 0).
def step(x, y, lr=0.1):
    return x - lr * 2 * x, y - lr * (-2 * y)  # the gradient is (2x, -2y)


for y0 in [0.0, 1e-6]:
    x, y = 1.0, y0
    for _ in range(100):
        x, y = step(x, y)
    print(f"start (1, {y0:g}) -> after 100 steps: x = {x:.2e}, y = {y:.2e}")
# --8<-- [end:saddle]

# --8<-- [start:dimensions]
import torch

torch.manual_seed(0)
# Random symmetric matrices stand in for the curvature (Hessian) at a
# critical point: all eigenvalues positive make it a minimum.
for n in [1, 2, 3, 5, 8]:
    A = torch.randn(4000, n, n)
    hessians = (A + A.transpose(1, 2)) / 2
    positive = (torch.linalg.eigvalsh(hessians) > 0).all(dim=1)
    minima = positive.float().mean().item()
    print(f"dimension {n}: all eigenvalues positive in "
          f"{positive.sum().item():4} of 4000, a fraction of {minima:.4f}")
# --8<-- [end:dimensions]

# --8<-- [start:hessian]
import torch


def saddle(p):
    x, y = p
    return x**2 - y**2


# the matrix of second derivatives at the critical point (0, 0)
H = torch.autograd.functional.hessian(saddle, torch.zeros(2))
H = H + 0.0  # shows the -0.0 that autograd computes for d2f/dxdy as 0.0
print("Hessian at (0, 0):", H.tolist())
print("eigenvalues:", torch.linalg.eigvalsh(H).tolist())
# the curvature along a direction v of length 1 is v^T H v
for a, b in [(1.0, 0.0), (0.0, 1.0), (0.6, 0.8)]:
    v = torch.tensor([a, b])
    print(f"curvature along ({a}, {b}): {(v @ H @ v).item():5.2f}")
# --8<-- [end:hessian]
