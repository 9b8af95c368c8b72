# %% [markdown]
# # Lab: house prices (Boston housing)
#
# This lab (회귀 실습) puts the previous chapters together in one program: a linear model that
# predicts the median price of the houses in a Boston neighbourhood from 13 facts about it. It
# first runs the code of the Korean lecture deck this book grew out of
# ([about the deck](../#the-lecture-deck)) exactly as written, then measures what that code gets
# wrong, then builds the version a practitioner would write, and finally compares both with the
# best a linear model can possibly do. Three exercises close it, each with a solution and a check
# of your answer.
#
# The lab is a notebook: download it from the links under the title of its page, or open it in
# Colab, and run it. Its first code cell downloads the data, `boston.csv`, from the book's site
# into a folder named `data` beside the notebook, unless it is there already (to work offline,
# download `boston.csv` from the same links beforehand and put it there). Or, in a clone of the
# book's repository, run `python docs/lab-house-prices.py` from the repository root. The
# repository's `data/README.md` describes the data set, where it comes from and its problems.

# %%
import hashlib
import os
import urllib.request
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn
from torch.optim import Adam
from torch.utils.data import DataLoader, TensorDataset

# In Jupyter, sharp figures (when run as a script, the next line is a comment):
# %config InlineBackend.figure_formats = ["retina"]

# The data file: downloaded from the book's site if it is not here yet
# (BOOK_URL may name a mirror), then checked, so that the lab stops here,
# with a clear message, rather than later with a puzzling one.
DATA = Path("data/boston.csv")
SHA256 = "24ec814c9b6c5bb1cae0f6d203636413195ade13a34b62920787599f63eefd7e"
BOOK_URL = os.environ.get(
    "BOOK_URL", "https://deep-learning-with-pytorch.github.io/book/")
if not DATA.is_file():
    url = f"{BOOK_URL.rstrip('/')}/data/{DATA.name}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            content = response.read()
    except OSError as error:
        raise FileNotFoundError(
            f"{DATA.resolve()} is missing, and downloading it from {url}"
            f" failed ({error}). Offline? Download boston.csv from the"
            " lab's page into a folder named data, beside the notebook."
        ) from None
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_bytes(content)
if hashlib.sha256(DATA.read_bytes()).hexdigest() != SHA256:
    raise ValueError(f"{DATA.resolve()} differs from the book's copy"
                     " (SHA-256): delete it to download it again")

# %% [markdown]
# ## The data
#
# Each of the 506 rows is one census tract of the Boston area in 1970. The first 13 columns are the
# features, `medv` is the target: the median value of owner-occupied homes, in thousands of
# dollars. The deck takes the features and the target out of the DataFrame as NumPy arrays:

# %%
bostonDF = pd.read_csv(DATA)

# DataFrame ===> Feature 추출
# (deck: DataFrame ===> extract the features)
X = bostonDF.iloc[:, :13].values
Y = bostonDF['medv'].values
print(f'X : {type(X)}, {X.shape}\nY : {type(Y)}, {Y.shape}')
print("features:", ", ".join(bostonDF.columns[:13]))

# %% [markdown]
# One thing has changed since the deck was written: pandas 3 hands out read-only arrays
# (copy-on-write), and `torch.FloatTensor(Y[start:end])` first wraps that read-only array, so
# PyTorch warns once that writing to it would be undefined. The tensor it returns is in fact a
# float32 copy, so the warning is harmless here; we silence exactly that one warning to keep the
# output readable. `torch.FloatTensor` is also a legacy constructor, kept for old code. New code
# writes `torch.tensor(Y, dtype=torch.float32)`, which copies the data and never warns, as the
# fixed version below does; `torch.from_numpy(Y).float()`, the other usual choice, first wraps the
# array itself, and would warn here too.

# %%
print("Y can be written to:", Y.flags.writeable)
warnings.filterwarnings("ignore", "The given NumPy array is not writable")

# %% [markdown]
# ## The deck's training loop, exactly as written
#
# The deck's settings and model: a single linear layer, 13 inputs and one output, trained with Adam.
# The seed is ours, so that every run prints the same numbers.

# %%
# 학습 횟수 및 한번에 학습할 데이터 크기 설정
# (deck: set the number of epochs and the size of each batch)
EPOCHS = 500
BATCH_SIZE = 100
LR = 0.001

torch.manual_seed(0)
linear_model = nn.Linear(13, 1)
deck_start = [p.detach().clone() for p in linear_model.parameters()]

# 가중치/절편 최적화 방법 설정
# (deck: choose how the weights and the bias are optimised)
optimizer = Adam(linear_model.parameters(), lr=LR)

# %% [markdown]
# The loop is the deck's, line for line (with an English translation under each Korean comment);
# the four lines marked "added" only record the average loss of each epoch for the learning curves
# further down, and change nothing the loop does. That average is the mean of the losses of the
# epoch's five batches, each measured just before its step: the weights change during the epoch,
# so it is not quite the loss of the weights the epoch ends with.

