# --8<-- [start:race]
import torch


def f(p):
    # a long, narrow valley: curvature 0.02 along x, 2 along y
    return 0.01 * p[0] ** 2 + p[1] ** 2


contestants = {
    "SGD (lr 0.9)": (torch.optim.SGD, dict(lr=0.9)),
    "Momentum (lr 0.1, 0.9)": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    "AdaGrad (lr 1.0)": (torch.optim.Adagrad, dict(lr=1.0)),
    "RMSProp (lr 0.1)": (torch.optim.RMSprop, dict(lr=0.1)),
    "Adam (lr 0.5)": (torch.optim.Adam, dict(lr=0.5)),
}
paths, losses = {}, {}
for name, (optimizer_class, hyper) in contestants.items():
    p = torch.tensor([-9.0, 2.0], dtype=torch.float64, requires_grad=True)
    optimizer = optimizer_class([p], **hyper)
    paths[name], losses[name] = [p.detach().clone()], [f(p).item()]
    for _ in range(100):
        optimizer.zero_grad()
        f(p).backward()
        optimizer.step()
        paths[name].append(p.detach().clone())
        losses[name].append(f(p).item())
    print(f"{name:24} loss after 100 steps: {losses[name][-1]:.2e}")
# --8<-- [end:race]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

styles = dict(zip(contestants, [("#000000", "-"), ("#0072B2", "--"),
                                 ("#009E73", "-."), ("#D55E00", ":"),
                                 ("#CC79A7", "-")]))
xs, ys = torch.meshgrid(torch.linspace(-10, 3, 200),
                        torch.linspace(-3, 3, 200), indexing="xy")
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained")
left.contour(xs, ys, 0.01 * xs**2 + ys**2, levels=12, colors="#999999",
             linewidths=0.6)
for name, path in paths.items():
    colour, line = styles[name]
    track = torch.stack(path)
    left.plot(track[:, 0], track[:, 1], color=colour, linestyle=line,
              linewidth=1.5, label=name)
    right.semilogy(losses[name], color=colour, linestyle=line, linewidth=1.5,
                   label=name)
left.plot(0, 0, "k*", markersize=10)
left.set(xlabel="x", ylabel="y", title="paths from (-9, 2)")
right.set(xlabel="step", ylabel="loss (log scale)", title="loss")
right.legend(fontsize=7)
plt.show()
# --8<-- [end:plot]
