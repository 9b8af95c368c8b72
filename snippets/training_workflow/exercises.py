# --8<-- [start:count_solution]
import math

import torch
from torch.utils.data import DataLoader, TensorDataset

data = TensorDataset(torch.randn(1000, 5))
for drop_last in (False, True):
    loader = DataLoader(data, batch_size=64, drop_last=drop_last)
    sizes = [len(batch) for (batch,) in loader]
    print(f"drop_last={drop_last}: {len(loader)} iterations an epoch, "
          f"last batch {sizes[-1]}, {3 * len(loader)} updates in 3 epochs")
print("by formula:", math.ceil(1000 / 64), "and", 1000 // 64)
# --8<-- [end:count_solution]

# --8<-- [start:dropout_question]
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Dropout(p=0.5),
                      nn.Linear(16, 1))
house = torch.tensor([[0.2, -1.0, 0.5]])
print("prediction:", model(house).item())
print("prediction:", model(house).item())
# --8<-- [end:dropout_question]

# --8<-- [start:dropout_solution]
model.eval()
with torch.no_grad():
    first, second = model(house).item(), model(house).item()
print("eval mode:", first, second, " equal:", first == second)
# --8<-- [end:dropout_solution]
