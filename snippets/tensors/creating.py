# --8<-- [start:from_lists]
import torch

# From Python numbers and (nested) lists: one number, a vector, a matrix.
s = torch.tensor(3.5)
v = torch.tensor([1.0, 2.0, 3.0])
m = torch.tensor([[1.0, 2.0, 3.0],
                  [4.0, 5.0, 6.0]])
for name, t in [("s", s), ("v", v), ("m", m)]:
    print(f"{name}: ndim={t.ndim}  shape={tuple(t.shape)}  numel={t.numel()}")
print(m)
print("m[1, 2] =", m[1, 2])
# --8<-- [end:from_lists]

# --8<-- [start:factories]
print(torch.zeros(2, 3))
print(torch.ones(2))
print(torch.arange(5))  # 0, 1, ..., 4: the end is left out, as in range()
print(torch.arange(0.0, 1.0, 0.25))
print(torch.linspace(0, 1, 5))  # 5 points, both ends included
print(torch.full((2, 2), 7.0))

# Random numbers from a generator of one's own, seeded: the same every run.
generator = torch.Generator().manual_seed(0)
print(torch.randn(2, 3, generator=generator))  # standard normal
print(torch.rand(3, generator=generator))  # uniform on [0, 1)

# torch.manual_seed seeds the global generator, which layers and
# torch.randn use when given no generator of their own.
torch.manual_seed(0)
first = torch.randn(3)
torch.manual_seed(0)
print("same numbers after the same seed:", torch.equal(first, torch.randn(3)))
# --8<-- [end:factories]

# --8<-- [start:dtypes]
import torch.nn.functional as F

print("default:", torch.tensor([1.0, 2.0]).dtype)  # float32
print("from ints:", torch.tensor([1, 2]).dtype)  # int64
print("from bools:", torch.tensor([True, False]).dtype)
x64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
print("asked for:", x64.dtype)

# Converting makes a new tensor of the new type.
labels = torch.tensor([0.0, 2.0, 1.0]).long()  # class indices: int64
print("labels:", labels, labels.dtype)
print("back to float32:", labels.float())

# Cross-entropy takes class indices as int64, not as floats.
logits = torch.zeros(3, 3)  # 3 examples, 3 classes
print("with int64 labels:", F.cross_entropy(logits, labels))
try:
    F.cross_entropy(logits, labels.float())
except RuntimeError as error:
    print("with float labels: RuntimeError:", error)

# Mixed types: the higher kind wins (bool, integer, float), then the
# larger size. A Python number changes only the kind.
print("int64 + float32 ->", (labels + torch.tensor(0.5)).dtype)
print("float32 + float64 ->", (torch.ones(2) + x64).dtype)
print("float32 * 0.1 ->", (torch.ones(2) * 0.1).dtype)
print("int64 / 2 ->", labels / 2)  # true division gives floats
print("bytes per element:", torch.ones(1).element_size(),
      "in float32,", x64.element_size(), "in float64")
try:
    torch.arange(5).mean()  # arange of ints gives int64
except RuntimeError as error:
    print("mean of int64: RuntimeError:", error)
print("mean of float32:", torch.arange(5.0).mean())
# --8<-- [end:dtypes]

# --8<-- [start:device]
t = torch.ones(2, 3)
print("device:", t.device)

# The book runs on the CPU. With an NVIDIA GPU you would write
# device = "cuda" if torch.cuda.is_available() else "cpu"
device = torch.device("cpu")
moved = t.to(device)
print("already there, so .to returns the same tensor:", moved is t)
doubled = t.to(torch.float64)  # .to also converts the dtype
print("converted:", doubled.dtype, " the original:", t.dtype)
# --8<-- [end:device]
