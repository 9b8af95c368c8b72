# --8<-- [start:record]
import torch
from torch import nn


def two_steps(zero_grad):
    """Two training steps on this page's batch; after each line, record the
    first weight, weight[0, 0], and its .grad (None while there is none)."""
    torch.manual_seed(0)  # the same batch and model as above
    x, y = torch.randn(8, 13), torch.randn(8)
    linear_model = nn.Linear(13, 1)
    optimizer = torch.optim.SGD(linear_model.parameters(), lr=0.1)
    weight = linear_model.weight
    record = []

    def note(line):
        grad = None if weight.grad is None else weight.grad[0, 0].item()
        record.append((line, weight[0, 0].item(), grad))

    note("start")
    for _ in range(2):
        if zero_grad:
            optimizer.zero_grad()
        note("zero_grad()")
        pre_y = linear_model(x)
        note("forward")
        loss = nn.MSELoss()(pre_y, y.reshape(-1, 1))
        note("loss")
        loss.backward()
        note("backward()")
        optimizer.step()
        note("step()")
    return record


with_zero, without_zero = two_steps(True), two_steps(False)


def shown(grad):
    return "None" if grad is None else f"{grad:.4f}"


print(f"{'':12}{'with zero_grad()':>20}   {'without zero_grad()':>20}")
print(f"{'after':12}{'weight':>10}{'.grad':>10}   {'weight':>10}{'.grad':>10}")
for (line, w1, g1), (_, w2, g2) in zip(with_zero, without_zero):
    print(f"{line:12}{w1:10.4f}{shown(g1):>10}   {w2:10.4f}{shown(g2):>10}")
# --8<-- [end:record]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

lines = [line for line, _, _ in with_zero]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 5.4), sharex=True,
                                  layout="constrained")
runs = [(with_zero, "#0072B2", "#0072B2", "-", "o", "with zero_grad()", 0.93),
        (without_zero, "#D55E00", "#B85100", "--", "s", "without zero_grad()",
         0.80)]
for record, colour, text_colour, style, marker, name, height in runs:
    steps = range(len(record))
    # each value holds from the line that set it to the next line
    top.plot(steps, [w for _, w, _ in record], color=colour,
             linestyle=style, marker=marker, linewidth=2,
             drawstyle="steps-post", label=name)
    # None is not a number: no point and a gap, labelled "None"
    grads = [float("nan") if g is None else g for _, _, g in record]
    bottom.plot(steps, grads, color=colour, linestyle=style, marker=marker,
                linewidth=2, drawstyle="steps-post", label=name)
    for step, (_, _, grad) in enumerate(record):
        if grad is None:
            bottom.text(step, height, "None", color=text_colour, fontsize=8,
                        ha="center", transform=bottom.get_xaxis_transform())
for ax in (top, bottom):
    ax.axvline(5.5, color="#000000", linestyle=":", linewidth=1)
for middle, name in [(2.75, "step 1"), (8.25, "step 2")]:
    top.text(middle, 0.95, name, ha="center", va="top",
             transform=top.get_xaxis_transform())
top.set(ylabel="weight[0, 0]",
        title="Two training steps, one line at a time")
top.legend(fontsize=8, loc="center left")
bottom.set(ylabel="weight.grad[0, 0]")
bottom.set_ylim(-0.8, -0.25)
bottom.set_xticks(range(len(lines)), lines, rotation=35, ha="right")
plt.show()
# --8<-- [end:plot]
