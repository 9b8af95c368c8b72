# --8<-- [start:setup]
import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X = torch.randn(64, 3)
y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1 * torch.randn(64, 1)
EPOCHS = 6


def build():
    """A model, optimizer, scheduler and loader, built from scratch as
    a script that starts afresh builds them."""
    torch.manual_seed(1)  # the model's initial weights
    model = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    scheduler = CosineAnnealingLR(optimizer, T_max=EPOCHS)
    generator = torch.Generator().manual_seed(2)  # the shuffling's own
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True,
                        generator=generator)
    return model, optimizer, scheduler, generator, loader


def train(model, optimizer, scheduler, loader, epochs):
    for _ in range(epochs):
        for x_batch, y_batch in loader:
            loss = nn.functional.mse_loss(model(x_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


# The straight run: all the epochs, without stopping.
model, optimizer, scheduler, generator, loader = build()
train(model, optimizer, scheduler, loader, EPOCHS)
straight = [p.detach().clone() for p in model.parameters()]
print(f"after {EPOCHS} epochs: loss "
      f"{nn.functional.mse_loss(model(X), y).item():.4f}")
# --8<-- [end:setup]

# --8<-- [start:save]
import tempfile
from pathlib import Path

# A second run stops halfway and saves everything it will need.
model, optimizer, scheduler, generator, loader = build()
train(model, optimizer, scheduler, loader, EPOCHS // 2)
checkpoint = {
    "epoch": EPOCHS // 2,  # the epochs done
    "model": model.state_dict(),
    "optimizer": optimizer.state_dict(),
    "scheduler": scheduler.state_dict(),
    "generator": generator.get_state(),
}
# A temporary folder, deleted when the script ends.
checkpoint_folder = tempfile.TemporaryDirectory()
path = Path(checkpoint_folder.name) / "checkpoint.pt"
torch.save(checkpoint, path)
print("checkpoint:", list(checkpoint))
print("optimizer:", list(checkpoint["optimizer"]))
print("state of parameter 0:", list(checkpoint["optimizer"]["state"][0]))
print("Adam's step count:", checkpoint["optimizer"]["state"][0]["step"])
print("scheduler:", checkpoint["scheduler"])
print(f"{path.stat().st_size} bytes on disk")
# --8<-- [end:save]

# --8<-- [start:resume]
# A new start: build everything from scratch, then load the checkpoint.
model, optimizer, scheduler, generator, loader = build()
checkpoint = torch.load(path, weights_only=True)
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
scheduler.load_state_dict(checkpoint["scheduler"])
generator.set_state(checkpoint["generator"])
train(model, optimizer, scheduler, loader, EPOCHS - checkpoint["epoch"])
resumed = [p.detach().clone() for p in model.parameters()]
print("resumed run equals the straight run exactly:",
      all(torch.equal(a, b) for a, b in zip(resumed, straight)))
# --8<-- [end:resume]

# --8<-- [start:missing]
def resume_without(left_out):
    """Resume from the checkpoint, but without one of its states; return
    the largest difference from the straight run's parameters."""
    model, optimizer, scheduler, generator, loader = build()
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    if left_out != "optimizer":
        optimizer.load_state_dict(checkpoint["optimizer"])
    if left_out != "scheduler":
        scheduler.load_state_dict(checkpoint["scheduler"])
    if left_out != "generator":
        generator.set_state(checkpoint["generator"])
    train(model, optimizer, scheduler, loader, EPOCHS - checkpoint["epoch"])
    return max((p.detach() - s).abs().max().item()
               for p, s in zip(model.parameters(), straight))


differences = {}
for left_out in ["optimizer", "scheduler", "generator"]:
    differences[left_out] = resume_without(left_out)
    print(f"without the {left_out}'s state: parameters differ by up to "
          f"{differences[left_out]:.1e}")
# --8<-- [end:missing]

# --8<-- [start:pickle]
import pickle

model_path = Path(checkpoint_folder.name) / "model.pt"
torch.save(model, model_path)  # the whole object, not its state_dict
try:
    torch.load(model_path, weights_only=True)
except pickle.UnpicklingError as error:
    reason = str(error).split("WeightsUnpickler error: ")[1]
    print("refused:", reason.split(". ")[0])
# --8<-- [end:pickle]
