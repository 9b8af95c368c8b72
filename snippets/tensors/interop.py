# --8<-- [start:numpy]
import numpy as np
import torch

array = np.array([1.0, 2.0, 3.0])  # NumPy's default: float64
shared = torch.from_numpy(array)  # the same memory, the same dtype
copied = torch.tensor(array)  # a copy
array[0] = 100.0
print("from_numpy:  ", shared)
print("torch.tensor:", copied)

as_float32 = torch.from_numpy(array).float()  # a new float32 copy
print("float():", as_float32.dtype, " shares memory:",
      np.shares_memory(array, as_float32.numpy()))

back = shared.numpy()  # a CPU tensor's .numpy() shares memory too
back[1] = -5.0
print("after back[1] = -5:", array)

w = torch.ones(2, requires_grad=True)
try:
    w.numpy()
except RuntimeError as error:
    print("w.numpy(): RuntimeError:", str(error).split(". ")[0] + ".")
print("w.detach().numpy():", w.detach().numpy())
# --8<-- [end:numpy]

# --8<-- [start:pandas]
import pandas as pd

df = pd.DataFrame({"rooms": [6.5, 6.4, 7.2], "age": [65.2, 78.9, 61.1],
                   "price": [24.0, 21.6, 34.7]})
features = torch.tensor(df[["rooms", "age"]].to_numpy(),
                        dtype=torch.float32)  # (N, 2)
target = torch.tensor(df["price"].to_numpy(), dtype=torch.float32)
print("features:", tuple(features.shape), features.dtype)
print("target:  ", tuple(target.shape), target.dtype)
# --8<-- [end:pandas]

# --8<-- [start:legacy]
old = torch.FloatTensor(array)  # the deck's way: a float32 copy
print("FloatTensor(array):", old, old.dtype)
print("FloatTensor([3]):", torch.FloatTensor([3]))  # one value, 3
print("FloatTensor(3).shape:", torch.FloatTensor(3).shape)  # 3 values!
# --8<-- [end:legacy]
