"""Chapter 0, Tensors: every claim the page makes about creating, viewing, combining and rounding
tensors."""

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import DOCS, SNIPPETS, fence_options, snippet_sections
from torch import nn

PAGE = (DOCS / "tensors.md").read_text()


def alt_of(section: str) -> str:
    """The alt text of the fence that includes snippets/tensors/<section>."""
    return fence_options("tensors.md", f"tensors/{section}")["alt"]


@pytest.fixture(scope="module")
def creating(snippet):
    return snippet("tensors/creating.py")


@pytest.fixture(scope="module")
def views(snippet):
    return snippet("tensors/views.py")


@pytest.fixture(scope="module")
def arithmetic(snippet):
    return snippet("tensors/arithmetic.py")


@pytest.fixture(scope="module")
def broadcasting(snippet):
    return snippet("tensors/broadcasting.py")


@pytest.fixture(scope="module")
def floats(snippet):
    return snippet("tensors/floats.py")


def test_a_number_a_list_and_a_list_of_lists_have_0_1_and_2_dimensions(creating):
    s, v, m = creating["s"], creating["v"], creating["m"]
    assert [(t.ndim, tuple(t.shape)) for t in (s, v, m)] == [(0, ()), (1, (3,)), (2, (2, 3))]
    assert [t.numel() for t in (s, v, m)] == [math.prod(t.shape) for t in (s, v, m)] == [1, 3, 6]
    # "m[1, 2] is the entry in row 1, column 2 ... printed as tensor(6.)": a tensor with no dimensions
    assert m[1, 2].ndim == 0 and m[1, 2].item() == 6.0 == m.tolist()[1][2]


def test_arange_leaves_out_its_end_and_linspace_includes_both(creating):
    assert torch.arange(5).tolist() == list(range(5))
    assert torch.arange(0.0, 1.0, 0.25)[-1].item() < 1.0
    points = torch.linspace(0, 1, 5)
    assert len(points) == 5 and points[0].item() == 0.0 and points[-1].item() == 1.0


def test_a_seed_makes_the_global_generator_draw_the_same_numbers_and_a_generator_of_ones_own_is_apart(creating):
    torch.manual_seed(0)
    assert torch.equal(creating["first"], torch.randn(3))
    # A generator of one's own is not disturbed by draws from the global one, and vice versa.
    torch.manual_seed(0)
    own = torch.Generator().manual_seed(0)
    torch.randn(100)  # the global generator moves on...
    assert torch.equal(torch.randn(2, 3, generator=own), torch.randn(2, 3, generator=torch.Generator().manual_seed(0)))
    # "layers such as nn.Linear use [the global generator] to draw their initial weights"
    torch.manual_seed(0)
    first_layer = nn.Linear(3, 2).weight
    torch.manual_seed(0)
    assert torch.equal(first_layer, nn.Linear(3, 2).weight)


def test_converting_makes_a_new_tensor_unless_the_dtype_is_already_right(creating):
    t = creating["t"]
    assert t.float() is t and t.to(torch.float32) is t
    assert t.double() is not t and creating["labels"].long() is creating["labels"]


def test_the_default_dtypes_and_their_sizes(creating):
    assert torch.tensor([1.0]).dtype == torch.float32 == torch.get_default_dtype()
    assert torch.tensor([1]).dtype == torch.int64 and torch.tensor([True]).dtype == torch.bool
    assert creating["x64"].dtype == torch.float64
    assert torch.ones(1).element_size() == 4 and creating["x64"].element_size() == 8
    # "about 7 significant decimal digits" and "about 16": the bits of their significands
    assert round(math.log10(2**24)) == 7 and round(math.log10(2**53)) == 16


def test_class_labels_are_int64_and_cross_entropy_refuses_floats(creating):
    labels = creating["labels"]
    assert labels.dtype == torch.int64 and labels.tolist() == [0, 2, 1]
    assert creating["labels"].float().dtype == torch.float32
    # zero logits over 3 classes: every class has probability 1/3
    assert F.cross_entropy(creating["logits"], labels).item() == pytest.approx(math.log(3))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long"):
        F.cross_entropy(creating["logits"], labels.float())


