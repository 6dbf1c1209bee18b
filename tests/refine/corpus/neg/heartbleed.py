# expect: unsafe 27
"""NGK2017B: take 10 code units of a 5-character text, as Heartbleed read past a buffer."""

from typing import NewType

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
    return take_word16(10, pack("input"))
