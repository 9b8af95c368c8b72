# --8<-- [start:early_stopping]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.rand(60, 1) * 2 - 1
y = torch.sin(3 * x) + 0.3 * torch.randn(60, 1)  # a curve plus noise
# the points are drawn at random, so slicing them is a random split
x_train, y_train = x[:20], y[:20]
x_val, y_val = x[20:40], y[20:40]
x_test, y_test = x[40:], y[40:]  # kept for the very end
loss_fn = nn.MSELoss()


def make_model():
    # far more parameters (4,353) than 20 training points need
    return nn.Sequential(nn.Linear(1, 64), nn.Tanh(), nn.Linear(64, 64),
                         nn.Tanh(), nn.Linear(64, 1))


def loss_of(model, x, y):
    model.eval()
    with torch.no_grad():
        return loss_fn(model(x), y).item()


def val_loss_of(model):
    return loss_of(model, x_val, y_val)


torch.manual_seed(1)
model = make_model()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
PATIENCE, MAX_EPOCHS = 100, 1000
train_losses, val_losses = [], []
best_val, best_epoch, waited = float("inf"), 0, 0
for epoch in range(1, MAX_EPOCHS + 1):
    model.train()
    optimizer.zero_grad()
    loss_fn(model(x_train), y_train).backward()
    optimizer.step()
    # both losses after the step, in evaluation mode
    train_losses.append(loss_of(model, x_train, y_train))
    val_losses.append(val_loss_of(model))
    if val_losses[-1] < best_val:  # a new best: keep a copy, reset
        best_val, best_epoch, waited = val_losses[-1], epoch, 0
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
    else:
        waited += 1
        if waited == PATIENCE:  # PATIENCE epochs without a new best
            break
stop_epoch = epoch
model.load_state_dict(best_state)  # back to the best epoch's weights
print(f"best validation loss {best_val:.4f} at epoch {best_epoch}")
print(f"stopped at epoch {stop_epoch}, {PATIENCE} epochs later; "
      f"validation loss there {val_losses[-1]:.4f}")
print(f"restored model: validation loss {val_loss_of(model):.4f}")
# --8<-- [end:early_stopping]

# --8<-- [start:early_stopping_plot]
import matplotlib.pyplot as plt

epochs = range(1, stop_epoch + 1)
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.semilogy(epochs, train_losses, color="#0072B2", linewidth=2,
            label="training loss")
ax.semilogy(epochs, val_losses, color="#D55E00", linestyle="--",
            linewidth=2, label="validation loss")
ax.axvline(best_epoch, color="#009E73", linestyle=":", linewidth=2,
           label=f"best epoch {best_epoch}")
ax.axvline(stop_epoch, color="#000000", linestyle="-.", linewidth=1.5,
           label=f"stop epoch {stop_epoch} (patience {PATIENCE})")
ax.plot(best_epoch, best_val, "o", color="#D55E00")
ax.set(xlabel="epoch", ylabel="MSE (log scale)")
ax.set_yticks([0.05, 0.1, 0.2, 0.4, 0.8], ["0.05", "0.1", "0.2", "0.4", "0.8"])
ax.minorticks_off()
ax.legend(fontsize=9, loc="upper center")
plt.show()
# --8<-- [end:early_stopping_plot]

# --8<-- [start:sweep]
def train(weight_decay, epochs=200):
    torch.manual_seed(1)  # the same start for every setting
    model = make_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01,
                                  weight_decay=weight_decay)
    for _ in range(epochs):
        model.train()
        optimizer.zero_grad()
        loss_fn(model(x_train), y_train).backward()
        optimizer.step()
    return model


WEIGHT_DECAYS = [0.0, 0.01, 0.1, 1.0, 10.0]
models, sweep = {}, {}
print("weight_decay  training loss  validation loss")
for wd in WEIGHT_DECAYS:
    models[wd] = train(wd)
    sweep[wd] = (loss_of(models[wd], x_train, y_train),
                 val_loss_of(models[wd]))
    print(f"{wd:12}  {sweep[wd][0]:13.4f}  {sweep[wd][1]:15.4f}")
chosen = min(WEIGHT_DECAYS, key=lambda wd: sweep[wd][1])
print(f"chosen on validation: weight_decay {chosen}")
# --8<-- [end:sweep]

# --8<-- [start:sweep_plot]
positions = range(len(WEIGHT_DECAYS))  # one place per value, 0 included
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(positions, [sweep[wd][0] for wd in WEIGHT_DECAYS], "o-",
        color="#0072B2", linewidth=2, label="training loss")
ax.plot(positions, [sweep[wd][1] for wd in WEIGHT_DECAYS], "s--",
        color="#D55E00", linewidth=2, label="validation loss")
ax.plot(WEIGHT_DECAYS.index(chosen), sweep[chosen][1], "o", markersize=14,
        markerfacecolor="none", markeredgecolor="#000000",
        label=f"chosen: weight_decay {chosen}")
ax.set_xticks(positions, [str(wd) for wd in WEIGHT_DECAYS])
ax.set(xlabel="weight_decay (AdamW, 200 epochs)", ylabel="MSE")
ax.legend(fontsize=9)
plt.show()
# --8<-- [end:sweep_plot]

# --8<-- [start:test]
chosen_model = models[chosen]
chosen_model.eval()
with torch.no_grad():  # the test set, once, for the chosen setting only
    test_loss = loss_fn(chosen_model(x_test), y_test).item()
print(f"weight_decay {chosen}: test loss {test_loss:.4f}")
# --8<-- [end:test]
