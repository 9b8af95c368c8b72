# --8<-- [start:given]
import torch

# The data: 500 examples, 3 features, a linear target with a little noise.
generator = torch.Generator().manual_seed(7)
X = torch.randn(500, 3, generator=generator)
y = (X @ torch.tensor([2.0, -1.0, 0.5]) + 1.0
     + 0.1 * torch.randn(500, generator=generator))


def check(model, X=X.clone(), y=y.clone()):
    """Compare the model's weights and bias with least squares, the best
    linear fit to the data above; True if none is off by more than 0.05.
    X and y are copied when check is defined, so a program that later
    reuses those names does not change what check compares with."""
    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)
    best = torch.linalg.lstsq(A, y.reshape(-1, 1)).solution.flatten()
    learned = torch.cat([model.weight.detach().flatten(),
                         model.bias.detach()])
    gap = (learned - best).abs().max().item()
    print("least squares:", [round(v, 4) for v in best.tolist()])
    print(f"largest gap from least squares: {gap:.4f}",
          "(passed)" if gap < 0.05 else "(not yet: more steps, another "
          "learning rate, or check the shapes of prediction and target)")
    return gap < 0.05
# --8<-- [end:given]
