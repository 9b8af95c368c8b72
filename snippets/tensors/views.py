# --8<-- [start:indexing]
import torch

x = torch.arange(12).reshape(3, 4)
print(x)
print("x[0]       =", x[0])  # the first row
print("x[:, 1]    =", x[:, 1])  # the second column
print("x[-1, -1]  =", x[-1, -1])  # counted from the end
print("x[1:, ::2] =", x[1:, ::2].tolist())  # rows 1.., every 2nd column
print("x[[0, 2]]  =", x[[0, 2]].tolist())  # rows 0 and 2, by a list
print("x[x > 8]   =", x[x > 8])  # the entries where the mask is True
# --8<-- [end:indexing]

# --8<-- [start:views]
row = x[0]  # a slice is a view: it shares x's memory
row[0] = 100
print("after row[0] = 100, x[0, 0] =", x[0, 0].item())

picked = x[[0, 2]]  # indexing by a list or a mask copies
picked[0, 0] = -1
print("after picked[0, 0] = -1, x[0, 0] =", x[0, 0].item())

flat = x.view(12)  # the same 12 numbers seen as one row: a view
print("view shares memory:", flat.data_ptr() == x.data_ptr())
print("view(2, -1):", tuple(x.view(2, -1).shape))  # -1: inferred
print("x.T contiguous?", x.T.is_contiguous())
try:
    x.T.view(12)
except RuntimeError as error:
    print("x.T.view(12): RuntimeError:", error)
flat_t = x.T.reshape(12)  # reshape copies when a view is impossible
print("x.T.reshape(12) shares memory:", flat_t.data_ptr() == x.data_ptr())
print("x.T.reshape(12):", flat_t.tolist())
copy = x.clone()  # an explicit copy
print("clone shares memory:", copy.data_ptr() == x.data_ptr())
# --8<-- [end:views]

# --8<-- [start:in_place]
a = torch.zeros(3)
b = a.add(1)  # a new tensor; a is unchanged
print("a.add(1):  a =", a, " b =", b)
a.add_(1)  # the trailing underscore: changes a itself
print("a.add_(1): a =", a)
a += 1  # augmented assignment is in place too
a.mul_(10)
print("a += 1; a.mul_(10):", a)
before = a
a = a + 1  # a new tensor, given the name a; the old one is unchanged
print("a = a + 1:", a, " the old tensor:", before)
a.fill_(0.5)
a.copy_(torch.tensor([1.0, 2.0, 3.0]))  # values from another tensor
print("a.fill_(0.5); a.copy_(...):", a)
# --8<-- [end:in_place]

# --8<-- [start:autograd_in_place]
w = torch.ones(3, requires_grad=True)  # a parameter
try:
    w.add_(1)
except RuntimeError as error:
    print("w.add_(1): RuntimeError:", error)
with torch.no_grad():  # an update is not part of the model's computation
    w.add_(1)
print("under no_grad:", w)

e = w.exp()  # exp saves its output for the backward pass...
e.add_(1)  # ...which this changes
try:
    e.sum().backward()
except RuntimeError as error:
    print("backward: RuntimeError:", str(error).split(" Hint")[0])
# --8<-- [end:autograd_in_place]

# --8<-- [start:dimensions]
v = torch.tensor([1.0, 2.0, 3.0])  # shape (3,)
print("v.unsqueeze(0):", tuple(v.unsqueeze(0).shape))  # a row
print("v.unsqueeze(1):", tuple(v.unsqueeze(1).shape))  # a column
print("v[:, None]:    ", tuple(v[:, None].shape))  # the same column
col = v.reshape(-1, 1)
print("col.squeeze(1):", tuple(col.squeeze(1).shape))  # back to (3,)
print("col.squeeze(0):", tuple(col.squeeze(0).shape))  # size 3: kept
pred = torch.ones(1, 1)  # predictions of shape (N, 1) for N = 1 example
print("squeeze(1) vs squeeze():", tuple(pred.squeeze(1).shape),
      tuple(pred.squeeze().shape))  # squeeze() drops N too

p = torch.zeros(2, 3)
q = torch.ones(2, 3)
print("cat dim 0:  ", tuple(torch.cat([p, q], dim=0).shape))
print("cat dim 1:  ", tuple(torch.cat([p, q], dim=1).shape))
print("stack dim 0:", tuple(torch.stack([p, q], dim=0).shape))
print("stack dim 2:", tuple(torch.stack([p, q], dim=2).shape))
# --8<-- [end:dimensions]