# %%
deck_curve = []  # added
for epoch in range(EPOCHS):
    epoch_loss = 0.0  # added
    for i in range(len(X)//BATCH_SIZE):
        start = i*BATCH_SIZE
        end = start + BATCH_SIZE

        # ndarray ==> tensor변환
        # (deck: ndarray ==> convert to a tensor)
        x = torch.FloatTensor(X[start:end])
        y = torch.FloatTensor(Y[start:end])

        optimizer.zero_grad()
        pre_y = linear_model(x)
        loss = nn.MSELoss()(pre_y, y.reshape(-1,1))
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() / (len(X)//BATCH_SIZE)  # added
    deck_curve.append(epoch_loss)  # added
print(f"training loss (MSE) after {EPOCHS} epochs: {deck_curve[-1]:.2f}")

# %% [markdown]
# The deck's evaluation: predict the price of the first house and compare it with its real price.

# %%
# 모델 성능 평가
# (deck: evaluate the model)
pre = linear_model(torch.FloatTensor(X[0, :13]))
pre, Y[0]

# %% [markdown]
# The model says about 29.7 thousand dollars for a house whose price is 24.0. Is that good? The
# next section shows why this comparison cannot tell.

# %% [markdown]
# ## What the deck's loop gets wrong
#
# The loop runs and the loss goes down, so it looks finished. Four things are wrong with it, and
# each one can be measured.
#
# **1. Six houses are never seen.** `len(X) // BATCH_SIZE` rounds down: 506 rows make 5 batches of
# 100, and rows 500 to 505 are never used, in any of the 500 epochs.

# %%
batches = len(X) // BATCH_SIZE
seen = set()
for i in range(batches):
    seen.update(range(i * BATCH_SIZE, i * BATCH_SIZE + BATCH_SIZE))
never_seen = sorted(set(range(len(X))) - seen)
print(f"{batches} batches of {BATCH_SIZE} per epoch")
print(f"rows never seen: {never_seen}")

# %% [markdown]
# A `DataLoader` makes a last, smaller batch of the remaining rows instead (or drops them only if
# asked to with `drop_last=True`), so every row counts.
#
# **2. No shuffling.** The rows are in the order of the original study, where neighbouring rows
# are neighbouring tracts of the same town, and the loop cuts the same five batches in the same
# order in every epoch. The batches are far from representative samples of the data (their mean
# prices run from 15.5 to 29.9), and the last update of every epoch always comes from the same
# hundred houses, the cheapest batch of the five:

# %%
for i in range(batches):
    rows = slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE)
    print(f"batch {i}: rows {rows.start:3}-{rows.stop - 1}, "
          f"mean price {Y[rows].mean():5.2f}")
print(f"all rows:              mean price {Y.mean():5.2f}")

# %% [markdown]
# **3. Unscaled features, and a learning rate that cannot get there.** The features live on very
# different scales: the spread (standard deviation) of each column runs from about 0.1 to about
# 170.

# %%
spread = pd.Series(X.std(axis=0), index=bostonDF.columns[:13])
print(spread.round(3).sort_values().to_string())

# %% [markdown]
# The best linear model for these raw features, the least-squares solution (which the next cell
# computes directly with `np.linalg.lstsq`; the section on the floor below explains it), needs an
# intercept of about 36.5 and a weight of about −17.8 on `nox`:

# %%
design = np.c_[X, np.ones(len(X))]  # a column of ones for the intercept
raw_best, *_ = np.linalg.lstsq(design, Y, rcond=None)
print(f"least squares, raw features: intercept {raw_best[-1]:.1f}, "
      f"nox weight {raw_best[4]:.1f}")

# %% [markdown]
# Adam divides each gradient by a running measure of the gradient's size, so a larger gradient
# does not make a longer step (the [optimizers chapter](../optimizers/#adam) shows that the first
# step is `LR`, whatever the scale of the gradient). A gradient of steady sign and size moves a
# parameter by `LR` per step, whatever that size; mini-batch gradients that disagree move it less;
# only a gradient that keeps growing from step to step makes the steps longer, several times `LR`.
# Unless its gradient keeps growing, then, Adam moves a parameter by at most about `LR` per step.
# Four made-up gradients, each fed to Adam for 2500 steps:

# %%
noise = np.random.default_rng(0).standard_normal(2500)
made_up = {"0.01 at every step": np.full(2500, 0.01),
           "100 at every step": np.full(2500, 100.0),
           "noisy: mean 1, spread 3": 1 + 3 * noise,
           "growing 11 % a step": 1.11 ** np.arange(2500)}
# Adam treats every entry of a parameter on its own: one parameter with
# four entries, one for each made-up gradient, runs the four at once.
gradients = torch.tensor(np.stack(list(made_up.values()), axis=1))
parameter = torch.zeros(len(made_up), dtype=torch.float64,
                        requires_grad=True)
optimizer = Adam([parameter], lr=LR)
made_up_steps = []
for gradient in gradients:
    before = parameter.detach().clone()
    parameter.grad = gradient
    optimizer.step()
    made_up_steps.append((before - parameter.detach()) / LR)
made_up_steps = torch.stack(made_up_steps)  # one row per step, in LRs
for name, taken in zip(made_up, made_up_steps.T):
    print(f"{name:23}: longest step {taken.abs().max():.2f} x LR, "
          f"moved {taken.sum() * LR:5.2f}")

# %% [markdown]
# The deck's loop takes 500 × 5 = 2500 steps: at most about `LR` each, a parameter can travel about
# 2.5 from where it started, nowhere near 36.5 or −17.8. The farthest any parameter actually moved:

# %%
steps = EPOCHS * batches
moved = max((p.detach() - p0).abs().max().item()
            for p, p0 in zip(linear_model.parameters(), deck_start))
print(f"{steps} steps x LR {LR} = {steps * LR:.1f}")
print(f"the farthest any parameter moved: {moved:.2f}")

# %% [markdown]
# How far from the best fit does that leave the deck's model? The least-squares loss on the 500
# rows the loop trains on is the lowest loss any linear model can reach on them. The deck's
# training loss, the mean of the last epoch's batch losses while the weights were still moving, is
# compared with it below, and so is the loss of the weights the loop ended with, on the same rows:

# %%
used = slice(0, batches * BATCH_SIZE)
deck_best, *_ = np.linalg.lstsq(design[used], Y[used], rcond=None)
deck_floor = np.mean((design[used] @ deck_best - Y[used]) ** 2)
with torch.no_grad():
    deck_prices = linear_model(torch.FloatTensor(X[used])).squeeze(1)
deck_final = np.mean((deck_prices.numpy() - Y[used]) ** 2)
print(f"the deck's training loss:        {deck_curve[-1]:.2f}")
print(f"its final weights, same rows:    {deck_final:.2f}")
print(f"least-squares floor, same rows:  {deck_floor:.2f}")

# %% [markdown]
# Measured either way, after 500 epochs the deck's loss is more than twice the floor, and it is
# still falling only slowly. Is the scale really the cause? Run the deck's loop again, unchanged
# (same rows, same order, same batches), except that the features and the target are
# standardised: each column minus its mean, divided by its standard deviation. (Here with the
# statistics of all rows, as the deck has no split; the fixed version below does it properly.)

# %%
X_scaled = (X - X.mean(axis=0)) / X.std(axis=0)
Y_scaled = (Y - Y.mean()) / Y.std()
torch.manual_seed(0)
scaled_model = nn.Linear(13, 1)
optimizer = Adam(scaled_model.parameters(), lr=LR)
for epoch in range(EPOCHS):
    for i in range(len(X)//BATCH_SIZE):
        start = i*BATCH_SIZE
        end = start + BATCH_SIZE
        x = torch.FloatTensor(X_scaled[start:end])
        y = torch.FloatTensor(Y_scaled[start:end])
        optimizer.zero_grad()
        loss = nn.MSELoss()(scaled_model(x), y.reshape(-1, 1))
        loss.backward()
        optimizer.step()
with torch.no_grad():
    scaled_prices = scaled_model(torch.FloatTensor(X_scaled[used])).squeeze(1)
scaled_prices = scaled_prices.numpy() * Y.std() + Y.mean()
scaled_loss = np.mean((scaled_prices - Y[used]) ** 2)
print(f"the deck's loop on standardised data: {scaled_loss:.2f}")
print(f"least-squares floor, same rows:       {deck_floor:.2f}")

# %% [markdown]
# With nothing else changed, the deck's own loop now ends within 1 % of the floor: in standardised
# units every weight of the best fit is within Adam's reach.
#
# **4. Evaluated on a training row.** House 0 was in the first batch of every epoch: the model has
# been fitted to it 500 times. How close its prediction comes says nothing about how the model does
# on a house it has not seen, which is the only question that matters. That needs data the model
# never trained on.

# %% [markdown]
# ## Doing it right
#
# **Split first.** Shuffle the rows once (seeded) and keep 60 % for training, 20 % for validation
# and 20 % for the test, which chooses nothing: it is used only after every choice has been made,
# to report how the chosen model does. The validation split is only watched here, since every
# setting is the deck's; in real work it is where you would choose the learning rate or the epoch
# to stop at. (The previous chapter split 70/15/15; with only 506 houses, we keep a little more for
# validation and test, so that their losses are less noisy.)

# %%
generator = torch.Generator().manual_seed(0)
order = torch.randperm(len(bostonDF), generator=generator).numpy()
n_test = n_validation = len(order) // 5
test_rows = order[:n_test]
validation_rows = order[n_test:n_test + n_validation]
train_rows = order[n_test + n_validation:]
print(f"train {len(train_rows)}, validation {len(validation_rows)}, "
      f"test {len(test_rows)} rows")

# %% [markdown]
# **Standardise with the training split's statistics only.** Each feature becomes
# (value − mean) / standard deviation, with the mean and the standard deviation of the *training*
# rows: computing them on all rows would leak information about the validation and test houses
# into training. The target is standardised the same way, so that the intercept the model needs is
# near 0 instead of about 23 (at most about `LR` a step, Adam at `LR = 0.001` would need over
# 20 000 steps to get there); predictions are turned back into thousands of dollars before any
# loss is reported.

# %%
def standardised(columns):
    """Features and target of each split, scaled with the training split's
    mean and spread."""
    features = bostonDF[columns].to_numpy(dtype=np.float32)
    target = bostonDF["medv"].to_numpy(dtype=np.float32)
    mean = features[train_rows].mean(axis=0)
    spread = features[train_rows].std(axis=0)
    rows = {"train": train_rows, "validation": validation_rows,
            "test": test_rows}
    return {name: (torch.tensor((features[r] - mean) / spread),
                   torch.tensor(target[r]))
            for name, r in rows.items()}


FEATURES = list(bostonDF.columns[:13])
splits = standardised(FEATURES)
train_prices = splits["train"][1]
price_mean = train_prices.mean()
price_spread = train_prices.std(correction=0)
for name, (features, target) in splits.items():
    print(f"{name:10}: feature means from {features.mean(0).min():5.2f} "
          f"to {features.mean(0).max():5.2f}")

# %% [markdown]
# Every training feature now has mean 0 (up to rounding) and spread 1. The validation and test
# features are near 0 but not exactly: they were scaled with statistics they did not contribute to,
# as the houses a model meets after training will be.
#
# **Train with a shuffling `DataLoader`.** The same model, the same optimiser and the same settings
# as the deck (`EPOCHS = 500`, `BATCH_SIZE = 100`, Adam at `LR = 0.001`); the `DataLoader` reshuffles
# the training rows in every epoch and keeps the last, smaller batch. After each epoch the model is
# switched to evaluation mode and, without recording gradients
# ([the training workflow](../training-workflow/#modeltrain-and-modeleval) explains both), its
# loss is measured on the whole training split and on the validation split, in squared thousands
# of dollars. The training loop is the [five lines](../training-step/#the-five-lines-one-at-a-time)
# of the training step. (`train` takes the learning rate, the number of epochs and the model as
# arguments, which default to the deck's; the exercises at the end change them.)

# %%
def predict(model, features):
    """Prices in thousands of dollars: the output, un-standardised."""
    model.eval()
    with torch.no_grad():
        return model(features).squeeze(1) * price_spread + price_mean


def mse(model, features, target):
    """Mean squared error in thousands of dollars, squared."""
    return ((predict(model, features) - target) ** 2).mean().item()


def train(splits, lr=LR, epochs=EPOCHS, model=None):
    """Train a model (the deck's linear one unless given) with Adam; return
    it and its losses after each epoch."""
    torch.manual_seed(0)
    features, target = splits["train"]
    if model is None:
        model = nn.Linear(features.shape[1], 1)
    optimizer = Adam(model.parameters(), lr=lr)
    scaled_target = (target - price_mean) / price_spread
    loader = DataLoader(TensorDataset(features, scaled_target),
                        batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    curves = {"train": [], "validation": []}
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = nn.MSELoss()(model(x), y.reshape(-1, 1))
            loss.backward()
            optimizer.step()
        for name in curves:
            curves[name].append(mse(model, *splits[name]))
    return model, curves


model, curves = train(splits)
train_set = TensorDataset(*splits["train"])
sizes = [len(x) for x, y in DataLoader(train_set, batch_size=BATCH_SIZE)]
print(f"batch sizes in an epoch: {sizes}")
print(f"after {EPOCHS} epochs: training MSE {curves['train'][-1]:.2f}, "
      f"validation MSE {curves['validation'][-1]:.2f}")

# %% [markdown]
# ## The floor: least squares in closed form
#
# For a linear model and the mean squared error, the best weights need no training at all: they
# solve the least-squares problem, which `torch.linalg.lstsq` computes directly (a column of ones
# supplies the intercept). No training loop can give a linear model a lower training loss than this
# floor; a good loop should come close to it.

# %%
def least_squares(splits):
    """The linear model with the lowest training MSE, solved in closed form."""
    features, target = splits["train"]
    ones = torch.ones(len(features), 1)
    design = torch.cat([features, ones], dim=1).double()
    scaled = ((target - price_mean) / price_spread).double().reshape(-1, 1)
    solution = torch.linalg.lstsq(design, scaled).solution
    best = nn.Linear(features.shape[1], 1)
    with torch.no_grad():
        best.weight.copy_(solution[:-1].T)
        best.bias.copy_(solution[-1])
    return best


best = least_squares(splits)
floor = {name: mse(best, *splits[name]) for name in ["train", "validation"]}
print(f"floor: training MSE {floor['train']:.2f}, "
      f"validation MSE {floor['validation']:.2f}")
fixed_gap = curves["train"][-1] / floor["train"] - 1
deck_gap = deck_curve[-1] / deck_floor - 1
print(f"the fixed loop: {100 * fixed_gap:5.1f} % above its floor")
print(f"the deck's loop: {100 * deck_gap:4.0f} % above its floor")

# %% [markdown]
# The learning curves of both loops, each against its floor (log scale). They do not measure quite
# the same thing: the deck's curve is its loop's running mean of the batch losses during each
# epoch, while the fixed loop's curves, like the floors, are losses of fixed weights, those at the
# end of each epoch. At the end of training the difference is small, as the deck's two numbers
# above show.

# %% alt="Learning curves on a log scale, each panel with its own scale. Left, the deck's loop: its training loss falls from about 580 after the first epoch to about 64 after 100, then creeps down to about 48, far above its least-squares floor of about 22. Right, the fixed loop: its training and validation losses start near 65 and fall to near 20, ending close to the least-squares losses on the same rows."
fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 3.6),
                                  layout="constrained")
epochs = range(1, EPOCHS + 1)
# The deck's curve: mean of the batch losses during each epoch; the
# fixed loop's: losses of the weights at the end of each epoch.
left.semilogy(epochs, deck_curve, color="#D55E00", linewidth=2,
              label="training loss")
left.axhline(deck_floor, color="#000000", linestyle="--", label="floor")
left.set(title="the deck's loop", xlabel="epoch", ylabel="MSE")
right.semilogy(epochs, curves["train"], color="#0072B2", linewidth=2,
               label="training loss")
right.semilogy(epochs, curves["validation"], color="#009E73", linestyle="-.",
               linewidth=2, label="validation loss")
right.axhline(floor["train"], color="#000000", linestyle="--",
              label="floor, training")
right.axhline(floor["validation"], color="#000000", linestyle=":",
              label="least squares, validation")
right.set(title="the fixed loop", xlabel="epoch")
left.legend()
right.legend()
plt.show()

# %% [markdown]
# Both loops use the same optimiser, learning rate and number of epochs; the fixed one even takes
# fewer steps, 2000 against 2500. It ends 1.6 % above its floor; the deck's ends more than twice as
# high as its own. (The least-squares model is the lowest possible on the training rows only: on
# the validation rows it is just a reference, which a trained model may even beat.)
#
# ## The test, once
#
# Only now, at the very end, is the test split used: the root mean squared
# error (RMSE) is in thousands of dollars, the unit of the price, so it reads as a typical size of
# the error on a house the model has never seen.

# %%
features, target = splits["test"]
predicted = predict(model, features)
test_rmse = ((predicted - target) ** 2).mean().item() ** 0.5
print(f"test RMSE: {test_rmse:.2f} thousand dollars")
print(f"test prices range from {target.min():.1f} to {target.max():.1f}")

# %% alt="Predicted against actual prices for the 101 test houses: most points lie within about 5 thousand dollars of the diagonal of perfect prediction; the houses at the data set's cap of 50 are predicted far too low, and one cheap house is predicted below zero."
fig, ax = plt.subplots(figsize=(4.8, 4.4), layout="constrained")
ax.plot(target, predicted, "o", color="#0072B2", markersize=4,
        label="test houses")
ax.axline((0, 0), slope=1, color="#000000", linestyle="--",
          label="perfect prediction")
ax.set(xlabel="actual price (thousands of dollars)",
       ylabel="predicted price (thousands of dollars)", title="the test split")
ax.legend()
plt.show()

# %% [markdown]
# Two kinds of house stand out. Those at exactly 50 are the data set's cap: their real prices were
# higher and were recorded as 50 (`data/README.md` lists them), so no model can learn their real
# prices from this data (capped houses in the training split pull the fit down, too). And a
# linear model knows no lower bound: for one cheap house it predicts a negative price.
#
# ## What the model learned
#
# Because every feature was standardised, the weights can be compared: each one, multiplied by the
# price's spread, is the change in the predicted price, in thousands of dollars, when that feature
# rises by one standard deviation and the others stay fixed. The bars are the trained weights, the
# diamonds the least-squares ones.

# %% alt="Weights per feature in thousands of dollars per standard deviation, as horizontal bars for the trained model and orange diamonds for least squares. lstat (about -3.5 to -3.6) and rm (about +3.1) are the largest. Most bars end within about 0.3 of their diamonds, but four do not: tax (trained about -0.9 against -2.3 for least squares), rad (1.6 against 2.7) and dis (-2.6 against -3.0) fall short, and indus (-0.8 against -0.3) reaches past its diamond."
learned = (model.weight.detach().squeeze(0) * price_spread).numpy()
optimal = (best.weight.detach().squeeze(0) * price_spread).numpy()
by_size = np.argsort(np.abs(optimal))
names = np.array(FEATURES)[by_size]
fig, ax = plt.subplots(figsize=(6, 4.4), layout="constrained")
ax.barh(names, learned[by_size], color="#0072B2", label="trained (Adam)")
ax.plot(optimal[by_size], names, "D", color="#D55E00", markersize=6,
        label="least squares")
ax.axvline(0, color="#000000", linewidth=0.8)
ax.set(xlabel="thousands of dollars per standard deviation", title="weights")
ax.legend()
plt.show()

# %% [markdown]
# The training loss is within 2 % of the floor, yet four weights are not close to theirs, `tax`
# (the property-tax rate) and `rad` (access to radial highways) most of all. Each of the four
# columns moves together with another one:

# %%
weights = pd.DataFrame({"trained": learned, "least squares": optimal},
                       index=FEATURES)
weights["gap"] = (weights["trained"] - weights["least squares"]).abs()
weights = weights.sort_values("gap", ascending=False)
print(weights.head(4).round(2).to_string())
others = weights["gap"].iloc[4:]
print(f"the other {len(others)} gaps: at most {others.max():.2f}")
correlations = bostonDF[FEATURES].corr()
for name in weights.index[:4]:
    partner = correlations[name].drop(name).abs().idxmax()
    print(f"{name:5} is most correlated with {partner}: "
          f"{correlations[name][partner]:5.2f}")

# %% [markdown]
# When two features are this correlated, raising one weight while lowering the other changes the
# predictions, and so the loss, very little: the loss surface has a long, nearly flat valley in that
# direction, like the one the [optimizers chapter](../optimizers/#the-race) races through. Along
# it the gradient is small next to the noise of the mini-batches, and Adam, which divides the
# average gradient by its typical size, takes steps there much shorter than `LR`: after 500 epochs
# the two weights are still creeping along the valley. `indus` and `dis`, each correlated with
# `nox`, lie in less flat valleys of the same kind, and are off by less. The model predicts almost
# as well as the least-squares one, but its weights say something different about `rad` and `tax`
# (and less so about `indus` and `dis`). Weights
# describe what a model uses, not what causes prices, and between correlated features that
# description is fragile.
#
# ## The data set's ethical problem, and the result without it
#
# Column `b` is not a neutral fact about a neighbourhood. Harrison and Rubinfeld (1978) defined it as
# 1000 (Bk − 0.63)², where Bk is the proportion of Black residents of the town, because they
# assumed that racial segregation affects house prices. Using it asks a model to price houses by the
# race of the people living nearby; and because of the square, two very different towns can get the
# same value, so the column cannot even be read reliably. For these reasons scikit-learn deprecated
# its loader for this data set in version 1.0 and removed it in 1.2. This book uses the data only
# because the lecture deck does, and shows here what the model does without the column: the same
# pipeline, 12 features instead of 13, judged on the same test split.

# %%
without_b = [name for name in FEATURES if name != "b"]
splits_without_b = standardised(without_b)
model_without_b, curves_without_b = train(splits_without_b)
test_rmse_without_b = mse(model_without_b, *splits_without_b["test"]) ** 0.5
print(f"test RMSE with all 13 features: {test_rmse:.3f}")
print(f"test RMSE without b:            {test_rmse_without_b:.3f}")

# %% [markdown]
# On this test split, dropping the column changes the error only in the third decimal, although the
# model did use it (its weight was about 0.9 thousand dollars per standard deviation): the other
# features make up for it. For real work on house prices, use a data set collected for the
# purpose, and ask of every feature what it stands for before letting a model use it.

# %% [markdown]
# ## Exercises
#
# Each exercise asks you to write a function, whose cell raises `NotImplementedError` until you do.
# After it come the solution, code whose output you can compare with your own and a note on what it
# shows, and a check; on the lab's page both are folded, and the notebook has the check and a link
# to the solution. The check calls your function, where it can on other data than the lab's own,
# and says that your answer is correct or what is wrong with it: write your answer first, then run
# the check. The test split was meant for one final number; each exercise uses it once more, at its
# very end, only to report on a model the validation split has already chosen. Choosing among these
# models by their test numbers would turn the test split into a second validation split: in real
# work, a new round of choices needs a fresh test set.
#
# ### Exercise 1: choose the learning rate with the validation split
#
# The lab kept the deck's `LR = 0.001` for 500 epochs. Give yourself a fifth of that, 100 epochs,
# and choose the learning rate among 0.001, 0.003, 0.01, 0.03 and 0.1 by the validation loss after
# the last epoch. The next cell trains the five models for you, with `train`, and keeps what it
# returns for each learning rate, the model and its learning curves, in `sweep`:

# %%
sweep = {lr: train(splits, lr=lr, epochs=100)
         for lr in [0.001, 0.003, 0.01, 0.03, 0.1]}

# %% [markdown]
# Write `choose_learning_rate`, which chooses from such a sweep. Then call it on `sweep`, keep the
# rate it chooses (exercise 2 trains at it), and compute the test RMSE of its model alone. Does it
# do as well as the lab's model?

# %%
def choose_learning_rate(sweep):
    """The learning rate chosen by the validation loss after the last
    epoch: one of the keys of `sweep`, a dict that maps each learning rate
    tried to the model and the learning curves that `train` returned for
    it."""
    raise NotImplementedError("Exercise 1: write your code here")


# %% tags=["solution"]
def choose_learning_rate(sweep):
    final = {lr: curves["validation"][-1]
             for lr, (_, curves) in sweep.items()}
    return min(final, key=final.get)


for lr, (_, losses) in sweep.items():
    print(f"LR {lr:<5}: after 100 epochs, training MSE "
          f"{losses['train'][-1]:5.2f}, validation MSE "
          f"{losses['validation'][-1]:5.2f}")
chosen_lr = choose_learning_rate(sweep)
chosen_model = sweep[chosen_lr][0]
chosen_rmse = mse(chosen_model, *splits["test"]) ** 0.5
print(f"chosen: LR {chosen_lr}, test RMSE {chosen_rmse:.2f}")
print(f"the lab's model, LR {LR} for {EPOCHS} epochs: {test_rmse:.2f}")

# %% [markdown] tags=["solution"]
# **What the solution shows.** After 100 epochs, `LR = 0.001` is still well short of the
# least-squares fit (its training MSE is 25.75, against the floor's 19.78): 400 steps of at most
# about `LR` are too few to get there. At 0.1 the steps are too long: the weights jump about the
# bottom of the valley from one mini-batch to the next, and where the last epoch leaves them the
# loss is high. In between, 0.01 gives the lowest validation loss, with 0.003 and 0.03 close behind
# (on 101 validation houses, differences this small are partly luck, and any of the three would
# do: what the sweep rules out is the two ends). 0.01 even ends below the least-squares model's
# validation loss, 19.40, which, as noted above, is no floor. With 0.01 the model does as well on
# the test houses, in a fifth of the epochs, as the lab's model did in 500.
#
# The test RMSE was computed once, for the chosen model only. Computing it for all five and keeping
# the best would have made the test split a second validation split, and its number an optimistic
# guess of the error on houses the model has never seen.

# %% [markdown] tags=["check"]
# Run this after your function (in the notebook, the next cell). It passes with any correct answer,
# and otherwise says what is wrong.

# %% tags=["check"]
# Your choice must follow the models' losses in any sweep: in this one; in
# it without the rate you chose; with its runs under other rates; and with
# the least-squares model, whose training loss no linear model beats, in
# place of its last run.
runs = list(sweep.values())
least_squares_run = (best, {split: [loss] for split, loss in floor.items()})
first_choice = choose_learning_rate(sweep)
for which, tried in [
        ("the lab's sweep", sweep),
        (f"the sweep without LR {first_choice}",
         {lr: run for lr, run in sweep.items() if lr != first_choice}),
        ("the sweep with its runs moved one rate down",
         dict(zip(sweep, runs[1:] + runs[:1]))),
        (f"the sweep with the least-squares model as LR {list(sweep)[-1]}",
         dict(zip(sweep, runs[:-1] + [least_squares_run])))]:
    your_lr = choose_learning_rate(tried)
    assert your_lr in tried, (
        f"in {which}, {your_lr!r} is not one of the learning rates tried, "
        f"{list(tried)}: choose from the sweep your function is given")
    ends = {split: {lr: mse(model, *splits[split])
                    for lr, (model, _) in tried.items()}
            for split in ["train", "validation", "test"]}
    lowest = {split: min(losses, key=losses.get)
              for split, losses in ends.items()}
    for split, split_name in [("train", "training"), ("test", "test")]:
        assert your_lr == lowest["validation"] or your_lr != lowest[split], (
            f"in {which}, you chose LR {your_lr}, whose model has the lowest "
            f"{split_name} loss, not the lowest validation loss after the "
            "last epoch")
    assert your_lr == lowest["validation"], (
        f"in {which}, LR {your_lr} ends with the validation MSE "
        f"{ends['validation'][your_lr]:.2f}, but another learning rate "
        "ends lower")
print("Exercise 1: correct.")

# %% [markdown]
# ### Exercise 2: a hidden layer
#
# Least squares is the floor of the training loss for a *linear* model. Give the model a
# [hidden layer](../glossary/#hidden-layer) instead, 32 neurons with ReLU, as in the
# [forward propagation chapter](../forward-propagation/#a-two-layer-network): write
# `network_with_hidden_layer`, then train the network it returns with `train` for 100 epochs at
# the learning rate exercise 1 chose (call `torch.manual_seed(0)` just before making the network to
# get the solution's numbers). Compare its training and validation losses with those of the
# least-squares model; then, once, their test RMSEs. Is the floor still a floor?

# %%
def network_with_hidden_layer():
    """A new network for the 13 features: a hidden layer of 32 neurons with
    ReLU, then one output, the price (in standardised units)."""
    raise NotImplementedError("Exercise 2: write your code here")


# %% tags=["solution"]
def network_with_hidden_layer():
    return nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 1))


