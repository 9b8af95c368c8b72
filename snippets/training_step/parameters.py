# --8<-- [start:linear]
import torch
from torch import nn

torch.manual_seed(0)
# the deck's model: 13 features in, 1 prediction out
linear_model = nn.Linear(13, 1)

for p in linear_model.parameters():  # the tensors only
    print("parameters():      ", tuple(p.shape))
# the same tensors, each with its name
for name, p in linear_model.named_parameters():
    print(f"named_parameters(): {name:6} shape {tuple(p.shape)}, "
          f"requires_grad={p.requires_grad}")
count = sum(p.numel() for p in linear_model.parameters())
print("parameters in nn.Linear(13, 1):", count, "= 13 * 1 + 1")
# --8<-- [end:linear]

# --8<-- [start:sequential]
model = nn.Sequential(nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 1))
print(f"{'name':9} {'shape':8} {'numel':>5}  requires_grad")
for name, p in model.named_parameters():
    print(f"{name:9} {str(tuple(p.shape)):8} {p.numel():5}  {p.requires_grad}")


def linear_count(in_features, out_features):
    # one weight per input per neuron, one bias per neuron
    return in_features * out_features + out_features


total = sum(p.numel() for p in model.parameters())
print("counted:", total,
      " by formula:", linear_count(13, 8) + linear_count(8, 1))
# --8<-- [end:sequential]

# --8<-- [start:generator]
params = model.parameters()
print(type(params).__name__)
print("first pass: ", len(list(params)), "tensors")
# a generator is used up after one pass
print("second pass:", len(list(params)), "tensors")
same = all(p is q for p, (_, q)
           in zip(model.parameters(), model.named_parameters()))
print("parameters() and named_parameters() give the same tensor objects:",
      same)
# not a copy: the very tensor that layer 0 uses in its forward pass
print("the model's own tensor:", next(model.parameters()) is model[0].weight)
# --8<-- [end:generator]
