# expect: unsafe 27
"""NGK2017B: the length comes from the request, as in the real bug."""

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


def echo(payload: str, claimed: int) -> Text:
    return take_word16(claimed, pack(payload))