torch.manual_seed(0)
network, network_curves = train(splits, lr=chosen_lr, epochs=100,
                                model=network_with_hidden_layer())
for name in ["train", "validation"]:
    print(f"{name:10} MSE: network {network_curves[name][-1]:5.2f}, "
          f"least squares {floor[name]:5.2f}")
network_rmse = mse(network, *splits["test"]) ** 0.5
linear_rmse = mse(best, *splits["test"]) ** 0.5
print(f"test RMSE: network {network_rmse:.2f}, "
      f"least squares {linear_rmse:.2f}")

# %% [markdown] tags=["solution"]
# **What the solution shows.** Not for the network: its training loss ends far below the floor,
# which bounds only models whose prediction is a weighted sum of the features plus an intercept.
# The ReLU between the two layers makes the prediction a non-linear function of them (without it,
# the two layers would collapse into one, as the forward propagation chapter's
# [third exercise](../forward-propagation/#exercise-3-depth-without-activation) shows). The
# validation loss is about half the least-squares one, so the network has not just memorised the
# training houses, and the test, used once, agrees: an RMSE of about 3.5 thousand dollars against
# 5.7.
#
# Its training loss is also clearly below its validation loss, a gap the linear model hardly had:
# with 481 parameters for 304 houses, the network can begin to fit the noise of the training
# houses ([overfitting](../glossary/#overfitting)), and more epochs would widen the gap. The
# validation split is where you would see that happen, and stop.

