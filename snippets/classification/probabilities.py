# --8<-- [start:softmax]
import torch

# A 3-class model's scores for 4 examples: one logit per class, any real
logits = torch.tensor([[2.0, 1.0, 0.1],
                       [0.5, 2.5, -1.0],
                       [-1.0, 0.0, 3.0],
                       [1.2, 1.0, 0.9]])
exp = logits.exp()  # every score made positive
probs = exp / exp.sum(dim=1, keepdim=True)  # each row over its own sum
print("softmax by hand:\n", probs)
print("equals torch.softmax:",
      torch.allclose(probs, torch.softmax(logits, dim=1)))
print("row sums:", probs.sum(dim=1))
# the same number added to every logit of a row cancels out
shifted = torch.softmax(logits - 100.0, dim=1)
print("softmax(z - 100) equals softmax(z):", torch.allclose(shifted, probs))
# --8<-- [end:softmax]

# --8<-- [start:overflow]
big = torch.tensor([[1000.0, 999.0, 990.0]])  # float32, the default
print("largest float32:", torch.finfo(torch.float32).max)
print("e^88, e^89 in float32:", torch.tensor([88.0, 89.0]).exp())
naive = big.exp() / big.exp().sum(dim=1, keepdim=True)  # inf / inf
print("naive softmax:      ", naive)
# subtract each row's largest logit: the largest term becomes e^0 = 1
top = big.max(dim=1, keepdim=True).values
stable = (big - top).exp() / (big - top).exp().sum(dim=1, keepdim=True)
print("max subtracted:     ", stable)
print("torch.softmax:      ", torch.softmax(big, dim=1))
# --8<-- [end:overflow]

# --8<-- [start:accuracy]
labels = torch.tensor([0, 1, 2, 2])  # the correct class of each example
predicted = logits.argmax(dim=1)  # the class with the largest logit
print("predicted:", predicted)
print("argmax of the probabilities is the same:",
      torch.equal(probs.argmax(dim=1), predicted))
correct = predicted == labels
print("correct:  ", correct)
accuracy = correct.float().mean().item()
print("accuracy: ", accuracy)
print("probability of the predicted class:",
      probs.max(dim=1).values)
# --8<-- [end:accuracy]
