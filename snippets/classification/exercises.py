# --8<-- [start:softmax_task]
import torch


def softmax(logits):
    """The softmax of each row of `logits`, a float32 tensor of shape
    (N, K): return a tensor of the same shape whose rows are
    probabilities, without overflow for logits in the thousands. Write
    it from exp and sums, not with torch.softmax (logsumexp is
    allowed)."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:softmax_task]

# --8<-- [start:softmax_solution]
def softmax(logits):
    # shift each row so that its largest logit is 0: e^0 = 1, no overflow
    shifted = logits - logits.max(dim=1, keepdim=True).values
    exp = shifted.exp()
    return exp / exp.sum(dim=1, keepdim=True)


print(softmax(torch.tensor([[1000.0, 999.0], [0.0, -1.0]])))
# --8<-- [end:softmax_solution]

# --8<-- [start:softmax_check]
torch.manual_seed(0)
for logits_check in (torch.randn(5, 4),
                     torch.tensor([[1000.0, 999.0, 0.0], [0.0, -1.0, -2.0]]),
                     torch.tensor([[-1000.0, -1001.0], [50.0, 150.0]])):
    got = torch.as_tensor(softmax(logits_check.clone()))
    assert got.shape == logits_check.shape, (
        f"softmax should keep the shape {tuple(logits_check.shape)}, "
        f"not give {tuple(got.shape)}")
    bad_rows = ~torch.isfinite(got).all(dim=1)
    assert not bad_rows.any(), (
        f"your softmax gives nan or inf for the row of logits "
        f"{logits_check[bad_rows][0].tolist()}")
    # in float64, with float32's rounding allowed for: any dtype passes
    sums = got.double().sum(dim=1)
    assert torch.allclose(sums, torch.ones_like(sums), atol=1e-4), (
        f"your rows sum to {sums.tolist()}, not to 1")
    reference = torch.softmax(logits_check.double(), dim=1)
    assert torch.allclose(got.double(), reference, atol=1e-4), (
        f"for the logits {logits_check.tolist()} your softmax is "
        f"{got.tolist()}")
print("Exercise 1: correct.")
# --8<-- [end:softmax_check]

# --8<-- [start:cross_entropy_task]
from torch import nn


def cross_entropy(logits, labels):
    """The mean cross-entropy of logits of shape (N, K) against class
    indices `labels` of shape (N,), as nn.CrossEntropyLoss computes it,
    but from the logits yourself, with exp, log, max and sums: no
    logsumexp, log_softmax, nn.CrossEntropyLoss or F.cross_entropy."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:cross_entropy_task]

# --8<-- [start:cross_entropy_solution]
def cross_entropy(logits, labels):
    # log sum_j e^{z_j} = m + log sum_j e^{z_j - m}, m each row's maximum
    top = logits.max(dim=1, keepdim=True).values
    log_sum = top + (logits - top).exp().sum(dim=1, keepdim=True).log()
    log_probs = logits - log_sum
    return -log_probs[torch.arange(len(labels)), labels].mean()


logits = torch.tensor([[2.0, 1.0, 0.1], [1200.0, 1000.0, 0.0]])
labels = torch.tensor([0, 1])
reference = nn.CrossEntropyLoss()(logits, labels)
print(f"yours {cross_entropy(logits, labels).item():.4f}, "
      f"nn.CrossEntropyLoss {reference.item():.4f}")
# --8<-- [end:cross_entropy_solution]

# --8<-- [start:cross_entropy_check]
import math

torch.manual_seed(1)
for logits_check, labels_check in (
        (torch.randn(6, 4), torch.tensor([0, 3, 1, 1, 2, 0])),
        (3 * torch.randn(3, 5), torch.tensor([4, 4, 2])),
        (torch.tensor([[1000.0, 0.0], [0.0, 500.0]]), torch.tensor([1, 1]))):
    expected = nn.CrossEntropyLoss()(logits_check, labels_check).item()
    got = torch.as_tensor(cross_entropy(logits_check.clone(), labels_check))
    assert got.numel() == 1, (
        f"return one number, the mean over the batch, not a tensor of "
        f"shape {tuple(got.shape)}")
    got = got.item()
    assert math.isfinite(got), (
        f"your loss is {got} for the logits {logits_check.tolist()}: a "
        "probability rounded to 0 and its log is -inf (or e^z overflowed);"
        " compute the log-probabilities directly")
    assert abs(got - expected) < 1e-4 * max(1.0, expected), (
        f"for {len(labels_check)} examples with labels "
        f"{labels_check.tolist()} your loss is {got:.4f}, but "
        f"nn.CrossEntropyLoss gives {expected:.4f}")
print("Exercise 2: correct.")
# --8<-- [end:cross_entropy_check]

# --8<-- [start:accuracy_task]
from torch.utils.data import DataLoader, TensorDataset


def accuracy(model, loader):
    """The fraction of all the examples that `loader` yields, as
    (features, class) batches, whose class the model predicts right,
    evaluated as a trained model should be."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:accuracy_task]

# --8<-- [start:accuracy_solution]
def accuracy(model, loader):
    was_training = model.training
    model.eval()  # dropout off
    correct, count = 0, 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(dim=1) == y).sum().item()
            count += len(y)  # the last batch may be short
    model.train(was_training)  # leave the model in the mode it came in
    return correct / count


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(16, 3))
data = TensorDataset(torch.randn(100, 2), torch.randint(0, 3, (100,)))
print("accuracy:", accuracy(model, DataLoader(data, batch_size=32)))
# --8<-- [end:accuracy_solution]

# --8<-- [start:accuracy_check]
torch.manual_seed(2)
for n_check, batch_check in ((100, 32), (70, 64), (50, 50)):
    model_check = nn.Sequential(nn.Linear(2, 16), nn.ReLU(),
                                nn.Dropout(0.5), nn.Linear(16, 3))
    x_check = torch.randn(n_check, 2)
    y_check = torch.randint(0, 3, (n_check,))
    # the reference: every example at once, dropout off by hand
    hidden_check = torch.relu(model_check[0](x_check))
    with torch.no_grad():
        predicted_check = model_check[3](hidden_check).argmax(dim=1)
    expected = (predicted_check == y_check).sum().item() / n_check
    model_check.train()  # as a model comes out of its training loop
    loader_check = DataLoader(TensorDataset(x_check, y_check),
                              batch_size=batch_check)
    got = float(accuracy(model_check, loader_check))
    # float32 answers are fine: one example changes the accuracy by 0.01+
    assert abs(got - expected) < 1e-6, (
        f"on {n_check} examples in batches of {batch_check} your accuracy "
        f"is {got:.4f}, but the model gets {expected:.4f} of them right")
print("Exercise 3: correct.")
# --8<-- [end:accuracy_check]