# %% [markdown] tags=["check"]
# Run this after your function (in the notebook, the next cell). It passes with any correct answer,
# and otherwise says what is wrong.

# %% tags=["check"]
# Shape and size first; then a short training: any network with a hidden
# layer and a non-linear activation such as ReLU goes below the floor
# within a few epochs, while one whose prediction is linear in the features
# cannot, however long it trains.
torch.manual_seed(0)
yours = network_with_hidden_layer()
with torch.no_grad():
    shape = tuple(yours(splits["train"][0][:5]).shape)
assert shape == (5, 1), (
    f"for 5 houses your network returns shape {shape}, not (5, 1): one "
    "output, the price, per house")
size = sum(parameter.numel() for parameter in yours.parameters())
assert size == 13 * 32 + 32 + 32 + 1, (
    f"your network has {size} parameters, not those of 13 inputs, 32 "
    "hidden neurons and one output, each neuron with its bias")
_, your_curves = train(splits, lr=0.03, epochs=20, model=yours)
assert your_curves["train"][-1] < floor["train"], (
    f"after 20 epochs your network's training MSE is "
    f"{your_curves['train'][-1]:.2f}, not below the linear floor "
    f"{floor['train']:.2f}: is there a ReLU between its layers?")
print("Exercise 2: correct.")