def test_mixed_dtypes_are_promoted_and_a_float64_input_is_refused_by_a_float32_layer(creating):
    labels, x64 = creating["labels"], creating["x64"]
    assert (labels + torch.tensor(0.5)).dtype == torch.float32
    assert (torch.ones(2) + x64).dtype == torch.float64
    # a Python number, or a tensor with no dimensions, changes only the kind
    single_float64 = torch.tensor(1.0, dtype=torch.float64)
    assert (torch.ones(2) * 0.1).dtype == torch.float32 == (torch.ones(2) + single_float64).dtype
    assert (torch.tensor([1, 2]) * 0.5).dtype == torch.float32 and (torch.tensor([True]) + 1).dtype == torch.int64
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        torch.arange(5).mean()
    assert torch.arange(5).dtype == torch.int64 and torch.arange(5.0).mean().item() == 2.0
    assert (labels / 2).dtype == torch.float32 and (labels / 2).tolist() == [0.0, 1.0, 0.5]
    with pytest.raises(RuntimeError, match="dtype"):
        nn.Linear(2, 1)(x64.reshape(1, 2))


def test_to_returns_the_tensor_itself_when_nothing_changes_and_a_copy_otherwise(creating):
    t = creating["t"]
    assert t.device.type == "cpu" and creating["moved"] is t
    assert creating["doubled"].dtype == torch.float64 and t.dtype == torch.float32
    assert creating["doubled"].data_ptr() != t.data_ptr()


def test_tensors_on_two_devices_do_not_mix_except_a_single_number_on_the_cpu():
    # The rule is the same for every pair of devices; "meta" stands in for a GPU, which CI lacks.
    elsewhere = torch.ones(2, device="meta")
    with pytest.raises(RuntimeError, match="device"):
        elsewhere + torch.ones(2)
    assert (elsewhere + torch.tensor(1.0)).device.type == "meta"


def test_indexing_gives_the_entries_printed(views):
    x = torch.arange(12).reshape(3, 4)  # as the snippet made it, before its writes
    assert x[0].tolist() == [0, 1, 2, 3] and x[:, 1].tolist() == [1, 5, 9] and x[-1, -1].item() == 11
    assert x[1:, ::2].tolist() == [[4, 6], [8, 10]]
    assert x[[0, 2]].tolist() == [x[0].tolist(), x[2].tolist()]
    assert x[x > 8].tolist() == [9, 10, 11]


def test_a_slice_is_a_view_and_a_list_or_a_mask_index_copies(views):
    x = views["x"]
    assert x[0, 0].item() == 100  # written through `row`, not undone by `picked`
    assert views["row"].data_ptr() == x.data_ptr() and views["picked"].data_ptr() != x.data_ptr()
    before = x.clone()
    masked = x[x > 8]
    masked[0] = -7
    assert torch.equal(x, before)  # the write went into the mask's copy


def test_view_reshape_and_contiguity(views):
    x = views["x"]
    assert views["flat"].data_ptr() == x.data_ptr() and x.view(2, -1).shape == (2, 6)
    assert x.is_contiguous() and not x.T.is_contiguous()
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        x.T.view(12)
    # reshape: a view when it can, a copy when it must, and the copy lists x's columns in turn
    assert x.reshape(4, 3).data_ptr() == x.data_ptr()
    assert views["flat_t"].data_ptr() != x.data_ptr()
    assert views["flat_t"].tolist() == [x[i, j].item() for j in range(4) for i in range(3)]
    assert torch.equal(x.T.contiguous().view(12), views["flat_t"])
    assert views["copy"].data_ptr() != x.data_ptr() and torch.equal(views["copy"], x)


def test_in_place_operations_change_the_tensor_itself(views):
    a = torch.zeros(3)
    address = a.data_ptr()
    assert torch.equal(a.add(1), torch.ones(3)) and torch.equal(a, torch.zeros(3))
    a += 1
    assert a.data_ptr() == address and torch.equal(a, torch.ones(3))
    assert views["a"].tolist() == [1.0, 2.0, 3.0]  # after fill_ and copy_, as printed
    assert views["b"].tolist() == [1.0, 1.0, 1.0]
    # "a = a + 1 is not [in place]": a new tensor, the old one unchanged
    assert views["before"].tolist() == [20.0, 20.0, 20.0] and views["before"].data_ptr() != views["a"].data_ptr()


