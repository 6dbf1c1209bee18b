# expect: unsupported 5
"""A parameter without a type is not assumed to be anything."""


def inc(x):  # type: ignore[no-untyped-def]
    return x + 1
