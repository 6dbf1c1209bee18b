# expect: safe
"""NGK2017B, fixed: take only after checking the length."""

from typing import Annotated, NewType

Text = NewType("Text", str)

# @ measure tlen(t: Text) -> int
# @ assume pack(s: str) -> {t: Text | tlen(t) == len(s)}
# @ assume take_word16(n: int, t: {t: Text | tlen(t) >= n}) -> Text


def tlen(t: Text) -> int:
    return len(t)


def pack(s: str) -> Text:
    return Text(s)


def take_word16(n: int, t: Text) -> Text:
    # The real one copies n code units without looking: it is Data.Text.Unsafe's.
    return Text(t[:n])


def output() -> Text:
    text = pack("input")
    if tlen(text) >= 10:
        return take_word16(10, text)
    return text


def take_at_most(n: Annotated[int, "_ >= 0"], s: str) -> Text:
    text = pack(s)
    return take_word16(min(n, len(s)), text)
