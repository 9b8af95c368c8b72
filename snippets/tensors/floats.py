# --8<-- [start:item]
import torch

loss = torch.tensor([0.25, 0.5, 0.125]).mean()
print(loss)  # a tensor with no dimensions
print(loss.item(), type(loss.item()))  # a Python float
print(torch.tensor([1, 2, 3]).tolist())  # a Python list
try:
    torch.tensor([1.0, 2.0]).item()
except RuntimeError as error:
    print("item() of two numbers: RuntimeError:", error)

third = torch.tensor(1 / 3)
print(third, "is printed with 4 decimals; it holds", f"{third.item():.10f}")
# --8<-- [end:item]

# --8<-- [start:rounding]
print("float32(0.1) is really", f"{torch.tensor(0.1).item():.12f}")
f64 = torch.float64
print("0.1 + 0.2 == 0.3 in float64:",
      (torch.tensor(0.1, dtype=f64) + 0.2 == 0.3).item())
big = torch.tensor(16_777_216.0)  # 2 ** 24
print("2**24 + 1 == 2**24 in float32:", (big + 1 == big).item())
print(torch.finfo(torch.float32))

# Rounding depends on the order of the operations.
p, q, r = torch.tensor([1e8, -1e8, 1.0])
print("(p + q) + r =", ((p + q) + r).item(), "  p + (q + r) =",
      (p + (q + r)).item())

# 100 000 numbers summed in float32 and in float64.
generator = torch.Generator().manual_seed(0)
x = torch.rand(100_000, generator=generator)
in_float32, in_float64 = x.sum(), x.double().sum()
print(f"float32 sum: {in_float32.item():.4f}  "
      f"float64 sum: {in_float64.item():.4f}")
print("equal:", torch.equal(in_float32.double(), in_float64),
      " allclose:", torch.allclose(in_float32.double(), in_float64))
# --8<-- [end:rounding]

# --8<-- [start:spacing]
import matplotlib.pyplot as plt

values = torch.logspace(-6, 8, 400, dtype=torch.float64)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for dtype, colour, style in [(torch.float32, "#0072B2", "-"),
                             (torch.float64, "#D55E00", "--")]:
    v = values.to(dtype)
    gap = torch.nextafter(v, torch.tensor(float("inf"), dtype=dtype)) - v
    name = str(dtype).removeprefix("torch.")
    ax.loglog(v, gap, color=colour, linestyle=style, linewidth=2,
              label=f"{name}: gap ≤ {torch.finfo(dtype).eps:.1e} × size")
ax.plot([2.0**24], [2.0], "o", color="#000000")
ax.annotate("2**24: the gap is 2, so x + 1 rounds back to x",
            xy=(2.0**24, 2.0), xytext=(1e-5, 0.1), fontsize=9,
            arrowprops=dict(arrowstyle="-|>", color="#000000"))
ax.set(xlabel="size of the number", ylabel="gap to the next number",
       title="The gap between neighbouring floating-point numbers")
ax.legend(loc="lower right")
plt.show()
# --8<-- [end:spacing]

# --8<-- [start:allclose]
a = torch.tensor([1.0, 100.0, 1e-9])
b = a + torch.tensor([1e-6, 1e-4, 1e-9])
# allclose: |a - b| <= atol + rtol * |b| for every entry,
# with rtol = 1e-05 and atol = 1e-08 by default
print("allclose:", torch.allclose(a, b))
allowed = 1e-8 + 1e-5 * b.abs()
print("allowed:", [f"{t:.1e}" for t in allowed.tolist()])
print("actual: ", [f"{t:.1e}" for t in (a - b).abs().tolist()])
print("allclose(atol=0):", torch.allclose(a, b, atol=0))
# --8<-- [end:allclose]