def test_autograd_refuses_in_place_changes_to_a_leaf_and_to_a_saved_tensor(views):
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.add_(1)
    assert views["w"].tolist() == [2.0, 2.0, 2.0] and views["w"].is_leaf  # changed under no_grad
    # "exp keeps its result, whose derivative it is"
    e = w.exp()
    assert torch.equal(e.grad_fn._saved_result, e)
    e.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        e.sum().backward()


def test_the_chapters_cited_change_parameters_in_place_under_no_grad():
    neuron = dict(snippet_sections(SNIPPETS / "forward_propagation" / "neuron.py"))["nn_linear"]
    under_no_grad = r"with torch\.no_grad\(\):\n(    .*\n)*"
    assert re.search(under_no_grad + r"    neuron\.weight\.copy_\(.*\n    neuron\.bias\.fill_", neuron)
    training = (SNIPPETS / "backpropagation" / "training.py").read_text()
    assert re.search(r"with torch\.no_grad\(\):.*\n(\s+.*\n)*?\s+\w+ -= ", training)


def test_adding_and_removing_dimensions(views):
    v = views["v"]
    assert v.unsqueeze(0).shape == (1, 3) and v.unsqueeze(1).shape == v[:, None].shape == (3, 1)
    assert views["col"].squeeze(1).shape == (3,)
    # squeeze() without a dimension drops N too when N = 1
    assert views["pred"].squeeze(1).shape == (1,) and views["pred"].squeeze().shape == ()
    assert views["col"].squeeze(0).shape == (3, 1)  # not of size 1: nothing happens, and no error
    p, q = views["p"], views["q"]
    assert torch.cat([p, q]).shape == (4, 3) and torch.cat([p, q], dim=1).shape == (2, 6)
    assert torch.stack([p, q]).shape == (2, 2, 3) and torch.stack([p, q], dim=2).shape == (2, 3, 2)
    assert torch.equal(torch.stack([p, q])[1], q)  # side by side along the new dimension


def test_elementwise_is_entry_by_entry_and_not_the_matrix_product(arithmetic):
    a, b = arithmetic["a"], arithmetic["b"]
    assert (a * b).tolist() == [[x * y for x, y in zip(r, s)] for r, s in zip(a.tolist(), b.tolist())]
    assert not torch.equal(a * b, a @ b)
    assert a.clamp(min=2.5).tolist() == [[max(x, 2.5) for x in row] for row in a.tolist()]


def test_a_reduction_removes_the_dimension_it_names(arithmetic):
    x = arithmetic["x"]
    rows = x.tolist()
    assert x.sum().item() == sum(map(sum, rows)) and x.sum().ndim == 0
    assert x.sum(dim=0).tolist() == [sum(column) for column in zip(*rows)]  # down the rows: (4,)
    assert x.sum(dim=1).tolist() == [sum(row) for row in rows]  # along each row: (3,)
    assert x.sum(dim=0, keepdim=True).shape == (1, 4) and x.sum(dim=1, keepdim=True).shape == (3, 1)
    assert arithmetic["values"].tolist() == [max(row) for row in rows]
    assert arithmetic["indices"].tolist() == [row.index(max(row)) for row in rows] == x.argmax(dim=1).tolist()
    assert len(set(arithmetic["indices"].tolist())) == 3  # the maxima are in different columns


def test_the_reduction_figure_shows_x_and_its_sums(arithmetic):
    x = arithmetic["x"]
    alt = alt_of("arithmetic.py:reduction_figure")
    as_words = lambda t: " ".join(f"{v:g}" for v in t.tolist())  # noqa: E731
    for row in x:
        assert as_words(row) in alt
    assert as_words(x.sum(dim=0)) in alt and as_words(x.sum(dim=1)) in alt
    assert alt.count("keepdim=True") == 2


