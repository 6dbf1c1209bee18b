# expect: unsafe 6
"""The empty name has no initial."""


def initial(name: str) -> str:
    return name[0]
