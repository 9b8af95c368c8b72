"""Build-time machinery of the book: executed code fences, figures, the cache, data checks, math.

Nothing here is imported by the snippets: they stay plain, copyable PyTorch.
"""