# %% [markdown]
# ### Exercise 3: predict the log of the price
#
# Prices are positive, and a feature may well change a price by a proportion rather than by a
# fixed number of dollars: a better neighbourhood adds more to a dear house than to a cheap one. A
# linear model of the logarithm of the price says exactly that. Fit one, in closed form as the
# floor section does (`torch.linalg.lstsq`), and turn its predictions back into thousands of
# dollars with `exp`: write `log_price_predictions`. Fit it on the training split and compare its
# RMSE on the training and validation splits with that of the least-squares model of the price;
# then, once, on the test split. Does any prediction fall below zero?

# %%
def log_price_predictions(features, prices, new_features):
    """Fit a linear model to the log of `prices` from `features`, in closed
    form (least squares, with an intercept); return its predictions for
    `new_features`, turned back with exp into thousands of dollars: one
    price per house, a tensor of shape (len(new_features),)."""
    raise NotImplementedError("Exercise 3: write your code here")


# %% tags=["solution"]
def with_ones(features):
    """The features and a column of ones for the intercept, in float64."""
    ones = torch.ones(len(features), 1)
    return torch.cat([features, ones], dim=1).double()


def log_price_predictions(features, prices, new_features):
    log_prices = prices.double().log().reshape(-1, 1)
    fit = torch.linalg.lstsq(with_ones(features), log_prices)
    return (with_ones(new_features) @ fit.solution).exp().squeeze(1)


