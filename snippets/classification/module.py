# --8<-- [start:subclass]
import torch
from torch import nn


class Classifier(nn.Module):
    """Two features in, a hidden layer of ReLU units, one logit per
    class out."""

    def __init__(self, hidden, classes):
        super().__init__()  # sets up the registries that follow
        # a Module assigned to an attribute is registered, with its
        # parameters
        self.hidden = nn.Linear(2, hidden)
        self.out = nn.Linear(hidden, classes)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))


torch.manual_seed(0)
model = Classifier(hidden=8, classes=3)
print(model)
for name, parameter in model.named_parameters():
    print(f"{name:13} {tuple(parameter.shape)}")
x = torch.randn(5, 2)  # a batch of 5 examples
print("model(x):", tuple(model(x).shape), " equals model.forward(x):",
      torch.equal(model(x), model.forward(x)))
# --8<-- [end:subclass]

# --8<-- [start:hook]
def report(module, inputs, output):
    print(f"  hook: {type(module).__name__} took {tuple(inputs[0].shape)}"
          f", returned {tuple(output.shape)}")


handle = model.register_forward_hook(report)
print("model(x):")
logits = model(x)  # __call__ runs the hooks around forward
print("model.forward(x):")
logits = model.forward(x)  # forward alone: no hook
handle.remove()
print("after handle.remove(), model(x):")
logits = model(x)
# --8<-- [end:hook]

# --8<-- [start:list_bug]
class Deep(nn.Module):
    """Hidden layers kept in `container`, then one logit per class."""

    def __init__(self, container):
        super().__init__()
        self.blocks = container([nn.Linear(2, 8), nn.Linear(8, 8)])
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        for block in self.blocks:
            x = torch.relu(block(x))
        return self.out(x)


y = torch.tensor([0, 1, 2, 1, 0])
for container in [list, nn.ModuleList]:
    torch.manual_seed(0)
    model = Deep(container)
    first = model.blocks[0].weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for step in range(20):
        loss = nn.CrossEntropyLoss()(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"{container.__name__}: parameters() finds "
          f"{len(list(model.parameters()))} tensors, state_dict keys "
          f"{list(model.state_dict())}")
    print(f"  after 20 steps: first layer changed: "
          f"{not torch.equal(first, model.blocks[0].weight)}, its .grad "
          f"is set: {model.blocks[0].weight.grad is not None}, "
          f"loss {loss.item():.4f}")
# --8<-- [end:list_bug]
