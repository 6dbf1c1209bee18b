# expect: unsafe 8
"""Every element is checked, and nothing says the elements are small."""


def all_small(xs: list[int]) -> bool:
    total = 0
    for x in xs:
        assert x < 100
        total = total + x
    return total >= 0