def rmse(predicted, target):
    return ((predicted - target) ** 2).mean().item() ** 0.5


log_predicted = {name: log_price_predictions(*splits["train"], x)
                 for name, (x, y) in splits.items()}
for name in ["train", "validation"]:
    x, y = splits[name]
    print(f"{name:10} RMSE: log-price model {rmse(log_predicted[name], y):.2f}"
          f", price model {rmse(predict(best, x), y):.2f}")
x, y = splits["test"]
print(f"test       RMSE: log-price model {rmse(log_predicted['test'], y):.2f}"
      f", price model {rmse(predict(best, x), y):.2f}")
print(f"lowest test prediction: log-price model "
      f"{log_predicted['test'].min():.1f}, "
      f"price model {predict(best, x).min():.1f}")
x, y = splits["train"]
print(f"mean training price {y.mean():.2f}; mean prediction: log-price "
      f"model {log_predicted['train'].mean():.2f}, "
      f"price model {predict(best, x).mean():.2f}")

# %% [markdown] tags=["solution"]
# **What the solution shows.** The log-price model has the lower RMSE on the training and
# validation splits, and then, once, on the test split. It is not a linear model of the price, so
# the floor does not bound it: the exponential of a weighted sum multiplies the price by a fixed
# factor for each standard deviation a feature rises, so a feature moves the price of a dear house
# by more dollars than that of a cheap one. And an exponential is always positive: the cheap house
# that the price model priced below zero gets a positive price.
#
# The log has a cost, though. A least-squares fit to the log predicts an average log price, and the
# exponential of an average log is a geometric mean, which lies below the ordinary average; so the
# log-price model's predictions run a little low: on the training split they average 22.37
# thousand dollars, against an average price of 22.75, which the price model's predictions match
# exactly. Here the better shape outweighs that.

