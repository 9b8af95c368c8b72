# --8<-- [start:ce_solution]
import math

import torch
from torch import nn

# Four classes, a model that is completely unsure: all logits equal.
logits = torch.zeros(1, 4)
loss = nn.CrossEntropyLoss()(logits, torch.tensor([2]))
print(f"loss = {loss.item():.6f}, log 4 = {math.log(4):.6f}")
# --8<-- [end:ce_solution]

# --8<-- [start:binary_solution]
# BCEWithLogitsLoss on one logit z equals -log sigmoid(z) for label 1: the two
# forms agree.
z = torch.tensor([0.8])
print(nn.BCEWithLogitsLoss()(z, torch.tensor([1.0])).item(),
      -torch.log(torch.sigmoid(z)).item())
# --8<-- [end:binary_solution]