def test_keepdim_lines_the_means_up_with_the_rows_and_without_it_a_square_matrix_goes_silently_wrong(arithmetic):
    x, centred = arithmetic["x"], arithmetic["centred"]
    assert torch.allclose(centred.mean(dim=1), torch.zeros(3))
    with pytest.raises(RuntimeError, match="must match"):
        x - x.mean(dim=1)
    square = x[:, :3]
    wrong = square - square.mean(dim=1)  # no error...
    assert not torch.allclose(wrong.mean(dim=1), torch.zeros(3), atol=1e-3)  # ...and wrong
    assert torch.allclose(wrong[:, 1], square[:, 1] - square[1].mean())  # row 1's mean from column 1


def test_matrix_products(arithmetic):
    X, W = arithmetic["X"], arithmetic["W"]
    assert (X @ W.T).shape == (2, 4) and torch.equal(X @ W.T, torch.matmul(X, W.T))
    v, u = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])
    assert (v @ u).item() == torch.dot(v, u).item() == 11.0
    assert (X @ torch.ones(3)).shape == (2,)
    with pytest.raises(RuntimeError, match=r"\(2x3 and 4x3\)"):
        X @ W
    batch = arithmetic["batch"]
    assert (batch @ W.T).shape == (5, 2, 4)
    assert torch.equal((batch @ W.T)[3], batch[3] @ W.T)  # each matrix of the batch multiplied


