# expect: unsafe 8
"""L3: a continue goes round the loop too, so the invariant must hold there as well."""


def skip_ahead(n: int) -> int:
    i = 0
    while i < n:
        # @ invariant i <= n
        if i == 0:
            i = i + 2
            continue
        i = i + 1
    return i
