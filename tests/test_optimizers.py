"""Chapter 6, Optimizers and torch.optim: each from-scratch optimizer equals its torch.optim twin."""

import pytest
import torch


@pytest.fixture(scope="module")
def scratch(snippet):
    return snippet("optimizers/from_scratch.py")


@pytest.mark.parametrize(
    ("step", "optimizer", "torch_hyper", "scratch_hyper"),
    [
        ("momentum_step", torch.optim.SGD, dict(lr=0.01, momentum=0.9), dict(lr=0.01, mu=0.9)),
        ("adagrad_step", torch.optim.Adagrad, dict(lr=0.1), dict(lr=0.1)),
        ("rmsprop_step", torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, eps=1e-6), dict(lr=0.01, alpha=0.9, eps=1e-6)),
        ("adadelta_step", torch.optim.Adadelta, dict(lr=0.5, rho=0.8), dict(lr=0.5, rho=0.8)),
        ("adam_step", torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.99)), dict(lr=0.05, beta1=0.8, beta2=0.99)),
    ],
)
def test_from_scratch_equals_torch_optim_on_a_regression(scratch, step, optimizer, torch_hyper, scratch_hyper):
    """60 steps on a 5-parameter least-squares problem (other hyper-parameters than the page's)."""
    torch.manual_seed(3)
    X, y = torch.randn(40, 5, dtype=torch.float64), torch.randn(40, dtype=torch.float64)
    start = torch.randn(5, dtype=torch.float64)

    def loss(w):
        return ((X @ w - y) ** 2).mean()

    theirs = start.clone().requires_grad_()
    opt = optimizer([theirs], **torch_hyper)
    ours, state = start.clone(), {}
    for _ in range(60):
        opt.zero_grad()
        loss(theirs).backward()
        opt.step()
        q = ours.clone().requires_grad_()
        loss(q).backward()
        ours = scratch[step](ours, q.grad, state, **scratch_hyper)
        assert torch.allclose(ours, theirs.detach(), rtol=0, atol=1e-12)
    assert not torch.equal(ours, start)


def test_the_page_comparison_agrees_to_rounding(scratch):
    assert set(scratch["differences"]) == {"Momentum", "AdaGrad", "RMSProp", "AdaDelta", "Adam"}
    assert all(difference < 1e-12 for difference in scratch["differences"].values())


def test_momentum_first_step_is_plain_sgd_and_adam_first_step_is_lr_sized(scratch):
    g = torch.tensor([0.3, -4.0], dtype=torch.float64)
    p = torch.zeros(2, dtype=torch.float64)
    assert torch.allclose(scratch["momentum_step"](p, g, {}, lr=0.1), -0.1 * g)
    # Bias correction makes Adam's first step lr * g / |g|: every parameter moves by about lr.
    assert torch.allclose(scratch["adam_step"](p, g, {}, lr=0.1), -0.1 * torch.sign(g), atol=1e-7)


def test_the_race_ranks_as_the_page_says(snippet):
    losses = {name.split(" ")[0]: values[-1] for name, values in snippet("optimizers/race.py")["losses"].items()}
    assert losses["RMSProp"] < 1e-4 and losses["Adam"] < 1e-4 and losses["AdaGrad"] < 1e-3
    assert losses["Momentum"] < losses["SGD"]
    assert min(losses["SGD"], losses["Momentum"]) > 10 * max(losses["AdaGrad"], losses["RMSProp"], losses["Adam"])


def test_adagrad_effective_learning_rate_shrinks_rmsprops_does_not(snippet):
    run = snippet("optimizers/effective_lr.py")
    adagrad, rmsprop = run["adagrad_lr"], run["rmsprop_lr"]
    assert all(a > b for a, b in zip(adagrad, adagrad[1:]))
    assert adagrad[-1] < adagrad[0] / 50 and adagrad[-1] < 0.01 < 0.3 < adagrad[0]
    assert rmsprop[-1] == pytest.approx(0.1, rel=0.2)  # about lr / |g| with |g| about 1


def test_torch_optim_usage(snippet):
    usage = snippet("optimizers/usage.py")
    assert torch.optim.SGD(usage["linear_model"].parameters()).defaults["lr"] == 0.001
    assert torch.optim.Adam(usage["linear_model"].parameters()).defaults["lr"] == 0.001
    groups = usage["optimizer"].param_groups
    assert [group["lr"] for group in groups] == [0.1]  # the last optimizer: Adam with one group
    model = usage["model"]
    assert not torch.equal(usage["before"][0], model[0].weight.detach())
    assert torch.equal(usage["before"][1], model[0].bias.detach())  # no .grad: skipped
    assert set(usage["optimizer"].state[model[2].weight]) == {"step", "exp_avg", "exp_avg_sq"}


def test_parameter_groups_keep_their_own_learning_rate():
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    optimizer = torch.optim.SGD(
        [{"params": model[0].parameters(), "lr": 0.01}, {"params": model[2].parameters()}], lr=0.1
    )
    model(torch.ones(1, 3)).sum().backward()
    before = model[2].bias.detach().clone(), model[0].bias.detach().clone()
    optimizer.step()
    assert torch.allclose(model[2].bias.detach(), before[0] - 0.1 * model[2].bias.grad)
    assert torch.allclose(model[0].bias.detach(), before[1] - 0.01 * model[0].bias.grad)