# %% [markdown] tags=["check"]
# Run this after your function (in the notebook, the next cell). It passes with any correct answer,
# and otherwise says what is wrong.

# %% tags=["check"]
# The least-squares fit to the log prices, solved another way: from its
# normal equations, in float64. Fitted on two splits in turn, so that your
# function fits the houses it is given.
split_words = {"train": "training", "validation": "validation"}
for fit_on, new in [("train", "validation"), ("validation", "train")]:
    x_fit, y_fit = splits[fit_on]
    x_new, y_new = splits[new]
    yours = torch.as_tensor(log_price_predictions(x_fit, y_fit, x_new))
    assert yours.shape == y_new.shape, (
        f"for {len(y_new)} houses you return shape {tuple(yours.shape)}, "
        f"not ({len(y_new)},): one price per house (a column would "
        "broadcast against the prices)")
    fit_design = torch.cat([x_fit, torch.ones(len(x_fit), 1)], 1).double()
    new_design = torch.cat([x_new, torch.ones(len(x_new), 1)], 1).double()
    log_weights = torch.linalg.solve(fit_design.T @ fit_design,
                                     fit_design.T @ y_fit.double().log())
    expected = (new_design @ log_weights).exp()
    assert not torch.allclose(yours.double(), expected.log(), rtol=1e-3), (
        "your predictions are log prices: turn them back into thousands "
        "of dollars with exp")
    worst = ((yours.double() - expected).abs() / expected).max().item()
    assert worst < 1e-3, (
        f"fitted on the {split_words[fit_on]} split, your predictions for "
        f"the {split_words[new]} houses differ from the least-squares fit to "
        f"the log prices by up to {100 * worst:.1f} % (with an intercept, "
        "fitted on the houses given, and exp of the fitted log price with "
        "no correction?)")
print("Exercise 3: correct.")