def broadcast_table() -> list[list[str]]:
    """The rows of the page's table of broadcast shapes: first, second, lined up, result."""
    section = PAGE.split("## Broadcasting")[1]
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `(")
    ]


def shape(cell: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", cell))


def test_the_table_of_broadcast_shapes_is_what_torch_computes():
    rows = broadcast_table()
    assert len(rows) == 4
    for first, second, lined_up, result in rows:
        a, b = shape(first), shape(second)
        padded = (1,) * (len(a) - len(b)) + b  # the missing dimensions count as 1, on the left
        assert [shape(part) for part in re.findall(r"`\([^`]*\)`", lined_up)] == [a, padded]
        if result == "error":
            with pytest.raises(RuntimeError):
                torch.broadcast_shapes(a, b)
        else:
            assert torch.broadcast_shapes(a, b) == shape(result)


def test_broadcasting_adds_the_row_to_every_row_and_a_column_and_a_row_make_every_pair(broadcasting):
    x, row, column = broadcasting["x"], broadcasting["row"], broadcasting["column"]
    assert torch.equal(x + row, torch.stack([r + row for r in x]))
    table = column + row
    assert table.tolist() == [[c + r for r in row.tolist()] for c in column.squeeze(1).tolist()]
    # "without copying anything in memory": expand reads the same storage with a step of 0
    assert column.expand(3, 4).data_ptr() == column.data_ptr() and column.expand(3, 4).stride()[1] == 0
    alt = alt_of("broadcasting.py:figure")
    figure_table = broadcasting["col3"] + broadcasting["row4"]
    assert all(f"{v:g}" in alt for v in figure_table.flatten().tolist())


def test_the_trap_averages_a_table_of_every_prediction_against_every_target(broadcasting):
    pred, y, diff = broadcasting["pred"], broadcasting["y"], broadcasting["diff"]
    assert diff.shape == (3, 3) and torch.equal(diff.diagonal(), torch.zeros(3))  # the right pairs
    squares = [(p - t) ** 2 for p in pred.squeeze(1).tolist() for t in y.tolist()]
    assert (diff**2).mean().item() == pytest.approx(sum(squares) / 9) == pytest.approx(1.3333, abs=5e-5)
    assert broadcasting["fixed_y"].item() == broadcasting["fixed_pred"].item() == 0.0
    assert torch.equal(y.unsqueeze(1), y.reshape(-1, 1))
    # "a model trained on such a loss learns to predict the mean of the targets"
    p = torch.zeros(3, 1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=1.0)
    for _ in range(200):
        optimizer.zero_grad()
        ((p - y) ** 2).mean().backward()
        optimizer.step()
    assert torch.allclose(p.detach().squeeze(1), y.mean().expand(3), atol=1e-5)


def test_from_numpy_shares_memory_and_dtype_and_torch_tensor_copies(snippet):
    interop = snippet("tensors/interop.py")
    array, shared, copied = interop["array"], interop["shared"], interop["copied"]
    assert np.shares_memory(array, shared.numpy()) and shared.dtype == torch.float64 == copied.dtype
    assert copied[0].item() == 1.0 and shared[0].item() == 100.0  # after array[0] = 100
    assert interop["as_float32"].dtype == torch.float32 and not np.shares_memory(array, interop["as_float32"].numpy())
    assert array[1] == -5.0 and np.shares_memory(array, interop["back"])
    with pytest.raises(RuntimeError, match="requires grad"):
        interop["w"].numpy()
    assert interop["w"].detach().data_ptr() == interop["w"].data_ptr()  # shares the memory, not the recording
    assert interop["features"].shape == (3, 2) and interop["target"].shape == (3,)
    assert interop["features"].dtype == interop["target"].dtype == torch.float32


def test_the_legacy_constructor_copies_to_float32_and_reads_an_integer_as_a_size(snippet):
    interop = snippet("tensors/interop.py")
    old = interop["old"]
    assert old.dtype == torch.float32 and not np.shares_memory(interop["array"], old.numpy())
    assert torch.equal(old, torch.tensor(interop["array"], dtype=torch.float32))
    assert torch.FloatTensor([3]).tolist() == [3.0] and torch.FloatTensor(3).shape == (3,)
    # "a float32 array it would share, as from_numpy does"
    single = np.ones(3, dtype=np.float32)
    assert np.shares_memory(single, torch.FloatTensor(single).numpy())


def test_item_printing_and_rounding(floats):
    loss = floats["loss"]
    assert isinstance(loss.item(), float) and loss.ndim == 0
    assert f"{loss.item():.4f}" == "0.2917"
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        torch.tensor([1.0, 2.0]).item()
    assert str(floats["third"]) == "tensor(0.3333)" and floats["third"].item() != 1 / 3
    assert f"{torch.tensor(0.1).item():.12f}" == "0.100000001490"
    f64 = torch.float64
    assert (torch.tensor(0.1, dtype=f64) + 0.2 != 0.3).item()


def test_float32_limits(floats):
    info = torch.finfo(torch.float32)
    assert info.eps == 2.0**-23 and f"{info.eps:.3g}" == "1.19e-07"
    assert f"{info.max:.2g}" == "3.4e+38" and f"{info.tiny:.2g}" == "1.2e-38"
    big = floats["big"]
    assert big.item() == 2**24 == 16_777_216 and (big + 1 == big).item()
    # the gap is 1 just below 2**24 and 2 from it on
    assert (torch.nextafter(big, torch.tensor(math.inf)) - big).item() == 2.0
    assert ((big - 2) + 1 != big - 2).item()
    p, q, r = floats["p"], floats["q"], floats["r"]
    assert [p.item(), q.item(), r.item()] == [1e8, -1e8, 1.0]
    assert ((p + q) + r).item() == 1.0 and (p + (q + r)).item() == 0.0


def test_the_float32_sum_differs_from_the_float64_one_in_its_eighth_significant_digit(floats):
    in_float32, in_float64 = floats["in_float32"].item(), floats["in_float64"].item()
    assert f"{in_float32:.7g}" == f"{in_float64:.7g}" and f"{in_float32:.8g}" != f"{in_float64:.8g}"
    assert len(floats["x"]) == 100_000


def test_the_gap_between_neighbours_grows_in_proportion_to_the_number(floats):
    values = floats["values"]
    alt = alt_of("floats.py:spacing")
    for dtype in (torch.float32, torch.float64):
        v = values.to(dtype)
        gap = (torch.nextafter(v, torch.tensor(math.inf, dtype=dtype)) - v).double()
        eps = torch.finfo(dtype).eps
        # "at most eps times the number" (and more than half that: a staircase of slope 1)
        assert (gap <= eps * v.double()).all() and (gap > eps * v.double() / 2).all()
        assert f"{eps:.1e}" in alt
    orders = math.log10(torch.finfo(torch.float32).eps / torch.finfo(torch.float64).eps)
    assert round(orders) == 9 and "9 orders of magnitude" in alt
    assert f"{2.0**24:.1e}" == "1.7e+07" and "1.7e7" in alt
    assert values.min().item() == pytest.approx(1e-6) and values.max().item() == pytest.approx(1e8)


def test_allclose_combines_a_relative_and_an_absolute_tolerance(floats):
    a, b = floats["a"], floats["b"]
    assert (a - b).abs().le(1e-8 + 1e-5 * b.abs()).all() and torch.allclose(a, b)
    assert not torch.allclose(a, b, atol=0)
    # "for the third entry, 1e-9, the relative tolerance allows only 2e-14"
    assert 1e-5 * b[2].item() == pytest.approx(2e-14, rel=1e-3)
    assert (a - b).abs()[2].item() > 1e-5 * b[2].item()
    # "9.5e-07, not 1e-06, because 1 + 1e-6 is itself rounded in float32"
    assert f"{(b - a)[0].item():.1e}" == "9.5e-07" and (b - a)[0].item() != 1e-6


# Typical wrong answers to each exercise, and what its check must say (tests/test_exercises.py).
_SHAPES = (
    "def predicted_shapes():\n"
    "    return {{'a + b': {ab}, 'x + b': (2, 3), 'x + a': {xa}, 'x.sum(dim=0)': {sum0},\n"
    "            'x.mean(dim=1, keepdim=True)': (2, 1), 'x @ b': (2,), 'x.T @ x': (3, 3),\n"
    "            'torch.stack([x, x])': {stack}, 'torch.cat([x, x], dim=1)': (2, 6), 'a.squeeze()': (4,)}}\n"
)
_RIGHT = {"ab": "(4, 3)", "xa": "None", "sum0": "(3,)", "stack": "(2, 2, 3)"}
WRONG_ANSWERS = {
    "shapes": [
        # broadcasting taken to line shapes up from the left: (4, 1) with (3, 1) is an error
        (_SHAPES.format(**{**_RIGHT, "ab": "None"}), "a + b: you predicted None, but torch gives (4, 3)"),
        # a size 1 thought to fit anything, so (2, 3) + (4, 1) taken for (4, 3)
        (_SHAPES.format(**{**_RIGHT, "xa": "(4, 3)"}), "x + a: you predicted (4, 3), but torch raises an error"),
        # a one-dimensional shape written without its comma: the number 3
        (_SHAPES.format(**{**_RIGHT, "sum0": "(3)"}), "write a shape as a tuple"),
        # the dimension named taken for the one kept
        (_SHAPES.format(**{**_RIGHT, "sum0": "(2,)"}), "x.sum(dim=0): you predicted (2,)"),
        # stack taken for cat
        (_SHAPES.format(**{**_RIGHT, "stack": "(4, 3)"}), "torch.stack([x, x]): you predicted (4, 3)"),
    ],
    "centre": [
        # the means as a row: silently wrong on a square matrix
        ("def centre_rows(x):\n    return x - x.mean(dim=1)\n", "for x of shape (3, 3), row 0 of your result"),
        # the columns centred instead
        ("def centre_rows(x):\n    return x - x.mean(dim=0)\n", "for x of shape (3, 3), row 0 of your result"),
        # the mean of the whole matrix
        ("def centre_rows(x):\n    return x - x.mean()\n", "for x of shape (3, 3), row 0 of your result"),
        # standardised rather than centred: the rows' means are 0, but not their values
        (
            "def centre_rows(x):\n    m = x.mean(dim=1, keepdim=True)\n"
            "    return (x - m) / x.std(dim=1, keepdim=True)\n",
            "minus its mean is",
        ),
        # a reduction where the shape must stay
        ("def centre_rows(x):\n    return x.mean(dim=1, keepdim=True)\n", "your result has shape (3, 1)"),
    ],
    "lost": [
        # Python's floats, whatever the dtype: 2**53
        (
            "def first_lost_power(dtype):\n    p = 1.0\n    while p + 1 != p:\n        p *= 2\n    return int(p)\n",
            "for torch.float16 you give 9007199254740992",
        ),
        # the default float32, whatever the dtype
        (
            "def first_lost_power(dtype):\n    p = 1\n"
            "    while torch.tensor(float(p)) + 1 != torch.tensor(float(p)):\n        p *= 2\n    return p\n",
            "for torch.float16 you give 16777216",
        ),
        # 1 / eps: the gap there is 1, and p + 1 is still a number of its own
        (
            "def first_lost_power(dtype):\n    return round(1 / torch.finfo(dtype).eps)\n",
            "for torch.float16 you give 1024, the last power of two that still grows by 1",
        ),
    ],
}
