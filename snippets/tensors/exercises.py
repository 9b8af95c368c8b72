# --8<-- [start:shapes_question]
import torch

a = torch.ones(4, 1)
b = torch.ones(3)
x = torch.ones(2, 3)
expressions = [
    "a + b",
    "x + b",
    "x + a",
    "x.sum(dim=0)",
    "x.mean(dim=1, keepdim=True)",
    "x @ b",
    "x.T @ x",
    "torch.stack([x, x])",
    "torch.cat([x, x], dim=1)",
    "a.squeeze()",
]
# --8<-- [end:shapes_question]

# --8<-- [start:shapes_task]
def predicted_shapes():
    """Return your prediction, made without running the expressions:
    a dict that maps each string in `expressions` to the shape of its
    result as a tuple, such as (2, 3), or to None if it raises an
    error."""
    raise NotImplementedError("Exercise 1: write your code here")
# --8<-- [end:shapes_task]

# --8<-- [start:shapes_solution]
def predicted_shapes():
    return {
        "a + b": (4, 3),  # (4, 1) and (1, 3): every pair
        "x + b": (2, 3),  # b is added to each row
        "x + a": None,  # 3 against 1 is fine, 2 against 4 is not
        "x.sum(dim=0)": (3,),  # dim 0 is summed away
        "x.mean(dim=1, keepdim=True)": (2, 1),  # kept, as size 1
        "x @ b": (2,),  # (2, 3) @ (3,): a matrix times a vector
        "x.T @ x": (3, 3),
        "torch.stack([x, x])": (2, 2, 3),  # a new first dimension
        "torch.cat([x, x], dim=1)": (2, 6),  # longer rows
        "a.squeeze()": (4,),  # every size-1 dimension dropped
    }


for expression, shape in predicted_shapes().items():
    print(f"{expression:28} -> {shape}")
# --8<-- [end:shapes_solution]

# --8<-- [start:shapes_check]
def actual_shape(expression):
    """The shape of the expression's result, or None if it raises."""
    try:
        return tuple(eval(expression).shape)
    except RuntimeError:
        return None


got_shapes = predicted_shapes()
for expression in expressions:
    assert expression in got_shapes, f"your dict has no {expression!r}"
    got = got_shapes[expression]
    assert got is None or isinstance(got, (tuple, list, torch.Size)), (
        f"{expression}: write a shape as a tuple, such as (3,) (but (3) "
        f"is the number 3), or None for an error, not {got!r}")
    got = None if got is None else tuple(got)
    expected = actual_shape(expression)
    assert got == expected, (
        f"{expression}: you predicted {got}, but torch "
        + ("raises an error" if expected is None else f"gives {expected}"))
print("Exercise 1 is correct: every shape as torch computes it.")
# --8<-- [end:shapes_check]

# --8<-- [start:centre_task]
def centre_rows(x):
    """Return x, a float tensor of shape (N, n), with the mean of each
    row subtracted from that row, without a Python loop."""
    raise NotImplementedError("Exercise 2: write your code here")
# --8<-- [end:centre_task]

# --8<-- [start:centre_solution]
def centre_rows(x):
    return x - x.mean(dim=1, keepdim=True)  # (N, n) - (N, 1)


square = torch.tensor([[1.0, 2.0, 3.0],
                       [10.0, 20.0, 60.0],
                       [0.0, 0.0, 3.0]])
print(centre_rows(square))
# --8<-- [end:centre_solution]

# --8<-- [start:centre_check]
check_generator = torch.Generator().manual_seed(1)
for shape_check in [(3, 3), (2, 5), (1, 4), (6, 2)]:
    x_check = torch.randn(shape_check, generator=check_generator)
    expected = torch.stack([row - row.sum() / len(row) for row in x_check])
    got = centre_rows(x_check.clone())
    assert tuple(got.shape) == shape_check, (
        f"for x of shape {shape_check} your result has shape "
        f"{tuple(got.shape)}")
    wrong_rows = (got - expected).abs().amax(dim=1) > 1e-6
    first_wrong = int(wrong_rows.int().argmax())
    got_row, expected_row = ([round(v, 4) for v in t[first_wrong].tolist()]
                             for t in (got, expected))
    assert not wrong_rows.any(), (
        f"for x of shape {shape_check}, row {first_wrong} of your result is "
        f"{got_row}, but that row minus its mean is {expected_row}")
print("Exercise 2 is correct: every row minus its own mean.")
# --8<-- [end:centre_check]

# --8<-- [start:lost_task]
def first_lost_power(dtype):
    """Return, as a Python int, the smallest power of two p for which
    p + 1 == p when p is a tensor of the floating-point type dtype
    (such as torch.float32): where adding 1 is lost to rounding."""
    raise NotImplementedError("Exercise 3: write your code here")
# --8<-- [end:lost_task]

# --8<-- [start:lost_solution]
def first_lost_power(dtype):
    p = 1
    while torch.tensor(p, dtype=dtype) + 1 != torch.tensor(p, dtype=dtype):
        p *= 2
    return p


for dtype in [torch.float16, torch.float32, torch.float64]:
    print(f"{dtype}: {first_lost_power(dtype)}")
# --8<-- [end:lost_solution]

# --8<-- [start:lost_check]
for dtype_check in [torch.float16, torch.bfloat16, torch.float32,
                    torch.float64]:
    # The gap between neighbours from 1 to 2 is eps; from p on it is
    # p * eps, and 1 is lost once that gap is 2.
    expected = round(2 / torch.finfo(dtype_check).eps)
    got = first_lost_power(dtype_check)
    assert got != expected // 2, (
        f"for {dtype_check} you give {got}, the last power of two that "
        "still grows by 1; the question asks for the first that does not")
    assert got == expected, (
        f"for {dtype_check} you give {got}, but the first power of two "
        f"that does not grow by 1 is {expected}: did you compute in "
        f"{dtype_check}?")
print("Exercise 3 is correct: 1 is lost where the gap reaches 2.")
# --8<-- [end:lost_check]
