# --8<-- [start:flags]
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(),
                      nn.Dropout(p=0.5), nn.Linear(8, 1))
print("a new model is in training mode:", model.training)
model.eval()  # the same as model.train(False)
print("after model.eval(): ",
      {name or "model": m.training for name, m in model.named_modules()})
model.train()
print("after model.train():",
      {name or "model": m.training for name, m in model.named_modules()})
# --8<-- [end:flags]

# --8<-- [start:eval_grads]
x, y = torch.randn(16, 4), torch.randn(16)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model.eval()
before = [p.detach().clone() for p in model.parameters()]
optimizer.zero_grad()
loss = nn.MSELoss()(model(x), y.reshape(-1, 1))
print("loss computed in eval mode: requires_grad =", loss.requires_grad,
      " grad_fn =", loss.grad_fn.name())
loss.backward()
for name, p in model.named_parameters():
    print(f"{name:9} |grad| = {p.grad.norm().item():.4f}")
optimizer.step()
changed = [not torch.equal(b, p) for b, p in zip(before, model.parameters())]
print("parameters changed by step() in eval mode:", sum(changed),
      "of", len(changed))
# --8<-- [end:eval_grads]

# --8<-- [start:dropout]
drop = nn.Dropout(p=0.2)
ones = torch.ones(10_000)
drop.train()
out = drop(ones)
print("train, first 8 outputs:", out[:8])
print(f"train: fraction zeroed {(out == 0).float().mean().item():.4f}, "
      f"other values {out[out != 0].unique().tolist()}, "
      f"mean {out.mean().item():.4f}")
drop.eval()
print("eval: output equals input:", torch.equal(drop(ones), ones))
# --8<-- [end:dropout]

# --8<-- [start:batchnorm]
# momentum 0.1; running_mean starts at 0, running_var at 1
bn = nn.BatchNorm1d(3)
# three features with mean about 5 and standard deviation about 2
batch = 5 + 2 * torch.randn(64, 3)
bn.train()
out = bn(batch)
print(f"train: output mean {out.mean(0).abs().max().item():.0e} or less, std",
      out.std(0, unbiased=False).detach())
print("batch mean           ", batch.mean(0))
print("running_mean updated:", bn.running_mean, "= 0.9 * 0 + 0.1 * batch mean")
print("running_var updated: ", bn.running_var,
      "= 0.9 * 1 + 0.1 * batch variance (unbiased)")

bn.eval()
running_mean, running_var = bn.running_mean.clone(), bn.running_var.clone()
out = bn(batch)
by_hand = ((batch - running_mean) / torch.sqrt(running_var + bn.eps)
           * bn.weight + bn.bias)
print("eval: output mean", out.mean(0).detach(),
      " (running statistics, not the batch's)")
print("eval output equals (x - running_mean) / sqrt(running_var + eps):",
      torch.allclose(out, by_hand))
print("running statistics unchanged in eval:",
      torch.equal(bn.running_mean, running_mean)
      and torch.equal(bn.running_var, running_var))
print("eval, a single example:", bn(batch[:1]).detach())
bn.train()
try:
    bn(batch[:1])  # a batch of one has no variance to normalise with
except ValueError as error:
    print("train, a single example: ValueError:", error)
# --8<-- [end:batchnorm]

# --8<-- [start:batchnorm_shapes]
# statistics per channel, over every value the batch has for that channel
for layer, shape in [(nn.BatchNorm1d(3), (1, 3)),
                     (nn.BatchNorm1d(3), (1, 3, 5)),
                     (nn.BatchNorm2d(3), (1, 3, 4, 4))]:
    one = torch.randn(shape)  # a batch of a single example
    values = one.numel() // 3  # values per channel
    try:
        out = layer.train()(one)
        result = f"works, output {tuple(out.shape)}"
    except ValueError:
        result = "ValueError"
    print(f"{type(layer).__name__} on {shape}: values per channel "
          f"{values:2} -> {result}")
# --8<-- [end:batchnorm_shapes]

# --8<-- [start:no_grad]
with torch.no_grad():
    out = model(x)
print("no_grad():        requires_grad =", out.requires_grad,
      " grad_fn =", out.grad_fn)
try:
    out.sum().backward()
except RuntimeError as error:
    print("RuntimeError:", error)

with torch.inference_mode():
    out = model(x)
print("inference_mode(): requires_grad =", out.requires_grad,
      " grad_fn =", out.grad_fn)
try:
    out.sum().backward()
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:no_grad]

# --8<-- [start:idiom]
def evaluate(model, x, y):
    """The loss on a validation or test set: eval mode, and no graph."""
    was_training = model.training
    model.eval()  # dropout off, batch norm on running statistics
    # nothing recorded: no memory for a graph, no backward possible
    with torch.no_grad():
        loss = nn.MSELoss()(model(x), y.reshape(-1, 1)).item()
    model.train(was_training)  # back to the mode the model was in
    return loss


model.train()
print(f"evaluate: {evaluate(model, x, y):.4f}, "
      f"{evaluate(model, x, y):.4f} (the same twice)")
print("model back in training mode:", model.training)
# --8<-- [end:idiom]
